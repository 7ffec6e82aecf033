"""What makes a printed form *stamped*: its identity on every page, the 草稿 mark, the seal area.

DESIGN.md, Printing: each page of 附件2/附件3 carries a small footer stamp with the
filing's identity — unit · campaign · 第n版 · short content hash — and a QR code
holding the same identity as a paper code (domain/paper_code.py: unit and campaign
UUIDs, revision, hash, and on 附件2 the key fingerprint), so stamped paper can be
matched to the electronic filing by a scan;
until the filing is 定稿 a large light-grey 草稿 crosses every page; the seal area
(about 42 mm) sits over the unit name with the line at its centre-lower part, as
GB/T 9704 places a seal over 署名 and 成文日期; a configured seal image goes there.

Also here, shared by every filing PDF: the page geometry (portrait GB/T 9704 text
area, or the same area turned for a landscape table), the attachment heading, the
tables' type and rules (``TableText``), the content hash, and writing a PDF
atomically with its metadata.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zxingcpp
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, PageTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from qingqing_desktop.documents.cjk_text import CJK_ASCENT, CJKParagraph, draw_lines, draw_text_run, text_width, wrap_text
from qingqing_desktop.documents.filing_data import FilingDocumentData
from qingqing_desktop.documents.fonts import FontChain, font_chain
from qingqing_desktop.documents.words import word_spans
from qingqing_desktop.documents.pdf_base import (
    BODY_LEADING,
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SEAL_SIZE,
    SIZE_2HAO,
    SIZE_3HAO,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    doc_template_kwargs,
    draw_page_number,
    mm,
    table_font_commands,
    text_frame,
)
from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import SHORT_HASH_LENGTH, canonical_json
from qingqing_desktop.store.atomic_file import atomic_write

__all__ = [
    "DRAFT_MARK",
    "SEAL_NOTE",
    "QR_SIZE",
    "PRINTER_MARGIN",
    "PageGeometry",
    "PORTRAIT",
    "LANDSCAPE",
    "content_hash",
    "identity_hash",
    "short_hash",
    "stamp_parts",
    "stamp_text",
    "form_code",
    "attachment_label",
    "attachment_heading",
    "date_or_blanks",
    "qr_matrix",
    "draw_qr",
    "qr_origin",
    "draw_watermark",
    "draw_footer_stamp",
    "StampedPages",
    "SealLine",
    "RULE_WIDTH",
    "TableText",
    "MIN_LAST_PAGE_ROWS",
    "keep_last_rows",
    "write_pdf",
]

log = logging.getLogger(__name__)

DRAFT_MARK = "草稿"
SEAL_NOTE = "本件加盖电子印章图像"
BLANK_DATE = "　　　　年　　月　　日"  # room to write the year, month and day by hand

# A paper code is QR version 4 (33 modules, paper_code.py): 18 mm makes a module 0.55 mm,
# 3.2 pixels in a 150 dpi scan, where zxing-cpp reads it through blur, noise and skew;
# error correction M (15 %) besides. The code sits in the page's lower outer corner,
# inside the 10 mm that office printers leave unprinted at the edge, with its quiet zone
# (4 modules, 2.2 mm) clear of the page number.
QR_SIZE = 18 * mm
QR_QUIET_ZONE = 4 * QR_SIZE / 33
PRINTER_MARGIN = 10 * mm
FOOTER_BASELINE = PRINTER_MARGIN + 1 * mm  # the last footer line, its descenders inside the printable area
FOOTER_SIZE = 7.0
FOOTER_LEADING = 9.0
FOOTER_GREY = 0.35
WATERMARK_SIZE = 150.0
WATERMARK_GREY = 0.5
WATERMARK_ALPHA = 0.16  # translucent and drawn last: never hides the text it crosses


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class PageGeometry:
    """A page and its text area (points, origin bottom left)."""

    page_width: float
    page_height: float
    left: float
    bottom: float
    width: float
    height: float

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.page_width, self.page_height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def top(self) -> float:
        return self.bottom + self.height

    def frame(self):
        return text_frame(x=self.left, y=self.bottom, width=self.width, height=self.height)


PORTRAIT = PageGeometry(PAGE_WIDTH, PAGE_HEIGHT, LEFT_MARGIN, BOTTOM_MARGIN, TEXT_WIDTH, TEXT_HEIGHT)
# A wide table turned on the page: the GB/T 9704 text area turned too (225 × 156 mm),
# centred across, with the same bottom band as portrait pages for the page number,
# the footer stamp and the QR code (so the top margin is 19 mm).
LANDSCAPE = PageGeometry(PAGE_HEIGHT, PAGE_WIDTH, (PAGE_HEIGHT - TEXT_HEIGHT) / 2, BOTTOM_MARGIN, TEXT_HEIGHT, TEXT_WIDTH)


# --------------------------------------------------------------------------- identity


def _canonical(data: FilingDocumentData) -> dict:
    """What the forms print from ``data``, JSON-ready and independent of input order.

    Left out: the 定稿 flag and the recorded hash (they describe the content, they are
    not content), the seal image and key fingerprint (how it is stamped), and the
    rectification state of findings (follow-up after filing, not on the form).
    """
    return {
        "template": {"id": data.template.id, "version": data.template.version},
        "unit": data.unit_name,
        "leader": data.leader,
        "campaign": {
            "title": data.campaign_title,
            "document_number": data.document_number,
            "deadline": data.deadline.isoformat(),
        },
        "revision": data.revision,
        "filled_on": data.filled_on.isoformat() if data.filled_on else None,
        "pledges": sorted(
            (
                {
                    "staff_id": e.staff_id,
                    "name": e.name,
                    "rank": e.rank.value,
                    "title": e.title,
                    "post": e.post,
                    "party_member": e.party_member,
                    "status": e.status.value,
                    "required": e.required,
                }
                for e in data.pledges
            ),
            key=lambda d: (d["staff_id"], d["name"]),
        ),
        "self_check": [
            {
                "item": section.item,
                "none": section.none_confirmed,
                "findings": [
                    {"problem": f.problem, "measure": f.measure, "owner": f.owner, "due": f.due.isoformat()}
                    for f in section.findings
                ],
            }
            for section in data.self_check
        ],
    }


def content_hash(data: FilingDocumentData) -> str:
    """SHA-256 (hex) over the canonical JSON of what the forms print from ``data``."""
    return hashlib.sha256(canonical_json(_canonical(data))).hexdigest()


def identity_hash(data: FilingDocumentData) -> str:
    """The hash a page shows: the one recorded at 定稿 when there is one (the application and
    the package show the same), else the hash of this data."""
    return data.content_sha256 or content_hash(data)


def short_hash(full: str) -> str:
    return full[:SHORT_HASH_LENGTH]


def stamp_parts(data: FilingDocumentData) -> tuple[str, str, str, str]:
    """Unit, campaign, “第1版” (a draft says so: “第1版（草稿）”), “校验码 1a2b3c4d5e6f”."""
    revision = f"第{data.revision}版" + ("" if data.finalised else f"（{DRAFT_MARK}）")
    return data.unit_name, data.campaign_title, revision, f"校验码 {short_hash(identity_hash(data))}"


def stamp_text(data: FilingDocumentData) -> str:
    """“技术科 · <行动> · 第1版 · 校验码 1a2b3c4d5e6f”: the footer stamp."""
    return " · ".join(stamp_parts(data))


def form_code(data: FilingDocumentData, kind: paper_code.FormKind) -> paper_code.FormCode:
    """The paper code of a 附件2/附件3 page: the same identity as the footer stamp, by UUID;
    附件2 adds its key fingerprint (the paper vouches for the key)."""
    fingerprint = data.key_fingerprint if kind is paper_code.FormKind.SUMMARY else ""
    return paper_code.FormCode(kind, data.unit_id, data.campaign_id, data.revision, identity_hash(data),
                               draft=not data.finalised, key_fingerprint=fingerprint)


def attachment_label(label: str) -> str:
    """“附件2” → “附件2：” as the seed prints it (a template may already end it with a colon)."""
    return label if label.endswith(("：", ":")) else label + "："


def attachment_heading(label: str, title: str, *, blank_after_label: bool = True) -> list[Flowable]:
    """“附件n：” in 3号黑体 on the first line of the text area and the title in 2号 centred on
    the third (GB/T 9704 for attachments; ``blank_after_label`` False: on the second)."""
    return [
        CJKParagraph(attachment_label(label), font_chain("hei"), SIZE_3HAO, BODY_LEADING),
        Spacer(0, BODY_LEADING if blank_after_label else 0),
        CJKParagraph(title, font_chain("title"), SIZE_2HAO, BODY_LEADING, alignment="center"),
    ]


def date_or_blanks(day: dt.date | None) -> str:
    """2019年3月14日, or blanks with 年 月 日 to fill in by hand."""
    return chinese_date(day, BLANK_DATE)


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=256)  # every page of a form carries the same code
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of ``text`` (error correction M, no quiet zone), row by row, True for dark.

    zxing-cpp, which reads the codes back from scans, makes them too: it picks the smallest
    version and the modes itself (a paper code is all alphanumeric-mode characters) and
    chooses the mask in C++, twenty times faster than the pure-Python qrcode package did
    (most of the time of a thousand 附件1 letters).
    """
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)  # one byte per module: 0 dark, 255 light
    size = memoryview(image).shape[1]
    modules = bytes(image)
    return tuple(tuple(value == 0 for value in modules[row:row + size]) for row in range(0, len(modules), size))


