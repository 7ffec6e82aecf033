"""导入任务包 when campaigns were made here: adopt one of them (nothing is entered twice) or import anew."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.services.campaign_adoption import AdoptionCandidate, CampaignFilePreview
from qingqing_desktop.ui.common.forms import grow_to_fit, keep_default

OFFICE = "纪委（监察室）"
# Not -1: QButtonGroup takes -1 as “give this button an id yourself”, and button(-1) was then None
# (a 任务包 that matched no campaign here crashed the dialog).
NEW_CAMPAIGN = 1_000_000
DIALOG_WIDTH = 720
DETAILS_INDENT = 24  # under the radio button's text, past its circle


def candidate_text(candidate: AdoptionCandidate) -> str:
    return f"采用本机的行动{candidate.campaign.quoted_title}"


def candidate_details(candidate: AdoptionCandidate) -> str:
    """Under the choice, wrapped: a radio button's own text does not wrap, and the long line was cut off."""
    campaign = candidate.campaign
    number = f"，{campaign.document_number}" if campaign.document_number else ""
    matched = f"——{candidate.matched_by}" if candidate.matched_by else ""
    return f"截止 {chinese_date(campaign.deadline)}{number}，{candidate.status.label}{matched}"


class AdoptCampaignDialog(QDialog):
    """The candidates as radio buttons (the matching one chosen), “作为新的行动导入” last, and for the
    chosen one what changes: the template's wording, and a finalised filing being reopened."""

    def __init__(self, preview: CampaignFilePreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入任务包")
        self.setMinimumWidth(560)
        self.preview = preview
        office = preview.office_campaign
        number = f"，文号 {office.document_number}" if office.document_number else ""
        intro = QLabel(
            f"{preview.office_name}发来的任务包：行动{office.quoted_title}{number}，截止 {chinese_date(office.deadline)}。\n\n"
            "本机已有自己新建的行动。采用其中一个，已登记的承诺书、自查表和修改记录全部保留，"
            f"此后使用{OFFICE}的政策模板，报送包由{OFFICE}接收；作为新的行动导入则要重新登记。"
        )
        intro.setWordWrap(True)
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for number_, candidate in enumerate(preview.candidates):
            button = QRadioButton(candidate_text(candidate))
            self.choices.addButton(button, number_)
            layout.addWidget(button)
            details = QLabel(candidate_details(candidate))
            details.setObjectName("hint")
            details.setWordWrap(True)
            details.setContentsMargins(DETAILS_INDENT, 0, 0, 0)
            layout.addWidget(details)
        fresh = QRadioButton("作为新的行动导入（本机的行动保持不变，承诺书和自查表须重新登记）")
        self.choices.addButton(fresh, NEW_CAMPAIGN)
        layout.addWidget(fresh)
        self.changes_title = QLabel()
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setObjectName("templateDifferences")
        self.changes.setMinimumHeight(140)
        layout.addWidget(self.changes_title)
        layout.addWidget(self.changes, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Once the box is in the dialog: made the default before, 导入 was not the one the dialog went
        # back to, and Tab over 取消 left 取消 the default (Return on the chosen campaign cancelled).
        keep_default(buttons, self.import_button)
        self.choices.idToggled.connect(lambda _id, checked: checked and self._show_changes())
        suggested = preview.candidates.index(preview.suggested) if preview.suggested else NEW_CAMPAIGN
        self.choices.button(suggested).setChecked(True)
        self.choices.button(suggested).setFocus(Qt.FocusReason.OtherFocusReason)
        grow_to_fit(self, DIALOG_WIDTH)

    def chosen(self) -> AdoptionCandidate | None:
        """The campaign to adopt; None: import the office's as a new campaign."""
        index = self.choices.checkedId()
        return None if index == NEW_CAMPAIGN else self.preview.candidates[index]

    def _show_changes(self) -> None:
        candidate = self.chosen()
        if candidate is None:
            self.changes_title.setText("将新建纪委（监察室）发布的行动，并设为当前行动。")
            self.changes.setPlainText("")
            self.changes.hide()
            return
        self.changes.show()
        lines = []
        if candidate.reopens:
            lines.append(f"本次报送已定稿（第{candidate.status.revision}版）。采用后重新打开为第{candidate.status.revision + 1}版，"
                         "内容不变，核对后请重新定稿、打印盖章。\n")
        if candidate.template_differences:
            self.changes_title.setText(f"采用后，政策模板改用{OFFICE}的版本，以下 {len(candidate.template_differences)} 处与本机的不同：")
            lines.extend(candidate.template_differences)
        else:
            self.changes_title.setText(f"{OFFICE}的政策模板与本机行动的模板一致，采用后内容不变。")
        self.changes.setPlainText("\n".join(lines))
        self.changes.setVisible(bool(lines))
        if self.isVisible():  # while being built, the constructor sizes it once at the end
            grow_to_fit(self)
