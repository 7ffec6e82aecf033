"""Editing the items of a list (or the pledge's commitments, or the key posts) in a template draft.

``ItemsEditor`` shows the items numbered as they will print, the chosen one in a box
below to edit, and buttons to add, delete and move items. ``粘贴多条…`` (also Ctrl+V on
the list) opens ``PasteItemsDialog``: paste a block from a Word notice, see it split
into items with the numbering removed (``domain.numbered_text``), then replace the
items or add them at the end — and take the sentence before the first item as the
list's introduction, the paragraphs after the last as its notes, if offered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.numbered_text import SplitItems, split_items
from qingqing_desktop.domain.text import shortened
from qingqing_desktop.ui.common.forms import KeepsTypedInput, TextBox
from qingqing_desktop.ui.common.settings import fit_to_screen
from qingqing_desktop.ui.office.template_draft_model import DraftModel, Path

Numbering = Callable[[int], str]


def bracket_number(n: int) -> str:
    return f"（{n}）"


def dot_number(n: int) -> str:
    return f"{n}．"


def no_number(n: int) -> str:
    return ""


class PasteItemsDialog(KeepsTypedInput, QDialog):
    """粘贴多条: a box to paste into, the items found in it, and where they go."""

    def __init__(self, noun: str, existing: int, *, lead_label: str = "", tail_label: str = "",
                 numbering: Numbering = bracket_number, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"粘贴多条{noun}")
        self.resize(900, 620)
        self._noun, self._numbering = noun, numbering
        self.result_ = SplitItems(())
        intro = QLabel("把通知中的条文整段复制，粘贴到左边的框里（Ctrl+V）。程序按序号（1. 一、 （一） ① 第一条 等）"
                       "或分号把它分成一条一条，去掉原来的序号，结果显示在右边；打印时重新编号。")
        intro.setWordWrap(True)
        self.source = TextBox(text, lines=14)
        self.source.setTabChangesFocus(True)
        self.source.setPlaceholderText("在这里粘贴，例如：\n1．不准收受企业赠送的礼品、礼金、消费卡等；\n2．不准接受企业提供的宴请……")
        self.source.setAccessibleName("粘贴的条文")
        self.preview = QListWidget()
        self.preview.setWordWrap(True)
        self.preview.setAlternatingRowColors(True)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.lead = QCheckBox()
        self.lead.setChecked(True)
        self._lead_label = lead_label
        self.tail = QCheckBox()
        self.tail.setChecked(True)
        self._tail_label = tail_label
        self.replace_items = QRadioButton(f"替换现有的 {existing} 条")
        self.append_items = QRadioButton("加在现有各条的后面")
        (self.replace_items if existing else self.append_items).setChecked(True)
        self.replace_items.setVisible(existing > 0)
        self.append_items.setVisible(existing > 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("primary")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(QLabel("粘贴的条文："), 0, 0)
        grid.addWidget(self.count, 0, 1)
        grid.addWidget(self.source, 1, 0)
        grid.addWidget(self.preview, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        where = QHBoxLayout()
        where.addWidget(self.replace_items)
        where.addWidget(self.append_items)
        where.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.lead)
        layout.addWidget(self.tail)
        layout.addLayout(where)
        layout.addWidget(self.buttons)
        self.source.textChanged.connect(self._split)
        self._split()
        fit_to_screen(self)  # 900×620 is taller than a 1366×768 screen at 125% leaves

    def _split(self) -> None:
        self.result_ = split_items(self.source.text())
        self.preview.clear()
        for number, item in enumerate(self.result_.items, start=1):
            QListWidgetItem(f"{self._numbering(number)}{item}", self.preview)
        items = len(self.result_.items)
        self.count.setText(f"识别出 {items} 条：" if items else "识别结果：")
        lead = self.result_.lead if self._lead_label else ""
        self.lead.setText(f"开头一段作为{self._lead_label}：{shortened(lead, 40)}")
        self.lead.setVisible(bool(lead))
        tail = "".join(self.result_.tail) if self._tail_label else ""
        self.tail.setText(f"最后一段作为{self._tail_label}：{shortened(tail, 40)}")
        self.tail.setVisible(bool(tail))
        self.ok_button.setEnabled(items > 0)

    def items(self) -> tuple[str, ...]:
        return self.result_.items

    def lead_text(self) -> str:
        """The lead to use, "" when there is none or it was not wanted."""
        return self.result_.lead if self._lead_label and self.lead.isChecked() else ""

    def tail_texts(self) -> tuple[str, ...]:
        return self.result_.tail if self._tail_label and self.tail.isChecked() else ()

    def replaces(self) -> bool:
        return self.replace_items.isChecked()


class ItemsEditor(QWidget):
    """The items at ``path`` in the draft: numbered, chosen one edited below, added, deleted, moved, pasted.

    ``lead_key``/``tail_key`` name the texts beside the items (in the same parent) that a
    paste may fill: a list's ``intro`` and ``notes``, the pledge's ``preamble`` and ``closing``.
    """

    current_changed = Signal(int)

    def __init__(self, model: DraftModel, path: Path, noun: str, *, numbering: Numbering = bracket_number,
                 lead_key: str = "", lead_label: str = "", tail_key: str = "", tail_label: str = "",
                 lines: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.model, self.path, self.noun, self.numbering = model, path, noun, numbering
        self.lead_key, self.lead_label, self.tail_key, self.tail_label = lead_key, lead_label, tail_key, tail_label
        self.read_only = False
        self._showing = False

        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        self.list.setAccessibleName(f"{noun}列表")
        self.list.setMinimumHeight(140)
        self.list.currentRowChanged.connect(self._show_current)
        self.text = TextBox(lines=lines)
        self.text.setAccessibleName(f"本条{noun}")
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text.textChanged.connect(self._typed)
        self.add_button = QPushButton(f"新增{noun}")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.paste_button = QPushButton("粘贴多条…")
        self.paste_button.setToolTip("把通知中一整段带序号的条文粘贴进来，自动分成多条")
        for button, slot in ((self.add_button, self.add_item), (self.remove_button, self.remove_item),
                             (self.up_button, lambda: self.move_item(-1)), (self.down_button, lambda: self.move_item(1)),
                             (self.paste_button, lambda: self.paste())):
            button.clicked.connect(slot)
            button.setAutoDefault(False)
        self.list.installEventFilter(self)  # keys on the list, see eventFilter

        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.paste_button)
        self.text_label = QLabel(f"本条{noun}：")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.text_label)
        layout.addWidget(self.text)
        model.changed.connect(lambda _path: self.refresh())
        self.refresh()

    def eventFilter(self, watched, event) -> bool:
        """On the list itself: Ctrl+V pastes a block, Delete deletes, Alt+↑/↓ move, as in a file manager."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            alt = event.modifiers() == Qt.KeyboardModifier.AltModifier
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste(QApplication.clipboard().text())
            elif event.matches(QKeySequence.StandardKey.Delete):
                self.remove_item()
            elif alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_item(-1 if event.key() == Qt.Key.Key_Up else 1)
            else:
                return False
            return True
        return False

    # ---------------------------------------------------------------- showing

    def items(self) -> list[str]:
        return list(self.model.value(self.path))

    def label(self, number: int, item: str) -> str:
        """How item ``number`` shows in the list: numbered as printed; an empty one says so."""
        return f"{self.numbering(number)}{item if item.strip() else '（空，请填写）'}"

    def set_path(self, path: Path) -> None:
        self.path = path
        self.list.setCurrentRow(-1)
        self.refresh()
        self.list.setCurrentRow(0 if self.items() else -1)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.text.setReadOnly(read_only)
        self._update_buttons()

    def refresh(self) -> None:
        items = self.items()
        self._showing = True
        try:
            shown = [self.list.item(row).text() for row in range(self.list.count())]
            wanted = [self.label(n, item) for n, item in enumerate(items, start=1)]
            if len(shown) == len(wanted):
                # Typing changed a label (the item's text, a key post's synonyms): in place. Clearing the
                # list left no current item for a moment, which disabled the box being typed in — the
                # focus went elsewhere and the next keys landed in another field.
                for number, (old, new) in enumerate(zip(shown, wanted)):
                    if old != new:
                        self.list.item(number).setText(new)
            else:
                row = max(self.list.currentRow(), 0)  # the first item is chosen to begin with
                self.list.clear()
                self.list.addItems(wanted)
                self.list.setCurrentRow(min(row, len(items) - 1) if items else -1)
            self._show_text()
        finally:
            self._showing = False
        self._update_buttons()

    def _show_current(self, row: int) -> None:
        self._showing = True
        try:
            self._show_text()
        finally:
            self._showing = False
        self._update_buttons()
        self.current_changed.emit(row)

    def _show_text(self) -> None:
        row, items = self.list.currentRow(), self.items()
        value = items[row] if 0 <= row < len(items) else ""
        if self.text.toPlainText() != value:
            self.text.setPlainText(value)
            self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        self.text.setEnabled(0 <= row < len(items))
        self.text.setPlaceholderText(f"在这里填写这一条{self.noun}。" if 0 <= row < len(items)
                                     else f"选择上面的一条进行修改，或点“新增{self.noun}”。")

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), len(self.items())
        editable = not self.read_only
        self.add_button.setEnabled(editable)
        self.paste_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and 0 <= row < count)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)

    # ---------------------------------------------------------------- editing

    def write(self, items: list[str], text: str, *, typing: bool = False) -> None:
        """Store the new items as one undoable step (the key posts' editor also moves their synonyms)."""
        self.model.set(self.path, items, text, typing=typing)

    def _typed(self) -> None:
        if self._showing or self.read_only:
            return
        row, items = self.list.currentRow(), self.items()
        if 0 <= row < len(items):
            items[row] = self.text.toPlainText()
            self.write(items, f"修改第{row + 1}条{self.noun}", typing=True)

    def add_item(self) -> None:
        items = self.items()
        row = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(items)
        items.insert(row, "")
        self.write(items, f"新增{self.noun}")
        self.list.setCurrentRow(row)
        self.text.setFocus()

    def remove_item(self) -> None:
        row, items = self.list.currentRow(), self.items()
        if self.read_only or not 0 <= row < len(items):
            return
        del items[row]
        self.write(items, f"删除第{row + 1}条{self.noun}")
        self.list.setCurrentRow(min(row, len(items) - 1))

    def move_item(self, step: int) -> None:
        row, items = self.list.currentRow(), self.items()
        target = row + step
        if self.read_only or not (0 <= row < len(items) and 0 <= target < len(items)):
            return
        items[row], items[target] = items[target], items[row]
        self.write(items, f"{'上移' if step < 0 else '下移'}第{row + 1}条{self.noun}")
        self.list.setCurrentRow(target)

    def paste(self, text: str = "") -> PasteItemsDialog | None:
        if self.read_only:
            return None
        dialog = PasteItemsDialog(self.noun, len(self.items()), lead_label=self.lead_label,
                                  tail_label=self.tail_label, numbering=self.numbering, text=text, parent=self)
        dialog.accepted.connect(lambda: self._apply_paste(dialog))
        dialog.open()
        return dialog

    def _apply_paste(self, dialog: PasteItemsDialog) -> None:
        items = list(dialog.items()) if dialog.replaces() else [*self.items(), *dialog.items()]
        lead, tail = dialog.lead_text(), dialog.tail_texts()
        what = f"粘贴{len(dialog.items())}条{self.noun}"
        if not (lead and self.lead_key) and not (tail and self.tail_key):
            self.write(items, what)
        else:
            # Items, introduction and notes in one step, so one 撤销 takes the whole paste back.
            parent = self.model.value(self.path[:-1])
            parent[self.path[-1]] = items
            if lead and self.lead_key:
                parent[self.lead_key] = lead
            if tail and self.tail_key:
                current = parent.get(self.tail_key)
                parent[self.tail_key] = list(tail) if isinstance(current, list) else "".join(tail)
            self.model.set(self.path[:-1], parent, what)
        self.list.setCurrentRow(0 if dialog.replaces() else len(items) - len(dialog.items()))
