"""Form rows that show a field's problem right under the field, in the domain's own words;
date fields and the dialog whose 确定 runs an edit and keeps a refusal next to its field."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from qingqing_desktop.domain.errors import InputRejected, Location, QingqingError
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.resources import set_style_property


class FieldRow(QWidget):
    """An input widget with a red message line under it that is hidden while there is nothing to say."""

    def __init__(self, field: QWidget, parent: QWidget | None = None, *, judged_by: QWidget | None = None):
        """``judged_by``: the widget in ``field`` that judges its own value, when ``field`` holds more
        than it (a date with a hint beside it)."""
        super().__init__(parent)
        self._message = QLabel()
        self._message.setObjectName("fieldError")
        self._message.setWordWrap(True)  # a service's refusal can be a sentence: read whole, not cut at the edge
        self._message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self._message)
        self.setFocusProxy(field)
        judge = judged_by or field
        problem_changed = getattr(judge, "problem_changed", None)
        if problem_changed is not None:  # a DateField judges itself as the clerk types
            problem_changed.connect(self.set_message)
        value_changed = getattr(judge, "value_changed", None)
        if value_changed is not None:  # a refusal shown after 确定 (a future date) is stale once the value changes
            value_changed.connect(self.clear_message)

    def set_message(self, text: str) -> None:
        shown = "" if self._message.isHidden() else self._message.text()
        if text == shown:
            return
        window = self.window()
        fits = isinstance(window, QDialog) and window.isVisible()  # a page leaves the main window's size alone
        if fits:
            MessageHeight.of(window).changing()
        self._message.setText(text)
        self._message.setVisible(bool(text))
        if fits:
            # A hidden message would reach the dialog's layout one parent at a time, each a posted event:
            # the fit would still see its room.
            widget: QWidget | None = self
            while widget is not None and widget is not window:
                if widget.layout() is not None:
                    widget.layout().activate()
                widget = widget.parentWidget()

    def clear_message(self) -> None:
        self.set_message("")

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

    def add_field(self, key: str, label: str, field: QWidget, *, judged_by: QWidget | None = None) -> FieldRow:
        row = FieldRow(field, judged_by=judged_by)
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


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


_NUMBERS = re.compile(r"\d+")
MIN_YEAR, MAX_YEAR = 2000, 2099


def parse_date_parts(text: str) -> tuple[str, str, str] | None:
    """The year, month and day typed or pasted as one text (2026年2月30日, 2026-02-30, 2026/2/30, 20260230),
    unchecked; None when it does not have that shape."""
    numbers = _NUMBERS.findall(unicodedata.normalize("NFKC", text))
    if len(numbers) == 3:
        return numbers[0], numbers[1], numbers[2]
    if len(numbers) == 1 and len(numbers[0]) == 8:
        digits = numbers[0]
        return digits[:4], digits[4:6], digits[6:]
    return None


def date_problem(year: str, month: str, day: str) -> str:
    """Why these parts are not a date, in words ("" when they are one). Nothing is ever corrected."""
    if not (year and month and day):
        return "请填写完整的日期（年、月、日）。"
    y, m, d = int(year), int(month), int(day)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return f"年份{y}不对，应在 {MIN_YEAR}–{MAX_YEAR} 之间。"
    if not 1 <= m <= 12:
        return f"没有{m}月，月份应在 1–12 之间。"
    days = calendar.monthrange(y, m)[1]
    if not 1 <= d <= days:
        return f"{y}年{m}月没有{d}日（这个月只有 {days} 天）。"
    return ""


class _DatePart(QLineEdit):
    """The year, month or day box of a DateField. Keys that the field decides about go to it."""

    def __init__(self, field: "DateField", digits: int):
        super().__init__()
        self.field = field
        self.digits = digits
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0" * (digits + 1)) + 16)
        # Tab reaches the year and leaves the whole date at once; month and day are reached by
        # typing on, by the arrows or by the mouse.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if digits == 4 else Qt.FocusPolicy.ClickFocus)
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.textEdited.connect(lambda text: field._part_edited(self, text))

    def event(self, event) -> bool:
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            field = self.field
            if forward and field._just_advanced:
                # “2026” moved on to the month by itself; the clerk's Tab meant the same move. Leaving
                # here put “12” into the next field, over its text (报送对象 in 新建行动).
                field._just_advanced = False
                return True
            if field._typing:
                # Typing a date, Tab goes part by part (as in Qt's own date edit): “1⇥31” is January 31,
                # not a month of 1 and “31” lost on the next button.
                neighbour = field._next(self) if forward else field._previous(self)
                if neighbour is not None:
                    neighbour.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                    return True
            field._typing = False  # leaving the date: the next visit starts afresh
            year = field.year
            if self is not year:
                year.setFocus(Qt.FocusReason.OtherFocusReason)  # the tab chain knows the field by its year
            QWidget.focusNextPrevChild(year, forward)
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if not self.field._part_key(self, event):
            super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:
        # 年 or 月 committed by a Chinese input method is a separator, as when typed as a key.
        committed = event.commitString()
        if len(committed) == 1 and not committed.isdigit() and not event.preeditString():
            self.field._separator(self)
            event.accept()
            return
        super().inputMethodEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            self.selectAll()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.field._part_left()


class DateField(QWidget):
    """The one date editor of the program: [2026]年[3]月[14]日 and a 日历 button.

    What the clerk types stays as typed: a date that does not exist (2026年2月30日,
    typed, pasted or coming from an input method) is refused with a message under the
    field and by ``value()``, never turned into another date. Typing 年, 月, -, / or a
    space moves to the next part, a full part moves on by itself, Backspace in an empty
    part goes back, ↑/↓ step the part, Alt+↓ or F4 opens the calendar; Tab leaves the
    whole field at once, but once the clerk types in it Tab goes part by part to the day (right
    after a full part moved on by itself, Tab only confirms that move), so 2026⇥12⇥20 and
    2027⇥1⇥31 are dates. ``optional``: all three parts empty means “not filled in” (``None``).
    """

    value_changed = Signal()  # a different complete and valid date (or none, when optional)
    editing_finished = Signal()  # the clerk left the field, or picked a day in the calendar
    problem_changed = Signal(str)  # the message to show under the field ("" to clear it)

    def __init__(self, day: dt.date | None = None, *, field: str = "日期", optional: bool = False,
                 empty_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.field_name = field
        self.optional = optional
        self._problem = ""
        self._last_value: object = object()
        self._just_advanced = False
        self._typing = False  # typed into since the focus came: Tab then moves part by part
        self.year = _DatePart(self, 4)
        self.month = _DatePart(self, 2)
        self.day = _DatePart(self, 2)
        self.parts = (self.year, self.month, self.day)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("日历")
        self.calendar_button.setToolTip("从日历中选择（也可以按 Alt+↓）")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.show_calendar)
        self.empty_hint = QLabel(empty_text)
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setWordWrap(True)  # in a narrow window, rather than cut off at the edge
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        for part, unit in zip(self.parts, "年月日"):
            layout.addWidget(part)
            layout.addWidget(QLabel(unit))
        layout.addSpacing(4)
        layout.addWidget(self.calendar_button)
        layout.addWidget(self.empty_hint)
        layout.addStretch(1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.year)
        self.set_value(day if day is not None or optional else dt.date.today())

    # ------------------------------------------------------------------ value

    def text(self) -> str:
        """What the field shows, as one text (2026年2月30日), whether or not it is a date."""
        return "".join(f"{part.text()}{unit}" for part, unit in zip(self.parts, "年月日") if part.text())

    def is_empty(self) -> bool:
        return not any(part.text() for part in self.parts)

    def problem(self) -> str:
        if self.optional and self.is_empty():
            return ""
        return date_problem(*(part.text() for part in self.parts))

    def value(self) -> dt.date | None:
        """The date; None for an empty optional field. Refuses (for the form to show) what is not a date."""
        problem = self.problem()
        if problem:
            self._show_problem(problem)
            raise InputRejected(problem, Location(field=self.field_name))
        if self.is_empty():
            return None
        return dt.date(*(int(part.text()) for part in self.parts))

    def set_value(self, day: dt.date | None) -> None:
        for part, number in zip(self.parts, (day.year, day.month, day.day) if day else ("", "", "")):
            part.setText(str(number))
        self._changed()

    def setFocus(self, reason=Qt.FocusReason.OtherFocusReason) -> None:  # noqa: N802 — Qt's name
        """Focus goes to the first part that needs attention (the whole year when it is fine)."""
        target = next((p for p in self.parts if not p.text()), self.year)
        target.setFocus(reason)
        target.selectAll()

    # ------------------------------------------------------------------ typing

    def _part_edited(self, part: _DatePart, text: str) -> None:
        self._typing = True
        if not text.isdigit() and text:
            whole = parse_date_parts(text) if len(text) > 2 else None
            if whole is not None:  # a whole date pasted or committed by an input method
                for target, number in zip(self.parts, whole):
                    target.setText(number)
                self.day.setFocus()
                self.day.end(False)
                self._changed(check=True)
                return
            digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
            part.setText(digits)
            if digits:  # “2026年”: the 年 moves on to the month
                self._advance(part)
            self._changed()
            return
        if len(text) > part.digits:  # typed on without a separator: the extra digits begin the next part
            part.setText(text[: part.digits])
            following = self._next(part)
            if following is not None:
                following.setText(text[part.digits:])
                following.setFocus()
                following.end(False)
            self._changed()
            return
        if self._complete(part, text) and self._next(part) is not None:
            self._advance(part)
            self._just_advanced = True  # so “2026-” or “2026⇥” does not skip the month: it only confirms the move
        self._changed()

    def _complete(self, part: _DatePart, text: str) -> bool:
        """Nothing more can follow: 4 year digits, a month of 2–9 or two digits, a day of 4–9 or two digits."""
        if len(text) >= part.digits:
            return True
        if part is self.month:
            return len(text) == 1 and text > "1"
        if part is self.day:
            return len(text) == 1 and text > "3"
        return False

    def _next(self, part: _DatePart) -> _DatePart | None:
        index = self.parts.index(part)
        return self.parts[index + 1] if index + 1 < len(self.parts) else None

    def _previous(self, part: _DatePart) -> _DatePart | None:
        index = self.parts.index(part)
        return self.parts[index - 1] if index > 0 else None

    def _advance(self, part: _DatePart) -> None:
        following = self._next(part)
        if following is not None:
            following.setFocus()
            following.selectAll()

    def _part_key(self, part: _DatePart, event) -> bool:
        """Handle a key the field decides about; False lets the part's line edit have it."""
        key, text = event.key(), event.text()
        just_advanced, self._just_advanced = self._just_advanced, False
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self._step(part, 1 if key == Qt.Key.Key_Up else -1)
            return True
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return True
        if key == Qt.Key.Key_Backspace and not part.hasSelectedText() and part.cursorPosition() == 0:
            previous = self._previous(part)
            if previous is not None:
                previous.setFocus()
                previous.end(False)
                return True
        if key == Qt.Key.Key_Left and part.cursorPosition() == 0 and not part.hasSelectedText():
            previous = self._previous(part)
            if previous is not None:
                previous.setFocus()
                previous.end(False)
                return True
        if key == Qt.Key.Key_Right and part.cursorPosition() == len(part.text()) and not part.hasSelectedText():
            following = self._next(part)
            if following is not None:
                following.setFocus()
                following.home(False)
                return True
        if text and not text.isdigit() and text.isprintable() and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            self._separator(part, just_advanced)
            return True
        return False

    def _separator(self, part: _DatePart, just_advanced: bool | None = None) -> None:
        """年, 月, -, / or a space: on to the next part, never out of the field, never into the text.
        Right after a part filled up and moved on by itself, the separator only confirms that move."""
        if just_advanced is None:
            just_advanced, self._just_advanced = self._just_advanced, False
        if part.text() and not just_advanced:
            self._advance(part)

    def _step(self, part: _DatePart, delta: int) -> None:
        today = dt.date.today()
        current = int(part.text()) if part.text() else {4: today.year, 2: 0}[part.digits]
        if part is self.year:
            number = min(max(current + delta, MIN_YEAR), MAX_YEAR)
        elif part is self.month:
            number = (current - 1 + delta) % 12 + 1 if part.text() else today.month
        else:
            year = int(self.year.text()) if self.year.text() else today.year
            month = int(self.month.text()) if self.month.text() and 1 <= int(self.month.text()) <= 12 else 1
            days = calendar.monthrange(year, month)[1]
            number = (current - 1 + delta) % days + 1 if part.text() else today.day
        part.setText(str(number))
        part.selectAll()
        self._changed(check=True)

    # ------------------------------------------------------------------ checking

    def _changed(self, *, check: bool = False) -> None:
        """After any edit: a corrected date clears its message at once; a new valid value is announced."""
        problem = self.problem()
        if not problem or check:
            self._show_problem(problem)
        if not problem:
            value = None if self.is_empty() else dt.date(*(int(part.text()) for part in self.parts))
            if value != self._last_value:
                self._last_value = value
                self.value_changed.emit()
        self.empty_hint.setVisible(self.optional and self.is_empty() and bool(self.empty_hint.text()))

    def _part_left(self) -> None:
        # Judged once the focus has settled: moving between the parts is not leaving the field.
        QTimer.singleShot(0, self._check_left)

    def _check_left(self) -> None:
        if not shiboken6.isValid(self):
            return
        focus = QApplication.focusWidget()
        if focus is not None and focus in self.parts:
            return
        self._just_advanced = False  # left by the mouse: a later Tab is a Tab
        self._typing = False
        for part in self.parts:  # show 3 rather than 03, as the printed date does
            if part.text().isdigit() and part is not self.year:
                part.setText(str(int(part.text())))
        self._changed(check=True)
        self.editing_finished.emit()

    def _show_problem(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            for part in self.parts:
                set_style_property(part, "invalid", bool(problem))
            self.problem_changed.emit(problem)

    # ------------------------------------------------------------------ calendar

    def show_calendar(self) -> None:
        menu = QMenu(self)
        calendar_widget = QCalendarWidget()
        calendar_widget.setMinimumDate(QDate(MIN_YEAR, 1, 1))
        calendar_widget.setMaximumDate(QDate(MAX_YEAR, 12, 31))
        calendar_widget.setGridVisible(True)
        problem = self.problem()
        shown = dt.date.today() if problem or self.is_empty() else self.value()
        calendar_widget.setSelectedDate(to_qdate(shown))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar_widget)
        menu.addAction(action)

        def pick(day: QDate) -> None:
            menu.close()
            self.set_value(from_qdate(day))
            self.editing_finished.emit()

        calendar_widget.activated.connect(pick)  # Return or double-click
        calendar_widget.clicked.connect(pick)
        menu.aboutToShow.connect(calendar_widget.setFocus)
        menu.popup(self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft()))
        self.calendar = calendar_widget  # for tests and for a second look


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


