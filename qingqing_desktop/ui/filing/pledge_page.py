"""承诺书签订: who must sign, who has, the scans of the signed pages; several people at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.pledge import (
    BatchSigning,
    PledgeProgress,
    PledgeRow,
    PledgeStatus,
    plan_batch_signing,
    progress,
    signed_text,
)
from qingqing_desktop.domain.staff import names_told_apart
from qingqing_desktop.services import pledge_service
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.common.resources import set_style_property
from qingqing_desktop.ui.common.scan_viewer import ScanViewer
from qingqing_desktop.ui.common.file_dialogs import SCAN_FILE_FILTER, SCAN_SUFFIXES, ask_folder, ask_open_file
from qingqing_desktop.ui.common.settings import LAST_SCAN_DIR, LAST_SIGNED_PAGE_DIR
from qingqing_desktop.ui.common.tables import (
    RecordTableView,
    add_filter_controls,
    filter_controls,
    on_rows_changed,
    setup_sorted_table,
    size_columns_from_sample,
)
from qingqing_desktop.ui.filing.filing_commands import (
    AttachScanCommand,
    FilingCommand,
    PledgeChange,
    PledgeEntry,
    RecordPledgesCommand,
    RemoveScanCommand,
    SignManyCommand,
    people_text,
)
from qingqing_desktop.ui.filing.filing_page import FilingPage
from qingqing_desktop.ui.filing.pledge_dialogs import PledgeDialog, SignDateDialog
from qingqing_desktop.ui.filing.pledge_model import (
    PLEDGE_FILTERS,
    SCAN_COLUMN,
    STATUS_COLUMN,
    PledgeFilterProxy,
    PledgeTableModel,
)
from qingqing_desktop.ui.roster.roster_page import SEARCH_PLACEHOLDER

SCAN_FILTER = "扫描件或照片 (*.png *.jpg *.jpeg *.pdf)"
KEYBOARD_HINT = (
    "选中一人或多人（按住 Ctrl 或 Shift 多选，Ctrl+A 全选）后：空格键把其中须签订的在岗人员登记为今天已签订，"
    "并移到下一位未签订的人员；选中已签订的人员按空格恢复未签订（或按 Ctrl+Z 撤销）；回车键打开一个人的详细登记。"
)


def progress_text(counts: PledgeProgress) -> str:
    return (
        f"须签订 {counts.required} 人 · 已签订 {signed_text(counts.signed, counts.signed_unrequired, ' ', person='')}"
        f" · 未签订 {counts.outstanding}"
        f" · 此前已上交 {counts.submitted_before} · 不适用 {counts.not_applicable}"
    )


class ProgressStrip(QFrame):
    """须签订 N 人 · 已签订 a · … and a bar of how many of those who must sign are dealt with."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progressStrip")
        self.label = QLabel()
        self.label.setObjectName("progressText")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(240)
        self.bar.setTextVisible(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)

    def show_progress(self, counts: PledgeProgress) -> None:
        self.label.setText(progress_text(counts))
        done = counts.required - counts.outstanding
        self.bar.setRange(0, max(counts.required, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"已完成 {done} / {counts.required}" if counts.required else "无须签订人员")
        set_style_property(self.bar, "complete", counts.required > 0 and counts.complete)


class PledgeTableView(RecordTableView):
    """Space toggles 已签订 (today) for the selected rows, Enter opens the current row's dialog
    (a pledge is not deleted: Delete does nothing here)."""

    toggle_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.toggle_requested.emit()
        else:
            super().keyPressEvent(event)


class PledgePage(FilingPage):
    title = "承诺书签订"
    icon_name = "pledge"
    explanation = (
        "全体中层干部和重点岗位的一般工作人员须签订《反对“挈篮子”承诺书》。收回签好字的承诺书后，"
        "在这里登记签订日期；可以多选后一次登记。此前已上交过的人员选“此前已上交”，不再列入汇总表。"
    )

    status_message = Signal(str)

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.setAcceptDrops(True)  # a scanned batch dropped here is read as 批量导入签字页
        self.strip = ProgressStrip()
        self.model = PledgeTableModel(self)
        self.proxy = PledgeFilterProxy(self)
        self.table = PledgeTableView()
        setup_sorted_table(self.table, self.model, self.proxy,
                           selection=QTableView.SelectionMode.ExtendedSelection,
                           sort_column=STATUS_COLUMN)  # 未签订 first
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.toggle_requested.connect(self.toggle_signed)
        self.table.open_requested.connect(self.edit_current)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self._create_actions()
        self.sign_button = QPushButton("标记已签订…")
        self.sign_button.setObjectName("primary")
        self.sign_button.setToolTip("为选中的人员登记同一个签订日期")
        self.sign_button.clicked.connect(self.sign_selected)  # says what to do when nobody is selected
        self.record_button = self._menu_button("登记", self.record_actions)
        self.scan_button = self._menu_button("扫描件", self.scan_actions)
        self.batch_button = self._menu_button("批量导入签字页", self.batch_actions)
        self.batch_button.setToolTip("签好字的承诺书扫描成一个 PDF（或一个文件夹的图片）后，按页上的二维码一次登记"
                                     "已签订并附上各人的签字页；也可以把文件拖到这一页上")
        self.filter, self.search = filter_controls([f.label for f in PLEDGE_FILTERS], SEARCH_PLACEHOLDER,
                                                  search_width=240)
        self.filter.currentIndexChanged.connect(lambda index: self.proxy.set_filter(PLEDGE_FILTERS[index]))
        self.search.textChanged.connect(self.proxy.set_query)

        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(self.sign_button)
        tools.addWidget(self.record_button)
        tools.addWidget(self.scan_button)
        tools.addWidget(self.batch_button)
        add_filter_controls(tools, self.filter, self.search)

        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("hint")
        keyboard_hint = QLabel(KEYBOARD_HINT)
        keyboard_hint.setObjectName("hint")
        keyboard_hint.setWordWrap(True)
        # What the last recording did, whole: after signing several, who was left out and why does not
        # fit in the status bar (it was cut after the first names) and must not vanish after ten seconds.
        self.last_result = QLabel()
        self.last_result.setObjectName("stepStatus")
        self.last_result.setWordWrap(True)
        self.last_result.setVisible(False)
        # Data changes seen, and at which one last_result was written: any later change (Ctrl+Z, a
        # scanned batch, another page's edit) makes it stale, and it said the previous action.
        self._changes_seen = 0
        self._result_at = 0

        self.content_layout.addWidget(self.strip)
        self.content_layout.addLayout(tools)
        self.content_layout.addWidget(self.empty_hint)
        self.content_layout.addWidget(self.table, 1)
        self.content_layout.addWidget(self.last_result)
        self.content_layout.addWidget(keyboard_hint)

        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.proxy.modelReset.connect(self._update_actions)
        on_rows_changed(self.proxy, self._update_empty_hint)
        self._columns_sized = False
        self._stack_index = self.ws.undo_stack.index()  # a step back from here is an undo
        self.ws.undo_stack.indexChanged.connect(self._stack_moved)
        self.refresh()

    # ---------------------------------------------------------------- construction

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _create_actions(self) -> None:
        self.sign_action = self._action("标记已签订…", self.sign_selected)
        self.sign_today_action = self._action("设为已签订（今天）", self.sign_today)
        self.submitted_action = self._action("此前已上交", self.mark_submitted_before)
        self.not_applicable_action = self._action("不适用…", self.mark_not_applicable)
        self.unsign_action = self._action("恢复未签订", self.mark_unsigned)
        self.require_action = self._action("设为须签订…", lambda: self.set_required_selected(True))
        self.not_require_action = self._action("设为不须签订…", lambda: self.set_required_selected(False))
        self.rule_action = self._action("恢复按规则认定", self.follow_rule)
        self.details_action = self._action("详细登记…", self.edit_current)
        self.attach_action = self._action("附加扫描件…", lambda: self.attach_scan())
        self.view_scan_action = self._action("查看扫描件", self.view_scan)
        self.remove_scan_action = self._action("移除扫描件", self.remove_scan)
        self.record_actions = [
            self.sign_today_action, self.submitted_action, self.not_applicable_action, self.unsign_action, None,
            self.require_action, self.not_require_action, self.rule_action, None, self.details_action,
        ]
        self.scan_actions = [self.attach_action, self.view_scan_action, self.remove_scan_action]
        self.import_scans_action = self._action("从扫描文件导入（PDF 或图片）…", self.import_scan_file)
        self.import_scan_folder_action = self._action("从文件夹导入（一批扫描图片）…", self.import_scan_folder)
        self.batch_actions = [self.import_scans_action, self.import_scan_folder_action]

    @staticmethod
    def _fill_menu(menu: QMenu, actions) -> QMenu:
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu

    def _menu_button(self, text: str, actions) -> QPushButton:
        button = QPushButton(text)
        button.setMenu(self._fill_menu(QMenu(button), actions))
        return button

    def _context_menu(self, position) -> None:
        if not self.selected_rows():
            return
        menu = QMenu(self)
        self._fill_menu(menu, [self.sign_action, *self.record_actions, None, *self.scan_actions])
        menu.popup(self.table.viewport().mapToGlobal(position))

    # ---------------------------------------------------------------- loading

    def load(self) -> None:
        selected = {r.staff_id for r in self.selected_rows()}
        current = self.current_row()
        rows = pledge_service.list_pledges(self.ws.session, campaign_id=self.campaign.id)
        self.model.set_rows(rows, locked=self.locked)
        self.strip.show_progress(progress(rows))
        self._update_filter_counts(rows)
        if rows:  # grown later too: 签订日期 and 说明 get their text only as the clerk records
            size_columns_from_sample(self.table, grow_only=self._columns_sized, last_fills=True)
            self._columns_sized = True
        self.select(selected, current.staff_id if current else None)
        self._update_actions()

    def _update_filter_counts(self, rows: list[PledgeRow]) -> None:
        for i, pledge_filter in enumerate(PLEDGE_FILTERS):
            count = sum(pledge_filter.accepts(r) for r in rows)
            self.filter.setItemText(i, f"{pledge_filter.label}（{count}）")

    def status_text(self) -> str:
        if self.campaign is None:
            return ""
        counts = progress(self.model.rows())
        return (f"承诺书：须签订 {counts.required} 人，已签订 {signed_text(counts.signed, counts.signed_unrequired, ' ')}，"
                f"未签订 {counts.outstanding} 人")

    def _update_empty_hint(self) -> None:
        if self.model.rowCount() == 0:
            text = "人员名单还是空的。请先到“人员名单”页导入或录入本单位人员。"
        elif self.proxy.rowCount() == 0:
            text = "没有符合条件的人员。请换一个搜索词，或把“显示”改为“全部”。"
        else:
            text = ""
        self.empty_hint.setText(text)
        self.empty_hint.setVisible(bool(text))

    # ---------------------------------------------------------------- selection

    def selected_rows(self) -> list[PledgeRow]:
        proxy_rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.row_at(row) for row in proxy_rows]

    def current_row(self) -> PledgeRow | None:
        index = self.table.currentIndex()
        if index.isValid() and self.table.selectionModel().isRowSelected(index.row()):
            return self.proxy.row_at(index.row())
        selected = self.selected_rows()
        return selected[0] if selected else None

    def select(self, staff_ids, current_id: str | None = None) -> None:
        """Select the rows of these people (by staff id), keeping the current row where it was."""
        staff_ids = set(staff_ids)
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            staff_id = self.proxy.row_at(row).staff_id
            if staff_id in staff_ids:
                selection.select(self.proxy.index(row, 0), flags)
            if staff_id == current_id:
                selection.setCurrentIndex(self.proxy.index(row, 0), selection.SelectionFlag.NoUpdate)
                self.table.scrollTo(self.proxy.index(row, 0))

    def _stack_moved(self, index: int) -> None:
        """Ctrl+Z of a pledge edit selects the people it changed back: Space had moved on to the next
        person to sign, and a second Space signed him instead of the one whose signing was undone."""
        undone = index < self._stack_index
        self._stack_index = index
        command = self.ws.undo_stack.command(index) if undone else None
        if (isinstance(command, FilingCommand) and command.staff_ids and self.campaign is not None
                and command.campaign_id == self.campaign.id):
            people = set(command.staff_ids)
            shown = (self.proxy.row_at(row).staff_id for row in range(self.proxy.rowCount()))
            self.select(people, next((staff_id for staff_id in shown if staff_id in people), None))

    def _update_actions(self) -> None:
        rows = self.selected_rows()
        editable = bool(rows) and not self.locked
        for action in (self.sign_action, self.sign_today_action, self.submitted_action, self.not_applicable_action,
                       self.unsign_action, self.require_action, self.not_require_action, self.rule_action,
                       self.details_action):
            action.setEnabled(editable)
        single = rows[0] if len(rows) == 1 else None
        self.attach_action.setEnabled(single is not None and not self.locked)
        self.view_scan_action.setEnabled(single is not None and single.has_scan)
        self.remove_scan_action.setEnabled(single is not None and single.has_scan and not self.locked)
        for widget in (self.sign_button, self.record_button, self.batch_button):
            widget.setEnabled(not self.locked)

    # ---------------------------------------------------------------- recording

    def _apply(self, text: str, rows: list[PledgeRow], new_entry: Callable[[PledgeEntry], PledgeEntry]) -> None:
        """Record a change for these people as one undoable step; raises when the service refuses."""
        changes = [PledgeChange.of(r, new_entry(PledgeEntry.of(r))) for r in rows]
        changes = [c for c in changes if c.old != c.new]
        if changes:
            self.ws.execute(RecordPledgesCommand(self.ws, text, self.campaign.id, changes))
            self._show_result(f"已{text}。如有误，可点“撤销”。")

    def _record(self, text: str, rows: list[PledgeRow], new_entry: Callable[[PledgeEntry], PledgeEntry]) -> None:
        if not rows or self.locked:
            return
        try:
            self._apply(text, rows, new_entry)
        except QingqingError as exc:
            messages.show_error(self, exc)

    def _sign(self, plan: BatchSigning, signed_on: dt.date) -> None:
        rows = list(plan.to_sign)
        self.ws.execute(SignManyCommand(self.ws, self.campaign.id, rows, signed_on))
        self._show_result(
            f"已登记{people_text([r.name for r in rows])}已签订。{plan.skipped_text()}如有误，可点“撤销”。"
        )

    def _nobody_to_sign(self, plan: BatchSigning) -> None:
        if plan.already_signed and not plan.skipped:
            text = "选中的人员都已登记为已签订。"
        else:
            text = f"选中的人员中没有须签订而尚未签订的人。{plan.skipped_text()}"
        self._show_result(text)

    def _on_changed(self, changes) -> None:
        if changes.filing or changes.staff or changes.template or changes.unit:
            self._changes_seen += 1
            if self._changes_seen != self._result_at:
                self.last_result.clear()
                self.last_result.setVisible(False)
        super()._on_changed(changes)

    def _show_result(self, text: str) -> None:
        self._result_at = self._changes_seen  # shown after the change it describes
        self.last_result.setText(text)
        self.last_result.setVisible(True)
        # The status bar gets what was done, its first sentence: the whole text (who was left out and
        # why) is on the page, and would be cut off in the status bar beside its counts.
        first, stop, _rest = text.partition("。")
        self.status_message.emit(first + stop)

    def sign_selected(self) -> SignDateDialog | None:
        """标记已签订…: one date (default today) for everyone selected who must sign and has not yet."""
        rows = self.selected_rows()
        if self.locked:
            return None
        if not rows:
            self.status_message.emit("请先在列表中选中要登记的人员（按住 Ctrl 或 Shift 可多选）。")
            return None
        plan = plan_batch_signing(rows)
        if not plan.to_sign:
            self._nobody_to_sign(plan)
            return None
        dialog = SignDateDialog(names_told_apart(plan.to_sign), self, skipped=plan.skipped_text())
        dialog.on_submit(lambda: self._sign(plan, dialog.date.value()))
        dialog.open()
        return dialog

    def sign_today(self) -> bool:
        """设为已签订（今天）; True when someone was recorded."""
        plan = plan_batch_signing(self.selected_rows())
        if self.locked:
            return False
        if not plan.to_sign:
            self._nobody_to_sign(plan)
            return False
        try:
            self._sign(plan, dt.date.today())
        except QingqingError as exc:
            messages.show_error(self, exc)
            return False
        return True

    def toggle_signed(self) -> None:
        """Space: sign today those selected who must sign, then move on to the next person still to sign;
        when they all have signed already, undo that (the selection stays with them)."""
        rows = self.selected_rows()
        if not rows or self.locked:
            return
        plan = plan_batch_signing(rows)
        if not plan.to_sign and plan.already_signed:
            self._record(f"将{people_text([r.name for r in plan.already_signed])}恢复为未签订",
                         list(plan.already_signed), lambda e: e.with_status(PledgeStatus.UNSIGNED))
            return
        # Taken before the list re-sorts: those signed drop below the people still to sign, and the
        # selection following them put Down and Return on someone who need not sign.
        following = self._rows_around_selection()
        if self.sign_today():
            self._go_to_first_outstanding(following)

    def _rows_around_selection(self) -> list[str]:
        """Staff ids of the rows not selected, in the view's present order from the one after the last
        selected row, wrapping round to the top."""
        selected = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not selected:
            return []
        start = max(selected) + 1
        order = [*range(start, self.proxy.rowCount()), *range(start)]
        return [self.proxy.row_at(row).staff_id for row in order if row not in selected]

    def _go_to_first_outstanding(self, staff_ids: list[str]) -> None:
        """Select the first of these people who is still to sign, as shown now; nobody left: no move."""
        outstanding = {self.proxy.row_at(row).staff_id for row in range(self.proxy.rowCount())
                       if self.proxy.row_at(row).outstanding}
        target = next((staff_id for staff_id in staff_ids if staff_id in outstanding), None)
        if target is not None:
            self.select([target], target)

    def mark_submitted_before(self) -> None:
        rows = self.selected_rows()
        self._record(f"将{people_text([r.name for r in rows])}登记为此前已上交", rows,
                     lambda e: e.with_status(PledgeStatus.SUBMITTED_BEFORE, reason=e.reason))

    def mark_unsigned(self) -> None:
        rows = self.selected_rows()
        self._record(f"将{people_text([r.name for r in rows])}恢复为未签订", rows,
                     lambda e: e.with_status(PledgeStatus.UNSIGNED))

    def mark_not_applicable(self) -> ReasonDialog | None:
        rows = self.selected_rows()
        if not rows or self.locked:
            return None
        names = people_text([r.name for r in rows])
        dialog = ReasonDialog("不适用", f"{names}本次不适用签订承诺书，请说明理由。", "说明", "登记不适用",
                              placeholder="如：长期病假、借调外单位", parent=self)
        dialog.on_submit(lambda: self._apply(
            f"将{names}登记为不适用", rows, lambda e: e.with_status(PledgeStatus.NOT_APPLICABLE, reason=dialog.text())
        ))
        dialog.open()
        return dialog

    def set_required_selected(self, required: bool) -> ReasonDialog | None:
        rows = self.selected_rows()
        if not rows or self.locked:
            return None
        names = people_text([r.name for r in rows])
        decided = "须签订" if required else "不须签订"
        dialog = ReasonDialog(
            f"设为{decided}", f"不按规则，人工认定{names}{decided}。请说明理由（将记入修改记录）。", "人工认定理由",
            f"设为{decided}", placeholder="如：借调人员，由原单位签订", parent=self,
        )
        dialog.on_submit(lambda: self._apply(
            f"人工认定{names}{decided}", rows, lambda e: e.with_required(required, dialog.text())
        ))
        dialog.open()
        return dialog

    def follow_rule(self) -> None:
        rows = self.selected_rows()
        self._record(f"将{people_text([r.name for r in rows])}恢复按规则认定", rows, lambda e: e.with_required(None))

    def edit_current(self) -> PledgeDialog | None:
        """Enter or double-click: the whole entry of one person."""
        row = self.current_row()
        if row is None or self.locked:
            return None
        dialog = PledgeDialog(row, self)

        def save() -> None:
            new = dialog.entry()
            if new != PledgeEntry.of(row):
                self._apply(f"修改“{row.name}”的签订情况", [row], lambda _old: new)

        dialog.on_submit(save)
        dialog.open()
        return dialog

    def _double_clicked(self, index) -> None:
        if index.column() == SCAN_COLUMN and self.proxy.row_at(index.row()).has_scan:
            self.view_scan()
        else:
            self.edit_current()

    # ---------------------------------------------------------------- scans

    def attach_scan(self, path: Path | None = None) -> bool:
        row = self.current_row()
        if row is None or self.locked:
            return False
        if path is None:
            path = ask_open_file(self, self.ws.settings, LAST_SIGNED_PAGE_DIR, f"选择{row.name}签字页的扫描件或照片",
                                 SCAN_FILTER)
            if path is None:
                return False
        if self.run(AttachScanCommand(self.ws, self.campaign.id, row, path)):
            self._show_result(f"已为“{row.name}”附加扫描件。")
            return True
        return False

    def view_scan(self) -> ScanViewer | None:
        row = self.current_row()
        if row is None or not row.has_scan:
            return None
        scan = pledge_service.get_scan(self.ws.session, row.staff_id, campaign_id=self.campaign.id)
        if scan is None:
            return None
        viewer = ScanViewer(row.name, scan, self.ws.settings, self)
        viewer.open()
        return viewer

    def remove_scan(self) -> None:
        row = self.current_row()
        if row is None or not row.has_scan or self.locked:
            return
        if messages.confirm(self, "移除扫描件", f"移除“{row.name}”的签字页扫描件吗？", "移除"):
            self.run(RemoveScanCommand(self.ws, self.campaign.id, row))

    # ---------------------------------------------------------------- a scanned batch

    def import_scan_file(self):
        path = ask_open_file(self, self.ws.settings, LAST_SCAN_DIR, "选择签好字的承诺书的扫描件", SCAN_FILE_FILTER)
        return self.import_scans(path) if path is not None else None

    def import_scan_folder(self):
        folder = ask_folder(self, self.ws.settings, LAST_SCAN_DIR, "选择存放承诺书扫描图片的文件夹")
        return self.import_scans(folder) if folder is not None else None

    def import_scans(self, source: Path):
        """Read a scanned batch and show what it holds before anything is recorded."""
        if self.campaign is None or self.locked:
            return None
        from qingqing_desktop.ui.filing.scan_import_dialog import import_pledge_scans  # noqa: PLC0415

        dialog = import_pledge_scans(self.ws, self, Path(source))
        dialog.imported.connect(self._scans_recorded)
        return dialog

    def _scans_recorded(self, result) -> None:
        names = [row.name for row in result.rows]
        self._show_result(f"已登记{people_text(names)}已签订，并附上签字页扫描件（共 {result.pages} 页）。"
                          "如有误，可点“撤销”。")

    def dragEnterEvent(self, event) -> None:
        if self._dropped_scan(event.mimeData()) is not None and not self.locked:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        source = self._dropped_scan(event.mimeData())
        if source is not None:
            event.acceptProposedAction()
            self.import_scans(source)

    @staticmethod
    def _dropped_scan(mime_data) -> Path | None:
        """One dropped scan file or folder (one batch at a time)."""
        paths = [Path(url.toLocalFile()) for url in mime_data.urls() if url.isLocalFile()]
        if len(paths) != 1:
            return None
        path = paths[0]
        return path if path.is_dir() or path.suffix.lower() in SCAN_SUFFIXES else None
