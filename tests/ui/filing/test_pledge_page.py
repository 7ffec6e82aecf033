"""承诺书签订: who must sign, batch 已签订 with a date, the keyboard, 不适用, overrides, scans, undo/redo."""

from __future__ import annotations

import datetime as dt
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel

from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import campaign_service, filing_service, pledge_service, roster_service, selfcheck_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.scan_viewer import ScaledImage
from qingqing_desktop.ui.common.settings import LAST_ANY_DIR, LAST_IMPORT_DIR
from qingqing_desktop.ui.filing.pledge_dialogs import PledgeDialog
from qingqing_desktop.ui.filing.pledge_model import (
    NAME_COLUMN,
    NOTE_COLUMN,
    PLEDGE_FILTERS,
    REQUIRED_COLUMN,
    SCAN_COLUMN,
    STATUS_COLUMN,
)
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.main_window import MainWindow
from tests.ui.text_fits import reads_whole

TODAY = dt.date.today()


def shown_rows(page) -> list[tuple[str, str]]:
    return [(r.name, r.post) for r in (page.proxy.row_at(i) for i in range(page.proxy.rowCount()))]


def cell(page, name: str, post: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    # The Python model directly (never index.data(): PySide6 6.12 and empty QVariants).
    for row in range(page.proxy.rowCount()):
        pledge = page.proxy.row_at(row)
        if (pledge.name, pledge.post) == (name, post):
            return page.proxy.data(page.proxy.index(row, column), role)
    raise AssertionError(f"{name} not shown")


def stored(window, member):
    return pledge_service.get_pledge(window.ws.session, member.id)


def select(page, *members) -> None:
    page.select([m.id for m in members], members[0].id)


def test_the_list_shows_who_must_sign_by_the_templates_rule(filing_window):
    page = filing_window.show_page(PledgePage)
    required = {(r.name, r.post) for r in page.model.rows() if r.required}
    assert required == {("单建国", "主持全面工作"), ("林素华", "分管质量监管、安全监管"), ("张伟", "竣工验收"),
                        ("周丽君", "负责质量监管工作")}
    assert set(shown_rows(page)[:4]) == required  # those still to sign come first
    assert cell(page, "张伟", "文书收发", STATUS_COLUMN) == "无需签订"
    assert cell(page, "徐静", "行政审批", STATUS_COLUMN) == "不适用"
    assert cell(page, "周丽君", "负责质量监管工作", REQUIRED_COLUMN, Qt.ItemDataRole.ToolTipRole) == (
        "按规则：须签订（重点岗位：质量监管）"
    )
    assert page.strip.label.text() == "须签订 4 人 · 已签订 0 · 未签订 4 · 此前已上交 0 · 不适用 1"
    assert page.strip.bar.text() == "已完成 0 / 4"
    assert filing_window.counts_label.text() == "承诺书：须签订 4 人，已签订 0 人，未签订 4 人"

    page.filter.setCurrentIndex([f.label for f in PLEDGE_FILTERS].index("须签订"))
    assert set(shown_rows(page)) == required
    assert page.filter.itemText(0) == "全部（7）"
    page.filter.setCurrentIndex(0)
    page.search.setText("zw")  # pinyin initials find both 张伟
    assert [name for name, _post in shown_rows(page)] == ["张伟", "张伟"]


def test_batch_signing_of_selected_rows_with_one_date_then_undo_and_redo(qtbot, filing_window, roster):
    page = filing_window.show_page(PledgePage)
    cadre, inspector = roster["单建国/主持全面工作"], roster["张伟/竣工验收"]
    select(page, cadre, inspector)
    dialog = page.sign_selected()
    assert dialog.people.text() == "为以下 2 人登记已签订承诺书：\n单建国、张伟"
    assert dialog.date.value() == TODAY
    signed_on = TODAY - dt.timedelta(days=3)
    dialog.date.set_value(signed_on)
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    for member in (cadre, inspector):
        assert (stored(filing_window, member).status, stored(filing_window, member).signed_on) == (
            PledgeStatus.SIGNED, signed_on
        )
    assert page.strip.label.text().startswith("须签订 4 人 · 已签订 2 · 未签订 2")
    assert cell(page, "单建国", "主持全面工作", STATUS_COLUMN) == "已签订"
    assert not filing_window.isWindowModified()  # saved at once: the title has no “*”
    assert filing_window.undo_action.text() == "撤销(&U) 登记 2 人已签订"

    filing_window.undo_action.trigger()
    assert stored(filing_window, cadre).status is PledgeStatus.UNSIGNED
    assert stored(filing_window, inspector).signed_on is None
    filing_window.redo_action.trigger()
    assert stored(filing_window, inspector).signed_on == signed_on


def test_a_future_signing_date_is_refused_in_the_dialog(qtbot, filing_window, roster):
    page = filing_window.show_page(PledgePage)
    select(page, roster["单建国/主持全面工作"])
    dialog = page.sign_selected()
    dialog.date.set_value(TODAY + dt.timedelta(days=1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "晚于今天" in dialog.form.rows["签订日期"].message
    assert stored(filing_window, roster["单建国/主持全面工作"]).status is PledgeStatus.UNSIGNED


def test_space_toggles_signed_today_and_enter_opens_the_row(qtbot, filing_window, roster):
    page = filing_window.show_page(PledgePage)
    member = roster["周丽君/负责质量监管工作"]
    select(page, member)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert (stored(filing_window, member).status, stored(filing_window, member).signed_on) == (
        PledgeStatus.SIGNED, TODAY
    )
    assert page.current_row().staff_id != member.id  # moved on to the next person to sign
    select(page, member)  # Space on someone signed: back to 未签订
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert stored(filing_window, member).status is PledgeStatus.UNSIGNED
    assert page.current_row().staff_id == member.id  # unsigning keeps the selection on the person

    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    (dialog,) = [d for d in page.findChildren(PledgeDialog) if d.isVisible()]
    dialog.set_status(PledgeStatus.SUBMITTED_BEFORE)
    dialog.reason.setText("2018年已上交")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    row = stored(filing_window, member)
    assert (row.status, row.status_reason) == (PledgeStatus.SUBMITTED_BEFORE, "2018年已上交")


def click_row(qtbot, page, row: int) -> None:
    rect = page.table.visualRect(page.proxy.index(row, NAME_COLUMN))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_space_moves_on_to_the_next_person_to_sign_so_space_space_space_works_down_the_list(
        qtbot, filing_window, roster):
    """The tester's walk: Space on the first unsigned person re-sorted him below those still to sign and
    the selection went with him; Down then reached someone who need not sign, and Return opened them."""
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page = filing_window.show_page(PledgePage)
    qtbot.waitExposed(page.table)
    to_sign = [r.staff_id for r in (page.proxy.row_at(i) for i in range(page.proxy.rowCount())) if r.outstanding]
    assert len(to_sign) == 4
    click_row(qtbot, page, 0)
    assert page.current_row().staff_id == to_sign[0]

    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert pledge_service.get_pledge(filing_window.ws.session, to_sign[0]).status is PledgeStatus.SIGNED
    assert [r.staff_id for r in page.selected_rows()] == [to_sign[1]]  # the one that followed him
    assert page.current_row().staff_id == to_sign[1]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # opens the person now current, not someone who need not sign
    (dialog,) = [d for d in page.findChildren(PledgeDialog) if d.isVisible()]
    assert dialog.windowTitle() == f"承诺书签订：{page.current_row().name}"
    dialog.reject()

    page.table.setFocus()
    for _ in range(2):
        with qtbot.waitSignal(filing_window.ws.changed):
            qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert [pledge_service.get_pledge(filing_window.ws.session, i).status for i in to_sign] == [
        PledgeStatus.SIGNED, PledgeStatus.SIGNED, PledgeStatus.SIGNED, PledgeStatus.UNSIGNED]
    assert page.current_row().staff_id == to_sign[3]

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: the third is unsigned again
    assert pledge_service.get_pledge(filing_window.ws.session, to_sign[2]).status is PledgeStatus.UNSIGNED
    assert pledge_service.get_pledge(filing_window.ws.session, to_sign[1]).status is PledgeStatus.SIGNED


def test_space_on_the_last_person_to_sign_wraps_to_one_still_unsigned_above(qtbot, filing_window, roster):
    page = filing_window.show_page(PledgePage)
    qtbot.waitExposed(page.table)
    to_sign = [r.staff_id for r in (page.proxy.row_at(i) for i in range(page.proxy.rowCount())) if r.outstanding]
    click_row(qtbot, page, len(to_sign) - 1)  # the last of those still to sign; below: nobody to sign
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.current_row().staff_id == to_sign[0]


def test_ctrl_a_then_space_signs_only_those_who_must_sign_and_are_in_post(qtbot, filing_window, roster):
    """The walk-through's slip: Ctrl+A, Space made everyone 已签订 (“须签订17 · 已签订20”)."""
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page = filing_window.show_page(PledgePage)
    messages = []
    page.status_message.connect(messages.append)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_rows()) == 7
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_Space)

    signed = {(r.name, r.post) for r in pledge_service.list_pledges(filing_window.ws.session)
              if r.status is PledgeStatus.SIGNED}
    assert signed == {("单建国", "主持全面工作"), ("林素华", "分管质量监管、安全监管"), ("张伟", "竣工验收"),
                      ("周丽君", "负责质量监管工作")}
    assert stored(filing_window, roster["徐静/行政审批"]).status is PledgeStatus.NOT_APPLICABLE  # 调离: untouched
    assert page.strip.label.text().startswith("须签订 4 人 · 已签订 4 · 未签订 0")
    assert page.last_result.isVisible()
    assert "另有 3 人未登记：不须签订 2 人（孙佳怡、张伟），不在岗 1 人（徐静）。" in page.last_result.text()  # whole, on the page
    assert messages[-1] == "已登记 4 人已签订。"  # what was done, short enough for the status bar beside its counts
    assert filing_window.statusBar().currentMessage() == messages[-1]

    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_Space)  # again: the four are 未签订 again, nobody else changed
    assert pledge_service.pledge_progress(filing_window.ws.session).signed == 0
    assert "已登记" not in page.last_result.text()  # the page says what was done last, not before


