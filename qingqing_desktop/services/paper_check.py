"""纪委（监察室）: checking stamped paper against the filings received (DESIGN.md, Paper loop).

Every page of a unit's 附件2/附件3 carries a paper code: unit, campaign, revision,
whether it was a draft, the start of the content hash and, on 附件2, of the unit
key's fingerprint. A scan of the stamped pages (one PDF or a folder of images) is
read page by page (``exchange.scans``) and each page is compared with what the
office holds for that unit and campaign:

- 与报送数据一致 — the revision received and the same content;
- 版本较旧（已收到第n版）— the paper is of an earlier revision than the one received;
- 版本较新（只收到第n版）— the unit printed a revision it has not delivered yet;
- 校验码不符 — same revision, other content (or a draft printed before 定稿);
- 未收到该单位的报送 — no filing of that unit (for that campaign) in this database.

附件2's fingerprint is compared with the key pinned for the unit. Nothing is written.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.paper_code import FormCode, FormKind, LetterCode, hash_prefix
from qingqing_desktop.exchange import scans
from qingqing_desktop.exchange.scans import ScanBatch, ScannedPage, ScanReadingCancelled, UnreadableFile
from qingqing_desktop.services.office_service import require_office
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import campaigns
from qingqing_desktop.store import office as store
from qingqing_desktop.store.office import OfficeUnit

__all__ = ["ScanReadingCancelled", "PaperVerdict", "KeyCheck", "PageCheck", "PaperCheckReport", "check_paper"]

Progress = Callable[[int, str], None]
Cancelled = Callable[[], bool]


class PaperVerdict(str, enum.Enum):
    CONSISTENT = "与报送数据一致"
    OLDER = "版本较旧"
    NEWER = "版本较新"
    MISMATCH = "校验码不符"
    NOT_RECEIVED = "未收到该单位的报送"
    NOT_A_FORM = "不是附件2或附件3"
    NO_CODE = "未识别二维码"
    BLANK = "空白页"

    @property
    def good(self) -> bool:
        return self is PaperVerdict.CONSISTENT

    @property
    def needs_attention(self) -> bool:
        """Paper that does not match what was received (as opposed to pages that are not forms)."""
        return self in (PaperVerdict.OLDER, PaperVerdict.NEWER, PaperVerdict.MISMATCH, PaperVerdict.NOT_RECEIVED)


class KeyCheck(str, enum.Enum):
    NONE = ""  # not a 附件2
    MATCHES = "密钥指纹一致"
    DIFFERS = "密钥指纹不符"
    NOT_PINNED = "尚未登记该单位的密钥"
    NOT_PRINTED = "纸面未印密钥指纹"


@dataclass(frozen=True)
class PageCheck:
    """One scanned page and how it compares. ``text`` is the verdict as shown (with the revision
    received where it matters); ``detail`` explains it, a line each (why, what the paper says, what
    was received); ``unit`` is the office's unit, for its detail."""

    page: ScannedPage
    verdict: PaperVerdict
    text: str
    detail: str = ""
    form: FormKind | None = None
    revision: int | None = None
    unit: OfficeUnit | None = None
    unit_label: str = ""
    campaign_id: str | None = None
    campaign_title: str = ""
    key: KeyCheck = KeyCheck.NONE


@dataclass(frozen=True)
class PaperCheckReport:
    batch: ScanBatch
    pages: tuple[PageCheck, ...]

    @property
    def source(self) -> Path:
        return self.batch.source

    @property
    def unreadable_files(self) -> tuple[UnreadableFile, ...]:
        return self.batch.unreadable

    def count(self, verdict: PaperVerdict) -> int:
        return sum(p.verdict is verdict for p in self.pages)

    def summary(self) -> str:
        """“共3页：与报送数据一致 2页，版本较旧 1页”."""
        counts = [f"{v.value} {self.count(v)}页" for v in PaperVerdict if self.count(v)]
        text = f"共{len(self.pages)}页" + ("：" + "，".join(counts) if counts else "")
        keys = sum(p.key is KeyCheck.DIFFERS for p in self.pages)
        if keys:
            text += f"；{keys}页的密钥指纹与登记的不符"
        if self.unreadable_files:
            text += f"；{len(self.unreadable_files)}个文件无法读取"
        return text


def _short(full_hash: str | None) -> str:
    return hash_prefix(full_hash)[:12].lower() if full_hash else "—"


