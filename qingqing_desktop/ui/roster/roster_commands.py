"""Undoable roster edits: one person added, changed or deleted, the sample people removed, a whole import."""

from __future__ import annotations

from collections.abc import Iterable

from qingqing_desktop.domain.staff import StaffMember
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.roster_service import ImportPlan, ImportResult, RowStatus
from qingqing_desktop.ui.common.commands import ServiceCommand
from qingqing_desktop.ui.common.workspace import Workspace


class AddStaffCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, member: StaffMember):
        super().__init__(workspace, f"新增人员“{member.name}”")
        self.member = member

    def _first(self) -> None:
        roster_service.add_staff(self._session, self.member)

    def _redo(self) -> None:
        # Undo soft-deleted the row; bringing back the same UUID is the redo.
        roster_service.undelete_staff(self._session, self.member.id)

    def _undo(self) -> None:
        roster_service.delete_staff(self._session, self.member.id, reason="撤销新增")


class UpdateStaffCommand(ServiceCommand):
    """An edit in the dialog, or a status change such as 标记调离."""

    def __init__(self, workspace: Workspace, old: StaffMember, new: StaffMember, text: str):
        super().__init__(workspace, text)
        self.old, self.new = old, new

    def _redo(self) -> None:
        roster_service.update_staff(self._session, self.new)

    def _undo(self) -> None:
        roster_service.update_staff(self._session, self.old, reason="撤销修改")


class DeleteStaffCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, member: StaffMember):
        super().__init__(workspace, f"删除人员“{member.name}”")
        self.member = member

    def _redo(self) -> None:
        roster_service.delete_staff(self._session, self.member.id, reason="录入错误，删除")

    def _undo(self) -> None:
        roster_service.undelete_staff(self._session, self.member.id)


def _undelete_all(workspace: Workspace, staff_ids: Iterable[str]) -> None:
    # One transaction around the per-person calls (they nest as savepoints): all come back or none.
    with workspace.session.store.transaction():
        for staff_id in staff_ids:
            roster_service.undelete_staff(workspace.session, staff_id)


class RemoveSamplesCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, sample_ids: list[str]):
        super().__init__(workspace, "删除示例数据")
        self.sample_ids = sample_ids

    def _redo(self) -> None:
        from qingqing_desktop.services import sample_data  # noqa: PLC0415

        sample_data.remove_sample_data(self._session)

    def _undo(self) -> None:
        _undelete_all(self._ws, self.sample_ids)


class ImportCommand(ServiceCommand):
    """A whole import as one step: undo removes the people it added and restores those it changed."""

    def __init__(self, workspace: Workspace, plan: ImportPlan, *, skip_invalid: bool):
        super().__init__(workspace, f"导入“{plan.file_name}”")
        self.plan = plan
        self.skip_invalid = skip_invalid
        self.result: ImportResult | None = None
        self._added = [r.member for r in plan.rows if r.status is RowStatus.NEW]
        self._changed = [r.member for r in plan.rows if r.status is RowStatus.CHANGED]
        self._before = [roster_service.get_staff(workspace.session, m.id) for m in self._changed]

    def _first(self) -> None:
        self.result = roster_service.apply_import(self._session, self.plan, skip_invalid=self.skip_invalid)

    def _redo(self) -> None:
        with self._session.store.transaction():
            _undelete_all(self._ws, (m.id for m in self._added))
            for member in self._changed:
                roster_service.update_staff(self._session, member, reason=f"重做导入“{self.plan.file_name}”")

    def _undo(self) -> None:
        with self._session.store.transaction():
            for member in self._added:
                roster_service.delete_staff(self._session, member.id, reason="撤销导入")
            for member in self._before:
                roster_service.update_staff(self._session, member, reason="撤销导入")
