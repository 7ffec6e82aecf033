"""备份与恢复 for the GUI and the CLI."""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.services.session import Session
from qingqing_desktop.store import backup
from qingqing_desktop.store.database import open_store
from qingqing_desktop.store.migrations import migrations

BackupInfo = backup.BackupInfo
list_backups = backup.list_backups


def create_backup(session: Session, reason: str = "manual") -> Path:
    return backup.backup_connection(session.store.db.conn, reason)


def restore_backup(session: Session, backup_path: Path) -> Path:
    """Replace the live data with a backup; the current state is backed up first. Returns that backup."""
    backup.check_backup_file(Path(backup_path))
    safety = backup.backup_connection(session.store.db.conn, "restore")
    backup.restore_into(Path(backup_path), session.store.db.conn)
    migrations.apply(session.store.db)  # a backup from an older schema is brought up to date
    return safety


def verify_database_file(path: Path) -> None:
    """Open and check a database file without keeping it open (used before switching files)."""
    open_store(Path(path)).close()
