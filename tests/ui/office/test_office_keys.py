"""纪委（监察室）模式 with the keyboard alone: Return opens what is chosen or presses the focused button, the
board's search box leads into its table, the office's dialogs take Return and Ctrl+Tab where a reviewer
expects them to."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.template_editor import TemplateEditor
from qingqing_desktop.ui.office.templates_page import TemplatesPage
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog
from tests.ui.office_fixtures import make_office, shown_window


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


def shown(dialog_class):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, dialog_class) and w.isVisible()]
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
    editor = shown(TemplateEditor)
    assert page.editor is editor and editor.read_only  # a shipped template: 查看…
    assert page.model.row(1).template.name in editor.windowTitle()
