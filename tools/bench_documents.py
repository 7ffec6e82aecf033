"""Rendering times of the filing documents for a 40-person and a 1,000-person unit.

    python tools/bench_documents.py [--sizes 40 1000] [--repeat 3]

Renders into memory (no disk) from generated data: every person must sign and has
signed, every sixth is a cadre; the 自查表 has two findings of 200 characters in its
first row, “无” in the second and one short finding in the third. Prints the best of
``--repeat`` runs in seconds, and the page counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from qingqing_desktop.cli.output import print_table  # noqa: E402
from qingqing_desktop.documents.fonts import font_chain  # noqa: E402
from qingqing_desktop.documents.filing_data import (  # noqa: E402
    FilingDocumentData,
    FindingEntry,
    PledgeEntry,
    SelfCheckSection,
)
from qingqing_desktop.documents.pledge_pdf import write_pledge_letters  # noqa: E402
from qingqing_desktop.documents.selfcheck_pdf import write_selfcheck_pdf  # noqa: E402
from qingqing_desktop.documents.selfcheck_xlsx import write_selfcheck_xlsx  # noqa: E402
from qingqing_desktop.documents.summary_pdf import write_summary_pdf  # noqa: E402
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx  # noqa: E402
from qingqing_desktop.domain.pledge import PledgeStatus  # noqa: E402
from qingqing_desktop.domain.staff import RankCategory  # noqa: E402
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template  # noqa: E402

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红喆堃"
POSTS = ("行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管")
FINDING = (
    "在窗口受理环节，存在个别工作人员对企业咨询答复不够及时、一次性告知不到位的情况，导致部分企业多次往返补充材料；"
    "同时“最多跑一次”改革宣传不够深入，部分企业对网上办理流程不熟悉，仍习惯到窗口现场办理，影响了办事效率和企业获得感，"
    "需进一步加强对窗口人员的业务培训和作风建设，并健全首问负责、限时办结、一次性告知等制度，切实提升服务水平。"
)[:200]


def unit_data(size: int) -> FilingDocumentData:
    template = get_template(DEFAULT_TEMPLATE_ID)
    people = tuple(
        PledgeEntry(
            staff_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench:{i}")),
            name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)],
            rank=RankCategory.MIDDLE_CADRE if i % 6 == 0 else RankCategory.STAFF,
            post=f"分管{POSTS[i % 8]}、{POSTS[(i + 3) % 8]}" if i % 6 == 0 else POSTS[i % 8],
            party_member=i % 3 != 0,
            status=PledgeStatus.SIGNED,
            required=True,
            title="科长" if i % 6 == 0 else "科员",
        )
        for i in range(size)
    )
    rows = template.self_check.rows
    long = FindingEntry(FINDING, FINDING, "张伟", dt.date(2019, 4, 30))
    short = FindingEntry("对外交往报备制度不健全", "完善对外交往报备制度", "李强", dt.date(2019, 6, 30))
    return FilingDocumentData(
        template=template, unit_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "bench:unit")),
        campaign_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "bench:campaign")), unit_name="技术科", leader="林主任", campaign_title=template.name,
        document_number=template.document_number, deadline=dt.date(2019, 3, 14), revision=1, finalised=True,
        pledges=people, filled_on=dt.date(2019, 3, 14),
        self_check=(SelfCheckSection(rows[0], False, (long, long)), SelfCheckSection(rows[1], True, ()),
                    SelfCheckSection(rows[2], False, (short,))),
    )


RENDERERS = (
    ("附件1 承诺书 PDF（双面）", write_pledge_letters, True),
    ("附件2 汇总表 PDF", write_summary_pdf, True),
    ("附件2 汇总表 Excel", write_summary_xlsx, False),
    ("附件3 自查表 PDF", write_selfcheck_pdf, True),
    ("附件3 自查表 Excel", write_selfcheck_xlsx, False),
)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?!s)", pdf))


def baseline(out: io.BytesIO, data: FilingDocumentData) -> None:
    """The floor: the same people as plain lines on A4 pages, one embedded font, no layout at all.

    Ratios against it (measured in the same run, on the same machine) say what the
    forms' layout costs, independent of how fast the machine is.
    """
    font = font_chain("song").primary
    pdf = canvas.Canvas(out, pagesize=A4)
    for number, entry in enumerate(data.pledges, 1):
        if number > 1 and number % 40 == 1:
            pdf.showPage()
        pdf.setFont(font, 12)
        pdf.drawString(60, 800 - 18 * ((number - 1) % 40), f"{number} {entry.name} {entry.rank.value} {entry.post}")
    pdf.save()


def _best_of(repeat: int, render, data) -> tuple[float, bytes]:
    best, out = float("inf"), io.BytesIO()
    for _ in range(repeat):
        out = io.BytesIO()
        start = time.perf_counter()
        render(out, data)
        best = min(best, time.perf_counter() - start)
    return best, out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    # The first render loads and subsets the fonts: do it once outside the timings.
    write_summary_pdf(io.BytesIO(), unit_data(3))
    datasets = {size: unit_data(size) for size in args.sizes}
    floors = {size: _best_of(args.repeat, baseline, data)[0] for size, data in datasets.items()}
    table = [["基线：逐行写入纯文本", *(f"{floors[n]:.3f}" for n in args.sizes), *("1.0" for _ in args.sizes), "—"]]
    for label, render, is_pdf in RENDERERS:
        times, ratios, pages = [], [], []
        for size, data in datasets.items():
            best, pdf = _best_of(args.repeat, render, data)
            times.append(f"{best:.3f}")
            ratios.append(f"{best / floors[size]:.1f}")
            pages.append(str(_pages(pdf)) if is_pdf else "—")
        table.append([label, *times, *ratios, " / ".join(pages)])
    print_table(
        ["文件", *(f"{n}人（秒）" for n in args.sizes), *(f"{n}人（×基线）" for n in args.sizes), "页数"], table
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
