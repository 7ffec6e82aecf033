"""Icons and the style sheet shipped in ``resources/``."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from qingqing_desktop.install_paths import resources_dir


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def style_sheet() -> str:
    return (resources_dir() / "style.qss").read_text(encoding="utf-8")
