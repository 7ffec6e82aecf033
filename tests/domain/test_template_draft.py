"""A template being written: its problems in words and in place, its id, what changed."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.template_draft import (
    describe_changes,
    draft_from,
    list_key_for,
    new_list,
    new_template_id,
    template_problems,
    template_year,
)
from qingqing_desktop.store.policy_templates import available_templates, get_template


def draft() -> dict:
    return draft_from(get_template("pingyang-2019"))


def problems(data: dict) -> dict[tuple, list[str]]:
    found: dict[tuple, list[str]] = {}
    for problem in template_problems(data):
        found.setdefault(problem.path, []).append(problem.message)
    return found


@pytest.mark.parametrize("template", available_templates(), ids=lambda t: t.id)
def test_every_shipped_template_has_no_problems(template):
    assert template_problems(draft_from(template)) == []


def test_an_empty_list_is_named_by_its_title():
    data = draft()
    data["lists"][1]["items"] = []
    assert problems(data) == {("lists", 1, "items"): [
        "“我局及其工作人员政商交往‘负面清单’”一条也没有：请添加条目，或把通知中的条文粘贴进来。"]}


def test_a_pledge_without_its_blanks():
    data = draft()
    data["pledge"]["unit_post_label"] = " "
    data["pledge"]["signer_label"] = ""
    found = problems(data)
    assert "签订的人无处写明单位和职务" in found[("pledge", "unit_post_label")][0]
    assert "签订的人无处签名" in found[("pledge", "signer_label")][0]


def test_a_key_post_listed_twice_and_a_synonym_of_two_posts():
    data = draft()
    data["signing_rule"]["key_posts"].append("质量 监管")
    data["signing_rule"]["synonyms"] = {"行政审批": ["审批窗口"], "规划核实": ["审批窗口"]}
    found = problems(data)
    assert found[("signing_rule", "key_posts")] == ["重点岗位“质量 监管”写了两次。"]
    assert found[("signing_rule", "synonyms")] == ["“审批窗口”已是重点岗位“行政审批”的名称或同义词，不能再作“规划核实”的同义词。"]


def test_a_synonym_that_is_the_post_itself_or_written_twice():
    data = draft()
    data["signing_rule"]["synonyms"] = {"行政审批": ["行政审批", "窗口", "窗口"], "已删除的岗位": ["甲"]}
    assert problems(data)[("signing_rule", "synonyms")] == [
        "“行政审批”就是重点岗位“行政审批”本身，不必写作同义词。",
        "“行政审批”的同义词“窗口”写了两次。",
        "“已删除的岗位”已不是重点岗位，请删除它的同义词。",
    ]


def test_nobody_has_to_sign():
    data = draft()
    data["signing_rule"].update(all_middle_cadres=False, key_posts=[])
    assert "没有任何人需要签订承诺书" in problems(data)[("signing_rule", "key_posts")][0]
    data["signing_rule"]["all_staff"] = True
    assert ("signing_rule", "key_posts") not in problems(data)


def test_empty_and_repeated_items_and_titles():
    data = draft()
    data["lists"][0]["items"][2] = ""
    data["lists"][0]["items"][4] = data["lists"][0]["items"][3]
    data["lists"][2]["title"] = data["lists"][1]["title"]
    found = problems(data)
    assert found[("lists", 0, "items")] == ["“我局及其工作人员政商交往‘正面清单’”第3条是空的：请填写或删除。",
                                            "“我局及其工作人员政商交往‘正面清单’”第5条与第4条相同。"]
    assert found[("lists", 2, "title")] == ["第3张清单与第2张清单标题相同。"]


def test_two_lists_for_one_self_check_row():
    data = draft()
    data["lists"][2]["key"] = "negative"
    assert problems(data)[("lists", 2, "key")] == ["第2张和第3张清单都记入自查表第2行：每行只能对应一张清单。"]


def test_required_texts_and_lengths():
    data = draft()
    data["name"] = "名" * 101
    data["issuer"] = ""
    data["self_check"]["rows"][1] = ""
    data["lists"] = []
    found = problems(data)
    assert found[("name",)] == ["模板名称过长：101个字，最多100个字。"]
    assert "发文单位" in found[("issuer",)][0]
    assert found[("self_check", "rows", 1)] == ["自查表第2行的项目内容是空的。"]
    assert found[("lists",)] == ["至少要有一张清单。"]


def test_list_keys_follow_the_self_check_row():
    assert list_key_for(1, set()) == "positive" and list_key_for(2, set()) == "negative"
    assert list_key_for(None, {"list-1"}) == "list-2"
    assert list_key_for(None, set(), current="guidance") == "guidance"
    assert list_key_for(None, {"list-1"}, current="positive") == "list-2"
    assert new_list({"list-1"})["key"] == "list-2"


def test_new_ids_from_the_issuer_never_repeat():
    assert new_template_id("湖北省住房和城乡建设厅", 2025, set()) == "hbszfhcxjst-2025"
    assert new_template_id("湖北省住房和城乡建设厅", 2025, {"hbszfhcxjst-2025"}) == "hbszfhcxjst-2025-2"
    assert new_template_id("", 2025, set()) == "template-2025"


def test_changes_are_described_field_by_field():
    old = draft()
    new = draft()
    new["lists"][1]["items"] = ["不准甲；", "不准乙。"]
    new["signing_rule"]["key_posts"] = ["施工许可"]
    new["pledge"]["title"] = "承诺书"
    changes = describe_changes(old, new)
    assert set(changes) == {"清单2 · 条目", "签订范围 · 重点岗位", "承诺书 · 标题"}
    assert changes["清单2 · 条目"][1] == "不准甲；\n不准乙。"
    assert changes["承诺书 · 标题"] == ("反对“挈篮子”承诺书", "承诺书")


@pytest.mark.parametrize("number, year", [
    ("平住建发〔2019〕27号", 2019),
    ("鄂建文[2021]3号", 2021),
    ("许人防（2023）5号", 2023),
    ("", 2026),
    ("第27号", 2026),
])
def test_a_template_id_carries_the_year_of_its_document_number(number, year):
    assert template_year(number, dt.date(2026, 12, 5)) == year
