"""What every page of the main window shares: a title line and a short explanation under it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qingqing_desktop.ui.workspace import Workspace


class Page(QWidget):
    """A page in the main window's navigation. Subclasses set ``title`` and ``icon_name``."""

    title = ""
    icon_name = ""  # resources/icons/<icon_name>.svg
    explanation = ""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = workspace
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 18, 24, 12)
        self.body.setSpacing(10)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        self.body.addWidget(heading)
        if self.explanation:
            explanation = QLabel(self.explanation)
            explanation.setObjectName("pageExplanation")
            explanation.setWordWrap(True)
            self.body.addWidget(explanation)

    def status_text(self) -> str:
        """Counts for the status bar while this page is shown; "" leaves the roster counts there."""
        return ""
