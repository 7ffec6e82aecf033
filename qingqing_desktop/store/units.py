"""The unit table. A unit database keeps its own unit; the office keeps many (later)."""

from __future__ import annotations

from qingqing_desktop.domain.unit import UNIT_FIELDS, Unit, UnitKind
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

LOCAL_UNIT_KEY = "local_unit_id"


def _from_row(row: dict) -> Unit:
    return Unit(
        id=row["id"],
        name=row["name"],
        kind=UnitKind(row["kind"]),
        leader=row["leader"],
        contact=row["contact"],
        phone=row["phone"],
        is_sample=bool(row["is_sample"]),
    )


def get(store: Store, unit_id: str) -> Unit | None:
    rows = list(store.query("SELECT * FROM unit WHERE id = ? AND deleted_at IS NULL", [unit_id]))
    return _from_row(rows[0]) if rows else None


def local_unit(store: Store) -> Unit | None:
    unit_id = store.meta_get(LOCAL_UNIT_KEY)
    return get(store, unit_id) if unit_id else None


def save(store: Store, unit: Unit, *, operator: str, reason: str = "") -> dict[str, tuple]:
    """Insert or update within the caller's transaction; returns the changed fields."""
    now = utc_now()
    old = get(store, unit.id)
    values = {f: getattr(unit, f) for f in UNIT_FIELDS}
    values["kind"] = unit.kind.value
    if old is None:
        store.db["unit"].insert({**values, "id": unit.id, "is_sample": int(unit.is_sample), "created_at": now, "updated_at": now})
        changes = {f: (None, getattr(unit, f)) for f in UNIT_FIELDS}
        audit.record(store, operator=operator, table="unit", record_id=unit.id, action="insert", changes=changes, reason=reason)
        return changes
    changes = {f: (getattr(old, f), getattr(unit, f)) for f in UNIT_FIELDS if getattr(old, f) != getattr(unit, f)}
    if changes:
        store.db["unit"].update(unit.id, {**values, "is_sample": int(unit.is_sample), "updated_at": now})
        audit.record(store, operator=operator, table="unit", record_id=unit.id, action="update", changes=changes, reason=reason)
    return changes


def seal_image(store: Store, unit_id: str) -> tuple[bytes, str] | None:
    """The unit's electronic seal image (PNG bytes) and its file name, if one is set."""
    row = store.execute("SELECT image, file_name FROM unit_seal WHERE unit_id = ?", [unit_id]).fetchone()
    return (row[0], row[1]) if row else None


def set_seal_image(store: Store, unit_id: str, image: bytes | None, file_name: str, *, operator: str) -> None:
    """Replace or remove (``image=None``) the seal image within the caller's transaction; audited by hash."""
    old = store.execute("SELECT sha256 FROM unit_seal WHERE unit_id = ?", [unit_id]).fetchone()
    import hashlib  # noqa: PLC0415 — only when a seal is saved (qingqing-cli unit show loads no hashlib)

    new_hash = hashlib.sha256(image).hexdigest() if image is not None else None
    if image is None:
        store.execute("DELETE FROM unit_seal WHERE unit_id = ?", [unit_id])
    else:
        store.db["unit_seal"].upsert(
            {"unit_id": unit_id, "image": image, "sha256": new_hash, "file_name": file_name, "updated_at": utc_now()},
            pk="unit_id",
        )
    audit.record(store, operator=operator, table="unit", record_id=unit_id, action="update",
                 changes={"seal_image": (old[0][:12] if old else None, new_hash[:12] if new_hash else None)})
