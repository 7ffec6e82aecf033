"""Message boxes with the application's wording. Modules call ``messages.confirm(...)`` through
the module so that tests can replace one function instead of driving a modal box."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from qingqing_desktop.store import faults


_watched = None  # the open Session, so that a fault met anywhere is explained with its database


def watch(session) -> None:
    """The session whose database ``error_text`` consults (damage, locks); set once by the app."""
    global _watched
    _watched = session


def error_text(exc: BaseException) -> str:
    """The Chinese message of an expected error or a fault (``store.faults``); for a bug, a plain
    apology — its traceback goes to qingqing.log."""
    store = _watched.store if _watched is not None else None
    refusal = faults.refusal(exc, store=store)
    if refusal is not None:
        return str(refusal)
    faults.log_unexpected(exc, "GUI")
    return (f"程序出现意外错误，操作没有完成（{type(exc).__name__}）。数据没有被部分写入。"
            "详情已记入数据文件夹中的 qingqing.log，请把它交技术人员。")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "操作未完成") -> None:
    QMessageBox.warning(parent, title, error_text(exc))


def information(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


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
    # Return closes, as on any notice: it used to start the file manager, the first button added.
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Close))
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


def confirm_with_checkbox(parent: QWidget | None, title: str, text: str, checkbox_text: str, accept_text: str) -> bool:
    """A destructive question that needs a tick as well as a click (e.g. restoring an outside file)."""
    from PySide6.QtWidgets import QCheckBox  # noqa: PLC0415

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    tick = QCheckBox(checkbox_text)
    box.setCheckBox(tick)
    accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    accept.setEnabled(False)
    tick.toggled.connect(accept.setEnabled)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is accept and tick.isChecked()


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_changes(parent: QWidget | None, title: str, text: str) -> str:
    """保存 / 不保存 / 取消 before closing something with unsaved changes; SAVE, DISCARD or CANCEL."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL
