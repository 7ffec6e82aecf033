"""qingqing.log in the data folder: refused opens, failed checks, restores, unexpected errors.

Shared by the GUI and the CLI, which may run at the same time: each appends (no
rotation while another process may hold the file open — Windows would refuse the
rename); an oversized log is set aside once, at start-up. A log that cannot be written
(a full disk, a read-only folder) is silently skipped: logging must never be the fault
a clerk sees.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
from pathlib import Path

from qingqing_desktop.store.locations import data_dir

LOG_NAME = "qingqing.log"
MAX_BYTES = 2_000_000
_started: Path | None = None
_handler: logging.Handler | None = None


class _QuietFileHandler(logging.FileHandler):
    """A log file that cannot be written (full disk, folder gone) is skipped without a word."""

    def emit(self, record: logging.LogRecord) -> None:
        try:  # FileHandler opens a delayed file outside its own error handling
            super().emit(record)
        except Exception:  # noqa: BLE001
            pass

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 — logging's name
        pass


def log_path() -> Path:
    return data_dir() / LOG_NAME


def start(program: str) -> Path | None:
    """Send this process's log records (INFO and up) to qingqing.log; returns its path, or None.

    Called again after the data folder changed (tests), it moves to the new folder's log.
    """
    global _started, _handler
    logging.raiseExceptions = False  # a failing log handler prints nothing on a clerk's screen
    try:
        path = log_path()
        if path == _started:
            return path
        if path.exists() and path.stat().st_size > MAX_BYTES:
            with contextlib.suppress(OSError):
                os.replace(path, path.with_name(LOG_NAME + ".1"))
        handler = _QuietFileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(f"%(asctime)s {program}[%(process)d] %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    _started, _handler = path, handler
    return path


def enable_crash_dumps() -> None:
    """A hard crash (or a hang the user ends with a signal) leaves the Python stacks in the log."""
    if _started is None:
        return
    try:
        stream = open(_started, "a", encoding="utf-8")  # noqa: SIM115 — kept open for faulthandler
    except OSError:
        return
    faulthandler.enable(stream)
