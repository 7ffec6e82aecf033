"""抢救可读数据: copy what can still be read from a damaged database into a new, sound one.

For a damaged database without a usable backup (or with one older than the damage): the clerk's
work since the last backup is in that file, most of it readable. The new database gets exactly the
schema steps the damaged one had (so the next open upgrades it as usual), then each table's rows
are read by rowid ranges; a range that cannot be read is halved until the damaged part is found.
Nothing is invented: a row is left out when the constraints, the foreign keys or the unique indexes
refuse it, when one of its indexes holds other values for it, when a text holds a control
character, or when a person's name no longer matches the key worked out from it when it was
written. A garbled CREATE statement only loses its own table, and a damaged file header is rebuilt
(on the copy) from the fixed format of the program's databases. What comes out passes every check a
backup must and is written as one — reason ``salvaged`` beside the others in the backups folder, its
report in the record — so it is restored the same way, after the damaged file has been kept aside.
The damaged file is only read, from a copy.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.names import comparison_key
from qingqing_desktop.domain.staff import STAFF_FIELDS, RankCategory, StaffMember, StaffStatus
from qingqing_desktop.store import backup, integrity, staff
from qingqing_desktop.store.atomic_file import ensure_free_space
from qingqing_desktop.store.locations import backups_dir

log = logging.getLogger(__name__)

SALVAGED = backup.SALVAGED

# What each table holds, as a clerk would say it, in the order a report lists them; with the measure
# word when the report counts its rows (the rest are parts of a filing, counted through these).
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "unit": ("单位信息", ""),
    "staff": ("人员名单", ""),  # counted as 在岗及其他人员 N 人
    "campaign": ("行动", "个"),
    "pledge": ("承诺书签订记录", "条"),
    "pledge_scan": ("签字页扫描件", "份"),
    "self_check": ("自查表表头", ""),
    "self_check_row": ("自查表各行", ""),
    "finding": ("自查问题", "条"),
    "filing": ("报送状态", ""),
    "filing_snapshot": ("定稿留存的数据", ""),
    "received_campaign": ("收到的任务包", ""),
    "return_notice": ("退回通知", "份"),
    "unit_seal": ("电子印章", ""),
    "office_unit": ("应报单位", "个"),
    "office_delivery": ("收到的报送", "份"),
    "office_delivery_member": ("收到的报送中的人员", ""),
    "office_review": ("审核意见", "条"),
    "office_template": ("政策模板", "个"),
    "office_template_version": ("政策模板的版本", ""),
    "audit_log": ("修改记录", "条"),
    "meta": ("程序设置", ""),
}

# A flipped bit in a text that stays valid UTF-8 often makes a control character (“8” → “\x10”); no
# value the program writes has one (line breaks, tabs and the separator of stored pinyin aside).
_GARBLED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e\x7f]")
_MISSING_FROM_INDEX = re.compile(r"row (\d+) missing from index (\S+)")
_VALUE_IN = re.compile(r"value in (\w+)\.\w+")  # “NULL value in staff.name”, “NUMERIC value in …”
_TREE_PAGE = re.compile(r"(?:tree )?page (\d+)")
_REPORTED_PROBLEMS = 10_000

_FIRST_ROWID, _LAST_ROWID = -(2**63), 2**63 - 1
_LISTED_MISSING = 20  # names in the report; a damaged page holds a few dozen people at most
# Failing reads allowed per table while narrowing the damage down: a damaged last page makes every
# range beyond the last row fail, which halving alone would never finish.
_FAILED_READS_PER_TABLE = 2000


@dataclass
class TableSalvage:
    table: str
    saved: int = 0
    # read, but doubtful: a constraint, a foreign key or a unique index refused it, it disagrees with
    # one of its indexes (the row or the index was changed, nothing says which), or a text is garbled
    refused: int = 0
    unreadable: int = 0  # rowid ranges that could not be read at all

    @property
    def label(self) -> str:
        return TABLE_LABELS.get(self.table, (self.table, ""))[0]

    @property
    def counted(self) -> str:
        """“行动 2 个”, or "" for a table the report does not count."""
        measure = TABLE_LABELS.get(self.table, ("", ""))[1]
        return f"{self.label} {self.saved} {measure}" if measure and self.saved else ""

    @property
    def damaged(self) -> bool:
        return bool(self.refused or self.unreadable)


@dataclass
class SalvageReport:
    path: Path  # the salvaged database, a backup of reason ``salvaged``
    tables: list[TableSalvage] = field(default_factory=list)
    people: int = 0
    campaigns: int = 0
    office: bool = False  # a 纪委（监察室） database: its units matter, it has no roster
    check_problems: int = 0  # what integrity_check found in the damaged file
    # people the history knows of whom the salvaged roster lacks, “name（post）”, for re-entering them
    missing_people: list[str] = field(default_factory=list)
    # people whose roster row was lost and who were rebuilt from the history (same id), “name（post）”
    rebuilt_people: list[str] = field(default_factory=list)

    @property
    def damaged_tables(self) -> list[TableSalvage]:
        return [t for t in self.tables if t.damaged]

    def table(self, name: str) -> TableSalvage | None:
        return next((t for t in self.tables if t.table == name), None)

    @property
    def missing_text(self) -> str:
        """“据修改记录，名单中缺少的有：…。”, or "" when nobody is known to be missing."""
        return "据修改记录，名单中缺少的有：" + _listed(self.missing_people) + "。" if self.missing_people else ""

    @property
    def rebuilt_text(self) -> str:
        return "人员名单中有记录已无法读出，已按修改记录重建：" + _listed(self.rebuilt_people) + "，请核对他们的职务、岗位等信息。"

    @property
    def summary(self) -> str:
        """For the clerk: what was saved and where something was lost; then, on a line of its own, who
        is missing from the roster."""
        saved = [t.counted for t in self.tables if t.counted]
        first = "" if self.office else f"在岗及其他人员 {self.people} 人，"
        text = "抢救出：" + first + "，".join(saved or ["没有其他记录"]) + "。"
        # the roster's lost rows all rebuilt from the history: it lost nothing the report must ask for
        roster_whole = bool(self.rebuilt_people) and not self.missing_people
        lost = [t.label for t in self.damaged_tables if t.table != "audit_log" and not (t.table == "staff" and roster_whole)]
        if self.rebuilt_people:
            text += self.rebuilt_text
        history_lost = any(t.table == "audit_log" for t in self.damaged_tables)  # nothing to re-enter there
        if lost:
            text += ("以下内容有一部分已无法读出，没有抢救回来：" + "、".join(lost)
                     + "。恢复后请对照纸质材料核对这几部分，补录缺少的内容。")
            text += "修改记录也有一部分没有抢救回来。" if history_lost else ""
            return text + ("\n" + self.missing_text if self.missing_people else "")
        if history_lost:
            return text + "除修改记录有一部分没有抢救回来外，其余数据都已抢救回来。"
        if self.rebuilt_people:
            return text + "其余数据都已抢救回来。"
        if self.check_problems:  # damage only in indexes, or nowhere it could be placed
            return text + "没有发现读不出的记录（损坏只在索引中，或无法确定位置；恢复后请对照纸质材料核对一遍）。"
        return text + "没有发现读不出的记录。"


def _listed(people: list[str]) -> str:
    """At most ``_LISTED_MISSING`` names, then how many there are in all."""
    shown = people[:_LISTED_MISSING]
    return "、".join(shown) + (f"等 {len(people)} 人" if len(people) > len(shown) else "")


Progress = Callable[[int, str], None]  # (percent, what is being read); may raise to cancel


def salvage(db_path: Path, folder: Path | None = None, progress: Progress | None = None) -> SalvageReport:
    """Copy every readable row of the database at ``db_path`` into a new backup in ``folder``.

    ``progress`` is called before each table; an exception it raises (取消) stops the salvage and
    leaves nothing behind.
    Raises ``InputRejected`` when nothing at all can be read (the file's start or its table list is
    damaged), ``DiskFull``/``FileAccessFailed`` when the backups folder cannot take the copy.
    """
    db_path = Path(db_path)
    folder = folder or backups_dir()
    sources = [p for p in (db_path, _sidecar(db_path, "-wal")) if p.exists()]
    if not sources:
        raise InputRejected("数据库文件不存在，没有可以抢救的数据。", Location(file=str(db_path)))
    size = sum(p.stat().st_size for p in sources)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise backup._file_error(exc, folder) from exc  # noqa: SLF001
    ensure_free_space(folder, 2 * size)  # the copy read from, and the new database
    target = backup._new_backup_name(folder, SALVAGED)  # noqa: SLF001 — one naming scheme for every backup
    partial = target.with_name(target.name + ".part")
    try:
        report = _salvage_copy(sources, db_path, folder, partial, progress or (lambda percent, text: None))
        data = partial.read_bytes()
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            identity = backup.database_id(conn)
        finally:
            conn.close()
        backup._write_record(target, data, db_path, identity, report.people, report.campaigns,  # noqa: SLF001
                             SALVAGED, note=report.summary)
        partial.replace(target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        backup.record_path(target).unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):  # a full disk, no permission: one sentence
            raise backup._file_error(exc, folder, needed=2 * size) from exc  # noqa: SLF001
        raise
    report.path = target
    log.warning("salvaged %s into %s: %d rows; lost in %s", db_path, target.name,
                sum(t.saved for t in report.tables),
                ", ".join(f"{t.table} ({t.refused} refused, {t.unreadable} unreadable)" for t in report.damaged_tables)
                or "none")
    return report


def _salvage_copy(sources: list[Path], db_path: Path, folder: Path, partial: Path, progress: Progress) -> SalvageReport:
    """The damaged file (and its WAL) copied into a scratch folder beside the backups, salvaged from there."""
    with tempfile.TemporaryDirectory(prefix="salvage-", dir=folder) as scratch:
        copy = Path(scratch) / db_path.name
        for path in sources:
            shutil.copyfile(path, copy.with_name(path.name))
        if _repair_header(copy):
            log.warning("salvage: the file header of %s was damaged; read with a rebuilt one", db_path)
        source = sqlite3.connect(copy, isolation_level=None)
        try:
            return _salvage_into(source, partial, db_path, progress)
        finally:
            source.close()


_PAGE_SIZE = 4096  # SQLite's default, which the program never changes


def _header_rebuildable(head: bytes, size: int) -> bool:
    """Is the 100-byte file header at the start of ``head`` damaged while the first page after it still
    looks like SQLite's (a table b-tree), in a file of whole 4096-byte pages?"""
    page_size = int.from_bytes(head[16:18], "big")
    sound = (head[:16] == backup.SQLITE_HEADER and page_size in (1, *(2**n for n in range(9, 16)))
             and head[21:24] == b"\x40\x20\x20" and 1 <= int.from_bytes(head[44:48], "big") <= 4
             and 1 <= int.from_bytes(head[56:60], "big") <= 3)
    return not sound and size % _PAGE_SIZE == 0 and size >= 2 * _PAGE_SIZE and len(head) > 100 and head[100] in (0x05, 0x0D)


