"""The one date editor: typed 年/月 stay in the field, a date that does not exist is refused, never changed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import campaign_service
from qingqing_desktop.ui.common.forms import DateField, ValidatedForm
from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog


class Form(QWidget):
    """A date between two text fields, as in the dialogs."""

    def __init__(self, day=dt.date(2019, 3, 14), optional=False):
        super().__init__()
        self.before = QLineEdit()
        self.date = DateField(day, field="截止日期", optional=optional, empty_text="未填写")
        self.after = QLineEdit("局机关纪委（监察室）")
        self.form = ValidatedForm()
        self.form.add_field("before", "行动名称：", self.before)
        self.form.add_field("截止日期", "截止日期：", self.date)
        self.form.add_field("after", "报送对象：", self.after)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)


def shown(qtbot, widget):
    """On screen and active, so that key presses go where the focus is."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


@pytest.fixture
def form(qtbot):
    return shown(qtbot, Form())


def tab_into_date(qtbot, form) -> None:
    form.before.setFocus()
    qtbot.keyClick(form.before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.date.year


def typed(type_into, *pieces: str) -> None:
    """Type into whichever widget has the focus, as the keyboard does: ASCII key by key, Chinese through the IME."""
    for piece in pieces:
        if piece.isascii():
            for character in piece:
                QTest.keyClicks(QApplication.focusWidget(), character)
        else:
            type_into(QApplication.focusWidget(), piece)


def test_typing_nian_and_yue_moves_within_the_date_and_never_into_the_next_field(qtbot, form, type_into):
    tab_into_date(qtbot, form)
    typed(type_into, "2026", "年", "3", "月", "30", "日")
    assert QApplication.focusWidget() in form.date.parts
    assert form.after.text() == "局机关纪委（监察室）"  # not overwritten with “3月30日”
    assert form.date.value() == dt.date(2026, 3, 30)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.after  # Tab leaves the whole date at once


@pytest.mark.parametrize("keys", ["2026-02-30", "20260230", "2026/2/30", "2026 2 30"])
def test_a_date_that_does_not_exist_is_refused_with_a_message_and_kept_as_typed(qtbot, form, keys, type_into):
    tab_into_date(qtbot, form)
    typed(type_into, keys)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # leave the field
    qtbot.waitUntil(lambda: form.form.rows["截止日期"].message != "")
    assert form.form.rows["截止日期"].message == "2026年2月没有30日（这个月只有 28 天）。"
    assert form.date.text() == "2026年2月30日"  # never silently 2月28日
    with pytest.raises(InputRejected) as refused:
        form.date.value()
    assert refused.value.location.field == "截止日期"
    assert form.after.text() == "局机关纪委（监察室）"


def test_a_pasted_date_is_checked_like_a_typed_one_and_a_correction_clears_the_message(qtbot, form):
    tab_into_date(qtbot, form)
    QApplication.clipboard().setText("2026年2月30日")
    qtbot.keyClick(form.date.year, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert form.date.text() == "2026年2月30日"
    assert "没有30日" in form.form.rows["截止日期"].message
    day = form.date.day
    assert QApplication.focusWidget() is day
    qtbot.keyClick(day, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(day, "28")
    assert form.form.rows["截止日期"].message == ""  # the stale error goes as soon as the date is right
    assert form.date.value() == dt.date(2026, 2, 28)


def test_section_by_section_entry_arrows_and_backspace(qtbot, form):
    tab_into_date(qtbot, form)
    qtbot.keyClicks(form.date.year, "2025")
    assert QApplication.focusWidget() is form.date.month  # four digits: on to the month
    qtbot.keyClicks(form.date.month, "1")
    assert QApplication.focusWidget() is form.date.month  # 1 may become 10, 11 or 12
    qtbot.keyClicks(form.date.month, "2")
    assert QApplication.focusWidget() is form.date.day
    qtbot.keyClicks(form.date.day, "3")
    assert QApplication.focusWidget() is form.date.day  # 3 may become 30 or 31
    qtbot.keyClicks(form.date.day, "1")
    assert form.date.value() == dt.date(2025, 12, 31)
    qtbot.keyClick(form.date.day, Qt.Key.Key_Up)  # the day steps within the month
    assert form.date.value() == dt.date(2025, 12, 1)
    form.date.day.clear()
    qtbot.keyClick(form.date.day, Qt.Key.Key_Backspace)  # back from an empty day to the month
    assert QApplication.focusWidget() is form.date.month
    qtbot.keyClick(form.date.month, Qt.Key.Key_Down)
    assert form.date.month.text() == "11"


def keys_with_tabs(qtbot, *pieces: str) -> None:
    """Digits and Tabs, each to whichever widget has the focus, as the keyboard sends them."""
    for piece in pieces:
        focus = QApplication.focusWidget()
        if piece == "\t":
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
        else:
            qtbot.keyClicks(focus, piece)


def test_tab_after_a_part_moved_on_by_itself_confirms_the_move_and_never_types_into_the_next_field(qtbot, form):
    """The walk-through's loss: 2026 Tab 12 Tab 20 left the date after 2026 and put 12 into 报送对象."""
    tab_into_date(qtbot, form)
    keys_with_tabs(qtbot, "2026", "\t", "12", "\t", "20")
    assert form.date.value() == dt.date(2026, 12, 20)
    assert form.after.text() == "局机关纪委（监察室）"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # the day did not move on: Tab leaves
    assert QApplication.focusWidget() is form.after
    tab_into_date(qtbot, form)
    keys_with_tabs(qtbot, "2027", "\t", "1", "\t", "31")  # a month that could go on (1 → 10, 11, 12): Tab moves on
    assert form.date.value() == dt.date(2027, 1, 31)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)  # typing: Shift+Tab goes back a part too
    assert QApplication.focusWidget() is form.date.month
    qtbot.keyClick(form.date.month, Qt.Key.Key_Tab)
    qtbot.keyClick(form.date.day, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.after and form.after.text() == "局机关纪委（监察室）"
    tab_into_date(qtbot, form)
    qtbot.keyClick(form.date.year, Qt.Key.Key_Tab)  # nothing typed: Tab passes the whole date at once
    assert QApplication.focusWidget() is form.after


def test_an_optional_date_may_stay_empty_but_not_half_filled(qtbot):
    widget = shown(qtbot, Form(day=None, optional=True))
    assert widget.date.value() is None and widget.date.empty_hint.isVisible()
    widget.date.year.setFocus()
    qtbot.keyClicks(widget.date.year, "2026")
    with pytest.raises(InputRejected, match="请填写完整的日期"):
        widget.date.value()
    typed(None, "35")
    assert widget.date.value() == dt.date(2026, 3, 5)
    assert not widget.date.empty_hint.isVisible()


def test_the_new_campaign_dialog_keeps_the_recipient_and_refuses_february_30(qtbot, workspace, type_into):
    """The walk-through's loss: typing 2026年2月30日 into 截止日期 overwrote 报送对象 with “2月30日”."""
    dialog = shown(qtbot, CampaignDialog(workspace, None))
    recipient = dialog.recipient.text()
    dialog.document_number.setFocus()
    qtbot.keyClick(dialog.document_number, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.deadline.year
    QTest.keyClick(dialog.deadline.year, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    typed(type_into, "2026", "年", "2", "月", "30", "日")
    assert dialog.recipient.text() == recipient
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # 新建行动, the default button
    assert dialog.isVisible()
    assert dialog.form.rows["截止日期"].message == "2026年2月没有30日（这个月只有 28 天）。"
    assert campaign_service.list_campaigns(workspace.session) == []
