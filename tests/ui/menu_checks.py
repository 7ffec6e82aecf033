"""What a keyboard user of the main window relies on: an access key on every menu and menu item, and
no key that starts two things."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QMenu

from qingqing_desktop.ui.main_window import MainWindow

ACCESS_KEY = re.compile(r"\(&([A-Z])\)")
WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def menu_keys(qtbot, window: MainWindow, menu: QMenu) -> list[str]:
    """Every item of ``menu`` and its submenus has an access key (“导入人员名单(&I)…”), none twice in one
    menu. A menu filled when first opened is opened first."""
    menu.popup(window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    items = [action for action in menu.actions() if not action.isSeparator()]
    assert items, menu.title()
    keys = []
    for action in items:
        found = ACCESS_KEY.search(action.text())
        assert found, action.text()
        keys.append(found[1])
        if action.menu() is not None:
            menu_keys(qtbot, window, action.menu())
    assert len(keys) == len(set(keys)), [action.text() for action in items]
    return keys


def shortcut_owners(window: MainWindow) -> tuple[dict[str, list], dict[str, list]]:
    """The window's keys: those that work anywhere in it and those that only work inside one widget
    (Ctrl+N on the roster page and on each 自查表 row), with what each starts."""
    def in_window(widget) -> bool:
        while isinstance(widget, QMenu):  # a menu pops up as a window of its own; its keys work in its owner's
            widget = widget.parentWidget()
        return widget is not None and widget.window() is window

    wide: dict[str, list] = {}
    scoped: dict[str, list] = {}

    def note(sequences, context, owner) -> None:
        for sequence in sequences:
            if not sequence.isEmpty():
                table = wide if context in WINDOW_WIDE else scoped
                table.setdefault(sequence.toString(QKeySequence.SequenceFormat.PortableText), []).append(owner)

    for action in window.findChildren(QAction):
        if any(in_window(widget) for widget in action.associatedObjects()):
            note(action.shortcuts(), action.shortcutContext(), action.text())
    for shortcut in window.findChildren(QShortcut):
        if in_window(shortcut.parentWidget()):
            note(shortcut.keys(), shortcut.context(), shortcut.objectName())
    for button in window.findChildren(QAbstractButton):  # 保存 on 单位信息 (Ctrl+S); a “&” in a button's text
        if in_window(button):
            note([button.shortcut()], Qt.ShortcutContext.WindowShortcut, button.text())
    for title in (action.text() for action in window.menuBar().actions()):  # 文件(&F): Alt+F
        note([QKeySequence.mnemonic(title)], Qt.ShortcutContext.WindowShortcut, title)
    return wide, scoped


def buttons_with_access_keys(window: MainWindow) -> list[str]:
    """Buttons showing a menu item's access key (a page's button made from the menu's action): each
    would be an Alt+letter of its own besides the menu's."""
    return [button.text() for button in window.findChildren(QAbstractButton) if ACCESS_KEY.search(button.text())]
