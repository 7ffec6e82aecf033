"""导入报送包: files, a folder (a USB stick) or what was dropped on the board, imported in the
background; then a report that says for every file what became of it, and why a refused one was refused."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from qingqing_desktop.domain.office import Verdict
from qingqing_desktop.domain.text import quoted
from qingqing_desktop.exchange.filing_package import EXTENSION as PACKAGE_EXTENSION
from qingqing_desktop.services import office_service
from qingqing_desktop.services.office_service import ImportReport, PackageImport, SkippedFile
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.record_table import Column, RecordTableModel
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.tables import setup_table, size_columns_from_sample
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.office_commands import BOARD_CHANGED

REFUSED = "拒绝"
_RESULT_LABELS = {
    Verdict.FIRST: "新导入",
    Verdict.NEWER_REVISION: "新版本",
    Verdict.RECTIFICATION: "新版本（整改进展）",
    Verdict.REPLACES_EXCEL: "新导入（取代Excel数据）",
    Verdict.DUPLICATE: "已导入过（无变化）",
    Verdict.OLDER: "旧版本，已忽略",
    Verdict.CONFLICT: "冲突",
}


def result_label(result: PackageImport) -> str:
    return REFUSED if not result.ok else _RESULT_LABELS[result.verdict]


def result_detail(result: PackageImport) -> str:
    """The reason of a refusal, what a new version changed, or what a conflict means."""
    if not result.ok:
        return result.error
    if result.verdict is Verdict.CONFLICT:
        return "与已导入的同一版次内容不同，没有采用；当前数据不变。请与该单位核实哪一份是最终的。"
    if result.verdict is Verdict.OLDER:
        return "已有更新的版本，这份只作为历史保存。"
    return "\n".join(text for text in (result.changes, *result.warnings) if text)


REPORT_COLUMNS = (
    Column("文件", lambda r: r.file_name),
    Column("单位", lambda r: r.unit),
    Column("版次", lambda r: f"第{r.revision}版" if r.revision else "", centred=True),
    Column("结果", result_label),
    Column("说明", result_detail),
)


class ReportModel(RecordTableModel):
    def __init__(self, parent=None):
        super().__init__(REPORT_COLUMNS, parent)

    def foreground(self, result: PackageImport) -> QColor | None:
        if not result.ok:
            return QColor("#c62828")
        if result.verdict is Verdict.CONFLICT or result.warnings:
            return QColor("#a15c00")
        if result.verdict.becomes_current:
            return QColor("#17692f")
        return None


FILE_COLUMN_MAX = 460


def first_worth_reading(results) -> int:
    """The row the report opens on: the first problem, else the first file that changed something
    (a folder imported again is mostly files already imported, sorted before the new one)."""
    problem = next((i for i, r in enumerate(results) if not r.ok), None)
    if problem is not None:
        return problem
    return next((i for i, r in enumerate(results) if r.verdict not in (Verdict.DUPLICATE, Verdict.OLDER)), 0)


class ImportReportDialog(QDialog):
    """One line per file; the selected line's full explanation under the table (refusals can be long)."""

    def __init__(self, report: ImportReport, settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("导入结果")
        self.resize(980, 480)
        self.report = report
        self.summary = QLabel(self._summary_text())
        self.summary.setObjectName("progressText")
        self.summary.setWordWrap(True)
        # The stamped PDFs and Excel 汇总表 that came on the same stick: named, with where each goes.
        self.skipped = QLabel(skipped_text(report.skipped))
        self.skipped.setObjectName("hint")
        self.skipped.setWordWrap(True)
        self.skipped.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skipped.setVisible(bool(report.skipped))
        self.model = ReportModel(self)
        self.model.set_rows(report.results)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        # A package's file name whole (unit, campaign, 版次 and .qqpkg); 说明, last, stretches into the rest.
        size_columns_from_sample(self.table, maximum=FILE_COLUMN_MAX)
        self.detail = QLabel()
        self.detail.setObjectName("reportDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3 + 16)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show(current.row()))
        backup = QLabel(f"导入前已自动备份数据库：{report.backup_path}" if report.backup_path else "")
        backup.setObjectName("hint")
        backup.setWordWrap(True)
        backup.setVisible(report.backup_path is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.skipped)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(backup)
        layout.addWidget(buttons)
        if report.results:
            self.table.selectRow(first_worth_reading(report.results))
        remember_geometry(self, settings)

    def _summary_text(self) -> str:
        report = self.report
        if not report.results:
            return "没有找到报送包（.qqpkg 文件）。请确认选择的文件夹或U盘里有各单位交来的报送包。"
        counts: dict[str, int] = {}
        for result in report.results:
            counts[result_label(result)] = counts.get(result_label(result), 0) + 1
        text = f"共 {len(report.results)} 个文件：" + "；".join(f"{label} {n} 个" for label, n in counts.items()) + "。"
        if report.cancelled:
            text += "导入已取消，其余文件没有导入。"
        if report.failed:
            text += "被拒绝的文件没有改动任何数据，原因见下表（选中一行可看完整说明）。"
        return text

    def _show(self, row: int) -> None:
        if row < 0:
            self.detail.clear()
            return
        result = self.model.row(row)
        detail = result_detail(result)
        self.detail.setText(f"{result.file_name}：{result_label(result)}" + (f"\n{detail}" if detail else ""))

    def labels(self) -> list[tuple[str, str, str]]:
        """(file, result, detail) per line, as shown."""
        return [(r.file_name, result_label(r), result_detail(r)) for r in self.model.rows()]


SKIPPED_NAMES_SHOWN = 5  # per kind; a folder of forty scans names five and says how many more


def skipped_text(skipped: Sequence[SkippedFile]) -> str:
    """One line per kind of file left out: its names, then where such files go."""
    if not skipped:
        return ""
    groups: dict[tuple[str, str], list[str]] = {}
    for each in skipped:
        groups.setdefault((each.kind, each.advice), []).append(each.name)
    lines = [f"文件夹中另有 {len(skipped)} 个文件不是报送包，没有导入："]
    order = ("Excel文件", "PDF文件", "图片", "")  # what is to be imported, then what is to be checked
    for (kind, advice), names in sorted(groups.items(), key=lambda item: order.index(item[0][0])
                                        if item[0][0] in order else len(order)):
        shown = "、".join(map(quoted, names[:SKIPPED_NAMES_SHOWN]))
        if len(names) > SKIPPED_NAMES_SHOWN:
            shown += f"等 {len(names)} 个"
        lines.append(f"{shown}：是{kind}，{advice}。" if kind else f"{shown}：不是报送包。")
    return "\n".join(lines)


def package_sources(paths: Sequence[Path]) -> list[Path]:
    """What of a drop or a selection can be imported: 报送包 files and folders (searched for them)."""
    return [p for p in paths if p.is_dir() or p.suffix.lower() == PACKAGE_EXTENSION]


def import_packages(workspace: Workspace, parent: QWidget, sources: Sequence[Path]) -> None:
    """Import in the background; the report opens when done (also after 取消, for what was done)."""
    session = workspace.session

    def work(control: background.JobControl) -> ImportReport:
        def progress(done: int, total: int, name: str) -> None:
            text = f"正在导入第 {done + 1}/{total} 个：{name}" if name else "正在完成…"
            control.report(int(done * 100 / max(total, 1)), text)

        return office_service.import_packages(session, list(sources), progress=progress,
                                              should_cancel=lambda: control.cancelled)

    def done(report: ImportReport) -> None:
        workspace.notify(BOARD_CHANGED)
        ImportReportDialog(report, workspace.settings, parent).open()

    def failed(exc: BaseException) -> None:
        workspace.notify(BOARD_CHANGED)  # files before the failing one may have gone in
        messages.show_error(parent, exc, "导入未完成")

    background.run_in_background(parent, "正在导入报送包…", work, done, failed, result_after_cancel=True)