def qr_origin(geometry: PageGeometry) -> tuple[float, float]:
    """Lower left corner of the footer's QR code: the page's lower right corner, ``PRINTER_MARGIN`` in."""
    return geometry.page_width - PRINTER_MARGIN - QR_SIZE, PRINTER_MARGIN


def draw_qr(canvas, text: str, x: float, y: float, size: float = QR_SIZE) -> None:
    """Draw the QR code of ``text`` as vector squares, lower left corner at (x, y).

    Runs of dark modules are drawn as one rectangle: fewer operators, and no hairline
    seams between neighbours when a viewer anti-aliases. The caller keeps a quiet zone
    of white around it.
    """
    matrix = qr_matrix(text)
    n = len(matrix)
    module = size / n
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * module
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            path.rect(x + start * module, top, (c - start) * module, module)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw_watermark(canvas, geometry: PageGeometry, text: str = DRAFT_MARK) -> None:
    """A large translucent grey ``text`` across the page, along its diagonal."""
    chain = font_chain("hei")
    width = text_width(text, chain, WATERMARK_SIZE)
    canvas.saveState()
    canvas.setFillColorRGB(WATERMARK_GREY, WATERMARK_GREY, WATERMARK_GREY)
    canvas.setFillAlpha(WATERMARK_ALPHA)
    canvas.translate(geometry.page_width / 2, geometry.page_height / 2)
    canvas.rotate(45 if geometry.page_height >= geometry.page_width else 30)
    # baseline placed so the em box is centred on the page centre
    draw_text_run(canvas, -width / 2, (0.5 - CJK_ASCENT) * WATERMARK_SIZE, text, chain, WATERMARK_SIZE)
    canvas.restoreState()


