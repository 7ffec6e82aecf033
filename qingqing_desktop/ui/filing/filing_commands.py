"""Undoable edits of a campaign's filing: pledges and their scans, the 自查表, the campaign's details.

Each command keeps the id of the campaign it was made in, so an undo after
切换行动 still changes the right campaign. Undo is the inverse service call that
puts the previous state back (the same finding id, the same scan bytes).
定稿 and 重新打开 are not commands: they are audited state changes with a
reason, not edits one takes back with Ctrl+Z.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.pledge import PledgeRow, PledgeStatus
from qingqing_desktop.domain.selfcheck import Finding, SelfCheck
from qingqing_desktop.services import campaign_service, pledge_service, selfcheck_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.commands import ServiceCommand
from qingqing_desktop.ui.common.workspace import Workspace


class FilingCommand(ServiceCommand):
    changes = Changes(filing=True)
    # Whose pledge entries it changes: the pledge list goes back to them when it is undone.
    staff_ids: tuple[str, ...] = ()

    def __init__(self, workspace: Workspace, text: str, campaign_id: str):
        super().__init__(workspace, text)
        self.campaign_id = campaign_id


def people_text(names: Sequence[str]) -> str:
    """“张三” for one person, “ 3 人” for several (spaced as the page's other counts, “另有 3 人未登记”):
    short enough for the 撤销 menu entry."""
    return f"“{names[0]}”" if len(names) == 1 else f" {len(names)} 人"


# ----------------------------------------------------------------------------- pledges


@dataclass(frozen=True)
class PledgeEntry:
    """What a clerk records for one person: the status (with its date or reason) and the override."""

    status: PledgeStatus
    signed_on: dt.date | None = None
    reason: str = ""
    required: bool | None = None  # None: the template's rule decides
    required_reason: str = ""

    @classmethod
    def of(cls, row: PledgeRow) -> "PledgeEntry":
        return cls(row.status, row.signed_on, row.status_reason, row.required_override, row.override_reason)

    def with_status(self, status: PledgeStatus, signed_on: dt.date | None = None, reason: str = "") -> "PledgeEntry":
        return PledgeEntry(status, signed_on, reason, self.required, self.required_reason)

    def with_required(self, required: bool | None, reason: str = "") -> "PledgeEntry":
        return PledgeEntry(self.status, self.signed_on, self.reason, required, reason if required is not None else "")


@dataclass(frozen=True)
class PledgeChange:
    staff_id: str
    old: PledgeEntry
    new: PledgeEntry

    @classmethod
    def of(cls, row: PledgeRow, new: PledgeEntry) -> "PledgeChange":
        return cls(row.staff_id, PledgeEntry.of(row), new)


class RecordPledgesCommand(FilingCommand):
    """One or more people's status and/or 是否须签订 changed, all in one transaction."""

    def __init__(self, workspace: Workspace, text: str, campaign_id: str, changes: Sequence[PledgeChange]):
        super().__init__(workspace, text, campaign_id)
        self.pledge_changes = tuple(changes)
        self.staff_ids = tuple(change.staff_id for change in self.pledge_changes)

    def _apply(self, forwards: bool) -> None:
        with self._session.store.transaction():
            for change in self.pledge_changes:
                old, new = (change.old, change.new) if forwards else (change.new, change.old)
                self._write(change.staff_id, old, new)

    def _write(self, staff_id: str, old: PledgeEntry, new: PledgeEntry) -> None:
        if (new.status, new.signed_on, new.reason) != (old.status, old.signed_on, old.reason):
            pledge_service.set_status(self._session, staff_id, new.status, signed_on=new.signed_on,
                                      reason=new.reason, campaign_id=self.campaign_id)
        if (new.required, new.required_reason) != (old.required, old.required_reason):
            pledge_service.set_required(self._session, staff_id, new.required, new.required_reason,
                                        campaign_id=self.campaign_id)

    def _redo(self) -> None:
        self._apply(forwards=True)

    def _undo(self) -> None:
        self._apply(forwards=False)


class SignManyCommand(RecordPledgesCommand):
    """标记已签订: several people on one date through ``sign_many`` (all or nothing)."""

    def __init__(self, workspace: Workspace, campaign_id: str, rows: Sequence[PledgeRow], signed_on: dt.date):
        changes = [PledgeChange.of(r, PledgeEntry.of(r).with_status(PledgeStatus.SIGNED, signed_on)) for r in rows]
        super().__init__(workspace, f"登记{people_text([r.name for r in rows])}已签订", campaign_id, changes)
        self.signed_on = signed_on

    def _redo(self) -> None:
        pledge_service.sign_many(self._session, [c.staff_id for c in self.pledge_changes], self.signed_on,
                                 campaign_id=self.campaign_id)


class AttachScanCommand(FilingCommand):
    """附加扫描件 (replacing one already there); undo puts the earlier scan back, or none."""

    def __init__(self, workspace: Workspace, campaign_id: str, row: PledgeRow, path: Path):
        super().__init__(workspace, f"为“{row.name}”附加扫描件", campaign_id)
        self.staff_id, self.path = row.staff_id, Path(path)
        self.staff_ids = (row.staff_id,)
        self.before = pledge_service.get_scan(self._session, row.staff_id, campaign_id=campaign_id)
        self.after = None

    def _first(self) -> None:
        pledge_service.attach_scan(self._session, self.staff_id, self.path, campaign_id=self.campaign_id)
        self.after = pledge_service.get_scan(self._session, self.staff_id, campaign_id=self.campaign_id)

    def _redo(self) -> None:
        pledge_service.attach_scan_data(self._session, self.staff_id, self.after.data, self.after.file_name,
                                        campaign_id=self.campaign_id)

    def _undo(self) -> None:
        if self.before is None:
            pledge_service.remove_scan(self._session, self.staff_id, campaign_id=self.campaign_id)
        else:
            pledge_service.attach_scan_data(self._session, self.staff_id, self.before.data, self.before.file_name,
                                            campaign_id=self.campaign_id)


class ImportScansCommand(FilingCommand):
    """批量导入签字页扫描件: everyone matched becomes 已签订 with their pages (after a backup, one
    transaction); undo puts back each person's status, date and earlier scan (or none)."""

    def __init__(self, workspace: Workspace, plan, person_scans, signed_on: dt.date):
        super().__init__(workspace, f"导入签字页扫描件（{len(person_scans)}人）", plan.campaign_id)
        self.plan, self.person_scans, self.signed_on = plan, tuple(person_scans), signed_on
        self.staff_ids = tuple(p.staff_id for p in self.person_scans)
        self.before = [
            (pledge_service.get_pledge(self._session, p.staff_id, campaign_id=self.campaign_id),
             pledge_service.get_scan(self._session, p.staff_id, campaign_id=self.campaign_id))
            for p in self.person_scans
        ]
        self.result = None

    def _first(self) -> None:
        from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415 - loads the scan readers

        self.result = pledge_scan_import.apply_scan_import(self._session, self.plan, self.signed_on,
                                                           person_scans=self.person_scans)

    def _redo(self) -> None:
        from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415

        pledge_service.sign_with_scans(self._session, [(p.staff_id, p.scan) for p in self.person_scans],
                                       self.signed_on, reason=pledge_scan_import.record_reason(self.plan),
                                       campaign_id=self.campaign_id)

    def _undo(self) -> None:
        with self._session.store.transaction():
            for row, scan in self.before:
                pledge_service.set_status(self._session, row.staff_id, row.status, signed_on=row.signed_on,
                                          reason=row.status_reason, campaign_id=self.campaign_id)
                if scan is None:
                    pledge_service.remove_scan(self._session, row.staff_id, campaign_id=self.campaign_id)
                else:
                    pledge_service.attach_scan_data(self._session, row.staff_id, scan.data, scan.file_name,
                                                    campaign_id=self.campaign_id)


class RemoveScanCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, row: PledgeRow):
        super().__init__(workspace, f"移除“{row.name}”的扫描件", campaign_id)
        self.staff_id = row.staff_id
        self.staff_ids = (row.staff_id,)
        self.scan = pledge_service.get_scan(self._session, row.staff_id, campaign_id=campaign_id)

    def _redo(self) -> None:
        pledge_service.remove_scan(self._session, self.staff_id, campaign_id=self.campaign_id)

    def _undo(self) -> None:
        pledge_service.attach_scan_data(self._session, self.staff_id, self.scan.data, self.scan.file_name,
                                        campaign_id=self.campaign_id)


