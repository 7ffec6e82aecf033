"""What every page of the main window shares: a title line and a short explanation under it."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from qingqing_desktop.ui.common.workspace import Workspace


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
        # Always there, so a page whose explanation depends on the data can change it.
        self.explanation_label = QLabel(self.explanation)
        self.explanation_label.setObjectName("pageExplanation")
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setVisible(bool(self.explanation))
        self.body.addWidget(self.explanation_label)

    def set_explanation(self, text: str) -> None:
        self.explanation_label.setText(text)
        self.explanation_label.setVisible(bool(text))

    def status_text(self) -> str:
        """Counts for the status bar while this page is shown; "" leaves the roster counts there."""
        return ""


def action_button(action: QAction, *, object_name: str = "") -> QPushButton:
    """A push button that does what ``action`` does and follows its text, tooltip and enabled state,
    so a page's buttons and the menu bar never disagree about what can be done."""
    button = QPushButton(action.text())
    if object_name:
        button.setObjectName(object_name)
    button.clicked.connect(action.trigger)

    def follow() -> None:
        button.setText(action.text())
        tip = action.toolTip()  # Qt's default tooltip is the text itself: no use on a button that shows it
        button.setToolTip("" if tip.rstrip(".…") == action.text().rstrip(".…") else tip)
        button.setEnabled(action.isEnabled())

    action.changed.connect(follow)
    follow()
    return button
