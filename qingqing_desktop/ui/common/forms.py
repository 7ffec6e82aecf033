"""Form rows that show a field's problem right under the field, in the domain's own words;
date fields and the dialog whose 确定 runs an edit and keeps a refusal next to its field."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.errors import InputRejected, QingqingError


class FieldRow(QWidget):
    """An input widget with a red message line under it that is hidden while there is nothing to say."""

    def __init__(self, field: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self._message = QLabel()
        self._message.setObjectName("fieldError")
        self._message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self._message)
        self.setFocusProxy(field)

    def set_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    @property
    def message(self) -> str:
        return self._message.text() if self._message.isVisible() else ""


class ValidatedForm(QFormLayout):
    """A QFormLayout whose rows are keyed by the domain's field names (``name``, ``leader`` …)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: dict[str, FieldRow] = {}
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

    def add_field(self, key: str, label: str, field: QWidget) -> FieldRow:
        row = FieldRow(field)
        self.rows[key] = row
        self.addRow(label, row)
        return row

    def show_problems(self, problems: dict[str, str], *, only: set[str] | None = None) -> None:
        """Show each field's message; ``only`` limits it to fields the user has already touched."""
        for key, row in self.rows.items():
            shown = only is None or key in only
            row.set_message(problems.get(key, "") if shown else "")


class EnumComboBox(QComboBox):
    """A combo over an enum's Chinese values; ``value()`` is the member (None for the placeholder).

    The members are kept here rather than as item data: Qt would turn a ``str`` enum into a plain string.
    """

    def __init__(self, enum_class: type[enum.Enum], placeholder: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._choices: list[enum.Enum | None] = [None] if placeholder else []
        if placeholder:
            self.addItem(placeholder)
        for member in enum_class:
            self._choices.append(member)
            self.addItem(str(member.value))

    def value(self):
        return self._choices[self.currentIndex()] if self.currentIndex() >= 0 else None

    def set_value(self, member) -> None:
        self.setCurrentIndex(self._choices.index(member))


# ----------------------------------------------------------------------------- dates


def date_text(day: dt.date | None, empty: str = "") -> str:
    """2019年3月14日: how Chinese office documents write a date (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else empty


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """A date field with a calendar pop-up, shown as 2019年3月14日; ``value()`` is a ``datetime.date``."""

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy年M月d日")
        self.setMinimumDate(QDate(2000, 1, 1))
        self.setMaximumDate(QDate(2099, 12, 31))
        self.set_value(day or dt.date.today())

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 — Qt's name
        # Tab leaves the field like every other one. Qt's own walks year → month → day first and,
        # on the “未填写” special value, never leaves at all: a trap for keyboard-only filling.
        return QWidget.focusNextPrevChild(self, next)

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))


class OptionalDateEdit(DateEdit):
    """A date that may stay empty: the day before the first real date stands for “not filled in”."""

    def __init__(self, day: dt.date | None = None, empty_text: str = "未填写", parent: QWidget | None = None):
        super().__init__(None, parent)
        self.setMinimumDate(QDate(1999, 12, 31))
        self.setSpecialValueText(empty_text)
        self.set_value(day)

    def value(self) -> dt.date | None:  # type: ignore[override]
        return None if self.date() == self.minimumDate() else from_qdate(self.date())

    def set_value(self, day: dt.date | None) -> None:  # type: ignore[override]
        self.setDate(to_qdate(day) if day else self.minimumDate())


def widgets_row(*widgets: QWidget) -> QWidget:
    """Widgets side by side on the left of a form row (a date and its 填今天 button)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return row


class TextBox(QPlainTextEdit):
    """Multi-line text where Tab moves on to the next field, as in every other form field."""

    def __init__(self, text: str = "", lines: int = 3, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setTabChangesFocus(True)
        self._height = self.fontMetrics().lineSpacing() * lines + 2 * int(self.document().documentMargin()) + 4
        self.setMinimumHeight(self._height)

    def sizeHint(self) -> QSize:
        # Qt's default is a large square; a form wants a few lines, and grows if the dialog is made taller.
        return QSize(super().sizeHint().width(), self._height)

    def text(self) -> str:
        return self.toPlainText()


# ----------------------------------------------------------------------------- dialogs


class FormDialog(QDialog):
    """A dialog whose accept button runs the edit (``on_submit``).

    A refusal (InputRejected) stays in the dialog: next to the field it names
    when the form has a row keyed by that field's Chinese label, else above the
    buttons; the user corrects it without retyping everything.
    """

    def __init__(self, title: str, accept_text: str = "确定", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = ValidatedForm()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.buttons)
        self._submit: Callable[[], object] | None = None

    def on_submit(self, submit: Callable[[], object]) -> None:
        """What 确定 does. The dialog stays open when it raises a QingqingError (shown) or
        returns False (the user answered “no” to a question it asked)."""
        self._submit = submit

    def accept(self) -> None:
        if self._submit is not None:
            try:
                if self._submit() is False:
                    return
            except QingqingError as exc:
                self.show_error(exc)
                return
        super().accept()

    def show_error(self, exc: QingqingError) -> None:
        field = exc.location.field if isinstance(exc, InputRejected) else None
        if field in self.form.rows:
            self.form.show_problems({field: exc.reason})
            self.error.hide()
            self.form.rows[field].setFocus()
        else:
            self.form.show_problems({})
            self.error.setText(str(exc))
            self.error.show()
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Make room for the message just shown; a dialog does not grow by itself for a wrapped label,
        and would squeeze the text above it instead."""
        self.layout_.activate()
        needed = (self.layout_.totalHeightForWidth(self.width()) if self.layout_.hasHeightForWidth()
                  else self.layout_.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)


class ReasonDialog(FormDialog):
    """Asks for the reason a change needs (不适用, 人工认定, 恢复整改中, 重新打开 …).

    ``field`` is the service's name for the reason (说明, 人工认定理由, 原因), so a
    refusal from the service appears under this box.
    """

    def __init__(self, title: str, intro: str, field: str, accept_text: str, *, placeholder: str = "",
                 multiline: bool = False, lines: int = 3, parent: QWidget | None = None):
        super().__init__(title, accept_text, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(440)
        self.explanation = QLabel(intro)
        self.explanation.setWordWrap(True)
        self.layout_.insertWidget(0, self.explanation)
        self.reason = TextBox(lines=lines) if multiline else QLineEdit()
        self.reason.setPlaceholderText(placeholder)
        self.form.add_field(field, f"{field}：", self.reason)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def text(self) -> str:
        return self.reason.text().strip()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.text()))
