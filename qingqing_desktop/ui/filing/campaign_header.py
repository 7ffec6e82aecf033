"""The strip above every page: which campaign is being filled in, how long is left, and the filing's state."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.ui.common.pages import ElidedLabel
from qingqing_desktop.ui.common.resources import set_style_property
from qingqing_desktop.ui.common.workspace import Workspace

SOON_DAYS = 3  # the deadline turns amber this many days before


class CampaignHeader(QFrame):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("campaignHeader")
        self._ws = workspace
        self.title = ElidedLabel()
        self.title.setObjectName("campaignTitle")
        self.document_number = QLabel()
        self.document_number.setObjectName("campaignDetail")
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.state = QLabel()
        self.state.setObjectName("filingState")
        self.new_button = QPushButton("新建行动…")  # only while there is no campaign
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.document_number)
        layout.addStretch(1)
        layout.addWidget(self.deadline)
        layout.addWidget(self.state)
        layout.addWidget(self.new_button)
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        campaign = self._ws.campaign()
        self.new_button.setVisible(campaign is None)
        for label in (self.document_number, self.deadline, self.state):
            label.setVisible(campaign is not None)
        self.new_button.setText("新建行动并导出任务包…" if self._ws.is_office() else "新建行动…")
        if campaign is None:
            self.title.setText("尚未创建行动")
            self.setToolTip("")
            return
        today = today or dt.date.today()
        office = self._ws.is_office()
        self.title.setText(campaign.title)
        self.document_number.setText(campaign.document_number)
        self.document_number.setVisible(bool(campaign.document_number))
        days_left = campaign.days_left(today)
        # For the office a passed deadline is a fact about the units, not its own lateness.
        when = f"已过截止日期 {-days_left} 天" if office and days_left < 0 else campaign.deadline_text(today)
        self.deadline.setText(f"截止 {chinese_date(campaign.deadline)}　{when}")
        # The office has no filing of its own: only the units' states on the board matter there.
        self.state.setVisible(not office)
        draft = True
        if not office:
            status = self._ws.filing_status(campaign)
            draft = status.state is FilingState.DRAFT
            self.state.setText(status.label)
            set_style_property(self.state, "state", "draft" if draft else "locked")
        # Red only while there is still something to do: a finalised filing is not overdue any more.
        urgency = "" if not draft or office else "overdue" if days_left < 0 else "soon" if days_left <= SOON_DAYS else ""
        set_style_property(self.deadline, "urgency", urgency)
        self.setToolTip(f"报送对象：{campaign.recipient}\n政策模板：{campaign.template.name}")
