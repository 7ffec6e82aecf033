"""Shared fixtures: Qt offscreen, data folders in temporary directories, a fresh database."""

from __future__ import annotations

import os
from pathlib import Path

# Offscreen, on a 1920×1080 screen at 96 dpi (an office monitor; the plugin's own is 800×800), so that
# windows keep the sizes they open with on such a monitor (smaller screens: test_window_fits_the_screen).
os.environ.setdefault("QT_QPA_PLATFORM",
                      f"offscreen:configfile={Path(__file__).with_name('data') / 'offscreen_screen.json'}")

import pytest  # noqa: E402

from qingqing_desktop.domain.unit import UnitKind  # noqa: E402
from qingqing_desktop.services import unit_service  # noqa: E402
from qingqing_desktop.services.session import open_session  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder and no database override."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    monkeypatch.delenv("QINGQING_DB", raising=False)
    monkeypatch.setenv("QINGQING_OPERATOR", "测试员")
    return data


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.sqlite3"


@pytest.fixture
def session(db_path):
    s = open_session(db_path, operator="测试员")
    yield s
    s.close()


@pytest.fixture
def unit_session(session):
    """A session whose unit is set up (技术科, 科室)."""
    unit_service.save_unit(session, name="技术科", kind=UnitKind.SECTION, leader="林主任", contact="王五", phone="0577-653260")
    return session
