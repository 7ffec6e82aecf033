"""The discipline office's tables: expected units, every delivered file, the office's reviews.

Every function writes inside the caller's transaction and audits what it changes
(tables ``office_unit``, ``office_delivery``, ``office_review``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from qingqing_desktop.domain.names import comparison_key, remember_syllables, syllables_text
from qingqing_desktop.domain.office import (
    MODE_KEY,
    MODE_UNIT,
    OFFICE_NAME_KEY,
    DeliveryFacts,
    DeliverySource,
    FilingChanges,
    FilingCounts,
    Outcome,
    ReviewState,
)
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

# ----------------------------------------------------------------------------- mode


def mode(store: Store) -> str:
    return store.meta_get(MODE_KEY) or MODE_UNIT


def office_name(store: Store) -> str:
    return store.meta_get(OFFICE_NAME_KEY) or ""


def set_mode(store: Store, new_mode: str, name: str, *, operator: str) -> None:
    old_mode, old_name = mode(store), office_name(store)
    store.meta_set(MODE_KEY, new_mode)
    store.meta_set(OFFICE_NAME_KEY, name)
    changes = {k: v for k, v in {"mode": (old_mode, new_mode), "office_name": (old_name, name)}.items() if v[0] != v[1]}
    if changes:
        audit.record(store, operator=operator, table="meta", record_id=MODE_KEY, action="update", changes=changes)


# ----------------------------------------------------------------------------- units


@dataclass(frozen=True)
class OfficeUnit:
    """A unit as the office knows it. ``unit_id`` is the unit's own UUID, known once a
    package arrived; ``fingerprint`` is its signing key, pinned then."""

    id: str
    name: str
    expected: bool
    unit_id: str | None
    reported_name: str
    kind: str
    leader: str
    fingerprint: str | None


def _unit(row: Mapping) -> OfficeUnit:
    remember_syllables(row["name"], row["name_pinyin"])  # the board in pinyin order without computing pinyin
    return OfficeUnit(row["id"], row["name"], bool(row["expected"]), row["unit_id"], row["reported_name"],
                      row["kind"], row["leader"], row["fingerprint"])


def list_units(store: Store) -> list[OfficeUnit]:
    return [_unit(r) for r in store.query("SELECT * FROM office_unit WHERE deleted_at IS NULL ORDER BY rowid")]


def get_unit(store: Store, office_unit_id: str) -> OfficeUnit | None:
    rows = list(store.query("SELECT * FROM office_unit WHERE id = ? AND deleted_at IS NULL", [office_unit_id]))
    return _unit(rows[0]) if rows else None


def unit_by_unit_id(store: Store, unit_id: str) -> OfficeUnit | None:
    rows = list(store.query("SELECT * FROM office_unit WHERE unit_id = ? AND deleted_at IS NULL", [unit_id]))
    return _unit(rows[0]) if rows else None


def units_named(store: Store, name: str) -> list[OfficeUnit]:
    """Units listed under ``name``, compared by ``domain.names.comparison_key`` (so 技术科 and
    技術科 or “技术科 ” are one unit), oldest first."""
    rows = store.query(
        "SELECT * FROM office_unit WHERE name_key = ? AND deleted_at IS NULL ORDER BY rowid", [comparison_key(name)]
    )
    return [_unit(r) for r in rows]


def add_unit(store: Store, name: str, *, expected: bool, operator: str, reason: str = "") -> OfficeUnit:
    now, unit_id = utc_now(), new_id()
    store.db["office_unit"].insert(
        {"id": unit_id, "name": name, "name_key": comparison_key(name), "name_pinyin": syllables_text(name),
         "expected": int(expected), "created_at": now, "updated_at": now}
    )
    audit.record(store, operator=operator, table="office_unit", record_id=unit_id, action="insert",
                 changes={"name": (None, name), "expected": (None, expected)}, reason=reason)
    return get_unit(store, unit_id)


def update_unit(store: Store, unit: OfficeUnit, *, operator: str, reason: str = "", **values) -> OfficeUnit:
    """Change ``expected``, ``unit_id``, ``reported_name``, ``kind``, ``leader`` or ``fingerprint``."""
    changes = {k: (getattr(unit, k), v) for k, v in values.items() if getattr(unit, k) != v}
    if changes:
        stored = {k: int(v) if k == "expected" else v for k, (_, v) in changes.items()}
        store.db["office_unit"].update(unit.id, {**stored, "updated_at": utc_now()})
        audit.record(store, operator=operator, table="office_unit", record_id=unit.id, action="update",
                     changes=changes, reason=reason)
    return get_unit(store, unit.id)


# ----------------------------------------------------------------------------- deliveries


@dataclass(frozen=True)
class Delivery:
    """One file a unit delivered (a 报送包 or an Excel 附件2), without its data and members."""

    id: str
    office_unit_id: str
    campaign_id: str
    source: DeliverySource
    revision: int
    sequence: int | None
    created_at: str
    imported_at: str
    imported_by: str
    file_name: str
    fingerprint: str | None
    data_sha256: str
    content_sha256: str
    outcome: Outcome
    changes: FilingChanges
    counts: FilingCounts

    @property
    def facts(self) -> DeliveryFacts:
        return DeliveryFacts(self.source, self.revision, self.sequence, self.content_sha256, self.data_sha256)


_LIGHT_COLUMNS = """id, office_unit_id, campaign_id, source, revision, sequence, created_at, imported_at, imported_by,
    file_name, fingerprint, data_sha256, content_sha256, outcome, changes_json, people, pledges_required,
    pledges_signed, pledges_outstanding, findings, findings_open, findings_done, pledges_signed_unrequired"""


def _delivery(row: Mapping) -> Delivery:
    return Delivery(
        id=row["id"], office_unit_id=row["office_unit_id"], campaign_id=row["campaign_id"],
        source=DeliverySource(row["source"]), revision=row["revision"], sequence=row["sequence"],
        created_at=row["created_at"], imported_at=row["imported_at"], imported_by=row["imported_by"],
        file_name=row["file_name"], fingerprint=row["fingerprint"], data_sha256=row["data_sha256"],
        content_sha256=row["content_sha256"], outcome=Outcome(row["outcome"]),
        changes=FilingChanges.from_dict(json.loads(row["changes_json"])),
        counts=FilingCounts.from_dict(row),
    )


def get_delivery(store: Store, delivery_id: str) -> Delivery | None:
    rows = list(store.query(f"SELECT {_LIGHT_COLUMNS} FROM office_delivery WHERE id = ?", [delivery_id]))
    return _delivery(rows[0]) if rows else None


def current_delivery(store: Store, campaign_id: str, office_unit_id: str) -> Delivery | None:
    rows = list(store.query(
        f"SELECT {_LIGHT_COLUMNS} FROM office_delivery WHERE campaign_id = ? AND office_unit_id = ? "
        "AND outcome = 'current'",
        [campaign_id, office_unit_id],
    ))
    return _delivery(rows[0]) if rows else None


def deliveries(store: Store, campaign_id: str, office_unit_id: str) -> list[Delivery]:
    """Every file the unit delivered for the campaign, newest import first."""
    rows = store.query(
        f"SELECT {_LIGHT_COLUMNS} FROM office_delivery WHERE campaign_id = ? AND office_unit_id = ? "
        "ORDER BY imported_at DESC, rowid DESC",
        [campaign_id, office_unit_id],
    )
    return [_delivery(r) for r in rows]


@dataclass(frozen=True)
class CurrentFiling:
    """A unit's current delivery for the board, with the facts that span its history."""

    delivery: Delivery
    # (created_at, imported_at) of every delivery that was current once: the first of them decides 按时
    # (``domain.office.first_delivery_time``)
    times: tuple[tuple[str, str], ...]
    conflicts: int


