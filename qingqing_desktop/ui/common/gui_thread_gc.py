"""Python's cyclic garbage collector, run only on the GUI thread.

Automatic collection starts in whichever thread happens to allocate — often a
background job rendering a PDF — and can then destroy Qt wrappers on that
thread, which Qt forbids; a test run crashed that way. As calibre and
pyqtgraph do, automatic collection is switched off and a timer on the GUI
thread collects whenever the counts pass the usual thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(INTERVAL_MS)

    def collect_if_due(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):  # the oldest due generation also collects the younger ones
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return