def draw_footer_stamp(canvas, geometry: PageGeometry, lines: Sequence[str], qr_text: str | None) -> None:
    """Small grey ``lines`` at the bottom left of the page and the QR code of ``qr_text`` at the right.

    Long lines wrap (never cut) in the width left of the QR code; the last line sits on
    the footer baseline and earlier lines stack upwards. ``qr_text`` None: no QR code.
    """
    width = geometry.width
    if qr_text is not None:
        qr_x, qr_y = qr_origin(geometry)
        draw_qr(canvas, qr_text, qr_x, qr_y, QR_SIZE)
        width = min(width, qr_x - QR_QUIET_ZONE - geometry.left)
    chain = font_chain("song")
    wrapped = [part for line in lines for part in wrap_text(line, chain, FOOTER_SIZE, width)]
    if not wrapped:
        return
    canvas.saveState()
    canvas.setFillColorRGB(FOOTER_GREY, FOOTER_GREY, FOOTER_GREY)
    first = FOOTER_BASELINE + (len(wrapped) - 1) * FOOTER_LEADING
    draw_lines(canvas, geometry.left, first, wrapped, chain, FOOTER_SIZE, FOOTER_LEADING)
    canvas.restoreState()


def _draw_page_number(canvas, n: int, geometry: PageGeometry) -> None:
    """GB/T 9704 page number (odd pages right, even left) on any geometry with the portrait bottom band.

    ``draw_page_number`` measures from the portrait text area; shift the canvas so the edge
    it measures from (right for odd pages, left for even) lands on this geometry's.
    """
    dx = (geometry.right - PORTRAIT.right) if n % 2 else (geometry.left - PORTRAIT.left)
    canvas.saveState()
    canvas.translate(dx, geometry.bottom - PORTRAIT.bottom)
    draw_page_number(canvas, n, font_chain("song"))
    canvas.restoreState()


