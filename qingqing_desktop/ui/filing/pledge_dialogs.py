"""Dialogs of the 承诺书签订 page: one date for several people, and one person's whole entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QWidget

from qingqing_desktop.domain.pledge import PledgeRow, PledgeStatus
from qingqing_desktop.ui.common.forms import DateField, FormDialog
from qingqing_desktop.ui.filing.filing_commands import PledgeEntry
from qingqing_desktop.ui.filing.pledge_model import required_tooltip

MAX_NAMES_SHOWN = 12


def names_line(names: Sequence[str]) -> str:
    shown = "、".join(names[:MAX_NAMES_SHOWN])
    return shown + (f" 等 {len(names)} 人" if len(names) > MAX_NAMES_SHOWN else "")


class SignDateDialog(FormDialog):
    """标记已签订: the people chosen and the one date they signed on (default today)."""

    def __init__(self, names: Sequence[str], parent: QWidget | None = None, *, skipped: str = ""):
        super().__init__("标记已签订", "登记已签订", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(420)
        self.people = QLabel(f"为以下 {len(names)} 人登记已签订承诺书：\n{names_line(names)}")
        self.people.setWordWrap(True)
        self.layout_.insertWidget(0, self.people)
        self.skipped = QLabel(skipped)  # who was selected but is not signed this way, and why
        self.skipped.setObjectName("hint")
        self.skipped.setWordWrap(True)
        self.skipped.setVisible(bool(skipped))
        self.layout_.insertWidget(1, self.skipped)
        self.date = DateField(field="签订日期")
        self.form.add_field("签订日期", "签订日期：", self.date)


_STATUS_CHOICES = (PledgeStatus.UNSIGNED, PledgeStatus.SIGNED, PledgeStatus.SUBMITTED_BEFORE, PledgeStatus.NOT_APPLICABLE)
_RULE, _REQUIRED, _NOT_REQUIRED = 0, 1, 2


class PledgeDialog(FormDialog):
    """One person's entry (Enter or double-click on a row): 签订状态 with date or reason, and 是否须签订."""

    def __init__(self, row: PledgeRow, parent: QWidget | None = None):
        super().__init__(f"承诺书签订：{row.name}", "保存", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(500)
        self._row = row
        entry = PledgeEntry.of(row)

        person = QLabel(f"<b>{row.name}</b>　{row.rank.value}　{row.post}")
        self.layout_.insertWidget(0, person)

        self.status_buttons = QButtonGroup(self)
        status_row = QWidget()
        status_layout = QHBoxLayout(status_row)
        status_layout.setContentsMargins(0, 0, 0, 0)
        for number, status in enumerate(_STATUS_CHOICES):
            button = QRadioButton(status.value)
            self.status_buttons.addButton(button, number)
            status_layout.addWidget(button)
        status_layout.addStretch(1)
        self.status_buttons.button(_STATUS_CHOICES.index(entry.status)).setChecked(True)
        self.date = DateField(entry.signed_on, field="签订日期")
        self.reason = QLineEdit(entry.reason)
        self.reason.setPlaceholderText("不适用须说明理由，如：长期病假；此前已上交可注明上交时间")

        self.required_buttons = QButtonGroup(self)
        required_row = QWidget()
        required_layout = QHBoxLayout(required_row)
        required_layout.setContentsMargins(0, 0, 0, 0)
        rule_text = f"按规则（{'须签订' if row.required_by_rule else '不须签订'}：{row.rule_reason}）"
        for number, text in ((_RULE, rule_text), (_REQUIRED, "须签订"), (_NOT_REQUIRED, "不须签订")):
            button = QRadioButton(text)
            self.required_buttons.addButton(button, number)
            required_layout.addWidget(button)
        required_layout.addStretch(1)
        choice = {None: _RULE, True: _REQUIRED, False: _NOT_REQUIRED}[entry.required]
        self.required_buttons.button(choice).setChecked(True)
        required_row.setToolTip(required_tooltip(row))
        self.required_reason = QLineEdit(entry.required_reason)
        self.required_reason.setPlaceholderText("不按规则认定时须说明理由")

        self.form.add_field("签订状态", "签订状态：", status_row)
        self.form.add_field("签订日期", "签订日期：", self.date)
        self.form.add_field("说明", "说明：", self.reason)
        self.form.add_field("是否须签订", "是否须签订：", required_row)
        self.form.add_field("人工认定理由", "认定理由：", self.required_reason)

        self.status_buttons.idToggled.connect(self._update_fields)
        self.required_buttons.idToggled.connect(self._update_fields)
        self._update_fields()

    def status(self) -> PledgeStatus:
        return _STATUS_CHOICES[self.status_buttons.checkedId()]

    def set_status(self, status: PledgeStatus) -> None:
        self.status_buttons.button(_STATUS_CHOICES.index(status)).setChecked(True)

    def _update_fields(self) -> None:
        status = self.status()
        self.date.setEnabled(status is PledgeStatus.SIGNED)
        if status is not PledgeStatus.SIGNED:
            self.form.rows["签订日期"].clear_message()  # no date is recorded now: a refusal of one is stale
        self.reason.setEnabled(status in (PledgeStatus.SUBMITTED_BEFORE, PledgeStatus.NOT_APPLICABLE))
        self.required_reason.setEnabled(self.required_buttons.checkedId() != _RULE)

    def entry(self) -> PledgeEntry:
        status = self.status()
        signed_on: dt.date | None = self.date.value() if status is PledgeStatus.SIGNED else None
        reason = self.reason.text().strip() if self.reason.isEnabled() else ""
        required = {_RULE: None, _REQUIRED: True, _NOT_REQUIRED: False}[self.required_buttons.checkedId()]
        required_reason = self.required_reason.text().strip() if required is not None else ""
        return PledgeEntry(status, signed_on, reason, required, required_reason)
