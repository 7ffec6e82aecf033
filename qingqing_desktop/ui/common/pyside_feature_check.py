"""Make PySide6's look at every newly imported module cheap.

PySide6 (PYSIDE-2029) decides for each module imported after it whether that module uses
PySide, to scope its ``from __feature__ import …`` switches: it reads the module's whole
source through ``inspect.getsource`` (the line cache, an encoding scan) and looks for the
word "PySide6". At start-up that is a seventh of the time spent importing the app's modules.
The same question is answered here by reading the file's bytes; anything that is not a plain
.py file is left to PySide's own check. If PySide6 no longer has the hook, nothing is done.
"""

from __future__ import annotations

import sys


def speed_up_feature_check() -> bool:
    """Replace PySide6's per-module source check by an equivalent byte search; returns whether done."""
    import PySide6.QtCore  # noqa: F401, PLC0415 — installs shibokensupport.feature

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_bytes", False):
        return False

    def mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    mod_uses_pyside.reads_bytes = True
    feature._mod_uses_pyside = mod_uses_pyside
    return True
