"""Chinese line breaking (禁则), mixed-font drawing, CJKParagraph in frames/tables, page helpers."""

from __future__ import annotations

import math
import os
import random
import time

import pdfplumber
import pypdf
import pytest
from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, PageTemplate, SimpleDocTemplate, Table, TableStyle

from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.cjk_text import (
    CLOSING,
    OPENING,
    CJKParagraph,
    draw_lines,
    text_width,
    wrap_text,
)
from qingqing_desktop.documents.fonts import font_chain
from qingqing_desktop.documents.pdf_base import (
    BODY_CHAR_SPACE,
    BODY_LEADING,
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    SIZE_3HAO,
    SIZE_5HAO,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TOP_MARGIN,
    doc_template_kwargs,
    mm,
    new_canvas,
    page_number_label,
    table_font_commands,
    text_frame,
)

HAS_CJK = any(
    os.path.exists(p)
    for p in ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", "/usr/share/fonts/truetype/arphic/uming.ttc")
) or bool(os.environ.get("QINGQING_FONT_DIRS"))
pytestmark = pytest.mark.skipif(
    not HAS_CJK, reason="needs a Chinese TrueType font: apt-get install fonts-arphic-gbsn00lp fonts-arphic-uming"
)

# Text made to put closing punctuation right after line ends and opening punctuation before them.
PROVOKING = (
    "他说：“引号”。“引号”。“引号”，（括号）。《书名》、《书名》；“好！”“是吗？”……——"
    "李𡈽、王䶮（陈喆）。“刘堃”、张三。" * 6
)
SEED = (
    "为深入贯彻落实全面从严治党要求，构建“亲”“清”新型政商关系，根据《关于开展“三清单一承诺”行动的通知》"
    "（平住建发〔2019〕27号）精神，结合我局实际，制定本方案。联系人：王五，电话：0577-653260。"
)


@pytest.fixture(scope="module")
def chain():
    fonts.reset_font_cache()
    return font_chain("song")


def _no_break_inside(line: str) -> bool:
    """True if no position inside ``line`` is a legal break (a cluster like “好！”)."""
    for p in range(1, len(line)):
        a, b = line[p - 1], line[p]
        if not (b in CLOSING or a in OPENING):
            return False  # includes places inside a word: the wrapper splits words rather than break a rule
    return True


def _check_lines(lines, chain, size, width, first_indent=0.0, char_space=0.0):
    for k, line in enumerate(lines):
        if not line:
            continue
        # A rule may only be broken where it cannot be kept: the previous (or this) line
        # is one unbreakable cluster wider than the line, e.g. 吗？”……—— at 5 characters.
        if line[0] in CLOSING and k > 0 and lines[k - 1]:
            assert _no_break_inside(lines[k - 1]), f"line {k} starts with {line[0]!r}: {lines[k - 1]!r} / {line!r}"
        if line[-1] in OPENING and not line.para_end:
            assert _no_break_inside(line), f"line {k} ends with {line[-1]!r}: {line!r}"
        avail = width - (first_indent if line.indent else 0.0)
        w = text_width(line, chain, size, char_space)
        assert w <= avail + 1e-6 or len(line) == 1, f"line {k} is {w:.2f} wide > {avail:.2f}: {line!r}"


def _count_violations(lines):
    return sum(1 for k, l in enumerate(lines) if l and (l[0] in CLOSING and k > 0 or l[-1] in OPENING and not l.para_end))


# --------------------------------------------------------------------------- wrapping


@pytest.mark.parametrize("size", [10.5, 16])
@pytest.mark.parametrize("char_space", [0.0, -0.2, 1.0])
def test_kinsoku_and_width_over_many_widths(chain, size, char_space):
    """Property-style: at every width from 3 to 40 characters (in quarter-character steps)."""
    pushed = 0
    for text in (PROVOKING, SEED * 2, PROVOKING + "\n" + SEED):
        for quarter in range(12, 161):
            width = quarter * size / 4
            indent = 2 * size if quarter % 2 else 0.0
            lines = wrap_text(text, chain, size, width, first_indent=indent, char_space=char_space)
            _check_lines(lines, chain, size, width, indent, char_space)
            if quarter >= 40:  # from 10 characters on, every cluster fits: no exception at all
                assert _count_violations(lines) == 0, lines
            # nothing lost, nothing duplicated (this text has no spaces to drop)
            assert "\n".join("".join(l for l in lines if l.start >= s and l.end <= e)
                             for s, e in _paragraph_spans(text)) == text
            pushed += _greedy_would_violate(text, chain, size, width, indent, char_space)
    assert pushed > 100  # the text did provoke the rules many times


