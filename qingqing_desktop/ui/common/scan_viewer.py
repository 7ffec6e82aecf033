"""查看扫描件: a scanned or photographed signed page, as an image fitted to the window or as a PDF."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from qingqing_desktop.domain.pledge import PledgeScan
from qingqing_desktop.ui.backup_dialog import format_size
from qingqing_desktop.ui.common.settings import Settings, remember_geometry

SURROUND = 10  # pixels of grey around the page


class ScaledImage(QLabel):
    """An image that always fits the space it has, keeping its proportions (a phone photo is huge)."""

    def __init__(self, pixmap: QPixmap, parent: QWidget | None = None):
        super().__init__(parent)
        self._pixmap = pixmap
        self.setObjectName("scanImage")  # a grey surround, so a white page stands out
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def sizeHint(self) -> QSize:
        return self._pixmap.size().scaled(QSize(900, 1000), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        room = self.size() - QSize(2 * SURROUND, 2 * SURROUND)
        self.setPixmap(self._pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


class ScanViewer(QDialog):
    def __init__(self, name: str, scan: PledgeScan, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"{name}的承诺书扫描件")
        self.resize(760, 880)
        self.info = QLabel(f"{scan.file_name}　{format_size(scan.size)}")
        self.info.setObjectName("hint")
        self.view = self._pdf_view(scan) if scan.mime == "application/pdf" else self._image_view(scan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        remember_geometry(self, settings)

    def _image_view(self, scan: PledgeScan) -> QWidget:
        pixmap = QPixmap()
        if not pixmap.loadFromData(scan.data):
            return QLabel("无法显示这张图片（文件可能已损坏）。")
        self.image = ScaledImage(pixmap)
        return self.image

    def _pdf_view(self, scan: PledgeScan) -> QWidget:
        # QPdfDocument reads from the device while pages are shown: the buffer lives as long as the dialog.
        self._pdf_bytes = QByteArray(scan.data)
        self._pdf_buffer = QBuffer(self._pdf_bytes, self)
        self._pdf_buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._pdf_buffer)
        if self.document.status() is QPdfDocument.Status.Error:
            return QLabel("无法显示这个 PDF 文件（文件可能已损坏）。")
        view = QPdfView()
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        return view
