"""The unit's side of the USB-stick exchange: 导入任务包, 生成报送包, 导入退回意见.

Each function asks for the file, calls ``package_service`` and says in plain words what
happened and what to do next. The 报送 menu, the 报送与接收 page and the empty filing
pages all call these, so the wording is the same wherever the clerk starts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.services import campaign_adoption, document_service, package_service
from qingqing_desktop.services.campaign_adoption import CampaignFilePreview
from qingqing_desktop.services.package_service import CampaignImport, PackageResult
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.file_dialogs import (
    PACKAGE_FILTER,
    RETURN_FILTER,
    TASK_FILTER,
    ask_open_file,
    ask_save_file,
)
from qingqing_desktop.ui.common.settings import LAST_EXCHANGE_DIR, checklist_ticks
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.delivery.adopt_dialog import AdoptCampaignDialog
from qingqing_desktop.ui.filing.campaign_dialogs import CAMPAIGN_SWITCHED
from qingqing_desktop.ui.filing.finalise import FILING_CHANGED

OFFICE = "纪委（监察室）"
DEFAULT_RECIPIENT = "局机关纪委（监察室）"


# ----------------------------------------------------------------------------- 任务包 in


def campaign_import_text(result: CampaignImport) -> str:
    campaign = result.campaign
    if result.adopted is not None:
        lines = [f"已导入任务包，并采用了本机的行动{result.adopted.campaign.quoted_title}：已登记的承诺书、自查表和修改记录"
                 f"都已归入行动{campaign.quoted_title}（截止 {chinese_date(campaign.deadline)}），此后可以报送。"]
        if result.adopted.reopens:
            lines.append("原已定稿的报送已重新打开为下一版，请核对后重新定稿。")
    elif result.created:
        lines = [f"已导入任务包：行动{campaign.quoted_title}，截止 {chinese_date(campaign.deadline)}。现在可以填报了。"]
    elif result.changed:
        lines = [f"行动{campaign.quoted_title}此前已导入；{OFFICE}更新了：{'、'.join(result.changed)}。"]
    else:
        lines = [f"行动{campaign.quoted_title}此前已导入，任务包没有变化。"]
    lines.append(f"\n发布单位：{result.office_name}\n{OFFICE}密钥指纹：{result.fingerprint}")
    if result.pinned_now:
        lines.append(f"\n本机已登记这把密钥：此后只接受它签名的任务包和退回文件。请与{OFFICE}核对上面的指纹。")
    return "\n".join(lines)


def first_key_text(preview: CampaignFilePreview) -> str:
    """The question before the first 任务包 registers the office's key: after it, only files that key
    signed are accepted, so the fingerprint is compared now (it was shown only once imported)."""
    return (f"这是本机第一次接收{preview.office_name}的任务包。导入后，本机只接受这把密钥签名的任务包和退回文件。\n\n"
            f"{OFFICE}密钥指纹：\n{preview.fingerprint}\n\n"
            f"请先与{OFFICE}核对这串指纹（电话或当面，逐段念一遍），一致再导入；不一致请不要导入，并告知{OFFICE}。")


def import_campaign_file(workspace: Workspace, parent: QWidget, path: Path | None = None) -> CampaignImport | None:
    path = path or ask_open_file(parent, workspace.settings, LAST_EXCHANGE_DIR, f"选择{OFFICE}发来的任务包",
                                 TASK_FILTER)
    if path is None:
        return None
    try:
        preview = campaign_adoption.preview_campaign_file(workspace.session, path)
    except QingqingError as exc:
        messages.show_error(parent, exc, "任务包未导入")
        return None
    if preview.first_key and not messages.confirm(parent, "核对纪委（监察室）的密钥指纹", first_key_text(preview), "指纹一致，导入"):
        return None
    adopt = None
    if preview.candidates:  # campaigns made here: adopt one, or import anew — the clerk decides
        dialog = AdoptCampaignDialog(preview, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.chosen()
        adopt = chosen.campaign.id if chosen else None
    try:
        result = package_service.import_campaign_file(workspace.session, path, adopt=adopt)
    except QingqingError as exc:
        messages.show_error(parent, exc, "任务包未导入")
        return None
    if result.adopted is not None:
        # The checklist ticks were kept under the old id; the undo history names it too.
        old_ticks = workspace.settings.get(checklist_ticks(result.adopted.campaign.id))
        if old_ticks:
            workspace.settings.set(checklist_ticks(result.campaign.id), old_ticks)
        workspace.undo_stack.clear()
    workspace.notify(CAMPAIGN_SWITCHED)
    QMessageBox.information(parent, "已导入任务包", campaign_import_text(result))
    return result


# ----------------------------------------------------------------------------- 报送包 out


def package_text(result: PackageResult, recipient: str) -> str:
    counts = result.counts
    return (
        f"已生成报送包：{result.path.name}\n\n"
        f"请拷贝到U盘交{recipient}。\n"
        # The stamped papers must be this revision's: papers printed before a 退回 or 重新打开 are another
        # one's, and the office's 纸质件核对 would find them not matching.
        f"随包交的盖章纸质件须是第{result.revision}版（页脚写有“第{result.revision}版”）；"
        "页脚版次不同的请在“导出与打印”页重新打印、盖章。\n\n"
        f"第{result.revision}版：人员{counts.people}人，承诺书应签{counts.pledges_required}人、"
        f"已签{counts.signed_text()}；自查问题{counts.findings}条。\n"
        # The fingerprint on a line of its own: broken across two, it is hard to compare with the footer.
        f"本单位密钥指纹（与盖章的汇总表页脚一致）：\n{result.fingerprint}"
    )


def package_refusal(workspace: Workspace, *, below_task_step: bool = False) -> str:
    """Why a 报送包 cannot be made now, in the clerk's terms; "" when it can.

    ``below_task_step``: for the 报送与接收 page, where the step above (导入任务包) already explains
    at length why a campaign made on this PC needs the office's 任务包: then only a pointer to it."""
    campaign = workspace.campaign()
    if campaign is None:
        return "还没有行动。请先导入纪委（监察室）发来的任务包。"
    status = workspace.filing_status(campaign)
    if not status.locked:
        return (f"本次报送还是{status.label}。请在“承诺书签订”和“自查表”页填好后定稿（“报送 → 定稿…”），"
                "定稿后才能生成报送包。")
    if status.state is FilingState.RETURNED:
        return "本次报送已被退回。请点“重新打开修改…”，按退回意见修改并重新定稿后，再生成报送包。"
    if package_service.received_campaign(workspace.session, campaign.id) is None:
        if below_task_step:
            return "请先完成第一步：导入纪委（监察室）发来的任务包，然后即可生成报送包。"
        return (f"当前行动{campaign.quoted_title}是在本机新建的，不是从{OFFICE}的任务包导入的，"
                f"{OFFICE}无法接收它的报送包。请导入{OFFICE}发来的任务包（“报送 → 导入任务包…”），"
                "导入时选择“采用本机的行动”，已登记的内容都会保留，然后即可报送。")
    return ""


