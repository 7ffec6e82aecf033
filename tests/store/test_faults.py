"""store.faults: each low-level fault becomes one clear Chinese refusal; a bug stays a bug."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3

import pytest

from qingqing_desktop.domain.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DiskFull,
    FileAccessFailed,
    InputRejected,
)
from qingqing_desktop.services import backup_service, roster_service
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.store import faults, lock_owners
from tools import fault_inject


def test_our_own_errors_pass_through_and_a_bug_gives_none(session):
    refused = InputRejected("不行")
    assert faults.refusal(refused, store=session.store) is refused
    assert faults.refusal(ZeroDivisionError("division by zero"), store=session.store) is None
    assert session.damage is None  # a bug on a sound database is not damage


def test_a_malformed_database_error_makes_the_store_damaged_and_offers_the_newest_sound_backup(unit_session):
    roster_service.add_staff(unit_session, StaffMember("张三", RankCategory.STAFF))
    older = backup_service.create_backup(unit_session)
    newest = backup_service.create_backup(unit_session)
    newest.write_bytes(newest.read_bytes()[:-1])  # the newest backup is damaged: the older one is offered
    refusal = faults.refusal(sqlite3.DatabaseError("database disk image is malformed"), store=unit_session.store)
    assert isinstance(refusal, DatabaseDamaged)
    assert refusal.offer is not None and refusal.offer.path == str(older) and refusal.offer.people == 1
    assert "已损坏" in str(refusal) and "从备份恢复" in str(refusal)
    assert unit_session.damage is refusal
    with pytest.raises(DatabaseDamaged):  # no write goes through any more, nor around transaction()
        roster_service.add_staff(unit_session, StaffMember("李四", RankCategory.STAFF))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        unit_session.store.db.execute("DELETE FROM staff")
    assert [m.name for m in roster_service.list_staff(unit_session)] == ["张三"]


def test_a_python_error_from_damage_inside_a_cell_is_recognised_by_a_full_check(unit_session):
    roster_service.add_staff(unit_session, StaffMember("张三", RankCategory.STAFF))
    conn = unit_session.store.db.conn
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE staff SET rank = '中层千部'")  # what a flipped bit in the cell does
    conn.execute("PRAGMA ignore_check_constraints = OFF")
    with pytest.raises(ValueError) as raised:
        roster_service.list_staff(unit_session)
    refusal = faults.refusal(raised.value, store=unit_session.store)
    assert isinstance(refusal, DatabaseDamaged) and "完整性检查" in refusal.detail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_or_quota_names_the_folder_and_the_space(code, tmp_path):
    exc = OSError(code, os.strerror(code), str(tmp_path / "附件2.xlsx"))
    refusal = faults.refusal(exc, needed=5 * 1024 * 1024)
    assert isinstance(refusal, DiskFull)
    text = str(refusal)
    assert text.startswith("磁盘空间不足") and str(tmp_path) in text and "5.0 MB" in text
    assert text.count("。") == 2  # one sentence saying what, one saying what to do


def test_sqlite_full_is_a_full_disk_of_the_database_folder(session):
    refusal = faults.refusal(sqlite3.OperationalError("database or disk is full"), store=session.store)
    assert isinstance(refusal, DiskFull) and str(session.db_path.parent) in str(refusal)


def test_permission_and_missing_files_are_one_sentence(tmp_path):
    refusal = faults.refusal(PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "a.pdf")))
    assert isinstance(refusal, FileAccessFailed) and "没有权限" in str(refusal) and "a.pdf" in str(refusal)
    assert "不存在" in str(faults.refusal(FileNotFoundError(errno.ENOENT, "No such file", "x.xlsx")))


def test_a_locked_database_names_the_window_that_holds_it(session, tmp_path):
    """Another process of this program (here registered as a window) holds the write lock."""
    holder = fault_inject.hold_lock(session.db_path)
    try:
        waits = []
        session.store.lock_wait_seconds = 1.0
        session.store.on_lock_wait = lambda waited, limit, who: waits.append((waited, who))
        with pytest.raises(DatabaseLocked) as refused:
            session.store.meta_set("x", "1")
        text = str(refused.value)
        assert "另一个亲清填报窗口" in text and f"进程 {holder.pid}" in text and "等待 1 秒" in text
        assert waits and all("亲清填报窗口" in who for _, who in waits)
        assert session.store.meta_get("x") is None
    finally:
        fault_inject.release(holder)
    assert lock_owners.others(session.db_path) == []  # the holder's note is gone with it (or ignored)
    session.store.meta_set("x", "1")  # and the write goes through now


def test_refusals_and_bugs_are_logged(session, caplog):
    with caplog.at_level(logging.INFO):
        faults.refusal(OSError(errno.ENOSPC, "No space left on device", "/tmp/x"))
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            faults.log_unexpected(exc, "test")
    assert "DiskFull" in caplog.text and "Traceback" in caplog.text and "boom" in caplog.text
