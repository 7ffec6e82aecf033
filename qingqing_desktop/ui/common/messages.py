"""Message boxes with the application's wording. Modules call ``messages.confirm(...)`` through
the module so that tests can replace one function instead of driving a modal box."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from qingqing_desktop.domain.errors import QingqingError

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """The Chinese message of an expected error; for a bug, a plain apology with the detail."""
    if isinstance(exc, QingqingError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"“{exc.filename}”" if exc.filename else ""
        return f"无法读写文件{where}：{exc.strerror or exc}。请检查文件是否被其他程序（如 Excel）打开，或是否有写入权限。"
    return f"程序出现意外错误，操作没有完成：{type(exc).__name__}: {exc}"


def show_error(parent: QWidget | None, exc: BaseException, title: str = "操作未完成") -> None:
    if not isinstance(exc, (QingqingError, OSError)):
        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc)))
    QMessageBox.warning(parent, title, error_text(exc))


def confirm(parent: QWidget | None, title: str, text: str, accept_text: str, *, destructive: bool = False) -> bool:
    """Ask a yes/no question whose buttons say what will happen (e.g. 删除 / 取消)."""
    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question, title, text, parent=parent)
    accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if destructive else accept)
    box.exec()
    return box.clickedButton() is accept


def _saved_box(parent: QWidget | None, title: str, text: str, folder: Path) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_folder:
        open_folder_window(parent, folder)


def open_folder_window(parent: QWidget | None, folder: Path) -> bool:
    """Show ``folder`` in the system's file manager; say so when that cannot be done."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QMessageBox.warning(
        parent, "无法打开文件夹",
        f"无法打开文件夹：\n{folder}\n\n本机没有能打开文件夹的程序，或这个文件夹已不存在。请在“此电脑”（文件管理器）中按上面的位置找到它。",
    )
    return False


def ask_unsaved(parent: QWidget | None, title: str, text: str) -> str:
    """保存 / 放弃 / 取消 for edits not saved yet: returns "save", "discard" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("放弃修改", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def file_saved(parent: QWidget | None, path: Path, text: str = "") -> None:
    """Say where a file went, with a button that opens its folder (the clerk's next step is usually there).

    ``text`` replaces the plain “文件已保存” when the file has a next step (“请拷贝到U盘…”).
    """
    _saved_box(parent, "已保存", text or f"文件已保存：\n{path}", Path(path).parent)


def files_exported(parent: QWidget | None, folder: Path, paths: list[Path]) -> None:
    """The folder version of ``file_saved``: which files went into ``folder``."""
    names = "\n".join(path.name for path in paths)
    _saved_box(parent, "已导出", f"已导出 {len(paths)} 个文件到：\n{folder}\n\n{names}", Path(folder))
