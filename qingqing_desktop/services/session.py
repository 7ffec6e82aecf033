"""A session: one open database and the operator whose name goes into the audit log.

A session can be *damaged*: a check found the database unsound, so every write is refused
(``DatabaseDamaged``, naming the newest sound backup) until a backup is restored.
``check()`` runs the full check; the services call ``require_sound()`` before 定稿, a
报送包 and a backup.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from qingqing_desktop.domain.errors import DatabaseDamaged
from qingqing_desktop.domain.modes import MODE_KEY, MODE_OFFICE
from qingqing_desktop.store import faults
from qingqing_desktop.store.database import LockWait, Store, open_store
from qingqing_desktop.store.integrity import CheckAhead
from qingqing_desktop.store.locations import check_local_folder, data_dir, default_db_path


def default_operator() -> str:
    name = os.environ.get("QINGQING_OPERATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name on some Windows setups
        return "未署名"


CLI_PROGRAM = "qingqing-cli"  # how ``program`` starts for a command (``program`` is then the command typed)


@dataclass
class Session:
    store: Store
    operator: str = field(default_factory=default_operator)
    program: str = ""

    @property
    def on_command_line(self) -> bool:
        """A command is using the database: a message tells what to type, not which button to press."""
        return self.program.startswith(CLI_PROGRAM)

    def advice(self, *, window: str, command: str) -> str:
        """What to do next, in the words of the program in use: where to click, or what to type."""
        return command if self.on_command_line else window

    @property
    def db_path(self) -> Path | None:
        return self.store.path

    @property
    def is_office(self) -> bool:
        """纪委（监察室）模式: this database collects the units' filings instead of filing for one unit."""
        return self.store.meta_get(MODE_KEY) == MODE_OFFICE

    @property
    def damage(self) -> DatabaseDamaged | None:
        """Why this session refuses every write, or None while the database is sound."""
        return self.store.damage

    def check(self, *, full: bool = True) -> DatabaseDamaged | None:
        """Check the database now; on failure the session becomes damaged. Returns the damage, if any."""
        if self.store.damage is None:
            result = self.store.check(full=full)
            if not result.sound:
                faults.damaged(self.store, result)
        return self.store.damage

    def require_sound(self) -> None:
        """The full check before something that must rest on sound data (定稿, a 报送包, a backup)."""
        damage = self.check(full=True)
        if damage is not None:
            raise damage

    def reopen(self, *, allow_damaged: bool = False) -> None:
        """Open the database file again (after it was replaced by a restore), keeping the listeners."""
        listeners = list(self.store._damage_listeners)
        on_lock_wait = self.store.on_lock_wait
        path = self.store.path
        self.store.close()
        self.store = _open(path, self.program, allow_damaged=allow_damaged, on_lock_wait=on_lock_wait)
        for listener in listeners:
            self.store.on_damaged(listener)

    def close(self) -> None:
        self.store.close()


def _backup_before_upgrade(path: Path) -> None:
    from qingqing_desktop.store import backup  # noqa: PLC0415 — only when the schema is upgraded

    backup.backup_file(path, "upgrade")


def _open(path: Path, program: str, *, check_location: bool = True, full_check: bool = False,
          allow_damaged: bool = False, on_lock_wait: LockWait | None = None,
          checked_ahead: CheckAhead | None = None, create: bool = True) -> Store:
    return open_store(
        path, check_location=check_location, before_upgrade=_backup_before_upgrade,
        full_check=full_check, allow_damaged=allow_damaged, program=program, on_lock_wait=on_lock_wait,
        checked_ahead=checked_ahead, create=create,
    )


def open_session(db_path: Path | None = None, operator: str | None = None, *, check_location: bool = True,
                 program: str = "", full_check: bool = False, allow_damaged: bool = False,
                 on_lock_wait: LockWait | None = None, checked_ahead: CheckAhead | None = None,
                 create: bool = True) -> Session:
    """Open the database (default: the user's data folder), backing it up before a schema upgrade.

    ``program`` names this process to others who find the database locked (a window, a command).
    ``full_check``: ``integrity_check`` at open instead of ``quick_check`` (the CLI, which has no
    background to run it in later). ``allow_damaged``: open a damaged database read-only instead
    of refusing it (the GUI, which then offers the backups). ``checked_ahead``: see ``open_store``.
    ``create``: make the database when its file is missing (never its folder: a database whose folder
    is gone — moved, renamed — is refused with ``DatabaseRefused``; the user's data folder, where the
    default database lives, is made by ``data_dir``). False for what only reads.
    """
    path = Path(db_path) if db_path is not None else default_db_path()
    if check_location:
        folder = data_dir()
        check_local_folder(folder, what="数据文件夹")
        check_local_folder(folder / "backups", what="备份文件夹")
    store = _open(path, program, check_location=check_location, full_check=full_check,
                  allow_damaged=allow_damaged, on_lock_wait=on_lock_wait, checked_ahead=checked_ahead, create=create)
    name = operator.strip() if operator and operator.strip() else default_operator()
    return Session(store, name, program)


def memory_session(operator: str = "测试") -> Session:
    return Session(open_store(None), operator)
