"""Showing and printing a PDF held in memory: the filing's documents, or the ones a unit delivered.

``PdfPreview`` is a widget (a page embeds it), ``PdfPreviewDialog`` the same in a
window of its own, and ``print_pdf`` the print path both use: a QPrintDialog with
A4 (and, for 附件1, long-edge duplex) suggested, then every page rendered by
QtPdf at the printer's resolution and painted on the QPrinter in the background.

Printing renders one page at a time, in horizontal bands, so a 2,000-page run of
pledge letters at 600 dpi needs a few megabytes rather than 140 MB a page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import JobControl, run_in_background
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.settings import Settings, remember_geometry

MAX_RENDER_DPI = 600  # office laser printers print 600 dpi; more only makes the spool file bigger
BAND_HEIGHT = 512  # rows rendered at once: about 10 MB for an A4 page 600 dpi wide
BLANK_SHEET_SIDE = -1  # in a page sequence: leave this side of the sheet empty
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
POINTS_PER_INCH = 72


class PdfUnreadable(QingqingError):
    def __init__(self, title: str):
        super().__init__(f"“{title}”不是可以打开的 PDF 文件（可能已损坏或不完整）。")


class PrintFailed(QingqingError):
    def __init__(self, printer_name: str):
        super().__init__(f"无法开始打印：打印机“{printer_name}”没有响应。请检查打印机是否开机、联机，然后再试。")


def open_pdf(content: bytes, title: str, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over bytes in memory.

    The buffer is the document's child, so it lives exactly as long as the document
    that reads from it. Loading from a QBuffer completes before ``load`` returns.
    """
    document = QPdfDocument(parent)
    _load(document, content, title)
    return document


def _load(document: QPdfDocument, content: bytes, title: str) -> None:
    buffer = QBuffer(document)
    buffer.setData(content)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PdfUnreadable(title)


# --------------------------------------------------------------------------- which pages, in which order


def blank_pages(document: QPdfDocument) -> set[int]:
    """Pages with nothing on them, such as the empty backs that keep 附件1 letters duplex-safe.

    A page counts as blank only if it has no text *and* a thumbnail of it is white, so a
    scanned page (an image without text) is never mistaken for one.
    """
    blanks = set()
    for page in range(document.pageCount()):
        if document.getAllText(page).text().strip():
            continue
        thumbnail = _on_white(document.render(page, QSize(48, 68))).convertToFormat(QImage.Format.Format_Grayscale8)
        if min(thumbnail.constBits().tobytes()) >= 250:  # width 48 keeps rows free of padding bytes
            blanks.add(page)
    return blanks


def page_sequence(page_count: int, first: int, last: int, *, copies: int = 1, collate: bool = True,
                  skip: Collection[int] = (), duplex: bool = False) -> list[int]:
    """The pages (0-based) to print, in order, for the print dialog's choices.

    ``first``/``last``: the dialog's 1-based page range, 0 meaning the whole document.
    ``copies``: copies to make ourselves (when the printer cannot). In duplex, a
    collated copy with an odd number of pages gets an empty back side
    (``BLANK_SHEET_SIDE``) so the next copy does not start on the back of this one.
    """
    first = max(1, first or 1)
    last = min(page_count, last or page_count)
    pages = [page for page in range(first - 1, last) if page not in skip]
    copies = max(1, copies)
    if not collate:
        return [page for page in pages for _copy in range(copies)]
    if duplex and copies > 1 and len(pages) % 2:
        pages = [*pages, BLANK_SHEET_SIDE]
    return pages * copies


def _prints_single_sided_on_paper(printer: QPrinter) -> bool:
    # Printed to a PDF file, the empty backs are kept: that file may still go to a duplex printer.
    return (printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
            and printer.duplex() == QPrinter.DuplexMode.DuplexNone)


def _is_duplex(printer: QPrinter) -> bool:
    return printer.duplex() != QPrinter.DuplexMode.DuplexNone


# --------------------------------------------------------------------------- printing


