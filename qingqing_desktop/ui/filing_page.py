"""What the pages about the current campaign share: a friendly start when there is no campaign yet,
and a banner (with the way out) while the filing is finalised and therefore read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.filing import FilingStatus
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui import campaign_dialogs, finalise, messages
from qingqing_desktop.ui.pages import Page


class NoCampaignView(QWidget):
    """Shown instead of a filing page until the first campaign exists."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        heading = QLabel("还没有行动（批次）")
        heading.setObjectName("emptyTitle")
        # Lines broken by hand: a word-wrapped label in a centred column gets squeezed to its minimum.
        text = QLabel(
            "收到上级“三清单一承诺”行动的通知后，先新建一次行动：\n"
            "选择政策模板，核对文号和截止日期。\n"
            "之后就可以登记承诺书签订情况、填写自查表。"
        )
        text.setObjectName("pageExplanation")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = QPushButton("新建行动…")
        self.new_button.setObjectName("bigPrimary")
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addStretch(1)
        for widget in (heading, text, self.new_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class LockBanner(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lockBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.reopen_button = QPushButton("重新打开修改…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reopen_button)

    def show_status(self, status: FilingStatus | None, note: str = "") -> None:
        locked = status is not None and status.locked
        if locked:
            self.label.setText(f"{status.locked_message()}。{note}")
        self.setVisible(locked)


class FilingPage(Page):
    """A page about the current campaign. Subclasses put their widgets in ``content`` and implement ``load``."""

    locked_note = ""  # what can still be done here while the filing is locked

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.campaign: Campaign | None = None
        self.status: FilingStatus | None = None
        self.banner = LockBanner()
        self.banner.reopen_button.clicked.connect(lambda: finalise.reopen(self.ws, self))
        self.no_campaign = NoCampaignView()
        self.no_campaign.new_button.clicked.connect(lambda: campaign_dialogs.new_campaign(self.ws, self))
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 0, 0)
        self.content_layout.setSpacing(10)
        self.views = QStackedWidget()
        self.views.addWidget(self.no_campaign)
        self.views.addWidget(self.content)
        self.body.addWidget(self.banner)
        self.body.addWidget(self.views, 1)
        self.banner.hide()
        self.ws.changed.connect(self._on_changed)

    @property
    def locked(self) -> bool:
        return self.status is not None and self.status.locked

    def _on_changed(self, changes: Changes) -> None:
        if changes.filing or changes.staff or changes.template or changes.unit:
            self.refresh()

    def refresh(self) -> None:
        self.campaign = self.ws.campaign()
        self.status = self.ws.filing_status(self.campaign) if self.campaign else None
        self.views.setCurrentWidget(self.content if self.campaign else self.no_campaign)
        self.banner.show_status(self.status, self.locked_note)
        if self.campaign is not None:
            self.load()

    def load(self) -> None:
        raise NotImplementedError

    def run(self, command) -> bool:
        """Do an undoable edit; a refusal is shown in a message box."""
        try:
            self.ws.execute(command)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return False
        return True
