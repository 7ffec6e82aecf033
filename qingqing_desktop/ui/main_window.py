"""The main window: navigation on the left, pages on the right, menus, toolbar and status bar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop import APP_NAME, __version__
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import office_service, roster_export, roster_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.store import faults, integrity
from qingqing_desktop.store.locations import backups_dir
from qingqing_desktop.ui.backup_dialog import BackupDialog
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.file_dialogs import XLSX_FILTER, ask_save_file
from qingqing_desktop.ui.common.pages import Page
from qingqing_desktop.ui.common.resources import icon
from qingqing_desktop.ui.common.settings import AUTO_BACKUP_MINUTES, LAST_EXPORT_DIR, LAST_IMPORT_DIR, remember_geometry
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.delivery.delivery_page import DeliveryPage
from qingqing_desktop.ui.documents.export_page import ExportPage
from qingqing_desktop.ui.filing import campaign_dialogs, finalise
from qingqing_desktop.ui.filing.campaign_header import CampaignHeader
from qingqing_desktop.ui.filing.history_dialog import show_history
from qingqing_desktop.ui.filing.pledge_page import PledgePage
from qingqing_desktop.ui.filing.selfcheck_page import SelfCheckPage
from qingqing_desktop.ui.help_dialog import HelpDialog
from qingqing_desktop.ui.office.board_page import BoardPage
from qingqing_desktop.ui.office.office_actions import OfficeActions
from qingqing_desktop.ui.office.office_page import OfficePage
from qingqing_desktop.ui.office.templates_page import TemplatesPage
from qingqing_desktop.ui.roster.import_dialog import ROSTER_FILE_FILTER, ROSTER_FILE_SUFFIXES, ImportDialog
from qingqing_desktop.ui.roster.roster_page import RosterPage
from qingqing_desktop.ui.unit.lists_page import ListsPage
from qingqing_desktop.ui.unit.unit_page import UnitPage

# The navigation, top to bottom. A new page is one more class here.
PAGES: tuple[type[Page], ...] = (UnitPage, ListsPage, RosterPage, PledgePage, SelfCheckPage, ExportPage, DeliveryPage)
# In 纪委（监察室）模式 the window shows these instead: the office files nothing itself.
OFFICE_PAGES: tuple[type[Page], ...] = (OfficePage, BoardPage, TemplatesPage)
HEADER_REFRESH_MS = 10 * 60_000  # “距截止还有 N 天” must turn over at midnight in a window left open


def counts_text(counts: roster_service.RosterCounts) -> str:
    return (
        f"在岗 {counts.total} 人：中层干部 {counts.middle_cadres} 人，"
        f"重点岗位一般工作人员 {counts.key_post_staff} 人，党员 {counts.party_members} 人"
    )


def _roster_files(mime_data) -> list[Path]:
    paths = [Path(url.toLocalFile()) for url in mime_data.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in ROSTER_FILE_SUFFIXES]


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace):
        super().__init__()
        self.ws = workspace
        self.office = workspace.is_office()
        self.page_classes = OFFICE_PAGES if self.office else PAGES
        self.setMinimumSize(960, 600)
        self.resize(1200, 760)
        self.setAcceptDrops(not self.office)  # the office's board takes dropped packages itself

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setFixedWidth(176)
        self.stack = QStackedWidget()
        self.pages: dict[type[Page], Page] = {}
        for page_class in self.page_classes:
            page = page_class(workspace)
            self.pages[page_class] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(page.icon_name), page.title, self.navigation)
            item.setSizeHint(QSize(0, 40))
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
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
        self.office_actions = OfficeActions(workspace, self)
        if self.office:
            self.pages[BoardPage].new_campaign_requested.connect(self.new_campaign)
            self.pages[TemplatesPage].publish_requested.connect(self.office_actions.new_campaign)
        if self.office:
            self._create_office_menus()
            self._create_office_toolbar()
        else:
            self._create_menus()
            self._create_toolbar()
        self._create_status_bar()

        for page in self.pages.values():
            if hasattr(page, "status_message"):
                page.status_message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.navigation.currentRowChanged.connect(self._update_counts)
        workspace.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        workspace.changed.connect(self._on_changed)
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

        self.show_page(BoardPage if self.office else RosterPage)
        self._update_title()
        self._update_counts()
        self._update_filing_actions()
        remember_geometry(self, workspace.settings)
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

    def _create_actions(self) -> None:
        stack = self.ws.undo_stack
        # The menu says what will be undone ("撤销 新增人员“赵敏”"); the toolbar keeps a short,
        # steady label (iconText) so its buttons do not jump about, the tooltip the full text.
        self.undo_action = stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setIconText("撤销")
        self.redo_action = stack.createRedoAction(self, "重做")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setIcon(icon("redo"))
        self.redo_action.setIconText("重做")
        self.find_action = QAction("查找人员", self, shortcut=QKeySequence.StandardKey.Find, triggered=self.find)
        self.import_action = QAction(icon("import"), "导入人员名单…", self, triggered=lambda: self.import_roster())
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
        menu = self.menuBar().addMenu("文件(&F)")
        menu.addActions([self.import_action, self.template_action, self.export_action])
        menu.addSeparator()
        menu.addAction(self.backup_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("编辑(&E)")
        menu.addActions([self.undo_action, self.redo_action])
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addSeparator()
        roster = self.roster_page
        menu.addActions([roster.add_action, roster.edit_action, roster.status_action, roster.delete_action])
        menu = self.menuBar().addMenu("行动(&A)")
        menu.addActions([self.new_campaign_action, self.switch_campaign_action, self.edit_campaign_action])
        menu = self.menuBar().addMenu("报送(&B)")
        delivery = self.pages[DeliveryPage]
        menu.addActions([self.finalise_action, self.reopen_action])
        menu.addSeparator()
        menu.addAction(delivery.make_package_action)
        menu.addSeparator()
        menu.addActions([delivery.import_task_action, delivery.import_return_action, delivery.check_file_action])
        menu.addSeparator()
        menu.addAction(self.history_action)
        menu = self.menuBar().addMenu("纪委(&J)")
        menu.addAction(self.office_actions.switch_mode_action)
        self._add_help_menu()

    def _add_help_menu(self) -> None:
        menu = self.menuBar().addMenu("帮助(&H)")
        menu.addActions([self.help_action, self.about_action])

    def _create_office_menus(self) -> None:
        office, board = self.office_actions, self.pages[BoardPage]
        self.find_action.setText("查找单位")
        menu = self.menuBar().addMenu("文件(&F)")
        menu.addAction(self.backup_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("编辑(&E)")
        menu.addActions([self.undo_action, self.redo_action])
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu = self.menuBar().addMenu("行动(&A)")
        menu.addActions([office.new_campaign_action, office.export_task_action])
        menu.addSeparator()
        menu.addActions([self.switch_campaign_action, self.edit_campaign_action])
        menu = self.menuBar().addMenu("纪委(&J)")
        menu.addAction(office.expected_units_action)
        menu.addSeparator()
        menu.addActions([board.import_files_action, board.import_folder_action, office.import_excel_action])
        menu.addSeparator()
        menu.addActions([office.export_workbook_action, office.export_pdf_action])
        menu.addSeparator()
        menu.addAction(office.check_file_action)
        self._add_help_menu()

    def _create_office_toolbar(self) -> None:
        toolbar = self._new_toolbar()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        board = self.pages[BoardPage]
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
        self.counts_label = QLabel()
        self.backup_label = QLabel("修改即时保存在本机")
        db_path = self.ws.session.db_path
        self.backup_label.setToolTip(f"数据库：{db_path}\n备份文件夹：{backups_dir()}")
        # Permanent widgets, so that a passing message on the left never hides the counts.
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.backup_label)

    # ---------------------------------------------------------------- pages

    @property
    def roster_page(self) -> RosterPage:
        return self.pages[RosterPage]

    def show_page(self, page_class: type[Page]) -> Page:
        self.navigation.setCurrentRow(self.page_classes.index(page_class))
        return self.pages[page_class]

    def find(self) -> None:
        page = self.show_page(BoardPage if self.office else RosterPage)
        page.focus_search()

    # ---------------------------------------------------------------- refreshing

    def _on_changed(self, changes: Changes) -> None:
        if changes.unit:
            self._update_title()
        if changes.filing or changes.template or changes.unit:
            self.header.refresh()
            self._update_filing_actions()
        self._update_counts()

    def _update_title(self) -> None:
        name = office_service.office_info(self.ws.session).name if self.office else getattr(self.ws.unit(), "name", "")
        self.setWindowTitle(f"{APP_NAME} — {name}[*]" if name else f"{APP_NAME}[*]")

    def _update_counts(self) -> None:
        """The shown page's own counts (承诺书, 问题条目), else the roster's (the board's for the office)."""
        text = self.stack.currentWidget().status_text()
        if not text and self.office:
            text = self.pages[BoardPage].status_text()
        elif not text:
            counts = roster_service.roster_counts(
                roster_service.list_staff(self.ws.session), self.ws.template().signing_rule.is_key_post
            )
            text = counts_text(counts)
        self.counts_label.setText(text)

    def _update_filing_actions(self) -> None:
        campaign = self.ws.campaign()
        locked = campaign is not None and self.ws.filing_status(campaign).locked
        for action in (self.switch_campaign_action, self.history_action):
            action.setEnabled(campaign is not None)
        self.edit_campaign_action.setEnabled(campaign is not None and not locked)
        self.finalise_action.setEnabled(campaign is not None and not locked)
        self.reopen_action.setEnabled(locked)
        self.office_actions.update_enabled()

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
            + (f"最新的完好备份：{damage.offer.taken} 的{damage.offer.label}（{damage.offer.people} 人）。"
               if damage.offer else "没有找到通过检查的备份。")
        )
        self.damage_banner.show()

    # ---------------------------------------------------------------- backups

    def auto_backup(self) -> None:
        """A timer backup, only when something changed since the last one and no job is reading the data."""
        if self.ws.undo_stack.isClean() or background.is_busy() or self.ws.damage is not None:
            return
        try:
            self.ws.backup("timer")
        except QingqingError as exc:
            messages.show_error(self, exc, "自动备份失败")

    def show_backups(self) -> BackupDialog:
        existing = self.findChild(BackupDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return existing
        dialog = BackupDialog(self.ws, self)
        dialog.open()
        return dialog

    def closeEvent(self, event) -> None:
        if not self.ws.undo_stack.isClean() and self.ws.damage is None:
            try:
                self.ws.backup("exit")
            except QingqingError as exc:
                messages.show_error(self, exc, "退出前备份失败")
        super().closeEvent(event)

    # ---------------------------------------------------------------- import and export

    def import_roster(self, path: Path | None = None) -> ImportDialog | None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, "选择要导入的人员名单", self.ws.settings.get(LAST_IMPORT_DIR), ROSTER_FILE_FILTER
            )
            if not chosen:
                return None
            path = Path(chosen)
        self.ws.settings.set(LAST_IMPORT_DIR, str(path.parent))
        self.show_page(RosterPage)
        dialog = ImportDialog(self.ws, path, self)
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
        try:
            file_name = roster_export.suggested_file_name(self.ws.session)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        path = self._ask_save_path("导出人员名单", file_name)
        if path is not None:
            self._write_in_background("正在导出人员名单…", path, roster_export.export_roster)

    def save_import_template(self) -> None:
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
        return campaign_dialogs.new_campaign(self.ws, self)

    def switch_campaign(self):
        return campaign_dialogs.switch_campaign(self.ws, self)

    def edit_campaign(self):
        return campaign_dialogs.edit_campaign(self.ws, self)

    def finalise(self):
        return finalise.finalise(self.ws, self)

    def reopen(self):
        return finalise.reopen(self.ws, self)

    def show_history(self):
        return show_history(self.ws, self)

    # ---------------------------------------------------------------- help

    def show_help(self) -> None:
        HelpDialog(self, office=self.office).open()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "关于亲清填报",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>“三清单一承诺”行动的离线填报工具：人员名单、承诺书签订、自查表与报送材料。</p>"
            "<p>全部数据只保存在本机，不需要联网。</p>",
        )
