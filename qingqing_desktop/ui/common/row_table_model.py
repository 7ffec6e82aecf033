"""The skeleton every read-only table model here shares: a Python list of rows shown
under a fixed sequence of columns, sorted and searched with keys computed once per row.

Sorting happens in the model (``RowTableModel.sort``), not in the proxy: the proxy would
call a Python ``lessThan`` n·log n times from C++ (tens of thousands of calls to show 5,000
people after a keystroke); the model computes one key per row and lets Python sort them.
Likewise each row's ``SearchKey`` is computed once per change of the rows, in bulk, a few
hundred rows each time the event loop is idle (``prepare_search_keys``: the first key typed is
as quick as the others, and a window just shown with 5,000 people answers meanwhile; a key typed
before they are all ready computes the rest at once). A table being shown for the first time
paints its rows before that starts (``prepare_search_keys_after_paint``: the keys, and OpenCC
they need, are not what a clerk waits for to see the window). A keystroke decides for every
row in one Python pass; Qt then only looks the answers up (``RowFilterProxy``).
The proxy does not answer ``data`` itself (a Python call per cell painted): the model shows
序号 from the positions the proxy's answers give (``RowTableModel.sequence``).

Subclasses answer ``data`` themselves. Everything here is answered from Python, never
read back through Qt: PySide6 6.12 drops a reference to None whenever an empty QVariant
comes back into Python (see none_refcount_guard), so proxies ask ``row()`` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QWidget

from qingqing_desktop.domain.names import SearchKey, SearchQuery, search_keys

RowT = TypeVar("RowT")
SEARCH_KEY_CHUNK = 500  # rows whose search keys are prepared per idle moment (a few milliseconds)
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
        self._partial_keys: list[SearchKey] = []  # the first rows' keys, prepared while idle
        self._partial_for = -1  # the generation _partial_keys were prepared for
        self._awaiting_paint: _AfterFirstPaint | None = None  # the keys wait for a view's first paint
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.generation = 0  # changes whenever the rows or their order do
        self.position: Callable[[int], int] | None = None  # a row's place in the view, from the proxy

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        rows = list(rows)
        self._rows = [rows[i] for i in self._sorted_positions(rows)]
        self._search_keys = None
        self.generation += 1
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

    def sequence(self, number: int) -> int:
        """序号 of row ``number``: its position in the view from 1, whatever the order and filter."""
        return self.position(number) + 1 if self.position is not None else number + 1

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
        self.generation += 1
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

    def search_keys(self) -> list[SearchKey]:
        """Every row's search key, in the rows' order (computed once per change of the rows)."""
        if self._search_keys is None:
            done = self._partial_keys if self._partial_for == self.generation else []
            self._search_keys = done + search_keys(self.search_texts(row) for row in self._rows[len(done):])
            self._partial_keys, self._partial_for = [], -1
        return self._search_keys

    @property
    def search_keys_ready(self) -> bool:
        return self._search_keys is not None

    def prepare_search_keys_soon(self) -> None:
        """Start preparing the keys when idle (after the first paint of a view still waiting for it)."""
        if self._awaiting_paint is None:
            QTimer.singleShot(0, self, self.prepare_search_keys)

    def prepare_search_keys_after_paint(self, viewport: QWidget) -> None:
        """Let the keys wait until ``viewport`` (a view of this model not shown yet) has painted."""
        def painted() -> None:
            self._awaiting_paint = None
            self.prepare_search_keys_soon()

        self._awaiting_paint = _AfterFirstPaint(viewport, painted)

    def prepare_search_keys(self) -> None:
        """The next ``SEARCH_KEY_CHUNK`` rows' keys, then again when the event loop is next idle,
        until every row has one. Rows changed or re-sorted meanwhile start it afresh."""
        if self._search_keys is not None:
            return
        if self._partial_for != self.generation:
            self._partial_keys, self._partial_for = [], self.generation
        done = len(self._partial_keys)
        self._partial_keys += search_keys(self.search_texts(row) for row in self._rows[done:done + SEARCH_KEY_CHUNK])
        if len(self._partial_keys) >= len(self._rows):
            self._search_keys = self._partial_keys
            self._partial_keys, self._partial_for = [], -1
        else:
            QTimer.singleShot(0, self, self.prepare_search_keys)


class RowFilterProxy(QSortFilterProxyModel, Generic[RowT, ChoiceT]):
    """A ``RowTableModel`` seen through the page's filter combo and its search box.

    Subclasses say which rows a choice lets through in ``accepts``; the query is compared
    with the model's search keys. Sorting is passed on to the model (see above).
    """

    def __init__(self, choice: ChoiceT, parent=None):
        super().__init__(parent)
        self._query = SearchQuery.of("")
        self._choice = choice
        self._accepted: list[bool] = []
        self._accepted_for = -1  # the model generation _accepted answers for
        self._positions: list[int] | None = None  # per source row: accepted rows before it

    def setSourceModel(self, model: RowTableModel) -> None:
        super().setSourceModel(model)
        self._model = model  # Qt asks for every row: no round trip to Qt for the model each time
        model.position = self._position
        # The keys are ready before the first key is typed: prepared when idle after the rows change.
        model.modelReset.connect(model.prepare_search_keys_soon)

    def _refilter(self, **state) -> None:
        self.beginFilterChange()
        for name, value in state.items():
            setattr(self, f"_{name}", value)
        self._accepted_for = -1
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
        if self._accepted_for != self._model.generation:
            self._current_answers(self._model)
        return self._accepted[source_row]

    def _current_answers(self, model: RowTableModel) -> list[bool]:
        if self._accepted_for != model.generation:
            self._accepted, self._accepted_for = self._accepted_rows(model), model.generation
            self._positions = None
        return self._accepted

    def _position(self, source_row: int) -> int:
        answers = self._current_answers(self._model)
        if self._positions is None:
            self._positions = [count - 1 for count in accumulate(answers)]  # the proxy keeps the model's order
        return self._positions[source_row]

    def _accepted_rows(self, model: RowTableModel) -> list[bool]:
        """The filter and the query for every row at once (Qt asks row by row, in order)."""
        choice, query, accepts = self._choice, self._query, self.accepts
        if not query:
            return [accepts(row, choice) for row in model.rows()]
        return [accepts(row, choice) and key.matches(query) for row, key in zip(model.rows(), model.search_keys())]

    def accepts(self, row: RowT, choice: ChoiceT) -> bool:
        raise NotImplementedError


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, when the event loop is next idle after ``widget`` first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]):
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)  # after this paint, not before it
        return False
