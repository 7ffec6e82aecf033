"""The staff table (人员名单). Rows are never removed: leaving is a status, deleting is soft."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from qingqing_desktop.domain.names import (
    comparison_key,
    comparison_keys,
    learn_syllables,
    remember_all_syllables,
    syllables_text,
)
from qingqing_desktop.domain.staff import STAFF_FIELDS, RankCategory, StaffMember, StaffStatus
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now


_RANKS = {rank.value: rank for rank in RankCategory}  # a dict look-up, not an Enum call, per row
_STATUSES = {status.value: status for status in StaffStatus}
_FIELDS = ("id", "name", "name_pinyin", "rank", "post", "party_member", "status", "title", "note", "is_sample")
# StaffMember's fields, in the order _members() gives them. A roster of thousands is read at every
# start: each member is made by filling its __dict__, as the frozen dataclass's __init__ would,
# without its per-field object.__setattr__ (half the cost of reading the roster).
_MEMBER_FIELDS = ("id", "name", "rank", "post", "party_member", "status", "title", "note", "is_sample")
if {f.name for f in fields(StaffMember)} != set(_MEMBER_FIELDS) or hasattr(StaffMember, "__post_init__") \
        or hasattr(StaffMember, "__slots__"):
    raise TypeError("StaffMember changed: update store.staff._MEMBER_FIELDS and _members()")
_new_member = object.__new__


def _members(store: Store, where: str, params: list) -> list[StaffMember]:
    # Plain tuples, not sqlite-utils' dicts, and the enums from dicts: a roster of thousands is read
    # at every start. Only the columns used, named as this file has them, so a file of an older
    # schema reads too (a column it lacks reads as "").
    present = {column[0] for column in store.execute("SELECT * FROM staff LIMIT 0").description}
    columns = ", ".join(name if name in present else "''" for name in _FIELDS)
    cursor = store.execute(f"SELECT {columns} FROM staff WHERE {where}", params)
    members = []
    syllables = []
    for row in cursor:
        staff_id, name, pinyin, rank, post, party, status, title, note, sample = row
        syllables.append((name, pinyin))
        # An unknown value (a damaged cell) goes to the Enum, which refuses it with ValueError as always.
        member = _new_member(StaffMember)
        member.__dict__.update(zip(_MEMBER_FIELDS, (
            staff_id, name, _RANKS.get(rank) or RankCategory(rank), post, bool(party),
            _STATUSES.get(status) or StaffStatus(status), title, note, bool(sample),
        )))
        members.append(member)
    remember_all_syllables(syllables)  # pinyin order without computing pinyin
    return members


def row_values(member: StaffMember) -> dict:
    """The staff row's columns for ``member`` (without id, unit and times)."""
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
    where = "unit_id = ?" if include_deleted else "unit_id = ? AND deleted_at IS NULL"
    return _members(store, where + " ORDER BY created_at, rowid", [unit_id])


def get(store: Store, staff_id: str) -> StaffMember | None:
    found = _members(store, "id = ? AND deleted_at IS NULL", [staff_id])
    return found[0] if found else None


def save(store: Store, unit_id: str, member: StaffMember, *, operator: str, reason: str = "") -> dict[str, tuple]:
    """Insert or update within the caller's transaction; returns the changed fields."""
    now = utc_now()
    old = get(store, member.id)
    if old is None:
        store.db["staff"].insert({**row_values(member), "id": member.id, "unit_id": unit_id, "created_at": now, "updated_at": now})
        changes = {f: (None, getattr(member, f)) for f in STAFF_FIELDS if getattr(member, f) not in ("", None)}
        audit.record(store, operator=operator, table="staff", record_id=member.id, action="insert", changes=changes, reason=reason)
        return changes
    changes = {f: (getattr(old, f), getattr(member, f)) for f in STAFF_FIELDS if getattr(old, f) != getattr(member, f)}
    if changes:
        store.db["staff"].update(member.id, {**row_values(member), "updated_at": now})
        audit.record(store, operator=operator, table="staff", record_id=member.id, action="update", changes=changes, reason=reason)
    return changes


# What ``save`` audits of a new person, field by field, as SQL over the new row (see audit.record_inserted).
_AUDIT_TEXTS = {field: audit.flag_text_sql(field) if field == "party_member" else field for field in STAFF_FIELDS}


def insert_many(store: Store, unit_id: str, members: Sequence[StaffMember], *, operator: str,
                reason: str = "") -> None:
    """Insert new people (fresh ids) within the caller's transaction, audited as ``save`` does, in two
    statements however many they are (a roster import of thousands)."""
    now = utc_now()
    name_keys = comparison_keys([m.name for m in members])
    learn_syllables(m.name for m in members)
    rows = [
        (m.id, unit_id, m.name, key, syllables_text(m.name), m.rank.value, m.title, m.post, int(m.party_member),
         m.status.value, m.note, int(m.is_sample), now, now)
        for m, key in zip(members, name_keys)
    ]
    store.conn.executemany(
        "INSERT INTO staff (id, unit_id, name, name_key, name_pinyin, rank, title, post, party_member, status, note,"
        " is_sample, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    audit.record_inserted(store, operator=operator, table="staff", record_ids=[m.id for m in members],
                          field_texts=_AUDIT_TEXTS, reason=reason)



def history(store: Store, unit_id: str) -> list[tuple[audit.AuditEntry, str, str]]:
    """Every audit row about the unit's people, newest first, each with the person's name and post
    as they are now (two people may share a name). A roster is small: no limit."""
    rows = store.query(
        "SELECT a.*, s.name AS staff_name, s.post AS staff_post FROM audit_log a JOIN staff s ON s.id = a.record_id"
        " WHERE a.table_name = 'staff' AND s.unit_id = ? ORDER BY a.id DESC", [unit_id])
    return [(audit.AuditEntry(**{k: v for k, v in row.items() if not k.startswith("staff_")}),
             row["staff_name"], row["staff_post"] or "") for row in rows]


def soft_delete(store: Store, staff_id: str, *, operator: str, reason: str = "") -> None:
    store.db["staff"].update(staff_id, {"deleted_at": utc_now()})
    audit.record(store, operator=operator, table="staff", record_id=staff_id, action="delete", reason=reason)


def restore_deleted(store: Store, staff_id: str, *, operator: str, reason: str = "") -> None:
    """Undo of a delete: the same UUID comes back."""
    store.db["staff"].update(staff_id, {"deleted_at": None, "updated_at": utc_now()})
    audit.record(store, operator=operator, table="staff", record_id=staff_id, action="update",
                 changes={"deleted_at": ("已删除", None)}, reason=reason or "撤销删除")
