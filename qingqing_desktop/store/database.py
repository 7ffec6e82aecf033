"""Opening the database: pragmas, checks, schema upgrade, refusal of what is not safe to open.

Every open runs ``quick_check`` (``full_check=True``: ``integrity_check``) and compares the
schema with what the migrations make. A database that fails is refused with
``DatabaseDamaged`` offering the newest sound backup — or, for a caller that will show
that offer itself (the GUI), opened in the *damaged* state: reads are allowed so the
clerk can look, every write is refused (``query_only`` as well, in case a write goes
around ``transaction()``).

Writes take the lock with ``BEGIN IMMEDIATE``: in WAL mode a transaction that reads first
and writes later could otherwise fail at once when another process committed meanwhile.
While another process holds the lock the store waits up to ``LOCK_WAIT_SECONDS``,
reporting through ``on_lock_wait`` (the CLI prints, the GUI shows progress), then raises
``DatabaseLocked`` naming what holds it (``lock_owners``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from qingqing_desktop.domain.errors import DatabaseDamaged, DatabaseLocked, DatabaseRefused
from qingqing_desktop.store import integrity, lock_owners
from qingqing_desktop.store.atomic_file import LEFTOVER_AGE, remove_leftovers
from qingqing_desktop.store.locations import check_local_disk
from qingqing_desktop.store.migrations import MIGRATION_SET, known_migration_names

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 30.0  # how long a write waits for another process's transaction
BUSY_SLICE_MS = 250  # SQLite's own wait per attempt; between attempts the store reports progress

# on_lock_wait(waited seconds, limit seconds, who holds the lock)
LockWait = Callable[[float, float, str], None]


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def script_statements(sql: str) -> Iterator[str]:
    """The statements of an SQL script, split where SQLite says a statement ends (at a ``;`` outside
    strings and trigger bodies), for running a script inside a transaction one statement at a time."""
    start = 0
    for end, char in enumerate(sql, 1):
        if char == ";" and sqlite3.complete_statement(sql[start:end]):
            if statement := sql[start:end].strip():
                yield statement
            start = end
    if rest := sql[start:].strip():
        yield rest


class Store:
    """An open application database. Every write goes through ``transaction()``.

    Reads use the plain sqlite3 connection (``execute``, ``query``); sqlite-utils (``db``) is made
    on the same connection when first needed — a write or a schema step — since importing it costs
    about 50 ms at every start.
    """

    def __init__(self, db: Database | sqlite3.Connection, path: Path | None):
        if isinstance(db, sqlite3.Connection):
            self.conn, self._db = db, None
        else:
            self.conn, self._db = db.conn, db
            if hasattr(db, "begin"):
                db.begin = self._begin
        self.path = path
        self.damage: DatabaseDamaged | None = None
        self.on_lock_wait: LockWait | None = None
        self.lock_wait_seconds = LOCK_WAIT_SECONDS
        self._damage_listeners: list[Callable[[DatabaseDamaged], None]] = []

    @property
    def db(self) -> Database:
        """sqlite-utils' Database on this connection (made, importing sqlite-utils, when first asked for)."""
        if self._db is None:
            from qingqing_desktop.store.sqlite_db import StoreDatabase  # noqa: PLC0415 — see the class docstring

            self._db = StoreDatabase(self.conn)
            self._db.begin = self._begin
        return self._db

    # ------------------------------------------------------------ reading

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, parameters=()) -> Iterator[dict]:
        """Each row as a dict of column → value (as sqlite-utils' ``Database.query``)."""
        cursor = self.conn.execute(sql, parameters)
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    # ------------------------------------------------------------ writing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        self.refuse_if_damaged()
        with self.db.atomic():
            yield self.db

    def refuse_if_damaged(self) -> None:
        if self.damage is not None:
            raise self.damage

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, waiting for another process's write up to the limit."""
        self.refuse_if_damaged()
        self.waiting_for_lock(lambda: self.conn.execute("BEGIN IMMEDIATE"))

    def waiting_for_lock(self, attempt: Callable[[], object]):
        """Run ``attempt`` until it no longer meets a lock, up to ``lock_wait_seconds``, reporting the wait."""
        started = time.monotonic()
        holder = ""
        while True:
            tried = time.monotonic()
            try:
                return attempt()
            except sqlite3.OperationalError as exc:
                if not is_lock_error(exc):
                    raise
            if time.monotonic() - tried < BUSY_SLICE_MS / 2000:
                time.sleep(BUSY_SLICE_MS / 1000)  # a lock error without SQLite's own wait (the backup API)
            waited = time.monotonic() - started
            holder = holder or lock_owners.describe_holder(self.path)
            if waited >= self.lock_wait_seconds:
                log.warning("database %s stayed locked for %.0f s by %s", self.path, waited, holder)
                raise DatabaseLocked(str(self.path), holder, round(waited))
            if self.on_lock_wait is not None:
                self.on_lock_wait(waited, self.lock_wait_seconds, holder)

    def data_version(self) -> int:
        """A number that changes whenever another connection (qingqing-cli, a second window) committed;
        SQLite keeps it per connection, so this session's own writes leave it alone."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def meta_set(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # ------------------------------------------------------------ soundness

    def check(self, *, full: bool = True) -> integrity.CheckResult:
        """Check the open database (on this connection, which may write, so CHECK constraints count)."""
        if self.damage is not None:
            return integrity.CheckResult(self.damage.detail, "")
        result = integrity.check_all(self.conn, full=full)
        if not result.sound:
            log.error("check of %s failed: %s", self.path, result.raw)
        return result

    def mark_damaged(self, damage: DatabaseDamaged) -> DatabaseDamaged:
        """From now on refuse every write; tell whoever listens (the GUI shows the backups)."""
        first = self.damage is None
        self.damage = damage
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.execute("PRAGMA query_only = ON")
        if first:
            for listener in list(self._damage_listeners):
                listener(damage)
        return damage

    def on_damaged(self, listener: Callable[[DatabaseDamaged], None]) -> None:
        self._damage_listeners.append(listener)

    def close(self) -> None:
        self.conn.close()
        if self.path is not None:
            lock_owners.unregister(self.path)


def _connect(path: Path | None) -> sqlite3.Connection:
    # isolation_level=None: the store and sqlite-utils issue BEGIN/COMMIT themselves.
    conn = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_SLICE_MS}")
    return conn


def _sqlite_header(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _check_not_newer(applied: tuple[str, ...], path: Path | None) -> None:
    unknown = [name for name in applied if name not in known_migration_names()]
    if unknown:
        raise _refuse_open(
            f"数据库“{path}”是由更新版本的亲清填报写入的（数据结构 {unknown[-1]}），"
            "本程序无法安全地打开它。请安装最新版本的亲清填报后再打开；数据没有被改动。", path
        )


def _refuse_open(message: str, path: Path | None) -> DatabaseRefused:
    log.warning("refused to open %s: %s", path, message)
    return DatabaseRefused(message)


def _refuse_missing(path: Path, *, create: bool) -> None:
    """Refuse a database whose folder is missing (or is a file), and a missing file unless ``create``."""
    folder = path.parent
    if not folder.exists():
        raise _refuse_open(f"找不到文件夹“{folder}”：数据库文件应在其中。如果文件夹被移动或改名，请用新的位置打开；"
                           "要在那里新建数据库，请先建好这个文件夹。程序没有新建任何文件。", path)
    if not folder.is_dir():
        raise _refuse_open(f"“{folder}”是一个文件，不是文件夹，数据库文件不能放在其中。请检查路径。", path)
    if not create and not path.exists():
        raise _refuse_open(f"找不到数据库文件“{path}”，程序没有新建它。如果文件被移动或改名，请用新的位置打开；"
                           "要在这里新建数据库，请先设置单位信息。", path)


def open_store(path: Path | None, *, check_location: bool = True, before_upgrade=None, full_check: bool = False,
               allow_damaged: bool = False, program: str = "", on_lock_wait: LockWait | None = None,
               checked_ahead: integrity.CheckAhead | None = None, create: bool = True) -> Store:
    """Open (creating if needed), check and upgrade the database at ``path``; ``None`` is in memory.

    A database is created only in a folder that exists, and only with ``create``: a path whose folder
    is missing (moved, renamed, a typing mistake) is refused, never made — a fresh empty database there
    would look as if the data were gone. ``create=False``: a missing file is refused as well (a command
    that only reads).

    ``before_upgrade(path)`` is called when a schema step is pending on an existing database,
    so the caller can take a backup first. ``allow_damaged``: a database that fails the check
    is returned in the damaged state instead of refused (a file that is not a database at all
    is always refused). ``program`` names this process in the note beside the database.
    ``checked_ahead``: this file's ``quick_check``, already under way (``integrity.check_ahead``);
    its result stands for the check here.
    """
    if path is not None:
        path = Path(path)
        if path.exists() and path.is_dir():
            raise _refuse_open(f"“{path}”是一个文件夹，不是数据库文件。", path)
        if check_location:
            check_local_disk(path)  # first: a database on a USB stick is refused for that, missing or not
        _refuse_missing(path, create=create)
    existed = path is not None and path.exists() and path.stat().st_size > 0
    if path is not None:
        remove_leftovers(path, older_than=LEFTOVER_AGE)  # a restore killed half-way
    try:
        conn = _connect(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        from qingqing_desktop.store import backup  # noqa: PLC0415 — it builds the damage refusal

        from qingqing_desktop.store.salvage import header_damaged  # noqa: PLC0415

        ours = _sqlite_header(path) or backup.has_backups_of(path) or header_damaged(path)  # not any file
        if existed and integrity.is_damage(exc) and ours:
            raise backup.damage_refusal(path, integrity.CheckResult(integrity.damage_phrase(exc), str(exc))) from exc
        if "unable to open" in str(exc).lower():
            raise _refuse_open(f"打不开数据库文件“{path}”：请检查它和它所在的文件夹是否存在、是否有读写权限。"
                               "数据没有被改动。", path) from exc
        log.warning("%s cannot be read as a database: %s", path, exc)  # SQLite's English, for the log only
        raise _refuse_open(f"“{path}”不是亲清填报的数据库文件，或文件已损坏。数据没有被改动。", path) from exc
    store = Store(conn, path)
    store.on_lock_wait = on_lock_wait
    if path is not None and program:
        lock_owners.register(path, program)
    try:
        tables = set(store.table_names())
        if tables and "_sqlite_migrations" not in tables:
            raise _refuse_open(f"“{path}”是一个 SQLite 数据库，但不是亲清填报的数据库。数据没有被改动。", path)
        damage = integrity.SOUND
        if tables:
            ahead = None if full_check or checked_ahead is None or path is None else checked_ahead.result_for(path)
            damage = ahead if ahead is not None else integrity.check_connection(conn, full=full_check)
        if damage.sound:
            applied = integrity.applied_migrations(conn) if "_sqlite_migrations" in tables else ()
            _check_not_newer(applied, path)
            if path is not None:
                _set_journal_mode(store)
            conn.execute("PRAGMA synchronous = FULL")
            pending = [name for name in known_migration_names() if name not in applied]
            if pending and tables and before_upgrade is not None and path is not None:
                before_upgrade(path)
            if pending:  # apply() takes the write lock even with nothing to do: a read must not wait for it
                from qingqing_desktop.store.migrations import migrations  # noqa: PLC0415 — sqlite-utils

                migrations.apply(store.db)
            damage = integrity.check_schema(conn)
        if not damage.sound:
            from qingqing_desktop.store import backup  # noqa: PLC0415

            refusal = backup.damage_refusal(path, damage)
            if not allow_damaged:
                raise refusal
            store.mark_damaged(refusal)
    except BaseException:
        store.close()
        raise
    return store


def _set_journal_mode(store: Store) -> None:
    """WAL, waiting like a write does when another process is switching it at the same moment."""
    started = time.monotonic()
    while True:
        try:
            store.conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_lock_error(exc) or time.monotonic() - started > store.lock_wait_seconds:
                raise


__all__ = ["MIGRATION_SET", "Store", "open_store", "utc_now", "LOCK_WAIT_SECONDS"]
