"""纪委信息: the office's name (printed on its 任务包 and 退回文件), its signing key, the operator, the data."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import office_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.info_boxes import DataLocationBox, KeysBox, OperatorBox, hint, scrolling_column
from qingqing_desktop.ui.common.pages import Page
from qingqing_desktop.ui.office.office_commands import RenameOfficeCommand


class OfficePage(Page):
    title = "纪委信息"
    icon_name = "office"
    explanation = "本机用于局机关纪委（监察室）汇总各单位的报送。名称印在任务包、退回文件和汇总材料上。"

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.saved_name = ""
        self.name = QLineEdit()
        self.name.textChanged.connect(self._update_save_button)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.save_button)
        name_box = QGroupBox("纪委（监察室）")
        form = QFormLayout(name_box)
        form.addRow("名称：", name_row)
        form.addRow("", hint("如：局机关纪委（监察室）。已发出的任务包上的名称不会改变。"))
        self.keys_box = KeysBox(workspace)
        boxes = [name_box, self.keys_box, OperatorBox(workspace), DataLocationBox(workspace)]
        self.body.addWidget(scrolling_column(boxes), 1)
        self.ws.changed.connect(self._on_changed)
        self._show_name()

    def _on_changed(self, changes: Changes) -> None:
        if changes.unit:
            self._show_name()

    def _show_name(self) -> None:
        self.saved_name = office_service.office_info(self.ws.session).name
        self.name.setText(self.saved_name)
        self._update_save_button()

    def _update_save_button(self) -> None:
        typed = self.name.text().strip()
        self.save_button.setEnabled(bool(typed) and typed != self.saved_name)

    def save(self) -> None:
        try:
            self.ws.execute(RenameOfficeCommand(self.ws, self.saved_name, self.name.text()))
        except QingqingError as exc:
            messages.show_error(self, exc)
