"""自查表: findings through the dialog (责任人 by pinyin), “无”, the keyboard, the checklist, rectification."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qingqing_desktop.domain.selfcheck import RectificationState
from qingqing_desktop.services import backup_service, campaign_service, roster_service, selfcheck_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.common.settings import checklist_ticks
from qingqing_desktop.ui.filing.finding_dialog import CompleteRectificationDialog, FindingDialog
from qingqing_desktop.ui.filing.selfcheck_page import SelfCheckPage
from qingqing_desktop.ui.roster.roster_page import RosterPage
from qingqing_desktop.ui.roster.staff_dialog import StaffDialog
from tests.ui.text_fits import reads_whole

FILING_CHANGED = Changes(filing=True)
STAFF_CHANGED = Changes(staff=True)

TODAY = dt.date.today()


def self_check(window):
    return selfcheck_service.get_self_check(window.ws.session)


def visible_dialog(page, dialog_class):
    (dialog,) = [d for d in page.findChildren(dialog_class) if d.isVisible()]
    return dialog


def fill_finding(qtbot, dialog, type_into, problem="对企业咨询答复超时", measure="建立答复台账") -> None:
    type_into(dialog.problem, problem)
    type_into(dialog.measure, measure)


def choose_from_popup(qtbot, picker, typed: str, pick: int = 0) -> None:
    """Type into the 责任人 box, then pick the ``pick``-th person the completer offers, with the keyboard."""
    qtbot.keyClicks(picker.lineEdit(), typed)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    for _ in range(pick + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_add_a_finding_with_the_owner_chosen_by_pinyin_initials(qtbot, filing_window, roster, type_into, dialogs):
    page = filing_window.show_page(SelfCheckPage)
    row1 = page.sections[0]
    assert row1.state.text().startswith("尚未填写")
    qtbot.mouseClick(row1.add_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(page, FindingDialog)
    fill_finding(qtbot, dialog, type_into)
    choose_from_popup(qtbot, dialog.owner, "lsh")
    assert dialog.owner.currentText() == "林素华（分管质量监管、安全监管）"
    dialog.due.set_value(TODAY - dt.timedelta(days=1))
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert "早于今天" in dialogs.texts("confirm")[0]  # asked before saving
    (finding,) = self_check(filing_window).rows[0].findings
    assert (finding.problem, finding.measure, finding.owner_id, finding.due) == (
        "对企业咨询答复超时", "建立答复台账", roster["林素华/分管质量监管、安全监管"].id, TODAY - dt.timedelta(days=1)
    )
    assert row1.state.text() == "已登记 1 条问题（逾期 1）"
    assert row1.model.data(row1.model.index(0, 0)) == "1．"
    assert not row1.none_box.isEnabled()  # “无” is impossible next to a finding
    assert page.overdue.isVisible() and "对企业咨询答复超时" in page.overdue.label.text()
    assert filing_window.counts_label.text() == "自查表：问题 1 条：整改中 0，已完成 0，逾期 1"


def test_initials_that_mean_one_person_show_that_person_when_the_clerk_tabs_on(qtbot, filing_window, roster, type_into):
    """The walk-through: “sjg” stayed in the box as typed, so the clerk could not see who would be recorded."""
    page = active(qtbot, filing_window).show_page(SelfCheckPage)
    dialog = page.add_finding(1)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    owner = dialog.owner
    owner.setFocus()
    qtbot.keyClicks(owner.lineEdit(), "sjg")
    popup = owner.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Tab)  # the open list has the keyboard, as on screen
    assert not popup.isVisible() and QApplication.focusWidget() is not owner
    assert owner.currentText() == "单建国（主持全面工作）"
    assert owner.owner().id == roster["单建国/主持全面工作"].id
    owner.setFocus()
    owner.lineEdit().selectAll()
    qtbot.keyClicks(owner.lineEdit(), "zw")  # two 张伟: stays as typed, for the clerk to choose
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert owner.currentText() == "zw"


def test_answering_no_to_the_date_question_keeps_the_dialog_open(qtbot, filing_window, roster, type_into, dialogs):
    page = filing_window.show_page(SelfCheckPage)
    dialog = page.add_finding(2)
    fill_finding(qtbot, dialog, type_into)
    dialog.owner.set_owner(roster["单建国/主持全面工作"].id)
    dialog.due.set_value(filing_window.ws.campaign().deadline + dt.timedelta(days=30))
    dialogs.confirm_answer = False
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "晚于本次报送截止日期" in dialogs.texts("confirm")[0]
    assert dialog.isVisible()
    assert self_check(filing_window).findings == ()


def test_after_the_deadline_the_offered_due_date_is_saved_without_a_question(qtbot, filing_window, roster, type_into,
                                                                              dialogs):
    # A late filing: the dialog offers a month from today, and any date from today on is after the deadline.
    campaign_service.update_campaign(filing_window.ws.session, deadline=TODAY - dt.timedelta(days=20))
    filing_window.ws.notify(FILING_CHANGED)
    page = filing_window.show_page(SelfCheckPage)
    qtbot.mouseClick(page.sections[1].add_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(page, FindingDialog)
    assert dialog.due.value() == TODAY + dt.timedelta(days=30)
    fill_finding(qtbot, dialog, type_into)
    choose_from_popup(qtbot, dialog.owner, "lsh")
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialogs.texts("confirm") == []
    (finding,) = self_check(filing_window).rows[1].findings
    assert finding.due == TODAY + dt.timedelta(days=30)


def test_two_people_of_the_same_name_are_told_apart_by_post(qtbot, filing_window, roster, type_into):
    page = filing_window.show_page(SelfCheckPage)
    dialog = page.add_finding(3)
    fill_finding(qtbot, dialog, type_into)
    qtbot.keyClicks(dialog.owner.lineEdit(), "zw")
    assert dialog.owner.matches.rowCount() == 2
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.form.rows["责任人"].message == "有 2 人符合“zw”，请从列表中选择（括号中是岗位）。"

    dialog.owner.lineEdit().clear()
    choose_from_popup(qtbot, dialog.owner, "zw", pick=1)
    assert dialog.owner.currentText() == "张伟（文书收发）"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (finding,) = self_check(filing_window).rows[2].findings
    assert finding.owner_id == roster["张伟/文书收发"].id


def test_rows_confirmed_none_and_a_finding_make_the_form_complete(qtbot, filing_window, roster):
    session = filing_window.ws.session
    selfcheck_service.add_finding(session, row=1, problem="服务不主动", measure="上门服务",
                                  owner_id=roster["单建国/主持全面工作"].id, due=TODAY)
    page = filing_window.show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    assert page.summary.text() == "已填写 1 / 3 行；第2行、第3行尚未填写。"
    assert page.sections[1].property("incomplete") is True
    assert [state_colour(section) for section in page.sections] == [FILLED, UNFILLED, UNFILLED]

    for section in page.sections[1:]:
        with qtbot.waitSignal(filing_window.ws.changed):
            qtbot.mouseClick(section.none_box, Qt.MouseButton.LeftButton)
    check = self_check(filing_window)
    assert [r.none_confirmed for r in check.rows] == [False, True, True]
    assert check.is_complete
    assert page.summary.text().startswith("三行均已填写") and page.summary.text().endswith("可以定稿。")
    assert page.sections[1].property("incomplete") is False
    assert page.sections[2].state.text() == "已确认：本行经自查无问题，自查表此行填“无”。"
    assert [state_colour(section) for section in page.sections] == [FILLED, FILLED, FILLED]
    filing_window.undo_action.trigger()
    assert not self_check(filing_window).rows[2].none_confirmed
    assert not page.sections[2].none_box.isChecked()
    assert state_colour(page.sections[2]) == UNFILLED


FILLED, UNFILLED = "#374151", "#a15c00"  # style.qss: QLabel#rowState, and inside an incomplete row


def state_colour(section) -> str:
    """The colour the style sheet gave the row's state line (a row's property selects it from outside)."""
    return section.state.palette().color(section.state.foregroundRole()).name()


def test_keyboard_only_the_tab_order_and_ctrl_n_on_the_focused_row(qtbot, filing_window):
    page = filing_window.show_page(SelfCheckPage)
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page.header.leader.setFocus()
    first, second = page.sections[:2]
    # Buttons that need a selected finding are disabled on an empty row, so Tab skips them.
    expected = [page.header.filled_on, page.header.today_button, first.add_button, first.none_box, second.add_button]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is widget or widget.isAncestorOf(focus)  # a date edit's focus is its inner line edit
    qtbot.keyClick(first.none_box, Qt.Key.Key_Space)  # Space ticks “无” from the keyboard
    assert self_check(filing_window).rows[0].none_confirmed

    page.sections[1].add_button.setFocus()
    qtbot.keyClick(page.sections[1].add_button, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = visible_dialog(page, FindingDialog)
    assert dialog.where.text().startswith("登记在自查表：第2行")
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.problem.setFocus()
    qtbot.keyClick(dialog.problem, Qt.Key.Key_Tab)  # moves on, does not type a tab
    assert dialog.problem.toPlainText() == ""
    assert dialog.measure.hasFocus()


def test_a_finding_recorded_from_the_checklist_goes_to_its_lists_row(qtbot, filing_window, roster, type_into):
    page = filing_window.show_page(SelfCheckPage)
    assert page.checklist.progress_label.text() == "已对照 0 / 17 条"
    item = next(i for i in page.checklist.items if i.key == "negative:6")
    qtbot.mouseClick(item.record_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(page, FindingDialog)
    assert dialog.context.text().startswith("对照条目：我局及其工作人员政商交往“负面清单”（6）在行政审批")
    fill_finding(qtbot, dialog, type_into, "验收环节存在打招呼风险", "验收意见双人复核")
    dialog.owner.set_owner(roster["张伟/竣工验收"].id)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    (finding,) = self_check(filing_window).findings
    assert (finding.row, finding.list_key, finding.item_index) == (2, "negative", 6)
    assert item.checked.isChecked()
    assert item.found.text() == "已记录 1 条问题"
    assert page.checklist.progress_label.text() == "已对照 1 / 17 条"
    other = next(i for i in page.checklist.items if i.key == "positive:2")
    other.checked.click()
    assert page.checklist.progress_label.text() == "已对照 2 / 17 条"
    assert filing_window.ws.settings.get(checklist_ticks(filing_window.ws.campaign().id)) == "positive:2,negative:6"
    history = filing_window.show_history()
    assert any(r[4:6] == ("对应清单", "（空） → 我局及其工作人员政商交往“负面清单”") for r in history.rows())


def test_edit_delete_and_undo_bring_back_the_same_finding(qtbot, filing_window, roster, dialogs):
    session = filing_window.ws.session
    added = selfcheck_service.add_finding(session, row=2, problem="接受宴请", measure="警示教育",
                                          owner_id=roster["单建国/主持全面工作"].id, due=TODAY).finding
    page = filing_window.show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    section = page.sections[1]
    section.table.selectRow(0)
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(page, FindingDialog)
    assert dialog.owner.currentText() == "单建国（主持全面工作）"
    dialog.measure.setPlainText("开展警示教育，重申公务接待规定")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert self_check(filing_window).findings[0].measure == "开展警示教育，重申公务接待规定"

    section.table.selectRow(0)
    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)
    assert self_check(filing_window).findings == ()
    assert section.state.text().startswith("尚未填写")
    filing_window.undo_action.trigger()
    assert [f.id for f in self_check(filing_window).findings] == [added.id]
    filing_window.undo_action.trigger()
    assert self_check(filing_window).findings[0].measure == "警示教育"


def test_rectification_done_and_back_with_an_overdue_list(qtbot, filing_window, roster, type_into):
    session = filing_window.ws.session
    selfcheck_service.add_finding(session, row=3, problem="审批制度不健全", measure="修订制度",
                                  owner_id=roster["周丽君/负责质量监管工作"].id, due=TODAY - dt.timedelta(days=4))
    page = filing_window.show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    section = page.sections[2]
    assert section.model.data(section.model.index(0, 5)) == "逾期 4 天"
    assert page.overdue.title() == "逾期未整改（1 条）"

    qtbot.mouseClick(section.complete_button, Qt.MouseButton.LeftButton)  # the row's only finding
    dialog = visible_dialog(page, CompleteRectificationDialog)
    type_into(dialog.note, "已印发新制度")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    finding = self_check(filing_window).findings[0]
    assert (finding.done_on, finding.done_note, finding.state(TODAY)) == (TODAY, "已印发新制度", RectificationState.DONE)
    assert not page.overdue.isVisible()

    qtbot.mouseClick(section.reopen_button, Qt.MouseButton.LeftButton)
    reason = visible_dialog(page, ReasonDialog)
    assert not reason.ok_button.isEnabled()
    type_into(reason.reason, "复查发现未落实")
    qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)
    assert self_check(filing_window).findings[0].done_on is None
    assert page.overdue.isVisible()


def test_repainting_the_findings_does_not_wear_out_none(filing_window, roster):
    session = filing_window.ws.session
    for row in (1, 2, 3):
        selfcheck_service.add_finding(session, row=row, problem="问题", measure="措施",
                                      owner_id=roster["单建国/主持全面工作"].id, due=TODAY)
    page = filing_window.show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    before = sys.getrefcount(None)
    for _ in range(30):
        for section in page.sections:
            section.table.viewport().grab()
    assert sys.getrefcount(None) > before - 200


def test_ctrl_n_still_adds_a_person_on_the_roster_page(qtbot, filing_window):
    page = filing_window.show_page(RosterPage)
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert [d for d in page.findChildren(StaffDialog) if d.isVisible()]


def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_the_finding_dialog_starts_in_the_problem_and_return_or_escape_never_lose_what_was_typed(
    qtbot, filing_window, roster, type_into, dialogs
):
    page = active(qtbot, filing_window).show_page(SelfCheckPage)
    row2 = page.sections[1]
    row2.add_button.setFocus()
    qtbot.keyClick(row2.add_button, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # 添加问题 on this row
    dialog = visible_dialog(page, FindingDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.problem)  # typing starts in 存在问题
    type_into(dialog.problem, "台账不全")
    qtbot.keyClick(dialog.problem, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.measure  # Tab goes on through the fields in order
    qtbot.keyClick(dialog.measure, Qt.Key.Key_Tab)
    owner = dialog.owner
    assert QApplication.focusWidget() is owner
    choose_from_popup(qtbot, dialog.owner, "sjg")  # Return in the completer picks, and nothing else
    assert dialog.isVisible() and dialog.owner.currentText() == "单建国（主持全面工作）"
    qtbot.keyClick(owner, Qt.Key.Key_Return)  # Return in a single-line field: 保存, which says what is missing
    assert dialog.isVisible()
    assert dialog.form.rows["整改措施"].message == "请填写整改措施。"
    assert dialog.problem.text() == "台账不全"

    dialogs.confirm_answer = False
    qtbot.keyClick(owner, Qt.Key.Key_Escape)  # 取消 with typed text asks first; “no” keeps everything
    assert dialogs.shown[-1][1] == "放弃填写的内容？"
    assert dialog.isVisible() and dialog.problem.text() == "台账不全"
    dialogs.confirm_answer = True
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(owner, Qt.Key.Key_Escape)
    assert self_check(filing_window).findings == ()


def test_tab_leaves_the_findings_table(qtbot, filing_window, roster):
    selfcheck_service.add_finding(filing_window.ws.session, row=1, problem="服务不主动", measure="上门服务",
                                  owner_id=roster["单建国/主持全面工作"].id, due=TODAY)
    page = active(qtbot, filing_window).show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    table = page.sections[0].table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.sections[1].add_button  # on to row 2, not to the next cell
    qtbot.keyClick(page.sections[1].add_button, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table


def test_at_1200_by_760_the_form_is_not_cut_under_the_checklist(qtbot, filing_window):
    filing_window.resize(1200, 760)
    page = filing_window.show_page(SelfCheckPage)
    qtbot.waitUntil(lambda: page.splitter.widget(0).width() > 0)
    form_width = page.splitter.widget(0).viewport().width()
    for section in page.sections:
        assert section.minimumSizeHint().width() <= form_width
        assert section.none_box.geometry().right() <= section.width()


def test_down_to_the_narrowest_window_nothing_on_the_form_is_cut_at_the_right(qtbot, filing_window):
    """At 880 pixels, the window's narrowest, the form column got less than it needed beside the
    checklist: “本行经自查无问题（无）”, 恢复整改中… and 填今天 went under its right edge. The row's
    buttons and 填今天 now go on to a line of their own there. 1093 is a 1366-pixel screen at 125%."""
    page = filing_window.show_page(SelfCheckPage)
    viewport = page.splitter.widget(0).viewport()

    def right(widget) -> int:
        return widget.mapTo(viewport, widget.rect().topRight()).x()

    for width in (1093, 880):
        filing_window.resize(width, 460)
        qtbot.waitUntil(lambda: filing_window.width() == width)
        assert page.splitter.widget(0).widget().width() <= viewport.width()  # the column has what it needs
        for section in page.sections:
            box = section.none_box
            assert box.text() == "本行经自查无问题（无）" and box.width() >= box.sizeHint().width()  # whole
            for widget in (box, section.add_button, section.delete_button, section.complete_button,
                           section.reopen_button):
                assert right(widget) < viewport.width(), (width, widget)
        assert right(page.header.today_button) < viewport.width()
        assert reads_whole(page.header.filled_on.empty_hint, viewport)  # 未填写（打印后手写）


def test_on_a_small_screen_an_item_with_problems_is_not_cut_at_the_right(qtbot, filing_window, roster):
    """1093×614 is what a 1366×768 screen at 125% leaves: “已记录 1 条问题” beside 已对照 and 记录问题… made the
    item wider than the panel, and the button and the text's last characters went under its edge."""
    filing_window.resize(1093, 614)
    page = filing_window.show_page(SelfCheckPage)
    qtbot.waitUntil(lambda: page.splitter.widget(1).width() > 0)
    selfcheck_service.add_finding(filing_window.ws.session, row=None, list_key="positive", item_index=1,
                                  problem="答复超时", measure="建立台账", owner_id=roster["单建国/主持全面工作"].id,
                                  due=TODAY)
    filing_window.ws.notify(FILING_CHANGED)
    item = page.checklist.items[0]
    assert (item.key, item.found.text()) == ("positive:1", "已记录 1 条问题")
    viewport = item.parentWidget().parentWidget()
    qtbot.waitUntil(lambda: item.found.width() >= item.found.minimumSizeHint().width())  # laid out again
    for widget in (item, item.found, item.checked, item.record_button):
        assert widget.mapTo(viewport, widget.rect().topRight()).x() < viewport.width()


