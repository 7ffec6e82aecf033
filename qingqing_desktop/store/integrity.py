"""Is a database sound? SQLite's own checks, worded for a clerk, with the raw answer for the log.

``quick_check`` (every open) verifies every page and record, CHECK and NOT NULL constraints;
``integrity_check`` (before 定稿, a 报送包 and a backup, and in the background after the GUI
starts) also verifies that every index matches its table — a damaged index is what makes a
query silently return part of the roster. Both only count CHECK constraints on a connection
that may write, so the checks here are run on one (a backup file is checked in memory).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MAX_REPORTED = 5  # SQLite stops after this many problems; the first few say enough

# Words SQLite uses when the file itself is damaged (as opposed to locked, full or missing).
_DAMAGE_MARKERS = (
    "malformed",
    "not a database",
    "file is encrypted",
    "disk image",
    "could not decode",  # Python: a text cell that is not UTF-8 any more
    "database corrupt",
    "no such table",  # a damaged sqlite_master loses tables
    "no such column",  # … or renames a column
)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: ``problem`` is "" when sound, else a Chinese phrase; ``raw`` for the log."""

    problem: str = ""
    raw: str = ""

    @property
    def sound(self) -> bool:
        return not self.problem


SOUND = CheckResult()


def is_damage(exc: BaseException) -> bool:
    """Does this exception mean the database file is damaged?"""
    return isinstance(exc, sqlite3.DatabaseError) and any(m in str(exc).lower() for m in _DAMAGE_MARKERS)


def damage_phrase(exc: BaseException) -> str:
    """What a damage exception means, in a few Chinese words."""
    text = str(exc).lower()
    if "not a database" in text or "file is encrypted" in text:
        return "文件头已损坏，无法识别为数据库"
    if "could not decode" in text:
        return "有文字数据已无法读出"
    if "no such table" in text or "no such column" in text:
        return "数据库的表结构已损坏"
    return "读取时发现文件结构已损坏"


def check_connection(conn: sqlite3.Connection, *, full: bool) -> CheckResult:
    """Run ``integrity_check`` (``full``) or ``quick_check`` on ``conn``; never raises for damage."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}({MAX_REPORTED})")]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return CheckResult(damage_phrase(exc), str(exc))
    if rows == ["ok"]:
        return SOUND
    what = "完整性检查" if full else "快速检查"
    count = f"{len(rows)} 处以上" if len(rows) >= MAX_REPORTED else f"{len(rows)} 处"
    return CheckResult(f"{what}发现 {count}错误，详情已记入日志", "; ".join(rows))


class CheckAhead:
    """The ``quick_check`` of an existing database file, started before the store opens it.

    The GUI starts it first thing (``check_ahead``), so that SQLite checks the file on another core
    while the window's modules load, instead of afterwards; ``open_store`` then waits for this result
    where it would have run the same check itself, before anything is read. It runs on a connection
    of its own that may write (so CHECK constraints count, as at open) and never creates a file
    (``mode=rw``). Anything but a result — no such file, a lock, an error that is not damage —
    leaves the check to ``open_store``, as without this.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._result: CheckResult | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check at open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=rw", uri=True, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            conn.execute("PRAGMA busy_timeout = 250")  # a lock: open_store checks, with its own waiting
            self._result = check_connection(conn, full=False)
        except sqlite3.Error:
            self._result = None
        finally:
            conn.close()

    def result_for(self, path: Path) -> CheckResult | None:
        """Its result once done, if it checked ``path``; None: check it yourself."""
        if Path(path) != self.path:
            return None
        self._thread.join()
        return self._result


def check_ahead(path: Path) -> CheckAhead | None:
    """Start the ``quick_check`` of the database at ``path`` when it is an existing file in a place fit
    for one (otherwise the open refuses it or creates it, as always)."""
    from qingqing_desktop.store.locations import check_local_disk  # noqa: PLC0415

    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        check_local_disk(path)
    except Exception:  # noqa: BLE001 — the open says what is wrong, as without this
        return None
    return CheckAhead(path)