def make_package(workspace: Workspace, parent: QWidget) -> None:
    refusal = package_refusal(workspace)
    if refusal:
        QMessageBox.information(parent, "暂时不能生成报送包", refusal)
        return
    session = workspace.session
    try:
        file_name = package_service.suggested_package_name(session)
    except QingqingError as exc:
        messages.show_error(parent, exc)
        return
    path = ask_save_file(parent, workspace.settings, LAST_EXCHANGE_DIR, "保存报送包", file_name, PACKAGE_FILTER)
    if path is None:
        return
    recipient = workspace.campaign().recipient or DEFAULT_RECIPIENT

    def done(result: PackageResult) -> None:
        workspace.notify(FILING_CHANGED)
        messages.file_saved(parent, result.path, package_text(result, recipient))

    # Rendering the PDFs and Excel files of a large unit takes a while; it cannot be stopped
    # half-way (the file and the 已报送 state are written together), hence no 取消.
    def create(control) -> PackageResult:
        document_service.prepare_fonts(control.report)  # no 取消 here: report, never raise
        return package_service.create_package(session, path)

    background.run_in_background(parent, "正在生成报送包（汇总表、自查表和扫描件）…", create, done,
                                 cancellable=False)


# ----------------------------------------------------------------------------- 退回 in


def import_return_file(workspace: Workspace, parent: QWidget, path: Path | None = None):
    path = path or ask_open_file(parent, workspace.settings, LAST_EXCHANGE_DIR, f"选择{OFFICE}的退回文件",
                                 RETURN_FILTER)
    if path is None:
        return None
    try:
        result = package_service.import_return_file(workspace.session, path)
    except QingqingError as exc:
        messages.show_error(parent, exc, "退回文件未导入")
        return None
    workspace.notify(FILING_CHANGED)
    notice = result.notice
    QMessageBox.information(parent, "已导入退回意见",
                            f"{result.message}\n\n{notice.office_name}的退回意见：\n{notice.comment}")
    return result
