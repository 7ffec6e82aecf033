"""附件2 汇总表: the PDF and the Excel file read back — texts, rows, order, pages, print settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import openpyxl
import pdfplumber
import pytest
from filing_samples import (
    table_area,
    BEFORE,
    CADRE,
    NOT_APPLICABLE,
    SIGNED,
    STAFF,
    UNSIGNED,
    all_text,
    assert_seed_lines_in,
    assert_fonts_embedded,
    assert_no_line_starts_with_closing_punctuation,
    compact,
    entry,
    filing,
    metadata,
    page_count,
    seed_attachment,
)

from qingqing_desktop import __version__
from qingqing_desktop.documents.stamp import content_hash, short_hash, stamp_text
from qingqing_desktop.documents.summary_pdf import BLANK_ROWS, KEY_LABEL, write_summary_pdf
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx
from qingqing_desktop.domain.names import sort_key

FINGERPRINT = "3F2A9C1B-0D4E5F60-718293A4-B5C6D7E8-F9011223"
MIXED = (
    entry("张三", STAFF, "质量监管", SIGNED, party=False),
    entry("王䶮", CADRE, "分管行政审批、质量监管", SIGNED, title="科长"),
    entry("李𡈽", STAFF, "安全监管", SIGNED),
    entry("曾强", CADRE, "分管规划核实", SIGNED),  # 曾 reads zeng as a surname
    entry("赵六", STAFF, "质量监管", BEFORE),  # handed in before: not on this table
    entry("钱七", STAFF, "竣工验收", UNSIGNED),  # not signed yet: not on it either
    entry("孙八", STAFF, "规划核实", NOT_APPLICABLE),
)


def pdf_of(data) -> bytes:
    out = io.BytesIO()
    write_summary_pdf(out, data)
    return out.getvalue()


def table_rows(pdf: bytes) -> list[tuple[int, list[str]]]:
    """(page number, cells) of every table row pdfplumber finds, header rows included.
    Render finalised data: the 草稿 watermark's characters would land in cells."""
    rows = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for table in table_area(page).extract_tables():
                rows += [(number, [compact(c or "") for c in row]) for row in table]
    return rows


# --------------------------------------------------------------------------- PDF


def test_texts_are_the_templates_and_the_seeds():
    data = filing(6)
    form = data.template.summary_table
    text = all_text(pdf_of(data))
    assert text.startswith("附件2：" + compact(form.title))
    assert compact(form.unit_label + "技术科") in text and "2019年3月5日" in text
    assert "".join(form.columns) in text
    assert compact(form.instructions) in text
    assert_seed_lines_in(text, seed_attachment(2))  # its blanks are filled in here


def test_signed_people_only_cadres_first_then_pinyin():
    rows = table_rows(pdf_of(filing(pledges=MIXED, finalised=True)))
    body = [cells for _page, cells in rows if cells[0].isdigit()]
    assert [cells[1] for cells in body] == ["王䶮", "曾强", "李𡈽", "张三"]
    assert sorted(["王䶮", "曾强"], key=sort_key) == ["王䶮", "曾强"]
    assert body[0] == ["1", "王䶮", "中层干部", "分管行政审批、质量监管", "是"]
    assert body[3] == ["4", "张三", "一般工作人员", "质量监管", "否"]
    assert {"赵六", "钱七", "孙八"}.isdisjoint(all_text(pdf_of(filing(pledges=MIXED))))


def test_date_left_blank_for_hand_filling_when_not_set():
    text = all_text(pdf_of(filing(3, filled_on=None)))
    assert "技术科年月日" in text


@pytest.mark.parametrize("n,pages", [(40, 2), (1000, 38)])
def test_page_counts_header_on_every_page_rows_never_split(n, pages):
    pdf = pdf_of(filing(n, finalised=True))  # no watermark characters among the cells
    assert page_count(pdf) == pages
    rows = table_rows(pdf)
    header = [page for page, cells in rows if cells[0] == "序号"]
    assert header == list(range(1, pages + 1))
    numbers = [(page, int(cells[0]), cells[1]) for page, cells in rows if cells[0].isdigit()]
    assert [number for _p, number, _name in numbers] == list(range(1, n + 1))
    assert all(name for _p, _number, name in numbers)  # each row whole on its page
    assert_fonts_embedded(pdf)
    if n == 40:
        assert_no_line_starts_with_closing_punctuation(pdf)


def test_nobody_signed_gives_an_empty_table_to_fill_in():
    rows = table_rows(pdf_of(filing(pledges=(entry("赵六", status=BEFORE),), finalised=True)))
    assert len([cells for _page, cells in rows if not any(cells)]) >= BLANK_ROWS


