"""Benchmark: a 60-page scanned batch — 30 signed 附件1 letters printed duplex — matched in one step.

    .venv/bin/python tools/bench_scans.py                 # 30 letters at 150 dpi
    .venv/bin/python tools/bench_scans.py --dpi 300 --letters 30 --noise 0.3

The letters are printed by the app for a unit of 30 people who must sign (duplex: each
letter and its empty back, 60 pages), each sheet "scanned" as a copier would: turned by
0/90/180/270°, skewed up to ±2°, blurred, with grey noise and JPEG artefacts, all pages
in one PDF (tests/scan_images.py). Three figures, measured in the same run:

- floor: every page rendered (pypdfium2, 150 dpi) and decoded by zxing-cpp alone on the
  whole page — the least any reader does;
- plan: ``pledge_scan_import.plan_scan_import`` on the PDF — reading, decoding (with the
  corner and clean-up fall-backs), blank detection, previews, matching;
- record: building each person's PDF and writing all 30 (backup, one transaction).

The ratio plan / floor is what the robustness and the plan cost over bare decoding.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国志文"
KEY_POSTS = ("行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管")


def make_unit(db: Path, letters: int):
    from qingqing_desktop.domain.staff import RankCategory, StaffMember  # noqa: PLC0415
    from qingqing_desktop.domain.unit import UnitKind  # noqa: PLC0415
    from qingqing_desktop.services import campaign_service, roster_service, unit_service  # noqa: PLC0415
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415

    session = open_session(db, operator="内勤")
    unit_service.save_unit(session, name="技术科", kind=UnitKind.SECTION, leader="林主任")
    for i in range(letters):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 11 + 3) % len(GIVEN)]
        rank = RankCategory.MIDDLE_CADRE if i % 6 == 0 else RankCategory.STAFF
        roster_service.add_staff(session, StaffMember(name, rank, post=KEY_POSTS[i % len(KEY_POSTS)]))
    campaign_service.create_campaign(session)
    return session


def scanned_batch(session, path: Path, dpi: int, noise: float) -> int:
    from scan_images import Scan, images_to_pdf, render_pages, scanned  # noqa: PLC0415

    from qingqing_desktop.services import document_service  # noqa: PLC0415

    data = document_service.filing_document_data(session, with_key=False)
    pdf = document_service.render_document(data, document_service.DocumentKind.PLEDGES, "pdf")
    rng = random.Random(11)
    images = []
    for number, page in enumerate(render_pages(pdf, dpi)):
        if number % 2 == 0:  # a new sheet: it goes in some way round, a little crooked
            how = Scan(angle=rng.choice((0, 90, 180, 270)), skew=rng.uniform(-2, 2), noise=noise)
        images.append(scanned(page, how, seed=number))
    path.write_bytes(images_to_pdf(images, dpi))
    return len(images)


def floor(path: Path) -> tuple[float, int]:
    """Render each page and let zxing-cpp decode the whole page, nothing else."""
    import pypdfium2 as pdfium  # noqa: PLC0415
    import zxingcpp  # noqa: PLC0415

    start = time.perf_counter()
    found = 0
    doc = pdfium.PdfDocument(str(path))
    for index in range(len(doc)):
        image = doc[index].render(scale=150 / 72, grayscale=True).to_pil()
        found += bool(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    doc.close()
    return time.perf_counter() - start, found


def run(letters: int, dpi: int, noise: float, root: Path) -> None:
    os.environ["QINGQING_DATA_DIR"] = str(root / "data")
    from qingqing_desktop.domain.pledge import PledgeStatus  # noqa: PLC0415
    from qingqing_desktop.services import pledge_scan_import, pledge_service  # noqa: PLC0415

    session = make_unit(root / "unit.sqlite3", letters)
    try:
        batch = root / "scan.pdf"
        start = time.perf_counter()
        pages = scanned_batch(session, batch, dpi, noise)
        made = time.perf_counter() - start
        floor(batch)  # warm both libraries and the file cache before measuring
        floor_time, floor_found = floor(batch)
        start = time.perf_counter()
        plan = pledge_scan_import.plan_scan_import(session, batch)
        plan_time = time.perf_counter() - start
        start = time.perf_counter()
        result = pledge_scan_import.apply_scan_import(session, plan, pledge_scan_import.default_signing_date(plan))
        record_time = time.perf_counter() - start
        signed = [r for r in pledge_service.list_pledges(session) if r.status is PledgeStatus.SIGNED and r.has_scan]
        print(f"{letters} letters, duplex: {pages} pages at {dpi} dpi, noise {noise} "
              f"(batch {batch.stat().st_size / 1024 / 1024:.1f} MB, made in {made:.1f} s)")
        print(f"  floor (render + zxing-cpp on the whole page): {floor_time:.2f} s, "
              f"{1000 * floor_time / pages:.0f} ms/page, codes found on {floor_found} pages")
        print(f"  plan (read, decode with fall-backs, blanks, previews, match): {plan_time:.2f} s, "
              f"{1000 * plan_time / pages:.0f} ms/page — {plan_time / floor_time:.2f}× floor")
        print(f"  matched {len(plan.matched)} people on {plan.matched_pages} pages; blank {len(plan.blank)}, "
              f"unread {len(plan.unmatched)}, elsewhere {len(plan.foreign)}")
        print(f"  record (30 PDFs, backup, one transaction): {record_time:.2f} s — "
              f"{len(result.rows)} recorded, {len(signed)} now 已签订 with their scan")
    finally:
        session.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=30)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--noise", type=float, default=0.2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qq-bench-scans-") as tmp:
        run(args.letters, args.dpi, args.noise, Path(tmp))


if __name__ == "__main__":
    main()
