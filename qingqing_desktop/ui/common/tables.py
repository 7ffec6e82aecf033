"""Helpers shared by the table views."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain, zip_longest

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QObject,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QBoxLayout, QComboBox, QHeaderView, QLabel, QLineEdit, QTableView

from qingqing_desktop.ui.common.row_table_model import RowFilterProxy, RowTableModel

SAMPLE_ROWS = 60
_PADDING = 24  # cell margins plus room for the sort indicator


class RecordTableView(QTableView):
    """A table of records where Enter opens the current one and Delete deletes it, as in a file
    manager: the signals say which key was pressed; the page decides (and asks) what it means."""

    open_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
        elif event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


# A text this close to its column's edge may wrap (cell margins and the style's rounding): its row is measured.
_WRAP_MARGIN = 16
REFIT_DELAY_MS = 150  # after the last change of a column's width


class WrappedRows(QObject):
    """The rows of a word-wrapping table, each as tall as its text needs (long texts wrapped, one line
    per line break), with the room above and below its lines that a one-line row has — Qt's
    ``resizeRowsToContents`` squeezes two lines into a one-line row's height, and is not done again
    when a column narrows (the last one follows the window's width, or a splitter is dragged).

    ``texts(row)`` gives the texts of the view's row ``row`` as shown: a row with no line break and
    every text clear of its column's edge takes one line, the height of any such row, so only the
    others are measured (measuring asked the model for every cell of 5,000 rows: seconds)."""

    def __init__(self, view: QTableView, texts: Callable[[int], Sequence[str]]):
        super().__init__(view)
        self._view, self._texts = view, texts
        self._fitted_widths: list[int] = []
        self._rows_changed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFIT_DELAY_MS)
        self._timer.timeout.connect(self._fit_if_changed)
        view.horizontalHeader().sectionResized.connect(self._fit_later)
        # Rows shown or hidden (a filter), added or taken away: the heights belong to row positions
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._rows_changed_later)

    def fit(self) -> None:
        view = self._view
        model = view.model()
        metrics = view.fontMetrics()
        self._rows_changed = False
        self._fitted_widths = [view.columnWidth(column) for column in range(model.columnCount())]
        room = [width - _WRAP_MARGIN for width in self._fitted_widths]
        widths: dict[str, int] = {}  # most texts repeat (新增, 一般工作人员, 否, the posts)

        def width(text: str) -> int:
            found = widths.get(text)
            if found is None:
                found = widths[text] = metrics.horizontalAdvance(text)
            return found

        # Shaping only brings characters closer (kerning), so a text whose characters' advances add up to
        # less than its room fits, unmeasured: 5,000 names and row numbers are 10,000 texts to measure.
        advances: dict[str, int] = {}

        def too_wide(text: str, column: int) -> bool:
            return "\n" in text or (sum(map(advances.__getitem__, text)) > room[column] and width(text) > room[column])

        # Column by column, each distinct text once (most repeat, most columns have none too wide):
        # the rows are gone through in C, not with a Python call per cell.
        rows = [self._texts(row) for row in range(model.rowCount())]
        measured: set[int] = set()
        for column, texts in enumerate(zip_longest(*rows, fillvalue="")):
            distinct = set(texts)
            advances.update((ch, metrics.horizontalAdvance(ch)) for ch in set(chain.from_iterable(distinct)) - advances.keys())
            wide = {text for text in distinct if too_wide(text, column)}
            if wide:
                measured.update(row for row, text in enumerate(texts) if text in wide)
        tall = sorted(measured)
        one_line = next((row for row in range(len(rows)) if row not in measured), None)
        header = view.verticalHeader()
        if one_line is not None:
            view.resizeRowToContents(one_line)  # Qt's own measure of a one-line row, then every row's start
            line_height = view.rowHeight(one_line)
            padding = line_height - view.sizeHintForRow(one_line)
        else:  # every row measured: a one-line row's height and room as the table set them up
            line_height = header.defaultSectionSize()
            padding = line_height - metrics.height()
        header.setDefaultSectionSize(line_height)  # every row, also those the last fit made taller
        for row in tall:
            view.setRowHeight(row, max(line_height, view.sizeHintForRow(row) + max(0, padding)))

    def _fit_later(self) -> None:
        """A column changed width: a text that fitted on one line may need two now, or one less."""
        if self._view.model().rowCount():
            self._timer.start()  # once the resizing stops (dragging the dialog's edge is many steps)

    def _rows_changed_later(self, *_args) -> None:
        self._rows_changed = True
        self._timer.start()

    def _fit_if_changed(self) -> None:
        model = self._view.model()
        if self._rows_changed or self._fitted_widths != [self._view.columnWidth(c) for c in range(model.columnCount())]:
            self.fit()


def size_columns_from_sample(view: QTableView, *, maximum: int = 320, stretch_last: bool = True,
                             grow_only: bool = False, last_fills: bool = False) -> None:
    """Set each column's width from its header and the first rows' text.

    ResizeToContents measures every row on every change; a sample is enough
    for a roster and stays fast for a long import preview. ``grow_only`` (after
    a reload) widens a column whose new text needs it, e.g. 签订日期 once someone
    signed, and never narrows one the clerk has set. ``last_fills``: the last column
    (free text such as 说明) takes the room left and elides what does not fit (its
    tooltip has it whole) instead of pushing the table into a sideways scroll.
    """
    model = view.model()
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    header_metrics = header.fontMetrics()
    rows = min(model.rowCount(), SAMPLE_ROWS)
    display, decoration_role = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole
    # model.data(), not index.data(): see StaffFilterProxy on PySide6 and empty QVariants. Behind a
    # RowFilterProxy (which passes data through) the rows' own model is asked directly, in Python.
    source = model.sourceModel() if isinstance(model, RowFilterProxy) else None
    if isinstance(source, RowTableModel):
        source_rows = [model.mapToSource(model.index(row, 0)).row() for row in range(rows)]
        asked, index_of = source, lambda row, column: source.index(source_rows[row], column)
    else:
        asked, index_of = model, model.index
    last = model.columnCount() - 1
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(map(header_metrics.horizontalAdvance, title.splitlines() or [""]))  # a title may take two lines
        measured: dict[str, int] = {}  # each distinct text measured once (a column repeats 是/否, a post …)
        for row in range(0 if last_fills and column == last else rows):
            index = index_of(row, column)
            text = str(asked.data(index, display) or "")
            advance = measured.get(text)
            if advance is None:
                advance = measured[text] = max(map(metrics.horizontalAdvance, text.splitlines() or [""]))
            decoration = asked.data(index, decoration_role)
            extra = decoration.deviceIndependentSize().width() + 6 if isinstance(decoration, QPixmap) else 0
            width = max(width, advance + int(extra))
        wanted = min(width + _PADDING, maximum)
        if not grow_only or wanted > header.sectionSize(column):
            header.resizeSection(column, wanted)
    header.setStretchLastSection(stretch_last)


def widest_line(texts: Iterable[str], metrics: QFontMetrics) -> int:
    """The width of the widest line among many texts (a whole column, not a sample), measuring few: a
    line's characters' advances added up are never less than the line's own width (shaping only brings
    characters closer), so lines are measured from the widest such bound down until none left could be wider."""
    advances: dict[str, int] = {}
    bounds = []
    for line in {line for text in texts for line in text.splitlines()}:
        advances.update((ch, metrics.horizontalAdvance(ch)) for ch in set(line) - advances.keys())
        bounds.append((sum(map(advances.__getitem__, line)), line))
    widest = 0
    for bound, line in sorted(bounds, reverse=True):
        if bound <= widest:
            break
        widest = max(widest, metrics.horizontalAdvance(line))
    return widest


def wrapped_tooltip(text: str) -> str:
    """A long tooltip (a note, a report) as rich text, which Qt wraps; plain text runs on in one line
    as wide as the screen."""
    from html import escape  # noqa: PLC0415

    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


def setup_table(view: QTableView) -> None:
    """The look every data table shares: whole-row selection, no grid clutter, no row numbers; Tab leaves it."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    # Whole rows are selected, so Tab has no cell to go to: it leaves the table like any other field
    # (Qt's default walks the cells and never leaves: a trap for keyboard-only work).
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setHighlightSections(False)


