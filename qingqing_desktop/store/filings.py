"""A unit's filing for a campaign: state, revision, the snapshot of each finalised revision,
and the campaign's history out of the audit log.

No row means a filing nobody has finalised yet: 草稿, revision 1. Snapshots of
earlier revisions are kept, so a stamped page of revision 1 can still be matched
to its content after revision 2 was filed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from qingqing_desktop.domain.filing import FilingState, FilingStatus, canonical_json, draft_status
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now


def _filing_row(store: Store, campaign_id: str, unit_id: str) -> dict | None:
    rows = list(store.query("SELECT * FROM filing WHERE campaign_id = ? AND unit_id = ?", [campaign_id, unit_id]))
    return rows[0] if rows else None


def status(store: Store, campaign_id: str, unit_id: str | None) -> FilingStatus:
    row = _filing_row(store, campaign_id, unit_id) if unit_id else None
    if row is None:
        return draft_status(campaign_id)
    latest = list(store.query(
        "SELECT content_sha256, finalized_at, finalized_by FROM filing_snapshot WHERE filing_id = ? "
        "ORDER BY revision DESC LIMIT 1",
        [row["id"]],
    ))
    filed = latest[0] if latest else {}
    return FilingStatus(
        campaign_id=campaign_id,
        state=FilingState(row["state"]),
        revision=row["revision"],
        content_sha256=filed.get("content_sha256"),
        finalized_at=filed.get("finalized_at"),
        finalized_by=filed.get("finalized_by"),
    )


def _ensure(store: Store, campaign_id: str, unit_id: str) -> str:
    row = _filing_row(store, campaign_id, unit_id)
    if row is not None:
        return row["id"]
    filing_id, now = new_id(), utc_now()
    store.db["filing"].insert(
        {"id": filing_id, "campaign_id": campaign_id, "unit_id": unit_id, "state": FilingState.DRAFT.value,
         "revision": 1, "created_at": now, "updated_at": now}
    )
    return filing_id


def change_state(
    store: Store,
    campaign_id: str,
    unit_id: str,
    new_state: FilingState,
    *,
    revision: int,
    operator: str,
    reason: str = "",
    extra_changes: dict[str, tuple] | None = None,
) -> None:
    """Move the filing to ``new_state`` at ``revision`` (the caller checked the transition); audited."""
    old = status(store, campaign_id, unit_id)
    filing_id = _ensure(store, campaign_id, unit_id)
    store.db["filing"].update(filing_id, {"state": new_state.value, "revision": revision, "updated_at": utc_now()})
    changes = {"state": (old.state, new_state)}
    if revision != old.revision:
        changes["revision"] = (old.revision, revision)
    changes.update(extra_changes or {})
    audit.record(store, operator=operator, table="filing", record_id=filing_id, action="update",
                 changes=changes, reason=reason)


def save_snapshot(store: Store, campaign_id: str, unit_id: str, snapshot: dict, sha256: str, *, operator: str) -> None:
    filing_id = _ensure(store, campaign_id, unit_id)
    store.db["filing_snapshot"].insert(
        {"filing_id": filing_id, "revision": snapshot["revision"],
         "snapshot_json": canonical_json(snapshot).decode("utf-8"), "content_sha256": sha256,
         "finalized_at": utc_now(), "finalized_by": operator}
    )


@dataclass(frozen=True)
class FiledSnapshot:
    revision: int
    data: dict
    content_sha256: str
    finalized_at: str
    finalized_by: str


def snapshot(store: Store, campaign_id: str, unit_id: str, revision: int | None = None) -> FiledSnapshot | None:
    """The snapshot of ``revision`` (default: the latest finalised one)."""
    row = _filing_row(store, campaign_id, unit_id)
    if row is None:
        return None
    sql = "SELECT * FROM filing_snapshot WHERE filing_id = ?"
    params: list = [row["id"]]
    if revision is not None:
        sql += " AND revision = ?"
        params.append(revision)
    rows = list(store.query(sql + " ORDER BY revision DESC LIMIT 1", params))
    if not rows:
        return None
    found = rows[0]
    return FiledSnapshot(found["revision"], json.loads(found["snapshot_json"]), found["content_sha256"],
                         found["finalized_at"], found["finalized_by"])


# ----------------------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryRow:
    entry: audit.AuditEntry
    subject: str  # whom or what the change was about: a person's name, a finding's first words


# Every audit row about this campaign: the campaign itself, its filing, its pledges
# and their scans, its 自查表 and findings. The audit log has no campaign column,
# so the records are found through the tables that have one.
_HISTORY_SQL = """
    SELECT a.*,
        CASE
            WHEN a.table_name IN ('pledge', 'pledge_scan') THEN
                (SELECT s.name FROM pledge p JOIN staff s ON s.id = p.staff_id WHERE p.id = a.record_id)
            WHEN a.table_name = 'finding' THEN
                (SELECT '第' || f.row || '行：' || substr(f.problem, 1, 20) FROM finding f WHERE f.id = a.record_id)
            ELSE ''
        END AS subject
    FROM audit_log a
    WHERE (a.table_name = 'campaign' AND a.record_id = :campaign)
       OR (a.table_name = 'filing' AND a.record_id IN (SELECT id FROM filing WHERE campaign_id = :campaign))
       OR (a.table_name IN ('pledge', 'pledge_scan')
           AND a.record_id IN (SELECT id FROM pledge WHERE campaign_id = :campaign))
       OR (a.table_name = 'self_check' AND a.record_id IN (SELECT id FROM self_check WHERE campaign_id = :campaign))
       OR (a.table_name = 'finding' AND a.record_id IN (
               SELECT f.id FROM finding f JOIN self_check c ON c.id = f.self_check_id WHERE c.campaign_id = :campaign))
    ORDER BY a.id DESC
    LIMIT :limit
"""


def history(store: Store, campaign_id: str, *, limit: int = 5000) -> list[HistoryRow]:
    """Newest first."""
    rows = store.query(_HISTORY_SQL, {"campaign": campaign_id, "limit": limit})
    result = []
    for row in rows:
        subject = row.pop("subject") or ""
        result.append(HistoryRow(audit.AuditEntry(**row), subject))
    return result
