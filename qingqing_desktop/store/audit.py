"""The audit log: one row per changed field (when, who, what, old → new, why)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qingqing_desktop.store.database import Store, utc_now


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    operator: str
    table_name: str
    record_id: str
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str


def record(
    store: Store,
    *,
    operator: str,
    table: str,
    record_id: str,
    action: str,
    changes: Mapping[str, tuple[object, object]] | None = None,
    reason: str = "",
) -> None:
    """Write audit rows inside the caller's transaction; an insert/delete without fields gets one row."""
    at = utc_now()
    rows = [
        {
            "at": at,
            "operator": operator,
            "table_name": table,
            "record_id": record_id,
            "action": action,
            "field": field,
            "old_value": _as_text(old),
            "new_value": _as_text(new),
            "reason": reason,
        }
        for field, (old, new) in (changes or {}).items()
    ]
    if not rows:
        rows = [
            {
                "at": at,
                "operator": operator,
                "table_name": table,
                "record_id": record_id,
                "action": action,
                "field": None,
                "old_value": None,
                "new_value": None,
                "reason": reason,
            }
        ]
    store.db["audit_log"].insert_all(rows)


def entries(store: Store, *, table: str | None = None, record_id: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    where, params = [], []
    if table:
        where.append("table_name = ?")
        params.append(table)
    if record_id:
        where.append("record_id = ?")
        params.append(record_id)
    sql = "SELECT * FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [AuditEntry(**row) for row in store.db.query(sql, params)]
