"""The window shows what qingqing-cli changed in the same database while the window was open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from qingqing_desktop.cli import main as cli_main
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import roster_service, unit_service
from qingqing_desktop.services.session import open_session
from qingqing_desktop.ui.unit.unit_page import UnitPage

UNIT_SET = ["unit", "set", "--kind", "站", "--leader", "林站长", "--contact", "王五"]


def names_shown(window) -> list[str]:
    page = window.roster_page
    return sorted(page.proxy.row_at(row).name for row in range(page.proxy.rowCount()))


def come_back_to(qtbot, window) -> None:
    """The clerk goes to a terminal and back to the window."""
    terminal = QLineEdit()
    qtbot.addWidget(terminal)
    terminal.show()
    terminal.activateWindow()
    qtbot.waitUntil(terminal.isActiveWindow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_changes_made_by_the_cli_appear_when_the_window_is_activated(qtbot, window, db_path, capsys):
    come_back_to(qtbot, window)  # nothing changed: nothing reloaded, the undo history stays
    assert window.statusBar().currentMessage() == ""

    other = open_session(db_path, operator="脚本")
    try:
        roster_service.add_staff(other, StaffMember("钱多多", RankCategory.MIDDLE_CADRE, post="主持全面工作"))
    finally:
        other.close()
    assert cli_main(["--db", str(db_path), *UNIT_SET, "--name", "质量监督站"]) == 0
    capsys.readouterr()
    assert "钱多多" not in names_shown(window)

    come_back_to(qtbot, window)
    assert "钱多多" in names_shown(window)
    assert window.windowTitle() == "质量监督站[*]"
    assert "已重新读取" in window.statusBar().currentMessage()


def test_a_reload_keeps_what_is_being_typed_on_the_unit_page(qtbot, window, db_path, type_into, capsys):
    page = window.show_page(UnitPage)
    leader = page.unit_form.edit("leader")
    leader.selectAll()
    type_into(leader, "王科长")
    assert cli_main(["--db", str(db_path), *UNIT_SET, "--name", "技术科", "--phone", "0577-1234567"]) == 0
    capsys.readouterr()
    come_back_to(qtbot, window)
    assert leader.text() == "王科长"  # what the clerk typed stays
    assert page.unit_form.edit("phone").text() == "0577-1234567"  # what the CLI wrote shows in the other fields
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    unit = unit_service.get_unit(window.ws.session)
    assert (unit.leader, unit.phone) == ("王科长", "0577-1234567")
