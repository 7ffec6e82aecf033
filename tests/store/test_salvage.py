"""抢救可读数据: from a damaged database every row that can be read goes into a new backup that passes
every check and restores; rows on a damaged page are reported lost, never invented; nothing is left
behind when nothing can be read or the clerk cancels."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import backup_service, campaign_service, pledge_service, roster_service
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import backup, integrity, salvage
from qingqing_desktop.store.locations import backups_dir
from tools.bench_data import write_roster_xlsx

PEOPLE = 150
PAGE = 4096
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def filled(unit_session, tmp_path):
    """技术科 with 150 people imported (several pages of the staff table), a campaign, everyone who must
    sign signed."""
    sheet = write_roster_xlsx(tmp_path / "名单.xlsx", PEOPLE)
    roster_service.apply_import(unit_session, roster_service.read_import_file(unit_session, sheet))
    campaign_service.create_campaign(unit_session, deadline="2026-12-31")
    required = [row.staff_id for row in pledge_service.list_pledges(unit_session) if row.required]
    pledge_service.sign_many(unit_session, required, "2026-12-01")
    path = unit_session.db_path
    unit_session.close()
    for old in backups_dir().iterdir():  # the import's backup: this clerk has none
        old.unlink()
    return path


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _leaves(path: Path, table: str) -> list[int]:
    """The page numbers of a table's (or an index's) leaf pages, left to right, read from the file."""
    data = path.read_bytes()
    (root,) = _rows(path, f"SELECT rootpage FROM sqlite_master WHERE name = '{table}'")[0]

    def walk(number: int) -> list[int]:
        start = (number - 1) * PAGE + (100 if number == 1 else 0)
        kind = data[start]
        if kind in (0x0D, 0x0A):
            return [number]
        cells = int.from_bytes(data[start + 3:start + 5], "big")
        base = (number - 1) * PAGE
        children = []
        for i in range(cells):
            at = base + int.from_bytes(data[start + 12 + 2 * i:start + 14 + 2 * i], "big")
            children.append(int.from_bytes(data[at:at + 4], "big"))
        children.append(int.from_bytes(data[start + 8:start + 12], "big"))
        return [leaf for child in children for leaf in walk(child)]

    return walk(root)


def _cells(path: Path, page: int) -> int:
    start = (page - 1) * PAGE
    return int.from_bytes(path.read_bytes()[start + 3:start + 5], "big")


def _scramble(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE:page * PAGE] = bytes(b ^ 0x5A for b in data[(page - 1) * PAGE:page * PAGE])
    path.write_bytes(bytes(data))


def _checkpointed(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


PERSON = "SELECT id, name, rank, post, party_member, status, title, note FROM staff"


def test_people_on_a_damaged_page_are_rebuilt_from_the_history_and_everything_else_is_saved_and_restores(filled):
    path = _checkpointed(filled)
    people = set(_rows(path, PERSON))
    signed = _rows(path, "SELECT id, staff_id, status, signed_on FROM pledge ORDER BY id")
    audit_rows = _rows(path, "SELECT * FROM audit_log ORDER BY id")
    leaves = _leaves(path, "staff")
    assert len(leaves) >= 3
    middle = leaves[len(leaves) // 2]
    lost = _cells(path, middle)
    _scramble(path, middle)
    assert not integrity.check_file(path).sound

    report = backup_service.salvage_damaged(path)

    assert report.table("staff").saved == PEOPLE - lost and report.table("staff").damaged
    assert report.people == PEOPLE and len(report.rebuilt_people) == lost and report.missing_people == []
    assert report.table("audit_log").saved == len(audit_rows) and not report.table("audit_log").damaged
    assert report.summary.startswith(f"抢救出：在岗及其他人员 {PEOPLE} 人，行动 1 个，承诺书签订记录 {len(signed)} 条，")
    assert "人员名单中有记录已无法读出，已按修改记录重建：" in report.summary and "没有抢救回来" not in report.summary
    assert backup.recorded_note(report.path) == report.summary  # shown again in the list of backups
    assert report.path.parent == backups_dir() and report.path.name.endswith("-salvaged.sqlite3")
    assert [p.name for p in backups_dir().iterdir()] and not [p for p in backups_dir().iterdir() if p.is_dir()]

    checked = backup.check_backup_file(report.path)  # a backup like any other: recorded, sound, same schema
    assert checked.recorded and checked.people == PEOPLE
    backup_service.restore_file(path, report.path)
    session = open_session(path)
    try:
        session.check(full=True)  # raises DatabaseDamaged if not sound
        assert set(_rows(path, PERSON)) == people  # every field as it was, each with its own id
        assert _rows(path, "SELECT id, staff_id, status, signed_on FROM pledge ORDER BY id") == signed
        assert _rows(path, "SELECT * FROM audit_log ORDER BY id") == audit_rows  # ids and all
        assert len(roster_service.list_staff(session)) == PEOPLE
    finally:
        session.close()
    kept = [p for p in backups_dir().iterdir() if p.name.endswith("-damaged.sqlite3")]
    assert len(kept) == 1  # the damaged file is kept, as with every restore


def test_someone_the_history_cannot_rebuild_is_named_missing_by_name_and_post(filled):
    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "staff")[1])
    report = salvage.salvage(path)
    assert report.missing_people == [] and report.rebuilt_people  # as above: all rebuilt
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_log SET new_value = '科级' WHERE field = 'rank' AND record_id IN"
                 " (SELECT record_id FROM audit_log WHERE table_name = 'staff' AND field = 'name'"
                 "  AND new_value = ?)", [report.rebuilt_people[0].split("（")[0]])
    conn.commit()
    conn.close()
    again = salvage.salvage(path)
    assert again.missing_people == [report.rebuilt_people[0]] and len(again.rebuilt_people) == len(report.rebuilt_people) - 1
    assert "以下内容有一部分已无法读出，没有抢救回来：人员名单、承诺书签订记录" in again.summary
    assert again.summary.endswith("补录缺少的内容。\n据修改记录，名单中缺少的有：" + again.missing_people[0] + "。")


def test_pledges_of_people_lost_are_refused_not_left_pointing_at_nobody(filled):
    """A roster whose history holds nothing of them (as if imported by a version that kept none)."""
    path = _checkpointed(filled)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM audit_log WHERE table_name = 'staff'")
    conn.commit()
    conn.close()
    first = _leaves(path, "staff")[0]  # the first people imported, most of whom signed
    all_ids = {row[0] for row in _rows(path, "SELECT id FROM staff")}
    signed = len(_rows(path, "SELECT id FROM pledge"))
    _scramble(path, first)
    report = salvage.salvage(path)
    conn = sqlite3.connect(report.path)
    try:
        kept_ids = {row[0] for row in conn.execute("SELECT id FROM staff")}
        orphans = conn.execute("SELECT count(*) FROM pledge WHERE staff_id NOT IN (SELECT id FROM staff)").fetchone()
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [] and orphans == (0,)
    finally:
        conn.close()
    assert kept_ids < all_ids and report.rebuilt_people == [] and report.missing_people == []
    pledges = report.table("pledge")
    assert pledges.refused and pledges.saved + pledges.refused == signed
    assert "没有抢救回来：人员名单、承诺书签订记录。" in report.summary


def test_a_damaged_last_page_is_given_up_on_in_bounded_time_and_the_rest_is_saved(filled):
    """Every rowid range beyond the last row reads the damaged last page: halving alone never ends."""
    path = _checkpointed(filled)
    last = _leaves(path, "staff")[-1]
    lost = _cells(path, last)
    _scramble(path, last)
    report = salvage.salvage(path)
    assert report.table("staff").saved == PEOPLE - lost and report.table("staff").unreadable


def test_a_damaged_index_loses_nothing(filled):
    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "staff_name_key")[0])
    assert not integrity.check_file(path).sound
    report = salvage.salvage(path)
    assert report.people == PEOPLE and report.damaged_tables == []
    assert report.summary.endswith("没有发现读不出的记录。")
    assert backup.check_backup_file(report.path).people == PEOPLE  # the index is built anew


def test_a_file_whose_header_is_gone_is_read_with_a_rebuilt_one(filled):
    """SQLite reads nothing at all without the 100-byte header, which every commit rewrites."""
    path = _checkpointed(filled)
    path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])
    with pytest.raises(sqlite3.DatabaseError):
        _rows(path, "SELECT count(*) FROM staff")
    report = salvage.salvage(path)
    assert report.people == PEOPLE and report.table("audit_log").saved > PEOPLE
    assert path.read_bytes()[:100] == bytes(100)  # rebuilt on the copy read from, never on the file


def test_nothing_readable_is_refused_in_one_sentence_and_leaves_nothing(filled):
    path = _checkpointed(filled)
    path.write_bytes(b"\0" * PAGE + path.read_bytes()[PAGE:])  # the header and the table list are gone
    with pytest.raises(InputRejected) as refused:
        salvage.salvage(path)
    assert "读不出任何数据，无法抢救" in refused.value.reason
    assert list(backups_dir().iterdir()) == []


def test_cancelling_leaves_nothing_behind(filled):
    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "staff")[1])
    calls = []

    def progress(percent, text):
        calls.append(text)
        if len(calls) == 3:
            raise KeyboardInterrupt  # what the progress dialog's 取消 raises in its place
    with pytest.raises(KeyboardInterrupt):
        salvage.salvage(path, progress=progress)
    assert len(calls) == 3 and "正在读取：单位信息" in calls
    assert list(backups_dir().iterdir()) == []


def test_a_database_of_an_older_schema_is_salvaged_with_its_own_schema_steps(tmp_path):
    """The salvaged file has the steps the damaged one had; opening it after the restore upgrades it."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(DATA / "schema-0004.sqlite3", path)
    before = _rows(path, "SELECT name FROM _sqlite_migrations ORDER BY id")
    people = _rows(path, "SELECT name FROM staff ORDER BY name")
    report = salvage.salvage(path)
    assert _rows(report.path, "SELECT name FROM _sqlite_migrations ORDER BY id") == before
    backup_service.restore_file(path, report.path)
    session = open_session(path)  # upgraded to the newest schema as it opens
    try:
        assert sorted((m.name,) for m in roster_service.list_staff(session)) == people
    finally:
        session.close()


