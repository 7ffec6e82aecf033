"""One helper for work that must not freeze the window (reading or writing a workbook).

Like Anki's ``CollectionOp`` and Picard's ``run_task``: the work runs on
``QThreadPool.globalInstance()``; its outcome comes back as a signal that Qt
delivers on the GUI thread, where the success or failure callback runs.
WORKERS NEVER TOUCH WIDGETS, and they never write to the database: the GUI
thread does every write, so no two writers ever meet on the shared connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from qingqing_desktop.ui import messages


class JobCancelled(Exception):
    """Raised inside the work when the user pressed 取消."""


class JobControl:
    """Handed to the work: report progress; every report is also a point where 取消 takes effect."""

    def __init__(self, emit_progress: Callable[[int, str], None]):
        self._emit_progress = emit_progress
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def progress(self, percent: int, text: str = "") -> None:
        if self.cancelled:
            raise JobCancelled
        self._emit_progress(percent, text)


class _JobSignals(QObject):
    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[JobControl], Any], signals: _JobSignals, control: JobControl):
        super().__init__()
        self._work = work
        self._signals = signals
        self._control = control

    def run(self) -> None:  # worker thread
        try:
            result = self._work(self._control)
        except BaseException as exc:  # noqa: BLE001 — every failure goes back to the GUI thread
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class BackgroundJob(QObject):
    """One running job: its progress dialog, its signals and its callbacks (GUI thread)."""

    def __init__(self, parent: QWidget, title: str, work, on_success, on_failure, cancellable: bool):
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self._signals = _JobSignals(self)
        self.control = JobControl(self._signals.progress.emit)
        self._dialog = QProgressDialog(title, "取消", 0, 0, parent)
        self._dialog.setWindowTitle("请稍候")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(0)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        if cancellable:
            self._dialog.canceled.connect(self.control.cancel)
        else:
            self._dialog.setCancelButton(None)
        self._signals.progress.connect(self._show_progress)
        self._signals.finished.connect(self._finish)
        self._signals.failed.connect(self._fail)
        self._runnable = _Runnable(work, self._signals, self.control)

    def start(self) -> None:
        _running.add(self)
        self._dialog.open()
        QThreadPool.globalInstance().start(self._runnable)

    @Slot(int, str)
    def _show_progress(self, percent: int, text: str) -> None:
        if self._dialog.maximum() == 0 and percent > 0:
            self._dialog.setRange(0, 100)  # from "busy" to a real percentage
        self._dialog.setValue(percent)
        if text:
            self._dialog.setLabelText(text)

    @Slot(object)
    def _finish(self, result) -> None:
        if self._end():
            self._on_success(result)

    @Slot(object)
    def _fail(self, exc: BaseException) -> None:
        if not self._end() or isinstance(exc, JobCancelled):
            return
        if self._on_failure is None:
            messages.show_error(self.parent(), exc)
        else:
            self._on_failure(exc)

    def _end(self) -> bool:
        """Take the dialog down; True if the outcome is still wanted (the user did not press 取消)."""
        wanted = not self.control.cancelled
        self._dialog.canceled.disconnect()  # closing a QProgressDialog emits canceled
        self._dialog.close()
        self._dialog.deleteLater()
        _running.discard(self)
        self.deleteLater()
        return wanted


# Python references to running jobs, so none is garbage-collected while its worker runs.
_running: set[BackgroundJob] = set()


def is_busy() -> bool:
    return bool(_running)


def run_in_background(
    parent: QWidget,
    title: str,
    work: Callable[[JobControl], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    cancellable: bool = True,
) -> BackgroundJob:
    """Run ``work(control)`` on the thread pool behind a window-modal progress dialog.

    After 取消 the outcome is dropped; the callbacks run on the GUI thread only
    for a job that was not cancelled. Without ``on_failure`` the error is shown.
    """
    job = BackgroundJob(parent, title, work, on_success, on_failure, cancellable)
    job.start()
    return job
