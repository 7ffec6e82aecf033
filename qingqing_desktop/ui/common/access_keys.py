"""Access keys of menu items as Chinese Windows software writes them — “导入人员名单(&I)…”, reached
with Alt+F, I — while the same action keeps its plain words on toolbars and page buttons (where an
Alt+letter of its own could only clash with the menu bar's)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import shiboken6
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

_ACCESS_KEY = re.compile(r"\(&[^)]\)")


def plain_text(text: str) -> str:
    """“导入人员名单(&I)…” → “导入人员名单…”."""
    return _ACCESS_KEY.sub("", text)


def with_access_key(text: str, key: str) -> str:
    """“导入人员名单…” → “导入人员名单(&I)…”: the letter before the dots that say a dialog follows."""
    plain = plain_text(text)
    stem = plain.removesuffix("…")
    return f"{stem}(&{key}){plain[len(stem):]}"


def _qt_short(text: str) -> str:
    """What Qt shows as an action's icon text and tooltip unless told otherwise."""
    return text.replace("&", "").replace("…", "").replace("...", "").strip()


def give_access_key(action: QAction, key: str) -> QAction:
    """``action`` with access key ``key`` in every menu it is in, kept when its text changes later
    (标记调离 → 恢复在岗); its icon text and tooltip, when Qt's own, keep the plain words. A text
    that has the key already keeps it where it is (“撤销(&U) 新增人员“赵敏””)."""
    ours = {"icon": "", "tip": ""}  # what was set here: it follows the text, unlike a page's own

    def keep() -> None:
        if not shiboken6.isValid(action):  # a last signal while the window is torn down
            return
        keyed = action.text() if f"(&{key})" in action.text() else with_access_key(action.text(), key)
        if action.text() != keyed:
            action.setText(keyed)  # changed again: back here with the key in place
            return
        short = _qt_short(plain_text(keyed))
        if action.iconText() in (_qt_short(keyed), ours["icon"]) and action.iconText() != short:
            ours["icon"] = short
            action.setIconText(short)
        if action.toolTip() in (_qt_short(keyed), ours["tip"]) and action.toolTip() != short:
            ours["tip"] = short
            action.setToolTip(short)

    action.changed.connect(keep)
    keep()
    return action


def fill_menu(menu: QMenu, items: Sequence[tuple[QAction, str] | None]) -> QMenu:
    """Adds each (action, access key) to ``menu``; None is a separator."""
    for item in items:
        if item is None:
            menu.addSeparator()
        else:
            menu.addAction(give_access_key(*item))
    return menu
