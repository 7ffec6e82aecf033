"""Return after a clerk Tabbed once round a dialog: which push button did it press?

Qt gives the default to whichever autoDefault push button had the focus last, and a button made the
default before its box was in the dialog is not the one the dialog goes back to; so the check drives
real key events through a shown, active dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

MAX_STOPS = 60


def activate(qtbot, dialog: QDialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # offscreen, a dialog is not made the active window by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def tab_once_round(qtbot, dialog: QDialog, backwards: bool = False) -> list[str]:
    """Tab (Shift+Tab: ``backwards``) until the focus is back where it started; the stops, named."""
    shift = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    start = QApplication.focusWidget()
    assert start is not None and start.window() is dialog
    stops = []
    for _ in range(MAX_STOPS):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, shift)
        focus = QApplication.focusWidget()
        assert focus is not None and focus.window() is dialog, stops
        stops.append(focus.text() if isinstance(focus, QPushButton) else focus.objectName() or type(focus).__name__)
        if focus is start:
            return stops
    raise AssertionError(f"the focus never came back to {start}: {stops}")


def pressed_by_return(qtbot, dialog: QDialog) -> list[str]:
    """Press Return where the focus is; the texts of the push buttons it clicked."""
    clicked: list[str] = []
    for button in dialog.findChildren(QPushButton):
        button.clicked.connect(lambda _checked=False, b=button: clicked.append(b.text()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    return clicked
