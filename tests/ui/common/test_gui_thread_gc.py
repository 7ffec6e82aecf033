"""The GUI thread's garbage collector: full collections spaced out, none while a bulk job runs."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from qingqing_desktop.services.bulk import collection_paused
from qingqing_desktop.ui.common import gui_thread_gc
from qingqing_desktop.ui.common.gui_thread_gc import FULL_SPACING, GuiThreadGarbageCollector


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def collector(qapp, monkeypatch, counts, clock, seconds_per_collection=0.2):
    collected: list[int] = []

    def collect(generation):
        collected.append(generation)
        clock.now += seconds_per_collection

    monkeypatch.setattr(gui_thread_gc.gc, "collect", collect)
    monkeypatch.setattr(gui_thread_gc.gc, "get_count", lambda: counts)
    parent = QObject()
    monkeypatch.setattr(gui_thread_gc.gc, "disable", lambda: None)  # the suite's own setting stays as it is
    gc_collector = GuiThreadGarbageCollector(parent, clock=clock)
    gc_collector._timer.stop()  # noqa: SLF001 — the test calls it itself
    return gc_collector, collected, parent


def test_a_full_collection_waits_for_fifty_times_its_own_duration(qapp, monkeypatch):
    clock = FakeClock()
    gc_collector, collected, _parent = collector(qapp, monkeypatch, (800, 11, 11), clock)
    gc_collector.collect_if_due()
    assert collected == [2]  # took 0.2 s: the next not before 10 s from now
    clock.now += FULL_SPACING * 0.2 - 1
    gc_collector.collect_if_due()
    assert collected == [2, 1]  # meanwhile the younger generations, as due
    clock.now += 1
    gc_collector.collect_if_due()
    assert collected == [2, 1, 2]


def test_nothing_is_collected_while_a_bulk_job_runs_on_another_thread(qapp, monkeypatch):
    gc_collector, collected, _parent = collector(qapp, monkeypatch, (800, 0, 0), FakeClock())
    inside, leave = threading.Event(), threading.Event()

    def job():
        with collection_paused():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=job)
    worker.start()
    try:
        assert inside.wait(10)
        gc_collector.collect_if_due()
        assert collected == []
    finally:
        leave.set()
        worker.join(10)
    gc_collector.collect_if_due()
    assert collected == [0]
