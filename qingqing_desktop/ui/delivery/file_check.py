"""核对文件: what a 报送包, 任务包 or 退回文件 is and whether it is intact, without writing anything.

For a clerk holding a USB stick with several files and no idea which is which, and for the
office before importing a doubtful one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from qingqing_desktop.domain.dates import chinese_date_time, to_local
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import package_service
from qingqing_desktop.services.package_service import VerifiedFile
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.file_dialogs import EXCHANGE_FILTER, ask_open_file
from qingqing_desktop.ui.common.settings import LAST_EXCHANGE_DIR
from qingqing_desktop.ui.common.workspace import Workspace

_WHAT_IT_IS_FOR = {
    "报送包": "单位交纪委（监察室）的报送材料",
    "任务包": "纪委（监察室）发给各单位的行动通知",
    "退回文件": "纪委（监察室）退回单位修改的意见",
}


def verified_text(path: Path, found: VerifiedFile) -> str:
    lines = [
        f"“{path.name}”是一个{found.kind_label}（{_WHAT_IT_IS_FOR.get(found.kind_label, '')}），"
        "内容完整，签名有效，没有被改动过。",
        "",
    ]
    if found.unit:
        lines.append(f"单位：{found.unit}")
    lines.append(f"行动：{found.campaign}")
    if found.revision is not None:
        lines.append(f"版次：第{found.revision}版")
    lines.append(f"生成时间：{chinese_date_time(to_local(found.created_at))}")
    lines.append(f"签名密钥指纹：{found.fingerprint}")
    lines.extend(found.details)
    return "\n".join(lines)


def check_file(workspace: Workspace, parent: QWidget, path: Path | None = None) -> None:
    path = path or ask_open_file(parent, workspace.settings, LAST_EXCHANGE_DIR, "选择要核对的文件", EXCHANGE_FILTER)
    if path is None:
        return
    session = workspace.session

    def failed(exc: BaseException) -> None:
        if isinstance(exc, QingqingError):
            QMessageBox.warning(parent, "文件有问题", f"“{path.name}”不能使用：\n\n{exc}")
        else:
            messages.show_error(parent, exc)

    # Reading a package with many scans and checking every hash takes a moment: off the GUI thread.
    background.run_in_background(
        parent, f"正在核对“{path.name}”…", lambda control: package_service.verify_file(session, path),
        lambda found: QMessageBox.information(parent, "文件完好", verified_text(path, found)), failed,
        cancellable=False,
    )
