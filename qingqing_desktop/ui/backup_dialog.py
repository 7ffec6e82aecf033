"""备份与恢复: the backups there are, a backup now, and a restore from any of them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import backup_service
from qingqing_desktop.services.backup_service import BackupInfo
from qingqing_desktop.store.locations import backups_dir
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.workspace import Workspace


def format_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def format_time(info: BackupInfo) -> str:
    t = info.taken_at
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"


class BackupDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened per use
        self._ws = workspace
        self.setWindowTitle("备份与恢复")
        self.resize(620, 440)

        explanation = QLabel(
            "程序会在导入前、恢复前和有修改时每隔一段时间自动备份。"
            "误操作或数据出错时，可选中一份备份，点“从备份恢复”。恢复前会先把当前数据再备份一次。"
        )
        explanation.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["备份时间", "类型", "大小"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(self.restore_selected)

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("从备份恢复…")
        self.restore_button.clicked.connect(self.restore_selected)
        open_folder = QPushButton("打开备份文件夹")
        open_folder.clicked.connect(lambda: messages.open_folder_window(self, backups_dir()))
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, open_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.refresh()
        remember_geometry(self, workspace.settings)

    def refresh(self) -> None:
        self.tree.clear()
        for info in backup_service.list_backups():
            item = QTreeWidgetItem([format_time(info), info.reason_label, format_size(info.size)])
            item.setData(0, Qt.ItemDataRole.UserRole, info)
            item.setToolTip(0, str(info.path))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def back_up_now(self) -> None:
        try:
            self._ws.backup("manual")
        except QingqingError as exc:
            messages.show_error(self, exc, "备份未完成")
            return
        self.refresh()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        question = (
            f"用 {format_time(info)} 的备份（{info.reason_label}）替换当前的全部数据吗？\n\n"
            "恢复前会先自动备份当前数据，如有需要还可以再恢复回来。"
        )
        if not messages.confirm(self, "从备份恢复", question, "恢复", destructive=True):
            return
        try:
            safety = self._ws.restore(info.path)
        except QingqingError as exc:
            messages.show_error(self, exc, "恢复未完成")
            return
        self.refresh()
        QMessageBox.information(self, "恢复完成", f"数据已恢复到 {format_time(info)} 的状态。\n\n恢复前的数据已备份到：\n{safety}")