def header_damaged(path: Path) -> bool:
    """Is ``path`` a database whose file header alone is damaged (``salvage`` rebuilds it)?"""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_PAGE_SIZE)
        return _header_rebuildable(head, Path(path).stat().st_size)
    except OSError:
        return False


def _repair_header(copy: Path) -> bool:
    """Rebuild a damaged 100-byte file header on the copy, from what every database of this program has
    (4096-byte pages, UTF-8, schema format 4): the header is rewritten on every commit, and without it
    SQLite reads nothing at all. True when it was rebuilt."""
    if not header_damaged(copy):
        return False
    wal = _sidecar(copy, "-wal").exists()  # its committed pages are read too
    version = 2 if wal else 1
    major, minor, patch = sqlite3.sqlite_version_info
    header = struct.pack(
        ">16sHBBBBBB12I20sII", backup.SQLITE_HEADER, _PAGE_SIZE, version, version, 0, 64, 32, 32,
        1, copy.stat().st_size // _PAGE_SIZE, 0, 0, 1, 4, 0, 0, 1, 0, 0, 0, bytes(20),
        1, major * 1_000_000 + minor * 1_000 + patch)
    with open(copy, "r+b") as handle:
        handle.write(header)
    return True


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _salvage_into(source: sqlite3.Connection, partial: Path, db_path: Path, progress: Progress) -> SalvageReport:
    from qingqing_desktop.store.migrations import known_migration_names, migrations  # noqa: PLC0415
    from qingqing_desktop.store.sqlite_db import StoreDatabase  # noqa: PLC0415

    nothing = InputRejected("数据库文件的开头或表目录已损坏，读不出任何数据，无法抢救。"
                            "请用别处保存的备份（U盘、其他电脑）恢复，或把整个数据文件夹复制一份交技术人员处理。",
                            Location(file=str(db_path)))
    try:
        source.execute("PRAGMA query_only = ON")
        # A garbled CREATE statement makes SQLite refuse the whole file; this way it skips that table
        # and reads the others (their rows, not their statements, are what is copied).
        source.execute("PRAGMA writable_schema = ON")
        source_tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise nothing from exc
    if "staff" not in source_tables and "office_unit" not in source_tables:
        raise nothing
    known = known_migration_names()
    try:
        applied = integrity.applied_migrations(source)
    except sqlite3.DatabaseError:
        applied = ()
    if not applied or tuple(applied) != tuple(known[: len(applied)]):
        applied = tuple(known)  # the record of schema steps is lost: build the newest schema
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial, isolation_level=None)
    try:
        target.execute("PRAGMA foreign_keys = ON")
        stop = known[len(applied)] if len(applied) < len(known) else None
        migrations.apply(StoreDatabase(target), stop_before=stop)
        report = SalvageReport(partial)
        problems = _check_problems(source)
        witnesses = _index_witnesses(source, problems)
        target.execute("BEGIN")
        tables = [t for t in _parents_first(target) if t != "_sqlite_migrations"]  # that one: written just now
        # The history first: people lost from the roster are rebuilt from it before the pledges that
        # point to them are copied.
        tables.sort(key=lambda t: t != "audit_log")
        for done, table in enumerate(tables):
            progress(done * 100 // len(tables), f"正在读取：{TABLE_LABELS.get(table, (table,))[0]}")
            if table not in source_tables:
                report.tables.append(TableSalvage(table, unreadable=1))
                continue
            report.tables.append(_copy_table(source, target, table, witnesses.get(table, [])))
            if table == "staff":
                report.rebuilt_people = _rebuild_people(target)
        report.check_problems = len(problems)
        for table in _tables_named(source, problems):
            found = report.table(table)
            if found is not None and not found.damaged:
                found.unreadable += 1  # read as if whole, but the check says part of it is damaged
        if not any(t.saved for t in report.tables if t.table in ("unit", "office_unit")):
            raise nothing  # neither the unit nor the office's units: nothing a clerk could go on with
        target.execute("COMMIT")
        result = integrity.check_all(target, full=True)
        if not result.sound:  # cannot happen unless SQLite itself is wrong: never hand it out
            raise RuntimeError(f"salvaged database fails its check: {result.raw}")
        report.people, report.campaigns = backup._counts(target)  # noqa: SLF001
        report.missing_people = _people_missing(target)
        report.office = backup._is_office(target, {t.table for t in report.tables})  # noqa: SLF001
        report.tables.sort(key=lambda t: list(TABLE_LABELS).index(t.table) if t.table in TABLE_LABELS else 99)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    return report


def _lost_people(conn: sqlite3.Connection) -> dict[str, dict[str, object]]:
    """The people the salvaged history records and the salvaged roster lacks, by id: each field as last
    recorded (the history has every field's value, old → new), with the times of their first and last
    change. Those whose last recorded change was a deletion, or whose name was never recorded, are left out."""
    people: dict[str, dict[str, object]] = {}
    for record_id, at, action, column, value in conn.execute(
            "SELECT record_id, at, action, field, new_value FROM audit_log WHERE table_name = 'staff'"
            " AND record_id NOT IN (SELECT id FROM staff) ORDER BY id"):
        person = people.setdefault(record_id, {"created_at": at})
        person.update(action=action, updated_at=at)
        if column in STAFF_FIELDS:
            person[column] = value
    return {record_id: person for record_id, person in people.items()
            if person["action"] != "delete" and person.get("name")}


def _label(person: dict[str, object]) -> str:
    """“name（post）”, or the name alone."""
    return f"{person['name']}（{person['post']}）" if person.get("post") else str(person["name"])


def _rebuild_people(conn: sqlite3.Connection) -> list[str]:
    """Put back, with their own ids, the people ``_lost_people`` finds; a person the constraints refuse
    stays out (``_people_missing`` names them). Returns “name（post）” of each one put back."""
    (unit,) = conn.execute("SELECT id FROM unit LIMIT 1").fetchone() or (None,)
    if unit is None:
        return []
    rebuilt = []
    for record_id, person in _lost_people(conn).items():
        try:
            member = StaffMember(
                str(person["name"]), RankCategory(person.get("rank")), post=str(person.get("post") or ""),
                party_member=person.get("party_member") == "是",
                status=StaffStatus(person.get("status") or StaffStatus.ACTIVE.value),
                title=str(person.get("title") or ""), note=str(person.get("note") or ""), id=record_id)
            values = {**staff.row_values(member), "id": record_id, "unit_id": unit,
                      "created_at": person["created_at"], "updated_at": person["updated_at"]}
            conn.execute("SAVEPOINT person")
            conn.execute(f"INSERT INTO staff ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                         list(values.values()))
            conn.execute("RELEASE person")
        except (ValueError, sqlite3.DatabaseError):  # a value no person can have: left out, reported missing
            with contextlib.suppress(sqlite3.DatabaseError):
                conn.execute("ROLLBACK TO person")
                conn.execute("RELEASE person")
            continue
        rebuilt.append(_label(person))
    return rebuilt


def _people_missing(conn: sqlite3.Connection) -> list[str]:
    """“name（post）” of each person the salvaged history records and the salvaged roster lacks."""
    return [_label(person) for person in _lost_people(conn).values()]


def _parents_first(conn: sqlite3.Connection) -> list[str]:
    """The tables in an order where every table comes after those its foreign keys point to."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
    parents = {t: {r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} - {t} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        ordered.extend(ready or [t for t in tables if t not in ordered])  # a cycle: keep the schema's order
    return ordered


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


# (indexed columns, {rowid: the index's values for them}) for the rows an index disagrees with
IndexWitness = tuple[tuple[str, ...], dict[int, tuple]]


def _check_problems(source: sqlite3.Connection) -> list[str]:
    """What ``integrity_check`` finds in the damaged file, one problem per line ([] if it cannot run)."""
    try:
        found = [row[0] or "" for row in source.execute(f"PRAGMA integrity_check({_REPORTED_PROBLEMS})")]
    except sqlite3.DatabaseError:
        return []
    return [line for text in found for line in text.splitlines() if line and line != "ok"]


def _tables_named(source: sqlite3.Connection, problems: list[str]) -> set[str]:
    """The tables the problems are in, as far as can be told: a value's table (“NULL value in staff.name”)
    and the owner of a damaged page (its root page, or SQLite's page list where it can still be read).
    Damage found only in an index is left out: the salvaged database builds its indexes anew."""
    named = {m for problem in problems for m in _VALUE_IN.findall(problem)}
    pages = {int(n) for problem in problems for n in _TREE_PAGE.findall(problem)}
    if not pages:
        return named
    try:
        kinds = {name: (kind, table) for kind, name, table in source.execute(
            "SELECT type, name, tbl_name FROM sqlite_master")}
        owners = {root: name for name, root in source.execute("SELECT name, rootpage FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return named
    with contextlib.suppress(sqlite3.DatabaseError):  # SQLite's page list, when this build has it
        owners.update(source.execute("SELECT pageno, name FROM dbstat"))
    for page in pages:
        kind, table = kinds.get(owners.get(page, ""), ("", ""))
        if kind == "table":
            named.add(table)
    return named


def _index_witnesses(source: sqlite3.Connection, problems: list[str]) -> dict[str, list[IndexWitness]]:
    """What the indexes say of the rows ``integrity_check`` finds missing from them, by table.

    A row missing from an index was changed, or its index entry was: when the index, read on its own,
    holds other values for that row, one of the two is wrong and nothing says which — the row is left
    out rather than risk a wrong name or id. An index that cannot be read says nothing.
    """
    try:
        indexes = {name: (table, sql or "") for name, table, sql in source.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")}
    except sqlite3.DatabaseError:
        return {}
    missing: dict[str, set[int]] = {}
    for problem in problems:
        for rowid, index in _MISSING_FROM_INDEX.findall(problem):
            if index in indexes:
                missing.setdefault(index, set()).add(int(rowid))
    witnesses: dict[str, list[IndexWitness]] = {}
    for index, rowids in missing.items():
        table, sql = indexes[index]
        try:
            columns = tuple(row[2] for row in source.execute(f'PRAGMA index_info("{index}")'))
            if None in columns:
                continue  # an index on an expression
            where = sql[sql.upper().rindex(" WHERE ") :] if " WHERE " in sql.upper() else ""  # a partial index
            quoted = ", ".join(f'"{c}"' for c in columns)
            entries = {row[0]: tuple(row[1:]) for row in source.execute(
                f'SELECT rowid, {quoted} FROM "{table}" INDEXED BY "{index}" {where}') if row[0] in rowids}
        except sqlite3.DatabaseError:
            continue
        witnesses.setdefault(table, []).append((columns, entries))
    return witnesses


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str,
                witnesses: list[IndexWitness]) -> TableSalvage:
    outcome = TableSalvage(table)
    try:
        wanted = _columns(target, table)
        present = set(_columns(source, table))
    except sqlite3.DatabaseError:
        outcome.unreadable = 1
        return outcome
    columns = [c for c in wanted if c in present]
    quoted = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" (rowid, {quoted}) VALUES ({", ".join("?" * (len(columns) + 1))})'
    for row in _readable_rows(source, table, quoted, outcome):
        if _contradicted(row, columns, witnesses) or any(isinstance(v, str) and _GARBLED.search(v) for v in row) \
                or _disowned(table, row, columns):
            outcome.refused += 1
            continue
        try:
            target.execute("SAVEPOINT row")
            target.execute(insert, row)
            target.execute("RELEASE row")
            outcome.saved += 1
        except sqlite3.DatabaseError:  # IntegrityError, or a value of the wrong type in a STRICT column
            target.execute("ROLLBACK TO row")
            target.execute("RELEASE row")
            outcome.refused += 1
    return outcome


def _contradicted(row: tuple, columns: list[str], witnesses: list[IndexWitness]) -> bool:
    """Does an index hold other values for this row (``row`` is its rowid, then ``columns``)?"""
    for indexed, entries in witnesses:
        said = entries.get(row[0])
        if said is not None and any(c not in columns or row[1 + columns.index(c)] != v for c, v in zip(indexed, said)):
            return True
    return False


def _disowned(table: str, row: tuple, columns: list[str]) -> bool:
    """Does the row disagree with itself? A person's ``name_key`` is worked out from the name when it is
    written: a flipped bit that leaves the name valid text (范伟 → 萢伟) no longer matches it. The row is
    left out, and the person put back from the history with the name last recorded there."""
    if table != "staff" or "name" not in columns or "name_key" not in columns:
        return False
    name, name_key = row[1 + columns.index("name")], row[1 + columns.index("name_key")]
    return not isinstance(name, str) or comparison_key(name) != name_key


def _readable_rows(source: sqlite3.Connection, table: str, quoted: str, outcome: TableSalvage):
    """Yield ``(rowid, *values)`` of every row that can be read, in rowid order; ranges that cannot be
    read are halved down to single rowids, within a budget of failed reads."""
    select = f'SELECT rowid, {quoted} FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid'
    # One rowid is sought, not scanned: a range stops only after stepping past its last row, onto the
    # next page — the damaged one, for the last row before it.
    select_one = f'SELECT rowid, {quoted} FROM "{table}" WHERE rowid = ?'
    try:
        first, last = source.execute(f'SELECT min(rowid), max(rowid) FROM "{table}"').fetchone()
    except sqlite3.DatabaseError:
        first, last = _FIRST_ROWID, _LAST_ROWID
    if first is None:
        return
    budget = _FAILED_READS_PER_TABLE
    pending = [(first, last)]
    while pending:
        low, high = pending.pop()
        try:
            rows = (source.execute(select_one, (low,)) if low == high else source.execute(select, (low, high))).fetchall()
        except sqlite3.DatabaseError:  # damage, or text that is no longer UTF-8
            budget -= 1
            if low == high or budget <= 0:
                outcome.unreadable += 1
                continue
            middle = low + (high - low) // 2
            pending.extend([(middle + 1, high), (low, middle)])  # the lower half first
            continue
        yield from rows
