"""人员名单: the roster table with search, filters, sample banner and the edit actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.staff import StaffMember, StaffStatus
from qingqing_desktop.domain.text import shortened
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.background import busy_cursor
from qingqing_desktop.ui.common.pages import Page
from qingqing_desktop.ui.common.tables import (
    RecordTableView,
    add_filter_controls,
    filter_controls,
    on_rows_changed,
    setup_sorted_table,
    size_columns_from_sample,
)
from qingqing_desktop.ui.roster.roster_commands import (
    AddStaffCommand,
    DeleteStaffCommand,
    RemoveSamplesCommand,
    UpdateStaffCommand,
)
from qingqing_desktop.ui.roster.staff_model import (
    NAME_COLUMN,
    ROSTER_FILTERS,
    StaffFilterProxy,
    StaffTableModel,
    remembered,
)

SEARCH_PLACEHOLDER = "搜索姓名、拼音首字母或岗位，如 zs"


def counts_text(counts: roster_service.RosterCounts) -> str:
    return (
        f"在岗 {counts.total} 人：中层干部 {counts.middle_cadres} 人，"
        f"重点岗位一般工作人员 {counts.key_post_staff} 人，党员 {counts.party_members} 人"
    )


class SampleBanner(QFrame):
    """Says plainly that fictional people are on the roster, with the button that removes them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sampleBanner")
        self.label = QLabel()
        self.remove_button = QPushButton("删除示例数据")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.remove_button)

    def set_count(self, count: int) -> None:
        self.label.setText(f"名单中有 {count} 名示例人员（虚构，姓名前标有“示例”），正式填报前请删除。")
        self.setVisible(count > 0)


