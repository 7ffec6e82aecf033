"""Guard against a reference-counting bug in PySide6 6.12 on Python 3.11.

Every empty QVariant that PySide6 6.12 converts to Python ``None`` (for example
``QModelIndex.data(role)`` for a role the model does not answer, or
``QComboBox.currentData()`` on an item without data) returns ``None`` without
taking a reference to it. Each call lowers None's reference count by one; after
enough calls — a clerk scrolling and sorting for an afternoon, or a long test
run — the count reaches zero and the interpreter aborts with
"none_dealloc: deallocating None".

The same happens, more rarely, to True and False (seen as "bool_dealloc: deallocating True or
False" when a long test run ended: a Python ``event()`` override answering Qt is one way in).
Python 3.12 made None, True and False immortal, so the bug is harmless there. On 3.11 we give
None the same protection: a very large number of extra references, added once
at start-up, so the count can never reach zero. The code also avoids the
round trips where it can (the models answer their own Python calls directly);
this guard catches the rest, including Qt's own widgets.
``tests/ui/test_none_refcount_guard.py`` shows whether PySide6 still has the
bug, so the guard can be removed once a fixed PySide6 is required.
"""

from __future__ import annotations

import ctypes
import sys

# Far more than any session can leak (one per call), far from overflowing Py_ssize_t.
EXTRA_REFERENCES = 1 << 40


def protect_none() -> bool:
    """Make None, True and False effectively immortal on Python < 3.12; returns whether anything was done."""
    if sys.version_info >= (3, 12) or getattr(sys, "_qingqing_none_protected", False):
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += EXTRA_REFERENCES
    sys._qingqing_none_protected = True  # once per process, even if imported twice
    return True
