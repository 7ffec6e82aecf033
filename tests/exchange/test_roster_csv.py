"""Reading a roster saved as CSV: the same header search, aliases and row checks as a workbook."""

from __future__ import annotations

import codecs

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffStatus
from qingqing_desktop.exchange.roster_excel import read_roster

CADRE, STAFF = RankCategory.MIDDLE_CADRE, RankCategory.STAFF

# As clerks' CSV copies look: a title line, aliases (姓 名, 政治面貌, 分管工作), a footnote under the table.
ROSTER_TEXT = (
    "技术科人员名单,,,,\n"
    "序号,姓 名,职务,分管工作,政治面貌\n"
    "1,林素华,副科长,分管质量监管,中共党员\n"
    "2,张伟,科员,竣工验收,群众\n"
    "3,𡈽喆,科员,\"文书收发,档案\",共青团员\n"
    "填报说明：职务一栏填写中层干部或一般工作人员,,,,\n"
)


def read(tmp_path, data: bytes, name="名单.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_roster(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_a_csv_roster_is_read_like_a_workbook_in_every_usual_encoding(tmp_path, encoding):
    text = ROSTER_TEXT if encoding not in ("gbk",) else ROSTER_TEXT.replace("𡈽喆", "王喆")  # GBK lacks 𡈽
    sheet = read(tmp_path, text.encode(encoding))
    assert sheet.sheet_name == "名单"  # the file's name stands for the sheet's
    assert sheet.header_row == 2
    assert sheet.columns == {"seq": "序号", "name": "姓 名", "title": "职务", "post": "分管工作", "party": "政治面貌"}
    people = [(r.sheet_row, r.name, r.rank, r.post, r.party_member) for r in sheet.rows]
    third = "王喆" if encoding == "gbk" else "𡈽喆"
    assert people == [
        (3, "林素华", CADRE, "分管质量监管", True),
        (4, "张伟", STAFF, "竣工验收", False),
        (5, third, STAFF, "文书收发,档案", False),  # a quoted comma stays in the cell
    ]
    assert sheet.skipped == ((6, "说明行"),)


def test_tab_and_semicolon_separated_text_is_recognised(tmp_path):
    for separator in ("\t", ";"):
        text = ROSTER_TEXT.replace('"文书收发,档案"', "档案").replace(",", separator)
        sheet = read(tmp_path, text.encode("utf-8"))
        assert [r.name for r in sheet.rows] == ["林素华", "张伟", "𡈽喆"]


def test_status_and_rank_columns_and_problems_name_their_column(tmp_path):
    text = "姓名,职务类别,状态\n赵敏,中层干部,调离\n钱1,一般工作人员,在岗\n孙丽,工程师,\n"
    sheet = read(tmp_path, text.encode("utf-8"))
    zhao, qian, sun = sheet.rows
    assert (zhao.rank, zhao.status) == (CADRE, StaffStatus.TRANSFERRED)
    assert qian.problems == ("“姓名”栏“钱1”含有数字",)
    assert sun.unresolved == "工程师"


def test_a_cell_that_starts_like_a_formula_stays_text(tmp_path):
    sheet = read(tmp_path, "姓名,职务,工作岗位\n张三,科员,=HYPERLINK(\"x\")\n".encode("utf-8"))
    assert sheet.rows[0].post == '=HYPERLINK("x")'


def test_unreadable_files_are_refused_with_the_file_named(tmp_path):
    with pytest.raises(InputRejected) as refused:
        read(tmp_path, b"", name="空.csv")
    assert "空.csv" in str(refused.value) and "空的" in str(refused.value)
    with pytest.raises(InputRejected) as refused:
        read(tmp_path, b"PK\x03\x04\x00\x00binary\x00\xff\xfe\x00", name="其实是工作簿.csv")
    assert "编码" in str(refused.value)
    with pytest.raises(InputRejected) as refused:
        read(tmp_path, "甲,乙,丙\n1,2,3\n".encode("utf-8"), name="无表头.csv")
    assert "没有找到名单的表头" in str(refused.value) and "无表头.csv" in str(refused.value)
    # A quote never closed runs to the end of the file: said in Chinese, not in the csv module's English
    with pytest.raises(InputRejected) as refused:
        read(tmp_path, ("姓名,职务\n\"张三,科员\n" + "李四,科员\n" * 30000).encode("utf-8"), name="引号.csv")
    assert "引号.csv" in str(refused.value) and "引号（\"）没有配对" in str(refused.value)
    assert "field" not in str(refused.value)


def test_utf8_is_tried_before_gb18030(tmp_path):
    # The same bytes decode (wrongly) as GB18030 too; UTF-8 must win.
    data = codecs.BOM_UTF8 + "姓名,职务\n欧阳娜娜,科员\n".encode("utf-8")
    assert read(tmp_path, data).rows[0].name == "欧阳娜娜"
    assert read(tmp_path, data[3:]).rows[0].name == "欧阳娜娜"