def test_the_sign_dialog_for_a_mixed_selection_names_who_is_left_out(qtbot, filing_window, roster):
    page = filing_window.show_page(PledgePage)
    select(page, roster["单建国/主持全面工作"], roster["孙佳怡/财务"])
    dialog = page.sign_selected()
    assert dialog.people.text() == "为以下 1 人登记已签订承诺书：\n单建国"
    assert dialog.skipped.text().startswith("另有 1 人未登记：不须签订 1 人（孙佳怡）")
    qtbot.keyClick(dialog.date.year, Qt.Key.Key_Return)
    assert stored(filing_window, roster["孙佳怡/财务"]).status is PledgeStatus.UNSIGNED
    assert stored(filing_window, roster["单建国/主持全面工作"]).status is PledgeStatus.SIGNED


def test_two_people_of_one_name_are_told_apart_by_post_when_signing(qtbot, filing_window, roster):
    clerk = roster["张伟/文书收发"]
    pledge_service.set_required(filing_window.ws.session, clerk.id, True, reason="经办合同档案")
    filing_window.ws.notify(Changes(filing=True))
    page = filing_window.show_page(PledgePage)
    select(page, roster["张伟/竣工验收"], clerk)
    dialog = page.sign_selected()
    intro, names = dialog.people.text().split("\n")
    assert intro == "为以下 2 人登记已签订承诺书：" and set(names.split("、")) == {"张伟（竣工验收）", "张伟（文书收发）"}
    dialog.reject()
    # and among those left out
    for member in (roster["张伟/竣工验收"], clerk):
        pledge_service.set_required(filing_window.ws.session, member.id, False, reason="借调外单位")
    filing_window.ws.notify(Changes(filing=True))
    select(page, roster["单建国/主持全面工作"], roster["张伟/竣工验收"], clerk)
    dialog = page.sign_selected()
    assert dialog.skipped.text().startswith("另有 2 人未登记：不须签订 2 人（张伟（")
    assert "张伟（竣工验收）" in dialog.skipped.text() and "张伟（文书收发）" in dialog.skipped.text()
    dialog.reject()


