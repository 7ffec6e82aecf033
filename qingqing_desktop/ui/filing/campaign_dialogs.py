"""行动 (campaign): 新建行动, 修改行动信息 and 切换行动."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.services import campaign_service, template_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import DateField, FormDialog
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.filing.filing_commands import CampaignFields, UpdateCampaignCommand

# Switching campaigns changes the template in force as well as everything the filing pages show.
CAMPAIGN_SWITCHED = Changes(template=True, filing=True)
DEFAULT_WEEKS_TO_DEADLINE = 2  # for a template that names no deadline


def default_deadline(template: PolicyTemplate, today: dt.date) -> dt.date:
    if template.default_deadline:
        return dt.date.fromisoformat(template.default_deadline)
    return today + dt.timedelta(weeks=DEFAULT_WEEKS_TO_DEADLINE)


def template_label(info: template_service.TemplateInfo) -> str:
    """A template as the choice names it; the office's own say so, with their version (names may repeat)."""
    if not info.editable:
        return info.template.name
    return f"{info.template.name}（{info.origin}，第{info.template.version}版）"


class CampaignDialog(FormDialog):
    """新建行动 (``campaign`` None: template, title, 文号, deadline, recipient from the template)
    or 修改行动信息 (the template is fixed; a reason may be given)."""

    def __init__(self, workspace: Workspace, campaign: Campaign | None, template_id: str = DEFAULT_TEMPLATE_ID,
                 parent: QWidget | None = None):
        new = campaign is None
        super().__init__("新建行动" if new else "修改行动信息", "新建行动" if new else "保存", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(560)
        self._ws = workspace
        self._campaign = campaign
        self._today = dt.date.today()
        infos = template_service.list_templates(workspace.session)
        self._templates = [info.template for info in infos]
        self._touched: set[str] = set()

        intro = QLabel(
            "收到上级“三清单一承诺”行动的通知后，在这里登记这一次行动（批次）：选择对应的政策模板，"
            "核对文号、截止日期和报送对象。" if new else "截止日期延后或文号有误时，在这里更正；政策模板不能更改。"
        )
        if new and not workspace.is_office():
            # The walk-through's surprise: a campaign made here could not be delivered, and nothing said so.
            self.delivery_note = QLabel(
                "注意：在这里新建的行动可以填报和打印，但要等导入纪委（监察室）发来的任务包后才能生成报送包。"
                "导入任务包时选择“采用本机的行动”，已登记的承诺书和自查表都会保留。"
                "如已收到任务包，请改用“报送 → 导入任务包…”。"
            )
            self.delivery_note.setObjectName("hint")
            self.delivery_note.setWordWrap(True)
            self.layout_.insertWidget(0, self.delivery_note)
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)

        self.template = QComboBox()
        for info in infos:
            self.template.addItem(template_label(info))
        self.title = QLineEdit()
        self.document_number = QLineEdit()
        self.document_number.setPlaceholderText("如：平住建发〔2019〕27号（没有可不填）")
        self.deadline = DateField(field="截止日期")
        self.deadline_hint = QLabel()
        self.deadline_hint.setObjectName("hint")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("如：局机关纪委（监察室）")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：上级通知截止日期延后（可不填）")

        if new:
            self.form.add_field("政策模板", "政策模板：", self.template)
        else:
            self.form.add_field("政策模板", "政策模板：", QLabel(campaign.template.name))
        self.form.add_field("行动名称", "行动名称 *：", self.title)
        self.form.add_field("文号", "文号：", self.document_number)
        self.form.add_field("截止日期", "截止日期 *：", self.deadline)
        self.form.addRow("", self.deadline_hint)
        self.form.add_field("报送对象", "报送对象 *：", self.recipient)
        if not new:
            self.form.add_field("原因", "修改原因：", self.reason)

        for key, edit in (("title", self.title), ("document_number", self.document_number),
                          ("recipient", self.recipient)):
            edit.textEdited.connect(lambda _text, key=key: self._touched.add(key))
        self.deadline.value_changed.connect(self._show_deadline_hint)
        self.deadline.problem_changed.connect(self._show_deadline_hint)
        if new:
            self.template.setCurrentIndex(self._template_index(template_id))
            self.template.currentIndexChanged.connect(self._fill_from_template)
            self._fill_from_template()
        else:
            self._show(CampaignFields.of(campaign))
        self.on_submit(self._create if new else self._save)

    def _template_index(self, template_id: str) -> int:
        ids = [t.id for t in self._templates]
        return ids.index(template_id) if template_id in ids else 0

    def chosen_template(self) -> PolicyTemplate:
        return self._templates[self.template.currentIndex()]

    def _fill_from_template(self) -> None:
        """The template's own title, 文号 and recipient, except where the user has typed already."""
        template = self.chosen_template()
        defaults = {"title": template.name, "document_number": template.document_number,
                    "recipient": template.recipient}
        for key, edit in (("title", self.title), ("document_number", self.document_number),
                          ("recipient", self.recipient)):
            if key not in self._touched:
                edit.setText(defaults[key])
        self.deadline.set_value(default_deadline(template, self._today))
        self._show_deadline_hint()

    def _show(self, fields: CampaignFields) -> None:
        self.title.setText(fields.title)
        self.document_number.setText(fields.document_number)
        self.deadline.set_value(fields.deadline)
        self.recipient.setText(fields.recipient)
        self._show_deadline_hint()

    def _show_deadline_hint(self) -> None:
        if self.deadline.problem():  # the field says what is wrong; a count of days would be for another date
            self.deadline_hint.setText("")
            return
        days = (self.deadline.value() - self._today).days
        if days < 0:
            text = f"这个日期已经过去 {-days} 天；如果是补填以前的行动可以不改，否则请按通知改为实际截止日期。"
        elif days == 0:
            text = "今天截止。"
        else:
            text = f"距今 {days} 天。"
        self.deadline_hint.setText(text)

    def fields(self) -> CampaignFields:
        return CampaignFields(self.title.text(), self.document_number.text(), self.deadline.value(),
                              self.recipient.text())

    def _create(self) -> None:
        fields = self.fields()
        campaign_service.create_campaign(
            self._ws.session, template_id=self.chosen_template().id, title=fields.title,
            document_number=fields.document_number, deadline=fields.deadline, recipient=fields.recipient,
        )
        self._ws.notify(CAMPAIGN_SWITCHED)

    def _save(self) -> None:
        if self.fields() != CampaignFields.of(self._campaign):
            self._ws.execute(UpdateCampaignCommand(self._ws, self._campaign, self.fields(), self.reason.text().strip()))


