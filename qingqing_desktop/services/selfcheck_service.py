"""自查表: header, the three rows with their findings or “无”, and rectification tracking.

Every function works on the current campaign unless ``campaign_id`` is given.
Changes to the form (header, findings, “无”) are refused while the filing is
finalised. Rectification progress (整改中 → 已完成 and back) is follow-up work
after filing, not a change to what was filed: it stays allowed while locked,
is audited, and is not part of the filed snapshot or its hash.

Dates that look wrong but may be right (a 整改时限 already past, or after the
filing deadline) are *questions*: the change is saved and the warnings are
returned for the GUI to show and the CLI to print. Invalid dates are errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from qingqing_desktop.domain.campaign import Campaign, as_date, optional_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import self_check_from_snapshot
from qingqing_desktop.domain.selfcheck import (
    ROW_NUMBERS,
    Finding,
    RectificationState,
    SelfCheck,
    SelfCheckRow,
    check_done,
    check_finding_texts,
    check_leader,
    check_list_link,
    check_none_confirmation,
    check_row,
    due_warnings,
)
from qingqing_desktop.domain.staff import StaffMember, new_id
from qingqing_desktop.domain.unit import Unit
from qingqing_desktop.services.campaign_service import campaign_and_unit, check_editable, current_campaign, get_campaign
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import get_unit, require_unit
from qingqing_desktop.store import filings, selfchecks, staff

__all__ = [
    "Finding", "FindingResult", "HeaderResult", "RectificationState", "SelfCheck", "SelfCheckRow",
    "get_self_check", "set_header", "add_finding", "update_finding", "delete_finding", "confirm_none",
    "restore_finding", "complete_rectification", "reopen_rectification", "overdue_findings",
]


@dataclass(frozen=True)
class FindingResult:
    finding: Finding
    warnings: tuple[str, ...] = ()  # questions for the user; the finding was saved


@dataclass(frozen=True)
class HeaderResult:
    self_check: SelfCheck
    warnings: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- reading


def _live_self_check(session: Session, campaign: Campaign, unit: Unit) -> SelfCheck:
    header = selfchecks.get_header(session.store, campaign.id, unit.id)
    found = selfchecks.findings(session.store, header.id) if header else []
    confirmed = header.none_confirmed if header else frozenset()
    rows = tuple(
        SelfCheckRow(number, text, number in confirmed, tuple(f for f in found if f.row == number))
        for number, text in zip(ROW_NUMBERS, campaign.template.self_check.rows)
    )
    leader = header.leader if header and header.leader is not None else unit.leader
    return SelfCheck(campaign.id, unit.name, leader, header.filled_on if header else None, rows)


def _self_check(session: Session, campaign: Campaign, unit: Unit) -> SelfCheck:
    live = _live_self_check(session, campaign, unit)
    if not filings.status(session.store, campaign.id, unit.id).locked:
        return live
    # The filed form, with today's rectification progress of each finding.
    filed = filings.snapshot(session.store, campaign.id, unit.id)
    return self_check_from_snapshot(filed.data, {f.id: f for f in live.findings})


def get_self_check(session: Session, *, campaign_id: str | None = None) -> SelfCheck:
    """The 自查表 as it prints: 填报单位, 单位负责人, 填报日期 and the template's three rows."""
    return _self_check(session, *campaign_and_unit(session, campaign_id))


def findings_owned_by(session: Session, staff_id: str) -> list[Finding]:
    """The current campaign's problems whose 责任人 is ``staff_id`` (none before a campaign or a unit):
    deleting that person leaves them without one, and 定稿 waits until another is chosen."""
    campaign = current_campaign(session)
    unit = get_unit(session)
    if campaign is None or unit is None:
        return []
    return [f for f in _live_self_check(session, campaign, unit).findings if f.owner_id == staff_id]


def overdue_findings(
    session: Session, *, today: dt.date | None = None, campaign_id: str | None = None
) -> list[Finding]:
    """Findings still 整改中 past their 整改时限, the longest overdue first."""
    today = today or dt.date.today()
    found = get_self_check(session, campaign_id=campaign_id).findings
    return sorted((f for f in found if f.state(today) is RectificationState.OVERDUE), key=lambda f: (f.due, f.row))


# ----------------------------------------------------------------------------- the header


