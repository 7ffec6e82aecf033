"""承诺书签订: who must sign the pledge in a campaign, and how far signing has got.

Who must sign is *computed*, never stored: the template's rule (seed 000,
二（二）1: every 中层干部, and 一般工作人员 whose post names a key post) applied to
the roster as it is now, for people 在岗. So a roster change made after the
campaign started changes the required set by itself. What is stored per person
is only what a clerk decided: the status (with date or reason) and, where the
rule's verdict is wrong for someone, an override with its reason. Both the
rule's verdict and the override stay visible.

Pure: no I/O and no Qt.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import date_or_none, iso_or_none
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.policy import SigningRule
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus, names_told_apart


class PledgeStatus(str, enum.Enum):
    UNSIGNED = "未签订"
    SIGNED = "已签订"
    SUBMITTED_BEFORE = "此前已上交"  # handed in in an earlier round: not signed again, not on this 汇总表
    NOT_APPLICABLE = "不适用"


def parse_pledge_status(text: str) -> PledgeStatus:
    for status in PledgeStatus:
        if text.strip() == status.value:
            return status
    choices = "、".join(s.value for s in PledgeStatus)
    raise InputRejected(f"签订状态“{text}”无效，应为：{choices}", Location(field="签订状态"))


MAX_REASON_LENGTH = 200


@dataclass(frozen=True)
class PledgeRecord:
    """What was recorded for one person in one campaign (absent: nothing recorded yet)."""

    id: str
    campaign_id: str
    staff_id: str
    status: PledgeStatus = PledgeStatus.UNSIGNED
    signed_on: dt.date | None = None
    reason: str = ""
    required_override: bool | None = None  # None: the rule decides
    override_reason: str = ""


PLEDGE_FIELD_LABELS = {
    "status": "签订状态",
    "signed_on": "签订日期",
    "reason": "说明",
    "required_override": "是否需签订（人工认定）",
    "override_reason": "人工认定理由",
}


@dataclass(frozen=True)
class RuleVerdict:
    required: bool
    reason: str  # 中层干部 / 重点岗位：质量监管 / 非重点岗位 / 调离 …


def rule_verdict(rule: SigningRule, member: StaffMember) -> RuleVerdict:
    """What the template's rule says about one person, with the reason in words."""
    if not member.is_active:
        return RuleVerdict(False, member.status.value)
    if member.rank is RankCategory.MIDDLE_CADRE:
        if rule.all_middle_cadres:
            return RuleVerdict(True, RankCategory.MIDDLE_CADRE.value)
        # Templates without “all cadres” still catch a cadre in charge of a key post.
    key_post = rule.is_key_post(member.post)
    if key_post:
        return RuleVerdict(True, f"重点岗位：{key_post}")
    if member.rank is RankCategory.STAFF and rule.all_staff:
        return RuleVerdict(True, RankCategory.STAFF.value)
    return RuleVerdict(False, "非重点岗位")


@dataclass(frozen=True)
class PledgeRow:
    """One person as the pledge list shows them: the person, the rule, the override, the status."""

    staff_id: str
    name: str
    rank: RankCategory
    post: str
    party_member: bool
    staff_status: str
    required_by_rule: bool
    rule_reason: str
    required_override: bool | None
    override_reason: str
    status: PledgeStatus
    signed_on: dt.date | None
    status_reason: str
    scan_sha256: str | None = None
    title: str = ""  # the real job title (科长, 科员) when the roster has one, for 附件1
    is_sample: bool = False  # one of the fictional people loaded to try the program out

    @property
    def required(self) -> bool:
        """Must this person sign? The override when there is one, else the rule."""
        return self.required_by_rule if self.required_override is None else self.required_override

    @property
    def outstanding(self) -> bool:
        """Required and not yet dealt with: the people the clerk still has to chase."""
        return self.required and self.status is PledgeStatus.UNSIGNED

    @property
    def reason(self) -> str:
        """The explanation to show next to the status: why 不适用/此前已上交, why overridden."""
        return "；".join(text for text in (self.status_reason, self.override_reason) if text)

    @property
    def has_scan(self) -> bool:
        return self.scan_sha256 is not None

    def to_dict(self) -> dict:
        """JSON-ready form; the filing snapshot stores rows this way."""
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "rank": self.rank.value,
            "post": self.post,
            "party_member": self.party_member,
            "staff_status": self.staff_status,
            "required": self.required,
            "required_by_rule": self.required_by_rule,
            "rule_reason": self.rule_reason,
            "required_override": self.required_override,
            "override_reason": self.override_reason,
            "status": self.status.value,
            "signed_on": iso_or_none(self.signed_on),
            "status_reason": self.status_reason,
            "scan_sha256": self.scan_sha256,
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "PledgeRow":
        return cls(
            staff_id=data["staff_id"],
            name=data["name"],
            rank=RankCategory(data["rank"]),
            post=data["post"],
            party_member=data["party_member"],
            staff_status=data["staff_status"],
            required_by_rule=data["required_by_rule"],
            rule_reason=data["rule_reason"],
            required_override=data["required_override"],
            override_reason=data["override_reason"],
            status=PledgeStatus(data["status"]),
            signed_on=date_or_none(data["signed_on"]),
            status_reason=data["status_reason"],
            scan_sha256=data["scan_sha256"],
            title=data["title"],
        )