# ----------------------------------------------------------------------------- 自查表


class SetHeaderCommand(FilingCommand):
    """单位负责人 and 填报日期; ``warnings`` holds the service's questions after the first run."""

    def __init__(self, workspace: Workspace, campaign_id: str, old: SelfCheck, leader: str, filled_on: dt.date | None):
        super().__init__(workspace, "修改自查表表头", campaign_id)
        self.old = (old.leader, old.filled_on)
        self.new = (leader, filled_on)
        self.warnings: tuple[str, ...] = ()

    def _set(self, values: tuple[str, dt.date | None]) -> tuple[str, ...]:
        leader, filled_on = values
        result = selfcheck_service.set_header(self._session, leader=leader, filled_on=filled_on,
                                              campaign_id=self.campaign_id)
        return result.warnings

    def _first(self) -> None:
        self.warnings = self._set(self.new)

    def _redo(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)


class ConfirmNoneCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, row: int, confirmed: bool):
        text = f"确认自查表第{row}行“无”" if confirmed else f"取消自查表第{row}行“无”的确认"
        super().__init__(workspace, text, campaign_id)
        self.row, self.confirmed = row, confirmed

    def _redo(self) -> None:
        selfcheck_service.confirm_none(self._session, self.row, self.confirmed, campaign_id=self.campaign_id)

    def _undo(self) -> None:
        selfcheck_service.confirm_none(self._session, self.row, not self.confirmed, campaign_id=self.campaign_id)


@dataclass(frozen=True)
class FindingFields:
    """What the finding dialog collects."""

    problem: str
    measure: str
    owner_id: str
    due: dt.date

    @classmethod
    def of(cls, finding: Finding) -> "FindingFields":
        return cls(finding.problem, finding.measure, finding.owner_id, finding.due)


