"""报送: finalising (定稿) a unit's filing for a campaign, reopening it, and its history.

草稿 → 已定稿 (locked, revision n) → 已报送 → 已确认 / 退回; a correction reopens
as revision n+1 with a reason. 定稿 is refused only while the 自查表 is
incomplete; people who still have to sign do not block it, they are listed in
the result (and named in the audit reason) so nobody finalises unknowingly.

At 定稿 the filing data is frozen into a snapshot with a SHA-256 over its
canonical JSON; while locked, the pledge list and the 自查表 are read from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import CAMPAIGN_FIELD_LABELS, Campaign
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import (
    FILING_FIELD_LABELS,
    FilingState,
    FilingStatus,
    build_snapshot,
    check_reopen_reason,
    check_transition,
    content_sha256,
    draft_status,
    finalise_blockers,
)
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.pledge import PLEDGE_FIELD_LABELS, PledgeProgress, PledgeRow, progress
from qingqing_desktop.domain.selfcheck import (
    FINDING_FIELD_LABELS,
    SELF_CHECK_FIELD_LABELS,
    RectificationState,
    SelfCheck,
)
from qingqing_desktop.domain.staff import StaffMember, names_told_apart
from qingqing_desktop.services.history import ACTION_LABELS, HistoryEntry
# pledge_service and selfcheck_service are imported by the functions that read the whole filing:
# the filing's status, which the window shows from the start, needs neither.
from qingqing_desktop.services.campaign_service import campaign_and_unit, require_campaign
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import get_unit
from qingqing_desktop.store import filings, staff
from qingqing_desktop.store.filings import FiledSnapshot

__all__ = [
    "FiledSnapshot", "FilingOverview", "FilingState", "FilingStatus", "FinaliseResult", "HistoryEntry", "Readiness",
    "filing_status", "check_readiness", "finalize", "reopen", "mark_submitted", "record_review",
    "filed_snapshot", "filing_history", "overview",
]


def filing_status(session: Session, *, campaign_id: str | None = None) -> FilingStatus:
    """State and revision (草稿, revision 1 until someone finalises)."""
    campaign = require_campaign(session, campaign_id)
    unit = get_unit(session)
    return filings.status(session.store, campaign.id, unit.id) if unit else draft_status(campaign.id)


# ----------------------------------------------------------------------------- 定稿


@dataclass(frozen=True)
class Readiness:
    """What 定稿 would say now: ``blockers`` refuse it; ``unsigned`` and ``notes`` only inform."""

    blockers: tuple[str, ...]
    unsigned: tuple[PledgeRow, ...]  # required people still 未签订
    notes: tuple[str, ...]

    @property
    def can_finalise(self) -> bool:
        return not self.blockers

    def unsigned_text(self) -> str:
        if not self.unsigned:
            return ""
        return f"尚有{len(self.unsigned)}人未签订承诺书：{'、'.join(names_told_apart(self.unsigned))}"


def _readiness(self_check: SelfCheck, rows: list[PledgeRow], roster: list[StaffMember]) -> Readiness:
    notes = []
    if self_check.filled_on is None:
        notes.append("自查表未填写填报日期（打印时留空，可手写）。")
    return Readiness(
        blockers=tuple(finalise_blockers(self_check, roster)),
        unsigned=tuple(r for r in rows if r.outstanding),
        notes=tuple(notes),
    )


def check_readiness(session: Session, *, campaign_id: str | None = None) -> Readiness:
    """For the GUI's 定稿 dialog: what blocks, and what is still outstanding."""
    from qingqing_desktop.services import pledge_service, selfcheck_service  # noqa: PLC0415 (see the imports above)

    campaign, unit = campaign_and_unit(session, campaign_id)
    return _readiness(
        selfcheck_service.get_self_check(session, campaign_id=campaign.id),
        pledge_service.list_pledges(session, campaign_id=campaign.id),
        staff.list_for_unit(session.store, unit.id),
    )


@dataclass(frozen=True)
class FinaliseResult:
    status: FilingStatus
    unsigned: tuple[PledgeRow, ...]  # finalised anyway; shown so nobody is surprised
    notes: tuple[str, ...]


def finalize(session: Session, *, campaign_id: str | None = None) -> FinaliseResult:
    """定稿: lock the filing at its current revision and store its snapshot and hash.

    Refused when the unit is not set up, the 自查表 is incomplete, or it is already locked.
    """
    from qingqing_desktop.services import pledge_service, selfcheck_service  # noqa: PLC0415 (see the imports above)

    session.require_sound()  # the full check: what is locked and printed must rest on sound data
    campaign, unit = campaign_and_unit(session, campaign_id)
    store = session.store
    with store.transaction():
        status = filings.status(store, campaign.id, unit.id)
        status.check_editable()
        self_check = selfcheck_service.get_self_check(session, campaign_id=campaign.id)
        rows = pledge_service.list_pledges(session, campaign_id=campaign.id)
        members = staff.list_for_unit(store, unit.id)
        ready = _readiness(self_check, rows, members)
        if not ready.can_finalise:
            raise InputRejected("不能定稿：" + "".join(ready.blockers))
        roster = sorted(members, key=lambda m: (sort_key(m.name), m.id))
        snapshot = build_snapshot(
            revision=status.revision, campaign=campaign, unit=unit, roster=roster, pledges=rows, self_check=self_check
        )
        sha256 = content_sha256(snapshot)
        filings.save_snapshot(store, campaign.id, unit.id, snapshot, sha256, operator=session.operator)
        filings.change_state(
            store, campaign.id, unit.id, FilingState.FINAL, revision=status.revision, operator=session.operator,
            reason=ready.unsigned_text(), extra_changes={"content_sha256": (status.content_sha256, sha256)},
        )
    return FinaliseResult(filings.status(store, campaign.id, unit.id), ready.unsigned, ready.notes)


