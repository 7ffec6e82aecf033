"""First start: what this computer is for — a unit's filing (the unit, optionally with sample people
to try things on) or the discipline office's collection (its name) — and the operator's name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import office_service, sample_data, unit_service
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import KeepsTypedInput, align_label_columns
from qingqing_desktop.ui.common.info_boxes import OPERATOR_LABEL, operator_field
from qingqing_desktop.ui.common.settings import OPERATOR_ASKED, OPERATOR_NAME
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.office_dialogs import DEFAULT_OFFICE_NAME
from qingqing_desktop.ui.unit.unit_form import UnitForm

SAMPLE_CHECKBOX_TEXT = "载入示例数据（约30名虚构人员，界面中明确标注为示例，可随时一键删除）"


class FirstStartDialog(KeepsTypedInput, QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle("欢迎使用亲清填报")
        self.setMinimumWidth(600)

        self.for_unit = QRadioButton("单位填报（科室、站、分局、所）")
        self.for_unit.setChecked(True)
        self.for_office = QRadioButton("纪委（监察室）汇总")
        self.purpose = QButtonGroup(self)
        self.purpose.addButton(self.for_unit)
        self.purpose.addButton(self.for_office)
        purpose = QGroupBox("本机用于")
        purpose_row = QHBoxLayout(purpose)
        purpose_row.setSpacing(24)
        purpose_row.addWidget(self.for_unit)
        purpose_row.addWidget(self.for_office)
        purpose_row.addStretch(1)

        self.sections = QStackedWidget()
        self.sections.addWidget(self._unit_section())
        self.sections.addWidget(self._office_section())

        self.operator = operator_field(workspace.settings.get(OPERATOR_NAME))
        operator_form = QFormLayout()
        operator_form.addRow(OPERATOR_LABEL, self.operator)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("开始使用")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.unit_form.edited.connect(self._update_ok)
        self.office_name.textChanged.connect(self._update_ok)
        self.for_office.toggled.connect(self._show_section)

        align_label_columns(self.unit_form.form, self._office_form, operator_form)
        layout = QVBoxLayout(self)
        layout.addWidget(purpose)
        layout.addWidget(self.sections)
        layout.addLayout(operator_form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update_ok()
        # Typing starts in 单位名称, the first thing to fill in (the radio buttons above it come first in Tab order).
        self.unit_form.edit("name").setFocus(Qt.FocusReason.OtherFocusReason)

    def _unit_section(self) -> QWidget:
        # No word wrap: a wrapping label stops the dialog from growing when a field's message appears.
        welcome = QLabel(
            "<h3>填写本单位的基本信息</h3>"
            "<p>这些信息会出现在承诺书汇总表和自查表的表头上，以后可以在“单位信息”页随时修改。<br>"
            "标 * 的为必填项。</p>"
        )
        self.unit_form = UnitForm()
        self.load_samples = QCheckBox(SAMPLE_CHECKBOX_TEXT)
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(welcome)
        layout.addWidget(self.unit_form)
        layout.addSpacing(8)
        layout.addWidget(self.load_samples)
        layout.addStretch(1)
        return section

    def _office_section(self) -> QWidget:
        welcome = QLabel(
            "<h3>纪委（监察室）汇总</h3>"
            "<p>本机用于局机关纪委（监察室）汇总各单位的填报。各单位填报用的电脑请选“单位填报”。</p>"
        )
        self.office_name = QLineEdit(DEFAULT_OFFICE_NAME)
        form = self._office_form = QFormLayout()
        form.addRow("本室名称 *：", self.office_name)
        # What comes next, in the room the unit's longer form leaves (the dialog keeps one size).
        steps = self.office_steps = QLabel(
            "<p>开始使用后：</p><ol style='margin-left: 0'>"
            "<li>新建行动（批次），导出任务包，拷贝给各单位；</li>"
            "<li>在“纪委 → 应报单位名单…”中列出应当报送的单位；</li>"
            "<li>各单位交来报送包后，在“报送情况”页导入，查看材料，退回修改或确认无误；</li>"
            "<li>导出全局汇总表，打印或报送。</li></ol>"
        )
        steps.setObjectName("hint")
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(welcome)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(steps)
        layout.addStretch(1)
        return section

    @property
    def office_chosen(self) -> bool:
        return self.for_office.isChecked()

    def _show_section(self) -> None:
        self.sections.setCurrentIndex(1 if self.office_chosen else 0)
        self._update_ok()

    def _update_ok(self) -> None:
        # The unit's form says what is missing when 开始使用 (or Return) comes too early; a button that
        # only greyed out left the clerk guessing which field it waited for.
        self.ok_button.setEnabled(bool(self.office_name.text().strip()) if self.office_chosen else True)

    def accept(self) -> None:
        if not self.office_chosen and not self.unit_form.show_every_problem():
            return
        session = self._ws.session
        operator = self.operator.text().strip()
        if operator:
            self._ws.set_operator(operator)
        try:
            if self.office_chosen:
                office_service.enable_office_mode(session, self.office_name.text())
            else:
                unit_service.save_unit(session, **self.unit_form.fields())
                if self.load_samples.isChecked():
                    sample_data.load_sample_data(session)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        self._ws.settings.set(OPERATOR_ASKED, True)  # asked here: not again over the window (ask_operator_once)
        super().accept()
