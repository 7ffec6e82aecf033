"""The skeleton every read-only table model here shares: a Python list of rows shown
under a fixed sequence of columns.

Subclasses answer ``data`` themselves. Everything here is answered from Python, never
read back through Qt: PySide6 6.12 drops a reference to None whenever an empty QVariant
comes back into Python (see StaffFilterProxy), so proxies ask ``row()`` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

RowT = TypeVar("RowT")


class TitledColumn(Protocol):
    @property
    def title(self) -> str: ...


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """Owns the rows and the columns; the header shows each column's ``title``."""

    def __init__(self, columns: Sequence[TitledColumn], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row(self, number: int) -> RowT:
        return self._rows[number]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None
