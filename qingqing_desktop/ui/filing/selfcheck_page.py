"""自查表: the header, the template's three rows with their findings or “无”, the checklist walk-through,
rectification follow-up, and the way to 定稿."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import InputRejected, QingqingError
from qingqing_desktop.domain.filing import finalise_blockers
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.selfcheck import ROW_NUMBERS, Finding, RectificationState, SelfCheck, row_for_list
from qingqing_desktop.domain.staff import StaffMember
from qingqing_desktop.services import roster_service, selfcheck_service
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.flow_layout import FlowLayout
from qingqing_desktop.ui.common.forms import DateField, ReasonDialog, ValidatedForm
from qingqing_desktop.ui.common.settings import SELF_CHECK_SPLITTER
from qingqing_desktop.ui.filing import finalise
from qingqing_desktop.ui.filing.checklist_panel import ChecklistPanel
from qingqing_desktop.ui.filing.filing_commands import (
    AddFindingCommand,
    CompleteRectificationCommand,
    ConfirmNoneCommand,
    DeleteFindingCommand,
    FindingFields,
    ReopenRectificationCommand,
    SetHeaderCommand,
    UpdateFindingCommand,
)
from qingqing_desktop.ui.filing.filing_page import FilingPage
from qingqing_desktop.ui.filing.finding_dialog import CompleteRectificationDialog, FindingDialog
from qingqing_desktop.ui.filing.history_dialog import show_history
from qingqing_desktop.ui.filing.selfcheck_rows import OverduePanel, RowSection
from qingqing_desktop.ui.common.pages import PageScroll


def findings_text(self_check: SelfCheck, today: dt.date) -> str:
    states = [f.state(today) for f in self_check.findings]
    parts = "，".join(f"{state.value} {states.count(state)}" for state in RectificationState)
    return f"问题 {len(states)} 条：{parts}"


class HeaderBox(QGroupBox):
    """填报单位 (the unit, read-only), 单位负责人 and 填报日期; ``edited`` when the user is done with one."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("表头", parent)
        self.unit = QLabel()
        self.leader = QLineEdit()
        self.leader.setPlaceholderText("默认为单位信息中的负责人")
        self.leader.setMaximumWidth(240)
        self.filled_on = DateField(field="填报日期", optional=True, empty_text="未填写（打印后手写）")
        self.today_button = QPushButton("填今天")
        self.today_button.clicked.connect(self._fill_today)
        date_row = QWidget()  # 填今天 goes under the date in a narrow window (it was cut off)
        date_layout = FlowLayout(date_row)
        date_layout.addWidget(self.filled_on)
        date_layout.addWidget(self.today_button)
        self.form = ValidatedForm(self)
        self.form.add_field("填报单位", "填报单位：", self.unit)
        self.form.add_field("单位负责人", "单位负责人：", self.leader)
        self.form.add_field("填报日期", "填报日期：", date_row, judged_by=self.filled_on)
        self.leader.editingFinished.connect(self.edited)
        self.filled_on.editing_finished.connect(self.edited)

    def show_header(self, self_check: SelfCheck, *, locked: bool) -> None:
        self.unit.setText(self_check.unit_name)
        if not self.leader.hasFocus():
            self.leader.setText(self_check.leader)
        self.filled_on.blockSignals(True)
        self.filled_on.set_value(self_check.filled_on)
        self.filled_on.blockSignals(False)
        for widget in (self.leader, self.filled_on, self.today_button):
            widget.setEnabled(not locked)
        self.form.show_problems({})

    def _fill_today(self) -> None:
        self.filled_on.set_value(dt.date.today())
        self.edited.emit()


