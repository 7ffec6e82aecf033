"""The skeleton every read-only table model here shares: a Python list of rows shown
under a fixed sequence of columns.

Subclasses answer ``data`` themselves. Everything here is answered from Python, never
read back through Qt: PySide6 6.12 drops a reference to None whenever an empty QVariant
comes back into Python (see StaffFilterProxy), so proxies ask ``row()`` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

RowT = TypeVar("RowT")
ChoiceT = TypeVar("ChoiceT")


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


class RowFilterProxy(QSortFilterProxyModel, Generic[RowT, ChoiceT]):
    """A ``RowTableModel`` seen through the page's filter combo and its search box.

    Subclasses say which rows a choice and a query let through in ``accepts``;
    rows are read from the source model directly (never through Qt, see above).
    """

    SEQUENCE_COLUMN = 0

    def __init__(self, choice: ChoiceT, sort_role: int, parent=None):
        super().__init__(parent)
        self._query = ""
        self._choice = choice
        self.setSortRole(sort_role)

    def _refilter(self, **state) -> None:
        self.beginFilterChange()
        for name, value in state.items():
            setattr(self, f"_{name}", value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_query(self, query: str) -> None:
        self._refilter(query=query)

    def set_filter(self, choice: ChoiceT) -> None:
        self._refilter(choice=choice)

    def row_at(self, proxy_row: int) -> RowT:
        return self.sourceModel().row(self.mapToSource(self.index(proxy_row, 0)).row())

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        return self.accepts(self.sourceModel().row(source_row), self._choice, self._query)

    def accepts(self, row: RowT, choice: ChoiceT, query: str) -> bool:
        raise NotImplementedError

    # Both methods ask the Python source model directly instead of going through Qt
    # (``index.data()``, ``super().data()``): PySide6 6.12 drops a reference to None
    # each time an empty QVariant comes back into Python, and the interpreter aborts
    # after a few thousand such calls — a table repaints far more often than that.

    def lessThan(self, left, right) -> bool:
        # Python compares the tuple keys; Qt's QVariant comparison would not.
        source, role = self.sourceModel(), self.sortRole()
        return source.data(left, role) < source.data(right, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # 序号 is the position in the view, whatever the order and filter.
        if role == Qt.ItemDataRole.DisplayRole and index.column() == self.SEQUENCE_COLUMN:
            return index.row() + 1
        return self.sourceModel().data(self.mapToSource(index), role)
