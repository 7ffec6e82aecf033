"""The files a unit delivered (its stamped 附件2 and 附件3 as PDF and Excel, the scans of signed
pages): a list on the left, the selected one shown on the right, 另存为 for any of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSaveFile, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import office_service
from qingqing_desktop.services.office_service import UnitDetail
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.file_dialogs import ALL_FILES, ask_save_file
from qingqing_desktop.ui.common.pdf_preview import PdfPreview
from qingqing_desktop.ui.common.scan_viewer import ScaledImage
from qingqing_desktop.ui.common.settings import LAST_EXPORT_DIR
from qingqing_desktop.ui.common.workspace import Workspace

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
PLACEHOLDER = "选择左侧的文件查看。"


@dataclass(frozen=True)
class DeliveredFile:
    label: str  # what the list says
    member: str  # the name inside the delivery
    file_name: str  # what 另存为 suggests


_FORMATS = {".pdf": "PDF", ".xlsx": "Excel"}


def document_label(member: str) -> str:
    """Two short lines instead of a long file name: “附件2（PDF）” over the document's title.

    Generated documents are named 附件2_<title>_<unit>_<year>.pdf (document_service); the unit
    and year say nothing new here. Any other name is shown as it is.
    """
    path = Path(member)
    parts = path.stem.split("_")
    if len(parts) >= 3 and path.suffix.lower() in _FORMATS:
        return f"{parts[0]}（{_FORMATS[path.suffix.lower()]}）\n{parts[1]}"
    return path.name


def delivered_files(detail: UnitDetail) -> list[DeliveredFile]:
    """The documents first (PDFs before Excel, as the service orders them), then each scan by the person's name."""
    files = [DeliveredFile(document_label(name), name, Path(name).name) for name in detail.documents]
    names = {row.staff_id: row.name for row in detail.pledges}
    for staff_id, member in sorted(detail.scans.items(), key=lambda item: names.get(item[0], "")):
        name = names.get(staff_id, "")
        files.append(DeliveredFile(f"签字页扫描件\n{name or '（已不在名单中）'}", member,
                                   f"{detail.unit.name}_{name}_签字页{Path(member).suffix}"))
    return files


def save_bytes(path: Path, data: bytes) -> None:
    """All or nothing, as every output of the application (QSaveFile renames into place on commit)."""
    out = QSaveFile(str(path))
    if not out.open(QSaveFile.OpenModeFlag.WriteOnly) or out.write(data) != len(data) or not out.commit():
        raise OSError(0, out.errorString(), str(path))


class DeliveredDocuments(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._delivery_id: str | None = None
        self._files: list[DeliveredFile] = []
        self.list = QListWidget()
        self.list.setObjectName("documentList")
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._show)
        self.save_button = QPushButton("另存为…")
        self.save_button.setToolTip("把选中的文件保存一份到本机或U盘，例如用 Excel 打开汇总表")
        self.save_button.clicked.connect(self.save_selected)
        self.preview = PdfPreview(placeholder=PLACEHOLDER)
        self.image_holder = QWidget()
        self._image_layout = QVBoxLayout(self.image_holder)
        self._image_layout.setContentsMargins(0, 0, 0, 0)
        self.views = QStackedWidget()
        self.views.addWidget(self.preview)
        self.views.addWidget(self.image_holder)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("本次报送的文件："))
        left_layout.addWidget(self.list, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        left_layout.addLayout(save_row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 740])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def load(self, detail: UnitDetail) -> None:
        self._delivery_id = detail.current.id if detail.current else None
        self._files = delivered_files(detail) if detail.current else []
        self.list.blockSignals(True)
        self.list.clear()
        for chosen in self._files:
            item = QListWidgetItem(chosen.label, self.list)
            item.setToolTip(chosen.file_name)
        self.list.blockSignals(False)
        self.save_button.setEnabled(bool(self._files))
        if self._files:
            self.list.setCurrentRow(0)
        else:
            self.views.setCurrentWidget(self.preview)
            self.preview.clear("该单位尚未报送，没有文件。" if detail.current is None else "这次报送没有附带文件。")

    def labels(self) -> list[str]:
        return [f.label for f in self._files]

    def selected(self) -> DeliveredFile | None:
        row = self.list.currentRow()
        return self._files[row] if 0 <= row < len(self._files) else None

    def _content(self, chosen: DeliveredFile) -> bytes:
        return office_service.delivery_document(self._ws.session, self._delivery_id, chosen.member)

    def _show(self, row: int) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        suffix = Path(chosen.member).suffix.lower()
        try:
            content = self._content(chosen)
            if suffix == ".pdf":
                self.views.setCurrentWidget(self.preview)
                self.preview.show_pdf(content, chosen.file_name)
            elif suffix in IMAGE_SUFFIXES:
                self._show_image(content)
            else:
                self.views.setCurrentWidget(self.preview)
                self.preview.clear(f"“{chosen.file_name}”是 Excel 文件，不能在此预览。\n点左下方“另存为…”保存后，用 Excel 打开。")
        except QingqingError as exc:
            self.views.setCurrentWidget(self.preview)
            self.preview.clear(str(exc))

    def _show_image(self, content: bytes) -> None:
        pixmap = QPixmap()
        while self._image_layout.count():
            self._image_layout.takeAt(0).widget().deleteLater()
        shown = ScaledImage(pixmap) if pixmap.loadFromData(content) else QLabel("无法显示这张图片（文件可能已损坏）。")
        self._image_layout.addWidget(shown)
        self.views.setCurrentWidget(self.image_holder)

    def save_selected(self) -> Path | None:
        chosen = self.selected()
        if chosen is None:
            return None
        suffix = Path(chosen.file_name).suffix.lower()
        path = ask_save_file(self, self._ws.settings, LAST_EXPORT_DIR, "另存为", chosen.file_name,
                             f"{suffix[1:].upper()} 文件 (*{suffix});;{ALL_FILES}")
        if path is None:
            return None
        try:
            save_bytes(path, self._content(chosen))
        except (QingqingError, OSError) as exc:
            messages.show_error(self, exc, "未能保存")
            return None
        messages.file_saved(self, path)
        return path
