"""Benchmark: the discipline office imports 100 and 1,000 units' 报送包 from one folder.

    /tmp/venv/bin/python tools/bench_package_import.py              # 100 and 1,000 packages
    /tmp/venv/bin/python tools/bench_package_import.py --counts 100 --people 40

Each synthetic unit has its own signing key, its own roster (``--people``, a third
of them cadres), signed pledges, a 自查表 with findings and the same generated
documents (附件2/附件3 PDF and Excel, rendered once) — packages of realistic size
and shape, built through the same domain functions and package writer as a real
unit's. The office database is a real file (WAL, synchronous=FULL) in a temporary
folder; the figures are wall-clock time for ``office_service.import_packages`` on
the whole folder (one transaction per package, one backup before the first write),
then for importing the same folder again (every file a duplicate, nothing written).

``write_synthetic_packages`` is also what the tests use to make 100 packages quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qingqing_desktop.domain.campaign import Campaign  # noqa: E402
from qingqing_desktop.domain.filing import build_snapshot, content_sha256  # noqa: E402
from qingqing_desktop.domain.pledge import PledgeRecord, PledgeStatus, pledge_row  # noqa: E402
from qingqing_desktop.domain.selfcheck import Finding, SelfCheck, SelfCheckRow  # noqa: E402
from qingqing_desktop.domain.staff import RankCategory, StaffMember, new_id  # noqa: E402
from qingqing_desktop.domain.unit import Unit, UnitKind  # noqa: E402
from qingqing_desktop.exchange.filing_package import (  # noqa: E402
    PackageContent,
    package_file_name,
    write_filing_package,
)
from qingqing_desktop.exchange.keys import SigningKey  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国志文海燕"
KEY_POSTS = ("行政审批", "质量监管", "安全监管", "竣工验收", "建筑市场监管")


def _roster(index: int, people: int) -> list[StaffMember]:
    members = []
    for n in range(people):
        name = SURNAMES[(index + n) % len(SURNAMES)] + GIVEN[(index * 7 + n) % len(GIVEN)] + GIVEN[n % len(GIVEN)]
        cadre = n % 3 == 0
        post = f"分管{KEY_POSTS[n % len(KEY_POSTS)]}" if cadre else (KEY_POSTS[n % len(KEY_POSTS)] if n % 2 else "综合文字")
        members.append(StaffMember(name, RankCategory.MIDDLE_CADRE if cadre else RankCategory.STAFF, post=post,
                                   party_member=n % 2 == 0))
    return members


def synthetic_content(campaign: Campaign, *, index: int, people: int = 30,
                      documents: Mapping[str, bytes] | None = None, revision: int = 1) -> PackageContent:
    """The content of a finalised filing of synthetic unit ``index`` (第<index>分局)."""
    unit = Unit(name=f"第{index}分局", kind=UnitKind.BRANCH, leader=f"负责人{index}", id=new_id())
    roster = _roster(index, people)
    rule = campaign.template.signing_rule
    pledges = []
    for n, member in enumerate(roster):
        signed = n % 5 != 4
        status = PledgeStatus.SIGNED if signed else PledgeStatus.UNSIGNED
        record = PledgeRecord(new_id(), campaign.id, member.id, status, dt.date(2019, 3, 1 + n % 10) if signed else None)
        pledges.append(pledge_row(rule, member, record))
    owner = roster[0]
    findings = [Finding(new_id(), 1, f"服务企业不够主动（{index}）", "建立上门服务清单", owner.id, owner.name,
                        dt.date(2019, 4, 30)),
                Finding(new_id(), 3, "廉政风险点排查制度不健全", "修订制度", owner.id, owner.name, dt.date(2019, 5, 31))]
    rows = tuple(
        SelfCheckRow(number, item, number == 2, tuple(f for f in findings if f.row == number))
        for number, item in enumerate(campaign.template.self_check.rows, start=1)
    )
    self_check = SelfCheck(campaign.id, unit.name, unit.leader, dt.date(2019, 3, 12), rows)
    snapshot = build_snapshot(revision=revision, campaign=campaign, unit=unit, roster=roster, pledges=pledges,
                              self_check=self_check)
    rectification = {f.id: {"done_on": "2019-03-20" if f.row == 1 else None, "done_note": ""} for f in findings}
    return PackageContent(snapshot=snapshot, content_sha256=content_sha256(snapshot),
                          finalized_at="2019-03-12T02:00:00+00:00", finalized_by="内勤", rectification=rectification,
                          documents=dict(documents or {}))


def write_synthetic_packages(folder: Path, campaign: Campaign, count: int, *, people: int = 30,
                             documents: Mapping[str, bytes] | None = None, start: int = 1) -> list[Path]:
    """``count`` packages of distinct units, each signed by its own new key, into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        content = synthetic_content(campaign, index=index, people=people, documents=documents)
        path = folder / package_file_name(content.snapshot["unit"]["name"], campaign.title, 1)
        write_filing_package(path, content, sequence=1, key=SigningKey.generate())
        paths.append(path)
    return paths


