"""批量导入签字页: a scanned batch read in the background, shown page by page, a page given by hand, recorded
in one undoable step — through the pledge page's action and the dialog's own widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from scan_images import Scan, images_to_pdf, render_pages, scanned

from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.services import document_service, pledge_service
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.filing.scan_import_dialog import BLANK, BY_HAND, MATCHED, UNREAD, ScanImportDialog
from tests.ui.default_button import activate, pressed_by_return, tab_once_round

KIND = document_service.DocumentKind


@pytest.fixture
def batch(filing_window, tmp_path):
    """Two of the four letters signed and scanned (one upside down), their empty backs, and a blank letter
    filled in by hand (no code) — one PDF."""
    session = filing_window.ws.session
    data = document_service.filing_document_data(session, with_key=False)
    letters = render_pages(document_service.render_document(data, KIND.PLEDGES, "pdf"), 150, [0, 1, 2, 3])
    blank = render_pages(document_service.render_document(data, KIND.BLANK_PLEDGE, "pdf"), 150)[0]
    images = [scanned(letters[0]), scanned(letters[1]), scanned(letters[2], Scan(angle=180, skew=1.0)),
              scanned(letters[3]), scanned(blank)]
    path = tmp_path / "签字页.pdf"
    path.write_bytes(images_to_pdf(images))
    return path


def open_dialog(qtbot, window, files, path) -> tuple[PledgePage, ScanImportDialog]:
    page = window.show_page(PledgePage)
    files.open(path)
    page.import_scans_action.trigger()  # 批量导入签字页 ▸ 从扫描文件导入
    (dialog,) = [d for d in page.findChildren(ScanImportDialog)]
    with qtbot.waitSignal(dialog.plan_ready, timeout=30_000):
        pass
    return page, dialog


def click_row(qtbot, dialog, number: int) -> None:
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.row_at(row).number == number:
            rect = dialog.table.visualRect(dialog.proxy.index(row, 0))
            qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"page {number} not shown")


def signed(window) -> dict[str, tuple]:
    rows = pledge_service.list_pledges(window.ws.session)
    return {(r.name, r.post): (r.status, r.signed_on, r.has_scan) for r in rows if r.required}


def test_read_show_assign_by_hand_record_and_undo(qtbot, filing_window, files, batch, dialogs):
    window = filing_window
    page, dialog = open_dialog(qtbot, window, files, batch)
    assert "已匹配 2" in dialog.summary.text() and "未识别 1" in dialog.summary.text()
    assert [r.result for r in dialog.proxy.rows()] == [MATCHED, MATCHED, UNREAD]  # the backs are hidden
    assert dialog.model.rowCount() == 5
    qtbot.mouseClick(dialog.show_blank, Qt.MouseButton.LeftButton)
    assert [r.result for r in dialog.proxy.rows()] == [MATCHED, BLANK, MATCHED, BLANK, UNREAD]
    assert dialog.date.value() == dt.date.today()  # the scan's date

    click_row(qtbot, dialog, 3)  # a matched page: nothing to choose
    assert not dialog.choice.isVisible() and "第3页" in dialog.picture.caption.text()
    # the page without a code: look at it, then say whose it is with the keyboard
    click_row(qtbot, dialog, 5)
    assert dialog.choice.isVisible() and dialog.picture.image is not None
    assert "第5页" in dialog.picture.caption.text()
    combo = dialog.choice.person
    # whose letter is still awaited first, then a line, then those matched in this batch or already done
    texts = [combo.itemText(i) for i in range(combo.count())]
    line = texts.index("")
    assert texts[0] == "（不指定，不登记这一页）" and line > 1
    assert all(text.endswith("· 未签订）") for text in texts[1:line])
    assert sum(text.endswith("· 本批已匹配）") for text in texts[line + 1:]) == 2
    assert not any(text.endswith("· 未签订）") for text in texts[line + 1:])
    assert "孙佳怡（财务 · 无需签订）" in texts[line + 1:]  # not “未签订”: nobody expects her letter
    wanted = next(i for i in range(combo.count()) if combo.itemText(i).startswith("周丽君"))  # not scanned yet
    target = combo.itemText(wanted)
    combo.setFocus()
    for _ in range(wanted):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert [r.result for r in dialog.proxy.rows()].count(BY_HAND) == 1
    assert "已匹配 3" in dialog.summary.text() and dialog.import_button.text() == "登记 3 人已签订"

    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert any("已登记 3 人已签订" in text for text in dialogs.texts("information"))
    after = signed(window)
    done = [key for key, (status, day, scan) in after.items() if status is PledgeStatus.SIGNED and scan]
    assert len(done) == 3 and ("周丽君", "负责质量监管工作") in done and target.startswith("周丽君")
    assert all(after[key][1] == dt.date.today() for key in done)

    assert window.undo_action.text() == "撤销(&U) 导入签字页扫描件（3人）"
    window.undo_action.trigger()
    assert all(status is PledgeStatus.UNSIGNED and not scan for status, _day, scan in signed(window).values())
    window.redo_action.trigger()
    assert sum(scan for _s, _d, scan in signed(window).values()) == 3


def test_a_dropped_batch_opens_the_preview_and_cancel_records_nothing(qtbot, filing_window, batch):
    page = filing_window.show_page(PledgePage)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(batch))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    (dialog,) = page.findChildren(ScanImportDialog)
    with qtbot.waitSignal(dialog.plan_ready, timeout=30_000):
        pass
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not any(scan for _s, _d, scan in signed(filing_window).values())


def test_the_hint_under_the_list_describes_the_batch_just_recorded(qtbot, filing_window, files, batch):
    """After a scanned batch was recorded, the line under the table still said what the clerk had done before
    (“已修改“张三”的签订情况。如有误，可点“撤销”。”)."""
    window = filing_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.show_page(PledgePage)
    qtbot.waitExposed(page.table)
    rect = page.table.visualRect(page.proxy.index(0, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # an earlier action, with its own line under the table
    assert page.last_result.text().startswith("已登记“")

    page, dialog = open_dialog(qtbot, window, files, batch)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert page.last_result.isVisible()
    assert page.last_result.text().startswith("已登记")
    assert "签字页扫描件（共" in page.last_result.text()

    window.activateWindow()  # back from the dialog
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone: the line is stale
    assert not any(scan for _s, _d, scan in signed(window).values())
    assert not page.last_result.isVisible()


def test_a_future_signing_date_is_said_under_the_date_and_the_dialog_stays_for_the_correction(
        qtbot, filing_window, files, batch, dialogs):
    """A future date was refused with a message box (“签订日期不能晚于今天。”), away from the field; now
    the refusal is under the date as in every form, the cursor in the date, and the dialog open."""
    page, dialog = open_dialog(qtbot, filing_window, files, batch)
    dialog.activateWindow()  # as on a screen: offscreen, the dialog is not made the active window by itself
    qtbot.waitUntil(dialog.isActiveWindow)
    future = dt.date.today() + dt.timedelta(days=3)

    def type_date(day: dt.date) -> None:  # each key where the focus is: a full part moves on to the next
        qtbot.mouseClick(dialog.date.year, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog.date.year, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        for key in day.strftime("%Y%m%d"):
            qtbot.keyClicks(QApplication.focusWidget(), key)

    type_date(future)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert dialogs.shown == []  # no message box
    row = dialog.date_form.rows["签订日期"]
    assert row.message.startswith(f"签订日期 {future.isoformat()} 晚于今天")
    assert dialog.isVisible() and dialog.date.year.hasFocus()
    assert not any(scan for _s, _d, scan in signed(filing_window).values())

    type_date(dt.date.today())
    assert row.message == ""  # gone with the corrected date
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert sum(scan for _s, _d, scan in signed(filing_window).values()) == 2


@pytest.mark.parametrize("backwards", [False, True], ids=["Tab", "Shift+Tab"])
def test_return_records_after_tabbing_once_round_the_dialog(qtbot, filing_window, files, batch, backwards):
    """Tab passes over 取消 and 登记 (and the person's list of a page without a code); Return, back in the
    table, still presses 登记 — the button box makes it the default once the box is in the dialog."""
    page, dialog = open_dialog(qtbot, filing_window, files, batch)
    activate(qtbot, dialog)
    click_row(qtbot, dialog, 5)  # unread: 这一页是谁的承诺书 shows
    assert dialog.choice.isVisible()
    stops = tab_once_round(qtbot, dialog, backwards)
    assert {"QComboBox", "取消", "登记 2 人已签订"} <= set(stops)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        assert pressed_by_return(qtbot, dialog) == ["登记 2 人已签订"]
    assert sum(scan for _s, _d, scan in signed(filing_window).values()) == 2


def test_escape_cancels_after_tabbing_onto_record(qtbot, filing_window, files, batch):
    page, dialog = open_dialog(qtbot, filing_window, files, batch)
    activate(qtbot, dialog)
    while QApplication.focusWidget() is not dialog.import_button:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert not any(scan for _s, _d, scan in signed(filing_window).values())
