"""Validation of policy template data (no files: the dicts are what tomllib would give)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.policy import (
    PolicyTemplate,
    SigningRule,
    merge_inherited,
    template_from_dict,
)

SOURCE = "forms/test-place.toml"

KEY_POSTS = [
    "行政审批",
    "方案设计技术审查",
    "房地产市场监管",
    "建筑市场监管",
    "规划核实",
    "竣工验收",
    "安全监管",
    "质量监管",
]


def valid_data() -> dict:
    """A complete template, small but with every section."""
    return {
        "id": "test-place",
        "name": "测试地“三清单一承诺”",
        "issuer": "测试局",
        "document_number": "测发〔2024〕1号",
        "version": 2,
        "submission": {
            "recipient": "局机关纪委（监察室）",
            "deadline_wording": "于3月14日前报送。",
            "default_deadline": "2024-03-14",
        },
        "lists": [
            {"key": "positive", "title": "正面清单", "intro": "", "items": ["甲。", "乙。"], "notes": ["注。"]},
            {"key": "negative", "title": "负面清单", "items": ["丙。"]},
        ],
        "pledge": {
            "attachment_label": "附件1",
            "title": "承诺书",
            "scope": "全体中层干部。",
            "content": "承诺反对。",
            "preamble": "承诺如下：",
            "items": ["一；", "二。"],
            "closing": "以上承诺敬请监督。",
            "unit_post_label": "承诺人单位及职务：",
            "signer_label": "承　　诺　　人：",
        },
        "signing_rule": {"all_middle_cadres": True, "key_posts": list(KEY_POSTS), "previously_submitted_exempt": True},
        "summary_table": {
            "attachment_label": "附件2",
            "title": "汇总表",
            "columns": ["序号", "姓名", "职务", "工作岗位", "是否党员"],
            "unit_label": "单位（盖章）：",
            "instructions": "填报说明：……",
        },
        "self_check": {
            "attachment_label": "附件3",
            "title": "自查表",
            "columns": ["项目内容", "存在问题", "整改措施", "责任人", "整改时限"],
            "unit_label": "填报单位：",
            "leader_label": "单位负责人签名：",
            "rows": ["行一", "行二", "行三"],
            "instructions": "填表说明：……",
        },
    }


def rejected(data: dict) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        template_from_dict(data, SOURCE)
    return caught.value


def test_valid_data_becomes_a_frozen_template():
    template = template_from_dict(valid_data(), SOURCE)
    assert isinstance(template, PolicyTemplate)
    assert template.id == "test-place"
    assert template.version == 2
    assert template.source == SOURCE
    assert template.document_number == "测发〔2024〕1号"
    assert [pl.key for pl in template.lists] == ["positive", "negative"]
    assert template.lists[0].items == ("甲。", "乙。")
    assert template.lists[0].notes == ("注。",)
    assert template.lists[1].intro == "" and template.lists[1].notes == ()
    assert template.pledge.items == ("一；", "二。")
    assert template.pledge.signer_label == "承　　诺　　人："
    assert template.pledge_attachment_label == "附件1"
    assert template.recipient == "局机关纪委（监察室）"
    assert template.default_deadline == "2024-03-14"
    assert template.self_check.rows == ("行一", "行二", "行三")
    assert template.signing_rule.key_posts == tuple(KEY_POSTS)
    assert template.list_by_key("negative").title == "负面清单"
    assert template.list_by_key("nope") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        template.name = "x"  # type: ignore[misc]


def test_surrounding_whitespace_is_stripped_but_inner_text_kept():
    data = valid_data()
    data["lists"][0]["items"] = ["  甲，乙。   \n", "（协）会"]
    template = template_from_dict(data, SOURCE)
    assert template.lists[0].items == ("甲，乙。", "（协）会")


@pytest.mark.parametrize(
    "section, header",
    [
        ("pledge", "[pledge]"),
        ("signing_rule", "[signing_rule]"),
        ("summary_table", "[summary_table]"),
        ("self_check", "[self_check]"),
        ("submission", "[submission]"),
        ("lists", "[[lists]]"),
    ],
)
def test_missing_section_names_file_and_section_and_suggests_extends(section, header):
    data = valid_data()
    del data[section]
    error = rejected(data)
    message = str(error)
    assert SOURCE in message
    assert header in message
    assert "extends" in message
    assert error.location.file == SOURCE
    assert error.location.field == section


def test_missing_section_with_extends_says_the_parent_lacks_it_too():
    data = valid_data()
    data["extends"] = "pingyang-2019"
    del data["pledge"]
    message = str(rejected(data))
    assert "[pledge]" in message and "pingyang-2019" in message and "也没有" in message


@pytest.mark.parametrize(
    "mutate, key",
    [
        (lambda d: d["pledge"].pop("title"), "pledge.title"),
        (lambda d: d.pop("name"), "name"),
        (lambda d: d.pop("id"), "id"),
        (lambda d: d["lists"][1].pop("items"), "lists[2].items"),
        (lambda d: d["submission"].pop("recipient"), "submission.recipient"),
        (lambda d: d["signing_rule"].pop("all_middle_cadres"), "signing_rule.all_middle_cadres"),
        (lambda d: d["self_check"].pop("leader_label"), "self_check.leader_label"),
    ],
)
def test_missing_key_is_named(mutate, key):
    data = valid_data()
    mutate(data)
    error = rejected(data)
    assert f"“{key}”" in str(error)
    assert error.location.field == key


@pytest.mark.parametrize(
    "mutate, key, hint",
    [
        (lambda d: d["pledge"].__setitem__("items", "不以指定……"), "pledge.items", "文字列表"),
        (lambda d: d["pledge"].__setitem__("items", ["一；", 2]), "pledge.items", "第2项"),
        (lambda d: d["pledge"].__setitem__("title", 3), "pledge.title", "数字"),
        (lambda d: d["signing_rule"].__setitem__("all_middle_cadres", "是"), "signing_rule.all_middle_cadres", "true"),
        (lambda d: d.__setitem__("version", "1"), "version", "正整数"),
        (lambda d: d.__setitem__("version", True), "version", "正整数"),
        (lambda d: d.__setitem__("version", 0), "version", "正整数"),
        (lambda d: d.__setitem__("pledge", "承诺书"), "pledge", "表"),
        (lambda d: d.__setitem__("lists", {"key": "x"}), "lists", "[[lists]]"),
        (lambda d: d["lists"][0].__setitem__("items", []), "lists[1].items", "至少"),
        (lambda d: d["lists"][0].__setitem__("items", ["甲", "  "]), "lists[1].items", "空"),
        (lambda d: d["pledge"].__setitem__("title", "   "), "pledge.title", "不能为空"),
    ],
)
def test_wrong_type_or_value_is_named(mutate, key, hint):
    data = valid_data()
    mutate(data)
    error = rejected(data)
    assert f"“{key}”" in str(error)
    assert hint in str(error)
    assert error.location.field == key


@pytest.mark.parametrize("rows", [["行一", "行二"], ["行一", "行二", "行三", "行四"], []])
def test_self_check_needs_exactly_three_rows(rows):
    data = valid_data()
    data["self_check"]["rows"] = rows
    error = rejected(data)
    assert "self_check.rows" in str(error)
    assert SOURCE in str(error)


@pytest.mark.parametrize("table", ["summary_table", "self_check"])
def test_table_columns_keep_their_five_meanings(table):
    data = valid_data()
    data[table]["columns"] = data[table]["columns"][:4]
    message = str(rejected(data))
    assert f"{table}.columns" in message and "5栏" in message and "4栏" in message


def test_reworded_columns_are_accepted():
    data = valid_data()
    data["summary_table"]["columns"] = ["编号", "姓名", "职务类别", "岗位", "党员"]
    assert template_from_dict(data, SOURCE).summary_table.columns[0] == "编号"


def test_unknown_key_is_reported_as_a_probable_typo():
    data = valid_data()
    data["pledge"]["itmes"] = ["x"]
    error = rejected(data)
    assert "pledge.itmes" in str(error) and "拼写" in str(error)
    data = valid_data()
    data["colour"] = "red"
    assert "“colour”" in str(rejected(data))


@pytest.mark.parametrize("bad_id", ["Pingyang", "平阳", "-x", "a b", ""])
def test_id_must_be_a_plain_slug(bad_id):
    data = valid_data()
    data["id"] = bad_id
    assert "“id”" in str(rejected(data))


def test_list_keys_must_be_unique():
    data = valid_data()
    data["lists"][1]["key"] = "positive"
    assert "lists[2].key" in str(rejected(data))


@pytest.mark.parametrize(
    "value, expected",
    [("2019-03-14", "2019-03-14"), ("", ""), (dt.date(2019, 3, 14), "2019-03-14"), ("  ", "")],
)
def test_default_deadline_accepts_dates_and_empty(value, expected):
    data = valid_data()
    data["submission"]["default_deadline"] = value
    assert template_from_dict(data, SOURCE).default_deadline == expected


def test_default_deadline_may_be_left_out():
    data = valid_data()
    del data["submission"]["default_deadline"]
    assert template_from_dict(data, SOURCE).default_deadline == ""


@pytest.mark.parametrize("value", ["3月14日", "2019-02-30", dt.datetime(2019, 3, 14, 9, 0), 20190314])
def test_bad_default_deadline_is_refused(value):
    data = valid_data()
    data["submission"]["default_deadline"] = value
    assert "submission.default_deadline" in str(rejected(data))


def test_signing_rule_that_covers_nobody_is_refused():
    data = valid_data()
    data["signing_rule"]["all_middle_cadres"] = False
    data["signing_rule"]["key_posts"] = []
    assert "signing_rule" in str(rejected(data))


def test_duplicate_key_posts_are_refused():
    data = valid_data()
    data["signing_rule"]["key_posts"] = ["质量监管", "质量监管"]
    assert "质量监管" in str(rejected(data))


# --------------------------------------------------------------------------- is_key_post


RULE = SigningRule(all_middle_cadres=True, key_posts=tuple(KEY_POSTS), previously_submitted_exempt=True)


@pytest.mark.parametrize(
    "post, expected",
    [
        ("负责质量监管工作", "质量监管"),
        ("质量监管", "质量监管"),
        ("质量 监管", "质量监管"),
        ("质量\u3000监管员", "质量监管"),
        ("分管房地产市场监管", "房地产市场监管"),
        ("建筑市场监管、安全监管", "建筑市场监管"),
        ("竣工验收及规划核实", "竣工验收"),
        ("方案设计技术审查岗", "方案设计技术审查"),
        ("办公室文秘", None),
        ("监管", None),
        ("", None),
        ("   ", None),
    ],
)
def test_is_key_post(post, expected):
    assert RULE.is_key_post(post) == expected


def test_is_key_post_prefers_the_longer_of_nested_posts():
    rule = SigningRule(True, ("市场监管", "房地产市场监管"), True)
    assert rule.is_key_post("从事房地产市场监管") == "房地产市场监管"


# --------------------------------------------------------------------------- merge_inherited


def test_child_inherits_missing_sections_and_keeps_its_identity():
    parent = valid_data()
    child = {
        "id": "child",
        "extends": "test-place",
        "name": "子模板",
        "issuer": "子局",
        "version": 1,
        "lists": [{"key": "positive", "title": "正向", "items": ["一"]}],
    }
    merged = merge_inherited(parent, child)
    template = template_from_dict(merged, "forms/child.toml")
    assert template.id == "child" and template.name == "子模板" and template.version == 1
    assert template.extends == "test-place"
    # 文号 is identity, never inherited: the child has none.
    assert template.document_number == ""
    # Lists replace the parent's as a whole.
    assert [pl.key for pl in template.lists] == ["positive"]
    assert template.lists[0].items == ("一",)
    # Sections the child lacks come from the parent unchanged.
    assert template.pledge.items == ("一；", "二。")
    assert template.self_check.rows == ("行一", "行二", "行三")
    assert template.signing_rule.key_posts == tuple(KEY_POSTS)


def test_a_section_in_both_is_merged_key_by_key():
    parent = valid_data()
    child = copy.deepcopy(valid_data())
    child["id"] = "child"
    child["self_check"] = {"instructions": ""}
    child["submission"] = {"deadline_wording": "", "default_deadline": ""}
    template = template_from_dict(merge_inherited(parent, child), "child.toml")
    assert template.self_check.instructions == ""
    assert template.self_check.rows == ("行一", "行二", "行三")
    assert template.recipient == "局机关纪委（监察室）"
    assert template.deadline_wording == "" and template.default_deadline == ""


def test_merge_does_not_modify_its_inputs():
    parent = valid_data()
    child = {"id": "c", "self_check": {"instructions": ""}}
    before = copy.deepcopy(parent), copy.deepcopy(child)
    merge_inherited(parent, child)
    assert (parent, child) == before


# --------------------------------------------------------------------------- all staff, synonyms


def test_all_staff_and_synonyms_are_read_and_used():
    data = valid_data()
    data["signing_rule"].update(all_staff=True, synonyms={"行政审批": ["审批窗口", "窗口受理"]})
    rule = template_from_dict(data, SOURCE).signing_rule
    assert rule.all_staff
    assert rule.synonyms == (("行政审批", ("审批窗口", "窗口受理")),)
    assert rule.is_key_post("负责窗口受理") == "行政审批"
    # as with key posts themselves: the longest word wins, then the one written first in the post
    assert rule.is_key_post("审批窗口兼方案设计技术审查") == "方案设计技术审查"
    assert rule.is_key_post("审批窗口、质量监管") == "行政审批"
    assert rule.is_key_post("质量监管、审批窗口") == "质量监管"


def test_without_the_new_keys_a_rule_reads_as_before():
    rule = template_from_dict(valid_data(), SOURCE).signing_rule
    assert rule.all_staff is False and rule.synonyms == ()


@pytest.mark.parametrize(
    ("synonyms", "message"),
    [
        ({"不存在的岗位": ["甲"]}, "不在重点岗位"),
        ({"行政审批": ["行政审批"]}, "就是这个重点岗位本身"),
        ({"行政审批": ["质量监管"]}, "已经是“质量监管”的名称或同义词"),
        ({"行政审批": ["窗口"], "质量监管": ["窗口"]}, "已经是“行政审批”的名称或同义词"),
        ({"行政审批": "窗口"}, "应是文字列表"),
        (["窗口"], "应是一个表"),
    ],
)
def test_bad_synonyms_are_refused_with_the_key_named(synonyms, message):
    data = valid_data()
    data["signing_rule"]["synonyms"] = synonyms
    error = rejected(data)
    assert message in str(error)
    assert error.location.field.startswith("signing_rule.synonyms")


def test_a_key_post_written_twice_with_different_spacing_is_refused():
    data = valid_data()
    data["signing_rule"]["key_posts"] = ["行政审批", "行政 审批"]
    assert "重点岗位重复" in str(rejected(data))


@pytest.mark.parametrize("cadres, everyone, posts, expected", [
    (True, False, ("质量监管",), "全体中层干部和重点岗位的一般工作人员"),
    (True, True, ("质量监管",), "全体中层干部和全体一般工作人员"),
    (False, False, ("质量监管",), "重点岗位的一般工作人员"),
    (True, False, (), "全体中层干部"),
    (False, False, (), ""),
])
def test_who_must_sign_says_the_rule_in_words(cadres, everyone, posts, expected):
    rule = SigningRule(all_middle_cadres=cadres, key_posts=posts, previously_submitted_exempt=True, all_staff=everyone)
    assert rule.who_must_sign() == expected


def test_each_rule_keeps_its_own_answers_and_stays_equal_to_a_copy():
    approvals = SigningRule(True, ("行政审批",), False, synonyms=(("行政审批", ("审批窗口",)),))
    finance = SigningRule(True, ("财务",), False)
    for _ in range(2):  # asked again: from the rule's own answers
        assert approvals.is_key_post("负责审批窗口") == "行政审批"
        assert approvals.is_key_post("财务") is None
        assert finance.is_key_post("财务") == "财务"
        assert finance.is_key_post(None) is None
    twin = dataclasses.replace(approvals)  # the answers are not a field: equality and hashing ignore them
    assert twin == approvals and hash(twin) == hash(approvals)
    assert dataclasses.asdict(approvals) == dataclasses.asdict(twin)
