"""定稿, the lock, the filed snapshot, reopening as a new revision, and the filing's history."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.filing import FilingState, content_sha256
from qingqing_desktop.domain.selfcheck import RectificationState
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.domain.unit import UnitKind
from qingqing_desktop.services import (
    campaign_service,
    filing_service,
    pledge_service,
    roster_service,
    sample_data,
    selfcheck_service,
    unit_service,
)
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import audit

TODAY = dt.date(2019, 3, 10)
LOCKED = "本次报送已定稿（第1版），如需修改请先“重新打开”并说明原因"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def people(unit_session) -> dict[str, StaffMember]:
    roster = [
        StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
        StaffMember("李𡈽", RankCategory.STAFF, post="质量监管", party_member=True),
        StaffMember("孙佳怡", RankCategory.STAFF, post="财务"),
        StaffMember("徐静", RankCategory.STAFF, post="行政审批", status=StaffStatus.TRANSFERRED),
    ]
    for member in roster:
        roster_service.add_staff(unit_session, member)
    campaign_service.create_campaign(unit_session)
    return {m.name: m for m in roster}


@pytest.fixture
def session(unit_session, people):
    return unit_session


@pytest.fixture
def finding(session, people):
    """A filled-in 自查表: one finding in row 1, rows 2 and 3 confirmed “无”."""
    result = selfcheck_service.add_finding(
        session, row=1, problem="服务企业不够主动", measure="建立上门服务清单", owner_id=people["单建国"].id,
        due="2019-03-13", today=TODAY,
    )
    selfcheck_service.confirm_none(session, 2)
    selfcheck_service.confirm_none(session, 3)
    return result.finding


@pytest.fixture
def finalised(session, people, finding):
    pledge_service.set_status(session, people["单建国"].id, "已签订", signed_on="2019-03-08", today=TODAY)
    pledge_service.attach_scan_data(session, people["单建国"].id, PNG, "签字页.png")
    return filing_service.finalize(session)


def dump(session) -> str:
    return "\n".join(session.store.db.conn.iterdump())


def test_a_new_filing_is_a_draft_of_revision_1(session):
    status = filing_service.filing_status(session)
    assert (status.state, status.revision, status.locked) == (FilingState.DRAFT, 1, False)


def test_finalising_is_refused_while_the_self_check_is_incomplete(session, people):
    selfcheck_service.confirm_none(session, 2)
    before = dump(session)
    with pytest.raises(InputRejected, match="不能定稿：自查表第1、3行既没有登记问题，也没有确认“无”"):
        filing_service.finalize(session)
    assert dump(session) == before
    ready = filing_service.check_readiness(session)
    assert not ready.can_finalise and [r.name for r in ready.unsigned] == ["李𡈽", "单建国"]


def test_finalising_is_refused_while_sample_people_are_in_the_roster(session, people):
    """The walk-through: a clerk who tried the program with the sample people finalised and packed 30
    fictional people; they are deleted first, and nothing of the clerk's own is touched meanwhile."""
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(session, row)
    loaded = sample_data.load_sample_data(session)
    before = dump(session)
    with pytest.raises(InputRejected, match=f"不能定稿：人员名单中还有 {loaded} 名示例人员（虚构），请先在“人员名单”页点“删除示例数据”。"):
        filing_service.finalize(session)
    assert dump(session) == before
    assert not filing_service.check_readiness(session).can_finalise
    sample_data.remove_sample_data(session)
    assert filing_service.finalize(session).status.state is FilingState.FINAL


def test_a_problem_s_owner_must_be_filed_with_it_not_a_sample_nor_someone_deleted(session, people):
    """The walk-through: a clerk tried the program, named a sample person 责任人 of a real problem, then
    deleted the sample people and finalised; the office refused the 报送包 (“有问题的责任人不在人员名单中”)
    and regenerating it could not help. Now 定稿 names the problem and the owner to change."""
    sample_data.load_sample_data(session)
    sample = next(m for m in roster_service.list_staff(session) if m.is_sample)
    found = selfcheck_service.add_finding(session, row=1, problem="对企业咨询答复有时超过承诺时限，群众反映较多",
                                          measure="建立咨询答复台账", owner_id=sample.id, due="2019-03-13",
                                          today=TODAY).finding
    selfcheck_service.confirm_none(session, 2)
    selfcheck_service.confirm_none(session, 3)
    owner = f"自查表第1行问题“对企业咨询答复有时超过承诺时限，群众反映…”的责任人“{sample.name}”"
    assert f"{owner}是示例人员（虚构）" in "".join(filing_service.check_readiness(session).blockers)

    sample_data.remove_sample_data(session)
    before = dump(session)
    with pytest.raises(InputRejected, match=f"不能定稿：{owner}已不在人员名单中，请在“自查表”页选中该问题，点“修改…”另选责任人。"):
        filing_service.finalize(session)
    assert dump(session) == before

    selfcheck_service.update_finding(session, found.id, owner_id=people["单建国"].id, today=TODAY)
    assert filing_service.finalize(session).status.state is FilingState.FINAL
    filed = filing_service.filed_snapshot(session).data
    assert {f["owner_id"] for row in filed["self_check"]["rows"] for f in row["findings"]} <= {p["id"] for p in filed["roster"]}


