"""The PDF preview and the print path: real QtPdf documents, printed to a PDF file instead of a printer."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPageLayout, QPageSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QProgressDialog, QPushButton, QToolButton, QWidget
from reportlab.lib.pagesizes import A4, landscape

from qingqing_desktop.ui.common import background, pdf_preview
from qingqing_desktop.ui.common.pdf_preview import (
    BLANK_SHEET_SIDE,
    PdfPreview,
    PdfPreviewDialog,
    PdfUnreadable,
    blank_pages,
    open_pdf,
    page_sequence,
)
from qingqing_desktop.ui.common.resources import icon
from tests.ui.pdf_fixtures import accept_print_dialog, pdf_pages, sample_pdf

FOUR_PAGES = ["page one", "", "page three", "#"]  # text, empty, text, a picture without text


@pytest.fixture
def preview(qtbot) -> PdfPreview:
    widget = PdfPreview(placeholder="没有文件")
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    return widget


def test_shows_a_pdf_from_memory_in_multi_page_mode(qtbot, preview):
    assert preview.placeholder.isVisible() and not preview.print_action.isEnabled()
    with qtbot.waitSignal(preview.loaded) as loaded:
        preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    assert loaded.args == [4]
    assert preview.view.isVisible() and preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.title_label.text() == "样张（共 4 页）"
    assert (preview.page_box.value(), preview.page_box.maximum(), preview.page_total.text()) == (1, 4, "/ 4 页")
    assert preview.print_action.isEnabled() and not preview.previous_action.isEnabled()


def test_page_navigation_follows_buttons_and_the_page_box(qtbot, preview):
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    preview.next_action.trigger()
    assert preview.current_page() == 1 and preview.page_box.value() == 2
    preview.page_box.setValue(4)
    assert preview.current_page() == 3
    assert not preview.next_action.isEnabled() and preview.previous_action.isEnabled()
    preview.previous_action.trigger()
    assert preview.current_page() == 2


def test_zoom_fit_width_fit_page_and_steps(qtbot, preview):
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    assert preview.fit_width_action.isChecked()
    fit_width = preview.effective_zoom()
    assert preview.zoom_label.text() == f"{round(fit_width * 100)}%"

    preview.zoom_in_action.trigger()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == pytest.approx(fit_width * 1.25)
    assert not preview.fit_width_action.isChecked()
    preview.zoom_out_action.trigger()
    preview.zoom_out_action.trigger()
    assert preview.view.zoomFactor() == pytest.approx(fit_width / 1.25)

    preview.fit_page_action.trigger()
    assert preview.fit_page_action.isChecked() and preview.view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert preview.effective_zoom() < fit_width  # a whole A4 page in a 700×900 widget is narrower than its width


def test_a_damaged_file_is_refused_and_the_placeholder_stays(qtbot, preview):
    with pytest.raises(PdfUnreadable, match="不是可以打开的 PDF 文件"):
        preview.show_pdf(b"%PDF-1.4 not really", "损坏的文件")
    assert preview.placeholder.isVisible() and preview.content == b""


def tool_button(preview, action) -> QToolButton:
    (button,) = [b for b in preview.findChildren(QToolButton) if b.defaultAction() is action]
    return button


def test_clear_goes_back_to_the_placeholder_with_a_reason(qtbot, preview):
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    qtbot.mouseClick(tool_button(preview, preview.next_action), Qt.MouseButton.LeftButton)
    assert preview.page_box.text() == "2"
    preview.clear("内容已修改")
    assert preview.placeholder.isVisible() and preview.placeholder.text() == "内容已修改"
    assert preview.page_count() == 0 and not preview.print_action.isEnabled()
    # no page to go to: no page number (it read “0”), and the arrows idle
    assert preview.page_box.text().strip() == "" and not preview.page_box.isEnabled()
    assert not preview.previous_action.isEnabled() and not preview.next_action.isEnabled()
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    assert preview.page_box.text() == "1" and preview.next_action.isEnabled()


def test_idle_arrows_look_as_idle_as_the_toolbar_s_buttons(qtbot, preview):
    """Qt's own arrows, greyed, stayed nearly black: with no document they still looked usable."""

    def darkest(qicon) -> int:
        image = qicon.pixmap(16, 16, QIcon.Mode.Disabled).toImage()
        return min(image.pixelColor(x, y).lightness() for x in range(16) for y in range(16)
                   if image.pixelColor(x, y).alpha() > 128)

    assert not tool_button(preview, preview.previous_action).isEnabled()
    toolbar = darkest(icon("undo"))  # 撤销 with nothing to undo
    assert darkest(preview.previous_action.icon()) >= toolbar and darkest(preview.next_action.icon()) >= toolbar


def test_blank_pages_are_the_empty_ones_not_pictures_without_text(qtbot):
    document = open_pdf(sample_pdf(FOUR_PAGES), "样张")
    assert blank_pages(document) == {1}