def test_long_post_wraps_inside_its_cell_without_loss():
    post = "办公室综合文字工作及档案管理、信息公开与政务新媒体运营维护，兼管机关党建和精神文明建设工作"
    text = all_text(pdf_of(filing(pledges=(entry("欧阳小明", post=post),))))
    assert compact(post) in text


def test_key_fingerprint_printed_only_when_there_is_one():
    assert KEY_LABEL + FINGERPRINT in all_text(pdf_of(filing(3, key_fingerprint=FINGERPRINT)))
    assert KEY_LABEL not in all_text(pdf_of(filing(3)))


def test_metadata():
    data = filing(3)
    meta = metadata(pdf_of(data))
    assert meta["/Author"] == "技术科" and meta["/Subject"] == data.campaign_title
    assert meta["/Creator"] == f"亲清填报 {__version__}"
    assert meta["/Title"] == "附件2 反对“挈篮子”承诺书签订情况汇总表（技术科）"
    assert meta["/Keywords"] == content_hash(data)


def test_written_atomically_to_a_path(tmp_path):
    path = tmp_path / "sub" / "附件2.pdf"
    write_summary_pdf(path, filing(3))
    assert path.read_bytes().startswith(b"%PDF") and [p.name for p in path.parent.iterdir()] == ["附件2.pdf"]


# --------------------------------------------------------------------------- Excel

HOSTILE = (
    entry('=HYPERLINK("http://x","点我")', post="+质量监管"),
    entry("张三", post="-1"),
    entry("李𡈽", post="@SUM(A1)"),
)


def xlsx_of(tmp_path, data):
    path = tmp_path / "附件2.xlsx"
    write_summary_xlsx(path, data)
    return path, openpyxl.load_workbook(path)


def test_excel_has_the_same_rows_and_texts(tmp_path):
    data = filing(pledges=MIXED, key_fingerprint=FINGERPRINT)
    form = data.template.summary_table
    path, wb = xlsx_of(tmp_path, data)
    ws = wb.active
    assert ws["A1"].value == "附件2：" and ws["A2"].value == form.title
    assert ws["A3"].value == "单位（盖章）：技术科" and ws["D3"].value == "2019年3月5日"
    assert [c.value for c in ws[4]] == list(form.columns)
    assert [c.value for c in ws[5]] == [1, "王䶮", "中层干部", "分管行政审批、质量监管", "是"]
    assert [ws.cell(row=r, column=2).value for r in range(5, 9)] == ["王䶮", "曾强", "李𡈽", "张三"]
    assert ws["A10"].value == form.instructions
    assert ws.row_dimensions[10].height >= 45  # three lines of 填报说明 are visible in full
    assert "A10:E10" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.oddFooter.left.text == f"技术科 · 第1版（草稿） · 校验码 {short_hash(content_hash(data))}"
    assert ws.oddFooter.right.text == "第 &P 页，共 &N 页" and not ws.oddFooter.center.text
    assert ws["A11"].value == f"{stamp_text(data)}　{KEY_LABEL}{FINGERPRINT}"  # the full stamp under the note
    assert wb.properties.keywords == content_hash(data) and wb.properties.creator == "技术科"


def test_excel_print_setup(tmp_path):
    _path, wb = xlsx_of(tmp_path, filing(40))
    ws = wb.active
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$4:$4"
    assert ws.oddHeader.center.text == "草稿（未定稿）"
    _path, wb = xlsx_of(tmp_path, filing(40, finalised=True))
    assert not wb.active.oddHeader.center.text


def test_excel_text_never_becomes_a_formula(tmp_path):
    path, wb = xlsx_of(tmp_path, filing(pledges=HOSTILE))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)
    names = [ws.cell(row=r, column=2).value for r in range(5, 8)]
    assert '=HYPERLINK("http://x","点我")' in names
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    hostile = next(c for c in cells if str(c.value).startswith("="))
    assert hostile.quotePrefix


def test_excel_empty_table_when_nobody_signed(tmp_path):
    _path, wb = xlsx_of(tmp_path, filing(pledges=(entry("赵六", status=BEFORE),), filled_on=None))
    ws = wb.active
    assert all(ws.cell(row=r, column=2).value in (None, "") for r in range(5, 5 + BLANK_ROWS))
    assert ws["D3"].value.replace("\u3000", "") == "年月日"


def test_excel_dates_and_rows_for_a_thousand(tmp_path):
    data = dataclasses.replace(filing(1000), filled_on=dt.date(2019, 3, 14))
    _path, wb = xlsx_of(tmp_path, data)
    ws = wb.active
    assert ws["D3"].value == "2019年3月14日"
    assert ws.cell(row=4 + 1000, column=1).value == 1000
