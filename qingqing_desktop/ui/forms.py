"""Form rows that show a field's problem right under the field, in the domain's own words."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget


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
