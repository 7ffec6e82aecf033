"""The 自查表 of a unit in a campaign: its header, the rows' “无” confirmations, and its findings.

Findings are deleted softly (``deleted_at``) like everything else with a UUID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import date_or_none, iso_or_none
from qingqing_desktop.domain.selfcheck import Finding, none_field
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

_FINDING_FIELDS = ("row", "problem", "measure", "owner_id", "due", "done_on", "done_note", "list_key", "item_index")


@dataclass(frozen=True)
class SelfCheckHeader:
    """What is stored for the header; ``leader`` None means “the unit's leader”."""

    id: str
    campaign_id: str
    unit_id: str
    leader: str | None
    filled_on: dt.date | None
    none_confirmed: frozenset[int]


def get_header(store: Store, campaign_id: str, unit_id: str) -> SelfCheckHeader | None:
    rows = list(store.query(
        "SELECT * FROM self_check WHERE campaign_id = ? AND unit_id = ?", [campaign_id, unit_id]
    ))
    if not rows:
        return None
    row = rows[0]
    confirmed = store.query(
        "SELECT row FROM self_check_row WHERE self_check_id = ? AND none_confirmed = 1", [row["id"]]
    )
    return SelfCheckHeader(
        id=row["id"],
        campaign_id=row["campaign_id"],
        unit_id=row["unit_id"],
        leader=row["leader"],
        filled_on=date_or_none(row["filled_on"]),
        none_confirmed=frozenset(r["row"] for r in confirmed),
    )


def ensure_header(store: Store, campaign_id: str, unit_id: str, *, operator: str) -> SelfCheckHeader:
    """The unit's 自查表 for the campaign, created (and audited) on the first write."""
    existing = get_header(store, campaign_id, unit_id)
    if existing is not None:
        return existing
    now = utc_now()
    self_check_id = new_id()
    store.db["self_check"].insert(
        {"id": self_check_id, "campaign_id": campaign_id, "unit_id": unit_id, "leader": None, "filled_on": None,
         "created_at": now, "updated_at": now}
    )
    audit.record(store, operator=operator, table="self_check", record_id=self_check_id, action="insert")
    return get_header(store, campaign_id, unit_id)


def save_header(
    store: Store, header: SelfCheckHeader, *, leader: str | None, filled_on: dt.date | None, operator: str
) -> dict[str, tuple]:
    changes = {}
    if leader != header.leader:
        changes["leader"] = (header.leader, leader)
    if filled_on != header.filled_on:
        changes["filled_on"] = (header.filled_on, filled_on)
    if changes:
        store.db["self_check"].update(
            header.id, {"leader": leader, "filled_on": iso_or_none(filled_on), "updated_at": utc_now()}
        )
        audit.record(store, operator=operator, table="self_check", record_id=header.id, action="update",
                     changes=changes)
    return changes


def set_none_confirmed(
    store: Store, header: SelfCheckHeader, row: int, confirmed: bool, *, operator: str, reason: str = ""
) -> bool:
    """Set a row's “无” confirmation; returns whether anything changed."""
    if (row in header.none_confirmed) == confirmed:
        return False
    store.execute(
        "INSERT INTO self_check_row(self_check_id, row, none_confirmed) VALUES (?, ?, ?) "
        "ON CONFLICT(self_check_id, row) DO UPDATE SET none_confirmed = excluded.none_confirmed",
        [header.id, row, int(confirmed)],
    )
    store.db["self_check"].update(header.id, {"updated_at": utc_now()})
    audit.record(store, operator=operator, table="self_check", record_id=header.id, action="update",
                 changes={none_field(row): (not confirmed, confirmed)}, reason=reason)
    return True


# ----------------------------------------------------------------------------- findings

def _finding(row: dict) -> Finding:
    return Finding(
        id=row["id"],
        row=row["row"],
        problem=row["problem"],
        measure=row["measure"],
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        due=date_or_none(row["due"]),
        done_on=date_or_none(row["done_on"]),
        done_note=row["done_note"],
        list_key=row["list_key"],
        item_index=row["item_index"],
    )


def _finding_values(finding: Finding) -> dict:
    return {
        "row": finding.row,
        "problem": finding.problem,
        "measure": finding.measure,
        "owner_id": finding.owner_id,
        "due": finding.due.isoformat(),
        "done_on": iso_or_none(finding.done_on),
        "done_note": finding.done_note,
        "list_key": finding.list_key,
        "item_index": finding.item_index,
    }


def findings(store: Store, self_check_id: str) -> list[Finding]:
    """Live findings in the order they were entered."""
    sql = """
        SELECT f.*, s.name AS owner_name FROM finding f JOIN staff s ON s.id = f.owner_id
        WHERE f.self_check_id = ? AND f.deleted_at IS NULL ORDER BY f.created_at, f.rowid
    """
    return [_finding(row) for row in store.query(sql, [self_check_id])]


def get_finding(store: Store, finding_id: str, *, include_deleted: bool = False) -> tuple[Finding, str] | None:
    """The finding and the id of the campaign it belongs to."""
    live_only = "" if include_deleted else "AND f.deleted_at IS NULL"
    sql = f"""
        SELECT f.*, s.name AS owner_name, c.campaign_id AS campaign_id
        FROM finding f JOIN staff s ON s.id = f.owner_id JOIN self_check c ON c.id = f.self_check_id
        WHERE f.id = ? {live_only}
    """
    rows = list(store.query(sql, [finding_id]))
    return (_finding(rows[0]), rows[0]["campaign_id"]) if rows else None


def insert_finding(store: Store, self_check_id: str, finding: Finding, *, operator: str) -> None:
    now = utc_now()
    store.db["finding"].insert(
        {**_finding_values(finding), "id": finding.id, "self_check_id": self_check_id,
         "created_at": now, "updated_at": now}
    )
    changes = {f: (None, getattr(finding, f)) for f in _FINDING_FIELDS if getattr(finding, f) not in ("", None)}
    audit.record(store, operator=operator, table="finding", record_id=finding.id, action="insert", changes=changes)


def update_finding(store: Store, old: Finding, new: Finding, *, operator: str, reason: str = "") -> dict[str, tuple]:
    changes = {f: (getattr(old, f), getattr(new, f)) for f in _FINDING_FIELDS if getattr(old, f) != getattr(new, f)}
    if changes:
        store.db["finding"].update(old.id, {**_finding_values(new), "updated_at": utc_now()})
        audit.record(store, operator=operator, table="finding", record_id=old.id, action="update",
                     changes=changes, reason=reason)
    return changes


def soft_delete_finding(store: Store, finding_id: str, *, operator: str, reason: str = "") -> None:
    store.db["finding"].update(finding_id, {"deleted_at": utc_now()})
    audit.record(store, operator=operator, table="finding", record_id=finding_id, action="delete", reason=reason)


def restore_deleted_finding(store: Store, finding_id: str, *, operator: str, reason: str = "") -> None:
    """Undo of a delete: the same UUID comes back."""
    store.db["finding"].update(finding_id, {"deleted_at": None, "updated_at": utc_now()})
    audit.record(store, operator=operator, table="finding", record_id=finding_id, action="update",
                 changes={"deleted_at": ("已删除", None)}, reason=reason or "撤销删除")