def test_finalising_needs_a_unit(session, tmp_path):
    other = open_session(tmp_path / "no-unit.sqlite3")
    try:
        campaign_service.create_campaign(other)
        with pytest.raises(InputRejected, match="尚未设置单位信息"):
            filing_service.finalize(other)
    finally:
        other.close()


def test_finalising_with_unsigned_people_is_allowed_and_says_who(session, finalised):
    assert (finalised.status.state, finalised.status.revision) == (FilingState.FINAL, 1)
    assert [r.name for r in finalised.unsigned] == ["李𡈽"]
    assert finalised.notes  # no 填报日期 yet
    entry = next(e for e in audit.entries(session.store, table="filing") if e.field == "state")
    assert (entry.old_value, entry.new_value) == ("草稿", "已定稿")
    assert entry.reason == "尚有1人未签订承诺书：李𡈽"
    assert entry.operator == "测试员"


def test_the_snapshot_holds_the_filing_data_and_its_hash(session, people, finalised, finding):
    filed = filing_service.filed_snapshot(session)
    data = filed.data
    assert filed.revision == 1 and filed.finalized_by == "测试员"
    assert filed.content_sha256 == content_sha256(data) == finalised.status.content_sha256
    assert data["unit"]["name"] == "技术科" and data["unit"]["leader"] == "林主任"
    assert data["campaign"]["document_number"] == "平住建发〔2019〕27号"
    assert {m["name"] for m in data["roster"]} == {"单建国", "李𡈽", "孙佳怡", "徐静"}
    pledges = {p["name"]: p for p in data["pledges"]}
    assert pledges["单建国"]["required"] is True and pledges["单建国"]["signed_on"] == "2019-03-08"
    assert pledges["单建国"]["scan_sha256"]
    assert pledges["孙佳怡"]["required"] is False and pledges["徐静"]["status"] == "不适用"
    rows = data["self_check"]["rows"]
    assert [r["findings"][0]["id"] for r in rows if r["findings"]] == [finding.id]
    assert [r["none_confirmed"] for r in rows] == [False, True, True]


