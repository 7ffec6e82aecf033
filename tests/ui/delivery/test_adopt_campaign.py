"""导入任务包 in the GUI when the clerk had made the campaign here: adopt it, and nothing is redone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.services import (
    campaign_adoption,
    campaign_service,
    office_service,
    package_service,
    pledge_service,
)
from qingqing_desktop.ui.delivery.adopt_dialog import AdoptCampaignDialog
from qingqing_desktop.ui.delivery.delivery_page import DeliveryPage
from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from tests.services.exchange_fixtures import make_office
from tests.ui.default_button import activate, pressed_by_return, tab_once_round

TODAY = dt.date.today()


def test_the_new_campaign_dialog_says_a_campaign_made_here_cannot_be_delivered_yet(qtbot, window):
    dialog = window.new_campaign()
    assert isinstance(dialog, CampaignDialog)
    assert "要等导入纪委（监察室）发来的任务包后才能生成报送包" in dialog.delivery_note.text()
    assert dialog.delivery_note.isVisible()


def test_importing_the_task_file_adopts_the_clerks_own_campaign(qtbot, filing_window, roster, tmp_path, monkeypatch,
                                                                  files, dialogs):
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    session = filing_window.ws.session
    own = campaign_service.current_campaign(session)  # pingyang-2019, 平住建发〔2019〕27号, made here
    cadre = roster["单建国/主持全面工作"]
    pledge_service.set_status(session, cadre.id, "已签订", signed_on=TODAY)
    filing_window.activateWindow()
    qtbot.waitUntil(filing_window.isActiveWindow)

    seen = {}

    def answer_the_dialog() -> None:
        dialogs_open = [w for w in QApplication.topLevelWidgets() if isinstance(w, AdoptCampaignDialog) and w.isVisible()]
        if not dialogs_open:
            return
        timer.stop()
        dialog = dialogs_open[0]
        chosen = dialog.chosen()
        seen["chosen"] = chosen.campaign.id if chosen else None
        seen["changes"] = dialog.changes_title.text()
        # The dialog's own focus (the chosen campaign), whether or not the window manager made it active.
        focus = dialog.focusWidget()
        seen["focus_is_choice"] = focus is dialog.choices.checkedButton()
        QTest.keyClick(focus, Qt.Key.Key_Return)  # Return on the chosen campaign is 导入
        if dialog.isVisible():  # never leave the test hanging in the dialog's event loop
            dialog.reject()

    timer = QTimer()
    timer.timeout.connect(answer_the_dialog)
    timer.start(50)
    files.open(task)
    delivery = filing_window.show_page(DeliveryPage)
    delivery.import_task_action.trigger()
    timer.stop()

    assert seen["chosen"] == own.id and seen["focus_is_choice"]  # the same 文号: chosen; the clerk pressed Return
    assert "模板与本机行动的模板一致" in seen["changes"]
    campaign = campaign_service.current_campaign(session)
    assert campaign.id != own.id and [c.id for c in campaign_service.list_campaigns(session)] == [campaign.id]
    assert pledge_service.get_pledge(session, cadre.id).status is PledgeStatus.SIGNED  # nothing to redo
    assert "已导入任务包，并采用了本机的行动" in dialogs.texts("information")[-1]
    assert package_service.received_campaign(session, campaign.id) is not None  # deliverable from now on
    page = filing_window.show_page(PledgePage)
    assert page.strip.label.text().startswith("须签订 4 人 · 已签订 1")


def test_the_delivery_steps_show_their_whole_text_at_the_default_size(qtbot, filing_window):
    filing_window.resize(1200, 760)
    page = filing_window.show_page(DeliveryPage)
    label = page.task_status
    qtbot.waitUntil(lambda: label.width() > 0)
    assert "本机新建" in label.text()
    assert label.height() >= label.heightForWidth(label.width())  # every wrapped line has its room


def test_the_first_step_grows_to_its_text_after_a_task_file_is_imported(qtbot, window, tmp_path, monkeypatch,
                                                                        files, dialogs):
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    window.resize(1000, 650)
    page = window.show_page(DeliveryPage)
    label = page.task_status
    qtbot.waitUntil(lambda: label.width() > 0)
    files.open(task)
    page.import_task_action.trigger()
    assert "已导入任务包" in dialogs.texts("information")[-1]
    assert "来自" in label.text() and page.fingerprint_row.isVisible()
    assert re.search(r"于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 导入。", label.text())  # a sentence's date, not 2026-12-05
    QApplication.processEvents()
    # The imported campaign's longer text wraps onto a second line: the box makes room for it,
    # and the fingerprint row under it is not drawn over it (it was, with the second line cut off).
    assert label.height() >= label.heightForWidth(label.width())
    assert label.geometry().bottom() < page.fingerprint_row.geometry().top()


def test_a_task_file_matching_no_campaign_here_offers_a_new_campaign_chosen(qtbot, filing_window, tmp_path,
                                                                              monkeypatch):
    """The walk-through's crash: the office's 湖北 campaign and the clerk's 平阳 one share neither title nor 文号."""
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        campaign_service.create_campaign(session, template_id="hubei-zhujian", deadline=TODAY + dt.timedelta(days=9))
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    preview = campaign_adoption.preview_campaign_file(filing_window.ws.session, task)
    assert preview.candidates and preview.suggested is None
    dialog = AdoptCampaignDialog(preview, filing_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Every line on screen: wrapped labels get their height, radio buttons (which never wrap) their width.
    for label in dialog.findChildren(QLabel):
        if label.wordWrap() and label.isVisible():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    for button in dialog.choices.buttons():
        assert button.width() >= button.sizeHint().width(), button.text()
    assert dialog.chosen() is None  # 作为新的行动导入, chosen since nothing here matches
    assert dialog.changes_title.text() == "将新建纪委（监察室）发布的行动，并设为当前行动。"
    dialog.choices.button(0).click()
    assert dialog.chosen() is preview.candidates[0]


def test_the_first_task_file_asks_to_compare_the_fingerprint_before_importing(qtbot, window, tmp_path, monkeypatch,
                                                                             files, dialogs):
    """The first 任务包 registers the office's key for good: its fingerprint is shown to be compared before
    importing (it was shown only afterwards). Declined, nothing is imported; a later one does not ask."""
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        task, fingerprint = office_service.export_campaign_file(session, tmp_path)
    page = window.show_page(DeliveryPage)
    session = window.ws.session
    dialogs.confirm_answer = False
    files.open(task)
    page.import_task_action.trigger()
    (question,) = dialogs.texts("confirm")
    assert "第一次接收" in question and fingerprint in question
    assert campaign_service.list_campaigns(session) == []  # nothing imported
    assert not dialogs.texts("information")  # nothing imported, nothing announced
    dialogs.confirm_answer = True
    files.open(task)
    page.import_task_action.trigger()
    assert "已导入任务包" in dialogs.texts("information")[-1]
    files.open(task)
    page.import_task_action.trigger()  # the key is registered now: no second question
    assert len(dialogs.texts("confirm")) == 2


@pytest.mark.parametrize("backwards", [False, True], ids=["Tab", "Shift+Tab"])
def test_return_imports_after_tabbing_once_round_the_adopt_dialog(qtbot, filing_window, tmp_path, monkeypatch,
                                                                   backwards):
    """Tab passed over 取消 and 导入: 取消 became the dialog's default for good (导入 was made the default
    before its box was in the dialog), and Return on the chosen campaign then cancelled the import."""
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    preview = campaign_adoption.preview_campaign_file(filing_window.ws.session, task)
    dialog = AdoptCampaignDialog(preview, filing_window)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    assert dialog.focusWidget() is dialog.choices.checkedButton()
    stops = tab_once_round(qtbot, dialog, backwards)
    assert any("取消" in stop for stop in stops) and any("导入" in stop for stop in stops)
    assert pressed_by_return(qtbot, dialog) == ["导入"]
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()


def test_escape_cancels_the_adopt_dialog_after_tabbing_onto_import(qtbot, filing_window, tmp_path, monkeypatch):
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=12))
    with office.active() as session:
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    dialog = AdoptCampaignDialog(campaign_adoption.preview_campaign_file(filing_window.ws.session, task), filing_window)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    while QApplication.focusWidget() is not dialog.import_button:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
