"""A unit's filing (报送) for a campaign: its states, its lock and its filed snapshot.

States (DESIGN.md): 草稿 → 已定稿 (locked, revision n) → 已报送 → 已确认 / 退回.
A correction after 定稿 reopens the filing as revision n+1 with a stated reason
and it is a 草稿 again. Revisions count from 1: the first draft is revision 1,
so the revision on a stamped page is the revision that was finalised.

At 定稿 the filing data — unit, the roster as used, the pledge rows with their
computed required flags, the 自查表 and its findings — is frozen into a
snapshot; its SHA-256 over canonical JSON identifies the filed content (printed
as a short hash in the page footer). While locked, reads come from the snapshot,
so later roster edits cannot change what was filed.

Pure: no I/O and no Qt.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.pledge import PledgeRow
from qingqing_desktop.domain.selfcheck import Finding, SelfCheck, SelfCheckRow, header_from_dict
from qingqing_desktop.domain.staff import StaffMember
from qingqing_desktop.domain.unit import Unit

SNAPSHOT_FORMAT = 1
SHORT_HASH_LENGTH = 12


class FilingState(str, enum.Enum):
    DRAFT = "草稿"
    FINAL = "已定稿"
    SUBMITTED = "已报送"
    CONFIRMED = "已确认"
    RETURNED = "退回"


FILING_FIELD_LABELS = {"state": "报送状态", "revision": "版次", "content_sha256": "内容校验码"}

# Reopening (→ 草稿) is possible from every locked state: a correction is always
# allowed, it just becomes a new revision with a reason on record.
TRANSITIONS: dict[FilingState, frozenset[FilingState]] = {
    FilingState.DRAFT: frozenset({FilingState.FINAL}),
    FilingState.FINAL: frozenset({FilingState.SUBMITTED, FilingState.DRAFT}),
    FilingState.SUBMITTED: frozenset({FilingState.CONFIRMED, FilingState.RETURNED, FilingState.DRAFT}),
    FilingState.CONFIRMED: frozenset({FilingState.DRAFT}),
    FilingState.RETURNED: frozenset({FilingState.DRAFT}),
}


def check_transition(old: FilingState, new: FilingState) -> None:
    if new not in TRANSITIONS[old]:
        raise InputRejected(f"报送状态不能从“{old.value}”变为“{new.value}”。", Location(field="报送状态"))


@dataclass(frozen=True)
class FilingStatus:
    campaign_id: str
    state: FilingState
    revision: int
    content_sha256: str | None = None  # of the latest finalised revision
    finalized_at: str | None = None
    finalized_by: str | None = None

    @property
    def locked(self) -> bool:
        return self.state is not FilingState.DRAFT

    @property
    def label(self) -> str:
        """“草稿（第2版）”, “已定稿（第1版）” …"""
        return f"{self.state.value}（第{self.revision}版）"

    @property
    def short_hash(self) -> str:
        return (self.content_sha256 or "")[:SHORT_HASH_LENGTH]

    def locked_message(self) -> str:
        extra = "" if self.state is FilingState.FINAL else f"，状态：{self.state.value}"
        return f"本次报送已定稿（第{self.revision}版{extra}），如需修改请先“重新打开”并说明原因"

    def check_editable(self) -> None:
        """Every change to a campaign's pledges and 自查表 goes through here first."""
        if self.locked:
            raise InputRejected(self.locked_message())


def draft_status(campaign_id: str) -> FilingStatus:
    """A filing nobody has touched yet: revision 1, 草稿."""
    return FilingStatus(campaign_id, FilingState.DRAFT, 1)


def check_reopen_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InputRejected("重新打开须说明原因（将记入修改记录）。", Location(field="原因"))
    if len(reason) > 200:
        raise InputRejected("原因过长（不超过200个字）。", Location(field="原因"))
    return reason


