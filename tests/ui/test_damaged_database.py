"""The GUI under faults: a damaged database (at start, or found by the check after start) opens read-only
with a red banner and the backups listed with date, people and check result, the newest sound one
selected and restored with a click; an outside file only behind a tick; a held lock shows progress and
names the window holding it; the office re-registers a unit's new key from the unit's detail."""

from __future__ import annotations

import sqlite3
import sys
import time

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QProgressDialog, QPushButton

from qingqing_desktop.domain.errors import DatabaseDamaged
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import backup_service, office_service, roster_service
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import salvage
from qingqing_desktop.store.locations import backups_dir
from qingqing_desktop.ui import app as app_module
from qingqing_desktop.ui.backup_dialog import CHECK, KIND, PEOPLE, BackupDialog
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.lock_wait import LockWaitProgress
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.main_window import MainWindow
from tools import fault_inject


def _damage_a_cell(db_path) -> None:
    """What a flipped bit in a cell does: a value its CHECK constraint forbids (found by the checks)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE staff SET rank = '中层千部' WHERE name = '张三'")
    conn.close()


@pytest.fixture
def backed_up(unit_session):
    """技术科 with 张三 and 李四 in two program backups, the newest one damaged; then 王五 added."""
    for name in ("张三", "李四"):
        roster_service.add_staff(unit_session, StaffMember(name, RankCategory.STAFF))
        backup_service.create_backup(unit_session)
    newest = backup_service.list_backups()[0].path
    newest.write_bytes(newest.read_bytes()[:-1])
    roster_service.add_staff(unit_session, StaffMember("王五", RankCategory.STAFF))
    return unit_session


def _wait_for_checks(qtbot, dialog: BackupDialog) -> None:
    qtbot.waitUntil(lambda: all(dialog.tree.topLevelItem(i).text(CHECK) != "正在检查…"
                                for i in range(dialog.tree.topLevelItemCount())), timeout=10000)


def test_a_database_found_damaged_after_start_turns_read_only_and_offers_the_newest_sound_backup(
        qtbot, backed_up, settings, dialogs):
    window = MainWindow(Workspace(backed_up, settings))
    qtbot.addWidget(window)
    window.show()
    assert window.damage_banner.isHidden()
    _damage_a_cell(backed_up.db_path)
    window.check_in_background()
    qtbot.waitUntil(lambda: window.damage_banner.isVisible(), timeout=10000)
    assert "数据库已损坏" in window.damage_label.text() and "（1 人），此后的修改不在其中" in window.damage_label.text()
    assert "抢救可读数据" in window.damage_label.text()
    qtbot.waitUntil(lambda: window.findChild(BackupDialog) is not None)
    dialog = window.findChild(BackupDialog)
    _wait_for_checks(qtbot, dialog)
    assert dialog.windowTitle() == "数据库已损坏：从备份恢复" and not dialog.backup_button.isEnabled()
    rows = [[dialog.tree.topLevelItem(i).text(c) for c in (PEOPLE, CHECK)] for i in range(2)]
    assert rows[0][1].startswith("不可用：") and rows[1] == ["1 人", "可以恢复"]
    assert dialog.tree.currentItem() is dialog.tree.topLevelItem(1)  # the newest sound one, selected

    page = window.roster_page  # every write is refused meanwhile, in one sentence
    editor = page.add_person()
    editor.name.setText("赵敏")
    editor.accept()
    assert "已损坏" in dialogs.texts("warning")[-1] and "从备份恢复" in dialogs.texts("warning")[-1]

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert "损坏的数据库会先另存一份" in dialogs.texts("confirm")[-1]
    assert "数据已恢复到" in dialogs.texts("information")[-1]
    assert window.damage_banner.isHidden() and window.ws.damage is None
    assert [m.name for m in roster_service.list_staff(window.ws.session)] == ["张三"]
    assert [b.reason for b in backup_service.list_backups()].count("damaged") == 1
    assert not window.ws.refresh_if_changed_elsewhere()  # the program's own restore, not another program's
    roster_service.add_staff(window.ws.session, StaffMember("赵敏", RankCategory.STAFF))  # writes again


@pytest.fixture
def started(monkeypatch):
    """``app_module.main`` over the test's database, without a log file or an event loop; the windows
    it would show are collected."""
    monkeypatch.setattr(app_module, "_log_to_file", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(MainWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    # the check after start would run after main() returned, the event loop being a stub here
    monkeypatch.setattr(MainWindow, "check_in_background", lambda self: None)
    yield shown
    for window in shown:
        window.deleteLater()


def test_a_database_too_damaged_to_open_gets_the_backups_dialog_before_the_window(
        qtbot, backed_up, settings, dialogs, monkeypatch, started):
    path = backed_up.db_path
    backed_up.close()
    path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])  # the header is gone
    monkeypatch.setenv("QINGQING_DB", str(path))
    offered = []

    def clerk_restores(dialog):
        _wait_for_checks(qtbot, dialog)
        offered.append(dialog.explanation.text())
        dialog.restore_selected()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BackupDialog, "exec", clerk_restores)
    assert app_module.main(["qingqing"]) == 0
    assert "数据库已损坏（文件头已损坏" in offered[0]
    (window,) = started
    assert window.damage_banner.isHidden()
    session = open_session(path)
    assert [m.name for m in roster_service.list_staff(session)] == ["张三"]
    session.close()


def test_a_damaged_database_without_any_backup_says_so_and_points_to_an_outside_copy(
        qtbot, unit_session, settings, dialogs, monkeypatch, started):
    """Killed before the first timer backup and before leaving: no backup at all. The dialog said
    “已选中最新的一份” over an empty list."""
    roster_service.add_staff(unit_session, StaffMember("张三", RankCategory.STAFF))
    path = unit_session.db_path
    unit_session.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page:4 * page] = bytes(b ^ 0x5A for b in data[3 * page:4 * page])  # a scrambled page; the header is sound
    path.write_bytes(bytes(data))
    monkeypatch.setenv("QINGQING_DB", str(path))
    shown = []

    def clerk_reads_and_leaves(dialog):
        shown.append((dialog.explanation.text(), dialog.tree.topLevelItemCount(), dialog.outside_button.isEnabled()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(BackupDialog, "exec", clerk_reads_and_leaves)
    app_module.main(["qingqing"])
    assert shown  # offered before the window (again, to restore or quit, when the damage is in what it shows)
    for text, listed, outside_offered in shown:
        assert listed == 0 and outside_offered
        assert "本机还没有备份" in text and "点“恢复外部文件…”" in text
        assert "已选中最新的一份" not in text


def test_an_outside_file_is_restored_only_with_the_tick(qtbot, backed_up, settings, dialogs, files, monkeypatch,
                                                         tmp_path):
    outside = tmp_path / "别的电脑上的副本.sqlite3"
    outside.write_bytes(backup_service.list_backups()[1].path.read_bytes())
    workspace = Workspace(backed_up, settings)
    dialog = BackupDialog(workspace)
    qtbot.addWidget(dialog)
    ticks = []
    monkeypatch.setattr(messages, "confirm_with_checkbox", lambda *args: ticks.append(args[3]) or len(ticks) > 1)
    files.open(outside, outside)
    qtbot.mouseClick(dialog.outside_button, Qt.MouseButton.LeftButton)  # not ticked: nothing happens
    assert len(roster_service.list_staff(backed_up)) == 3
    qtbot.mouseClick(dialog.outside_button, Qt.MouseButton.LeftButton)
    assert ticks[0] == "我确认这是本单位的数据副本，要用它恢复"
    assert [m.name for m in roster_service.list_staff(backed_up)] == ["张三"]
    assert "（1 人）" in dialogs.texts("information")[-1]


def test_a_held_lock_shows_progress_then_names_the_window_holding_it(qtbot, window, dialogs, monkeypatch):
    db = window.ws.session.db_path
    holder = fault_inject.hold_lock(db)
    seen = []
    real_call = LockWaitProgress.__call__

    def watched(self, waited, limit, holder_text):
        real_call(self, waited, limit, holder_text)
        seen.extend(d.labelText() for d in QApplication.allWidgets() if isinstance(d, QProgressDialog) and d.isVisible())

    monkeypatch.setattr(LockWaitProgress, "__call__", watched)
    store = window.ws.session.store
    store.on_lock_wait = LockWaitProgress()
    store.lock_wait_seconds = 1.5
    try:
        editor = window.roster_page.add_person()
        editor.name.setText("赵敏")
        editor.accept()
    finally:
        fault_inject.release(holder)
    assert seen and "正被另一个亲清填报窗口" in seen[0] and "正在等待" in seen[0]
    shown = dialogs.texts("warning")
    assert any(f"另一个亲清填报窗口（进程 {holder.pid}" in text and "等待 2 秒后仍未释放" in text for text in shown)
    assert roster_service.list_staff(window.ws.session) == []


def test_damage_in_what_the_window_shows_leaves_restore_or_quit(qtbot, backed_up, settings, dialogs, monkeypatch,
                                                                started):
    path = backed_up.db_path
    _damage_a_cell(path)  # 张三's rank: the roster page cannot show him
    backed_up.close()
    monkeypatch.setenv("QINGQING_DB", str(path))
    offered = []

    def clerk(dialog):  # first “暂不恢复” (look read-only), then there is nothing to look at: restore
        _wait_for_checks(qtbot, dialog)
        offered.append((dialog.explanation.text(), dialog.findChild(QDialogButtonBox).buttons()[-1].text()))
        if len(offered) == 1:
            return QDialog.DialogCode.Rejected
        dialog.restore_selected()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BackupDialog, "exec", clerk)
    assert app_module.main(["qingqing"]) == 0
    assert "只允许查看" in offered[0][0] and offered[0][1] == "暂不恢复"
    assert "不恢复（或抢救）就无法打开" in offered[1][0] and offered[1][1] == "退出"
    (window,) = started
    assert window.damage_banner.isHidden()


def test_an_office_databases_backups_opened_before_any_window_show_no_people(qtbot, session, settings, dialogs):
    """A damaged office database: the backups dialog opens with no session, and 人数 (0 for every
    office backup, and “（0 人）” after the restore) is left out once the backups say what they are."""
    office_service.enable_office_mode(session, "局机关纪委（监察室）")
    office_service.add_expected_units(session, ["技术科", "规划科"])
    backup_service.create_backup(session)
    path = session.db_path
    session.close()
    path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])  # the header is gone
    dialog = BackupDialog(None, settings=settings, db_path=path,
                          damage=DatabaseDamaged(str(path), "文件头已损坏"))
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_for_checks(qtbot, dialog)
    assert dialog.tree.topLevelItem(0).text(CHECK) == "可以恢复"
    assert dialog.tree.isColumnHidden(PEOPLE)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    said = dialogs.texts("information")[-1]
    assert said.startswith("数据已恢复到") and " 人）" not in said
    restored = open_session(path)
    try:
        assert {u.name for u in office_service.list_units(restored)} == {"技术科", "规划科"}
    finally:
        restored.close()


@pytest.fixture
def never_backed_up(unit_session):
    """技术科 with 张三 and 李四, closed, and not one backup (killed before the first)."""
    for name in ("张三", "李四"):
        roster_service.add_staff(unit_session, StaffMember(name, RankCategory.STAFF))
    unit_session.close()
    for old in backup_service.list_backups():
        old.path.unlink()
    return unit_session.db_path


def test_a_damaged_database_without_any_backup_is_salvaged_and_restored_with_two_clicks(
        qtbot, never_backed_up, settings, dialogs, monkeypatch, started):
    """No backup at all and a damaged page: 抢救可读数据… (Enter, the default) saves what is readable as a
    backup, says what was saved and lost, and 用抢救出的数据恢复 puts it in place; the window opens on it."""
    path = never_backed_up
    _damage_a_cell(path)  # 张三's rank: a value its CHECK constraint refuses
    monkeypatch.setenv("QINGQING_DB", str(path))
    seen = []

    def clerk_salvages(dialog):
        seen.append((not dialog.salvage_button.isHidden(), dialog.salvage_button.isDefault(),
                     dialog.explanation.text()))
        qtbot.mouseClick(dialog.salvage_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.restored, timeout=15000)
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        return QDialog.DialogCode.Accepted

    dialogs.confirm_answer = True
    monkeypatch.setattr(BackupDialog, "exec", clerk_salvages)
    assert app_module.main(["qingqing"]) == 0
    (offered, default, text), = seen
    assert offered and default and "可以点“抢救可读数据…”" in text
    ((title, question),) = [(title, text) for kind, title, text in dialogs.shown if kind == "confirm"]
    # 张三's row breaks its CHECK constraint: left out, then rebuilt from the 修改记录 as it was recorded
    assert title == "抢救完成" and question.startswith("抢救出：在岗及其他人员 2 人，")
    assert "人员名单中有记录已无法读出，已按修改记录重建：张三，请核对" in question and "没有抢救回来" not in question
    assert dialogs.texts("information")[-1].startswith(
        "已用抢救出的数据恢复（2 人）。人员名单中有记录已无法读出，已按修改记录重建：张三，请核对他们的职务、岗位等信息。"
        "\n\n损坏的数据库已原样另存为：")
    (window,) = started
    assert window.damage_banner.isHidden()
    session = open_session(path)
    assert [(m.name, m.rank) for m in roster_service.list_staff(session)] == [("李四", RankCategory.STAFF),
                                                                           ("张三", RankCategory.STAFF)]
    session.close()


def test_damage_found_after_start_is_salvaged_from_the_window_too(qtbot, backed_up, settings, dialogs):
    """With backups as well: the salvaged data (王五, added after the newest backup) can be chosen over them.
    张三's damaged row is rebuilt from the 修改记录."""
    window = MainWindow(Workspace(backed_up, settings))
    qtbot.addWidget(window)
    window.show()
    _damage_a_cell(backed_up.db_path)
    window.check_in_background()
    qtbot.waitUntil(lambda: window.findChild(BackupDialog) is not None, timeout=10000)
    dialog = window.findChild(BackupDialog)
    _wait_for_checks(qtbot, dialog)
    assert dialog.salvage_button.isVisible() and dialog.restore_button.isDefault()  # a sound backup exists
    qtbot.mouseClick(dialog.salvage_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.restored, timeout=15000)
    assert window.damage_banner.isHidden() and window.ws.damage is None
    assert [m.name for m in roster_service.list_staff(window.ws.session)] == ["李四", "王五", "张三"]
    assert not window.ws.refresh_if_changed_elsewhere()
    assert not dialog.salvage_button.isVisible()
    (salvaged,) = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())
                   if dialog.tree.topLevelItem(i).text(KIND) == "抢救出的数据"]
    assert "已按修改记录重建：张三" in salvaged.toolTip(KIND)  # the report, kept for later