def _documents(campaign: Campaign, people: int) -> dict[str, bytes]:
    """附件2 and 附件3 as the unit's application renders them, once, for every synthetic package."""
    from qingqing_desktop.documents.filing_data import (  # noqa: PLC0415
        FilingDocumentData,
        PledgeEntry,
        SelfCheckSection,
    )
    from qingqing_desktop.services import document_service  # noqa: PLC0415

    entries = tuple(PledgeEntry(m.id, m.name, m.rank, m.post, m.party_member, PledgeStatus.SIGNED, True)
                    for m in _roster(0, people))
    data = FilingDocumentData(
        template=campaign.template, unit_id=new_id(), campaign_id=campaign.id, unit_name="第1分局", leader="负责人", campaign_title=campaign.title,
        document_number=campaign.document_number, deadline=campaign.deadline, revision=1, finalised=True,
        pledges=entries, self_check=tuple(SelfCheckSection(item, True) for item in campaign.template.self_check.rows),
        content_sha256="0" * 64, key_fingerprint="-".join(["0" * 8] * 5),
    )
    rendered = {}
    for kind in (document_service.DocumentKind.SUMMARY, document_service.DocumentKind.SELFCHECK):
        for fmt in ("pdf", "xlsx"):
            rendered[document_service.document_file_name(data, kind, fmt)] = document_service.render_document(
                data, kind, fmt)
    return rendered


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024 / 1024:.1f} MB"


def verify_only(paths: list[Path]) -> float:
    """The floor measured in the same run: read and check every package (hashes, signature), write nothing.

    Import time over this ratio says what the database work costs, whatever the machine.
    """
    from qingqing_desktop.exchange.signed_container import read_container  # noqa: PLC0415

    start = time.perf_counter()
    for path in paths:
        read_container(path, expected_kind="filing-package")
    return time.perf_counter() - start


def run(count: int, people: int, root: Path) -> None:
    from qingqing_desktop.services import campaign_service, office_service  # noqa: PLC0415
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415

    os.environ["QINGQING_DATA_DIR"] = str(root / "data")
    session = open_session(root / "office.sqlite3", operator="纪委")
    try:
        office_service.enable_office_mode(session, "局机关纪委（监察室）")
        campaign = campaign_service.create_campaign(session, deadline="2019-03-14")
        documents = _documents(campaign, people)
        start = time.perf_counter()
        paths = write_synthetic_packages(root / "usb", campaign, count, people=people, documents=documents)
        made = time.perf_counter() - start
        package_bytes = sum(p.stat().st_size for p in paths)
        floor = verify_only(paths)
        start = time.perf_counter()
        report = office_service.import_packages(session, root / "usb")
        first = time.perf_counter() - start
        assert report.imported == count and not report.failed, report.summary()
        start = time.perf_counter()
        again = office_service.import_packages(session, root / "usb")
        second = time.perf_counter() - start
        assert again.imported == 0 and not again.failed
        start = time.perf_counter()
        board = office_service.board(session)
        board_time = time.perf_counter() - start
        assert len(board.rows) == count
        print(f"{count:>5} packages ({people} people each, {package_bytes / count / 1024:.0f} KB each): "
              f"written in {made:.1f} s; verify only (baseline) {floor:.2f} s; imported in {first:.1f} s "
              f"({1000 * first / count:.1f} ms each, {first / floor:.1f}× baseline); "
              f"re-import (all duplicates) {second:.1f} s; board {1000 * board_time:.0f} ms; "
              f"office database {_size(root / 'office.sqlite3')}")
    finally:
        session.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--people", type=int, default=30)
    args = parser.parse_args(argv)
    for count in args.counts:
        with tempfile.TemporaryDirectory(prefix="qq-bench-") as tmp:
            run(count, args.people, Path(tmp))


if __name__ == "__main__":
    main()
