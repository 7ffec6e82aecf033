"""The roster as a Qt table model, and the proxy that sorts it by pinyin and filters it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPixmap

from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.ui.common.row_table_model import RowFilterProxy, RowTableModel
from qingqing_desktop.ui.common.tables import wrapped_tooltip

SAMPLE_BACKGROUND = QColor("#fffaeb")
INACTIVE_FOREGROUND = QColor("#8a8f98")

KeyPostTest = Callable[[str], object]  # SigningRule.is_key_post: the key post named, or None


def remembered(is_key_post: KeyPostTest) -> KeyPostTest:
    """``is_key_post`` answering each post from a dict once asked: a roster of thousands has a few
    dozen different posts, and the counts and the filter ask for every person."""
    answers: dict[str, object] = {}

    def test(post: str) -> object:
        try:
            return answers[post]
        except KeyError:
            answer = answers[post] = is_key_post(post)
            return answer

    return test


def sample_tag() -> QPixmap:
    """A small amber “示例” label drawn before a sample person's name."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(font.pointSizeF() * 0.8)
    metrics = QFontMetrics(font)
    width, height = metrics.horizontalAdvance("示例") + 10, metrics.height() + 2
    ratio = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen() else 1.0
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#e0b84f"))
    painter.setBrush(QColor("#fde9b0"))
    painter.drawRoundedRect(0.5, 0.5, width - 1, height - 1, 3, 3)
    painter.setFont(font)
    painter.setPen(QColor("#7a5600"))
    painter.drawText(0, 0, width, height, Qt.AlignmentFlag.AlignCenter, "示例")
    painter.end()
    return pixmap


def yes_no(value: bool) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class _Column:
    title: str
    text: Callable[[StaffMember], str]
    centred: bool = False


COLUMNS = (
    _Column("序号", lambda m: "", centred=True),  # the model's sequence(): the position in the view
    _Column("姓名", lambda m: m.name),
    _Column("职务类别", lambda m: m.rank.value),
    _Column("职务", lambda m: m.title),
    _Column("工作岗位/分管工作", lambda m: m.post),
    _Column("是否党员", lambda m: yes_no(m.party_member), centred=True),
    _Column("状态", lambda m: m.status.value, centred=True),
    _Column("备注", lambda m: m.note),
)
SEQ_COLUMN, NAME_COLUMN = 0, 1


class StaffTableModel(RowTableModel[StaffMember]):
    def __init__(self, parent=None):
        super().__init__(COLUMNS, parent)
        self._sample_tag: QPixmap | None = None  # drawn when the first sample person is shown

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        member = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.sequence(index.row()) if index.column() == SEQ_COLUMN else column.text(member)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centred:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and not member.is_active:
            return INACTIVE_FOREGROUND
        if role == Qt.ItemDataRole.BackgroundRole and member.is_sample:
            return SAMPLE_BACKGROUND
        if role == Qt.ItemDataRole.DecorationRole and member.is_sample and index.column() == NAME_COLUMN:
            if self._sample_tag is None:
                self._sample_tag = sample_tag()
            return self._sample_tag
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(member)
        return None

    def sort_value(self, member: StaffMember, column: int) -> str | tuple[str, str]:
        name_key = sort_key(member.name)
        if column in (SEQ_COLUMN, NAME_COLUMN):
            return name_key
        return (sort_key(COLUMNS[column].text(member)), name_key)

    def search_texts(self, member: StaffMember) -> tuple[str, ...]:
        return (member.name, member.post, member.title)


def _tooltip(member: StaffMember) -> str | None:
    notes = []
    if member.is_sample:
        notes.append("示例人员（虚构），可在名单上方一键删除")
    if not member.is_active:
        notes.append(f"{member.status.value}：不再计入在岗人数")
    if member.note:
        notes.append(f"备注：{member.note}")  # whole: a long one is cut short in its column
    return wrapped_tooltip("；".join(notes)) if notes else None


@dataclass(frozen=True)
class RosterFilter:
    label: str
    accepts: Callable[[StaffMember, KeyPostTest], bool]


# Each reads only status (is_active), rank, party membership, sample or not and post: the page counts
# them over roster_service.alike()'s groups (tests/ui/roster/test_roster_page.py checks the counts).
ROSTER_FILTERS = (
    RosterFilter("全部人员", lambda m, key_post: True),
    RosterFilter("在岗人员", lambda m, key_post: m.is_active),
    RosterFilter("在岗中层干部", lambda m, key_post: m.is_active and m.rank is RankCategory.MIDDLE_CADRE),
    RosterFilter(
        "在岗重点岗位人员",
        lambda m, key_post: m.is_active and m.rank is RankCategory.STAFF and bool(key_post(m.post)),
    ),
    RosterFilter("在岗党员", lambda m, key_post: m.is_active and m.party_member),
    RosterFilter("已调离、退休等", lambda m, key_post: not m.is_active),
    RosterFilter("示例人员", lambda m, key_post: m.is_sample),
)


class StaffFilterProxy(RowFilterProxy[StaffMember, RosterFilter]):
    """Pinyin order, the filter combo's choice and the search box (name, initials, pinyin, post, title)."""

    def __init__(self, parent=None):
        super().__init__(ROSTER_FILTERS[0], parent)
        self._is_key_post: KeyPostTest = lambda post: None

    def set_key_post_test(self, is_key_post: KeyPostTest) -> None:
        self._refilter(is_key_post=is_key_post)

    def accepts(self, member: StaffMember, choice: RosterFilter) -> bool:
        return choice.accepts(member, self._is_key_post)

