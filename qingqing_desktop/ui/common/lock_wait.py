"""While a write waits for another process's lock: a progress dialog saying who holds it.

The store calls ``LockWaitProgress`` between attempts (every quarter second) on whatever
thread is writing. On the GUI thread it shows a small dialog and lets it paint — user
input stays blocked, so nothing re-enters the waiting edit; a background job has its own
progress dialog and is left alone. The dialog closes itself shortly after the calls stop,
i.e. once the lock was obtained or the wait gave up (then the refusal is shown as usual).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog


class LockWaitProgress:
    CLOSE_AFTER_MS = 700

    def __init__(self):
        self._dialog: QProgressDialog | None = None
        self._closer: QTimer | None = None

    def __call__(self, waited: float, limit: float, holder: str) -> None:
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return
        if self._dialog is not None and not shiboken6.isValid(self._dialog):
            self._dialog = None  # its window was closed meanwhile
        if self._dialog is None:
            self._dialog = QProgressDialog(QApplication.activeWindow())
            self._dialog.setWindowTitle("请稍候")
            self._dialog.setCancelButton(None)
            self._dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self._dialog.setMinimumDuration(0)
            bar = QProgressBar()
            bar.setFormat("已等待 %v 秒")
            self._dialog.setBar(bar)
            self._dialog.setRange(0, int(limit))
            self._closer = QTimer()
            self._closer.setSingleShot(True)
            self._closer.timeout.connect(self._close)
        self._dialog.setLabelText(f"数据库正被{holder}占用。\n正在等待它完成（最多 {limit:.0f} 秒）…")
        self._dialog.setValue(int(waited))
        self._dialog.show()
        self._closer.start(self.CLOSE_AFTER_MS)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def _close(self) -> None:
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.close()
            self._dialog.deleteLater()
        self._dialog = None