def test_a_file_whose_header_is_gone_offers_salvage_or_quit_not_a_look(
        qtbot, never_backed_up, settings, dialogs, monkeypatch, started):
    """Nothing can be shown of it: the dialog says so (退出, not 暂不恢复) and 抢救 brings everyone back."""
    path = never_backed_up
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path.write_bytes(bytes(100) + path.read_bytes()[100:])
    monkeypatch.setenv("QINGQING_DB", str(path))
    seen = []

    def clerk(dialog):
        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        seen.append((dialog.explanation.text(), close.text(), dialog.salvage_button.isDefault()))
        if len(seen) == 1:
            return QDialog.DialogCode.Rejected  # 退出
        qtbot.mouseClick(dialog.salvage_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.restored, timeout=15000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BackupDialog, "exec", clerk)
    assert app_module.main(["qingqing"]) == 2 and not started  # quit: no window promised, none shown
    text, close, default = seen[0]
    assert "文件头已损坏" in text and "不恢复（或抢救）就无法打开" in text and "只允许查看" not in text
    assert close == "退出" and default
    assert app_module.main(["qingqing"]) == 0
    assert len(started) == 1
    session = open_session(path)
    assert [m.name for m in roster_service.list_staff(session)] == ["李四", "张三"]
    session.close()


def test_salvaging_shows_progress_and_取消_stops_it_leaving_nothing_and_saying_nothing(
        qtbot, never_backed_up, settings, dialogs, monkeypatch):
    path = never_backed_up
    _damage_a_cell(path)
    real = salvage._copy_table  # noqa: SLF001
    monkeypatch.setattr(salvage, "_copy_table", lambda *args: time.sleep(0.2) or real(*args))  # a big database
    dialog = BackupDialog(None, settings=settings, db_path=path, damage=DatabaseDamaged(str(path), "快速检查发现 1 处错误"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.salvage_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QProgressDialog) is not None
                    and dialog.findChild(QProgressDialog).isVisible() and "正在读取" in
                    dialog.findChild(QProgressDialog).labelText(), timeout=5000)
    progress = dialog.findChild(QProgressDialog)
    (cancel,) = [b for b in progress.findChildren(QPushButton) if b.text() == "取消"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)
    assert not shiboken6.isValid(progress) or not progress.isVisible()  # the progress box is gone
    assert not dialog.restored
    assert list(backups_dir().iterdir()) == []  # no backup, no half-written file, no scratch copy
    assert dialogs.shown == []  # no error box, no question: the clerk only stopped it
