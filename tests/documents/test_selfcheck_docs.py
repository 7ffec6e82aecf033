"""附件3 自查表: the PDF and the Excel file read back — texts, findings, 无, long text, print settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import openpyxl
import pdfplumber
import pypdf
from filing_samples import (
    table_area,
    all_text,
    assert_seed_lines_in,
    assert_fonts_embedded,
    assert_no_line_starts_with_closing_punctuation,
    compact,
    filing,
    large_chars,
    metadata,
    page_texts,
    seed_attachment,
    sections,
)

from qingqing_desktop.documents.filing_data import FindingEntry, SelfCheckSection
from qingqing_desktop.documents.selfcheck_pdf import CONTINUED_TEXT, write_selfcheck_pdf
from qingqing_desktop.documents.selfcheck_xlsx import DATE_FORMAT, write_selfcheck_xlsx

LONG_200 = (
    "在窗口受理环节，存在个别工作人员对企业咨询答复不够及时、一次性告知不到位的情况，导致部分企业多次往返补充材料；"
    "同时“最多跑一次”改革宣传不够深入，部分企业对网上办理流程不熟悉，仍习惯到窗口现场办理，影响了办事效率和企业获得感，"
    "需进一步加强对窗口人员的业务培训和作风建设，并健全首问负责、限时办结、一次性告知等制度，切实提升服务水平。"
)[:200]


def pdf_of(data) -> bytes:
    out = io.BytesIO()
    write_selfcheck_pdf(out, data)
    return out.getvalue()


def test_landscape_with_the_templates_texts_and_the_seeds():
    data = filing(3)
    form = data.template.self_check
    pdf = pdf_of(data)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape A4
    text = all_text(pdf)
    assert text.startswith("附件3：" + compact(form.title))
    assert "填报单位：技术科" in text and compact(form.leader_label) in text and "2019年3月5日" in text
    assert "林主任" not in text  # the leader signs by hand on the blank rule: nothing printed there
    assert "".join(form.columns) in text
    for item in form.rows:
        assert compact(item) in text
    assert compact(form.instructions) in text
    assert_seed_lines_in(text, seed_attachment(3))
    assert metadata(pdf)["/Title"] == "附件3 “三清单一承诺”自查表（技术科）"


def test_findings_numbered_aligned_and_none_row():
    pdf = pdf_of(filing(3, finalised=True))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        table = [[compact(c or "") for c in row] for row in table_area(doc.pages[0]).extract_tables()[0]]
    assert table[0] == ["项目内容", "存在问题", "整改措施", "责任人", "整改时限"]
    # finding n's problem, measure, owner and due date are in one row
    assert table[1][1:] == ["1．对企业咨询答复不够及时", "1．建立首问负责制，限时答复", "张伟", "2019年4月30日"]
    assert table[2][1:] == ["2．部分审批事项办理时限偏长", "2．压缩审批时限，推行并联审批", "李𡈽", "2019年5月31日"]
    assert table[1][0].startswith("落实政商交往") and table[2][0] == ""  # 项目内容 once for its findings
    assert table[3][1] == "无"
    # a single finding is not numbered; a finding starting with "=" prints as written
    assert table[4][1:] == ['=HYPERLINK("http://x","点我")', "+完善对外交往报备制度", "王䶮", "2019年6月30日"]


def test_long_findings_wrap_inside_cells_without_loss():
    data = filing(3, self_check=sections(long=LONG_200))
    pdf = pdf_of(data)
    text = all_text(pdf)
    assert compact("1．" + LONG_200) in text
    assert_fonts_embedded(pdf)
    assert_no_line_starts_with_closing_punctuation(pdf)
    first_page = compact(page_texts(pdf)[0])
    assert compact("1．" + LONG_200) in first_page  # whole, on the first page, with its measure and owner
    assert "张伟2019年4月30日" in first_page


def test_many_long_findings_continue_on_the_next_page_with_header_and_continued_label():
    rows = filing(3).template.self_check.rows
    findings = tuple(
        FindingEntry(f"{LONG_200[:150]}（第{n}条）", LONG_200[:180], "张伟", dt.date(2019, 4, n)) for n in range(1, 7)
    )
    huge = FindingEntry(LONG_200 * 2 + "完。", LONG_200 * 2 + "毕。", "欧阳小明", dt.date(2019, 12, 31))
    data = filing(3, finalised=True, self_check=(
        SelfCheckSection(rows[0], False, findings),
        SelfCheckSection(rows[1], False, (huge,)),
        SelfCheckSection(rows[2], True, ()),
    ))
    pdf = pdf_of(data)
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for text in pages:
        assert "项目内容存在问题整改措施责任人整改时限" in compact(text)  # header repeated
    assert CONTINUED_TEXT in "".join(pages)
    text = all_text(pdf)
    for n in range(1, 7):
        assert compact(f"{n}．{LONG_200[:150]}（第{n}条）") in text  # never split across pages
    # a finding taller than a page is cut between lines, nothing lost
    assert compact(LONG_200 * 2 + "完。") in compact("".join(pages)).replace(CONTINUED_TEXT, "")
    assert_no_line_starts_with_closing_punctuation(pdf)


def test_unfinished_row_prints_empty_and_draft_has_watermark():
    rows = filing().template.self_check.rows
    data = filing(3, self_check=(SelfCheckSection(rows[0]), SelfCheckSection(rows[1]), SelfCheckSection(rows[2])))
    pdf = pdf_of(data)
    assert large_chars(pdf) == ["草稿"]
    assert not any(large_chars(pdf_of(dataclasses.replace(data, finalised=True))))


# --------------------------------------------------------------------------- Excel


def xlsx_of(tmp_path, data):
    path = tmp_path / "附件3.xlsx"
    write_selfcheck_xlsx(path, data)
    return path, openpyxl.load_workbook(path)


def test_excel_layout_and_cells(tmp_path):
    data = filing(3)
    form = data.template.self_check
    _path, wb = xlsx_of(tmp_path, data)
    ws = wb.active
    assert ws["A1"].value == "附件3：" and ws["A2"].value == form.title
    assert ws["A3"].value == "填报单位：技术科" and ws["C3"].value == "单位负责人签名："
    assert ws["E3"].value == "2019年3月5日"
    assert [c.value for c in ws[4]] == list(form.columns)
    assert ws["A5"].value == form.rows[0]
    assert [ws["B5"].value, ws["C5"].value, ws["D5"].value] == ["1．对企业咨询答复不够及时", "1．建立首问负责制，限时答复", "张伟"]
    assert ws["E5"].value.date() == dt.date(2019, 4, 30) and ws["E5"].number_format == DATE_FORMAT
    assert ws["B6"].value == "2．部分审批事项办理时限偏长"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A5:A6" in merged and "B7:E7" in merged
    assert ws["A7"].value == form.rows[1] and ws["B7"].value == "无"
    assert ws["A8"].value == form.rows[2] and ws["D8"].value == "王䶮"
    assert ws["A10"].value == form.instructions
    assert ws["A11"].value.startswith("技术科 · ") and "校验码" in ws["A11"].value
    assert sum(ws.row_dimensions[r].height for r in (5, 6)) >= 36  # the merged 项目内容 shows in full


def test_excel_print_setup_and_no_formulas(tmp_path):
    path, wb = xlsx_of(tmp_path, filing(3, self_check=sections(long=LONG_200)))
    ws = wb.active
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.fitToWidth) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$4:$4"
    assert ws["B8"].value == '=HYPERLINK("http://x","点我")' and ws["B8"].data_type == "s" and ws["B8"].quotePrefix
    assert ws["C8"].quotePrefix  # "+完善…"
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert ws.row_dimensions[5].height >= 5 * 15  # 200 characters in a 44-wide column: 10 lines
    assert ws["B5"].value == "1．" + LONG_200
