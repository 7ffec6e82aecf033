"""备份与恢复: the backups there are (checked in the background: people, usable or not), a backup
now, a restore from any of them, and — behind a tick — a restore from a file from elsewhere.

The same dialog greets a damaged database: it then says what is wrong, selects the newest
backup that passes every check and offers to restore it — or, with 抢救可读数据…, to save what
can still be read from the damaged file as a new backup and restore that. It also works before
any session exists, for a database file so damaged that it cannot be opened at all (``workspace``
None).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date_time
from qingqing_desktop.domain.errors import DatabaseDamaged, InputRejected, QingqingError
from qingqing_desktop.services import backup_service
from qingqing_desktop.services.backup_service import BackupInfo, UnrecordedBackup
from qingqing_desktop.store.locations import backups_dir
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.file_dialogs import ALL_FILES
from qingqing_desktop.ui.common.forms import keep_default
from qingqing_desktop.ui.common.settings import LAST_IMPORT_DIR, Settings, remember_geometry
from qingqing_desktop.ui.common.tables import wrapped_tooltip

if TYPE_CHECKING:
    from qingqing_desktop.store.salvage import SalvageReport

TIME, KIND, PEOPLE, SIZE, CHECK = range(5)
UNCHECKED, USABLE, UNUSABLE = "正在检查…", "可以恢复", "不可用"
OUTSIDE_ONLY = "可作为外部文件恢复"  # sound, but its record beside it is missing or damaged
DATABASE_FILTER = "数据库或备份文件 (*.sqlite3 *.sqlite *.db)"


def format_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _check_all(infos: list[BackupInfo]) -> dict[Path, tuple[int | None, str]]:
    """Worker: each backup's people count, or why it cannot be restored."""
    results = {}
    for info in infos:
        if info.reason == "damaged":
            results[info.path] = (None, "损坏的数据库，仅留存")
            continue
        try:
            checked = backup_service.check_backup(info.path)
            results[info.path] = (None if checked.office else checked.people, "")  # an office has no roster
        except UnrecordedBackup as exc:  # not “不可用”: the file itself passed every check
            results[info.path] = (None if exc.checked.office else exc.checked.people, f"{OUTSIDE_ONLY}：{exc.reason}")
        except InputRejected as exc:
            results[info.path] = (None, exc.reason)
        except QingqingError as exc:
            results[info.path] = (None, str(exc))
    return results


