"""定稿 and 重新打开: the readiness check before locking, and the reason needed to reopen.

Neither is an undoable edit: each is an audited change of the filing's state
(a new revision on reopening), so both ask first and say what will happen.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import filing_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.filing_service import Readiness
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import ReasonDialog, grow_to_fit
from qingqing_desktop.ui.common.workspace import Workspace

FILING_CHANGED = Changes(filing=True)


def _bullets(lines) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


class FinaliseDialog(QDialog):
    """Shows ``check_readiness``: blockers refuse 定稿; unsigned people must be acknowledged first."""

    def __init__(self, workspace: Workspace, readiness: Readiness, revision: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("定稿")
        self.setMinimumWidth(520)
        self._ws = workspace
        self.readiness = readiness
        layout = QVBoxLayout(self)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.message)
        self.acknowledge = QCheckBox(f"我已知晓尚有 {len(readiness.unsigned)} 人未签订，仍然定稿")
        self.acknowledge.setVisible(readiness.can_finalise and bool(readiness.unsigned))
        layout.addWidget(self.acknowledge)

        self.buttons = QDialogButtonBox()
        if readiness.can_finalise:
            self.finalise_button = self.buttons.addButton(f"定稿（第{revision}版）", QDialogButtonBox.ButtonRole.AcceptRole)
            self.finalise_button.setObjectName("primary")
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.acknowledge.toggled.connect(self._update_button)
        else:
            self.finalise_button = None
            self.buttons.addButton("返回填写", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.message.setText(self._text(revision))
        self._update_button()
        # As tall as the text at the width the dialog opens with: its first size came from the wrapped
        # text's height at a narrower width, and a blank gap stayed above the buttons (nobody unsigned:
        # no checkbox there).
        grow_to_fit(self, max(self.minimumWidth(), self.sizeHint().width()))

    def _text(self, revision: int) -> str:
        ready = self.readiness
        if not ready.can_finalise:
            return "<p><b>还不能定稿：</b></p>" + _bullets(ready.blockers)
        parts = [
            f"<p>定稿后，本次报送的承诺书签订情况和自查表将锁定为<b>第{revision}版</b>，"
            "打印的材料上会标明版次。定稿后如需修改，须“重新打开”并说明原因，修改后成为新的一版。</p>"
        ]
        if ready.unsigned:
            parts.append(f"<p style='color:#a15c00'><b>提醒：</b>{escape(ready.unsigned_text())}。</p>")
        if ready.notes:
            parts.append(_bullets(ready.notes))
        return "".join(parts)

    def _update_button(self) -> None:
        if self.finalise_button is not None:
            self.finalise_button.setEnabled(not self.readiness.unsigned or self.acknowledge.isChecked())

    def accept(self) -> None:
        try:
            result = filing_service.finalize(self._ws.session)
        except QingqingError as exc:
            messages.show_error(self, exc, "未能定稿")
            return
        self._ws.notify(FILING_CHANGED)
        # The filing complete is what a clerk can least afford to lose, and the first timer backup
        # may be half an hour away: keep a copy now. The 定稿 stands whatever becomes of it.
        try:
            self._ws.backup("finalise")
            kept = "已自动备份。"
        except QingqingError as exc:
            kept = f"自动备份未完成：{exc}"
        super().accept()
        from qingqing_desktop.services import package_service  # noqa: PLC0415 — loads the exchange code: not at start

        from_office = package_service.received_campaign(self._ws.session, self._ws.campaign().id) is not None
        QMessageBox.information(self.parentWidget(), "已定稿", finalised_text(result.status.label, kept, from_office))


def finalised_text(state: str, kept: str, from_office: bool) -> str:
    """What 定稿 did and what comes next; a campaign made on this PC needs the office's 任务包 before
    its 报送包 can be made (the clerk would otherwise go to 报送与接收 and be turned back)."""
    if from_office:
        deliver = "再在“报送与接收”页生成报送包，"
    else:
        deliver = ("本次行动是在本机新建的：先导入纪委（监察室）发来的任务包（导入时选“采用本机的行动”，已填的内容都保留），"
                   "再在“报送与接收”页生成报送包，")
    return (f"本次报送{state}。承诺书签订和自查表已锁定；整改进度仍可登记。{kept}\n\n"
            f"下一步：在“导出与打印”页打印附件2、附件3并盖章；{deliver}连同盖章的纸质材料交纪委（监察室）。\n\n"
            "如需修改，请在“报送”菜单中选“重新打开修改…”。")


def finalise(workspace: Workspace, parent: QWidget) -> FinaliseDialog | None:
    campaign = workspace.campaign()
    if campaign is None:
        return None
    try:
        readiness = filing_service.check_readiness(workspace.session)
    except QingqingError as exc:
        messages.show_error(parent, exc)
        return None
    dialog = FinaliseDialog(workspace, readiness, workspace.filing_status(campaign).revision, parent)
    dialog.open()
    return dialog


def reopen(workspace: Workspace, parent: QWidget) -> ReasonDialog | None:
    campaign = workspace.campaign()
    if campaign is None:
        return None
    status = workspace.filing_status(campaign)
    dialog = ReasonDialog(
        "重新打开修改",
        f"本次报送{status.label}。重新打开后成为第{status.revision + 1}版草稿，可以修改；"
        "修改完成后须重新定稿、重新打印盖章。原因将记入修改记录。",
        "原因", "重新打开", placeholder="如：纪委退回，补登一名调入的中层干部", multiline=True, parent=parent,
    )

    def submit() -> None:
        filing_service.reopen(workspace.session, dialog.text())
        workspace.notify(FILING_CHANGED)

    dialog.on_submit(submit)
    dialog.open()
    return dialog