def current_filings(store: Store, campaign_id: str, office_unit_id: str | None = None) -> dict[str, CurrentFiling]:
    """office unit id → its current delivery for the campaign (every unit's, or one unit's), in two queries."""
    only_unit = " AND d.office_unit_id = :unit" if office_unit_id else ""
    arguments = {"campaign": campaign_id, "unit": office_unit_id}
    rows = store.query(
        f"""
        SELECT {', '.join('d.' + c.strip() for c in _LIGHT_COLUMNS.split(','))},
            (SELECT COUNT(*) FROM office_delivery h WHERE h.campaign_id = d.campaign_id
                AND h.office_unit_id = d.office_unit_id AND h.outcome = 'conflict') AS conflicts
        FROM office_delivery d WHERE d.campaign_id = :campaign AND d.outcome = 'current'{only_unit}
        """,
        arguments,
    )
    times: dict[str, list[tuple[str, str]]] = {}
    for r in store.query(
        f"""SELECT d.office_unit_id, d.created_at, d.imported_at FROM office_delivery d
            WHERE d.campaign_id = :campaign AND d.outcome IN ('current', 'superseded'){only_unit}""",
        arguments,
    ):
        times.setdefault(r["office_unit_id"], []).append((r["created_at"], r["imported_at"]))
    return {r["office_unit_id"]: CurrentFiling(_delivery(r), tuple(times.get(r["office_unit_id"], ())), r["conflicts"])
            for r in rows}


