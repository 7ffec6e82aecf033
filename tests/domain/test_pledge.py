"""Who must sign (seed 000, 二（二）1), statuses, progress counts, order, and scans."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.pledge import (
    MAX_SCAN_BYTES,
    PledgeRecord,
    PledgeRow,
    PledgeStatus,
    check_override,
    check_scan,
    check_status_change,
    list_order,
    parse_pledge_status,
    pledge_row,
    progress,
    rule_verdict,
    summary_table_rows,
)
from qingqing_desktop.domain.policy import SigningRule
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus

KEY_POSTS = ("行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管")
RULE = SigningRule(all_middle_cadres=True, key_posts=KEY_POSTS, previously_submitted_exempt=True)
TODAY = dt.date(2019, 3, 10)

CADRE = StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作")
KEY_STAFF = StaffMember("李𡈽", RankCategory.STAFF, post="负责 质量监管 工作")
OTHER_STAFF = StaffMember("孙佳怡", RankCategory.STAFF, post="财务")
TRANSFERRED = StaffMember("马骏", RankCategory.MIDDLE_CADRE, post="分管安全监管", status=StaffStatus.TRANSFERRED)


def record(member, **fields) -> PledgeRecord:
    return PledgeRecord(id="p-" + member.id, campaign_id="c", staff_id=member.id, **fields)


@pytest.mark.parametrize(
    ("member", "required", "reason"),
    [
        (CADRE, True, "中层干部"),
        (KEY_STAFF, True, "重点岗位：质量监管"),
        (OTHER_STAFF, False, "非重点岗位"),
        (TRANSFERRED, False, "调离"),
    ],
    ids=["cadre", "key-post", "other-post", "transferred"],
)
def test_the_rule_follows_the_action_plan(member, required, reason):
    verdict = rule_verdict(RULE, member)
    assert (verdict.required, verdict.reason) == (required, reason)


def test_without_all_cadres_a_cadre_is_caught_only_by_a_key_post():
    rule = SigningRule(all_middle_cadres=False, key_posts=KEY_POSTS, previously_submitted_exempt=False)
    assert not rule_verdict(rule, CADRE).required
    supervising = StaffMember("曾晓燕", RankCategory.MIDDLE_CADRE, post="分管行政审批")
    assert rule_verdict(rule, supervising).reason == "重点岗位：行政审批"


def test_nothing_recorded_means_unsigned_for_people_in_post():
    row = pledge_row(RULE, CADRE, None)
    assert row.status is PledgeStatus.UNSIGNED and row.required and row.outstanding
    assert row.signed_on is None and row.reason == ""


def test_someone_no_longer_in_post_shows_as_not_applicable_with_their_status():
    row = pledge_row(RULE, TRANSFERRED, None)
    assert row.status is PledgeStatus.NOT_APPLICABLE
    assert row.reason == "调离"
    assert not row.required and not row.outstanding


def test_a_recorded_status_wins_over_the_automatic_not_applicable():
    row = pledge_row(RULE, TRANSFERRED, record(TRANSFERRED, status=PledgeStatus.SIGNED, signed_on=dt.date(2019, 3, 1)))
    assert row.status is PledgeStatus.SIGNED and row.signed_on == dt.date(2019, 3, 1)


def test_an_override_wins_and_both_verdicts_stay_visible():
    row = pledge_row(RULE, OTHER_STAFF, record(OTHER_STAFF, required_override=True, override_reason="兼管招投标"))
    assert row.required and not row.required_by_rule
    assert row.rule_reason == "非重点岗位" and row.reason == "兼管招投标"
    row = pledge_row(RULE, CADRE, record(CADRE, required_override=False, override_reason="长期病休"))
    assert not row.required and row.required_by_rule and not row.outstanding


def test_someone_not_in_post_marked_required_by_hand_must_still_sign():
    row = pledge_row(RULE, TRANSFERRED, record(TRANSFERRED, required_override=True, override_reason="借调期间仍在岗"))
    assert row.status is PledgeStatus.UNSIGNED and row.outstanding


def test_progress_counts_each_status_and_the_outstanding():
    people = [
        StaffMember(f"人员{i}", RankCategory.STAFF, post="行政审批") for i in range(4)
    ] + [OTHER_STAFF, TRANSFERRED]
    records = {
        people[0].id: record(people[0], status=PledgeStatus.SIGNED, signed_on=TODAY),
        people[1].id: record(people[1], status=PledgeStatus.SUBMITTED_BEFORE),
        people[2].id: record(people[2], status=PledgeStatus.NOT_APPLICABLE, reason="长期病假"),
    }
    counts = progress(pledge_row(RULE, m, records.get(m.id)) for m in people)
    assert counts.total == 6
    assert counts.required == 4
    assert (counts.signed, counts.outstanding, counts.submitted_before, counts.not_applicable) == (1, 1, 1, 2)
    assert not counts.complete


def test_list_order_puts_unsigned_first_then_pinyin():
    zhang = StaffMember("张三", RankCategory.STAFF, post="规划核实")
    an = StaffMember("安然", RankCategory.STAFF, post="竣工验收")
    shan = StaffMember("单雄", RankCategory.MIDDLE_CADRE)  # 单 read as the surname shan
    rows = [
        pledge_row(RULE, an, record(an, status=PledgeStatus.SIGNED, signed_on=TODAY)),
        pledge_row(RULE, zhang, None),
        pledge_row(RULE, OTHER_STAFF, None),
        pledge_row(RULE, shan, None),
    ]
    assert [r.name for r in sorted(rows, key=list_order)] == ["单雄", "张三", "孙佳怡", "安然"]


def test_summary_table_lists_those_who_signed_now_cadres_first():
    signed = dict(status=PledgeStatus.SIGNED, signed_on=TODAY)
    before = StaffMember("周丽君", RankCategory.STAFF, post="质量监管")
    rows = [
        pledge_row(RULE, KEY_STAFF, record(KEY_STAFF, **signed)),
        pledge_row(RULE, CADRE, record(CADRE, **signed)),
        pledge_row(RULE, before, record(before, status=PledgeStatus.SUBMITTED_BEFORE)),
        pledge_row(RULE, OTHER_STAFF, None),
    ]
    assert [r.name for r in summary_table_rows(rows)] == ["单建国", "李𡈽"]


def test_a_row_survives_the_snapshot_round_trip():
    row = pledge_row(RULE, CADRE, record(CADRE, status=PledgeStatus.SIGNED, signed_on=TODAY,
                                         required_override=True, override_reason="x"), "ab" * 32)
    assert PledgeRow.from_dict(row.to_dict()) == row


# ----------------------------------------------------------------------------- status rules


def test_status_words_are_parsed_and_unknown_ones_refused():
    assert parse_pledge_status("此前已上交") is PledgeStatus.SUBMITTED_BEFORE
    with pytest.raises(InputRejected, match="未签订、已签订、此前已上交、不适用"):
        parse_pledge_status("已签")


def test_a_signing_date_after_today_is_refused_earlier_ones_are_fine():
    with pytest.raises(InputRejected, match="晚于今天"):
        check_status_change(PledgeStatus.SIGNED, TODAY + dt.timedelta(days=1), "", TODAY)
    check_status_change(PledgeStatus.SIGNED, dt.date(2018, 12, 1), "", TODAY)


def test_each_status_needs_what_it_needs():
    with pytest.raises(InputRejected, match="签订日期"):
        check_status_change(PledgeStatus.SIGNED, None, "", TODAY)
    with pytest.raises(InputRejected, match="说明理由"):
        check_status_change(PledgeStatus.NOT_APPLICABLE, None, " ", TODAY)
    with pytest.raises(InputRejected, match="不填签订日期"):
        check_status_change(PledgeStatus.UNSIGNED, TODAY, "", TODAY)
    check_status_change(PledgeStatus.SUBMITTED_BEFORE, None, "", TODAY)
    check_status_change(PledgeStatus.SUBMITTED_BEFORE, dt.date(2018, 5, 1), "2018年已交", TODAY)


def test_an_override_needs_a_reason_and_clearing_one_does_not():
    with pytest.raises(InputRejected, match="理由"):
        check_override(True, "")
    check_override(False, "调往外单位")
    check_override(None, "")


# ----------------------------------------------------------------------------- scans

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100
PDF = b"%PDF-1.7\n" + b"\0" * 100


@pytest.mark.parametrize(("data", "mime"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf")])
def test_scans_are_recognised_by_their_first_bytes(data, mime):
    scan = check_scan(data, "签字页.bin")
    assert scan.mime == mime and scan.size == len(data) and len(scan.sha256) == 64


def test_a_renamed_file_is_refused_whatever_its_name():
    with pytest.raises(InputRejected, match="不是 PNG、JPEG 图片或 PDF") as caught:
        check_scan(b"PK\x03\x04 a Word file", "签字页.jpg")
    assert caught.value.location.file == "签字页.jpg"


def test_empty_and_too_big_scans_are_refused():
    with pytest.raises(InputRejected, match="空"):
        check_scan(b"", "a.png")
    with pytest.raises(InputRejected, match="过大"):
        check_scan(PNG + b"\0" * MAX_SCAN_BYTES, "a.png")
    assert check_scan(PNG[:8] + b"\0" * (MAX_SCAN_BYTES - 8), "a.png").size == MAX_SCAN_BYTES


def test_a_synonym_names_its_key_post_and_all_staff_takes_every_staff_member():
    rule = SigningRule(all_middle_cadres=False, key_posts=("行政审批",), previously_submitted_exempt=False,
                       synonyms=(("行政审批", ("审批窗口",)),))
    window = StaffMember("王䶮", RankCategory.STAFF, post="审批 窗口")
    assert rule_verdict(rule, window).reason == "重点岗位：行政审批"
    assert not rule_verdict(rule, OTHER_STAFF).required
    everyone = SigningRule(all_middle_cadres=False, key_posts=(), previously_submitted_exempt=False, all_staff=True)
    assert (rule_verdict(everyone, OTHER_STAFF).required, rule_verdict(everyone, OTHER_STAFF).reason) == (True, "一般工作人员")
    assert not rule_verdict(everyone, CADRE).required
