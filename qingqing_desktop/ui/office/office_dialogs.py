"""The office's setup dialogs: switching a database to 纪委（监察室）模式, the list of units expected
to file, and choosing the unit an Excel 汇总表 belongs to."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.names import comparison_key
from qingqing_desktop.services import office_service
from qingqing_desktop.services.office_service import ExcelImport, OfficeInfo, OfficeUnit
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import FormDialog, KeepsTypedInput, TextBox
from qingqing_desktop.ui.common.settings import remember_geometry
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.office_commands import AddExpectedUnitsCommand, RemoveExpectedUnitsCommand

DEFAULT_OFFICE_NAME = "局机关纪委（监察室）"
# Lines broken by hand: a word-wrapped label makes the dialog too short and cuts the text off.
OFFICE_MODE_TEXT = (
    "纪委（监察室）模式用于局机关纪委（监察室）自己的电脑：\n"
    "发布行动任务包，汇总各单位交来的报送包，查看材料，\n"
    "退回修改或确认无误，导出全局汇总表。\n\n"
    "各科室、站、分局、所填报用的电脑不要切换：\n"
    "已经填写了单位信息的数据库不能切换，程序会拒绝。"
)


class OfficeModeDialog(FormDialog):
    """切换为纪委（监察室）模式: the office's name, then ``office_service.enable_office_mode``."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("切换为纪委（监察室）模式", "切换为纪委（监察室）模式", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self._ws = workspace
        self.info: OfficeInfo | None = None
        self.layout_.insertWidget(0, QLabel(OFFICE_MODE_TEXT))
        self.name = QLineEdit(DEFAULT_OFFICE_NAME)
        self.form.add_field("名称", "本室名称：", self.name)
        self.on_submit(self._enable)

    def _enable(self) -> None:
        self.info = office_service.enable_office_mode(self._ws.session, self.name.text())


class ExpectedUnitsDialog(KeepsTypedInput, QDialog):
    """应报单位名单: the units listed (select and 移出名单), and a box to paste new names, one a line."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("应报单位名单")
        self.resize(760, 520)
        self._ws = workspace
        self._units: list[OfficeUnit] = []
        self.count = QLabel()
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton("移出名单")
        self.remove_button.setToolTip("已报送的单位仍留在报送情况中（标为未列入名单），数据不会删除")
        self.remove_button.clicked.connect(self.remove_selected)
        self.names = TextBox(lines=10)
        self.names.setPlaceholderText("每行一个单位名称，例如：\n行政审批科\n质量监督站\n城东分局\n\n可以从 Excel 或 Word 中复制一列名称粘贴进来。")
        self.names.textChanged.connect(self._update_buttons)
        self.add_button = QPushButton("添加到名单")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_names)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.notice = QLabel()  # what adding left out: names already on the list
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
        self.notice.hide()
        hint = QLabel("名单中的单位都应报送；报送情况按此统计“应报”“未报”“逾期”。名称与报送包中的单位名称一致即可自动对应。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(self.count, 0, 0)
        grid.addWidget(QLabel("添加单位（每行一个）："), 0, 1)
        grid.addWidget(self.list, 1, 0)
        grid.addWidget(self.names, 1, 1)
        grid.addWidget(self.remove_button, 2, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.add_button, 2, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        # Ctrl+Z / Ctrl+Y undo a removal or an addition here too, not only once the dialog is closed
        # (in the text box they undo the typing, as Qt's own editing shortcuts come first there).
        for action, keys in ((workspace.undo_stack.createUndoAction(self, "撤销"), QKeySequence.StandardKey.Undo),
                             (workspace.undo_stack.createRedoAction(self, "重做"), QKeySequence.StandardKey.Redo)):
            action.setShortcut(keys)
            self.addAction(action)
        workspace.changed.connect(self._on_changed)
        self.refresh()
        remember_geometry(self, workspace.settings)

    def first_shown(self) -> None:
        # The cursor where the names are pasted or typed: the list on the left (Qt's first stop) took
        # Ctrl+V and did nothing with it.
        self.names.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_changed(self, changes) -> None:
        if changes.filing:
            self.refresh()

    def refresh(self) -> None:
        self._units = [u for u in office_service.list_units(self._ws.session) if u.expected]
        self.list.clear()
        self.list.addItems([u.name for u in self._units])
        self.count.setText(f"应报单位（{len(self._units)}个）：")
        self._update_buttons()

    def listed(self) -> list[str]:
        return [u.name for u in self._units]

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.add_button.setEnabled(bool(self.names.text().strip()))

    def add_names(self) -> bool:
        names = self.names.text().splitlines()
        listed = {comparison_key(u.name) for u in self._units}
        already = list(dict.fromkeys(n.strip() for n in names if n.strip() and comparison_key(n.strip()) in listed))
        try:
            self._ws.execute(AddExpectedUnitsCommand(self._ws, names))
        except QingqingError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        self.names.clear()
        self.notice.setText("、".join(f"“{n}”" for n in already) + "已在名单中，没有重复添加。")
        self.notice.setVisible(bool(already))
        return True

    def remove_selected(self) -> None:
        units = [self._units[r] for r in sorted(self.list.row(item) for item in self.list.selectedItems())]
        if not units:
            return
        delivered = [u.name for u in units if u.id in self._delivered_unit_ids()]
        if delivered and not messages.confirm(
                self, "移出应报名单", "、".join(f"“{n}”" for n in delivered) + "已经报送。移出名单后，报送的数据仍然保留，"
                "在报送情况中列为未列入名单的单位，不再计入“应报”“已报”。", "移出名单"):
            return
        self._ws.execute(RemoveExpectedUnitsCommand(self._ws, units))

    def _delivered_unit_ids(self) -> set[str]:
        try:
            return {row.office_unit_id for row in office_service.board(self._ws.session).rows if row.delivered}
        except QingqingError:
            return set()  # no campaign yet: nothing delivered


def guess_unit(units: list[OfficeUnit], file_name: str) -> int:
    """The unit whose name the file's name contains (技术科汇总表.xlsx), longest name first; -1 if none."""
    key = comparison_key(file_name)
    matches = [i for i, u in enumerate(units) if comparison_key(u.name) and comparison_key(u.name) in key]
    return max(matches, key=lambda i: len(units[i].name), default=-1)