class StampedPages:
    """The page-end decoration of a stamped form (``kind``: 附件2 or 附件3): page number,
    footer stamp and the QR code of its paper code, and the 草稿 watermark until the
    filing is 定稿. ``extra_lines`` go under the stamp text."""

    def __init__(self, data: FilingDocumentData, geometry: PageGeometry, kind: paper_code.FormKind, *,
                 extra_lines: Iterable[str] = (), page_numbers: bool = True):
        self.geometry = geometry
        self.page_numbers = page_numbers
        self.qr_text = paper_code.encode(form_code(data, kind))
        self.lines = [stamp_text(data), *extra_lines]
        if data.seal_image:
            self.lines.append(SEAL_NOTE)
        self.draft = not data.finalised

    def __call__(self, canvas, doc) -> None:
        if self.page_numbers:
            _draw_page_number(canvas, doc.page, self.geometry)
        draw_footer_stamp(canvas, self.geometry, self.lines, self.qr_text)
        if self.draft:
            draw_watermark(canvas, self.geometry)


# --------------------------------------------------------------------------- the seal line


def _seal_reader(image: bytes) -> ImageReader:
    try:
        reader = ImageReader(io.BytesIO(image))
        reader.getSize()
    except Exception as exc:  # noqa: BLE001 - any undecodable file: say which setting is wrong
        log.warning("seal image unreadable: %s", exc)  # the decoder's words, for whoever reads the log
        raise InputRejected("单位印章图像已损坏，无法读取，请在“单位信息”中重新设置 PNG 或 JPEG 格式的印章图像。",
                            Location(field="印章图像")) from exc
    return reader


def _balanced_lines(text: str, chain: FontChain, size: float, width: float) -> list[str]:
    """The unit name ``text`` wrapped to ``width`` between its words, with the lines made
    about equally long when it takes several (平阳县住房和城乡建设局 / 鳌江住房和城乡建设分局,
    not a lone 局 on a last line)."""
    words = word_spans(text, "unit")
    lines = wrap_text(text, chain, size, width, words=words)
    if len(lines) < 2:
        return lines
    narrower = text_width(text, chain, size) / len(lines)
    while narrower < width:
        trial = wrap_text(text, chain, size, narrower, words=words)
        if len(trial) == len(lines):
            return trial
        narrower += size / 2
    return lines


@dataclass(frozen=True)
class _Placed:
    """One piece of the seal line: ``text`` at ``x`` on row ``row`` (0 = first)."""

    x: float
    row: int
    text: str