def test_the_summary_says_what_finalising_still_waits_for(qtbot, filing_window, roster):
    """Three rows filled is not all: a problem whose 责任人 has been deleted since stops 定稿 — the summary
    says so at once, not only when 定稿… is clicked."""
    session = filing_window.ws.session
    owner = roster["孙佳怡/财务"]
    selfcheck_service.add_finding(session, row=1, problem="服务不主动", measure="上门服务", owner_id=owner.id, due=TODAY)
    selfcheck_service.confirm_none(session, 2)
    selfcheck_service.confirm_none(session, 3)
    page = filing_window.show_page(SelfCheckPage)
    filing_window.ws.notify(FILING_CHANGED)
    assert page.summary.text().endswith("可以定稿。")

    roster_service.delete_staff(session, owner.id)
    filing_window.ws.notify(STAFF_CHANGED)
    assert page.summary.text().endswith(
        "还不能定稿：自查表第1行问题“服务不主动”的责任人“孙佳怡”已不在人员名单中，请在“自查表”页选中该问题，点“修改…”另选责任人。")


def test_a_header_field_still_being_typed_is_saved_into_the_exit_backup(qtbot, filing_window, type_into):
    """单位负责人 saves on leaving the field. Closing with the cursor still in it saved it after the exit
    backup (and a session end that closes no window would have lost it): it is saved first now."""
    page = active(qtbot, filing_window).show_page(SelfCheckPage)
    leader = page.header.leader
    leader.setFocus()
    qtbot.waitUntil(leader.hasFocus)
    leader.selectAll()
    type_into(leader, "赵站长")
    assert self_check(filing_window).leader != "赵站长"  # not saved while being typed
    assert filing_window.close()
    assert self_check(filing_window).leader == "赵站长"
    (backup,) = [b for b in backup_service.list_backups() if b.reason == "exit"]
    with contextlib.closing(sqlite3.connect(backup.path)) as conn:
        assert conn.execute("SELECT leader FROM self_check").fetchall() == [("赵站长",)]


