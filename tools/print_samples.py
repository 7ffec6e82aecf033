"""Render the three attachments for a realistic unit, to look at them as printed.

    python tools/print_samples.py OUT_DIR               # PDFs and Excel files
    python tools/print_samples.py OUT_DIR --png 70      # also every page as PNG at 70 dpi (pdftoppm)

The unit has a long name (it wraps on the letters), people with the job titles that
used to be split mid-word (副主任科员, 办公室主任, 副站长, 党组成员、副局长…), a 附件2
of ``--rows`` people, a 附件3 whose findings the clerk numbered (一、 1. （1）) and a
seal scanned on white paper, prepared as the application prepares it when it is set.
Only the first people's letters are printed (one side each). The faces used are printed first (tools/font_report.py tells more).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import uuid
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qingqing_desktop.documents.filing_data import (  # noqa: E402
    FilingDocumentData,
    FindingEntry,
    PledgeEntry,
    SelfCheckSection,
)
from qingqing_desktop.documents.fonts import font_report  # noqa: E402
from qingqing_desktop.documents.pledge_pdf import write_pledge_letters  # noqa: E402
from qingqing_desktop.documents.selfcheck_pdf import write_selfcheck_pdf  # noqa: E402
from qingqing_desktop.documents.selfcheck_xlsx import write_selfcheck_xlsx  # noqa: E402
from qingqing_desktop.documents.summary_pdf import write_summary_pdf  # noqa: E402
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx  # noqa: E402
from qingqing_desktop.domain.pledge import PledgeStatus  # noqa: E402
from qingqing_desktop.domain.staff import RankCategory  # noqa: E402
from qingqing_desktop.services.seal_service import prepare_seal_image  # noqa: E402
from qingqing_desktop.store.policy_templates import get_template  # noqa: E402

UNIT = "平阳县住房和城乡建设局鳌江住房和城乡建设分局"
LEADER = "林素仙"
STATION = "平阳县建设工程质量安全监督站"
KEY_POSTS = ["行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管"]
# (name, cadre, job title, post): the letters print the first ones
LETTER_PEOPLE = [
    ("陈喆", True, "党组成员、副局长", "分管行政审批、方案设计技术审查、房地产市场监管"),
    ("欧阳明辉", False, "副主任科员", "方案设计技术审查"),
    ("仇立新", True, "办公室主任", "分管办公室日常事务"),
    ("李𡈽", True, "副站长", "分管质量监管、安全监管"),
    ("刘堃", False, "四级主任科员", "建筑市场监管"),
    ("王䶮", False, "一级科员", "房地产市场监管"),
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红"


def people(rows: int) -> tuple[PledgeEntry, ...]:
    out = []
    for i in range(rows):
        if i < len(LETTER_PEOPLE):
            name, cadre, title, post = LETTER_PEOPLE[i]
        else:
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 3 + 1) % len(GIVEN)]
            cadre, title, post = i % 9 == 0, "科员", KEY_POSTS[i % 8]
        rank = RankCategory.MIDDLE_CADRE if cadre else RankCategory.STAFF
        out.append(PledgeEntry(staff_id=str(uuid.uuid5(uuid.NAMESPACE_OID, f"sample-{i}")), name=name, rank=rank, post=post, party_member=i % 3 != 0,
                               status=PledgeStatus.SIGNED, required=True, title=title))
    return tuple(out)


def sections(template) -> tuple[SelfCheckSection, ...]:
    rows = template.self_check.rows
    first = (
        FindingEntry("一、对企业咨询答复不够及时，个别事项超过承诺时限", "1. 建立首问负责制，限时答复", "张伟",
                     dt.date(2019, 4, 30)),
        FindingEntry("（2）部分审批事项办理时限偏长", "②压缩审批时限，推行并联审批", "李𡈽", dt.date(2019, 5, 31)),
    )
    third = (FindingEntry("对外交往报备制度不完善", "完善对外交往报备制度", "王䶮", dt.date(2019, 6, 30)),)
    return (SelfCheckSection(rows[0], False, first), SelfCheckSection(rows[1], True, ()),
            SelfCheckSection(rows[2], False, third))


def scanned_seal() -> bytes:
    """A red seal on white paper, as a scanner gives it (no transparency)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 420), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, 408, 408), outline=(210, 30, 30), width=16)
    draw.regular_polygon((210, 210, 70), 5, rotation=90, fill=(210, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def sample(rows: int) -> FilingDocumentData:
    template = get_template("pingyang-2019")
    ids = {"unit_id": str(uuid.uuid5(uuid.NAMESPACE_OID, "sample-unit")),
           "campaign_id": str(uuid.uuid5(uuid.NAMESPACE_OID, "sample-campaign"))}
    known = {f.name for f in dataclasses.fields(FilingDocumentData)}  # (older versions had no ids)
    return FilingDocumentData(
        template=template, **{k: v for k, v in ids.items() if k in known}, unit_name=UNIT, leader=LEADER,
        campaign_title="平阳县住房和城乡建设局“三清单一承诺”行动（2019）", document_number="平住建发〔2019〕27号",
        deadline=dt.date(2019, 3, 14), revision=1, finalised=True, pledges=people(rows), self_check=sections(template),
        filled_on=dt.date(2019, 3, 5), seal_image=prepare_seal_image(scanned_seal(), "印章.jpg"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=40, help="people on 附件2 (default 40)")
    parser.add_argument("--png", type=int, metavar="DPI", help="also render every page as PNG (needs pdftoppm)")
    args = parser.parse_args(argv)
    print("\n".join(font_report()))
    args.out.mkdir(parents=True, exist_ok=True)
    data = sample(args.rows)
    letters = dataclasses.replace(data, pledges=data.pledges[:len(LETTER_PEOPLE)])
    # a unit name that ends the first line of 承诺人单位及职务 inside the job title
    station = dataclasses.replace(letters, unit_name=STATION)
    outputs = {
        "附件1.pdf": lambda out, _data: write_pledge_letters(out, letters, duplex=False),
        "附件1-站.pdf": lambda out, _data: write_pledge_letters(out, station, duplex=False),
        "附件2.pdf": write_summary_pdf,
        "附件2.xlsx": write_summary_xlsx,
        "附件3.pdf": write_selfcheck_pdf,
        "附件3.xlsx": write_selfcheck_xlsx,
    }
    for name, write in outputs.items():
        write(args.out / name, data)
        print(args.out / name)
    if args.png:
        if not shutil.which("pdftoppm"):
            print("pdftoppm not found (apt-get install poppler-utils)", file=sys.stderr)
            return 1
        for name in outputs:
            if name.endswith(".pdf"):
                subprocess.run(["pdftoppm", "-r", str(args.png), "-png", str(args.out / name),
                                str(args.out / Path(name).stem)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
