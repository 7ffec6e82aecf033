"""Filing data and PDF read-back helpers shared by the filing document tests."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from qingqing_desktop.documents.cjk_text import CLOSING
from qingqing_desktop.documents.filing_data import FilingDocumentData, FindingEntry, PledgeEntry, SelfCheckSection
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.domain.staff import RankCategory
from qingqing_desktop.store.policy_templates import get_template

CADRE, STAFF = RankCategory.MIDDLE_CADRE, RankCategory.STAFF
SIGNED, UNSIGNED = PledgeStatus.SIGNED, PledgeStatus.UNSIGNED
BEFORE, NOT_APPLICABLE = PledgeStatus.SUBMITTED_BEFORE, PledgeStatus.NOT_APPLICABLE
KEY_POSTS = ["行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管"]
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红喆堃"


UNIT_ID = "6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b"
CAMPAIGN_ID = "0b8e5c4d-2f1a-4b3c-9d8e-7f6a5b4c3d2e"


def sample_id(key: str) -> str:
    """A stable UUID for a sample person (paper codes carry UUIDs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"qingqing-sample:{key}"))


def template():
    return get_template("pingyang-2019")


def entry(name, rank=STAFF, post="质量监管", status=SIGNED, *, required=True, title="", party=True, staff_id=None):
    return PledgeEntry(staff_id=staff_id or sample_id(name), name=name, rank=rank, post=post, party_member=party,
                       status=status, required=required, title=title)


def people(n: int) -> tuple[PledgeEntry, ...]:
    """``n`` signed people with one-line posts (as a real unit's), every sixth a cadre, and the
    two rare-character names 李𡈽 and 王䶮 among them; names are unique."""
    out, seen = [], set()
    for i in range(n):
        if i == 3:
            name = "李𡈽"
        elif i == 5:
            name = "王䶮"
        else:
            k = i
            name = _SURNAMES[k % len(_SURNAMES)] + _GIVEN[(k * 7) % len(_GIVEN)] + _GIVEN[(k * 3 + 1) % len(_GIVEN)]
            while name in seen:
                k += 1
                name = name[:2] + _GIVEN[k % len(_GIVEN)]
        seen.add(name)
        cadre = i % 6 == 0
        out.append(entry(name, CADRE if cadre else STAFF,
                         f"分管{KEY_POSTS[i % 8]}、{KEY_POSTS[(i + 3) % 8]}" if cadre else KEY_POSTS[i % 8],
                         title="科长" if cadre else ("科员" if i % 2 else ""), party=i % 3 != 0,
                         staff_id=sample_id(f"{i:05d}")))
    return tuple(out)


def sections(*, long: str | None = None) -> tuple[SelfCheckSection, ...]:
    rows = template().self_check.rows
    first = (
        FindingEntry("对企业咨询答复不够及时" if long is None else long, "建立首问负责制，限时答复", "张伟",
                     dt.date(2019, 4, 30), "整改中"),
        FindingEntry("部分审批事项办理时限偏长", "压缩审批时限，推行并联审批", "李𡈽", dt.date(2019, 5, 31), "已完成"),
    )
    third = (FindingEntry('=HYPERLINK("http://x","点我")', "+完善对外交往报备制度", "王䶮", dt.date(2019, 6, 30)),)
    return (SelfCheckSection(rows[0], False, first), SelfCheckSection(rows[1], True, ()),
            SelfCheckSection(rows[2], False, third))


def filing(n: int = 6, **changes) -> FilingDocumentData:
    values = dict(
        template=template(), unit_id=UNIT_ID, campaign_id=CAMPAIGN_ID, unit_name="技术科", leader="林主任",
        campaign_title="平阳县住房和城乡建设局“三清单一承诺”行动（2019）", document_number="平住建发〔2019〕27号",
        deadline=dt.date(2019, 3, 14), revision=1, finalised=False, pledges=people(n), self_check=sections(),
        filled_on=dt.date(2019, 3, 5),
    )
    values.update(changes)
    return FilingDocumentData(**values)


def png_seal() -> bytes:
    """A small red ring with a transparent background, as a seal scan would be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, 116, 116), outline=(220, 30, 30, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- reading PDFs back


def _source(pdf):
    return io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf)


def table_area(page):
    """The page without its footer band: the QR code's squares are rectangles too, and
    pdfplumber's table finder would snap their edges onto a table's border next to them."""
    from qingqing_desktop.documents.stamp import PRINTER_MARGIN, QR_SIZE

    return page.crop((0, 0, page.width, page.height - PRINTER_MARGIN - QR_SIZE - 1))


def page_texts(pdf) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(_source(pdf)).pages]


def compact(text: str) -> str:
    """Text without any whitespace: wrapped lines and the document's own spacing compare equal."""
    return re.sub(r"\s+", "", text)


def all_text(pdf) -> str:
    return compact("".join(page_texts(pdf)))


def metadata(pdf) -> dict:
    return dict(pypdf.PdfReader(_source(pdf)).metadata)


def page_count(pdf) -> int:
    return len(pypdf.PdfReader(_source(pdf)).pages)


def assert_fonts_embedded(pdf) -> None:
    """Every font any page uses is an embedded TrueType subset; none is a base-14 font."""
    reader = pypdf.PdfReader(_source(pdf))
    seen = 0
    for page in reader.pages:
        resources = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            assert "Helvetica" not in name and "Times" not in name and "Courier" not in name, name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
            seen += 1
    assert seen


def text_lines(pdf) -> list[list[str]]:
    """The text lines of each page, as pdfplumber groups characters by position."""
    with pdfplumber.open(_source(pdf)) as doc:
        return [[line["text"] for line in page.extract_text_lines()] for page in doc.pages]


PAGE_NUMBER = re.compile(r"^— \d+ —$")  # GB/T 9704's page number starts with its dash on purpose


def assert_no_line_starts_with_closing_punctuation(pdf) -> None:
    checked = 0
    for number, lines in enumerate(text_lines(pdf), start=1):
        for line in lines:
            text = line.strip()
            if not text or PAGE_NUMBER.match(text):
                continue
            assert text[0] not in CLOSING, f"page {number}: line starts with {text[0]!r}: {text}"
            checked += 1
    assert checked


def large_chars(pdf, minimum: float = 60.0) -> list[str]:
    """Characters drawn at ``minimum`` points or more (the 草稿 watermark), page by page joined."""
    with pdfplumber.open(_source(pdf)) as doc:
        return ["".join(c["text"] for c in page.chars if c["size"] >= minimum) for page in doc.pages]


def assert_seed_lines_in(text: str, lines: list[str]) -> None:
    """Each seed line's words (the parts between its blanks, which the forms fill in) appear
    in ``text`` in the seed's order."""
    for line in lines:
        position = 0
        for part in line.split():
            found = text.find(part, position)
            assert found >= 0, f"{part!r} of seed line {line!r} missing or out of order"
            position = found + len(part)


def seed_attachment(number: int) -> list[str]:
    """The non-empty lines of 附件``number`` in seed 000, as the seed writes them."""
    files = sorted(SEEDS.glob("000_*.txt"))
    if not files:
        pytest.skip(f"seed 000 not found under {SEEDS}")
    lines = files[0].read_text(encoding="utf-8").splitlines()
    start = lines.index(f"附件{number}：")
    end = next((i for i in range(start + 1, len(lines)) if lines[i] == f"附件{number + 1}："), len(lines))
    return [line.strip() for line in lines[start:end] if line.strip()]
