"""A read-only table over a list of Python records, described column by column.

The office's tables (the board, a unit's pledges and findings as filed, the delivery
history, the import report) only show records the services return; each is a tuple of
``Column`` and a ``RecordTableModel``, which sorts by each column's own key (see
``RowTableModel``); the board filters it through a ``RowFilterProxy``.

Every value is computed from the Python record, never read back through Qt: PySide6
6.12 drops a reference to None whenever an empty QVariant comes back into Python
(see none_refcount_guard).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.ui.common.row_table_model import RowTableModel

MISSING = "—"  # a number the delivery cannot tell (an Excel 附件2 has no 自查表)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # default: the text, by pinyin; None: an empty cell
    centred: bool = False
    tooltip: Callable[[Any], str] | None = None


def number_text(value: int | None) -> str:
    return MISSING if value is None else str(value)


class RecordTableModel(RowTableModel):
    """Rows are records, columns are ``Column``; override ``foreground``/``background`` for colours."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(columns, parent)

    def records(self) -> list:
        """``rows()`` by the name the office tables' tests read it with."""
        return self.rows()

    def text(self, row: int, column: int) -> str:
        return self.columns[column].text(self._rows[row])

    def sort_value(self, record, column: int):
        """The column's key for this record; None for an empty cell."""
        spec = self.columns[column]
        if spec.sort:
            return spec.sort(record)
        text = spec.text(record)
        return sort_key(text) if text else None

    def foreground(self, record) -> QColor | None:
        return None

    def background(self, record) -> QColor | None:
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[section].centred:
                return Qt.AlignmentFlag.AlignCenter  # over a centred column, a left-aligned title looks misplaced
            return None
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip(record) if column.tooltip else column.text(record)) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centred:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(record)
        return None
