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
    format_size,
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
def test_a_full_disk_or_quota_names_the_folder_and_the_space(code, tmp_path, monkeypatch):
    import shutil

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=1024 * 1024))  # 1 MB left
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


# --------------------------------------------------------------------------- what the operating system said, in Chinese

_NO_PERMISSION = "没有权限，或文件正被其他程序（如 Excel、PDF 阅读器）打开。请关闭占用它的程序，或换一个文件夹后再试。"
OS_REASONS = {
    errno.EROFS: "磁盘是只读的（U盘打开了写保护，或磁盘以只读方式连接），不能写入。请换一个文件夹，或解除写保护后再试。",
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.ENOENT: "文件或文件夹不存在。",
    errno.ENAMETOOLONG: "文件名或路径太长。请换一个短一些的文件名，或选一个层次少一些的文件夹。",
    errno.EIO: "读写磁盘时出错（磁盘故障、U盘被拔出或网络中断）。请检查磁盘后再试。",
    errno.EINVAL: "系统不接受这个文件名或路径（不能含有 \\ / : * ? \" < > | 等字符，也不能以空格或句点结尾）。请换一个文件名。",
    errno.ELOOP: f"操作系统拒绝了这次读写（错误代码 {errno.ELOOP}）。请检查磁盘和文件夹是否可用。",
}


def _refused_mkstemp(code):
    def mkstemp(prefix, suffix, dir):  # as the real one fails: naming the temporary file it tried to make
        raise OSError(code, os.strerror(code), os.path.join(dir, f"{prefix}6v9bx5de{suffix}"))

    return mkstemp


@pytest.mark.parametrize("code", list(OS_REASONS))
def test_a_failed_write_names_the_chosen_file_in_chinese_never_its_temporary(code, tmp_path, monkeypatch, caplog):
    from qingqing_desktop.store import atomic_file

    monkeypatch.setattr(atomic_file.tempfile, "mkstemp", _refused_mkstemp(code))
    with pytest.raises(OSError) as failed:
        atomic_file.write_bytes_atomic(tmp_path / "blank.pdf", b"%PDF")
    with caplog.at_level(logging.WARNING):
        refusal = faults.refusal(failed.value)
    assert str(refusal) == f"无法读写“{tmp_path / 'blank.pdf'}”：{OS_REASONS[code]}"
    if code == errno.ELOOP:
        assert os.strerror(code) in caplog.text  # the system's own words are kept for the log


def test_a_failed_write_or_fsync_names_the_file_it_was_writing(tmp_path, monkeypatch):
    from qingqing_desktop.store import atomic_file

    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))  # no file name: an fsync

    monkeypatch.setattr(atomic_file.os, "fsync", fsync)
    with pytest.raises(OSError) as failed:
        atomic_file.write_bytes_atomic(tmp_path / "附件2.xlsx", b"PK")
    assert str(faults.refusal(failed.value)) == f"无法读写“{tmp_path / '附件2.xlsx'}”：{OS_REASONS[errno.EIO]}"
    assert list(tmp_path.iterdir()) == []


def test_a_set_refused_by_its_disk_names_the_folder_and_removes_the_folder_it_made(tmp_path, monkeypatch):
    from qingqing_desktop.store import atomic_file

    def mkdtemp(prefix, dir):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(dir, prefix + "k2j4x8q1"))

    monkeypatch.setattr(atomic_file.tempfile, "mkdtemp", mkdtemp)
    folder = tmp_path / "打印件" / "第二批"
    with pytest.raises(OSError) as failed:
        atomic_file.write_file_set(folder, {"附件1.pdf": b"%PDF", "附件2.xlsx": b"PK"})
    assert str(faults.refusal(failed.value)) == f"无法读写“{folder}”：{OS_REASONS[errno.EROFS]}"
    assert list(tmp_path.iterdir()) == []  # neither 打印件 nor 第二批 is left: the set made them for nothing


def test_a_disk_without_free_files_says_so_rather_than_short_of_space(tmp_path, monkeypatch):
    """A disk with bytes left but every inode used (a small tmpfs, nr_inodes) refuses a new file with ENOSPC."""
    from qingqing_desktop.store import atomic_file

    real_statvfs = os.statvfs
    monkeypatch.setattr(atomic_file.os, "statvfs", lambda path: os.statvfs_result(
        tuple(real_statvfs(path))[:5] + (4, 0, 0) + tuple(real_statvfs(path))[8:]))  # 4 files, none free
    monkeypatch.setattr(atomic_file.tempfile, "mkstemp", _refused_mkstemp(errno.ENOSPC))
    free = atomic_file.free_space(tmp_path)
    with pytest.raises(DiskFull) as refused:
        atomic_file.write_bytes_atomic(tmp_path / "附件2.xlsx", b"PK" * 1000)
    assert str(refused.value) == (
        f"磁盘不能再存放文件：文件夹“{tmp_path}”所在的磁盘还剩 {format_size(free)}，但能存放的文件个数已经用完。"
        "没有写入任何内容，已有的数据没有改动；请删除不需要的文件后再试。")


def test_a_full_disk_never_says_it_needs_less_than_it_has():
    text = str(DiskFull("/数据", 20 * 1024 * 1024, 584 * 1024))
    assert text == ("磁盘空间不足：文件夹“/数据”所在的磁盘只剩 20.0 MB。没有写入任何内容，已有的数据没有改动；"
                    "请删除不需要的文件、腾出空间后再试。")
    assert "需要约 3.0 MB" in str(DiskFull("/数据", 1024 * 1024, 3 * 1024 * 1024))


def test_owner_notes_are_named_by_the_host_name_the_socket_module_gives(tmp_path):
    """Notes written by an earlier version (socket.gethostname) and read by this one must match: another
    computer's note on a shared folder is ignored, this computer's dead process's note is cleared."""
    import socket  # noqa: PLC0415

    assert lock_owners._host_name() == socket.gethostname()
    assert lock_owners._note(tmp_path / "unit.sqlite3", 42).name == f"{socket.gethostname()}-42.json"