def delivery_data(store: Store, delivery_id: str) -> dict:
    row = store.execute("SELECT data_json FROM office_delivery WHERE id = ?", [delivery_id]).fetchone()
    return json.loads(row[0])


def signed_parts(store: Store, delivery_id: str) -> tuple[bytes, bytes] | None:
    """The exact signed manifest and its signature, to verify a stored package again."""
    row = store.execute("SELECT manifest, signature FROM office_delivery WHERE id = ?", [delivery_id]).fetchone()
    return (bytes(row[0]), bytes(row[1])) if row and row[0] is not None else None


def insert_delivery(
    store: Store,
    delivery: Delivery,
    *,
    data_json: str,
    members: Mapping[str, bytes],
    manifest: bytes | None,
    signature: bytes | None,
    reason: str,
) -> None:
    counts = delivery.counts.to_dict()
    store.db["office_delivery"].insert(
        {
            "id": delivery.id, "office_unit_id": delivery.office_unit_id, "campaign_id": delivery.campaign_id,
            "source": delivery.source.value, "revision": delivery.revision, "sequence": delivery.sequence,
            "created_at": delivery.created_at, "imported_at": delivery.imported_at,
            "imported_by": delivery.imported_by, "file_name": delivery.file_name,
            "fingerprint": delivery.fingerprint, "manifest": manifest, "signature": signature,
            "data_json": data_json, "data_sha256": delivery.data_sha256, "content_sha256": delivery.content_sha256,
            "outcome": delivery.outcome.value,
            "changes_json": json.dumps(delivery.changes.to_dict(), ensure_ascii=False, sort_keys=True),
            **counts,
        }
    )
    if members:
        store.db["office_delivery_member"].insert_all(
            {"delivery_id": delivery.id, "name": name, "data": data} for name, data in members.items()
        )
    audit.record(
        store, operator=delivery.imported_by, table="office_delivery", record_id=delivery.id, action="insert",
        changes={"file_name": (None, delivery.file_name), "revision": (None, delivery.revision),
                 "outcome": (None, delivery.outcome.label)},
        reason=reason,
    )


def set_outcome(store: Store, delivery: Delivery, outcome: Outcome, *, operator: str, reason: str = "") -> None:
    store.db["office_delivery"].update(delivery.id, {"outcome": outcome.value})
    audit.record(store, operator=operator, table="office_delivery", record_id=delivery.id, action="update",
                 changes={"outcome": (delivery.outcome.label, outcome.label)}, reason=reason)


def member_names(store: Store, delivery_id: str) -> list[str]:
    rows = store.execute(
        "SELECT name FROM office_delivery_member WHERE delivery_id = ? ORDER BY name", [delivery_id]
    ).fetchall()
    return [r[0] for r in rows]


def member(store: Store, delivery_id: str, name: str) -> bytes | None:
    row = store.execute(
        "SELECT data FROM office_delivery_member WHERE delivery_id = ? AND name = ?", [delivery_id, name]
    ).fetchone()
    return bytes(row[0]) if row else None


# ----------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class Review:
    id: str
    office_unit_id: str
    campaign_id: str
    revision: int
    state: ReviewState  # RETURNED or CONFIRMED
    comment: str
    file_id: str | None  # the return file's package id, when one was written
    at: str
    operator: str


def _review(row: Mapping) -> Review:
    return Review(row["id"], row["office_unit_id"], row["campaign_id"], row["revision"], ReviewState(row["state"]),
                  row["comment"], row["file_id"], row["at"], row["operator"])


def reviews(store: Store, campaign_id: str, office_unit_id: str | None = None) -> list[Review]:
    """Oldest first."""
    sql, params = "SELECT * FROM office_review WHERE campaign_id = ?", [campaign_id]
    if office_unit_id is not None:
        sql += " AND office_unit_id = ?"
        params.append(office_unit_id)
    return [_review(r) for r in store.query(sql + " ORDER BY at, rowid", params)]


def add_review(
    store: Store,
    *,
    office_unit_id: str,
    campaign_id: str,
    revision: int,
    state: ReviewState,
    comment: str,
    operator: str,
    file_id: str | None = None,
) -> Review:
    review_id = new_id()
    store.db["office_review"].insert(
        {"id": review_id, "office_unit_id": office_unit_id, "campaign_id": campaign_id, "revision": revision,
         "state": state.value, "comment": comment, "file_id": file_id, "at": utc_now(), "operator": operator}
    )
    audit.record(store, operator=operator, table="office_review", record_id=review_id, action="insert",
                 changes={"state": (None, state.value), "revision": (None, revision)}, reason=comment)
    return _review(next(iter(store.query("SELECT * FROM office_review WHERE id = ?", [review_id]))))
