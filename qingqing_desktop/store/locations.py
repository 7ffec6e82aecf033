"""Where the application keeps its data, and whether a place is fit for the live database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from qingqing_desktop import APP_ID
from qingqing_desktop.domain.errors import DatabaseRefused

DB_FILE_NAME = "qingqing.sqlite3"


def data_dir() -> Path:
    """The user's data folder (``QINGQING_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get("QINGQING_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    """``QINGQING_DB`` if set, else the database in the user's data folder."""
    override = os.environ.get("QINGQING_DB")
    return Path(override) if override else data_dir() / DB_FILE_NAME


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


_REMOTE_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs"}


def _linux_fs_type(path: Path) -> str | None:
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fs_type = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(mount_point) > len(best):
            best, fs_type = mount_point, parts[2]
    return fs_type


def _windows_drive_type(path: Path) -> int | None:
    import ctypes  # noqa: PLC0415 — Windows only

    root = os.path.splitdrive(str(path.resolve()))[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]


def check_local_disk(path: Path) -> None:
    """Refuse a live database on a network share or removable drive.

    SQLite's locking is unreliable over SMB/NFS and a pulled USB stick corrupts
    the file; the clerk is told to copy the file to the local disk instead.
    """
    folder = path.parent if path.parent.exists() else Path.cwd()
    message = (
        f"数据库“{path}”位于{{where}}上。为防止数据损坏，数据库必须放在本机硬盘上："
        "请先把文件复制到本机（例如“文档”文件夹），再打开复制后的文件。"
    )
    if sys.platform == "win32":
        if str(path).startswith("\\\\"):
            raise DatabaseRefused(message.format(where="网络共享文件夹"))
        drive_type = _windows_drive_type(folder)
        if drive_type == 4:  # DRIVE_REMOTE
            raise DatabaseRefused(message.format(where="网络驱动器"))
        if drive_type == 2:  # DRIVE_REMOVABLE
            raise DatabaseRefused(message.format(where="U盘等可移动磁盘"))
    elif sys.platform.startswith("linux"):
        if _linux_fs_type(folder) in _REMOTE_FS:
            raise DatabaseRefused(message.format(where="网络共享文件夹"))
