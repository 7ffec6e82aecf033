"""Reading rosters from the sheets units already keep (every file is built here with openpyxl)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffStatus
from qingqing_desktop.exchange.roster_excel import cell_text, read_roster, with_answers

CADRE, STAFF = RankCategory.MIDDLE_CADRE, RankCategory.STAFF


def save(tmp_path, rows, *, name="名单.xlsx", merges=(), title="Sheet1", extra_sheets=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for sheet_title, sheet_rows in extra_sheets:
        other = wb.create_sheet(sheet_title, 0)
        for row in sheet_rows:
            other.append(list(row))
    path = tmp_path / name
    wb.save(path)
    return path


def summary_table_rows(people):
    """附件2 as a clerk keeps it: merged title, 单位（盖章） line, header on row 3, pre-numbered rows."""
    rows = [
        ["反对“挈篮子”承诺书签订情况汇总表", None, None, None, None],
        ["单位（盖章）：技术科                     2019年3月10日", None, None, None, None],
        ["序号", "姓名", "职务", "工作岗位", "是否党员"],
    ]
    for i in range(8):
        rows.append([i + 1, *people[i]] if i < len(people) else [i + 1, None, None, None, None])
    rows.append(["填报说明：1、职务一栏请填写中层干部或一般工作人员；2、工作岗位一栏……", None, None, None, None])
    rows.append([None, "王五", "科员", "安全监管", "是"])  # under the footnote: never read
    return rows


def test_summary_table_with_merged_title_and_footnote(tmp_path):
    people = [
        ("张三", "中层干部", "分管行政审批", "是"),
        ("李四", "一般工作人员", "行政审批", "否"),
        ("赵六", "一般工作人员", "质量监管", "是"),
    ]
    path = save(tmp_path, summary_table_rows(people), merges=["A1:E1", "A2:E2", "A12:E12"])
    sheet = read_roster(path)
    assert (sheet.file_name, sheet.sheet_name, sheet.header_row) == ("名单.xlsx", "Sheet1", 3)
    assert sheet.columns == {"seq": "序号", "name": "姓名", "title": "职务", "post": "工作岗位", "party": "是否党员"}
    assert [(r.sheet_row, r.name, r.rank, r.title, r.post, r.party_member) for r in sheet.rows] == [
        (4, "张三", CADRE, "", "分管行政审批", True),
        (5, "李四", STAFF, "", "行政审批", False),
        (6, "赵六", STAFF, "", "质量监管", True),
    ]
    assert all(r.problems == () and r.status is StaffStatus.ACTIVE for r in sheet.rows)
    # rows holding only a pre-printed 序号 are blank; reading stops at the footnote
    assert sheet.skipped == ((7, "空行"), (8, "空行"), (9, "空行"), (10, "空行"), (11, "空行"), (12, "说明行"))


def test_columns_in_any_order_with_alias_names(tmp_path):
    rows = [
        ["出生年月", "政治面貌", "分管工作", "姓 名", "职级", "备注", "序号"],
        [dt.datetime(1980, 5, 1), "中共党员", "全面工作", "张三", "科长", "", 1.0],
        ["1990.01", "群众", "行政审批", "李四", "一级主任科员", 13800000000.0, 2.0],
        [None, "共青团员", "规划核实", "王五", "科员", dt.datetime(2019, 3, 5), 3.0],
        [None, "民盟盟员", "竣工验收", "赵六", "科员", None, 4.0],
        [None, "中共预备党员", "安全监管", "钱七", "科员", None, 5.0],
    ]
    sheet = read_roster(save(tmp_path, rows))
    assert sheet.header_row == 1
    assert sheet.columns == {"party": "政治面貌", "post": "分管工作", "name": "姓 名", "title": "职级", "note": "备注", "seq": "序号"}
    got = [(r.name, r.title, r.rank, r.post, r.party_member, r.note) for r in sheet.rows]
    assert got == [
        ("张三", "科长", CADRE, "全面工作", True, ""),
        ("李四", "一级主任科员", STAFF, "行政审批", False, "13800000000"),
        ("王五", "科员", STAFF, "规划核实", False, "2019年3月5日"),
        ("赵六", "科员", STAFF, "竣工验收", False, ""),
        ("钱七", "科员", STAFF, "安全监管", True, ""),
    ]
    assert all(not r.problems for r in sheet.rows)


def test_rank_column_wins_and_real_title_is_kept(tmp_path):
    rows = [
        ["姓名", "职务", "职务类别", "是否党员", "状态"],
        ["张三", "工程师", "中层干部", "是", "在岗"],
        ["李四", "科员", "", "否", "调离"],
        ["王五", "", "一般工作人员", "否", ""],
    ]
    sheet = read_roster(save(tmp_path, rows))
    assert [(r.name, r.title, r.rank, r.status) for r in sheet.rows] == [
        ("张三", "工程师", CADRE, StaffStatus.ACTIVE),
        ("李四", "科员", STAFF, StaffStatus.TRANSFERRED),
        ("王五", "", STAFF, StaffStatus.ACTIVE),
    ]
    assert all(not r.problems for r in sheet.rows)


def test_blank_total_and_footnote_rows(tmp_path):
    rows = [
        ["序号", "姓名", "职务", "是否党员"],
        [1, "张三", "科长", "是"],
        [None, None, None, None],
        [2, "李四", "科员", "否"],
        [None, "小  计", None, None],
        [3, "王五", "科员", "否"],
        ["合计", "3人", None, None],
        [None, None, None, None],
        ["注：本表由各科室填写", None, None, None],
        [4, "赵六", "科员", "否"],
    ]
    sheet = read_roster(save(tmp_path, rows))
    assert [r.name for r in sheet.rows] == ["张三", "李四", "王五"]
    assert sheet.skipped == ((3, "空行"), (5, "合计行"), (7, "合计行"), (8, "空行"), (9, "说明行"))


@pytest.mark.parametrize("footnote", ["填表说明：……", "说明：……", "备注：……", "制表人：林素仙", "审核人：", "联系人：王五 电话653260"])
def test_footnote_words_stop_reading(tmp_path, footnote):
    rows = [["姓名", "职务", "是否党员"], ["张三", "科长", "是"], [footnote, None, None], ["李四", "科员", "否"]]
    sheet = read_roster(save(tmp_path, rows))
    assert [r.name for r in sheet.rows] == ["张三"]
    assert sheet.skipped == ((3, "说明行"),)


def test_rare_characters_survive_byte_for_byte_and_padding_goes(tmp_path):
    rows = [
        ["姓名", "职务", "是否党员"],
        ["䶮", "科员", "否"],
        ["𡈽", "科员", "否"],
        ["王𡈽䶮", "科员", "否"],
        ["张  三", "科 长", "是"],
        ["\u3000李四 ", "科员", " 否 "],
        ["欧阳\u3000小明", "科员", "否"],
    ]
    sheet = read_roster(save(tmp_path, rows))
    names = [r.name for r in sheet.rows]
    assert names == ["䶮", "𡈽", "王𡈽䶮", "张三", "李四", "欧阳小明"]
    assert [n.encode("utf-8") for n in names[:3]] == [b"\xe4\xb6\xae", b"\xf0\xa1\x88\xbd", "王".encode() + b"\xf0\xa1\x88\xbd\xe4\xb6\xae"]
    assert sheet.rows[3].rank is CADRE and sheet.rows[3].title == "科 长"
    assert all(not r.problems for r in sheet.rows)


def test_unknown_title_is_a_problem_until_answered(tmp_path):
    rows = [["姓名", "职务", "是否党员"], ["张三", "工程师", "是"], ["李四", "负责人", "否"]]
    path = save(tmp_path, rows)
    sheet = read_roster(path)
    assert [r.rank for r in sheet.rows] == [None, None]
    assert sheet.rows[0].problems == ("“职务”栏“工程师”无法判断是中层干部还是一般工作人员",)
    assert sheet.rows[0].title == "工程师"

    answered = read_roster(path, title_ranks={"工程师": STAFF, "负责人": CADRE})
    assert [(r.rank, r.problems) for r in answered.rows] == [(STAFF, ()), (CADRE, ())]


def test_answers_applied_to_the_rows_read_give_what_reading_again_with_them_gives(tmp_path):
    rows = [
        ["姓名", "职务", "职务类别", "是否党员"],
        ["张三", "工程师", "", "是"],  # asked about 工程师
        ["李四", "科长", "骨干", "否"],  # 骨干 unknown, 科长 decides for now; answered, the 职务类别 decides
        ["王五", "", "骨干", "是"],  # asked about 骨干
        ["赵六", "中层干部", "", ""],  # the category itself as the 职务; 是否党员 empty stays a problem
        ["钱七", "讲解员", "", "是"],  # not answered: still asked
    ]
    path = save(tmp_path, rows)
    first = read_roster(path)
    assert [r.unresolved for r in first.rows] == ["工程师", "", "骨干", "", "讲解员"]
    answers = {"工程师": STAFF, "骨干": STAFF}
    again = with_answers(first, answers)
    assert again == read_roster(path, title_ranks=answers)
    assert [r.rank for r in again.rows] == [STAFF, STAFF, STAFF, CADRE, None]
    assert [r.unresolved for r in again.rows] == ["", "", "", "", "讲解员"]
    assert again.rows[3].problems and again.rows[4].problems == (again.rows[4].unresolved_problem, )


def test_row_problems_name_their_column(tmp_path):
    rows = [
        ["姓名", "职务", "政治面貌", "状态", "备注"],
        ["张三1", "科员", "群众", "在岗", ""],
        ["", "科员", "群众", "", "只有职务没有姓名"],
        ["名" * 31, "科员", "群众", "", ""],
        ["李四", "科员", "", "", ""],
        ["王五", "科员", "入党积极分子", "", ""],
        ["赵六", "科员", "群众", "休假", ""],
        ["钱七", "", "群众", "", ""],
    ]
    sheet = read_roster(save(tmp_path, rows))
    problems = {r.sheet_row: r.problems for r in sheet.rows}
    assert problems == {
        2: ("“姓名”栏“张三1”含有数字",),
        3: ("“姓名”栏为空",),
        4: ("“姓名”栏超过30个字",),
        5: ("“政治面貌”栏为空",),
        6: ("“政治面貌”栏“入党积极分子”无法判断是否为党员，请填写“是”或“否”",),
        7: ("“状态”栏“休假”无法识别，可填写：在岗、调离、退休、借调、其他",),
        8: ("“职务”栏为空，无法判断是中层干部还是一般工作人员",),
    }
    assert sheet.rows[5].status is StaffStatus.ACTIVE


def test_excel_error_values_are_problems_said_once_not_people_or_posts(tmp_path):
    # A lookup that found nothing (#N/A), a deleted reference (#REF!): before, “#N/A” was imported as a name
    rows = [
        ["序号", "姓名", "职务", "工作岗位", "是否党员"],
        ["#REF!", "张三", "科员", "质量监管", "否"],  # a broken 序号 formula does not matter
        [2, "#N/A", "科员", "质量监管", "否"],
        [3, "李四", "#N/A", "质量监管", "否"],
        [4, "王五", "科员", "#VALUE!", "#N/A"],
    ]
    sheet = read_roster(save(tmp_path, rows))
    problems = {r.sheet_row: r.problems for r in sheet.rows}
    said = "是Excel的错误值“{}”（公式没有算出结果），请在Excel中改正后再导入"
    assert problems == {
        2: (),
        3: ("“姓名”栏" + said.format("#N/A"),),
        4: ("“职务”栏" + said.format("#N/A"),),
        5: ("“工作岗位”栏" + said.format("#VALUE!"), "“是否党员”栏" + said.format("#N/A")),
    }
    assert (sheet.rows[1].name, sheet.rows[3].post) == ("", "")


def test_unknown_rank_word_names_the_rank_column(tmp_path):
    rows = [["姓名", "人员类别", "是否党员"], ["张三", "公务员", "是"]]
    sheet = read_roster(save(tmp_path, rows))
    assert sheet.rows[0].problems == ("“人员类别”栏“公务员”无法识别，应填写中层干部或一般工作人员",)


def test_best_sheet_is_found_and_sheet_can_be_forced(tmp_path):
    rows = [["姓名", "职务", "是否党员"], ["张三", "科长", "是"]]
    path = save(tmp_path, rows, title="名单", extra_sheets=[("说明", [["请在“名单”表中填写"], ["姓名", "年龄"]])])
    assert openpyxl.load_workbook(path).sheetnames == ["说明", "名单"]
    sheet = read_roster(path)
    assert sheet.sheet_name == "名单" and [r.name for r in sheet.rows] == ["张三"]

    with pytest.raises(InputRejected) as info:
        read_roster(path, sheet="说明")
    message = str(info.value)
    assert "名单.xlsx" in message and "工作表“说明”" in message and "“姓名”、“年龄”" in message

    with pytest.raises(InputRejected) as info:
        read_roster(path, sheet="Sheet9")
    assert "没有名为“Sheet9”的工作表" in str(info.value) and "“说明”、“名单”" in str(info.value)


def test_sheet_without_a_rank_column_is_refused(tmp_path):
    path = save(tmp_path, [["单位：技术科"], ["序号", "姓名", "工作岗位"], [1, "张三", "行政审批"]], name="技术科.xlsx")
    with pytest.raises(InputRejected) as info:
        read_roster(path)
    message = str(info.value)
    assert message.startswith("文件“技术科.xlsx”，工作表“Sheet1”：")
    assert "“姓名”栏" in message and "“职务”或“职务类别”栏" in message
    assert "“序号”、“姓名”、“工作岗位”" in message


def test_vertically_merged_cells_apply_to_every_row(tmp_path):
    rows = [
        ["序号", "姓名", "职务", "工作岗位", "是否党员"],
        [1, "张三", "一般工作人员", "行政审批", "是"],
        [2, "李四", None, None, "否"],
        [3, "王五", None, "质量监管", "否"],
    ]
    sheet = read_roster(save(tmp_path, rows, merges=["C2:C4", "D2:D3"]))
    assert [(r.name, r.rank, r.post) for r in sheet.rows] == [
        ("张三", STAFF, "行政审批"), ("李四", STAFF, "行政审批"), ("王五", STAFF, "质量监管"),
    ]
    assert all(not r.problems for r in sheet.rows)


def test_header_repeated_for_printing_is_skipped(tmp_path):
    rows = [
        ["姓名", "职务", "是否党员"], ["张三", "科长", "是"],
        ["姓 名", "职务", "是否党员"], ["李四", "科员", "否"],
    ]
    sheet = read_roster(save(tmp_path, rows))
    assert [r.name for r in sheet.rows] == ["张三", "李四"]
    assert sheet.skipped == ((3, "重复的表头行"),)


def test_header_row_with_star_and_hint(tmp_path):
    rows = [["人员名单"], [], ["*姓名", "职务（职级）", "是否党员（是/否）", "工作岗位（分管工作）"], ["张三", "副站长", "是", "安全监管"]]
    sheet = read_roster(save(tmp_path, rows, merges=["A1:D1"]))
    assert sheet.header_row == 3
    assert sheet.rows[0].rank is CADRE and sheet.rows[0].post == "安全监管"


def test_cell_text():
    assert cell_text(1.0) == "1"
    assert cell_text(2.5) == "2.5"
    assert cell_text(13800000000) == "13800000000"
    assert cell_text(dt.datetime(2019, 3, 5)) == "2019年3月5日"
    assert cell_text(dt.date(2019, 3, 14)) == "2019年3月14日"
    assert cell_text(True) == "是"
    assert cell_text("\u3000 行政 审批\xa0") == "行政 审批"
    assert cell_text(None) == ""


def test_formulas_without_cached_values_read_as_their_text(tmp_path):
    # openpyxl (like other generators) writes formulas without a cached result; the
    # clerk's "=1+1" note must not vanish, and pre-numbered =ROW() rows stay blank.
    rows = [["序号", "姓名", "职务", "是否党员", "备注"], ["=ROW()-1", "张三", "科长", "是", "=1+1"], ["=ROW()-1", None, None, None, None]]
    sheet = read_roster(save(tmp_path, rows))
    assert [(r.name, r.note) for r in sheet.rows] == [("张三", "=1+1")]
    assert sheet.skipped == ()


def test_the_edge_characters_are_those_the_trimming_pattern_trims():
    """cell_text tests a cell's ends against a set, not the regex: the two must agree on every character."""
    from qingqing_desktop.exchange.roster_excel import _EDGE_CHARACTERS, _EDGE_SPACE

    disagree = [hex(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF
                and bool(_EDGE_SPACE.match(chr(code))) != (chr(code) in _EDGE_CHARACTERS)]
    assert disagree == []
    assert cell_text("\u2003 张三\u200b") == "张三" and cell_text("张\u3000三") == "张 三"
