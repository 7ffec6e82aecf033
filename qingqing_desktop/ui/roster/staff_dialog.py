"""Adding or editing one person; every field checked as it is typed, with the domain's messages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.roster_rules import classify_title
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus, validate_staff
from qingqing_desktop.ui.common.forms import EnumComboBox, KeepsTypedInput, ValidatedForm
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.workspace import Workspace

_POST_LABELS = {RankCategory.MIDDLE_CADRE: "分管工作：", RankCategory.STAFF: "工作岗位："}
_POST_PLACEHOLDERS = {
    RankCategory.MIDDLE_CADRE: "如：分管行政审批、档案管理",
    RankCategory.STAFF: "从列表选重点岗位，或直接填写其他岗位",
}


class StaffDialog(KeepsTypedInput, QDialog):
    def __init__(self, workspace: Workspace, member: StaffMember | None, titles: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened per use
        self._original = member
        self._rule = workspace.template().signing_rule
        self._touched: set[str] = set()
        self._save: Callable[[StaffMember], bool] | None = None
        self._rank_chosen = member is not None  # an edited person's rank is never guessed again
        self.setWindowTitle("修改人员信息" if member else "新增人员")
        self.setMinimumWidth(480)

        self.name = QLineEdit()
        self.name.setPlaceholderText("只写姓名，如：张三")
        self.rank = EnumComboBox(RankCategory)
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：科长、副站长、科员、一级主任科员")
        completer = QCompleter(sorted(set(titles)), self.title)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.title.setCompleter(completer)
        self.post = QComboBox()
        self.post.setEditable(True)
        self.post.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.post.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.party = QCheckBox("中共党员（含预备党员）")
        self.status = EnumComboBox(StaffStatus)
        self.note = QLineEdit()
        self.signing_hint = QLabel()
        self.signing_hint.setObjectName("hint")  # not word-wrapped, so the dialog grows with field messages

        self.form = ValidatedForm()
        self.form.add_field("name", "姓名 *：", self.name)
        self.form.add_field("rank", "职务类别：", self.rank)
        self.form.add_field("title", "职务：", self.title)
        self.form.add_field("post", _POST_LABELS[RankCategory.STAFF], self.post)
        self.form.add_field("party_member", "是否党员：", self.party)
        self.form.add_field("status", "状态：", self.status)
        self.form.add_field("note", "备注：", self.note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.signing_hint)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if member is not None:
            self._show(member)
        else:  # most people added are staff; typing 科长 as 职务 still makes them 中层干部
            self.rank.set_value(RankCategory.STAFF)
        self._rank_changed()
        for key, edit in (("name", self.name), ("title", self.title), ("note", self.note)):
            edit.textEdited.connect(lambda _text, key=key: self._touched.add(key))
            edit.textChanged.connect(self._check)
        self.title.textEdited.connect(self._guess_rank)
        self.post.editTextChanged.connect(self._check)
        self.rank.activated.connect(self._rank_picked)
        self.rank.currentIndexChanged.connect(self._rank_changed)
        self._check()
        remember_geometry(self, workspace.settings)

    def _show(self, member: StaffMember) -> None:
        self.name.setText(member.name)
        self.rank.set_value(member.rank)
        self.title.setText(member.title)
        self.post.setEditText(member.post)
        self.party.setChecked(member.party_member)
        self.status.set_value(member.status)
        self.note.setText(member.note)

    def on_save(self, save: Callable[[StaffMember], bool]) -> None:
        """What 确定 does with the person. The dialog closes only once it is done (True): a write
        refused (a read-only or damaged database) leaves it open with everything typed."""
        self._save = save

    def accept(self) -> None:
        if self._save is not None and not self._save(self.member()):
            return
        super().accept()

    def member(self) -> StaffMember:
        fields = dict(
            name=self.name.text(),
            rank=self.rank.value(),
            title=self.title.text().strip(),
            post=self.post.currentText().strip(),
            party_member=self.party.isChecked(),
            status=self.status.value(),
            note=self.note.text().strip(),
        )
        return self._original.with_changes(**fields) if self._original else StaffMember(**fields)

    def _rank_picked(self) -> None:
        self._rank_chosen = True

    def _guess_rank(self, title: str) -> None:
        """Typing 科长 picks 中层干部 until the user chooses the category himself."""
        guessed = classify_title(title)
        if guessed is not None and not self._rank_chosen:
            self.rank.set_value(guessed)

    def _rank_changed(self) -> None:
        rank = self.rank.value()
        text = self.post.currentText()
        self.post.clear()
        if rank is RankCategory.STAFF:
            self.post.addItems(self._rule.key_posts)
        self.post.setEditText(text)
        self.post.lineEdit().setPlaceholderText(_POST_PLACEHOLDERS[rank])
        self.form.labelForField(self.form.rows["post"]).setText(_POST_LABELS[rank])
        self._check()

    def _check(self) -> None:
        member = self.member()
        problems = validate_staff(member)
        self.form.show_problems(problems, only=self._touched)
        self.ok_button.setEnabled(not problems)
        self.signing_hint.setText(self._signing_hint(member))

    def _signing_hint(self, member: StaffMember) -> str:
        """Whether this person must sign the pledge, so the clerk sees the effect of the post chosen."""
        if member.rank is RankCategory.MIDDLE_CADRE:
            return "中层干部均须签订承诺书。" if self._rule.all_middle_cadres else ""
        key_post = self._rule.is_key_post(member.post)
        if key_post:
            return f"“{key_post}”是重点岗位，须签订承诺书。"
        if self._rule.all_staff:
            return "一般工作人员均须签订承诺书。"
        if member.post:
            return "不在重点岗位的一般工作人员不要求签订承诺书。"
        return "在重点岗位的一般工作人员须签订承诺书：请从列表选择或填写工作岗位。"
