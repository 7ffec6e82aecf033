"""A unit's detail on a 1366×768 screen at 125 % (a 1093×582 dialog): long 意见 and 自查表 texts are
read in the table, wrapped onto as many lines as they need, not cut short; tooltips keep them whole."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication

from qingqing_desktop.services import office_service, selfcheck_service
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog
from tests.services.exchange_fixtures import person
from tests.ui.office_fixtures import (  # noqa: F401 — bureau is a fixture
    SMALL_SCREEN,
    assert_fits_a_small_screen,
    bureau,
    fill_and_finalise,
    send_package,
    shown_window,
)

OPINION = ("1. 张伟（竣工验收岗位）属于重点岗位一般工作人员，须签订承诺书但未签订，请补签并附签字页扫描件；\n"
           "2. 自查表第二行“负面清单”填写的整改时限晚于行动截止日期，请调整为截止日期之前，并写明责任人；\n"
           "3. 单位负责人签名处空白，请补签后重新盖章报送纸质件。")
PROBLEM = "服务企业不够主动，对企业反映的审批材料问题答复不及时，存在“门好进、脸好看、事难办”的现象，群众意见较大"


def column(table, title: str) -> int:
    return [c.title for c in table.records_model.columns].index(title)


def test_a_long_opinion_and_a_long_problem_are_wrapped_whole_in_the_units_detail(qtbot, bureau, settings):
    today = dt.date.today()
    with bureau.unit.active() as session:
        selfcheck_service.add_finding(session, row=1, problem=PROBLEM, measure="建立上门服务清单",
                                      owner_id=person(session, "单建国").id, due=today + dt.timedelta(days=30),
                                      today=today)
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        office_service.return_filing(session, "技术科", OPINION, bureau.usb)
        window = shown_window(qtbot, session, settings)
        board = window.show_page(BoardPage)
        detail = board.open_row([r.unit for r in board.proxy.rows()].index("技术科"))
    detail.resize(1093, 582)
    line = detail.fontMetrics().lineSpacing()

    detail.tabs.setCurrentIndex(4)  # 报送与审核记录
    reviews = detail.reviews
    opinion = reviews.records_model.index(0, column(reviews, "意见"))
    assert opinion.data() == OPINION and opinion.data(Qt.ItemDataRole.ToolTipRole) == OPINION
    qtbot.waitUntil(lambda: reviews.rowHeight(0) >= 3 * line)  # its three lines, each whole (was one line, cut)
    QApplication.processEvents()
    assert reviews.horizontalScrollBar().maximum() == 0
    assert reviews.visualRect(opinion).right() <= reviews.viewport().width()  # 意见 ends inside the table
    assert reviews.rowHeight(0) >= reviews.sizeHintForRow(0)  # as tall as its text wrapped in that width

    detail.tabs.setCurrentIndex(2)  # 自查表
    findings = detail.findings
    row = next(r for r in range(findings.records_model.rowCount())
               if findings.records_model.text(r, column(findings, "存在问题")) == PROBLEM)
    problem = findings.records_model.index(row, column(findings, "存在问题"))
    assert findings.fontMetrics().horizontalAdvance(PROBLEM) > findings.columnWidth(problem.column())  # too long
    qtbot.waitUntil(lambda: findings.rowHeight(row) >= 2 * line)  # so it wraps (it was one line, cut with …)
    assert problem.data(Qt.ItemDataRole.ToolTipRole) == PROBLEM
    assert findings.horizontalScrollBar().maximum() == 0


def test_the_units_detail_fits_a_1366_by_768_screen_at_125_percent(qtbot, bureau, settings, monkeypatch):
    """Opened with a double click on the board, the detail asked for 1160×760 on a screen that leaves
    1093×582: it now takes the room the screen has, every tab read without a sideways scroll and
    退回修改 / 确认无误 / 关闭 on the screen."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: SMALL_SCREEN)
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        window = shown_window(qtbot, session, settings)
        board = window.show_page(BoardPage)
        rect = board.table.visualRect(board.proxy.index([r.unit for r in board.proxy.rows()].index("技术科"), 0))
        qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    (detail,) = [d for d in board.findChildren(UnitDetailDialog) if d.isVisible()]
    qtbot.waitExposed(detail)
    for tab in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        assert_fits_a_small_screen(detail)
    assert detail.confirm_button.isEnabled() and detail.return_button.isEnabled()

    detail.resize(1000, 520)  # the reviewer's own size is what the next detail opens with
    detail.close()
    again = board.open_row(0)
    assert (again.width(), again.height()) == (1000, 520)
