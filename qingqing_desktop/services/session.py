"""A session: one open database and the operator whose name goes into the audit log."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from qingqing_desktop.store import backup
from qingqing_desktop.store.database import Store, open_store
from qingqing_desktop.store.locations import default_db_path


def default_operator() -> str:
    name = os.environ.get("QINGQING_OPERATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name on some Windows setups
        return "未署名"


@dataclass
class Session:
    store: Store
    operator: str = field(default_factory=default_operator)

    @property
    def db_path(self) -> Path | None:
        return self.store.path

    def close(self) -> None:
        self.store.close()


def open_session(db_path: Path | None = None, operator: str | None = None, *, check_location: bool = True) -> Session:
    """Open the database (default: the user's data folder), backing it up before a schema upgrade."""
    path = Path(db_path) if db_path is not None else default_db_path()
    store = open_store(path, check_location=check_location, before_upgrade=lambda p: backup.backup_file(p, "upgrade"))
    return Session(store, operator.strip() if operator and operator.strip() else default_operator())


def memory_session(operator: str = "测试") -> Session:
    return Session(open_store(None), operator)
