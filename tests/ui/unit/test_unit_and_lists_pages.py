"""单位信息 (fields, operator, template choice) and 三张清单 (the active template's lists)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qingqing_desktop.services import campaign_service, template_service, unit_service
from qingqing_desktop.ui.common.settings import OPERATOR_NAME
from qingqing_desktop.ui.main_window import MainWindow
from qingqing_desktop.ui.unit.lists_page import ListsPage
from qingqing_desktop.ui.unit.unit_page import UnitPage


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
    assert window.windowTitle() == "亲清填报 — 质量监督站[*]"
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
    lists = window.pages[ListsPage]
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
