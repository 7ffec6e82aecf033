"""Importing a roster workbook (or its CSV copy): read it in the background, show every row's fate, then write it in one step."""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.pledge import rule_verdict
from qingqing_desktop.domain.policy import SigningRule
from qingqing_desktop.domain.staff import STAFF_FIELD_LABELS, RankCategory
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.roster_service import ImportPlan, ImportResult, PlannedRow, RowStatus
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import run_in_background
from qingqing_desktop.ui.common.forms import EnumComboBox
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.tables import WrappedRows, setup_table, size_columns_from_sample
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.roster.roster_commands import ImportCommand
from qingqing_desktop.ui.roster.staff_model import yes_no

# A CSV copy goes through the same reading and preview as the workbook.
# .xls is listed though it cannot be read: hidden, a clerk with an old file saw an empty folder and never
# learnt why; chosen, it gets the reader's message on how to save it as .xlsx.
ROSTER_FILE_FILTER = "人员名单表格 (*.xlsx *.xlsm *.csv *.xls);;Excel 工作簿 (*.xlsx *.xlsm *.xls);;CSV 文本 (*.csv)"
ROSTER_FILE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls")

STATUS_COLOURS = {
    RowStatus.NEW: QColor("#1a7f37"),
    RowStatus.CHANGED: QColor("#0b5cad"),
    RowStatus.UNCHANGED: QColor("#6b7280"),
    RowStatus.PROBLEM: QColor("#c62828"),
}
WARNING_COLOUR = QColor("#9a6700")


def format_value(value) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value) if value not in (None, "") else "（空）"


def describe_changes(row: PlannedRow) -> str:
    return "\n".join(
        f"{STAFF_FIELD_LABELS[key]}：{format_value(old)} → {format_value(new)}" for key, (old, new) in row.changes.items()
    )


def describe_notes(row: PlannedRow) -> str:
    return "\n".join([*row.problems, *(f"提示：{w}" for w in row.warnings)])


class ImportPlanModel(QAbstractTableModel):
    """One line per sheet row: what happens to it, how the person will be classified, the 备注 that will be
    stored (the clerk checks it before it is written), what changes."""

    HEADERS = ("表格行号", "姓名", "结果", "职务类别", "重点岗位", "须签订", "备注", "变化", "问题与提示")
    REMARK_COLUMN, CHANGES_COLUMN, NOTES_COLUMN = 6, 7, 8
    WRAPPED_COLUMNS = (REMARK_COLUMN, CHANGES_COLUMN, NOTES_COLUMN)  # free text, sharing the room left

    def __init__(self, rule: SigningRule, parent=None):
        super().__init__(parent)
        self._rule = rule
        self._rows: tuple[PlannedRow, ...] = ()
        # Per row, made when first asked: the cells' texts, then 须签订's reason. Qt asks for every
        # cell and role many times (measuring 5,000 rows asked 320,000 times, each judging the rule anew).
        self._texts: list[tuple[tuple[str, ...], str] | None] = []
        self._classified: dict[tuple, tuple[str, str, str, str]] = {}

    def set_plan(self, plan: ImportPlan) -> None:
        self.beginResetModel()
        self._rows = plan.rows
        self._texts = [None] * len(plan.rows)
        self.endResetModel()

    def texts(self, number: int) -> tuple[tuple[str, ...], str]:
        """Row ``number``'s cell texts (as shown, "" for an empty cell) and the reason for 须签订."""
        made = self._texts[number]
        if made is None:
            row = self._rows[number]
            rank, key_post, required, reason = self.classification(row)
            remark = row.member.note if row.member is not None else ""  # a problem row stores nothing
            made = self._texts[number] = ((f"第{row.sheet_row}行", row.name, row.status.value, rank, key_post,
                                           required, remark, describe_changes(row), describe_notes(row)), reason)
        return made

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def classification(self, row: PlannedRow) -> tuple[str, str, str, str]:
        """职务类别, 重点岗位, 须签订 and why, by the template's rule, as the pledge list will have them."""
        member = row.member
        if member is None:
            return "—", "—", "—", ""
        # The rule reads only these three: thousands of people share a few dozen of them.
        alike = (member.status, member.rank, member.post)
        found = self._classified.get(alike)
        if found is None:
            key_post = self._rule.is_key_post(member.post)
            verdict = rule_verdict(self._rule, member)
            found = self._classified[alike] = (member.rank.value, f"是（{key_post}）" if key_post else "否",
                                                yes_no(verdict.required), verdict.reason)
        return found

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.row())[0][column] or None
        if role == Qt.ItemDataRole.ToolTipRole:
            texts, reason = self.texts(index.row())
            return f"须签订：{texts[5]}（{reason}）" if column == 5 and reason else texts[column] or None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 2:
                return STATUS_COLOURS[row.status]
            if column == self.NOTES_COLUMN:
                return STATUS_COLOURS[RowStatus.PROBLEM] if row.problems else WARNING_COLOUR
        return None