class SealLine(Flowable):
    """The 单位（盖章）/填报单位 line of a stamped form, with the seal area over the unit name.

    ``label`` + ``unit_name`` on the left, ``date_text`` at the right, and optionally a
    signature between them: its label and a blank rule to sign on by hand (nothing is
    printed on or under it: the seed leaves it blank). What does not fit on the line
    moves to a row of its own (the date stays right-aligned), and a unit name too long
    for the width wraps under itself between its words — nothing is ever cut. The flowable is at least as tall as the seal area (42 mm,
    ``SEAL_SIZE``): its top follows the text above at once, so the seal's top is within
    one line of it; the text sits a little below the seal's centre, as GB/T 9704 puts
    署名 and 日期 at the centre-lower part of the seal; the area is centred over the unit
    name. A configured seal image is drawn there over the text in its own colours, PNG
    alpha kept, and blended by multiplying (PDF blend mode Multiply), as ink on paper:
    the text under a seal stays black even where the image is opaque white.
    """

    SIGN_BLANK_CHARS = 6  # width of the rule to sign on, in characters

    def __init__(self, label: str, unit_name: str, date_text: str, *, signature: str | None = None,
                 seal_image: bytes | None = None, size: float = SIZE_3HAO, leading: float = BODY_LEADING):
        super().__init__()
        self.label = label
        self.unit_name = unit_name
        self.date_text = date_text
        self.signature = signature
        self.seal = _seal_reader(seal_image) if seal_image else None
        self.size = size
        self.leading = leading
        self.chain: FontChain = font_chain("fangsong")

    # layout ----------------------------------------------------------------

    def _width(self, text: str) -> float:
        return text_width(text, self.chain, self.size)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        gap = 2 * self.size
        label_w = self._width(self.label)
        names = [self.unit_name]
        if label_w + self._width(self.unit_name) > availWidth:
            names = _balanced_lines(self.unit_name, self.chain, self.size, max(availWidth - label_w, self.size))
        self._name = (label_w, max(self._width(n) for n in names))  # x and width of the name column
        pieces = [_Placed(0.0, 0, self.label + names[0])]
        pieces += [_Placed(label_w, row, name) for row, name in enumerate(names[1:], start=1)]
        row, end = len(names) - 1, label_w + self._width(names[-1])
        self._sign = None
        if self.signature:
            sign_w = self._width(self.signature) + self.SIGN_BLANK_CHARS * self.size
            date_w = self._width(self.date_text)
            if end + gap + sign_w + gap + date_w <= availWidth:  # all on one row: centre it in the free space
                x = end + gap + (availWidth - date_w - gap - end - gap - sign_w) / 2
            elif end + gap + sign_w <= availWidth:
                x = end + gap
            else:
                row, x = row + 1, 0.0
            self._sign = _Placed(x, row, self.signature)
            end = x + sign_w
        date_x = availWidth - self._width(self.date_text)
        if date_x < end + gap:
            row += 1
        self._pieces, self._date, self._rows = pieces, _Placed(date_x, row, self.date_text), row + 1
        block = self._rows * self.leading
        # the text's centre 0.1 of the seal below the seal's centre; the text stays inside the flowable
        self._text_top = max(0.0, 0.6 * SEAL_SIZE - block / 2)
        self.width = availWidth
        self.height = max(SEAL_SIZE, self._text_top + block)
        return self.width, self.height

    def _seal_centre_x(self) -> float:
        x, width = self._name
        half = SEAL_SIZE / 2
        return min(max(x + width / 2, half), self.width - half)

    # drawing ---------------------------------------------------------------

    def _baseline(self, row: int) -> float:
        top = self.height - self._text_top - row * self.leading
        return top - (self.leading - self.size) / 2 - CJK_ASCENT * self.size

    def draw(self):
        canv = self.canv
        # left to right, row by row, so that copying the text gives it in reading order
        for piece in self._pieces:
            draw_text_run(canv, piece.x, self._baseline(piece.row), piece.text, self.chain, self.size)
        if self._sign is not None:
            self._draw_signature(self._sign)
        draw_text_run(canv, self._date.x, self._baseline(self._date.row), self._date.text, self.chain, self.size)
        if self.seal is not None:
            x = self._seal_centre_x() - SEAL_SIZE / 2
            canv.saveState()
            canv.setBlendMode("Multiply")
            canv.drawImage(self.seal, x, self.height - SEAL_SIZE, SEAL_SIZE, SEAL_SIZE, mask="auto",
                           preserveAspectRatio=True, anchor="c")
            canv.restoreState()

    def _draw_signature(self, piece: _Placed) -> None:
        canv = self.canv
        baseline = self._baseline(piece.row)
        label_w = draw_text_run(canv, piece.x, baseline, piece.text, self.chain, self.size)
        rule_x0 = piece.x + label_w
        rule_x1 = rule_x0 + self.SIGN_BLANK_CHARS * self.size
        canv.saveState()
        canv.setLineWidth(RULE_WIDTH)
        canv.line(rule_x0, baseline - 3, rule_x1, baseline - 3)
        canv.restoreState()


