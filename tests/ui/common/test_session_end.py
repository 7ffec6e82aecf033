"""The session ending under the program (shutdown, logoff, SIGTERM): the windows close as the clerk
would close them — asking about what is unsaved, taking the exit backup — instead of the process dying."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from qingqing_desktop.services import backup_service, unit_service
from qingqing_desktop.ui import app as app_module
from qingqing_desktop.ui.common import session_end as session_end_module
from qingqing_desktop.ui.common.session_end import SessionEnd
from qingqing_desktop.ui.main_window import MainWindow
from qingqing_desktop.ui.unit.unit_commands import SaveUnitCommand, unit_fields
from qingqing_desktop.ui.unit.unit_page import UnitPage

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals are how a POSIX desktop ends a program")


@pytest.fixture
def session_end(window):
    installed = SessionEnd(QApplication.instance(), lambda: window.take_exit_backup(quiet=True))
    yield installed
    installed.uninstall()


def change_the_leader(window, leader: str) -> None:
    """A saved change, through the undo stack as the page's 保存 does: the exit backup takes it."""
    unit = window.ws.unit()
    window.ws.execute(SaveUnitCommand(window.ws, unit, {**unit_fields(unit), "leader": leader}))


def exit_backups() -> list:
    return [b for b in backup_service.list_backups() if b.reason == "exit"]


def type_a_new_leader(window, type_into, text: str):
    page = window.show_page(UnitPage)
    leader = page.unit_form.edit("leader")
    leader.selectAll()
    type_into(leader, text)
    assert page.has_unsaved_changes()
    return leader


def test_sigterm_closes_the_window_after_the_exit_backup(qtbot, window, session_end):
    change_the_leader(window, "王科长")
    os.kill(os.getpid(), signal.SIGTERM)  # what a logout or ``systemctl poweroff`` sends
    qtbot.waitUntil(lambda: not window.isVisible())
    (backup,) = exit_backups()
    assert backup_service.list_backups()[0] == backup  # the newest


def test_unsaved_unit_edits_are_asked_about_and_cancel_keeps_the_program(qtbot, window, session_end, real_boxes,
                                                                        type_into):
    leader = type_a_new_leader(window, type_into, "赵科长")
    real_boxes.key = Qt.Key.Key_Escape  # 取消
    os.kill(os.getpid(), signal.SIGHUP)
    qtbot.waitUntil(lambda: len(real_boxes.texts) == 1)
    assert "单位基本信息已修改但还没有保存" in real_boxes.box_text
    qtbot.wait(50)  # the box's answer is handled
    assert window.isVisible() and leader.text() == "赵科长"
    assert exit_backups() == []

    real_boxes.key = Qt.Key.Key_Return  # 保存, the default answer
    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert unit_service.get_unit(window.ws.session).leader == "赵科长"
    assert len(exit_backups()) == 1


def test_a_second_signal_while_asking_takes_the_backup_and_ends(qtbot, window, session_end, real_boxes, type_into,
                                                                  monkeypatch):
    real_boxes.stop()  # this test answers the box itself
    ended = []
    monkeypatch.setattr(session_end_module, "end_process", ended.append)
    change_the_leader(window, "王科长")
    type_a_new_leader(window, type_into, "钱科长")

    insisted = []

    def insist_then_cancel():
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, insist_then_cancel)
        elif not insisted:
            insisted.append(True)
            os.kill(os.getpid(), signal.SIGTERM)  # insisting, while the question waits
            QTimer.singleShot(20, insist_then_cancel)
        elif not ended:
            QTimer.singleShot(20, insist_then_cancel)
        else:
            QTest.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, insist_then_cancel)
    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(lambda: bool(ended))
    assert ended == [signal.SIGTERM]
    assert len(exit_backups()) == 1  # taken without asking, before the end
    assert signal.getsignal(signal.SIGTERM) is not session_end_module._noted  # noqa: SLF001 — handed back
    window.page(UnitPage).discard_changes()  # so that closing the window after the test asks nothing