def _tab_stops(widget: QWidget) -> list[QWidget]:
    """The widgets Tab stops at for one form field: the field itself (through its focus proxies),
    or, for a row of radio buttons and the like, each of them."""
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return [widget]
    return [w for w in widget.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.focusProxy() is None]


class KeepsTypedInput:
    """For a QDialog (listed before it): 取消, Esc and the close button do not throw away what was typed
    without asking. What the fields hold when the dialog first shows is what closing may lose nothing of."""

    _filled: list | None = None  # the fields as first shown; None once accepted or rejected

    def showEvent(self, event) -> None:  # noqa: N802 — Qt's name
        first_show = self._filled is None
        super().showEvent(event)
        if first_show:
            self.first_shown()
            self._filled = self._field_values()

    def first_shown(self) -> None:
        """Set the dialog up once it has its final widgets (focus, tab order)."""

    def _field_values(self) -> list:
        """What the clerk has typed or chosen, to tell whether closing would throw something away."""
        values: list = []
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit) and not isinstance(widget.parent(), QComboBox):
                values.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                values.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentText())
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                values.append(widget.isChecked())
        return values

    def has_typed_input(self) -> bool:
        return self._filled is not None and self._field_values() != self._filled

    def accept(self) -> None:
        self._filled = None
        super().accept()

    def reject(self) -> None:
        """取消, Esc or the window's close button: what was typed is not thrown away without asking."""
        if self.has_typed_input() and not messages.confirm(
            self, "放弃填写的内容？", "在这个窗口中填写的内容还没有保存，关闭后将丢失。", "放弃", destructive=True
        ):
            return
        self._filled = None
        super().reject()


