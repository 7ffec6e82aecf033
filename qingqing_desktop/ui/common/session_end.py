"""The desktop session ending under the program: Windows shutting down or logging off, or SIGTERM /
SIGHUP / SIGINT on Linux (a logout, ``systemctl poweroff``, ``kill``, Ctrl+C in a terminal).

Left to themselves these end the process where it stands: Qt 6 closes no window when Windows shuts
down, and Python dies of SIGTERM at once. Then the unit form's unsaved edits, an open dialog's
typing and the exit backup were lost. Here the windows are closed as the clerk closing them would:
each still asks about what is unsaved, and the main window takes its exit backup. 取消 in such a
question keeps the program open and, on Windows, tells the system not to shut down.

A second signal while those questions wait is taken as insisting: the exit backup is taken without
asking and the process ends as the signal says (what is saved is in SQLite already).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

log = logging.getLogger(__name__)

# What a desktop sends a program it wants gone (SIGINT: Ctrl+C in the terminal it was started from).
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


def close_all_windows() -> bool:
    """Close the open dialogs, innermost first, then the other windows, each as its close button would
    (so each may ask about unsaved input); False as soon as one stays open."""
    closing: QWidget | None = None
    while (modal := QApplication.activeModalWidget()) is not None:
        if modal is closing or not modal.close():
            return False
        closing = modal
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and not widget.close():
            return False
    return True


class SessionEnd(QObject):
    """Installed for the main window's life: ``uninstall`` puts the previous signal handling back.

    ``quiet_exit``: what must happen even when nobody can be asked (the exit backup, no questions).
    """

    def __init__(self, app: QGuiApplication, quiet_exit: Callable[[], None]):
        super().__init__(app)
        self._quiet_exit = quiet_exit
        self._asking = False  # the windows' questions are open: a further signal insists
        app.commitDataRequest.connect(self._commit_data)
        self._previous_handlers: dict[int, object] = {}
        self._previous_wakeup_fd = -1
        self._notifier: QSocketNotifier | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        if os.name == "posix":  # Windows sends a GUI program no signal: it has commitDataRequest
            self._catch_signals()

    # ------------------------------------------------------------------ Windows, session managers

    def _commit_data(self, manager: QSessionManager) -> None:
        # Qt's documentation advises against quitting here, since an X11 session manager also asks
        # for a mere checkpoint. Here it only ever means the end: Windows asks with WM_QUERYENDSESSION
        # only then, and PySide6's X11 plugin has no session management (it does not link libSM).
        # Closing the windows is what Qt 5 did by default ("fallback session management").
        if not manager.allowsInteraction():  # nobody may be asked: keep what is kept without asking
            self._quiet_exit()
            return
        with _shutdown_block_reason(SHUTDOWN_REASON):
            if not self._close_windows():
                manager.cancel()  # the clerk chose 取消: the system is told not to end the session
        manager.release()

    def _close_windows(self) -> bool:
        self._asking = True
        try:
            return close_all_windows()
        finally:
            self._asking = False

    # ------------------------------------------------------------------ POSIX signals

    def _catch_signals(self) -> None:
        """Python runs a signal's handler only when it next runs Python code, and inside Qt's event loop
        it may not for a long time: the signal's number is written to a socket Qt watches instead, and
        the handling runs as an ordinary event (cf. qutebrowser's crashsignal)."""
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._sockets = (reader, writer)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read_signals)
        self._previous_wakeup_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        for number in ENDING_SIGNALS:
            self._previous_handlers[number] = signal.signal(number, _noted)

    def _read_signals(self) -> None:
        try:
            received = self._sockets[0].recv(64)
        except BlockingIOError:
            return
        for number in received:
            self._on_signal(number)

    def _on_signal(self, number: int) -> None:
        log.info("signal %d received: closing", number)
        if self._asking:
            self._insist(number)
        else:
            QTimer.singleShot(0, self._close_windows)  # out of the notifier first: the questions loop

    def _insist(self, number: int) -> None:
        log.warning("signal %d again while asking: exit backup without asking, then ending", number)
        self._quiet_exit()
        self.uninstall()
        end_process(number)

    def uninstall(self) -> None:
        if self._sockets is None:
            return
        signal.set_wakeup_fd(self._previous_wakeup_fd)
        for number, handler in self._previous_handlers.items():
            signal.signal(number, handler)
        self._notifier.setEnabled(False)
        for each in self._sockets:
            each.close()
        self._sockets = None


ON_WINDOWS = sys.platform == "win32"
# What Windows' full-screen "preventing shutdown" list says of us while a question waits behind it.
SHUTDOWN_REASON = "亲清填报有尚未保存的内容：请回到程序窗口，选择保存或放弃"


@contextlib.contextmanager
def _shutdown_block_reason(text: str) -> Iterator[None]:
    """On Windows, name the reason the shutdown waits (ShutdownBlockReasonCreate, as Anki does); best
    effort, and nothing elsewhere."""
    window = QApplication.activeWindow() or next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()), None)
    handle = None
    if ON_WINDOWS and window is not None:
        try:
            import ctypes  # noqa: PLC0415
            from ctypes import wintypes  # noqa: PLC0415

            handle = wintypes.HWND(int(window.winId()))
            ctypes.windll.user32.ShutdownBlockReasonCreate(handle, ctypes.c_wchar_p(text))
        except Exception:  # noqa: BLE001 — only the wording of Windows' own screen is at stake
            log.warning("ShutdownBlockReasonCreate failed", exc_info=True)
            handle = None
    try:
        yield
    finally:
        if handle is not None:
            try:
                import ctypes  # noqa: PLC0415

                ctypes.windll.user32.ShutdownBlockReasonDestroy(handle)
            except Exception:  # noqa: BLE001 — the window may be gone already, and the reason with it
                log.debug("ShutdownBlockReasonDestroy failed", exc_info=True)


def end_process(number: int) -> None:
    """End as the signal would have ended it in the first place (its exit status says so)."""
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)


def _noted(number, frame) -> None:
    """Nothing here: the number has gone to the socket the event loop watches (``set_wakeup_fd``)."""
