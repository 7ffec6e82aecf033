"""The first-start dialog: the unit, the operator and optional sample data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qingqing_desktop.domain.unit import UnitKind
from qingqing_desktop.services import roster_service, unit_service
from qingqing_desktop.services.sample_data import SAMPLE_PEOPLE
from qingqing_desktop.ui.common.settings import OPERATOR_NAME
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.first_start import FirstStartDialog
from qingqing_desktop.ui.main_window import MainWindow


@pytest.fixture
def dialog(qtbot, session, settings):
    dlg = FirstStartDialog(Workspace(session, settings))
    qtbot.addWidget(dlg)
    dlg.open()
    return dlg


@pytest.fixture
def fill(type_into):
    def fill_fields(dialog, **values):
        for key, text in values.items():
            type_into(dialog.unit_form.edit(key), text)

    return fill_fields


def test_starting_too_early_says_what_is_missing_and_a_bad_phone_is_explained(qtbot, dialog, fill, session):
    """Return (or 开始使用) before the required fields are filled says which ones, and the cursor goes
    to the first; it used to do nothing at all (the button was only greyed out)."""
    form = dialog.unit_form.form
    assert form.rows["name"].message == ""  # a fresh form does not scold
    qtbot.keyClick(dialog.unit_form.edit("name"), Qt.Key.Key_Return)
    assert dialog.isVisible() and unit_service.get_unit(session) is None
    assert (form.rows["name"].message, form.rows["leader"].message) == ("单位名称不能为空", "单位负责人不能为空")
    assert dialog.unit_form.edit("name").hasFocus()
    fill(dialog, name="质量监督站")
    assert form.rows["name"].message == ""
    qtbot.keyClick(dialog.unit_form.edit("name"), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.unit_form.edit("leader").hasFocus()
    fill(dialog, leader="林建华", phone="0577abc")
    assert form.rows["phone"].message == "联系电话只能包含数字、空格和 - + ( ) 转"
    dialog.unit_form.edit("phone").clear()
    qtbot.keyClicks(dialog.unit_form.edit("phone"), "0577-63726000")
    assert form.rows["phone"].message == ""
    qtbot.keyClick(dialog.unit_form.edit("phone"), Qt.Key.Key_Return)
    assert not dialog.isVisible() and unit_service.get_unit(session).leader == "林建华"


def test_the_type_follows_the_name_typed_until_the_clerk_picks_one(qtbot, dialog, fill, type_into):
    kind = dialog.unit_form.kind
    assert kind.value() is UnitKind.SECTION  # the default
    fill(dialog, name="质监站")
    assert kind.value() is UnitKind.STATION
    type_into(dialog.unit_form.edit("name"), "城东分局")  # “质监站城东分局”: a 分局
    assert kind.value() is UnitKind.BRANCH
    type_into(dialog.unit_form.edit("name"), "服务中心")  # says nothing: left as it was
    assert kind.value() is UnitKind.BRANCH
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_End)  # the clerk picks 其他 (the last) by hand
    assert kind.value() is UnitKind.OTHER
    dialog.unit_form.edit("name").clear()
    type_into(dialog.unit_form.edit("name"), "行政审批科")
    assert kind.value() is UnitKind.OTHER  # the clerk's choice stands


def test_accept_saves_unit_operator_and_samples(qtbot, dialog, fill, type_into, session, settings):
    fill(dialog, name="质量监督站", leader="林建华", contact="王五", phone="0577-63726000")
    dialog.unit_form.kind.setCurrentIndex(list(UnitKind).index(UnitKind.STATION))
    type_into(dialog.operator, "王五")
    qtbot.mouseClick(dialog.load_samples, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    unit = unit_service.get_unit(session)
    assert (unit.name, unit.kind, unit.leader, unit.phone) == ("质量监督站", UnitKind.STATION, "林建华", "0577-63726000")
    assert session.operator == "王五"
    assert settings.get(OPERATOR_NAME) == "王五"
    assert len(roster_service.list_staff(session)) == len(SAMPLE_PEOPLE) == 30

    window = MainWindow(Workspace(session, settings))
    qtbot.addWidget(window)
    assert window.roster_page.proxy.rowCount() == 30
    assert window.roster_page.banner.isVisibleTo(window.roster_page)


def test_without_the_sample_box_the_roster_stays_empty(qtbot, dialog, fill, session):
    fill(dialog, name="质量监督站", leader="林建华")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert unit_service.get_unit(session) is not None
    assert roster_service.list_staff(session) == []


def test_cancel_asks_before_throwing_away_what_was_typed_and_saves_nothing(qtbot, dialog, fill, session, dialogs):
    fill(dialog, name="质量监督站", leader="林建华")
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    dialogs.confirm_answer = False
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialogs.texts("confirm") == ["在这个窗口中填写的内容还没有保存，关闭后将丢失。"]
    assert dialog.isVisible() and dialog.unit_form.edit("name").text() == "质量监督站"
    dialogs.confirm_answer = True
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstStartDialog.DialogCode.Rejected
    assert unit_service.get_unit(session) is None


def test_every_field_starts_in_one_column(qtbot, dialog):
    """经办人姓名 sits below the unit's form and 本室名称 in the office's: their fields line up with 单位名称's."""
    qtbot.waitExposed(dialog)

    def left(widget) -> int:
        return widget.mapTo(dialog, widget.rect().topLeft()).x()

    assert left(dialog.operator) == left(dialog.unit_form.edit("name"))
    qtbot.mouseClick(dialog.for_office, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.office_name.isVisible)
    assert left(dialog.office_name) == left(dialog.operator)


def test_the_office_choice_says_what_comes_next(qtbot, dialog):
    """The discipline office's section is shorter than the unit's form: its room tells the first steps."""
    qtbot.waitExposed(dialog)
    assert not dialog.office_steps.isVisible()
    qtbot.mouseClick(dialog.for_office, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.office_steps.isVisible)
    steps = dialog.office_steps.text()
    assert all(word in steps for word in ("导出任务包", "应报单位名单", "报送情况", "全局汇总表"))

    def top(widget) -> int:
        return widget.mapTo(dialog, widget.rect().topLeft()).y()

    assert top(dialog.office_name) < top(dialog.office_steps) < top(dialog.operator)  # between the two fields


def test_the_dialog_shrinks_back_once_the_missing_fields_are_filled(qtbot, dialog, fill):
    """Return too early shows two messages and the dialog grows for them; filling the fields took the
    messages away but left the grown height: a gap above the buttons. Now it comes back — but never
    below the height the clerk dragged it to."""
    qtbot.waitExposed(dialog)
    first = dialog.height()
    qtbot.keyClick(dialog.unit_form.edit("name"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.height() > first)
    fill(dialog, name="质量监督站", leader="林建华")
    assert dialog.unit_form.form.rows["leader"].message == ""
    qtbot.waitUntil(lambda: dialog.height() == first)

    dialog.resize(dialog.width(), first + 80)  # the clerk drags the bottom edge down
    dialog.unit_form.edit("leader").clear()
    qtbot.keyClick(dialog.unit_form.edit("leader"), Qt.Key.Key_Return)
    assert dialog.unit_form.form.rows["leader"].message == "单位负责人不能为空"
    fill(dialog, leader="林建华")
    qtbot.wait(50)  # let a resize, if any, happen
    assert dialog.height() == first + 80
