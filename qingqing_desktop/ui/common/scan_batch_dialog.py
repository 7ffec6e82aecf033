"""The frame of the dialogs that read a batch of scanned pages (批量导入签字页, 核对盖章纸质件).

The batch is read in the background with progress and 取消 (ui/common/background.py); then
a table lists every page, and the selected page is shown beside it as scanned (turned
upright when its code said how), so the clerk can see what a line means.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import run_in_background
from qingqing_desktop.ui.common.record_table import RecordTableModel
from qingqing_desktop.ui.common.row_table_model import RowFilterProxy
from qingqing_desktop.ui.common.scan_viewer import ScaledImage
from qingqing_desktop.ui.common.tables import WrappedRows, setup_table
from qingqing_desktop.ui.common.workspace import Workspace


def unreadable_html(files) -> str:
    """Lines naming the files of the batch that could not be read at all, and why."""
    return "".join(f"<br><span style='color:#c62828'>无法读取：{f.path.name}（{f.reason}）</span>" for f in files)


class PagePicture(QWidget):
    """A caption and the picture of one scanned page; ``extra`` holds what a dialog adds under it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        self._box = QVBoxLayout()
        self.extra = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(self._box, 1)
        layout.addLayout(self.extra)
        self.image: ScaledImage | None = None

    def show_picture(self, caption: str, jpeg: bytes) -> None:
        if self.image is not None:
            self.image.deleteLater()
            self.image = None
        self.caption.setText(caption)
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg):
            self.image = ScaledImage(pixmap)
            self._box.addWidget(self.image)


class PageProxy(RowFilterProxy):
    """The lines a dialog shows, in the order read; the filter choice is a predicate on a line."""

    SEQUENCE_COLUMN = None  # the first column is the page number in the batch, not a 序号

    def __init__(self, parent=None):
        super().__init__(lambda record: True, parent)

    def accepts(self, row, choice) -> bool:
        return choice(row)


class ScanBatchDialog(QDialog):
    """Opened per batch; subclasses put their own widgets around ``self.body`` and answer ``_show_result``."""

    def __init__(self, workspace: Workspace, source: Path, title: str, model: RecordTableModel,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ws = workspace
        self.source = Path(source)
        self.setWindowTitle(f"{title} — {self.source.name}")
        self.intro = QLabel(f"扫描件：{self.source}")
        self.intro.setWordWrap(True)
        self.summary = QLabel("正在读取…")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.model = model
        self.proxy = PageProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        setup_table(self.table)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)  # 说明 takes the room left
        # 说明 wraps: fitted again when the splitter or the dialog's edge moves
        self.rows = WrappedRows(self.table, lambda row: [
            str(self.proxy.index(row, column).data() or "") for column in range(self.proxy.columnCount())])
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_record(self.proxy.row_at(current.row()) if current.isValid()
                                                         else None))
        self.picture = PagePicture()
        self.body = QSplitter()
        self.body.addWidget(self.table)
        self.body.addWidget(self.picture)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)

    def read_in_background(self, work: Callable[[Path, Callable[[int, str], None]], object],
                           on_result: Callable[[object], None]) -> None:
        """``work(source, progress)`` on a worker thread behind a progress dialog; 取消 closes this dialog."""
        source = self.source

        def read(control):
            control.progress(0, f"正在读取“{source.name}”…")
            return work(source, control.progress)

        run_in_background(self, "正在读取扫描件…", read, on_result, self._read_failed, on_cancel=self.reject)

    def _read_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc, "无法读取扫描件")
        self.reject()

    def _show_record(self, record) -> None:
        """The selected line changed (None: nothing selected)."""

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)
