"""核对盖章纸质件 on the 报送情况 board: the scan read in the background, each page's verdict, the unit's
detail one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QScreen
from scan_images import Scan, images_to_pdf, render_pages, scanned

from qingqing_desktop.services import document_service, office_service
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.paper_check_dialog import GOOD, WARN, PaperCheckDialog
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog
from tests.ui.office_fixtures import (  # noqa: F401 — bureau is a fixture
    SMALL_SCREEN,
    assert_fits_a_small_screen,
    bureau,
    fill_and_finalise,
    make_unit,
    send_package,
    shown_window,
)


def checked_on_the_board(bureau, qtbot, settings, pdf: bytes, scan, *, size: tuple[int, int] | None = None):
    """The first page of ``pdf`` scanned to ``scan``, the packages on the USB stick imported by the office,
    and the scan checked from its board: the dialog once its report is in."""
    scanned(render_pages(pdf, 150, [0])[0]).save(scan, dpi=(150, 150))
    with bureau.office.active() as session:
        office_service.import_packages(session, bureau.usb)
        window = shown_window(qtbot, session, settings)
        dialog = window.show_page(BoardPage).check_paper(scan)
        if size is not None:
            dialog.resize(*size)
        with qtbot.waitSignal(dialog.report_ready, timeout=30_000):
            pass
    return dialog


def test_stamped_paper_checked_from_the_board(qtbot, bureau, settings, files, tmp_path):
    fill_and_finalise(bureau.unit)
    with bureau.unit.active() as session:
        data = document_service.filing_document_data(session)
        summary = document_service.render_document(data, document_service.DocumentKind.SUMMARY, "pdf")
        self_check = document_service.render_document(data, document_service.DocumentKind.SELFCHECK, "pdf")
    send_package(bureau.unit, bureau.usb)
    scan = tmp_path / "盖章件.pdf"
    scan.write_bytes(images_to_pdf([scanned(render_pages(summary, 150, [0])[0], Scan(angle=90, skew=1.0)),
                                    scanned(render_pages(self_check, 150, [0])[0], Scan(angle=180))]))
    with bureau.office.active() as session:
        office_service.import_packages(session, bureau.usb)
        window = shown_window(qtbot, session, settings)
        board = window.show_page(BoardPage)
        files.open(scan)
        board.check_paper_action.trigger()  # 核对盖章纸质件 ▸ 核对扫描件
        (dialog,) = board.findChildren(PaperCheckDialog)
        with qtbot.waitSignal(dialog.report_ready, timeout=30_000):
            pass
        checks = dialog.proxy.rows()
        assert [c.text for c in checks] == ["与报送数据一致", "与报送数据一致"]
        assert [c.form.label for c in checks] == ["附件2 汇总表", "附件3 自查表"]
        assert checks[0].key.value == "密钥指纹一致" and checks[0].unit_label == "技术科"
        assert dialog.model.foreground(checks[0]) == GOOD
        assert "共2页：与报送数据一致 2页" in dialog.summary.text()
        assert dialog.picture.image is not None  # the first page is shown beside the table

        rect = dialog.table.visualRect(dialog.proxy.index(1, 0))
        qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert dialog.detail_button.isEnabled()
        qtbot.mouseClick(dialog.detail_button, Qt.MouseButton.LeftButton)
        (detail,) = [d for d in dialog.findChildren(UnitDetailDialog) if d.isVisible()]
        assert "技术科" in detail.windowTitle()


def test_an_older_print_is_flagged(bureau, settings, files, tmp_path, qtbot):
    fill_and_finalise(bureau.unit)
    with bureau.unit.active() as session:
        old = document_service.render_document(document_service.filing_document_data(session),
                                               document_service.DocumentKind.SUMMARY, "pdf")
        from qingqing_desktop.services import filing_service

        filing_service.reopen(session, "补充人员")
        filing_service.finalize(session)
    send_package(bureau.unit, bureau.usb)
    dialog = checked_on_the_board(bureau, qtbot, settings, old, tmp_path / "旧版.png")
    (check,) = dialog.proxy.rows()
    assert check.text == "版本较旧（已收到第2版）" and dialog.model.foreground(check) == WARN


def test_on_a_small_screen_the_explanation_is_read_in_the_table_without_a_sideways_scroll(
        bureau, settings, tmp_path, qtbot, monkeypatch):
    """1366×768 at 125 %: the dialog is 1093×582. With a branch office's long name, 说明, the last column,
    was measured and pushed itself past the table's edge; it now takes the room left and wraps, a line each."""
    name = "平阳县住房和城乡建设局鳌江分局"
    with bureau.office.active() as session:
        office_service.add_expected_units(session, [name])
    unit = make_unit(tmp_path, monkeypatch, name, bureau.task_file)
    fill_and_finalise(unit)
    with unit.active() as session:
        summary = document_service.render_document(document_service.filing_document_data(session),
                                                   document_service.DocumentKind.SUMMARY, "pdf")
    send_package(unit, bureau.usb)
    dialog = checked_on_the_board(bureau, qtbot, settings, summary, tmp_path / "盖章件.png", size=(1093, 582))
    table = dialog.table
    (check,) = dialog.proxy.rows()
    explanation = dialog.proxy.index(0, dialog.proxy.columnCount() - 1)
    assert explanation.data() == check.detail and len(check.detail.splitlines()) == 2
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))  # wrapped, every line whole
    assert table.horizontalScrollBar().maximum() == 0
    assert table.visualRect(explanation).right() <= table.viewport().width()
    assert explanation.data(Qt.ItemDataRole.ToolTipRole) == check.detail
    unit.session.close()


def test_the_dialog_fits_a_1366_by_768_screen_at_125_percent(bureau, settings, tmp_path, qtbot, monkeypatch):
    """It asked for 1240×720 where the screen leaves 1093×582: it now takes the room there is, the table
    without a sideways scroll beside the page, 查看该单位详情… and 关闭 on the screen; so does the detail."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: SMALL_SCREEN)
    fill_and_finalise(bureau.unit)
    with bureau.unit.active() as session:
        summary = document_service.render_document(document_service.filing_document_data(session),
                                                   document_service.DocumentKind.SUMMARY, "pdf")
    send_package(bureau.unit, bureau.usb)
    dialog = checked_on_the_board(bureau, qtbot, settings, summary, tmp_path / "盖章件.png")
    qtbot.waitExposed(dialog)
    assert_fits_a_small_screen(dialog)
    assert dialog.picture.width() >= 300  # the scanned page beside the table is still readable
    rect = dialog.table.visualRect(dialog.proxy.index(0, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.detail_button.isEnabled()
    qtbot.mouseClick(dialog.detail_button, Qt.MouseButton.LeftButton)
    (detail,) = [d for d in dialog.findChildren(UnitDetailDialog) if d.isVisible()]
    qtbot.waitExposed(detail)
    assert_fits_a_small_screen(detail)
