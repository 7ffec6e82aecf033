from __future__ import annotations

from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services import unit_service
from qingqing_desktop.store import audit, staff


def test_every_change_is_audited_with_operator_and_old_and_new(unit_session):
    store = unit_session.store
    unit = unit_service.get_unit(unit_session)
    member = StaffMember(name="李𡈽", rank=RankCategory.STAFF, post="行政审批", party_member=True)
    with store.transaction():
        staff.save(store, unit.id, member, operator="王五")
    with store.transaction():
        staff.save(store, unit.id, member.with_changes(status=StaffStatus.TRANSFERRED, post="质量监管"), operator="赵六", reason="岗位调整")
    rows = audit.entries(store, table="staff", record_id=member.id)
    updates = {e.field: e for e in rows if e.action == "update"}
    assert updates["status"].old_value == "在岗" and updates["status"].new_value == "调离"
    assert updates["post"].old_value == "行政审批" and updates["post"].new_value == "质量监管"
    assert updates["post"].operator == "赵六" and updates["post"].reason == "岗位调整"
    inserted = {e.field: e for e in rows if e.action == "insert"}
    assert inserted["name"].new_value == "李𡈽"
    assert inserted["party_member"].new_value == "是"
    assert inserted["name"].operator == "王五"


def test_saving_unchanged_member_writes_no_audit_row(unit_session):
    store = unit_session.store
    unit = unit_service.get_unit(unit_session)
    member = StaffMember(name="张三", rank=RankCategory.MIDDLE_CADRE)
    with store.transaction():
        staff.save(store, unit.id, member, operator="x")
    count = len(audit.entries(store))
    with store.transaction():
        assert staff.save(store, unit.id, member, operator="x") == {}
    assert len(audit.entries(store)) == count


def test_soft_delete_keeps_the_row_and_its_uuid(unit_session):
    store = unit_session.store
    unit = unit_service.get_unit(unit_session)
    member = StaffMember(name="张伟", rank=RankCategory.STAFF)
    with store.transaction():
        staff.save(store, unit.id, member, operator="x")
        staff.soft_delete(store, member.id, operator="x")
    assert staff.get(store, member.id) is None
    assert [m.id for m in staff.list_for_unit(store, unit.id, include_deleted=True)] == [member.id]
    with store.transaction():
        staff.restore_deleted(store, member.id, operator="x")
    assert staff.get(store, member.id) == member


def test_people_inserted_at_once_are_audited_as_one_by_one(unit_session):
    """A roster import (insert_many) writes the same audit rows, in the same order, as saving each person."""
    store = unit_session.store
    unit = unit_service.get_unit(unit_session)
    people = [
        StaffMember(name="李𡈽", rank=RankCategory.STAFF, post="行政审批", party_member=True),
        StaffMember(name="欧阳小明", rank=RankCategory.MIDDLE_CADRE, title="副科长", note="借调'中'", party_member=False),
        StaffMember(name="张三", rank=RankCategory.STAFF, status=StaffStatus.TRANSFERRED, post="窗口"),
    ]
    copies = [StaffMember(name=m.name, rank=m.rank, title=m.title, post=m.post, party_member=m.party_member,
                          status=m.status, note=m.note) for m in people]

    def audited(members):
        rows = [e for m in members for e in reversed(audit.entries(store, table="staff", record_id=m.id))]
        return [(e.action, e.field, e.old_value, e.new_value, e.operator, e.reason) for e in rows]

    with store.transaction():
        staff.insert_many(store, unit.id, people, operator="王五", reason="导入")
    with store.transaction():
        for member in copies:
            staff.save(store, unit.id, member, operator="王五", reason="导入")
    by_save = audited(copies)
    assert by_save[:2] == [("insert", "name", None, "李𡈽", "王五", "导入"), ("insert", "rank", None, "一般工作人员", "王五", "导入")]
    assert ("insert", "party_member", None, "否", "王五", "导入") in by_save  # a flag that is off is recorded too
    assert audited(people) == by_save

    def in_written_order(members):
        place = {m.id: n for n, m in enumerate(members)}
        rows = sorted((e for e in audit.entries(store) if e.record_id in place), key=lambda e: e.id)
        return [(place[e.record_id], e.field) for e in rows]

    assert in_written_order(people) == in_written_order(copies)  # person by person, field by field
