"""What every page of the main window shares: a title line and a short explanation under it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.ui.common.access_keys import plain_text
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


class ElidedLabel(QLabel):
    """One line of text that ends in “…” where the window is too narrow for all of it (a long
    campaign title on a 1024-pixel screen), instead of being cut off mid-character; the whole
    text is its tooltip then."""

    NARROWEST = 120

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 — Qt's name
        self._full = text
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        """The whole text, whatever part of it is shown."""
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + self.contentsMargins().left()
                     + self.contentsMargins().right() + 2, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(self.NARROWEST, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        super().setText(shown)
        super().setToolTip(self._full if shown != self._full else "")


class PageScroll(QScrollArea):
    """A page's content scrolling up and down, without a frame.

    ``sideways``: may scroll sideways too (a column capped at a readable width). Otherwise it
    never does, and ``fit_width`` keeps it at least as wide as its content needs (a row of
    buttons): a splitter beside it or a 1024-pixel screen then takes the room from elsewhere
    instead of cutting the content off at the right.
    """

    def __init__(self, content: QWidget, *, sideways: bool = False, fit_width: bool = False):
        super().__init__()
        self.setObjectName("pageScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        if not sideways:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_width = fit_width
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt's name
        hint = super().minimumSizeHint()
        if not self._fit_width or self.widget() is None:
            return hint
        # Measured when asked, after the style sheet has set the fonts (not when built).
        needed = (self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                  + 2 * self.frameWidth())
        return QSize(max(hint.width(), needed), hint.height())


def action_button(action: QAction, *, object_name: str = "") -> QPushButton:
    """A push button that does what ``action`` does and follows its text, tooltip and enabled state,
    so a page's buttons and the menu bar never disagree about what can be done."""
    button = QPushButton()
    if object_name:
        button.setObjectName(object_name)
    button.clicked.connect(action.trigger)

    def follow() -> None:
        text = plain_text(action.text())  # the menu's access key (“(&F)”) would be an Alt+F of the button's own
        button.setText(text)
        tip = action.toolTip()  # Qt's default tooltip is the text itself: no use on a button that shows it
        button.setToolTip("" if tip.rstrip(".…") == text.rstrip(".…") else tip)
        button.setEnabled(action.isEnabled())

    action.changed.connect(follow)
    follow()
    return button


class ReturnPressesButtons(QObject):
    """Return (or Enter) on a focused button of the main window presses it, as Space does.

    Qt's push and tool buttons take Return only in a dialog (as its default button), so in the window
    Return on 新建模板…, reached with Tab, did nothing. A key the focused button ignores comes up to
    its window, so this is installed once, on the main window; dialogs keep Qt's own rule (Return
    there presses the default button). Ticks and radio buttons keep theirs too: Space changes them.
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            button = self._window.focusWidget()
            if (isinstance(button, QAbstractButton) and not isinstance(button, (QCheckBox, QRadioButton))
                    and button.isEnabled() and button.isVisible()):
                button.click()
                return True
        return False
