"""Faults injected from outside the program, through the command line: a full disk (a small tmpfs where
the test may mount one, else the free space reported small), a lock held by another window, two
writers beside a 5,000-row import, ``export all`` killed at random moments. Each ends in one
Chinese sentence or in a whole result; nothing is half-written and nothing acknowledged is lost."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from qingqing_desktop.cli import main
from qingqing_desktop.store import atomic_file, database
from tools import fault_inject

CLI = [sys.executable, "-m", "qingqing_desktop.cli"]
KILL_SEED = 8


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _people(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM staff WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def _env(data: Path) -> dict:
    return {**os.environ, "QINGQING_DATA_DIR": str(data), "QINGQING_OPERATOR": "测试员", "PYTHONIOENCODING": "utf-8"}


# --------------------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A 3 MB disk: a real tmpfs when this test may mount one; otherwise the free space is reported small
    (the program checks it before every write it can size) and SQLite's file capped at its size."""
    folder = tmp_path / "small"
    real = fault_inject.mount_tmpfs(folder, "3m")
    try:
        if not real:
            usage = shutil.disk_usage(tmp_path)
            small = type(usage)(3 * 1024 * 1024, 0, 200 * 1024)

            def disk_usage(path):
                return small if str(path).startswith(str(folder)) else usage

            monkeypatch.setattr(shutil, "disk_usage", disk_usage)
        yield folder, real
    finally:
        if real:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def _full_disk_sentence(err: str, folder: Path) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"错误：磁盘空间不足：文件夹“{folder}") and "需要约" in lines[0], err


def test_a_backup_on_a_full_disk_is_one_sentence_and_leaves_nothing(populated, small_disk, monkeypatch, capsys):
    folder, real = small_disk
    data = folder / "data"
    data.mkdir()
    shutil.copy(populated / "qingqing.sqlite3", data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    if real:
        fault_inject.fill_disk(folder, 400 * 1024)
    code, _out, err = _run(capsys, "backup", "create")
    assert code == 2
    _full_disk_sentence(err, data / "backups")
    assert not any((data / "backups").iterdir())
    assert _people(data / "qingqing.sqlite3") == fault_inject.PEOPLE


def test_export_all_onto_a_full_disk_writes_no_file(populated, small_disk, monkeypatch, capsys, tmp_path):
    folder, real = small_disk
    shutil.copytree(populated, tmp_path / "data")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "data"))
    if real:
        fault_inject.fill_disk(folder, 100 * 1024)
    code, _out, err = _run(capsys, "export", "all", "--out-dir", str(folder / "打印件"))
    assert code == 2
    _full_disk_sentence(err, folder / "打印件")
    assert not (folder / "打印件").exists() or not any((folder / "打印件").iterdir())


def test_an_import_onto_a_full_disk_changes_nothing(populated, small_disk, monkeypatch, capsys, tmp_path):
    folder, real = small_disk
    data = folder / "data"
    data.mkdir()
    shutil.copy(populated / "qingqing.sqlite3", data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    workbook = fault_inject.roster_workbook(tmp_path / "名单.xlsx", 2000)
    if real:
        fault_inject.fill_disk(folder, 1200 * 1024)  # room for the backup, not for 2,000 more people
    code, _out, err = _run(capsys, "roster", "import", str(workbook))
    assert code == 2
    _full_disk_sentence(err, data)
    assert _people(data / "qingqing.sqlite3") == fault_inject.PEOPLE


def test_sqlite_finding_the_disk_full_mid_transaction_is_one_sentence(populated, monkeypatch, capsys, tmp_path):
    """Past every check made beforehand, SQLite itself meets the full disk: rolled back, one sentence."""
    shutil.copytree(populated, tmp_path / "data")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "data"))
    workbook = fault_inject.roster_workbook(tmp_path / "名单.xlsx", 2000)
    real_begin = database.Store._begin

    def capped(store):  # the disk fills up right after the transaction began
        real_begin(store)
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 5}")

    monkeypatch.setattr(database.Store, "_begin", capped)
    monkeypatch.setattr("qingqing_desktop.services.backup_service.backup_before_import",
                        lambda session, imported="": None)
    code, _out, err = _run(capsys, "roster", "import", str(workbook))
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"错误：磁盘空间不足：文件夹“{tmp_path / 'data'}”"), err
    assert _people(tmp_path / "data" / "qingqing.sqlite3") == fault_inject.PEOPLE