def setup_sorted_table(
    view: QTableView,
    model: QAbstractItemModel,
    proxy: QSortFilterProxyModel,
    *,
    selection: QAbstractItemView.SelectionMode,
    sort_column: int,
) -> None:
    """Show ``model`` through ``proxy`` in ``view`` with the shared look, sorted on ``sort_column`` to start.
    A ``RowTableModel`` prepares its search keys once the view has first painted its rows."""
    if isinstance(model, RowTableModel):
        model.prepare_search_keys_after_paint(view.viewport())
    proxy.setSourceModel(model)
    view.setModel(proxy)
    setup_table(view)
    view.setSelectionMode(selection)
    view.setSortingEnabled(True)
    view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)


def on_rows_changed(proxy: QAbstractItemModel, slot: Callable[[], object]) -> None:
    """Call ``slot`` whenever the rows the view shows may have changed (a reset, rows in or out, a re-sort)."""
    for signal in (proxy.modelReset, proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged):
        signal.connect(slot)


class SearchBox(QLineEdit):
    """A search box as wide as its hint (``width``) where there is room, narrower on a small screen
    (1024 pixels, or 1366 at 125 %) rather than pushed past the window's edge.

    Above the table it searches (``lead_to``), the keyboard goes on from what was typed: ↓ moves into
    the table on the first match, Return opens the match when there is only one."""

    NARROWEST = 120

    def __init__(self, width: int):
        super().__init__()
        self._width = width
        self._results: QAbstractItemView | None = None
        self._open_selected: Callable[[], object] | None = None

    def lead_to(self, view: QAbstractItemView, open_selected: Callable[[], object]) -> None:
        """``view`` shows what this box finds; ``open_selected`` is what Return does in it."""
        self._results, self._open_selected = view, open_selected

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        hint = super().sizeHint()
        return QSize(max(self._width, hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(max(self.NARROWEST, hint.width()), hint.height())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """Esc clears what was typed, as in a browser's or Explorer's search box; an empty box passes
        it on (a dialog still closes with Esc). ↓ and Return go on to the table (see the class)."""
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        view = self._results
        if view is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            found = view.model().rowCount()
            if (key == Qt.Key.Key_Down and found) or (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and found == 1):
                first = view.model().index(0, 0)
                view.selectionModel().setCurrentIndex(
                    first, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                view.scrollTo(first)
                if key == Qt.Key.Key_Down:
                    view.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self._open_selected()
                event.accept()
                return
        super().keyPressEvent(event)


def filter_controls(labels: Sequence[str], placeholder: str, *, search_width: int) -> tuple[QComboBox, SearchBox]:
    """The 显示 combo (one item per filter label) and the search box above a filtered table."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItems(list(labels))
    search = SearchBox(search_width)
    search.setPlaceholderText(placeholder)
    search.setToolTip(placeholder)  # the whole hint, where the box is too narrow to show it
    search.setClearButtonEnabled(True)
    return combo, search


def add_filter_controls(tools: QBoxLayout, combo: QComboBox, search: QLineEdit) -> None:
    """Close a tool row: a stretch, then “显示：”, the combo and the search box at the right."""
    tools.addStretch(1)
    tools.addWidget(QLabel("显示："))
    tools.addWidget(combo)
    tools.addWidget(search)
