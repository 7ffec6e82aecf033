"""The main window: navigation on the left, pages on the right, menus, toolbar and status bar.

A page is built — and its module imported — when it is first shown (or its actions are
first needed: a menu that shows another page's actions is filled when first opened), and
dialogs are imported when first opened, so the window opens on the roster (the office: the
board) without loading the documents, the exchange formats or the PDF preview
(``tests/test_startup_imports.py``; ``tools/bench_startup.py`` measures it).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from html import escape
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop import APP_NAME, __version__
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.store import faults, integrity
from qingqing_desktop.store.locations import backups_dir
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.access_keys import fill_menu
from qingqing_desktop.ui.common.file_dialogs import XLSX_FILTER, ask_open_file, ask_save_file
from qingqing_desktop.ui.common.pages import Page, ReturnPressesButtons
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.settings import (
    AUTO_BACKUP_MINUTES,
    LAST_EXPORT_DIR,
    LAST_IMPORT_DIR,
    OPERATOR_ASKED,
    remember_geometry,
)
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.filing.campaign_header import CampaignHeader
from qingqing_desktop.ui.roster.roster_page import RosterPage

_UI = "qingqing_desktop.ui."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageEntry:
    """A page in the navigation before it is built: its title and icon (the same as the page
    class's own ``title`` and ``icon_name``; a test checks), and where its class is."""

    title: str
    icon_name: str
    location: str  # "module:Class" under qingqing_desktop.ui
    home: bool = False  # the page the window opens on, and 查找 searches

    def load(self) -> type[Page]:
        module, _, name = self.location.partition(":")
        return getattr(importlib.import_module(_UI + module), name)

    def is_for(self, page_class: type) -> bool:
        return self.location == f"{page_class.__module__.removeprefix(_UI)}:{page_class.__name__}"


# The navigation, top to bottom. A new page is one more line here.
PAGES = (
    PageEntry("单位信息", "unit", "unit.unit_page:UnitPage"),
    PageEntry("三张清单", "lists", "unit.lists_page:ListsPage"),
    PageEntry("人员名单", "roster", "roster.roster_page:RosterPage", home=True),
    PageEntry("承诺书签订", "pledge", "filing.pledge_page:PledgePage"),
    PageEntry("自查表", "selfcheck", "filing.selfcheck_page:SelfCheckPage"),
    PageEntry("导出与打印", "export", "documents.export_page:ExportPage"),
    PageEntry("报送与接收", "delivery", "delivery.delivery_page:DeliveryPage"),
)
# In 纪委（监察室）模式 the window shows these instead: the office files nothing itself.
OFFICE_PAGES = (
    PageEntry("纪委信息", "office", "office.office_page:OfficePage"),
    PageEntry("报送情况", "board", "office.board_page:BoardPage", home=True),
    PageEntry("政策模板", "lists", "office.templates_page:TemplatesPage"),
)
HEADER_REFRESH_MS = 10 * 60_000  # “距截止还有 N 天” must turn over at midnight in a window left open


def _roster_files(mime_data) -> list[Path]:
    from qingqing_desktop.ui.roster.import_dialog import ROSTER_FILE_SUFFIXES  # noqa: PLC0415

    paths = [Path(url.toLocalFile()) for url in mime_data.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in ROSTER_FILE_SUFFIXES]


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace):
        super().__init__()
        self.ws = workspace
        self.office = workspace.is_office()
        self.entries = OFFICE_PAGES if self.office else PAGES
        self._home_row = next(row for row, entry in enumerate(self.entries) if entry.home)
        # Fits a 1366×768 screen's 728 free pixels at 125% and 150% scaling (600 did not: 750 pixels)
        self.setMinimumSize(880, 460)
        self.resize(1200, 760)
        self.setAcceptDrops(not self.office)  # the office's board takes dropped packages itself

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFixedWidth(176)
        self.stack = QStackedWidget()
        self._built: dict[int, Page] = {}  # navigation row -> its page, once built
        self._listening = False
        for entry in self.entries:
            self.stack.addWidget(QWidget())  # stands in for the page until it is first shown
            item = QListWidgetItem(icon(entry.icon_name), entry.title, self.navigation)
            item.setSizeHint(QSize(0, 40))
        self.navigation.currentRowChanged.connect(self._change_page)
        self.header = CampaignHeader(workspace)
        self.header.new_button.clicked.connect(self.new_campaign)
        self.damage_banner = self._create_damage_banner()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.damage_banner)
        right.addWidget(self.header)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self._create_actions()
        self._office_actions = None
        if self.office:
            self._create_office_menus()
            self._create_office_toolbar()
        else:
            self._create_menus()
            self._create_toolbar()
        self._create_status_bar()

        workspace.changed.connect(self._on_changed)
        self._listening = True
        workspace.backed_up.connect(self._show_backup_time)
        workspace.command_failed.connect(self._command_failed)
        workspace.soundness_changed.connect(self._soundness_changed)

        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(max(1, workspace.settings.get(AUTO_BACKUP_MINUTES)) * 60_000)
        self.backup_timer.timeout.connect(self.auto_backup)
        self.backup_timer.start()
        self.header_timer = QTimer(self)
        self.header_timer.setInterval(HEADER_REFRESH_MS)
        self.header_timer.timeout.connect(self.header.refresh)
        self.header_timer.start()

        self.navigation.setCurrentRow(self._home_row)  # builds the page and shows its counts
        self._update_title()
        self._update_filing_actions()
        remember_geometry(self, workspace.settings)
        ReturnPressesButtons(self)  # a focused button takes Return as well as Space, as in a dialog
        self._show_damage(workspace.damage)

    # ---------------------------------------------------------------- construction

    def _create_damage_banner(self) -> QWidget:
        banner = QWidget()
        banner.setObjectName("damageBanner")
        banner.setStyleSheet("#damageBanner { background: #fff1f0; border-bottom: 1px solid #ffa39e; }")
        self.damage_label = QLabel()
        self.damage_label.setWordWrap(True)
        self.damage_label.setStyleSheet("color: #a8071a;")
        restore = QPushButton("从备份恢复…")
        restore.clicked.connect(self.show_backups)
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.damage_label, 1)
        row.addWidget(restore)
        banner.hide()
        return banner

    def _say_stacked(self, done: str, index: int) -> None:
        command = self.ws.undo_stack.command(index) if index >= 0 else None
        if command is not None:
            self.statusBar().showMessage(f"{done}：{command.actionText() or command.text()}", 10000)

    def _create_actions(self) -> None:
        stack = self.ws.undo_stack
        # The menu says what will be undone ("撤销 新增人员“赵敏”"); the toolbar keeps a short,
        # steady label (iconText) so its buttons do not jump about, the tooltip the full text.
        self.undo_action = stack.createUndoAction(self, "撤销(&U)")  # the key after the verb, not the edit
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setIconText("撤销")
        self.redo_action = stack.createRedoAction(self, "重做(&R)")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setIcon(icon("redo"))
        self.redo_action.setIconText("重做")
        # Said in the status bar, as the edit itself was: the page's note about the edit is stale now.
        # Connected after the stack's own slot, so the index has moved already.
        self.undo_action.triggered.connect(lambda: self._say_stacked("已撤销", stack.index()))
        self.redo_action.triggered.connect(lambda: self._say_stacked("已重做", stack.index() - 1))
        self.find_action = QAction("查找人员", self, shortcut=QKeySequence.StandardKey.Find, triggered=self.find)
        self.import_action = QAction(icon("import"), "导入人员名单…", self, shortcut=QKeySequence("Ctrl+I"),
                                     triggered=lambda: self.import_roster())
        self.import_action.setToolTip("从 Excel 表格或 CSV 文件导入人员名单（也可以把文件拖到窗口上）")
        self.template_action = QAction("下载导入模板…", self, triggered=self.save_import_template)
        self.export_action = QAction(icon("export"), "导出人员名单…", self, triggered=self.export_roster)
        self.backup_action = QAction(icon("backup"), "备份与恢复…", self, triggered=self.show_backups)
        self.quit_action = QAction("退出", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        self.help_action = QAction("使用说明", self, shortcut=QKeySequence.StandardKey.HelpContents, triggered=self.show_help)
        self.about_action = QAction("关于亲清填报", self, triggered=self.show_about)
        self.new_campaign_action = QAction(icon("campaign"), "新建行动…", self, triggered=self.new_campaign)
        self.switch_campaign_action = QAction("切换行动…", self, triggered=self.switch_campaign)
        self.edit_campaign_action = QAction("修改行动信息（截止日期等）…", self, triggered=self.edit_campaign)
        self.finalise_action = QAction("定稿…", self, triggered=self.finalise)
        self.finalise_action.setToolTip("检查自查表是否填完，然后锁定本次报送（可重新打开）")
        self.reopen_action = QAction("重新打开修改…", self, triggered=self.reopen)
        self.history_action = QAction("修改记录…", self, triggered=self.show_history)

    def _create_menus(self) -> None:
        bar, roster = self.menuBar(), self.roster_page
        fill_menu(bar.addMenu("文件(&F)"), [
            (self.import_action, "I"), (self.template_action, "T"), (self.export_action, "E"), None,
            (self.backup_action, "B"), None, (self.quit_action, "X")])
        fill_menu(bar.addMenu("编辑(&E)"), [
            (self.undo_action, "U"), (self.redo_action, "R"), None, (self.find_action, "F"), None,
            (roster.add_action, "N"), (roster.edit_action, "M"), (roster.status_action, "L"),
            (roster.delete_action, "D")])
        fill_menu(bar.addMenu("行动(&A)"), [
            (self.new_campaign_action, "N"), (self.switch_campaign_action, "S"), (self.edit_campaign_action, "E")])
        self._fill_when_opened(bar.addMenu("报送(&B)"), self._fill_delivery_menu)
        self._fill_when_opened(bar.addMenu("纪委(&J)"),
                               lambda menu: fill_menu(menu, [(self.office_actions.switch_mode_action, "M")]))
        self._add_help_menu()

    @staticmethod
    def _fill_when_opened(menu: QMenu, fill) -> None:
        """Fill ``menu`` when it is first opened: its actions belong to a page or helper not built yet."""

        def fill_once() -> None:
            menu.aboutToShow.disconnect(fill_once)
            fill(menu)

        menu.aboutToShow.connect(fill_once)

    def _fill_delivery_menu(self, menu: QMenu) -> None:
        from qingqing_desktop.ui.delivery.delivery_page import DeliveryPage  # noqa: PLC0415 — owns these actions

        delivery = self.page(DeliveryPage)
        fill_menu(menu, [
            (self.finalise_action, "F"), (self.reopen_action, "O"), None, (delivery.make_package_action, "P"), None,
            (delivery.import_task_action, "T"), (delivery.import_return_action, "R"), (delivery.check_file_action, "C"),
            None, (self.history_action, "H")])

    def _add_help_menu(self) -> None:
        fill_menu(self.menuBar().addMenu("帮助(&H)"), [(self.help_action, "H"), (self.about_action, "A")])

    def _create_office_menus(self) -> None:
        bar, office, board = self.menuBar(), self.office_actions, self.board_page
        self.find_action.setText("查找单位")
        fill_menu(bar.addMenu("文件(&F)"), [(self.backup_action, "B"), None, (self.quit_action, "X")])
        fill_menu(bar.addMenu("编辑(&E)"), [(self.undo_action, "U"), (self.redo_action, "R"), None,
                                            (self.find_action, "F")])
        fill_menu(bar.addMenu("行动(&A)"), [
            (office.new_campaign_action, "N"), (office.export_task_action, "T"), None,
            (self.switch_campaign_action, "S"), (self.edit_campaign_action, "E")])
        menu = fill_menu(bar.addMenu("纪委(&J)"), [
            (office.expected_units_action, "U"), None,
            (board.import_files_action, "I"), (board.import_folder_action, "D"), (office.import_excel_action, "X"), None,
            (office.export_workbook_action, "W"), (office.export_pdf_action, "P"), None])
        # Also a button on the board; a clerk may look here first.
        fill_menu(menu.addMenu("核对盖章纸质件(&C)"), [
            (board.check_paper_action, "F"), (board.check_paper_folder_action, "D")])
        fill_menu(menu, [(office.check_file_action, "V")])
        self._add_help_menu()

    def _create_office_toolbar(self) -> None:
        toolbar = self._new_toolbar()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        board = self.board_page
        toolbar.addActions([board.import_files_action, self.office_actions.export_workbook_action])
        toolbar.addSeparator()
        toolbar.addAction(self.backup_action)

    def _new_toolbar(self):
        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("mainToolBar")  # saveState() needs a name
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return toolbar

    def _create_toolbar(self) -> None:
        toolbar = self._new_toolbar()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.import_action, self.export_action])
        toolbar.addSeparator()
        toolbar.addAction(self.backup_action)

    def _create_status_bar(self) -> None:
        # Who the 修改记录 will name: a clerk who never gave a name is recorded by the computer's login
        # (often a shared “Administrator”), and is asked for it here, where it shows all the time.
        self.operator_label = QLabel()
        self.operator_label.setTextFormat(Qt.TextFormat.RichText)  # the name is escaped: “&” stays “&”
        self.operator_label.linkActivated.connect(lambda _link: self.ask_operator())
        self.ws.operator_changed.connect(self._show_operator)
        self._show_operator()
        self.counts_label = QLabel()
        self.backup_label = QLabel("修改即时保存在本机")
        db_path = self.ws.session.db_path
        self.backup_label.setToolTip(f"数据库：{db_path}\n备份文件夹：{backups_dir()}")
        # Permanent widgets, so that a passing message on the left never hides the counts.
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.operator_label)
        self.statusBar().addPermanentWidget(self.backup_label)

    def _show_operator(self) -> None:
        name = escape(self.ws.session.operator)
        if self.ws.operator_named():
            self.operator_label.setText(f"经办人：{name}")
            self.operator_label.setToolTip("记入每条修改记录；可在信息页修改")
        else:
            self.operator_label.setText(f"<span style='color:#a15c00'>经办人：{name}（电脑登录名）</span>　"
                                        "<a href='operator'>填写您的姓名</a>")
            self.operator_label.setToolTip("修改记录中记下的是电脑的登录名。填写您的姓名，便于日后查对是谁改的。")

    def ask_operator_once(self):
        """A start without the first-start dialog (an office database, one set up with qingqing-cli) asks the
        经办人 once for a name, rather than recording the computer's login without a word; after 暂不填写 the
        status bar keeps asking. None when a name was given or asked for on this computer before."""
        if self.ws.operator_named() or self.ws.settings.get(OPERATOR_ASKED):
            return None  # at nearly every start: before loading the dialog's module (and the keys' behind it)
        from qingqing_desktop.ui.common.info_boxes import OperatorDialog  # noqa: PLC0415

        self.ws.settings.set(OPERATOR_ASKED, True)
        dialog = OperatorDialog(self.ws, self)
        dialog.open()
        return dialog

    def ask_operator(self):
        """The information page with the 经办人 box ready for typing."""
        from qingqing_desktop.ui.common.info_boxes import OperatorBox  # noqa: PLC0415

        page = self.show_page(self.entries[0].load())  # 单位信息 / 纪委信息, first in the navigation
        (box,) = page.findChildren(OperatorBox)
        box.operator.setFocus()
        box.operator.selectAll()
        # The box sits low on the page: scrolled into view once the page has been laid out.
        scroll = box.parentWidget()
        while not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(box))
        return box

    # ---------------------------------------------------------------- pages

    @property
    def page_classes(self) -> tuple[type[Page], ...]:
        """Every page class of the navigation (importing their modules)."""
        return tuple(entry.load() for entry in self.entries)

    def _row_of(self, page_class: type[Page]) -> int:
        return next(row for row, entry in enumerate(self.entries) if entry.is_for(page_class))

    def page(self, page_class: type[Page]) -> Page:
        """The window's page of that class, built now if it was not yet."""
        return self._page_at(self._row_of(page_class))

    def _form_page(self) -> Page | None:
        """The built page whose form waits for 保存 (单位信息), if the clerk has opened it."""
        return next((page for page in self._built.values() if hasattr(page, "settle_unsaved")), None)

    def _page_at(self, row: int) -> Page:
        page = self._built.get(row)
        if page is None:
            page = self._built[row] = self.entries[row].load()(self.ws)
            stand_in = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self._connect_page(page)
        return page

    def _connect_page(self, page: Page) -> None:
        if hasattr(page, "status_message"):
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        if hasattr(page, "new_campaign_requested"):
            page.new_campaign_requested.connect(self.new_campaign)
        if hasattr(page, "publish_requested"):
            page.publish_requested.connect(self.office_actions.new_campaign)
        if hasattr(page, "unsaved_changed"):
            # Every edit is saved at once; only the 单位信息 form waits for 保存, so only it marks the title “*”.
            page.unsaved_changed.connect(self.setWindowModified)
        if self._listening:
            # Qt calls slots in the order they were connected: the window's must stay after the
            # new page's own, so the status bar shows the page's counts after it has reloaded.
            self.ws.changed.disconnect(self._on_changed)
            self.ws.changed.connect(self._on_changed)

    @property
    def office_actions(self):
        """The 纪委 menu's actions (the office's whole menu; a unit's 切换为纪委模式), made when first needed."""
        if self._office_actions is None:
            from qingqing_desktop.ui.office.office_actions import OfficeActions  # noqa: PLC0415

            self._office_actions = OfficeActions(self.ws, self)
            self._office_actions.update_enabled()
        return self._office_actions

    @property
    def roster_page(self) -> RosterPage:
        return self.page(RosterPage)

    @property
    def board_page(self):
        """报送情况, the office's home page."""
        return self._page_at(self._home_row)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # Coming back to the window (e.g. from a terminal where qingqing-cli ran): show the data as it is now.
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and self.ws.refresh_if_changed_elsewhere()):
            self.statusBar().showMessage("数据已被其他程序（如 qingqing-cli）修改，已重新读取；此前的撤销记录已清空。", 15000)

    def _change_page(self, row: int) -> None:
        """Show the page of ``row``, building it the first time. Leaving the 单位信息 page with its
        form edited asks first; 取消 stays on it."""
        if row < 0:
            return
        leaving = self.stack.currentWidget()
        unit_page = self._form_page()
        if leaving is unit_page and unit_page is not None and row != self.stack.currentIndex():
            if not unit_page.settle_unsaved():
                self.navigation.blockSignals(True)
                self.navigation.setCurrentRow(self.stack.currentIndex())
                self.navigation.blockSignals(False)
                return
        self.stack.setCurrentWidget(self._page_at(row))
        self._update_counts()

    def show_page(self, page_class: type[Page]) -> Page:
        self.navigation.setCurrentRow(self._row_of(page_class))
        return self.page(page_class)

    def find(self) -> None:
        self.navigation.setCurrentRow(self._home_row)
        self._page_at(self._home_row).focus_search()

    # ---------------------------------------------------------------- refreshing

    def _on_changed(self, changes: Changes) -> None:
        if changes.unit:
            self._update_title()
        if changes.filing or changes.template or changes.unit:
            self.header.refresh()
            self._update_filing_actions()
        self._update_counts()

    def _update_title(self) -> None:
        if self.office:
            from qingqing_desktop.services import office_service  # noqa: PLC0415 — the office's window only

            name = office_service.require_office(self.ws.session)
        else:
            name = getattr(self.ws.unit(), "name", "")
        # Qt adds the application's display name (亲清填报) to every window title itself.
        self.setWindowTitle(f"{name}[*]" if name else f"{APP_NAME}[*]")

    def _update_counts(self) -> None:
        """The shown page's own counts (承诺书, 问题条目), else the roster's (the board's for the office)."""
        current = self._built.get(self.navigation.currentRow())
        text = current.status_text() if current is not None else ""
        if not text:
            text = self.board_page.status_text() if self.office else self.roster_page.counts_text()
        self.counts_label.setText(text)

    def _update_filing_actions(self) -> None:
        campaign = self.ws.campaign()
        locked = campaign is not None and self.ws.filing_status(campaign).locked
        for action in (self.switch_campaign_action, self.history_action):
            action.setEnabled(campaign is not None)
        self.edit_campaign_action.setEnabled(campaign is not None and not locked)
        self.finalise_action.setEnabled(campaign is not None and not locked)
        self.reopen_action.setEnabled(locked)
        if self._office_actions is not None:
            self._office_actions.update_enabled()

    def _show_backup_time(self, path: Path) -> None:
        self.backup_label.setText(f"修改即时保存在本机 · 上次备份 {dt.datetime.now():%H:%M}")

    def _command_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc, "撤销或重做未完成")
        # The stack no longer matches the data; clearing it (after Qt has left undo()) avoids a second failure.
        QTimer.singleShot(0, self.ws.undo_stack.clear)

    # ---------------------------------------------------------------- soundness

    def check_in_background(self) -> None:
        """The full integrity check after start-up, on a connection of its own; damage shows the backups."""
        path = self.ws.session.db_path
        if path is None or self.ws.damage is not None:
            return
        background.run_unattended(lambda: integrity.check_file(path, full=True), self._background_checked,
                                  self._background_check_failed)

    def _background_check_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):  # the window may have closed while the check ran
            messages.show_error(self, exc, "数据库检查未完成")

    def _background_checked(self, result) -> None:
        if not shiboken6.isValid(self) or self.ws.session.store.damage is not None:
            return
        if not result.sound:
            faults.damaged(self.ws.session.store, result)  # the store tells the workspace, which tells us

    def _soundness_changed(self, damage) -> None:
        self._show_damage(damage)
        if damage is not None:
            QTimer.singleShot(0, self.show_backups)  # after the failed action's own message

    def _show_damage(self, damage) -> None:
        if damage is None:
            self.damage_banner.hide()
            return
        self.damage_label.setText(
            f"数据库已损坏（{damage.detail}），只能查看，不能修改。"
            + (f"最新的完好备份：{damage.offer.taken} 的{damage.offer.label}（{damage.offer.people} 人），"
               "此后的修改不在其中；改动较多时可先“抢救可读数据”。"
               if damage.offer else "没有找到通过检查的备份，可以在“备份与恢复”中抢救还能读出的数据。")
        )
        self.damage_banner.show()

    # ---------------------------------------------------------------- backups

    def auto_backup(self) -> None:
        """A timer backup, only when something changed since the last one and no job is reading the data."""
        if not self.ws.changed_since_backup() or background.is_busy() or self.ws.damage is not None:
            return
        try:
            self.ws.backup("timer")
        except QingqingError as exc:
            messages.show_error(self, exc, "自动备份失败")

    def show_backups(self):
        from qingqing_desktop.ui.backup_dialog import BackupDialog  # noqa: PLC0415

        existing = self.findChild(BackupDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return existing
        dialog = BackupDialog(self.ws, self)
        dialog.open()
        return dialog

    def closeEvent(self, event) -> None:
        unit_page = self._form_page()
        if unit_page is not None and not unit_page.settle_unsaved():
            self.show_page(type(unit_page))
            event.ignore()
            return
        self.take_exit_backup()
        super().closeEvent(event)

    def take_exit_backup(self, *, quiet: bool = False) -> None:
        """The backup on leaving, when something changed since the last one. ``quiet``: nobody can be
        asked or told (the session is ending): a failure goes to the log only."""
        focused = QApplication.focusWidget()
        if focused is not None:
            # A field saved on leaving it (the 自查表's 单位负责人) saves now: into this backup, and before
            # a session end that closes no window (a second SIGTERM) would take the typing with it.
            focused.clearFocus()
        if not self.ws.changed_since_backup() or self.ws.damage is not None:
            return
        try:
            self.ws.backup("exit")
        except QingqingError as exc:
            if quiet:
                log.warning("exit backup failed: %s", exc)
            else:
                messages.show_error(self, exc, "退出前备份失败")

    # ---------------------------------------------------------------- import and export

    def import_roster(self, path: Path | None = None):
        from qingqing_desktop.ui.roster.import_dialog import ROSTER_FILE_FILTER, ImportDialog  # noqa: PLC0415

        if path is None:  # the first time in the home folder, not wherever the program was started
            path = ask_open_file(self, self.ws.settings, LAST_IMPORT_DIR, "选择要导入的人员名单", ROSTER_FILE_FILTER)
            if path is None:
                return None
        self.ws.settings.set(LAST_IMPORT_DIR, str(path.parent))
        self.show_page(RosterPage)
        dialog = ImportDialog(self.ws, path, self)
        # Some window managers leave the keyboard with no window when the dialog goes: take it back.
        dialog.finished.connect(lambda _result: self.activateWindow())
        dialog.open()
        dialog.start()
        return dialog

    def dragEnterEvent(self, event) -> None:
        if _roster_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = _roster_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.import_roster(files[0])

    def _ask_save_path(self, caption: str, file_name: str) -> Path | None:
        return ask_save_file(self, self.ws.settings, LAST_EXPORT_DIR, caption, file_name, XLSX_FILTER)

    def export_roster(self) -> None:
        from qingqing_desktop.services import roster_export  # noqa: PLC0415 — the workbook writer's, when asked

        try:
            file_name = roster_export.suggested_file_name(self.ws.session)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        path = self._ask_save_path("导出人员名单", file_name)
        if path is not None:
            self._write_in_background("正在导出人员名单…", path, roster_export.export_roster)

    def save_import_template(self) -> None:
        from qingqing_desktop.services import roster_export  # noqa: PLC0415

        path = self._ask_save_path("保存导入模板", roster_export.IMPORT_TEMPLATE_FILE_NAME)
        if path is not None:
            self._write_in_background("正在生成导入模板…", path, roster_export.write_import_template)

    def _write_in_background(self, title: str, path: Path, write) -> None:
        session = self.ws.session
        background.run_in_background(
            self, title, lambda control: write(session, path), lambda saved: messages.file_saved(self, saved),
            cancellable=False,
        )

    # ---------------------------------------------------------------- campaign and filing

    def new_campaign(self):
        if self.office:
            return self.office_actions.new_campaign()
        from qingqing_desktop.ui.filing import campaign_dialogs  # noqa: PLC0415

        return campaign_dialogs.new_campaign(self.ws, self)

    def switch_campaign(self):
        from qingqing_desktop.ui.filing import campaign_dialogs  # noqa: PLC0415

        return campaign_dialogs.switch_campaign(self.ws, self)

    def edit_campaign(self):
        if self.office:  # the units hold the campaign as exported: it offers the 任务包 again
            return self.office_actions.edit_campaign()
        from qingqing_desktop.ui.filing import campaign_dialogs  # noqa: PLC0415

        return campaign_dialogs.edit_campaign(self.ws, self)

    def finalise(self):
        from qingqing_desktop.ui.filing import finalise  # noqa: PLC0415

        return finalise.finalise(self.ws, self)

    def reopen(self):
        from qingqing_desktop.ui.filing import finalise  # noqa: PLC0415

        return finalise.reopen(self.ws, self)

    def show_history(self):
        from qingqing_desktop.ui.filing.history_dialog import show_history  # noqa: PLC0415

        return show_history(self.ws, self)

    # ---------------------------------------------------------------- help

    def show_help(self) -> None:
        from qingqing_desktop.ui.help_dialog import HelpDialog  # noqa: PLC0415

        HelpDialog(self, office=self.office).open()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "关于亲清填报",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>“三清单一承诺”行动的离线填报工具：人员名单、承诺书签订、自查表与报送材料。</p>"
            "<p>全部数据只保存在本机，不需要联网。</p>",
        )
