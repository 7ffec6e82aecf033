"""核对盖章纸质件: scans of stamped 附件2/附件3 read in the background and compared page by page with
the filings received; a page's unit detail is one double click (or Enter) away."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from qingqing_desktop.ui.common.record_table import Column, RecordTableModel
from qingqing_desktop.ui.common.scan_batch_dialog import ScanBatchDialog, unreadable_html
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.tables import size_columns_from_sample
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.unit_detail import open_unit_detail

if TYPE_CHECKING:  # the service loads pypdfium2, zxing-cpp and Pillow: imported when scans are read
    from qingqing_desktop.services.paper_check import PageCheck, PaperCheckReport

GOOD, WARN, BAD, GREY = QColor("#1a7f37"), QColor("#9a6700"), QColor("#c62828"), QColor("#6b7280")
_KEY_DIFFERS = "密钥指纹不符"
COLUMN_MAX = 180  # about twelve characters: a longer unit name or 核对结果 wraps


def verdict_colour(check: PageCheck) -> QColor:
    """Green for paper that matches (red if its key does not), amber for another revision, red for
    paper that contradicts the data, grey for pages that are not forms. (By name: the enum's module
    loads the scan readers.)"""
    name = check.verdict.name
    if name == "CONSISTENT":
        return BAD if check.key.value == _KEY_DIFFERS else GOOD
    if name in ("OLDER", "NEWER"):
        return WARN
    if name in ("MISMATCH", "NOT_RECEIVED"):
        return BAD
    return GREY


CHECK_COLUMNS = (
    Column("页码", lambda c: f"第{c.page.number}页", sort=lambda c: c.page.number, centred=True),
    Column("单位", lambda c: c.unit_label),
    Column("表格", lambda c: c.form.label if c.form else ""),
    Column("版本", lambda c: f"第{c.revision}版" if c.revision else "", sort=lambda c: c.revision or 0, centred=True),
    Column("核对结果", lambda c: c.text),
    Column("密钥指纹", lambda c: c.key.value),
    Column("说明", lambda c: c.detail),
)


class CheckTableModel(RecordTableModel):
    def __init__(self, parent=None):
        super().__init__(CHECK_COLUMNS, parent)

    def foreground(self, record: PageCheck) -> QColor | None:
        return verdict_colour(record)


class PaperCheckDialog(ScanBatchDialog):
    report_ready = Signal(object)  # PaperCheckReport

    def __init__(self, workspace: Workspace, source: Path, parent: QWidget | None = None):
        super().__init__(workspace, source, "核对盖章纸质件", CheckTableModel(), parent)
        self.model.setParent(self)
        self.report: PaperCheckReport | None = None
        self.resize(1240, 720)
        self.body.setSizes([860, 360])
        self.table.activated.connect(lambda index: self.open_unit(index.row()))
        hint = QLabel("双击一行（或选中后按回车）查看该单位的报送详情。")
        hint.setObjectName("hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.detail_button = self.buttons.addButton("查看该单位详情…", QDialogButtonBox.ButtonRole.ActionRole)
        self.detail_button.setEnabled(False)
        self.detail_button.clicked.connect(lambda: self.open_unit(self.table.currentIndex().row()))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        remember_geometry(self, workspace.settings)

    def start(self) -> None:
        session = self._ws.session

        def check(source, progress):
            from qingqing_desktop.services import paper_check  # noqa: PLC0415 - heavy, only when used

            return paper_check.check_paper(session, source, progress=progress)

        self.read_in_background(check, self._show_report)

    def _show_report(self, report: PaperCheckReport) -> None:
        self.report = report
        self.summary.setText(report.summary() + unreadable_html(report.unreadable_files))
        self.model.set_rows(report.pages)
        # 说明, last, takes the room left and wraps (a line each): measured, it pushed itself past the table's
        # edge behind a sideways scroll. A long unit name wraps onto two lines rather than take that room.
        size_columns_from_sample(self.table, maximum=COLUMN_MAX, last_fills=True)
        self.rows.fit()
        self.select_first()
        self.report_ready.emit(report)

    def _show_record(self, check: PageCheck | None) -> None:
        self.detail_button.setEnabled(check is not None and check.unit is not None)
        if check is None:
            self.picture.show_picture("", b"")
        else:
            self.picture.show_picture(f"{check.page.label}：{check.text}", check.page.preview)

    def open_unit(self, proxy_row: int):
        """The unit detail of the page's unit (pages of units never delivered have none)."""
        if not 0 <= proxy_row < self.proxy.rowCount():
            return None
        check = self.proxy.row_at(proxy_row)
        if check.unit is None:
            return None
        return open_unit_detail(self._ws, check.unit.id, self)


def check_paper(workspace: Workspace, parent: QWidget, source: Path) -> PaperCheckDialog:
    dialog = PaperCheckDialog(workspace, source, parent)
    dialog.open()
    dialog.start()
    return dialog