@pytest.fixture
def mounted(tmp_path):
    """``mount(name, options)``: a tmpfs with those options (the test is skipped where none can be mounted)."""
    made = []

    def mount(name: str, options: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if not hasattr(os, "geteuid") or os.geteuid() != 0 or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode:
            pytest.skip("mounting a tmpfs needs root")
        made.append(folder)
        return folder

    yield mount
    for folder in made:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_an_export_onto_a_read_only_disk_names_the_file_in_chinese(populated, mounted, monkeypatch, capsys, tmp_path):
    shutil.copytree(populated, tmp_path / "data")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "data"))
    read_only = mounted("写保护的U盘", "ro,size=5m")
    code, _out, err = _run(capsys, "export", "summary", "--out", str(read_only / "附件2.xlsx"))
    assert code == 2 and err == (f"错误：无法读写“{read_only / '附件2.xlsx'}”：磁盘是只读的（U盘打开了写保护，"
                                 "或磁盘以只读方式连接），不能写入。请换一个文件夹，或解除写保护后再试。\n")


def test_export_all_onto_a_disk_without_free_files_says_so_and_leaves_no_folder(populated, mounted, monkeypatch,
                                                                               capsys, tmp_path):
    shutil.copytree(populated, tmp_path / "data")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "data"))
    disk = mounted("文件数满", "size=20m,nr_inodes=4")  # room for 20 MB, but for three files or folders only
    code, _out, err = _run(capsys, "export", "all", "--out-dir", str(disk / "打印件" / "第二批"))
    free = shutil.disk_usage(disk).free
    assert code == 2 and err == (
        f"错误：磁盘不能再存放文件：文件夹“{disk / '打印件' / '第二批'}”所在的磁盘还剩 {free / 1024 / 1024:.1f} MB，"
        "但能存放的文件个数已经用完。没有写入任何内容，已有的数据没有改动；请删除不需要的文件后再试。\n")
    assert list(disk.iterdir()) == []  # the folders the export made for nothing are gone


def test_a_text_file_given_as_the_database_is_refused_without_sqlites_english(tmp_path, capsys):
    text = tmp_path / "名单.db"
    text.write_text("这不是数据库\n" * 300, encoding="utf-8")
    code, _out, err = _run(capsys, "--db", str(text), "unit", "show")
    assert code == 2 and err == f"错误：“{text}”不是亲清填报的数据库文件，或文件已损坏。数据没有被改动。\n"


def test_a_package_onto_a_full_disk_leaves_no_half_file(small_disk, tmp_path, monkeypatch, capsys):
    from tests.services.exchange_fixtures import fill_and_finalise, make_office, make_unit
    import datetime as dt

    folder, real = small_disk
    office = make_office(tmp_path, monkeypatch, deadline=dt.date.today() + dt.timedelta(days=10))
    with office.active() as session:
        from qingqing_desktop.services import office_service

        task, _ = office_service.export_campaign_file(session, tmp_path)
    unit = make_unit(tmp_path, monkeypatch, "技术科", task)
    fill_and_finalise(unit)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(unit.folder / "data"))
    unit.session.close()
    if real:
        fault_inject.fill_disk(folder, 20 * 1024)
    code, _out, err = _run(capsys, "--db", str(unit.folder / "qingqing.sqlite3"), "package", "create", "--out",
                           str(folder))
    assert code == 2
    _full_disk_sentence(err, folder)
    assert [p.name for p in folder.iterdir() if p.name != "填满.bin"] == []
    office.session.close()


# --------------------------------------------------------------------------- locks and writers


def test_a_locked_database_is_waited_for_then_one_sentence_names_the_window(populated, tmp_path, monkeypatch, capsys):
    shutil.copytree(populated, tmp_path / "data")
    monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(database, "LOCK_WAIT_SECONDS", 2.0)
    db = tmp_path / "data" / "qingqing.sqlite3"
    holder = fault_inject.hold_lock(db)
    try:
        code, _out, err = _run(capsys, "unit", "set", "--name", "住建局技术科", "--kind", "科室", "--leader", "张三")
    finally:
        fault_inject.release(holder)
    assert code == 2 and "Traceback" not in err
    waiting, *_, final = err.strip().splitlines()
    assert waiting.startswith("数据库正被另一个亲清填报窗口（进程") and "正在等待" in waiting
    assert final.startswith("错误：数据库“") and f"另一个亲清填报窗口（进程 {holder.pid}" in final
    assert "等待 2 秒后仍未释放" in final and "数据没有改动" in final
    code, out, _ = _run(capsys, "unit", "show", "--json")
    assert code == 0 and json.loads(out)["leader"] == "林素仙"