def reopen(session: Session, reason: str, *, campaign_id: str | None = None) -> FilingStatus:
    """重新打开 for a correction: back to 草稿 as revision n+1; the reason is required and audited."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    reason = check_reopen_reason(reason)
    with session.store.transaction():
        status = filings.status(session.store, campaign.id, unit.id)
        if not status.locked:
            raise InputRejected(f"本次报送尚未定稿（{status.label}），可以直接修改，无需重新打开。")
        check_transition(status.state, FilingState.DRAFT)
        filings.change_state(session.store, campaign.id, unit.id, FilingState.DRAFT, revision=status.revision + 1,
                             operator=session.operator, reason=reason)
    return filings.status(session.store, campaign.id, unit.id)


def _move(session: Session, campaign_id: str | None, new_state: FilingState, reason: str) -> FilingStatus:
    campaign, unit = campaign_and_unit(session, campaign_id)
    with session.store.transaction():
        status = filings.status(session.store, campaign.id, unit.id)
        check_transition(status.state, new_state)
        filings.change_state(session.store, campaign.id, unit.id, new_state, revision=status.revision,
                             operator=session.operator, reason=reason)
    return filings.status(session.store, campaign.id, unit.id)


def mark_submitted(session: Session, *, note: str = "", campaign_id: str | None = None) -> FilingStatus:
    """已定稿 → 已报送, once the package and the stamped paper have been handed over."""
    return _move(session, campaign_id, FilingState.SUBMITTED, note.strip())


def record_review(
    session: Session, accepted: bool, comment: str = "", *, campaign_id: str | None = None
) -> FilingStatus:
    """The discipline office's answer: 已确认, or 退回 with its comment (required)."""
    comment = comment.strip()
    if not accepted and not comment:
        raise InputRejected("退回须填写退回意见。", Location(field="退回意见"))
    return _move(session, campaign_id, FilingState.CONFIRMED if accepted else FilingState.RETURNED, comment)


def filed_snapshot(
    session: Session, *, revision: int | None = None, campaign_id: str | None = None
) -> FiledSnapshot | None:
    """The filed content of a revision (default: the latest finalised), e.g. for printing or packing."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    return filings.snapshot(session.store, campaign.id, unit.id, revision)


# ----------------------------------------------------------------------------- history

_TABLE_LABELS = {
    "campaign": "行动",
    "filing": "报送",
    "pledge": "承诺书签订",
    "pledge_scan": "签字页扫描件",
    "self_check": "自查表",
    "finding": "问题条目",
}
_FIELD_LABELS = {
    "campaign": CAMPAIGN_FIELD_LABELS,
    "filing": FILING_FIELD_LABELS,
    "pledge": PLEDGE_FIELD_LABELS,
    "pledge_scan": {"file_name": "文件名", "sha256": "文件校验码"},
    "self_check": SELF_CHECK_FIELD_LABELS,
    "finding": FINDING_FIELD_LABELS,
}


def filing_history(session: Session, campaign_id: str | None = None) -> list[HistoryEntry]:
    """Everything that happened to this campaign's filing, newest first: state changes,
    pledges and scans, the 自查表 and its findings (rectification included)."""
    campaign = require_campaign(session, campaign_id)
    unit = get_unit(session)
    # 责任人 is recorded by staff id (names are not unique); show the name.
    names = {m.id: m.name for m in staff.list_for_unit(session.store, unit.id, include_deleted=True)} if unit else {}
    entries = []
    for row in filings.history(session.store, campaign.id):
        entry = row.entry
        what = _TABLE_LABELS.get(entry.table_name, entry.table_name)
        if row.subject:
            what += f"：{row.subject}"
        labels = _FIELD_LABELS.get(entry.table_name, {})
        field = labels.get(entry.field, entry.field) if entry.field else ""
        old, new = entry.old_value, entry.new_value
        if entry.table_name == "finding" and entry.field == "owner_id":
            old, new = names.get(old, old), names.get(new, new)
        entries.append(HistoryEntry(entry.at, entry.operator, ACTION_LABELS.get(entry.action, entry.action), what,
                                    field, old, new, entry.reason))
    return entries


# ----------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class FilingOverview:
    """Everything the main window's header and dashboard show about the current campaign."""

    campaign: Campaign
    status: FilingStatus
    days_left: int
    deadline_text: str  # 距截止还有 N 天 / 今天截止 / 已逾期 N 天
    pledges: PledgeProgress
    self_check_complete: bool
    incomplete_rows: tuple[int, ...]
    findings: int
    overdue_findings: int


def overview(session: Session, *, today: dt.date | None = None, campaign_id: str | None = None) -> FilingOverview:
    from qingqing_desktop.services import pledge_service, selfcheck_service  # noqa: PLC0415 (see the imports above)

    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    self_check = selfcheck_service.get_self_check(session, campaign_id=campaign.id)
    return FilingOverview(
        campaign=campaign,
        status=filings.status(session.store, campaign.id, unit.id),
        days_left=campaign.days_left(today),
        deadline_text=campaign.deadline_text(today),
        pledges=progress(pledge_service.list_pledges(session, campaign_id=campaign.id)),
        self_check_complete=self_check.is_complete,
        incomplete_rows=self_check.incomplete_rows,
        findings=len(self_check.findings),
        overdue_findings=sum(f.state(today) is RectificationState.OVERDUE for f in self_check.findings),
    )