def pledge_row(
    rule: SigningRule, member: StaffMember, record: PledgeRecord | None, scan_sha256: str | None = None
) -> PledgeRow:
    """Combine the rule's verdict on ``member`` with what was recorded for them.

    Someone no longer 在岗 for whom nothing was recorded shows as 不适用 with
    their status (调离, 退休 …) as the reason: nobody has to type that in.
    """
    verdict = rule_verdict(rule, member)
    override = record.required_override if record else None
    if record is not None:
        status, signed_on, status_reason = record.status, record.signed_on, record.reason
    else:
        status, signed_on, status_reason = PledgeStatus.UNSIGNED, None, ""
    # Unless someone was marked required by hand (a 借调 cadre who still signs).
    if status is PledgeStatus.UNSIGNED and not member.is_active and override is not True:
        status, status_reason = PledgeStatus.NOT_APPLICABLE, member.status.value
    return PledgeRow(
        staff_id=member.id,
        name=member.name,
        rank=member.rank,
        post=member.post,
        party_member=member.party_member,
        staff_status=member.status.value,
        required_by_rule=verdict.required,
        rule_reason=verdict.reason,
        required_override=override,
        override_reason=record.override_reason if record else "",
        status=status,
        signed_on=signed_on,
        status_reason=status_reason,
        scan_sha256=scan_sha256,
        title=member.title,
        is_sample=member.is_sample,
    )


def list_order(row: PledgeRow) -> tuple:
    """未签订 first (among them, those who must sign before those who need not), then by pinyin."""
    unsigned = row.status is PledgeStatus.UNSIGNED
    return (not unsigned, unsigned and not row.required, sort_key(row.name), row.staff_id)


def summary_table_order(row: PledgeRow) -> tuple:
    """附件2's order: 中层干部 before 一般工作人员, each by pinyin."""
    return (row.rank is not RankCategory.MIDDLE_CADRE, sort_key(row.name), row.staff_id)


def summary_table_rows(rows: Iterable[PledgeRow]) -> list[PledgeRow]:
    """The people on 附件2: those who signed this time (此前已上交 are left out, as its 填报说明 says)."""
    return sorted((r for r in rows if r.status is PledgeStatus.SIGNED), key=summary_table_order)


# ----------------------------------------------------------------------------- signing several at once

SKIP_NOT_IN_POST = "不在岗"
SKIP_NOT_REQUIRED = "不须签订"


@dataclass(frozen=True)
class BatchSigning:
    """What signing a selection (Ctrl+A, Space) does: only people who must sign, 在岗, still 未签订.

    Signing someone who need not sign, or who has left, is a decision about that one
    person (the 详细登记 dialog), never a side effect of selecting everyone.
    """

    to_sign: tuple[PledgeRow, ...]
    already_signed: tuple[PledgeRow, ...]
    skipped: tuple[tuple[str, tuple[str, ...]], ...]  # (reason, names), in a fixed order

    @property
    def skipped_count(self) -> int:
        return sum(len(names) for _reason, names in self.skipped)

    def skipped_text(self) -> str:
        """“另有 3 人未登记：不须签订 2 人（孙佳怡、张伟），不在岗 1 人（徐静）。” ("" when nobody was left out)."""
        if not self.skipped:
            return ""
        parts = "，".join(f"{reason} {len(names)} 人（{_names(names)}）" for reason, names in self.skipped)
        return f"另有 {self.skipped_count} 人未登记：{parts}。如确需登记，请选中该人后按回车键详细登记。"


def _names(names: tuple[str, ...], shown: int = 5) -> str:
    return "、".join(names[:shown]) + (" 等" if len(names) > shown else "")


def plan_batch_signing(rows: Iterable[PledgeRow]) -> BatchSigning:
    to_sign: list[PledgeRow] = []
    signed: list[PledgeRow] = []
    skipped: dict[str, list[PledgeRow]] = {}
    for row in rows:
        if row.status is PledgeStatus.SIGNED:
            signed.append(row)
            continue
        if row.staff_status != StaffStatus.ACTIVE.value and row.required_override is not True:
            reason = SKIP_NOT_IN_POST
        elif not row.required:
            reason = SKIP_NOT_REQUIRED
        elif row.status is not PledgeStatus.UNSIGNED:
            reason = f"已登记为{row.status.value}"
        else:
            to_sign.append(row)
            continue
        skipped.setdefault(reason, []).append(row)
    order = [SKIP_NOT_REQUIRED, SKIP_NOT_IN_POST]
    reasons = sorted(skipped, key=lambda r: order.index(r) if r in order else len(order))
    return BatchSigning(tuple(to_sign), tuple(signed),
                        tuple((r, tuple(names_told_apart(skipped[r]))) for r in reasons))


