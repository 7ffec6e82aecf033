"""Reading a unit's 附件2 Excel: the app's own layout and hand-made sheets with the seed's columns."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from qingqing_desktop.documents.filing_data import FilingDocumentData, PledgeEntry
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.office import SummaryRow
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.domain.policy import SummaryTable
from qingqing_desktop.domain.staff import RankCategory, new_id
from qingqing_desktop.exchange.summary_excel_import import read_summary_excel
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template


def test_the_apps_own_layout(tmp_path):
    template = get_template(DEFAULT_TEMPLATE_ID)
    entries = (
        PledgeEntry(new_id(), "单建国", RankCategory.MIDDLE_CADRE, "主持全面工作", True, PledgeStatus.SIGNED, True),
        PledgeEntry(new_id(), "李𡈽", RankCategory.STAFF, "=质量监管", False, PledgeStatus.SIGNED, True),
        PledgeEntry(new_id(), "孙佳怡", RankCategory.STAFF, "财务", False, PledgeStatus.UNSIGNED, False),
    )
    data = FilingDocumentData(template=template, unit_id=new_id(), campaign_id=new_id(), unit_name="质监站", leader="林", campaign_title=template.name,
                              document_number=template.document_number, deadline=dt.date(2019, 3, 14), revision=2,
                              finalised=True, pledges=entries, filled_on=dt.date(2019, 3, 12))
    write_summary_xlsx(tmp_path / "附件2.xlsx", data)
    sheet = read_summary_excel(tmp_path / "附件2.xlsx")
    assert sheet.unit_name == "质监站" and sheet.header_row == 4
    assert sheet.rows == (SummaryRow("单建国", "中层干部", "主持全面工作", True),
                          SummaryRow("李𡈽", "一般工作人员", "=质量监管", False))


@pytest.mark.parametrize(
    ("unit_cells", "expected"),
    [
        (["单位（盖章）：技术科　　　2019年3月12日"], "技术科"),
        (["单位(盖章):", "房地产科", None, "2019年3月12日"], "房地产科"),
        (["填报单位：第三分局"], "第三分局"),
        (["制表：王五"], ""),
    ],
)
def test_hand_made_sheets(tmp_path, unit_cells, expected):
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.append(["反对“挈篮子”承诺书签订情况汇总表"])
    ws.append(unit_cells)
    ws.append(["序号", "姓 名", "职务", "工作岗位", "是否党员"])
    ws.append([1, " 王  建 ", "科长", "分管村镇建设", "中共党员"])
    ws.append([2, "刘芳", "一般工作人员", "质量监管", "群众"])
    ws.append([3])
    ws.append(["合计", "2人"])
    ws.append(["填报说明：……"])
    wb.save(tmp_path / "hand.xlsx")
    sheet = read_summary_excel(tmp_path / "hand.xlsx")
    assert sheet.unit_name == expected and sheet.sheet_name == "汇总表"
    assert sheet.rows == (SummaryRow("王建", "中层干部", "分管村镇建设", True),
                          SummaryRow("刘芳", "一般工作人员", "质量监管", False))


def test_doubtful_rows_refuse_the_file(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "职务", "工作岗位", "是否党员"])
    ws.append([1, "王建", "科长", "分管村镇建设", ""])
    wb.save(tmp_path / "blank.xlsx")
    with pytest.raises(InputRejected, match="blank.xlsx.*第2行.*“是否党员”栏为空"):
        read_summary_excel(tmp_path / "blank.xlsx")
    ws.delete_rows(2)
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputRejected, match="表中没有人员"):
        read_summary_excel(tmp_path / "empty.xlsx")
    (tmp_path / "fake.xlsx").write_text("序号,姓名")
    with pytest.raises(InputRejected, match="不是.xlsx格式"):
        read_summary_excel(tmp_path / "fake.xlsx")


def _roster(path, title_rows, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名单"
    for row in title_rows:
        ws.append(row)
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


STAFF = [(1, "张敏明", "科长", "分管行政审批", "否", "借调"), (2, "李洋兰", "一级科员", "房地产市场监管", "是", None)]


def test_a_staff_roster_of_the_same_shape_is_refused_naming_what_it_is(tmp_path):
    # The tester's file: 技术科's own roster, titled as such, with a 备注 column. It was read as 附件2, and
    # everyone on it counted as having signed.
    titled = _roster(tmp_path / "名单.xlsx", [["技术科人员名单"]],
                     ["序号", "姓名", "职务", "工作岗位/分管工作", "是否党员", "备注"], STAFF)
    with pytest.raises(InputRejected) as caught:
        read_summary_excel(titled)
    message = str(caught.value)
    assert message.startswith("文件“名单.xlsx”，工作表“人员名单”：")
    assert "表格上方的标题是“技术科人员名单”" in message
    assert "反对“挈篮子”承诺书签订情况汇总表" in message and "单位（盖章）" in message and "未导入任何数据" in message
    # no title at all, but a column the form does not have
    bare = _roster(tmp_path / "bare.xlsx", [], ["序号", "姓名", "职务", "工作岗位", "是否党员", "备注"], STAFF)
    with pytest.raises(InputRejected, match="表格上方没有汇总表的标题，表头还有“备注”栏"):
        read_summary_excel(bare)
    # a roster's 单位 line does not make it a 附件2 while its title says it is a roster
    with_unit = _roster(tmp_path / "unit.xlsx", [["技术科人员名单"], ["单位：技术科"]],
                        ["序号", "姓名", "职务", "工作岗位", "是否党员"], [r[:5] for r in STAFF])
    with pytest.raises(InputRejected, match="标题是“技术科人员名单”"):
        read_summary_excel(with_unit)


def test_a_summary_is_known_by_its_title_its_unit_line_or_its_columns_alone(tmp_path):
    columns = ["序号", "姓名", "职务", "工作岗位", "是否党员"]
    rows = [r[:5] for r in STAFF]
    # the form's title as a clerk retyped it, with a 备注 column of their own
    retyped = _roster(tmp_path / "a.xlsx", [["附件2："], ["承诺书签订情况汇总表"]], [*columns, "备注"], STAFF)
    assert [r.name for r in read_summary_excel(retyped).rows] == ["张敏明", "李洋兰"]
    # no title, but the form's 单位（盖章） line and its date
    sealed = _roster(tmp_path / "b.xlsx", [["单位（盖章）：技术科", None, None, "2019年3月12日"]], columns, rows)
    assert read_summary_excel(sealed).unit_name == "技术科"
    # the form's columns and nothing else
    assert len(read_summary_excel(_roster(tmp_path / "c.xlsx", [], columns, rows)).rows) == 2
    # an office's own template words the title its way: that title is the form's
    form = SummaryTable("附件2", "干部职工承诺情况统计", tuple(columns), "单位（盖章）：", "")
    own = _roster(tmp_path / "d.xlsx", [["干部职工承诺情况统计"]], [*columns, "备注"], STAFF)
    assert len(read_summary_excel(own, form=form).rows) == 2
    with pytest.raises(InputRejected, match="标题是“干部职工承诺情况统计”"):
        read_summary_excel(own)  # not by the seed's form