class SelfCheckPage(FilingPage):
    title = "自查表"
    icon_name = "selfcheck"
    explanation = (
        "逐行自查：发现问题的，登记问题、整改措施、责任人和整改时限；确实没有问题的，勾选“本行经自查无问题（无）”。"
        "三行都填好后点“定稿”。右侧可对照清单逐条检查。"
    )

    locked_note = "整改进度仍可登记。"
    status_message = Signal(str)

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.self_check: SelfCheck | None = None
        self.today = dt.date.today()

        self.summary = QLabel()
        self.summary.setObjectName("selfcheckSummary")
        self.summary.setWordWrap(True)  # what 定稿 still waits for may be a long sentence
        self.history_button = QPushButton("修改记录…")
        self.history_button.clicked.connect(lambda: show_history(self.ws, self))
        self.finalise_button = QPushButton("定稿…")
        self.finalise_button.setObjectName("primary")
        self.finalise_button.setToolTip("检查三行是否都已填写，然后锁定本次报送（可重新打开）")
        self.finalise_button.clicked.connect(lambda: finalise.finalise(self.ws, self))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.history_button)
        top.addWidget(self.finalise_button)

        self.header = HeaderBox()
        self.header.edited.connect(self.save_header)
        self.sections = [RowSection(number) for number in ROW_NUMBERS]
        for section in self.sections:
            section.add_requested.connect(lambda row: self.add_finding(row))
            section.edit_requested.connect(self.edit_finding)
            section.delete_requested.connect(self.delete_finding)
            section.complete_requested.connect(self.complete_rectification)
            section.reopen_requested.connect(self.reopen_rectification)
            section.none_toggled.connect(self.confirm_none)
        self.overdue = OverduePanel()
        self.overdue.hide()

        self.checklist = ChecklistPanel(workspace.settings)
        self.checklist.record_requested.connect(self.record_from_checklist)
        self.splitter = self._splitter(self._form_column(), self.checklist)

        self.content_layout.addLayout(top)
        self.content_layout.addWidget(self.splitter, 1)
        self._chain_focus()
        self.refresh()

    def _form_column(self) -> QScrollArea:
        """The form itself: header, the three rows and the overdue list, scrolling as one."""
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 10, 0)
        layout.setSpacing(10)
        for widget in (self.header, *self.sections, self.overdue):
            layout.addWidget(widget)
        layout.addStretch(1)
        return PageScroll(column, fit_width=True)  # the rows' buttons and 本行经自查无问题（无） in full

    def _splitter(self, form: QWidget, checklist: QWidget) -> QSplitter:
        """The form beside the checklist; the clerk's choice of widths is kept."""
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(form)
        splitter.addWidget(checklist)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 340])
        settings = self.ws.settings
        state = settings.get(SELF_CHECK_SPLITTER)
        if not state.isEmpty():
            splitter.restoreState(state)
        splitter.splitterMoved.connect(lambda *_args: settings.set(SELF_CHECK_SPLITTER, splitter.saveState()))
        return splitter

    def _chain_focus(self) -> None:
        """Keyboard-only filling: the header, then row 1's buttons and table, row 2's, row 3's, then the checklist."""
        chain = [self.header.leader, self.header.filled_on, self.header.today_button]
        for section in self.sections:
            chain.extend(section.focus_chain())
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # ---------------------------------------------------------------- loading

    def load(self) -> None:
        self.today = dt.date.today()
        session, campaign_id = self.ws.session, self.campaign.id
        self.self_check = selfcheck_service.get_self_check(session, campaign_id=campaign_id)
        self.header.show_header(self.self_check, locked=self.locked)
        for section, row in zip(self.sections, self.self_check.rows):
            section.show_row(row, self.today, locked=self.locked)
        self.overdue.show_findings(selfcheck_service.overdue_findings(session, campaign_id=campaign_id), self.today)
        self.checklist.show_campaign(self.campaign, self.self_check.findings, locked=self.locked)
        self._show_summary()

    def _show_summary(self) -> None:
        check = self.self_check
        filled = len(check.rows) - len(check.incomplete_rows)
        if self.locked:
            text = f"{findings_text(check, self.today)}。"  # the banner above says it is locked
        elif check.is_complete:
            # What else 定稿 waits for (sample people, a problem's owner no longer on the roster), said here
            # rather than only when the clerk clicks it.
            roster = roster_service.list_staff(self.ws.session, in_pinyin_order=False)
            blockers = finalise_blockers(check, roster)  # the 自查表 in hand; only the roster is read
            more = f"（另有 {len(blockers) - 1} 处，点“定稿…”可看全部）" if len(blockers) > 1 else ""
            verdict = f"还不能定稿：{blockers[0]}{more}" if blockers else "可以定稿。"
            text = f"三行均已填写（{findings_text(check, self.today)}），{verdict}"
        else:
            missing = "、".join(f"第{n}行" for n in check.incomplete_rows)
            text = f"已填写 {filled} / {len(check.rows)} 行；{missing}尚未填写。"
        self.summary.setText(text)
        self.finalise_button.setVisible(not self.locked)

    def status_text(self) -> str:
        if self.campaign is None or self.self_check is None:
            return ""
        return f"自查表：{findings_text(self.self_check, self.today)}"

    def is_complete(self) -> bool:
        return self.self_check is not None and self.self_check.is_complete

    # ---------------------------------------------------------------- the header

    def save_header(self) -> None:
        if self.self_check is None or self.locked:
            return
        try:
            filled_on = self.header.filled_on.value()
        except InputRejected:
            return  # the field says what is wrong; nothing is saved until it is a date
        leader = self.header.leader.text().strip()
        if (leader, filled_on) == (self.self_check.leader, self.self_check.filled_on):
            return
        command = SetHeaderCommand(self.ws, self.campaign.id, self.self_check, leader, filled_on)
        try:
            self.ws.execute(command)
        except QingqingError as exc:
            self.header.show_header(self.self_check, locked=self.locked)
            messages.show_error(self, exc)
            return
        for warning in command.warnings:
            self.status_message.emit(warning)

    # ---------------------------------------------------------------- findings

    def _people(self, keep_id: str | None = None) -> list[StaffMember]:
        """Who can be 责任人: the people in post, and whoever already is, whatever their status now."""
        people = [m for m in roster_service.list_staff(self.ws.session) if m.is_active or m.id == keep_id]
        return sorted(people, key=lambda m: sort_key(m.name))

    def _row_text(self, row: int) -> str:
        return f"第{row}行　{self.self_check.rows[row - 1].item}"

    def add_finding(self, row: int, list_key: str = "", item_index: int | None = None,
                    context: str = "") -> FindingDialog | None:
        if self.locked or self.campaign is None:
            return None
        dialog = FindingDialog(self.campaign, self._people(), self.ws.settings, row_text=self._row_text(row),
                               context=context, parent=self)

        def save():
            fields = dialog.fields()
            asked = dialog.confirm_warnings(fields)
            if asked is None:
                return False
            command = AddFindingCommand(self.ws, self.campaign.id, fields, row=None if list_key else row,
                                        list_key=list_key, item_index=item_index)
            self.ws.execute(command)
            self._tell_remaining(command.warnings, asked)
            if list_key:
                self.checklist.tick(list_key, item_index)
            self.status_message.emit(f"已在第{command.finding.row}行添加问题。如有误，可点“撤销”。")
            return True

        dialog.on_submit(save)
        dialog.open()
        return dialog

    def record_from_checklist(self, list_key: str, item_index: int, context: str) -> FindingDialog | None:
        return self.add_finding(row_for_list(list_key), list_key, item_index, context)

    def edit_finding(self, finding: Finding) -> FindingDialog | None:
        if self.locked:
            return None
        dialog = FindingDialog(self.campaign, self._people(finding.owner_id), self.ws.settings,
                               row_text=self._row_text(finding.row), finding=finding, parent=self)

        def save():
            fields = dialog.fields()
            asked = dialog.confirm_warnings(fields)
            if asked is None:
                return False
            if fields != FindingFields.of(finding):
                command = UpdateFindingCommand(self.ws, self.campaign.id, finding, fields)
                self.ws.execute(command)
                self._tell_remaining(command.warnings, asked)
            return True

        dialog.on_submit(save)
        dialog.open()
        return dialog

    def _tell_remaining(self, warnings, asked) -> None:
        """The service's questions that were not asked before saving (e.g. a 责任人 no longer in post)."""
        remaining = [w for w in warnings if w not in asked]
        if remaining:
            QMessageBox.information(self, "请留意", "\n".join(remaining))

    def delete_finding(self, finding: Finding) -> None:
        if self.locked:
            return
        if messages.confirm(self, "删除问题", f"删除第{finding.row}行的这条问题吗？\n\n{finding.problem}", "删除",
                            destructive=True):
            self.run(DeleteFindingCommand(self.ws, self.campaign.id, finding))

    def confirm_none(self, row: int, confirmed: bool) -> None:
        if not self.run(ConfirmNoneCommand(self.ws, self.campaign.id, row, confirmed)):
            self.load()  # put the box back as stored

    # ---------------------------------------------------------------- rectification

    def complete_rectification(self, finding: Finding) -> CompleteRectificationDialog:
        dialog = CompleteRectificationDialog(finding, self)
        dialog.on_submit(lambda: self.ws.execute(CompleteRectificationCommand(
            self.ws, self.campaign.id, finding, dialog.done_on.value(), dialog.note.text().strip()
        )))
        dialog.open()
        return dialog

    def reopen_rectification(self, finding: Finding) -> ReasonDialog:
        dialog = ReasonDialog("恢复整改中", f"将这条问题改回“整改中”：\n{finding.problem}\n\n请说明原因。", "原因",
                              "恢复整改中", placeholder="如：复查发现问题反弹", parent=self)
        dialog.on_submit(lambda: self.ws.execute(
            ReopenRectificationCommand(self.ws, self.campaign.id, finding, dialog.text())
        ))
        dialog.open()
        return dialog
