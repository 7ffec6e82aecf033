"""The audit log: one row per changed field (when, who, what, old → new, why)."""

from __future__ import annotations

import json
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


# What changes from row to row goes in as one JSON array, the rest as single values: binding nine
# values per row is most of the time of a roster import's thirty thousand audit rows.
_INSERT_MANY = (
    "INSERT INTO audit_log (at, operator, table_name, action, reason, record_id, field, old_value, new_value)"
    " SELECT ?, ?, ?, ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]'), json_extract(value, '$[3]') FROM json_each(?)"
)


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
    record_many(store, operator=operator, table=table, action=action, changes_by_record={record_id: changes},
                reason=reason)


def record_many(
    store: Store,
    *,
    operator: str,
    table: str,
    action: str,
    changes_by_record: Mapping[str, Mapping[str, tuple[object, object]] | None],
    reason: str = "",
) -> None:
    """``record`` for many records done alike (a roster import), in one statement."""
    rows = []
    for record_id, changes in changes_by_record.items():
        fields = [(record_id, field, _as_text(old), _as_text(new)) for field, (old, new) in (changes or {}).items()]
        rows.extend(fields or [(record_id, None, None, None)])
    store.execute(_INSERT_MANY, [utc_now(), operator, table, action, reason, json.dumps(rows, ensure_ascii=False)])


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
    return [AuditEntry(**row) for row in store.query(sql, params)]
