"""Icons and the style sheet shipped in ``resources/``."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from qingqing_desktop.install_paths import resources_dir


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def style_sheet() -> str:
    return (resources_dir() / "style.qss").read_text(encoding="utf-8")


def set_style_property(widget: QWidget, name: str, value) -> None:
    """Set a dynamic property the style sheet selects on (``QLabel[state="locked"]``) and re-apply the sheet,
    to the widget's descendants too: Qt re-applies it to the widget alone, and a rule such as
    ``QGroupBox[incomplete="true"] QLabel`` left a filled row's state in the unfilled colour."""
    widget.setProperty(name, value)
    style = widget.style()
    for each in (widget, *widget.findChildren(QWidget)):
        style.unpolish(each)
        style.polish(each)