class FormDialog(KeepsTypedInput, QDialog):
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

    def first_shown(self) -> None:
        self._fields_before_buttons()

    def _fields_before_buttons(self) -> None:
        """Tab goes through the fields in form order, then to the buttons; the first field has the focus.

        Subclasses add their fields after the button box exists, so Qt's own order (creation) would
        start at 取消 — which, focused, became the default button: Return in a field then cancelled.
        """
        fields: list[QWidget] = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is not None and item.widget() is not None:
                fields.extend(_tab_stops(item.widget()))
        chain = [*fields, *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        keep_default(self.buttons, self.ok_button)
        focus = self.initial_focus() or next((w for w in fields if w.isEnabled()), None)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.TabFocusReason)

    def initial_focus(self) -> QWidget | None:
        """Where typing starts; None: the first field."""
        return None

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
        height = MessageHeight.of(self)
        height.changing()
        if field in self.form.rows:
            self.form.show_problems({field: exc.reason})
            self.error.hide()
            self.form.rows[field].setFocus()
        else:
            self.form.show_problems({})
            self.error.setText(str(exc))
            self.error.show()
        height.fit()


def keep_default(buttons: QWidget, default: QPushButton) -> None:
    """Return in any field of the dialog presses ``default``, also after the clerk clicked it.

    No push button among ``buttons`` (a button box, or a whole dialog) takes the default by getting
    the focus (autoDefault): 取消 focused at the start made Return in a field cancel; and a button
    made the default before its box was in the dialog is not the one the dialog goes back to, so
    保存, clicked and refused (the cursor back in the field), lost the default with the focus and
    Return did nothing.
    """
    for button in buttons.findChildren(QPushButton):
        button.setAutoDefault(False)
    default.setDefault(True)


