"""备份与恢复 for the GUI and the CLI.

A backup is refused while the database is damaged (it would only copy the damage). A
restore checks the backup first (``backup.check_backup_file``), keeps the current data —
a checked backup when it is sound, a plain copy when it is damaged — and then either
copies the backup over the open database (sound: other windows see the change at once)
or puts the file in place of the damaged one, which is closed and opened again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path

from qingqing_desktop.domain.errors import DatabaseDamaged, FileAccessFailed, InputRejected, Location
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import backup, lock_owners, migrations

if TYPE_CHECKING:
    from qingqing_desktop.store.salvage import Progress, SalvageReport

log = logging.getLogger(__name__)

BackupInfo = backup.BackupInfo
CheckedBackup = backup.CheckedBackup
UnrecordedBackup = backup.UnrecordedBackup
list_backups = backup.list_backups
check_backup = backup.check_backup_file
recorded_note = backup.recorded_note
REASON_LABELS = backup.REASON_LABELS
SALVAGED = backup.SALVAGED


def create_backup(session: Session, reason: str = "manual", *, imported: str = "") -> Path:
    session.store.refuse_if_damaged()
    _ensure_database_id(session)
    try:
        return backup.backup_connection(session.store.conn, reason, database=session.db_path, imported=imported)
    except DatabaseDamaged as damage:
        session.store.mark_damaged(damage)
        raise


def backup_before_import(session: Session, imported: str = "") -> Path | None:
    """The backup every import takes before its first write (none for a database in memory).

    ``imported``: what is imported, as the backups list names it: 人员名单“技术科名单.xlsx” is listed
    as 导入人员名单“技术科名单.xlsx”前 (without it: 导入前备份)."""
    return create_backup(session, "import", imported=imported) if session.db_path is not None else None


def _ensure_database_id(session: Session) -> None:
    """Give the database its own id (once), so its backups are found again after the folder is moved."""
    if session.db_path is not None and not session.store.meta_get(backup.DATABASE_ID_KEY):
        session.store.meta_set(backup.DATABASE_ID_KEY, str(uuid.uuid4()))


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept: Path | None  # the data as it was before the restore (a backup, or a copy of the damaged file)
    people: int


def restore_backup(session: Session, backup_path: Path, *, outside: bool = False) -> RestoreResult:
    """Replace the live data with a backup that passes every check; the current data is kept first.

    ``outside``: the clerk confirmed restoring a file that has no record from this program.
    """
    checked = backup.check_backup_file(Path(backup_path), outside=outside)
    with lock_owners.doing(session.db_path, "正在从备份恢复"):
        if session.damage is None and session.db_path is not None:
            kept = backup.backup_connection(session.store.conn, "restore", database=session.db_path)
            session.store.waiting_for_lock(lambda: backup.restore_into(checked, session.store.conn))
            session.store.conn.execute("PRAGMA journal_mode = WAL")
            migrations.migrations.apply(session.store.db)  # a backup from an older schema is brought up to date
            session.check(full=False)
        else:
            kept = _replace_damaged(session, checked)
    log.info("restored %s into %s (outside file: %s); the data before is in %s", backup_path, session.db_path,
             not checked.recorded, kept)
    return RestoreResult(Path(backup_path), kept, checked.people)


def _replace_damaged(session: Session, checked: CheckedBackup) -> Path | None:
    path = session.db_path
    if path is None:
        raise FileAccessFailed("内存数据库", "内存中的数据库不能从备份恢复。")
    busy = lock_owners.others(path)
    if busy:
        raise FileAccessFailed(str(path), "数据库还被" + "、".join(o.describe() for o in busy)
                               + "打开着。请先关闭它，再从备份恢复。")
    kept = backup.keep_damaged_copy(path)
    session.store.close()
    try:
        backup.replace_database_file(checked, path)
    finally:
        session.reopen(allow_damaged=True)
    return kept


def restore_file(db_path: Path, backup_path: Path, *, outside: bool = False) -> RestoreResult:
    """Restore a database that cannot even be opened (its header is damaged): no session needed."""
    checked = backup.check_backup_file(Path(backup_path), outside=outside)
    busy = lock_owners.others(db_path)
    if busy:
        raise FileAccessFailed(str(db_path), "数据库还被" + "、".join(o.describe() for o in busy)
                               + "打开着。请先关闭它，再从备份恢复。")
    kept = backup.keep_damaged_copy(db_path)
    backup.replace_database_file(checked, db_path)
    log.info("restored %s over the unreadable %s; the damaged file is kept as %s", backup_path, db_path, kept)
    return RestoreResult(Path(backup_path), kept, checked.people)


def newest_sound_backup(session_or_path) -> tuple[BackupInfo, CheckedBackup] | None:
    path = session_or_path.db_path if isinstance(session_or_path, Session) else session_or_path
    return backup.newest_sound_backup(path)


def verify_database_file(path: Path) -> None:
    """Open and check a database file without keeping it open (used before switching files)."""
    from qingqing_desktop.store.database import open_store  # noqa: PLC0415

    open_store(Path(path), full_check=True, create=False).close()


def salvage_damaged(session_or_path: Session | Path, progress: Progress | None = None) -> SalvageReport:
    """抢救可读数据: every row of a damaged database that can still be read, copied into a new backup
    (reason “从损坏的数据库抢救出的数据”) that is then restored like any other. A sound database is refused:
    its backups are the way back."""
    if isinstance(session_or_path, Session):
        if session_or_path.damage is None:
            raise InputRejected("数据库没有损坏，不需要抢救。要回到以前的数据，请从备份恢复。",
                                Location(file=str(session_or_path.db_path or "内存数据库")))
        if session_or_path.db_path is None:
            raise FileAccessFailed("内存数据库", "内存中的数据库不能抢救。")
        path = session_or_path.db_path
    else:
        path = Path(session_or_path)
    from qingqing_desktop.store import salvage  # noqa: PLC0415 — only for a damaged database

    return salvage.salvage(path, progress=progress)
