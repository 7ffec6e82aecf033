"""50 seeded damaged databases through the CLI: never exit 0 with a partial answer, never a traceback,
every refusal names a backup that really restores the whole roster (tools/fault_inject.py does the same
from outside, in fresh processes)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3

import pytest

from qingqing_desktop.cli import main
from qingqing_desktop.services import backup_service
from tools import fault_inject

CASES = 50
SEED = 8  # as conftest.SEED: the populated database and the flips
READS = [args for _name, args in fault_inject.READ_COMMANDS]


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def expected(populated):
    answers = {}
    os.environ["QINGQING_DATA_DIR"] = str(populated)
    try:
        for args in READS:
            import io
            from contextlib import redirect_stdout

            buffer = io.StringIO()
            with redirect_stdout(buffer):
                assert main(list(args)) == 0
            answers[args] = buffer.getvalue()
    finally:
        os.environ.pop("QINGQING_DATA_DIR")
    return answers


RESTORE = re.compile(r'恢复命令：qingqing-cli backup restore "([^"]+)"')


@pytest.mark.slow
@pytest.mark.parametrize("case", range(CASES))
def test_a_damaged_database_is_refused_with_the_backup_to_restore(case, populated, expected, tmp_path, monkeypatch,
                                                                  capsys):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    db = data / "qingqing.sqlite3"
    rng = random.Random(SEED * 1000 + case)
    fault_inject.flip_bits(db, rng, pages=rng.randint(1, 4), bits_per_page=rng.randint(1, 3))
    sound = fault_inject.integrity_problems(db) == ""
    named = set()
    for args in READS:
        code, out, err = _run(capsys, *args)
        assert "Traceback" not in out + err
        if code == 0:
            assert out == expected[args], f"{args}: exit 0 with an answer that differs"
            continue
        assert code == 2, err
        found = RESTORE.search(err)
        assert found, err
        # the offer says what it lacks and where else to look; the command is a sentence of its own
        assert "，此后的修改不在其中。" in err and "backup salvage" in err, err
        assert re.search(r'restore "[^"]+"。恢复前', err), err
        named.add(found.group(1))
    staff_id = json.loads(expected[("roster", "list", "--json")])[5]["id"]
    code, out, err = _run(capsys, "pledge", "set", "--staff", staff_id, "--status", "不适用", "--reason", "长期病假")
    assert "Traceback" not in out + err
    if not sound:
        assert code == 2, "a write succeeded on a database that fails integrity_check"
    if not named:
        assert sound or code == 2
        return
    (backup,) = named  # every command names the same, newest sound backup
    assert backup == str(backup_service.list_backups()[0].path)
    code, out, err = _run(capsys, "backup", "restore", backup)
    assert code == 0, err
    assert "恢复前的数据已另存为" in out
    code, out, _ = _run(capsys, "roster", "list", "--json")
    assert code == 0 and out == expected[("roster", "list", "--json")]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


SALVAGED = re.compile(r"抢救出的数据已保存为备份：(\S+)")


@pytest.mark.slow
@pytest.mark.parametrize("case", range(CASES))
def test_a_damaged_database_is_salvaged_into_a_sound_backup_that_invents_nobody(case, populated, expected, tmp_path,
                                                                                monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    db = data / "qingqing.sqlite3"
    rng = random.Random(SEED * 1000 + case)  # the same damage as the test above
    fault_inject.flip_bits(db, rng, pages=rng.randint(1, 4), bits_per_page=rng.randint(1, 3))
    sound = fault_inject.integrity_problems(db) == ""
    code, out, err = _run(capsys, "backup", "salvage")
    assert "Traceback" not in out + err
    if sound:
        assert code == 2 and "数据库没有损坏，不需要抢救" in err
        return
    if code == 2:  # nothing readable: one sentence, nothing left behind
        assert "无法抢救" in err and not list((data / "backups").glob("*salvaged*"))
        return
    assert code == 0, err
    path = SALVAGED.search(out).group(1)
    assert out.startswith("抢救出：在岗及其他人员 ") and f'backup restore "{path}"' in out
    checked = backup_service.check_backup(path)
    people = {(p["id"], p["name"]) for p in json.loads(expected[("roster", "list", "--json")])}
    conn = sqlite3.connect(path)
    try:
        saved = {tuple(row) for row in conn.execute("SELECT id, name FROM staff WHERE deleted_at IS NULL")}
    finally:
        conn.close()
    assert saved <= people and checked.people == len(saved)
    code, out, err = _run(capsys, "backup", "restore", path)
    assert code == 0, err
    code, out, err = _run(capsys, "roster", "list", "--json")
    assert code == 0 and {(p["id"], p["name"]) for p in json.loads(out)} == saved


def test_a_damaged_database_without_a_backup_points_to_salvage(populated, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    shutil.rmtree(data / "backups")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    conn = sqlite3.connect(data / "qingqing.sqlite3", isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE staff SET rank = '中层千部' WHERE rowid = 3")
    conn.close()
    code, out, err = _run(capsys, "roster", "list")
    assert code == 2 and "没有找到通过检查的备份。可以用命令 qingqing-cli backup salvage 抢救" in err
    code, out, err = _run(capsys, "backup", "salvage")
    assert code == 0 and "人员名单中有记录已无法读出，已按修改记录重建：" in out  # the person with the bad rank


def test_a_database_whose_file_header_is_gone_is_damaged_not_foreign_and_salvaged_whole(populated, expected, tmp_path,
                                                                                        monkeypatch, capsys):
    """Without backups an unreadable file was “not a database of this program”; its first page still is."""
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    shutil.rmtree(data / "backups")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    db = data / "qingqing.sqlite3"
    db.write_bytes(bytes(100) + db.read_bytes()[100:])
    code, out, err = _run(capsys, "roster", "list")
    assert code == 2 and "已损坏（文件头已损坏" in err and "backup salvage" in err
    code, out, err = _run(capsys, "backup", "salvage")
    assert code == 0 and "没有发现读不出的记录" in out, err
    code, out, err = _run(capsys, "backup", "restore", SALVAGED.search(out).group(1))
    assert code == 0, err
    code, out, _ = _run(capsys, "roster", "list", "--json")
    assert code == 0 and out == expected[("roster", "list", "--json")]


def test_a_file_that_is_no_database_at_all_is_still_refused_as_foreign(tmp_path, monkeypatch, capsys):
    other = tmp_path / "名单.docx"
    other.write_bytes(b"PK\x03\x04" + bytes(8188))
    code, out, err = _run(capsys, "--db", str(other), "backup", "salvage")
    assert code == 2 and "不是亲清填报的数据库文件" in err
