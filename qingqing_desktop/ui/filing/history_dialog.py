"""修改记录 of the current campaign's filing: its state, pledges and scans, the 自查表 and its findings."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.selfcheck import FINDING_FIELD_LABELS
from qingqing_desktop.services import filing_service
from qingqing_desktop.services.history import HistoryEntry
from qingqing_desktop.ui.common.history_dialog import HistoryDialog
from qingqing_desktop.ui.common.workspace import Workspace


def readable(entry: HistoryEntry, template: PolicyTemplate) -> HistoryEntry:
    """A finding's list is stored by its key (negative); show the list's title instead."""
    if entry.field != FINDING_FIELD_LABELS["list_key"]:
        return entry

    def title(key: str | None) -> str | None:
        policy_list = template.list_by_key(key) if key else None
        return policy_list.title if policy_list else key

    return replace(entry, old=title(entry.old), new=title(entry.new))


def show_history(workspace: Workspace, parent: QWidget) -> HistoryDialog | None:
    campaign = workspace.campaign()
    if campaign is None:
        return None
    entries = [readable(e, campaign.template) for e in filing_service.filing_history(workspace.session)]
    dialog = HistoryDialog(f"修改记录 — {campaign.title}", entries, workspace.settings, parent)
    dialog.open()
    return dialog
