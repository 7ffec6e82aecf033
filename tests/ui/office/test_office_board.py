"""纪委（监察室）模式 in the window: setting it up, the board's filters, search, sort and drop,
the expected units, the campaign's 任务包, Excel 汇总表 from units without the app, the outputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QPushButton,
    QStyle,
    QStyleOptionViewItem,
    QTextBrowser,
)

from qingqing_desktop.domain.office import BoardRow, DeliverySource, ReviewState
from qingqing_desktop.domain.unit import UnitKind
from qingqing_desktop.exchange import filing_package
from qingqing_desktop.services import (
    campaign_service,
    filing_service,
    office_service,
    package_service,
    pledge_service,
    roster_service,
    selfcheck_service,
    unit_service,
)
from qingqing_desktop.ui import app as app_module
from qingqing_desktop.services.session import default_operator
from qingqing_desktop.ui.common.info_boxes import OperatorDialog
from qingqing_desktop.ui.common.settings import BOARD_SORT_COLUMN, OPERATOR_NAME, Settings
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.delivery import delivery_actions
from qingqing_desktop.ui.delivery.delivery_page import DeliveryPage
from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.first_start import FirstStartDialog
from qingqing_desktop.ui.help_dialog import HelpDialog
from qingqing_desktop.ui.main_window import MainWindow
from qingqing_desktop.ui.office.board_model import (
    BOARD_FILTERS,
    STATE_COLUMN,
    UNIT_COLUMN,
    delivered_at_cell,
    delivered_at_tooltip,
    on_time_tooltip,
)
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.office_commands import BOARD_CHANGED
from qingqing_desktop.ui.office.office_dialogs import ExcelSummaryDialog, ExpectedUnitsDialog, OfficeModeDialog
from qingqing_desktop.ui.office.office_page import OfficePage
from qingqing_desktop.ui.office.templates_page import TemplatesPage
from qingqing_desktop.ui.office.package_import import ImportReportDialog
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog
from qingqing_desktop.ui.common.background import BackgroundJob
from tests.documents.font_fixtures import cff_fangsong, needs_sungtil  # noqa: F401 - a fixture (asked for by name)
from tools.bench_data import unit_names
from tests.ui.office_fixtures import (  # noqa: F401 — bureau is a fixture
    OFFICE_NAME,
    bureau,
    fill_and_finalise,
    hand_made_xlsx,
    installation,
    make_unit,
    send_package,
    shown_window,
    tampered_copy,
    wait_for_background,
)
from tests.ui.menu_checks import ACCESS_KEY, buttons_with_access_keys, menu_keys, shortcut_owners

TODAY = dt.date.today()


def visible(parent, dialog_class):
    (dialog,) = [d for d in parent.findChildren(dialog_class) if d.isVisible()]
    return dialog


def shown_units(board: BoardPage) -> list[str]:
    return [row.unit for row in board.proxy.rows()]


# ----------------------------------------------------------------------------- setting up


def test_first_start_can_set_this_computer_up_for_the_office(qtbot, session, settings, type_into):
    dialog = FirstStartDialog(Workspace(session, settings))
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.for_unit.isChecked() and dialog.ok_button.isEnabled()  # it says what is missing when pressed
    qtbot.mouseClick(dialog.for_office, Qt.MouseButton.LeftButton)
    assert dialog.sections.currentIndex() == 1
    assert dialog.office_name.text() == "局机关纪委（监察室）" and dialog.ok_button.isEnabled()
    dialog.office_name.clear()
    assert not dialog.ok_button.isEnabled()
    type_into(dialog.office_name, "局机关纪委（监察室）")
    type_into(dialog.operator, "纪委干部")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert office_service.is_office(session) and unit_service.get_unit(session) is None
    window = shown_window(qtbot, session, settings)
    assert window.page_classes == (OfficePage, BoardPage, TemplatesPage)
    assert window.windowTitle() == "局机关纪委（监察室）[*]"
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == ["纪委信息", "报送情况", "政策模板"]
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "行动(&A)", "纪委(&J)", "帮助(&H)"]
    board = window.page(BoardPage)
    office_menu = window.menuBar().actions()[3].menu()
    paper = next(a.menu() for a in office_menu.actions() if a.text() == "核对盖章纸质件(&C)")  # not only the board's button
    assert paper.actions() == [board.check_paper_action, board.check_paper_folder_action]
    assert board.views.currentWidget() is board.no_campaign  # the office starts with a campaign
    office_page = window.show_page(OfficePage)
    assert office_page.keys_box.fingerprint("纪委（监察室）密钥") == office_service.office_info(session).fingerprint


def test_an_office_database_starts_without_the_first_start_dialog(session, monkeypatch, dialogs):
    office_service.enable_office_mode(session, OFFICE_NAME)
    monkeypatch.setenv("QINGQING_DB", str(session.db_path))
    monkeypatch.setattr(app_module, "_log_to_file", lambda: None)
    monkeypatch.setattr(FirstStartDialog, "exec", lambda self: pytest.fail("the first-start dialog was shown"))
    shown = []
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    assert app_module.main(["qingqing"]) == 0
    (window,) = shown
    assert window.office and window.windowTitle() == f"{OFFICE_NAME}[*]"
    window.deleteLater()


def run_the_app(monkeypatch, db_path, in_the_window) -> None:
    """main() on ``db_path`` (its own session and settings, as at a real start), with
    ``in_the_window(window)`` in place of the event loop."""
    monkeypatch.setenv("QINGQING_DB", str(db_path))
    monkeypatch.setattr(app_module, "_log_to_file", lambda: None)
    before, windows = set(QApplication.topLevelWidgets()), []

    def event_loop(*_args):
        (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before]
        windows.append(window)
        in_the_window(window)
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert app_module.main(["qingqing"]) == 0
    windows[0].deleteLater()


def operator_question(qtbot, window) -> OperatorDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(OperatorDialog)))
    return visible(window, OperatorDialog)


def test_an_office_database_asks_the_reviewer_for_a_name_once_instead_of_recording_the_login(
        qtbot, session, monkeypatch, type_into):
    """Set up with qingqing-cli office enable, an office database skips the first-start dialog (where a clerk
    gives the 经办人): the login name (“root”) was recorded without a word, shown in orange in the status bar."""
    office_service.enable_office_mode(session, OFFICE_NAME)
    seen = {}

    def name_given(window):
        question = operator_question(qtbot, window)
        seen["intro"] = question.intro.text()
        assert question.operator.hasFocus()
        type_into(question.operator, "王纪检")
        qtbot.keyClick(question.operator, Qt.Key.Key_Return)
        seen["after"] = (question.isVisible(), window.ws.session.operator, window.operator_label.text())

    run_the_app(monkeypatch, session.db_path, name_given)
    assert f"记下的是这台电脑的登录名“{default_operator()}”" in seen["intro"]
    assert seen["after"] == (False, "王纪检", "经办人：王纪检")  # every record from now on names the reviewer
    assert Settings().get(OPERATOR_NAME) == "王纪检"  # and at the next start


def test_after_not_now_the_status_bar_keeps_asking_and_the_next_start_does_not(qtbot, session, monkeypatch):
    office_service.enable_office_mode(session, OFFICE_NAME)
    seen = {}

    def not_now(window):
        question = operator_question(qtbot, window)
        cancel = question.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel.text() == "暂不填写"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        seen["first"] = (question.isVisible(), window.operator_label.text())

    def started_again(window):
        QApplication.processEvents()
        seen["again"] = ([d for d in window.findChildren(OperatorDialog) if d.isVisible()], window.ask_operator_once())

    run_the_app(monkeypatch, session.db_path, not_now)
    still_open, status = seen["first"]
    assert not still_open and "（电脑登录名）" in status and "填写您的姓名" in status
    run_the_app(monkeypatch, session.db_path, started_again)
    assert seen["again"] == ([], None)  # asked once


def test_the_first_start_dialog_is_where_the_office_was_asked(qtbot, session, settings):
    dialog = FirstStartDialog(Workspace(session, settings))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.mouseClick(dialog.for_office, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # 经办人 left empty
    window = shown_window(qtbot, session, settings)
    assert window.ask_operator_once() is None and "填写您的姓名" in window.operator_label.text()


def test_switching_a_units_database_to_office_mode_is_refused_with_the_reason(qtbot, window, type_into):
    assert [a.text() for a in window.menuBar().actions()][-2:] == ["纪委(&J)", "帮助(&H)"]
    dialog = window.office_actions.switch_mode()
    assert isinstance(dialog, OfficeModeDialog)
    assert any("局机关纪委（监察室）自己的电脑" in label.text() for label in dialog.findChildren(QLabel))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "是“技术科”的填报数据库，不能改为纪委（监察室）模式" in dialog.error.text()
    assert dialog.height() >= dialog.layout_.totalHeightForWidth(dialog.width())  # grew for the message
    assert not office_service.is_office(window.ws.session)


def test_the_office_creates_a_campaign_and_its_task_file_which_a_unit_imports(
    qtbot, tmp_path, monkeypatch, settings, files, dialogs
):
    office = installation(tmp_path, monkeypatch, "office", "纪委干部")
    unit = installation(tmp_path, monkeypatch, "unit", "内勤")
    with office.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
        window = shown_window(qtbot, session, settings)
        board = window.page(BoardPage)
        assert board.no_campaign.new_button.text() == "新建行动并导出任务包…"
        assert not window.office_actions.export_task_action.isEnabled()
        qtbot.mouseClick(board.no_campaign.new_button, Qt.MouseButton.LeftButton)  # the board's own way in
        campaign_dialog = visible(window, CampaignDialog)
        campaign_dialog.deadline.set_value(TODAY + dt.timedelta(days=14))
        task = tmp_path / "任务包.qqtask"
        files.save(task)
        qtbot.mouseClick(campaign_dialog.ok_button, Qt.MouseButton.LeftButton)
        assert task.exists()
        kind, message, _ = dialogs.shown[-1]
        fingerprint = office_service.office_info(session).fingerprint
        assert kind == "saved" and "已导出任务包" in message and fingerprint in message
        assert board.views.currentIndex() == 1 and window.office_actions.export_task_action.isEnabled()
        assert "已过截止日期" not in window.header.deadline.text() and not window.header.state.isVisible()

    with unit.active() as session:
        unit_service.save_unit(session, name="质监站", kind=UnitKind.STATION, leader="林站长")
        unit_window = shown_window(qtbot, session, settings)
        delivery = unit_window.show_page(DeliveryPage)
        assert "还没有导入任务包" in delivery.task_status.text()
        files.open(task)
        delivery.import_task_action.trigger()
        text = dialogs.texts("information")[-1]
        assert "已导入任务包" in text and fingerprint in text and "请与纪委（监察室）核对" in text
        assert delivery.office_fingerprint.text() == fingerprint and delivery.fingerprint_row.isVisible()
        assert "来自局机关纪委（监察室）的任务包“任务包.qqtask”" in delivery.task_status.text()
        assert unit_window.header.deadline.text().endswith("距截止还有 14 天")
    office.session.close()
    unit.session.close()


# ----------------------------------------------------------------------------- the board


def test_expected_units_are_pasted_one_per_line_and_removed_with_undo(qtbot, bureau, settings, dialogs):
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    dialog = window.office_actions.edit_expected_units()
    assert isinstance(dialog, ExpectedUnitsDialog)
    assert dialog.listed() == ["规划科", "技术科", "质监站"]  # by pinyin
    assert dialog.count.text() == "应报单位（3个）："
    dialog.names.setPlainText("城东分局\n\n  城西分局 \n技术科\n")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.listed() == ["城东分局", "城西分局", "规划科", "技术科", "质监站"]
    assert dialog.names.text() == ""
    assert dialog.notice.isVisible() and dialog.notice.text() == "“技术科”已在名单中，没有重复添加。"
    assert len(board.model.records()) == 5
    assert window.undo_action.text() == "撤销(&U) 添加应报单位3个"

    dialog.list.item(0).setSelected(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "城东分局" not in dialog.listed() and "城东分局" not in shown_units(board)
    assert not dialogs.texts("confirm")  # 城东分局 never delivered: nothing to ask
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # in the dialog itself
    assert "城东分局" in dialog.listed() and "城东分局" in shown_units(board)
    window.undo_action.trigger()  # the two new names; 技术科 was listed already
    assert dialog.listed() == ["规划科", "技术科", "质监站"]

    dialog.names.setPlainText("名" * 61)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and "过长" in dialog.error.text()


def test_filters_search_sort_and_totals(qtbot, bureau, settings, tmp_path, monkeypatch):
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    with bureau.office.active() as session:
        office_service.import_package(session, package.path)
        campaign_service.update_campaign(session, deadline=TODAY - dt.timedelta(days=1))  # now overdue
        window = shown_window(qtbot, session, settings)
    board = window.page(BoardPage)
    # 逾期: the two that have not delivered, and 技术科, whose package is dated after the new deadline
    assert board.strip.first.text() == "应报 3 个单位，已报 1，未报 2，逾期 3，待审核 1，退回 0，已确认 0"
    assert "承诺书：应签 3 人，已签 2 人，未签 1 人" in board.strip.second.text()
    assert [board.filter.itemText(i) for i in range(board.filter.count())] == [
        "全部（3）", "未报送（2）", "待审核（1）", "退回（0）", "已确认（0）", "逾期（3）", "未签名（Excel）（0）"]
    assert len(BOARD_FILTERS) == 7

    board.set_filter("未报送")
    assert shown_units(board) == ["规划科", "质监站"]
    overdue = board.proxy.rows()[0]
    assert board.model.foreground(overdue).name() == "#c62828"  # overdue: red
    board.set_filter("待审核")
    assert shown_units(board) == ["技术科"]
    board.set_filter("全部")
    qtbot.keyClicks(board.search, "zj")
    assert shown_units(board) == ["质监站"]
    board.search.clear()

    header = board.table.horizontalHeader()
    signed = list(board.model.columns).index(next(c for c in board.model.columns if c.title == "已签人数"))
    board.table.sortByColumn(signed, Qt.SortOrder.DescendingOrder)
    assert shown_units(board)[0] == "技术科"  # the only number sorts before the empty cells
    assert header.sortIndicatorSection() == signed
    board.table.sortByColumn(signed, Qt.SortOrder.AscendingOrder)
    assert shown_units(board)[0] == "技术科"  # empty cells stay at the bottom both ways
    assert window.counts_label.text() == "应报 3 · 已报 1 · 已确认 0"


def click_header(qtbot, table, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_the_board_keeps_the_order_the_reviewer_chose_after_a_restart(qtbot, bureau, settings):
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    assert shown_units(board) == ["规划科", "技术科", "质监站"]  # by name, in pinyin, to start
    click_header(qtbot, board.table, STATE_COLUMN)
    click_header(qtbot, board.table, STATE_COLUMN)  # the second click turns the order round
    header = board.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (STATE_COLUMN, Qt.SortOrder.DescendingOrder)
    chosen = shown_units(board)
    assert chosen != ["规划科", "技术科", "质监站"]
    window.close()

    again = shown_window(qtbot, bureau.office.session, Settings())  # the app started again: read from the file
    board = again.page(BoardPage)
    header = board.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (STATE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_units(board) == chosen


def test_a_saved_sort_column_the_board_does_not_have_falls_back_to_the_unit(qtbot, bureau, settings):
    settings.set(BOARD_SORT_COLUMN, 99)
    board = shown_window(qtbot, bureau.office.session, settings).page(BoardPage)
    assert board.table.horizontalHeader().sortIndicatorSection() == UNIT_COLUMN
    assert shown_units(board) == ["规划科", "技术科", "质监站"]


def test_a_signer_who_need_not_sign_is_told_apart_on_the_board_and_in_the_detail(qtbot, bureau, settings):
    # 孙佳怡 (财务) need not sign and signed all the same: 应签 3, 已签 3, 未签 1. The counts say why.
    with bureau.unit.active() as session:
        volunteer = next(m for m in roster_service.list_staff(session) if m.name == "孙佳怡")
        pledge_service.set_status(session, volunteer.id, "已签订", signed_on=TODAY, today=TODAY)
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    with bureau.office.active() as session:
        office_service.import_package(session, package.path)
        window = shown_window(qtbot, session, settings)
    board = window.page(BoardPage)
    window.show_page(BoardPage)
    assert "承诺书：应签 3 人，已签 3 人（其中 1 人不须签订），未签 1 人" in board.strip.second.text()
    row = shown_units(board).index("技术科")
    signed = list(board.model.columns).index(next(c for c in board.model.columns if c.title == "已签人数"))
    index = board.proxy.index(row, signed)
    assert index.data() == "3*"  # as the printed overview marks it
    tip = board.model.headerData(signed, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "带“*”的" in tip and "汇总表（附件2）" in tip
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("已签 3 人（其中 1 人不须签订）")
    other = board.proxy.index(shown_units(board).index("质监站"), signed)
    assert other.data(Qt.ItemDataRole.ToolTipRole) is None
    rect = board.table.visualRect(board.proxy.index(row, 0))
    qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = visible(board, UnitDetailDialog)
    assert "承诺书应签 3 人，已签 3 人（其中 1 人不须签订），未签 1 人" in detail.facts.text()


def delivered_then_off_the_list(bureau, session):
    """技术科 sends its package and the office imports it, then takes 技术科 off its list of expected units."""
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    office_service.import_package(session, package.path)
    technical = next(u for u in office_service.list_units(session) if u.name == "技术科")
    office_service.set_units_expected(session, [technical.id], False)
    return package


def test_taking_a_unit_that_delivered_off_the_list_is_asked_first(qtbot, bureau, settings, dialogs):
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        window = shown_window(qtbot, session, settings)
        dialog = window.office_actions.edit_expected_units()
        dialog.list.item(dialog.listed().index("技术科")).setSelected(True)
        dialogs.confirm_answer = False
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert dialogs.texts("confirm")[-1].startswith("“技术科”已经报送。移出名单后，报送的数据仍然保留")
        assert "技术科" in dialog.listed()  # 取消: still on the list
        dialogs.confirm_answer = True
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert "技术科" not in dialog.listed()


def test_a_unit_off_the_list_that_delivered_is_not_counted_as_one_of_the_expected(qtbot, bureau, settings):
    with bureau.office.active() as session:
        delivered_then_off_the_list(bureau, session)
        window = shown_window(qtbot, session, settings)
    board = window.page(BoardPage)
    # 应报 2, of which none delivered: 已报 and 未报 add up to 应报, 技术科 is told apart
    # 待审核 counts the listed units as 已报 does: 技术科's package waits in a clause of its own
    assert board.strip.first.text() == (
        "应报 2 个单位，已报 0，未报 2，逾期 0，待审核 0，退回 0，已确认 0；另有 1 个未列入名单的单位报送（待审核 1）")
    assert window.counts_label.text() == "应报 2 · 已报 0 · 已确认 0 · 名单外报送 1"
    with bureau.office.active() as session:
        office_service.confirm_filing(session, "技术科")
    window.ws.notify(BOARD_CHANGED)
    assert board.strip.first.text().endswith("已确认 0；另有 1 个未列入名单的单位报送")
    # the status bar counts as the strip does, the unit off the list apart
    assert window.counts_label.text() == "应报 2 · 已报 0 · 已确认 0 · 名单外报送 1"


def test_the_board_shows_every_column_whole_in_a_1200_pixel_window(qtbot, bureau, settings):
    with bureau.office.active() as session:
        fill_and_finalise(bureau.unit)
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        office_service.import_summary_excel(session, "规划科", hand_made_xlsx(
            bureau.usb / "规划科.xlsx", [("王建", "中层干部", "分管规划", "是")]))  # 数据来源: Excel（未签名）
        window = shown_window(qtbot, session, settings)
    window.resize(1200, 760)
    board = window.page(BoardPage)
    window.show_page(BoardPage)
    qtbot.waitUntil(lambda: board.table.viewport().width() > 0)
    QApplication.processEvents()
    header = board.table.horizontalHeader()
    last = header.count() - 1
    state_width = board.table.fontMetrics().horizontalAdvance("待审核（冲突1）")
    # 状态, last and read first, has room beside the others: not cut off behind a scroll bar
    assert sum(map(header.sectionSize, range(last))) + state_width <= board.table.viewport().width()
    assert board.model.headerData(list(board.model.columns).index(
        next(c for c in board.model.columns if c.title == "已签人数")), Qt.Orientation.Horizontal) == "已签\n人数"


# A county bureau's units as the testers had them: branch offices with the bureau's name in front.
BUREAU_UNITS = (
    "平阳县住房和城乡建设局鳌江分局", "平阳县住房和城乡建设局水头分局", "平阳县住房和城乡建设局萧江分局",
    "平阳县住房和城乡建设局万全分局", "平阳县住房和城乡建设局昆阳所", "质量安全监督站", "建设工程质量安全监督站",
    "房地产市场监管科", "建筑市场监管科", "住房保障中心", "房屋征收服务中心", "物业管理服务中心", "人民防空办公室",
    "城建档案馆", "燃气管理所", "园林绿化管理所", "公用事业管理处", "行政审批科", "消防设计审查科", "办公室",
)


def test_the_board_fits_a_maximised_window_on_a_1366_screen_at_125_percent(qtbot, bureau, settings):
    """1366×768 at 125 %: a maximised window is 1093 pixels wide. With units that delivered only an Excel
    summary listed, 状态 was behind a sideways scroll; the long names now give way, whole in their tooltip."""
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.add_expected_units(session, BUREAU_UNITS)
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        for name in BUREAU_UNITS[:6:2]:  # 数据来源 Excel, among the longest names
            office_service.import_summary_excel(session, name, hand_made_xlsx(
                bureau.usb / f"{name}.xlsx", [("王建", "中层干部", "分管规划", "是")]))
        window = shown_window(qtbot, session, settings)
    window.resize(1093, 582)  # the screen less the taskbar
    board = window.page(BoardPage)
    window.show_page(BoardPage)
    table, header = board.table, board.table.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    QApplication.processEvents()

    assert table.horizontalScrollBar().maximum() == 0  # no sideways scroll
    last = header.count() - 1
    states = {board.model.text(r, last) for r in range(board.model.rowCount())}
    assert header.sectionSize(last) >= max(map(table.fontMetrics().horizontalAdvance, states))  # 状态 whole
    assert header.sectionPosition(last) + header.sectionSize(last) <= table.viewport().width()

    # What gave way is whole in a tooltip: the unit's name, the date and time, where the data came from
    row = shown_units(board).index("平阳县住房和城乡建设局鳌江分局")
    tip = board.proxy.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == "平阳县住房和城乡建设局鳌江分局"
    columns = [c.title for c in board.model.columns]
    source = board.proxy.index(row, columns.index("数据来源"))
    assert source.data() == "Excel" and "未签名" in source.data(Qt.ItemDataRole.ToolTipRole)
    assert board.model.headerData(columns.index("数据来源"), Qt.Orientation.Horizontal,
                                  Qt.ItemDataRole.ToolTipRole).startswith("数据来源")
    when = board.proxy.index(row, columns.index("报送时间"))
    assert len(when.data()) == len("12-07 14:05")
    assert when.data(Qt.ItemDataRole.ToolTipRole).startswith(f"报送于 {TODAY.year}年")

    # A name the reviewer widens by hand stays as they set it when the window changes size
    header.resizeSection(0, 260)
    window.resize(1000, 582)
    QApplication.processEvents()
    assert header.sectionSize(0) == 260


def drawn_text(table, index) -> str:
    """The text the table draws in a cell: elided with “…” where its column is too narrow for it."""
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    option.rect = QRect(0, 0, table.columnWidth(index.column()), table.rowHeight(index.row()))
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    style = table.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1  # as Qt's styles draw it
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table).width() - 2 * margin
    return option.fontMetrics.elidedText(option.text, table.textElideMode(), room)


# 住 (zhù): the last name in pinyin order, far below the first rows the columns were sized from.
LONGEST_UNIT = "住房和城乡建设局鳌江分局城市管理综合行政执法中队"


def test_the_unit_column_is_as_wide_as_the_longest_of_2000_names_where_there_is_room(qtbot, bureau, settings):
    """The unit column was sized from the first 60 rows: the longest name, last of 2,000, was cut in the
    middle in a window with room to spare. Where the room is missing it still gives way, whole in its tooltip."""
    with bureau.office.active() as session:
        office_service.add_expected_units(session, [*unit_names(2000), LONGEST_UNIT])
        window = shown_window(qtbot, session, settings)
    window.resize(1800, 900)
    board = window.show_page(BoardPage)
    table = board.table
    qtbot.waitUntil(lambda: table.viewport().width() > 1200)
    QApplication.processEvents()
    last = board.proxy.rowCount() - 1
    assert last == 2003 and board.proxy.row_at(last).unit == LONGEST_UNIT
    name = board.proxy.index(last, UNIT_COLUMN)
    assert drawn_text(table, name) == LONGEST_UNIT  # whole
    assert table.horizontalScrollBar().maximum() == 0

    window.resize(1093, 582)  # 1366×768 at 125 %: no room for it beside the other columns
    qtbot.waitUntil(lambda: drawn_text(table, name) != LONGEST_UNIT)
    shown = drawn_text(table, name)
    assert shown.startswith("住房") and shown.endswith("中队") and "…" in shown  # elided in the middle
    assert name.data(Qt.ItemDataRole.ToolTipRole).splitlines()[0] == LONGEST_UNIT
    assert table.horizontalScrollBar().maximum() == 0


# 技术科 delivered once, on time, pending review: a row of the board without a session behind it.
DELIVERED_ROW = BoardRow(
    office_unit_id="u", unit="技术科", expected=True, delivered=True, source=DeliverySource.PACKAGE, signed=True,
    revision=1, first_delivered_at="2025-12-07T06:05:00+00:00", delivered_at="2025-12-07T06:05:00+00:00",
    on_time=True, overdue=False, pledges_required=3, pledges_signed=2, pledges_outstanding=1, findings_open=0,
    findings_done=0, state=ReviewState.PENDING, returned=False, confirmed=False, returns=0, conflicts=0,
    changes="", fingerprint=None)


def test_a_delivery_of_an_earlier_year_shows_its_year_on_the_board():
    row = DELIVERED_ROW
    assert delivered_at_cell(row, today=dt.date(2026, 1, 5)) == "2025-12-07"
    assert delivered_at_cell(row, today=dt.date(2025, 12, 20)).endswith(":05")


def test_a_redelivery_after_a_return_shows_when_the_first_one_came_which_decides_on_time():
    """The board shows the version in use; 按时 is judged by the first delivery (as the exported 汇总表's
    首次报送时间): a unit returned and redelivering after the deadline is still on time, and says why."""
    row = dataclasses.replace(DELIVERED_ROW, revision=2, first_delivered_at="2026-03-13T06:05:00+00:00",
                              delivered_at="2026-03-20T02:30:00+00:00", returns=1)
    # (the hours are this computer's local time: only the minutes are certain)
    assert re.fullmatch(r"第2版报送于 2026年3月\d+日 \d+:30；首次报送于 2026年3月\d+日 \d+:05（是否按时以首次报送计）",
                        delivered_at_tooltip(row)), delivered_at_tooltip(row)
    assert re.fullmatch(r"首次报送（2026年3月\d+日 \d+:05）在截止日期前报送", on_time_tooltip(row)), on_time_tooltip(row)
    first = dataclasses.replace(row, revision=1, delivered_at=row.first_delivered_at)
    assert re.fullmatch(r"报送于 2026年3月\d+日 \d+:05", delivered_at_tooltip(first))
    assert on_time_tooltip(first) == "在截止日期前报送"


def test_double_click_opens_the_units_detail(qtbot, bureau, settings):
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    row = shown_units(board).index("质监站")
    rect = board.table.visualRect(board.proxy.index(row, 0))
    qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a person does
    qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = visible(board, UnitDetailDialog)
    assert detail.title.text() == "质监站" and detail.state.text() == "未报送"
    assert not detail.return_button.isEnabled() and not detail.confirm_button.isEnabled()
    assert detail.documents.labels() == [] and "尚未报送" in detail.documents.preview.placeholder.text()


def test_a_unit_off_the_list_says_how_to_list_it_and_its_received_files_show_their_names_whole(
        qtbot, bureau, settings):
    with bureau.office.active() as session:
        package = delivered_then_off_the_list(bureau, session)  # named 报送包_技术科_<行动>_第1版.qqpkg
        window = shown_window(qtbot, session, settings)
        board = window.page(BoardPage)
        rect = board.table.visualRect(board.proxy.index(shown_units(board).index("技术科"), 0))
        qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        detail = visible(board, UnitDetailDialog)
    assert "该单位不在应报单位名单中；如应当报送，请在菜单“纪委 → 应报单位名单…”中添加。" in detail.notes.text()
    ((file_name, *_),) = detail.deliveries.texts()
    assert file_name == package.path.name and file_name.endswith("_第1版.qqpkg")
    # whole, 版次 and all: not cut to "报送包_技术科_…_第…"
    assert detail.deliveries.columnWidth(0) >= detail.deliveries.fontMetrics().horizontalAdvance(file_name)


def mime_with(paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


class DragEnter:
    """What dragEnterEvent reads of a QDragEnterEvent (whose QPoint constructor PySide marks deprecated)."""

    def __init__(self, paths):
        self._mime = mime_with(paths)
        self.accepted = False

    def mimeData(self) -> QMimeData:
        return self._mime

    def acceptProposedAction(self) -> None:
        self.accepted = True


def test_a_folder_dropped_on_the_board_is_imported(qtbot, bureau, settings, tmp_path):
    fill_and_finalise(bureau.unit)
    send_package(bureau.unit, bureau.usb)
    (bureau.usb / "说明.txt").write_text("not a package")
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    enter = DragEnter([tmp_path / "说明.txt"])
    board.dragEnterEvent(enter)
    assert not enter.accepted  # neither a package nor a folder
    enter = DragEnter([bureau.usb])
    board.dragEnterEvent(enter)
    assert enter.accepted
    with bureau.office.active():
        mime = mime_with([bureau.usb])
        board.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                   Qt.KeyboardModifier.NoModifier))
        wait_for_background(qtbot)
    report = visible(board, ImportReportDialog)
    assert [label for _name, label, _detail in report.labels()] == ["新导入"]
    assert next(r for r in board.model.records() if r.unit == "技术科").delivered
    # the file name is shown whole, extension included, not cut to "…第1版.…"
    (file_name,) = [name for name, _label, _detail in report.labels()]
    assert file_name.endswith(".qqpkg")
    needed = report.table.fontMetrics().horizontalAdvance(file_name)
    assert report.table.columnWidth(0) >= needed


def test_an_empty_folder_says_so(qtbot, bureau, settings, files, tmp_path):
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    empty = tmp_path / "空U盘"
    empty.mkdir()
    files.folder(empty)
    board.import_folder_action.trigger()
    wait_for_background(qtbot)
    report = visible(board, ImportReportDialog)
    assert "没有找到报送包" in report.summary.text()


EXCEL_ADVICE = "单位交来的Excel汇总表请用菜单“纪委 → 导入Excel汇总表…”导入"
SCAN_ADVICE = "盖章纸质件的扫描件请用“报送情况”页的“核对盖章纸质件”核对"


def _folder_imported(qtbot, bureau, settings, files) -> ImportReportDialog:
    """导入文件夹… on the stick, as the reviewer does it from the board: the report it shows."""
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    files.folder(bureau.usb)
    with bureau.office.active():
        board.import_folder_action.trigger()
        wait_for_background(qtbot)
    return visible(board, ImportReportDialog)


def test_a_folder_import_names_the_files_that_are_not_packages_and_where_they_go(qtbot, bureau, settings, files):
    # The tester's stick: 技术科's package with its stamped PDFs and an Excel 汇总表 beside it, all silently passed over.
    fill_and_finalise(bureau.unit)
    send_package(bureau.unit, bureau.usb)
    (bureau.usb / "技术科附件2盖章.pdf").write_bytes(b"%PDF-1.4")
    (bureau.usb / "扫描").mkdir()
    (bureau.usb / "扫描" / "技术科附件3盖章.pdf").write_bytes(b"%PDF-1.4")
    (bureau.usb / "质监站汇总表.xlsx").write_bytes(b"PK")
    (bureau.usb / "说明.txt").write_text("x")
    (bureau.usb / "~$质监站汇总表.xlsx").write_bytes(b"lock")  # Office's lock file: nobody handed it over
    (bureau.usb / "Thumbs.db").write_bytes(b"x")
    report = _folder_imported(qtbot, bureau, settings, files)
    assert [label for _name, label, _detail in report.labels()] == ["新导入"]  # the import itself as before
    assert report.summary.text() == "共 1 个文件：新导入 1 个。"
    assert report.skipped.isVisible()
    assert report.skipped.text().split("\n") == [
        "文件夹中另有 4 个文件不是报送包，没有导入：",
        f"“质监站汇总表.xlsx”：是Excel文件，{EXCEL_ADVICE}。",
        f"“扫描/技术科附件3盖章.pdf”、“技术科附件2盖章.pdf”：是PDF文件，{SCAN_ADVICE}。",
        "“说明.txt”：不是报送包。",
    ]


def test_a_folder_of_packages_only_says_nothing_of_other_files(qtbot, bureau, settings, files):
    fill_and_finalise(bureau.unit)
    send_package(bureau.unit, bureau.usb)
    report = _folder_imported(qtbot, bureau, settings, files)
    assert not report.skipped.isVisible() and not report.skipped.text()


@pytest.mark.parametrize(("name", "sentence"), [
    ("技术科附件2盖章.pdf", f"“技术科附件2盖章.pdf”是PDF文件，不是报送包；{SCAN_ADVICE}。"),
    ("质监站汇总表.xlsx", f"“质监站汇总表.xlsx”是Excel文件，不是报送包；{EXCEL_ADVICE}。"),
])
def test_a_pdf_or_excel_chosen_as_a_package_is_refused_with_where_it_goes(qtbot, bureau, settings, files, dialogs,
                                                                          tmp_path, name, sentence):
    # It said: “这不是亲清填报的报送包（文件格式不对，可能是别的文件改了扩展名）。请确认选择的文件是否正确。”
    chosen = tmp_path / name
    chosen.write_bytes(b"%PDF-1.4" if name.endswith(".pdf") else b"PK\x03\x04")
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    files.open_many([chosen])
    with bureau.office.active():
        board.import_files_action.trigger()
        wait_for_background(qtbot)
    assert dialogs.shown == [("warning", "不是报送包", sentence)]
    assert not [d for d in board.findChildren(ImportReportDialog) if d.isVisible()]


# ----------------------------------------------------------------------------- Excel and outputs


def excel_dialog(qtbot, window, files, path) -> ExcelSummaryDialog:
    """导入Excel汇总表 as a clerk starts it: the menu item, then the file chosen in the file dialog."""
    files.open(path)
    window.office_actions.import_excel_action.trigger()
    wait_for_background(qtbot)  # the file is judged before the unit is asked
    return visible(window, ExcelSummaryDialog)


def test_an_excel_summary_goes_to_the_unit_chosen_and_is_marked_unsigned(qtbot, bureau, settings, files, tmp_path,
                                                                        dialogs):
    xlsx = hand_made_xlsx(tmp_path / "规划科汇总表.xlsx", [("王建", "中层干部", "分管规划", "是"),
                                                         ("刘芳", "一般工作人员", "规划核实", "否")])
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        dialog = excel_dialog(qtbot, window, files, xlsx)
        assert dialog.unit.currentText() == "规划科"  # guessed from the file's name
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "已导入“规划科”的汇总表：2人" in dialogs.texts("information")[-1]
    row = next(r for r in board.model.records() if r.unit == "规划科")
    assert row.signed is False
    board.set_filter("未签名（Excel）")
    assert shown_units(board) == ["规划科"]
    detail = board.open_row(0)
    assert detail.summary.texts() == [("1", "王建", "中层干部", "分管规划", "是"), ("2", "刘芳", "一般工作人员", "规划核实", "否")]
    assert not detail.tabs.isTabEnabled(1) and not detail.tabs.isTabEnabled(2)  # no pledges, no 自查表 in Excel
    assert detail.documents.labels() == ["规划科汇总表.xlsx"]
    assert "不能在此预览" in detail.documents.preview.placeholder.text()
    assert "没有签名" in detail.notes.text()


def test_an_excel_summary_naming_another_unit_is_questioned_before_anything_is_written(
        qtbot, bureau, settings, files, tmp_path, dialogs):
    xlsx = hand_made_xlsx(tmp_path / "汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")])  # 单位（盖章）：规划科
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        dialog = excel_dialog(qtbot, window, files, xlsx)
        dialog.unit.setCurrentIndex(dialog.unit.findText("质监站"))  # the wrong unit picked from the list
        dialogs.confirm_answer = False
        qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
        assert dialogs.texts("confirm")[-1].startswith("表中写的单位是“规划科”，与指定的“质监站”不同。")
        assert dialog.isVisible() and not dialogs.texts("information")  # kept open, nothing imported
        assert next(r for r in board.model.records() if r.unit == "质监站").state is ReviewState.NOT_DELIVERED
        dialogs.confirm_answer = True
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "已导入“质监站”的汇总表：1人" in dialogs.texts("information")[-1]


def test_an_excel_of_people_another_unit_filed_is_questioned_and_a_roster_refused(
        qtbot, bureau, settings, files, tmp_path, dialogs):
    # The tester chose 技术科's own staff roster for 城东分局 and pressed Return: imported, 12 signed.
    fill_and_finalise(bureau.unit)
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        # the roster: refused as soon as it is read, before any unit is asked (see the test above)
        files.open(staff_roster_xlsx(tmp_path / "名单.xlsx"))
        window.office_actions.import_excel_action.trigger()
        wait_for_background(qtbot)
        assert "表格上方的标题是“技术科人员名单”" in dialogs.texts("warning")[-1]
        assert not [d for d in window.findChildren(ExcelSummaryDialog) if d.isVisible()]
        # a 附件2 of 技术科's people, said to be 规划科's: asked first
        xlsx = hand_made_xlsx(tmp_path / "规划科.xlsx", [("单建国", "中层干部", "主持全面工作", "是"),
                                                       ("李𡈽", "一般工作人员", "质量监管", "否")])
        dialog = excel_dialog(qtbot, window, files, xlsx)
        assert dialog.unit.currentText() == "规划科"
        dialogs.confirm_answer = False
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialogs.texts("confirm")[-1].startswith("表中的2人里有2人（单建国、李𡈽）与“技术科”已报送的人员同名")
        assert dialog.isVisible() and not dialogs.texts("information")
    assert next(r for r in board.model.records() if r.unit == "规划科").state is ReviewState.NOT_DELIVERED


def staff_roster_xlsx(path):
    """技术科's staff roster: a table of a 附件2's shape under another title, with a 备注 column."""
    book = openpyxl.Workbook()
    book.active.title = "人员名单"
    book.active.append(["技术科人员名单"])
    book.active.append(["序号", "姓名", "职务", "工作岗位", "是否党员", "备注"])
    book.active.append([1, "单建国", "科长", "主持全面工作", "是", "借调"])
    book.save(path)
    return path


@pytest.mark.parametrize("kind", ["roster", "unrelated"])
def test_a_file_that_is_no_excel_summary_is_refused_before_the_unit_is_asked(
        qtbot, bureau, settings, files, tmp_path, dialogs, kind):
    """A staff roster (or any other workbook) was refused only once a unit had been chosen and 导入 pressed."""
    if kind == "roster":
        path = staff_roster_xlsx(tmp_path / "名单.xlsx")
        said = ("文件“名单.xlsx”，工作表“人员名单”", "表格上方的标题是“技术科人员名单”")
    else:
        path = tmp_path / "预算.xlsx"
        book = openpyxl.Workbook()
        book.active.title = "预算"
        book.active.append(["项目", "金额"])
        book.active.append(["办公用品", 1200])
        book.save(path)
        said = ("文件“预算.xlsx”，工作表“预算”：", "没有找到名单的表头")
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        files.open(path)
        window.office_actions.import_excel_action.trigger()
        wait_for_background(qtbot)
        assert not [d for d in window.findChildren(ExcelSummaryDialog) if d.isVisible()]  # no unit asked
    ((kind_, title, text),) = dialogs.shown
    assert (kind_, title) == ("warning", "汇总表未导入") and all(part in text for part in said), text
    assert all(r.state is ReviewState.NOT_DELIVERED for r in board.model.records())


def test_the_excel_dialog_offers_the_unit_written_in_the_file_and_says_when_it_is_off_the_list(
        qtbot, bureau, settings, files, tmp_path, dialogs):
    listed = hand_made_xlsx(tmp_path / "汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")])  # 单位（盖章）：规划科
    unlisted = tmp_path / "附件2.xlsx"
    book = openpyxl.load_workbook(listed)
    book.active["A3"] = "单位（盖章）：审批科"
    book.save(unlisted)
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        dialog = excel_dialog(qtbot, window, files, listed)
        # the file's name says nothing; the line above its table does
        assert dialog.unit.currentText() == "规划科" and dialog.unit.currentIndex() >= 0
        dialog.reject()
        dialog = excel_dialog(qtbot, window, files, unlisted)
        assert dialog.unit.currentText() == "审批科" and dialog.unit.currentIndex() < 0  # not on the list: as written
        hint = dialog.unit.lineEdit().placeholderText()
        assert dialog.unit.lineEdit().width() > dialog.unit.fontMetrics().horizontalAdvance(hint)  # the hint is whole
        qtbot.keyClick(dialog.unit.lineEdit(), Qt.Key.Key_Return)
    assert "“审批科”不在应报单位名单中" in dialogs.texts("information")[-1]
    assert board.strip.first.text().endswith("；另有 1 个未列入名单的单位报送（待审核 1）")
    # an Excel-only unit says who signed, not who had to: its signers are not added to 已签 beside 应签
    assert "承诺书：应签 0 人，已签 0 人（另有只交Excel的单位列明已签 1 人）" in board.strip.second.text()


@pytest.mark.parametrize(("typed", "down", "unit"), [
    ("规划科", False, "规划科"),  # the whole name typed: the list offers it alone
    ("规划", True, "规划科"),  # part of it, then ↓ to the name offered
    ("规划", False, "规划科"),  # part of it, the list's only name: Return takes it (not a new unit “规划”)
    ("GIS", True, "GIS测绘中心"),  # typed on the keys
    ("GIS测绘中心", False, "GIS测绘中心"),
    ("审批科", False, "审批科"),  # no name offered: a unit not on the list, as typed
])
def test_one_return_imports_the_unit_typed_in_the_excel_dialog(qtbot, bureau, settings, files, tmp_path, dialogs,
                                                               type_into, typed, down, unit):
    # The tester typed the unit's name; the completer's list came up, and the first Return only closed it.
    xlsx = hand_made_xlsx(tmp_path / "汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")])
    book = openpyxl.load_workbook(xlsx)
    book.active["A3"] = "单位（盖章）："  # nothing offered from the file: the clerk types it
    book.save(xlsx)
    with bureau.office.active() as session:
        office_service.add_expected_units(session, ["GIS测绘中心"])
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active():
        dialog = excel_dialog(qtbot, window, files, xlsx)
        qtbot.waitExposed(dialog)
        edit = dialog.unit.lineEdit()
        edit.clear()
        if typed.isascii():
            qtbot.keyClicks(edit, typed)
        else:
            type_into(edit, typed)
        popup = dialog.unit.completer().popup()
        assert popup.isVisible() == (unit != "审批科")
        if down:
            qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup if popup.isVisible() else edit, Qt.Key.Key_Return)
        # closed, and maybe deleted already (it deletes itself on close)
        qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=2000)
    assert f"已导入“{unit}”的汇总表：1人" in dialogs.texts("information")[-1]


def test_return_with_several_names_offered_and_none_chosen_only_closes_the_list(
        qtbot, bureau, settings, files, tmp_path, dialogs, type_into):
    """科 is in 规划科 and 技术科: one Return must not import the file under “科”, a unit nobody meant."""
    xlsx = hand_made_xlsx(tmp_path / "汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")])
    book = openpyxl.load_workbook(xlsx)
    book.active["A3"] = "单位（盖章）："
    book.save(xlsx)
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active() as session:
        before = office_service.board(session).rows
        dialog = excel_dialog(qtbot, window, files, xlsx)
        qtbot.waitExposed(dialog)
        edit = dialog.unit.lineEdit()
        edit.clear()
        type_into(edit, "科")
        popup = dialog.unit.completer().popup()
        assert popup.isVisible() and dialog.unit.completer().completionCount() == 2
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2000)
        qtbot.wait(50)  # were it to go on, the import would run in the next event
        assert dialog.isVisible() and edit.text() == "科"
        assert not dialogs.texts("information")
        assert office_service.board(session).rows == before
        dialog.reject()


def test_a_click_in_the_excel_dialogs_list_only_picks_the_unit(qtbot, bureau, settings, files, tmp_path, dialogs,
                                                              type_into):
    xlsx = hand_made_xlsx(tmp_path / "汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")])
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active():
        dialog = excel_dialog(qtbot, window, files, xlsx)
        qtbot.waitExposed(dialog)
        dialog.unit.lineEdit().clear()
        type_into(dialog.unit.lineEdit(), "规划")
        popup = dialog.unit.completer().popup()
        assert popup.isVisible()
        qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(popup.model().index(0, 0)).center())
        qtbot.wait(50)
        assert dialog.isVisible() and dialog.unit.currentText() == "规划科" and not dialogs.texts("information")
        qtbot.keyClick(dialog.unit.lineEdit(), Qt.Key.Key_Return)  # the list closed: Return goes on as before
    assert "已导入“规划科”的汇总表：1人" in dialogs.texts("information")[-1]


def test_a_wrong_excel_is_refused_with_the_row_named(qtbot, bureau, settings, files, tmp_path, dialogs):
    xlsx = hand_made_xlsx(tmp_path / "坏表.xlsx", [("王建", "工程师", "分管规划", "是")])
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active():
        files.open(xlsx)
        window.office_actions.import_excel_action.trigger()
        wait_for_background(qtbot)
        assert not [d for d in window.findChildren(ExcelSummaryDialog) if d.isVisible()]  # no unit asked
        assert "坏表.xlsx" in dialogs.texts("warning")[-1] and "第5行" in dialogs.texts("warning")[-1]
        # A file changed after it was read is judged again on 导入: the dialog stays, the row named.
        hand_made_xlsx(tmp_path / "好表.xlsx", [("王建", "中层干部", "分管规划", "是")])
        dialog = excel_dialog(qtbot, window, files, tmp_path / "好表.xlsx")
        hand_made_xlsx(tmp_path / "好表.xlsx", [("王建", "工程师", "分管规划", "是")])
        dialog.unit.setCurrentText("规划科")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "第5行" in dialog.error.text() and "好表.xlsx" in dialog.error.text()


@needs_sungtil
def test_the_bureau_wide_workbook_and_the_overview_pdf(qtbot, bureau, settings, files, tmp_path, dialogs, monkeypatch,
                                                      request):
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    cff_fangsong = request.getfixturevalue("cff_fangsong")  # from here on: this office PC's 仿宋, never converted
    shown = []  # every text a progress box showed
    show = BackgroundJob._show_progress
    monkeypatch.setattr(BackgroundJob, "_show_progress", lambda job, percent, text: (shown.append(text),
                                                                                      show(job, percent, text)))
    with bureau.office.active() as session:
        office_service.import_package(session, package.path)
        window = shown_window(qtbot, session, settings)
        files.save(tmp_path / "汇总", tmp_path / "报送情况.pdf")  # no suffix typed: .xlsx is added
        window.office_actions.export_workbook_action.trigger()
        wait_for_background(qtbot)
        assert not cff_fangsong and not shown  # an Excel file needs no PDF font
        window.office_actions.export_pdf_action.trigger()
        wait_for_background(qtbot)
    # This office PC's 仿宋 is a CFF font never converted: the progress box said so while it was
    assert cff_fangsong == ["simfang.otf"] and any("正在准备打印字体“FangSong”" in text for text in shown)
    # the campaign named as in the packages' file names: no quotes (2019年“三清单一承诺”行动)
    assert [Path(asked[2]).name for asked in files.asked] == ["2019年三清单一承诺行动_全局汇总.xlsx",
                                                             "2019年三清单一承诺行动_报送情况.pdf"]
    workbook = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert len(workbook.sheetnames) == 2  # the overview and 技术科's 附件2
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "报送情况.pdf").pages)
    assert "技术科" in text and "质监站" in text
    assert [kind for kind, *_ in dialogs.shown] == ["saved", "saved"]


# ----------------------------------------------------------------------------- the unit's side


def test_the_unit_cannot_make_a_package_before_finalising_and_is_told_why(qtbot, bureau, settings, dialogs):
    window = shown_window(qtbot, bureau.unit.session, settings)
    page = window.show_page(DeliveryPage)
    assert not page.make_package_action.isEnabled() and page.finalise_button.isVisible()
    assert "请在“承诺书签订”和“自查表”页填好后定稿" in page.package_status.text()
    delivery_actions.make_package(window.ws, window)
    assert "定稿后才能生成报送包" in dialogs.texts("information")[-1]


def test_a_campaign_made_by_the_unit_itself_cannot_be_sent(qtbot, workspace, settings, dialogs):
    campaign_service.create_campaign(workspace.session, deadline=TODAY + dt.timedelta(days=3))
    window = shown_window(qtbot, workspace.session, settings)
    page = window.show_page(DeliveryPage)
    assert "是在本机新建的，不是从任务包导入的" in page.task_status.text()
    assert not page.fingerprint_row.isVisible()

    for row in (1, 2, 3):
        selfcheck_service.confirm_none(workspace.session, row)
    filing_service.finalize(workspace.session)
    page.refresh()
    # The second step points to the first, which says why at length (it said it all again before)
    assert page.package_status.text() == "请先完成第一步：导入纪委（监察室）发来的任务包，然后即可生成报送包。"
    delivery_actions.make_package(window.ws, window)
    assert "采用本机的行动" in dialogs.texts("information")[-1]  # 生成报送包… tells the whole story


def test_check_file_tells_what_a_file_is_and_refuses_a_damaged_one(qtbot, bureau, settings, files, tmp_path, dialogs):
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    window = shown_window(qtbot, bureau.unit.session, settings)
    page = window.show_page(DeliveryPage)
    with bureau.unit.active():
        files.open(package.path, bureau.task_file)
        page.check_file_action.trigger()
        wait_for_background(qtbot)
        page.check_file_action.trigger()
        wait_for_background(qtbot)
    first, second = dialogs.texts("information")
    assert "是一个报送包" in first and "签名有效" in first and "单位：技术科" in first and "版次：第1版" in first
    assert "是一个任务包" in second and "发布：局机关纪委（监察室）" in second

    damaged = tmp_path / "损坏.qqpkg"
    data = bytearray(package.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with bureau.unit.active():
        files.open(damaged)
        page.check_file_action.trigger()
        wait_for_background(qtbot)
    (warning,) = dialogs.texts("warning")
    assert warning.startswith("“损坏.qqpkg”不能使用")
    # a package whose data was changed after signing: said in words (it said “data.json”)
    with bureau.unit.active():
        files.open(tampered_copy(package.path, tmp_path / "改动过.qqpkg"))
        page.check_file_action.trigger()
        wait_for_background(qtbot)
    changed = dialogs.texts("warning")[-1]
    assert "文件中的填报数据在签名之后被改动过" in changed and ".json" not in changed


def test_the_office_page_renames_the_office_with_undo(qtbot, bureau, settings, type_into):
    window = shown_window(qtbot, bureau.office.session, settings)
    page = window.show_page(OfficePage)
    assert page.name.text() == OFFICE_NAME and not page.save_button.isEnabled()
    page.name.clear()
    type_into(page.name, "局纪委（监察室）")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert office_service.office_info(bureau.office.session).name == "局纪委（监察室）"
    assert window.windowTitle() == "局纪委（监察室）[*]"
    window.undo_action.trigger()
    assert page.name.text() == OFFICE_NAME


def test_cancelling_a_folder_import_keeps_and_reports_what_was_done(qtbot, bureau, settings, files, tmp_path,
                                                                    monkeypatch):
    second = make_unit(tmp_path, monkeypatch, "质监站", bureau.task_file)
    for unit in (bureau.unit, second):
        fill_and_finalise(unit)
        send_package(unit, bureau.usb)
    started, release = threading.Event(), threading.Event()
    read = filing_package.read_filing_package

    def slow_read(path):  # the first file takes its time, as on a slow USB stick
        started.set()
        release.wait(5)
        return read(path)

    monkeypatch.setattr(filing_package, "read_filing_package", slow_read)
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        files.folder(bureau.usb)
        board.import_folder_action.trigger()
        assert started.wait(5)
        progress = board.findChild(QProgressDialog)
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
        assert "正在取消" in progress.labelText()
        release.set()
        wait_for_background(qtbot)
    report = visible(board, ImportReportDialog)
    assert report.report.cancelled and [label for _n, label, _d in report.labels()] == ["新导入"]
    assert "导入已取消，其余文件没有导入" in report.summary.text()
    assert sum(r.delivered for r in board.model.records()) == 1  # the board shows what did go in
    second.session.close()


def test_help_in_office_mode_explains_the_offices_work(qtbot, bureau, settings):
    window = shown_window(qtbot, bureau.office.session, settings)
    window.help_action.trigger()
    (dialog,) = [d for d in window.findChildren(HelpDialog) if d.isVisible()]
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "纪委（监察室）使用步骤" in text and "导入报送包" in text and "退回修改" in text
    # a unit's new key is registered with the detail's button; the window's help names no command
    assert "在其详情中点“重新登记密钥…”登记新指纹" in text and "rekey" not in text


def test_an_empty_filing_page_offers_to_import_the_task_file(qtbot, window, bureau, files, dialogs):
    page = window.show_page(PledgePage)
    assert page.no_campaign.import_button.text() == "导入任务包…"
    files.open(bureau.task_file)
    qtbot.mouseClick(page.no_campaign.import_button, Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.content
    assert "已导入任务包：行动“2019年‘三清单一承诺’行动”" in dialogs.texts("information")[-1]
    assert package_service.received_campaign(window.ws.session, window.ws.campaign().id) is not None


def test_the_office_backups_list_no_people_count(qtbot, bureau, settings):
    from qingqing_desktop.ui.backup_dialog import PEOPLE, BackupDialog  # noqa: PLC0415

    office_window = shown_window(qtbot, bureau.office.session, settings)
    unit_window = shown_window(qtbot, bureau.unit.session, settings)
    office, unit = BackupDialog(office_window.ws, office_window), BackupDialog(unit_window.ws, unit_window)
    # the office keeps units and filings, not a roster: “0 人” beside every backup would mislead
    assert office.tree.isColumnHidden(PEOPLE) and office.tree.headerItem().text(PEOPLE) == "人数"
    assert not unit.tree.isColumnHidden(PEOPLE)


def test_on_a_small_screen_choosing_a_unit_keeps_the_names_in_view(qtbot, bureau, settings):
    """On 1366×768 at 125% (1093×614) the board is wider than its table, and selecting a unit (after an import, a 退回, a 确认) scrolled sideways to 状态, hiding every name."""
    fill_and_finalise(bureau.unit)
    package = send_package(bureau.unit, bureau.usb)
    with bureau.office.active() as session:
        office_service.import_package(session, package.path)  # 数据来源, 版次, 报送时间 filled in
        window = shown_window(qtbot, session, settings)
        window.resize(900, 614)  # narrower than the columns, whatever the test machine's font
        board = window.page(BoardPage)
        window.show_page(BoardPage)
        board.refresh()
        bar = board.table.horizontalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0)  # the columns are wider than the table
        last = board.proxy.row_at(board.proxy.rowCount() - 1)
        board.select(last.office_unit_id)
    assert board.selected_row() is last and bar.value() == 0


def test_confirming_names_the_rectifications_past_their_due_date_too(qtbot, bureau, settings, dialogs):
    fill_and_finalise(bureau.unit, today=TODAY - dt.timedelta(days=60))  # 整改时限 30 days ago, not done
    with bureau.office.active() as session:
        office_service.import_package(session, send_package(bureau.unit, bureau.usb).path)
        window = shown_window(qtbot, session, settings)
        board = window.page(BoardPage)
        board.set_filter("全部")
        detail = board.open_row(shown_units(board).index("技术科"))
        dialogs.confirm_answer = False
        qtbot.mouseClick(detail.confirm_button, Qt.MouseButton.LeftButton)
    assert "1 个问题已过整改时限（见“自查表”页）" in dialogs.texts("confirm")[-1]


def test_the_office_s_menus_have_access_keys_and_no_key_starts_two_things(qtbot, bureau, settings):
    window = shown_window(qtbot, bureau.office.session, settings)
    for page_class in window.page_classes:
        window.show_page(page_class)
    assert all(ACCESS_KEY.search(action.text()) for action in window.menuBar().actions())
    for action in window.menuBar().actions():
        menu_keys(qtbot, window, action.menu())
    wide, scoped = shortcut_owners(window)
    assert {key: owners for key, owners in wide.items() if len(owners) > 1} == {}
    assert set(wide) & set(scoped) == set()
    assert "Ctrl+I" not in wide  # 导入人员名单 is not on an office's menus
    assert buttons_with_access_keys(window) == []  # 导入报送包… on the board, 导入报送包(&I)… in the menu


def test_changing_the_deadline_offers_the_task_file_again_with_the_new_one(qtbot, bureau, settings, files, dialogs,
                                                                            tmp_path):
    """The units hold the 任务包 as it was exported: after 修改行动信息 the office is asked to send a new one,
    and the file it then saves carries the new deadline. Saving without a change asks nothing."""
    from qingqing_desktop.exchange.campaign_file import read_campaign_file  # noqa: PLC0415

    window = shown_window(qtbot, bureau.office.session, settings)
    later = window.ws.campaign().deadline + dt.timedelta(days=7)
    window.edit_campaign_action.trigger()
    dialog = visible(window, CampaignDialog)
    dialog.deadline.set_value(later)
    task = tmp_path / "新任务包.qqtask"
    files.save(task)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (asked,) = dialogs.texts("confirm")
    assert "各单位手中的任务包还是修改前的" in asked and "现在导出吗" in asked
    assert read_campaign_file(task).campaign.deadline == later

    window.edit_campaign_action.trigger()
    qtbot.mouseClick(visible(window, CampaignDialog).ok_button, Qt.MouseButton.LeftButton)  # nothing changed
    assert len(dialogs.texts("confirm")) == 1
