"""行动 in the window (create, header, switch, deadline) and the filing's 定稿 → 重新打开 → 修改记录."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import Qt

from qingqing_desktop.domain.dates import local_time
from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.services import (
    backup_service,
    campaign_service,
    filing_service,
    pledge_service,
    selfcheck_service,
    template_service,
)
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog
from qingqing_desktop.ui.filing.finalise import FinaliseDialog, finalised_text
from qingqing_desktop.ui.common.history_dialog import HistoryDialog
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.filing.selfcheck_page import SelfCheckPage
from qingqing_desktop.ui.unit.unit_page import UnitPage

TODAY = dt.date.today()


def visible(parent, dialog_class):
    (dialog,) = [d for d in parent.findChildren(dialog_class) if d.isVisible()]
    return dialog


def test_after_finalising_a_campaign_from_the_office_the_next_step_is_the_package():
    said = finalised_text("已定稿（第1版）", "已自动备份。", from_office=True)
    assert "下一步：在“导出与打印”页打印附件2、附件3并盖章；再在“报送与接收”页生成报送包，" in said
    assert "本机新建" not in said


def test_without_a_campaign_the_filing_pages_offer_to_create_one(qtbot, window, type_into):
    page = window.show_page(PledgePage)
    assert page.views.currentWidget() is page.no_campaign
    assert window.header.title.text() == "尚未创建行动"
    assert not window.finalise_action.isEnabled()

    qtbot.mouseClick(page.no_campaign.new_button, Qt.MouseButton.LeftButton)
    dialog = visible(page, CampaignDialog)
    template = get_template(DEFAULT_TEMPLATE_ID)
    assert dialog.template.currentText() == template.name
    assert dialog.title.text() == template.name
    assert dialog.document_number.text() == "平住建发〔2019〕27号"
    assert dialog.recipient.text() == "局机关纪委（监察室）"
    assert dialog.deadline.value() == dt.date(2019, 3, 14)
    assert "已经过去" in dialog.deadline_hint.text()
    dialog.title.clear()
    type_into(dialog.title, "2026年“三清单一承诺”行动")
    dialog.deadline.set_value(TODAY + dt.timedelta(days=12))
    with qtbot.waitSignal(window.ws.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    campaign = campaign_service.current_campaign(window.ws.session)
    assert (campaign.title, campaign.template_id, campaign.deadline) == (
        "2026年“三清单一承诺”行动", DEFAULT_TEMPLATE_ID, TODAY + dt.timedelta(days=12)
    )
    assert page.views.currentWidget() is page.content
    assert window.header.title.text() == "2026年“三清单一承诺”行动"
    assert window.header.document_number.text() == "平住建发〔2019〕27号"
    assert window.header.deadline.text().endswith("距截止还有 12 天")
    assert window.header.state.text() == "草稿（第1版）"
    unit_page = window.page(UnitPage)
    assert not unit_page.template_combo.isEnabled()  # the campaign's own template now


def test_an_empty_title_is_refused_next_to_the_field(qtbot, window):
    dialog = window.new_campaign()
    dialog.title.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.form.rows["行动名称"].message == "行动名称不能为空"
    assert campaign_service.current_campaign(window.ws.session) is None


def test_another_template_brings_its_own_defaults(window):
    dialog = window.new_campaign()
    other = next(t for t in template_service.available_templates(window.ws.session) if not t.default_deadline)
    dialog.template.setCurrentIndex(dialog.template.findText(other.name))
    assert dialog.title.text() == other.name
    assert dialog.deadline.value() == TODAY + dt.timedelta(weeks=2)


def test_the_header_counts_down_and_turns_red_when_overdue(filing_window):
    header = filing_window.header
    assert header.deadline.text().endswith("距截止还有 10 天")
    assert header.deadline.property("urgency") == ""
    header.refresh(today=TODAY + dt.timedelta(days=10))
    assert header.deadline.text().endswith("今天截止")
    header.refresh(today=TODAY + dt.timedelta(days=13))
    assert header.deadline.text().endswith("已逾期 3 天")
    assert header.deadline.property("urgency") == "overdue"


def test_changing_the_deadline_is_undoable(qtbot, filing_window):
    dialog = filing_window.edit_campaign()
    assert dialog.windowTitle() == "修改行动信息"
    later = TODAY + dt.timedelta(days=20)
    dialog.deadline.set_value(later)
    dialog.reason.setText("上级通知延期")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert filing_window.ws.campaign().deadline == later
    assert filing_window.header.deadline.text().endswith("距截止还有 20 天")
    filing_window.undo_action.trigger()
    assert filing_window.ws.campaign().deadline == TODAY + dt.timedelta(days=10)


def test_switching_campaigns_changes_what_the_pages_show(qtbot, filing_window):
    session = filing_window.ws.session
    first = filing_window.ws.campaign()
    second = campaign_service.create_campaign(session, title="第二批", deadline=TODAY + dt.timedelta(days=30),
                                              make_current=False)
    dialog = filing_window.switch_campaign()
    assert dialog.chosen().id == first.id
    dialog.list.setCurrentRow([c.id for c in campaign_service.list_campaigns(session)].index(second.id))
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert filing_window.ws.campaign().id == second.id
    assert filing_window.header.title.text() == "第二批"


def test_finalising_is_refused_with_the_rows_still_to_fill(qtbot, filing_window):
    page = filing_window.show_page(SelfCheckPage)
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    dialog = visible(page, FinaliseDialog)
    assert dialog.finalise_button is None
    assert "还不能定稿" in dialog.message.text()
    assert "自查表第1、2、3行既没有登记问题，也没有确认“无”" in dialog.message.text()
    dialog.reject()
    assert filing_service.filing_status(filing_window.ws.session).state is FilingState.DRAFT


def test_finalise_lock_reopen_with_a_reason_and_read_the_history(qtbot, filing_window, roster, type_into, dialogs):
    session = filing_window.ws.session
    selfcheck_service.add_finding(session, row=1, problem="服务不主动", measure="上门服务",
                                  owner_id=roster["单建国/主持全面工作"].id, due=TODAY)
    filing_window.ws.notify(Changes(filing=True))
    page = filing_window.show_page(SelfCheckPage)
    for section in page.sections[1:]:
        qtbot.mouseClick(section.none_box, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    dialog = visible(page, FinaliseDialog)
    assert "尚有4人未签订承诺书：" in dialog.message.text()
    assert not dialog.finalise_button.isEnabled()  # the unsigned people must be acknowledged
    dialog.acknowledge.click()
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(dialog.finalise_button, Qt.MouseButton.LeftButton)

    status = filing_service.filing_status(session)
    assert (status.state, status.revision) == (FilingState.FINAL, 1)
    said = dialogs.texts("information")[0]
    assert "已定稿（第1版）" in said and "已自动备份。" in said
    # what comes next: this campaign was made here, so the office's 任务包 first
    assert "下一步：在“导出与打印”页打印附件2、附件3并盖章；本次行动是在本机新建的：先导入纪委（监察室）发来的任务包" in said
    (kept,) = backup_service.list_backups()  # the complete filing, kept at once (the timer is half an hour)
    assert kept.reason_label == "定稿后备份"
    assert filing_window.header.state.text() == "已定稿（第1版）"
    assert page.banner.isVisible()
    assert not page.sections[0].add_button.isEnabled()
    assert not page.sections[0].edit_button.isEnabled()
    assert not page.sections[2].none_box.isEnabled()
    assert not page.header.leader.isEnabled()
    assert page.sections[0].complete_button.isEnabled()  # rectification goes on after 定稿
    assert page.add_finding(1) is None
    assert not filing_window.page(PledgePage).sign_button.isEnabled()
    assert not filing_window.finalise_action.isEnabled() and filing_window.reopen_action.isEnabled()

    qtbot.mouseClick(page.banner.reopen_button, Qt.MouseButton.LeftButton)
    reason = visible(page, ReasonDialog)
    assert "第2版草稿" in reason.explanation.text()
    assert not reason.ok_button.isEnabled()
    type_into(reason.reason, "补登一名调入的中层干部")
    with qtbot.waitSignal(filing_window.ws.changed):
        qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)

    status = filing_service.filing_status(session)
    assert (status.state, status.revision) == (FilingState.DRAFT, 2)
    assert filing_window.header.state.text() == "草稿（第2版）"
    assert page.sections[0].add_button.isEnabled()
    assert not page.banner.isVisible()

    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    history = visible(page, HistoryDialog)
    rows = history.rows()
    reopened = rows[:2]  # one step, newest first: the state and the revision
    assert {r[1:] for r in reopened} == {
        ("测试员", "修改", "报送", "报送状态", "已定稿 → 草稿", "补登一名调入的中层干部"),
        ("测试员", "修改", "报送", "版次", "1 → 2", "补登一名调入的中层干部"),
    }
    assert any(r[3:5] == ("报送", "报送状态") and r[5] == "草稿 → 已定稿" and r[6].startswith("尚有4人未签订")
               for r in rows)
    assert any(r[3:6] == ("自查表", "第2行确认“无”", "否 → 是") for r in rows)
    history.search.setText("补登 状态")  # every word must appear
    assert len(history.rows()) == 1
    assert history.count.text() == "共 1 条"
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Down)  # the first row becomes current: shown whole below
    assert "原因：补登一名调入的中层干部" in history.detail.text()
    assert "原值 → 新值：已定稿 → 草稿" in history.detail.text()
    # 原因 (the list of who has not signed, at 定稿) takes the room left: no sideways scrolling
    qtbot.waitExposed(history)
    assert history.table.horizontalHeader().length() <= history.table.viewport().width()


def test_history_times_are_shown_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time("2019-03-10T02:03:00+00:00") == "2019-03-10 10:03"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_finalise_stands_when_its_backup_cannot_be_written(qtbot, filing_window, dialogs, monkeypatch):
    from qingqing_desktop.domain.errors import DiskFull

    def full(*_args, **_kwargs):
        raise DiskFull("D:\\亲清填报\\备份", free=0, needed=1_000_000)

    monkeypatch.setattr(backup_service, "create_backup", full)
    page = filing_window.show_page(SelfCheckPage)
    for section in page.sections:
        qtbot.mouseClick(section.none_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    dialog = visible(page, FinaliseDialog)
    dialog.acknowledge.click()
    qtbot.mouseClick(dialog.finalise_button, Qt.MouseButton.LeftButton)
    assert filing_service.filing_status(filing_window.ws.session).state is FilingState.FINAL
    assert "自动备份未完成：磁盘空间不足：文件夹“D:\\亲清填报\\备份”所在的磁盘只剩" in dialogs.texts("information")[-1]


def test_the_finalise_dialog_is_as_tall_as_its_text_when_everyone_has_signed(qtbot, filing_window, roster):
    """With nobody left unsigned, a large blank gap stayed between the text and the buttons."""
    session = filing_window.ws.session
    for key, member in roster.items():
        if key != "徐静/行政审批":  # 调离: 不适用 already
            pledge_service.set_status(session, member.id, "已签订", signed_on=TODAY)
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(session, row)
    filing_window.ws.notify(Changes(filing=True))
    page = filing_window.show_page(SelfCheckPage)
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    dialog = visible(page, FinaliseDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.acknowledge.isVisible() and dialog.finalise_button.isEnabled()
    layout = dialog.layout()
    # Nothing but the layout's spacing between the text and the buttons; and the text is not squeezed.
    gap = dialog.buttons.geometry().top() - dialog.message.geometry().bottom() - 1
    assert gap <= layout.spacing()
    assert dialog.message.height() >= dialog.message.heightForWidth(dialog.message.width())
    dialog.reject()