class RosterPage(Page):
    title = "人员名单"
    icon_name = "roster"
    explanation = "本单位全体人员。人员离开本单位时请“标记调离”，不要删除。"

    status_message = Signal(str)

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.banner = SampleBanner()
        self.banner.remove_button.clicked.connect(self.remove_samples)

        self.model = StaffTableModel(self)
        self.proxy = StaffFilterProxy(self)
        self.table = RecordTableView()
        setup_sorted_table(self.table, self.model, self.proxy,
                           selection=QTableView.SelectionMode.SingleSelection, sort_column=NAME_COLUMN)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.open_requested.connect(self.edit_selected)  # Enter, as a double-click
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.add_action = QAction("新增人员…", self, shortcut=QKeySequence.StandardKey.New, triggered=self.add_person)
        # Ctrl+N means “add” on whichever page has the focus (on 自查表 it adds a finding), so this one
        # only answers inside the roster page; a window-wide copy would make the key ambiguous there.
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.add_action)
        self.edit_action = QAction("修改…", self, triggered=self.edit_selected)
        self.status_action = QAction("标记调离", self, triggered=self.toggle_transferred)
        self.delete_action = QAction("删除…", self, triggered=self.delete_selected)
        self.delete_action.setToolTip("只用于删除录入错误的人员；离开本单位的人员请“标记调离”")
        self.history_action = QAction("修改记录…", self, triggered=lambda: self.show_history())
        self.history_action.setToolTip("谁在何时新增、修改、调离或删除了哪位人员，原值和新值")
        self.person_history_action = QAction("此人的修改记录…", self, triggered=self.show_person_history)
        self.table.delete_requested.connect(self.delete_action.trigger)  # Delete, as the button (if enabled)

        self.filter, self.search = filter_controls([f.label for f in ROSTER_FILTERS], SEARCH_PLACEHOLDER,
                                                  search_width=260)
        self.filter.currentIndexChanged.connect(lambda index: self.proxy.set_filter(ROSTER_FILTERS[index]))
        self.search.textChanged.connect(self.proxy.set_query)
        self.search.lead_to(self.table, self.edit_selected)

        tools = QHBoxLayout()
        tools.setSpacing(6)
        for action in (self.add_action, self.edit_action, self.status_action, self.delete_action,
                       self.history_action):
            button = QToolButton()
            button.setDefaultAction(action)
            tools.addWidget(button)
        add_filter_controls(tools, self.filter, self.search)

        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setWordWrap(True)  # one line was cut off in a window at its narrowest

        self.body.addWidget(self.banner)
        self.body.addLayout(tools)
        self.body.addWidget(self.empty_hint)
        self.body.addWidget(self.table, 1)

        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.proxy.modelReset.connect(self._update_actions)
        on_rows_changed(self.proxy, self._update_empty_hint)
        self.ws.changed.connect(self._on_changed)
        self._columns_sized = False
        self._set_key_post_test()
        self.refresh()

    # ---------------------------------------------------------------- loading

    def _on_changed(self, changes: Changes) -> None:
        if changes.template:
            self._set_key_post_test()
        if changes.staff or changes.template:
            self.refresh()

    def _set_key_post_test(self) -> None:
        rule = self.ws.template().signing_rule
        self._is_key_post = remembered(rule.is_key_post)
        self.proxy.set_key_post_test(self._is_key_post)
        # The campaign's template decides who signs (seed 003 asks all staff): say what it says.
        who = rule.who_must_sign()
        signing = f"{who}须签订承诺书；" if who else ""
        self.set_explanation(f"本单位全体人员。{signing}人员离开本单位时请“标记调离”，不要删除。")

    def refresh(self) -> None:
        selected = self.selected_member()
        # The model sorts them (by the clerk's column; pinyin by name at first), stably from the
        # order they were added, which is how list_staff orders equal names too.
        members = roster_service.list_staff(self.ws.session, in_pinyin_order=False)
        self.model.set_rows(members)
        self.banner.set_count(sum(m.is_sample for m in members))
        groups = roster_service.alike(members)  # the filters and the counts read only what it groups by
        self._update_filter_counts(groups)
        self._counts = roster_service.roster_counts(members, self._is_key_post, groups=groups)
        # From the headers alone while the roster is empty (工作岗位/分管工作 was cut off), grown as rows come.
        size_columns_from_sample(self.table, grow_only=self._columns_sized)
        self._columns_sized = True
        if selected is not None:
            self.select(selected.id)

    def counts_text(self) -> str:
        """The roster's counts for the status bar (the window's default line), as of the last refresh."""
        return counts_text(self._counts)

    def _update_filter_counts(self, groups: list[tuple[StaffMember, int]]) -> None:
        is_key_post = self._is_key_post
        for i, roster_filter in enumerate(ROSTER_FILTERS):
            count = sum(n for m, n in groups if roster_filter.accepts(m, is_key_post))
            self.filter.setItemText(i, f"{roster_filter.label}（{count}）")

    # ---------------------------------------------------------------- selection

    def selected_member(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def select(self, staff_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).id == staff_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_actions(self) -> None:
        member = self.selected_member()
        for action in (self.edit_action, self.status_action, self.delete_action):
            action.setEnabled(member is not None)
        self.status_action.setText("恢复在岗" if member is not None and not member.is_active else "标记调离")

    def _update_empty_hint(self) -> None:
        if self.model.rowCount() == 0:
            text = "名单还是空的。可以从“文件 → 导入人员名单…”导入已有的 Excel 表格或 CSV 文件（也可以直接把文件拖进窗口），或点“新增人员”逐个录入。"
        elif self.proxy.rowCount() == 0:
            text = "没有符合条件的人员。请换一个搜索词，或把“显示”改为“全部人员”。"
        else:
            text = ""
        self.empty_hint.setText(text)
        self.empty_hint.setVisible(bool(text))

    def _context_menu(self, position) -> None:
        if self.selected_member() is None:
            return
        menu = QMenu(self)
        menu.addActions([self.edit_action, self.status_action])
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.addSeparator()
        menu.addAction(self.person_history_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def show_history(self, member: StaffMember | None = None):
        """The roster's 修改记录; for ``member``, filtered to that person (the post tells two 张伟 apart)."""
        from qingqing_desktop.ui.common.history_dialog import HistoryDialog  # noqa: PLC0415 — when first needed

        query = roster_service.history_subject(member.name, member.post) if member is not None else ""
        with busy_cursor():  # 5,000 people imported are 30,000 entries: most of a second
            dialog = HistoryDialog("修改记录 — 人员名单", roster_service.roster_history(self.ws.session),
                                   self.ws.settings, self, query=query)
        dialog.open()
        return dialog

    def show_person_history(self):
        member = self.selected_member()
        return self.show_history(member) if member is not None else None

    # ---------------------------------------------------------------- edits

    def _titles_in_use(self) -> list[str]:
        return [m.title for m in self.model.rows() if m.title]

    def add_person(self):
        from qingqing_desktop.ui.roster.staff_dialog import StaffDialog  # noqa: PLC0415 — when first needed

        dialog = StaffDialog(self.ws, None, self._titles_in_use(), self)
        dialog.on_save(lambda member: self._run(AddStaffCommand(self.ws, member), member.id, parent=dialog))
        dialog.open()
        return dialog

    def edit_selected(self):
        from qingqing_desktop.ui.roster.staff_dialog import StaffDialog  # noqa: PLC0415

        old = self.selected_member()
        if old is None:
            return None
        dialog = StaffDialog(self.ws, old, self._titles_in_use(), self)
        dialog.on_save(lambda new: new == old or self._run(UpdateStaffCommand(self.ws, old, new, f"修改“{old.name}”"),
                                                           old.id, parent=dialog))
        dialog.open()
        return dialog

    def toggle_transferred(self) -> None:
        old = self.selected_member()
        if old is None:
            return
        if old.is_active:
            new, text = old.with_changes(status=StaffStatus.TRANSFERRED), f"将“{old.name}”标记为调离"
        else:
            new, text = old.with_changes(status=StaffStatus.ACTIVE), f"将“{old.name}”恢复为在岗"
        if self._run(UpdateStaffCommand(self.ws, old, new, text), old.id):
            self.status_message.emit(f"已{text}。如有误，可点“撤销”。")

    def delete_selected(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        question = (
            f"确定删除“{member.name}”吗？\n\n删除只用于录入错误的人员。"
            "已离开本单位的人员请使用“标记调离”，以保留其签订记录。"
        )
        from qingqing_desktop.services import selfcheck_service  # noqa: PLC0415 — the 自查表's, not the first window's

        owned = selfcheck_service.findings_owned_by(self.ws.session, member.id)
        if owned:
            # Else 定稿 is refused later, far from the delete that caused it.
            first, more = owned[0], len(owned) > 1
            which = f"自查表第{first.row}行问题“{shortened(first.problem, 20)}”" + (f"等 {len(owned)} 条问题" if more else "")
            them = "这些问题" if more else "该问题"
            question += f"\n\n“{member.name}”是{which}的责任人。删除后，须在“自查表”页为{them}另选责任人，才能定稿。"
        if messages.confirm(self, "删除人员", question, "删除", destructive=True):
            if self._run(DeleteStaffCommand(self.ws, member)):
                self.status_message.emit(f"已删除“{member.name}”。如有误，可点“撤销”。")

    def remove_samples(self) -> None:
        sample_ids = [m.id for m in self.model.rows() if m.is_sample]
        if self._run(RemoveSamplesCommand(self.ws, sample_ids)):
            self.status_message.emit(f"已删除 {len(sample_ids)} 名示例人员。如需找回，可点“撤销”。")

    def _run(self, command, select_id: str | None = None, *, parent: QWidget | None = None) -> bool:
        try:
            self.ws.execute(command)
        except QingqingError as exc:
            messages.show_error(parent or self, exc)
            return False
        if select_id:
            self.select(select_id)
        return True
