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