def align_label_columns(*forms: QFormLayout) -> None:
    """One label column for forms stacked in one window: each QFormLayout sizes its own to its
    longest label, and the fields of a short form would start left of those above it."""
    labels = [item.widget() for form in forms for row in range(form.rowCount())
              if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None and item.widget()]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def _needed_height(window: QWidget, width: int) -> int:
    layout = window.layout()
    layout.activate()
    return layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()


def grow_to_fit(window: QWidget, width: int | None = None) -> None:
    """Give ``window`` the height its wrapped labels need.

    A top-level window does not grow by itself for a wrapped label, and squeezes the
    text instead (its first and last lines were cut off). With ``width``: the window's
    first size, that wide; without: it only grows, at its present width.
    """
    floor = 0 if width else window.height()
    width = width or window.width()
    needed = _needed_height(window, width)
    if needed > floor or width != window.width():
        window.resize(width, max(needed, floor))


class MessageHeight(QObject):
    """Keeps a dialog as tall as its messages need: taller for a message just shown (it would squeeze
    the field above it), back down once it went (a gap stayed above the buttons), never below the
    height the dialog was given — its first, or the one the clerk dragged it to."""

    @classmethod
    def of(cls, window: QWidget) -> "MessageHeight":
        keeper = window.findChild(cls, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return keeper if keeper is not None else cls(window)

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._given = window.height()
        self._fitted: int | None = None
        self._pending = False

    def changing(self) -> None:
        """Before a message appears or goes. Qt may grow the dialog at once for a message shown, so
        the given height is read before the first change of a round; the fit follows the layout."""
        if self._pending:
            return
        height = self.parent().height()
        if height != self._fitted:  # not set by fit(): the first height, or the clerk's
            self._given = height
        self._pending = True
        QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        self._pending = False
        window = self.parent()
        height = max(_needed_height(window, window.width()), self._given)
        if height != window.height():
            window.resize(window.width(), height)
        self._fitted = window.height()


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
