"""GUI fixtures: the application set up as in real use, a workspace over a temporary database,
and message boxes that record what they would have said instead of blocking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services import campaign_service, roster_service, sample_data
from qingqing_desktop.ui.app import setup_application
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.settings import Settings
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def application(qapp):
    setup_application(qapp)  # translations, fonts and style sheet, as main() does
    return qapp


@dataclass
class Dialogs:
    """What the modal boxes said, and the answer ``messages.confirm`` gives."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)
    confirm_answer: bool = True

    def texts(self, kind: str) -> list[str]:
        return [text for k, _title, text in self.shown if k == kind]


# The dialogs fixture below replaces these per test; ``real_boxes`` puts them back.
_REAL_BOXES = {kind: getattr(QMessageBox, kind) for kind in ("information", "warning", "critical", "question")}


class BoxWatcher:
    """Real, modal message boxes, answered with the keyboard from inside their own event loop:
    each box's text is noted with whether a progress dialog was on screen with it, then Return
    (or ``key``) is pressed on it, as a clerk would."""

    def __init__(self, key=Qt.Key.Key_Return):
        self.key = key
        self.texts: list[str] = []
        self.progress_visible: bool | None = None
        self._timer = QTimer()
        self._timer.timeout.connect(self._check)
        self._timer.start(50)

    @property
    def box_text(self) -> str:
        return self.texts[-1] if self.texts else ""

    def _check(self) -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            return
        QApplication.processEvents()  # let anything pending show itself, as the box's own loop would
        progress = [d for d in QApplication.allWidgets() if isinstance(d, QProgressDialog) and d.isVisible()]
        self.progress_visible = bool(progress)
        self.texts.append(boxes[0].text())
        for dialog in progress:
            dialog.hide()  # so that a failing test ends instead of hanging as the clerk's window did
        QTest.keyClick(boxes[0], self.key)

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def real_boxes(monkeypatch, dialogs):
    for kind, function in _REAL_BOXES.items():
        monkeypatch.setattr(QMessageBox, kind, function)
    watcher = BoxWatcher()
    yield watcher
    watcher.stop()


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> Dialogs:
    record = Dialogs()

    def box(kind):
        def show(parent, title, text, *args, **kwargs):
            record.shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return staticmethod(show)

    for kind in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))

    def confirm(parent, title, text, accept_text, *, destructive=False):
        record.shown.append(("confirm", title, text))
        return record.confirm_answer

    monkeypatch.setattr(messages, "confirm", confirm)
    def file_saved(parent, path, text=""):
        record.shown.append(("saved", text, str(path)))

    monkeypatch.setattr(messages, "file_saved", file_saved)
    return record


@dataclass
class FileChooser:
    """Answers for the standard file dialogs, queued per kind (open, open_many, save, folder);
    a dialog with nothing queued is cancelled. ``asked`` keeps (kind, caption, proposed path)."""

    answers: dict[str, list] = field(default_factory=lambda: {"open": [], "open_many": [], "save": [], "folder": []})
    asked: list[tuple[str, str, str]] = field(default_factory=list)

    def open(self, *paths) -> None:
        self.answers["open"].extend(str(p) for p in paths)

    def open_many(self, paths) -> None:
        self.answers["open_many"].append([str(p) for p in paths])

    def save(self, *paths) -> None:
        self.answers["save"].extend(str(p) for p in paths)

    def folder(self, *paths) -> None:
        self.answers["folder"].extend(str(p) for p in paths)

    def answer(self, kind: str, caption: str, proposed: str, empty):
        self.asked.append((kind, caption, proposed))
        queue = self.answers[kind]
        return queue.pop(0) if queue else empty


@pytest.fixture
def files(monkeypatch) -> FileChooser:
    chooser = FileChooser()

    def get_open(parent, caption="", folder="", file_filter="", *args):
        return chooser.answer("open", caption, folder, ""), file_filter

    def get_open_many(parent, caption="", folder="", file_filter="", *args):
        return chooser.answer("open_many", caption, folder, []), file_filter

    def get_save(parent, caption="", proposed="", file_filter="", *args):
        return chooser.answer("save", caption, proposed, ""), file_filter

    def get_folder(parent, caption="", folder="", *args):
        return chooser.answer("folder", caption, folder, "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(get_open_many))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(get_folder))
    return chooser


@pytest.fixture
def type_into(qtbot):
    """Type text as a clerk would: Latin letters as key presses, Chinese through the input method.

    (QTest cannot press keys for characters outside ASCII.)
    """

    def type_text(widget, text: str) -> None:
        if text.isascii():
            qtbot.keyClicks(widget, text)
            return
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)

    return type_text


@pytest.fixture
def settings() -> Settings:
    return Settings()  # in the test's own QINGQING_DATA_DIR


@pytest.fixture
def workspace(unit_session, settings) -> Workspace:
    return Workspace(unit_session, settings)


@pytest.fixture
def sample_workspace(workspace) -> Workspace:
    sample_data.load_sample_data(workspace.session)
    return workspace


def _shown_window(qtbot, workspace: Workspace) -> MainWindow:
    main_window = MainWindow(workspace)
    qtbot.addWidget(main_window)
    main_window.show()
    return main_window


@pytest.fixture
def window(qtbot, workspace) -> MainWindow:
    return _shown_window(qtbot, workspace)


@pytest.fixture
def sample_window(qtbot, sample_workspace) -> MainWindow:
    return _shown_window(qtbot, sample_workspace)


# A roster that exercises seed 000's rule: every 中层干部, and 一般工作人员 in a key post, must sign.
FILING_ROSTER = (
    ("单建国", RankCategory.MIDDLE_CADRE, "主持全面工作", StaffStatus.ACTIVE),  # must sign: 中层干部
    ("林素华", RankCategory.MIDDLE_CADRE, "分管质量监管、安全监管", StaffStatus.ACTIVE),  # must sign: 中层干部
    ("张伟", RankCategory.STAFF, "竣工验收", StaffStatus.ACTIVE),  # must sign: key post
    ("周丽君", RankCategory.STAFF, "负责质量监管工作", StaffStatus.ACTIVE),  # must sign: names a key post
    ("张伟", RankCategory.STAFF, "文书收发", StaffStatus.ACTIVE),  # need not: not a key post
    ("孙佳怡", RankCategory.STAFF, "财务", StaffStatus.ACTIVE),  # need not
    ("徐静", RankCategory.STAFF, "行政审批", StaffStatus.TRANSFERRED),  # 调离: 不适用
)


@pytest.fixture
def roster(workspace) -> dict[str, StaffMember]:
    """The people of FILING_ROSTER, keyed by “name/post” (there are two 张伟)."""
    people = {}
    for name, rank, post, status in FILING_ROSTER:
        member = StaffMember(name, rank, post=post, status=status)
        roster_service.add_staff(workspace.session, member)
        people[f"{name}/{post}"] = member
    return people


@pytest.fixture
def filing_window(qtbot, workspace, roster) -> MainWindow:
    """The window over FILING_ROSTER with the pingyang-2019 campaign, its deadline ten days ahead."""
    campaign_service.create_campaign(workspace.session, deadline=dt.date.today() + dt.timedelta(days=10))
    return _shown_window(qtbot, workspace)