@pytest.mark.parametrize("first,last,copies,collate,skip,duplex,expected", [
    (0, 0, 1, True, (), False, [0, 1, 2, 3]),
    (2, 3, 1, True, (), False, [1, 2]),
    (0, 9, 1, True, {1}, False, [0, 2, 3]),
    (0, 0, 2, False, {1, 3}, False, [0, 0, 2, 2]),
    (1, 3, 2, True, (), False, [0, 1, 2, 0, 1, 2]),
    # duplex: each collated copy starts on a new sheet
    (1, 3, 2, True, (), True, [0, 1, 2, BLANK_SHEET_SIDE, 0, 1, 2, BLANK_SHEET_SIDE]),
])
def test_page_sequence(first, last, copies, collate, skip, duplex, expected):
    assert page_sequence(4, first, last, copies=copies, collate=collate, skip=skip, duplex=duplex) == expected


def test_print_button_prints_every_page_on_a4(qtbot, preview, tmp_path, monkeypatch):
    output = tmp_path / "打印.pdf"
    record = accept_print_dialog(monkeypatch, output)
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    with qtbot.waitSignal(preview.printed, timeout=10_000) as printed:
        preview.print_button.click()
    (suggested,) = record.suggested
    assert suggested["page_size"] == QPageSize.PageSizeId.A4
    assert suggested["orientation"] == QPageLayout.Orientation.Portrait
    assert (suggested["document_name"], suggested["max_page"]) == ("样张", 4)
    # Printed to a file, the empty page stays: the file may still go to a duplex printer.
    assert printed.args == [4]
    pages = pdf_pages(output)
    assert len(pages) == 4
    assert [round(float(v)) for v in pages[0].mediabox[2:]] == [595, 842]


def test_print_honours_the_page_range_and_copies(qtbot, preview, tmp_path, monkeypatch):
    output = tmp_path / "打印.pdf"
    accept_print_dialog(monkeypatch, output, first=2, last=3, copies=2)
    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    with qtbot.waitSignal(preview.printed, timeout=10_000) as printed:
        preview.print_document()
    assert printed.args == [4] and len(pdf_pages(output)) == 4


def test_landscape_document_suggests_landscape(qtbot, preview, tmp_path, monkeypatch):
    record = accept_print_dialog(monkeypatch, tmp_path / "横向.pdf", accept=False)
    preview.show_pdf(sample_pdf(["wide"], pagesize=landscape(A4)), "横向")
    preview.print_document()
    assert record.suggested[0]["orientation"] == QPageLayout.Orientation.Landscape
    assert not background.is_busy()  # 取消 in the dialog prints nothing


def test_cancel_while_printing_stops_and_reports_nothing(qtbot, tmp_path, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    accept_print_dialog(monkeypatch, tmp_path / "打印.pdf")
    drawing, release = threading.Event(), threading.Event()
    drawn = []
    draw_page = pdf_preview._draw_page

    def slow_draw(painter, printer, document, page):
        drawing.set()
        release.wait(5)
        drawn.append(page)
        draw_page(painter, printer, document, page)

    monkeypatch.setattr(pdf_preview, "_draw_page", slow_draw)
    outcomes = []
    pdf_preview.print_pdf(parent, sample_pdf(FOUR_PAGES), "样张", on_printed=outcomes.append)
    qtbot.waitUntil(drawing.is_set)  # 取消 while the first page is being printed
    cancel = parent.findChild(QProgressDialog).findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert outcomes == [] and drawn == [0]  # the page under way finished; no further page was started


def test_dialog_shows_the_document(qtbot, settings):
    dialog = PdfPreviewDialog(sample_pdf(FOUR_PAGES), "某单位 附件2", settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "某单位 附件2" and dialog.preview.page_count() == 4


def test_beside_the_cards_on_a_1024_pixel_screen_every_tool_button_shows_its_whole_text(qtbot, preview):
    from PySide6.QtWidgets import QToolButton

    preview.show_pdf(sample_pdf(FOUR_PAGES), "样张")
    preview.resize(preview.minimumSizeHint().width(), 600)  # as narrow as the export page's splitter lets it be
    qtbot.waitUntil(lambda: preview.width() <= 470)  # the room it has at 1024 pixels
    buttons = preview.findChildren(QToolButton)
    assert {b.defaultAction() for b in buttons} >= {preview.fit_width_action, preview.fit_page_action,
                                                    preview.previous_action, preview.next_action}
    for button in buttons:  # squeezed below its hint, Qt draws 适合宽度 as “…”
        assert button.width() >= button.sizeHint().width(), button.text()
    for action, words in ((preview.previous_action, "上一页"), (preview.next_action, "下一页")):
        assert not action.icon().isNull() and action.toolTip() == words and action.text() == words
    toolbar_right = max(b.geometry().right() for b in buttons)
    assert toolbar_right < preview.width()
