"""The one place where low-level faults become the clear Chinese refusals a clerk reads.

``refusal(exc, store=…)`` maps what SQLite and the operating system raise — a damaged file,
``database is locked``, a full disk or quota, a missing permission, a device error — to
``DatabaseDamaged``, ``DatabaseLocked``, ``DiskFull`` or ``FileAccessFailed``; our own
``QingqingError`` passes through; anything else (a bug) gives ``None``. When a ``store`` is
given, a damaged database puts that store in the damaged state (no more writes), and an
unexplained error is followed by a full check, since damage inside a cell surfaces as an
odd Python error rather than as an SQLite one.

Used by the CLI's ``main`` (exit 2 for a refusal) and by the GUI (the last-resort
excepthook, the background job's failure path, ``messages.show_error``).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import traceback
from pathlib import Path

from qingqing_desktop.domain.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DiskFull,
    FileAccessFailed,
    QingqingError,
)
from qingqing_desktop.store import integrity, lock_owners
from qingqing_desktop.store.atomic_file import FULL_ERRNOS, chosen_path, disk_full, free_space
from qingqing_desktop.store.database import Store, is_lock_error

log = logging.getLogger(__name__)

_WINDOWS_FULL = {112, 39}  # ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in FULL_ERRNOS or getattr(exc, "winerror", None) in _WINDOWS_FULL
    return isinstance(exc, sqlite3.OperationalError) and "database or disk is full" in str(exc).lower()


def _folder_of(exc: BaseException, folder: Path | None, store: Store | None) -> Path | None:
    if folder is not None:
        return Path(folder)
    filename = getattr(exc, "filename", None)
    if filename:
        return chosen_path(filename).parent
    if store is not None and store.path is not None:
        return store.path.parent
    return None


def _database_fault(exc: sqlite3.DatabaseError, store: Store | None, folder: Path | None,
                    needed: int | None) -> QingqingError | None:
    path = store.path if store is not None else None
    text = str(exc).lower()
    if integrity.is_damage(exc):
        return damaged(store, integrity.CheckResult(integrity.damage_phrase(exc), str(exc)))
    if is_lock_error(exc):
        waited = round(store.lock_wait_seconds) if store is not None else 0
        return DatabaseLocked(str(path or "数据库"), lock_owners.describe_holder(path), waited)
    if _is_disk_full(exc):
        where = _folder_of(exc, folder, store)
        needed = needed or _database_size(store)
        return disk_full(where, needed) if where else DiskFull("数据库所在文件夹", None, needed)
    if "readonly database" in text or "read-only" in text:
        if store is not None and store.damage is not None:
            return store.damage
        return FileAccessFailed(str(path or "数据库"), "文件是只读的，或没有写入权限。请检查文件属性和文件夹权限。")
    if "disk i/o error" in text:
        where = _folder_of(exc, folder, store)
        free = free_space(where) if where else None
        if free is not None and free < 1024 * 1024:
            return DiskFull(str(where), free, needed or _database_size(store))
        return FileAccessFailed(str(path or "数据库"), "读写磁盘时出错（磁盘故障、U盘被拔出或网络中断）。数据没有被部分写入。")
    if "unable to open database" in text:
        return FileAccessFailed(str(path or "数据库"), "打不开数据库文件，请检查文件是否存在、是否有权限。")
    return None


def _database_size(store: Store | None) -> int | None:
    if store is None or store.path is None:
        return None
    try:
        return store.path.stat().st_size
    except OSError:
        return None


# What the operating system's English text (strerror) says, in Chinese; the English goes to the log only.
_OS_REASONS = {
    errno.EROFS: "磁盘是只读的（U盘打开了写保护，或磁盘以只读方式连接），不能写入。请换一个文件夹，或解除写保护后再试。",
    errno.ENAMETOOLONG: "文件名或路径太长。请换一个短一些的文件名，或选一个层次少一些的文件夹。",
    errno.EIO: "读写磁盘时出错（磁盘故障、U盘被拔出或网络中断）。请检查磁盘后再试。",
    errno.EINVAL: "系统不接受这个文件名或路径（不能含有 \\ / : * ? \" < > | 等字符，也不能以空格或句点结尾）。请换一个文件名。",
}
# Windows: ERROR_INVALID_NAME, ERROR_BAD_PATHNAME, ERROR_FILENAME_EXCED_RANGE (Python calls the last ENOENT)
_WINDOWS_REASONS = {123: _OS_REASONS[errno.EINVAL], 161: _OS_REASONS[errno.EINVAL], 206: _OS_REASONS[errno.ENAMETOOLONG]}


def _os_fault(exc: OSError, store: Store | None, folder: Path | None, needed: int | None) -> QingqingError:
    if _is_disk_full(exc):
        where = _folder_of(exc, folder, store)
        quota = exc.errno == getattr(errno, "EDQUOT", None)  # the disk has room, this user has none
        return disk_full(where, needed, quota=quota) if where else DiskFull("目标文件夹", None, needed)
    where = chosen_path(exc.filename) if exc.filename else (folder or "文件")
    return FileAccessFailed(str(where), os_reason(exc))


def os_reason(exc: OSError) -> str:
    """Why the operating system refused a read or a write, in one or two Chinese sentences (never its
    English ``strerror``, which goes to the log): for a message that names the file itself."""
    reason = _WINDOWS_REASONS.get(getattr(exc, "winerror", None)) or _OS_REASONS.get(exc.errno)
    if reason:
        return reason
    if isinstance(exc, PermissionError):
        return "没有权限，或文件正被其他程序（如 Excel、PDF 阅读器）打开。请关闭占用它的程序，或换一个文件夹后再试。"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在。"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件。"
    if isinstance(exc, FileExistsError):
        return "同名的文件已经存在（要建文件夹的地方已有一个同名的文件）。请换一个位置或名称。"
    if isinstance(exc, NotADirectoryError):
        return "路径中的某一级是文件，不是文件夹。请检查路径。"
    log.warning("no wording for %r (errno %s)", exc, exc.errno)
    code = f"（错误代码 {exc.errno}）" if exc.errno is not None else ""
    return f"操作系统拒绝了这次读写{code}。请检查磁盘和文件夹是否可用。"


def damaged(store: Store | None, result: integrity.CheckResult) -> DatabaseDamaged:
    """The refusal for damage found while using ``store``; the store stops writing from now on."""
    if store is not None and store.damage is not None:
        return store.damage
    from qingqing_desktop.store import backup  # noqa: PLC0415 — only when something is damaged

    refusal_ = backup.damage_refusal(store.path if store is not None else None, result)
    if store is not None:
        store.mark_damaged(refusal_)
    return refusal_


def refusal(exc: BaseException, *, store: Store | None = None, folder: Path | None = None,
            needed: int | None = None) -> QingqingError | None:
    """The Chinese refusal ``exc`` amounts to, or ``None`` when it is a bug.

    ``folder`` and ``needed``: where a write was going and how many bytes it needed, for a full disk.
    """
    if isinstance(exc, QingqingError):
        return exc
    try:
        if isinstance(exc, sqlite3.DatabaseError):
            found = _database_fault(exc, store, folder, needed)
        elif isinstance(exc, OSError):
            found = _os_fault(exc, store, folder, needed)
        else:
            found = None
        if found is None and store is not None and store.path is not None:
            # damage inside a cell (a name no longer UTF-8, a JSON text cut short) surfaces as a Python error
            result = integrity.check_all(store.conn, full=True)
            if not result.sound:
                found = damaged(store, result)
    except (sqlite3.Error, OSError) as second:
        log.error("while explaining %r: %r", exc, second)
        found = None
    if found is not None:
        log.warning("%s: %s", type(found).__name__, found)
    return found


def log_unexpected(exc: BaseException, where: str = "") -> None:
    """Write a bug's traceback to qingqing.log (the clerk sees one sentence)."""
    log.error("unexpected error%s\n%s", f" ({where})" if where else "",
              "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


__all__ = ["refusal", "damaged", "log_unexpected"]
