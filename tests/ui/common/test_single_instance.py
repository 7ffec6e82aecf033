"""Starting the program again on the same database brings the open window forward instead of opening a
second window on the same data."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from qingqing_desktop.ui.common.single_instance import InstanceServer, ask_running_program, server_name


@pytest.fixture
def running(window, unit_session, qapp):
    """The program already running on the unit's database: its window and its listening socket."""
    server = InstanceServer(unit_session.db_path, qapp)
    assert server.server.isListening()
    yield window
    server.close()


def test_a_second_start_brings_the_minimised_window_back_and_ends(qtbot, running, unit_session, tmp_path):
    running.showMinimized()
    qtbot.waitUntil(running.isMinimized)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QINGQING_DATA_DIR": str(tmp_path)}
    # The real program, as a second double-click starts it; were it not to end, the timeout fails the test.
    second = subprocess.Popen([sys.executable, "-m", "qingqing_desktop.ui.app", "--db", str(unit_session.db_path)],
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: not running.isMinimized(), timeout=60_000)  # the call is answered in this process
    assert second.wait(timeout=60) == 0, second.stderr.read()
    assert running.isVisible()
    assert not (tmp_path / "qingqing.log").exists()  # it ended before opening anything, its log included


def test_nobody_listening_means_no_program_is_running(tmp_path):
    assert not ask_running_program(tmp_path / "nobody.sqlite3")


def test_one_name_per_database_however_the_path_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    same = [tmp_path / "data" / "qingqing.sqlite3", Path("data/qingqing.sqlite3"), Path("data/../data/qingqing.sqlite3")]
    assert len({server_name(path) for path in same}) == 1
    assert server_name(tmp_path / "office.sqlite3") != server_name(same[0])  # the office's opens beside it


def test_the_name_is_the_one_earlier_versions_listen_on(tmp_path, monkeypatch):
    """A version with another name would not find an older one running on the same database and would
    open a second window on it: the name stays the SHA-256 of user and path, however it is computed."""
    monkeypatch.setattr("getpass.getuser", lambda: "kezhang")
    path = tmp_path / "qingqing.sqlite3"
    digest = hashlib.sha256(f"kezhang\n{os.path.normcase(os.path.abspath(path))}".encode()).hexdigest()
    assert server_name(path) == f"qingqing-desktop-{digest[:24]}"


@pytest.mark.skipif(os.name != "posix", reason="a Unix socket file left behind")
def test_the_socket_of_a_killed_program_does_not_stop_the_next_start(tmp_path, qapp):
    db_path = tmp_path / "unit.sqlite3"
    leftover = Path(QDir.tempPath()) / server_name(db_path)
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(leftover))  # as a killed program leaves it: the file, nobody listening
    dead.close()
    try:
        assert leftover.exists() and not ask_running_program(db_path)
        server = InstanceServer(db_path, qapp)
        assert server.server.isListening()
        assert ask_running_program(db_path)
        server.close()
    finally:
        leftover.unlink(missing_ok=True)


def test_a_program_that_is_ending_no_longer_answers(tmp_path, qapp):
    db_path = tmp_path / "unit.sqlite3"
    server = InstanceServer(db_path, qapp)
    assert ask_running_program(db_path)
    qapp.aboutToQuit.emit()  # the window is gone; waiting for a background job before the process ends
    assert not server.server.isListening() and not ask_running_program(db_path)
