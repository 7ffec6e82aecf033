"""Opening the database: pragmas, schema upgrade, refusal of what is not safe to open."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from qingqing_desktop.domain.errors import DatabaseRefused
from qingqing_desktop.store.locations import check_local_disk
from qingqing_desktop.store.migrations import MIGRATION_SET, known_migration_names, migrations


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """An open application database. Every write goes through ``transaction()``."""

    def __init__(self, db: Database, path: Path | None):
        self.db = db
        self.path = path

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        with self.db.atomic():
            yield self.db

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def meta_set(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def close(self) -> None:
        self.db.close()


def _connect(path: Path | None) -> sqlite3.Connection:
    # isolation_level=None: sqlite-utils' atomic() issues BEGIN/COMMIT itself.
    conn = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _check_not_newer(db: Database, path: Path | None) -> None:
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known_migration_names()]
    if unknown:
        raise DatabaseRefused(
            f"数据库“{path}”是由更新版本的亲清填报写入的（数据结构 {unknown[-1]}），"
            "本程序无法安全地打开它。请安装最新版本的亲清填报后再打开；数据没有被改动。"
        )


def open_store(path: Path | None, *, check_location: bool = True, before_upgrade=None) -> Store:
    """Open (creating if needed) and upgrade the database at ``path``; ``None`` is in memory.

    ``before_upgrade(path)`` is called when a schema step is pending on an
    existing database, so the caller can take a backup first.
    """
    if path is not None:
        path = Path(path)
        if path.exists() and path.is_dir():
            raise DatabaseRefused(f"“{path}”是一个文件夹，不是数据库文件。")
        if check_location:
            check_local_disk(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"“{path}”不是亲清填报的数据库文件，或文件已损坏（{exc}）。数据没有被改动。") from exc
    db = Database(conn)
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    tables = set(db.table_names())
    if tables and "_sqlite_migrations" not in tables:
        conn.close()
        raise DatabaseRefused(f"“{path}”是一个 SQLite 数据库，但不是亲清填报的数据库。数据没有被改动。")
    _check_not_newer(db, path)
    pending = migrations.pending(db)
    if pending and tables and before_upgrade is not None and path is not None:
        before_upgrade(path)
    migrations.apply(db)
    return Store(db, path)


__all__ = ["MIGRATION_SET", "Store", "open_store", "utc_now"]
