"""Write files so that a crash never leaves half a file: temporary name, fsync, rename."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from qingqing_desktop.domain.errors import DiskFull
from qingqing_desktop.store.locations import nearest_existing


# On Windows a file just written is often held for a moment by an antivirus scanner or the search
# indexer, and renaming it then fails with a sharing violation: a rename refused there is tried
# again for a second, as pip does (pip/_internal/utils/filesystem.py). A file kept open by Excel
# is still refused after that, and reported as open in another program.
RETRY_REFUSED_RENAMES = os.name == "nt"
RENAME_RETRY_SECONDS = 1.0
_RENAME_RETRY_INTERVAL = 0.1


def replace(source: Path, target: Path) -> None:
    """``os.replace``, tried again for a moment where Windows refuses it (see above)."""
    deadline = time.monotonic() + RENAME_RETRY_SECONDS
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not RETRY_REFUSED_RENAMES or time.monotonic() >= deadline:
                raise
            time.sleep(_RENAME_RETRY_INTERVAL)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(target: Path, *, size: int | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``target`` in one rename, on error it vanishes.

    ``size``: the expected size, checked against the free space first. A disk that fills up
    while writing ends in ``DiskFull`` naming the folder (the temporary file is removed).
    """
    target = Path(target)
    if size is not None:
        ensure_free_space(target.parent, size)
    created = make_folder(target.parent)
    tmp = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        tmp = Path(tmp_name)
        if hasattr(os, "fchmod"):
            # mkstemp creates 0600; a document for the office gets the usual permissions
            # (callers writing secrets, e.g. keys, narrow them again).
            os.fchmod(fd, 0o666 & ~_current_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace(tmp, target)
    except BaseException as exc:
        full = _failed_write(exc, target, target.parent, size)
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        remove_made_folders(created)
        if full is not None:
            raise full from exc
        raise


FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` with its missing parents; returns those it created, deepest first, for
    ``remove_made_folders`` after a write that failed (an empty folder would look like a result)."""
    folder = Path(folder)
    created = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        created.append(candidate)
    folder.mkdir(parents=True, exist_ok=True)
    return created


def remove_made_folders(created: list[Path]) -> None:
    """Remove the folders ``make_folder`` created, deepest first, as long as they are empty."""
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            return  # something else is in it now (or it is gone): it and its parents stay


_TEMPORARY_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.part$")  # mkstemp's: .<name>.<8 characters>.part


def chosen_path(path: str | os.PathLike) -> Path:
    """The file or folder the clerk chose, for a temporary this module (or a backup) writes first:
    ``.<name>.<random>.part`` → ``<name>``, ``<backup>.part`` → ``<backup>``, anything in a set's hidden
    work folder → the file of that name in the set's folder (the folder itself for the rest).
    A message about a failed write names what the clerk knows, never the temporary."""
    path = Path(path)
    for index, part in enumerate(path.parts):
        if part.startswith(SET_WORK_PREFIX):
            folder, rest = Path(*path.parts[:index]), path.parts[index + 1:]
            return folder / rest[1] if len(rest) >= 2 and rest[0] in ("new", "old") else folder
    if match := _TEMPORARY_NAME.match(path.name):
        return path.with_name(match["name"])
    if path.name.startswith("qingqing-") and path.name.endswith(".sqlite3.part"):
        return path.with_name(path.name[: -len(".part")])
    return path


def free_space(folder: Path) -> int | None:
    """Bytes free on ``folder``'s disk (its nearest existing folder), or None when it cannot be told."""
    try:
        return shutil.disk_usage(nearest_existing(Path(folder))).free
    except OSError:
        return None


def _no_more_files(folder: Path) -> bool:
    """Has ``folder``'s disk room for no more files (every inode used), whatever bytes are left?"""
    try:
        stats = os.statvfs(nearest_existing(Path(folder)))
    except (OSError, AttributeError):  # Windows has no statvfs (and NTFS no fixed number of files)
        return False
    return stats.f_files > 0 and stats.f_favail == 0


def disk_full(folder: Path, needed: int | None, *, quota: bool = False) -> DiskFull:
    """The refusal for a write that found ``folder``'s disk full (``quota``: this user's share of it),
    saying what is left — or that the disk has room but can take no more files."""
    if quota:  # the disk has room, this user has none: its free space means nothing here
        return DiskFull(str(folder), None, needed)
    return DiskFull(str(folder), free_space(folder), needed, files_full=_no_more_files(folder))


def _failed_write(exc: BaseException, chosen: Path, folder: Path, needed: int | None) -> DiskFull | None:
    """A write of ``chosen`` (a file, or a set's folder) into ``folder`` failed with ``exc``: a full disk
    is ``DiskFull``, measured before the cleanup frees what the write took; an OSError naming no file
    (a failed write or fsync) is made to name ``chosen``, so its message says which file."""
    if not isinstance(exc, OSError):
        return None
    if exc.errno in FULL_ERRNOS:
        return disk_full(folder, needed)
    if exc.filename is None:
        exc.filename = str(chosen)
    return None


def ensure_free_space(folder: Path, needed: int) -> None:
    """Refuse before writing when ``folder``'s disk has not got ``needed`` bytes (plus a little):
    ``DiskFull`` names the folder, what is left and what is needed; nothing has been written."""
    free = free_space(folder)
    if free is None:
        return  # cannot tell: the write itself will say
    margin = 256 * 1024
    if free < needed + margin:
        raise DiskFull(str(folder), free, needed + margin)


LEFTOVER_AGE = dt.timedelta(hours=1)  # older than any backup, salvage or restore still under way


def remove_leftovers(target: Path, *, older_than: dt.timedelta | None = None) -> None:
    """Remove what ``atomic_write`` left beside ``target`` when a process was killed mid-write
    (``.<name>.…part``); ``older_than`` spares files young enough to be another process's write."""
    target = Path(target)
    now = dt.datetime.now()
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if older_than is None or now - dt.datetime.fromtimestamp(stale.stat().st_mtime) >= older_than:
                stale.unlink(missing_ok=True)
        except OSError:
            continue  # already gone, or in use: the next call tries again


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_write(target, size=len(data)) as handle:
        handle.write(data)


# --------------------------------------------------------------------------- a set of files as one
#
# ``write_file_set`` puts several files into a folder as one set: a kill leaves the old set or
# the new one, never a mix. Each file is written and synced in a hidden work folder inside the
# target folder (same disk, so every move is a rename); then ``commit.json`` names the set —
# the point of no return — and each old file is moved aside and the new one into place. A kill
# before the commit leaves the old set untouched (the work folder is removed next time); a kill
# during the renames is finished on the next call (the journal says what was to be moved). A
# rename refused half-way (a file open in Excel on Windows) is undone at once.

SET_WORK_PREFIX = ".qingqing-set-"
_JOURNAL = "commit.json"


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory handles to sync; NTFS journals the renames itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hide(folder: Path) -> None:
    if os.name == "nt":
        import ctypes  # noqa: PLC0415 — Windows only

        ctypes.windll.kernel32.SetFileAttributesW(str(folder), 0x2)  # type: ignore[attr-defined]  # HIDDEN


def _commit_set(folder: Path, work: Path) -> None:
    """Move the set named by ``work``'s journal into ``folder``, old files aside (again, after a kill)."""
    names = json.loads((work / _JOURNAL).read_text(encoding="utf-8"))["files"]
    new, old = work / "new", work / "old"
    old.mkdir(exist_ok=True)
    moved: list[str] = []
    try:
        for name in names:
            if not (new / name).exists():
                continue  # moved before a kill
            target = folder / name
            if target.exists() and not (old / name).exists():
                replace(target, old / name)
            replace(new / name, target)
            moved.append(name)
    except OSError:
        for name in reversed(names):  # undo: the old set comes back whole
            with contextlib.suppress(OSError):
                if name in moved:
                    replace(folder / name, new / name)
                if (old / name).exists() and not (folder / name).exists():
                    replace(old / name, folder / name)
        with contextlib.suppress(OSError):
            (work / _JOURNAL).unlink()
        _drop_uncommitted(folder, work)
        raise
    _fsync_folder(folder)
    shutil.rmtree(work, ignore_errors=True)


def finish_interrupted_sets(folder: Path) -> None:
    """Leftovers of a killed ``write_file_set``: finish a committed set, drop an uncommitted one."""
    try:
        leftovers = sorted(Path(folder).glob(SET_WORK_PREFIX + "*"))
    except OSError:
        return
    for work in leftovers:
        if (work / _JOURNAL).exists():
            _commit_set(Path(folder), work)
        else:
            _drop_uncommitted(Path(folder), work)


def _drop_uncommitted(folder: Path, work: Path) -> None:
    """Remove a set that never committed; an old file still set aside in it goes back first."""
    with contextlib.suppress(OSError):
        for kept in (work / "old").iterdir():
            if not (folder / kept.name).exists():
                replace(kept, folder / kept.name)
    shutil.rmtree(work, ignore_errors=True)


def write_file_set(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name → content) into ``folder`` as one set; returns their paths in order."""
    folder = Path(folder)
    needed = sum(len(content) for content in files.values())
    ensure_free_space(folder, needed)
    created = make_folder(folder)
    finish_interrupted_sets(folder)
    work = None
    try:
        work = Path(tempfile.mkdtemp(prefix=SET_WORK_PREFIX, dir=folder))
        _hide(work)
        (work / "new").mkdir()
        for name, content in files.items():
            with open(work / "new" / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(work / "new" / name, 0o666 & ~_current_umask())
        _fsync_folder(work / "new")
        write_bytes_atomic(work / _JOURNAL, json.dumps({"files": list(files)}, ensure_ascii=False).encode("utf-8"))
    except BaseException as exc:
        full = _failed_write(exc, folder, folder, needed)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        remove_made_folders(created)
        if full is not None:
            raise full from exc
        raise
    try:
        _commit_set(folder, work)
    except BaseException:
        remove_made_folders(created)  # a rename refused in a folder made for this set: the set was undone
        raise
    return [folder / name for name in files]
