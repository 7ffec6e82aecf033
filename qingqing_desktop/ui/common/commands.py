"""The base of every edit the user makes: an undoable command whose redo and undo are service calls.

The commands themselves live beside their pages (``roster/roster_commands.py``,
``unit/unit_commands.py``, ``filing/filing_commands.py``, ``office/office_commands.py``).

``Workspace.execute`` runs a command's first redo *before* pushing it, so an
edit the services refuse raises ``InputRejected`` to the caller and never
reaches the stack. Later undo/redo run from inside Qt, where an exception must
not escape: a failure there is reported through ``Workspace.command_failed``.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.workspace import Workspace


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
