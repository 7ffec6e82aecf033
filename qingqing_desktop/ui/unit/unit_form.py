"""The unit's fields (单位名称, 类型, 负责人, 联系人, 电话), shared by the first-start dialog and the 单位信息 page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from qingqing_desktop.domain.unit import UNIT_FIELD_LABELS, Unit, UnitKind, kind_suggested_by_name, validate_unit
from qingqing_desktop.ui.common.forms import EnumComboBox, ValidatedForm

_PLACEHOLDERS = {
    "name": "如：行政审批科、质量监督站、城东分局",
    "leader": "单位主要负责人姓名",
    "contact": "负责本次填报的联系人",
    "phone": "如：0577-63726000 或手机号",
}


class UnitForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = ValidatedForm(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self._touched: set[str] = set()
        self._edits: dict[str, QLineEdit] = {}
        for key in ("name", "kind", "leader", "contact", "phone"):
            if key == "kind":
                self.kind = EnumComboBox(UnitKind)
                self.kind.activated.connect(lambda _index: self._touched.add("kind"))
                self.kind.currentIndexChanged.connect(self.edited)
                self.form.add_field(key, f"{UNIT_FIELD_LABELS[key]}：", self.kind)
                continue
            edit = QLineEdit()
            edit.setPlaceholderText(_PLACEHOLDERS[key])
            edit.textEdited.connect(lambda _text, key=key: self._touched.add(key))
            edit.textChanged.connect(self.edited)
            self._edits[key] = edit
            required = " *" if key in ("name", "leader") else ""
            self.form.add_field(key, f"{UNIT_FIELD_LABELS[key]}{required}：", edit)
        self._edits["name"].textEdited.connect(self._suggest_kind)
        self.edited.connect(self._show_problems)

    def _suggest_kind(self, name: str) -> None:
        """质监站 → 站, 城东分局 → 分局, as the name is typed, until the clerk picks a type by hand."""
        suggested = kind_suggested_by_name(name)
        if suggested is not None and "kind" not in self._touched:
            self.kind.set_value(suggested)

    def edit(self, key: str) -> QLineEdit:
        return self._edits[key]

    def set_unit(self, unit: Unit) -> None:
        for key, edit in self._edits.items():
            edit.setText(getattr(unit, key))
        self.kind.set_value(unit.kind)
        self._touched.clear()
        self._show_problems()

    def refresh_untouched(self, unit: Unit) -> None:
        """The stored values for the fields the user has not typed in (after a change made elsewhere)."""
        touched = set(self._touched)
        for key, edit in self._edits.items():
            if key not in touched:
                edit.setText(getattr(unit, key))
        if "kind" not in touched:
            self.kind.set_value(unit.kind)
        self._touched = touched
        self._show_problems()

    def fields(self) -> dict:
        """Keyword arguments for ``unit_service.save_unit``."""
        values = {key: edit.text() for key, edit in self._edits.items()}
        return {**values, "kind": self.kind.value()}

    def problems(self) -> dict[str, str]:
        return validate_unit(Unit(**self.fields()))

    def is_valid(self) -> bool:
        return not self.problems()

    def show_every_problem(self) -> bool:
        """Say what is missing or wrong in every field, untouched ones too, and put the cursor in the
        first of them (what 确定 pressed too early gets); True if there is nothing to say."""
        problems = self.problems()
        self._touched.update(problems)
        self._show_problems()
        first = next((key for key in self._edits if key in problems), None)
        if first is not None:
            self._edits[first].setFocus(Qt.FocusReason.OtherFocusReason)
        return not problems

    def _show_problems(self) -> None:
        # An empty required field on a fresh form is not an error yet: only speak about touched fields.
        self.form.show_problems(self.problems(), only=self._touched)