def set_header(
    session: Session,
    *,
    leader: str,
    filled_on: dt.date | str | None,
    today: dt.date | None = None,
    campaign_id: str | None = None,
) -> HeaderResult:
    """Set 单位负责人 and 填报日期. A leader equal to the unit's (or empty) follows the unit's leader."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    leader = leader.strip() or unit.leader
    check_leader(leader)
    filled_on = optional_date(filled_on, "填报日期")
    warnings = []
    if filled_on and filled_on > today:
        warnings.append(f"填报日期 {filled_on.isoformat()} 晚于今天（{today.isoformat()}），请确认。")
    with session.store.transaction():
        check_editable(session, campaign, unit)
        header = selfchecks.ensure_header(session.store, campaign.id, unit.id, operator=session.operator)
        stored_leader = None if leader == unit.leader else leader
        selfchecks.save_header(
            session.store, header, leader=stored_leader, filled_on=filled_on, operator=session.operator
        )
    return HeaderResult(_self_check(session, campaign, unit), tuple(warnings))


def confirm_none(
    session: Session, row: int, confirmed: bool = True, *, campaign_id: str | None = None
) -> SelfCheck:
    """Confirm (or withdraw) that a row has no findings (“无”); refused on a row with findings."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    check_row(row)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        if confirmed:
            check_none_confirmation(_live_self_check(session, campaign, unit).rows[row - 1])
        header = selfchecks.ensure_header(session.store, campaign.id, unit.id, operator=session.operator)
        selfchecks.set_none_confirmed(session.store, header, row, confirmed, operator=session.operator)
    return _self_check(session, campaign, unit)


# ----------------------------------------------------------------------------- findings


def _owner(session: Session, owner_id: str) -> StaffMember:
    member = staff.get(session.store, owner_id)
    if member is None:
        raise InputRejected("责任人不在人员名单中（或已被删除），请先在人员名单中添加。", Location(field="责任人"))
    return member


def _questions(campaign: Campaign, owner: StaffMember, due: dt.date, today: dt.date) -> tuple[str, ...]:
    warnings = due_warnings(due, today=today, deadline=campaign.deadline)
    if not owner.is_active:
        warnings.append(f"责任人{owner.name}的状态是“{owner.status.value}”，请确认由其负责整改。")
    return tuple(warnings)


def _row_for(campaign: Campaign, row: int | None, list_key: str, item_index: int | None) -> int:
    if not list_key:
        if row is None:
            raise InputRejected("请选择问题所在的行（1、2 或 3）。", Location(field="行"))
        return check_row(row)
    if item_index is None:
        raise InputRejected("关联清单时须指明第几条。", Location(field="清单条目"))
    linked = check_list_link(campaign.template, list_key, item_index)
    if row is not None and row != linked:
        raise InputRejected(
            f"该清单条目的问题应登记在自查表第{linked}行，而不是第{row}行。", Location(field="行")
        )
    return linked


def add_finding(
    session: Session,
    *,
    problem: str,
    measure: str,
    owner_id: str,
    due: dt.date | str,
    row: int | None = None,
    list_key: str = "",
    item_index: int | None = None,
    today: dt.date | None = None,
    campaign_id: str | None = None,
) -> FindingResult:
    """Add a finding to a row (1–3), or to the row of a list item (``list_key`` + 1-based ``item_index``).

    Adding a finding withdraws the row's “无” confirmation, which would now be wrong.
    """
    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    row = _row_for(campaign, row, list_key, item_index)
    check_finding_texts(problem, measure)
    due = as_date(due, "整改时限")
    owner = _owner(session, owner_id)
    finding = Finding(
        id=new_id(), row=row, problem=problem.strip(), measure=measure.strip(), owner_id=owner.id,
        owner_name=owner.name, due=due, list_key=list_key, item_index=item_index if list_key else None,
    )
    with session.store.transaction():
        check_editable(session, campaign, unit)
        header = selfchecks.ensure_header(session.store, campaign.id, unit.id, operator=session.operator)
        selfchecks.insert_finding(session.store, header.id, finding, operator=session.operator)
        selfchecks.set_none_confirmed(session.store, header, row, False, operator=session.operator,
                                      reason="登记了问题，取消“无”的确认")
    return FindingResult(finding, _questions(campaign, owner, due, today))


