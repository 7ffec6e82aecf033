"""Step 0002_campaign_filing upgrades a schema-0001 database without touching its data."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from qingqing_desktop.domain.names import comparison_key
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.domain.unit import Unit, UnitKind
from qingqing_desktop.services import campaign_service, pledge_service
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import staff, units
from qingqing_desktop.store.database import Store, open_store
from qingqing_desktop.store.migrations import known_migration_names, migrations

NEW_TABLES = {"campaign", "pledge", "pledge_scan", "self_check", "self_check_row", "finding", "filing", "filing_snapshot"}


def make_schema_0001_database(path) -> list[StaffMember]:
    """A database exactly as the first release left it, with a unit and three people."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.apply(db, stop_before="0002_campaign_filing")
    old = Store(db, path)
    unit = Unit(name="质监站", kind=UnitKind.STATION, leader="林素华")
    people = [
        StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
        StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"),
        StaffMember("王䶮", RankCategory.STAFF, post="行政审批", status=StaffStatus.TRANSFERRED),
    ]
    with old.transaction():
        units.save(old, unit, operator="旧版本")
        old.meta_set(units.LOCAL_UNIT_KEY, unit.id)
        for member in people:  # the staff row as schema 0001 has it (today's store writes later columns too)
            db["staff"].insert({
                "id": member.id, "unit_id": unit.id, "name": member.name, "name_key": comparison_key(member.name),
                "rank": member.rank.value, "title": member.title, "post": member.post,
                "party_member": int(member.party_member), "status": member.status.value, "note": member.note,
                "is_sample": 0, "created_at": "2019-03-01T00:00:00+00:00", "updated_at": "2019-03-01T00:00:00+00:00",
            })
    assert not NEW_TABLES & set(db.table_names())
    conn.close()
    return people


def test_upgrade_keeps_the_roster_and_adds_the_campaign_tables(tmp_path):
    path = tmp_path / "schema-0001.sqlite3"
    people = make_schema_0001_database(path)

    store = open_store(path)
    try:
        assert NEW_TABLES <= set(store.db.table_names())
        assert [m.name for m in migrations.applied(store.db)] == known_migration_names()
        unit = units.local_unit(store)
        assert unit.name == "质监站"
        assert staff.list_for_unit(store, unit.id) == people
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

        # and the old roster works with the new features straight away
        session = Session(store, "测试员")
        campaign_service.create_campaign(session)
        rows = {r.name: r for r in pledge_service.list_pledges(session)}
        assert rows["单建国"].required and rows["李𡈽"].required
        assert rows["王䶮"].status.value == "不适用" and rows["王䶮"].reason == "调离"
    finally:
        store.close()


def test_upgrading_twice_changes_nothing(tmp_path):
    path = tmp_path / "schema-0001.sqlite3"
    make_schema_0001_database(path)
    open_store(path).close()
    store = open_store(path)
    try:
        applied = [m.name for m in migrations.applied(store.db)]
        assert applied == known_migration_names()
        assert len(applied) == len(set(applied))
    finally:
        store.close()
