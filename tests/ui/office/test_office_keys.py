"""纪委（监察室）模式 with the keyboard alone: Return opens what is chosen or presses the focused button, the
board's search box leads into its table, the office's dialogs take Return, Ctrl+Tab and Ctrl+V where a
reviewer expects them to, and the list of pages shows when it has the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.office_dialogs import ExcelSummaryDialog, ExpectedUnitsDialog
from qingqing_desktop.ui.office.template_editor import TemplateEditor
from qingqing_desktop.ui.office.templates_page import TemplatesPage
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog
from tests.ui.office_fixtures import hand_made_xlsx, make_office, shown_window, wait_for_background


@pytest.fixture
def office(tmp_path, monkeypatch):
    """The office with its campaign and three expected units (技术科, 质监站, 规划科), none delivered yet."""
    office = make_office(tmp_path, monkeypatch, deadline=dt.date.today() + dt.timedelta(days=10))
    with office.active():
        yield office
    office.session.close()


@pytest.fixture
def office_window(qtbot, office, settings):
    return shown_window(qtbot, office.session, settings)


def shown(window, dialog_class):
    found = [w for w in window.findChildren(dialog_class) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} {dialog_class.__name__} shown"
    return found[0]


def click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_return_on_a_template_opens_it_as_a_double_click_does(qtbot, office_window):
    page = office_window.show_page(TemplatesPage)
    click_row(qtbot, page.view, 1)
    assert page.selected().template.id == page.model.row(1).template.id
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    editor = shown(office_window, TemplateEditor)
    assert page.editor is editor and editor.read_only  # a shipped template: 查看…
    assert page.model.row(1).template.name in editor.windowTitle()


def button(page, text: str) -> QPushButton:
    (found,) = [b for b in page.findChildren(QPushButton) if b.text() == text]
    return found


def focus_by_tab(qtbot, window, widget) -> None:
    """Tab (as a reviewer does) until ``widget`` has the focus."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(40):
        if widget.hasFocus():
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget}")


def test_return_presses_the_focused_button_of_a_page_as_space_does(qtbot, office_window, files):
    templates = office_window.show_page(TemplatesPage)
    new_template = button(templates, "新建模板…")
    focus_by_tab(qtbot, office_window, new_template)
    qtbot.keyClick(new_template, Qt.Key.Key_Return)
    editor = shown(office_window, TemplateEditor)
    assert not editor.read_only  # a new template, written starting from the one selected
    editor.close()

    board = office_window.show_page(BoardPage)
    click_row(qtbot, board.table, 0)
    details = button(board, "查看详情…")
    focus_by_tab(qtbot, office_window, details)
    qtbot.keyClick(details, Qt.Key.Key_Return)
    assert shown(office_window, UnitDetailDialog).title.text() == board.selected_row().unit


