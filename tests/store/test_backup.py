from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import backup_service, roster_service
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.store import atomic_file, backup

from tests.store.test_atomic_file import _refused


def test_backup_is_a_checked_copy_in_the_backups_folder(unit_session, isolated_data_dir):
    path = backup_service.create_backup(unit_session)
    assert path.parent == isolated_data_dir / "backups"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT name FROM unit").fetchone()[0] == "技术科"
    conn.close()
    assert [b.path for b in backup_service.list_backups()] == [path]
    assert backup_service.list_backups()[0].reason_label == "手动备份"


def test_a_backup_before_an_import_names_what_was_imported_and_an_old_one_keeps_its_label(unit_session):
    named = backup_service.backup_before_import(unit_session, "人员名单“技术科名单.xlsx”")
    unnamed = backup_service.backup_before_import(unit_session)  # as every import took them before
    labels = {info.path: info.reason_label for info in backup_service.list_backups()}
    assert labels == {named: "导入人员名单“技术科名单.xlsx”前", unnamed: "导入前备份"}
    record_path = named.with_name(named.name + ".json")
    record_path.unlink()  # no record (or one that cannot be read): the plain label, never an error
    assert {info.path: info.reason_label for info in backup_service.list_backups()}[named] == "导入前备份"


def test_a_backup_held_for_a_moment_by_a_scanner_on_windows_is_still_made(unit_session, monkeypatch):
    calls = []
    monkeypatch.setattr(atomic_file, "RETRY_REFUSED_RENAMES", True)
    monkeypatch.setattr(atomic_file.os, "replace", _refused(1, calls, only=lambda source: source.endswith(".sqlite3.part")))
    path = backup_service.create_backup(unit_session)
    assert len(calls) == 2 and path.exists() and not path.with_name(path.name + ".part").exists()
    assert [b.path for b in backup_service.list_backups()] == [path]


def test_restore_brings_back_the_old_data_and_keeps_a_safety_copy(unit_session):
    roster_service.add_staff(unit_session, StaffMember(name="张三", rank=RankCategory.STAFF))
    saved = backup_service.create_backup(unit_session)
    roster_service.add_staff(unit_session, StaffMember(name="李四", rank=RankCategory.STAFF))
    safety = backup_service.restore_backup(unit_session, saved).kept
    assert [m.name for m in roster_service.list_staff(unit_session)] == ["张三"]
    conn = sqlite3.connect(safety)
    assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 2
    conn.close()


