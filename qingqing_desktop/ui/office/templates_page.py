"""政策模板 (纪委（监察室）模式): the templates there are — shipped and the office's own — and
what to do with one: write a new template starting from it, change it, preview its
attachments, publish it (a campaign and its 任务包), export it for another office,
import one, delete one the office made.

The editor and the preview are imported when first opened: the first window loads neither.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.services import template_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.template_service import TemplateInfo
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.file_dialogs import ask_open_file, ask_save_file
from qingqing_desktop.ui.common.pages import Page, action_button
from qingqing_desktop.ui.common.record_table import Column, RecordTableModel
from qingqing_desktop.ui.common.settings import LAST_EXCHANGE_DIR
from qingqing_desktop.ui.common.tables import RecordTableView, setup_table, size_columns_from_sample

TEMPLATE_FILTER = "政策模板 (*.toml)"
TEMPLATES_CHANGED = Changes(template=True)


def state_text(info: TemplateInfo) -> str:
    if not info.editable:
        return "只读"
    return "已发布" if info.published else "草稿"


COLUMNS = (
    Column("名称", lambda i: i.template.name),
    Column("发文单位", lambda i: i.template.issuer),
    Column("版本", lambda i: f"第{i.template.version}版", sort=lambda i: i.template.version, centred=True),
    Column("来源", lambda i: i.origin),
    Column("状态", state_text),
    Column("行动", lambda i: str(i.campaigns) if i.campaigns else "", sort=lambda i: i.campaigns, centred=True),
    Column("编号", lambda i: i.template.id, sort=lambda i: i.template.id),
)


def details_text(info: TemplateInfo) -> str:
    t = info.template
    lists = "；".join(f"{lst.title}（{len(lst.items)}条）" for lst in t.lists)
    rule = t.signing_rule
    lines = [
        f"{t.issuer}　{t.document_number}".strip(),
        f"清单：{lists}",
        f"须签订承诺书：{rule.who_must_sign() or '（未规定）'}；重点岗位：{'、'.join(rule.key_posts) or '（无）'}",
    ]
    if info.based_on:
        lines.append(f"底稿：{info.based_on}")
    if info.editable:
        lines.append(f"第{t.version}版已发布（{info.published_as}）：再修改将保存为第{t.version + 1}版，已有的行动不受影响。"
                     if info.published else f"第{t.version}版尚未用于行动，修改直接保存在本版中。")
    return "\n".join(lines)


class TemplatesPage(Page):
    title = "政策模板"
    icon_name = "lists"
    explanation = (
        "本室发布的行动采用哪一个政策模板：三张清单、承诺书、须签订的人员和重点岗位、汇总表与自查表的文字。"
        "各地的写法不同，可以选一个模板为底稿，改成本地的通知原文，再用它新建行动、导出任务包。"
    )

    publish_requested = Signal(str)  # template id; the window's 新建行动并导出任务包 answers it

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.editor = None
        self.model = RecordTableModel(COLUMNS, self)
        self.view = RecordTableView()
        self.view.setAccessibleName("政策模板")
        # In the service's order (shipped, the default first, then the office's own as made): not sorted.
        self.view.setModel(self.model)
        setup_table(self.view)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        self.view.open_requested.connect(self.open_selected)  # Enter, as a double-click
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.details = QLabel()
        self.details.setObjectName("hint")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._create_actions()
        self.view.delete_requested.connect(self.delete_action.trigger)  # Delete, as the button (if enabled)

        tools = QHBoxLayout()
        for action in (self.new_action, self.open_action, self.preview_action, self.publish_action):
            tools.addWidget(action_button(action, object_name="primary" if action is self.new_action else ""))
        tools.addStretch(1)
        for action in (self.import_action, self.export_action, self.delete_action):
            tools.addWidget(action_button(action))
        self.body.addLayout(tools)
        self.body.addWidget(self.view, 1)
        self.body.addWidget(self.details)
        self.ws.changed.connect(self._on_changed)
        self.refresh()

    def _create_actions(self) -> None:
        def action(text: str, slot, tip: str = "") -> QAction:
            created = QAction(text, self)
            created.triggered.connect(lambda _checked=False: slot())
            created.setToolTip(tip or text)
            return created

        self.new_action = action("新建模板…", self.new_template, "以选中的模板为底稿，写一个本地的模板")
        self.open_action = action("修改…", self.open_selected)
        self.preview_action = action("预览附件…", self.preview_selected, "用示例数据看看附件1、2、3打印出来的样子")
        self.publish_action = action("发布（新建行动并导出任务包）…", self.publish_selected,
                                     "用这个模板新建一次行动，并导出任务包交给各单位")
        self.import_action = action("导入…", self.import_file, "导入其他单位导出的模板文件（.toml）")
        self.export_action = action("导出…", self.export_selected, "把模板存为 .toml 文件，可交给其他单位导入")
        self.delete_action = action("删除", self.delete_selected, "删除本室制定的模板（已用它建立的行动不受影响）")

    # ---------------------------------------------------------------- showing

    def _on_changed(self, changes: Changes) -> None:
        if changes.template or changes.filing:
            self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        infos = template_service.list_templates(self.ws.session)
        self.model.set_rows(infos)
        size_columns_from_sample(self.view, maximum=340)
        ids = [i.template.id for i in infos]
        wanted = chosen.template.id if chosen is not None and chosen.template.id in ids else (
            ids[-1] if len(ids) > 1 and infos[-1].editable else DEFAULT_TEMPLATE_ID)
        self.select(wanted)

    def select(self, template_id: str) -> None:
        for row, info in enumerate(self.model.rows()):
            if info.template.id == template_id:
                self.view.selectRow(row)
                break
        self._update_actions()

    def selected(self) -> TemplateInfo | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        info = self.selected()
        for each in (self.new_action, self.open_action, self.preview_action, self.publish_action,
                     self.export_action):
            each.setEnabled(info is not None)
        self.open_action.setText("修改…" if info is None or info.editable else "查看…")
        self.delete_action.setEnabled(info is not None and info.editable)
        self.details.setText(details_text(info) if info is not None else "")

    # ---------------------------------------------------------------- editor

    def _open_editor(self, draft: dict, *, based_on: str = "", read_only: bool = False):
        from qingqing_desktop.ui.office.template_editor import TemplateEditor  # loaded when first needed

        editor = TemplateEditor(self.ws, draft, based_on=based_on, read_only=read_only, parent=self.window())
        editor.saved.connect(lambda template: self.select(template.id))
        editor.publish_requested.connect(self.publish_requested.emit)
        editor.copy_requested.connect(lambda template_id: self.new_template(template_id))
        self.editor = editor
        editor.open()
        return editor

    def new_template(self, source_id: str | None = None):
        info = self.selected()
        source_id = source_id or (info.template.id if info is not None else DEFAULT_TEMPLATE_ID)
        try:
            source = template_service.get_template(self.ws.session, source_id)
            draft = template_service.new_draft(self.ws.session, source_id)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return None
        return self._open_editor(draft, based_on=template_service.based_on_label(source))

    def open_selected(self):
        info = self.selected()
        if info is None:
            return None
        from qingqing_desktop.domain.template_draft import draft_from

        if not info.editable:
            return self._open_editor(draft_from(info.template), read_only=True)
        return self._open_editor(template_service.draft_of(self.ws.session, info.template.id))

    def preview_selected(self) -> None:
        info = self.selected()
        if info is not None:
            from qingqing_desktop.ui.office.template_preview import show_template_preview

            show_template_preview(self, self.ws, info.template)

    def publish_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.publish_requested.emit(info.template.id)

    # ---------------------------------------------------------------- files

    def export_selected(self) -> Path | None:
        info = self.selected()
        if info is None:
            return None
        name = template_service.suggested_file_name(self.ws.session, info.template.id)
        path = ask_save_file(self, self.ws.settings, LAST_EXCHANGE_DIR, "导出政策模板", name, TEMPLATE_FILTER)
        if path is None:
            return None
        try:
            path = template_service.export_template(self.ws.session, info.template.id, path)
        except (QingqingError, OSError) as exc:
            messages.show_error(self, exc, "模板未导出")
            return None
        self.ws.saved_outside_undo(TEMPLATES_CHANGED)
        note = "\n\n导出后本版即已发布：再修改将保存为新的一版。" if info.editable and not info.published else ""
        messages.file_saved(self, path, f"已导出政策模板：{path.name}\n其他单位可在“政策模板”页点“导入…”。{note}")
        return path

    def import_file(self, path: Path | None = None):
        if path is None:
            path = ask_open_file(self, self.ws.settings, LAST_EXCHANGE_DIR, "导入政策模板", TEMPLATE_FILTER)
            if path is None:
                return None
        try:
            result = template_service.import_template(self.ws.session, path)
        except (QingqingError, OSError) as exc:
            messages.show_error(self, exc, "模板未导入")
            return None
        self.ws.saved_outside_undo(TEMPLATES_CHANGED)
        self.select(result.template.id)
        messages.information(self, "导入政策模板", result.message)
        return result

    def delete_selected(self) -> None:
        info = self.selected()
        if info is None or not info.editable:
            return
        used = f"已用它建立的{info.campaigns}次行动不受影响，仍使用各自的版本。" if info.campaigns else ""
        if not messages.confirm(self, "删除政策模板", f"删除政策模板“{info.template.name}”？{used}", "删除",
                                destructive=True):
            return
        try:
            template_service.delete_template(self.ws.session, info.template.id, reason="在“政策模板”页删除")
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        self.ws.saved_outside_undo(TEMPLATES_CHANGED)