def test_a_sound_database_is_not_salvaged(unit_session):
    with pytest.raises(InputRejected) as refused:
        backup_service.salvage_damaged(unit_session)
    assert refused.value.reason == "数据库没有损坏，不需要抢救。要回到以前的数据，请从备份恢复。"


def test_a_row_its_index_contradicts_is_left_out_rather_than_saved_with_a_wrong_id(filled):
    """A flipped bit that leaves a valid text (“3” → “2” in an id) passes every constraint; the index on
    the id still holds the old value, so the row is doubtful and left out — and the person is rebuilt
    from the history, with the id it really has."""
    path = _checkpointed(filled)
    data = bytearray(path.read_bytes())
    leaf = _leaves(path, "staff")[1]
    ids = {row[0] for row in _rows(path, "SELECT id FROM staff")}
    found = ((i, data.find(i.encode(), (leaf - 1) * PAGE, leaf * PAGE)) for i in sorted(ids))
    staff_id, at = next((i, at) for i, at in found if at > 0)  # a row's cell on the table's page, not the index's
    data[at] ^= 0x01  # the id's first character, one bit: still a letter or a digit
    path.write_bytes(bytes(data))
    report = salvage.salvage(path)
    saved = {row[0] for row in _rows(report.path, "SELECT id FROM staff")}
    assert saved == ids and report.table("staff").refused == 1 and len(report.rebuilt_people) == 1
    assert "已按修改记录重建：" + report.rebuilt_people[0] in report.summary


