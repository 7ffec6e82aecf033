"""Work on thousands of rows at once (a roster import), without the garbage collector's pauses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off Python's automatic cyclic garbage collection for the block.

    Reading a sheet of thousands of rows allocates hundreds of thousands of objects that
    live on, so the collector keeps starting and walking everything the process holds —
    a tenth of a roster import's time here. Those objects form no cycles worth chasing within
    the block; anything it leaves behind is collected as usual afterwards. Collection is
    switched back on only if it was on: the GUI keeps it off and collects on its own
    thread (``ui.common.gui_thread_gc``).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
