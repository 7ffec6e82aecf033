"""批量导入签字页扫描件: a scanned batch of signed 承诺书 read in the background, every page's fate
shown before anything is written (as the roster import does), pages without a code assigned by hand,
then everyone matched recorded as 已签订 with their pages in one undoable step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import InputRejected, QingqingError
from qingqing_desktop.domain.names import sort_key
from qingqing_desktop.domain.pledge import PledgeStatus, check_status_change
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import run_in_background
from qingqing_desktop.ui.common.forms import DateField, ValidatedForm, widgets_row
from qingqing_desktop.ui.common.record_table import Column, RecordTableModel
from qingqing_desktop.ui.common.scan_batch_dialog import ScanBatchDialog, unreadable_html
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.tables import size_columns_from_sample
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.filing.filing_commands import ImportScansCommand
from qingqing_desktop.ui.filing.pledge_model import status_text

if TYPE_CHECKING:  # the service loads pypdfium2, zxing-cpp and Pillow: imported when a batch is read
    from qingqing_desktop.services.pledge_scan_import import ScanImportPlan

MATCHED, BY_HAND, UNREAD, ELSEWHERE, BLANK = "已匹配", "手工指定", "未识别", "不属于本次", "空白页"
RESULT_COLOURS = {
    MATCHED: QColor("#1a7f37"),
    BY_HAND: QColor("#0b5cad"),
    UNREAD: QColor("#c62828"),
    ELSEWHERE: QColor("#9a6700"),
    BLANK: QColor("#6b7280"),
}


@dataclass(frozen=True)
class PageRow:
    """One page of the batch as the table shows it."""

    number: int
    source: str
    result: str
    person: str
    note: str
    preview: bytes
    assignable: bool = False  # a page without a code: the clerk may say whose it is


def page_rows(plan: ScanImportPlan, assignments: dict[int, str | None]) -> list[PageRow]:
    rows = []
    for person in plan.matched:
        for index, page in enumerate(person.pages):
            by_hand = page.code is None
            note = "；".join(person.notes) if index == 0 else f"{person.name}的第{index + 1}页"
            rows.append(PageRow(page.number, page.ref.label, BY_HAND if by_hand else MATCHED, person.name,
                                "" if by_hand else note, page.preview, assignable=by_hand))
    for item in plan.unmatched:
        hint = f"；前一页是{item.after}的承诺书" if item.after else ""
        rows.append(PageRow(item.page.number, item.page.ref.label, UNREAD, "（未指定）", item.reason + hint,
                            item.page.preview, assignable=True))
    for item in plan.foreign:
        rows.append(PageRow(item.page.number, item.page.ref.label, ELSEWHERE, "", item.reason, item.page.preview))
    for page in plan.blank:
        rows.append(PageRow(page.number, page.ref.label, BLANK, "", "双面打印的背面，已略过", page.preview))
    return sorted(rows, key=lambda r: r.number)


PAGE_COLUMNS = (
    Column("页码", lambda r: f"第{r.number}页", sort=lambda r: r.number, centred=True),
    Column("文件", lambda r: r.source),
    Column("结果", lambda r: r.result, centred=True),
    Column("承诺人", lambda r: r.person),
    Column("说明", lambda r: r.note),
)


class PageTableModel(RecordTableModel):
    def __init__(self, parent=None):
        super().__init__(PAGE_COLUMNS, parent)

    def foreground(self, record: PageRow) -> QColor | None:
        return RESULT_COLOURS.get(record.result)


class PersonChoice(QWidget):
    """For a page without a code: whose letter it is."""

    assigned = Signal(int, object)  # page number, staff id or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.person = QComboBox()
        self.person.setMinimumContentsLength(16)
        self.person.activated.connect(self._chosen)
        label = QLabel("这一页是谁的承诺书：")
        label.setBuddy(self.person)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(label, self.person)
        self._number: int | None = None

    def set_people(self, likely: list[tuple[str, str]], others: list[tuple[str, str]]) -> None:
        """(staff id, label) of everyone a page can be given to: first those whose letter is still
        awaited, then the rest, each in the roster's order, a line between them."""
        self.person.clear()
        self.person.addItem("（不指定，不登记这一页）", None)
        for staff_id, label in likely:
            self.person.addItem(label, staff_id)
        if likely and others:
            self.person.insertSeparator(self.person.count())
        for staff_id, label in others:
            self.person.addItem(label, staff_id)

    def ask(self, row: PageRow | None, staff_id: str | None) -> None:
        self._number = row.number if row is not None and row.assignable else None
        self.setVisible(self._number is not None)
        self.person.setCurrentIndex(max(self.person.findData(staff_id), 0) if staff_id else 0)

    def _chosen(self, index: int) -> None:
        if self._number is not None:
            self.assigned.emit(self._number, self.person.itemData(index))


