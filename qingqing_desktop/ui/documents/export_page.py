"""导出与打印: the current campaign's documents, each with 预览 / 打印… / 另存为…, and a preview beside them.

The list reads the filing the way the documents print it (``filing_document_data``),
which is cheap; rendering is not (1,000 pledge letters take seconds), so every PDF
is rendered in the background and kept until the filing changes, when both the
kept PDFs and the preview are dropped: a stamped printout must match the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.documents.filing_data import FilingDocumentData
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.filing import FilingStatus
from qingqing_desktop.services import document_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.document_service import ALL_DOCUMENTS, DOCUMENT_LABELS, FORMATS, DocumentKind
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import run_in_background
from qingqing_desktop.ui.common.pdf_preview import PdfPreview, print_pdf
from qingqing_desktop.ui.common.resources import set_style_property
from qingqing_desktop.ui.common.settings import EXPORT_SPLITTER, LAST_EXPORT_DIR
from qingqing_desktop.ui.filing.filing_page import FilingPage
from qingqing_desktop.ui.common.pages import PageScroll

FILE_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "xlsx": "Excel 工作簿 (*.xlsx)"}
FORMAT_CHOICES = {"pdf": "PDF 文件（打印、盖章）…", "xlsx": "Excel 工作簿（电子报送）…"}
PREVIEW_HINT = "选择左侧的一份文件，点“预览”，在这里逐页核对后再打印。"
CHANGED_HINT = "填报内容已修改，刚才的预览已不是最新的。请重新点“预览”。"


@dataclass(frozen=True)
class DocumentEntry:
    """One line of the list: what the document is and what is cheap to know about it."""

    kind: DocumentKind
    title: str  # 附件1 承诺书
    full_title: str  # the template's own title, for the tooltip
    detail: str
    stamped: bool  # carries the filing's state (草稿 watermark, revision); the blank form does not
    letters: int = 0  # 附件1: how many letters
    outstanding: int = 0  # 附件1: of the letters, those still to be signed (the rest are reprints)

    @property
    def offers_outstanding_only(self) -> bool:
        """附件1 once some have signed: the letters still to hand out can be printed on their own."""
        return 0 < self.outstanding < self.letters

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS[self.kind]


def document_entries(data: FilingDocumentData) -> list[DocumentEntry]:
    template = data.template
    letters = len(data.letter_entries())
    outstanding = len(data.letter_entries(outstanding_only=True))
    signed = len(data.summary_entries())
    findings = sum(len(section.findings) for section in data.self_check)
    unfilled = [str(n) for n, s in enumerate(data.self_check, 1) if not s.findings and not s.none_confirmed]
    letters_text = f"逐人一份，共 {letters} 份" if letters else "暂无需要签订的人员（将打印一份空白承诺书）"
    selfcheck_text = f"登记问题 {findings} 条" + (f"，第{'、'.join(unfilled)}行尚未填写" if unfilled else "")

    def entry(kind: DocumentKind, label: str, full_title: str, detail: str, stamped: bool = True,
              **counts: int) -> DocumentEntry:
        return DocumentEntry(kind, f"{label} {DOCUMENT_LABELS[kind]}", f"{label} {full_title}", detail, stamped,
                             **counts)

    pledge_label = template.pledge_attachment_label
    return [
        # Letters are signed by hand while the filing is still a draft, so they never carry the watermark.
        entry(DocumentKind.PLEDGES, pledge_label, template.pledge.title,
              f"{letters_text}\n双面打印安全：每份都从新的一张纸开始", stamped=False,
              letters=letters, outstanding=outstanding),
        entry(DocumentKind.BLANK_PLEDGE, pledge_label, template.pledge.title,
              "一页，供手工填写单位、职务并签名", stamped=False),
        entry(DocumentKind.SUMMARY, template.summary_table.attachment_label, template.summary_table.title,
              f"已签订 {signed} 人\n纸质盖章报送；Excel 文件用于电子报送"),
        entry(DocumentKind.SELFCHECK, template.self_check.attachment_label, template.self_check.title,
              f"{selfcheck_text}\n纸质盖章报送"),
    ]


def state_text(status: FilingStatus, entry: DocumentEntry) -> str:
    """Short enough for the card: the revision of a draft is in the strip above the list."""
    if not entry.stamped:
        return "无水印"
    return status.label if status.locked else "草稿 · 带水印"


class DocumentCard(QGroupBox):
    """A document with its state and its three buttons; the page does the work."""

    preview_requested = Signal()
    print_requested = Signal()
    save_requested = Signal(str)  # "pdf" or "xlsx"
    choice_changed = Signal()  # 只打印尚未签订的人 was ticked or cleared

    def __init__(self, kind: DocumentKind, parent: QWidget | None = None):
        super().__init__(DOCUMENT_LABELS[kind], parent)  # show_entry gives the full title
        self.setObjectName("documentCard")
        self.detail = QLabel()
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("filingState")  # the same chip as in the campaign header
        self.pages = QLabel()
        self.pages.setObjectName("hint")
        self.preview_button = QPushButton("预览")
        self.preview_button.clicked.connect(self.preview_requested)
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_requested)
        self.save_button = QPushButton("另存为…")
        formats = FORMATS[kind]
        if len(formats) == 1:
            self.save_button.clicked.connect(lambda: self.save_requested.emit(formats[0]))
        else:
            # Two forms of one document (附件2: stamped paper and the Excel file): say which is which.
            menu = QMenu(self.save_button)
            for fmt in formats:
                menu.addAction(FORMAT_CHOICES[fmt], partial(self.save_requested.emit, fmt))
            self.save_button.setMenu(menu)

        # 附件1 after a first round of signing: the letters still to hand out, not a reprint of everyone's.
        self.outstanding_only = QCheckBox()
        self.outstanding_only.toggled.connect(self.choice_changed)
        self.outstanding_only.hide()

        about = QHBoxLayout()
        about.setSpacing(10)
        about.addWidget(self.detail, 1)
        about.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(about)
        layout.addWidget(self.outstanding_only)
        layout.addLayout(buttons)

    def show_entry(self, entry: DocumentEntry, status: FilingStatus) -> None:
        self.setTitle(entry.title)
        self.setToolTip(entry.full_title)
        self.detail.setText(entry.detail)
        self.state.setText(state_text(status, entry))
        set_style_property(self.state, "state", "locked" if status.locked and entry.stamped else "draft")
        offered = entry.offers_outstanding_only
        self.outstanding_only.setText(f"只打印尚未签订的 {entry.outstanding} 人")
        if not offered:
            self.outstanding_only.setChecked(False)
        self.outstanding_only.setVisible(offered)

    def set_page_count(self, count: int) -> None:
        """Known once the document has been rendered; 0 forgets it."""
        self.pages.setText(f"共 {count} 页" if count else "")


class ExportPage(FilingPage):
    title = "导出与打印"
    icon_name = "export"
    explanation = (
        "本次行动要报送的材料。先“预览”逐页核对，再打印、由单位盖章；汇总表另存为 Excel 文件用于电子报送。"
    )
    locked_note = "现在打印的就是正式报送的材料。"

    status_message = Signal(str)

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self._data: FilingDocumentData | None = None
        self._rendered: dict[DocumentKind, bytes] = {}  # PDFs of the data as it is now
        self._previewed: DocumentKind | None = None

        self.state_note = QLabel()
        self.state_note.setObjectName("hint")
        self.state_note.setWordWrap(True)
        # Which face stood in for 仿宋 / 小标宋 on this computer: said once, after the first
        # document was made (the fonts are chosen then), and kept in view.
        self.font_note = QLabel()
        self.font_note.setObjectName("fontNote")
        self.font_note.setWordWrap(True)
        self.font_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.font_note.hide()
        self.export_all_button = QPushButton("全部导出到文件夹…")
        self.export_all_button.setObjectName("primary")
        self.export_all_button.setToolTip("把三个附件的 PDF 和 Excel 文件一次保存到一个文件夹")
        self.export_all_button.clicked.connect(self.export_all)

        self.cards: dict[DocumentKind, DocumentCard] = {}
        self.card_column = self._card_column()
        self.preview = PdfPreview(placeholder=PREVIEW_HINT)
        self.preview.loaded.connect(self._show_page_count)
        self.preview.printed.connect(self._report_printed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.card_column)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 640])
        saved = workspace.settings.get(EXPORT_SPLITTER)
        if not saved.isEmpty():
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda: workspace.settings.set(EXPORT_SPLITTER, self.splitter.saveState()))

        strip = QHBoxLayout()
        strip.setSpacing(10)
        strip.addWidget(self.state_note, 1)
        strip.addWidget(self.export_all_button)
        self.content_layout.addLayout(strip)
        self.content_layout.addWidget(self.font_note)
        self.content_layout.addWidget(self.splitter, 1)
        self.refresh()

    def _card_column(self) -> QScrollArea:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(8)  # four cards and 附件1's choice fit a 1366×768 screen
        for kind in DocumentKind:
            card = DocumentCard(kind)
            card.preview_requested.connect(partial(self.preview_document, kind))
            card.print_requested.connect(partial(self.print_document, kind))
            card.save_requested.connect(partial(self.save_as, kind))
            card.choice_changed.connect(partial(self._choice_changed, kind))
            self.cards[kind] = card
            layout.addWidget(card)
        layout.addStretch(1)
        return PageScroll(column, fit_width=True)  # never narrower than a card's buttons

    # ---------------------------------------------------------------- loading

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()  # changes made while another page was shown

    def _on_changed(self, changes: Changes) -> None:
        # Reading the filing is cheap but not free with a large roster: a hidden page waits for showEvent.
        if self.isVisible():
            super()._on_changed(changes)

    def load(self) -> None:
        try:
            data = document_service.filing_document_data(self.ws.session, campaign_id=self.campaign.id,
                                                         with_key=False)
        except QingqingError as exc:
            data = None
            self.state_note.setText(messages.error_text(exc))
        if data != self._data:
            self._forget_rendered()
        self._data = data
        for widget in (self.card_column, self.export_all_button):
            widget.setEnabled(data is not None)
        if data is not None:
            self._show_state(data, self.status)

    def _ready(self) -> bool:
        """Re-read the filing, since what is printed must be the data as it is now; False if there is none."""
        self.refresh()
        return self.campaign is not None and self._data is not None

    def _forget_rendered(self) -> None:
        had_preview = bool(self.preview.content)
        self._rendered.clear()
        self._previewed = None
        for card in self.cards.values():
            card.set_page_count(0)
        self.preview.clear(CHANGED_HINT if had_preview else PREVIEW_HINT)

    def _show_state(self, data: FilingDocumentData, status: FilingStatus) -> None:
        if status.locked:
            note = f"打印件印有版次（第{status.revision}版）和内容校验码 {status.short_hash}，盖章后与电子文件一一对应。"
        else:
            note = f"本次报送：{status.label}。定稿前打印的汇总表和自查表带“草稿”水印，只供核对；定稿后再打印正式报送的材料（承诺书不带水印，可随时打印签字）。"
        self.state_note.setText(note)
        for entry in document_entries(data):
            self.cards[entry.kind].show_entry(entry, status)

    def entry(self, kind: DocumentKind) -> DocumentEntry:
        return next(e for e in document_entries(self._data) if e.kind is kind)

    def outstanding_only(self, kind: DocumentKind) -> bool:
        """附件1 for those still to sign only (the card's box, when it is offered and ticked)."""
        box = self.cards[kind].outstanding_only
        return not box.isHidden() and box.isChecked()

    def _document_title(self, kind: DocumentKind) -> str:
        entry = self.entry(kind)
        return f"{entry.title}（尚未签订的 {entry.outstanding} 人）" if self.outstanding_only(kind) else entry.title

    def _choice_changed(self, kind: DocumentKind) -> None:
        """Another set of letters: the one rendered is dropped, and a preview of it shows the new set."""
        self._rendered.pop(kind, None)
        self.cards[kind].set_page_count(0)
        if self._previewed is kind:
            self.preview_document(kind)

    # ---------------------------------------------------------------- rendering

    def _with_pdf(self, kind: DocumentKind, then: Callable[[bytes], None]) -> None:
        """Hand ``then`` the document's PDF: the one kept, else rendered in the background."""
        if not self._ready():
            return
        if kind in self._rendered:
            then(self._rendered[kind])
            return
        try:
            # Only 附件2 prints the unit key's fingerprint; looking it up creates the key if need be.
            data = document_service.filing_document_data(
                self.ws.session, campaign_id=self.campaign.id, with_key=kind is DocumentKind.SUMMARY)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return

        def rendered(content: bytes) -> None:
            self._rendered[kind] = content
            self._show_font_notes()
            then(content)

        outstanding_only = self.outstanding_only(kind)

        def render(control) -> bytes:
            document_service.prepare_fonts(control.progress)
            return document_service.render_document(data, kind, "pdf", outstanding_only=outstanding_only)

        run_in_background(self, f"正在生成“{self._document_title(kind)}”…", render, rendered)

    def preview_document(self, kind: DocumentKind) -> None:
        self._with_pdf(kind, partial(self._show_preview, kind))

    def _show_preview(self, kind: DocumentKind, content: bytes) -> None:
        self._previewed = kind
        self.preview.show_pdf(content, self._document_title(kind), duplex=kind is DocumentKind.PLEDGES)

    def _show_page_count(self, count: int) -> None:
        if self._previewed is not None:
            self.cards[self._previewed].set_page_count(count)

    def print_document(self, kind: DocumentKind) -> None:
        title = self._document_title(kind)
        self._with_pdf(kind, lambda content: print_pdf(
            self, content, title, duplex=kind is DocumentKind.PLEDGES, on_printed=self._report_printed))

    def _report_printed(self, sides: int) -> None:
        self.status_message.emit(f"已发送到打印机：{sides} 页。")

    # ---------------------------------------------------------------- saving

    def _export_folder(self) -> str:
        return self.ws.settings.get(LAST_EXPORT_DIR) or str(Path.home())

    def _ask_save_path(self, entry: DocumentEntry, fmt: str) -> Path | None:
        name = document_service.document_file_name(self._data, entry.kind, fmt)
        if self.outstanding_only(entry.kind):  # not to be mistaken for the whole set
            name = f"{Path(name).stem}_尚未签订{entry.outstanding}人{Path(name).suffix}"
        proposed = Path(self._export_folder()) / name
        chosen, _ = QFileDialog.getSaveFileName(self, f"另存为 — {entry.title}", str(proposed), FILE_FILTERS[fmt])
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower().lstrip(".") not in entry.formats:  # no or another extension typed
            path = path.with_name(f"{path.name}.{fmt}")
        self.ws.settings.set(LAST_EXPORT_DIR, str(path.parent))
        return path

    def save_as(self, kind: DocumentKind, fmt: str) -> None:
        if not self._ready():
            return
        path = self._ask_save_path(self.entry(kind), fmt)
        if path is None:
            return
        session, campaign_id, outstanding_only = self.ws.session, self.campaign.id, self.outstanding_only(kind)
        run_in_background(
            self, f"正在导出 {path.name}…",
            lambda control: document_service.export_document(
                session, kind, path, control.progress, lambda: control.cancelled, campaign_id=campaign_id,
                outstanding_only=outstanding_only),
            self._saved,
        )

    def _show_font_notes(self) -> None:
        if not self.font_note.isHidden():
            return  # said once
        try:
            notes = document_service.font_notes()
            said = document_service.font_notes(brief=True)
        except QingqingError:
            return  # no font at all: the export itself said so
        if notes:
            # What stood in, in a line or two; how to install the proper faces (file names, folders,
            # commands: for whoever looks after the PC) in the tooltip, not in the clerk's way.
            self.font_note.setText("字体：" + "".join(said) + "打印效果接近，可以照常打印报送。（如何装上标准字体：鼠标停在这里）")
            self.font_note.setToolTip("\n".join(notes))
            self.font_note.show()

    def _saved(self, path: Path) -> None:
        self._show_font_notes()
        self.status_message.emit(f"已导出 {path.name}")
        messages.file_saved(self, path)

    def export_all(self) -> None:
        if not self._ready():
            return
        chosen = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self._export_folder())
        if not chosen:
            return
        folder = Path(chosen)
        names = [document_service.document_file_name(self._data, kind, fmt) for kind, fmt in ALL_DOCUMENTS]
        existing = [name for name in names if (folder / name).exists()]
        if existing and not messages.confirm(
                self, "覆盖文件", "文件夹中已有同名文件，将被覆盖：\n" + "\n".join(existing), "覆盖"):
            return
        self.ws.settings.set(LAST_EXPORT_DIR, str(folder))
        session, campaign_id = self.ws.session, self.campaign.id
        run_in_background(
            self, "正在导出全部文件…",
            lambda control: document_service.export_all(
                session, folder, control.progress, lambda: control.cancelled, campaign_id=campaign_id),
            lambda paths: self._all_saved(folder, paths),
        )

    def _all_saved(self, folder: Path, paths: list[Path]) -> None:
        self._show_font_notes()
        self.status_message.emit(f"已导出 {len(paths)} 个文件到 {folder}")
        messages.files_exported(self, folder, paths)
