"""The exported roster and the import template, read back as a user would get them."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from qingqing_desktop.documents.roster_workbook import (
    TEMPLATE_HEADERS,
    write_import_template,
    write_roster_workbook,
)
from qingqing_desktop.documents.xlsx_cells import set_text
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.exchange.roster_excel import read_roster

CADRE, STAFF = RankCategory.MIDDLE_CADRE, RankCategory.STAFF
KEY_POSTS = ["行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管"]


def members():
    return [
        StaffMember("张三", CADRE, "分管行政审批、质量监管", True, title="科长", note="=1+1"),
        StaffMember("王𡈽䶮", STAFF, "质量监管", False, title="一级主任科员", note="@SUM(A1)"),
        StaffMember("=HYPERLINK(\"http://x\",\"点我\")", STAFF, "+安全监管", True, note="-1"),
        StaffMember("李四", STAFF, "规划核实", False, status=StaffStatus.TRANSFERRED, note="\t制表符开头"),
    ]


def all_cells(ws):
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


def sheet_xml(path, index=1):
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def test_export_reopens_with_expected_cells_and_print_settings(tmp_path):
    path = tmp_path / "out" / "技术科人员名单.xlsx"
    write_roster_workbook(path, "技术科", members(), export_date=dt.date(2019, 3, 5))
    ws = openpyxl.load_workbook(path).active

    assert ws["A1"].value == "技术科 人员名单"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("导出日期：2019年3月5日")
    assert [c.value for c in ws[3]] == ["序号", "姓名", "职务类别", "职务", "工作岗位/分管工作", "是否党员", "状态", "备注"]
    assert [c.value for c in ws[4]] == [1, "张三", "中层干部", "科长", "分管行政审批、质量监管", "是", "在岗", "=1+1"]
    assert ws["B5"].value == "王𡈽䶮"
    assert [ws["G7"].value, ws["H7"].value] == ["调离", "\t制表符开头"]
    assert ws["B4"].font.name == "宋体"
    assert ws["B3"].font.bold and ws["B4"].border.left.style == "thin"

    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$3:$3"
    assert ws.print_options.horizontalCentered is True
    widths = {col: ws.column_dimensions[col].width for col in "ABEG"}
    assert widths["E"] > widths["G"] and widths["A"] < widths["E"]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_export_has_no_formula_cells_even_for_hostile_text(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_roster_workbook(path, "=cmd|' /C calc'!A0", members())
    ws = openpyxl.load_workbook(path).active
    cells = all_cells(ws)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    for text in ("=1+1", "@SUM(A1)", "-1", "+安全监管", '=HYPERLINK("http://x","点我")', "\t制表符开头", "=cmd|' /C calc'!A0 人员名单"):
        assert by_value[text].data_type == "s"
        assert by_value[text].quotePrefix is True, text
    assert by_value["张三"].quotePrefix is False
    assert "<f>" not in sheet_xml(path) and "<f " not in sheet_xml(path)


def test_set_text_drops_control_characters_and_keeps_text():
    ws = openpyxl.Workbook().active
    set_text(ws["A1"], "张\x0b三")
    set_text(ws["A2"], None)
    set_text(ws["A3"], "=1+1")
    assert ws["A1"].value == "张三" and ws["A2"].value == ""
    assert ws["A3"].data_type == "s" and ws["A3"].quotePrefix


def test_export_reads_back_as_the_same_roster(tmp_path):
    people = [m for m in members() if not m.name.startswith("=")]
    path = tmp_path / "名单.xlsx"
    write_roster_workbook(path, "技术科", people)
    sheet = read_roster(path)
    assert sheet.header_row == 3
    got = [(r.name, r.rank, r.title, r.post, r.party_member, r.status, r.note, r.problems) for r in sheet.rows]
    # cells are read trimmed, so the note's leading tab does not come back
    assert got == [(m.name, m.rank, m.title, m.post, m.party_member, m.status, m.note.strip(), ()) for m in people]


def test_export_replaces_an_existing_file(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"old")
    write_roster_workbook(path, "技术科", members()[:1])
    assert openpyxl.load_workbook(path).active["B4"].value == "张三"


def test_import_template_layout_and_dropdowns(tmp_path):
    path = tmp_path / "导入模板.xlsx"
    write_import_template(path, KEY_POSTS)
    wb = openpyxl.load_workbook(path)
    ws = wb["人员名单"]
    assert [c.value for c in ws[3]] == list(TEMPLATE_HEADERS)
    assert all(c.value for c in ws[2][: len(TEMPLATE_HEADERS)])  # an instruction for every column
    assert ws["A4"].value == "示例：张三" and ws["A5"].value == "示例：李四"
    assert ws.print_title_rows == "$3:$3" and int(ws.page_setup.paperSize) == 9

    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    column = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(TEMPLATE_HEADERS, start=1)}
    assert validations[f"{column['职务类别']}4"].formula1 == '"中层干部,一般工作人员"'
    assert validations[f"{column['是否党员']}4"].formula1 == '"是,否"'
    assert validations[f"{column['状态']}4"].formula1 == '"在岗,调离,退休,借调,其他"'
    posts = validations[f"{column['工作岗位']}4"]
    assert posts.type == "list" and not posts.showErrorMessage
    assert posts.formula1 == "'选项'!$A$1:$A$8"
    assert wb["选项"].sheet_state == "hidden"
    assert [c.value for c in wb["选项"]["A"]] == KEY_POSTS


def test_template_alone_imports_nothing(tmp_path):
    path = tmp_path / "导入模板.xlsx"
    write_import_template(path, KEY_POSTS)
    sheet = read_roster(path)
    assert sheet.rows == () and sheet.skipped == ((4, "示例行"), (5, "示例行"))


@pytest.mark.parametrize("key_posts", [KEY_POSTS, []])
def test_filled_in_template_imports_without_problems(tmp_path, key_posts):
    path = tmp_path / "导入模板.xlsx"
    write_import_template(path, key_posts)
    wb = openpyxl.load_workbook(path)
    ws = wb["人员名单"]
    filled = [
        ("林素仙", "办公室主任", "", "分管综合", "是", "", ""),
        ("王𡈽", "科员", "一般工作人员", "质量监管", "否", "在岗", "新进"),
        ("陈  䶮", "工程师", "一般工作人员", "方案设计技术审查", "中共党员", "借调", ""),
        ("欧阳小明", "副科长", "中层干部", "分管安全监管", "否", "调离", "2019年调往城管局"),
    ]
    for offset, values in enumerate(filled):
        for column, value in enumerate(values, start=1):
            ws.cell(row=6 + offset, column=column, value=value or None)
    wb.save(path)

    sheet = read_roster(path)
    assert sheet.header_row == 3
    assert [r.problems for r in sheet.rows] == [()] * 4
    assert [(r.sheet_row, r.name, r.rank, r.title, r.party_member, r.status) for r in sheet.rows] == [
        (6, "林素仙", CADRE, "办公室主任", True, StaffStatus.ACTIVE),
        (7, "王𡈽", STAFF, "科员", False, StaffStatus.ACTIVE),
        (8, "陈䶮", STAFF, "工程师", True, StaffStatus.SECONDED),
        (9, "欧阳小明", CADRE, "副科长", False, StaffStatus.TRANSFERRED),
    ]
    assert sheet.skipped == ((4, "示例行"), (5, "示例行"))
