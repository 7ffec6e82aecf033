"""The office re-registers the key of a unit that really changed computers, from the unit's detail;
a package from that new installation then goes in under the same unit (one row on the board)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qingqing_desktop.services import office_service
from qingqing_desktop.ui.office.unit_detail import open_unit_detail
from tests.ui.office_fixtures import (  # noqa: F401 — bureau is a fixture
    bureau,
    fill_and_finalise,
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
