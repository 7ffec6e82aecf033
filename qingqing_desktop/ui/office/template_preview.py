"""预览附件: the three attachments printed from a template (being edited) with made-up data.

Rendering runs in the background (``document_service.render_template_preview``);
the dialog shows each PDF in the app's own preview (``ui.common.pdf_preview``), one
tab per attachment. Loaded only when asked for: it pulls in QtPdf and reportlab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabBar, QVBoxLayout, QWidget

from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.services import document_service
from qingqing_desktop.services.document_service import DocumentKind, RenderedDocument
from qingqing_desktop.ui.common.background import run_in_background
from qingqing_desktop.ui.common.pdf_preview import PdfPreview
from qingqing_desktop.ui.common.settings import Settings, remember_geometry

TAB_LABELS = {DocumentKind.PLEDGES: "附件1 承诺书", DocumentKind.SUMMARY: "附件2 汇总表", DocumentKind.SELFCHECK: "附件3 自查表"}


class TemplatePreviewDialog(QDialog):
    def __init__(self, template: PolicyTemplate, documents: list[RenderedDocument], settings: Settings,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"预览附件 — {template.name}")
        screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(900, screen.width() * 9 // 10), min(980, screen.height() * 9 // 10))  # a laptop too
        self.documents = documents
        note = QLabel("以下是按本模板打印出的样子，人员和问题都是示例数据（“示例单位”）。定稿前的材料带“草稿”水印。")
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.tabs = QTabBar()
        for document in documents:
            self.tabs.addTab(TAB_LABELS.get(document.kind, document.file_name))
        self.preview = PdfPreview(self)
        self.tabs.currentChanged.connect(self.show_document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tabs)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.show_document(0)
        remember_geometry(self, settings)

    def keyPressEvent(self, event) -> None:  # noqa: N802 — Qt's name
        """Ctrl+Tab / Ctrl+Shift+Tab go round the attachments, as round the tabs of a unit's detail: a
        QTabWidget takes them as they come up from the focused field; this bare tab bar over one shared
        preview did not. (A shortcut missed Ctrl+Shift+Tab under X11, which sends it as Backtab.)"""
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.tabs.count() > 1:
            back = event.key() == Qt.Key.Key_Backtab or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + (-1 if back else 1)) % self.tabs.count())
            event.accept()
            return
        super().keyPressEvent(event)

    def show_document(self, index: int) -> None:
        document = self.documents[index]
        self.preview.show_pdf(document.content, document.file_name.rsplit(".", 1)[0],
                              duplex=document.kind is DocumentKind.PLEDGES)


def show_template_preview(parent: QWidget, workspace, template: PolicyTemplate) -> None:
    """Render in the background, then open the preview (its window is a child of ``parent``)."""

    def shown(documents: list[RenderedDocument]) -> None:
        dialog = TemplatePreviewDialog(template, documents, workspace.settings, parent)
        parent.preview_dialog = dialog  # for tests and for the editor to close it with itself
        dialog.open()

    run_in_background(
        parent, "正在生成预览…",
        lambda control: document_service.render_template_preview(template, progress=control.progress), shown,
    )
