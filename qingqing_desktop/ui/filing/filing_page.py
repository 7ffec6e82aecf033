"""What the pages about the current campaign share: a friendly start when there is no campaign yet,
a banner (with the way out) while the filing is finalised and therefore read-only, and the
office's 退回意见 while the revision it sent back is being corrected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.filing import FilingStatus
from qingqing_desktop.services import package_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.package_service import ReturnNotice
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.pages import Page
from qingqing_desktop.ui.delivery import delivery_actions
from qingqing_desktop.ui.filing import campaign_dialogs, finalise


class NoCampaignView(QWidget):
    """Shown instead of a filing page until the first campaign exists.

    A unit's campaign normally comes from the office's 任务包 (only then can the office
    take its 报送包), so 导入任务包 is the big button; 新建行动 stays for a unit without one.
    """

    UNIT_TEXT = (
        "收到纪委（监察室）发来的任务包（.qqtask 文件）后，先导入它，\n"
        "就可以登记承诺书签订情况、填写自查表。\n"
        "暂时没有任务包的，也可以自己新建一次行动，先填起来。"
    )

    def __init__(self, parent: QWidget | None = None, *, text: str = UNIT_TEXT,
                 import_text: str | None = "导入任务包…", new_text: str = "新建行动…"):
        super().__init__(parent)
        heading = QLabel("还没有行动（批次）")
        heading.setObjectName("emptyTitle")
        # Lines broken by hand: a word-wrapped label in a centred column gets squeezed to its minimum.
        label = QLabel(text)
        label.setObjectName("pageExplanation")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton(import_text) if import_text else None
        self.new_button = QPushButton(new_text)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        if self.import_button is not None:
            self.import_button.setObjectName("bigPrimary")
            self.new_button.setObjectName("bigSecondary")
            buttons.addWidget(self.import_button)
        else:
            self.new_button.setObjectName("bigPrimary")
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addStretch(1)
        for widget in (heading, label):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
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


class ReturnBanner(QFrame):
    """The office's comment while the revision it sent back is being corrected: the clerk fixes
    the 承诺书 and 自查表 pages with the comment in view, not from memory."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("returnBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)

    def show_notice(self, notice: ReturnNotice | None, status: FilingStatus | None) -> None:
        pending = (notice is not None and status is not None and not status.locked
                   and notice.revision == status.revision - 1)
        if pending:
            self.label.setText(f"{notice.office_name}退回了第{notice.revision}版，请按意见修改后重新定稿、报送。"
                               f"退回意见：\n{notice.comment}")
        self.setVisible(pending)


class FilingPage(Page):
    """A page about the current campaign. Subclasses put their widgets in ``content`` and implement ``load``."""

    locked_note = ""  # what can still be done here while the filing is locked

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.campaign: Campaign | None = None
        self.status: FilingStatus | None = None
        self.banner = LockBanner()
        self.banner.reopen_button.clicked.connect(lambda: finalise.reopen(self.ws, self))
        self.return_banner = ReturnBanner()
        self.no_campaign = NoCampaignView()
        self.no_campaign.new_button.clicked.connect(lambda: campaign_dialogs.new_campaign(self.ws, self))
        self.no_campaign.import_button.clicked.connect(lambda: delivery_actions.import_campaign_file(self.ws, self))
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 0, 0)
        self.content_layout.setSpacing(10)
        self.views = QStackedWidget()
        self.views.addWidget(self.no_campaign)
        self.views.addWidget(self.content)
        self.body.addWidget(self.banner)
        self.body.addWidget(self.return_banner)
        self.body.addWidget(self.views, 1)
        self.banner.hide()
        self.return_banner.hide()
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
        notice = package_service.latest_return(self.ws.session) if self.campaign and self.ws.unit() else None
        self.return_banner.show_notice(notice, self.status)
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
