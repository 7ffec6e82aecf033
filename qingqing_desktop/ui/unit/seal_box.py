"""电子印章图像 on the 单位信息 page: what is printed in the seal area of 附件2 and 附件3."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import seal_service
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.file_dialogs import ask_open_file
from qingqing_desktop.ui.common.info_boxes import hint
from qingqing_desktop.ui.common.settings import LAST_IMPORT_DIR
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.unit.unit_commands import SealImageCommand

IMAGE_FILTER = "印章图片 (*.png *.jpg *.jpeg)"
PREVIEW_SIDE = 132  # about the 42 mm seal box of the printed page, at screen size


class SealBox(QGroupBox):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("电子印章图像", parent)
        self._ws = workspace
        self.preview = QLabel()
        self.preview.setObjectName("sealPreview")
        self.preview.setFixedSize(PREVIEW_SIDE, PREVIEW_SIDE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("选择图片…")
        self.choose_button.clicked.connect(self.choose)
        self.transparent = QCheckBox("去除白色背景（扫描件推荐）")
        self.transparent.setChecked(True)
        self.transparent.setToolTip("把纸张的白色变为透明，印章不会遮住下面的文字")
        self.delete_button = QPushButton("删除印章图像")
        self.delete_button.clicked.connect(self.delete)
        note = hint(
            "设置后，印章图像印在汇总表（附件2）和自查表（附件3）的盖章处。"
            "不设置时，打印件的盖章处留空，打印后加盖实物印章。"
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        controls = QVBoxLayout()
        controls.addWidget(self.file_label)
        controls.addWidget(self.transparent)
        controls.addLayout(buttons)
        controls.addWidget(note)
        controls.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        layout.addSpacing(8)
        layout.addLayout(controls, 1)
        self.refresh()

    def refresh(self) -> None:
        info = seal_service.seal_info(self._ws.session) if self._ws.unit() else None
        self.delete_button.setEnabled(info is not None)
        if info is None:
            self.preview.clear()
            self.preview.setText("（未设置）")
            self.file_label.setText("尚未设置电子印章图像。")
            return
        image, file_name = info
        pixmap = QPixmap()
        pixmap.loadFromData(image)
        ratio = self.devicePixelRatioF()
        side = int((PREVIEW_SIDE - 8) * ratio)
        scaled = pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.preview.setPixmap(scaled)
        self.file_label.setText(f"当前印章图像：{file_name}（{pixmap.width()}×{pixmap.height()} 像素）")

    def choose(self) -> None:
        path = ask_open_file(self, self._ws.settings, LAST_IMPORT_DIR, "选择电子印章图像（扫描件或照片）", IMAGE_FILTER)
        if path is not None:
            self._run(SealImageCommand(self._ws, Path(path), transparent_white=self.transparent.isChecked()))

    def delete(self) -> None:
        self._run(SealImageCommand(self._ws))

    def _run(self, command: SealImageCommand) -> None:
        try:
            self._ws.execute(command)
        except QingqingError as exc:
            messages.show_error(self, exc, "印章图像未更换")