def _greedy_would_violate(text, chain, size, width, indent, char_space) -> int:
    """How many breaks a naive fill-the-line wrapper would have put in a forbidden place."""
    count = 0
    for para in text.split("\n"):
        pos, avail = 0, width - indent
        while pos < len(para):
            k, w = pos, 0.0
            while k < len(para) and w + text_width(para[k], chain, size) + char_space <= avail + char_space + 1e-6:
                w += text_width(para[k], chain, size) + char_space
                k += 1
            k = max(k, pos + 1)
            if k < len(para) and (para[k] in CLOSING or para[k - 1] in OPENING):
                count += 1
            pos, avail = k, width
    return count


def _paragraph_spans(text):
    pos = 0
    for para in text.split("\n"):
        yield pos, pos + len(para)
        pos += len(para) + 1


def test_kinsoku_on_random_text(chain):
    rng = random.Random(20190315)
    pool = "中文字体排版测试李王张陈刘喆堃䶮𡈽" + "，。、；：？！”’）》」…—" * 2 + "“‘（《「" * 2 + "AB12"
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 120)))
        width = rng.uniform(4, 30) * 10.5
        _check_lines(wrap_text(text, chain, 10.5, width), chain, 10.5, width)


def test_closing_quote_is_not_left_at_a_line_start(chain):
    size = 10
    # greedy would break after 六 and start the next line with ”。
    lines = wrap_text("一二三四五“六”。", chain, size, 7 * size)
    assert lines == ["一二三四五", "“六”。"]
    # and an opening bracket is never the last character of a line
    lines = wrap_text("一二三四五六（七）", chain, size, 7 * size)
    assert lines == ["一二三四五六", "（七）"]


def test_latin_words_and_numbers_stay_whole(chain):
    size = 10.5
    text = "联系电话：0577-653260，文号平住建发〔2019〕27号，纸张A4。"
    for chars in range(8, 30):
        lines = wrap_text(text, chain, size, chars * size)
        joined = "|".join(lines)
        assert "0577-653260" in joined and "2019" in joined, joined
        _check_lines(lines, chain, size, chars * size)


def test_word_longer_than_the_line_is_split_by_characters(chain):
    size = 10
    url = "https://example.gov.cn/qingqing/" + "x" * 40
    lines = wrap_text("网址" + url, chain, size, 12 * size)
    assert "".join(lines) == "网址" + url
    assert len(lines) > 2
    _check_lines(lines, chain, size, 12 * size)


def test_spaces_at_breaks_are_dropped_and_newlines_make_paragraphs(chain):
    size = 10
    lines = wrap_text("第一段\n\nword word word word word\n第三段", chain, size, 12 * size)
    assert lines[0] == "第一段" and lines[1] == ""
    assert all(not l.startswith(" ") and not l.endswith(" ") for l in lines)
    assert lines[-1] == "第三段"
    assert [l.para_end for l in lines].count(True) == 4
    assert wrap_text("", chain, size, 100) == []


def test_gbt9704_body_has_28_characters_per_line(chain):
    text = "一" * 100
    lines = wrap_text(text, chain, SIZE_3HAO, TEXT_WIDTH, char_space=BODY_CHAR_SPACE,
                      first_indent=2 * (SIZE_3HAO + BODY_CHAR_SPACE))
    assert [len(l) for l in lines] == [26, 28, 28, 18]
    assert round(TEXT_HEIGHT / BODY_LEADING) == 22


def test_wrapping_a_thousand_cells_is_fast(chain):
    rng = random.Random(7)
    pool = SEED.replace("\n", "")
    cells = ["".join(rng.choice(pool) for _ in range(40)) for _ in range(1000)]
    start = time.perf_counter()
    for cell in cells:
        wrap_text(cell, chain, SIZE_5HAO, 45 * mm)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"1,000 cells took {elapsed:.2f}s"


# --------------------------------------------------------------------------- drawing


