"""Declared settings in settings.ini in the data folder; window geometry kept per window class."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen

from qingqing_desktop.store.locations import data_dir
from qingqing_desktop.ui.backup_dialog import BackupDialog
from qingqing_desktop.ui.common.settings import (
    AUTO_BACKUP_MINUTES,
    OPERATOR_NAME,
    TITLE_BAR_ROOM,
    Settings,
    window_geometry,
)
from qingqing_desktop.ui.main_window import MainWindow


def test_defaults_and_round_trip_in_the_data_folder(settings):
    assert settings.get(AUTO_BACKUP_MINUTES) == 30
    assert settings.get(OPERATOR_NAME) == ""
    settings.set(OPERATOR_NAME, "王五")
    settings.set(AUTO_BACKUP_MINUTES, 10)
    settings.sync()
    again = Settings()
    assert again.get(OPERATOR_NAME) == "王五"
    assert again.get(AUTO_BACKUP_MINUTES) == 10
    assert again.file_name == str(data_dir() / "settings.ini")
    assert "operator_name=" in (data_dir() / "settings.ini").read_text(encoding="utf-8")


def test_a_maximised_main_window_opens_maximised_again(qtbot, workspace):
    first = MainWindow(workspace)
    qtbot.addWidget(first)
    first.showMaximized()
    first.close()

    second = MainWindow(workspace)
    qtbot.addWidget(second)
    assert second.windowState() & Qt.WindowState.WindowMaximized


def test_a_dialog_gets_back_its_size_per_window_class(qtbot, window):
    first = BackupDialog(window.ws, window)
    first.show()
    first.resize(500, 380)
    geometry = first.saveGeometry()
    first.reject()  # hidden by reject(), which is when the geometry is saved
    assert Settings().get(window_geometry("BackupDialog")) == geometry

    second = BackupDialog(window.ws, window)
    assert (second.width(), second.height()) == (500, 380)


def test_window_fits_the_screen(qtbot, workspace, monkeypatch):
    """A 1366×768 office PC: the taskbar leaves 728 pixels; the window and its title bar must fit."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: QRect(0, 0, 1366, 728))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (1200, 728 - TITLE_BAR_ROOM)  # 1200×760 where there is room
    window.show()
    window.resize(1100, 600)
    window.close()  # the clerk's own size is kept, not fitted again
    again = MainWindow(workspace)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (1100, 600)


def test_a_window_keeps_its_size_where_the_screen_has_room(qtbot, workspace):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (1200, 760)


def test_the_window_fits_a_1366_by_768_screen_at_125_percent(qtbot, workspace, monkeypatch, settings):
    """At 125% the taskbar leaves 1093×582 logical pixels: the main window fits with its title bar, also
    when a size saved before (1200×750 at y=40, the old minimum's height) is restored."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: QRect(0, 0, 1093, 582))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.height() + TITLE_BAR_ROOM <= 582 and window.width() <= 1093
    window.setMinimumSize(0, 0)
    window.show()
    window.setGeometry(60, 40, 1000, 600)  # what the old minimum left saved
    saved_width = window.width()
    window.close()
    again = MainWindow(workspace)
    qtbot.addWidget(again)
    assert again.y() >= 0 and again.y() + again.height() + TITLE_BAR_ROOM <= 582
    assert again.width() == saved_width  # the clerk's own width is kept