MUTATIONS = {
    "pledge set": lambda s, p, f: pledge_service.set_status(s, p["李𡈽"].id, "已签订", signed_on="2019-03-09", today=TODAY),
    "pledge sign_many": lambda s, p, f: pledge_service.sign_many(s, [p["李𡈽"].id], "2019-03-09", today=TODAY),
    "pledge override": lambda s, p, f: pledge_service.set_required(s, p["孙佳怡"].id, True, "兼管审批"),
    "scan attach": lambda s, p, f: pledge_service.attach_scan_data(s, p["李𡈽"].id, PNG, "a.png"),
    "scan remove": lambda s, p, f: pledge_service.remove_scan(s, p["单建国"].id),
    "header": lambda s, p, f: selfcheck_service.set_header(s, leader="王五", filled_on="2019-03-09", today=TODAY),
    "none": lambda s, p, f: selfcheck_service.confirm_none(s, 2, confirmed=False),
    "add finding": lambda s, p, f: selfcheck_service.add_finding(
        s, row=3, problem="新问题", measure="新措施", owner_id=p["单建国"].id, due="2019-03-13", today=TODAY),
    "edit finding": lambda s, p, f: selfcheck_service.update_finding(s, f.id, problem="改过的问题", today=TODAY),
    "delete finding": lambda s, p, f: selfcheck_service.delete_finding(s, f.id),
    "campaign": lambda s, p, f: campaign_service.update_campaign(s, deadline="2019-03-21"),
    "finalise again": lambda s, p, f: filing_service.finalize(s),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_while_finalised_every_change_is_refused_and_nothing_written(session, people, finding, finalised, mutation):
    before = dump(session)
    with pytest.raises(InputRejected) as caught:
        mutation(session, people, finding)
    assert str(caught.value) == LOCKED
    assert dump(session) == before


def test_while_finalised_reads_come_from_the_snapshot(session, people, finalised):
    pledges_before = pledge_service.list_pledges(session)
    check_before = selfcheck_service.get_self_check(session)
    # the roster and the unit go on changing for the next campaign
    roster_service.update_staff(session, people["孙佳怡"].with_changes(post="建筑市场监管", name="孙佳仪"))
    roster_service.set_status(session, people["单建国"].id, StaffStatus.TRANSFERRED)
    roster_service.add_staff(session, StaffMember("欧阳明辉", RankCategory.STAFF, post="安全监管"))
    unit_service.save_unit(session, name="技术与审批科", kind=UnitKind.SECTION, leader="新科长")
    assert pledge_service.list_pledges(session) == pledges_before
    assert selfcheck_service.get_self_check(session) == check_before
    assert selfcheck_service.get_self_check(session).unit_name == "技术科"
    assert pledge_service.pledge_progress(session).required == 2


def test_rectification_goes_on_after_finalising_outside_the_filed_content(session, finding, finalised):
    sha = filing_service.filing_status(session).content_sha256
    selfcheck_service.complete_rectification(session, finding.id, "2019-03-12", "已建立清单", today=dt.date(2019, 3, 12))
    shown = selfcheck_service.get_self_check(session).rows[0].findings[0]
    assert shown.state(dt.date(2019, 3, 20)) is RectificationState.DONE and shown.done_note == "已建立清单"
    assert filing_service.filing_status(session).content_sha256 == sha
    assert filing_service.filed_snapshot(session).content_sha256 == sha
    assert any(h.field == "整改完成日期" for h in filing_service.filing_history(session))


def test_reopen_makes_the_next_revision_a_draft_again(session, people, finalised):
    before = dump(session)
    with pytest.raises(InputRejected, match="说明原因"):
        filing_service.reopen(session, "  ")
    assert dump(session) == before

    status = filing_service.reopen(session, "补登李𡈽的签订")
    assert (status.state, status.revision, status.locked, status.label) == (FilingState.DRAFT, 2, False, "草稿（第2版）")
    pledge_service.set_status(session, people["李𡈽"].id, "已签订", signed_on="2019-03-09", today=TODAY)
    second = filing_service.finalize(session)
    assert (second.status.revision, second.unsigned) == (2, ())
    assert second.status.content_sha256 != finalised.status.content_sha256
    # the first revision's content stays on record, to match its stamped paper
    assert filing_service.filed_snapshot(session, revision=1).content_sha256 == finalised.status.content_sha256
    assert filing_service.filed_snapshot(session).data["revision"] == 2
    with pytest.raises(InputRejected, match="第2版"):
        pledge_service.set_status(session, people["李𡈽"].id, "未签订", today=TODAY)

    changes = [(e.field, e.old_value, e.new_value, e.reason)
               for e in audit.entries(session.store, table="filing") if e.field in ("state", "revision")]
    assert changes[:3] == [("state", "草稿", "已定稿", ""), ("revision", "1", "2", "补登李𡈽的签订"),
                           ("state", "已定稿", "草稿", "补登李𡈽的签订")]


def test_a_draft_need_not_be_reopened(session):
    with pytest.raises(InputRejected, match="尚未定稿"):
        filing_service.reopen(session, "想改")


def test_submitted_confirmed_returned(session, finalised):
    with pytest.raises(InputRejected, match="不能从“已定稿”变为“已确认”"):
        filing_service.record_review(session, accepted=True)
    assert filing_service.mark_submitted(session, note="U盘交纪委").state is FilingState.SUBMITTED
    with pytest.raises(InputRejected, match="退回意见"):
        filing_service.record_review(session, accepted=False)
    returned = filing_service.record_review(session, accepted=False, comment="第3行请补充")
    assert (returned.state, returned.revision, returned.locked) == (FilingState.RETURNED, 1, True)
    with pytest.raises(InputRejected, match="第1版，状态：退回"):
        selfcheck_service.confirm_none(session, 3, confirmed=False)
    assert filing_service.reopen(session, "按退回意见修改").revision == 2


def test_history_is_newest_first_and_covers_this_campaigns_filing(session, people, finalised, finding):
    filing_service.reopen(session, "补登签订")
    other = campaign_service.create_campaign(session, title="2020年", deadline="2020-03-14", make_current=False)
    pledge_service.set_status(session, people["孙佳怡"].id, "不适用", reason="另一次行动", today=TODAY,
                              campaign_id=other.id)

    history = filing_service.filing_history(session)
    assert [(h.field, h.old, h.new, h.reason) for h in history[:2]] == [
        ("版次", "1", "2", "补登签订"), ("报送状态", "已定稿", "草稿", "补登签订")]
    whats = {h.what for h in history}
    assert {"报送", "自查表", "行动", "承诺书签订：单建国", "签字页扫描件：单建国"} <= whats
    assert any(w.startswith("问题条目：第1行：服务企业不够主动") for w in whats)
    assert not any("另一次行动" == h.new or "另一次行动" == h.reason for h in history)
    owner = next(h for h in history if h.field == "责任人")
    assert owner.new == "单建国"  # the name, not the staff id
    ats = [h.at for h in history]
    assert ats == sorted(ats, reverse=True)
    assert all(h.operator == "测试员" for h in history)


def test_overview_for_the_window_header(session, people, finding):
    overview = filing_service.overview(session, today=TODAY)
    assert (overview.days_left, overview.deadline_text) == (4, "距截止还有 4 天")
    assert overview.status.label == "草稿（第1版）"
    assert (overview.pledges.required, overview.pledges.outstanding) == (2, 2)
    assert overview.self_check_complete and overview.findings == 1
    assert filing_service.overview(session, today=dt.date(2019, 3, 20)).overdue_findings == 1
    assert filing_service.check_readiness(session).can_finalise
