from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import backup_service, roster_service
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.store import backup


def test_backup_is_a_checked_copy_in_the_backups_folder(unit_session, isolated_data_dir):
    path = backup_service.create_backup(unit_session)
    assert path.parent == isolated_data_dir / "backups"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT name FROM unit").fetchone()[0] == "技术科"
    conn.close()
    assert [b.path for b in backup_service.list_backups()] == [path]
    assert backup_service.list_backups()[0].reason_label == "手动备份"


def test_restore_brings_back_the_old_data_and_keeps_a_safety_copy(unit_session):
    roster_service.add_staff(unit_session, StaffMember(name="张三", rank=RankCategory.STAFF))
    saved = backup_service.create_backup(unit_session)
    roster_service.add_staff(unit_session, StaffMember(name="李四", rank=RankCategory.STAFF))
    safety = backup_service.restore_backup(unit_session, saved)
    assert [m.name for m in roster_service.list_staff(unit_session)] == ["张三"]
    conn = sqlite3.connect(safety)
    assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 2
    conn.close()


def test_restore_refuses_a_file_that_is_not_a_backup(unit_session, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputRejected, match="备份文件"):
        backup_service.restore_backup(unit_session, bogus)


def test_retention_keeps_newest_and_one_per_day_and_month(tmp_path):
    now = dt.datetime(2026, 11, 21, 12, 0, 0)
    made = []
    for hours in range(0, 24 * 400, 6):  # four a day for 400 days
        taken = now - dt.timedelta(hours=hours)
        path = tmp_path / f"qingqing-{taken:%Y%m%d-%H%M%S}-timer.sqlite3"
        path.write_bytes(b"x")
        made.append(path)
    backup.prune(tmp_path, now=now)
    kept = backup.list_backups(tmp_path)
    days = {b.taken_at.date() for b in kept}
    months = {(b.taken_at.year, b.taken_at.month) for b in kept}
    assert all(p.exists() for p in made[:20])  # the newest 20
    assert len(days) >= 30
    assert len(months) == 12
    assert len(kept) < 20 + 30 + 12
