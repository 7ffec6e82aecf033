"""The schema check at every open, done without sqlite-utils for a current database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from qingqing_desktop.domain.errors import DatabaseDamaged
from qingqing_desktop.store import integrity
from qingqing_desktop.store.database import open_store
from qingqing_desktop.store.migrations import known_migration_names


def test_the_current_schema_fingerprint_is_what_the_migrations_build():
    known = tuple(known_migration_names())
    built = integrity.schema_fingerprint(known, integrity.expected_schema(known))
    assert built == integrity.CURRENT_SCHEMA_FINGERPRINT, (
        f"a schema step changed the schema: set integrity.CURRENT_SCHEMA_FINGERPRINT = {built!r}")


def test_a_current_database_passes_and_a_changed_schema_is_named(db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        assert integrity.check_schema(conn).sound
        conn.execute("CREATE INDEX staff_post ON staff(post)")  # one entry more than the migrations make
        result = integrity.check_schema(conn)
        assert not result.sound
        assert result.raw == "schema differs in: staff_post"
    finally:
        conn.close()


def test_a_changed_schema_is_still_refused_at_open(db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP INDEX staff_name_key")
    conn.close()
    with pytest.raises(DatabaseDamaged):
        open_store(db_path)


def test_opening_and_reading_a_current_database_does_not_import_sqlite_utils_but_a_write_does(db_path):
    open_store(db_path).close()
    code = (
        "import sys\n"
        "from qingqing_desktop.store.database import open_store\n"
        f"store = open_store({str(db_path)!r})\n"
        "assert store.meta_get('nothing') is None and store.table_names()\n"
        "print('read', 'sqlite_utils' in sys.modules)\n"
        "store.meta_set('written', '1')\n"
        "print('wrote', 'sqlite_utils' in sys.modules, store.meta_get('written'))\n"
        "store.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["read False", "wrote True 1"], done.stderr


def test_the_quick_check_started_ahead_is_the_one_the_open_uses(db_path, monkeypatch):
    open_store(db_path).close()
    checked = []
    real = integrity.check_connection
    monkeypatch.setattr(integrity, "check_connection",
                        lambda conn, *, full: checked.append(threading.current_thread().name) or real(conn, full=full))
    ahead = integrity.check_ahead(db_path)
    open_store(db_path, checked_ahead=ahead).close()
    assert checked == ["quick_check at open"]  # run once, on the thread started ahead; not again at open
    checked.clear()
    open_store(db_path, checked_ahead=integrity.check_ahead(db_path.with_name("other.sqlite3"))).close()
    assert checked == [threading.current_thread().name]  # nothing ahead for that file: the open checks


def test_damage_found_ahead_refuses_the_open_as_the_open_s_own_check_would(db_path):
    open_store(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("INSERT INTO audit_log (at, operator, table_name, record_id, action)"
                 " VALUES ('now', '张三', 'staff', 'x', 'burnt')")  # sound pages, a broken CHECK
    conn.close()
    with pytest.raises(DatabaseDamaged) as own:
        open_store(db_path)
    with pytest.raises(DatabaseDamaged) as ahead:
        open_store(db_path, checked_ahead=integrity.check_ahead(db_path))
    assert str(ahead.value) == str(own.value)


def test_nothing_is_checked_ahead_for_a_file_that_is_not_there(tmp_path):
    assert integrity.check_ahead(tmp_path / "new.sqlite3") is None
    assert not (tmp_path / "new.sqlite3").exists()
