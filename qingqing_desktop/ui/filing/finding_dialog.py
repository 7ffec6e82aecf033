"""问题条目: the add/edit dialog, its 责任人 picker over the roster, and the 整改完成 dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QSizePolicy, QWidget

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.names import matches_search
from qingqing_desktop.domain.selfcheck import Finding, due_warnings
from qingqing_desktop.domain.staff import StaffMember
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import DateField, FormDialog, TextBox
from qingqing_desktop.ui.common.settings import Settings, remember_geometry
from qingqing_desktop.ui.filing.filing_commands import FindingFields

DEFAULT_DAYS_TO_RECTIFY = 30  # when the filing deadline has already passed


def person_text(member: StaffMember) -> str:
    """“张伟（竣工验收）”: the post tells two people of the same name apart."""
    detail = member.post or member.title
    return f"{member.name}（{detail}）" if detail else member.name


class PeopleModel(QAbstractListModel):
    def __init__(self, people: Sequence[StaffMember], parent=None):
        super().__init__(parent)
        self._people = list(people)

    def person(self, row: int) -> StaffMember:
        return self._people[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._people)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return person_text(self._people[index.row()])
        return None


class PeopleFilter(QSortFilterProxyModel):
    """The roster search (name, pinyin initials, post) for the completer's list."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._query = ""

    def set_query(self, query: str) -> None:
        self.beginFilterChange()
        self._query = query
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        member = self.sourceModel().person(source_row)
        return matches_search(self._query, member.post, member.title, name=member.name)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # The Python model directly, not through Qt: see StaffFilterProxy (PySide6 and empty QVariants).
        return self.sourceModel().data(self.mapToSource(index), role)


