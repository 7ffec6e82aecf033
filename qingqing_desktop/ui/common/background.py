"""One helper for work that must not freeze the window (reading or writing a workbook).

Like Anki's ``CollectionOp`` and Picard's ``run_task``: the work runs on
``QThreadPool.globalInstance()``; its outcome comes back as a signal that Qt
delivers on the GUI thread, where the success or failure callback runs.
WORKERS NEVER TOUCH WIDGETS. They write to the database only through a service
that opens its own transactions (a package import, a 报送包): while a job runs its
window is blocked by the modal progress dialog and the timer backup waits
(``is_busy``), so the GUI thread never writes at the same time on the shared
connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from qingqing_desktop.ui.common import messages


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor around work done on the GUI thread that can take a moment with a large unit
    (opening thousands of 修改记录); longer work belongs in ``run_in_background``."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


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

    def report(self, percent: int, text: str = "") -> None:
        """Progress for work that checks ``cancelled`` itself and stops at a safe point of its own."""
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
    """One running job: its progress dialog, its signals and its callbacks (GUI thread).

    Not a child of the widget: a window closed while the worker still runs must
    not take the job (and the signals the worker emits on) with it. The module
    keeps the job alive until its outcome has been delivered.
    """

    def __init__(self, parent: QWidget, title: str, work, on_success, on_failure, on_cancel, cancellable: bool,
                 result_after_cancel: bool = False):
        super().__init__()
        self._parent = parent
        self._on_success = on_success
        self._on_failure = on_failure
        self._result_after_cancel = result_after_cancel
        self._signals = _JobSignals(self)
        self._control = JobControl(self._signals.progress.emit)
        self._dialog = QProgressDialog(title, "取消", 0, 0, parent)
        self._dialog.setWindowTitle("请稍候")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(0)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        if cancellable and result_after_cancel:
            self._dialog.canceled.connect(self._cancel_and_wait)
        elif cancellable:
            self._dialog.canceled.connect(self._control.cancel)
            if on_cancel is not None:
                self._dialog.canceled.connect(on_cancel)
        else:
            self._dialog.setCancelButton(None)
        self._signals.progress.connect(self._show_progress)
        self._signals.finished.connect(self._finish)
        self._signals.failed.connect(self._fail)
        self._runnable = _Runnable(work, self._signals, self._control)

    def start(self) -> None:
        _running.add(self)
        self._dialog.open()
        QThreadPool.globalInstance().start(self._runnable)

    @Slot()
    def _cancel_and_wait(self) -> None:
        """The work stops at its next safe point and still returns what it did: keep the dialog up until then."""
        self._control.cancel()
        if shiboken6.isValid(self._dialog):
            self._dialog.setLabelText("正在取消，当前这一项处理完后停止…")
            # Not from inside the button's own clicked signal, which would delete the sender mid-emission.
            QTimer.singleShot(0, self._remove_cancel_button)

    def _remove_cancel_button(self) -> None:
        if shiboken6.isValid(self._dialog):
            self._dialog.setCancelButton(None)

    @Slot(int, str)
    def _show_progress(self, percent: int, text: str) -> None:
        if not shiboken6.isValid(self._dialog):
            return
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
            messages.show_error(self._parent, exc)
        else:
            self._on_failure(exc)

    def _end(self) -> bool:
        """Take the dialog down; True if the outcome is still wanted (not cancelled, its window still there)."""
        wanted = (self._result_after_cancel or not self._control.cancelled) and shiboken6.isValid(self._parent)
        if shiboken6.isValid(self._dialog):
            self._dialog.canceled.disconnect()  # closing a QProgressDialog emits canceled
            # reset() stops QProgressDialog's own show timer: left running, it shows the dialog again
            # inside the nested event loop of the error or result box that follows, window-modal
            # over that box, and neither can be dismissed (issue 9: the “请稍候” hang).
            self._dialog.reset()
            self._dialog.hide()
            self._dialog.deleteLater()
        # Let go of the job once this slot has returned, not while Qt is still delivering to it.
        QTimer.singleShot(0, lambda: _running.discard(self))
        return wanted


# The jobs whose outcome has not come back yet; this reference is what keeps each alive.
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
    on_cancel: Callable[[], None] | None = None,
    cancellable: bool = True,
    result_after_cancel: bool = False,
) -> None:
    """Run ``work(control)`` on the thread pool behind a window-modal progress dialog.

    After 取消 (which also calls ``on_cancel``) the outcome is dropped; the callbacks
    run on the GUI thread only for a job that was not cancelled and whose window
    still exists. Without ``on_failure`` the error is shown.

    ``result_after_cancel``: for work that polls ``control.cancelled`` itself and returns
    what it managed (an import that stops between files): 取消 keeps the dialog up until
    the work returns, and its result still goes to ``on_success``.
    """
    BackgroundJob(parent, title, work, on_success, on_failure, on_cancel, cancellable, result_after_cancel).start()


class _UnattendedJob(QObject):
    """Work nobody waits for (a check after start-up): no dialog, the outcome still comes back on the GUI thread."""

    def __init__(self, work, on_success, on_failure):
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self._signals = _JobSignals(self)
        self._signals.finished.connect(self._finish)
        self._signals.failed.connect(self._fail)
        self._runnable = _Runnable(lambda control: work(), self._signals, JobControl(lambda percent, text: None))

    def start(self) -> None:
        _unattended.add(self)
        QThreadPool.globalInstance().start(self._runnable)

    @Slot(object)
    def _finish(self, result) -> None:
        QTimer.singleShot(0, lambda: _unattended.discard(self))
        self._on_success(result)

    @Slot(object)
    def _fail(self, exc: BaseException) -> None:
        QTimer.singleShot(0, lambda: _unattended.discard(self))
        self._on_failure(exc)


_unattended: set[_UnattendedJob] = set()


def run_unattended(work: Callable[[], Any], on_success: Callable[[Any], None],
                   on_failure: Callable[[BaseException], None]) -> None:
    """Run ``work()`` on the thread pool without a progress dialog; the callbacks run on the GUI thread.

    For work the user did not ask for and need not wait for. It must not write through the
    GUI's connection (open its own, as the integrity check after start-up does).
    """
    _UnattendedJob(work, on_success, on_failure).start()
