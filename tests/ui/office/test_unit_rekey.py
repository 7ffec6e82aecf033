"""The office re-registers the key of a unit that really changed computers, from the unit's detail;
a package from that new installation then goes in under the same unit (one row on the board)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qingqing_desktop.services import office_service
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog, open_unit_detail
from tests.ui.office_fixtures import (  # noqa: F401 — bureau is a fixture
    bureau,
    fill_and_finalise,
    hand_made_xlsx,
    make_unit,
    send_package,
    shown_window,
)


def test_a_new_key_is_registered_from_the_units_detail(qtbot, bureau, settings, tmp_path, monkeypatch, type_into,
                                                       dialogs):
    fill_and_finalise(bureau.unit)
    first = send_package(bureau.unit, bureau.usb)
    with bureau.office.active() as session:
        office_service.import_package(session, first.path)
    moved = make_unit(tmp_path, monkeypatch, "技术科", bureau.task_file, computer="new-computer")
    fill_and_finalise(moved)
    package = send_package(moved, tmp_path / "new")
    window = shown_window(qtbot, bureau.office.session, settings)
    with bureau.office.active() as session:
        refused = office_service.import_packages(session, [package.path])
        assert refused.failed == 1 and package.fingerprint in refused.results[0].error
        unit = office_service.find_unit(session, "技术科")
    detail = open_unit_detail(window.ws, unit.id, window)
    assert detail.rekey_button.isEnabled() and "换了电脑" in detail.rekey_button.toolTip()
    dialog = detail.register_new_key()
    assert first.fingerprint in dialog.explanation.text()
    type_into(dialog.reason, package.fingerprint.replace("-", "").lower())  # as read out on the phone
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert package.fingerprint in detail.notes.text()
    with bureau.office.active() as session:
        assert office_service.import_package(session, package.path).ok
        assert [u.name for u in office_service.list_units(session)].count("技术科") == 1
    moved.session.close()


def test_a_unit_that_only_sent_excel_has_no_key_to_register_again(qtbot, bureau, settings, tmp_path):
    """Its detail offered 重新登记密钥… with words about a changed computer; it is greyed out and says why."""
    with bureau.office.active() as session:
        office_service.import_summary_excel(session, "规划科", hand_made_xlsx(
            tmp_path / "规划科汇总表.xlsx", [("王建", "中层干部", "分管规划", "是")]))
        window = shown_window(qtbot, session, settings)
    board = window.page(BoardPage)
    rect = board.table.visualRect(board.proxy.index([r.unit for r in board.proxy.rows()].index("规划科"), 0))
    qtbot.mouseClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a person does
    qtbot.mouseDClick(board.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    (detail,) = [d for d in board.findChildren(UnitDetailDialog) if d.isVisible()]
    assert not detail.rekey_button.isEnabled()
    assert detail.rekey_button.toolTip().startswith("该单位只交来Excel汇总表（没有签名），还没有登记密钥")
    qtbot.mouseClick(detail.rekey_button, Qt.MouseButton.LeftButton)
    assert not detail.findChildren(ReasonDialog)
    # the Excel file cannot be shown: the placeholder says so, and the page controls are idle
    preview = detail.documents.preview
    assert "不能在此预览" in preview.placeholder.text() and preview.placeholder.isVisible()
    assert preview.page_box.text().strip() == "" and not preview.page_box.isEnabled()
    assert not preview.previous_action.isEnabled() and not preview.next_action.isEnabled()
