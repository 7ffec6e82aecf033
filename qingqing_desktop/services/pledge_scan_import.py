"""承诺书 scan import: the signed letters come back as one scanned batch and are filed in one step.

Every 附件1 letter carries a paper code (campaign, person, letter id, page). The batch
is read (``exchange.scans``), and a *plan* is made before anything is written, as the
roster import does: the people matched with their pages (the pages of one person's
letter kept together as that person's scan), the pages without a readable code (the
clerk may assign them by hand), the pages whose code belongs elsewhere (another
campaign, someone not on this unit's roster, a 附件2/附件3 page — reported, never
matched), and the empty backs of letters printed double-sided.

Applying the plan marks everyone in it 已签订 (on one signing date asked for the
batch, the scan's date by default; someone already 已签订 keeps their date) and
attaches their pages as one small PDF — after a backup, in one transaction
(``pledge_service.sign_with_scans``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.paper_code import FormCode, LetterCode, letter_number
from qingqing_desktop.domain.pledge import PledgeRow, PledgeScan, PledgeStatus, check_scan
from qingqing_desktop.domain.text import quoted
from qingqing_desktop.exchange import scans
from qingqing_desktop.exchange.scans import ScanBatch, ScannedPage, ScanReadingCancelled, UnreadableFile
from qingqing_desktop.services import backup_service, pledge_service
from qingqing_desktop.services.campaign_service import campaign_and_unit
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import campaigns, filings

__all__ = [
    "ScanReadingCancelled",
    "MatchedPerson",
    "SetAsidePage",
    "ScanImportPlan",
    "PersonScan",
    "ScanImportResult",
    "plan_scan_import",
    "assign_pages",
    "build_scans",
    "apply_scan_import",
]

Progress = Callable[[int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class MatchedPerson:
    """Someone whose signed letter is in the batch, with its pages in letter order.

    ``row`` is the person's pledge row now (status, date, scan). ``by_hand``: at least
    one page was assigned by the clerk. ``notes``: what the clerk should know (replacing a
    scan, two copies of the letter, a page missing, a status other than 未签订).
    """

    row: PledgeRow
    pages: tuple[ScannedPage, ...]
    by_hand: bool = False

    @property
    def staff_id(self) -> str:
        return self.row.staff_id

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def letters(self) -> tuple[str, ...]:
        """The letter numbers (承诺书编号) of the pages read by code, in order."""
        seen = dict.fromkeys(letter_number(p.code.letter_id) for p in self.pages if isinstance(p.code, LetterCode))
        return tuple(seen)

    @property
    def notes(self) -> tuple[str, ...]:
        row, notes = self.row, []
        if row.status is PledgeStatus.SIGNED and row.signed_on:
            notes.append(f"已登记已签订（{chinese_date(row.signed_on)}），保留原签订日期")
        elif row.status is not PledgeStatus.UNSIGNED:
            notes.append(f"原为“{row.status.value}”，将改为已签订")
        if row.has_scan:
            notes.append("将替换原有扫描件")
        if len(self.letters) > 1:
            notes.append(f"扫描到{len(self.letters)}份承诺书（编号 {'、'.join(self.letters)}），全部页面一并保存")
        for letter in self.letters:
            numbers = sorted({p.code.page for p in self.pages
                              if isinstance(p.code, LetterCode) and letter_number(p.code.letter_id) == letter})
            missing = [n for n in range(1, numbers[-1]) if n not in numbers]
            if missing:
                notes.append(f"承诺书 {letter} 缺第{'、'.join(map(str, missing))}页")
        if self.by_hand:
            notes.append("含手工指定的页面")
        return tuple(notes)


@dataclass(frozen=True)
class SetAsidePage:
    """A page not filed by its code, and why; ``after``: whose page came just before it
    (a hint for assigning it by hand), "" if none."""

    page: ScannedPage
    reason: str
    after: str = ""


@dataclass(frozen=True)
class ScanImportPlan:
    campaign_id: str
    campaign_title: str
    batch: ScanBatch
    matched: tuple[MatchedPerson, ...]
    unmatched: tuple[SetAsidePage, ...]  # no readable code: may be assigned by hand
    foreign: tuple[SetAsidePage, ...]  # another campaign, another unit, not a letter: never matched
    blank: tuple[ScannedPage, ...]
    candidates: tuple[PledgeRow, ...]  # everyone a page may be assigned to by hand

    @property
    def source(self) -> Path:
        return self.batch.source

    @property
    def unreadable_files(self) -> tuple[UnreadableFile, ...]:
        return self.batch.unreadable

    @property
    def page_count(self) -> int:
        return len(self.batch.pages)

    @property
    def matched_pages(self) -> int:
        return sum(len(m.pages) for m in self.matched)

    def summary(self) -> str:
        """“共60页：30人已匹配（30页），空白页30页，未识别0页，不属于本次0页”."""
        text = (f"共{self.page_count}页：{len(self.matched)}人已匹配（{self.matched_pages}页），"
                f"空白页{len(self.blank)}页，未识别二维码{len(self.unmatched)}页，不属于本行动或本单位{len(self.foreign)}页")
        if self.unreadable_files:
            text += f"；{len(self.unreadable_files)}个文件无法读取"
        return text


# --------------------------------------------------------------------------- planning


def _foreign_reason(session: Session, code, campaign_id: str, roster: Mapping[str, PledgeRow]) -> str | None:
    """Why a page with a code of ours is not filed here; None: it is a letter of this campaign."""
    if isinstance(code, FormCode):
        return f"这是{code.kind.label}的页面，不是承诺书"
    if code.campaign_id != campaign_id:
        other = campaigns.get(session.store, code.campaign_id)
        return f"其他行动{other.quoted_title}的承诺书" if other else "其他行动的承诺书（本数据库中没有该行动）"
    if code.staff_id not in roster:
        return "不是本单位人员名单中的人员的承诺书"
    return None


def _order(page: ScannedPage, first_seen: Mapping[str, int]) -> tuple:
    return (first_seen[page.code.letter_id], page.code.page, page.number)


def plan_scan_import(session: Session, source: Path | str, *, progress: Progress | None = None,
                     cancelled: Cancelled | None = None, campaign_id: str | None = None) -> ScanImportPlan:
    """Read the batch at ``source`` (a PDF, an image, or a folder of them) and match its pages;
    writes nothing. Refused at once when the filing is 定稿 (nothing could be recorded)."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    filings.status(session.store, campaign.id, unit.id).check_editable()
    batch = scans.read_batch(source, progress=progress, cancelled=cancelled)
    rows = pledge_service.list_pledges(session, campaign_id=campaign.id)
    roster = {r.staff_id: r for r in rows}
    by_person: dict[str, list[ScannedPage]] = {}
    unmatched, foreign, blank = [], [], []
    previous = ""
    for page in batch.pages:
        if page.blank:
            blank.append(page)
            continue
        if page.code is None:
            unmatched.append(SetAsidePage(page, page.problem, previous))
            continue
        reason = _foreign_reason(session, page.code, campaign.id, roster)
        if reason:
            foreign.append(SetAsidePage(page, reason))
            previous = ""
            continue
        by_person.setdefault(page.code.staff_id, []).append(page)
        previous = roster[page.code.staff_id].name
    first_seen: dict[str, int] = {}  # letter id → the batch page it first appears on
    for pages in by_person.values():
        for page in pages:
            first_seen.setdefault(page.code.letter_id, page.number)
    matched = [MatchedPerson(roster[staff_id], tuple(sorted(pages, key=lambda p: _order(p, first_seen))))
               for staff_id, pages in by_person.items()]
    matched.sort(key=lambda m: m.pages[0].number)
    return ScanImportPlan(campaign.id, campaign.title, batch, tuple(matched), tuple(unmatched), tuple(foreign),
                          tuple(blank), tuple(rows))


