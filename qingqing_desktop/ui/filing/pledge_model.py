"""The pledge list (承诺书签订) as a Qt table model, and the proxy that filters and sorts it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPixmap

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.pledge import PledgeRow, PledgeStatus, list_order
from qingqing_desktop.domain.staff import StaffStatus
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.row_table_model import RowFilterProxy, RowTableModel
from qingqing_desktop.ui.roster.staff_model import INACTIVE_FOREGROUND, sample_tag

# Text colours dark enough to read on white; the amber means “still to chase”.
STATUS_COLOURS = {
    PledgeStatus.UNSIGNED: QColor("#a15c00"),
    PledgeStatus.SIGNED: QColor("#1a7f37"),
    PledgeStatus.SUBMITTED_BEFORE: QColor("#4f6a7a"),
    PledgeStatus.NOT_APPLICABLE: QColor("#8a8f98"),
}
OUTSTANDING_BACKGROUND = QColor("#fff6e0")


def status_text(row: PledgeRow) -> str:
    if row.status is PledgeStatus.UNSIGNED and not row.required:
        return "无需签订"
    return row.status.value


def required_text(row: PledgeRow) -> str:
    text = "是" if row.required else "否"
    return f"{text}（人工认定）" if row.required_override is not None else text


def required_tooltip(row: PledgeRow) -> str:
    rule = f"按规则：{'须签订' if row.required_by_rule else '不须签订'}（{row.rule_reason}）"
    if row.required_override is None:
        return rule
    decided = "须签订" if row.required_override else "不须签订"
    return f"人工认定：{decided}，理由：{row.override_reason}\n{rule}"


def status_tooltip(row: PledgeRow) -> str | None:
    if row.status is PledgeStatus.UNSIGNED:
        return "须签订，尚未登记" if row.required else "此人不须签订承诺书"
    if row.status_reason:
        return f"{row.status.value}：{row.status_reason}"
    return None


def attention_order(row: PledgeRow) -> tuple:
    """Who needs the clerk first: those still to sign, then those dealt with, then those who need not sign."""
    return (not row.outstanding, not row.required, list_order(row))


@dataclass(frozen=True)
class _Column:
    title: str
    text: Callable[[PledgeRow], str]
    sort: Callable[[PledgeRow], object] | None = None  # default: the text by pinyin
    centred: bool = False


COLUMNS = (
    _Column("序号", lambda r: "", attention_order, centred=True),  # the model's sequence(): the position in the view
    _Column("姓名", lambda r: r.name, lambda r: sort_key(r.name)),
    _Column("职务类别", lambda r: r.rank.value),
    _Column("工作岗位/分管工作", lambda r: r.post),
    _Column("是否须签订", required_text, lambda r: (not r.required, r.required_override is None), centred=True),
    _Column("签订状态", status_text, attention_order, centred=True),
    _Column("签订日期", lambda r: chinese_date(r.signed_on), lambda r: (r.signed_on is None, r.signed_on)),
    _Column("扫描件", lambda r: "已附" if r.has_scan else "", lambda r: not r.has_scan, centred=True),
    _Column("说明", lambda r: r.reason),
)
SEQ_COLUMN, NAME_COLUMN, REQUIRED_COLUMN, STATUS_COLUMN, SCAN_COLUMN, NOTE_COLUMN = 0, 1, 4, 5, 7, 8


class PledgeTableModel(RowTableModel[PledgeRow]):
    def __init__(self, parent=None):
        super().__init__(COLUMNS, parent)
        self._locked = False
        self._scan_icon = icon("scan")
        self._override_font = QFont()
        self._override_font.setItalic(True)
        self._sample_tag: QPixmap | None = None  # drawn when the first sample person is shown

    def set_rows(self, rows: Sequence[PledgeRow], *, locked: bool) -> None:
        self._locked = locked  # only data() reads it, and the reset makes every view ask again
        super().set_rows(rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column_number = index.column()
        column = COLUMNS[column_number]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.sequence(index.row()) if column_number == SEQ_COLUMN else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centred:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column_number)
        if role == Qt.ItemDataRole.BackgroundRole and row.outstanding and not self._locked:
            return OUTSTANDING_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and column_number == REQUIRED_COLUMN and row.required_override is not None:
            return self._override_font
        if role == Qt.ItemDataRole.DecorationRole and column_number == SCAN_COLUMN and row.has_scan:
            return self._scan_icon
        if role == Qt.ItemDataRole.DecorationRole and column_number == NAME_COLUMN and row.is_sample:
            if self._sample_tag is None:
                self._sample_tag = sample_tag()  # as the roster marks them: nobody signs a fictional person unawares
            return self._sample_tag
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column_number)
        return None

    def sort_value(self, row: PledgeRow, column: int) -> tuple:
        spec = COLUMNS[column]
        return (spec.sort(row) if spec.sort else sort_key(spec.text(row)), attention_order(row))

    def search_texts(self, row: PledgeRow) -> tuple[str, ...]:
        return (row.name, row.post, row.title)

    def _foreground(self, row: PledgeRow, column: int) -> QColor | None:
        if self._locked:
            return INACTIVE_FOREGROUND  # a finalised list is shown greyed: nothing here can change
        if column == STATUS_COLUMN:
            needless = row.status is PledgeStatus.UNSIGNED and not row.required  # shown as 无需签订
            return INACTIVE_FOREGROUND if needless else STATUS_COLOURS[row.status]
        if row.staff_status != StaffStatus.ACTIVE.value:
            return INACTIVE_FOREGROUND
        return None

    @staticmethod
    def _tooltip(row: PledgeRow, column: int) -> str | None:
        if column == NAME_COLUMN and row.is_sample:
            return "示例人员（虚构），可在“人员名单”页点“删除示例数据”一键删除"
        if column == REQUIRED_COLUMN:
            return required_tooltip(row)
        if column == STATUS_COLUMN:
            return status_tooltip(row)
        if column == SCAN_COLUMN:
            return "已附签字页扫描件，双击此格查看" if row.has_scan else "尚未附扫描件（可选）"
        if column == NOTE_COLUMN:
            return row.reason or None  # the column elides a long one
        return None


@dataclass(frozen=True)
class PledgeFilter:
    label: str
    accepts: Callable[[PledgeRow], bool]


PLEDGE_FILTERS = (
    PledgeFilter("全部", lambda r: True),
    PledgeFilter("须签订", lambda r: r.required),
    PledgeFilter("未签订", lambda r: r.outstanding),
    PledgeFilter("已签订", lambda r: r.status is PledgeStatus.SIGNED),
    PledgeFilter("此前已上交", lambda r: r.status is PledgeStatus.SUBMITTED_BEFORE),
    PledgeFilter("不适用", lambda r: r.status is PledgeStatus.NOT_APPLICABLE),
)


class PledgeFilterProxy(RowFilterProxy[PledgeRow, PledgeFilter]):
    """The filter combo's choice and the pinyin search box."""

    def __init__(self, parent=None):
        super().__init__(PLEDGE_FILTERS[0], parent)

    def accepts(self, row: PledgeRow, choice: PledgeFilter) -> bool:
        return choice.accepts(row)

