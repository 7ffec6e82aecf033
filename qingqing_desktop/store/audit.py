"""The audit log: one row per changed field (when, who, what, old → new, why)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qingqing_desktop.store.database import Store, utc_now


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(getattr(value, "value", value))


def flag_text_sql(column: str) -> str:
    """``_as_text`` of a flag stored as 0/1, in SQL (for ``record_inserted``)."""
    return f"CASE {column} WHEN 1 THEN '是' ELSE '否' END"


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


_INSERT = (
    "INSERT INTO audit_log (at, operator, table_name, action, reason, record_id, field, old_value, new_value)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
    common = (utc_now(), operator, table, action, reason, record_id)
    fields = [(*common, field, _as_text(old), _as_text(new)) for field, (old, new) in (changes or {}).items()]
    store.conn.executemany(_INSERT, fields or [(*common, None, None, None)])


def record_inserted(
    store: Store,
    *,
    operator: str,
    table: str,
    record_ids: Sequence[str],
    field_texts: Mapping[str, str],
    reason: str = "",
) -> None:
    """``record`` of rows just inserted into ``table`` (by ``id``): one audit row per field that
    is not empty, in ``field_texts``' order, the rows in ``record_ids``' order — the texts read back
    from the new rows in one statement, not built field by field in Python (a roster import of
    5,000 people writes 30,000 audit rows: half the time of its write). ``field_texts``: field → SQL
    expression over the row giving the text ``_as_text`` gives (the column itself, or
    ``flag_text_sql``). The names are the code's own, never a user's text."""
    fields = " UNION ALL ".join(f"SELECT {n} AS n, '{field}' AS field" for n, field in enumerate(field_texts))
    texts = " ".join(f"WHEN '{field}' THEN {expression}" for field, expression in field_texts.items())
    # CROSS JOIN fixes the loops' nesting (SQLite's documented way): the ids outermost, then the
    # row, then its fields, so the rows come out in that order without sorting 30,000 of them.
    store.execute(
        "INSERT INTO audit_log (at, operator, table_name, action, reason, record_id, field, old_value, new_value)"
        " SELECT ?, ?, ?, 'insert', ?, id, field, NULL, text FROM ("
        f"  SELECT t.id AS id, f.field AS field, CASE f.field {texts} END AS text"
        f"  FROM json_each(?) j CROSS JOIN {table} t ON t.id = j.value CROSS JOIN ({fields}) f"
        ") WHERE text != ''",
        [utc_now(), operator, table, reason, json.dumps(list(record_ids))])


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
