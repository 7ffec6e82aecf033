"""政策模板编辑: the discipline office writes its own template, starting from any template.

Six parts in the navigation on the left — 基本信息, 清单, 承诺书（附件1）, 签订范围,
汇总表（附件2）, 自查表（附件3） — each a form on the right. Every edit is a step on
the editor's own undo stack (``template_draft_model``); what is wrong is said in
words under the field it concerns (``domain.template_draft.template_problems``),
counted beside each part and listed at the bottom, where a click goes there.
保存 stores it (a new template, or the next state or version of this one);
预览附件… prints the three attachments from it with made-up data; 发布… saves and
hands the template to 新建行动并导出任务包. Closing with unsaved changes asks first.

Shipped templates open read-only (查看), with 以此为底稿新建… instead of 保存.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.policy import SELF_CHECK_COLUMN_MEANINGS, SUMMARY_COLUMN_MEANINGS
from qingqing_desktop.domain.template_draft import (
    LIST_ROW_LABELS,
    TemplateProblem,
    list_key_for,
    list_row,
    new_list,
    template_problems,
)
from qingqing_desktop.services import template_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import DateField, FieldRow, TextBox, widgets_row
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.items_editor import ItemsEditor, dot_number, no_number
from qingqing_desktop.ui.office.template_draft_model import DraftModel, Path

TEMPLATES_CHANGED = Changes(template=True)
SECTIONS = ("基本信息", "清单", "承诺书（附件1）", "签订范围", "汇总表（附件2）", "自查表（附件3）")
_SECTION_OF = {"name": 0, "issuer": 0, "document_number": 0, "submission": 0, "lists": 1, "pledge": 2,
               "signing_rule": 3, "summary_table": 4, "self_check": 5}
_NOT_CHECKED = "不用于自查（如引导企业的清单）"
_WORD_SEPARATORS = re.compile(r"[、，,；;\s]+")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _words(text: str) -> list[str]:
    return [word for word in _WORD_SEPARATORS.split(text) if word]


class _Field:
    """One bound input: where it reads and writes in the draft, and the row that shows its problems."""

    def __init__(self, path: Callable[[], Path], row: FieldRow, refresh: Callable[[], None]):
        self.path, self.row, self.refresh = path, row, refresh


class KeyPostsEditor(ItemsEditor):
    """The key posts, each with its synonyms in brackets; renaming or deleting a post takes its
    synonyms along in the same step."""

    def label(self, number: int, item: str) -> str:
        words = self.model.value(("signing_rule", "synonyms"), {}).get(item, [])
        return super().label(number, item) + (f"（也作：{'、'.join(words)}）" if words else "")

    def write(self, items: list[str], text: str, *, typing: bool = False) -> None:
        rule = self.model.value(("signing_rule",))
        old = list(rule.get("key_posts", []))
        synonyms = dict(rule.get("synonyms", {}))
        if len(old) == len(items):
            synonyms = {(items[old.index(post)] if post in old else post): words for post, words in synonyms.items()}
        rule["synonyms"] = {post: words for post, words in synonyms.items() if post in items and words}
        rule["key_posts"] = items
        if not rule["synonyms"]:
            del rule["synonyms"]
        self.model.set(("signing_rule",), rule, text, typing=typing)


class TemplateEditor(QDialog):
    saved = Signal(object)  # the PolicyTemplate as stored
    publish_requested = Signal(str)  # template id, saved: create a campaign from it
    copy_requested = Signal(str)  # template id (read-only view): start a new template from it

    def __init__(self, workspace: Workspace, draft: dict, *, based_on: str = "", read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumSize(880, 460)  # as the main window: 1366×768 at 125% leaves 542 under a title bar
        self.resize(1180, 800)
        self.ws = workspace
        self.model = DraftModel(draft, self)
        self.based_on = based_on
        self.read_only = read_only
        self._fields: list[_Field] = []
        self._items_editors: list[ItemsEditor] = []
        self._problems: list[TemplateProblem] = []
        self._current_list = 0
        self._closing_confirmed = False

        self._create_actions()
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")  # the main window's look
        self.navigation.setFixedWidth(190)
        self.pages = QStackedWidget()
        for builder in (self._basic_page, self._lists_page, self._pledge_page, self._rule_page, self._summary_page,
                        self._self_check_page):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(builder())
            self.pages.addWidget(scroll)
        for title in SECTIONS:
            QListWidgetItem(title, self.navigation).setSizeHint(QSize(0, 38))
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.navigation.setCurrentRow(0)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("fieldError")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.linkActivated.connect(lambda link: self.go_to_problem(int(link)))
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        if based_on and not read_only:
            self.status.setText(f"新模板（底稿：{based_on}）：请把名称、发文单位和各部分改为本地通知的原文，然后点“保存”。")

        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.navigation)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        self.read_only_banner = self._read_only_banner()
        layout.addWidget(self.read_only_banner)
        layout.addLayout(body, 1)
        layout.addWidget(self.problems_label)
        layout.addLayout(self._bottom_bar())

        # Bound slots, not lambdas: Qt drops a bound slot's connection when this editor is
        # deleted, a lambda's would outlive it and call into a deleted widget.
        self.model.changed.connect(self._on_model_changed)
        self.model.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._set_read_only(read_only)
        self.refresh()
        self._update_title()
        remember_geometry(self, workspace.settings)

    # ---------------------------------------------------------------- frame

    def _create_actions(self) -> None:
        stack = self.model.undo_stack
        # As in the main window: the button keeps a short steady label, the tooltip says what will be undone.
        self.undo_action = stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIconText("撤销")
        self.redo_action = stack.createRedoAction(self, "重做")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setIconText("重做")
        self.save_action = QAction("保存", self, shortcut=QKeySequence.StandardKey.Save, triggered=self.save)
        self.preview_action = QAction("预览附件…", self, triggered=self.preview)
        self.preview_action.setToolTip("用示例数据生成附件1、2、3，看看打印出来是什么样")
        self.addActions([self.undo_action, self.redo_action, self.save_action])

    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        bar.addWidget(self.heading, 1)
        self._history_buttons = []
        for action in (self.undo_action, self.redo_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
            self._history_buttons.append(button)  # a tool button follows its action's text, not its visibility
        return bar

    def _read_only_banner(self) -> QFrame:
        """Says, above a shipped template, that it is only to look at and how to make one's own: the
        title bar's （程序自带，只读） is easily missed, and typing in its fields does nothing."""
        banner = QFrame()
        banner.setObjectName("lockBanner")
        label = QLabel("程序自带的模板，只能查看，不能修改。要改成本地通知的原文，请以它为底稿新建一个模板。")
        label.setWordWrap(True)
        self.copy_button = QPushButton("以此为底稿新建模板…")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(lambda: self.copy_requested.emit(self.model.draft["id"]))
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(label, 1)
        layout.addWidget(self.copy_button)
        return banner

    def _bottom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        self.preview_button = QPushButton("预览附件…")
        self.preview_button.clicked.connect(self.preview)
        self.publish_button = QPushButton("发布（新建行动并导出任务包）…")
        self.publish_button.setToolTip("保存后，用这个模板新建一次行动，并把任务包导出给各单位")
        self.publish_button.clicked.connect(self.publish)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.close)
        for button in (self.preview_button, self.publish_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            bar.addWidget(button)
        return bar

    def _on_model_changed(self, _path) -> None:
        self.refresh()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _update_title(self) -> None:
        draft = self.model.draft
        name = draft.get("name") or "新模板"
        if self.read_only:
            state = "程序自带，只读"
        elif draft.get("id"):
            state = f"第{draft.get('version', 1)}版"  # the id (pinyin initials) is in the list's 编号 column
        else:
            state = "尚未保存"
        self.setWindowTitle(f"政策模板 — {name}（{state}）{'' if self.model.undo_stack.isClean() else ' *'}")
        self.heading.setText(name)

    def _set_read_only(self, read_only: bool) -> None:
        for field in self.findChildren(QLineEdit) + self.findChildren(TextBox):
            field.setReadOnly(read_only)
            if read_only:
                field.setPlaceholderText("")  # “如：×建发〔2025〕12号（没有可不填）” invites typing that does nothing
                field.style().polish(field)  # the style sheet's [readOnly="true"] is read when polished
        self.read_only_banner.setVisible(read_only)
        for button in self._history_buttons:
            button.setVisible(not read_only)
        for widget in self.findChildren(QCheckBox) + self.findChildren(QComboBox) + self.findChildren(DateField):
            widget.setEnabled(not read_only)
        for editor in self._items_editors:
            editor.set_read_only(read_only)
        for button in (self.add_list_button, self.remove_list_button, self.list_up_button, self.list_down_button):
            button.setVisible(not read_only)
        self._show_clear_deadline()
        self.save_button.setVisible(not read_only)
        self.publish_button.setVisible(not read_only)
        self.undo_action.setVisible(not read_only)
        self.redo_action.setVisible(not read_only)

    # ---------------------------------------------------------------- binding

    def _form(self, page: QVBoxLayout) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        page.addLayout(form)
        return form

    def _bind(self, form: QFormLayout, label: str, widget: QWidget, path: Callable[[], Path],
              refresh: Callable[[], None]) -> FieldRow:
        row = FieldRow(widget)
        form.addRow(label, row)
        self._fields.append(_Field(path, row, refresh))
        return row

    def _line(self, form: QFormLayout, label: str, path: Path | Callable[[], Path], *, placeholder: str = "",
              name: str = "") -> QLineEdit:
        path_of = path if callable(path) else (lambda: path)
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name or label.rstrip("：*"))
        edit.textEdited.connect(lambda text: self.model.set(path_of(), text, f"修改{name or label.rstrip('：*')}",
                                                            typing=True))

        def refresh() -> None:
            value = self.model.value(path_of())
            if edit.text() != value:
                edit.setText(value)

        self._bind(form, label, edit, path_of, refresh)
        return edit

    def _box(self, form: QFormLayout, label: str, path: Path | Callable[[], Path], *, lines: int = 3,
             placeholder: str = "", as_lines: bool = False) -> TextBox:
        """A multi-line text; ``as_lines``: the value is a list, one entry a line."""
        path_of = path if callable(path) else (lambda: path)
        box = TextBox(lines=lines)
        box.setPlaceholderText(placeholder)
        box.setAccessibleName(label.rstrip("：*"))
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # the item lists take the room
        parse = _lines if as_lines else (lambda text: text)
        showing = [False]

        def typed() -> None:
            if not showing[0] and not self.read_only:
                self.model.set(path_of(), parse(box.toPlainText()), f"修改{label.rstrip('：*')}", typing=True)

        def refresh() -> None:
            value = self.model.value(path_of())
            if parse(box.toPlainText()) != value:  # compare values: a line being typed stays as it is
                showing[0] = True
                box.setPlainText("\n".join(value) if as_lines else value)
                showing[0] = False

        box.textChanged.connect(typed)
        self._bind(form, label, box, path_of, refresh)
        return box

    def _check(self, layout: QVBoxLayout, text: str, path: Path) -> QCheckBox:
        box = QCheckBox(text)
        box.toggled.connect(lambda checked: self.model.set(path, checked, f"修改“{text}”"))
        self._fields.append(_Field(lambda: path, None, lambda: box.setChecked(bool(self.model.value(path)))))
        layout.addWidget(box)
        return box

    def _items(self, form: QFormLayout, label: str, editor: ItemsEditor, path: Callable[[], Path]) -> ItemsEditor:
        self._items_editors.append(editor)
        self._bind(form, label, editor, path, editor.refresh)
        return editor

    @staticmethod
    def _page(intro: str = "") -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 8, 16, 8)
        if intro:
            label = QLabel(intro)
            label.setObjectName("hint")
            label.setWordWrap(True)
            layout.addWidget(label)
        return page, layout

    # ---------------------------------------------------------------- pages

    def _basic_page(self) -> QWidget:
        page, layout = self._page("模板名称会作为新建行动的默认名称；发文单位、文号印在任务包和各单位的材料中。")
        form = self._form(layout)
        self.name_edit = self._line(form, "模板名称 *：", ("name",), placeholder="如：××局“三清单一承诺”行动（2025）",
                                    name="模板名称")
        self._line(form, "发文单位 *：", ("issuer",), placeholder="如：××市住房和城乡建设局", name="发文单位")
        self._line(form, "文号：", ("document_number",), placeholder="如：×建发〔2025〕12号（没有可不填）", name="文号")
        self._line(form, "报送对象 *：", ("submission", "recipient"), placeholder="如：局机关纪委（监察室）",
                   name="报送对象")
        self._box(form, "报送要求：", ("submission", "deadline_wording"), lines=3,
                  placeholder="通知中关于报送时限、联系人的原文（可不填）")
        self.deadline = DateField(field="默认截止日期", optional=True, empty_text="不规定（新建行动时再定）")
        self.deadline.setAccessibleName("默认截止日期")
        self.deadline.value_changed.connect(self._deadline_changed)

        def refresh_deadline() -> None:
            text = self.model.draft["submission"].get("default_deadline", "")
            day = dt.date.fromisoformat(text) if text else None
            if self.deadline.problem() or self.deadline.value() != day:
                self.deadline.blockSignals(True)
                self.deadline.set_value(day)
                self.deadline.blockSignals(False)

        # Empty, the field itself says 不规定（新建行动时再定）; the button that empties it is offered only
        # when there is something to clear (it read 不规定 beside those very words).
        self.no_deadline = QPushButton("清除日期")
        self.no_deadline.setToolTip("清除后模板不规定截止日期，新建行动时再定")
        self.no_deadline.setAutoDefault(False)
        self.no_deadline.clicked.connect(self._clear_deadline)
        for part in self.deadline.parts:  # also as undo puts a date back (the field's own signals blocked)
            part.textChanged.connect(self._show_clear_deadline)
        self._show_clear_deadline()
        self._bind(form, "默认截止日期：", widgets_row(self.deadline, self.no_deadline), lambda: ("submission", "default_deadline"), refresh_deadline)
        layout.addStretch(1)
        return page

    def _show_clear_deadline(self) -> None:
        # isEnabled: a read-only template's date field is disabled and offers nothing to clear either
        self.no_deadline.setVisible(self.deadline.isEnabled() and not self.deadline.is_empty())

    def _clear_deadline(self) -> None:
        self.deadline.set_value(None)
        self.deadline.setFocus()  # the button that had the keyboard is gone

    def _deadline_changed(self) -> None:
        day = self.deadline.value()
        self.model.set(("submission", "default_deadline"), day.isoformat() if day else "",
                       f"修改默认截止日期为{chinese_date(day, '不规定')}")

    def _lists_page(self) -> QWidget:
        page, layout = self._page(
            "各地的清单数目和名称不同，可以增删。条目不写序号，打印时自动编号；从通知中复制整段条文后点“粘贴多条…”，"
            "程序会分成一条一条。对照自查的清单，单位在自查表中逐条对照，问题记入对应的行。")
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.lists = QListWidget()
        self.lists.setWordWrap(True)
        self.lists.setMaximumWidth(260)
        self.lists.setAccessibleName("清单")
        self.lists.currentRowChanged.connect(self._choose_list)
        left.addWidget(self.lists, 1)
        self.add_list_button = QPushButton("添加清单")
        self.remove_list_button = QPushButton("删除清单")
        self.list_up_button = QPushButton("上移")
        self.list_down_button = QPushButton("下移")
        for button, slot in ((self.add_list_button, self.add_list), (self.remove_list_button, self.remove_list),
                             (self.list_up_button, lambda: self.move_list(-1)),
                             (self.list_down_button, lambda: self.move_list(1))):
            button.clicked.connect(slot)
            button.setAutoDefault(False)
        grid = QHBoxLayout()
        grid.addWidget(self.add_list_button)
        grid.addWidget(self.remove_list_button)
        left.addLayout(grid)
        grid = QHBoxLayout()
        grid.addWidget(self.list_up_button)
        grid.addWidget(self.list_down_button)
        left.addLayout(grid)
        row.addLayout(left)

        right = QVBoxLayout()
        form = self._form(right)
        here = lambda key: lambda: ("lists", self._current_list, key)  # noqa: E731 — a path follows the chosen list
        self.list_title = self._line(form, "清单标题 *：", here("title"), name="清单标题",
                                     placeholder="如：我局及其工作人员政商交往“负面清单”")
        self.list_use = QComboBox()
        self.list_use.setAccessibleName("自查表对照")
        self.list_use.activated.connect(self._list_use_chosen)
        self._bind(form, "自查对照：", self.list_use, here("key"), self._show_list_use)
        self._box(form, "引言：", here("intro"), lines=2, placeholder="清单前的一段话（可不填），如“引导民营企业自觉做到：”")
        self.list_items = ItemsEditor(self.model, ("lists", 0, "items"), "条目", lead_key="intro", lead_label="清单引言",
                                      tail_key="notes", tail_label="清单下方的说明", lines=3)
        self._items(form, "条目 *：", self.list_items, here("items"))
        self._box(form, "说明：", here("notes"), lines=2, as_lines=True,
                  placeholder="条目下方的说明（可不填），每段一行")
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        return page

    def _pledge_page(self) -> QWidget:
        page, layout = self._page(
            "附件1 承诺书每人一份，打印后手写签名。承诺事项不写序号，打印时编为 1．2．3．；"
            "“单位及职务”和“承诺人”两栏是签订的人填写的空栏，不能删去。")
        form = self._form(layout)
        self._line(form, "附件编号 *：", ("pledge", "attachment_label"), name="承诺书附件编号")
        self._line(form, "标题 *：", ("pledge", "title"), name="承诺书标题")
        self._box(form, "正文开头 *：", ("pledge", "preamble"), lines=3, placeholder="如：……本人郑重承诺如下：")
        self.pledge_items = ItemsEditor(self.model, ("pledge", "items"), "承诺事项", numbering=dot_number,
                                        lead_key="preamble", lead_label="正文开头", tail_key="closing",
                                        tail_label="结尾", lines=2)
        self._items(form, "承诺事项 *：", self.pledge_items, lambda: ("pledge", "items"))
        self._line(form, "结尾：", ("pledge", "closing"), placeholder="如：以上承诺敬请监督。", name="承诺书结尾")
        self._line(form, "单位及职务栏 *：", ("pledge", "unit_post_label"), placeholder="承诺人单位及职务：",
                   name="单位及职务栏")
        self._line(form, "签名栏 *：", ("pledge", "signer_label"), placeholder="承　　诺　　人：", name="签名栏")
        self._box(form, "承诺对象 *：", ("pledge", "scope"), lines=2, placeholder="行动方案中“哪些人签订承诺书”的原话")
        self._box(form, "承诺内容 *：", ("pledge", "content"), lines=2, placeholder="行动方案中“承诺什么”的原话")
        return page

    def _rule_page(self) -> QWidget:
        page, layout = self._page(
            "程序按这里的规定，从各单位的人员名单中列出须签订承诺书的人。人员名单中的岗位写法不一，"
            "可以为每个重点岗位写上其他叫法（同义词），如“行政审批”写“审批窗口”。")
        self._check(layout, "全体中层干部须签订", ("signing_rule", "all_middle_cadres"))
        self._check(layout, "全体一般工作人员须签订（不勾选时：只有重点岗位的一般工作人员须签订）", ("signing_rule", "all_staff"))
        self._check(layout, "此前已上交承诺书的人员不再重复签订", ("signing_rule", "previously_submitted_exempt"))
        form = self._form(layout)
        self.key_posts = KeyPostsEditor(self.model, ("signing_rule", "key_posts"), "重点岗位", numbering=no_number,
                                        lines=1)
        self.key_posts.current_changed.connect(lambda _row: self._show_synonyms())
        self._items(form, "重点岗位：", self.key_posts, lambda: ("signing_rule", "key_posts"))
        self.synonyms = QLineEdit()
        self.synonyms.setAccessibleName("同义词")
        self.synonyms.setPlaceholderText("用顿号分隔，如：审批窗口、窗口受理")
        self.synonyms.textEdited.connect(self._synonyms_typed)
        self._bind(form, "其他叫法：", self.synonyms, lambda: ("signing_rule", "synonyms"), self._show_synonyms)
        return page

    def _columns_note(self, meanings: tuple[str, ...]) -> QLabel:
        label = QLabel("、".join(meanings) + "（栏目固定，不能修改）")
        label.setObjectName("hint")
        return label

    def _summary_page(self) -> QWidget:
        page, layout = self._page("附件2 由各单位盖章后报送，并报送电子版（Excel）。栏目与数据一一对应，不能增删。")
        form = self._form(layout)
        self._line(form, "附件编号 *：", ("summary_table", "attachment_label"), name="汇总表附件编号")
        self._line(form, "标题 *：", ("summary_table", "title"), name="汇总表标题")
        form.addRow("栏目：", self._columns_note(SUMMARY_COLUMN_MEANINGS))
        self._line(form, "单位栏 *：", ("summary_table", "unit_label"), name="汇总表单位栏")
        self._box(form, "填报说明：", ("summary_table", "instructions"), lines=4)
        layout.addStretch(1)
        return page

    def _self_check_page(self) -> QWidget:
        page, layout = self._page("附件3 固定三行：对照第一张自查清单的不足、对照第二张的问题、制度缺陷。可以改写每行的项目内容。")
        form = self._form(layout)
        self._line(form, "附件编号 *：", ("self_check", "attachment_label"), name="自查表附件编号")
        self._line(form, "标题 *：", ("self_check", "title"), name="自查表标题")
        form.addRow("栏目：", self._columns_note(SELF_CHECK_COLUMN_MEANINGS))
        self._line(form, "单位栏 *：", ("self_check", "unit_label"), name="自查表单位栏")
        self._line(form, "负责人签名栏 *：", ("self_check", "leader_label"), name="负责人签名栏")
        for number in range(3):
            self._line(form, f"第{number + 1}行 *：", ("self_check", "rows", number), name=f"自查表第{number + 1}行")
        self._box(form, "填表说明：", ("self_check", "instructions"), lines=3)
        layout.addStretch(1)
        return page

    # ---------------------------------------------------------------- lists

    def _list_count(self) -> int:
        return len(self.model.draft["lists"])

    def _choose_list(self, row: int) -> None:
        if row < 0 or row == self._current_list and self.list_items.path[1] == row:
            return
        self._current_list = row
        self.list_items.set_path(("lists", row, "items"))
        self.refresh()

    def _refresh_lists(self) -> None:
        lists = self.model.draft["lists"]
        self._current_list = min(self._current_list, max(len(lists) - 1, 0))
        wanted = []
        for number, policy_list in enumerate(lists, start=1):
            title = policy_list.get("title", "").strip() or "（未填写标题）"
            count = sum(1 for p in self._problems if p.path[:2] == ("lists", number - 1))
            wanted.append(f"{number}．{title}" + (f"\n⚠ {count}处需修改" if count else f"\n{len(policy_list['items'])}条"))
        if [self.lists.item(r).text() for r in range(self.lists.count())] != wanted:
            self.lists.blockSignals(True)
            self.lists.clear()
            self.lists.addItems(wanted)
            self.lists.blockSignals(False)
        if self.lists.currentRow() != self._current_list:
            self.lists.blockSignals(True)
            self.lists.setCurrentRow(self._current_list if lists else -1)
            self.lists.blockSignals(False)
        if lists and self.list_items.path[1] != self._current_list:
            self.list_items.set_path(("lists", self._current_list, "items"))
        has = bool(lists)
        for widget in (self.list_title, self.list_use, self.list_items):
            widget.setEnabled(has)
        self.remove_list_button.setEnabled(has)
        self.list_up_button.setEnabled(self._current_list > 0)
        self.list_down_button.setEnabled(self._current_list < len(lists) - 1)

    def add_list(self) -> None:
        lists = self.model.value(("lists",))
        lists.append(new_list({lst["key"] for lst in lists}))
        self._current_list = len(lists) - 1
        self.model.set(("lists",), lists, "添加清单")
        self.navigation.setCurrentRow(1)
        self.list_title.setFocus()

    def remove_list(self) -> None:
        lists = self.model.value(("lists",))
        if not lists:
            return
        removed = lists.pop(self._current_list)
        title = removed.get("title") or "未命名清单"
        self.model.set(("lists",), lists, f"删除清单“{title}”")

    def move_list(self, step: int) -> None:
        lists = self.model.value(("lists",))
        row, target = self._current_list, self._current_list + step
        if not 0 <= target < len(lists):
            return
        lists[row], lists[target] = lists[target], lists[row]
        self._current_list = target
        self.model.set(("lists",), lists, "调整清单顺序")

    def _list_use_choices(self) -> list[int | None]:
        return [1, 2, None]

    def _show_list_use(self) -> None:
        rows = self.model.draft["self_check"]["rows"]
        texts = [f"{LIST_ROW_LABELS[1]}（{rows[0]}）", f"{LIST_ROW_LABELS[2]}（{rows[1]}）", _NOT_CHECKED]
        if [self.list_use.itemText(i) for i in range(self.list_use.count())] != texts:
            self.list_use.clear()
            self.list_use.addItems(texts)
        lists = self.model.draft["lists"]
        if lists:
            row = list_row(lists[self._current_list]["key"])
            self.list_use.setCurrentIndex(self._list_use_choices().index(row))

    def _list_use_chosen(self, index: int) -> None:
        lists = self.model.value(("lists",))
        if not lists:
            return
        chosen = self._list_use_choices()[index]
        current = lists[self._current_list]["key"]
        taken = {lst["key"] for number, lst in enumerate(lists) if number != self._current_list}
        key = list_key_for(chosen, taken, current)
        self.model.set(("lists", self._current_list, "key"), key, "修改清单的自查对照")

    # ---------------------------------------------------------------- signing rule

    def _current_post(self) -> str:
        posts, row = self.model.draft["signing_rule"]["key_posts"], self.key_posts.list.currentRow()
        return posts[row] if 0 <= row < len(posts) else ""

    def _show_synonyms(self) -> None:
        post = self._current_post()
        words = self.model.draft["signing_rule"].get("synonyms", {}).get(post, [])
        self.synonyms.setEnabled(bool(post.strip()) and not self.read_only)
        self.synonyms.setPlaceholderText(f"“{post.strip()}”在人员名单中的其他写法，用顿号分隔，如：审批窗口、窗口受理"
                                         if post.strip() else "先在上面选择一个重点岗位")
        if _words(self.synonyms.text()) != words:
            self.synonyms.setText("、".join(words))

    def _synonyms_typed(self, text: str) -> None:
        post = self._current_post()
        if not post:
            return
        rule = self.model.value(("signing_rule",))
        synonyms = dict(rule.get("synonyms", {}))
        words = _words(text)
        if words:
            synonyms[post] = words
        else:
            synonyms.pop(post, None)
        if synonyms:
            rule["synonyms"] = synonyms
        else:
            rule.pop("synonyms", None)
        self.model.set(("signing_rule",), rule, f"修改“{post}”的其他叫法", typing=True)

    # ---------------------------------------------------------------- showing

    def refresh(self) -> None:
        """Show the draft again, and what is wrong with it where it is wrong."""
        self._problems = template_problems(self.model.draft)
        self._refresh_lists()
        by_path: dict[Path, list[str]] = {}
        for problem in self._problems:
            by_path.setdefault(problem.path, []).append(problem.message)
        for field in self._fields:
            if field.path()[:1] == ("lists",) and not self.model.draft["lists"]:
                if field.row is not None:
                    field.row.set_message("")
                continue
            field.refresh()
            if field.row is not None:
                field.row.set_message("\n".join(by_path.get(field.path(), [])))
        self._refresh_navigation()
        self._refresh_problem_list()
        self._update_title()

    def _refresh_navigation(self) -> None:
        counts = [0] * len(SECTIONS)
        for problem in self._problems:
            counts[_SECTION_OF.get(problem.path[0], 0)] += 1
        for row, title in enumerate(SECTIONS):
            text = f"{title}  ⚠{counts[row]}" if counts[row] else title
            item = self.navigation.item(row)
            if item.text() != text:
                item.setText(text)

    def _refresh_problem_list(self) -> None:
        if not self._problems or self.read_only:
            self.problems_label.setText("")
            self.problems_label.hide()
            return
        shown = self._problems[:4]
        links = "；".join(f"<a href='{i}'>{SECTIONS[_SECTION_OF.get(p.path[0], 0)]}：{_html(p.message)}</a>"
                         for i, p in enumerate(shown))
        more = f"……共{len(self._problems)}处" if len(self._problems) > len(shown) else ""
        self.problems_label.setText(f"保存之前还需修改：{links}{more}")
        self.problems_label.show()

    def go_to_problem(self, number: int) -> None:
        problem = self._problems[number]
        self.navigation.setCurrentRow(_SECTION_OF.get(problem.path[0], 0))
        if problem.path[0] == "lists" and len(problem.path) > 1:
            self.lists.setCurrentRow(problem.path[1])
        for field in self._fields:
            if field.row is not None and field.path() == problem.path:
                field.row.setFocus()
                return

    def problems(self) -> list[TemplateProblem]:
        return list(self._problems)

    # ---------------------------------------------------------------- saving, preview, publishing

    def is_modified(self) -> bool:
        """Edits not saved yet (a new template left untouched has nothing to lose)."""
        return not self.read_only and not self.model.undo_stack.isClean()

    def save(self) -> bool:
        if self.read_only:
            return False
        if self._problems:
            messages.show_error(self, template_service.DraftRejected(self._problems), "还不能保存")
            self.go_to_problem(0)
            return False
        try:
            saved = template_service.save_template(self.ws.session, self.model.draft, based_on=self.based_on)
        except QingqingError as exc:
            messages.show_error(self, exc, "模板未保存")
            return False
        self.model.put(("id",), saved.template.id)
        self.model.put(("version",), saved.template.version)
        self.model.undo_stack.setClean()
        self._update_title()
        if saved.new_version:
            self.status.setText(f"已保存为第{saved.template.version}版（第{saved.template.version - 1}版已发布，"
                                "已有的行动仍使用原来的版本）。")
        else:
            self.status.setText(f"已保存（第{saved.template.version}版）。")
        self.ws.saved_outside_undo(TEMPLATES_CHANGED)
        self.saved.emit(saved.template)
        return True

    def preview(self):
        try:
            template = template_service.preview_template(self.model.draft)
        except QingqingError as exc:
            messages.show_error(self, exc, "还不能预览")
            return None
        from qingqing_desktop.ui.office.template_preview import show_template_preview  # QtPdf only when asked

        return show_template_preview(self, self.ws, template)

    def publish(self) -> None:
        if (self.is_modified() or not self.model.draft.get("id")) and not self.save():
            return
        template_id = self.model.draft["id"]
        self._closing_confirmed = True
        self.accept()
        self.publish_requested.emit(template_id)

    # ---------------------------------------------------------------- closing

    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def closeEvent(self, event) -> None:
        if self._may_close():
            event.accept()
        else:
            event.ignore()

    def _may_close(self) -> bool:
        if self._closing_confirmed or self.read_only or not self.is_modified():
            return True
        answer = messages.ask_save_changes(self, "政策模板尚未保存",
                                           f"“{self.model.draft.get('name') or '新模板'}”的修改还没有保存。要保存吗？")
        if answer == messages.SAVE and not self.save():
            return False
        self._closing_confirmed = answer != messages.CANCEL
        return self._closing_confirmed


def _html(text: str) -> str:
    from html import escape

    return escape(text)
