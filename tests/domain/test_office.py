"""The office's import rule, the on-time rule, what changed between deliveries, the board."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.office import (
    DeliveredFiling,
    DeliveryFacts,
    DeliverySource,
    FilingChanges,
    FilingCounts,
    ReviewState,
    SummaryRow,
    Verdict,
    board_row,
    board_totals,
    check_comment,
    check_office_name,
    clock_ahead,
    decide,
    delivered_on_time,
    delivery_time,
    first_delivery_time,
    diff_packages,
    diff_summary_rows,
    package_counts,
    package_summary_rows,
)

PACKAGE = DeliverySource.PACKAGE
CHINA = dt.timezone(dt.timedelta(hours=8))


def facts(revision=1, sequence=1, content="c1", data="d1", source=PACKAGE) -> DeliveryFacts:
    return DeliveryFacts(source, revision, sequence, content, data)


@pytest.mark.parametrize(
    ("current", "incoming", "verdict"),
    [
        (None, facts(), Verdict.FIRST),
        (facts(), facts(sequence=2), Verdict.DUPLICATE),  # same data.json: nothing to do
        (facts(), facts(revision=2, sequence=2, content="c2", data="d2"), Verdict.NEWER_REVISION),
        (facts(revision=2, sequence=2, content="c2", data="d2"), facts(), Verdict.OLDER),
        (facts(), facts(sequence=2, data="d2"), Verdict.RECTIFICATION),  # same filed content, newer progress
        (facts(sequence=3, data="d3"), facts(sequence=2, data="d2"), Verdict.OLDER),
        (facts(), facts(sequence=2, content="other", data="d2"), Verdict.CONFLICT),
        (facts(source=DeliverySource.EXCEL, sequence=None), facts(), Verdict.REPLACES_EXCEL),
    ],
)
def test_the_import_rule(current, incoming, verdict):
    assert decide(current, incoming) is verdict


def test_only_first_newer_rectification_and_replacing_excel_become_current():
    assert {v for v in Verdict if v.becomes_current} == {
        Verdict.FIRST, Verdict.NEWER_REVISION, Verdict.RECTIFICATION, Verdict.REPLACES_EXCEL}


def test_on_time_is_the_deadline_day_inclusive_in_local_time():
    deadline = dt.date(2019, 3, 14)
    assert delivered_on_time("2019-03-14T15:59:59+00:00", deadline, CHINA)  # 23:59:59 in Beijing
    assert not delivered_on_time("2019-03-14T16:00:00+00:00", deadline, CHINA)  # 00:00 on the 15th
    assert delivered_on_time("2019-03-01T08:00:00+08:00", deadline, CHINA)


def test_a_package_counts_as_made_no_later_than_it_was_received():
    # A unit PC's clock 16 days ahead made a package look late while the deadline was two weeks off.
    received = "2026-12-07T06:05:00+00:00"
    ahead = "2026-12-23T06:01:00+00:00"
    assert delivery_time(ahead, received) == received and clock_ahead(ahead, received)
    assert delivery_time("2026-12-06T22:00:00+00:00", received) == "2026-12-06T22:00:00+00:00"  # a week's pile
    # A computer set to the wrong zone (Beijing hands, UTC zone: 8 hours ahead) or a clock a few minutes fast:
    # still not after it arrived, and nothing worth telling the office.
    hours = "2026-12-07T14:00:00+00:00"
    assert delivery_time(hours, received) == received and not clock_ahead(hours, received)
    assert not clock_ahead("2026-12-08T06:05:00+00:00", received)  # a day: the margin
    assert clock_ahead("2026-12-08T06:05:01+00:00", received)
    # the first delivery decides 按时: the earliest of the times as they count
    assert first_delivery_time([(ahead, received), ("2026-12-09T01:00:00+00:00", "2026-12-09T02:00:00+00:00")]) == received
    assert first_delivery_time([]) is None


def test_office_name_and_comment_are_checked():
    assert check_office_name("  局机关纪委（监察室） ") == "局机关纪委（监察室）"
    with pytest.raises(InputRejected, match="请填写纪委（监察室）的名称"):
        check_office_name(" ")
    with pytest.raises(InputRejected, match="退回须填写退回意见"):
        check_comment("")
    with pytest.raises(InputRejected, match="不超过2000个字"):
        check_comment("改" * 2001)


# ----------------------------------------------------------------------------- data


def person(pid, name, rank="一般工作人员", post="质量监管", party=False, status="在岗") -> dict:
    return {"id": pid, "name": name, "rank": rank, "title": "", "post": post, "party_member": party, "status": status}


def pledge(staff_id, name, status="未签订", required=True, signed_on=None, rank="一般工作人员", post="质量监管") -> dict:
    return {"staff_id": staff_id, "name": name, "rank": rank, "post": post, "party_member": False,
            "staff_status": "在岗", "required": required, "required_by_rule": required, "rule_reason": "",
            "required_override": None, "override_reason": "", "status": status, "signed_on": signed_on,
            "status_reason": "", "scan_sha256": None, "title": ""}


def finding(fid, row, problem, owner="p1", due="2019-04-01") -> dict:
    return {"id": fid, "row": row, "problem": problem, "measure": "整改", "owner_id": owner, "owner_name": "张三",
            "due": due, "list_key": "", "item_index": None}


@pytest.fixture
def data() -> dict:
    snapshot = {
        "unit": {"id": "u", "name": "技术科", "kind": "科室", "leader": "林", "contact": "", "phone": ""},
        "roster": [person("p1", "张三", rank="中层干部", post="分管审批"), person("p2", "李四"), person("p3", "王五")],
        "pledges": [pledge("p1", "张三", "已签订", signed_on="2019-03-01", rank="中层干部", post="分管审批"),
                    pledge("p2", "李四"), pledge("p3", "王五", required=False)],
        "self_check": {"header": {}, "rows": [
            {"row": 1, "item": "", "none_confirmed": False, "findings": [finding("f1", 1, "服务不够主动")]},
            {"row": 2, "item": "", "none_confirmed": True, "findings": []},
            {"row": 3, "item": "", "none_confirmed": False, "findings": [finding("f2", 3, "制度不全")]},
        ]},
    }
    return {"snapshot": snapshot, "rectification": {"f1": {"done_on": "2019-03-20", "done_note": ""},
                                                     "f2": {"done_on": None, "done_note": ""}}}


def test_counts_of_a_package(data):
    counts = package_counts(data["snapshot"], data["rectification"])
    assert counts == FilingCounts(people=3, pledges_required=2, pledges_signed=1, pledges_outstanding=1,
                                  findings=2, findings_open=1, findings_done=1, pledges_signed_unrequired=0)
    assert FilingCounts.from_dict(counts.to_dict()) == counts


def test_a_signer_who_need_not_sign_is_counted_apart(data):
    # 王五 need not sign and signed all the same: he is on 附件2 (已签 2), 李四 still has to (未签 1).
    data["snapshot"]["pledges"][2].update(status="已签订", signed_on="2019-03-02")
    counts = package_counts(data["snapshot"], data["rectification"])
    assert (counts.pledges_required, counts.pledges_signed, counts.pledges_outstanding) == (2, 2, 1)
    assert counts.pledges_signed_unrequired == 1
    assert counts.signed_text() == "2人（其中1人不须签订）"
    # The signed 报送包 header keeps the seven counts older versions check, without the new one.
    assert "pledges_signed_unrequired" not in counts.header_dict()
    assert FilingCounts.from_dict(counts.header_dict()).pledges_signed_unrequired is None
    row = board_row(office_unit_id="b", unit="技术科", expected=True, fingerprint="FP",
                    filing=DeliveredFiling(PACKAGE, 1, "2019-03-10T02:00:00+00:00", "2019-03-10T02:00:00+00:00",
                                           counts, ReviewState.PENDING),
                    deadline=dt.date(2019, 3, 14), today=dt.date(2019, 3, 12))
    assert row.signed_text == "2 人（其中 1 人不须签订）"
    excel = board_row(office_unit_id="c", unit="档案室", expected=True, fingerprint=None,
                      filing=DeliveredFiling(DeliverySource.EXCEL, 1, "2019-03-10T02:00:00+00:00",
                                             "2019-03-10T02:00:00+00:00", FilingCounts(4, None, 4, None, None, None, None),
                                             ReviewState.PENDING),
                      deadline=dt.date(2019, 3, 14), today=dt.date(2019, 3, 12))
    totals = board_totals([row, excel])
    assert totals.pledges_signed_unrequired == 1
    assert totals.signed_text(" ") == "2 人（其中 1 人不须签订；另有只交Excel的单位列明已签 4 人）"
    assert board_totals([row]).signed_text() == "2人（其中1人不须签订）"


def test_summary_rows_are_those_who_signed(data):
    assert package_summary_rows(data["snapshot"]) == [SummaryRow("张三", "中层干部", "分管审批", False)]


def test_diff_names_what_changed_by_uuid(data):
    new = copy.deepcopy(data)
    snap = new["snapshot"]
    snap["roster"][1]["name"] = "李思"  # renamed: one changed person, not removed + added
    snap["pledges"][1].update(name="李思", status="已签订", signed_on="2019-03-10")
    snap["roster"].pop(2)
    snap["pledges"].pop(2)
    snap["roster"].append(person("p4", "赵六"))
    snap["self_check"]["rows"][0]["findings"][0]["measure"] = "建立清单"
    snap["self_check"]["rows"][2]["findings"] = []
    snap["self_check"]["rows"][1]["findings"] = [finding("f3", 2, "吃拿卡要苗头")]
    new["rectification"] = {"f1": {"done_on": "2019-03-20", "done_note": ""},
                            "f3": {"done_on": None, "done_note": ""}}
    snap["unit"]["leader"] = "林新"
    changes = diff_packages(data, new)
    assert changes.unit == ("单位负责人",)
    assert changes.people_added == ("赵六",) and changes.people_removed == ("王五",)
    assert changes.people_changed == ("李思：姓名",)
    assert changes.pledges_changed == ("李思：未签订→已签订",)
    assert changes.findings_added == ("吃拿卡要苗头",) and changes.findings_removed == ("制度不全",)
    assert changes.findings_changed == ("服务不够主动",)
    text = changes.summary()
    assert "新增人员1人（赵六）" in text and "承诺书签订变化1人（李思：未签订→已签订）" in text
    assert FilingChanges.from_dict(changes.to_dict()) == changes


def test_rectification_progress_alone_is_a_change(data):
    new = copy.deepcopy(data)
    new["rectification"]["f2"]["done_on"] = "2019-03-30"
    changes = diff_packages(data, new)
    assert changes.rectification_changed == ("制度不全",) and changes.summary() == "整改进展变化1条（制度不全）"
    assert diff_packages(data, data).empty and FilingChanges().summary() == "内容无变化"


def test_the_self_check_s_header_and_its_no_problem_rows_are_changes_too(data):
    """A 退回 often asks for the 填报日期 or a row's 本行无问题: the next version's import says it came."""
    new = copy.deepcopy(data)
    new["snapshot"]["self_check"]["header"]["date"] = "2019-03-12"
    new["snapshot"]["self_check"]["rows"][2]["none_confirmed"] = True
    changes = diff_packages(data, new)
    assert changes.self_check == ("填报日期", "第3行“本行无问题”已勾选")
    assert changes.summary() == "自查表变化2项（填报日期、第3行“本行无问题”已勾选）"
    assert FilingChanges.from_dict(changes.to_dict()) == changes
    stored = changes.to_dict()
    del stored["self_check"]  # a change recorded before this field existed
    assert FilingChanges.from_dict(stored).self_check == ()


def test_excel_rows_are_compared_by_name_namesakes_by_order():
    old = [SummaryRow("张伟", "一般工作人员", "竣工验收", True), SummaryRow("张伟", "一般工作人员", "文书", False)]
    new = [SummaryRow("张伟", "一般工作人员", "竣工验收", True), SummaryRow("张伟", "中层干部", "文书", False),
           SummaryRow("李四", "一般工作人员", "质量监管", False)]
    changes = diff_summary_rows(old, new)
    assert changes.people_added == ("李四",) and changes.people_changed == ("张伟：职务",)
    assert not changes.people_removed


def test_board_rows_and_totals():
    deadline, today = dt.date(2019, 3, 14), dt.date(2019, 3, 20)
    missing = board_row(office_unit_id="a", unit="规划科", expected=True, fingerprint=None, filing=None,
                        deadline=deadline, today=today)
    assert (missing.state, missing.overdue, missing.on_time_label) == (ReviewState.NOT_DELIVERED, True, "逾期未报")
    counts = FilingCounts(3, 2, 1, 1, 2, 1, 1)
    late = board_row(
        office_unit_id="b", unit="技术科", expected=True, fingerprint="FP",
        filing=DeliveredFiling(PACKAGE, 2, "2019-03-15T02:00:00+00:00", "2019-03-18T02:00:00+00:00", counts,
                               ReviewState.RETURNED, returns=1),
        deadline=deadline, today=today,
    )
    assert (late.on_time, late.returned, late.signed, late.pledges_outstanding) == (False, True, True, 1)
    excel = board_row(
        office_unit_id="c", unit="档案室", expected=False, fingerprint=None,
        filing=DeliveredFiling(DeliverySource.EXCEL, 1, "2019-03-10T02:00:00+00:00", "2019-03-10T02:00:00+00:00",
                               FilingCounts(4, None, 4, None, None, None, None), ReviewState.CONFIRMED),
        deadline=deadline, today=today,
    )
    assert (excel.signed, excel.on_time, excel.confirmed, excel.pledges_required) == (False, True, True, None)
    assert {"unit", "delivered", "revision", "on_time", "pledges_required", "pledges_signed", "findings_open",
            "state"} <= set(excel.to_dict())
    totals = board_totals([missing, late, excel])
    assert (totals.units, totals.expected, totals.delivered, totals.on_time, totals.late, totals.overdue) == (
        3, 2, 2, 1, 1, 1)
    assert (totals.pledges_required, totals.pledges_signed, totals.unsigned_data, totals.confirmed) == (2, 5, 1, 1)
    # 已签 beside 应签: 档案室's four signers (its Excel does not say who had to sign) are told apart
    assert totals.pledges_signed_excel == 4
    assert totals.signed_text() == "1人（另有只交Excel的单位列明已签4人）"
    assert board_totals([missing, late]).signed_text(" ") == "1 人"
