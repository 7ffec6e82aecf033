"""The staff table (人员名单). Rows are never removed: leaving is a status, deleting is soft."""

from __future__ import annotations

from qingqing_desktop.domain.names import comparison_key, remember_syllables, syllables_text
from qingqing_desktop.domain.staff import STAFF_FIELDS, RankCategory, StaffMember, StaffStatus
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now


def _from_row(row: dict) -> StaffMember:
    remember_syllables(row["name"], row["name_pinyin"])  # pinyin order without computing pinyin
    return StaffMember(
        id=row["id"],
        name=row["name"],
        rank=RankCategory(row["rank"]),
        post=row["post"],
        party_member=bool(row["party_member"]),
        status=StaffStatus(row["status"]),
        title=row["title"],
        note=row["note"],
        is_sample=bool(row["is_sample"]),
    )


def _to_values(member: StaffMember) -> dict:
    return {
        "name": member.name,
        "name_key": comparison_key(member.name),
        "name_pinyin": syllables_text(member.name),
        "rank": member.rank.value,
        "post": member.post,
        "party_member": int(member.party_member),
        "status": member.status.value,
        "title": member.title,
        "note": member.note,
        "is_sample": int(member.is_sample),
    }


def list_for_unit(store: Store, unit_id: str, *, include_deleted: bool = False) -> list[StaffMember]:
    sql = "SELECT * FROM staff WHERE unit_id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    return [_from_row(row) for row in store.db.query(sql + " ORDER BY created_at, rowid", [unit_id])]


def get(store: Store, staff_id: str) -> StaffMember | None:
    rows = list(store.db.query("SELECT * FROM staff WHERE id = ? AND deleted_at IS NULL", [staff_id]))
    return _from_row(rows[0]) if rows else None


def save(store: Store, unit_id: str, member: StaffMember, *, operator: str, reason: str = "") -> dict[str, tuple]:
    """Insert or update within the caller's transaction; returns the changed fields."""
    now = utc_now()
    old = get(store, member.id)
    if old is None:
        store.db["staff"].insert({**_to_values(member), "id": member.id, "unit_id": unit_id, "created_at": now, "updated_at": now})
        changes = {f: (None, getattr(member, f)) for f in STAFF_FIELDS if getattr(member, f) not in ("", None)}
        audit.record(store, operator=operator, table="staff", record_id=member.id, action="insert", changes=changes, reason=reason)
        return changes
    changes = {f: (getattr(old, f), getattr(member, f)) for f in STAFF_FIELDS if getattr(old, f) != getattr(member, f)}
    if changes:
        store.db["staff"].update(member.id, {**_to_values(member), "updated_at": now})
        audit.record(store, operator=operator, table="staff", record_id=member.id, action="update", changes=changes, reason=reason)
    return changes


def soft_delete(store: Store, staff_id: str, *, operator: str, reason: str = "") -> None:
    store.db["staff"].update(staff_id, {"deleted_at": utc_now()})
    audit.record(store, operator=operator, table="staff", record_id=staff_id, action="delete", reason=reason)


def restore_deleted(store: Store, staff_id: str, *, operator: str, reason: str = "") -> None:
    """Undo of a delete: the same UUID comes back."""
    store.db["staff"].update(staff_id, {"deleted_at": None, "updated_at": utc_now()})
    audit.record(store, operator=operator, table="staff", record_id=staff_id, action="update",
                 changes={"deleted_at": ("已删除", None)}, reason=reason or "撤销删除")
