"""Helpers shared by the table views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

SAMPLE_ROWS = 60
_PADDING = 24  # cell margins plus room for the sort indicator


def size_columns_from_sample(view: QTableView, *, maximum: int = 320, stretch_last: bool = True) -> None:
    """Set each column's width from its header and the first rows' text.

    ResizeToContents measures every row on every change; a sample is enough
    for a roster and stays fast for a long import preview.
    """
    model = view.model()
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    header_metrics = header.fontMetrics()
    rows = min(model.rowCount(), SAMPLE_ROWS)
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = header_metrics.horizontalAdvance(title)
        for row in range(rows):
            # model.data(), not index.data(): see StaffFilterProxy on PySide6 and empty QVariants.
            index = model.index(row, column)
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            longest = max(text.splitlines() or [""], key=metrics.horizontalAdvance)
            decoration = model.data(index, Qt.ItemDataRole.DecorationRole)
            extra = decoration.deviceIndependentSize().width() + 6 if isinstance(decoration, QPixmap) else 0
            width = max(width, metrics.horizontalAdvance(longest) + int(extra))
        header.resizeSection(column, min(width + _PADDING, maximum))
    header.setStretchLastSection(stretch_last)


def setup_table(view: QTableView) -> None:
    """The look every data table shares: whole-row selection, no grid clutter, no row numbers."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setHighlightSections(False)
