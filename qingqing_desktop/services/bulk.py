"""Work on thousands of rows at once (a roster import), without the garbage collector's pauses."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_held = 0  # blocks running now, on any thread
_held_lock = threading.Lock()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off Python's automatic cyclic garbage collection for the block.

    Reading a sheet of thousands of rows allocates hundreds of thousands of objects that
    live on, so the collector keeps starting and walking everything the process holds —
    a tenth of a roster import's time here. Those objects form no cycles worth chasing within
    the block; anything it leaves behind is collected as usual afterwards. Collection is
    switched back on only if it was on: the GUI keeps it off and collects on its own
    thread (``ui.common.gui_thread_gc``), which waits while any such block runs
    (``collection_held``) — on a worker thread too, where the GUI thread's collection would
    stop the reading for as long as it walks the heap.
    """
    global _held
    was_enabled = gc.isenabled()
    gc.disable()
    with _held_lock:
        _held += 1
    try:
        yield
    finally:
        with _held_lock:
            _held -= 1
        if was_enabled:
            gc.enable()


def collection_held() -> bool:
    """True while a ``collection_paused`` block runs on some thread."""
    return _held > 0
