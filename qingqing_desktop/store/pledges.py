"""Pledge records (承诺书签订) per person per campaign, and the scans of signed pages.

Only what a clerk recorded is stored (status, date, reason, override); whether a
person must sign is computed from the roster when read (``domain.pledge``).
"""

from __future__ import annotations

from qingqing_desktop.domain.campaign import date_or_none, iso_or_none
from qingqing_desktop.domain.pledge import PledgeRecord, PledgeScan, PledgeStatus
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

_RECORD_FIELDS = ("status", "signed_on", "reason", "required_override", "override_reason")


def _override(value) -> bool | None:
    return None if value is None else bool(value)


def _from_row(row: dict) -> PledgeRecord:
    return PledgeRecord(
        id=row["id"],
        campaign_id=row["campaign_id"],
        staff_id=row["staff_id"],
        status=PledgeStatus(row["status"]),
        signed_on=date_or_none(row["signed_on"]),
        reason=row["reason"],
        required_override=_override(row["required_override"]),
        override_reason=row["override_reason"],
    )


def _values(record: PledgeRecord) -> dict:
    return {
        "status": record.status.value,
        "signed_on": iso_or_none(record.signed_on),
        "reason": record.reason,
        "required_override": None if record.required_override is None else int(record.required_override),
        "override_reason": record.override_reason,
    }


def get(store: Store, campaign_id: str, staff_id: str) -> PledgeRecord | None:
    rows = list(store.query("SELECT * FROM pledge WHERE campaign_id = ? AND staff_id = ?", [campaign_id, staff_id]))
    return _from_row(rows[0]) if rows else None


def for_campaign(store: Store, campaign_id: str) -> dict[str, PledgeRecord]:
    """staff id → record, for everyone something was recorded for."""
    rows = store.query("SELECT * FROM pledge WHERE campaign_id = ?", [campaign_id])
    return {row["staff_id"]: _from_row(row) for row in rows}


def save(store: Store, record: PledgeRecord, *, operator: str, reason: str = "") -> dict[str, tuple]:
    """Insert or update within the caller's transaction; returns the changed fields (audited)."""
    old = get(store, record.campaign_id, record.staff_id)
    now = utc_now()
    if old is None:
        store.db["pledge"].insert(
            {**_values(record), "id": record.id, "campaign_id": record.campaign_id, "staff_id": record.staff_id,
             "created_at": now, "updated_at": now}
        )
        blank = PledgeRecord(record.id, record.campaign_id, record.staff_id)
        changes = _diff(blank, record)
        audit.record(store, operator=operator, table="pledge", record_id=record.id, action="insert",
                     changes=changes, reason=reason)
        return changes
    changes = _diff(old, record)
    if changes:
        store.db["pledge"].update(old.id, {**_values(record), "updated_at": now})
        audit.record(store, operator=operator, table="pledge", record_id=old.id, action="update",
                     changes=changes, reason=reason)
    return changes


def _diff(old: PledgeRecord, new: PledgeRecord) -> dict[str, tuple]:
    return {f: (getattr(old, f), getattr(new, f)) for f in _RECORD_FIELDS if getattr(old, f) != getattr(new, f)}


# ----------------------------------------------------------------------------- scans


def scan_hashes(store: Store, campaign_id: str) -> dict[str, str]:
    """staff id → SHA-256 of the scan, without reading the scans themselves."""
    rows = store.query(
        "SELECT p.staff_id, s.sha256 FROM pledge_scan s JOIN pledge p ON p.id = s.pledge_id WHERE p.campaign_id = ?",
        [campaign_id],
    )
    return {row["staff_id"]: row["sha256"] for row in rows}


def get_scan(store: Store, pledge_id: str) -> PledgeScan | None:
    rows = list(store.query("SELECT * FROM pledge_scan WHERE pledge_id = ?", [pledge_id]))
    if not rows:
        return None
    row = rows[0]
    return PledgeScan(row["file_name"], row["mime"], row["size"], row["sha256"], bytes(row["data"]), row["added_at"])


def put_scan(store: Store, pledge_id: str, scan: PledgeScan, *, operator: str, reason: str = "") -> None:
    """Attach (or replace) the scan of a pledge within the caller's transaction."""
    old = get_scan(store, pledge_id)
    store.db["pledge_scan"].upsert(
        {"pledge_id": pledge_id, "file_name": scan.file_name, "mime": scan.mime, "size": scan.size,
         "sha256": scan.sha256, "data": scan.data, "added_at": utc_now()},
        pk="pledge_id",
    )
    changes = {
        "file_name": (old.file_name if old else None, scan.file_name),
        "sha256": (old.sha256 if old else None, scan.sha256),
    }
    audit.record(store, operator=operator, table="pledge_scan", record_id=pledge_id,
                 action="update" if old else "insert", changes=changes, reason=reason)


def delete_scan(store: Store, pledge_id: str, *, operator: str) -> bool:
    old = get_scan(store, pledge_id)
    if old is None:
        return False
    store.execute("DELETE FROM pledge_scan WHERE pledge_id = ?", [pledge_id])
    audit.record(store, operator=operator, table="pledge_scan", record_id=pledge_id, action="delete",
                 changes={"file_name": (old.file_name, None), "sha256": (old.sha256, None)})
    return True