LONG_PROBLEM = ("部分干部对亲清政商关系的边界把握不准，与企业交往中存在顾虑，服务企业主动性不强，"
                "上门服务企业频率不高，部分企业反映办事渠道不够畅通")


def rows_show_their_whole_text(section) -> bool:
    """Every findings row is as tall as its wrapped text at the columns' present widths, and the table
    as tall as its rows (it does not scroll)."""
    table = section.table
    rows = range(section.model.rowCount())
    heights_fit = all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in rows)
    total = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in rows) + 2 * table.frameWidth()
    return heights_fit and table.height() >= total


def test_a_long_problem_is_wrapped_whole_when_shown_and_after_an_edit(qtbot, filing_window, roster, type_into):
    """On a 1366×768 screen at 125% the 存在问题 cell ended in “…” (“率不高，部分企业…”) until an unrelated change
    measured the row again: the rows were measured before the stretched columns had their widths."""
    owner = roster["单建国/主持全面工作"]
    selfcheck_service.add_finding(filing_window.ws.session, row=1, problem=LONG_PROBLEM, measure="组织专题学习",
                                  owner_id=owner.id, due=TODAY + dt.timedelta(days=30))
    filing_window.resize(1093, 614)
    page = filing_window.show_page(SelfCheckPage)
    row1 = page.sections[0]
    qtbot.waitExposed(row1.table)
    qtbot.waitUntil(lambda: rows_show_their_whole_text(row1))
    assert row1.table.rowHeight(0) > 2 * row1.table.fontMetrics().height()  # wrapped over several lines
    problem = row1.model.index(0, 1)
    assert LONG_PROBLEM in row1.model.data(problem, Qt.ItemDataRole.ToolTipRole)

    # an edit through the dialog: the new, longer text is measured again
    rect = row1.table.visualRect(problem)
    qtbot.mouseClick(row1.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(row1.edit_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(page, FindingDialog)
    type_into(dialog.measure, "，每季度对照正面清单和负面清单逐条检查一次，并将检查结果在局机关内部通报")
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "每季度" in row1.model.data(row1.model.index(0, 2))
    qtbot.waitUntil(lambda: rows_show_their_whole_text(row1))
