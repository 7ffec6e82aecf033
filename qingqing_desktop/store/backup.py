"""Backups the program can trust: SQLite backup API, checked, fingerprinted, kept in tiers.

Taken on a timer (GUI), before every import, before a restore and before a schema
upgrade. Retention: the newest 20, plus the newest of each of the last 30 days and of
each of the last 12 months.

Beside every backup ``qingqing-….sqlite3`` the program writes ``….sqlite3.json``: the
file's SHA-256 and size, the database it was taken from and how many people it holds.
Before a restore the file must match that record, pass ``integrity_check`` on a
connection that may write (so CHECK constraints count) and have exactly the schema the
migrations produce. A file without the record (“an outside file”: a copy from another
computer, a backup of an older version) is restored only when the clerk says so
explicitly, and still goes through every other check. A record that cannot be read
(damaged, cut short) vouches for nothing either: the file is treated exactly as one
without a record. The file is read once; what is restored is the very image that was
checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.dates import chinese_date_time
from qingqing_desktop.domain.errors import (
    BackupOffer,
    DatabaseDamaged,
    FileAccessFailed,
    InputRejected,
    Location,
)
from qingqing_desktop.domain.modes import MODE_KEY, MODE_OFFICE
from qingqing_desktop.store import integrity
from qingqing_desktop.store.atomic_file import (
    LEFTOVER_AGE,
    atomic_write,
    ensure_free_space,
    remove_leftovers,
    replace,
    write_bytes_atomic,
)
from qingqing_desktop.store.locations import backups_dir

log = logging.getLogger(__name__)

_NAME = re.compile(r"^qingqing-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")
RECORD_SUFFIX = ".json"  # qingqing-….sqlite3.json beside qingqing-….sqlite3
SALVAGED = "salvaged"  # the reason of a backup made by 抢救可读数据 (store.salvage)
REASON_LABELS = {
    "manual": "手动备份",
    "timer": "定时备份",
    "import": "导入前备份",
    "restore": "恢复前备份",
    "upgrade": "升级前备份",
    "exit": "退出时备份",
    "finalise": "定稿后备份",
    "damaged": "损坏的数据库（留存）",
    SALVAGED: "抢救出的数据",
}
KEEP_NEWEST, KEEP_DAYS, KEEP_MONTHS = 20, 30, 12
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int

    @functools.cached_property
    def reason_label(self) -> str:
        # Which import it came before, so the clerk can find the one to go back to after a bad import;
        # backups taken before the record said so keep the plain label.
        imported = recorded_import(self.path) if self.reason == "import" else ""
        return f"导入{imported}前" if imported else REASON_LABELS.get(self.reason, self.reason)

    @property
    def record_path(self) -> Path:
        return record_path(self.path)


def record_path(backup: Path) -> Path:
    return backup.with_name(backup.name + RECORD_SUFFIX)


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file that passed every check; ``image`` is exactly the bytes that were checked."""

    path: Path
    image: bytes
    people: int
    campaigns: int
    recorded: bool  # its SHA-256 was recorded by this program (False: an outside file)
    database: str  # the database it was taken from, when recorded
    office: bool = False  # a 纪委（监察室） database: units and filings, no roster (its 人数 means nothing)

    @property
    def counts_text(self) -> str:
        return f"在岗及其他人员 {self.people} 人，行动 {self.campaigns} 个"


def _database_bytes(conn: sqlite3.Connection) -> int:
    page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    return page_count * page_size


# --------------------------------------------------------------------------- taking a backup


