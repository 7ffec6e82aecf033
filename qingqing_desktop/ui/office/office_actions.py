"""The 纪委 menu: setting up the office (its mode, the expected units, the campaign and its 任务包),
Excel 汇总表 from units without the app, and the bureau-wide outputs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import document_service, office_service
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.file_dialogs import PDF_FILTER, TASK_FILTER, XLSX_FILTER, ask_open_file, ask_save_file
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.settings import LAST_EXCHANGE_DIR, LAST_EXPORT_DIR, LAST_IMPORT_DIR
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.delivery import file_check
from qingqing_desktop.ui.filing import campaign_dialogs
from qingqing_desktop.ui.filing.filing_commands import CampaignFields
from qingqing_desktop.ui.office.office_commands import BOARD_CHANGED
from qingqing_desktop.ui.office.office_dialogs import (
    ExcelSummaryDialog,
    ExpectedUnitsDialog,
    OfficeModeDialog,
    excel_import_text,
)


class OfficeActions(QObject):
    def __init__(self, workspace: Workspace, window: QWidget):
        super().__init__(window)
        self.ws = workspace
        self.window = window

        def action(text: str, slot, tip: str = "", icon_name: str = "") -> QAction:
            created = QAction(icon(icon_name), text, self) if icon_name else QAction(text, self)
            created.triggered.connect(slot)
            created.setToolTip(tip or text)
            return created

        self.switch_mode_action = action("切换为纪委（监察室）模式…", self.switch_mode,
                                         "仅用于局机关纪委（监察室）自己的电脑")
        self.expected_units_action = action("应报单位名单…", self.edit_expected_units,
                                            "添加或移出应当报送的单位（可一次粘贴多个名称）")
        self.new_campaign_action = action("新建行动并导出任务包…", lambda: self.new_campaign(), icon_name="campaign")
        self.export_task_action = action("导出任务包…", self.export_task_file,
                                         "把当前行动再导出一份任务包（例如修改截止日期之后）")
        self.import_excel_action = action("导入Excel汇总表…", self.import_excel,
                                          "导入没有使用本程序的单位交来的附件2 Excel")
        self.export_workbook_action = action("导出全局汇总Excel…", self.export_workbook,
                                             "总览表，加每个已报送单位的附件2", icon_name="export")
        self.export_pdf_action = action("导出报送情况PDF…", self.export_overview_pdf, "各单位报送情况一览，可打印上报")
        self.check_file_action = action("核对文件…", lambda: file_check.check_file(self.ws, self.window),
                                        "查看一个报送包、任务包或退回文件是什么、是否完好（不改动数据）")

    def update_enabled(self) -> None:
        has_campaign = self.ws.campaign() is not None
        for each in (self.export_task_action, self.import_excel_action, self.export_workbook_action,
                     self.export_pdf_action):
            each.setEnabled(has_campaign)

    # ---------------------------------------------------------------- setup

    def switch_mode(self) -> OfficeModeDialog:
        """Only ever succeeds on a database without a unit; the pages are chosen at start, so restart."""
        dialog = OfficeModeDialog(self.ws, self.window)
        dialog.accepted.connect(lambda: QMessageBox.information(
            self.window, "已切换", "已切换为纪委（监察室）模式。请关闭并重新打开亲清填报。"))
        dialog.open()
        return dialog

    def edit_expected_units(self) -> ExpectedUnitsDialog:
        dialog = ExpectedUnitsDialog(self.ws, self.window)
        dialog.open()
        return dialog

    def new_campaign(self, template_id: str = DEFAULT_TEMPLATE_ID) -> QDialog:
        """The unit's 新建行动 dialog (``template_id`` chosen in it); once the campaign exists, straight on
        to saving its 任务包."""
        dialog = campaign_dialogs.new_campaign(self.ws, self.window, template_id)
        dialog.accepted.connect(self.export_task_file)
        return dialog

    def edit_campaign(self) -> QDialog | None:
        """修改行动信息; when what the units were sent changed (截止日期, 文号 …), the 任务包 is offered again:
        each unit still holds the one made before, and sees the change only once it imports a new one."""
        campaign = self.ws.campaign()
        dialog = campaign_dialogs.edit_campaign(self.ws, self.window)
        if dialog is not None:
            before = CampaignFields.of(campaign)
            dialog.accepted.connect(lambda: self._offer_task_file(before))
        return dialog

    def _offer_task_file(self, before: CampaignFields) -> None:
        campaign = self.ws.campaign()
        if campaign is None or CampaignFields.of(campaign) == before:
            return
        if messages.confirm(
                self.window, "重新导出任务包",
                f"行动信息已修改（截止 {chinese_date(campaign.deadline)}）。各单位手中的任务包还是修改前的。\n"
                "请重新导出任务包发给各单位，由各单位再次导入，修改才会到各单位。现在导出吗？", "导出任务包…"):
            self.export_task_file()

    def export_task_file(self) -> Path | None:
        session = self.ws.session
        try:
            name = office_service.suggested_campaign_file_name(session)
        except QingqingError as exc:
            messages.show_error(self.window, exc)
            return None
        path = ask_save_file(self.window, self.ws.settings, LAST_EXCHANGE_DIR, "保存任务包（交给各单位）", name,
                             TASK_FILTER)
        if path is None:
            return None
        try:
            path, fingerprint = office_service.export_campaign_file(session, path)
        except (QingqingError, OSError) as exc:
            messages.show_error(self.window, exc, "任务包未保存")
            return None
        campaign = self.ws.campaign()
        messages.file_saved(
            self.window, path,
            f"已导出任务包：{path.name}\n\n行动{campaign.quoted_title}，截止 {chinese_date(campaign.deadline)}。\n"
            "请拷贝给各单位，由各单位在“报送与接收”页点“导入任务包…”。\n\n"
            f"本室密钥指纹：{fingerprint}\n各单位首次导入时登记这把密钥，请告知各单位核对。",
        )
        return path

    # ---------------------------------------------------------------- Excel in

    def import_excel(self) -> None:
        path = ask_open_file(self.window, self.ws.settings, LAST_IMPORT_DIR, "选择单位交来的汇总表（附件2）Excel",
                             XLSX_FILTER)
        if path is None:
            return
        session = self.ws.session
        # The file is judged before the unit is asked: a staff roster or any other workbook is refused at
        # once, not after the office chose a unit for it. Read in the background: a big workbook takes a while.
        background.run_in_background(
            self.window, f"正在读取“{path.name}”…",
            lambda _control: office_service.unit_named_in_summary_excel(session, path),
            lambda in_file: self._ask_unit(path, in_file),
            lambda exc: messages.show_error(self.window, exc, "汇总表未导入"),
        )

    def _ask_unit(self, path: Path, in_file: str) -> ExcelSummaryDialog:
        dialog = ExcelSummaryDialog(self.ws, path, in_file, self.window)

        def imported() -> None:
            self.ws.notify(BOARD_CHANGED)
            QMessageBox.information(self.window, "已导入Excel汇总表", excel_import_text(dialog.result_))

        dialog.accepted.connect(imported)
        dialog.open()
        return dialog

    # ---------------------------------------------------------------- outputs

    def _output_name(self, kind: str, suffix: str) -> str:
        return office_service.suggested_export_file_name(self.ws.session, kind, suffix)

    def export_workbook(self) -> None:
        self._export("导出全局汇总Excel", self._output_name("全局汇总", ".xlsx"), XLSX_FILTER,
                     office_service.export_workbook, "正在生成全局汇总表…")

    def export_overview_pdf(self) -> None:
        self._export("导出报送情况PDF", self._output_name("报送情况", ".pdf"), PDF_FILTER,
                     office_service.export_overview_pdf, "正在生成报送情况PDF…", pdf=True)

    def _export(self, caption: str, file_name: str, file_filter: str, write, title: str, *, pdf: bool = False) -> None:
        if self.ws.campaign() is None:
            return
        path = ask_save_file(self.window, self.ws.settings, LAST_EXPORT_DIR, caption, file_name, file_filter)
        if path is None:
            return
        session = self.ws.session

        def work(control) -> Path:
            if pdf:
                document_service.prepare_fonts(control.report)  # no 取消 here: report, never raise
            return write(session, path)

        background.run_in_background(self.window, title, work,
                                     lambda saved: messages.file_saved(self.window, saved), cancellable=False)