def test_restore_refuses_a_file_that_is_not_a_backup(unit_session, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    for outside in (False, True):  # the file is checked first: what is wrong with it is what is said
        with pytest.raises(InputRejected, match="不是数据库文件"):
            backup_service.restore_backup(unit_session, bogus, outside=outside)


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


# --------------------------------------------------------------------------- backups the program can trust


def _flip_last_byte_of(path, text: str, *, occurrence: int = 0) -> None:
    """Flip the lowest bit of the last byte of ``text`` in the file: a UTF-8 continuation byte stays
    one, so the cell still decodes — to another character, as a real flipped bit often does."""
    data = bytearray(path.read_bytes())
    needle = text.encode("utf-8")
    start = -1
    for _ in range(occurrence + 1):
        start = data.index(needle, start + 1)
    data[start + len(needle) - 1] ^= 1
    path.write_bytes(bytes(data))


@pytest.fixture
def saved(unit_session):
    for name, rank in (("张三", RankCategory.STAFF), ("李四", RankCategory.MIDDLE_CADRE)):
        roster_service.add_staff(unit_session, StaffMember(name=name, rank=rank))
    return backup_service.create_backup(unit_session)


def test_each_backup_has_its_sha256_and_counts_recorded_beside_it(saved, unit_session):
    import hashlib
    import json

    record = json.loads((saved.parent / (saved.name + ".json")).read_text(encoding="utf-8"))
    assert record["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert record["people"] == 2 and record["database"] == str(unit_session.db_path.resolve())
    checked = backup_service.check_backup(saved)
    assert checked.recorded and checked.people == 2


@pytest.mark.parametrize("damage", ["one byte short", "cell data", "schema", "check constraint", "no record"])
def test_a_damaged_backup_is_refused_and_the_live_data_is_untouched(damage, saved, unit_session):
    if damage == "one byte short":
        saved.write_bytes(saved.read_bytes()[:-1])
    elif damage == "cell data":
        _flip_last_byte_of(saved, "李四")
    elif damage == "schema":
        _flip_last_byte_of(saved, "party_member INTEGER")  # CREATE TABLE staff: “INTEGES”
    elif damage == "check constraint":
        _flip_last_byte_of(saved, "中层干部", occurrence=2)  # the schema has it twice; the third is李四's rank
    else:
        (saved.parent / (saved.name + ".json")).unlink()
    roster_service.add_staff(unit_session, StaffMember(name="王五", rank=RankCategory.STAFF))
    with pytest.raises(InputRejected) as refused:
        backup_service.restore_backup(unit_session, saved)
    assert str(saved) in str(refused.value)
    assert sorted(m.name for m in roster_service.list_staff(unit_session)) == ["张三", "李四", "王五"]
    assert [b.reason for b in backup_service.list_backups()] == ["manual"]  # not even a pre-restore copy


@pytest.mark.parametrize("damage", ["schema", "check constraint"])
def test_an_outside_file_still_goes_through_every_check(damage, saved, unit_session):
    (saved.parent / (saved.name + ".json")).unlink()
    _flip_last_byte_of(saved, "party_member INTEGER" if damage == "schema" else "中层干部", occurrence=0 if damage == "schema" else 2)
    with pytest.raises(InputRejected, match="已损坏"):
        backup_service.restore_backup(unit_session, saved, outside=True)


def test_a_check_violation_is_invisible_to_a_read_only_check_but_refused_here(saved):
    _flip_last_byte_of(saved, "中层干部", occurrence=2)
    read_only = sqlite3.connect(f"file:{saved}?mode=ro", uri=True)
    assert read_only.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # why a read-only check is not enough
    read_only.close()
    (saved.parent / (saved.name + ".json")).unlink()
    with pytest.raises(InputRejected, match="已损坏"):
        backup_service.check_backup(saved, outside=True)


def test_an_outside_file_is_restored_only_when_the_clerk_says_so(saved, unit_session, tmp_path):
    outside = tmp_path / "从别的电脑拷来的.sqlite3"
    outside.write_bytes(saved.read_bytes())
    roster_service.add_staff(unit_session, StaffMember(name="王五", rank=RankCategory.STAFF))
    with pytest.raises(InputRejected, match="--outside-file"):
        backup_service.restore_backup(unit_session, outside)
    result = backup_service.restore_backup(unit_session, outside, outside=True)
    assert result.people == 2 and result.kept is not None
    assert sorted(m.name for m in roster_service.list_staff(unit_session)) == ["张三", "李四"]


@pytest.mark.parametrize("record", ['{"sha256": ', "", "\udcff", "[]", '{"size": 3}', '{"sha256": 5, "size": 3}'])
def test_a_sound_backup_whose_record_is_damaged_is_an_outside_file_not_a_changed_one(record, saved, unit_session):
    """The record vouches for the backup; a damaged one vouches for nothing — the backup itself is not
    blamed: it is checked in full, and restored once the clerk confirms it as an outside file."""
    beside = saved.parent / (saved.name + ".json")
    if record == "\udcff":
        beside.write_bytes(b"\xff\xfe not UTF-8")
    else:
        beside.write_text(record, encoding="utf-8")
    roster_service.add_staff(unit_session, StaffMember(name="王五", rank=RankCategory.STAFF))
    with pytest.raises(InputRejected) as refused:
        backup_service.restore_backup(unit_session, saved)
    assert str(refused.value) == (
        f"文件“{saved}”：备份旁的校验记录文件“{saved.name}.json”已损坏，无法用它核对这份备份；"
        "备份文件本身已通过完整性检查和表结构检查，可以使用。如确认要用它，请选择“恢复外部文件”（命令行加 --outside-file）。")
    assert isinstance(refused.value, backup_service.UnrecordedBackup)  # the lists show it as a sound file
    assert refused.value.damaged_record and refused.value.checked.people == 2
    assert [b.reason for b in backup_service.list_backups()] == ["manual"]  # nothing done before the refusal
    result = backup_service.restore_backup(unit_session, saved, outside=True)
    assert result.people == 2 and result.kept is not None
    assert sorted(m.name for m in roster_service.list_staff(unit_session)) == ["张三", "李四"]


def test_a_damaged_backup_beside_a_damaged_record_is_refused_for_its_own_damage(saved, unit_session):
    (saved.parent / (saved.name + ".json")).write_text('{"sha256": ', encoding="utf-8")
    saved.write_bytes(saved.read_bytes()[:-1])
    for outside in (False, True):
        with pytest.raises(InputRejected, match="文件长度") as refused:
            backup_service.restore_backup(unit_session, saved, outside=outside)
        assert not isinstance(refused.value, backup_service.UnrecordedBackup)


def test_a_damaged_database_is_put_back_from_a_backup_and_its_damaged_copy_kept(saved, unit_session, tmp_path):
    from qingqing_desktop.services.session import open_session

    path = unit_session.db_path
    conn = unit_session.store.db.conn
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE staff SET rank = '中层千部'")  # what a flipped bit in a cell does
    unit_session.close()
    data = path.read_bytes()
    damaged = open_session(path, allow_damaged=True)
    try:
        assert damaged.damage is not None and damaged.damage.offer.path == str(saved)
        result = backup_service.restore_backup(damaged, saved)
        assert damaged.damage is None
        assert sorted(m.name for m in roster_service.list_staff(damaged)) == ["张三", "李四"]
        assert result.kept.name.endswith("-damaged.sqlite3") and result.kept.read_bytes() == data
    finally:
        damaged.close()


def test_a_database_that_cannot_be_opened_at_all_is_restored_without_a_session(saved, unit_session):
    from qingqing_desktop.domain.errors import DatabaseDamaged
    from qingqing_desktop.services.session import open_session

    path = unit_session.db_path
    unit_session.close()
    path.write_bytes(b"\x00" * 4096 + path.read_bytes()[4096:])  # the header is gone
    with pytest.raises(DatabaseDamaged) as refused:
        open_session(path, allow_damaged=True)
    assert refused.value.offer.path == str(saved)
    backup_service.restore_file(path, saved)
    reopened = open_session(path)
    assert sorted(m.name for m in roster_service.list_staff(reopened)) == ["张三", "李四"]
    reopened.close()


def test_pruning_removes_what_a_killed_backup_or_salvage_left_once_it_is_an_hour_old(tmp_path):
    import os

    now = dt.datetime(2026, 12, 6, 12, 0, 0)
    old, fresh = (now - dt.timedelta(hours=2)).timestamp(), (now - dt.timedelta(minutes=5)).timestamp()
    half = tmp_path / "qingqing-20261206-100000-manual.sqlite3.part"
    half_copy = tmp_path / ".qingqing-20261206-100000-damaged.sqlite3.x1y2z3.part"  # keep_damaged_copy's
    scratch = tmp_path / "salvage-abc123"
    scratch.mkdir()
    (scratch / "qingqing.sqlite3").write_bytes(b"x" * 4096)
    under_way = tmp_path / "qingqing-20261206-115500-salvaged.sqlite3.part"
    for path, when in ((half, old), (half_copy, old), (under_way, fresh)):
        path.write_bytes(b"x")
        os.utime(path, (when, when))
    os.utime(scratch, (old, old))
    backup.prune(tmp_path, now=now)
    assert not half.exists() and not half_copy.exists() and not scratch.exists()
    assert under_way.exists()  # perhaps still being written by another window


_KILLED_AT_THE_RENAME = """
import os, sys
from pathlib import Path
from qingqing_desktop.services import backup_service
real_replace = os.replace
# The power goes just before the new file takes the database's name (the damaged copy is made first).
os.replace = lambda source, target: os._exit(137) if Path(target) == Path(sys.argv[1]) else real_replace(source, target)
backup_service.restore_file(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_restore_killed_half_way_leaves_the_old_file_and_the_next_open_removes_its_leftover(saved, unit_session):
    import os
    import subprocess
    import sys

    from qingqing_desktop.domain.errors import DatabaseDamaged
    from qingqing_desktop.services.session import open_session

    path = unit_session.db_path
    unit_session.close()
    path.write_bytes(b"\x00" * 4096 + path.read_bytes()[4096:])  # the header is gone
    damaged = path.read_bytes()
    killed = subprocess.run([sys.executable, "-c", _KILLED_AT_THE_RENAME, str(path), str(saved)],
                            capture_output=True, text=True, env=os.environ)
    assert killed.returncode == 137, killed.stderr
    assert path.read_bytes() == damaged  # not half a file: the old one, as it was
    (leftover,) = path.parent.glob(f".{path.name}.*.part")
    assert leftover.stat().st_size == len(saved.read_bytes())

    with pytest.raises(DatabaseDamaged):  # a write still under way in another window is not touched
        open_session(path, allow_damaged=True)
    assert leftover.exists()
    an_hour_ago = (dt.datetime.now() - dt.timedelta(hours=1, minutes=1)).timestamp()
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    with pytest.raises(DatabaseDamaged):
        open_session(path, allow_damaged=True)
    assert not leftover.exists()

    backup_service.restore_file(path, saved)  # the clerk tries again: it goes through
    reopened = open_session(path)
    assert sorted(m.name for m in roster_service.list_staff(reopened)) == ["张三", "李四"]
    reopened.close()
    assert not list(path.parent.glob("*.part"))


def test_a_restore_removes_a_leftover_of_an_earlier_killed_one_at_once(saved, unit_session):
    path = unit_session.db_path
    unit_session.close()
    path.write_bytes(b"\x00" * 4096 + path.read_bytes()[4096:])
    leftover = path.with_name(f".{path.name}.abc123.part")
    leftover.write_bytes(b"half")
    backup_service.restore_file(path, saved)
    assert not leftover.exists()