def _rows(path, page_no=0):
    """Drawn characters per line as (x0, x1, text), read with PDFium (the renderer Chrome uses).

    pdfminer (under pdfplumber) does not apply Tc after the last glyph of each string,
    so its x positions drift on justified lines; PDFium places glyphs like a printer.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(str(path))
    try:
        textpage = doc[page_no].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        rows: dict[float, list] = {}
        for i in range(textpage.count_chars()):
            ch = textpage.get_text_range(i, 1)
            if not ch or ch.isspace():
                continue  # line ends and the second half of a surrogate pair
            raw.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
            left, _b, right, _t = textpage.get_charbox(i, loose=True)
            rows.setdefault(round(y.value, 1), []).append((left, right, ch))
        return [sorted(rows[k]) for k in sorted(rows, reverse=True)]
    finally:
        doc.close()


def test_justified_lines_fill_the_width_and_last_line_does_not(chain, tmp_path):
    path = tmp_path / "justify.pdf"
    doc = BaseDocTemplate(str(path), **doc_template_kwargs(chain, title="两端对齐"))
    doc.addPageTemplates([PageTemplate("p", [text_frame()])])
    doc.build([CJKParagraph(SEED * 2, chain, SIZE_3HAO, BODY_LEADING, "justify", 2, char_space=BODY_CHAR_SPACE)])
    rows = _rows(path)
    lines = wrap_text(SEED * 2, chain, SIZE_3HAO, TEXT_WIDTH, first_indent=2 * (SIZE_3HAO + BODY_CHAR_SPACE),
                      char_space=BODY_CHAR_SPACE)
    right = LEFT_MARGIN + TEXT_WIDTH
    assert len(rows) == len(lines) >= 3
    for row in rows[:-1]:
        assert abs(row[-1][1] - right) < 0.05, row
    # the last line is not stretched: it ends where its natural width ends
    natural = LEFT_MARGIN + text_width(lines[-1], chain, SIZE_3HAO, BODY_CHAR_SPACE)
    assert abs(rows[-1][-1][1] - natural) < 0.05 and natural < right - 1
    assert abs(rows[0][0][0] - (LEFT_MARGIN + 2 * (SIZE_3HAO + BODY_CHAR_SPACE))) < 0.05  # 2-character indent
    for row in rows[1:]:
        assert abs(row[0][0] - LEFT_MARGIN) < 0.05


def test_draw_lines_alignment_and_text_extraction(chain, tmp_path):
    path = tmp_path / "lines.pdf"
    canvas = new_canvas(str(path), chain, title="对齐")
    width = 200
    for i, align in enumerate(("left", "center", "right")):
        lines = wrap_text("李𡈽、王䶮", chain, 12, width)
        draw_lines(canvas, 100, 700 - 40 * i, lines, chain, 12, 16, width=width, alignment=align)
    canvas.showPage()
    canvas.save()
    rows = _rows(path)
    with pdfplumber.open(str(path)) as pdf:
        text = pdf.pages[0].extract_text()
    assert text.split("\n") == ["李𡈽、王䶮"] * 3
    w = text_width("李𡈽、王䶮", chain, 12)
    assert abs(rows[0][0][0] - 100) < 0.05
    assert abs(rows[1][0][0] - (100 + (width - w) / 2)) < 0.05
    assert abs(rows[2][-1][1] - 300) < 0.05


def test_paragraph_splits_across_pages_between_lines(chain, tmp_path):
    path = tmp_path / "pages.pdf"
    text = ("一" * 28 * 22 * 2) + ("二" * 28 * 5)  # 49 body lines: 22 + 22 + 5
    doc = BaseDocTemplate(str(path), **doc_template_kwargs(chain, title="分页"))
    doc.addPageTemplates([PageTemplate("p", [text_frame()])])
    doc.build([CJKParagraph(text, chain, SIZE_3HAO, BODY_LEADING, "justify", char_space=BODY_CHAR_SPACE)])
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 3
    per_page = [_rows(path, n) for n in range(3)]
    with pdfplumber.open(str(path)) as pdf:
        extracted = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
        first_char_top = pdf.pages[0].chars[0]["top"]
    assert [len(rows) for rows in per_page] == [22, 22, 5]
    assert [len(row) for row in per_page[0]] == [28] * 22
    assert extracted == text  # no line lost or repeated at the page breaks
    # the first line sits inside the text area, just under its top edge
    assert TOP_MARGIN <= first_char_top < TOP_MARGIN + BODY_LEADING


def test_paragraph_in_simple_doc_template_page_count(chain, tmp_path):
    path = tmp_path / "simple.pdf"
    size, leading = 12, 18
    paragraphs = [SEED * 3 for _ in range(8)]
    doc = SimpleDocTemplate(str(path), **doc_template_kwargs(chain, title="分页"))
    story = [CJKParagraph("\n".join(paragraphs), chain, size, leading, "justify", 2)]
    doc.build(story)
    # SimpleDocTemplate's frame has 6 pt padding on each side
    avail_w, avail_h = doc.width - 12, doc.height - 12
    n_lines = len(wrap_text("\n".join(paragraphs), chain, size, avail_w, first_indent=2 * size))
    per_page = int(avail_h // leading)
    assert len(pypdf.PdfReader(str(path)).pages) == math.ceil(n_lines / per_page)
    with pdfplumber.open(str(path)) as pdf:
        extracted = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
    assert extracted == "".join(paragraphs)


def test_split_keeps_indent_and_justification_of_continued_paragraph(chain):
    para = CJKParagraph(SEED * 4 + "\n" + SEED, chain, 12, 18, "justify", 2)
    para.wrap(300, 10_000)
    all_lines = para.lines
    head, tail = para.split(300, 18 * 5 + 1)
    head.wrap(300, 10_000)
    tail.wrap(300, 10_000)
    assert head.lines == all_lines[:5] and tail.lines == all_lines[5:]
    assert head.lines[-1].para_end is False  # still justified at the page foot
    assert tail.lines[0].indent is False  # a continued paragraph is not indented again
    assert [l.indent for l in tail.lines] == [l.indent for l in all_lines[5:]]
    assert para.split(300, 17) == []  # not even one line fits


def test_paragraphs_in_table_cells(chain, tmp_path):
    path = tmp_path / "table.pdf"
    names = ["张三", "李𡈽", "王䶮", "陈喆", "刘堃"] * 30
    header = [CJKParagraph(h, font_chain("hei"), SIZE_5HAO, 14, "center") for h in ("序号", "姓名", "职务", "工作岗位")]
    rows = [header] + [
        [CJKParagraph(str(i + 1), chain, SIZE_5HAO, 14, "center"), CJKParagraph(n, chain, SIZE_5HAO, 14, "center"),
         CJKParagraph("方案设计技术审查科副科长（主持工作）", chain, SIZE_5HAO, 14),
         CJKParagraph("建筑市场监管", chain, SIZE_5HAO, 14)]
        for i, n in enumerate(names)
    ]
    table = Table(rows, colWidths=[14 * mm, 30 * mm, 60 * mm, 50 * mm], repeatRows=1)
    table.setStyle(TableStyle(table_font_commands(chain) + [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    doc = BaseDocTemplate(str(path), **doc_template_kwargs(chain, title="汇总表"))
    doc.addPageTemplates([PageTemplate("p", [text_frame()])])
    doc.build([table])
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) > 1
    text = "".join(p.extract_text() for p in reader.pages)
    assert text.count("序号") == len(reader.pages)  # header row repeats
    assert text.count("李𡈽") == 30 and "\u2123" not in text
    fonts_used = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert not any("Helvetica" in f for f in fonts_used)


# --------------------------------------------------------------------------- helpers


def test_page_number_label_and_geometry():
    assert page_number_label(1) == "— 1 —"
    assert page_number_label(12) == "— 12 —"
    assert round(TOP_MARGIN / mm, 6) == 37 and round(LEFT_MARGIN / mm, 6) == 28
    assert round(BOTTOM_MARGIN / mm, 3) == 35


def test_a_line_left_far_short_by_an_unbreakable_code_is_not_spread_out():
    """自查表 row: “……相关台账” then a code too long for the rest of the line. Justified, the short line
    was spread to the margin (“相　　关　　台　　账”); past half a character between units it stays ragged."""
    from qingqing_desktop.documents.cjk_text import LOOSEST_JUSTIFY_GAP_EM, justify_gap

    size = 14.0
    assert justify_gap(20, 10.0, size) == pytest.approx(10.0 / 19)  # an ordinary line: a little space each
    assert justify_gap(6, 200.0, size) == 0.0  # a third of the line empty: left as it is
    assert justify_gap(1, 50.0, size) == 0.0 and justify_gap(5, 0.0, size) == 0.0
    loosest = LOOSEST_JUSTIFY_GAP_EM * size
    assert justify_gap(3, 2 * loosest, size) == loosest
