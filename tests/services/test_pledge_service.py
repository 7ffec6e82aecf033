"""承诺书签订 through the service: the rule on a live roster, statuses, overrides, batches, scans."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.pledge import MAX_SCAN_BYTES, PledgeStatus
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services import campaign_service, pledge_service, roster_service
from qingqing_desktop.store import audit

TODAY = dt.date(2019, 3, 10)
C, S = RankCategory.MIDDLE_CADRE, RankCategory.STAFF
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def people(unit_session) -> dict[str, StaffMember]:
    """技术科: cadres, staff in key posts, staff in other posts, people who left; and a campaign."""
    roster = [
        StaffMember("单建国", C, post="主持全面工作", title="科长"),
        StaffMember("曾晓燕", C, post="分管行政审批"),
        StaffMember("李𡈽", S, post="方案设计技术审查"),
        StaffMember("陈喆", S, post="负责 质量监管 工作"),
        StaffMember("孙佳怡", S, post="财务"),
        StaffMember("徐静", S, post="行政审批", status=StaffStatus.TRANSFERRED),
        StaffMember("马骏", C, post="分管安全监管", status=StaffStatus.RETIRED),
    ]
    for member in roster:
        roster_service.add_staff(unit_session, member)
    campaign_service.create_campaign(unit_session)
    return {m.name: m for m in roster}


@pytest.fixture
def session(unit_session, people):
    return unit_session


def dump(session) -> str:
    return "\n".join(session.store.db.conn.iterdump())


def rows(session) -> dict:
    return {r.name: r for r in pledge_service.list_pledges(session)}


def test_who_must_sign_follows_the_rule_for_people_in_post(session):
    listed = rows(session)
    assert {n for n, r in listed.items() if r.required} == {"单建国", "曾晓燕", "李𡈽", "陈喆"}
    assert listed["陈喆"].rule_reason == "重点岗位：质量监管"
    assert listed["孙佳怡"].rule_reason == "非重点岗位" and listed["孙佳怡"].status is PledgeStatus.UNSIGNED
    assert (listed["徐静"].status, listed["徐静"].reason) == (PledgeStatus.NOT_APPLICABLE, "调离")
    assert (listed["马骏"].status, listed["马骏"].reason) == (PledgeStatus.NOT_APPLICABLE, "退休")


def test_roster_changes_after_the_campaign_started_change_the_required_set(session, people):
    roster_service.update_staff(session, people["孙佳怡"].with_changes(post="建筑市场监管"))
    roster_service.set_status(session, people["陈喆"].id, StaffStatus.TRANSFERRED, reason="调往规划局")
    newcomer = roster_service.add_staff(session, StaffMember("欧阳明辉", S, post="安全监管"))
    roster_service.delete_staff(session, people["曾晓燕"].id, reason="录入错误")
    listed = rows(session)
    assert {n for n, r in listed.items() if r.required} == {"单建国", "李𡈽", "孙佳怡", "欧阳明辉"}
    assert (listed["陈喆"].status, listed["陈喆"].reason) == (PledgeStatus.NOT_APPLICABLE, "调离")
    assert "曾晓燕" not in listed
    assert listed["欧阳明辉"].staff_id == newcomer.id


def test_the_list_puts_the_unsigned_first_then_pinyin(session, people):
    pledge_service.set_status(session, people["曾晓燕"].id, "已签订", signed_on="2019-03-06", today=TODAY)
    names = [r.name for r in pledge_service.list_pledges(session)]
    assert names == ["陈喆", "李𡈽", "单建国", "孙佳怡", "马骏", "徐静", "曾晓燕"]


def test_each_status_transition_is_recorded_and_audited(session, people):
    staff_id = people["李𡈽"].id
    row = pledge_service.set_status(session, staff_id, PledgeStatus.SIGNED, signed_on="2019-03-08", today=TODAY)
    assert (row.status, row.signed_on, row.outstanding) == (PledgeStatus.SIGNED, dt.date(2019, 3, 8), False)
    row = pledge_service.set_status(session, staff_id, "此前已上交", reason="2018年已交", today=TODAY)
    assert (row.status, row.signed_on, row.reason) == (PledgeStatus.SUBMITTED_BEFORE, None, "2018年已交")
    row = pledge_service.set_status(session, staff_id, "不适用", reason="长期病假", today=TODAY)
    assert (row.status, row.reason) == (PledgeStatus.NOT_APPLICABLE, "长期病假")
    row = pledge_service.set_status(session, staff_id, "未签订", today=TODAY)
    assert (row.status, row.signed_on, row.reason, row.outstanding) == (PledgeStatus.UNSIGNED, None, "", True)

    pledge_id = session.store.db.execute("SELECT id FROM pledge WHERE staff_id = ?", [staff_id]).fetchone()[0]
    statuses = [(e.old_value, e.new_value) for e in reversed(audit.entries(session.store, table="pledge", record_id=pledge_id))
                if e.field == "status"]
    assert statuses == [("未签订", "已签订"), ("已签订", "此前已上交"), ("此前已上交", "不适用"), ("不适用", "未签订")]
    assert all(e.operator == "测试员" for e in audit.entries(session.store, table="pledge"))


def test_signed_without_a_date_means_today(session, people):
    row = pledge_service.set_status(session, people["单建国"].id, "已签订", today=TODAY)
    assert row.signed_on == TODAY


def test_earlier_dates_are_fine_even_before_the_campaign(session, people):
    row = pledge_service.set_status(session, people["单建国"].id, "已签订", signed_on="2018-12-28", today=TODAY)
    assert row.signed_on == dt.date(2018, 12, 28)


@pytest.mark.parametrize(
    ("status", "fields", "message"),
    [
        ("已签订", {"signed_on": "2019-03-11"}, "晚于今天"),
        ("已签订", {"signed_on": "2019-02-29"}, "没有这一天"),
        ("不适用", {"reason": ""}, "说明理由"),
        ("签了", {}, "签订状态“签了”无效"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(session, people, status, fields, message):
    before = dump(session)
    with pytest.raises(InputRejected, match=message):
        pledge_service.set_status(session, people["单建国"].id, status, today=TODAY, **fields)
    assert dump(session) == before


def test_someone_not_on_the_roster_is_refused(session):
    before = dump(session)
    with pytest.raises(InputRejected, match="找不到编号为 nobody 的人员"):
        pledge_service.set_status(session, "nobody", "已签订", today=TODAY)
    assert dump(session) == before


def test_override_with_reason_keeps_the_rules_verdict_visible(session, people):
    row = pledge_service.set_required(session, people["孙佳怡"].id, True, "兼管招投标备案")
    assert (row.required, row.required_by_rule, row.reason) == (True, False, "兼管招投标备案")
    row = pledge_service.set_required(session, people["单建国"].id, False, "长期病休")
    assert (row.required, row.required_by_rule, row.outstanding) == (False, True, False)
    with pytest.raises(InputRejected, match="理由"):
        pledge_service.set_required(session, people["李𡈽"].id, False, " ")
    row = pledge_service.set_required(session, people["孙佳怡"].id, None)
    assert (row.required, row.required_override, row.override_reason) == (False, None, "")
    latest = next(e for e in audit.entries(session.store, table="pledge") if e.field == "override_reason")
    assert (latest.old_value, latest.new_value) == ("兼管招投标备案", "")


def test_an_override_survives_a_status_change(session, people):
    pledge_service.set_required(session, people["孙佳怡"].id, True, "兼管招投标备案")
    row = pledge_service.set_status(session, people["孙佳怡"].id, "已签订", signed_on="2019-03-09", today=TODAY)
    assert row.required_override is True and row.status is PledgeStatus.SIGNED


def test_progress_counts(session, people):
    pledge_service.set_status(session, people["单建国"].id, "已签订", signed_on="2019-03-08", today=TODAY)
    pledge_service.set_status(session, people["曾晓燕"].id, "此前已上交", today=TODAY)
    counts = pledge_service.pledge_progress(session)
    assert (counts.total, counts.required, counts.signed, counts.outstanding, counts.submitted_before,
            counts.not_applicable) == (7, 4, 1, 2, 1, 2)


def test_a_batch_is_signed_in_one_transaction(session, people):
    ids = [people["李𡈽"].id, people["陈喆"].id, people["李𡈽"].id]
    signed = pledge_service.sign_many(session, ids, "2019-03-09", today=TODAY)
    assert [r.name for r in signed] == ["李𡈽", "陈喆"]
    assert all(r.status is PledgeStatus.SIGNED and r.signed_on == dt.date(2019, 3, 9) for r in signed)
    before = dump(session)
    with pytest.raises(InputRejected, match="找不到"):
        pledge_service.sign_many(session, [people["单建国"].id, "nobody"], "2019-03-09", today=TODAY)
    with pytest.raises(InputRejected, match="晚于今天"):
        pledge_service.sign_many(session, [people["单建国"].id], "2019-03-12", today=TODAY)
    assert dump(session) == before


def test_a_batch_fails_as_a_whole_when_a_write_fails(session, people, monkeypatch):
    from qingqing_desktop.store import pledges

    real_save, calls = pledges.save, []

    def failing_save(store, record, **kwargs):
        calls.append(record.staff_id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_save(store, record, **kwargs)

    before = dump(session)
    monkeypatch.setattr(pledges, "save", failing_save)
    with pytest.raises(RuntimeError):
        pledge_service.sign_many(session, [people["单建国"].id, people["李𡈽"].id], "2019-03-09", today=TODAY)
    assert dump(session) == before


# ----------------------------------------------------------------------------- scans


def test_a_scan_is_attached_read_back_and_removed(session, people, tmp_path):
    path = tmp_path / "单建国签字页.png"
    path.write_bytes(PNG)
    row = pledge_service.attach_scan(session, people["单建国"].id, path)
    assert row.has_scan and row.status is PledgeStatus.UNSIGNED
    scan = pledge_service.get_scan(session, people["单建国"].id)
    assert (scan.file_name, scan.mime, scan.data, scan.size) == ("单建国签字页.png", "image/png", PNG, len(PNG))
    assert pledge_service.get_scan(session, people["李𡈽"].id) is None

    pdf = b"%PDF-1.4\n%%EOF\n"
    pledge_service.attach_scan_data(session, people["单建国"].id, pdf, "重扫.pdf")
    assert pledge_service.get_scan(session, people["单建国"].id).mime == "application/pdf"

    row = pledge_service.remove_scan(session, people["单建国"].id)
    assert not row.has_scan and pledge_service.get_scan(session, people["单建国"].id) is None
    with pytest.raises(InputRejected, match="没有附扫描件"):
        pledge_service.remove_scan(session, people["单建国"].id)
    actions = [e.action for e in reversed(audit.entries(session.store, table="pledge_scan")) if e.field == "sha256"]
    assert actions == ["insert", "update", "delete"]


def test_bad_scans_are_refused_and_nothing_written(session, people, tmp_path):
    word = tmp_path / "签字页.jpg"
    word.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    huge = tmp_path / "huge.png"
    huge.write_bytes(PNG + b"\0" * MAX_SCAN_BYTES)
    before = dump(session)
    with pytest.raises(InputRejected, match="不是 PNG、JPEG 图片或 PDF") as caught:
        pledge_service.attach_scan(session, people["单建国"].id, word)
    assert "签字页.jpg" in str(caught.value)
    with pytest.raises(InputRejected, match="过大"):
        pledge_service.attach_scan(session, people["单建国"].id, huge)
    with pytest.raises(InputRejected, match="找不到文件"):
        pledge_service.attach_scan(session, people["单建国"].id, tmp_path / "missing.png")
    assert dump(session) == before


def test_the_summary_table_lists_who_signed_now(session, people):
    pledge_service.sign_many(session, [people["李𡈽"].id, people["单建国"].id], "2019-03-09", today=TODAY)
    pledge_service.set_status(session, people["曾晓燕"].id, "此前已上交", today=TODAY)
    assert [r.name for r in pledge_service.summary_rows(session)] == ["单建国", "李𡈽"]


def test_each_campaign_has_its_own_pledges(session, people):
    first = campaign_service.current_campaign(session)
    pledge_service.set_status(session, people["单建国"].id, "已签订", signed_on="2019-03-08", today=TODAY)
    campaign_service.create_campaign(session, title="2020年", deadline="2020-03-14")
    assert rows(session)["单建国"].status is PledgeStatus.UNSIGNED
    assert {r.name: r for r in pledge_service.list_pledges(session, campaign_id=first.id)}["单建国"].signed_on == dt.date(2019, 3, 8)
