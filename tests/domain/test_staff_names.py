"""Naming people in a sentence: two 张敏明 told apart by post, everyone else by name alone."""

from __future__ import annotations

from qingqing_desktop.domain.staff import RankCategory, StaffMember, names_told_apart


def test_only_a_shared_name_gets_its_post():
    people = [StaffMember("杨华华", RankCategory.MIDDLE_CADRE, post="分管安全监管"),
              StaffMember("张敏明", RankCategory.MIDDLE_CADRE, post="分管行政审批"),
              StaffMember("张敏明", RankCategory.STAFF, post="方案设计技术审查"),
              StaffMember("郑红桂", RankCategory.STAFF, post="规划核实")]
    assert names_told_apart(people) == ["杨华华", "张敏明（分管行政审批）", "张敏明（方案设计技术审查）", "郑红桂"]
    assert names_told_apart(people[:2]) == ["杨华华", "张敏明"]
    assert names_told_apart([StaffMember("王䶮", RankCategory.STAFF), StaffMember("王䶮", RankCategory.STAFF)]) == \
        ["王䶮", "王䶮"]  # no post to tell them apart by
