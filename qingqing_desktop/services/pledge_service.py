"""承诺书签订: the pledge list of a campaign, recording signatures, overrides and scans.

Every function works on the current campaign unless ``campaign_id`` is given.
Who must sign is computed from the roster when read; once the filing is
finalised, the list comes from the filed snapshot instead (so later roster
edits cannot change what was filed) and every change is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from qingqing_desktop.domain.campaign import Campaign, optional_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import pledges_from_snapshot
from qingqing_desktop.domain.pledge import (
    PledgeProgress,
    PledgeRecord,
    PledgeRow,
    PledgeScan,
    PledgeStatus,
    check_override,
    check_scan,
    check_scan_size,
    check_status_change,
    list_order,
    parse_pledge_status,
    pledge_row,
    progress,
    summary_table_rows,
)
from qingqing_desktop.domain.staff import StaffMember, new_id
from qingqing_desktop.domain.unit import Unit
from qingqing_desktop.services.campaign_service import campaign_and_unit, check_editable, require_campaign
from qingqing_desktop.services.roster_service import get_staff
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import filings, pledges, staff
from qingqing_desktop.store.faults import os_reason

__all__ = [
    "PledgeProgress", "PledgeRow", "PledgeScan", "PledgeStatus",
    "list_pledges", "pledge_progress", "get_pledge", "summary_rows",
    "set_status", "sign_many", "set_required", "attach_scan", "attach_scan_data", "get_scan", "remove_scan",
    "sign_with_scans",
]


def _live_row(session: Session, campaign: Campaign, member: StaffMember) -> PledgeRow:
    record = pledges.get(session.store, campaign.id, member.id)
    scan_sha = pledges.scan_hashes(session.store, campaign.id).get(member.id)
    return pledge_row(campaign.template.signing_rule, member, record, scan_sha)


def _rows(session: Session, campaign: Campaign, unit: Unit) -> list[PledgeRow]:
    store = session.store
    if filings.status(store, campaign.id, unit.id).locked:
        filed = filings.snapshot(store, campaign.id, unit.id)
        return sorted(pledges_from_snapshot(filed.data), key=list_order)
    records = pledges.for_campaign(store, campaign.id)
    scans = pledges.scan_hashes(store, campaign.id)
    rule = campaign.template.signing_rule
    members = staff.list_for_unit(store, unit.id)
    return sorted((pledge_row(rule, m, records.get(m.id), scans.get(m.id)) for m in members), key=list_order)


# ----------------------------------------------------------------------------- reading


def list_pledges(session: Session, *, campaign_id: str | None = None) -> list[PledgeRow]:
    """Everyone on the roster with the rule's verdict, the override and the status;
    未签订 first (those who must sign before those who need not), then by pinyin."""
    return _rows(session, *campaign_and_unit(session, campaign_id))


def pledge_progress(session: Session, *, campaign_id: str | None = None) -> PledgeProgress:
    return progress(list_pledges(session, campaign_id=campaign_id))


def get_pledge(session: Session, staff_id: str, *, campaign_id: str | None = None) -> PledgeRow:
    for row in list_pledges(session, campaign_id=campaign_id):
        if row.staff_id == staff_id:
            return row
    raise InputRejected(f"找不到编号为 {staff_id} 的人员", Location(field="人员"))


def summary_rows(session: Session, *, campaign_id: str | None = None) -> list[PledgeRow]:
    """The rows of 附件2 (汇总表): who signed this time, 中层干部 first, each by pinyin."""
    return summary_table_rows(list_pledges(session, campaign_id=campaign_id))


# ----------------------------------------------------------------------------- recording


def _record(session: Session, campaign: Campaign, staff_id: str) -> PledgeRecord:
    existing = pledges.get(session.store, campaign.id, staff_id)
    return existing or PledgeRecord(id=new_id(), campaign_id=campaign.id, staff_id=staff_id)


def set_status(
    session: Session,
    staff_id: str,
    status: PledgeStatus | str,
    *,
    signed_on: dt.date | str | None = None,
    reason: str = "",
    today: dt.date | None = None,
    campaign_id: str | None = None,
) -> PledgeRow:
    """Record one person's status.

    已签订 takes the signing date (today when none is given; a date after today
    is refused, earlier dates are fine: people sign before the campaign is entered);
    不适用 needs a reason; 此前已上交 may carry the date it was handed in;
    未签订 clears date and reason.
    """
    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    status = parse_pledge_status(status) if isinstance(status, str) else status
    signed_on = optional_date(signed_on, "签订日期")
    if status is PledgeStatus.SIGNED and signed_on is None:
        signed_on = today
    reason = reason.strip()
    check_status_change(status, signed_on, reason, today)
    if status is PledgeStatus.UNSIGNED:
        reason = ""
    member = get_staff(session, staff_id)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        record = replace(_record(session, campaign, member.id), status=status, signed_on=signed_on, reason=reason)
        pledges.save(session.store, record, operator=session.operator)
    return _live_row(session, campaign, member)


def sign_many(
    session: Session,
    staff_ids: Iterable[str],
    signed_on: dt.date | str | None = None,
    *,
    today: dt.date | None = None,
    campaign_id: str | None = None,
) -> list[PledgeRow]:
    """Mark several people 已签订 on one date, all in one transaction (all or nothing)."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    signed_on = optional_date(signed_on, "签订日期") or today
    check_status_change(PledgeStatus.SIGNED, signed_on, "", today)
    members = [get_staff(session, staff_id) for staff_id in dict.fromkeys(staff_ids)]
    if not members:
        raise InputRejected("请先选择要登记的人员。", Location(field="人员"))
    with session.store.transaction():
        check_editable(session, campaign, unit)
        for member in members:
            record = replace(
                _record(session, campaign, member.id), status=PledgeStatus.SIGNED, signed_on=signed_on, reason=""
            )
            pledges.save(session.store, record, operator=session.operator, reason="批量登记已签订")
    return [_live_row(session, campaign, m) for m in members]