class SwitchCampaignDialog(QDialog):
    """切换行动: every campaign, the latest deadline first; the current one is selected."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("切换行动")
        self.resize(560, 360)
        self._ws = workspace
        self._campaigns = campaign_service.list_campaigns(workspace.session)
        current = workspace.campaign()
        self.list = QListWidget()
        self.list.setObjectName("campaignList")
        for campaign in self._campaigns:
            status = workspace.filing_status(campaign)
            number = f"　{campaign.document_number}" if campaign.document_number else ""
            text = f"{campaign.title}\n截止 {chinese_date(campaign.deadline)}{number}　{status.label}"
            QListWidgetItem(text, self.list)
            if current is not None and campaign.id == current.id:
                self.list.setCurrentRow(self.list.count() - 1)
        self.list.itemActivated.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.switch_button = buttons.addButton("切换到此行动", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("选择要填报的行动（批次）："))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> Campaign | None:
        row = self.list.currentRow()
        return self._campaigns[row] if row >= 0 else None

    def accept(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            try:
                campaign_service.use_campaign(self._ws.session, chosen.id)
            except QingqingError as exc:
                messages.show_error(self, exc)
                return
            self._ws.notify(CAMPAIGN_SWITCHED)
        super().accept()


def new_campaign(workspace: Workspace, parent: QWidget, template_id: str = DEFAULT_TEMPLATE_ID) -> CampaignDialog:
    dialog = CampaignDialog(workspace, None, template_id, parent)
    dialog.open()
    return dialog


def edit_campaign(workspace: Workspace, parent: QWidget) -> CampaignDialog | None:
    campaign = workspace.campaign()
    if campaign is None:
        return None
    dialog = CampaignDialog(workspace, campaign, parent=parent)
    dialog.open()
    return dialog


def switch_campaign(workspace: Workspace, parent: QWidget) -> SwitchCampaignDialog:
    dialog = SwitchCampaignDialog(workspace, parent)
    dialog.open()
    return dialog