def assign_pages(plan: ScanImportPlan, assignments: Mapping[int, str | None]) -> ScanImportPlan:
    """The plan with pages without a code assigned by hand (page number → staff id; None takes an
    assignment back). A page goes after the person's own pages. Only pages of ``unmatched`` can be
    assigned; a page from another campaign or unit never is."""
    loose = {item.page.number: item for item in plan.unmatched}
    people = {r.staff_id: r for r in plan.candidates}
    matched = {m.staff_id: m for m in plan.matched}
    for number, staff_id in assignments.items():
        if number not in loose:
            raise InputRejected(f"第{number}页不是未识别的页面，不能手工指定。", Location(field="页面"))
        if staff_id is None:
            continue
        if staff_id not in people:
            raise InputRejected("只能指定给本单位人员名单中的人员。", Location(field="人员"))
        page = loose.pop(number).page
        current = matched.get(staff_id) or MatchedPerson(people[staff_id], ())
        matched[staff_id] = replace(current, pages=current.pages + (page,), by_hand=True)
    ordered = sorted(matched.values(), key=lambda m: m.pages[0].number)
    return replace(plan, matched=tuple(ordered), unmatched=tuple(loose.values()))


# --------------------------------------------------------------------------- applying


@dataclass(frozen=True)
class PersonScan:
    staff_id: str
    name: str
    scan: PledgeScan


def build_scans(plan: ScanImportPlan, *, progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> list[PersonScan]:
    """Each matched person's pages as one PDF, checked as any scan is (type, 10 MB)."""
    out = []
    for index, person in enumerate(plan.matched):
        if cancelled is not None and cancelled():
            raise ScanReadingCancelled()
        if progress is not None:
            progress(100 * index // max(len(plan.matched), 1), f"正在整理{person.name}的签字页…")
        data = scans.pages_pdf(person.pages)
        out.append(PersonScan(person.staff_id, person.name, check_scan(data, f"{person.name}_承诺书签字页.pdf")))
    return out


@dataclass(frozen=True)
class ScanImportResult:
    rows: tuple[PledgeRow, ...]
    pages: int
    backup_path: Path | None


def record_reason(plan: ScanImportPlan) -> str:
    return f"承诺书扫描件批量导入（{plan.source.name}）"


def apply_scan_import(session: Session, plan: ScanImportPlan, signed_on: dt.date | str, *,
                      person_scans: Sequence[PersonScan] | None = None, today: dt.date | None = None
                      ) -> ScanImportResult:
    """Record the plan: everyone matched becomes 已签订 with their pages attached — after a
    backup, in one transaction. ``person_scans``: already built by ``build_scans``."""
    if not plan.matched:
        raise InputRejected("没有与本单位人员匹配的签字页，没有登记任何内容。", Location(file=str(plan.source)))
    built = list(person_scans) if person_scans is not None else build_scans(plan)
    backup_path = backup_service.backup_before_import(session, f"承诺书扫描件{quoted(plan.source.name)}")
    rows = pledge_service.sign_with_scans(session, [(p.staff_id, p.scan) for p in built], signed_on,
                                          reason=record_reason(plan), today=today, campaign_id=plan.campaign_id)
    return ScanImportResult(tuple(rows), plan.matched_pages, backup_path)


def default_signing_date(plan: ScanImportPlan, today: dt.date | None = None) -> dt.date:
    """The date the batch was scanned (never after today), else today."""
    today = today or dt.date.today()
    scanned = plan.batch.scanned_on
    return scanned if scanned is not None and scanned <= today else today
