"""The office's undoable edits: the list of units expected to file, and the office's name.

退回, 确认 and imports are not here: each is an audited step with a file going out or
coming in, so they ask first instead of offering an undo.
"""

from __future__ import annotations

from collections.abc import Sequence

from qingqing_desktop.services import office_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.commands import ServiceCommand
from qingqing_desktop.ui.common.workspace import Workspace

# In office mode the "filing" is what the office holds: deliveries, reviews and the expected units.
# Every page about them listens for ``filing``, so these edits announce themselves that way.
BOARD_CHANGED = Changes(filing=True)


class AddExpectedUnitsCommand(ServiceCommand):
    changes = BOARD_CHANGED

    def __init__(self, workspace: Workspace, names: Sequence[str]):
        cleaned = [n.strip() for n in names if n.strip()]
        text = f"添加应报单位“{cleaned[0]}”" if len(cleaned) == 1 else f"添加应报单位{len(cleaned)}个"
        super().__init__(workspace, text)
        self.names = cleaned
        self.newly_expected: list[str] = []  # office unit ids this command put on the list

    def _first(self) -> None:
        before = {u.id for u in office_service.list_units(self._session) if u.expected}
        units = office_service.add_expected_units(self._session, self.names)
        self.newly_expected = list(dict.fromkeys(u.id for u in units if u.id not in before))

    def _redo(self) -> None:
        office_service.set_units_expected(self._session, self.newly_expected, True, reason="重做添加应报单位")

    def _undo(self) -> None:
        office_service.set_units_expected(self._session, self.newly_expected, False, reason="撤销添加应报单位")


class RemoveExpectedUnitsCommand(ServiceCommand):
    changes = BOARD_CHANGED

    def __init__(self, workspace: Workspace, units: Sequence[office_service.OfficeUnit]):
        text = f"将“{units[0].name}”移出应报名单" if len(units) == 1 else f"将{len(units)}个单位移出应报名单"
        super().__init__(workspace, text)
        self.unit_ids = [u.id for u in units]

    def _redo(self) -> None:
        office_service.set_units_expected(self._session, self.unit_ids, False, reason="移出应报名单")

    def _undo(self) -> None:
        office_service.set_units_expected(self._session, self.unit_ids, True, reason="撤销移出应报名单")


class RenameOfficeCommand(ServiceCommand):
    changes = Changes(unit=True)  # the window title and the 纪委信息 page show the name

    def __init__(self, workspace: Workspace, old_name: str, new_name: str):
        super().__init__(workspace, f"名称改为“{new_name.strip()}”")
        self.old_name, self.new_name = old_name, new_name

    def _redo(self) -> None:
        office_service.enable_office_mode(self._session, self.new_name)

    def _undo(self) -> None:
        office_service.enable_office_mode(self._session, self.old_name)
