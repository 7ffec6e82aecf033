"""Whether a text a clerk must read is shown whole: not cut at a widget's or a window's edge."""

from __future__ import annotations

from PySide6.QtCore import Qt


def reads_whole(label, window) -> bool:
    """The label's text fits in the label (wrapped, if it wraps) and the label inside the window."""
    room = label.contentsRect()
    flags = int(Qt.TextFlag.TextWordWrap.value) if label.wordWrap() else 0
    needed = label.fontMetrics().boundingRect(room.adjusted(0, 0, 0, 10_000), flags, label.text())
    right = label.mapTo(window, room.topRight()).x()
    return needed.width() <= room.width() and needed.height() <= room.height() and right <= window.width()
