"""报送与接收: the unit's exchange with the discipline office, in the order it happens —
the 任务包 comes in, the 报送包 goes out, a 退回 may come back — and 核对文件 for any of them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qingqing_desktop.domain.dates import chinese_date_time, to_local
from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.services import package_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.info_boxes import FingerprintField, hint, scrolling_column
from qingqing_desktop.ui.common.pages import Page, action_button
from qingqing_desktop.ui.common.resources import icon, set_style_property
from qingqing_desktop.ui.delivery import delivery_actions, file_check
from qingqing_desktop.ui.filing import finalise


def _step_box(title: str, status: QLabel, explanation: str, buttons: list[QWidget]) -> QGroupBox:
    box = QGroupBox(title)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(box)
    layout.addWidget(status)
    layout.addWidget(hint(explanation))
    layout.addLayout(row)
    return box


def _status_label() -> QLabel:
    label = QLabel()
    label.setObjectName("stepStatus")
    label.setWordWrap(True)
    return label


def _comment_label() -> QLabel:
    """The office's comment, framed so that it reads as a message from someone else."""
    label = QLabel()
    label.setObjectName("returnComment")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _labelled(label: str, field: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(label))
    layout.addWidget(field, 1)
    return row


class DeliveryPage(Page):
    title = "报送与接收"
    icon_name = "delivery"
    explanation = (
        "本单位和局机关纪委（监察室）之间用U盘交换文件：先导入纪委发来的任务包，定稿后生成报送包交纪委；"
        "纪委退回时会给一个退回文件，导入后按意见修改、重新定稿报送。"
    )

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self._create_actions()
        boxes = [self._task_box(), self._package_box(), self._return_box(), self._check_box()]
        self.body.addWidget(scrolling_column(boxes), 1)
        self.ws.changed.connect(self._on_changed)
        self.refresh()

    def _create_actions(self) -> None:
        def action(text: str, slot, tip: str, icon_name: str = "") -> QAction:
            created = QAction(icon(icon_name), text, self) if icon_name else QAction(text, self)
            created.triggered.connect(lambda: slot(self.ws, self))
            created.setToolTip(tip)
            return created

        self.import_task_action = action("导入任务包…", delivery_actions.import_campaign_file,
                                         "导入纪委（监察室）发来的任务包（.qqtask 文件）", "import")
        self.make_package_action = action("生成报送包…", delivery_actions.make_package,
                                          "把定稿的报送材料打包签名，拷贝到U盘交纪委（监察室）", "export")
        self.import_return_action = action("导入退回意见…", delivery_actions.import_return_file,
                                           "导入纪委（监察室）的退回文件（.qqreturn 文件）")
        self.check_file_action = action("核对文件…", file_check.check_file,
                                        "查看一个报送包、任务包或退回文件是什么、是否完好（不改动数据）")
        self.finalise_action = action("定稿…", finalise.finalise, "检查自查表是否填完，然后锁定本次报送")

    def _task_box(self) -> QGroupBox:
        self.task_status = _status_label()
        self.office_fingerprint = FingerprintField()
        self.fingerprint_row = _labelled("纪委（监察室）密钥指纹：", self.office_fingerprint)
        box = _step_box("第一步　导入任务包", self.task_status,
                        "任务包由纪委（监察室）发出，带有本次行动的名称、文号、截止日期和政策模板。",
                        [action_button(self.import_task_action)])
        box.layout().insertWidget(1, self.fingerprint_row)
        return box

    def _package_box(self) -> QGroupBox:
        self.package_status = _status_label()
        self.finalise_button = action_button(self.finalise_action)
        return _step_box("第二步　生成报送包，交纪委（监察室）", self.package_status,
                         "报送包含承诺书签订情况、自查表、盖章用的汇总表和自查表文件及签字页扫描件，"
                         "由本单位密钥签名。生成后请拷贝到U盘，连同盖章的纸质材料一并交纪委（监察室）。",
                         [self.finalise_button, action_button(self.make_package_action, object_name="primary")])

    def _return_box(self) -> QGroupBox:
        self.return_status = _status_label()
        self.return_comment = _comment_label()
        box = _step_box("纪委（监察室）退回时　导入退回意见", self.return_status,
                        "导入退回文件后，本次报送自动重新打开为新的一版草稿，退回意见显示在这里和"
                        "“承诺书签订”“自查表”页的上方。按意见修改后重新定稿、生成报送包。",
                        [action_button(self.import_return_action)])
        box.layout().insertWidget(1, self.return_comment)
        return box

    def _check_box(self) -> QGroupBox:
        return _step_box("核对文件", QLabel("U盘里的文件是什么、是否完好、由谁签名？"),
                         "可以核对报送包、任务包和退回文件；只读取，不会改动任何数据。",
                         [action_button(self.check_file_action)])

    def _on_changed(self, changes: Changes) -> None:
        if changes.filing or changes.unit or changes.template:
            self.refresh()

    def refresh(self) -> None:
        self._show_task()
        self._show_package()
        self._show_return()
        # Lay the steps out at their new heights now: the message that follows an import or a package
        # is modal, and was shown over a step whose wrapped second line was still cut off.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _show_task(self) -> None:
        campaign = self.ws.campaign()
        received = package_service.received_campaign(self.ws.session, campaign.id) if campaign else None
        self.fingerprint_row.setVisible(received is not None)
        if campaign is None:
            text, state = "还没有导入任务包。收到纪委（监察室）发来的 .qqtask 文件后，点“导入任务包…”。", "todo"
        elif received is None:
            text = (f"当前行动{campaign.quoted_title}是在本机新建的，不是从任务包导入的，纪委（监察室）无法接收它的报送包。"
                    "请导入纪委发来的任务包，导入时选择“采用本机的行动”：已登记的承诺书和自查表都会保留，随后即可报送。")
            state = "warning"
        else:
            text = (f"当前行动{campaign.quoted_title}来自{received.office_name}的任务包“{received.file_name}”，"
                    f"于 {chinese_date_time(to_local(received.imported_at))} 导入。")
            state = "done"
            self.office_fingerprint.set_fingerprint(received.office_fingerprint)
        self.task_status.setText(text)
        set_style_property(self.task_status, "state", state)

    def _show_package(self) -> None:
        campaign = self.ws.campaign()
        status = self.ws.filing_status(campaign) if campaign else None
        refusal = delivery_actions.package_refusal(self.ws, below_task_step=True)
        self.make_package_action.setEnabled(status is not None and status.locked
                                            and status.state is not FilingState.RETURNED)
        self.finalise_action.setEnabled(status is not None and not status.locked)
        self.finalise_button.setVisible(status is not None and not status.locked)
        if status is None:
            text, state = "还没有行动。", "todo"
        elif refusal:
            text, state = refusal, "todo" if not status.locked else "warning"
        elif status.state is FilingState.FINAL:
            text, state = f"{status.label}：可以生成报送包了。", "todo"
        else:
            text = f"{status.label}：已生成过本版的报送包。U盘丢失或需要再交一份时，可以重新生成（内容相同）。"
            state = "done"
        self.package_status.setText(text)
        set_style_property(self.package_status, "state", state)

    def _show_return(self) -> None:
        notice = package_service.latest_return(self.ws.session) if self.ws.campaign() else None
        self.return_comment.setVisible(notice is not None)
        if notice is None:
            self.return_status.setText("没有退回意见。")
            set_style_property(self.return_status, "state", "")
            return
        status = self.ws.filing_status(self.ws.campaign())
        pending = not status.locked and notice.revision == status.revision - 1
        self.return_status.setText(
            f"{notice.office_name}于 {chinese_date_time(to_local(notice.returned_at))} 退回了第{notice.revision}版"
            + ("，请按下面的意见修改后重新定稿、报送：" if pending else "。退回意见：")
        )
        set_style_property(self.return_status, "state", "warning" if pending else "")
        self.return_comment.setText(notice.comment)