def _finding(session: Session, finding_id: str) -> tuple[Finding, Campaign]:
    found = selfchecks.get_finding(session.store, finding_id)
    if found is None:
        raise InputRejected(f"找不到编号为 {finding_id} 的问题条目。", Location(field="问题条目"))
    finding, campaign_id = found
    return finding, get_campaign(session, campaign_id)


def update_finding(
    session: Session,
    finding_id: str,
    *,
    row: int | None = None,
    problem: str | None = None,
    measure: str | None = None,
    owner_id: str | None = None,
    due: dt.date | str | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> FindingResult:
    """Change what is given; the rest stays. Moving to another row withdraws that row's “无”."""
    old, campaign = _finding(session, finding_id)
    unit = require_unit(session)
    today = today or dt.date.today()
    owner = _owner(session, owner_id) if owner_id is not None else _owner(session, old.owner_id)
    new = replace(
        old,
        row=check_row(row) if row is not None else old.row,
        problem=problem.strip() if problem is not None else old.problem,
        measure=measure.strip() if measure is not None else old.measure,
        owner_id=owner.id,
        owner_name=owner.name,
        due=as_date(due, "整改时限") if due is not None else old.due,
    )
    check_finding_texts(new.problem, new.measure)
    if new.list_key and new.row != old.row:
        raise InputRejected("该问题关联了清单条目，所在行由清单决定，不能移动。", Location(field="行"))
    with session.store.transaction():
        check_editable(session, campaign, unit)
        selfchecks.update_finding(session.store, old, new, operator=session.operator, reason=reason)
        if new.row != old.row:
            header = selfchecks.get_header(session.store, campaign.id, unit.id)
            selfchecks.set_none_confirmed(session.store, header, new.row, False, operator=session.operator,
                                          reason="登记了问题，取消“无”的确认")
    warnings = _questions(campaign, owner, new.due, today) if new.due != old.due or new.owner_id != old.owner_id else ()
    return FindingResult(new, warnings)


def delete_finding(session: Session, finding_id: str, *, reason: str = "") -> None:
    finding, campaign = _finding(session, finding_id)
    unit = require_unit(session)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        selfchecks.soft_delete_finding(session.store, finding.id, operator=session.operator, reason=reason)


def restore_finding(session: Session, finding_id: str, *, reason: str = "") -> Finding:
    """Bring a deleted finding back under its own id (the GUI's undo of 删除 and redo of 添加).

    Like adding, it withdraws its row's “无” confirmation, which would now be wrong.
    """
    found = selfchecks.get_finding(session.store, finding_id, include_deleted=True)
    if found is None:
        raise InputRejected(f"找不到编号为 {finding_id} 的问题条目。", Location(field="问题条目"))
    finding, campaign_id = found
    campaign = get_campaign(session, campaign_id)
    unit = require_unit(session)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        selfchecks.restore_deleted_finding(session.store, finding.id, operator=session.operator, reason=reason)
        header = selfchecks.get_header(session.store, campaign.id, unit.id)
        selfchecks.set_none_confirmed(session.store, header, finding.row, False, operator=session.operator,
                                      reason="登记了问题，取消“无”的确认")
    return finding


# ----------------------------------------------------------------------------- rectification


def complete_rectification(
    session: Session,
    finding_id: str,
    done_on: dt.date | str | None = None,
    note: str = "",
    *,
    today: dt.date | None = None,
) -> Finding:
    """Mark a finding's rectification 已完成 (default: today). Allowed after 定稿: it is follow-up."""
    old, _ = _finding(session, finding_id)
    today = today or dt.date.today()
    done_on = optional_date(done_on, "整改完成日期") or today
    note = note.strip()
    check_done(done_on, today, note)
    new = replace(old, done_on=done_on, done_note=note)
    with session.store.transaction():
        selfchecks.update_finding(session.store, old, new, operator=session.operator, reason="整改完成")
    return new


def reopen_rectification(session: Session, finding_id: str, reason: str) -> Finding:
    """Back to 整改中 (a completion entered by mistake, or the problem came back); needs a reason."""
    old, _ = _finding(session, finding_id)
    if not reason.strip():
        raise InputRejected("改回“整改中”须说明原因。", Location(field="原因"))
    new = replace(old, done_on=None, done_note="")
    with session.store.transaction():
        selfchecks.update_finding(session.store, old, new, operator=session.operator, reason=reason.strip())
    return new
