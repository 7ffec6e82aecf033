"""自查表 rules: rows, list links, “无”, rectification states and due-date questions."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.selfcheck import (
    Finding,
    RectificationState,
    SelfCheck,
    SelfCheckRow,
    check_done,
    check_finding_texts,
    check_list_link,
    check_none_confirmation,
    check_row,
    due_warnings,
    row_for_list,
)
from qingqing_desktop.store.policy_templates import get_template

TODAY = dt.date(2019, 3, 10)


def finding(**fields) -> Finding:
    values = dict(id="f1", row=1, problem="服务不够主动", measure="建立上门服务制度", owner_id="s1",
                  owner_name="单建国", due=dt.date(2019, 3, 31))
    return Finding(**{**values, **fields})


def test_positive_list_goes_to_row_1_negative_to_row_2_others_nowhere():
    assert row_for_list("positive") == 1
    assert row_for_list("negative") == 2
    assert row_for_list("guidance") is None


def test_a_list_item_link_is_checked_against_the_template():
    template = get_template("pingyang-2019")
    assert check_list_link(template, "negative", 6) == 2
    with pytest.raises(InputRejected, match="共10条，没有第11条"):
        check_list_link(template, "negative", 11)
    with pytest.raises(InputRejected, match="不对应自查表"):
        check_list_link(template, "guidance", 1)
    with pytest.raises(InputRejected, match="没有标识为“nope”"):
        check_list_link(template, "nope", 1)


def test_there_are_exactly_three_rows():
    assert check_row(3) == 3
    with pytest.raises(InputRejected, match="没有第4行"):
        check_row(4)


def test_state_is_derived_overdue_only_while_in_progress():
    assert finding(due=TODAY).state(TODAY) is RectificationState.IN_PROGRESS
    assert finding(due=TODAY - dt.timedelta(days=1)).state(TODAY) is RectificationState.OVERDUE
    assert finding(due=dt.date(2019, 1, 1), done_on=dt.date(2019, 2, 1)).state(TODAY) is RectificationState.DONE


def test_past_and_late_due_dates_are_questions():
    deadline = dt.date(2019, 3, 14)
    assert due_warnings(dt.date(2019, 3, 12), today=TODAY, deadline=deadline) == []
    past = due_warnings(dt.date(2019, 3, 1), today=TODAY, deadline=deadline)
    assert len(past) == 1 and "早于今天" in past[0]
    late = due_warnings(dt.date(2019, 6, 30), today=TODAY, deadline=deadline)
    assert len(late) == 1 and "晚于本次报送截止日期（2019-03-14）" in late[0]


def test_after_the_deadline_has_passed_only_a_past_due_date_is_questioned():
    deadline = dt.date(2019, 3, 14)
    today = dt.date(2019, 4, 1)  # a late filing: every due date from today on is after the deadline
    assert due_warnings(dt.date(2019, 5, 1), today=today, deadline=deadline) == []
    assert due_warnings(today, today=today, deadline=deadline) == []
    past = due_warnings(dt.date(2019, 3, 20), today=today, deadline=deadline)
    assert len(past) == 1 and "早于今天" in past[0]


def test_finding_texts_are_required_and_none_is_not_a_finding():
    check_finding_texts("服务不够主动", "建立制度")
    with pytest.raises(InputRejected, match="存在的问题"):
        check_finding_texts(" ", "建立制度")
    with pytest.raises(InputRejected, match="整改措施"):
        check_finding_texts("服务不够主动", "")
    with pytest.raises(InputRejected, match="确认本行无问题"):
        check_finding_texts("无", "无")


def test_completion_cannot_be_in_the_future():
    check_done(TODAY, TODAY, "已整改")
    with pytest.raises(InputRejected, match="晚于今天"):
        check_done(TODAY + dt.timedelta(days=1), TODAY, "")


def test_none_cannot_be_confirmed_on_a_row_with_findings():
    check_none_confirmation(SelfCheckRow(2, "负面清单", False, ()))
    with pytest.raises(InputRejected, match="第1行已有1条问题"):
        check_none_confirmation(SelfCheckRow(1, "正面清单", False, (finding(),)))


def test_complete_means_every_row_has_findings_or_none():
    rows = (SelfCheckRow(1, "a", False, (finding(),)), SelfCheckRow(2, "b", True, ()), SelfCheckRow(3, "c", False, ()))
    self_check = SelfCheck("c", "技术科", "林主任", None, rows)
    assert not self_check.is_complete and self_check.incomplete_rows == (3,)
    done = SelfCheck("c", "技术科", "林主任", None, rows[:2] + (SelfCheckRow(3, "c", True, ()),))
    assert done.is_complete


def test_the_filed_form_of_a_finding_leaves_out_rectification():
    done = finding(done_on=TODAY, done_note="已建立制度", list_key="positive", item_index=2)
    data = done.to_dict()
    assert "done_on" not in data and "done_note" not in data
    assert Finding.from_dict(data, done_on=TODAY, done_note="已建立制度") == done
