"""Where the shipped data folders (forms/, resources/) are, from source or in the frozen app."""

from __future__ import annotations

import functools
import sys
from pathlib import Path


@functools.cache  # asked for every icon of the first window; resolving the path each time showed
def _root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder build
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return _root() / "forms"


def resources_dir() -> Path:
    return _root() / "resources"
