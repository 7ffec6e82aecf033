"""Inject faults from outside and count what a clerk would see (issue 8).

    .venv/bin/python tools/fault_inject.py [--seed 8] [--cases 50] [--work DIR] [--only bitflip,backups,…]

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


def cli(data_dir: Path, *args: str, timeout: float = 120, env: dict | None = None) -> Run:
    environment = {**os.environ, "QINGQING_DATA_DIR": str(data_dir), "QINGQING_OPERATOR": "测试员",
                   "PYTHONIOENCODING": "utf-8", **(env or {})}
    environment.pop("QINGQING_DB", None)
    proc = subprocess.run([sys.executable, "-m", "qingqing_desktop.cli", *args], capture_output=True,
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
    sound: bool
    refusals: int
    full_answers: int
    altered_answers: int


def run_bitflip_case(index: int, seed: int, base: Path, work: Path, expected: Expected, staff_id: str) -> BitflipCase:
    rng = random.Random(seed * 1000 + index)
    case = work / f"bitflip-{index:02d}"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(base, case)
    db = case / "qingqing.sqlite3"
    flipped = flip_bits(db, rng, pages=rng.randint(1, 4), bits_per_page=rng.randint(1, 3))
    damage = integrity_problems(db)
    verdict = Verdict(f"bitflip {index:02d} ({len(flipped)} bits)")
    verdict.notes.append("integrity_check: " + ("ok" if not damage else damage[:60]))
    refusals = full = altered = 0
    named: list[str] = []

    def refused(label: str, run: Run) -> None:
        nonlocal refusals
        refusals += 1
        backup = judge_refusal(verdict, label, run, needs_backup=True)
        if backup:
            named.append(backup)

    for name, args in READ_COMMANDS:
        run = cli(case, *args)
        if run.code != 0:
            refused(name, run)
            continue
        size, output = expected.answers[name]
        got = _answer_size(name, run)
        if got is None or got < size:
            verdict.problems.append(f"{name}: exit 0 with partial data ({got} of {size})")
        elif run.out != output:
            altered += 1
        else:
            full += 1
        if run.traceback:
            verdict.problems.append(f"{name}: traceback")
    out = case / "out"
    run = cli(case, "export", "summary", "--out", str(out / "summary.xlsx"))
    if run.code != 0:
        refused("export summary", run)
    else:
        rows = _xlsx_names(out / "summary.xlsx")
        if rows < expected.summary_rows:
            verdict.problems.append(f"export summary: exit 0 with {rows} of {expected.summary_rows} rows")
        else:
            full += 1
    run = cli(case, "export", "all", "--out-dir", str(out / "all"))
    if run.code != 0:
        refused("export all", run)
    else:
        files = len([p for p in (out / "all").iterdir() if not p.name.startswith(".")])
        if files < expected.export_files:
            verdict.problems.append(f"export all: exit 0 with {files} of {expected.export_files} files")
        else:
            full += 1
    run = cli(case, "pledge", "set", "--staff", staff_id, "--status", "不适用", "--reason", "长期病假")
    if run.code == 0 and damage:
        verdict.problems.append("pledge set: a write succeeded on a database that fails integrity_check")
    elif run.code != 0:
        refused("pledge set", run)
    run = cli(case, "backup", "create")
    if run.code == 0 and damage:
        verdict.problems.append("backup create: a damaged database was backed up as sound")
    elif run.code != 0:
        refused("backup create", run)
    if named:
        restore = cli(case, "backup", "restore", named[0])
        if restore.code != 0 or restore.traceback:
            verdict.problems.append(f"backup restore of the named backup: exit {restore.code}: {restore.err.strip()[:120]}")
        else:
            after = cli(case, "roster", "list", "--json")
            if after.code != 0 or _answer_size("roster list", after) != expected.answers["roster list"][0]:
                verdict.problems.append("after the restore the roster is not whole")
        verdict.notes.append("restored " + Path(named[0]).name)
    shutil.rmtree(out, ignore_errors=True)
    return BitflipCase(verdict, not damage, refusals, full, altered)


def section_bitflip(args, work: Path, base: Path, expected: Expected) -> list[Verdict]:
    staff_id = json.loads(cli(base, "roster", "list", "--json").out)[5]["id"]
    cases = [run_bitflip_case(i, args.seed, base, work, expected, staff_id) for i in range(args.cases)]
    for case in cases:
        print(_line(case.verdict), flush=True)
    damaged = sum(1 for c in cases if not c.sound)
    print(f"bitflip: {len(cases)} databases ({damaged} fail integrity_check); "
          f"{sum(c.refusals for c in cases)} refusals, {sum(c.full_answers for c in cases)} complete answers, "
          f"{sum(c.altered_answers for c in cases)} answers with altered cells; "
          f"{sum(1 for c in cases if not c.verdict.ok)} cases with a problem")
    return [c.verdict for c in cases]


def _line(verdict: Verdict) -> str:
    state = "ok  " if verdict.ok else "FAIL"
    detail = "; ".join(verdict.problems) if verdict.problems else "; ".join(verdict.notes)
    return f"{state} {verdict.case}: {detail}"


SECTIONS = {"bitflip": section_bitflip}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--cases", type=int, default=50, help="bit-flipped databases")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run: " + ",".join(SECTIONS))
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="qingqing-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base"
    if not (base / "qingqing.sqlite3").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir()
        os.environ["QINGQING_DATA_DIR"] = str(base)
        build_unit_database(base, seed=args.seed)
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