def _key_check(code: FormCode, unit: OfficeUnit) -> KeyCheck:
    if code.kind is not FormKind.SUMMARY:
        return KeyCheck.NONE
    if not code.key_fingerprint:
        return KeyCheck.NOT_PRINTED
    if not unit.fingerprint:
        return KeyCheck.NOT_PINNED
    return KeyCheck.MATCHES if code.fingerprint_matches(unit.fingerprint) else KeyCheck.DIFFERS


def _check_form(session: Session, page: ScannedPage, code: FormCode) -> PageCheck:
    unit = store.unit_by_unit_id(session.store, code.unit_id)
    campaign = campaigns.get(session.store, code.campaign_id)
    base = dict(page=page, form=code.kind, revision=code.revision, unit=unit,
                # The code carries the unit's own id, learnt from its first package: a unit on the list that
                # never delivered is unknown here, not unregistered
                unit_label=unit.name if unit else "（尚未报送过的单位）", campaign_id=code.campaign_id,
                campaign_title=campaign.title if campaign else "")
    printed = f"纸面：第{code.revision}版{'（草稿）' if code.draft else ''}，校验码 {code.content_hash[:12].lower()}"
    if unit is None or campaign is None:
        why = "尚未收到过该单位的报送包（单位名称见页面）" if unit is None else "本数据库中没有这次行动"
        return PageCheck(verdict=PaperVerdict.NOT_RECEIVED, text=PaperVerdict.NOT_RECEIVED.value,
                         detail=f"{why}\n{printed}", **base)
    key = _key_check(code, unit)
    current = store.current_delivery(session.store, campaign.id, unit.id)
    if current is None:
        return PageCheck(verdict=PaperVerdict.NOT_RECEIVED, text=PaperVerdict.NOT_RECEIVED.value,
                         detail=f"该单位在{campaign.quoted_title}中还没有报送\n{printed}", key=key, **base)
    received = f"已收到：第{current.revision}版，校验码 {_short(current.content_sha256)}"
    if code.revision < current.revision:
        earlier = [d for d in store.deliveries(session.store, campaign.id, unit.id) if d.revision == code.revision]
        same = any(code.hash_matches(d.content_sha256) for d in earlier)
        note = f"（与曾收到的第{code.revision}版一致）" if same else ""
        return PageCheck(verdict=PaperVerdict.OLDER, text=f"版本较旧（已收到第{current.revision}版）",
                         detail=f"{printed}{note}\n{received}", key=key, **base)
    if code.revision > current.revision:
        return PageCheck(verdict=PaperVerdict.NEWER, text=f"版本较新（只收到第{current.revision}版）",
                         detail=f"单位打印了尚未报送的版本，请其报送\n{printed}\n{received}", key=key, **base)
    if code.draft:
        return PageCheck(verdict=PaperVerdict.MISMATCH, text=PaperVerdict.MISMATCH.value,
                         detail=f"这是定稿前打印的草稿，盖章的应是定稿后打印的页面\n{printed}\n{received}", key=key,
                         **base)
    if not code.hash_matches(current.content_sha256):
        return PageCheck(verdict=PaperVerdict.MISMATCH, text=PaperVerdict.MISMATCH.value,
                         detail=f"同一版本，内容与收到的报送不同\n{printed}\n{received}", key=key, **base)
    return PageCheck(verdict=PaperVerdict.CONSISTENT, text=PaperVerdict.CONSISTENT.value,
                     detail=f"{printed}\n{received}", key=key, **base)


def check_page(session: Session, page: ScannedPage) -> PageCheck:
    if page.blank:
        return PageCheck(page, PaperVerdict.BLANK, PaperVerdict.BLANK.value)
    if page.code is None:
        return PageCheck(page, PaperVerdict.NO_CODE, PaperVerdict.NO_CODE.value, page.problem)
    if isinstance(page.code, LetterCode):
        return PageCheck(page, PaperVerdict.NOT_A_FORM, PaperVerdict.NOT_A_FORM.value, "这是承诺书（附件1）的页面")
    return _check_form(session, page, page.code)


def check_paper(session: Session, source: Path | str, *, progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> PaperCheckReport:
    """Read the scans at ``source`` and compare every page with the filings received (writes nothing)."""
    require_office(session)
    batch = scans.read_batch(source, progress=progress, cancelled=cancelled)
    return PaperCheckReport(batch, tuple(check_page(session, page) for page in batch.pages))