class FakeSessionManager:
    """Windows' WM_QUERYENDSESSION reaches Qt's commitDataRequest with a QSessionManager, which Python cannot make."""

    def __init__(self, interaction: bool):
        self.interaction = interaction
        self.cancelled = False
        self.released = False

    def allowsInteraction(self) -> bool:  # noqa: N802 — Qt's name
        return self.interaction

    def cancel(self) -> None:
        self.cancelled = True

    def release(self) -> None:
        self.released = True


def test_windows_shutdown_asks_and_cancel_stops_the_shutdown(qtbot, window, session_end, real_boxes, type_into):
    type_a_new_leader(window, type_into, "孙科长")
    real_boxes.key = Qt.Key.Key_Escape
    manager = FakeSessionManager(interaction=True)
    session_end._commit_data(manager)  # noqa: SLF001 — no WM_QUERYENDSESSION off Windows
    assert manager.cancelled and manager.released
    assert window.isVisible() and "还没有保存" in real_boxes.box_text

    real_boxes.key = Qt.Key.Key_Return
    manager = FakeSessionManager(interaction=True)
    session_end._commit_data(manager)  # noqa: SLF001
    assert not manager.cancelled and not window.isVisible()
    assert unit_service.get_unit(window.ws.session).leader == "孙科长"


def test_a_session_manager_that_allows_no_questions_still_gets_the_exit_backup(qtbot, window, session_end,
                                                                              real_boxes):
    change_the_leader(window, "李科长")
    manager = FakeSessionManager(interaction=False)
    session_end._commit_data(manager)  # noqa: SLF001
    assert real_boxes.texts == [] and not manager.cancelled
    assert len(exit_backups()) == 1


def test_main_ends_with_status_0_on_sigterm_and_hands_the_signal_back(qtbot, monkeypatch, unit_session):
    monkeypatch.setattr(app_module, "_log_to_file", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() sets its own
    monkeypatch.setenv("QINGQING_DB", str(unit_session.db_path))
    # The handler before main(): it must not see the signal, and must be back afterwards. Were main() not
    # to catch SIGTERM, this one would end the event loop (a Python timer lets it run) without the backup.
    reached_the_previous_handler = []

    def previous_handler(number, frame):
        reached_the_previous_handler.append(number)
        QApplication.quit()

    previous = signal.signal(signal.SIGTERM, previous_handler)
    python_runs = QTimer()
    python_runs.timeout.connect(lambda: None)
    python_runs.start(50)

    def change_then_terminate():
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(20, change_then_terminate)
            return
        change_the_leader(window, "周科长")
        os.kill(os.getpid(), signal.SIGTERM)

    QTimer.singleShot(0, change_then_terminate)
    try:
        assert app_module.main(["qingqing"]) == 0  # the real event loop, ended by the signal
        assert signal.getsignal(signal.SIGTERM) is previous_handler
    finally:
        python_runs.stop()
        signal.signal(signal.SIGTERM, previous)
    assert reached_the_previous_handler == []
    assert len(exit_backups()) == 1


class FakeUser32:
    """Stands in for ctypes.windll.user32 off Windows: records the calls."""

    def __init__(self):
        self.calls: list[tuple[str, object]] = []

    def ShutdownBlockReasonCreate(self, handle, text):  # noqa: N802 — the Windows API's name
        self.calls.append(("create", text.value))
        return 1

    def ShutdownBlockReasonDestroy(self, handle):  # noqa: N802
        self.calls.append(("destroy", None))
        return 1


def test_on_windows_the_shutdown_screen_is_told_why_it_waits(qtbot, window, session_end, real_boxes, type_into,
                                                            monkeypatch):
    import ctypes

    user32 = FakeUser32()
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"user32": user32})(), raising=False)
    monkeypatch.setattr(session_end_module, "ON_WINDOWS", True)
    type_a_new_leader(window, type_into, "吴科长")
    real_boxes.key = Qt.Key.Key_Escape  # the question waits behind Windows' screen; 取消
    session_end._commit_data(FakeSessionManager(interaction=True))  # noqa: SLF001
    assert user32.calls == [("create", session_end_module.SHUTDOWN_REASON), ("destroy", None)]
    assert "请回到程序窗口" in session_end_module.SHUTDOWN_REASON
    window.page(UnitPage).discard_changes()
