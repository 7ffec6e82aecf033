"""修改记录: a list of changes (the filing's, the roster's), newest first, filterable by any words."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import local_time
from qingqing_desktop.services.history import HistoryEntry
from qingqing_desktop.ui.common.settings import Settings, remember_geometry
from qingqing_desktop.ui.common.tables import on_rows_changed, setup_table, size_columns_from_sample

EMPTY_VALUE = "（空）"


def change_text(entry: HistoryEntry) -> str:
    if not entry.field:
        return ""
    return f"{entry.old or EMPTY_VALUE} → {entry.new or EMPTY_VALUE}"


_COLUMNS = (
    ("时间", lambda e: local_time(e.at)),
    ("经办人", lambda e: e.operator),
    ("操作", lambda e: e.action),
    ("对象", lambda e: e.what),
    ("项目", lambda e: e.field),
    ("原值 → 新值", change_text),
    ("原因", lambda e: e.reason),
)
# A finding's subject quotes its problem, a content hash is long; the tooltip has them whole. Kept
# narrow so that 原因, the last column (it takes the room left), is on screen at the dialog's size.
NARROW_COLUMNS = {"对象": 230, "项目": 130, "原值 → 新值": 260}


class HistoryModel(QAbstractTableModel):
    def __init__(self, entries: Sequence[HistoryEntry], parent=None):
        super().__init__(parent)
        self._entries = list(entries)
        self._texts = [tuple(text(e) for _title, text in _COLUMNS) for e in self._entries]

    def texts(self, row: int) -> tuple[str, ...]:
        return self._texts[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()] or None
        return None


class HistoryFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose text contains every word typed (“张三 签订状态” finds his signing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, query: str) -> None:
        self.beginFilterChange()
        self._words = query.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        text = " ".join(self.sourceModel().texts(source_row)).casefold()
        return all(word in text for word in self._words)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # The Python model directly, not through Qt: see StaffFilterProxy (PySide6 and empty QVariants).
        return self.sourceModel().data(self.mapToSource(index), role)


class HistoryDialog(QDialog):
    """``entries`` newest first; ``query`` fills the filter box at the start (one person's changes)."""

    def __init__(self, title: str, entries: Sequence[HistoryEntry], settings: Settings, parent: QWidget | None = None,
                 *, query: str = ""):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.resize(1120, 600)
        self.model = HistoryModel(entries, self)
        self.proxy = HistoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        setup_table(self.table)
        size_columns_from_sample(self.table, last_fills=True)  # a long 原因 is cut short; the detail has it whole
        titles = [title for title, _text in _COLUMNS]
        for title, width in NARROW_COLUMNS.items():
            column = titles.index(title)
            self.table.horizontalHeader().resizeSection(column, min(self.table.columnWidth(column), width))
        self.search = QLineEdit()
        self.search.setPlaceholderText("筛选：姓名、操作、内容或原因，多个词用空格分开")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        self.count = QLabel()
        self.count.setObjectName("hint")
        on_rows_changed(self.proxy, self._show_count)
        # The selected entry whole, wrapped: a long 原因 or a finding's text is cut in its cell.
        self.detail = QLabel()
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.search.setText(query)
        self._show_count()
        self._show_detail(QModelIndex())
        remember_geometry(self, settings)

    def _show_count(self) -> None:
        self.count.setText(f"共 {self.proxy.rowCount()} 条")

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not current.isValid():
            self.detail.setText("选中一条记录，在这里查看它的全部内容。")
            return
        texts = self.model.texts(self.proxy.mapToSource(current).row())
        lines = [f"{title}：{text}" for (title, _text), text in zip(_COLUMNS, texts) if text]
        self.detail.setText("\n".join(lines))

    def rows(self) -> list[tuple[str, ...]]:
        """What the table shows, top to bottom."""
        return [self.model.texts(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in range(self.proxy.rowCount())]
