"""Where the application keeps its data, and whether a place is fit for the live database."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs

from qingqing_desktop import APP_ID
from qingqing_desktop.domain.errors import DatabaseRefused

log = logging.getLogger(__name__)

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


SYS_ROOT = Path("/sys")  # tests point it at a fake sysfs


def _linux_removable(folder: Path) -> bool:
    """Is ``folder`` on a removable or USB-attached block device?

    The folder's device number leads to its sysfs entry (``/sys/dev/block/MAJ:MIN``, a
    partition or the disk itself); the disk's ``removable`` flag says 1 for a USB stick or a
    card reader, and a USB hard disk (``removable`` 0) sits under a ``usb`` bus in the path.
    """
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return False
    entry = SYS_ROOT / "dev" / "block" / f"{os.major(device)}:{os.minor(device)}"
    try:
        real = entry.resolve(strict=True)
    except OSError:
        return False  # tmpfs, overlay, a network file system: no block device
    if "/usb" in str(real):
        return True
    for candidate in (real, real.parent):
        flag = candidate / "removable"
        try:
            return flag.read_text().strip() == "1"
        except OSError:
            continue
    return False


def nearest_existing(path: Path) -> Path:
    """``path`` itself or its nearest ancestor that exists (a new database's folder may not yet)."""
    path = Path(path).absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or ".")


def check_local_disk(path: Path, *, what: str = "数据库") -> None:
    """Refuse a live database (or the data or backup folder) on a network share or removable drive.

    SQLite's locking is unreliable over SMB/NFS and a pulled USB stick corrupts the file; the
    clerk is told to copy the file to the local disk instead. ``path`` need not exist yet: the
    check is made at its nearest existing ancestor.
    """
    advice = ("请先把文件复制到本机（例如“文档”文件夹），再打开复制后的文件。" if what == "数据库"
              else "请改用本机硬盘上的文件夹（不设置 QINGQING_DATA_DIR 时使用默认位置）。")
    _check_place(Path(path), nearest_existing(Path(path).parent), what, advice)


def check_local_folder(folder: Path, *, what: str) -> None:
    """The same check for a folder the program writes into (the data folder, the backups folder),
    made at the folder itself or, before it exists, at its nearest existing ancestor; the refusal
    names the folder."""
    advice = ("请把它换成本机硬盘上的普通文件夹（不能是指向U盘或网络位置的链接）。" if what == "备份文件夹"
              else "请改用本机硬盘上的文件夹（不设置 QINGQING_DATA_DIR 时使用默认位置）。")
    _check_place(Path(folder), nearest_existing(Path(folder)), what, advice)


def _check_place(path: Path, folder: Path, what: str, advice: str) -> None:
    where = _unfit_place(path, folder)
    if where:
        message = f"{what}“{path}”位于{where}上。为防止数据损坏，{what}必须放在本机硬盘上：" + advice
        log.warning("refused to open: %s", message)
        raise DatabaseRefused(message)


def _unfit_place(path: Path, folder: Path) -> str:
    """Where ``path`` (checked at ``folder``) is, when that is no place for live data; "" when fine."""
    if sys.platform == "win32":
        if str(path).startswith("\\\\"):
            return "网络共享文件夹"
        drive_type = _windows_drive_type(folder)
        if drive_type == 4:  # DRIVE_REMOTE
            return "网络驱动器"
        if drive_type == 2:  # DRIVE_REMOVABLE
            return "U盘等可移动磁盘"
    elif sys.platform.startswith("linux"):
        if _linux_fs_type(folder) in _REMOTE_FS:
            return "网络共享文件夹"
        if _linux_removable(folder):
            return "U盘等可移动磁盘"
    return ""
