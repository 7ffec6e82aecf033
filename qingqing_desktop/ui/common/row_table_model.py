"""The skeleton every read-only table model here shares: a Python list of rows shown
under a fixed sequence of columns, sorted and searched with keys computed once per row.

Sorting happens in the model (``RowTableModel.sort``), not in the proxy: the proxy would
call a Python ``lessThan`` n·log n times from C++ (tens of thousands of calls to show 5,000
people after a keystroke); the model computes one key per row and lets Python sort them.
Likewise each row's ``SearchKey`` is computed once per change of the rows, in bulk, and a
keystroke only compares prepared strings (``RowFilterProxy``).

Subclasses answer ``data`` themselves. Everything here is answered from Python, never
read back through Qt: PySide6 6.12 drops a reference to None whenever an empty QVariant
comes back into Python (see none_refcount_guard), so proxies ask ``row()`` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from qingqing_desktop.domain.names import SearchKey, SearchQuery, search_keys

RowT = TypeVar("RowT")
ChoiceT = TypeVar("ChoiceT")


class TitledColumn(Protocol):
    @property
    def title(self) -> str: ...


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """Owns the rows, their order and the columns; the header shows each column's ``title``.

    Subclasses say how a column sorts (``sort_value``) and which texts a search box looks
    at (``search_texts``).
    """

    def __init__(self, columns: Sequence[TitledColumn], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[RowT] = []
        self._search_keys: list[SearchKey] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        rows = list(rows)
        self._rows = [rows[i] for i in self._sorted_positions(rows)]
        self._search_keys = None
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

    # ---------------------------------------------------------------- sorting

    def sort_value(self, row: RowT, column: int) -> Any:
        """The key ``row`` sorts by in ``column``; None for an empty cell (kept at the bottom)."""
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()  # (with a sort hint, PySide6 6.12 crashes)
        positions = self._sorted_positions(self._rows)
        self._rows = [self._rows[i] for i in positions]
        if self._search_keys is not None:
            self._search_keys = [self._search_keys[i] for i in positions]
        moved_to = [0] * len(positions)
        for new, old in enumerate(positions):
            moved_to[old] = new
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(persistent, [self.index(moved_to[i.row()], i.column()) for i in persistent])
        self.layoutChanged.emit()

    def _sorted_positions(self, rows: list[RowT]) -> list[int]:
        """Row numbers in the current order; empty cells last whichever way, as Excel does."""
        if self._sort_column < 0:
            return list(range(len(rows)))
        keys = [self.sort_value(row, self._sort_column) for row in rows]
        present = [i for i, key in enumerate(keys) if key is not None]
        present.sort(key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return present + [i for i, key in enumerate(keys) if key is None]

    # ---------------------------------------------------------------- searching

    def search_texts(self, row: RowT) -> Sequence[str]:
        """The texts a search box looks at, the row's name first (its pinyin and initials count too)."""
        return ()

    def search_key(self, number: int) -> SearchKey:
        if self._search_keys is None:
            self._search_keys = search_keys(self.search_texts(row) for row in self._rows)
        return self._search_keys[number]


class RowFilterProxy(QSortFilterProxyModel, Generic[RowT, ChoiceT]):
    """A ``RowTableModel`` seen through the page's filter combo and its search box.

    Subclasses say which rows a choice lets through in ``accepts``; the query is compared
    with the model's search keys. Sorting is passed on to the model (see above).
    """

    SEQUENCE_COLUMN: int | None = 0  # 序号: the position in the view

    def __init__(self, choice: ChoiceT, parent=None):
        super().__init__(parent)
        self._query = SearchQuery.of("")
        self._choice = choice

    def _refilter(self, **state) -> None:
        self.beginFilterChange()
        for name, value in state.items():
            setattr(self, f"_{name}", value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_query(self, query: str) -> None:
        self._refilter(query=SearchQuery.of(query))

    def set_filter(self, choice: ChoiceT) -> None:
        self._refilter(choice=choice)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # the proxy keeps the model's order

    def row_at(self, proxy_row: int) -> RowT:
        return self.sourceModel().row(self.mapToSource(self.index(proxy_row, 0)).row())

    def rows(self) -> list[RowT]:
        """What the view shows, top to bottom."""
        return [self.row_at(row) for row in range(self.rowCount())]

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        if not self.accepts(model.row(source_row), self._choice):
            return False
        return not self._query or model.search_key(source_row).matches(self._query)

    def accepts(self, row: RowT, choice: ChoiceT) -> bool:
        raise NotImplementedError

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # 序号 is the position in the view, whatever the order and filter.
        if role == Qt.ItemDataRole.DisplayRole and index.column() == self.SEQUENCE_COLUMN:
            return index.row() + 1
        return self.sourceModel().data(self.mapToSource(index), role)
