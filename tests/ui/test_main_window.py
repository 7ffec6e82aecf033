"""The main window builds a page when it is first shown, and a menu of a page's actions when first opened."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea, QTextBrowser, QToolBar, QToolButton

from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.common.settings import OPERATOR_NAME
from qingqing_desktop.ui.help_dialog import HelpDialog
from qingqing_desktop.ui.main_window import OFFICE_PAGES, PAGES
from qingqing_desktop.ui.roster.roster_page import RosterPage
from qingqing_desktop.ui.unit.unit_page import UnitPage
from tests.ui.menu_checks import ACCESS_KEY, buttons_with_access_keys, menu_keys, shortcut_owners


def test_the_navigation_names_each_page_as_the_page_names_itself():
    for entry in PAGES + OFFICE_PAGES:
        page_class = entry.load()
        assert (entry.title, entry.icon_name) == (page_class.title, page_class.icon_name)
        assert entry.is_for(page_class)
    assert [entry.home for entry in PAGES].count(True) == [entry.home for entry in OFFICE_PAGES].count(True) == 1


def test_a_page_is_built_when_first_shown(qtbot, window):
    assert isinstance(window.stack.currentWidget(), RosterPage)
    row = [entry.title for entry in PAGES].index("承诺书签订")
    assert not isinstance(window.stack.widget(row), PledgePage)  # not built yet
    item = window.navigation.item(row)
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.navigation.visualItemRect(item).center())
    page = window.stack.currentWidget()
    assert isinstance(page, PledgePage) and page is window.stack.widget(row)
    assert window.page(PledgePage) is page  # built once
    assert window.counts_label.text() == (page.status_text() or window.roster_page.counts_text())


def test_the_delivery_menu_is_filled_when_first_opened(qtbot, window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "报送(&B)")
    assert menu.actions() == []
    menu.popup(window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible)
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    menu.close()
    assert texts == ["定稿(&F)…", "重新打开修改(&O)…", "生成报送包(&P)…", "导入任务包(&T)…", "导入退回意见(&R)…", "核对文件(&C)…",
                     "修改记录(&H)…"]
    menu.popup(window.mapToGlobal(QPoint(10, 10)))  # a second opening adds nothing
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions() if not action.isSeparator()] == texts
    menu.close()


def test_the_help_reads_as_one_text_without_stray_spaces_between_sentences(qtbot, window):
    """The source breaks long lines; shown as HTML each break was a space (“填签订日期。 此前已上交…”)."""
    window.help_action.trigger()
    (dialog,) = [d for d in window.findChildren(HelpDialog) if d.isVisible()]
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "只打印尚未签订的 N 人" in text and "批量导入签字页" in text and "修改记录" in text
    assert not re.search(r"[。，；：）”] +\S", text), re.findall(r".{6}[。，；：）”] +\S.{6}", text)
    dialog.close()


def test_a_clerk_who_never_gave_a_name_is_asked_in_the_status_bar(qtbot, window, type_into):
    """The 修改记录 would name the computer's login; the status bar says so and leads to the 经办人 box."""
    window.activateWindow()  # typing goes where the focus is, in the active window
    qtbot.waitUntil(window.isActiveWindow)
    label = window.operator_label
    assert label.isVisible() and "（电脑登录名）" in label.text() and "填写您的姓名" in label.text()
    # the link ends the text: a click on its middle, as a clerk clicks it
    link_middle = label.width() - label.fontMetrics().horizontalAdvance("填写您的姓名") // 2 - 6
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(link_middle, label.height() // 2))
    page = window.stack.currentWidget()
    assert isinstance(page, UnitPage) and page.operator.hasFocus()
    # scrolled into view: the box sits below the unit's form, the seal and the keys
    viewport = page.findChild(QScrollArea, "pageScroll").viewport()
    qtbot.waitUntil(lambda: viewport.rect().contains(page.operator.mapTo(viewport, QPoint(4, 4))))
    window.activateWindow()  # offscreen, showing 单位信息 leaves the window inactive; the focus comes back
    qtbot.waitUntil(lambda: page.operator.hasFocus())
    page.operator.clear()
    type_into(page.operator, "李会计")
    qtbot.keyClick(page.operator, Qt.Key.Key_Tab)
    assert label.text() == "经办人：李会计" and window.ws.session.operator == "李会计"
    assert window.ws.settings.get(OPERATOR_NAME) == "李会计"


def test_on_a_1024_pixel_screen_the_search_boxes_stay_inside_the_window_and_a_long_title_ends_in_an_ellipsis(
        qtbot, filing_window):
    from PySide6.QtWidgets import QApplication, QLabel

    from qingqing_desktop.services import campaign_service

    window = filing_window
    title = campaign_service.current_campaign(window.ws.session).title
    assert len(title) > 20  # 平阳县住房和城乡建设局“三清单一承诺”行动（2019）
    window.resize(1024, 700)
    for page_class in (PledgePage, RosterPage):  # the pledge page has the most buttons beside its search box
        page = window.show_page(page_class)
        QApplication.processEvents()
        search = page.search
        right_edge = search.mapTo(window, QPoint(search.width(), 0)).x()
        assert right_edge <= window.width(), (page_class.__name__, right_edge, window.width())
        assert search.width() >= 120 and search.toolTip() == search.placeholderText()
    shown = QLabel.text(window.header.title)  # what is painted, not the whole title
    assert shown.endswith("…") and title.startswith(shown[:-1])
    assert window.header.title.text() == title and window.header.title.toolTip() == title

    window.resize(1600, 900)
    QApplication.processEvents()
    assert QLabel.text(window.header.title) == title and window.header.title.toolTip() == ""
    assert window.show_page(RosterPage).search.width() >= 240


def test_on_a_1024_pixel_screen_the_self_check_rows_are_not_cut_off_by_the_checklist_beside_them(qtbot, filing_window):
    from PySide6.QtWidgets import QApplication, QPushButton

    from qingqing_desktop.ui.filing.selfcheck_page import SelfCheckPage

    window = filing_window
    window.resize(1024, 700)
    page = window.show_page(SelfCheckPage)
    QApplication.processEvents()
    form = page.splitter.widget(0)
    for section in page.sections:
        for widget in (section.none_box, *section.findChildren(QPushButton)):
            right_edge = widget.mapTo(form.viewport(), QPoint(widget.width(), 0)).x()
            assert right_edge <= form.viewport().width(), (widget.text(), right_edge, form.viewport().width())
    assert page.splitter.widget(1).width() >= 200  # the checklist still has room to be read


def test_every_menu_and_item_has_an_access_key_and_no_two_actions_share_a_key(qtbot, window, files):
    """The menus could only be used with the mouse (no 文件(&F)-style letters on the items) and 导入人员名单
    had no shortcut. Now Alt+F, I and Ctrl+I both open the roster import, and no key starts two things."""
    for entry in PAGES:  # every page built, with its actions
        window.show_page(entry.load())
    titles = [action.text() for action in window.menuBar().actions()]
    assert all(ACCESS_KEY.search(title) for title in titles), titles
    for action in window.menuBar().actions():
        menu_keys(qtbot, window, action.menu())
    wide, scoped = shortcut_owners(window)
    assert {key: owners for key, owners in wide.items() if len(owners) > 1} == {}
    assert set(wide) & set(scoped) == set()
    assert wide["Ctrl+I"] == ["导入人员名单(&I)…"]
    assert buttons_with_access_keys(window) == []  # 定稿… on the 报送 page, 定稿(&F)… in the menu

    window.activateWindow()  # typing goes where the focus is, in the active window
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    file_menu = window.menuBar().actions()[0].menu()
    qtbot.waitUntil(file_menu.isVisible)
    qtbot.keyClick(file_menu, Qt.Key.Key_I)
    assert [caption for _kind, caption, _folder in files.asked] == ["选择要导入的人员名单"]
    qtbot.keyClick(window.roster_page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert [caption for _kind, caption, _folder in files.asked] == ["选择要导入的人员名单"] * 2


def test_the_menu_letters_stay_off_the_toolbar_and_the_page_buttons(qtbot, window):
    """The same actions are on the toolbar and on the roster page's buttons: they keep their plain words
    (and no Alt+letter of their own), also after a text changes (标记调离 → 恢复在岗)."""
    toolbar = window.findChild(QToolBar)
    assert [toolbar.widgetForAction(a).text() for a in toolbar.actions() if not a.isSeparator()] == [
        "撤销", "重做", "导入人员名单", "导出人员名单", "备份与恢复"]
    page = window.roster_page
    page.status_action.setText("恢复在岗")
    buttons = {button.defaultAction(): button.text() for button in page.findChildren(QToolButton)
               if button.defaultAction() is not None}
    assert buttons[page.add_action] == "新增人员" and buttons[page.status_action] == "恢复在岗"
    assert page.status_action.text() == "恢复在岗(&L)" and page.add_action.toolTip() == "新增人员"
