"""What the filing renderers print: one frozen snapshot of a unit's filing for a campaign.

The renderers (附件1 ``pledge_pdf``, 附件2 ``summary_pdf``/``summary_xlsx``, 附件3
``selfcheck_pdf``/``selfcheck_xlsx``) read nothing but a :class:`FilingDocumentData`:
no database, no services. ``services.document_service`` builds it from the
campaign, the unit, the pledge list and the 自查表 (from the filed snapshot once
the filing is 定稿), and tests build it directly.

Texts printed on the forms (pledge, table titles, columns, 填报说明) come from
``template``, the campaign's policy template; this module only holds the data.

Pure: no I/O and no Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.pledge import PledgeStatus, summary_table_order
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.staff import RankCategory

__all__ = ["PledgeEntry", "FindingEntry", "SelfCheckSection", "FilingDocumentData"]


@dataclass(frozen=True)
class PledgeEntry:
    """One person of the pledge list as the forms need them.

    ``title`` is the real job title (科长, 科员) when the roster has one; ``rank``
    is the category word the 汇总表's 职务 column takes; ``post`` is 分管工作 for
    middle cadres and the work post for staff. ``required``: must sign in this
    campaign (the template's rule or a clerk's override, as the pledge list shows).
    """

    staff_id: str
    name: str
    rank: RankCategory
    post: str
    party_member: bool
    status: PledgeStatus
    required: bool
    title: str = ""

    @property
    def needs_letter(self) -> bool:
        """附件1 is printed for everyone who signs in this campaign: those who must and
        have not yet, and those already recorded as 已签订 (a reprint). People who
        handed a pledge in before (此前已上交) or to whom it does not apply get none."""
        if self.status is PledgeStatus.SIGNED:
            return True
        return self.status is PledgeStatus.UNSIGNED and self.required

    @property
    def outstanding(self) -> bool:
        """Must sign and has not yet: the letters still to hand out."""
        return self.required and self.status is PledgeStatus.UNSIGNED


@dataclass(frozen=True)
class FindingEntry:
    """问题条目 as written on the 自查表.

    ``state`` (整改中/已完成/逾期) is rectification follow-up after filing: it is
    carried for callers that show it, but it is neither printed on 附件3 nor part
    of the content hash (domain/selfcheck.py keeps it out of the filed snapshot).
    """

    problem: str
    measure: str
    owner: str
    due: dt.date
    state: str = ""


@dataclass(frozen=True)
class SelfCheckSection:
    """One of the 自查表's three fixed rows (项目内容 from the template) and its findings.

    ``none_confirmed``: the clerk confirmed the row has nothing (prints “无”). A row
    with neither findings nor “无” is still being filled in and prints empty.
    """

    item: str
    none_confirmed: bool = False
    findings: tuple[FindingEntry, ...] = ()


@dataclass(frozen=True)
class FilingDocumentData:
    """Everything the three attachments print for one unit and one campaign.

    ``unit_id``, ``campaign_id``: the UUIDs the pages' paper codes carry (domain/paper_code.py).
    ``revision``: the filing's revision (第n版). ``finalised``: the filing is 定稿
    (or later: 已报送, 已确认, 退回); until then stamped pages carry a 草稿 watermark.
    ``content_sha256``: the SHA-256 recorded when the revision was finalised
    (``domain.filing.content_sha256`` of the filed snapshot), so the paper shows the
    same 内容校验码 as the application and the package; "" for a draft, whose hash
    is computed from this data (``stamp.content_hash``).
    ``filled_on``: the 填报日期 set on the 自查表, printed on 附件2 and 附件3; when
    None the forms print blanks (年　月　日) to fill in by hand.
    ``seal_image``: PNG/JPEG bytes of the unit's seal, or None (the seal area is left blank).
    ``key_fingerprint``: the unit's signing-key fingerprint, printed on 附件2's stamp; "" for none.
    """

    template: PolicyTemplate
    unit_id: str
    campaign_id: str
    unit_name: str
    leader: str
    campaign_title: str
    document_number: str
    deadline: dt.date
    revision: int
    finalised: bool
    pledges: tuple[PledgeEntry, ...] = ()
    self_check: tuple[SelfCheckSection, ...] = ()
    filled_on: dt.date | None = None
    content_sha256: str = ""
    seal_image: bytes | None = field(default=None, repr=False)
    key_fingerprint: str = ""

    def letter_entries(self, *, outstanding_only: bool = False) -> list[PledgeEntry]:
        """The people who get a 附件1 letter, in pinyin order (as the roster shows them)."""
        chosen = (e for e in self.pledges if (e.outstanding if outstanding_only else e.needs_letter))
        return sorted(chosen, key=lambda e: (sort_key(e.name), e.staff_id))

    def summary_entries(self) -> list[PledgeEntry]:
        """The rows of 附件2: who signed in this campaign (此前已上交 are left out, as its
        填报说明 says), in the order of ``domain.pledge.summary_table_order``
        (中层干部 first, then by pinyin) so the printout matches the application's table."""
        return sorted((e for e in self.pledges if e.status is PledgeStatus.SIGNED), key=summary_table_order)
