"""First start: set up the unit and the operator's name, optionally with sample people to try things on."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import sample_data, unit_service
from qingqing_desktop.ui import messages
from qingqing_desktop.ui.settings import OPERATOR_NAME
from qingqing_desktop.ui.unit_form import UnitForm
from qingqing_desktop.ui.workspace import Workspace

SAMPLE_CHECKBOX_TEXT = "载入示例数据（约30名虚构人员，界面中明确标注为示例，可随时一键删除）"


class FirstStartDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle("欢迎使用亲清填报")
        self.setMinimumWidth(560)

        # No word wrap: a wrapping label stops the dialog from growing when a field's message appears.
        welcome = QLabel(
            "<h3>第一步：填写本单位的基本信息</h3>"
            "<p>这些信息会出现在承诺书汇总表和自查表的表头上，以后可以在“单位信息”页随时修改。<br>"
            "标 * 的为必填项。</p>"
        )
        self.unit_form = UnitForm()
        self.operator = QLineEdit(workspace.settings.get(OPERATOR_NAME))
        self.operator.setPlaceholderText("您的姓名，记入每条修改记录")
        self.unit_form.form.add_field("operator", "经办人姓名：", self.operator)
        self.load_samples = QCheckBox(SAMPLE_CHECKBOX_TEXT)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("开始使用")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.unit_form.edited.connect(self._update_ok)
        self._update_ok()

        layout = QVBoxLayout(self)
        layout.addWidget(welcome)
        layout.addWidget(self.unit_form)
        layout.addSpacing(8)
        layout.addWidget(self.load_samples)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.unit_form.is_valid())

    def accept(self) -> None:
        session = self._ws.session
        operator = self.operator.text().strip()
        if operator:
            session.operator = operator
            self._ws.settings.set(OPERATOR_NAME, operator)
        try:
            unit_service.save_unit(session, **self.unit_form.fields())
            if self.load_samples.isChecked():
                sample_data.load_sample_data(session)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        super().accept()