class BackupDialog(QDialog):
    def __init__(self, workspace=None, parent: QWidget | None = None, *, settings: Settings | None = None,
                 db_path: Path | None = None, damage: DatabaseDamaged | None = None, must_restore: bool = False):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, parent is not None)  # opened per use from a window
        self._ws = workspace
        self._settings = workspace.settings if workspace is not None else settings
        self._db_path = workspace.session.db_path if workspace is not None else db_path
        self._damage = damage if damage is not None else (workspace.damage if workspace is not None else None)
        self._must_restore = must_restore  # the damage sits in what the window shows: no read-only look
        self._checks: dict[Path, tuple[int | None, str]] = {}
        self.restored = False
        self.setWindowTitle("数据库已损坏：从备份恢复" if self._damage else "备份与恢复")
        self.resize(760, 460)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["备份时间", "类型", "人数", "大小", "检查结果"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        # A long file name in 类型 (导入人员名单“….xlsx”前) is cut in its middle: what it is and which file stay
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(self.restore_selected)
        from qingqing_desktop.services.office_service import is_office  # noqa: PLC0415 — not needed at start-up

        # The discipline office keeps units and their filings, not a roster: 人数 would read 0 for every backup
        self._counts_people = workspace is None or not is_office(workspace.session)
        self.tree.setColumnHidden(PEOPLE, not self._counts_people)

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("从备份恢复…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.outside_button = QPushButton("恢复外部文件…")
        self.outside_button.setToolTip("用不是本程序保存的副本（如从别的电脑拷来的文件）恢复；仍会做全部检查")
        self.outside_button.clicked.connect(self.restore_outside_file)
        self.salvage_button = QPushButton("抢救可读数据…")
        self.salvage_button.setToolTip("把损坏的数据库中还能读出的数据复制成一份新的备份；核对后可以用它恢复。"
                                       "损坏的数据库本身不会被改动")
        self.salvage_button.clicked.connect(self.salvage_readable)
        open_folder = QPushButton("打开备份文件夹")
        open_folder.clicked.connect(lambda: messages.open_folder_window(self, backups_dir()))
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.outside_button, self.salvage_button, open_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        if self._damage is not None:
            close.button(QDialogButtonBox.StandardButton.Close).setText("退出" if must_restore else "暂不恢复")

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.refresh()
        if self._settings is not None:
            remember_geometry(self, self._settings)

    # ------------------------------------------------------------ what is shown

    def _explain(self, *, any_backup: bool) -> None:
        close = self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        if self._damage is None:
            self.explanation.setStyleSheet("")
            close.setText("关闭")
            self.explanation.setText(
                "程序会在导入前、恢复前、定稿后、退出时和有修改时每隔一段时间自动备份，每份备份都记录了校验值。"
                "误操作或数据出错时，可选中一份备份，点“从备份恢复”。恢复前会先把当前数据再备份一次。"
            )
        else:
            look = ("损坏之处使程序无法显示数据，不恢复（或抢救）就无法打开。" if self._must_restore
                    else "为防止出错，程序只允许查看，不再写入。")
            what_to_do = (
                "请选一份“可以恢复”的备份（已选中最新的一份），点“从备份恢复”。" if any_backup else
                # Backups are made on a timer, on leaving and before imports: a process killed soon after
                # the first entries leaves none; say so instead of pointing at an empty list.
                "本机还没有备份（程序在导入前、定稿后、退出时和有修改时每隔一段时间才备份）。"
                "可以点“抢救可读数据…”，把损坏的数据库中还能读出的数据存成一份备份再恢复；"
                "如在U盘或其他电脑上存有本单位数据库的副本，也可以点“恢复外部文件…”选择它。"
            )
            self.explanation.setText(f"数据库已损坏（{self._damage.detail}）。{look}\n{what_to_do}"
                                     "恢复前，损坏的数据库会另存一份，不会丢失。")
            self.explanation.setStyleSheet("color: #a8071a; font-weight: bold;")
        self.backup_button.setEnabled(self._ws is not None and self._damage is None)
        self.salvage_button.setVisible(self._damage is not None)
        # Return restores the backup selected (what a double-click on it does; it asks first), whichever
        # button had the focus last; with none selected it does nothing. It took a new backup: 立即备份,
        # the first button, was Qt's default. Damaged with no backup: the one way left that needs no file.
        keep_default(self, self.salvage_button if self._damage is not None and not any_backup else self.restore_button)

    def refresh(self) -> None:
        self.tree.clear()
        infos = backup_service.list_backups()
        self._explain(any_backup=bool(infos))
        for info in infos:
            people, problem = self._checks.get(info.path, (None, UNCHECKED))
            taken = chinese_date_time(info.taken_at, seconds=True)
            item = QTreeWidgetItem([taken, info.reason_label, "", format_size(info.size), ""])
            item.setData(TIME, Qt.ItemDataRole.UserRole, info)
            item.setToolTip(TIME, str(info.path))
            if info.reason == backup_service.SALVAGED:  # what it saved and lost, and who is missing, for later too
                item.setToolTip(KIND, wrapped_tooltip(backup_service.recorded_note(info.path)))
            elif info.reason_label != backup_service.REASON_LABELS.get(info.reason):  # a file's name, maybe cut short
                item.setToolTip(KIND, info.reason_label)
            item.setTextAlignment(PEOPLE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(SIZE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._show_check(item, people, problem)
            self.tree.addTopLevelItem(item)
        self._size_columns()
        self._update_buttons()
        unchecked = [info for info in infos if info.path not in self._checks]
        if unchecked:
            background.run_unattended(lambda: _check_all(unchecked), self._checked, self._check_failed)

    def _size_columns(self) -> None:
        for column in (TIME, KIND, PEOPLE, SIZE):  # the check result takes the rest (its tooltip has it all)
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, self.tree.columnWidth(column) + 12)
        # An import's file name may be long: 类型 stops at about 20 characters (the rest in its tooltip),
        # so that 人数, 大小 and the check result stay in view without a sideways scroll.
        widest_kind = self.tree.fontMetrics().horizontalAdvance("导" * 20)
        self.tree.setColumnWidth(KIND, min(self.tree.columnWidth(KIND), widest_kind))

    def _show_check(self, item: QTreeWidgetItem, people: int | None, problem: str) -> None:
        if problem == UNCHECKED:
            item.setText(CHECK, UNCHECKED)
            return
        item.setText(PEOPLE, f"{people} 人" if people is not None else "")
        outside_only = problem.startswith(OUTSIDE_ONLY)
        item.setText(CHECK, USABLE if not problem else problem if outside_only else f"{UNUSABLE}：{problem}")
        item.setToolTip(CHECK, problem or "校验值、完整性检查和表结构都已通过")
        if problem:
            item.setForeground(CHECK, Qt.GlobalColor.darkYellow if outside_only else Qt.GlobalColor.darkRed)

    def _checked(self, results: dict[Path, tuple[int | None, str]]) -> None:
        try:
            self.tree.topLevelItemCount()
        except RuntimeError:  # the dialog was closed meanwhile
            return
        self._checks.update(results)
        usable = [people for people, problem in self._checks.values() if problem == ""]
        if usable and all(people is None for people in usable):
            # Opened before any window (a damaged database): the backups themselves say they are an
            # office's, whose 人数 would read 0 for every one — and “（0 人）” after the restore.
            self._counts_people = False
            self.tree.setColumnHidden(PEOPLE, True)
        first_usable = None
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            info = item.data(TIME, Qt.ItemDataRole.UserRole)
            if info.path in results:
                self._show_check(item, *results[info.path])
            if first_usable is None and self._checks.get(info.path, (None, UNCHECKED))[1] == "":
                first_usable = item
        if self._damage is not None and first_usable is not None and not self.tree.selectedItems():
            self.tree.setCurrentItem(first_usable)
        self._size_columns()
        self._update_buttons()

    def _check_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc, "检查备份未完成")

    def selected(self) -> BackupInfo | None:
        items = self.tree.selectedItems()
        return items[0].data(TIME, Qt.ItemDataRole.UserRole) if items else None

    def _update_buttons(self) -> None:
        info = self.selected()
        known_bad = info is not None and self._checks.get(info.path, (None, ""))[1] not in ("", UNCHECKED)
        self.restore_button.setEnabled(info is not None and not known_bad)

    # ------------------------------------------------------------ actions

    def back_up_now(self) -> None:
        try:
            self._ws.backup("manual")
        except QingqingError as exc:
            messages.show_error(self, exc, "备份未完成")
            return
        self.refresh()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        when = chinese_date_time(info.taken_at, seconds=True)
        question = (
            f"用 {when} 的备份（{info.reason_label}）替换当前的全部数据吗？\n\n"
            + ("损坏的数据库会先另存一份。" if self._damage else "恢复前会先自动备份当前数据，如有需要还可以再恢复回来。")
        )
        if not messages.confirm(self, "从备份恢复", question, "恢复", destructive=True):
            return
        self._restore(info.path, outside=False, when=when)

    def restore_outside_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415

        start = self._settings.get(LAST_IMPORT_DIR) if self._settings is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(self, "选择要恢复的外部文件", start or str(Path.home()),
                                                f"{DATABASE_FILTER};;{ALL_FILES}")
        if not chosen:
            return
        path = Path(chosen)
        question = (
            f"“{path}”不是本程序保存的备份（没有本程序记录的校验值），程序无法确认它在拷贝后没有被改动。\n\n"
            "恢复前仍会检查它的完整性和表结构，并先保存当前数据。确定要用它替换当前的全部数据吗？"
        )
        if not messages.confirm_with_checkbox(self, "恢复外部文件", question,
                                              "我确认这是本单位的数据副本，要用它恢复", "恢复"):
            return
        self._restore(path, outside=True, when=path.name)

    def salvage_readable(self) -> None:
        source = self._ws.session if self._ws is not None else self._db_path
        background.run_in_background(
            self, "抢救可读数据", lambda control: backup_service.salvage_damaged(source, control.progress),
            self._salvaged, lambda exc: messages.show_error(self, exc, "抢救未完成"),
        )

    def _salvaged(self, report: SalvageReport) -> None:
        self.refresh()
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(TIME, Qt.ItemDataRole.UserRole).path == report.path:
                self.tree.setCurrentItem(item)
        question = (f"{report.summary}\n\n抢救出的数据已存为一份备份（列表中已选中）。"
                    "现在用它替换损坏的数据库吗？损坏的数据库会先另存一份。")
        if messages.confirm(self, "抢救完成", question, "用抢救出的数据恢复"):
            people = f"（{report.people} 人）" if self._counts_people else ""
            rebuilt = report.rebuilt_text if report.rebuilt_people else ""
            missing = f"请补录缺少的人员。{report.missing_text}" if report.missing_people else ""
            self._restore(report.path, outside=False, when="",
                          finished=f"已用抢救出的数据恢复{people}。{rebuilt}{missing}")

    def _restore(self, path: Path, *, outside: bool, when: str, finished: str = "") -> None:
        try:
            if self._ws is not None:
                result = self._ws.restore(path, outside=outside)
            else:
                result = backup_service.restore_file(self._db_path, path, outside=outside)
        except QingqingError as exc:
            messages.show_error(self, exc, "恢复未完成")
            self.refresh()
            return
        except Exception as exc:  # noqa: BLE001 — explained (or logged) by messages
            messages.show_error(self, exc, "恢复未完成")
            return
        self.restored = True
        was_damaged = self._damage is not None
        self._damage = self._ws.damage if self._ws is not None else None
        self.setWindowTitle("备份与恢复")
        self.refresh()
        kept_as = "损坏的数据库已原样另存为" if was_damaged else "恢复前的数据已备份到"
        kept = f"\n\n{kept_as}：\n{result.kept}" if result.kept else ""
        people = f"（{result.people} 人）" if self._counts_people else ""
        QMessageBox.information(self, "恢复完成", (finished or f"数据已恢复到 {when} 的状态{people}。") + kept)
        if self._ws is None:
            self.accept()