def finalise_blockers(self_check: SelfCheck, roster: Sequence[StaffMember]) -> list[str]:
    """Why 定稿 is refused; empty when it may go ahead. Unsigned pledges do not block it.

    The sample people a clerk loaded to try the program out are fictional: a filing that
    counts them is false evidence, so they must be deleted first. A problem's 责任人 must be
    one of the people filed with it (the office refuses a 报送包 where one is not): someone
    deleted since, or a sample person about to be, is named so the clerk picks another.
    """
    blockers = []
    samples = sum(m.is_sample for m in roster)
    if samples:
        blockers.append(f"人员名单中还有 {samples} 名示例人员（虚构），请先在“人员名单”页点“删除示例数据”。")
    if not self_check.is_complete:
        rows = "、".join(str(n) for n in self_check.incomplete_rows)
        blockers.append(f"自查表第{rows}行既没有登记问题，也没有确认“无”。")
    people = {m.id: m for m in roster}
    for finding in self_check.findings:
        owner = people.get(finding.owner_id)
        if owner is not None and not owner.is_sample:
            continue
        why = "是示例人员（虚构）" if owner is not None else "已不在人员名单中"
        blockers.append(f"自查表第{finding.row}行问题“{_shortened(finding.problem)}”的责任人“{finding.owner_name}”{why}，"
                        "请在“自查表”页选中该问题，点“修改…”另选责任人。")
    return blockers


def _shortened(text: str, length: int = 20) -> str:
    return text if len(text) <= length else text[:length] + "…"


# ----------------------------------------------------------------------------- snapshot


def canonical_json(data: Mapping) -> bytes:
    """One byte sequence per content: sorted keys, no spaces, UTF-8 (Chinese kept as is)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_sha256(data: Mapping) -> str:
    import hashlib  # noqa: PLC0415 — at 定稿 and on reading a package; loading OpenSSL delayed every start

    return hashlib.sha256(canonical_json(data)).hexdigest()


def _staff_dict(member: StaffMember) -> dict:
    return {
        "id": member.id,
        "name": member.name,
        "rank": member.rank.value,
        "title": member.title,
        "post": member.post,
        "party_member": member.party_member,
        "status": member.status.value,
    }


def _self_check_dict(self_check: SelfCheck) -> dict:
    return {
        "header": self_check.header_dict(),
        "rows": [
            {
                "row": row.number,
                "item": row.item,
                "none_confirmed": row.none_confirmed,
                "findings": [f.to_dict() for f in row.findings],
            }
            for row in self_check.rows
        ],
    }


def build_snapshot(
    *,
    revision: int,
    campaign: Campaign,
    unit: Unit,
    roster: Sequence[StaffMember],
    pledges: Sequence[PledgeRow],
    self_check: SelfCheck,
) -> dict:
    """The filed content of one revision, JSON-ready."""
    return {
        "format": SNAPSHOT_FORMAT,
        "revision": revision,
        "campaign": {
            "id": campaign.id,
            "title": campaign.title,
            "document_number": campaign.document_number,
            "deadline": campaign.deadline.isoformat(),
            "recipient": campaign.recipient,
            "template_id": campaign.template_id,
            "template_version": campaign.template_version,
        },
        "unit": {
            "id": unit.id,
            "name": unit.name,
            "kind": unit.kind.value,
            "leader": unit.leader,
            "contact": unit.contact,
            "phone": unit.phone,
        },
        "roster": [_staff_dict(m) for m in roster],
        "pledges": [row.to_dict() for row in pledges],
        "self_check": _self_check_dict(self_check),
    }


def pledges_from_snapshot(snapshot: Mapping) -> list[PledgeRow]:
    return [PledgeRow.from_dict(row) for row in snapshot["pledges"]]


def self_check_from_snapshot(snapshot: Mapping, rectification: Mapping[str, Finding] = {}) -> SelfCheck:
    """The filed 自查表; ``rectification`` (finding id → live finding) supplies today's 整改 progress."""
    unit_name, leader, filled_on = header_from_dict(snapshot["self_check"]["header"])
    rows = []
    for row in snapshot["self_check"]["rows"]:
        findings = []
        for data in row["findings"]:
            live = rectification.get(data["id"])
            done_on, note = (live.done_on, live.done_note) if live else (None, "")
            findings.append(Finding.from_dict(data, done_on=done_on, done_note=note))
        rows.append(SelfCheckRow(row["row"], row["item"], row["none_confirmed"], tuple(findings)))
    return SelfCheck(snapshot["campaign"]["id"], unit_name, leader, filled_on, tuple(rows))
