"""单位信息: the unit's fields, its seal image and signing key, the operator's name, the policy
template in force, where data lives."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout

from qingqing_desktop.domain.errors import InputRejected, QingqingError
from qingqing_desktop.services import campaign_service, template_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.info_boxes import DataLocationBox, KeysBox, OperatorBox, scrolling_column, selectable
from qingqing_desktop.ui.common.pages import Page
from qingqing_desktop.ui.unit.seal_box import SealBox
from qingqing_desktop.ui.unit.unit_commands import SaveUnitCommand, SetTemplateCommand, unit_fields
from qingqing_desktop.ui.unit.unit_form import UnitForm


class UnitPage(Page):
    title = "单位信息"
    icon_name = "unit"
    explanation = "这些信息印在汇总表和自查表的表头上。修改后请点“保存”（Ctrl+S）。"

    unsaved_changed = Signal(bool)  # the 单位基本信息 form differs from what is stored

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.unit_form = UnitForm()
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("保存单位基本信息（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        self.unit_form.edited.connect(self._update_save_button)
        unit_box = QGroupBox("单位基本信息")
        unit_layout = QVBoxLayout(unit_box)
        unit_layout.addWidget(self.unit_form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        unit_layout.addLayout(save_row)

        self.seal_box = SealBox(workspace)
        self.keys_box = KeysBox(workspace)
        operator_box = OperatorBox(workspace)
        self.operator = operator_box.operator

        self.template_combo = QComboBox()
        self.template_combo.activated.connect(self._choose_template)
        self.template_details = selectable()
        self.template_details.setObjectName("hint")
        self.template_details.setWordWrap(True)
        template_box = QGroupBox("政策依据（政策模板）")
        template_layout = QVBoxLayout(template_box)
        template_layout.addWidget(self.template_combo)
        template_layout.addWidget(self.template_details)

        boxes = [unit_box, self.seal_box, self.keys_box, operator_box, template_box, DataLocationBox(workspace)]
        self.body.addWidget(scrolling_column(boxes), 1)

        self._stored: dict | None = None
        self.ws.changed.connect(self._on_changed)
        self._show_unit()
        self._show_templates()

    def _on_changed(self, changes: Changes) -> None:
        if changes.unit:
            self._show_unit()
            self.seal_box.refresh()
        if changes.template:
            self._show_templates()
        if changes.filing:
            self.keys_box.refresh()  # a 任务包 pins the office's key

    def _show_unit(self) -> None:
        unit = self.ws.unit()
        stored = unit_fields(unit) if unit is not None else None
        typing = self.has_unsaved_changes() and self.unit_form.fields() != stored
        # What is stored, kept to compare against on every keystroke and at closing (no database read then).
        self._stored = stored
        if unit is not None and typing:  # a reload from elsewhere never throws away what is being typed
            self.unit_form.refresh_untouched(unit)
        elif unit is not None:
            self.unit_form.set_unit(unit)
        self._update_save_button()

    def has_unsaved_changes(self) -> bool:
        return self._stored is not None and self.unit_form.fields() != self._stored

    def _update_save_button(self) -> None:
        changed = self._stored is None or self.unit_form.fields() != self._stored
        self.save_button.setEnabled(changed and self.unit_form.is_valid())
        self.unsaved_changed.emit(self.has_unsaved_changes())

    def save(self) -> bool:
        """Save the form; False (with the reason shown) when it cannot be saved as it is."""
        problems = self.unit_form.problems()
        if problems:
            self.unit_form.form.show_problems(problems)
            messages.show_error(self, InputRejected(next(iter(problems.values()))), "单位信息未保存")
            return False
        try:
            self.ws.execute(SaveUnitCommand(self.ws, self.ws.unit(), self.unit_form.fields()))
        except QingqingError as exc:
            messages.show_error(self, exc)
            return False
        return True

    def discard_changes(self) -> None:
        """放弃修改: back to what is stored, typed fields too (``_show_unit`` keeps what is being typed)."""
        unit = self.ws.unit()
        if unit is not None:
            self.unit_form.set_unit(unit)
        self._update_save_button()

    def settle_unsaved(self) -> bool:
        """Before leaving the page or closing: ask 保存 / 放弃修改 / 取消 when the form was edited.
        True when it is fine to go on."""
        if not self.has_unsaved_changes():
            return True
        answer = messages.ask_unsaved(self, "单位信息尚未保存", "单位基本信息已修改但还没有保存。要保存这些修改吗？")
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard_changes()
            return True
        return False

    def _show_templates(self) -> None:
        active = self.ws.template()
        self.template_combo.clear()
        for template in template_service.available_templates(self.ws.session):
            self.template_combo.addItem(template.name, template)
            if template.id == active.id:
                self.template_combo.setCurrentIndex(self.template_combo.count() - 1)
        lists = "、".join(policy_list.title for policy_list in active.lists)
        details = f"{active.issuer}　{active.document_number}\n共 {len(active.lists)} 张清单：{lists}"
        # A campaign keeps the copy of the template it was created with; choosing here would change
        # nothing, so the choice gives way to plain information about the campaign's template.
        campaign = campaign_service.current_campaign(self.ws.session)
        self.template_combo.setEnabled(campaign is None)
        self.template_combo.setVisible(campaign is None)
        if campaign is not None:
            details = (
                f"{active.name}\n{details}\n当前行动{campaign.quoted_title}使用创建该行动时选定的模板，不能在此更改；"
                "新建行动时可以选择其他模板。"
            )
        self.template_details.setText(details)

    def _choose_template(self) -> None:
        chosen = self.template_combo.currentData()
        active = self.ws.template()
        if chosen.id == active.id:
            return
        try:
            self.ws.execute(SetTemplateCommand(self.ws, active.id, chosen.id, chosen.name))
        except QingqingError as exc:
            messages.show_error(self, exc)
            self._show_templates()
