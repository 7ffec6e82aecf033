"""Undoable edits of the unit: its fields, the active policy template, the seal image."""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.domain.unit import UNIT_FIELDS, Unit
from qingqing_desktop.services import seal_service, template_service, unit_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.commands import ServiceCommand
from qingqing_desktop.ui.common.workspace import Workspace


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

    def __init__(self, workspace: Workspace, path: Path | None = None, *, transparent_white: bool = True):
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