def _shares(wanted: list[int], room: int, least: list[int]) -> list[int]:
    """Widths for columns that want ``wanted`` in ``room``: their own when they fit, else in proportion,
    none below its ``least`` (one held there leaves the rest to the others, in proportion again)."""
    if sum(wanted) <= room:
        return list(wanted)
    shares, held = list(wanted), set()
    while len(held) < len(wanted):
        flexible = [i for i in range(len(wanted)) if i not in held]
        left = room - sum(least[i] for i in held)
        total = sum(wanted[i] for i in flexible) or 1
        for i in flexible:
            shares[i] = left * wanted[i] // total
        short = [i for i in flexible if shares[i] < least[i]]
        if not short:
            break
        held.update(short)
    return [max(share, floor) for share, floor in zip(shares, least)]


class TitleQuestions(QGroupBox):
    """Job titles the reader could not classify, each with a 中层干部/一般工作人员 choice."""

    answered = Signal(dict)  # title -> RankCategory

    def __init__(self, parent: QWidget | None = None):
        super().__init__("请确定下列职务属于哪一类", parent)
        self.setObjectName("questions")
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self._combos: dict[str, EnumComboBox] = {}
        self.recheck = QPushButton("按所选类别重新核对")
        self.recheck.clicked.connect(lambda: self.answered.emit(self.answers()))
        explanation = QLabel("表格中的这些职务无法自动判断是中层干部还是一般工作人员。选好后，相应的行即可导入。")
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(self._form)
        layout.addWidget(self.recheck, 0, Qt.AlignmentFlag.AlignRight)

    def ask(self, titles: tuple[str, ...]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._combos.clear()
        for title in titles:
            combo = EnumComboBox(RankCategory, placeholder="请选择…")
            combo.currentIndexChanged.connect(self._update_button)
            self._combos[title] = combo
            self._form.addRow(f"“{title}”：", combo)
        self._update_button()
        self.setVisible(bool(titles))

    def combo(self, title: str) -> EnumComboBox:
        return self._combos[title]

    def answers(self) -> dict[str, RankCategory]:
        return {title: combo.value() for title, combo in self._combos.items() if combo.value() is not None}

    def _update_button(self) -> None:
        self.recheck.setEnabled(bool(self.answers()))


class ImportDialog(QDialog):
    plan_ready = Signal(object)  # ImportPlan, each time the file has been read and compared
    imported = Signal(object)  # ImportResult

    def __init__(self, workspace: Workspace, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened per use
        self._ws = workspace
        self.path = Path(path)
        self.plan: ImportPlan | None = None
        self._title_ranks: dict[str, RankCategory] = {}
        self.setWindowTitle(f"导入人员名单 — {self.path.name}")
        self.resize(960, 620)

        self.source = QLabel(f"文件：{self.path}")
        self.source.setWordWrap(True)
        self._sheet: str | None = None  # the sheet chosen by the clerk; None: the one that looks best
        # Shown when the file has several sheets with a roster's header (名单2018, 名单2019): which one is read.
        self.sheet_choice = QComboBox()
        self.sheet_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_choice.activated.connect(self._sheet_chosen)
        self.sheet_label = QLabel("工作表：")
        self.sheet_label.setBuddy(self.sheet_choice)
        self.sheet_hint = QLabel()
        self.sheet_hint.setObjectName("hint")
        self.sheet_hint.setWordWrap(True)
        self.sheet_row = QWidget()
        sheet_layout = QHBoxLayout(self.sheet_row)
        sheet_layout.setContentsMargins(0, 0, 0, 0)
        sheet_layout.addWidget(self.sheet_label)
        sheet_layout.addWidget(self.sheet_choice)
        sheet_layout.addWidget(self.sheet_hint, 1)
        self.sheet_row.hide()
        self.summary = QLabel("正在读取…")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)  # the counts and the hint on what to do about a wrong row
        self.questions = TitleQuestions()
        self.questions.hide()
        self.questions.answered.connect(self._recheck)
        self.model = ImportPlanModel(workspace.template().signing_rule, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        # Nothing is done with several rows here: the selection follows the keyboard (Ctrl+End selects the
        # last row), as in the roster, instead of the current cell moving on alone.
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)  # one change or problem per line, the row as tall as it needs
        self.rows = WrappedRows(self.table, lambda row: self.model.texts(row)[0])
        self._text_widths: list[int] = []  # 备注, 变化 and 问题与提示 as measured, before sharing the room
        self._shared_for = -1  # the viewport width they were last shared for
        self.table.viewport().installEventFilter(self)
        self.skip_problems = QCheckBox("跳过有问题的行，其余照常导入")
        self.skip_problems.toggled.connect(self._update_import_button)
        self.advice = QLabel()
        self.advice.setObjectName("hint")
        self.advice.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.sheet_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.questions)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_problems)
        bottom.addWidget(self.advice, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.buttons)
        remember_geometry(self, workspace.settings)

    def start(self) -> None:
        """Read and compare the file in the background; ``plan_ready`` follows."""
        session, path, title_ranks, sheet = self._ws.session, self.path, dict(self._title_ranks), self._sheet

        def read(control):
            control.progress(0, f"正在读取“{path.name}”并与现有名单核对…")
            return roster_service.read_import_file(session, path, sheet=sheet, title_ranks=title_ranks)

        # 取消 while reading gives up the import altogether.
        run_in_background(self, "正在读取表格…", read, self._show_plan, self._read_failed, on_cancel=self.reject)

    def _read_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc, "无法导入这个文件")
        self.reject()

    def _recheck(self, answers: dict[str, RankCategory]) -> None:
        """Compare again with the titles answered, from the rows already read (not the file)."""
        self._title_ranks.update(answers)
        session, plan, title_ranks = self._ws.session, self.plan, dict(self._title_ranks)

        def compare(control):
            control.progress(0, "正在按您的回答重新核对…")
            return roster_service.with_answers(session, plan, title_ranks)

        run_in_background(self, "正在核对…", compare, self._show_plan, self._read_failed, on_cancel=self.reject)

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        # With several roster sheets the 工作表 choice below says which one (not twice).
        sheet = "" if len(plan.roster_sheets) > 1 else f"工作表：{plan.sheet_name}　　"
        self.source.setText(f"文件：{plan.file_name}　　{sheet}表头在第 {plan.header_row} 行")
        self._show_sheets(plan)
        self.model.set_plan(plan)
        required = sum(self.model.texts(i)[0][5] == "是" for i in range(len(plan.rows)))
        self.summary.setText(f"{self._summary_html(plan)}　　<span>按规则须签订承诺书 <b>{required}</b> 人，"
                             "请核对下表的职务类别、重点岗位和须签订（不对的，导入后在名单中选中此人点“修改”；"
                             "或在Excel中改正后重新导入）</span>")
        # 问题与提示 measured too (not left to fill the rest): it takes its part when the wrapped columns share
        # the room, rather than what 备注 and 变化 leave; the last column still stretches into any room left.
        size_columns_from_sample(self.table, maximum=360)
        self._text_widths = [self.table.columnWidth(c) for c in self.model.WRAPPED_COLUMNS]
        self._shared_for = -1
        self._share_text_columns()
        self.rows.fit()
        self.questions.ask(plan.unknown_titles)
        self.skip_problems.setVisible(bool(plan.problem_rows))
        self._update_import_button()
        self.plan_ready.emit(plan)

    def _show_sheets(self, plan: ImportPlan) -> None:
        several = len(plan.roster_sheets) > 1
        self.sheet_row.setVisible(several)
        if not several:
            return
        self.sheet_choice.clear()
        self.sheet_choice.addItems(plan.roster_sheets)
        self.sheet_choice.setCurrentText(plan.sheet_name)
        self.sheet_hint.setText(f"这个文件中有 {len(plan.roster_sheets)} 个工作表像人员名单，下表读的是“{plan.sheet_name}”。"
                                "如果要导入的是另一个，请在左边选择。")

    def _sheet_chosen(self) -> None:
        chosen = self.sheet_choice.currentText()
        if self.plan is not None and chosen != self.plan.sheet_name:
            self._sheet = chosen
            self.import_button.setEnabled(False)  # until the chosen sheet has been read and compared
            self.start()

    def _share_text_columns(self) -> None:
        """备注, 变化 and 问题与提示 wrap: when their measured widths (``_text_widths``) would push the table
        past its right edge, they share the room the other columns leave, in proportion (a sideways scroll
        hides the notes, the column the clerk must read); again whenever the table's width changes (the
        clerk resizes the dialog), and back to their own widths when there is room. Not below a few
        characters' width (or a column's own, when narrower: an empty 备注 keeps its title's): then the
        table scrolls."""
        view, model = self.table, self.model
        if not self._text_widths or view.viewport().width() == self._shared_for:
            return
        self._shared_for = view.viewport().width()
        free = model.WRAPPED_COLUMNS
        room = view.viewport().width()
        if not view.verticalScrollBar().isVisible() and \
                model.rowCount() * view.verticalHeader().defaultSectionSize() > view.viewport().height():
            room -= view.verticalScrollBar().sizeHint().width()  # the bar about to appear
        room -= sum(view.columnWidth(c) for c in range(model.columnCount()) if c not in free)
        wanted = self._text_widths
        least = view.fontMetrics().horizontalAdvance("问题与提示问题")
        for column, width in zip(free, _shares(wanted, room, [min(width, least) for width in wanted])):
            view.setColumnWidth(column, width)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_text_columns()
        return super().eventFilter(watched, event)

    @staticmethod
    def _summary_html(plan: ImportPlan) -> str:
        parts = [
            f"<span style='color:{STATUS_COLOURS[status].name()}'><b>{status.value} {plan.count(status)}</b></span>"
            for status in RowStatus
        ]
        text = "　·　".join(parts)
        if plan.skipped:
            text += f"　　<span style='color:#6b7280'>（另有 {len(plan.skipped)} 行空行、合计行或说明行未计入）</span>"
        return text

    def _update_import_button(self) -> None:
        plan = self.plan
        if plan is None:
            return
        blocked = bool(plan.problem_rows) and not self.skip_problems.isChecked()
        self.import_button.setEnabled(plan.has_writes and not blocked)
        if not plan.has_writes and plan.problem_rows:  # not “一致”: the red rows are what differs
            self.advice.setText("除标红的行外，表格与现有名单一致。请在 Excel 中改正标红的行后重新导入。")
        elif not plan.has_writes:
            self.advice.setText("表格与现有名单一致，没有需要导入的内容。")
        elif blocked:
            self.advice.setText("请先在 Excel 中改正标红的行再重新导入，或勾选左侧选项跳过它们。")
        else:
            self.advice.setText("导入前会自动备份现有数据；导入后也可以用“撤销”恢复。")

    def apply(self) -> None:
        command = ImportCommand(self._ws, self.plan, skip_invalid=self.skip_problems.isChecked())
        try:
            self._ws.execute(command)
        except QingqingError as exc:
            messages.show_error(self, exc, "导入未完成")
            return
        self.imported.emit(command.result)
        QMessageBox.information(self, "导入完成", self._result_text(command.result))
        self.accept()

    @staticmethod
    def _result_text(result: ImportResult) -> str:
        text = f"新增 {result.added} 人，更新 {result.updated} 人，无变化 {result.unchanged} 人"
        if result.skipped_problems:
            text += f"，跳过有问题的 {result.skipped_problems} 行"
        text += "。"
        if result.backup_path:
            text += f"\n\n导入前的数据已备份到：\n{result.backup_path}"
        return text + "\n\n如导入有误，可点“编辑 → 撤销”恢复导入前的名单。"
