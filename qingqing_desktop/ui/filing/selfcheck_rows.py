"""One row of the 自查表 as a card: its findings in a small table, its buttons, its “无” box."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.selfcheck import Finding, RectificationState, SelfCheckRow
from qingqing_desktop.ui.common.flow_layout import FlowLayout
from qingqing_desktop.ui.common.forms import widgets_row
from qingqing_desktop.ui.common.resources import set_style_property
from qingqing_desktop.ui.common.tables import RecordTableView, setup_table, wrapped_tooltip

STATE_COLOURS = {
    RectificationState.IN_PROGRESS: QColor("#a15c00"),
    RectificationState.DONE: QColor("#1a7f37"),
    RectificationState.OVERDUE: QColor("#c62828"),
}
NONE_TEXT = "本行经自查无问题（无）"


def finding_number(position: int) -> str:
    """1．2．… as the printed 自查表 numbers a row's findings."""
    return f"{position}．"


def state_text(finding: Finding, today: dt.date) -> str:
    state = finding.state(today)
    if state is RectificationState.DONE:
        return f"已完成（{chinese_date(finding.done_on)}）"
    if state is RectificationState.OVERDUE:
        return f"逾期 {(today - finding.due).days} 天"
    return state.value


_COLUMNS = ("序号", "存在问题", "整改措施", "责任人", "整改时限", "整改状态")
SEQ, PROBLEM, MEASURE, OWNER, DUE, STATE = range(len(_COLUMNS))


class FindingTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._today = dt.date.today()
        self._locked = False

    def set_findings(self, findings: Sequence[Finding], today: dt.date, *, locked: bool) -> None:
        self.beginResetModel()
        self._findings, self._today, self._locked = list(findings), today, locked
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        return self._findings[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        finding, column = self._findings[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), finding, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATE:
            return STATE_COLOURS[finding.state(self._today)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            vertical = Qt.AlignmentFlag.AlignTop
            horizontal = Qt.AlignmentFlag.AlignRight if column == SEQ else Qt.AlignmentFlag.AlignLeft
            return vertical | horizontal
        if role == Qt.ItemDataRole.ToolTipRole and column == STATE and finding.done_note:
            return f"整改情况：{finding.done_note}"
        if role == Qt.ItemDataRole.ToolTipRole and column in (PROBLEM, MEASURE):
            text = self._text(index.row(), finding, column)  # whole, should a narrow window still cut the cell
            return wrapped_tooltip(text) if text else None
        return None

    def _text(self, position: int, finding: Finding, column: int) -> str:
        if column == SEQ:
            return finding_number(position + 1)
        if column == PROBLEM:
            return finding.problem
        if column == MEASURE:
            return finding.measure
        if column == OWNER:
            return finding.owner_name
        if column == DUE:
            return chinese_date(finding.due)
        return state_text(finding, self._today)


class FitTableView(RecordTableView):
    """A table as tall as its rows (long texts wrap), so the page scrolls instead of each card."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        setup_table(self)
        self.setWordWrap(True)
        # The rows are measured once the stretched columns have their widths: Qt sets those after the
        # view's own resize (and after a reset), so measuring at once wrapped long texts at the old
        # widths and cut them with “…” until some later change measured again.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_height)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def setModel(self, model) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column, mode in ((SEQ, QHeaderView.ResizeMode.ResizeToContents),
                             (PROBLEM, QHeaderView.ResizeMode.Stretch), (MEASURE, QHeaderView.ResizeMode.Stretch),
                             (OWNER, QHeaderView.ResizeMode.ResizeToContents),
                             (DUE, QHeaderView.ResizeMode.ResizeToContents),
                             (STATE, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)  # a handful of rows: measuring them all is cheap
        model.modelReset.connect(self.fit_height)
        model.modelReset.connect(self._refit.start)  # again once the columns are laid out
        header.sectionResized.connect(self._refit.start)  # wrapped lines change with a column's width

    def fit_height(self) -> None:
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.model().rowCount()))
        self.setFixedHeight(self.horizontalHeader().height() + rows + 2 * self.frameWidth())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._refit.start()  # a hidden table (a row without findings until now) was measured unlaid

class RowSection(QGroupBox):
    """One of the template's three rows. It only signals; the page runs the edits."""

    add_requested = Signal(int)  # row number
    edit_requested = Signal(object)  # Finding
    delete_requested = Signal(object)
    complete_requested = Signal(object)
    reopen_requested = Signal(object)
    none_toggled = Signal(int, bool)

    def __init__(self, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.number = number
        self.row: SelfCheckRow | None = None
        self.locked = False
        self.setObjectName("rowSection")
        self.state = QLabel()
        self.state.setObjectName("rowState")
        self.state.setWordWrap(True)

        self.add_action = QAction("添加问题…", self)
        self.add_action.setShortcut(QKeySequence.StandardKey.New)
        # Ctrl+N adds to the row that has the focus, so the shortcut belongs to this card alone.
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_action.triggered.connect(lambda: self.add_requested.emit(self.number))
        self.addAction(self.add_action)
        self.add_button = QPushButton("添加问题…")
        self.add_button.setToolTip("登记本行发现的问题（Ctrl+N）")
        self.add_button.clicked.connect(self.add_action.trigger)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self.complete_button = QPushButton("标记整改完成…")
        self.complete_button.clicked.connect(lambda: self._emit_selected(self.complete_requested))
        self.reopen_button = QPushButton("恢复整改中…")
        self.reopen_button.clicked.connect(lambda: self._emit_selected(self.reopen_requested))
        self.none_box = QCheckBox(NONE_TEXT)
        self.none_box.setToolTip("经自查本行确实没有问题时勾选，自查表此行将填“无”；已登记问题时不能勾选")
        self.none_box.clicked.connect(lambda checked: self.none_toggled.emit(self.number, checked))

        self.model = FindingTableModel(self)
        self.table = FitTableView()
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _index: self._emit_selected(self.edit_requested))
        self.table.open_requested.connect(lambda: self._emit_selected(self.edit_requested))
        self.table.delete_requested.connect(lambda: self._emit_selected(self.delete_requested))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        # The rectification buttons go on to a line of their own in a narrow window (they were cut off).
        buttons = FlowLayout(spacing=12)
        buttons.addWidget(widgets_row(self.add_button, self.edit_button, self.delete_button))
        buttons.addWidget(widgets_row(self.complete_button, self.reopen_button))
        # “无” beside the row's state rather than after the buttons: one line of buttons stays narrow
        # enough for the form beside the checklist at 1200×760 (it was cut off there).
        state_line = QHBoxLayout()
        state_line.addWidget(self.state, 1)
        state_line.addWidget(self.none_box, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(state_line)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def focus_chain(self) -> list[QWidget]:
        """The card's widgets in Tab order; the page links the cards and the header into one chain."""
        return [self.add_button, self.edit_button, self.delete_button, self.complete_button, self.reopen_button,
                self.none_box, self.table]

    def show_row(self, row: SelfCheckRow, today: dt.date, *, locked: bool) -> None:
        selected = self.selected()
        self.row, self.locked = row, locked
        self.setTitle(f"{row.number}．{row.item}")
        self.model.set_findings(row.findings, today, locked=locked)
        self.table.setVisible(bool(row.findings))
        self.none_box.setChecked(row.none_confirmed)
        set_style_property(self, "incomplete", not row.is_complete)
        self.state.setText(self._state_text(row, today))
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    @staticmethod
    def _state_text(row: SelfCheckRow, today: dt.date) -> str:
        if row.findings:
            states = [f.state(today) for f in row.findings]
            counts = "，".join(f"{state.value} {states.count(state)}" for state in RectificationState if state in states)
            return f"已登记 {len(row.findings)} 条问题（{counts}）"
        if row.none_confirmed:
            return "已确认：本行经自查无问题，自查表此行填“无”。"
        return "尚未填写：请添加发现的问题，或勾选“本行经自查无问题（无）”。"

    def selected(self) -> Finding | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.finding(rows[0].row()) if rows else None

    def select(self, finding_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.finding(row).id == finding_id:
                self.table.selectRow(row)
                return

    def _emit_selected(self, signal) -> None:
        finding = self.selected()
        if finding is None and self.model.rowCount() == 1:
            finding = self.model.finding(0)  # with one finding there is nothing to choose
        if finding is not None:
            signal.emit(finding)

    def _update_buttons(self) -> None:
        count = self.model.rowCount()
        finding = self.selected() or (self.model.finding(0) if count == 1 else None)
        editable = not self.locked
        self.add_action.setEnabled(editable)
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and finding is not None)
        self.delete_button.setEnabled(editable and finding is not None)
        # Rectification is follow-up work: it goes on after 定稿.
        self.complete_button.setEnabled(finding is not None and finding.done_on is None)
        self.reopen_button.setEnabled(finding is not None and finding.done_on is not None)
        self.none_box.setEnabled(editable and count == 0)


class OverduePanel(QGroupBox):
    """逾期未整改: the findings past their 整改时限 and not done, in red, across all rows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("逾期未整改", parent)
        self.setObjectName("overduePanel")
        self.label = QLabel()
        self.label.setObjectName("overdueList")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)

    def show_findings(self, findings: Sequence[Finding], today: dt.date) -> None:
        self.setTitle(f"逾期未整改（{len(findings)} 条）")
        lines = [
            f"第{f.row}行　{f.problem}　责任人：{f.owner_name}　整改时限：{chinese_date(f.due)}（已逾期 {(today - f.due).days} 天）"
            for f in findings
        ]
        self.label.setText("\n".join(lines))
        self.setVisible(bool(findings))