class AddFindingCommand(FilingCommand):
    """添加问题 to a row (or to a list item's row). Undo deletes it and gives back the row's “无”."""

    def __init__(self, workspace: Workspace, campaign_id: str, fields: FindingFields, *,
                 row: int | None = None, list_key: str = "", item_index: int | None = None):
        super().__init__(workspace, "添加问题", campaign_id)
        self.fields, self.row, self.list_key, self.item_index = fields, row, list_key, item_index
        current = selfcheck_service.get_self_check(self._session, campaign_id=campaign_id)
        self._none_before = {r.number for r in current.rows if r.none_confirmed}
        self.finding: Finding | None = None
        self.warnings: tuple[str, ...] = ()

    def _first(self) -> None:
        result = selfcheck_service.add_finding(
            self._session, problem=self.fields.problem, measure=self.fields.measure, owner_id=self.fields.owner_id,
            due=self.fields.due, row=self.row, list_key=self.list_key, item_index=self.item_index,
            campaign_id=self.campaign_id,
        )
        self.finding, self.warnings = result.finding, result.warnings
        self.setText(f"在自查表第{self.finding.row}行添加问题")

    def _redo(self) -> None:
        selfcheck_service.restore_finding(self._session, self.finding.id, reason="重做添加")

    def _undo(self) -> None:
        with self._session.store.transaction():
            selfcheck_service.delete_finding(self._session, self.finding.id, reason="撤销添加")
            if self.finding.row in self._none_before:
                selfcheck_service.confirm_none(self._session, self.finding.row, True, campaign_id=self.campaign_id)


class UpdateFindingCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, old: Finding, fields: FindingFields):
        super().__init__(workspace, f"修改自查表第{old.row}行的问题", campaign_id)
        self.old = old
        self.fields = fields
        self.warnings: tuple[str, ...] = ()

    def _update(self, fields: FindingFields, reason: str = "") -> tuple[str, ...]:
        result = selfcheck_service.update_finding(
            self._session, self.old.id, problem=fields.problem, measure=fields.measure, owner_id=fields.owner_id,
            due=fields.due, reason=reason,
        )
        return result.warnings

    def _first(self) -> None:
        self.warnings = self._update(self.fields)

    def _redo(self) -> None:
        self._update(self.fields)

    def _undo(self) -> None:
        self._update(FindingFields.of(self.old), reason="撤销修改")


class DeleteFindingCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, finding: Finding):
        super().__init__(workspace, f"删除自查表第{finding.row}行的问题", campaign_id)
        self.finding = finding

    def _redo(self) -> None:
        selfcheck_service.delete_finding(self._session, self.finding.id)

    def _undo(self) -> None:
        selfcheck_service.restore_finding(self._session, self.finding.id)


def _put_back_rectification(session, finding: Finding, undo_reason: str) -> None:
    if finding.done_on is None:
        selfcheck_service.reopen_rectification(session, finding.id, undo_reason)
    else:
        selfcheck_service.complete_rectification(session, finding.id, finding.done_on, finding.done_note)


class CompleteRectificationCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, finding: Finding, done_on: dt.date, note: str):
        super().__init__(workspace, "登记整改完成", campaign_id)
        self.finding, self.done_on, self.note = finding, done_on, note

    def _redo(self) -> None:
        selfcheck_service.complete_rectification(self._session, self.finding.id, self.done_on, self.note)

    def _undo(self) -> None:
        _put_back_rectification(self._session, self.finding, "撤销登记整改完成")


class ReopenRectificationCommand(FilingCommand):
    def __init__(self, workspace: Workspace, campaign_id: str, finding: Finding, reason: str):
        super().__init__(workspace, "恢复为整改中", campaign_id)
        self.finding, self.reason = finding, reason

    def _redo(self) -> None:
        selfcheck_service.reopen_rectification(self._session, self.finding.id, self.reason)

    def _undo(self) -> None:
        _put_back_rectification(self._session, self.finding, "撤销恢复整改中")


# ----------------------------------------------------------------------------- the campaign


@dataclass(frozen=True)
class CampaignFields:
    title: str
    document_number: str
    deadline: dt.date
    recipient: str

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignFields":
        return cls(campaign.title, campaign.document_number, campaign.deadline, campaign.recipient)


class UpdateCampaignCommand(FilingCommand):
    """修改行动信息 (an extended deadline, a corrected 文号)."""

    def __init__(self, workspace: Workspace, campaign: Campaign, fields: CampaignFields, reason: str):
        super().__init__(workspace, f"修改行动{campaign.quoted_title}", campaign.id)
        self.old, self.new, self.reason = CampaignFields.of(campaign), fields, reason

    def _save(self, fields: CampaignFields, reason: str) -> None:
        campaign_service.update_campaign(
            self._session, self.campaign_id, title=fields.title, document_number=fields.document_number,
            deadline=fields.deadline, recipient=fields.recipient, reason=reason,
        )

    def _redo(self) -> None:
        self._save(self.new, self.reason)

    def _undo(self) -> None:
        self._save(self.old, "撤销修改")