@dataclass(frozen=True)
class PledgeProgress:
    """Counts for the progress bar. Each status count is the number of rows showing that status;
    ``required`` counts everyone who must sign and ``outstanding`` those of them still 未签订."""

    total: int
    required: int
    signed: int
    outstanding: int
    submitted_before: int
    not_applicable: int
    signed_unrequired: int = 0  # of ``signed``: people who need not sign and signed all the same

    @property
    def complete(self) -> bool:
        return self.outstanding == 0


def progress(rows: Iterable[PledgeRow]) -> PledgeProgress:
    rows = list(rows)

    def count(status: PledgeStatus) -> int:
        return sum(r.status is status for r in rows)

    return PledgeProgress(
        total=len(rows),
        required=sum(r.required for r in rows),
        signed=count(PledgeStatus.SIGNED),
        outstanding=sum(r.outstanding for r in rows),
        submitted_before=count(PledgeStatus.SUBMITTED_BEFORE),
        not_applicable=count(PledgeStatus.NOT_APPLICABLE),
        signed_unrequired=sum(r.status is PledgeStatus.SIGNED and not r.required for r in rows),
    )


def signed_text(signed: int, unrequired: int | None, space: str = "", person: str = "人") -> str:
    """已签 in a sentence beside 应签 and 未签: “24人（其中8人不须签订）”. Without the people who need not
    sign and signed anyway, 已签 can exceed 应签 and 应签 − 已签 ≠ 未签, which reads as a mistake.
    ``space`` goes between a number and 人, as the sentence has it; ``person`` follows ``signed``
    ("" in a line of bare counts)."""
    extra = f"（其中{space}{unrequired}{space}人不须签订）" if unrequired else ""
    return f"{signed}{space if person else ''}{person}{extra}"


# ----------------------------------------------------------------------------- status rules


def check_status_change(
    status: PledgeStatus, signed_on: dt.date | None, reason: str, today: dt.date
) -> None:
    """Refuse a status that lacks what it needs (a date, a reason) or carries what it cannot have."""
    if len(reason) > MAX_REASON_LENGTH:
        raise InputRejected(f"说明过长（不超过{MAX_REASON_LENGTH}个字）。", Location(field="说明"))
    if signed_on is not None and signed_on > today:
        raise InputRejected(
            f"签订日期 {signed_on.isoformat()} 晚于今天（{today.isoformat()}），不能登记尚未发生的签订。",
            Location(field="签订日期"),
        )
    if status is PledgeStatus.SIGNED and signed_on is None:
        raise InputRejected("登记“已签订”须填写签订日期。", Location(field="签订日期"))
    if status is PledgeStatus.NOT_APPLICABLE and not reason.strip():
        raise InputRejected("登记“不适用”须说明理由（如 调离、长期病假）。", Location(field="说明"))
    if status in (PledgeStatus.UNSIGNED, PledgeStatus.NOT_APPLICABLE) and signed_on is not None:
        raise InputRejected(f"“{status.value}”不填签订日期。", Location(field="签订日期"))


def check_override(required: bool | None, reason: str) -> None:
    if required is not None and not reason.strip():
        raise InputRejected("人工认定是否需签订时须说明理由。", Location(field="人工认定理由"))
    if len(reason) > MAX_REASON_LENGTH:
        raise InputRejected(f"理由过长（不超过{MAX_REASON_LENGTH}个字）。", Location(field="人工认定理由"))


# ----------------------------------------------------------------------------- scans of the signed page

MAX_SCAN_BYTES = 10 * 1024 * 1024
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
SCAN_MIME_TYPES = tuple(mime for _, mime in _MAGIC)


@dataclass(frozen=True)
class PledgeScan:
    """A scan or photo of the signed page, kept in the database."""

    file_name: str
    mime: str
    size: int
    sha256: str
    data: bytes
    added_at: str = ""


def _scan_location(file_name: str) -> Location:
    return Location(file=file_name or None, field="签字页扫描件")


def check_scan_size(size: int, file_name: str) -> None:
    """Refuse an empty file or one over 10 MB (callers check a file's size before reading it)."""
    if size == 0:
        raise InputRejected("文件是空的。", _scan_location(file_name))
    if size > MAX_SCAN_BYTES:
        raise InputRejected(
            f"文件过大（{size / (1024 * 1024):.1f} MB），扫描件不能超过 {MAX_SCAN_BYTES // (1024 * 1024)} MB；"
            "请降低扫描分辨率或压缩后再试。",
            _scan_location(file_name),
        )


def check_scan(data: bytes, file_name: str) -> PledgeScan:
    """Accept PNG, JPEG or PDF up to 10 MB, judged by the file's first bytes, not its name.

    A renamed Word file or a truncated download is refused with the file's name
    in the message, before anything is written.
    """
    import hashlib  # noqa: PLC0415 — for a scan; loading OpenSSL delayed every start

    check_scan_size(len(data), file_name)
    mime = next((m for magic, m in _MAGIC if data.startswith(magic)), None)
    if mime is None:
        raise InputRejected("不是 PNG、JPEG 图片或 PDF 文件（按文件内容判断，而不是扩展名）。", _scan_location(file_name))
    return PledgeScan(
        file_name=file_name or "扫描件",
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
