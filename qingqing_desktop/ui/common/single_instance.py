"""One program per database: starting it again brings the open window to the front instead.

A second double-click while the first start is slow (an office PC's antivirus scans every file a
program opens) used to open a second window on the same data. The two knew nothing of each other's
edits: a page showed what the other had changed or deleted, and undo in one could put back what the
other had replaced.

The first program listens on a local socket named after the user and the database (QLocalServer, as
Anki's ``AnkiApp.secondInstance`` does); a later one that reaches it asks it to come forward and ends.
Another database (``--db``) is another name, so an office's and a unit's databases open side by side.
Best effort: when the socket cannot be made, the program starts as before.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QIODevice, QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

log = logging.getLogger(__name__)

WAIT_MS = 2000  # a running program that does not answer within this is taken as not running


def server_name(db_path: Path) -> str:
    """The socket's name: the same for the same user and database file, written any way."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 — no user name in the environment: one name for everyone
        user = ""
    where = os.path.normcase(os.path.abspath(db_path))  # Windows paths compare without case
    # Qt's SHA-256 (Python's would load OpenSSL at every start, for this one hash)
    digest = QCryptographicHash.hash(f"{user}\n{where}".encode(), QCryptographicHash.Algorithm.Sha256)
    return "qingqing-desktop-" + bytes(digest.toHex()).decode("ascii")[:24]


def ask_running_program(db_path: Path) -> bool:
    """True when a program of this user has the database open already and was asked to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path), QIODevice.OpenModeFlag.WriteOnly)
    if not socket.waitForConnected(WAIT_MS):
        return False
    _let_it_take_the_foreground()
    socket.write(b"raise\n")
    socket.waitForBytesWritten(WAIT_MS)
    socket.disconnectFromServer()
    log.info("the database is open in a running program already: asked it to come forward")
    return True


def _let_it_take_the_foreground() -> None:
    """Windows lets only the program the clerk just started bring a window forward: pass that on."""
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


class InstanceServer(QObject):
    """Listens while the program runs; each caller brings its window forward. It stops listening when the
    program starts to end: while it still finishes a background job its window is gone, and a new start
    must open one of its own rather than call a program that can no longer show anything."""

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        QApplication.instance().aboutToQuit.connect(self.close)
        name = server_name(db_path)
        QLocalServer.removeServer(name)  # a socket file left by a program that was killed (Unix)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this user only
        self.server.newConnection.connect(self._called)
        if not self.server.listen(name):
            log.warning("cannot listen for a second start (%s): it would open another window", self.server.errorString())

    def _called(self) -> None:
        while (connection := self.server.nextPendingConnection()) is not None:
            connection.disconnected.connect(connection.deleteLater)
            bring_forward()

    def close(self) -> None:
        self.server.close()


def bring_forward() -> None:
    """The main window back from the taskbar and in front, and the dialog open over it, if any."""
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    main = next((w for w in windows if isinstance(w, QMainWindow)), None)
    front: QWidget | None = QApplication.activeModalWidget() or main or next(iter(windows), None)
    for window in dict.fromkeys(w for w in (main, front) if w is not None):
        if window.isMinimized():
            window.setWindowState((window.windowState() & ~Qt.WindowState.WindowMinimized)
                                  | Qt.WindowState.WindowActive)
        window.raise_()
        window.activateWindow()