def find(qtbot, window) -> None:
    """Ctrl+F, as a reviewer presses it: the cursor goes to the board's search box."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)


def test_from_the_board_search_down_goes_to_the_first_match_and_return_opens_the_only_one(qtbot, office_window,
                                                                                         type_into):
    board = office_window.page(BoardPage)
    find(qtbot, office_window)
    assert board.search.hasFocus()
    qtbot.keyClicks(board.search, "jsk")
    assert [row.unit for row in board.proxy.rows()] == ["技术科"]
    qtbot.keyClick(board.search, Qt.Key.Key_Down)
    assert board.table.hasFocus() and board.selected_row().unit == "技术科"
    qtbot.keyClick(board.table, Qt.Key.Key_Return)
    detail = shown(office_window, UnitDetailDialog)
    assert detail.title.text() == "技术科"
    detail.close()

    find(qtbot, office_window)
    qtbot.keyClicks(board.search, "jsk")  # over the words selected
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    assert shown(office_window, UnitDetailDialog).title.text() == "技术科"
    shown(office_window, UnitDetailDialog).close()

    board.search.clear()
    type_into(board.search, "科")  # 技术科 and 规划科: Return cannot know which
    assert len(board.proxy.rows()) == 2
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    assert not [d for d in office_window.findChildren(UnitDetailDialog) if d.isVisible()]
    qtbot.keyClick(board.search, Qt.Key.Key_Down)
    assert board.table.hasFocus() and board.selected_row() == board.proxy.rows()[0]


def press_until(qtbot, key, widget, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    for _ in range(40):
        if widget.hasFocus():
            return
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    raise AssertionError(f"the focus never reached {widget}")


def test_return_saves_a_form_after_tab_went_over_its_buttons_and_back(qtbot, office_window, files):
    """行动 → 修改行动信息…: Tab on to 保存 and Shift+Tab back into 修改原因; Return still saves (保存 kept
    the default when the focus left it: no button takes or drops the default with the focus). ``files``:
    a 任务包 offered for the changed campaign is not saved."""
    office_window.edit_campaign_action.trigger()
    dialog = shown(office_window, CampaignDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    press_until(qtbot, Qt.Key.Key_Tab, dialog.document_number)
    qtbot.keyClicks(dialog.document_number, "No.8")  # at the end of the 文号 there
    press_until(qtbot, Qt.Key.Key_Tab, dialog.ok_button)
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.reason.hasFocus()
    qtbot.keyClicks(dialog.reason, "abc")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert office_window.ws.campaign().document_number.endswith("No.8")


def test_ctrl_tab_goes_round_the_attachments_of_the_template_preview(qtbot, office_window):
    page = office_window.show_page(TemplatesPage)
    qtbot.mouseClick(button(page, "预览附件…"), Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    preview = page.preview_dialog
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    assert [preview.tabs.tabText(i) for i in range(3)] == ["附件1 承诺书", "附件2 汇总表", "附件3 自查表"]
    control, control_shift = Qt.KeyboardModifier.ControlModifier, (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, control)
    assert preview.tabs.currentIndex() == 1 and preview.preview.title.startswith("附件2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, control)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, control)  # round to the first
    assert preview.tabs.currentIndex() == 0
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, control_shift)  # as the keyboard sends it
    assert preview.tabs.currentIndex() == 2 and preview.preview.title.startswith("附件3")
    preview.close()


def test_the_expected_units_dialog_opens_with_the_cursor_where_names_are_pasted(qtbot, office_window):
    office_window.activateWindow()
    qtbot.waitUntil(office_window.isActiveWindow)
    office_window.office_actions.edit_expected_units()
    dialog = shown(office_window, ExpectedUnitsDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    QApplication.clipboard().setText("城东分局\n城西分局\n")  # a column copied from Excel
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.names.text().splitlines() == ["城东分局", "城西分局"]
    qtbot.keyClick(dialog.names, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # on to 添加到名单
    assert dialog.listed() == ["城东分局", "城西分局", "规划科", "技术科", "质监站"]


def test_one_return_imports_an_excel_summary_to_the_unit_offered(qtbot, office_window, files, tmp_path, dialogs):
    """The unit guessed from the file, selected as the cursor comes in, looked like a completion offered
    inline: the first Return only took it, the second imported."""
    files.open(hand_made_xlsx(tmp_path / "规划科汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")]))
    office_window.activateWindow()
    qtbot.waitUntil(office_window.isActiveWindow)
    office_window.office_actions.import_excel_action.trigger()
    wait_for_background(qtbot)  # the file is read before the unit is asked
    dialog = shown(office_window, ExcelSummaryDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    field = dialog.unit.lineEdit()
    assert field.hasFocus() and field.selectedText() == "规划科"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert "已导入“规划科”的汇总表：1人" in dialogs.texts("information")[-1]


def test_the_navigation_shows_when_it_has_the_keyboard(qtbot, office_window):
    """Tab into the list of pages on the left: its current entry is marked (there was no mark at all,
    so ↑/↓ changed pages with nothing saying why)."""
    navigation = office_window.navigation
    find(qtbot, office_window)  # the cursor in the board's search box
    unfocused = navigation.grab().toImage()
    focus_by_tab(qtbot, office_window, navigation)
    assert navigation.grab().toImage() != unfocused
    qtbot.keyClick(navigation, Qt.Key.Key_Down)
    assert isinstance(office_window.stack.currentWidget(), TemplatesPage) and navigation.hasFocus()


def test_a_blue_button_shows_when_it_has_the_keyboard(qtbot, office_window):
    """新建模板… (a styled, blue button) reached with Tab showed only a faint dotted box round its words."""
    page = office_window.show_page(TemplatesPage)
    (button,) = [b for b in page.findChildren(QPushButton) if b.objectName() == "primary" and b.text() == "新建模板…"]
    office_window.activateWindow()  # an inactive window's colours differ: compare in the active one
    qtbot.waitUntil(office_window.isActiveWindow)
    unfocused = button.grab().toImage()
    focus_by_tab(qtbot, office_window, button)
    focused = button.grab().toImage()
    # Its frame, not only Fusion's faint dotted box round the words: the left edge changes colour
    middle = focused.height() // 2
    assert focused.pixelColor(1, middle).lightness() < unfocused.pixelColor(1, middle).lightness() - 30