class OwnerPicker(QComboBox):
    """责任人: pick from the list or type a name, pinyin initials (zw) or a post; ``owner()`` is one person.

    The completer lists everyone the typed text matches, each with the post, so
    the two 张伟 are told apart; the choice is kept by list position, never by name.
    """

    def __init__(self, people: Sequence[StaffMember], parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMaxVisibleItems(12)
        self.people = PeopleModel(people, self)
        self.setModel(self.people)
        self.matches = PeopleFilter(self)
        self.matches.setSourceModel(self.people)
        completer = QCompleter(self.matches, self)
        # The filter proxy does the matching (pinyin included); the completer only shows what is left.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(10)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("输入姓名、拼音首字母或岗位，从列表中选择")
        self.lineEdit().textEdited.connect(self._text_edited)
        self.setCurrentIndex(-1)

    def focusOutEvent(self, event) -> None:  # noqa: N802 — Qt's name
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # the completer's list is part of the box
            self._settle()

    def _settle(self) -> None:
        """Typed text that means one person becomes that person's entry when the clerk moves on,
        so the box shows who will be recorded (“sjg” → 单建国（主持科室全面工作）)."""
        found = self.candidates()
        if len(found) == 1 and self.currentText().strip() != person_text(found[0]):
            self.set_owner(found[0].id)

    def _text_edited(self, text: str) -> None:
        self.matches.set_query(text)
        if self.matches.rowCount():
            self.completer().complete()
        else:
            self.completer().popup().hide()

    def set_owner(self, owner_id: str | None) -> None:
        for row in range(self.people.rowCount()):
            if self.people.person(row).id == owner_id:
                self.setCurrentIndex(row)
                return
        self.setCurrentIndex(-1)

    def candidates(self) -> list[StaffMember]:
        """Who the text in the box may mean: the chosen entry, else everyone it matches."""
        text = self.currentText().strip()
        if not text:
            return []
        index = self.currentIndex()
        if 0 <= index < self.people.rowCount() and self.itemText(index) == text:
            return [self.people.person(index)]
        people = [self.people.person(row) for row in range(self.people.rowCount())]
        exact = [p for p in people if text in (person_text(p), p.name)]
        return exact or [p for p in people if matches_search(text, p.post, p.title, name=p.name)]

    def owner(self) -> StaffMember:
        """The one roster person meant; refuses (for the form to show) when none or several fit."""
        found = self.candidates()
        if len(found) == 1:
            return found[0]
        text = self.currentText().strip()
        if not text:
            message = "请选择责任人。"
        elif not found:
            message = f"人员名单中没有“{text}”，请从列表中选择；如是新调入人员，请先在人员名单中添加。"
        else:
            message = f"有 {len(found)} 人符合“{text}”，请从列表中选择（括号中是岗位）。"
        raise InputRejected(message, Location(field="责任人"))


def default_due(campaign: Campaign, today: dt.date) -> dt.date:
    """The filing deadline while it is ahead; after it, a month from today."""
    return campaign.deadline if campaign.deadline >= today else today + dt.timedelta(days=DEFAULT_DAYS_TO_RECTIFY)


class FindingDialog(FormDialog):
    """添加问题 / 修改问题. ``context`` is the list item being checked, shown above the fields."""

    def __init__(self, campaign: Campaign, people: Sequence[StaffMember], settings: Settings, *,
                 row_text: str, finding: Finding | None = None, context: str = "", parent: QWidget | None = None):
        super().__init__("修改问题" if finding else "添加问题", "保存", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(600)
        self._campaign = campaign
        self._finding = finding
        self.today = dt.date.today()
        self.where = QLabel(f"登记在自查表：{row_text}")
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)
        self.layout_.insertWidget(0, self.where)
        if context:
            self.context = QLabel(f"对照条目：{context}")
            self.context.setObjectName("contextBox")
            self.context.setWordWrap(True)
            self.layout_.insertWidget(1, self.context)
        self.problem = TextBox(finding.problem if finding else "", lines=3)
        self.problem.setPlaceholderText("具体写明发现的问题，如：对企业咨询的答复有时超过承诺时限")
        self.measure = TextBox(finding.measure if finding else "", lines=3)
        self.measure.setPlaceholderText("针对问题的整改措施，如：建立咨询答复台账，一次性告知补正材料")
        self.owner = OwnerPicker(people)
        self.due = DateField(finding.due if finding else default_due(campaign, self.today), field="整改时限")
        self.form.add_field("存在问题", "存在问题 *：", self.problem)
        self.form.add_field("整改措施", "整改措施 *：", self.measure)
        self.form.add_field("责任人", "责任人 *：", self.owner)
        self.form.add_field("整改时限", "整改时限 *：", self.due)
        if finding is not None:
            self.owner.set_owner(finding.owner_id)
        remember_geometry(self, settings)

    def fields(self) -> FindingFields:
        return FindingFields(self.problem.text(), self.measure.text(), self.owner.owner().id, self.due.value())

    def confirm_warnings(self, fields: FindingFields) -> tuple[str, ...] | None:
        """Ask about an unusual 整改时限 before saving; the questions asked, or None if the user said no."""
        if self._finding is not None and fields.due == self._finding.due:
            return ()
        questions = tuple(due_warnings(fields.due, today=self.today, deadline=self._campaign.deadline))
        for question in questions:
            if not messages.confirm(self, "请确认整改时限", f"{question}\n\n确定按这个日期保存吗？", "确定保存"):
                self.due.setFocus()
                return None
        return questions


class CompleteRectificationDialog(FormDialog):
    """标记整改完成: the date it was done (default today) and what was done."""

    def __init__(self, finding: Finding, parent: QWidget | None = None):
        super().__init__("标记整改完成", "登记完成", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(480)
        problem = QLabel(f"问题：{finding.problem}")
        problem.setWordWrap(True)
        self.layout_.insertWidget(0, problem)
        self.done_on = DateField(field="整改完成日期")
        self.note = TextBox(lines=3)
        self.note.setPlaceholderText("简要说明整改情况（可不填）")
        self.form.add_field("整改完成日期", "完成日期：", self.done_on)
        self.form.add_field("整改情况说明", "整改情况：", self.note)
