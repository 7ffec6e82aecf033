"""Backups through the SQLite backup API, checked with integrity_check, kept in tiers.

Taken on a timer (GUI), before every import, before a restore and before a
schema upgrade. Retention: the newest 20, plus the newest of each of the last
30 days and of each of the last 12 months.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.errors import DatabaseRefused, InputRejected, Location
from qingqing_desktop.store.locations import backups_dir

_NAME = re.compile(r"^qingqing-(\d{8}-\d{6})(?:-\d+)?-([a-z-]+)\.sqlite3$")
REASON_LABELS = {
    "manual": "手动备份",
    "timer": "定时备份",
    "import": "导入前备份",
    "restore": "恢复前备份",
    "upgrade": "升级前备份",
    "exit": "退出时备份",
}
KEEP_NEWEST, KEEP_DAYS, KEEP_MONTHS = 20, 30, 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def _integrity_ok(conn: sqlite3.Connection) -> tuple[bool, str]:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return result == "ok", result


def backup_connection(source: sqlite3.Connection, reason: str, folder: Path | None = None) -> Path:
    folder = folder or backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"qingqing-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        target = folder / f"qingqing-{stamp}-{counter}-{reason}.sqlite3"
        counter += 1
    partial = target.with_suffix(".part")
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest)
        ok, detail = _integrity_ok(dest)
    finally:
        dest.close()
    if not ok:
        partial.unlink(missing_ok=True)
        raise DatabaseRefused(f"备份检查未通过（{detail}），数据库可能已损坏。请立即联系技术人员，不要继续使用。")
    partial.replace(target)
    prune(folder)
    return target


def backup_file(db_path: Path, reason: str, folder: Path | None = None) -> Path:
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return backup_connection(source, reason, folder)
    finally:
        source.close()


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    folder = folder or backups_dir()
    found = []
    for path in folder.glob("qingqing-*.sqlite3"):
        match = _NAME.match(path.name)
        if not match:
            continue
        taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def prune(folder: Path | None = None, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups outside the tiers; returns what was deleted."""
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
        path.unlink(missing_ok=True)
    return removed


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not a sound database of this application."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok, detail = _integrity_ok(conn)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputRejected(f"不是有效的备份文件（{exc}）", Location(file=str(path))) from exc
    if not ok:
        raise InputRejected(f"备份文件已损坏（{detail}）", Location(file=str(path)))
    if "_sqlite_migrations" not in tables or "staff" not in tables:
        raise InputRejected("这不是亲清填报的备份文件", Location(file=str(path)))


def restore_into(backup_path: Path, target: sqlite3.Connection) -> None:
    """Copy a checked backup over the open live database (SQLite backup API, page by page)."""
    check_backup_file(backup_path)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()
