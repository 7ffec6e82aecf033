"""The boxes the 单位信息 and 纪委信息 pages share: a key fingerprint to read out or copy,
the operator's name, where the data lives, and the scrolling column that holds them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.services import key_service
from qingqing_desktop.store.locations import data_dir
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.forms import FormDialog, align_label_columns
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.common.pages import PageScroll

FORM_WIDTH = 720  # fields stretched across a wide screen are hard to read


def selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


# Named first: the platform's own “monospace” can resolve to a font Qt does not treat as fixed-width.
MONOSPACE_FAMILIES = ("Consolas", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", "Courier New")


def fixed_width_font(base: QFont) -> QFont:
    installed = set(QFontDatabase.families())
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    font = QFont(base)
    font.setFamilies([f for f in MONOSPACE_FAMILIES if f in installed] + [system])
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    return font


class FingerprintField(QWidget):
    """A key fingerprint in a fixed-width font, selectable, with a 复制 button.

    Fixed width because people compare it group by group with the printed 附件2 or
    read it out over the phone; a proportional font makes 0/O and 1/I look alike.
    """

    def __init__(self, fingerprint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(fingerprint)
        self.edit.setObjectName("fingerprint")
        self.edit.setReadOnly(True)
        self.edit.setFont(fixed_width_font(self.font()))
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance("0" * 44) + 28)
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制指纹，可粘贴到微信或邮件中核对")
        self.copy_button.clicked.connect(self.copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.copy_button)
        layout.addStretch(1)

    def text(self) -> str:
        return self.edit.text()

    def set_fingerprint(self, fingerprint: str) -> None:
        self.edit.setText(fingerprint)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.edit.text())


# key_service's roles, as the page names them, and what each fingerprint is for.
_KEY_ROLES = {
    "单位密钥": ("本单位密钥指纹：", "此指纹印在附件2的页脚，纪委据此核对报送包的签名。纪委（监察室）来电核对时，请照此读出。"),
    "已登记的纪委（监察室）密钥": ("纪委（监察室）密钥指纹：", "导入第一个任务包时登记。此后本机只接受这把密钥签名的任务包和退回文件。"),
    "纪委（监察室）密钥": ("本室密钥指纹：", "任务包和退回文件都用这把密钥签名。各单位导入第一个任务包时登记它，"
                 "请把此指纹告知各单位，以便核对。"),
}


class KeysBox(QGroupBox):
    """The signing keys of this installation (and, on a unit, the office's it pinned), one row each."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("报送签名密钥", parent)
        self._ws = workspace
        self.fields: dict[str, FingerprintField] = {}
        self._form = QFormLayout(self)
        self.refresh()

    def refresh(self) -> None:
        added = False
        for info in key_service.key_overview(self._ws.session):
            if info.role in self.fields:
                self.fields[info.role].set_fingerprint(info.fingerprint)
                continue
            label, explanation = _KEY_ROLES.get(info.role, (f"{info.role}：", ""))
            field = FingerprintField(info.fingerprint)
            self.fields[info.role] = field
            self._form.addRow(label, field)
            if explanation:
                self._form.addRow("", hint(explanation))
            added = True
        if added and self.parentWidget() is not None:  # a 任务包 pinned the office's key: a longer label
            align_form_columns(self.parentWidget())

    def fingerprint(self, role: str) -> str:
        return self.fields[role].text() if role in self.fields else ""


OPERATOR_LABEL = "经办人姓名："


def operator_field(name: str = "") -> QLineEdit:
    """The box for the 经办人's name, wherever it is asked."""
    field = QLineEdit(name)
    field.setPlaceholderText("您的姓名，记入每条修改记录")
    field.setToolTip("记入每条修改记录，便于日后查对是谁改的")
    return field


class OperatorBox(QGroupBox):
    """经办人: the name every audit entry carries; kept in the settings, never left empty."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("经办人", parent)
        self._ws = workspace
        self.operator = operator_field(workspace.session.operator)
        self.operator.editingFinished.connect(self._save)
        form = QFormLayout(self)
        form.addRow(OPERATOR_LABEL, self.operator)

    def _save(self) -> None:
        name = self.operator.text().strip()
        if name and (name != self._ws.session.operator or not self._ws.operator_named()):
            self._ws.set_operator(name)
        elif not name:
            self.operator.setText(self._ws.session.operator)  # the audit log always needs a name


class OperatorDialog(FormDialog):
    """The 经办人's name asked once, on a start without the first-start dialog (an office database, one set
    up with qingqing-cli): until it is given, the audit log names the computer's login."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("填写经办人姓名", "确定", parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ws = workspace
        self.intro = QLabel(
            "每一次导入、修改、退回和确认都记入修改记录，写明经办人是谁。\n"
            f"请填写您的姓名。暂不填写时，记下的是这台电脑的登录名“{workspace.session.operator}”；\n"
            "以后可以在状态栏点“填写您的姓名”，或在信息页的“经办人”中填写。")
        self.layout_.insertWidget(0, self.intro)
        self.operator = operator_field()
        self.form.add_field("经办人", OPERATOR_LABEL, self.operator)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("暂不填写")
        self.on_submit(self._save)

    def _save(self) -> None:
        name = self.operator.text().strip()
        if not name:
            raise InputRejected("请填写您的姓名，或点“暂不填写”。", Location(field="经办人"))
        self._ws.set_operator(name)


class DataLocationBox(QGroupBox):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__("数据保存位置", parent)
        db_path = workspace.session.db_path
        open_folder = QPushButton("打开数据文件夹")
        open_folder.clicked.connect(lambda: messages.open_folder_window(self, data_dir()))
        folder_row = QHBoxLayout()
        folder_row.addWidget(open_folder)
        folder_row.addStretch(1)
        form = QFormLayout(self)
        form.addRow("数据库文件：", selectable(str(db_path) if db_path else "（仅在内存中）"))
        form.addRow("数据文件夹：", selectable(str(data_dir())))
        form.addRow("", folder_row)


def scrolling_column(boxes: list[QWidget]) -> QScrollArea:
    """The boxes one under the other at a readable width; scrolls on a 1366×768 office screen."""
    content = QWidget()
    # The column itself is capped, not each box: with capped boxes in a wider column Qt measures a
    # wrapped label at the column's width, and its second line was cut off (报送与接收, 第一步).
    content.setMaximumWidth(FORM_WIDTH + 12)
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 12, 0)
    for box in boxes:
        column.addWidget(box)
    column.addStretch(1)
    align_form_columns(content)
    return PageScroll(content, sideways=True)


def align_form_columns(column: QWidget) -> None:
    """The fields of every box in ``column`` start at one x (each box's form sized its own label
    column: 单位名称 at 315 px, 本单位密钥指纹 at 330). Again after a box gains a row."""
    align_label_columns(*(widget.layout() for widget in [column, *column.findChildren(QWidget)]
                          if isinstance(widget.layout(), QFormLayout)))
