"""Start-up: translations, fonts, command line, refusing a bad database, first start cancelled."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog, QLabel, QTreeView

from qingqing_desktop.services import unit_service
from qingqing_desktop.services.session import open_session
from qingqing_desktop.ui import app as app_module
from qingqing_desktop.ui.app import RARE_CHARACTER_FAMILIES, application_font, install_translations, parse_args
from qingqing_desktop.ui.first_start import FirstStartDialog
from qingqing_desktop.ui.main_window import MainWindow


def test_standard_buttons_speak_chinese(qapp, qtbot):
    install_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_qts_own_file_dialog_speaks_chinese(qtbot, tmp_path):
    """Qt's widget file dialog (Linux, or when Windows' own is not used) said “Look in” and “Files of type”."""
    (tmp_path / "文件夹").mkdir()
    dialog = QFileDialog(None, "选择要导入的人员名单", str(tmp_path), "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)："} <= labels
    view = dialog.findChild(QTreeView)
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 1)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["名称", "大小", "类型", "修改日期"]
    assert model.data(model.index(0, 2, view.rootIndex())) == "文件夹"


def test_application_font_falls_back_to_a_font_with_rare_name_characters(qapp):
    installed = set(QFontDatabase.families())
    if not installed & set(RARE_CHARACTER_FAMILIES):
        pytest.skip("no font with CJK Extension B installed here")
    families = application_font(qapp.font()).families()
    assert set(families) & set(RARE_CHARACTER_FAMILIES)
    assert all(family in installed for family in families)


def test_db_option_is_read_and_qt_options_are_left_to_qt(tmp_path):
    assert parse_args(["--db", str(tmp_path / "x.sqlite3")]).db == tmp_path / "x.sqlite3"
    assert parse_args(["-platform", "offscreen"]).db is None
    with pytest.raises(SystemExit):
        parse_args(["--dbb", "x"])


def test_help_and_usage_errors_speak_chinese(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert "用法：qingqing" in shown and "选项" in shown and "显示帮助并退出" in shown
    assert "usage" not in shown and "options" not in shown and "show " not in shown
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--dbb", "x"])
    assert exit_info.value.code == 2
    assert "参数错误：无法识别的参数：--dbb" in capsys.readouterr().err


@pytest.fixture
def quiet_main(monkeypatch):
    """main() without the log file and with the test's own excepthook left in place afterwards."""
    monkeypatch.setattr(app_module, "_log_to_file", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_a_database_that_cannot_be_opened_is_refused_with_exit_code_2(tmp_path, dialogs, quiet_main):
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    assert app_module.main(["qingqing", "--db", str(folder)]) == 2
    (kind, title, text), = dialogs.shown
    assert kind == "critical" and "文件夹" in text


def test_cancelling_the_first_start_quits_politely(tmp_path, dialogs, quiet_main, monkeypatch):
    monkeypatch.setattr(FirstStartDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    db = tmp_path / "new.sqlite3"
    assert app_module.main(["qingqing", "--db", str(db)]) == 0
    assert "程序将退出" in dialogs.texts("information")[0]
    session = open_session(db)
    assert unit_service.get_unit(session) is None
    session.close()


def test_main_opens_the_main_window_on_the_database_from_the_environment(
    tmp_path, monkeypatch, quiet_main, unit_session
):
    monkeypatch.setenv("QINGQING_DB", str(unit_session.db_path))
    shown = []
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    assert app_module.main(["qingqing"]) == 0
    (window,) = shown
    assert window.windowTitle() == "技术科[*]"  # Qt adds “ — 亲清填报” (the display name) once
    window.deleteLater()


@pytest.mark.parametrize("given_by", ["--db", "QINGQING_DB"])
def test_a_database_whose_folder_was_moved_is_refused_and_nothing_is_made(given_by, tmp_path, dialogs, quiet_main,
                                                                          monkeypatch):
    """A shortcut or QINGQING_DB still pointing at a renamed folder: no first-start wizard on a new empty database."""
    monkeypatch.setattr(FirstStartDialog, "exec", lambda self: QDialog.DialogCode.Rejected)  # (what it used to open)
    db = tmp_path / "旧文件夹" / "数据" / "unit.sqlite3"
    if given_by == "QINGQING_DB":
        monkeypatch.setenv("QINGQING_DB", str(db))
    assert app_module.main(["qingqing", *(["--db", str(db)] if given_by == "--db" else [])]) == 2
    assert dialogs.shown == [("critical", "无法打开数据库",
                              f"找不到文件夹“{db.parent}”：数据库文件应在其中。如果文件夹被移动或改名，请用新的位置打开；"
                              "要在那里新建数据库，请先建好这个文件夹。程序没有新建任何文件。")]
    assert not (tmp_path / "旧文件夹").exists()
