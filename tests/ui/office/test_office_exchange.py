"""The whole round through both GUIs: a unit's 报送包 → the office's board → 退回 with a comment →
the unit imports it and corrects → the new version → 确认. And a tampered package refused with its reason."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.domain.office import ReviewState
from qingqing_desktop.services import filing_service, office_service, package_service
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import BackgroundJob
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.delivery.delivery_page import DeliveryPage
from qingqing_desktop.ui.filing.finalise import FILING_CHANGED
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.filing.selfcheck_page import SelfCheckPage
from qingqing_desktop.ui.office.board_model import delivered_at_tooltip, is_late, on_time_cell, on_time_tooltip, row_tooltip
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.package_import import ImportReportDialog
from tests.documents.font_fixtures import cff_fangsong, needs_sungtil  # noqa: F401 - a fixture
from tests.services.exchange_fixtures import fill_and_finalise, send_package, unit_clock_ahead
from tests.ui.office_fixtures import bureau, shown_window, tampered_copy, wait_for_background  # noqa: F401 — fixture

COMMENT = "张伟（竣工验收岗位）已签订，但孙佳怡的岗位填写有误，请核实后重新报送。"


def visible(parent, dialog_class):
    (dialog,) = [d for d in parent.findChildren(dialog_class) if d.isVisible()]
    return dialog


def board_row(page: BoardPage, unit: str):
    return next(r for r in page.model.records() if r.unit == unit)


def make_package_in_gui(qtbot, window, files, target, dialogs):
    page = window.show_page(DeliveryPage)
    assert page.make_package_action.isEnabled()
    files.save(target)
    page.make_package_action.trigger()
    wait_for_background(qtbot)
    assert target.exists()
    return dialogs.shown[-1]


def import_in_office(qtbot, board: BoardPage, files, paths) -> ImportReportDialog:
    files.open_many(paths)
    board.import_files_action.trigger()
    wait_for_background(qtbot)
    return visible(board, ImportReportDialog)


@needs_sungtil
def test_package_return_correction_and_confirmation_through_both_windows(
    qtbot, bureau, settings, files, dialogs, type_into, monkeypatch, cff_fangsong
):
    office, unit, usb = bureau.office, bureau.unit, bureau.usb
    fill_and_finalise(unit)
    shown = []  # every text a progress box showed
    show = BackgroundJob._show_progress
    monkeypatch.setattr(BackgroundJob, "_show_progress", lambda job, percent, text: (shown.append(text),
                                                                                      show(job, percent, text)))
    unit_window = shown_window(qtbot, unit.session, settings)
    office_window = shown_window(qtbot, office.session, settings)
    board = office_window.page(BoardPage)
    assert [r.unit for r in board.proxy.rows()] == ["规划科", "技术科", "质监站"]  # by pinyin
    assert not board_row(board, "技术科").delivered

    # The unit: 生成报送包 from the 报送与接收 page.
    with unit.active():
        first = usb / "技术科第1版.qqpkg"
        kind, message, path = make_package_in_gui(qtbot, unit_window, files, first, dialogs)
        assert kind == "saved" and path == str(first)
        # This PC's 仿宋 is a CFF font never converted: the 报送包's progress box said so while it was
        assert cff_fangsong[0] == "simfang.otf" and any("正在准备打印字体“FangSong”" in text for text in shown)
        assert "已生成报送包：技术科第1版.qqpkg" in message and "请拷贝到U盘交局机关纪委（监察室）" in message
        assert "随包交的盖章纸质件须是第1版（页脚写有“第1版”）" in message
        last_line = message.splitlines()[-1]
        assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{8}){4}", last_line), last_line  # whole, to compare with the footer
        assert files.asked[-1][2].endswith(package_service.suggested_package_name(unit.session))
        assert unit_window.ws.filing_status(unit_window.ws.campaign()).state is FilingState.SUBMITTED

    # The office: import it; the board shows the unit delivered with its counts.
    with office.active():
        report = import_in_office(qtbot, board, files, [first])
        assert report.labels() == [("技术科第1版.qqpkg", "新导入", "")]
        row = board_row(board, "技术科")
        assert (row.delivered, row.revision, row.state) == (True, 1, ReviewState.PENDING)
        assert (row.pledges_required, row.pledges_signed, row.pledges_outstanding, row.findings_open) == (3, 2, 1, 1)
        assert board.strip.first.text().startswith("应报 3 个单位，已报 1，未报 2")
        report.close()

        # Open the unit and send it back with a comment.
        board.select(row.office_unit_id)
        detail = board.open_selected()
        assert detail.windowTitle() == "技术科 — 报送详情"
        assert detail.state.text() == "待审核"
        assert any(label.startswith("附件2（PDF）") for label in detail.documents.labels())
        assert detail.documents.preview.page_count() >= 1  # the first PDF is shown at once
        assert len(detail.pledges.texts()) == 4
        assert detail.findings.texts()[0][1] == "服务企业不够主动"
        qtbot.mouseClick(detail.return_button, Qt.MouseButton.LeftButton)
        reason = visible(detail, ReasonDialog)
        # drafted from the filing: the one who has not signed (the reviewer edits it or writes their own)
        assert reason.reason.text() == office_service.return_draft(detail.detail) != ""
        assert reason.reason.text().startswith("1. ") and "未签订承诺书" in reason.reason.text()
        assert "已按报送的数据列出未签订承诺书的人员" in reason.explanation.text()
        qtbot.keyClick(reason.reason, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(reason.reason, Qt.Key.Key_Delete)
        assert not reason.ok_button.isEnabled()  # a 退回 needs a comment
        type_into(reason.reason, COMMENT)
        returned = usb / "退回_技术科.qqreturn"
        files.save(returned)
        saved_over_reason = []  # whether the 退回 dialog was still up when “已退回” was said
        recorded = messages.file_saved
        monkeypatch.setattr(messages, "file_saved", lambda parent, path, text="": (
            saved_over_reason.append(reason.isVisible()), recorded(parent, path, text)))
        qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)
        assert returned.exists()
        assert saved_over_reason == [False]
        monkeypatch.setattr(messages, "file_saved", recorded)
        assert files.asked[-1][2].endswith("_第1版.qqreturn")
        assert "已退回“技术科”第1版" in dialogs.shown[-1][1]
        assert detail.state.text() == "退回"
        assert not detail.return_button.isEnabled() and not detail.confirm_button.isEnabled()
        assert board_row(board, "技术科").state is ReviewState.RETURNED
        assert [(r[2], r[4]) for r in detail.reviews.texts()] == [("退回", COMMENT)]  # 结果, 意见

    # The unit: import the 退回意见; the comment is shown and the filing is open again.
    with unit.active():
        files.open(returned)
        delivery = unit_window.page(DeliveryPage)
        delivery.import_return_action.trigger()
        assert COMMENT in dialogs.texts("information")[-1]
        status = unit_window.ws.filing_status(unit_window.ws.campaign())
        assert (status.state, status.revision) == (FilingState.DRAFT, 2)
        assert delivery.return_comment.text() == COMMENT
        for page_class in (PledgePage, SelfCheckPage):
            banner = unit_window.show_page(page_class).return_banner
            assert banner.isVisible() and COMMENT in banner.label.text()
        assert not delivery.make_package_action.isEnabled()  # a draft cannot be sent

        filing_service.finalize(unit.session)
        unit_window.ws.notify(FILING_CHANGED)
        assert not unit_window.page(PledgePage).return_banner.isVisible()  # corrected and filed again
        second = usb / "技术科第2版.qqpkg"
        make_package_in_gui(qtbot, unit_window, files, second, dialogs)

    # The office: import the whole stick; the old file changes nothing, the new version goes in; 确认.
    with office.active():
        files.folder(usb)
        board.import_folder_action.trigger()
        wait_for_background(qtbot)
        report = visible(board, ImportReportDialog)
        results = {name: label for name, label, _detail in report.labels()}
        assert results == {"技术科第1版.qqpkg": "已导入过（无变化）", "技术科第2版.qqpkg": "新版本"}
        # it opens on the new version, not on the file before it, which changed nothing
        assert [name for name, *_ in report.labels()] == ["技术科第1版.qqpkg", "技术科第2版.qqpkg"]
        assert report.table.currentIndex().row() == 1 and report.detail.text().startswith("技术科第2版.qqpkg")
        assert board_row(board, "技术科").revision == 2
        assert detail.state.text() == "待审核" and detail.confirm_button.isEnabled()
        qtbot.mouseClick(detail.confirm_button, Qt.MouseButton.LeftButton)
        assert dialogs.shown[-1][0] == "confirm" and "第2版" in dialogs.shown[-1][2]
        assert "注意：该单位仍有 1 人未签订承诺书（见“承诺书签订”页）" in dialogs.shown[-1][2]  # said where it is decided
        row = board_row(board, "技术科")
        assert row.confirmed and row.state is ReviewState.CONFIRMED
        assert detail.state.text() == "已确认" and not detail.confirm_button.isEnabled()
        assert board.model.foreground(row).name() == "#17692f"  # confirmed: green


def test_a_tampered_package_is_refused_with_its_reason_and_the_board_stays_as_it_was(
    qtbot, bureau, settings, files, tmp_path
):
    fill_and_finalise(bureau.unit)
    package = tampered_copy(_send(bureau), tmp_path / "改过的报送包.qqpkg")
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    before = board.model.records()
    with bureau.office.active():
        report = import_in_office(qtbot, board, files, [package])
    ((name, label, reason),) = report.labels()
    assert (name, label) == ("改过的报送包.qqpkg", "拒绝")
    assert "改过的报送包.qqpkg" in reason and "报送包中的填报数据在签名之后被改动过，或者在复制中损坏了" in reason
    assert ".json" not in reason  # it said “data.json”: what the part is, in words; the log has its name
    assert report.detail.text().endswith(reason)  # the full reason under the table, selected first
    assert "被拒绝的文件没有改动任何数据" in report.summary.text()
    assert board.model.records() == before
    with bureau.office.active():
        assert not office_service.board(bureau.office.session).totals.delivered


def test_a_package_with_a_file_put_in_after_signing_is_refused_naming_the_file_list(
    qtbot, bureau, settings, files, tmp_path
):
    """The refusal says the file is not on the package's 文件清单 (it said 签名清单, which reads as a list of
    who signed)."""
    fill_and_finalise(bureau.unit)
    package = tampered_copy(_send(bureau), tmp_path / "多了文件的报送包.qqpkg", added=("说明.txt", b"hello"))
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active():
        report = import_in_office(qtbot, window.page(BoardPage), files, [package])
    ((name, label, reason),) = report.labels()
    assert (name, label) == ("多了文件的报送包.qqpkg", "拒绝")
    assert "报送包中有文件清单之外的文件：“说明.txt”" in reason and "签名清单" not in reason
    assert report.detail.text().endswith(reason)


def _send(bureau):
    with bureau.unit.active() as session:
        return package_service.create_package(session, bureau.usb).path


def test_a_package_from_a_unit_whose_clock_is_ahead_is_on_time_on_the_board_and_the_report_says_why(
    qtbot, bureau, settings, files, monkeypatch
):
    # The tester's board: 质监站 “12-23 06:01 逾期” while the header said 距截止还有 14 天, and no remark.
    fill_and_finalise(bureau.unit)
    with monkeypatch.context() as patch:
        unit_clock_ahead(patch, 16)
        package = send_package(bureau.unit, bureau.usb)
    window = shown_window(qtbot, bureau.office.session, settings)
    board = window.page(BoardPage)
    with bureau.office.active():
        report = import_in_office(qtbot, board, files, [package.path])
    ((_, label, detail),) = report.labels()
    assert label == "新导入" and "晚16天，报送单位电脑的时钟可能不准" in detail
    assert report.detail.text().endswith(detail)
    row = board_row(board, "技术科")
    assert on_time_cell(row) == "按时" and not is_late(row) and board.model.foreground(row) is None
    assert on_time_tooltip(row) == "在截止日期前报送（以本室收到的时间计，报送单位电脑的时钟可能不准）"
    assert "报送包上写的生成时间是" in delivered_at_tooltip(row) and "报送包上写的生成时间是" in row_tooltip(row)
    assert "逾期 0" in board.strip.first.text()