class ScanImportDialog(ScanBatchDialog):
    """Opened per batch: ``start()`` reads it; ``plan_ready`` follows; 登记 records it."""

    plan_ready = Signal(object)  # ScanImportPlan (as assigned), each time it changes
    imported = Signal(object)  # ScanImportResult

    def __init__(self, workspace: Workspace, source: Path, parent: QWidget | None = None):
        super().__init__(workspace, source, "导入签字页扫描件", PageTableModel(), parent)
        self.model.setParent(self)
        self.base_plan: ScanImportPlan | None = None
        self.plan: ScanImportPlan | None = None
        self.assignments: dict[int, str | None] = {}
        self.resize(1180, 760)
        self.body.setSizes([700, 460])  # the page beside the table, large enough to read a name on it
        self.choice = PersonChoice()
        self.choice.assigned.connect(self.assign)
        self.choice.hide()
        self.picture.extra.addWidget(self.choice)
        self.show_blank = QCheckBox("显示空白页")
        self.show_blank.toggled.connect(self._apply_filter)
        self._apply_filter()

        self.date = DateField(field="签订日期")
        date_hint = QLabel("（新登记的人员用这个日期；此前已登记已签订的保留原日期）")
        date_hint.setObjectName("hint")
        self.advice = QLabel()
        self.advice.setObjectName("hint")
        self.advice.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("登记", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        # A date refused is said under it, as in every form; the dialog stays open with the cursor there.
        self.date_form = ValidatedForm()
        self.date_form.add_field("签订日期", "签订日期：", widgets_row(self.date, date_hint), judged_by=self.date)
        date_row = QHBoxLayout()
        date_row.addLayout(self.date_form, 1)
        date_row.addWidget(self.show_blank, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)
        layout.addLayout(date_row)
        layout.addWidget(self.advice)
        layout.addWidget(self.buttons)
        remember_geometry(self, workspace.settings)

    # ---------------------------------------------------------------- reading

    def start(self) -> None:
        session, campaign_id = self._ws.session, self._ws.campaign().id

        def plan(source, progress):
            from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415 - heavy, only when used

            return pledge_scan_import.plan_scan_import(session, source, progress=progress, campaign_id=campaign_id)

        self.read_in_background(plan, self._show_plan)

    def _show_plan(self, plan: ScanImportPlan) -> None:
        from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415 - loaded by the read already

        self.base_plan = plan
        self.date.set_value(pledge_scan_import.default_signing_date(plan))
        scanned = plan.batch.scanned_on
        scanned_text = f"　　扫描日期：{chinese_date(scanned)}" if scanned else ""
        self.intro.setText(f"扫描件：{plan.source}{scanned_text}　　行动：{plan.campaign_title}")
        people = sorted((r for r in plan.candidates if r.staff_status == "在岗" or r.required),
                        key=lambda r: sort_key(r.name))
        # A page without a code is most likely the letter of someone who must sign and has not: those
        # come first (a unit of hundreds would otherwise scroll past everyone already signed).
        in_batch = {person.row.staff_id for person in plan.matched}

        def label(row) -> str:
            state = "本批已匹配" if row.staff_id in in_batch else status_text(row)
            return f"{row.name}（{row.post or row.rank.value} · {state}）"

        awaited = [r for r in people if r.outstanding and r.staff_id not in in_batch]
        self.choice.set_people([(r.staff_id, label(r)) for r in awaited],
                               [(r.staff_id, label(r)) for r in people if r not in awaited])
        self._replan()
        size_columns_from_sample(self.table, maximum=260)  # 说明 wraps in the room left
        self.rows.fit()
        self.select_first()

    def _replan(self) -> None:
        from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415

        self.plan = pledge_scan_import.assign_pages(self.base_plan, self.assignments)
        current = self._current_number()
        self.model.set_rows(page_rows(self.plan, self.assignments))
        self.rows.fit()
        self.summary.setText(self._summary_html(self.plan))
        self._select_number(current)
        self._update_button()
        self.plan_ready.emit(self.plan)

    @staticmethod
    def _summary_html(plan: ScanImportPlan) -> str:
        def part(label: str, count: int, colour: QColor) -> str:
            return f"<span style='color:{colour.name()}'><b>{label} {count}</b></span>"

        return "　·　".join([
            f"共 {plan.page_count} 页",
            part("已匹配", len(plan.matched), RESULT_COLOURS[MATCHED]) + " 人",
            part("未识别", len(plan.unmatched), RESULT_COLOURS[UNREAD]) + " 页",
            part("不属于本次", len(plan.foreign), RESULT_COLOURS[ELSEWHERE]) + " 页",
            part("空白页", len(plan.blank), RESULT_COLOURS[BLANK]),
        ]) + unreadable_html(plan.unreadable_files)

    def _apply_filter(self) -> None:
        show_blank = self.show_blank.isChecked()
        self.proxy.set_filter(lambda row: show_blank or row.result != BLANK)

    # ---------------------------------------------------------------- selection and assigning

    def _current_number(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.row_at(index.row()).number if index.isValid() else None

    def _select_number(self, number: int | None) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).number == number:
                self.table.selectRow(row)
                return

    def _show_record(self, row: PageRow | None) -> None:
        if row is None:
            self.picture.show_picture("选中左侧的一页，在这里查看。", b"")
        else:
            person = f" · {row.person}" if row.person else ""
            self.picture.show_picture(f"第{row.number}页（{row.source}）：{row.result}{person}", row.preview)
        self.choice.ask(row, self.assignments.get(row.number) if row else None)

    def assign(self, number: int, staff_id: str | None) -> None:
        """Say whose page ``number`` is (None: nobody's, it is not recorded)."""
        if staff_id is None:
            self.assignments.pop(number, None)
        else:
            self.assignments[number] = staff_id
        self._replan()

    # ---------------------------------------------------------------- recording

    def _update_button(self) -> None:
        plan = self.plan
        count = len(plan.matched)
        self.import_button.setText(f"登记 {count} 人已签订" if count else "登记")
        self.import_button.setEnabled(count > 0)
        if not count:
            self.advice.setText("没有与本单位人员匹配的签字页。可以选中未识别的页面，指定是谁的承诺书。")
        elif plan.unmatched:
            self.advice.setText(f"还有 {len(plan.unmatched)} 页未识别：选中它，在右侧指定是谁的承诺书；"
                                "不指定的页面不会登记。登记前会自动备份，登记后也可以“撤销”。")
        else:
            self.advice.setText("登记前会自动备份现有数据；登记后也可以用“撤销”恢复。")

    def apply(self) -> None:
        try:
            signed_on = self.date.value()  # not a date: the field says why
            check_status_change(PledgeStatus.SIGNED, signed_on, "", dt.date.today())  # before the pages are built
        except InputRejected as exc:
            self._refuse_date(exc)
            return
        plan = self.plan

        def build(control):
            from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415

            return pledge_scan_import.build_scans(plan, progress=control.progress)

        run_in_background(self, "正在整理各人的签字页…", build, lambda scans: self._record(plan, scans, signed_on))

    def _record(self, plan: ScanImportPlan, person_scans, signed_on: dt.date) -> None:
        command = ImportScansCommand(self._ws, plan, person_scans, signed_on)
        try:
            self._ws.execute(command)
        except InputRejected as exc:
            if exc.location.field != "签订日期":
                messages.show_error(self, exc, "登记未完成")
            else:
                self._refuse_date(exc)
            return
        except QingqingError as exc:
            messages.show_error(self, exc, "登记未完成")
            return
        result = command.result
        self.imported.emit(result)
        text = f"已登记 {len(result.rows)} 人已签订，并附上各自的签字页扫描件（共 {result.pages} 页）。"
        if result.backup_path:
            text += f"\n\n登记前的数据已备份到：\n{result.backup_path}"
        messages.information(self, "登记完成", text + "\n\n如有误，可点“编辑 → 撤销”恢复。")
        self.accept()


    def _refuse_date(self, exc: InputRejected) -> None:
        self.date_form.show_problems({"签订日期": exc.reason})
        self.date.setFocus(Qt.FocusReason.OtherFocusReason)


def import_pledge_scans(workspace: Workspace, parent: QWidget, source: Path) -> ScanImportDialog:
    dialog = ScanImportDialog(workspace, source, parent)
    dialog.open()
    dialog.start()
    return dialog
