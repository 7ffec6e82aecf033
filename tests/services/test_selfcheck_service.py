"""自查表 through the service: header, three rows, findings, “无”, warnings, rectification."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.selfcheck import RectificationState
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services import campaign_service, roster_service, selfcheck_service, unit_service
from qingqing_desktop.store import audit

TODAY = dt.date(2019, 3, 10)  # the pingyang-2019 deadline is 2019-03-14


@pytest.fixture
def people(unit_session) -> dict[str, StaffMember]:
    roster = [
        StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
        StaffMember("张伟", RankCategory.STAFF, post="竣工验收"),
        StaffMember("张伟", RankCategory.STAFF, post="文书收发"),
        StaffMember("徐静", RankCategory.STAFF, post="行政审批", status=StaffStatus.TRANSFERRED),
    ]
    for member in roster:
        roster_service.add_staff(unit_session, member)
    campaign_service.create_campaign(unit_session)
    return {m.name + m.post: m for m in roster}


@pytest.fixture
def session(unit_session, people):
    return unit_session


@pytest.fixture
def owner(people):
    return people["单建国主持全面工作"]


def dump(session) -> str:
    return "\n".join(session.store.db.conn.iterdump())


def add(session, owner, **fields):
    values = dict(row=1, problem="服务企业不够主动", measure="建立上门服务清单", owner_id=owner.id, due="2019-03-13",
                  today=TODAY)
    return selfcheck_service.add_finding(session, **{**values, **fields})


def test_a_new_self_check_has_the_templates_three_rows_and_the_units_header(session):
    check = selfcheck_service.get_self_check(session)
    assert (check.unit_name, check.leader, check.filled_on) == ("技术科", "林主任", None)
    assert [r.item for r in check.rows] == [
        "落实政商交往“正面清单”中存在的不足",
        "落实政商交往“负面清单”中存在的问题",
        "可能衍生“挈篮子”问题的制度缺陷",
    ]
    assert [r.number for r in check.rows] == [1, 2, 3]
    assert not check.is_complete and check.incomplete_rows == (1, 2, 3)


def test_reading_writes_nothing(session):
    before = dump(session)
    selfcheck_service.get_self_check(session)
    assert dump(session) == before


def test_the_header_leader_follows_the_unit_unless_edited(session):
    result = selfcheck_service.set_header(session, leader="王副科长", filled_on="2019-03-12", today=TODAY)
    assert (result.self_check.leader, result.self_check.filled_on) == ("王副科长", dt.date(2019, 3, 12))
    assert result.warnings and "晚于今天" in result.warnings[0]
    selfcheck_service.set_header(session, leader="", filled_on="2019-03-09", today=TODAY)
    unit_service.save_unit(session, name="技术科", kind=unit_service.kind_from_text("科室"), leader="新科长")
    check = selfcheck_service.get_self_check(session)
    assert (check.leader, check.filled_on) == ("新科长", dt.date(2019, 3, 9))
    with pytest.raises(InputRejected, match="不是有效日期"):
        selfcheck_service.set_header(session, leader="x", filled_on="3月9日")


def test_findings_land_in_their_row(session, owner):
    first = add(session, owner).finding
    second = add(session, owner, row=3, problem="缺少请托登记制度", measure="建立请托登记报告制度", due="2019-03-14").finding
    check = selfcheck_service.get_self_check(session)
    assert [f.id for f in check.rows[0].findings] == [first.id]
    assert [f.id for f in check.rows[2].findings] == [second.id]
    assert check.rows[1].findings == ()
    found = check.rows[0].findings[0]
    assert (found.owner_name, found.due, found.state(TODAY)) == ("单建国", dt.date(2019, 3, 13), RectificationState.IN_PROGRESS)


def test_a_row_can_hold_many_findings(session, owner):
    for i in range(3):
        add(session, owner, problem=f"问题{i}")
    assert [f.problem for f in selfcheck_service.get_self_check(session).rows[0].findings] == ["问题0", "问题1", "问题2"]


def test_a_checklist_item_files_its_finding_in_the_right_row(session, owner):
    negative = add(session, owner, row=None, list_key="negative", item_index=6,
                   problem="审批环节存在吃拿卡要风险", measure="审批全程留痕").finding
    positive = add(session, owner, row=None, list_key="positive", item_index=2).finding
    assert (negative.row, negative.list_key, negative.item_index) == (2, "negative", 6)
    assert positive.row == 1
    with pytest.raises(InputRejected, match="应登记在自查表第2行"):
        add(session, owner, row=1, list_key="negative", item_index=1)
    with pytest.raises(InputRejected, match="不对应自查表"):
        add(session, owner, row=None, list_key="guidance", item_index=1)


def test_none_confirmation_rules(session, owner):
    check = selfcheck_service.confirm_none(session, 2)
    assert check.rows[1].none_confirmed and check.rows[1].is_complete
    finding = add(session, owner, row=2).finding
    assert not selfcheck_service.get_self_check(session).rows[1].none_confirmed  # adding cleared it
    before = dump(session)
    with pytest.raises(InputRejected, match="第2行已有1条问题，不能确认为“无”"):
        selfcheck_service.confirm_none(session, 2)
    assert dump(session) == before
    selfcheck_service.delete_finding(session, finding.id, reason="重复登记")
    assert selfcheck_service.confirm_none(session, 2).rows[1].none_confirmed
    assert not selfcheck_service.confirm_none(session, 2, confirmed=False).rows[1].none_confirmed
    with pytest.raises(InputRejected, match="没有第4行"):
        selfcheck_service.confirm_none(session, 4)


def test_complete_when_every_row_has_findings_or_none(session, owner):
    add(session, owner, row=1)
    selfcheck_service.confirm_none(session, 2)
    assert not selfcheck_service.get_self_check(session).is_complete
    selfcheck_service.confirm_none(session, 3)
    assert selfcheck_service.get_self_check(session).is_complete


def test_due_date_questions_are_returned_and_the_finding_saved(session, owner):
    past = add(session, owner, due="2019-03-01")
    assert len(past.warnings) == 1 and "早于今天" in past.warnings[0]
    late = add(session, owner, due="2019-06-30")
    assert len(late.warnings) == 1 and "晚于本次报送截止日期（2019-03-14）" in late.warnings[0]
    assert add(session, owner, due="2019-03-14").warnings == ()
    assert len(selfcheck_service.get_self_check(session).rows[0].findings) == 3


def test_an_owner_who_left_is_questioned(session, people):
    result = add(session, people["徐静行政审批"])
    assert any("调离" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due": "2019-13-01"}, "不是有效日期"),
        ({"due": ""}, "请填写日期"),
        ({"owner_id": "nobody"}, "责任人不在人员名单中"),
        ({"problem": ""}, "请填写存在的问题"),
        ({"measure": " "}, "请填写整改措施"),
        ({"problem": "无"}, "确认本行无问题"),
        ({"row": 4}, "没有第4行"),
        ({"row": None}, "请选择问题所在的行"),
    ],
)
def test_bad_findings_are_refused_and_nothing_written(session, owner, fields, message):
    before = dump(session)
    with pytest.raises(InputRejected, match=message):
        add(session, owner, **fields)
    assert dump(session) == before


def test_a_deleted_person_cannot_become_an_owner(session, people):
    member = people["张伟文书收发"]
    roster_service.delete_staff(session, member.id)
    with pytest.raises(InputRejected, match="责任人不在人员名单中"):
        add(session, member)


def test_a_finding_can_be_edited_and_moved(session, owner, people):
    finding = add(session, owner).finding
    selfcheck_service.confirm_none(session, 3)
    result = selfcheck_service.update_finding(session, finding.id, row=3, owner_id=people["张伟竣工验收"].id,
                                              due="2019-07-01", reason="归入制度缺陷", today=TODAY)
    assert (result.finding.row, result.finding.owner_name) == (3, "张伟")
    assert result.warnings and "晚于本次报送截止日期" in result.warnings[0]
    check = selfcheck_service.get_self_check(session)
    assert check.rows[0].findings == () and not check.rows[2].none_confirmed
    entry = next(e for e in audit.entries(session.store, table="finding", record_id=finding.id) if e.field == "row")
    assert (entry.old_value, entry.new_value, entry.reason) == ("1", "3", "归入制度缺陷")


def test_rectification_is_tracked_and_overdue_is_derived(session, owner):
    late = add(session, owner, problem="逾期的问题", due="2019-03-01").finding
    soon = add(session, owner, problem="未到期的问题", due="2019-03-13").finding
    assert [f.id for f in selfcheck_service.overdue_findings(session, today=TODAY)] == [late.id]
    assert [f.id for f in selfcheck_service.overdue_findings(session, today=dt.date(2019, 3, 20))] == [late.id, soon.id]

    done = selfcheck_service.complete_rectification(session, late.id, "2019-03-09", "已建立制度", today=TODAY)
    assert (done.state(TODAY), done.done_on, done.done_note) == (RectificationState.DONE, dt.date(2019, 3, 9), "已建立制度")
    assert selfcheck_service.overdue_findings(session, today=TODAY) == []
    with pytest.raises(InputRejected, match="晚于今天"):
        selfcheck_service.complete_rectification(session, soon.id, "2019-03-11", today=TODAY)
    with pytest.raises(InputRejected, match="说明原因"):
        selfcheck_service.reopen_rectification(session, late.id, "")
    back = selfcheck_service.reopen_rectification(session, late.id, "复查发现未整改到位")
    assert back.state(TODAY) is RectificationState.OVERDUE
    reasons = [e.reason for e in audit.entries(session.store, table="finding", record_id=late.id) if e.field == "done_on"]
    assert reasons == ["复查发现未整改到位", "整改完成"]


def test_an_unknown_finding_is_refused(session):
    with pytest.raises(InputRejected, match="找不到编号为 nope 的问题条目"):
        selfcheck_service.complete_rectification(session, "nope", today=TODAY)
