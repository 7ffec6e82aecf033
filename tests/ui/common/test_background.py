"""The background helper: results and errors come back on the GUI thread; 取消 drops the outcome."""

from __future__ import annotations

import threading

import pytest

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.ui.common import background


def test_result_arrives_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    threads = []

    def work(control):
        threads.append(QThread.currentThread())
        control.progress(50, "一半")
        return 42

    with qtbot.waitCallback() as done:
        background.run_in_background(parent, "计算中…", work, done)
        assert background.is_busy()
    done.assert_called_with(42)
    assert threads[0] is not parent.thread()
    qtbot.waitUntil(lambda: not background.is_busy())  # the job lets go once its callback has returned


def test_an_error_is_shown_when_no_failure_callback_is_given(qtbot, dialogs):
    parent = QWidget()
    qtbot.addWidget(parent)

    def work(control):
        raise InputRejected("表格第3行有问题")

    background.run_in_background(parent, "读取中…", work, lambda result: None)
    qtbot.waitUntil(lambda: not background.is_busy())
    assert dialogs.texts("warning") == ["表格第3行有问题"]


def test_cancel_drops_the_outcome(qtbot, dialogs):
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    outcomes = []

    def work(control):
        release.wait(5)
        control.progress(90, "快好了")  # the first checkpoint after 取消 stops the work
        return "not wanted"

    background.run_in_background(parent, "读取中…", work, outcomes.append, outcomes.append)
    cancel_button = parent.findChild(QProgressDialog).findChild(QPushButton)
    assert cancel_button.text() == "取消"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert outcomes == []
    assert dialogs.shown == []


def test_closing_the_window_while_the_worker_runs_is_safe(qtbot, dialogs):
    parent = QWidget()
    release = threading.Event()
    outcomes = []
    cancelled = []

    def work(control):
        release.wait(5)
        return "too late"

    background.run_in_background(
        parent, "读取中…", work, outcomes.append, outcomes.append, on_cancel=lambda: cancelled.append(True)
    )
    qtbot.mouseClick(parent.findChild(QProgressDialog).findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert cancelled == [True]
    with qtbot.waitSignal(parent.destroyed):
        parent.deleteLater()  # e.g. the import dialog, closed because its reading was cancelled
    release.set()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert outcomes == []


def test_work_that_stops_itself_still_reports_what_it_did_after_cancel(qtbot, dialogs):
    parent = QWidget()
    qtbot.addWidget(parent)
    started, release = threading.Event(), threading.Event()
    outcomes = []

    def work(control):
        done = []
        for item in ("一", "二", "三"):
            if control.cancelled:
                break
            control.report(len(done) * 30, f"正在处理{item}")  # never raises: the loop decides when to stop
            done.append(item)
            started.set()
            release.wait(5)
        return done

    background.run_in_background(parent, "导入中…", work, outcomes.append, result_after_cancel=True)
    dialog = parent.findChild(QProgressDialog)
    started.wait(5)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert "正在取消" in dialog.labelText()
    release.set()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert outcomes == [["一"]]
    assert dialogs.shown == []


@pytest.mark.parametrize("fails", [True, False], ids=["error", "result"])
def test_the_progress_dialog_is_gone_before_the_box_that_follows_and_return_dismisses_it(qtbot, real_boxes, fails):
    """The “请稍候” hang: the progress box came back over the error box, window-modal, and neither would close."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def work(control):
        control.progress(0, "正在读取")
        if fails:
            raise InputRejected("这不是 Excel 工作簿")
        return "已读取 3 行"

    background.run_in_background(parent, "读取中…", work, lambda text: QMessageBox.information(parent, "完成", text))
    qtbot.waitUntil(lambda: not background.is_busy(), timeout=10_000)
    assert real_boxes.box_text == ("这不是 Excel 工作簿" if fails else "已读取 3 行")  # shown, and Return closed it
    assert real_boxes.progress_visible is False
    assert QApplication.activeModalWidget() is None