@pytest.mark.slow
def test_two_writers_beside_a_5000_row_import_lose_nothing(populated, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    workbook = fault_inject.roster_workbook(tmp_path / "名单.xlsx", 4999)  # the sheet's 5,000 rows
    staff = [member["id"] for member in json.loads(subprocess.run(
        [*CLI, "roster", "list", "--json"], env=_env(data), capture_output=True, text=True, check=True).stdout)]
    writer = textwrap.dedent("""
        import subprocess, sys
        for staff_id in sys.argv[1:]:
            done = subprocess.run([sys.executable, "-m", "qingqing_desktop.cli", "pledge", "set", "--staff", staff_id,
                                   "--status", "不适用", "--reason", "长期病假"], capture_output=True, text=True)
            print(done.returncode, done.stderr.replace("\\n", " "), flush=True)
    """)
    importer = subprocess.Popen([*CLI, "roster", "import", str(workbook)], env=_env(data), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([sys.executable, "-c", writer, *ids], env=_env(data), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for ids in (staff[10:16], staff[20:26])]
    out, err = importer.communicate(timeout=600)
    assert importer.returncode == 0 and "Traceback" not in err, err
    for process in writers:
        out_w, err_w = process.communicate(timeout=600)
        assert process.returncode == 0 and "Traceback" not in out_w + err_w
        assert [line.split(" ")[0] for line in out_w.splitlines()] == ["0"] * 6, out_w
    conn = sqlite3.connect(data / "qingqing.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == fault_inject.PEOPLE + 4999
    marked = {row[0] for row in conn.execute("SELECT staff_id FROM pledge WHERE status = '不适用'")}
    assert set(staff[10:16] + staff[20:26]) <= marked
    conn.close()


# --------------------------------------------------------------------------- export all, killed


def _fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if not p.name.startswith(".")}


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    try:
        return zipfile.ZipFile(path).testzip() is None
    except zipfile.BadZipFile:
        return False


@pytest.mark.slow
def test_export_all_killed_at_random_moments_leaves_the_old_set_or_the_new_one(populated, tmp_path):
    data, out = tmp_path / "data", tmp_path / "打印件"
    shutil.copytree(populated, data)
    started = time.monotonic()
    subprocess.run([*CLI, "export", "all", "--out-dir", str(out)], env=_env(data), check=True, capture_output=True)
    duration = time.monotonic() - started
    (out / "别的文件.txt").write_text("不是程序写的")
    rng = random.Random(KILL_SEED)
    seen = {"old": 0, "new": 0, "finished on the next export": 0}
    for _attempt in range(6):
        old = _fingerprints(out)
        time.sleep(1.1)  # the documents carry the second they were made: the new set differs
        process = subprocess.Popen([*CLI, "export", "all", "--out-dir", str(out)], env=_env(data),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _fingerprints(out)
        assert set(now) == set(old)
        assert all(_complete(out / name) for name in now if name.endswith((".pdf", ".xlsx")))
        same = {name for name in now if now[name] == old[name]}
        if same == set(now):
            seen["old"] += 1
        elif same == {"别的文件.txt"}:
            seen["new"] += 1
        else:  # killed between two renames: the journal finishes it
            assert any((work / "commit.json").exists() for work in out.glob(atomic_file.SET_WORK_PREFIX + "*"))
            atomic_file.finish_interrupted_sets(out)
            finished = _fingerprints(out)
            assert {name for name in finished if finished[name] == old[name]} == {"别的文件.txt"}
            seen["finished on the next export"] += 1
    subprocess.run([*CLI, "export", "all", "--out-dir", str(out)], env=_env(data), check=True, capture_output=True)
    assert not list(out.glob(".*")), "the next export cleans up what a kill left"
    assert seen["old"] + seen["new"] + seen["finished on the next export"] == 6


# --------------------------------------------------------------------------- the log


def test_the_log_keeps_every_refused_open_failed_check_restore_and_unexpected_error(
        populated, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    conn = sqlite3.connect(data / "qingqing.sqlite3", isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE staff SET rank = '中层千部' WHERE rowid = 7")
    conn.close()
    code, _out, err = _run(capsys, "roster", "list")
    assert code == 2 and "恢复命令" in err
    backup = err.split('backup restore "')[1].split('"')[0]
    assert _run(capsys, "backup", "restore", backup)[0] == 0
    (tmp_path / "other.db").write_text("不是数据库" * 300, encoding="utf-8")
    assert _run(capsys, "--db", str(tmp_path / "other.db"), "unit", "show")[0] == 2

    def broken(args, session):
        raise RuntimeError("一个程序错误")

    monkeypatch.setattr("qingqing_desktop.cli.unit_commands.show_unit", broken)
    code, out, err = _run(capsys, "unit", "show")
    assert code == 1 and "Traceback" not in out + err
    assert err.startswith("错误：发生意外错误（RuntimeError），操作没有完成") and "qingqing.log" in err
    log = (data / "qingqing.log").read_text(encoding="utf-8")
    assert "is damaged: 完整性检查发现 1 处错误" in log and "CHECK constraint failed in staff" in log
    assert f"restored {backup}" in log
    assert f"refused to open {tmp_path / 'other.db'}" in log
    assert "unexpected error (qingqing-cli unit show)" in log and "RuntimeError: 一个程序错误" in log


def test_a_backup_with_a_damaged_record_is_listed_sound_and_restored_as_an_outside_file(populated, tmp_path,
                                                                                       monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(populated, data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    chosen = sorted((data / "backups").glob("qingqing-*.sqlite3"))[-1]
    (chosen.parent / (chosen.name + ".json")).write_text('{"sha256": \n', encoding="utf-8")
    people = _people(chosen)
    code, out, _err = _run(capsys, "backup", "list", "--check")
    line = next(line for line in out.splitlines() if line.endswith(str(chosen)))
    assert code == 0 and f"文件完好（校验记录已损坏），{people} 人，恢复时须加 --outside-file" in line, out
    code, _out, err = _run(capsys, "backup", "restore", str(chosen))
    assert code == 2 and err == (
        f"错误：文件“{chosen}”：备份旁的校验记录文件“{chosen.name}.json”已损坏，无法用它核对这份备份；"
        "备份文件本身已通过完整性检查和表结构检查，可以使用。如确认要用它，请选择“恢复外部文件”（命令行加 --outside-file）。\n")
    code, out, err = _run(capsys, "backup", "restore", str(chosen), "--outside-file")
    assert code == 0 and f"已从备份恢复：{chosen}（{people} 人）" in out, err
    assert _people(data / "qingqing.sqlite3") == people


def test_the_log_keeps_refused_restores_refused_places_and_unopenable_files(populated, tmp_path, monkeypatch, capsys):
    """A backup refused before a restore, a database refused for where it is, one that cannot be opened:
    each in qingqing.log as well as in the sentence the clerk reads."""
    from qingqing_desktop.store import locations

    data = tmp_path / "data"
    shutil.copytree(populated, data)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    changed = sorted((data / "backups").glob("qingqing-*.sqlite3"))[-1]
    with open(changed, "ab") as handle:
        handle.write(b"x")
    code, _out, err = _run(capsys, "backup", "restore", str(changed))
    assert code == 2 and "校验值不符" in err
    usb = tmp_path / "u盘"
    usb.mkdir()
    monkeypatch.setattr(locations, "_linux_removable", lambda folder: folder == usb)
    monkeypatch.setattr(sys, "platform", "linux")
    code, _out, err = _run(capsys, "--db", str(usb / "qingqing.sqlite3"), "unit", "show")
    assert code == 2 and "U盘等可移动磁盘" in err
    monkeypatch.undo()
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    (tmp_path / "名单").write_text("一个文件，不是文件夹", encoding="utf-8")
    code, _out, err = _run(capsys, "--db", str(tmp_path / "名单" / "qingqing.sqlite3"), "unit", "show")
    assert code == 2 and err.startswith(f"错误：“{tmp_path / '名单'}”是一个文件，不是文件夹"), err
    unopenable = Path("/proc/qingqing-test.sqlite3")  # a folder that takes no new file, even from root
    if sys.platform.startswith("linux"):  # by a command that would create it (one that reads says it is missing)
        code, _out, err = _run(capsys, "--db", str(unopenable), "office", "enable", "--name", "局机关纪委")
        assert code == 2 and err.startswith(f"错误：打不开数据库文件“{unopenable}”"), err
    log = (data / "qingqing.log").read_text(encoding="utf-8")
    assert f"backup {changed} refused: 备份文件的内容与备份时记录的校验值不符" in log
    assert f"refused to open: 数据库“{usb / 'qingqing.sqlite3'}”位于U盘等可移动磁盘上" in log
    assert f"refused to open {tmp_path / '名单' / 'qingqing.sqlite3'}: “{tmp_path / '名单'}”是一个文件" in log
    if sys.platform.startswith("linux"):
        assert f"refused to open {unopenable}: 打不开数据库文件" in log
