"""Every edit the user makes, as an undoable command whose redo and undo are service calls.

``Workspace.execute`` runs a command's first redo *before* pushing it, so an
edit the services refuse raises ``InputRejected`` to the caller and never
reaches the stack. Later undo/redo run from inside Qt, where an exception must
not escape: a failure there is reported through ``Workspace.command_failed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from qingqing_desktop.domain.staff import StaffMember
from qingqing_desktop.domain.unit import UNIT_FIELDS, Unit
from qingqing_desktop.services import roster_service, sample_data, seal_service, template_service, unit_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.roster_service import ImportPlan, ImportResult, RowStatus
from qingqing_desktop.ui.workspace import Workspace


class ServiceCommand(QUndoCommand):
    changes = Changes(staff=True)

    def __init__(self, workspace: Workspace, text: str):
        super().__init__(text)
        self._ws = workspace
        self._pushed = False

    @property
    def _session(self):
        return self._ws.session

    def first_redo(self) -> None:
        self._first()
        self._ws.notify(self.changes)

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push() calls redo(); first_redo() has done the work
            self._pushed = True
            return
        self._guarded(self._redo)

    def undo(self) -> None:
        self._guarded(self._undo)

    def _guarded(self, action) -> None:
        try:
            action()
        except Exception as exc:  # noqa: BLE001 — must not propagate into Qt's undo stack
            self._ws.command_failed.emit(exc)
        self._ws.notify(self.changes)

    def _first(self) -> None:
        self._redo()

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


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


def unit_fields(unit: Unit) -> dict:
    return {name: getattr(unit, name) for name in UNIT_FIELDS}


class SaveUnitCommand(ServiceCommand):
    changes = Changes(unit=True)

    def __init__(self, workspace: Workspace, old: Unit, new_fields: dict):
        super().__init__(workspace, "修改单位信息")
        self.old_fields = unit_fields(old)
        self.new_fields = new_fields

    def _redo(self) -> None:
        unit_service.save_unit(self._session, **self.new_fields)

    def _undo(self) -> None:
        unit_service.save_unit(self._session, **self.old_fields)


class SetTemplateCommand(ServiceCommand):
    changes = Changes(template=True)

    def __init__(self, workspace: Workspace, old_id: str, new_id: str, new_name: str):
        super().__init__(workspace, f"改用政策模板“{new_name}”")
        self.old_id, self.new_id = old_id, new_id

    def _redo(self) -> None:
        template_service.set_active_template(self._session, self.new_id)

    def _undo(self) -> None:
        template_service.set_active_template(self._session, self.old_id)


class SealImageCommand(ServiceCommand):
    """选择图片 (``path`` given) or 删除印章图像; undo puts back the image there was before, if any."""

    changes = Changes(unit=True)

    def __init__(self, workspace: Workspace, path: Path | None = None, *, transparent_white: bool = False):
        super().__init__(workspace, "更换电子印章图像" if path else "删除电子印章图像")
        self.path = path
        self.transparent_white = transparent_white
        self.before = seal_service.seal_info(workspace.session)
        self.after: tuple[bytes, str] | None = None

    def _first(self) -> None:
        if self.path is None:
            seal_service.clear_seal_image(self._session)
            return
        png = seal_service.set_seal_image(self._session, self.path, transparent_white=self.transparent_white)
        self.after = (png, self.path.name)

    def _redo(self) -> None:
        self._put(self.after)

    def _undo(self) -> None:
        self._put(self.before)

    def _put(self, image: tuple[bytes, str] | None) -> None:
        if image is None:
            seal_service.restore_seal_image(self._session, None)
        else:
            seal_service.restore_seal_image(self._session, *image)
