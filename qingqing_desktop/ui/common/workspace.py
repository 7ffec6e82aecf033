"""The open session as the GUI sees it: one undo stack, and a signal saying what changed.

Pages never refresh each other; they listen to ``changed`` and reload what the
``Changes`` concerns (cf. Anki's OpChanges). The undo stack's clean state marks
"everything up to here is in a backup", so the window title's [*] means
"changed since the last backup" — every edit itself is saved at once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.filing import FilingStatus
from qingqing_desktop.domain.unit import Unit
from qingqing_desktop.services import campaign_service, filing_service, template_service, unit_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.session import Session
from qingqing_desktop.ui.common.settings import OPERATOR_NAME, Settings

# The backups' modules (hashing, uuid) load with the first backup, minutes after the window shows.
if TYPE_CHECKING:
    from qingqing_desktop.services.backup_service import RestoreResult

EVERYTHING = Changes(unit=True, staff=True, template=True, filing=True)


class Workspace(QObject):
    changed = Signal(object)  # Changes
    backed_up = Signal(object)  # Path of the new backup
    command_failed = Signal(object)  # exception raised while undoing or redoing
    # DatabaseDamaged when a check finds the database unsound (every write refused from then on);
    # None when a restore made it sound again. Emitted from any thread, delivered on the GUI thread.
    soundness_changed = Signal(object)
    operator_changed = Signal(str)  # the 经办人 name every audit entry from now on carries

    def __init__(self, session: Session, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self._template = None
        self._seen_version: tuple[int, int] | None = None
        self.changed.connect(self._forget_cached)
        session.store.on_damaged(self.soundness_changed.emit)
        self._changed_elsewhere()  # the baseline
        self._backed_up_at = self._written()

    def set_operator(self, name: str) -> None:
        """The clerk's name for the audit log, from now on and at the next start."""
        self.session.operator = name
        self.settings.set(OPERATOR_NAME, name)
        self.operator_changed.emit(name)

    def operator_named(self) -> bool:
        """Whether the clerk gave a name here; if not, the audit log records the computer's login name."""
        return bool(self.settings.get(OPERATOR_NAME))

    @property
    def damage(self):
        """Why the database refuses every write (``DatabaseDamaged``), or None."""
        return self.session.damage

    def _changed_elsewhere(self) -> bool:
        """Whether another program committed to the database since the last look (one PRAGMA: cheap)."""
        store = self.session.store
        try:
            version = (id(store), store.data_version())
        except sqlite3.Error:
            return False  # a closed or damaged database: the soundness checks speak about that
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        return changed

    def refresh_if_changed_elsewhere(self) -> bool:
        """After qingqing-cli (or another window) changed the data: reload every page. The undo history
        is dropped, since undoing now could overwrite what the other program wrote. True if it reloaded."""
        if not self._changed_elsewhere():
            return False
        if self.session.check(full=False) is not None:
            return False  # what changed is damage: the banner and the backups take over, no page reads it
        self.undo_stack.clear()
        self.notify(EVERYTHING)
        return True

    def unit(self) -> Unit | None:
        return unit_service.get_unit(self.session)

    def is_office(self) -> bool:
        """纪委（监察室）模式: this database collects the units' filings instead of filing for one unit."""
        return self.session.is_office

    def campaign(self) -> Campaign | None:
        """The current campaign (行动), which the pledge and 自查表 pages work on."""
        return campaign_service.current_campaign(self.session)

    def filing_status(self, campaign: Campaign) -> FilingStatus:
        return filing_service.filing_status(self.session, campaign_id=campaign.id)

    def template(self):
        """The active policy template; read once, since loading parses every template file."""
        if self._template is None:
            self._template = template_service.active_template(self.session)
        return self._template

    def _forget_cached(self, changes: Changes) -> None:
        if changes.template:
            self._template = None

    def execute(self, command) -> None:
        """Do ``command`` and put it on the undo stack; a refused edit raises and is not stacked."""
        command.first_redo()
        self.undo_stack.push(command)

    def notify(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def saved_outside_undo(self, changes: Changes) -> None:
        """A write that is not an undoable command (a policy template saved, imported or deleted):
        announce it. The timer and exit backups take it along as every write (``changed_since_backup``)."""
        self.notify(changes)

    def _written(self) -> tuple[int, int]:
        connection = self.session.store.conn
        try:
            return id(connection), connection.total_changes
        except sqlite3.Error:  # the session is closed (the program is ending): nothing to back up from it
            return self._backed_up_at

    def changed_since_backup(self) -> bool:
        """Whether anything was written since the last backup, for the timer and exit backups: an edit,
        its undoing or redoing, or a write outside the undo history (a 任务包 imported, 定稿, a 报送包 made,
        a 退回 taken in) — SQLite counts every row this program's connection changed, so none is missed."""
        return self._written() != self._backed_up_at

    def backup(self, reason: str) -> Path:
        from qingqing_desktop.services import backup_service  # noqa: PLC0415

        path = backup_service.create_backup(self.session, reason)
        self._backed_up_at = self._written()
        self.backed_up.emit(path)
        return path

    def restore(self, backup_path: Path, *, outside: bool = False) -> RestoreResult:
        """Put a backup's data in place; the undo history no longer applies."""
        from qingqing_desktop.services import backup_service  # noqa: PLC0415

        was_damaged = self.session.damage is not None
        result = backup_service.restore_backup(self.session, backup_path, outside=outside)
        self._changed_elsewhere()  # the data as restored is the baseline: this program changed it, no other
        self.undo_stack.clear()
        self._backed_up_at = self._written()  # the data as it was is in the backup taken before restoring
        self._template = None
        self.notify(EVERYTHING)
        if was_damaged and self.session.damage is None:
            self.soundness_changed.emit(None)
        return result
