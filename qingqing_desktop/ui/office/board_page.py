"""报送情况 (纪委（监察室）模式): every expected unit and where its filing stands; import the
packages from a USB stick (menu, button or drag and drop) and open a unit to review it; check
scans of the stamped paper against the filings received."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import office_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.office_service import Board
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.file_dialogs import (
    PACKAGE_FILTER,
    SCAN_FILE_FILTER,
    ask_folder,
    ask_open_file,
    ask_open_files,
)
from qingqing_desktop.ui.common.pages import Page, action_button
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.settings import (
    BOARD_SORT_COLUMN,
    BOARD_SORT_DESCENDING,
    LAST_EXCHANGE_DIR,
    LAST_SCAN_DIR,
)
from qingqing_desktop.ui.common.tables import (
    add_filter_controls,
    filter_controls,
    on_rows_changed,
    setup_sorted_table,
    size_columns_from_sample,
    widest_line,
)
from qingqing_desktop.ui.filing.filing_page import NoCampaignView
from qingqing_desktop.ui.office import package_import
from qingqing_desktop.ui.office.board_model import (
    BOARD_FILTERS,
    STATE_COLUMN,
    UNIT_COLUMN,
    BoardFilterProxy,
    BoardTableModel,
    state_text,
    totals_text,
)

if TYPE_CHECKING:  # a unit's detail (with its PDF preview) is imported when first opened
    from qingqing_desktop.ui.office.unit_detail import UnitDetailDialog

NO_CAMPAIGN_TEXT = (
    "先新建一次行动（批次），导出任务包交给各单位，\n"
    "再在“纪委 → 应报单位名单…”中列出应当报送的单位。\n"
    "各单位交来报送包后，在这里导入、查看和审核。\n"
    "本地通知的清单、承诺书与程序自带的不同时，先到“政策模板”页写好本地的模板。"
)
SEARCH_PLACEHOLDER = "搜索单位名称或拼音首字母，如 jsk"
# The unit column gives way to the others down to this many characters (its names elided in the
# middle, the tooltip whole); narrower than that, the table scrolls sideways instead.
UNIT_NARROWEST_SAMPLE = "质量安全监督站"


def dropped_paths(mime_data) -> list[Path]:
    local = [Path(url.toLocalFile()) for url in mime_data.urls() if url.isLocalFile()]
    return package_import.package_sources(local)


class TotalsStrip(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progressStrip")
        self.first = QLabel()
        self.first.setObjectName("progressText")
        self.first.setWordWrap(True)
        self.second = QLabel()
        self.second.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.first)
        layout.addWidget(self.second)

    def show_board(self, board: Board) -> None:
        first, second = totals_text(board.rows, board.totals)
        self.first.setText(first)
        self.second.setText(second)


class BoardPage(Page):
    title = "报送情况"
    icon_name = "board"
    explanation = (
        "各单位交来的报送包导入后在这里汇总：谁已报送、谁逾期、谁待审核。双击一个单位查看材料，退回修改或确认无误。"
        "U盘上的报送包（或整个文件夹）也可以直接拖到这里导入。"
    )

    status_message = Signal(str)
    new_campaign_requested = Signal()  # the window's 新建行动并导出任务包 answers it

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.setAcceptDrops(True)
        self.board: Board | None = None
        self._columns_sized = False
        self._unit_width = 0  # what the widest unit name wants, before giving way
        self._state_width = 0  # what 状态 needs, measured on each load
        self._fitting = False  # the page, not the reviewer, is resizing the unit column
        self._unit_by_hand = False  # the reviewer dragged the unit column: it stays as they set it
        self._create_actions()
        self.no_campaign = NoCampaignView(text=NO_CAMPAIGN_TEXT, import_text=None, new_text="新建行动并导出任务包…")
        self.no_campaign.new_button.clicked.connect(self.new_campaign_requested)
        self.strip = TotalsStrip()
        self._create_table()
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setWordWrap(True)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.strip)
        column.addLayout(self._tools())
        column.addWidget(self.empty_hint)
        column.addWidget(self.table, 1)
        self.views = QStackedWidget()
        self.views.addWidget(self.no_campaign)
        self.views.addWidget(content)
        self.body.addWidget(self.views, 1)
        self.ws.changed.connect(self._on_changed)
        self.refresh()

    def _create_actions(self) -> None:
        self.import_files_action = QAction(icon("import"), "导入报送包…", self, triggered=self.import_files)
        self.import_files_action.setToolTip("选择一个或多个报送包（.qqpkg 文件）导入")
        self.import_folder_action = QAction("从文件夹导入…", self, triggered=self.import_folder)
        self.import_folder_action.setToolTip("导入一个文件夹（如U盘）及其子文件夹中的全部报送包")
        self.detail_action = QAction("查看详情…", self, triggered=self.open_selected)
        self.check_paper_action = QAction("核对扫描件（PDF 或图片）…", self, triggered=self.check_paper_file)
        self.check_paper_folder_action = QAction("核对文件夹中的扫描图片…", self, triggered=self.check_paper_folder)

    def _create_table(self) -> None:
        self.model = BoardTableModel(self)
        self.proxy = BoardFilterProxy(self)
        self.table = QTableView()
        setup_sorted_table(self.table, self.model, self.proxy,
                           selection=QTableView.SelectionMode.SingleSelection, sort_column=UNIT_COLUMN)
        self._restore_sort()
        # 平阳县住…鳌江分局: the start and the end of a name tell units apart; the right end alone does not
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.viewport().installEventFilter(self)
        self.table.horizontalHeader().sectionResized.connect(self._on_section_resized)
        # activated: a double click, or Enter on the keyboard (doubleClicked as well would open two windows).
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        on_rows_changed(self.proxy, self._update_empty_hint)

    def _restore_sort(self) -> None:
        """The order the reviewer last chose (a click on 报送时间 or 状态), kept across restarts."""
        settings = self.ws.settings
        column = settings.get(BOARD_SORT_COLUMN)
        if 0 <= column < self.model.columnCount():  # a column an older or newer version had may be gone
            order = Qt.SortOrder.DescendingOrder if settings.get(BOARD_SORT_DESCENDING) else Qt.SortOrder.AscendingOrder
            self.table.sortByColumn(column, order)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._remember_sort)

    def _remember_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.ws.settings.set(BOARD_SORT_COLUMN, column)
        self.ws.settings.set(BOARD_SORT_DESCENDING, order == Qt.SortOrder.DescendingOrder)

    def _tools(self) -> QHBoxLayout:
        self.filter, self.search = filter_controls([f.label for f in BOARD_FILTERS], SEARCH_PLACEHOLDER,
                                                  search_width=240)
        self.filter.currentIndexChanged.connect(lambda index: self.proxy.set_filter(BOARD_FILTERS[index]))
        self.search.textChanged.connect(self.proxy.set_query)
        self.search.lead_to(self.table, self.open_selected)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(action_button(self.import_files_action, object_name="primary"))
        tools.addWidget(action_button(self.import_folder_action))
        tools.addWidget(action_button(self.detail_action))
        self.paper_button = QPushButton("核对盖章纸质件")
        self.paper_button.setToolTip("扫描各单位交来的盖章附件2、附件3，按页上的二维码核对是否与收到的报送数据一致")
        menu = QMenu(self.paper_button)
        menu.addAction(self.check_paper_action)
        menu.addAction(self.check_paper_folder_action)
        self.paper_button.setMenu(menu)
        tools.addWidget(self.paper_button)
        add_filter_controls(tools, self.filter, self.search)
        return tools

    # ---------------------------------------------------------------- loading

    def _on_changed(self, changes: Changes) -> None:
        if changes.filing or changes.unit or changes.template:
            self.refresh()

    def refresh(self) -> None:
        campaign = self.ws.campaign()
        self.views.setCurrentIndex(1 if campaign else 0)
        for action in (self.import_files_action, self.import_folder_action):
            action.setEnabled(campaign is not None)
        if campaign is None:
            self.board = None
            self.model.set_rows([])
            return
        selected = self.selected_row()
        try:
            self.board = office_service.board(self.ws.session)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        self.model.set_rows(self.board.rows)
        self.strip.show_board(self.board)
        self._update_filter_counts()
        if self.board.rows:  # grown on later loads: 报送时间 is empty until a unit delivers
            header = self.table.horizontalHeader()
            self._fitting = True
            try:
                size_columns_from_sample(self.table, maximum=260, stretch_last=False, grow_only=self._columns_sized)
            finally:
                self._fitting = False
            # Every unit's name, shown or filtered out, not the first rows' (in pinyin order a long name
            # further down was cut short where there was room for it): one column, few names measured.
            names = (self.model.text(row, UNIT_COLUMN) for row in range(self.model.rowCount()))
            self._unit_width = max(header.sectionSizeHint(UNIT_COLUMN),
                                   widest_line(names, self.table.fontMetrics()) + self._margin(UNIT_COLUMN))
            self._state_width = self._state_needs()
            header.setStretchLastSection(True)
            self._columns_sized = True
            self.fit_columns()
        if selected is not None:
            self.select(selected.office_unit_id)
        self._update_actions()

    def fit_columns(self) -> None:
        """Keep 状态, the column the office reads first, in view beside the others: the unit column
        takes what is left (down to a few characters; its tooltip has the name whole)."""
        if not self._columns_sized or self._unit_by_hand:
            return
        table, header = self.table, self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c not in (UNIT_COLUMN, STATE_COLUMN))
        narrowest = min(self._unit_width,
                        table.fontMetrics().horizontalAdvance(UNIT_NARROWEST_SAMPLE) + self._margin(UNIT_COLUMN))
        width = max(narrowest, min(self._unit_width, table.viewport().width() - others - self._state_width))
        if width != header.sectionSize(UNIT_COLUMN):
            self._fitting = True
            try:
                header.resizeSection(UNIT_COLUMN, width)
            finally:
                self._fitting = False

    def _margin(self, column: int) -> int:
        """The room the header keeps around a title (margins, sort indicator): enough around a cell's text."""
        header = self.table.horizontalHeader()
        title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
        return header.sectionSizeHint(column) - header.fontMetrics().horizontalAdvance(title)

    def _state_needs(self) -> int:
        """状态's width for every unit's state, shown or filtered out (the last column stretches, so its
        size says nothing); its few distinct texts measured, not 2,000 cells through the delegate."""
        texts = {state_text(row) for row in self.board.rows} if self.board else set()
        widest = max(map(self.table.fontMetrics().horizontalAdvance, texts), default=0)
        return max(self.table.horizontalHeader().sectionSizeHint(STATE_COLUMN), widest + self._margin(STATE_COLUMN))

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == UNIT_COLUMN and not self._fitting and self._columns_sized:
            self._unit_by_hand = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()  # the window maximised or restored, a scroll bar came or went
        return super().eventFilter(watched, event)

    def _update_filter_counts(self) -> None:
        rows = self.board.rows if self.board else ()
        for i, board_filter in enumerate(BOARD_FILTERS):
            self.filter.setItemText(i, f"{board_filter.label}（{sum(board_filter.accepts(r) for r in rows)}）")

    def set_filter(self, label: str) -> None:
        self.filter.setCurrentIndex([f.label for f in BOARD_FILTERS].index(label))

    def status_text(self) -> str:
        if self.board is None:
            return ""
        totals = self.board.totals
        text = f"应报 {totals.expected} · 已报 {totals.delivered_expected} · 已确认 {totals.confirmed_expected}"
        unlisted = sum(not r.expected for r in self.board.rows)
        # Apart, as the strip has them: without it, twelve packages received read as 已报 0.
        return text + (f" · 名单外报送 {unlisted}" if unlisted else "")

    def _update_empty_hint(self) -> None:
        if self.board is not None and not self.board.rows:
            text = "还没有应报单位。请在菜单“纪委 → 应报单位名单…”中添加应当报送的单位（可一次粘贴多个）。"
        elif self.board is not None and self.proxy.rowCount() == 0:
            text = "没有符合条件的单位。请换一个搜索词，或把“显示”改为“全部”。"
        else:
            text = ""
        self.empty_hint.setText(text)
        self.empty_hint.setVisible(bool(text))

    # ---------------------------------------------------------------- selection and detail

    def selected_row(self):
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def select(self, office_unit_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).office_unit_id == office_unit_id:
                self.table.selectRow(row)
                # to the unit's name: scrolling to 状态, the last column, hid the names on a small screen
                self.table.scrollTo(self.proxy.index(row, UNIT_COLUMN))
                return

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_actions(self) -> None:
        self.detail_action.setEnabled(self.selected_row() is not None)

    def open_row(self, proxy_row: int) -> UnitDetailDialog | None:
        from qingqing_desktop.ui.office.unit_detail import open_unit_detail  # noqa: PLC0415

        if not 0 <= proxy_row < self.proxy.rowCount():
            return None
        return open_unit_detail(self.ws, self.proxy.row_at(proxy_row).office_unit_id, self)

    def open_selected(self) -> UnitDetailDialog | None:
        from qingqing_desktop.ui.office.unit_detail import open_unit_detail  # noqa: PLC0415

        row = self.selected_row()
        return open_unit_detail(self.ws, row.office_unit_id, self) if row is not None else None

    # ---------------------------------------------------------------- import

    def import_files(self) -> None:
        paths = ask_open_files(self, self.ws.settings, LAST_EXCHANGE_DIR, "选择要导入的报送包（可多选）", PACKAGE_FILTER)
        if paths:
            self.import_sources(paths)

    def import_folder(self) -> None:
        folder = ask_folder(self, self.ws.settings, LAST_EXCHANGE_DIR, "选择存放报送包的文件夹或U盘")
        if folder is not None:
            self.import_sources([folder])

    def import_sources(self, sources: list[Path]) -> None:
        if self.ws.campaign() is None:
            messages.show_error(self, QingqingError("还没有行动。请先新建行动并把任务包发给各单位，再导入报送包。"))
            return
        if all(path.is_file() and office_service.is_other_known_file(path) for path in sources):
            # A stamped PDF or an Excel 汇总表 chosen here by mistake: where it goes, before any import starts.
            texts = (office_service.not_a_package_text(office_service.not_a_package(self.ws.session, path))
                     for path in sources)
            messages.show_error(self, QingqingError("\n".join(texts)), "不是报送包")
            return
        package_import.import_packages(self.ws, self, sources)

    def dragEnterEvent(self, event) -> None:
        if self.ws.campaign() is not None and dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_sources(paths)

    # ---------------------------------------------------------------- stamped paper

    def check_paper_file(self):
        path = ask_open_file(self, self.ws.settings, LAST_SCAN_DIR, "选择盖章纸质件的扫描件", SCAN_FILE_FILTER)
        return self.check_paper(path) if path is not None else None

    def check_paper_folder(self):
        folder = ask_folder(self, self.ws.settings, LAST_SCAN_DIR, "选择存放盖章纸质件扫描图片的文件夹")
        return self.check_paper(folder) if folder is not None else None

    def check_paper(self, source: Path):
        from qingqing_desktop.ui.office.paper_check_dialog import check_paper  # noqa: PLC0415

        return check_paper(self.ws, self, Path(source))