# --------------------------------------------------------------------------- the schema


def _schema(conn: sqlite3.Connection) -> set[tuple]:
    return set(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ))


_expected_schemas: dict[tuple[str, ...], set[tuple]] = {}

# The fingerprint (``schema_fingerprint``) of a database with every schema step applied, so checking a
# current database needs neither sqlite-utils (about 50 ms to import at every start) nor building the
# expected schema in memory. tests/store/test_integrity.py recomputes it from the migrations and says
# the new value when a schema step is added. Any other fingerprint — an older file, a damaged schema,
# or this constant left stale — is checked against the schema the migrations build, as before.
CURRENT_SCHEMA_FINGERPRINT = "12898-485c9651-aa44bcca"


def schema_fingerprint(applied: tuple[str, ...], schema: set[tuple]) -> str:
    """The applied steps and every table's, index's and trigger's SQL, as the text's length and two
    checksums (zlib is loaded anyway; hashlib would cost ``qingqing-cli`` 3 ms at each start). Any bit
    flipped changes the CRC; an accidental match of all three is not a practical risk."""
    data = "\n".join([*applied, "", *sorted(map(repr, schema))]).encode("utf-8")
    return f"{len(data)}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def expected_schema(applied: tuple[str, ...]) -> set[tuple] | None:
    """What the migrations produce when exactly ``applied`` (in order) have run; None if that is not a
    prefix of the known migrations (a newer or foreign database)."""
    from qingqing_desktop.store.migrations import known_migration_names, migrations  # noqa: PLC0415
    from qingqing_desktop.store.sqlite_db import StoreDatabase  # noqa: PLC0415 — only when a schema is built

    known = tuple(known_migration_names())
    if applied != known[: len(applied)]:
        return None
    if applied not in _expected_schemas:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            db = StoreDatabase(conn)
            stop = known[len(applied)] if len(applied) < len(known) else None
            migrations.apply(db, stop_before=stop)
            _expected_schemas[applied] = _schema(conn)
        finally:
            conn.close()
    return _expected_schemas[applied]


def applied_migrations(conn: sqlite3.Connection) -> tuple[str, ...]:
    from qingqing_desktop.store.migrations import MIGRATION_SET  # noqa: PLC0415

    return tuple(row[0] for row in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]))


def check_schema(conn: sqlite3.Connection) -> CheckResult:
    """Do the tables, indexes and triggers match what this program's migrations made? A flipped bit in
    a ``CREATE TABLE`` passes SQLite's own checks but renames a column or drops a constraint."""
    try:
        applied = applied_migrations(conn)
        actual = _schema(conn)
        if schema_fingerprint(applied, actual) == CURRENT_SCHEMA_FINGERPRINT:
            return SOUND
        expected = expected_schema(applied)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc) or "no such table" in str(exc).lower():
            return CheckResult("数据库的表结构已损坏", str(exc))
        raise
    if expected is None:
        return CheckResult("数据库的结构记录与本程序的不符", f"applied migrations: {applied}")
    if actual != expected:
        differing = sorted({entry[1] for entry in actual ^ expected})
        return CheckResult("数据库的表结构与本程序建立的不一致", "schema differs in: " + ", ".join(differing))
    return SOUND


def check_all(conn: sqlite3.Connection, *, full: bool) -> CheckResult:
    """SQLite's check, then the schema."""
    result = check_connection(conn, full=full)
    return result if not result.sound else check_schema(conn)


def check_file(path, *, full: bool = True) -> CheckResult:
    """Check the database at ``path`` on a connection of its own that may write (CHECK constraints
    count), e.g. in the background while the GUI keeps using its connection. It writes nothing."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        return check_all(conn, full=full)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return CheckResult(damage_phrase(exc), str(exc))
    finally:
        conn.close()
