"""Inject faults from outside and count what a clerk would see (issue 8).

    .venv/bin/python tools/fault_inject.py [--seed 8] [--cases 50] [--work DIR] [--only bitflip,backups,…]
    .venv/bin/python tools/fault_inject.py --work DIR --damaged-copy DEST [--fails quick_check|integrity_check]

Builds a populated unit database (about 320 people, a campaign with pledges and a
自查表, backups taken by the program), then, each case in a fresh copy:

- bitflip:  flips a few bits in random pages of the database (seeded) and runs the
            CLI (unit show, roster list, pledge list, selfcheck show, filing status,
            export summary, export all, a write, backup create) and finally the
            ``backup restore`` command the refusal names;
- backups:  damaged backups (one byte short, flipped bits in cell data and in the
            schema, a CHECK violation, …) through ``backup restore``;
- diskfull: a small tmpfs (root only) filled up, then import, export, backup, package;
- locked:   another process holding the write lock (a "window", an import), then a write;
- writers:  two writers and a 5,000-row import at the same time;
- rogue:    the office receives a package with a known unit's name from another installation;
- exportkill: ``export all`` killed at random moments.
- restorekill: ``backup restore`` over a database that cannot be opened, killed at random moments
            and as it writes the new file: the file is then the old one or the restored one, never
            half of either, and the next ``backup restore`` goes through and leaves nothing behind.
- salvage:  the bit-flip cases again with no backup at all: ``backup salvage``, then the
            restore it names; how much of the roster came back, and whether anyone was invented.

Each case is judged as the issue asks (no exit 0 with partial data, no traceback,
every refusal names the backup to restore, …); the script prints one line per case,
the counts, and exits 1 if any case failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 320
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文博晓燕立新素海志鸣佳怡振雅琴远峰帆骏德"
POSTS = ("行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管",
         "质量监管", "办公室", "财务", "综合文字", "档案管理", "信息化")
TRACEBACK = "Traceback (most recent call last)"


# ----------------------------------------------------------------------------- the populated database


def build_unit_database(data_dir: Path, seed: int = 8, people: int = PEOPLE, backups: int = 3) -> Path:
    """A unit database of ``people`` people with a campaign, pledges and a 自查表, plus program backups.

    Runs in this process through the services, as the GUI would; returns the database path
    (``data_dir / qingqing.sqlite3``). ``QINGQING_DATA_DIR`` must point at ``data_dir``.
    """
    from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
    from qingqing_desktop.domain.unit import UnitKind
    from qingqing_desktop.services import (
        backup_service,
        campaign_service,
        pledge_service,
        roster_service,
        selfcheck_service,
        unit_service,
    )
    from qingqing_desktop.services.session import open_session
    from qingqing_desktop.store import staff as staff_store

    import uuid

    rng = random.Random(seed)
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # the same ids, so the same layout
    db_path = data_dir / "qingqing.sqlite3"
    session = open_session(db_path, operator="测试员")
    try:
        unit = unit_service.save_unit(session, name="住建局技术科", kind=UnitKind.SECTION, leader="林素仙",
                                      contact="王五", phone="0577-653260")
        with session.store.transaction():
            for index in range(people):
                cadre = index % 8 == 0
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
                status = StaffStatus.ACTIVE if index % 23 else StaffStatus.TRANSFERRED
                member = StaffMember(
                    name=name, rank=RankCategory.MIDDLE_CADRE if cadre else RankCategory.STAFF,
                    post=("分管" + rng.choice(POSTS)) if cadre else rng.choice(POSTS),
                    party_member=rng.random() < 0.6, status=status, title="科长" if cadre else "科员",
                )
                staff_store.save(session.store, unit.id, member, operator=session.operator, reason="批量录入")
        campaign_service.create_campaign(session, title="2019年“三清单一承诺”", deadline="2019-03-14")
        members = roster_service.list_staff(session, active_only=True)
        rows = pledge_service.list_pledges(session)
        required = [row.staff_id for row in rows if row.required]
        pledge_service.sign_many(session, required[: len(required) * 3 // 4], "2019-03-08",
                                 today=__import__("datetime").date(2019, 3, 10))
        selfcheck_service.set_header(session, leader="林素仙", filled_on="2019-03-10",
                                     today=__import__("datetime").date(2019, 3, 10))
        selfcheck_service.add_finding(session, problem="个别同志对负面清单学习不深", measure="组织专题学习",
                                      owner_id=members[0].id, due="2019-04-30", row=1,
                                      today=__import__("datetime").date(2019, 3, 10))
        selfcheck_service.confirm_none(session, 2)
        selfcheck_service.confirm_none(session, 3)
        for _ in range(backups):
            backup_service.create_backup(session, "manual")
    finally:
        session.close()
    return db_path


def roster_workbook(path: Path, rows: int, seed: int = 8) -> Path:
    """An Excel roster of ``rows`` new people with distinct names (the import caps a sheet at 5,000 rows)."""
    import openpyxl

    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < rows:
        names.add(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)) + rng.choice(GIVEN))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["序号", "姓名", "职务", "工作岗位", "政治面貌"])
    for number, name in enumerate(sorted(names), 1):
        sheet.append([number, name, "科员", rng.choice(POSTS), rng.choice(("中共党员", "群众"))])
    workbook.save(path)
    return path


def flip_bits(path: Path, rng: random.Random, pages: int, bits_per_page: int) -> list[tuple[int, int]]:
    """Flip ``bits_per_page`` random bits in each of ``pages`` random pages; returns (byte offset, bit)."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big") or 65536
    count = len(data) // page_size
    flipped = []
    for page in rng.sample(range(count), min(pages, count)):
        for _ in range(bits_per_page):
            offset = page * page_size + rng.randrange(page_size)
            bit = rng.randrange(8)
            data[offset] ^= 1 << bit
            flipped.append((offset, bit))
    path.write_bytes(bytes(data))
    return flipped


