"""Page geometry and small helpers shared by every PDF form (GB/T 9704-2012).

GB/T 9704-2012 《党政机关公文格式》: A4; 天头 (top margin) 37 mm; 订口 (left margin)
28 mm; 版心 (text area) 156 mm × 225 mm; body 3号仿宋, 22 lines of 28 characters;
title 2号小标宋; page numbers 4号, "— 1 —", 7 mm under the text area, odd pages right
and even pages left, one character in from the edge.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.frames import Frame

from qingqing_desktop import APP_NAME, __version__
from qingqing_desktop.documents.cjk_text import draw_text_run, text_width
from qingqing_desktop.documents.fonts import FontChain

__all__ = [
    "mm",
    "A4",
    "PAGE_WIDTH",
    "PAGE_HEIGHT",
    "TOP_MARGIN",
    "LEFT_MARGIN",
    "TEXT_WIDTH",
    "TEXT_HEIGHT",
    "RIGHT_MARGIN",
    "BOTTOM_MARGIN",
    "SIZE_2HAO",
    "SIZE_3HAO",
    "SIZE_4HAO",
    "SIZE_XIAO4",
    "SIZE_5HAO",
    "BODY_LINES",
    "BODY_CHARS_PER_LINE",
    "BODY_LEADING",
    "BODY_CHAR_SPACE",
    "PAGE_NUMBER_GAP",
    "SEAL_SIZE",
    "page_number_label",
    "draw_page_number",
    "text_frame",
    "new_canvas",
    "doc_template_kwargs",
    "table_font_commands",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH  # 26 mm
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT  # 35 mm

# Chinese type sizes (字号) in points.
SIZE_2HAO = 22.0
SIZE_3HAO = 16.0
SIZE_4HAO = 14.0
SIZE_XIAO4 = 12.0  # 小四
SIZE_5HAO = 10.5

BODY_LINES = 22
BODY_CHARS_PER_LINE = 28
BODY_LEADING = TEXT_HEIGHT / BODY_LINES  # ≈ 28.95 pt
# 28 characters of 16 pt need 448 pt but the text area is 442.2 pt wide: like Word's
# document grid, tighten the space between characters (Tc ≈ -0.21 pt) so that exactly
# 28 fit; pass it as char_space to wrap_text / CJKParagraph for body text.
BODY_CHAR_SPACE = (TEXT_WIDTH - BODY_CHARS_PER_LINE * SIZE_3HAO) / (BODY_CHARS_PER_LINE - 1)
PAGE_NUMBER_GAP = 7 * mm  # from the bottom of the text area to the top of the page number
SEAL_SIZE = 42 * mm


def page_number_label(n: int) -> str:
    """"— 1 —": the number between two em dashes (一字线), as GB/T 9704 prints it."""
    return f"— {n} —"


def draw_page_number(canvas: Canvas, n: int, chain: FontChain, size: float = SIZE_4HAO) -> None:
    """Draw "— n —" under the text area: odd pages right, even pages left, one character in."""
    label = page_number_label(n)
    width = text_width(label, chain, size)
    baseline = BOTTOM_MARGIN - PAGE_NUMBER_GAP - size * 0.88
    if n % 2:
        x = LEFT_MARGIN + TEXT_WIDTH - size - width
    else:
        x = LEFT_MARGIN + size
    draw_text_run(canvas, x, baseline, label, chain, size)


def text_frame(frame_id: str = "text", *, x: float = LEFT_MARGIN, y: float = BOTTOM_MARGIN,
               width: float = TEXT_WIDTH, height: float = TEXT_HEIGHT) -> Frame:
    """A platypus Frame exactly on the GB/T 9704 text area (zero padding, see CONVENTIONS 14).

    SimpleDocTemplate's own frame has 6 pt padding; use a BaseDocTemplate with this frame
    where the text area must be exact.
    """
    return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=frame_id,
                 showBoundary=0)


def _metadata(title: str, subject: str, author: str) -> dict:
    return {
        "title": title,
        "subject": subject,
        "author": author or APP_NAME,
        "creator": f"{APP_NAME} {__version__}",
    }


def new_canvas(path_or_file, chain: FontChain, *, title: str, subject: str = "", author: str = "") -> Canvas:
    """An A4 canvas with PDF metadata set and a Chinese initial font.

    reportlab's default initial font is Helvetica, a non-embedded base-14 font that
    would be listed in every page's resources; starting on the chain's primary font
    keeps every font in the file embedded.
    """
    meta = _metadata(title, subject, author)
    canvas = Canvas(path_or_file, pagesize=A4, initialFontName=chain.primary, initialFontSize=SIZE_3HAO,
                    pageCompression=1, lang="zh-CN")
    canvas.setTitle(meta["title"])
    canvas.setSubject(meta["subject"])
    canvas.setAuthor(meta["author"])
    canvas.setCreator(meta["creator"])
    return canvas


def doc_template_kwargs(chain: FontChain, *, title: str, subject: str = "", author: str = "") -> dict:
    """Keyword arguments for SimpleDocTemplate/BaseDocTemplate: A4, GB/T 9704 margins, metadata,
    Chinese initial font (see :func:`new_canvas`)."""
    meta = _metadata(title, subject, author)
    return dict(
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        initialFontName=chain.primary,
        initialFontSize=SIZE_3HAO,
        title=meta["title"],
        subject=meta["subject"],
        author=meta["author"],
        creator=meta["creator"],
        lang="zh-CN",
        pageCompression=1,
    )


def table_font_commands(chain: FontChain, size: float = SIZE_5HAO) -> list[tuple]:
    """TableStyle commands that make a Table's own font the chain's primary font.

    reportlab's Table sets its cell font (Helvetica by default) even when every cell
    is a flowable, which would put a non-embedded font into the PDF.
    """
    return [("FONTNAME", (0, 0), (-1, -1), chain.primary), ("FONTSIZE", (0, 0), (-1, -1), size)]
