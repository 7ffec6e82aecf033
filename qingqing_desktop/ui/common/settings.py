"""Every user preference, declared once (key, type, default, description).

Stored with QSettings in INI format in the user's data folder, so preferences
are one plain file beside the database that a clerk or an IT person can back up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from qingqing_desktop.store.locations import data_dir

SETTINGS_FILE_NAME = "settings.ini"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str


OPERATOR_NAME = Setting("operator_name", str, "", "经办人姓名，记入每条修改记录")
OPERATOR_ASKED = Setting("operator_asked", bool, False,
                        "是否已问过经办人姓名（首次启动时问一次；没有填写时，修改记录中记下的是电脑的登录名）")
LAST_IMPORT_DIR = Setting("folders/last_import", str, "", "上次导入人员名单时所在的文件夹")
LAST_EXPORT_DIR = Setting("folders/last_export", str, "", "上次导出文件时所在的文件夹")
LAST_SCAN_DIR = Setting("folders/last_scan", str, "", "上次读取扫描件（签字的承诺书、盖章的纸质件）时所在的文件夹")
LAST_SIGNED_PAGE_DIR = Setting("folders/last_signed_page", str, "", "上次为一个人附加签字页的扫描件或照片时所在的文件夹")
LAST_EXCHANGE_DIR = Setting("folders/last_exchange", str, "", "上次存取报送包、任务包、退回文件的文件夹（常为U盘）")
LAST_ANY_DIR = Setting("folders/last_any", str, "", "上次在任一文件对话框中选择的文件夹（某类工作第一次选文件时从这里开始）")
SELF_CHECK_SPLITTER = Setting("pages/selfcheck/splitter", QByteArray, QByteArray(), "自查表页左右两栏（表格与清单）的宽度")
EXPORT_SPLITTER = Setting("pages/export/splitter", QByteArray, QByteArray(), "导出与打印页左右两栏（文件列表与预览）的宽度")
BOARD_SORT_COLUMN = Setting("pages/board/sort_column", int, -1, "报送情况表按哪一列排序（-1：按单位名称）")
BOARD_SORT_DESCENDING = Setting("pages/board/sort_descending", bool, False, "报送情况表是否倒序排列")
AUTO_BACKUP_MINUTES = Setting("backup/auto_interval_minutes", int, 30, "有修改时每隔多少分钟自动备份一次")


def checklist_ticks(campaign_id: str) -> Setting:
    # A working aid while walking through the lists, not filing data: kept per campaign, outside the database.
    return Setting(f"checklist/{campaign_id}", str, "", "自查时已对照的清单条目（如 positive:1,negative:3）")


def window_geometry(window_class: str) -> Setting:
    return Setting(f"windows/{window_class}/geometry", QByteArray, QByteArray(), "窗口位置和大小")


def window_state(window_class: str) -> Setting:
    return Setting(f"windows/{window_class}/state", QByteArray, QByteArray(), "工具栏和分隔条的布局")


class Settings:
    """Typed access to the declared settings."""

    def __init__(self, path=None):
        self._store = QSettings(str(path or data_dir() / SETTINGS_FILE_NAME), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        return self._store.fileName()

    def get(self, setting: Setting):
        if not self._store.contains(setting.key):
            return setting.default
        value = self._store.value(setting.key, setting.default, type=setting.type)
        return setting.default if value is None else value

    def set(self, setting: Setting, value) -> None:
        self._store.setValue(setting.key, value)

    def sync(self) -> None:
        self._store.sync()


class _GeometryKeeper(QObject):
    """Saves a window's geometry (and a main window's toolbar/splitter state) whenever it is hidden.

    Hiding covers closing a main window as well as accepting or rejecting a dialog.
    """

    def __init__(self, window: QWidget, settings: Settings):
        super().__init__(window)
        self._settings = settings
        self._class_name = type(window).__name__

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) and watched.isWindow():
            self._settings.set(window_geometry(self._class_name), watched.saveGeometry())
            if isinstance(watched, QMainWindow):
                self._settings.set(window_state(self._class_name), watched.saveState())
        return False


# Room for the title bar the window manager adds above a window's own geometry.
TITLE_BAR_ROOM = 40


def fit_to_screen(window: QWidget) -> None:
    """Shrink a window to the screen it opens on, never grow it, and move it up or left until it is all
    on it: on a 1366×768 office PC the taskbar leaves 728 pixels (582 at 125% scaling), and a taller
    window would hide its buttons and status bar below the screen's edge."""
    screen = window.screen()
    if screen is None or window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    room = screen.availableGeometry()
    width, height = min(window.width(), room.width()), min(window.height(), room.height() - TITLE_BAR_ROOM)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = max(room.left(), min(window.x(), room.right() + 1 - window.width()))
    y = max(room.top(), min(window.y(), room.bottom() + 1 - TITLE_BAR_ROOM - window.height()))
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)


def remember_geometry(window: QWidget, settings: Settings) -> None:
    """Restore the window's last size and position now; save them each time it is hidden.

    Call at the end of ``__init__``, after toolbars exist, so a main window's state restores too.
    """
    class_name = type(window).__name__
    geometry = settings.get(window_geometry(class_name))
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)  # Qt moves it back onto a screen that has shrunk since …
    fit_to_screen(window)  # … but keeps a size taller than the screen leaves (saved before a smaller minimum)
    if isinstance(window, QMainWindow):
        state = settings.get(window_state(class_name))
        if not state.isEmpty():
            window.restoreState(state)
    window.installEventFilter(_GeometryKeeper(window, settings))