class ReturnInListGoesOn(QObject):
    """Return in a completer's list takes the name (the completer's own work) and then presses ``button``:
    the list comes up as one types, and Return only closed it, a second one was needed to go on.

    With no name highlighted, Return takes the list's only name; when it offers several, it only closes
    the list, as before: going on would import the file under the few characters typed (规划 for 规划科),
    a unit nobody meant."""

    def __init__(self, completer: QCompleter, button: QPushButton):
        super().__init__(completer.popup())
        self._completer = completer
        self._button = button
        completer.popup().installEventFilter(self)  # after the completer's own filter, so called first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = self._completer.popup()
            if not popup.currentIndex().isValid():
                if self._completer.completionCount() != 1:
                    return False  # the completer closes its list; the reviewer chooses
                self._completer.setCurrentRow(0)
                popup.setCurrentIndex(self._completer.currentIndex())  # the completer takes it on this Return
            # after the completer has put the chosen name in the box and closed its list
            QTimer.singleShot(0, self._press)
        return False

    def _press(self) -> None:
        if self._button.isVisible() and self._button.isEnabled():
            self._button.click()


class ExcelSummaryDialog(FormDialog):
    """导入Excel汇总表: which unit the 附件2 belongs to (listed, or typed for a unit not on the list)."""

    def __init__(self, workspace: Workspace, path: Path, in_file: str, parent: QWidget | None = None):
        """``in_file``: the unit written in the file, read (and the file judged) before the dialog opens."""
        super().__init__("导入Excel汇总表", "导入", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(560)
        self._ws = workspace
        self.path = path
        self.result_: ExcelImport | None = None
        intro = QLabel(
            f"文件：{path.name}\n\n用于没有使用本程序的单位：导入其交来的附件2《承诺书签订情况汇总表》（Excel）。"
            "这类数据没有签名，也没有自查表，报送情况中标为“未签名（Excel）”。"
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        units = office_service.list_units(workspace.session)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.addItems([u.name for u in units])
        # Names that match what is typed in a list under the box, not filled in after the cursor: the name
        # offered from the file, selected as the cursor comes in, looked like such a completion, and
        # Return only took it (a second Return imported).
        self.unit.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.unit.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        ReturnInListGoesOn(self.unit.completer(), self.ok_button)
        # as wide as a unit's full name and the hint, not as the (maybe empty) list's longest entry
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit.setMinimumContentsLength(16)
        # The unit written in the file (“单位（盖章）：审批科”) first, then the file's name (审批科汇总表.xlsx);
        # a unit not on the list is offered as written, to be added when imported.
        index = guess_unit(units, in_file) if in_file else -1
        self.unit.setCurrentIndex(index if index >= 0 else guess_unit(units, path.stem))
        if self.unit.currentIndex() < 0 and in_file:
            self.unit.setEditText(in_file)
        self.unit.lineEdit().setPlaceholderText("选择或输入单位名称")
        self.form.add_field("单位", "所属单位：", self.unit)
        self.on_submit(self._import)

    def has_typed_input(self) -> bool:
        """Nothing to lose on 取消: the one choice is a unit's name, chosen again in a moment (a refused
        file, say, whose 取消 asked “填写的内容…将丢失”)."""
        return False

    def _import(self) -> bool:
        # Asked before anything is written: the people would otherwise be filed under the wrong unit, or
        # another unit's roster taken for this one's 汇总表.
        doubts = office_service.summary_excel_doubts(self._ws.session, self.unit.currentText(), self.path)
        if doubts and not messages.confirm(self, "请核对所选的文件", "\n\n".join(doubts) + "\n\n确实要把这份汇总表导入为"
                                           f"“{self.unit.currentText().strip()}”的报送吗？", "仍然导入", destructive=True):
            return False
        self.result_ = office_service.import_summary_excel(self._ws.session, self.unit.currentText(), self.path)
        return True


def excel_import_text(result: ExcelImport) -> str:
    lines = [f"已导入“{result.unit.name}”的汇总表：{result.people}人。{result.verdict.value}。"]
    if result.changes:
        lines.append(f"与上次相比：{result.changes}")
    lines.extend(result.warnings)
    return "\n\n".join(lines)
