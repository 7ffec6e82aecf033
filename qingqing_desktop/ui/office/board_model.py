"""报送情况 as a table: one ``BoardRow`` per unit, the columns of ``domain.office.BOARD_COLUMNS``,
the filters of the combo above it, and the totals line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qingqing_desktop.domain.dates import chinese_date_time, to_local
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.office import (
    BOARD_COLUMNS,
    SIGNED_MARK_NOTE,
    BoardRow,
    BoardTotals,
    DeliverySource,
    ReviewState,
    clock_note,
)
from qingqing_desktop.ui.common.record_table import Column, RecordTableModel, number_text
from qingqing_desktop.ui.common.row_table_model import RowFilterProxy

OVERDUE = QColor("#c62828")
RETURNED = QColor("#a15c00")
CONFIRMED = QColor("#17692f")
CONFIRMED_BACKGROUND = QColor("#eef8f0")
OVERDUE_BACKGROUND = QColor("#fdf0ef")


def is_late(row: BoardRow) -> bool:
    """逾期: nothing delivered and the deadline has passed, or the first delivery came after it."""
    return row.overdue or row.on_time is False


def _count(value: int | None, row: BoardRow) -> str:
    # Nothing delivered: the cell stays empty; delivered but unknown (Excel has no 自查表): “—”.
    return number_text(value) if row.delivered else ""


def source_text(row: BoardRow) -> str:
    if row.source is None:
        return ""
    return "报送包" if row.source is DeliverySource.PACKAGE else "Excel（未签名）"


def source_cell(row: BoardRow) -> str:
    # Short, so that the board fits a 1366-pixel screen at 125 %: 未签名 is in the tooltip, the row's
    # tooltip, the filter 未签名（Excel） and the strip's totals.
    if row.source is None:
        return ""
    return "报送包" if row.source is DeliverySource.PACKAGE else "Excel"


def source_tooltip(row: BoardRow) -> str:
    if row.source is None:
        return ""
    if row.source is DeliverySource.PACKAGE:
        return "签名的报送包"
    return "Excel汇总表（未签名）：没有签名，也没有承诺书签订明细和自查表"


def delivered_at_cell(row: BoardRow, today: dt.date | None = None) -> str:
    """报送时间 compact: 12-07 14:05 this year (the campaign's), 2025-12-07 for an earlier year;
    the tooltip has the full date and time."""
    if not row.delivered_at:
        return ""
    moment = to_local(row.delivered_at)
    if moment.year == (today or dt.date.today()).year:
        return f"{moment:%m-%d %H:%M}"
    return f"{moment:%Y-%m-%d}"


def delivered_at_tooltip(row: BoardRow) -> str:
    """When the shown version is not the first delivery, the first one too: 按时 is judged by it (as the
    exported 汇总表's 首次报送时间), so a redelivery after a 退回 does not make an on-time unit look late."""
    if not row.delivered_at:
        return ""
    text = f"报送于 {chinese_date_time(to_local(row.delivered_at))}"
    if row.first_delivered_at and row.first_delivered_at != row.delivered_at:
        version = f"第{row.revision}版" if row.revision else "本版"
        text = (f"{version}{text}；首次报送于 {chinese_date_time(to_local(row.first_delivered_at))}"
                "（是否按时以首次报送计）")
    if row.stated_at:
        text += "\n" + clock_note(row.stated_at, row.delivered_at)
    return text


def on_time_cell(row: BoardRow) -> str:
    # 逾期未报 is 状态's word; here 逾期 keeps the column as narrow as its title.
    return "逾期" if row.on_time is None and row.overdue else row.on_time_label


def on_time_tooltip(row: BoardRow) -> str:
    if row.on_time is None:
        return "截止日期已过，尚未报送" if row.overdue else ""
    first = ""
    if row.first_delivered_at and row.first_delivered_at != row.delivered_at:
        first = f"首次报送（{chinese_date_time(to_local(row.first_delivered_at))}）"
    # the package's own time was after it arrived: said, as 按时 is judged by when it arrived
    clock = "（以本室收到的时间计，报送单位电脑的时钟可能不准）" if row.stated_at else ""
    if row.on_time:
        return f"{first}在截止日期前报送{clock}"
    return (f"{first}在截止日期后才报送" if first else "截止日期后才报送") + clock


def state_text(row: BoardRow) -> str:
    text = row.state.value
    if row.state is ReviewState.NOT_DELIVERED and row.overdue:
        text = "逾期未报"
    if row.conflicts:
        text += "（有冲突）"
    return text


def row_tooltip(row: BoardRow) -> str:
    lines = [row.unit]
    if not row.expected:
        lines.append("不在应报单位名单中，但报送了材料。")
    if row.changes:
        lines.append(f"本版变化：{row.changes}")
    if row.returns:
        lines.append(f"已退回 {row.returns} 次。")
    if row.conflicts:
        lines.append(f"另有 {row.conflicts} 个同一版次、内容不同的报送包未采用（冲突），请打开详情查看。")
    if row.signed is False:
        lines.append("数据来自Excel汇总表，没有签名。")
    if row.stated_at:
        lines.append(clock_note(row.stated_at, row.delivered_at))
    return "\n".join(lines)


def signed_cell(row: BoardRow) -> str:
    # “3*” as the printed overview has it: 已签 counts people who need not sign (the tooltip says how many)
    return _count(row.pledges_signed, row) + row.signed_mark


def signed_tooltip(row: BoardRow) -> str:
    # Else 已签 above 应签 (or 应签 − 已签 ≠ 未签) reads as a mistake in the unit's package.
    if not row.pledges_signed_unrequired:
        return ""
    return (f"已签 {row.signed_text}：他们不在应签范围内，也签订了承诺书，列入汇总表。"
            f"应签的 {row.pledges_required} 人中未签 {number_text(row.pledges_outstanding)} 人。")


_SPECS: dict[str, Column] = {
    "unit": Column("", lambda r: r.unit, sort=lambda r: sort_key(r.unit), tooltip=row_tooltip),
    "expected": Column("", lambda r: "是" if r.expected else "否", centred=True),
    "delivered": Column("", lambda r: "是" if r.delivered else "否", centred=True),
    "source": Column("", source_cell, tooltip=source_tooltip),
    "revision": Column("", lambda r: f"第{r.revision}版" if r.revision else "", sort=lambda r: r.revision,
                       centred=True),
    "delivered_at": Column("", delivered_at_cell, sort=lambda r: r.delivered_at, tooltip=delivered_at_tooltip),
    "on_time": Column("", on_time_cell, centred=True, tooltip=on_time_tooltip),
    "pledges_required": Column("", lambda r: _count(r.pledges_required, r), sort=lambda r: r.pledges_required,
                               centred=True),
    "pledges_signed": Column("", signed_cell, sort=lambda r: r.pledges_signed, centred=True, tooltip=signed_tooltip),
    "pledges_outstanding": Column("", lambda r: _count(r.pledges_outstanding, r),
                                  sort=lambda r: r.pledges_outstanding, centred=True),
    "findings_open": Column("", lambda r: _count(r.findings_open, r), sort=lambda r: r.findings_open,
                            centred=True),
    "findings_done": Column("", lambda r: _count(r.findings_done, r), sort=lambda r: r.findings_done,
                            centred=True),
    "state": Column("", state_text, tooltip=row_tooltip),
}
# The domain names the columns; this module only says how each one is shown.
BOARD_TABLE_COLUMNS = tuple(
    Column(title, _SPECS[key].text, _SPECS[key].sort, _SPECS[key].centred, _SPECS[key].tooltip)
    for key, title in BOARD_COLUMNS.items()
)
COLUMN_KEYS = tuple(BOARD_COLUMNS)
UNIT_COLUMN = COLUMN_KEYS.index("unit")
ON_TIME_COLUMN = COLUMN_KEYS.index("on_time")
STATE_COLUMN = COLUMN_KEYS.index("state")
SIGNED_COLUMN = COLUMN_KEYS.index("pledges_signed")
SIGNED_HEADER_TIP = f"签订了承诺书的人数，即该单位汇总表（附件2）上的人数。{SIGNED_MARK_NOTE}鼠标停在数字上可见其中几人。"


# The counts' titles on two lines (应签 / 人数): their numbers are narrow, and on one line the five titles
# pushed 状态, the column the office reads first, past the right edge of a 1200-pixel window.
_COUNT_COLUMNS = frozenset(COLUMN_KEYS.index(key) for key in (
    "pledges_required", "pledges_signed", "pledges_outstanding", "findings_open", "findings_done"))
# Shorter titles where the domain's would make a column wider than its cells; the header's tooltip
# keeps the full one. 应报 / 已报 as the strip above says them.
_SHORT_TITLES = {COLUMN_KEYS.index("delivered"): "已报", COLUMN_KEYS.index("source"): "来源"}
_HEADER_TIPS = {
    COLUMN_KEYS.index("delivered"): "已报送",
    COLUMN_KEYS.index("source"): "数据来源：签名的报送包，或Excel汇总表（未签名）",
    COLUMN_KEYS.index("delivered_at"): "报送时间：现用这一版的（今年的只写月-日 时:分；鼠标停在上面可见完整的日期和时间，"
                                       "退回后重报的，还有首次报送的时间：是否按时以它计）",
    SIGNED_COLUMN: SIGNED_HEADER_TIP,
}


class BoardTableModel(RecordTableModel):
    def __init__(self, parent=None):
        super().__init__(BOARD_TABLE_COLUMNS, parent)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        title = super().headerData(section, orientation, role)
        if orientation != Qt.Orientation.Horizontal:
            return title
        if role == Qt.ItemDataRole.DisplayRole and section in _COUNT_COLUMNS:
            return f"{title[:2]}\n{title[2:]}"
        if role == Qt.ItemDataRole.DisplayRole and section in _SHORT_TITLES:
            return _SHORT_TITLES[section]
        if role == Qt.ItemDataRole.ToolTipRole and section in _HEADER_TIPS:
            return _HEADER_TIPS[section]
        return title

    def foreground(self, row: BoardRow) -> QColor | None:
        if row.confirmed:
            return CONFIRMED
        if is_late(row):
            return OVERDUE
        if row.returned:
            return RETURNED
        return None

    def background(self, row: BoardRow) -> QColor | None:
        if row.confirmed:
            return CONFIRMED_BACKGROUND
        if row.overdue:
            return OVERDUE_BACKGROUND
        return None

    def search_texts(self, row: BoardRow) -> tuple[str, ...]:
        return (row.unit,)


@dataclass(frozen=True)
class BoardFilter:
    label: str
    accepts: Callable[[BoardRow], bool]


BOARD_FILTERS = (
    BoardFilter("全部", lambda r: True),
    BoardFilter("未报送", lambda r: not r.delivered),
    BoardFilter("待审核", lambda r: r.state is ReviewState.PENDING),
    BoardFilter("退回", lambda r: r.returned),
    BoardFilter("已确认", lambda r: r.confirmed),
    BoardFilter("逾期", is_late),
    BoardFilter("未签名（Excel）", lambda r: r.signed is False),
)


class BoardFilterProxy(RowFilterProxy[BoardRow, BoardFilter]):
    """The filter combo's choice and the search box (unit name, its pinyin and initials)."""

    def __init__(self, parent=None):
        super().__init__(BOARD_FILTERS[0], parent)

    def accepts(self, row: BoardRow, choice: BoardFilter) -> bool:
        return choice.accepts(row)


def totals_text(rows: Sequence[BoardRow], totals: BoardTotals) -> tuple[str, str]:
    """Two lines for the strip above the table: where the units stand, then what they filed.

    The first sentence counts the units on the list only (a unit off the list neither makes up for a
    missing one nor swells 待审核 past 已报); units off the list get a clause of their own."""
    listed = [r for r in rows if r.expected]
    unlisted = [r for r in rows if not r.expected]
    missing = totals.expected - totals.delivered_expected
    first = (
        f"应报 {totals.expected} 个单位，已报 {totals.delivered_expected}，未报 {missing}，"
        f"逾期 {totals.overdue + totals.late}，"
        f"待审核 {sum(r.state is ReviewState.PENDING for r in listed)}，退回 {sum(r.returned for r in listed)}，"
        f"已确认 {totals.confirmed_expected}"
    )
    if unlisted:
        waiting = sum(r.state is ReviewState.PENDING for r in unlisted)
        first += f"；另有 {len(unlisted)} 个未列入名单的单位报送" + (f"（待审核 {waiting}）" if waiting else "")
    second = (
        f"承诺书：应签 {totals.pledges_required} 人，已签 {totals.signed_text(' ')}，"
        f"未签 {totals.pledges_outstanding} 人　·　自查问题：未整改 {totals.findings_open} 条，"
        f"已整改 {totals.findings_done} 条"
    )
    if totals.unsigned_data:
        second += f"　·　{totals.unsigned_data} 个单位只交了Excel（未签名）"
    if totals.overdue or totals.late:
        second = f"逾期未报 {totals.overdue}，逾期报送 {totals.late}　·　" + second
    return first, second
