"""Python's cyclic garbage collector, run only on the GUI thread.

Automatic collection starts in whichever thread happens to allocate — often a
background job rendering a PDF — and can then destroy Qt wrappers on that
thread, which Qt forbids; a test run crashed that way. As calibre and
pyqtgraph do, automatic collection is switched off and a timer on the GUI
thread collects whenever the counts pass the usual thresholds.

Two things CPython's own collector does are kept. It walks the whole heap (the oldest
generation) only now and then — when the objects it holds have grown by a quarter —
not every time the count says so: here a full collection waits until ``FULL_SPACING``
times its last duration has passed (with 5,000 people on the roster one walks about a
million objects, 0.1–0.2 s during which the window does not respond). And no collection
starts while a bulk job holds it off (``services.bulk.collection_paused``): the worker
reading a roster of thousands would stop for as long as the walk takes.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

from qingqing_desktop.services.bulk import collection_held

INTERVAL_MS = 500
FULL_SPACING = 50  # a full collection's duration × this must pass before the next: at most 2% of the time


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject, *, clock=time.monotonic):
        super().__init__(parent)
        gc.disable()
        self._clock = clock
        self._next_full = 0.0  # the clock's reading before which the oldest generation is not collected
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(INTERVAL_MS)

    def collect_if_due(self) -> None:
        if collection_held():
            return  # once the bulk job is done
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[2] > thresholds[2] and self._clock() >= self._next_full:
            started = self._clock()
            gc.collect(2)
            self._next_full = self._clock() + FULL_SPACING * (self._clock() - started)
            return
        for generation in (1, 0):  # the oldest due generation also collects the younger one
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return
