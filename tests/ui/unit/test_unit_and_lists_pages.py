"""单位信息 (fields, operator, template choice) and 三张清单 (the active template's lists)."""

from __future__ import annotations

import pytest

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QPushButton, QWidget

from qingqing_desktop.services import (
    campaign_service,
    office_service,
    package_service,
    template_service,
    unit_service,
)
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.store.locations import data_dir
from qingqing_desktop.ui.common.settings import OPERATOR_NAME
from qingqing_desktop.ui.main_window import MainWindow
from qingqing_desktop.ui.unit.lists_page import ListsPage
from qingqing_desktop.ui.unit.unit_page import UnitPage
from tests.services.exchange_fixtures import make_office


def test_saving_the_unit_renames_the_window_and_undo_restores_it(qtbot, window, type_into):
    page = window.show_page(UnitPage)
    assert not page.save_button.isEnabled()
    name = page.unit_form.edit("name")
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)
    assert not page.save_button.isEnabled()  # 单位名称 is required
    assert page.unit_form.form.rows["name"].message == "单位名称不能为空"
    type_into(name, "质量监督站")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert unit_service.get_unit(window.ws.session).name == "质量监督站"
    assert window.windowTitle() == "质量监督站[*]"
    window.undo_action.trigger()
    assert unit_service.get_unit(window.ws.session).name == "技术科"
    assert page.unit_form.edit("name").text() == "技术科"


def test_operator_name_goes_to_settings_and_the_session(qtbot, window, type_into):
    page = window.show_page(UnitPage)
    page.operator.clear()
    type_into(page.operator, "李会计")
    page.operator.editingFinished.emit()
    assert window.ws.session.operator == "李会计"
    assert window.ws.settings.get(OPERATOR_NAME) == "李会计"


def test_every_box_on_the_unit_page_starts_its_fields_in_one_column(qtbot, window, tmp_path, monkeypatch):
    """单位名称, 本单位密钥指纹, 经办人姓名 and 数据库文件 each sat at their own x (their box's longest label);
    the 纪委 key a 任务包 pins later brings a longer label, and the column follows it."""
    page = window.show_page(UnitPage)
    qtbot.waitExposed(page)

    def field_starts() -> set[int]:
        starts = set()
        for form in [w.layout() for w in page.findChildren(QWidget) if isinstance(w.layout(), QFormLayout)]:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if item is not None and item.widget() is not None and item.widget().isVisible():
                    widget = item.widget()
                    starts.add(widget.mapTo(page, widget.rect().topLeft()).x())
        return starts

    assert len(field_starts()) == 1, field_starts()
    office = make_office(tmp_path, monkeypatch, deadline=dt.date.today() + dt.timedelta(days=20))
    with office.active() as session:
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    package_service.import_campaign_file(window.ws.session, task)
    window.ws.notify(Changes(filing=True))
    assert "已登记的纪委（监察室）密钥" in page.keys_box.fields
    qtbot.waitUntil(lambda: page.keys_box.fields["已登记的纪委（监察室）密钥"].isVisible())
    assert len(field_starts()) == 1, field_starts()


def test_lists_page_numbers_every_item_of_every_list(window):
    template = window.ws.template()
    text = window.show_page(ListsPage).browser.toPlainText()
    for policy_list in template.lists:
        assert policy_list.title in text
        for number, item in enumerate(policy_list.items, start=1):
            assert f"（{number}）{item}" in text
    assert "、".join(template.signing_rule.key_posts) in text


def test_choosing_another_template_changes_the_lists_and_can_be_undone(qtbot, window):
    page = window.show_page(UnitPage)
    lists = window.page(ListsPage)
    before = window.ws.template()
    other = next(t for t in template_service.available_templates(window.ws.session) if t.id != before.id)
    page.template_combo.setCurrentIndex(page.template_combo.findText(other.name))
    page.template_combo.activated.emit(page.template_combo.currentIndex())

    assert template_service.active_template(window.ws.session).id == other.id
    assert other.lists[0].title in lists.browser.toPlainText()
    window.undo_action.trigger()
    assert template_service.active_template(window.ws.session).id == before.id
    assert page.template_combo.currentText() == before.name


def test_with_a_campaign_the_template_is_the_campaigns_own(qtbot, workspace):
    campaign_service.create_campaign(workspace.session)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    page = window.show_page(UnitPage)
    assert not page.template_combo.isEnabled()
    assert "不能在此更改" in page.template_details.text()


def test_leaving_or_closing_with_unsaved_unit_fields_asks_save_discard_cancel(qtbot, window, type_into, real_boxes):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.show_page(UnitPage)
    leader = page.unit_form.edit("leader")
    leader.selectAll()
    type_into(leader, "王科长")
    assert window.isWindowModified()  # the title's “*”: something typed is not saved

    window.navigation.setFocus()
    real_boxes.key = Qt.Key.Key_Escape  # 取消: stay, with the typing kept
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert "还没有保存" in real_boxes.box_text
    assert window.stack.currentWidget() is page and leader.text() == "王科长"

    real_boxes.key = Qt.Key.Key_Return  # 保存 is the default answer
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.stack.currentWidget() is not page
    assert unit_service.get_unit(window.ws.session).leader == "王科长"
    assert not window.isWindowModified()

    window.show_page(UnitPage)
    leader.selectAll()
    type_into(leader, "赵科长")
    real_boxes.key = Qt.Key.Key_Escape
    assert not window.close()  # closing asks too; 取消 keeps the window open
    assert len(real_boxes.texts) == 3
    real_boxes.key = Qt.Key.Key_Return
    assert window.close()
    assert unit_service.get_unit(window.ws.session).leader == "赵科长"


def test_discarding_typed_unit_fields_puts_back_what_is_stored(qtbot, window, type_into, monkeypatch):
    """放弃修改 used to keep the typed text (a reload keeps what is being typed): the page showed it again
    and closing asked once more — where 保存 would have stored what the clerk had thrown away."""
    page = window.show_page(UnitPage)
    leader = page.unit_form.edit("leader")
    leader.selectAll()
    type_into(leader, "钱科长")
    monkeypatch.setattr("qingqing_desktop.ui.common.messages.ask_unsaved", lambda *args: "discard")
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is not page
    assert leader.text() == unit_service.get_unit(window.ws.session).leader != "钱科长"
    assert not page.has_unsaved_changes() and not window.isWindowModified()
    monkeypatch.setattr("qingqing_desktop.ui.common.messages.ask_unsaved", lambda *args: pytest.fail("asked again"))
    assert window.close()


def test_an_invalid_unit_form_is_not_saved_on_leaving(qtbot, window, dialogs, monkeypatch):
    page = window.show_page(UnitPage)
    page.unit_form.edit("name").clear()
    monkeypatch.setattr("qingqing_desktop.ui.common.messages.ask_unsaved", lambda *args: "save")
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is page  # the save was refused: the page stays, with the reason
    assert dialogs.texts("warning") == ["单位名称不能为空"]
    assert unit_service.get_unit(window.ws.session).name == "技术科"
    monkeypatch.setattr("qingqing_desktop.ui.common.messages.ask_unsaved", lambda *args: "discard")
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is not page
    assert page.unit_form.edit("name").text() == "技术科"


def test_a_folder_that_cannot_be_opened_says_so_in_the_window(qtbot, window, dialogs, monkeypatch):
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # no file manager
    page = window.show_page(UnitPage)
    (button,) = [b for b in page.findChildren(QPushButton) if b.text() == "打开数据文件夹"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (text,) = dialogs.texts("warning")
    assert text.startswith("无法打开文件夹：") and str(data_dir()) in text