def test_a_name_a_flipped_bit_changed_into_another_name_is_left_out_and_rebuilt_from_the_history(filled):
    """A flipped bit in a name's last byte leaves valid text, another character (范伟 → 范仾): no constraint
    or index notices, but the key worked out from the name when it was written no longer matches it.
    The row is left out and the person rebuilt from the history: nobody of an invented name comes back."""
    path = _checkpointed(filled)
    data = bytearray(path.read_bytes())
    leaf = _leaves(path, "staff")[1]
    names = {row[0] for row in _rows(path, "SELECT name FROM staff")}
    found = ((n, data.find(n.encode(), (leaf - 1) * PAGE, leaf * PAGE)) for n in sorted(names))
    name, at = next((n, at) for n, at in found if at > 0)
    data[at + len(name.encode()) - 1] ^= 0x01  # the name's last byte (10xxxxxx): still UTF-8, another character
    path.write_bytes(bytes(data))
    assert {row[0] for row in _rows(path, "SELECT name FROM staff")} != names  # the file now holds another name
    report = salvage.salvage(path)
    assert {row[0] for row in _rows(report.path, "SELECT name FROM staff")} == names
    assert report.table("staff").refused == 1 and report.rebuilt_people and name in report.rebuilt_people[0]


def test_losing_part_of_the_history_only_says_the_filing_itself_came_back(filled):
    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "audit_log")[1])
    report = salvage.salvage(path)
    assert report.people == PEOPLE and [t.table for t in report.damaged_tables] == ["audit_log"]
    assert report.summary.endswith("除修改记录有一部分没有抢救回来外，其余数据都已抢救回来。")