def _new_backup_name(folder: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"qingqing-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists() or record_path(target).exists():
        target = folder / f"qingqing-{stamp}-{counter}-{reason}.sqlite3"
        counter += 1
    return target


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """People on the roster and campaigns (a database of the first schema has no campaigns yet)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    people = conn.execute("SELECT count(*) FROM staff WHERE deleted_at IS NULL").fetchone()[0]
    campaigns = (conn.execute("SELECT count(*) FROM campaign WHERE deleted_at IS NULL").fetchone()[0]
                 if "campaign" in tables else 0)
    return people, campaigns


def _is_office(conn: sqlite3.Connection, tables: set[str]) -> bool:
    if "meta" not in tables:
        return False
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [MODE_KEY]).fetchone()
    return row is not None and row[0] == MODE_OFFICE


DATABASE_ID_KEY = "database_id"  # meta: a UUID naming the database wherever its folder is copied


def database_id(conn: sqlite3.Connection) -> str:
    """The database's own id from its meta table ("" when it has none or cannot be read)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [DATABASE_ID_KEY]).fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _file_database_id(path: Path | None) -> str:
    if path is None or not Path(path).exists():
        return ""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return ""
    try:
        return database_id(conn)
    finally:
        conn.close()


def _write_record(target: Path, data: bytes, database: Path | None, identity: str, people: int, campaigns: int,
                  reason: str, note: str = "", imported: str = "") -> None:
    record = {
        "format": 1,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "database": str(Path(database).resolve()) if database else "",
        "database_id": identity,
        "people": people,
        "campaigns": campaigns,
        "reason": reason,
        "taken_at": dt.datetime.now().isoformat(timespec="seconds"),
        **({"note": note} if note else {}),  # what a salvage saved and lost, shown again in the list
        **({"imported": imported} if imported else {}),  # what an import backup came before: 人员名单“….xlsx”
    }
    write_bytes_atomic(record_path(target), json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))


def backup_connection(source: sqlite3.Connection, reason: str, folder: Path | None = None, *,
                      database: Path | None = None, imported: str = "") -> Path:
    """Copy the open database into the backups folder, check the copy, record its SHA-256.

    ``imported``: for a backup before an import, what is imported (人员名单“技术科名单.xlsx”), recorded
    so that the backups list can name it.

    Raises ``DiskFull`` (nothing left behind) and ``DatabaseDamaged`` when the copy fails
    the check, i.e. the database itself is damaged.
    """
    folder = folder or backups_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _file_error(exc, folder) from exc
    ensure_free_space(folder, _database_bytes(source))
    target = _new_backup_name(folder, reason)
    partial = target.with_name(target.name + ".part")
    try:
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            result = integrity.check_all(dest, full=True)
            people, campaigns = _counts(dest) if result.sound else (0, 0)
            identity = database_id(dest) if result.sound else ""
        finally:
            dest.close()
        if not result.sound:
            log.error("backup of %s failed its check: %s", database, result.raw)
            raise damage_refusal(database, result)
        data = partial.read_bytes()
        _write_record(target, data, database, identity, people, campaigns, reason, imported=imported)
        replace(partial, target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.DatabaseError, OSError)) and not isinstance(exc, DatabaseDamaged):
            if isinstance(exc, sqlite3.DatabaseError) and integrity.is_damage(exc):
                raise damage_refusal(database, integrity.CheckResult(integrity.damage_phrase(exc), str(exc))) from exc
            raise _file_error(exc, folder, needed=_database_bytes(source)) from exc
        raise
    log.info("backup %s (%s) of %s", target.name, reason, database)
    prune(folder)
    return target


def backup_file(db_path: Path, reason: str, folder: Path | None = None) -> Path:
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return backup_connection(source, reason, folder, database=db_path)
    finally:
        source.close()


