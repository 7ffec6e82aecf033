"""The bureau for the GUI tests: the discipline office and a unit as separate installations (own data
folder, key and database) that meet only through files, as in tests/services/exchange_fixtures.py."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QTableView

from qingqing_desktop.services import office_service
from qingqing_desktop.ui.common import background
from qingqing_desktop.ui.common.settings import TITLE_BAR_ROOM
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.main_window import MainWindow
from tests.services.exchange_fixtures import (  # noqa: F401 — re-exported for the tests
    OFFICE_NAME,
    Installation,
    fill_and_finalise,
    hand_made_xlsx,
    installation,
    make_office,
    make_unit,
    send_package,
)

TODAY = dt.date.today()
EXPECTED_UNITS = ("技术科", "质监站", "规划科")
SMALL_SCREEN = QRect(0, 0, 1093, 582)  # 1366×768 at 125 %, less the taskbar


def assert_fits_a_small_screen(dialog) -> None:
    """The dialog and its title bar on the screen, every button of its button box shown whole inside it,
    and no table of it behind a sideways scroll."""
    assert dialog.width() <= SMALL_SCREEN.width() and dialog.height() + TITLE_BAR_ROOM <= SMALL_SCREEN.height()
    (box,) = dialog.findChildren(QDialogButtonBox)
    buttons = [b for b in box.findChildren(QAbstractButton) if not b.isHidden()]
    assert buttons
    for button in buttons:
        assert button.isVisible()
        assert dialog.rect().contains(QRect(button.mapTo(dialog, button.rect().topLeft()), button.size()))
    for table in dialog.findChildren(QTableView):
        if table.isVisible():
            assert table.horizontalScrollBar().maximum() == 0, type(table).__name__


@dataclass
class Bureau:
    office: Installation
    unit: Installation  # 技术科, with the 任务包 imported and a small roster
    task_file: Path
    usb: Path  # a folder standing for the USB stick


@pytest.fixture
def bureau(tmp_path, monkeypatch) -> Bureau:
    usb = tmp_path / "usb"
    usb.mkdir()
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=10), units=EXPECTED_UNITS)
    with office.active() as session:
        task_file, _ = office_service.export_campaign_file(session, tmp_path)
    unit = make_unit(tmp_path, monkeypatch, "技术科", task_file)
    yield Bureau(office, unit, task_file, usb)
    office.session.close()
    unit.session.close()


def shown_window(qtbot, session, settings) -> MainWindow:
    window = MainWindow(Workspace(session, settings))
    qtbot.addWidget(window)
    window.show()
    return window


def wait_for_background(qtbot) -> None:
    qtbot.waitUntil(lambda: not background.is_busy(), timeout=20000)


def tampered_copy(package: Path, target: Path, *, added: tuple[str, bytes] | None = None) -> Path:
    """The package with one byte of its data changed — or, given ``added`` (name, content), with a file put
    in beside the signed ones — zipped up again: the signature no longer holds."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "data.json" and added is None:
                data = data.replace("单建国".encode(), "单建军".encode(), 1)
            copy.writestr(info, data)
        if added is not None:
            copy.writestr(*added)
    return target
