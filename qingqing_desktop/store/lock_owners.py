"""Who else has the database open, so that “the database is locked” can name what holds it.

SQLite does not say which process holds its write lock. Every process of this program
that opens a database leaves a small note beside it — ``.qingqing.sqlite3.users/<pid>.json``:
which program (a window, a command), since when, and what long write it is doing now
(an import, a restore) — and removes it when it closes. Notes of processes that are no
longer running are ignored and removed. Best effort throughout: a note that cannot be
written never stops the work itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GUI_PROGRAM = "亲清填报窗口"


@dataclass(frozen=True)
class Owner:
    pid: int
    program: str  # GUI_PROGRAM, or the command line, e.g. “qingqing-cli roster import”
    since: str  # ISO time
    activity: str  # what long write it is doing now, e.g. “正在导入人员名单”; "" otherwise

    def describe(self) -> str:
        since = dt.datetime.fromisoformat(self.since)
        kind = f"另一个{self.program}" if self.program == GUI_PROGRAM else f"命令“{self.program}”"
        doing = f"，{self.activity}" if self.activity else ""
        return f"{kind}（进程 {self.pid}，{since:%H:%M} 起{doing}）"


def _folder(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f".{db_path.name}.users")


def _host_name() -> str:
    """This computer's name, as socket.gethostname() gives it; on Linux without loading the socket
    module at every start (glibc's gethostname is uname's node name)."""
    if sys.platform.startswith("linux"):
        return os.uname().nodename
    import socket  # noqa: PLC0415

    return socket.gethostname()


def _note(db_path: Path, pid: int | None = None) -> Path:
    return _folder(db_path) / f"{_host_name()}-{pid or os.getpid()}.json"


_registered: dict[Path, Owner] = {}


def _write(db_path: Path, owner: Owner) -> None:
    try:
        _folder(db_path).mkdir(exist_ok=True)
        _note(db_path).write_text(json.dumps(vars(owner), ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a note is a courtesy; a read-only folder or a full disk must not stop the work


def register(db_path: Path, program: str) -> None:
    """Say that this process has ``db_path`` open as ``program``."""
    owner = Owner(os.getpid(), program, dt.datetime.now().isoformat(timespec="seconds"), "")
    _registered[Path(db_path)] = owner
    _write(db_path, owner)


def unregister(db_path: Path) -> None:
    _registered.pop(Path(db_path), None)
    with contextlib.suppress(OSError):
        _note(db_path).unlink()
    with contextlib.suppress(OSError):
        _folder(db_path).rmdir()  # only when no other process left a note


@contextlib.contextmanager
def doing(db_path: Path | None, activity: str) -> Iterator[None]:
    """While the block runs, this process's note says ``activity`` (e.g. “正在导入人员名单”)."""
    owner = _registered.get(Path(db_path)) if db_path is not None else None
    if owner is None:
        yield
        return
    _write(db_path, Owner(owner.pid, owner.program, owner.since, activity))
    try:
        yield
    finally:
        _write(db_path, owner)


def _running(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415 — Windows only

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def others(db_path: Path) -> list[Owner]:
    """The other running processes of this program that have ``db_path`` open, busiest first."""
    found = []
    host = _host_name()
    try:
        notes = list(_folder(db_path).glob("*.json"))
    except OSError:
        return []
    for path in notes:
        try:
            owner = Owner(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if owner.pid == os.getpid():
            continue
        if path.name.startswith(host + "-") and not _running(owner.pid):
            with contextlib.suppress(OSError):
                path.unlink()  # left by a process that ended without closing (a crash, a kill)
            continue
        found.append(owner)
    return sorted(found, key=lambda o: (not o.activity, o.since))


def describe_holder(db_path: Path | None) -> str:
    """Who probably holds the lock, as the subject of a Chinese sentence."""
    if db_path is None:
        return "另一个连接"
    known = others(db_path)
    if not known:
        return "另一个程序（不是亲清填报本身，例如数据库查看工具、杀毒或同步软件）"
    return "、".join(owner.describe() for owner in known[:3])