def keep_damaged_copy(db_path: Path, folder: Path | None = None) -> Path | None:
    """Copy a damaged database as it is (with its WAL) into the backups folder before it is replaced.

    Not checked and never offered for restore: it is kept so that nothing is ever thrown away.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    folder = folder or backups_dir()
    target = _new_backup_name(folder, "damaged")
    needed = sum(p.stat().st_size for p in (db_path, _wal(db_path)) if p.exists())
    try:
        # Whole or not at all (a kill half-way leaves no half copy under a backup's name); the WAL after.
        for source, copy in ((db_path, target), (_wal(db_path), _wal(target))):
            if source.exists():
                with atomic_write(copy, size=needed) as handle, open(source, "rb") as original:
                    shutil.copyfileobj(original, handle, 1024 * 1024)
    except BaseException as exc:  # a full disk (DiskFull) or an OSError: neither piece stays
        target.unlink(missing_ok=True)
        _wal(target).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _file_error(exc, folder, needed=needed) from exc
        raise
    log.warning("kept a copy of the damaged database %s as %s", db_path, target.name)
    return target


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _file_error(exc: BaseException, folder: Path, *, needed: int | None = None):
    """The refusal for an OSError or a full disk while writing into ``folder``."""
    from qingqing_desktop.store.faults import refusal  # noqa: PLC0415 — faults imports this module

    return refusal(exc, folder=folder, needed=needed) or exc


# --------------------------------------------------------------------------- listing and pruning


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    folder = folder or backups_dir()
    found = []
    for path in folder.glob("qingqing-*.sqlite3"):
        match = _NAME.match(path.name)
        if not match:
            continue
        taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append((taken, int(match.group(2) or 0), BackupInfo(path, taken, match.group(3), size)))
    # two backups in one second: the one with the higher counter was taken later
    return [info for _taken, _counter, info in sorted(found, key=lambda f: (f[0], f[1]), reverse=True)]


def prune(folder: Path | None = None, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups outside the tiers (and records whose backup is gone); returns what was deleted."""
    folder = folder or backups_dir()
    backups = list_backups(folder)
    now = now or dt.datetime.now()
    keep: set[Path] = {b.path for b in backups[:KEEP_NEWEST]}
    days_seen, months_seen = set(), set()
    for b in backups:  # newest first, so the first of each day/month is its newest
        day, month = b.taken_at.date(), (b.taken_at.year, b.taken_at.month)
        if (now - b.taken_at).days < KEEP_DAYS and day not in days_seen:
            keep.add(b.path)
            days_seen.add(day)
        if (now.year - b.taken_at.year) * 12 + now.month - b.taken_at.month < KEEP_MONTHS and month not in months_seen:
            keep.add(b.path)
            months_seen.add(month)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        for piece in (path, record_path(path), _wal(path)):
            piece.unlink(missing_ok=True)
    for record in folder.glob("qingqing-*.sqlite3" + RECORD_SUFFIX):
        if not record.with_name(record.name[: -len(RECORD_SUFFIX)]).exists():
            record.unlink(missing_ok=True)  # a backup interrupted between its record and its rename
    _remove_leftovers(folder, now)
    return removed


def _remove_leftovers(folder: Path, now: dt.datetime) -> None:
    """What a killed process left in the backups folder: a backup or a salvage half written
    (``….sqlite3.part``), a copy of a damaged file half made (``atomic_write``'s ``.qingqing-….part``)
    and a salvage's scratch copy of the damaged file (``salvage-…/``)."""
    for leftover in [*folder.glob("qingqing-*.sqlite3.part"), *folder.glob(".qingqing-*.part"),
                     *folder.glob("salvage-*")]:
        try:
            if now - dt.datetime.fromtimestamp(leftover.stat().st_mtime) < LEFTOVER_AGE:
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        except OSError:
            continue  # another process's, or already gone: the next prune tries again


# --------------------------------------------------------------------------- checking a backup


def _refuse(path: Path, reason: str) -> InputRejected:
    log.warning("backup %s refused: %s", path, reason)
    return InputRejected(reason, Location(file=str(path)))


def recorded_note(path: Path) -> str:
    """The note recorded with a backup (a salvage's report), or ""."""
    note = (_read_record(path) or {}).get("note", "")
    return note if isinstance(note, str) else ""


def recorded_import(path: Path) -> str:
    """What a backup before an import was taken before (人员名单“技术科名单.xlsx”), or "" (an older
    backup, or a record that cannot be read)."""
    try:
        imported = (_read_record(path) or {}).get("imported", "")
    except OSError:  # _read_record copes with most; a list must never fail over a label
        return ""
    return imported if isinstance(imported, str) else ""