def set_required(
    session: Session,
    staff_id: str,
    required: bool | None,
    reason: str = "",
    *,
    campaign_id: str | None = None,
) -> PledgeRow:
    """Decide by hand whether someone must sign (with a reason); ``None`` hands it back to the rule."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    reason = reason.strip() if required is not None else ""
    check_override(required, reason)
    member = get_staff(session, staff_id)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        record = replace(_record(session, campaign, member.id), required_override=required, override_reason=reason)
        pledges.save(session.store, record, operator=session.operator, reason=reason)
    return _live_row(session, campaign, member)


# ----------------------------------------------------------------------------- scans


def attach_scan(session: Session, staff_id: str, path: Path, *, campaign_id: str | None = None) -> PledgeRow:
    """Attach a scan or photo of the signed page from a file (PNG, JPEG or PDF, at most 10 MB)."""
    path = Path(path)
    where = Location(file=str(path), field="签字页扫描件")
    try:
        # Check the size before reading: a 2 GB video picked by mistake must not be loaded.
        check_scan_size(path.stat().st_size, str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputRejected("找不到文件。", where) from None
    except IsADirectoryError:
        raise InputRejected("这是一个文件夹，不是文件。", where) from None
    except OSError as exc:
        raise InputRejected(f"无法读取文件：{os_reason(exc)}", where) from None
    return attach_scan_data(session, staff_id, data, path.name, campaign_id=campaign_id)


def attach_scan_data(
    session: Session, staff_id: str, data: bytes, file_name: str, *, campaign_id: str | None = None
) -> PledgeRow:
    """Attach (or replace) the scan of one person's signed page, kept in the database."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    scan = check_scan(data, file_name)
    member = get_staff(session, staff_id)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        record = _record(session, campaign, member.id)
        pledges.save(session.store, record, operator=session.operator)  # a no-op unless it is new
        pledges.put_scan(session.store, record.id, scan, operator=session.operator)
    return _live_row(session, campaign, member)


def get_scan(session: Session, staff_id: str, *, campaign_id: str | None = None) -> PledgeScan | None:
    campaign = require_campaign(session, campaign_id)
    record = pledges.get(session.store, campaign.id, staff_id)
    return pledges.get_scan(session.store, record.id) if record else None


def remove_scan(session: Session, staff_id: str, *, campaign_id: str | None = None) -> PledgeRow:
    campaign, unit = campaign_and_unit(session, campaign_id)
    member = get_staff(session, staff_id)
    record = pledges.get(session.store, campaign.id, member.id)
    with session.store.transaction():
        check_editable(session, campaign, unit)
        if record is None or not pledges.delete_scan(session.store, record.id, operator=session.operator):
            raise InputRejected(f"{member.name}没有附扫描件。", Location(field="签字页扫描件"))
    return _live_row(session, campaign, member)


def sign_with_scans(
    session: Session,
    scans: Sequence[tuple[str, PledgeScan]],
    signed_on: dt.date | str,
    *,
    reason: str,
    today: dt.date | None = None,
    campaign_id: str | None = None,
) -> list[PledgeRow]:
    """The signed pages of several people came back: each becomes 已签订 and gets their scan
    (replacing one attached before), all in one transaction (all or nothing).

    ``signed_on`` is the date for those not yet recorded as 已签订; someone already 已签订
    keeps the date a clerk recorded. ``reason`` goes to the audit log (where the scans came from).
    """
    campaign, unit = campaign_and_unit(session, campaign_id)
    today = today or dt.date.today()
    signed_on = optional_date(signed_on, "签订日期") or today
    check_status_change(PledgeStatus.SIGNED, signed_on, "", today)
    members = [(get_staff(session, staff_id), scan) for staff_id, scan in scans]
    if not members:
        raise InputRejected("没有可登记的签字页。", Location(field="签字页扫描件"))
    with session.store.transaction():
        check_editable(session, campaign, unit)
        for member, scan in members:
            record = _record(session, campaign, member.id)
            if record.status is not PledgeStatus.SIGNED or record.signed_on is None:
                record = replace(record, status=PledgeStatus.SIGNED, signed_on=signed_on, reason="")
            pledges.save(session.store, record, operator=session.operator, reason=reason)
            pledges.put_scan(session.store, record.id, scan, operator=session.operator, reason=reason)
    return [_live_row(session, campaign, m) for m, _ in members]