def test_not_applicable_needs_a_reason(qtbot, filing_window, roster, type_into):
    page = filing_window.show_page(PledgePage)
    member = roster["林素华/分管质量监管、安全监管"]
    select(page, member)
    dialog = page.mark_not_applicable()
    assert not dialog.ok_button.isEnabled()
    type_into(dialog.reason, "长期病假")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    row = stored(filing_window, member)
    assert (row.status, row.status_reason) == (PledgeStatus.NOT_APPLICABLE, "长期病假")
    assert cell(page, "林素华", "分管质量监管、安全监管", STATUS_COLUMN, Qt.ItemDataRole.ToolTipRole) == "不适用：长期病假"
    filing_window.undo_action.trigger()
    assert stored(filing_window, member).status is PledgeStatus.UNSIGNED


def test_a_long_note_is_cut_short_in_its_column_not_pushing_the_table_sideways(qtbot, filing_window, roster):
    """说明 took the width of its longest text and the 1200-px window's table scrolled sideways; now it
    takes the room left, the text ends in “…”, and the tooltip has it whole."""
    member = roster["林素华/分管质量监管、安全监管"]
    note = "2026年3月随年度廉政承诺一并签订，原件存局机关纪委（监察室）档案室第三卷第十二页"
    pledge_service.set_status(filing_window.ws.session, member.id, "此前已上交", signed_on=TODAY, reason=note)
    filing_window.ws.notify(Changes(filing=True))
    filing_window.resize(1200, 728)
    page = filing_window.show_page(PledgePage)
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.table.viewport().width() > 0)
    header = page.table.horizontalHeader()
    assert header.length() <= page.table.viewport().width()
    assert not page.table.horizontalScrollBar().isVisible()
    assert cell(page, "林素华", "分管质量监管、安全监管", NOTE_COLUMN, Qt.ItemDataRole.ToolTipRole) == note