def _read_record(path: Path) -> dict | None:
    """The record beside a backup, or None when there is none that can be used: missing, or damaged
    (unreadable, not JSON, no checksum in it) — a damaged record vouches for nothing, so the backup is
    then an outside file, never a changed one (``record_damaged`` tells the two apart for the message)."""
    try:
        record = json.loads(record_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("the record beside backup %s cannot be read: %r", path, exc)
        return None
    if not (isinstance(record, dict) and isinstance(record.get("sha256"), str)
            and isinstance(record.get("size"), int)):
        log.warning("the record beside backup %s holds no checksum: %.200r", path, record)
        return None
    return record


def record_damaged(path: Path) -> bool:
    """Is there a record beside the backup that cannot be used (as opposed to none at all)?"""
    try:
        return record_path(path).exists() and _read_record(path) is None
    except OSError:
        return True


class UnrecordedBackup(InputRejected):
    """A file that passed every check but has no usable record: restored only as an outside file.

    ``checked`` is the checked file (its counts, for a list); ``damaged_record``: whether a
    record is there but damaged (the message says so, and that the backup itself is sound).
    """

    def __init__(self, checked: CheckedBackup, damaged_record: bool):
        self.checked = checked
        self.damaged_record = damaged_record
        how = "如确认要用它，请选择“恢复外部文件”（命令行加 --outside-file）。"
        if damaged_record:
            reason = (f"备份旁的校验记录文件“{record_path(checked.path).name}”已损坏，无法用它核对这份备份；"
                      f"备份文件本身已通过完整性检查和表结构检查，可以使用。{how}")
        else:
            reason = ("这个文件旁边没有本程序记录的校验值（不是本程序做的备份，或校验记录已丢失），"
                      f"无法确认它在备份后没有被改动；文件本身已通过完整性检查和表结构检查。{how}")
        log.warning("backup %s refused: %s", checked.path, reason)
        super().__init__(reason, Location(file=str(checked.path)))


def _memory_image(path: Path, data: bytes) -> sqlite3.Connection:
    """The file as a writable in-memory database (so CHECK constraints count), never touching the file."""
    if len(data) < 100 or not data.startswith(SQLITE_HEADER):
        raise _refuse(path, "这不是数据库文件，或文件开头已损坏，不能用来恢复。")
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or len(data) % page_size:
        raise _refuse(path, f"文件长度（{len(data)} 字节）不是完整的数据库，文件不完整或已损坏，不能用来恢复。")
    if int.from_bytes(data[24:28], "big") == int.from_bytes(data[92:96], "big"):
        declared = int.from_bytes(data[28:32], "big") * page_size
        if declared and declared != len(data):
            raise _refuse(path, f"文件长度与数据库记录的不一致（应为 {declared} 字节，实际 {len(data)} 字节），"
                                "文件不完整或已损坏，不能用来恢复。")
    image = bytearray(data)
    image[18:20] = b"\x01\x01"  # a WAL-mode file cannot be deserialized; the copy in memory is plain
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(bytes(image))
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _refuse(path, "文件已损坏，不能用来恢复。") from exc
    return conn


def check_backup_file(path: Path, *, outside: bool = False) -> CheckedBackup:
    """Every check a restore needs; ``InputRejected`` naming the file and what is wrong, else the image.

    ``outside``: the clerk explicitly chose a file that has no record from this program; a file
    whose record does not match is refused all the same (it was changed or damaged since). Without
    ``outside``, a sound file without a usable record (none, or a damaged one) is ``UnrecordedBackup``.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(path, "文件不存在。") from None
    except OSError as exc:
        raise _file_error(exc, path.parent) from exc
    record = _read_record(path)
    if record is not None:
        if record.get("sha256") != hashlib.sha256(data).hexdigest() or record.get("size") != len(data):
            raise _refuse(path, "备份文件的内容与备份时记录的校验值不符，文件已损坏或被改动过，不能用来恢复。"
                                "请选用另一份备份。")
    conn = _memory_image(path, data)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables or "staff" not in tables:
            raise _refuse(path, "这不是亲清填报的备份文件。")
        result = integrity.check_connection(conn, full=True)
        if not result.sound:
            log.warning("backup %s failed its check: %s", path, result.raw)
            raise _refuse(path, f"备份文件已损坏（{result.problem}），不能用来恢复。请选用另一份备份。")
        applied = integrity.applied_migrations(conn)
        from qingqing_desktop.store.migrations import known_migration_names  # noqa: PLC0415

        if any(name not in known_migration_names() for name in applied):
            raise _refuse(path, "这份备份是由更新版本的亲清填报写的，本程序不能用它恢复。请安装最新版本。")
        result = integrity.check_schema(conn)
        if not result.sound:
            log.warning("backup %s failed the schema check: %s", path, result.raw)
            raise _refuse(path, f"备份文件已损坏（{result.problem}），不能用来恢复。请选用另一份备份。")
        people, campaigns = _counts(conn)
        office = _is_office(conn, tables)
    except sqlite3.DatabaseError as exc:
        log.warning("backup %s could not be read: %s", path, exc)
        raise _refuse(path, "备份文件已损坏，读取时出错，不能用来恢复。请选用另一份备份。") from exc
    finally:
        conn.close()
    checked = CheckedBackup(path, data, people, campaigns, record is not None, (record or {}).get("database", ""),
                            office)
    if record is None and not outside:  # checked first, so the refusal can say the file itself is sound
        raise UnrecordedBackup(checked, record_damaged(path))
    return checked


def _belongs_to(record: dict, database: Path | None, identity: str) -> bool:
    """Is a backup record one of ``database``'s? By the database's own id when both are known (a data
    folder copied to another computer keeps it), else by its path, else by its file name."""
    if database is None:
        return True
    if identity and record.get("database_id"):
        return record["database_id"] == identity
    recorded = record.get("database") or ""
    return not recorded or recorded == str(Path(database).resolve()) or Path(recorded).name == Path(database).name


def newest_sound_backup(database: Path | None, folder: Path | None = None) -> tuple[BackupInfo, CheckedBackup] | None:
    """The newest backup of ``database`` that passes every check (with its recorded SHA-256)."""
    identity = _file_database_id(database)
    for info in list_backups(folder):
        if info.reason == "damaged":
            continue
        record = _read_record(info.path)
        if not record or not _belongs_to(record, database, identity):
            continue
        try:
            return info, check_backup_file(info.path)
        except (InputRejected, FileAccessFailed):
            continue
    return None


def has_backups_of(database: Path, folder: Path | None = None) -> bool:
    """Did this program back up ``database`` (so an unreadable file there is ours, damaged)?"""
    return any(_belongs_to(_read_record(info.path) or {"database": "?"}, database, "")
               for info in list_backups(folder) if info.reason != "damaged")


def damage_refusal(database: Path | None, result: integrity.CheckResult, folder: Path | None = None) -> DatabaseDamaged:
    """The refusal for a damaged database, offering the newest backup that passes every check."""
    try:
        found = newest_sound_backup(database, folder)
    except OSError:
        found = None
    offer = None
    if found is not None:
        info, checked = found
        offer = BackupOffer(str(info.path), chinese_date_time(info.taken_at), info.reason_label, checked.people)
    log.error("database %s is damaged: %s (%s); offering %s", database, result.problem, result.raw,
              offer.path if offer else "no backup")
    return DatabaseDamaged(str(database) if database else "内存数据库", result.problem, offer)


# --------------------------------------------------------------------------- restoring


def restore_into(checked: CheckedBackup, target: sqlite3.Connection) -> None:
    """Copy a checked image over the open live database (SQLite backup API, page by page)."""
    source = sqlite3.connect(":memory:", isolation_level=None)
    try:
        image = bytearray(checked.image)
        image[18:20] = b"\x01\x01"
        source.deserialize(bytes(image))
        source.backup(target)
    finally:
        source.close()


def replace_database_file(checked: CheckedBackup, db_path: Path) -> None:
    """Put a checked image in place of a database that cannot be opened (or is damaged), no connection open.

    The damaged file and its WAL must have been kept already (``keep_damaged_copy``): a WAL left
    beside the new file would be replayed onto it, so it goes before the new file takes the name.
    Killed half-way, the old file is still in place (and kept); the half-written one is removed by
    the next restore or the next open (``remove_leftovers``).
    """
    db_path = Path(db_path)
    image = bytearray(checked.image)
    image[18:20] = b"\x01\x01"  # the file starts in rollback mode; opening it switches to WAL
    remove_leftovers(db_path)  # a restore killed earlier; no other process has this file open
    try:
        with atomic_write(db_path, size=len(image)) as handle:
            handle.write(image)
            for stale in (_wal(db_path), db_path.with_name(db_path.name + "-shm")):
                stale.unlink(missing_ok=True)
    except OSError as exc:
        raise _file_error(exc, db_path.parent, needed=len(image)) from exc