# --------------------------------------------------------------------------- form tables

RULE_WIDTH = 0.6
CELL_PADDING = 3.0


@dataclass(frozen=True)
class TableText:
    """Type size of a form's table: DESIGN.md allows sizes smaller than the 3号 body so
    that the tables stay on few pages; the header row is set in 黑体, the cells and the
    form's note (填报说明) in 仿宋 like the body of a 公文."""

    size: float
    leading: float
    note_leading: float

    def cell(self, text: str, *, align: str = "justify", header: bool = False,
             words: str | None = None) -> list[Flowable]:
        """One table cell: a CJKParagraph in a list (a list, so reportlab can split it inside a row).
        ``words``: a filled-in text of that kind (name, post…), broken only between words."""
        chain = font_chain("hei" if header else "fangsong")
        return [CJKParagraph(text, chain, self.size, self.leading, alignment=align, words=words)]

    def commands(self) -> list[tuple]:
        """Base TableStyle: our font as the table's own font (no Helvetica), padding,
        vertical centring, a little more air in the header row."""
        return [
            *table_font_commands(font_chain("fangsong"), self.size),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, 0), CELL_PADDING + 2),
            ("BOTTOMPADDING", (0, 0), (-1, 0), CELL_PADDING + 2),
        ]

    def note_row(self, note: str, columns: int, row: int) -> tuple[list, list[tuple]]:
        """The form's 填报说明 as the table's last row ``row``: spanning all columns, no rules
        (leave it out of the GRID), and kept on the page of the last rows above it
        (:func:`keep_last_rows`), so the note never stands alone on a page."""
        paragraph = CJKParagraph(note, font_chain("fangsong"), self.size, self.note_leading, alignment="justify")
        commands = [
            ("SPAN", (0, row), (-1, row)),
            ("LEFTPADDING", (0, row), (-1, row), 0),
            ("RIGHTPADDING", (0, row), (-1, row), 0),
            ("TOPPADDING", (0, row), (-1, row), 8),
        ]
        return [[paragraph]] + [""] * (columns - 1), commands


MIN_LAST_PAGE_ROWS = 3  # a table's last page never holds fewer of its rows (unless the table has fewer)


def keep_last_rows(first_row: int, last_body_row: int, through: int | None = None) -> tuple:
    """The TableStyle command that keeps the table's last ``MIN_LAST_PAGE_ROWS`` body rows
    (those from ``first_row``, under the header, to ``last_body_row``) and the rows after
    them up to ``through`` (the 填报说明) on one page: a long table never ends on a page
    holding one or two of its rows."""
    start = max(first_row, last_body_row - MIN_LAST_PAGE_ROWS + 1)
    return ("NOSPLIT", (0, start), (-1, last_body_row if through is None else through))


# --------------------------------------------------------------------------- writing


PageDecorator = Callable[[object, BaseDocTemplate], None]


def write_pdf(out: Path | str | BinaryIO, story: list, *, geometry: PageGeometry,
              pages: Mapping[str, PageDecorator], title: str, subject: str, author: str,
              keywords: Sequence[str] = ()) -> None:
    """Lay out ``story`` on ``geometry``'s text area and write the PDF with its metadata.

    ``pages`` maps page-template ids to their page-end decoration (the first is used
    first; a story switches with ``NextPageTemplate``). A path is written through a
    temporary file and one rename, so a failure never leaves half a PDF; a file object
    is written as is.
    """
    chain = font_chain("song")
    kwargs = doc_template_kwargs(chain, title=title, subject=subject, author=author)
    kwargs["pagesize"] = geometry.page_size

    def build(target) -> None:
        doc = BaseDocTemplate(target, keywords=list(keywords), **kwargs)
        doc.addPageTemplates([
            PageTemplate(id=name, frames=[geometry.frame()], onPageEnd=decorate, pagesize=geometry.page_size)
            for name, decorate in pages.items()
        ])
        doc.build(story)

    if isinstance(out, (str, Path)):
        with atomic_write(Path(out)) as handle:
            build(handle)
    else:
        build(out)