def test_a_garbled_create_statement_does_not_keep_the_other_tables_from_being_read(filled):
    """SQLite refuses a file whose table list has an unreadable CREATE statement; the salvage skips it."""
    path = _checkpointed(filled)
    data = path.read_bytes()
    assert data.count(b"CHECK (source IN") == 1
    path.write_bytes(data.replace(b"CHECK (source IN", b"CHECK `source IN"))
    with pytest.raises(sqlite3.DatabaseError, match="malformed database schema"):
        _rows(path, "SELECT count(*) FROM staff")
    report = salvage.salvage(path)
    assert report.people == PEOPLE
    assert [t.label for t in report.damaged_tables] == ["收到的报送"]  # an office's table: empty in a unit's file


def test_the_report_names_at_most_twenty_missing_people_and_says_how_many():
    report = salvage.SalvageReport(Path("x"), [salvage.TableSalvage("staff", saved=5, unreadable=1)], people=5,
                                   missing_people=[f"人员{i}（岗位{i}）" for i in range(25)])
    assert report.summary.endswith("据修改记录，名单中缺少的有：" + "、".join(f"人员{i}（岗位{i}）" for i in range(20))
                                   + "等 25 人。")


def test_someone_deleted_before_the_damage_is_not_reported_missing(unit_session):
    from qingqing_desktop.domain.staff import RankCategory, StaffMember

    kept = roster_service.add_staff(unit_session, StaffMember("张三", RankCategory.STAFF, post="行政审批"))
    gone = roster_service.add_staff(unit_session, StaffMember("李四", RankCategory.STAFF))
    roster_service.delete_staff(unit_session, gone.id)
    conn = unit_session.store.conn
    conn.execute("DELETE FROM staff WHERE id = ?", [kept.id])  # as if its page were lost
    conn.execute("DELETE FROM staff WHERE id = ?", [gone.id])
    assert salvage._people_missing(conn) == ["张三（行政审批）"]  # noqa: SLF001


def test_a_disk_full_while_salvaging_is_one_sentence_and_leaves_nothing(filled, monkeypatch):
    from qingqing_desktop.domain.errors import DiskFull
    from qingqing_desktop.store import atomic_file

    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "staff")[1])
    monkeypatch.setattr(atomic_file, "free_space", lambda folder: 64 * 1024)  # refused before anything is written
    with pytest.raises(DiskFull):
        salvage.salvage(path)
    assert list(backups_dir().iterdir()) == []

    monkeypatch.setattr(atomic_file, "free_space", lambda folder: None)  # cannot tell: the disk fills as it writes
    real = salvage._copy_table  # noqa: SLF001

    def filling(source, target, table, witnesses):
        if table == "audit_log":
            raise sqlite3.OperationalError("database or disk is full")
        return real(source, target, table, witnesses)

    monkeypatch.setattr(salvage, "_copy_table", filling)
    with pytest.raises(DiskFull) as full:
        salvage.salvage(path)
    assert "磁盘" in str(full.value)
    assert list(backups_dir().iterdir()) == []


def test_a_page_that_reads_as_if_whole_is_still_reported_when_the_check_places_damage_in_it(filled):
    """Cell pointers scrambled, the page header kept: SQLite may read the page as holding nothing, with no
    error; integrity_check still names the page, and the report says that table lost a part."""
    path = _checkpointed(filled)
    leaf = _leaves(path, "pledge")[0]
    data = bytearray(path.read_bytes())
    start = (leaf - 1) * PAGE
    data[start + 8:start + 60] = bytes(b ^ 0x5A for b in data[start + 8:start + 60])
    path.write_bytes(bytes(data))
    report = salvage.salvage(path)
    assert report.check_problems and report.table("pledge").damaged
    assert "没有抢救回来：承诺书签订记录" in report.summary


def test_a_backups_folder_not_made_yet_is_made(filled, tmp_path):
    path = _checkpointed(filled)
    _scramble(path, _leaves(path, "staff")[1])
    report = salvage.salvage(path, tmp_path / "新电脑" / "backups")
    assert report.path.parent == tmp_path / "新电脑" / "backups" and report.path.exists()


def test_an_office_database_is_salvaged_and_reported_by_its_units_not_a_roster(session):
    from qingqing_desktop.services import office_service

    office_service.enable_office_mode(session, "局机关纪委（监察室）")
    office_service.add_expected_units(session, ["技术科", "质量监督站", "城东分局"])
    path = session.db_path
    session.close()
    _checkpointed(path)
    _scramble(path, _leaves(path, "audit_log")[0])
    report = salvage.salvage(path)
    assert report.office and report.table("office_unit").saved == 3
    assert report.summary.startswith("抢救出：应报单位 3 个。")  # no 人数: an office keeps no roster
    assert report.summary.endswith("除修改记录有一部分没有抢救回来外，其余数据都已抢救回来。")
