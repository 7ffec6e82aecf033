from __future__ import annotations

import pytest

from qingqing_desktop.domain.roster_rules import (
    HEADER_ALIASES,
    classify_title,
    header_key,
    is_category_word,
    match_header,
    parse_party_member,
    parse_status_text,
    resolve_rank,
)
from qingqing_desktop.domain.staff import RankCategory, StaffStatus

CADRE, STAFF = RankCategory.MIDDLE_CADRE, RankCategory.STAFF


@pytest.mark.parametrize(
    "title",
    [
        "科长", "副科长", "站长", "副站长", "所长", "副所长", "分局长", "副分局长", "局长", "副局长",
        "主任", "副主任", "办公室主任", "档案室主任", "办公室副主任", "队长", "副队长", "股长",
        "中层干部", "中层正职", "中层副职", "技术科科长", "质监站副站长", "水头分局局长",
        "科 长", "副科长（主持工作）", "科长(兼)", "　站长　",
    ],
)
def test_cadre_titles(title):
    assert classify_title(title) is CADRE


@pytest.mark.parametrize(
    "title",
    [
        "科员", "办事员", "工作人员", "一般工作人员", "一般干部", "主任科员", "副主任科员",
        "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员",
        "职员", "专技人员", "技术员", "办公室主任科员", "技术科科员", "主任科员（试用期）", "科　员",
    ],
)
def test_staff_titles(title):
    assert classify_title(title) is STAFF


@pytest.mark.parametrize("title", ["工程师", "干部", "负责人", "高级工程师", "调研员", "", "  ", "主任医师", "书记"])
def test_unknown_titles_are_never_guessed(title):
    assert classify_title(title) is None


def test_full_width_and_nfkc_forms_are_normalised():
    assert classify_title("主任科员\u200b") is STAFF
    assert classify_title("副科长（兼）") is CADRE


def test_user_answers_win_and_are_compared_normalised():
    assert resolve_rank("工程师") is None
    assert resolve_rank("工 程 师", {"工程师": STAFF}) is STAFF
    assert resolve_rank("主任", {"主任": STAFF}) is STAFF  # a unit may decide otherwise
    assert resolve_rank("科长", {"工程师": STAFF}) is CADRE
    assert resolve_rank("", {"": STAFF}) is None


def test_category_words():
    assert is_category_word("中层干部") and is_category_word(" 一般工作人员 ")
    assert not is_category_word("科长")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("是", True), ("中共党员", True), ("中共预备党员", True), ("党员", True), ("预备党员", True),
        ("√", True), ("Y", True), ("y", True), (" 是 ", True), ("中共党员（预备）", True),
        ("否", False), ("群众", False), ("共青团员", False), ("团员", False), ("无党派人士", False),
        ("民革党员", False), ("民盟盟员", False), ("民建会员", False), ("民进会员", False),
        ("农工党党员", False), ("致公党党员", False), ("九三学社社员", False), ("台盟盟员", False),
        ("×", False), ("N", False),
        ("", None), (None, None), ("入党积极分子", None), ("不详", None),
    ],
)
def test_party_member(text, expected):
    assert parse_party_member(text) is expected


def test_status_words():
    assert parse_status_text("在岗") is StaffStatus.ACTIVE
    assert parse_status_text(" 调离 ") is StaffStatus.TRANSFERRED
    assert parse_status_text("已退休") is StaffStatus.RETIRED
    assert parse_status_text("") is None
    assert parse_status_text("休假") is None


@pytest.mark.parametrize(
    "text, field",
    [
        ("姓名", "name"), ("姓 名", "name"), ("姓　　名", "name"), ("名字", "name"), ("*姓名", "name"),
        ("姓名*", "name"), ("姓名（必填）", "name"), ("职务", "title"), ("职级", "title"),
        ("职务类别", "rank"), ("人员类别", "rank"), ("类别", "rank"),
        ("工作岗位", "post"), ("岗位", "post"), ("分管工作", "post"), ("工作岗位（分管工作）", "post"),
        ("岗位(分管工作)", "post"), ("从事岗位", "post"), ("工作岗位/分管工作", "post"),
        ("是否党员", "party"), ("政治面貌", "party"), ("党员", "party"),
        ("状态", "status"), ("在岗状态", "status"), ("备注", "note"), ("序号", "seq"),
        ("职称", None), ("出生年月", None), ("反对“挈篮子”承诺书签订情况汇总表", None), ("单位（盖章）：", None),
    ],
)
def test_header_matching(text, field):
    assert match_header(text) == field


def test_every_alias_matches_its_own_field():
    for field, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            assert match_header(alias) == field, alias
    assert header_key(" 姓 名 * ") == "姓名"