# ----------------------------------------------------------------------------- running the CLI


@dataclass
class Run:
    args: list[str]
    code: int
    out: str
    err: str

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.out or TRACEBACK in self.err


# The CLI with its free-space checks made before writing blinded ("cannot tell"), so a write meets the
# full disk itself, part-way through (as when another program fills the disk meanwhile).
BLIND_CLI = ("import sys; from qingqing_desktop.store import atomic_file; atomic_file.free_space = lambda folder: None; "
             "from qingqing_desktop.cli import main; sys.exit(main(sys.argv[1:]))")


def cli(data_dir: Path, *args: str, timeout: float = 120, env: dict | None = None, blind: bool = False) -> Run:
    environment = {**os.environ, "QINGQING_DATA_DIR": str(data_dir), "QINGQING_OPERATOR": "测试员",
                   "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("QINGQING_DB", None)
    program = ["-c", BLIND_CLI] if blind else ["-m", "qingqing_desktop.cli"]
    proc = subprocess.run([sys.executable, *program, *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=environment, timeout=timeout,
                          cwd=str(data_dir))
    return Run(list(args), proc.returncode, proc.stdout, proc.stderr)


def _xlsx_names(path: Path) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    return sum(1 for row in workbook.active.iter_rows(values_only=True) if row and isinstance(row[0], int))


READ_COMMANDS = (
    ("unit show", ("unit", "show", "--json")),
    ("roster list", ("roster", "list", "--json")),
    ("pledge list", ("pledge", "list", "--json")),
    ("selfcheck show", ("selfcheck", "show", "--json")),
    ("filing status", ("filing", "status", "--json")),
)


def _answer_size(name: str, run: Run) -> int | None:
    """Rows in a JSON answer (people, pledges, findings); None if it does not parse."""
    try:
        data = json.loads(run.out)
    except ValueError:
        return None
    if isinstance(data, list):
        return len(data)
    if name == "selfcheck show":
        return sum(len(row.get("findings", [])) for row in data.get("rows", []))
    return 1


@dataclass
class Expected:
    answers: dict[str, tuple[int, str]] = field(default_factory=dict)  # name → (size, output)
    summary_rows: int = 0
    export_files: int = 0


def expected_answers(data_dir: Path, scratch: Path) -> Expected:
    expected = Expected()
    for name, args in READ_COMMANDS:
        run = cli(data_dir, *args)
        assert run.code == 0, (name, run.err)
        expected.answers[name] = (_answer_size(name, run), run.out)
    run = cli(data_dir, "export", "summary", "--out", str(scratch / "summary.xlsx"))
    assert run.code == 0, run.err
    expected.summary_rows = _xlsx_names(scratch / "summary.xlsx")
    run = cli(data_dir, "export", "all", "--out-dir", str(scratch / "all"))
    assert run.code == 0, run.err
    expected.export_files = len(list((scratch / "all").iterdir()))
    return expected


# ----------------------------------------------------------------------------- judging


@dataclass
class Verdict:
    case: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


RESTORE_COMMAND = re.compile(r"qingqing-cli(?: --db \"[^\"]+\")? backup restore \"([^\"]+)\"")


def judge_refusal(verdict: Verdict, label: str, run: Run, *, needs_backup: bool) -> str | None:
    """A refusal: exit 2, no traceback, one Chinese message; returns the backup it names, if any."""
    if run.traceback:
        verdict.problems.append(f"{label}: traceback")
    if run.code != 2:
        verdict.problems.append(f"{label}: exit {run.code} (expected 2)")
    match = RESTORE_COMMAND.search(run.err)
    if needs_backup and match is None:
        verdict.problems.append(f"{label}: the refusal names no backup to restore")
    return match.group(1) if match else None


def integrity_problems(path: Path) -> str:
    """``PRAGMA integrity_check`` on a read-write in-memory copy (so CHECK constraints count); "" if sound."""
    data = bytearray(path.read_bytes())
    if len(data) >= 20:
        data[18:20] = b"\x01\x01"  # not WAL: deserialize cannot open a WAL-mode image
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(bytes(data))
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    return "" if rows == ["ok"] else "; ".join(rows[:3])


@dataclass
class BitflipCase:
    verdict: Verdict
    sound: bool  # integrity_check (read-write, so CHECK constraints count) finds nothing
    commands: int = 0
    complete: int = 0  # exit 0 with the whole answer
    partial: int = 0  # exit 0 with part of the answer: the worst outcome
    altered: int = 0  # exit 0, whole, but some cell differs (damage no check can see)
    tracebacks: int = 0
    refusals: int = 0
    refusals_naming_a_backup: int = 0
    damaged_writes: int = 0  # a write or a backup that succeeded on a database failing integrity_check
    restored: bool | None = None  # the named backup restored the whole roster


def run_bitflip_case(index: int, seed: int, base: Path, work: Path, expected: Expected, staff_id: str) -> BitflipCase:
    rng = random.Random(seed * 1000 + index)
    case = work / f"bitflip-{index:02d}"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(base, case)
    db = case / "qingqing.sqlite3"
    flipped = flip_bits(db, rng, pages=rng.randint(1, 4), bits_per_page=rng.randint(1, 3))
    damage = integrity_problems(db)
    result = BitflipCase(Verdict(f"bitflip {index:02d} ({len(flipped)} bits)"), not damage)
    verdict = result.verdict
    verdict.notes.append("integrity_check: " + ("ok" if not damage else damage[:60]))
    named: list[str] = []

    def judged(label: str, run: Run, answered) -> None:
        """``answered()`` → (size or None, expected size, identical?) for an exit 0."""
        result.commands += 1
        if run.traceback:
            result.tracebacks += 1
            verdict.problems.append(f"{label}: traceback")
        if run.code == 0:
            got, wanted, identical = answered()
            if got is None or got < wanted:
                result.partial += 1
                verdict.problems.append(f"{label}: exit 0 with partial data ({got} of {wanted})")
            elif identical:
                result.complete += 1
            else:
                result.altered += 1
            return
        result.refusals += 1
        backup = judge_refusal(verdict, label, run, needs_backup=True)
        if backup:
            result.refusals_naming_a_backup += 1
            named.append(backup)

    for name, args in READ_COMMANDS:
        run = cli(case, *args)
        size, output = expected.answers[name]
        judged(name, run, lambda run=run, name=name, size=size, output=output:
               (_answer_size(name, run), size, run.out == output))
    out = case / "out"
    run = cli(case, "export", "summary", "--out", str(out / "summary.xlsx"))
    judged("export summary", run, lambda: (_xlsx_names(out / "summary.xlsx"), expected.summary_rows, True))
    run = cli(case, "export", "all", "--out-dir", str(out / "all"))
    judged("export all", run, lambda: (len([p for p in (out / "all").iterdir() if not p.name.startswith(".")]),
                                        expected.export_files, True))
    for label, args in (("pledge set", ("pledge", "set", "--staff", staff_id, "--status", "不适用", "--reason", "长期病假")),
                        ("backup create", ("backup", "create"))):
        run = cli(case, *args)
        result.commands += 1
        result.tracebacks += run.traceback
        if run.code == 0 and damage:
            result.damaged_writes += 1
            verdict.problems.append(f"{label}: succeeded on a database that fails integrity_check")
        elif run.code != 0:
            result.refusals += 1
            backup = judge_refusal(verdict, label, run, needs_backup=True)
            if backup:
                result.refusals_naming_a_backup += 1
                named.append(backup)
    if named:
        if len(set(named)) != 1:
            verdict.problems.append(f"the refusals name different backups: {sorted(set(named))}")
        restore = cli(case, "backup", "restore", named[0])
        after = cli(case, "roster", "list", "--json")
        result.restored = restore.code == 0 and after.out == expected.answers["roster list"][1]
        if not result.restored:
            verdict.problems.append(f"restoring the named backup: exit {restore.code}: {restore.err.strip()[:120]}")
        verdict.notes.append("restored " + Path(named[0]).name)
    shutil.rmtree(out, ignore_errors=True)
    return result


def section_bitflip(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    from concurrent.futures import ThreadPoolExecutor

    staff_id = json.loads(expected.answers["roster list"][1])[5]["id"]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        cases = list(pool.map(lambda i: run_bitflip_case(i, args.seed, base, work, expected, staff_id),
                              range(args.cases)))
    for case in cases:
        print(_line(case.verdict), flush=True)
        if not args.keep:
            shutil.rmtree(work / f"bitflip-{int(case.verdict.case.split()[1]):02d}", ignore_errors=True)
    total = lambda field: sum(getattr(c, field) for c in cases)  # noqa: E731
    restored = [c.restored for c in cases if c.restored is not None]
    print(f"bitflip: {len(cases)} damaged databases ({sum(not c.sound for c in cases)} fail integrity_check), "
          f"{total('commands')} commands: {total('partial')} exit 0 with partial data, "
          f"{total('tracebacks')} tracebacks, {total('refusals_naming_a_backup')} of {total('refusals')} refusals "
          f"name the backup to restore, {total('damaged_writes')} writes on a damaged database, "
          f"{total('complete')} complete answers, {total('altered')} answers with an altered cell; "
          f"the named backup restored the whole roster in {sum(restored)} of {len(restored)} databases")
    return [c.verdict for c in cases]


def _line(verdict: Verdict) -> str:
    state = "ok  " if verdict.ok else "FAIL"
    detail = "; ".join(verdict.problems) if verdict.problems else "; ".join(verdict.notes)
    return f"{state} {verdict.case}: {detail}"


# ----------------------------------------------------------------------------- damaged backups


def _flip_in(path: Path, text: str, occurrence: int = 0) -> None:
    """Flip the lowest bit of the last byte of ``text`` (UTF-8) in the file: a cell that still decodes."""
    data = bytearray(path.read_bytes())
    start = -1
    for _ in range(occurrence + 1):
        start = data.index(text.encode("utf-8"), start + 1)
    data[start + len(text.encode("utf-8")) - 1] ^= 1
    path.write_bytes(bytes(data))


def _break_a_rank(path: Path, cadre: str) -> None:
    """A CHECK violation: one bit of a 中层干部's rank cell (its record holds name, name key, rank in a row)."""
    data = bytearray(path.read_bytes())
    start = data.index(f"{cadre}{cadre}中层干部".encode("utf-8"))
    data[start + len(f"{cadre}{cadre}中层干部".encode("utf-8")) - 1] ^= 1
    path.write_bytes(bytes(data))


def _backup_damages(seed: int, name: str, cadre: str) -> list[tuple[str, object, bool]]:
    """(label, how to damage the copy, restore as an outside file?)."""
    def truncate(path: Path) -> None:
        path.write_bytes(path.read_bytes()[:-1])

    def drop_record(path: Path) -> None:
        path.with_name(path.name + ".json").unlink()

    def outside(damage):
        def both(path: Path) -> None:
            drop_record(path)
            damage(path)
        return both

    def foreign(path: Path) -> None:
        drop_record(path)
        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
        conn.close()

    cases = [
        ("one byte short", truncate, False),
        ("a bit in cell data (a name)", lambda p: _flip_in(p, name), False),
        ("a bit in the schema (CREATE TABLE staff)", lambda p: _flip_in(p, "party_member INTEGER"), False),
        ("a CHECK violation (a rank)", lambda p: _break_a_rank(p, cadre), False),
        ("its SHA-256 record lost", drop_record, False),
        ("empty file", lambda p: p.write_bytes(b""), False),
        ("outside file, one byte short", outside(truncate), True),
        ("outside file, a bit in the schema", outside(lambda p: _flip_in(p, "party_member INTEGER")), True),
        ("outside file, a CHECK violation", outside(lambda p: _break_a_rank(p, cadre)), True),
        ("outside file of another program", foreign, True),
    ]
    rng = random.Random(seed)
    for index in range(13):
        pages, bits = rng.randint(1, 3), rng.randint(1, 3)
        cases.append((f"random flips #{index} ({pages} pages)",
                      lambda p, r=random.Random(rng.random()), pg=pages, b=bits: flip_bits(p, r, pg, b), False))
    return cases


def section_backups(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    roster = expected.answers["roster list"][1]
    people = json.loads(roster)
    name = people[3]["name"]
    cadre = next(p["name"] for p in people if p["rank"] == "中层干部" and len(p["name"]) == 3)
    verdicts = []
    for label, damage, outside in _backup_damages(args.seed, name, cadre):
        case = work / "backup-case"
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(base, case)
        backup = sorted((case / "backups").glob("qingqing-*.sqlite3"))[-1]
        damage(backup)
        verdict = Verdict(f"damaged backup: {label}")
        run = cli(case, "backup", "restore", str(backup), *(["--outside-file"] if outside else []))
        if run.code != 2 or run.traceback:
            verdict.problems.append(f"backup restore: exit {run.code}{' with a traceback' if run.traceback else ''}")
        elif str(backup) not in run.err:
            verdict.problems.append("the refusal does not name the file")
        after = cli(case, "roster", "list", "--json")
        if after.out != roster:
            verdict.problems.append("the live data changed")
        if any("-restore." in p.name for p in (case / "backups").iterdir()):
            verdict.problems.append("a pre-restore copy was taken for a refused restore")
        verdict.notes.append(run.err.strip().split("：", 2)[-1][:70])
        verdicts.append(verdict)
    for label, outside in (("a sound program backup", False), ("a sound outside file", True)):
        case = work / "backup-case"
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(base, case)
        backup = sorted((case / "backups").glob("qingqing-*.sqlite3"))[-1]
        if outside:
            backup.with_name(backup.name + ".json").unlink()
        verdict = Verdict(f"control: {label} restores")
        run = cli(case, "backup", "restore", str(backup), *(["--outside-file"] if outside else []))
        if run.code != 0 or cli(case, "roster", "list", "--json").out != roster:
            verdict.problems.append(f"exit {run.code}: {run.err.strip()[:100]}")
        verdicts.append(verdict)
    for verdict in verdicts:
        print(_line(verdict), flush=True)
    damaged = [v for v in verdicts if v.case.startswith("damaged")]
    print(f"backups: {sum(v.ok for v in damaged)} of {len(damaged)} damaged backups refused with the live data intact; "
          f"{sum(v.ok for v in verdicts if v.case.startswith('control'))} of 2 sound ones restored")
    return verdicts


# ----------------------------------------------------------------------------- a full disk


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def fill_disk(folder: Path, leave: int) -> None:
    """Fill ``folder``'s disk (a small tmpfs) until ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    if free > leave:
        with open(folder / "填满.bin", "wb") as handle:
            handle.write(b"\0" * (free - leave))


def _one_sentence(verdict: Verdict, run: Run, starts: str) -> None:
    lines = [line for line in run.err.splitlines() if line.strip()]
    if run.code != 2 or run.traceback:
        verdict.problems.append(f"exit {run.code}{' with a traceback' if run.traceback else ''}")
    elif len(lines) != 1 or not lines[0].startswith(starts):
        verdict.problems.append("not one sentence: " + run.err.strip()[:160])
    else:
        verdict.notes.append(lines[0][3:])


def _people(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return -1
        return conn.execute("SELECT count(*) FROM staff WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def build_office(folder: Path) -> tuple[Path, Path]:
    """An office (纪委) that created a campaign and exported its 任务包: (its data folder, the 任务包)."""
    import datetime as dt

    from qingqing_desktop.services import campaign_service, office_service
    from qingqing_desktop.services.session import open_session

    office_dir = folder / "office"
    office_dir.mkdir(parents=True)
    os.environ["QINGQING_DATA_DIR"] = str(office_dir)
    office = open_session(office_dir / "qingqing.sqlite3", operator="纪委干部")
    try:
        office_service.enable_office_mode(office, "局机关纪委（监察室）")
        campaign_service.create_campaign(office, deadline=(dt.date.today() + dt.timedelta(days=10)).isoformat(),
                                         title="2019年“三清单一承诺”行动")
        office_service.add_expected_units(office, ["技术科", "质监站"])
        task, _ = office_service.export_campaign_file(office, folder)
    finally:
        office.close()
    return office_dir, task


def build_unit_ready_to_send(folder: Path, task: Path, computer: str = "unit") -> Path:
    """A unit (技术科) on its own computer that imported the 任务包, signed and 定稿: its data folder."""
    import datetime as dt

    from qingqing_desktop.domain.staff import RankCategory, StaffMember
    from qingqing_desktop.domain.unit import UnitKind
    from qingqing_desktop.services import (
        filing_service,
        package_service,
        pledge_service,
        roster_service,
        selfcheck_service,
        unit_service,
    )
    from qingqing_desktop.services.session import open_session

    unit_dir = folder / computer
    unit_dir.mkdir(parents=True)
    os.environ["QINGQING_DATA_DIR"] = str(unit_dir)
    unit = open_session(unit_dir / "qingqing.sqlite3", operator="技术科内勤")
    try:
        unit_service.save_unit(unit, name="技术科", kind=UnitKind.SECTION, leader="林主任")
        roster_service.add_staff(unit, StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"))
        roster_service.add_staff(unit, StaffMember("张伟", RankCategory.STAFF, post="竣工验收"))
        package_service.import_campaign_file(unit, task)
        today = dt.date.today()
        for member in roster_service.list_staff(unit):
            pledge_service.set_status(unit, member.id, "已签订", signed_on=today, today=today)
        for row in (1, 2, 3):
            selfcheck_service.confirm_none(unit, row)
        filing_service.finalize(unit)
    finally:
        unit.close()
    return unit_dir


def section_diskfull(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    verdicts = []
    small = work / "small-disk"
    if not mount_tmpfs(small, "3m"):
        verdict = Verdict("disk full")
        verdict.problems.append("cannot mount a tmpfs here (run as root): see tests/cli/test_cli_faults.py")
        print(_line(verdict))
        return [verdict]
    try:
        workbook = roster_workbook(work / "名单.xlsx", 2000, args.seed)
        ready = work / "ready-to-send"
        shutil.rmtree(ready, ignore_errors=True)
        unit_dir = build_unit_ready_to_send(ready, build_office(ready)[1])
        cases = (
            ("backup create", "backups", 400 * 1024, lambda data: ("backup", "create")),
            ("export all", "打印件", 100 * 1024, lambda data: ("export", "all", "--out-dir", str(small / "打印件"))),
            ("roster import (2,000 people)", "", 1200 * 1024, lambda data: ("roster", "import", str(workbook))),
            ("package create", "", 16 * 1024,
             lambda data: ("--db", str(unit_dir / "qingqing.sqlite3"), "package", "create", "--out", str(small))),
        )
        for (label, where, leave, command), blind in [(case, blind) for case in cases for blind in (False, True)]:
            for item in small.iterdir():
                shutil.rmtree(item) if item.is_dir() else item.unlink()
            if label.startswith("package"):
                data, folder = unit_dir, small
            elif label.startswith("export"):
                data, folder = work / "export-case", small / "打印件"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(base, data)
            else:
                data = small / "data"
                data.mkdir()
                shutil.copy(base / "qingqing.sqlite3", data)
                folder = data / where if where else data
            before = _people(data / "qingqing.sqlite3")
            fill_disk(small, leave)
            verdict = Verdict(f"disk full: {label}, " + ("found while writing" if blind else "checked beforehand"))
            run = cli(data, *command(data), blind=blind)
            _one_sentence(verdict, run, f"错误：磁盘空间不足：文件夹“{folder}")
            if _people(data / "qingqing.sqlite3") != before:
                verdict.problems.append("the database changed or is damaged")
            left = [p.name for p in small.rglob("*") if p.name.endswith(".part") or p.name.startswith(".qingqing-set")
                    or p.suffix in (".qqpkg", ".pdf", ".xlsx")]
            if left:
                verdict.problems.append(f"half-written files left: {left}")
            verdicts.append(verdict)
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)
    for verdict in verdicts:
        print(_line(verdict), flush=True)
    print(f"disk full: {sum(v.ok for v in verdicts)} of {len(verdicts)} operations gave one sentence, nothing written")
    return verdicts


# ----------------------------------------------------------------------------- locks and writers

HOLDER = """
import sqlite3, sys
from pathlib import Path
from qingqing_desktop.store import lock_owners
db = Path(sys.argv[1])
lock_owners.register(db, sys.argv[2])
conn = sqlite3.connect(str(db), isolation_level=None)
with lock_owners.doing(db, sys.argv[3]):
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.read()
"""
GUI_PROGRAM = "亲清填报窗口"  # as store.lock_owners names a window


def hold_lock(db: Path, program: str = GUI_PROGRAM, activity: str = "") -> subprocess.Popen:
    """Another process of this program (a window, or a command doing ``activity``) holding the write
    lock until its stdin is closed; returns once it holds it."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), program, activity], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=str(ROOT))
    assert holder.stdout.readline().strip() == "holding"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    holder.wait(timeout=60)


def section_locked(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    verdicts = []
    for label, program, activity, named in (
        ("another window", "亲清填报窗口", "", "另一个亲清填报窗口（进程"),
        ("a running import", "qingqing-cli roster import", "正在导入人员名单", "命令“qingqing-cli roster import”（进程"),
    ):
        case = work / "locked"
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(base, case)
        holder = hold_lock(case / "qingqing.sqlite3", program, activity)
        try:
            run = cli(case, "unit", "set", "--name", "住建局技术科", "--kind", "科室", "--leader", "张三")
        finally:
            release(holder)
        verdict = Verdict(f"locked by {label}")
        final = [line for line in run.err.splitlines() if line.startswith("错误：")]
        waited = [line for line in run.err.splitlines() if line.startswith("数据库正被")]
        if run.code != 2 or run.traceback or len(final) != 1:
            verdict.problems.append(f"exit {run.code}: {run.err.strip()[:160]}")
        elif named not in final[0] or (activity and activity not in final[0]) or not waited:
            verdict.problems.append("the holder is not named: " + final[0])
        else:
            verdict.notes.append(f"{len(waited)} progress lines, then: {final[0][3:]}")
        verdicts.append(verdict)
    for verdict in verdicts:
        print(_line(verdict), flush=True)
    return verdicts


WRITER = """
import subprocess, sys
for staff_id in sys.argv[1:]:
    done = subprocess.run([sys.executable, "-m", "qingqing_desktop.cli", "pledge", "set", "--staff", staff_id,
                           "--status", "不适用", "--reason", "长期病假"], capture_output=True, text=True)
    print(done.returncode, "Traceback" in done.stderr, flush=True)
"""


def section_writers(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    case = work / "writers"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(base, case)
    workbook = roster_workbook(work / "名单-4999.xlsx", 4999, args.seed)
    staff = [m["id"] for m in json.loads(expected.answers["roster list"][1])]
    environment = {**os.environ, "QINGQING_DATA_DIR": str(case), "QINGQING_OPERATOR": "测试员"}
    environment.pop("QINGQING_DB", None)
    importer = subprocess.Popen([sys.executable, "-m", "qingqing_desktop.cli", "roster", "import", str(workbook)],
                                env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, *ids], env=environment, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for ids in (staff[10:20], staff[30:40])]
    _, import_err = importer.communicate()
    results = [w.communicate() for w in writers]
    verdict = Verdict("two writers and a 4,999-person import")
    if importer.returncode != 0 or TRACEBACK in import_err:
        verdict.problems.append(f"import: exit {importer.returncode}: {import_err.strip()[:120]}")
    lines = [line.split() for out, _err in results for line in out.splitlines()]
    if any(code != "0" or tb == "True" for code, tb in lines) or len(lines) != 20:
        verdict.problems.append(f"writes: {lines}")
    conn = sqlite3.connect(case / "qingqing.sqlite3")
    people = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
    marked = {r[0] for r in conn.execute("SELECT staff_id FROM pledge WHERE status = '不适用'")}
    sound = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    if people != PEOPLE + 4999 or not set(staff[10:20] + staff[30:40]) <= marked or not sound:
        verdict.problems.append(f"lost writes: {people} people, {len(marked)} marked, sound={sound}")
    verdict.notes.append(f"import and 20 writes all done; {people} people, every write present")
    print(_line(verdict), flush=True)
    return [verdict]


# ----------------------------------------------------------------------------- the rogue package


def section_rogue(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    folder = work / "rogue"
    shutil.rmtree(folder, ignore_errors=True)
    office_dir, task = build_office(folder)
    unit_dir = build_unit_ready_to_send(folder, task)
    rogue_dir = build_unit_ready_to_send(folder, task, "elsewhere")  # another installation, same unit name
    for usb in ("usb", "usb-rogue"):
        (folder / usb).mkdir()
    first = cli(unit_dir, "package", "create", "--out", str(folder / "usb"))
    rogue = cli(rogue_dir, "package", "create", "--out", str(folder / "usb-rogue"))
    imported = cli(office_dir, "package", "import", str(folder / "usb"))
    (rogue_package,) = (folder / "usb-rogue").glob("*.qqpkg")
    run = cli(office_dir, "package", "import", str(rogue_package))
    keys = [cli(d, "keys", "show").out for d in (unit_dir, rogue_dir)]
    prints = [re.search(r"[0-9A-F]{8}(?:-[0-9A-F]{8}){4}", text).group(0) for text in keys]
    verdict = Verdict("same-name package from another installation")
    if first.code or rogue.code or imported.code:
        verdict.problems.append("set-up failed: " + (first.err + rogue.err + imported.err)[:200])
    if run.code != 2 or run.traceback:
        verdict.problems.append(f"import: exit {run.code}")
    elif not all(p in run.err for p in prints) or "office units rekey" not in run.err or "重新登记密钥" not in run.err:
        verdict.problems.append("the refusal does not name both fingerprints and the way to re-register")
    status = json.loads(cli(office_dir, "office", "status", "--json").out)
    if [u["unit"] for u in status["units"]].count("技术科") != 1:
        verdict.problems.append("a second 技术科 on the board")
    rekey = cli(office_dir, "office", "units", "rekey", "--unit", "技术科", "--fingerprint", prints[1])
    again = cli(office_dir, "package", "import", str(rogue_package))
    status = json.loads(cli(office_dir, "office", "status", "--json").out)
    if rekey.code or again.code or [u["unit"] for u in status["units"]].count("技术科") != 1:
        verdict.problems.append(f"after re-registering: exit {rekey.code}/{again.code}")
    verdict.notes.append(run.err.strip()[3:150] + "…")
    print(_line(verdict), flush=True)
    return [verdict]


# ----------------------------------------------------------------------------- export all, killed


def _set_fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def kill_when(process: subprocess.Popen, delay: float | None, aimed: str, writing) -> str:
    """Kill ``process`` after ``delay`` seconds, or (``delay`` None) as soon as ``writing()`` is true;
    says when, for the verdict."""
    started = time.monotonic()
    if delay is None:
        while process.poll() is None and not writing():
            time.sleep(0.0005)
        when = f"{aimed} ({time.monotonic() - started:.2f} s)"
    else:
        time.sleep(delay)
        when = f"after {delay:.2f} s"
    process.kill()
    process.wait()
    return when


def section_exportkill(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    case, out = work / "exportkill", work / "exportkill-out"
    for folder in (case, out):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base, case)
    started = time.monotonic()
    cli(case, "export", "all", "--out-dir", str(out))
    duration = time.monotonic() - started
    (out / "别的文件.txt").write_text("不是程序写的", encoding="utf-8")
    rng = random.Random(args.seed)
    environment = {**os.environ, "QINGQING_DATA_DIR": str(case)}
    environment.pop("QINGQING_DB", None)
    verdicts = []
    # Seeded random moments, then kills aimed at the writing itself: the moment the hidden work folder
    # appears (the documents are made in memory first, so a random moment mostly falls before it).
    moments = [rng.uniform(0.2, 1.1) * duration for _ in range(args.kills)] + [None] * args.aimed_kills
    for delay in moments:
        old = _set_fingerprints(out)
        time.sleep(1.1)  # the documents carry the second they were made
        process = subprocess.Popen([sys.executable, "-m", "qingqing_desktop.cli", "export", "all", "--out-dir",
                                    str(out)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        earlier = set(out.glob(".qingqing-set-*"))
        when = kill_when(process, delay, "as it wrote its work folder", lambda: any(
            w not in earlier and any(w.glob("new/*")) for w in out.glob(".qingqing-set-*")))
        now = _set_fingerprints(out)
        same = {name for name in now if now.get(name) == old.get(name)}
        verdict = Verdict(f"export all killed {when}")
        work_folders = len(list(out.glob(".qingqing-set-*")))
        if work_folders > 1:
            verdict.problems.append(f"{work_folders} hidden work folders: an earlier kill's was not cleaned up")
        elif work_folders:
            verdict.notes.append("its hidden work folder left behind")
        if set(now) != set(old):
            verdict.problems.append(f"files differ: {sorted(set(now) ^ set(old))}")
        elif same == set(now):
            verdict.notes.append("the old set")
        elif same == {"别的文件.txt"}:
            verdict.notes.append("the new set")
        else:
            journal = any((w / "commit.json").exists() for w in out.glob(".qingqing-set-*"))
            verdict.notes.append("killed between two renames; the next export finishes it" if journal else "")
            if not journal:
                verdict.problems.append(f"a mix: {sorted(set(now) - same)} new")
        verdicts.append(verdict)
    before = [p.name for p in out.iterdir() if p.name.startswith(".")]
    run = cli(case, "export", "all", "--out-dir", str(out))
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
    final = Verdict("the next export cleans up")
    if run.code or leftovers:
        final.problems.append(f"exit {run.code}, left: {leftovers}")
    final.notes.append(f"{len(before)} hidden leftovers of the kills before it ({', '.join(before)[:80]}), none after")
    verdicts.append(final)
    for verdict in verdicts:
        print(_line(verdict), flush=True)
    return verdicts


def section_restorekill(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    backup = max((base / "backups").glob("qingqing-*.sqlite3"))
    backup_people = _people(backup)
    template = work / "restorekill-template"
    shutil.rmtree(template, ignore_errors=True)
    shutil.copytree(base, template)
    db = template / "qingqing.sqlite3"
    db.write_bytes(b"\x00" * 4096 + db.read_bytes()[4096:])  # the first page gone: it cannot be opened
    damaged = db.read_bytes()

    def fresh(name: str) -> Path:
        case = work / name
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(template, case)
        return case

    timing = fresh("restorekill-timing")
    started = time.monotonic()
    first = cli(timing, "backup", "restore", str(backup))
    duration = time.monotonic() - started
    verdicts = []
    untouched = Verdict(f"backup restore, not killed ({duration:.1f} s)")
    if first.code or _people(timing / "qingqing.sqlite3") != backup_people:
        untouched.problems.append(f"exit {first.code}: {first.err.strip()[:120]}")
    verdicts.append(untouched)
    rng = random.Random(args.seed)
    moments = [rng.uniform(0.3, 1.0) * duration for _ in range(args.kills)] + [None] * args.aimed_kills
    for number, delay in enumerate(moments):
        case = fresh(f"restorekill-{number}")
        path = case / "qingqing.sqlite3"
        environment = {**os.environ, "QINGQING_DATA_DIR": str(case), "QINGQING_OPERATOR": "测试员"}
        environment.pop("QINGQING_DB", None)
        process = subprocess.Popen([sys.executable, "-m", "qingqing_desktop.cli", "backup", "restore", str(backup)],
                                   env=environment, cwd=str(case), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # aimed: the moment the new file is being written beside the old one
        when = kill_when(process, delay, "as it wrote the new file", lambda: any(case.glob(".qingqing.sqlite3.*.part")))
        verdict = Verdict(f"backup restore killed {when}")
        now = path.read_bytes()
        if now == damaged:
            verdict.notes.append("the old file")
        elif _people(path) == backup_people:
            verdict.notes.append("the restored file")
        else:
            verdict.problems.append(f"neither the old file nor the restored one ({len(now)} bytes)")
        leftovers = [p.name for p in case.glob(".qingqing.sqlite3.*.part")]
        if leftovers:
            verdict.notes.append("its half-written file left behind")
        again = cli(case, "backup", "restore", str(backup))
        if again.code or again.traceback or _people(path) != backup_people:
            verdict.problems.append(f"the next restore: exit {again.code}: {again.err.strip()[:120]}")
        left = [p.name for p in case.glob(".qingqing.sqlite3.*")]
        if left:
            verdict.problems.append(f"left after the next restore: {left}")
        kept = list(case.glob("*damaged*")) + list((case / "backups").glob("*damaged*"))
        if not any(k.read_bytes() == damaged for k in kept if k.is_file()):
            verdict.problems.append("the unreadable file was not kept")
        verdicts.append(verdict)
    for verdict in verdicts:
        print(_line(verdict), flush=True)
    return verdicts


SALVAGED_TO = re.compile(r"抢救出的数据已保存为备份：(\S+)")


def run_salvage_case(index: int, seed: int, base: Path, work: Path, people: dict[str, str]) -> tuple[Verdict, float | None]:
    """One bit-flip case (the same flips as ``run_bitflip_case``) without backups: salvage, restore, compare."""
    rng = random.Random(seed * 1000 + index)
    case = work / f"salvage-{index:02d}"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(base, case, ignore=shutil.ignore_patterns("backups"))
    db = case / "qingqing.sqlite3"
    flip_bits(db, rng, pages=rng.randint(1, 4), bits_per_page=rng.randint(1, 3))
    verdict = Verdict(f"salvage {index:02d}")
    if not integrity_problems(db):
        verdict.notes.append("sound: nothing to salvage")
        return verdict, None
    run = cli(case, "backup", "salvage")
    if run.traceback:
        verdict.problems.append("salvage: traceback")
    if run.code == 2:
        verdict.notes.append("refused: " + run.err.strip()[:60])
        return verdict, 0.0
    named = SALVAGED_TO.search(run.out)
    if run.code != 0 or named is None:
        verdict.problems.append(f"salvage: exit {run.code} {run.err.strip()[:80]}")
        return verdict, None
    restore = cli(case, "backup", "restore", named.group(1))
    listed = cli(case, "roster", "list", "--json")
    if restore.code != 0 or listed.code != 0:
        verdict.problems.append(f"restore exit {restore.code}, roster list exit {listed.code}: {listed.err.strip()[:80]}")
        return verdict, None
    back = {p["id"]: p["name"] for p in json.loads(listed.out)}
    invented = [name for staff_id, name in back.items() if people.get(staff_id) != name]
    if invented:
        verdict.problems.append(f"invented: {invented[:3]}")
    share = len(back) / len(people)
    verdict.notes.append(f"{len(back)} of {len(people)} people back; " + run.out.splitlines()[0][:70])
    return verdict, share


def section_salvage(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    from concurrent.futures import ThreadPoolExecutor

    people = {p["id"]: p["name"] for p in json.loads(expected.answers["roster list"][1])}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        cases = list(pool.map(lambda i: run_salvage_case(i, args.seed, base, work, people), range(args.cases)))
    for verdict, _share in cases:
        print(_line(verdict), flush=True)
        if not args.keep:
            shutil.rmtree(work / f"salvage-{int(verdict.case.split()[1]):02d}", ignore_errors=True)
    shares = sorted(share for _verdict, share in cases if share is not None)
    whole = sum(share == 1 for share in shares)
    salvaged = [share for share in shares if share > 0]
    print(f"salvage: {len(shares)} damaged databases without a backup: {sum(s > 0 for s in shares)} salvaged "
          f"({whole} with the whole roster), {sum(s == 0 for s in shares)} refused as unreadable; people back: "
          f"median {salvaged[len(salvaged) // 2]:.0%}, lowest {salvaged[0]:.0%} of those salvaged; "
          f"{sum(any(p.startswith('invented') for p in v.problems) for v, _ in cases)} with anyone invented, "
          f"{sum(any('traceback' in p for p in v.problems) for v, _ in cases)} tracebacks"
          if salvaged else "salvage: no database salvaged among the cases")
    return [verdict for verdict, _share in cases]


SECTIONS = {
    "bitflip": section_bitflip,
    "backups": section_backups,
    "diskfull": section_diskfull,
    "locked": section_locked,
    "writers": section_writers,
    "rogue": section_rogue,
    "exportkill": section_exportkill,
    "restorekill": section_restorekill,
    "salvage": section_salvage,
}


def damaged_copy(base: Path, dest: Path, seed: int, fails: str) -> str:
    """A copy of ``base`` (with its backups) whose database fails ``integrity_check`` and, for ``fails``
    "quick_check", also the quick check made at every open (found as the window opens); for
    "integrity_check" only the full check (an index: found by the check after the window is up)."""
    for attempt in range(seed, seed + 1000):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(base, dest, ignore=shutil.ignore_patterns("qingqing.log"))
        db = dest / "qingqing.sqlite3"
        flip_bits(db, random.Random(attempt), pages=2, bits_per_page=2)
        full = integrity_problems(db)
        if not full:
            continue
        conn = sqlite3.connect(db)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            quick = str(exc)
        finally:
            conn.close()
        if (quick != "ok") == (fails == "quick_check"):
            return f"{dest}: flips seeded {attempt}; integrity_check: {full[:70]}; quick_check: {quick[:50]}"
    raise SystemExit(f"no damage of that kind in 1,000 tries from seed {seed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--cases", type=int, default=50, help="bit-flipped databases")
    parser.add_argument("--kills", type=int, default=8, help="times export all is killed at a random moment")
    parser.add_argument("--aimed-kills", type=int, default=4, help="times it is killed as it writes its work folder")
    parser.add_argument("--jobs", type=int, default=2, help="bit-flip cases run side by side")
    parser.add_argument("--keep", action="store_true", help="keep each case's folder for a look")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run: " + ",".join(SECTIONS))
    parser.add_argument("--damaged-copy", type=Path, metavar="DIR",
                        help="only write a damaged copy of the populated data folder to DIR (for a look in the GUI)")
    parser.add_argument("--fails", choices=("quick_check", "integrity_check"), default="quick_check",
                        help="with --damaged-copy: the first check the copy fails")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="qingqing-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base"
    if not (base / "qingqing.sqlite3").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir()
        os.environ["QINGQING_DATA_DIR"] = str(base)
        build_unit_database(base, seed=args.seed)
    if args.damaged_copy:
        print(damaged_copy(base, args.damaged_copy, args.seed * 100, args.fails))
        return 0
    expected = expected_answers(base, work / "expected")
    verdicts = []
    for name in args.only.split(","):
        verdicts += SECTIONS[name](args, work, base, expected)
    failed = [v for v in verdicts if not v.ok]
    print(f"\n{len(verdicts)} cases, {len(failed)} with a problem")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
