"""对照清单自查: walk through the lists item by item, tick what was checked, record a problem in the right row.

The ticks are a working aid, not filing data: they are kept in the settings
per campaign. A problem recorded from an item is a real finding, linked to the
list item (``list_key``/``item_index``); the service files it under the row
that list belongs to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.selfcheck import Finding, row_for_list
from qingqing_desktop.ui.common.settings import Settings, checklist_ticks
from qingqing_desktop.ui.common.pages import PageScroll


def item_key(list_key: str, item_index: int) -> str:
    return f"{list_key}:{item_index}"


def item_label(item_index: int, text: str) -> str:
    return f"（{item_index}）{text}"


class ChecklistItem(QFrame):
    """One list item: its text, 已对照, 记录问题…, and how many problems were recorded from it."""

    def __init__(self, list_key: str, item_index: int, text: str, list_title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistItem")
        self.key = item_key(list_key, item_index)
        self.list_key, self.item_index = list_key, item_index
        self.context = f"{list_title}{item_label(item_index, text)}"  # what the finding dialog shows
        label = QLabel(item_label(item_index, text))
        label.setWordWrap(True)
        self.checked = QCheckBox("已对照")
        self.record_button = QPushButton("记录问题…")
        self.record_button.setObjectName("small")
        # On a line of its own: beside 已对照 and 记录问题… it made the item wider than a narrow panel.
        self.found = QLabel()
        self.found.setObjectName("foundCount")
        self.found.setWordWrap(True)
        self.found.hide()
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.checked)
        actions.addStretch(1)
        actions.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(label)
        layout.addWidget(self.found)
        layout.addLayout(actions)

    def show_found(self, count: int) -> None:
        self.found.setText(f"已记录 {count} 条问题" if count else "")
        self.found.setVisible(bool(count))


class ChecklistPanel(QWidget):
    record_requested = Signal(str, int, str)  # list key, item number (1-based), the item as shown

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = settings
        self._campaign: Campaign | None = None
        self.items: list[ChecklistItem] = []
        heading = QLabel("对照清单逐条自查")
        heading.setObjectName("panelTitle")
        explanation = QLabel("逐条对照正面清单和负面清单，核对过的勾“已对照”；发现问题点“记录问题…”，问题会登记到自查表对应的行。")
        explanation.setObjectName("hint")
        explanation.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("checklistProgress")
        self.progress_label = QLabel()
        self.list_box = QWidget()
        self.list_layout = QVBoxLayout(self.list_box)
        self.list_layout.setContentsMargins(0, 0, 6, 0)
        self.list_layout.setSpacing(6)
        scroll = PageScroll(self.list_box, fit_width=True)  # never cut an item off at the right
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(scroll, 1)

    def show_campaign(self, campaign: Campaign, findings: Sequence[Finding], *, locked: bool) -> None:
        if self._campaign is None or self._campaign.id != campaign.id:
            self._campaign = campaign
            self._build(campaign)
        ticks = self._ticks()
        found = Counter(item_key(f.list_key, f.item_index) for f in findings if f.list_key)
        for item in self.items:
            item.checked.blockSignals(True)
            item.checked.setChecked(item.key in ticks)
            item.checked.blockSignals(False)
            item.checked.setEnabled(not locked)
            item.record_button.setEnabled(not locked)
            item.show_found(found[item.key])
        self._show_progress()

    def _build(self, campaign: Campaign) -> None:
        while self.list_layout.count():
            widget = self.list_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.items = []
        for policy_list in campaign.template.lists:
            row = row_for_list(policy_list.key)
            if row is None:
                continue  # the 引导清单 addresses enterprises; no row of the 自查表 takes it
            title = QLabel(policy_list.title)
            title.setObjectName("listTitle")
            title.setWordWrap(True)
            where = QLabel(f"发现的问题登记在自查表第{row}行")
            where.setObjectName("hint")
            where.setWordWrap(True)  # the panel may be narrow beside the form on a small screen
            self.list_layout.addWidget(title)
            self.list_layout.addWidget(where)
            for number, text in enumerate(policy_list.items, start=1):
                item = ChecklistItem(policy_list.key, number, text, policy_list.title)
                item.checked.toggled.connect(self._save_ticks)
                item.record_button.clicked.connect(
                    lambda _checked=False, item=item: self.record_requested.emit(item.list_key, item.item_index,
                                                                                 item.context)
                )
                self.items.append(item)
                self.list_layout.addWidget(item)
        self.list_layout.addStretch(1)

    def _ticks(self) -> set[str]:
        text = self._settings.get(checklist_ticks(self._campaign.id))
        return {key for key in text.split(",") if key}

    def _save_ticks(self) -> None:
        keys = [item.key for item in self.items if item.checked.isChecked()]
        self._settings.set(checklist_ticks(self._campaign.id), ",".join(keys))
        self._show_progress()

    def tick(self, list_key: str, item_index: int) -> None:
        for item in self.items:
            if item.key == item_key(list_key, item_index):
                item.checked.setChecked(True)

    def checked_count(self) -> int:
        return sum(item.checked.isChecked() for item in self.items)

    def _show_progress(self) -> None:
        done, total = self.checked_count(), len(self.items)
        self.progress_label.setText(f"已对照 {done} / {total} 条")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setTextVisible(False)
