from __future__ import annotations

import sqlite3

import pytest

from qingqing_desktop.domain.errors import DatabaseRefused
from qingqing_desktop.store.database import open_store
from qingqing_desktop.store.locations import default_db_path


def test_new_database_has_wal_full_sync_and_foreign_keys(db_path):
    store = open_store(db_path)
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"unit", "staff", "audit_log", "meta", "_sqlite_migrations"} <= set(store.db.table_names())
    store.close()


def test_foreign_keys_are_enforced(db_path):
    store = open_store(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.db.execute(
                "INSERT INTO staff(id, unit_id, name, name_key, rank, created_at, updated_at) "
                "VALUES ('x', 'no-such-unit', '张三', '张三', '中层干部', 'now', 'now')"
            )
    store.close()


def test_database_from_a_newer_version_is_refused_and_left_untouched(db_path):
    store = open_store(db_path)
    store.db["_sqlite_migrations"].insert(
        {"migration_set": "qingqing", "name": "9999_from_the_future", "applied_at": "2030-01-01"}
    )
    store.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseRefused, match="更新版本"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(DatabaseRefused, match="不是亲清填报的数据库"):
        open_store(path)


def test_another_applications_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseRefused, match="不是亲清填报的数据库"):
        open_store(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["songs"]
    conn.close()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseRefused, match="文件夹"):
        open_store(tmp_path)


def test_default_database_lives_in_the_user_data_folder(isolated_data_dir, monkeypatch):
    assert default_db_path() == isolated_data_dir / "qingqing.sqlite3"
    monkeypatch.setenv("QINGQING_DB", "/somewhere/else.sqlite3")
    assert str(default_db_path()) == "/somewhere/else.sqlite3"


def test_the_default_database_is_made_on_first_start_even_before_its_data_folder_exists(tmp_path, monkeypatch):
    from qingqing_desktop.services.session import open_session

    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "新电脑" / "qingqing_desktop"))
    session = open_session()
    session.close()
    assert (tmp_path / "新电脑" / "qingqing_desktop" / "qingqing.sqlite3").stat().st_size > 0


def test_a_database_in_a_missing_folder_is_refused_even_when_it_may_be_created(tmp_path):
    with pytest.raises(DatabaseRefused, match="找不到文件夹"):
        open_store(tmp_path / "改了名的文件夹" / "unit.sqlite3")
    with pytest.raises(DatabaseRefused, match="找不到数据库文件"):
        open_store(tmp_path / "unit.sqlite3", create=False)
    assert list(tmp_path.iterdir()) == []


def test_transaction_rolls_back_everything_on_error(db_path):
    store = open_store(db_path)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.meta_set("a", "1")
            raise RuntimeError("boom")
    assert store.meta_get("a") is None
    store.close()