def ask_printer(parent: QWidget | None, title: str, document: QPdfDocument, *, duplex: bool) -> QPrinter | None:
    """The print dialog with A4, the document's orientation and (if asked) long-edge duplex suggested;
    None when the clerk cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    first_page = document.pagePointSize(0)
    landscape = first_page.width() > first_page.height()
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
    if duplex:
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印 — {title}")
    dialog.setMinMax(1, document.pageCount())
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()  # a child of ``parent``: without this every print would leave one behind
    if not accepted:
        return None
    # The PDF pages carry their own (GB/T 9704) margins: paint from the paper's corner.
    printer.setFullPage(True)
    return printer


def print_pages(content: bytes, title: str, printer: QPrinter, control: JobControl) -> int:
    """Paint the PDF on ``printer`` page by page; returns the number of sides printed.

    Runs on a worker thread: QPainter on a QPrinter and QtPdf rendering are both safe
    there (QtPdf serialises its engine), and the document is this thread's own.
    """
    document = open_pdf(content, title)
    skip = blank_pages(document) if _prints_single_sided_on_paper(printer) else set()
    copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
    pages = page_sequence(document.pageCount(), printer.fromPage(), printer.toPage(), copies=copies,
                          collate=printer.collateCopies(), skip=skip, duplex=_is_duplex(printer))
    if not pages:
        return 0  # only empty pages in the chosen range: no sheet comes out
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(printer.printerName())
    completed = False
    try:
        for number, page in enumerate(pages):
            control.progress(100 * number // len(pages), f"正在打印第 {number + 1} 页，共 {len(pages)} 页…")
            if number:
                printer.newPage()
            if page != BLANK_SHEET_SIDE:
                _draw_page(painter, printer, document, page)
        completed = True
    finally:
        if not completed:
            printer.abort()  # 取消 or an error: the spooler drops what it has so far
        painter.end()
    return len(pages)


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    """The page at its true size from the paper's corner, so the form's margins stay exact;
    shrunk and centred only when the chosen paper is smaller than the page."""
    device_dpi = printer.resolution()
    paper = QRectF(printer.pageLayout().fullRectPixels(device_dpi))
    points = document.pagePointSize(page)
    width = points.width() * device_dpi / POINTS_PER_INCH
    height = points.height() * device_dpi / POINTS_PER_INCH
    scale = min(1.0, paper.width() / width, paper.height() / height)
    target = QRectF(0, 0, width * scale, height * scale)
    if scale < 1.0:
        target.moveCenter(paper.center())
    render_scale = min(device_dpi, MAX_RENDER_DPI) / POINTS_PER_INCH * scale
    image_size = QSize(round(points.width() * render_scale), round(points.height() * render_scale))
    device_per_pixel = target.height() / image_size.height()
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(image_size)
    for top in range(0, image_size.height(), BAND_HEIGHT):
        rows = min(BAND_HEIGHT, image_size.height() - top)
        options.setScaledClipRect(QRect(0, top, image_size.width(), rows))
        band = document.render(page, QSize(image_size.width(), rows), options)
        painter.drawImage(
            QRectF(target.x(), target.y() + top * device_per_pixel, target.width(), rows * device_per_pixel),
            _on_white(band),
        )


def _on_white(image: QImage) -> QImage:
    """QtPdf renders on a transparent background; printer drivers handle opaque images far better."""
    opaque = QImage(image.size(), QImage.Format.Format_RGB32)
    opaque.fill(Qt.GlobalColor.white)
    painter = QPainter(opaque)
    painter.drawImage(0, 0, image)
    painter.end()
    return opaque


def print_pdf(parent: QWidget, content: bytes, title: str, *, duplex: bool = False,
              on_printed: Callable[[int], None] | None = None) -> None:
    """Ask for a printer, then print in the background behind a progress dialog with 取消.

    ``duplex``: suggest long-edge two-sided printing (附件1, whose letters each start on
    a new sheet). ``on_printed`` gets the number of sides sent to the printer.
    """
    try:
        document = open_pdf(content, title)
    except PdfUnreadable as exc:
        messages.show_error(parent, exc)
        return
    printer = ask_printer(parent, title, document, duplex=duplex)
    if printer is None:
        return
    run_in_background(
        parent, f"正在打印“{title}”…", lambda control: print_pages(content, title, printer, control),
        on_printed or (lambda _count: None),
    )


# --------------------------------------------------------------------------- the preview widget


class PdfPreview(QWidget):
    """A PDF from memory in a scrolling multi-page view, with page navigation, zoom and 打印."""

    loaded = Signal(int)  # page count, once a document is shown
    printed = Signal(int)  # sides sent to the printer

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "没有可显示的文件。"):
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._content = b""
        self._title = ""
        self._duplex = False

        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._show_current_page)
        self.view.viewport().installEventFilter(self)

        self.placeholder = QLabel(placeholder)
        self.placeholder.setObjectName("hint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        self.title_label = QLabel()
        self.title_label.setObjectName("previewTitle")
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self._create_actions()
        self.page_box = QSpinBox()
        self.page_box.setKeyboardTracking(False)  # jump when the number is complete, not at each digit
        self.page_box.setAccessibleName("页码")
        self.page_box.valueChanged.connect(lambda number: self.go_to_page(number - 1))
        self.page_total = QLabel()
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400%") + 8)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.stack, 1)
        self.clear()

    def _create_actions(self) -> None:
        def action(text: str, slot, shortcut=None, tip: str = "") -> QAction:
            created = QAction(text, self, triggered=slot)
            if shortcut is not None:
                created.setShortcut(shortcut)
                # Only while the preview has the focus: Ctrl+P elsewhere belongs to whoever owns it.
                created.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(created)
            created.setToolTip(tip or text)
            return created

        self.previous_action = action("上一页", lambda: self.go_to_page(self.current_page() - 1))
        self.next_action = action("下一页", lambda: self.go_to_page(self.current_page() + 1))
        # Arrows, as in any viewer (the text stays the tooltip and the accessible name), so that the
        # whole toolbar fits beside the cards on a 1024-pixel screen. The app's own, drawn as light as the
        # toolbar's: Qt's black ones, greyed, still looked usable with no document shown.
        self.previous_action.setIcon(icon("previous"))
        self.next_action.setIcon(icon("next"))
        self.fit_width_action = action("适合宽度", lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth),
                                       tip="页面宽度与窗口一致")
        self.fit_page_action = action("整页", lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitInView),
                                      tip="整页显示在窗口中")
        self.zoom_out_action = action("−", lambda: self.zoom_by(1 / ZOOM_STEP), QKeySequence.StandardKey.ZoomOut, "缩小")
        self.zoom_in_action = action("+", lambda: self.zoom_by(ZOOM_STEP), QKeySequence.StandardKey.ZoomIn, "放大")
        self.print_action = action("打印…", self.print_document, QKeySequence.StandardKey.Print)
        self.print_action.setIconText("打印…")  # a tool button would drop the “…” that says a dialog follows
        for checkable in (self.fit_width_action, self.fit_page_action):
            checkable.setCheckable(True)

    def _toolbar(self) -> QHBoxLayout:
        tools = QHBoxLayout()
        tools.setSpacing(4)
        for item in (self.previous_action, self.page_box, self.page_total, self.next_action, None,
                     self.fit_width_action, self.fit_page_action, None,
                     self.zoom_out_action, self.zoom_label, self.zoom_in_action):
            if item is None:
                tools.addSpacing(8)
            elif isinstance(item, QAction):
                button = QToolButton()
                button.setDefaultAction(item)
                button.setMinimumWidth(button.sizeHint().width())  # squeezed, Qt would show “…” for 适合宽度
                tools.addWidget(button)
            else:
                tools.addWidget(item)
        tools.addStretch(1)
        self.print_button = QToolButton()
        self.print_button.setDefaultAction(self.print_action)
        tools.addWidget(self.print_button)
        return tools

    # ---------------------------------------------------------------- content

    def show_pdf(self, content: bytes, title: str, *, duplex: bool = False) -> None:
        """Show ``content``; ``duplex`` is what 打印 suggests. Raises PdfUnreadable for a damaged file."""
        self._release_document()
        try:
            _load(self.document, content, title)
        except PdfUnreadable:
            self.clear()
            raise
        self._content, self._title, self._duplex = content, title, duplex
        count = self.document.pageCount()
        self.title_label.setText(f"{title}（共 {count} 页）")
        self._set_pages(count)
        self.page_total.setText(f"/ {count} 页")
        self.stack.setCurrentWidget(self.view)
        self.navigator.jump(0, QPointF(), self.navigator.currentZoom())
        self._update_controls()
        self.loaded.emit(count)

    def clear(self, message: str = "") -> None:
        """Back to the placeholder, with ``message`` (or the one given at construction) on it."""
        self._release_document()
        self._content, self._title = b"", ""
        if message:
            self.placeholder.setText(message)
        self.title_label.setText("")
        self._set_pages(0)
        self.page_total.setText("")
        self.stack.setCurrentWidget(self.placeholder)
        self._update_controls()

    def _set_pages(self, count: int) -> None:
        """The page box from 1 to ``count`` on the first page; empty with no document (it read “0”)."""
        self.page_box.blockSignals(True)
        self.page_box.setSpecialValueText("" if count else " ")  # shown for the minimum: no page
        self.page_box.setRange(min(1, count), count)
        self.page_box.setValue(min(1, count))
        self.page_box.blockSignals(False)

    def _release_document(self) -> None:
        self.document.close()
        for buffer in self.document.findChildren(QBuffer):
            buffer.deleteLater()  # the next load brings its own

    @property
    def content(self) -> bytes:
        return self._content

    @property
    def title(self) -> str:
        return self._title

    def page_count(self) -> int:
        return self.document.pageCount()

    # ---------------------------------------------------------------- navigation and zoom

    def current_page(self) -> int:
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        if 0 <= page < self.page_count():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def _show_current_page(self, page: int) -> None:
        self.page_box.blockSignals(True)  # the box follows scrolling without jumping back
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self._update_controls()

    def set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        self.view.setZoomMode(mode)
        self._update_controls()

    def zoom_by(self, factor: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.effective_zoom() * factor))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)
        self._update_controls()

    def effective_zoom(self) -> float:
        """The zoom factor on screen; in the fit modes QPdfView keeps 1.0 as its factor, so work it out."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(max(0, self.current_page()))
        # QPdfView lays pages out at the primary screen's logical DPI.
        pixels_per_point = QGuiApplication.primaryScreen().logicalDotsPerInch() / POINTS_PER_INCH
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        width_zoom = (viewport.width() - margins.left() - margins.right()) / (page.width() * pixels_per_point)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width_zoom
        height_zoom = (viewport.height() - margins.top() - margins.bottom()) / (page.height() * pixels_per_point)
        return min(width_zoom, height_zoom)

    def _update_controls(self) -> None:
        count, page, mode = self.page_count(), self.current_page(), self.view.zoomMode()
        for widget in (self.page_box, self.fit_width_action, self.fit_page_action, self.zoom_in_action,
                       self.zoom_out_action, self.print_action):
            widget.setEnabled(count > 0)
        self.previous_action.setEnabled(count > 0 and page > 0)
        self.next_action.setEnabled(page < count - 1)
        self.fit_width_action.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_action.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%" if count else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._update_controls()  # a fit mode's zoom follows the window size
        return False

    # ---------------------------------------------------------------- printing

    def print_document(self) -> None:
        if self._content:
            print_pdf(self, self._content, self._title, duplex=self._duplex, on_printed=self.printed.emit)


class PdfPreviewDialog(QDialog):
    """``PdfPreview`` in a window of its own, e.g. for a document a unit delivered."""

    def __init__(self, content: bytes, title: str, parent: QWidget | None = None, *, duplex: bool = False,
                 settings: Settings | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 980)
        self.preview = PdfPreview(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.preview.show_pdf(content, title, duplex=duplex)  # raises PdfUnreadable before anything is shown
        if settings is not None:
            remember_geometry(self, settings)
