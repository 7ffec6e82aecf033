"""The unit's side of the exchange: the 报送包 out, the 任务包 and the 退回文件 in; and checking any such file.

* ``create_package``: from a finalised filing only; written atomically; the
  filing becomes 已报送. The unit's package counter goes up with every package.
* ``import_campaign_file``: the office's campaign appears here under the office's
  campaign id, with the office's template, and becomes current; the office's key
  is pinned on the first one and required from then on.
* ``import_return_file``: reopens the returned revision (as revision n+1, the
  office's comment as the reason) and keeps the comment for display.
* ``verify_file``: what a file is and whether it is sound, without writing anything.

Each import is one transaction after every check passed, with a backup first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.campaign import Campaign, template_snapshot
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import FilingState, FilingStatus
from qingqing_desktop.domain.office import MODE_OFFICE, FilingCounts, package_counts
from qingqing_desktop.domain.text import quoted, shortened
from qingqing_desktop.exchange import campaign_file, filing_package, return_file
from qingqing_desktop.exchange.signed_container import KIND_LABELS, read_container
from qingqing_desktop.services import (
    backup_service,
    campaign_adoption,
    document_service,
    filing_service,
    key_service,
    office_service,
    pledge_service,
    selfcheck_service,
)
from qingqing_desktop.services.campaign_adoption import AdoptionCandidate
from qingqing_desktop.services.document_service import DocumentKind
from qingqing_desktop.services.campaign_service import campaign_and_unit, received_campaign  # noqa: F401 — re-exported
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import require_unit
from qingqing_desktop.store import campaigns, filings, received_files
from qingqing_desktop.store import office as office_store
from qingqing_desktop.store.database import utc_now
from qingqing_desktop.store.received_files import ReceivedCampaign, ReturnNotice

__all__ = [
    "PackageResult", "CampaignImport", "ReturnImport", "VerifiedFile", "ReturnNotice",
    "suggested_package_name", "create_package", "import_campaign_file", "import_return_file",
    "return_notices", "latest_return", "verify_file", "received_campaign",
]


def _require_unit_mode(session: Session, action: str) -> None:
    if office_store.mode(session.store) == MODE_OFFICE:
        raise InputRejected(f"本数据库处于纪委（监察室）模式，不能{action}。单位填报请使用单位自己的数据库。")


# ----------------------------------------------------------------------------- 报送包 out


@dataclass(frozen=True)
class PackageResult:
    path: Path
    package_id: str
    revision: int
    sequence: int
    fingerprint: str
    counts: FilingCounts
    documents: tuple[str, ...]
    status: FilingStatus  # after the package: 已报送 (or as it was, when re-sending)


def suggested_package_name(session: Session, *, campaign_id: str | None = None) -> str:
    """报送包_<单位>_<行动标题简称>_第<n>版.qqpkg for the current revision."""
    campaign, unit = campaign_and_unit(session, campaign_id)
    status = filing_service.filing_status(session, campaign_id=campaign.id)
    return filing_package.package_file_name(unit.name, campaign.title, status.revision, campaign.template.issuer)


def _rectification(session: Session, campaign: Campaign) -> dict[str, dict]:
    findings = selfcheck_service.get_self_check(session, campaign_id=campaign.id).findings
    return {f.id: {"done_on": f.done_on.isoformat() if f.done_on else None, "done_note": f.done_note} for f in findings}


def _scans(session: Session, campaign: Campaign, snapshot: dict) -> dict:
    scans = {}
    for row in snapshot["pledges"]:
        if not row["scan_sha256"]:
            continue
        scan = pledge_service.get_scan(session, row["staff_id"], campaign_id=campaign.id)
        if scan is None or scan.sha256 != row["scan_sha256"]:
            # Scans cannot change while the filing is locked; this is a damaged database.
            raise InputRejected(f"{row['name']}的签字页扫描件与定稿时不一致，请重新打开报送、重新上传扫描件后再定稿。")
        scans[row["staff_id"]] = scan
    return scans


# What the office needs besides the data: 附件2 (paper and electronic) and 附件3, as the unit
# printed and stamped them. The 附件1 letters are signed on paper; their scans travel instead.
PACKAGE_DOCUMENTS = (
    (DocumentKind.SUMMARY, "pdf"), (DocumentKind.SUMMARY, "xlsx"),
    (DocumentKind.SELFCHECK, "pdf"), (DocumentKind.SELFCHECK, "xlsx"),
)


def _documents(session: Session, campaign: Campaign) -> dict[str, bytes]:
    """The generated PDFs and Excel files that go into the package (member name → bytes),
    rendered from the filed snapshot exactly as ``document_service`` prints them."""
    data = document_service.filing_document_data(session, campaign_id=campaign.id)
    return {
        document_service.document_file_name(data, kind, fmt): document_service.render_document(data, kind, fmt)
        for kind, fmt in PACKAGE_DOCUMENTS
    }


def create_package(session: Session, target: Path, *, campaign_id: str | None = None) -> PackageResult:
    """Write the 报送包 of the finalised filing to ``target`` (a folder: under the suggested name).

    Refused while the filing is a draft (“请先定稿”), after it was sent back, and for a
    campaign that did not come from the office's 任务包 (the office would not know it).
    """
    _require_unit_mode(session, "生成报送包")
    session.require_sound()  # the full check: a package must not carry damaged data to the office
    campaign, unit = campaign_and_unit(session, campaign_id)
    status = filing_service.filing_status(session, campaign_id=campaign.id)
    if not status.locked:
        raise InputRejected(f"请先定稿：本次报送还是{status.label}，定稿后才能生成报送包。")
    if status.state is FilingState.RETURNED:
        raise InputRejected("本次报送已被退回，请重新打开、修改并定稿后，再生成新的报送包。")
    if received_files.received_campaign(session.store, campaign.id) is None:
        how = session.advice(window="在“报送与接收”页点“导入任务包…”", command="qingqing-cli campaign import 文件")
        raise InputRejected(
            f"行动{campaign.quoted_title}不是从纪委（监察室）的任务包导入的，纪委（监察室）无法接收它的报送包。"
            f"请先导入纪委（监察室）发来的任务包（{how}），在导入的行动中填报。"
        )
    filed = filing_service.filed_snapshot(session, campaign_id=campaign.id)
    content = filing_package.PackageContent(
        snapshot=filed.data, content_sha256=filed.content_sha256, finalized_at=filed.finalized_at,
        finalized_by=filed.finalized_by, rectification=_rectification(session, campaign),
        scans=_scans(session, campaign, filed.data), documents=_documents(session, campaign),
    )
    key = key_service.unit_key(session)
    target = Path(target)
    if target.is_dir():
        target = target / filing_package.package_file_name(unit.name, campaign.title, filed.revision,
                                                           campaign.template.issuer)
    with session.store.transaction():
        sequence = received_files.next_package_sequence(session.store)
        # The file is written last inside the transaction: if writing fails, the counter
        # and the state stay as they were.
        manifest = filing_package.write_filing_package(target, content, sequence=sequence, key=key)
        if status.state is FilingState.FINAL:
            filing_service.mark_submitted(session, note=f"生成报送包“{target.name}”", campaign_id=campaign.id)
    return PackageResult(
        path=target, package_id=manifest["package_id"], revision=filed.revision, sequence=sequence,
        fingerprint=key.fingerprint, counts=package_counts(content.snapshot, content.rectification),
        documents=tuple(sorted(content.documents)),
        status=filing_service.filing_status(session, campaign_id=campaign.id),
    )


# ----------------------------------------------------------------------------- 任务包 in


@dataclass(frozen=True)
class CampaignImport:
    campaign: Campaign
    office_name: str
    fingerprint: str
    created: bool  # False: the campaign was here already
    changed: tuple[str, ...]  # fields the office changed since (e.g. 截止日期)
    pinned_now: bool  # the office's key was registered with this file
    backup_path: Path | None
    adopted: AdoptionCandidate | None = None  # the campaign made here that goes on as the office's


def import_campaign_file(session: Session, path: Path, *, adopt: str | None = None) -> CampaignImport:
    """Import the office's 任务包: the campaign (same id as the office's) with its template becomes current.

    ``adopt``: the id of a campaign made here that goes on as the office's, with everything filed
    under it (``campaign_adoption.adopt_campaign``); without it the office's campaign is a new one.
    """
    _require_unit_mode(session, "导入任务包")
    path = Path(path)
    store = session.store
    pinned = received_files.pinned_office_fingerprint(store)
    received = campaign_file.read_campaign_file(path, pinned_fingerprint=pinned)
    incoming = received.campaign
    existing = campaigns.get(store, incoming.id)
    changed: tuple[str, ...] = ()
    if existing is not None:
        if template_snapshot(existing.template) != template_snapshot(incoming.template):
            raise InputRejected(
                f"任务包中行动{incoming.quoted_title}的政策模板与此前导入的不同。同一行动的政策模板不能更换，"
                "请与纪委（监察室）核实。", Location(file=path.name)
            )
        changed = tuple(
            label for field, label in (("title", "行动名称"), ("document_number", "文号"), ("deadline", "截止日期"),
                                       ("recipient", "报送对象"))
            if getattr(existing, field) != getattr(incoming, field)
        )
    if adopt is not None and existing is not None:
        raise InputRejected(f"行动{incoming.quoted_title}此前已从任务包导入，不需要再采用本机的行动。", Location(file=path.name))
    backup_path = backup_service.backup_before_import(session, f"任务包{quoted(path.name)}")
    adopted = None
    with store.transaction():
        if adopt is not None:
            adopted = campaign_adoption.adopt_campaign(session, adopt, incoming, file_name=path.name)
        elif existing is None:
            campaigns.insert(store, incoming, operator=session.operator)
        elif changed:
            campaigns.update(store, incoming, operator=session.operator, reason=f"纪委（监察室）更新任务包“{path.name}”")
        campaigns.set_current(store, incoming.id)
        received_files.pin_office(store, received.fingerprint, received.office_name, operator=session.operator)
        received_files.save_received_campaign(store, ReceivedCampaign(
            campaign_id=incoming.id, package_id=received.package_id, office_name=received.office_name,
            office_fingerprint=received.fingerprint, file_name=path.name, imported_at=utc_now(),
        ))
    return CampaignImport(campaigns.get(store, incoming.id), received.office_name, received.fingerprint,
                          existing is None, changed, pinned is None, backup_path, adopted)


# ----------------------------------------------------------------------------- 退回 in

_REASON_LIMIT = 200  # domain.filing.check_reopen_reason


@dataclass(frozen=True)
class ReturnImport:
    notice: ReturnNotice
    status: FilingStatus
    reopened: bool  # False: the revision had been reopened already, only the comment was kept
    duplicate: bool  # the same file was imported before: nothing changed
    backup_path: Path | None = None

    @property
    def message(self) -> str:
        if self.duplicate:
            return "这份退回文件此前已导入，没有变化。"
        if self.reopened:
            return f"第{self.notice.revision}版已被退回，现为{self.status.label}，请按退回意见修改后重新定稿、报送。"
        return f"退回意见已保存（退回的是第{self.notice.revision}版，本单位现为{self.status.label}）。"


def _reopen_reason(comment: str) -> str:
    return shortened(f"纪委（监察室）退回：{comment}", _REASON_LIMIT)


def import_return_file(session: Session, path: Path) -> ReturnImport:
    """Import a 退回文件 from the office: the returned revision is reopened as a new revision
    (the comment is the audited reason) and the full comment is kept for display."""
    _require_unit_mode(session, "导入退回文件")
    path = Path(path)
    store = session.store
    where = Location(file=path.name)
    pinned = received_files.pinned_office_fingerprint(store)
    if pinned is None:
        raise InputRejected("尚未导入纪委（监察室）的任务包，无法确认这份退回文件的来源。请先导入任务包。", where)
    returned = return_file.read_return_file(path, pinned_fingerprint=pinned)
    unit = require_unit(session)
    if returned.unit_id != unit.id:
        raise InputRejected(f"这份退回文件是退给“{returned.unit_name}”的，不是本单位（{unit.name}）的。", where)
    campaign = campaigns.get(store, returned.campaign_id)
    if campaign is None:
        raise InputRejected(f"本单位没有行动{quoted(returned.campaign_title)}，这份退回文件不是给本数据库的。", where)
    known = received_files.return_notice(store, returned.package_id)
    status = filings.status(store, campaign.id, unit.id)
    if known is not None:
        return ReturnImport(known, status, reopened=False, duplicate=True)
    if returned.revision > status.revision:
        raise InputRejected(f"退回文件所指的第{returned.revision}版在本单位不存在（本单位现为{status.label}）。", where)
    reopen = returned.revision == status.revision and status.locked
    notice = ReturnNotice(
        package_id=returned.package_id, campaign_id=campaign.id, revision=returned.revision,
        comment=returned.comment, office_name=returned.office_name, returned_at=returned.returned_at,
        file_name=path.name, imported_at=utc_now(),
    )
    backup_path = backup_service.backup_before_import(session, f"退回文件{quoted(path.name)}")
    with store.transaction():
        received_files.save_return_notice(store, notice, operator=session.operator)
        if reopen:
            if status.state is FilingState.SUBMITTED:
                # 已报送 → 退回 → 草稿 (n+1): the filing's history shows the office's verdict.
                filing_service.record_review(session, False, _reopen_reason(returned.comment), campaign_id=campaign.id)
            filing_service.reopen(session, _reopen_reason(returned.comment), campaign_id=campaign.id)
    return ReturnImport(notice, filings.status(store, campaign.id, unit.id), reopened=reopen, duplicate=False,
                        backup_path=backup_path)


def return_notices(session: Session, *, campaign_id: str | None = None) -> list[ReturnNotice]:
    """The office's comments on this unit's filing, newest first (for the GUI's 退回意见 banner)."""
    campaign, _ = campaign_and_unit(session, campaign_id)
    return received_files.return_notices(session.store, campaign.id)


def latest_return(session: Session, *, campaign_id: str | None = None) -> ReturnNotice | None:
    notices = return_notices(session, campaign_id=campaign_id)
    return notices[0] if notices else None


# ----------------------------------------------------------------------------- checking any file


@dataclass(frozen=True)
class VerifiedFile:
    """What ``package verify`` prints about a sound file."""

    kind: str
    kind_label: str  # 报送包 / 任务包 / 退回文件
    package_id: str
    created_at: str
    fingerprint: str
    unit: str  # "" for a 任务包
    campaign: str
    revision: int | None
    details: tuple[str, ...]  # further lines: counts, deadline, the comment, the signer's standing


def verify_file(session: Session, path: Path, *, today: dt.date | None = None) -> VerifiedFile:
    """Check a 报送包, 任务包 or 退回文件 completely; ``InputRejected`` with the reason if it is not sound.

    In office mode a 报送包 must also be importable here: a known campaign and, for a
    unit seen before, the key registered for it. Nothing is written.
    """
    path = Path(path)
    kinds = {filing_package.KIND, campaign_file.KIND, return_file.KIND}
    kind = read_container(path, expected_kind=kinds, member_words=_member_words).kind
    label = KIND_LABELS[kind]
    if kind == filing_package.KIND:
        package = filing_package.read_filing_package(path)
        details = [_counts_line(package.counts), f"内容校验码：{package.content_sha256[:12]}"]
        if office_store.mode(session.store) == MODE_OFFICE:
            details.append(office_service.check_package(session, package))
        return VerifiedFile(kind, label, package.package_id, package.created_at, package.fingerprint,
                            package.unit["name"], package.campaign["title"], package.revision, tuple(details))
    if kind == campaign_file.KIND:
        pinned = received_files.pinned_office_fingerprint(session.store)
        received = campaign_file.read_campaign_file(path, pinned_fingerprint=pinned)
        c = received.campaign
        details = (f"发布：{received.office_name}", f"文号：{c.document_number or '（无）'}",
                   f"截止日期：{c.deadline.isoformat()}", f"政策模板：{c.template.name}（第{c.template_version}版）")
        return VerifiedFile(kind, label, received.package_id, received.created_at, received.fingerprint, "",
                            c.title, None, details)
    pinned = received_files.pinned_office_fingerprint(session.store)
    returned = return_file.read_return_file(path, pinned_fingerprint=pinned)
    return VerifiedFile(kind, label, returned.package_id, returned.returned_at, returned.fingerprint,
                        returned.unit_name, returned.campaign_title, returned.revision,
                        (f"退回单位：{returned.office_name}", f"退回意见：{returned.comment}"))


def _member_words(name: str) -> str:
    """A part of any of the three kinds of file, as a refusal names it: each kind says what its own are."""
    own = {campaign_file.MEMBER: campaign_file.MEMBER_WORDS, return_file.MEMBER: return_file.MEMBER_WORDS}
    return own.get(name) or filing_package.member_words(name)


def _counts_line(counts: FilingCounts) -> str:
    return (f"人员{counts.people}人；承诺书应签{counts.pledges_required}人、已签{counts.signed_text()}、"
            f"未签{counts.pledges_outstanding}人；自查问题{counts.findings}条（未整改{counts.findings_open}条）")