def test_deciding_by_hand_who_must_sign_is_marked_and_explained(qtbot, filing_window, roster, type_into):
    page = filing_window.show_page(PledgePage)
    member = roster["孙佳怡/财务"]
    select(page, member)
    dialog = page.set_required_selected(True)
    type_into(dialog.reason, "兼管政府采购")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert stored(filing_window, member).required
    assert cell(page, "孙佳怡", "财务", REQUIRED_COLUMN) == "是（人工认定）"
    tooltip = cell(page, "孙佳怡", "财务", REQUIRED_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "人工认定：须签订，理由：兼管政府采购\n按规则：不须签订（非重点岗位）"
    assert page.strip.label.text().startswith("须签订 5 人")
    select(page, member)
    page.rule_action.trigger()
    assert not stored(filing_window, member).required
    filing_window.undo_action.trigger()
    assert stored(filing_window, member).required_override is True


def test_attach_a_png_scan_view_it_and_undo(qtbot, filing_window, roster, tmp_path):
    image = QImage(300, 420, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    path = tmp_path / "单建国承诺书.png"
    assert image.save(str(path))
    page = filing_window.show_page(PledgePage)
    member = roster["单建国/主持全面工作"]
    select(page, member)
    assert not page.view_scan_action.isEnabled()

    assert page.attach_scan(path)
    assert stored(filing_window, member).has_scan
    assert not cell(page, "单建国", "主持全面工作", SCAN_COLUMN, Qt.ItemDataRole.DecorationRole).isNull()
    assert page.view_scan_action.isEnabled()
    viewer = page.view_scan()
    assert viewer.isVisible()
    assert isinstance(viewer.view, ScaledImage)
    assert not viewer.view.pixmap().isNull()
    assert viewer.info.text().startswith("单建国承诺书.png")
    viewer.close()

    filing_window.undo_action.trigger()
    assert pledge_service.get_scan(filing_window.ws.session, member.id) is None
    filing_window.redo_action.trigger()
    assert pledge_service.get_scan(filing_window.ws.session, member.id).data == path.read_bytes()


def test_a_pdf_scan_opens_in_the_pdf_view(qtbot, filing_window, roster, tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(100, 700, "signed")
    pdf.showPage()
    pdf.save()
    page = filing_window.show_page(PledgePage)
    select(page, roster["张伟/竣工验收"])
    assert page.attach_scan(path)
    viewer = page.view_scan()
    assert viewer.document.pageCount() == 1
    viewer.close()


def test_a_file_that_is_not_a_scan_is_refused_with_its_name(filing_window, roster, tmp_path, dialogs):
    path = tmp_path / "承诺书.docx"
    path.write_bytes(b"PK\x03\x04 not an image")
    page = filing_window.show_page(PledgePage)
    select(page, roster["张伟/竣工验收"])
    assert not page.attach_scan(path)
    assert "承诺书.docx" in dialogs.texts("warning")[0]
    assert filing_window.ws.undo_stack.count() == 0


def test_a_finalised_filing_is_read_only(filing_window, roster):
    session = filing_window.ws.session
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(session, row)
    filing_service.finalize(session)
    filing_window.ws.notify(Changes(filing=True))
    page = filing_window.show_page(PledgePage)
    select(page, roster["单建国/主持全面工作"])

    assert page.banner.isVisible()
    assert page.banner.label.text() == "本次报送已定稿（第1版），如需修改请先“重新打开”并说明原因。"
    assert not page.sign_button.isEnabled()
    assert not page.sign_action.isEnabled()
    assert not page.attach_action.isEnabled()
    assert page.sign_selected() is None
    assert filing_window.header.state.text() == "已定稿（第1版）"


def test_repainting_the_pledge_list_does_not_wear_out_none(filing_window):
    """PySide6 6.12 loses a reference to None per empty QVariant handed to Python; the views must not."""
    page = filing_window.show_page(PledgePage)
    before = sys.getrefcount(None)
    for _ in range(20):
        page.table.viewport().grab()
        page.table.sortByColumn(STATUS_COLUMN, Qt.SortOrder.DescendingOrder)
        page.table.sortByColumn(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert sys.getrefcount(None) > before - 200


def test_sample_people_carry_the_roster_s_sample_tag(qtbot, workspace, roster):
    """The sample people are fictional: the pledge list marks them as the roster does."""
    roster_service.add_staff(workspace.session, StaffMember("蔡雅琴", RankCategory.MIDDLE_CADRE, post="档案管理",
                                                            is_sample=True))
    campaign_service.create_campaign(workspace.session, deadline=dt.date.today() + dt.timedelta(days=10))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page(PledgePage)
    tag = cell(page, "蔡雅琴", "档案管理", NAME_COLUMN, Qt.ItemDataRole.DecorationRole)
    assert tag is not None and not tag.isNull()
    assert "示例人员（虚构）" in cell(page, "蔡雅琴", "档案管理", NAME_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "单建国", "主持全面工作", NAME_COLUMN, Qt.ItemDataRole.DecorationRole) is None
    assert cell(page, "单建国", "主持全面工作", NAME_COLUMN, Qt.ItemDataRole.ToolTipRole) is None


def typed_date(qtbot, field, day: dt.date) -> None:
    """Click into the year and type the date part by part, as a clerk does (a full part moves on)."""
    qtbot.mouseClick(field.year, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.year, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.year, str(day.year))
    for part, number in ((field.month, day.month), (field.day, day.day)):
        qtbot.keyClick(part, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(part, f"{number:02d}")


def open_signed_entry(qtbot, page, member) -> PledgeDialog:
    """Return on the person's row opens 登记; 已签订 clicked in it."""
    select(page, member)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    (dialog,) = [d for d in page.findChildren(PledgeDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    signed_button = dialog.status_buttons.button(1)
    qtbot.mouseClick(signed_button, Qt.MouseButton.LeftButton, pos=signed_button.rect().center())
    assert dialog.status() is PledgeStatus.SIGNED
    return dialog


def test_a_future_signing_date_s_message_wraps_whole_and_goes_when_the_date_is_corrected(qtbot, filing_window, roster):
    """The tester's 登记 of a date in the future: the red refusal was cut at the dialog's edge, and stayed
    after the date was corrected."""
    page = filing_window.show_page(PledgePage)
    member = roster["周丽君/负责质量监管工作"]
    dialog = open_signed_entry(qtbot, page, member)
    future = dt.date(TODAY.year + 1, 12, 25)
    typed_date(qtbot, dialog.date, future)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    row = dialog.form.rows["签订日期"]
    (message,) = row.findChildren(QLabel, "fieldError")
    assert dialog.isVisible()
    assert row.message.startswith(f"签订日期 {future.isoformat()} 晚于今天")
    qtbot.waitUntil(lambda: reads_whole(message, dialog))  # laid out once the dialog has grown for it

    typed_date(qtbot, dialog.date, TODAY - dt.timedelta(days=2))
    assert row.message == ""  # the corrected date is not refused any more
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert stored(filing_window, member).signed_on == TODAY - dt.timedelta(days=2)


def test_the_pledge_dialog_shrinks_back_once_a_refused_date_is_corrected(qtbot, filing_window, roster):
    """The refusal of a future date made the dialog taller; correcting the date took the message away
    but left a gap above the buttons. Now the dialog comes back to the height it opened with."""
    page = filing_window.show_page(PledgePage)
    dialog = open_signed_entry(qtbot, page, roster["周丽君/负责质量监管工作"])
    first = dialog.height()
    typed_date(qtbot, dialog.date, dt.date(TODAY.year + 1, 12, 25))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.height() > first)

    typed_date(qtbot, dialog.date, TODAY - dt.timedelta(days=2))
    assert dialog.form.rows["签订日期"].message == ""
    qtbot.waitUntil(lambda: dialog.height() == first)


def test_return_saves_after_a_mouse_clicked_save_was_refused_and_the_date_corrected(qtbot, filing_window, roster):
    """The tester clicked 保存, got the date's message, corrected the date and pressed Return: nothing.
    The click gave 保存 the focus, the refusal put it back in the date, and 保存 stopped being the
    default button on the way (made the default before its box was in the dialog, it was not the
    one the dialog went back to)."""
    page = filing_window.show_page(PledgePage)
    member = roster["周丽君/负责质量监管工作"]
    dialog = open_signed_entry(qtbot, page, member)
    dialog.activateWindow()  # as on a screen: offscreen, the dialog is not made the active window by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    typed_date(qtbot, dialog.date, dt.date(TODAY.year + 1, 12, 25))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "晚于今天" in dialog.form.rows["签订日期"].message
    assert dialog.date.year.hasFocus()

    typed_date(qtbot, dialog.date, TODAY - dt.timedelta(days=2))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert stored(filing_window, member).signed_on == TODAY - dt.timedelta(days=2)


def test_ctrl_z_goes_back_to_the_person_whose_signing_was_undone_so_space_signs_him_again(
        qtbot, filing_window, roster):
    """Space signs and moves on to the next person to sign; after Ctrl+Z the selection stayed on that next
    person, and a second Space signed him instead of the one whose signing had been undone."""
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page = filing_window.show_page(PledgePage)
    qtbot.waitExposed(page.table)
    to_sign = [r.staff_id for r in (page.proxy.row_at(i) for i in range(page.proxy.rowCount())) if r.outstanding]
    click_row(qtbot, page, 0)
    assert page.current_row().staff_id == to_sign[0]
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.current_row().staff_id == to_sign[1]  # moved on

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pledge_service.get_pledge(filing_window.ws.session, to_sign[0]).status is PledgeStatus.UNSIGNED
    assert [r.staff_id for r in page.selected_rows()] == [to_sign[0]]
    assert page.current_row().staff_id == to_sign[0]
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # signs the same person again, and moves on again
    assert [pledge_service.get_pledge(filing_window.ws.session, i).status for i in to_sign[:2]] == [
        PledgeStatus.SIGNED, PledgeStatus.UNSIGNED]
    assert page.current_row().staff_id == to_sign[1]


def test_attaching_a_scan_starts_in_the_folder_last_used_for_scans_not_the_roster_s(
        qtbot, filing_window, roster, tmp_path, files, settings):
    """附加扫描件… opened the file dialog itself, in the folder the roster was last imported from, and
    moved that folder to wherever the scan was. It goes through ask_open_file now with a folder of its own:
    the first time the folder last used for anything, then the one the last scan came from."""
    roster_folder, scans_folder, phone_folder = (tmp_path / name for name in ("名单", "扫描", "手机照片"))
    for folder in (roster_folder, scans_folder, phone_folder):
        folder.mkdir()
    settings.set(LAST_IMPORT_DIR, str(roster_folder))
    settings.set(LAST_ANY_DIR, str(scans_folder))
    image = QImage(300, 420, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    photo = phone_folder / "签字页.png"
    assert image.save(str(photo))
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)
    page = filing_window.show_page(PledgePage)
    qtbot.waitExposed(page.table)

    def attach_through_the_scan_menu(member) -> None:
        """Click the person, then 扫描件 ▸ 附加扫描件…."""
        click_row(qtbot, page, next(row for row in range(page.proxy.rowCount())
                                    if page.proxy.row_at(row).staff_id == member.id))
        files.open(photo)
        qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
        menu = page.scan_button.menu()
        assert menu.isVisible()
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(page.attach_action).center())

    first, second = roster["单建国/主持全面工作"], roster["林素华/分管质量监管、安全监管"]
    attach_through_the_scan_menu(first)
    attach_through_the_scan_menu(second)
    assert [folder for _kind, _caption, folder in files.asked] == [str(scans_folder), str(phone_folder)]
    assert stored(filing_window, first).has_scan and stored(filing_window, second).has_scan
    assert settings.get(LAST_IMPORT_DIR) == str(roster_folder)  # the roster's import still starts there
