"""PySide6's per-module check, made cheap at start-up, answers as PySide's own does."""

from __future__ import annotations

import inspect
import sys

import qingqing_desktop.domain.names as no_pyside
import qingqing_desktop.ui.common.workspace as uses_pyside
from qingqing_desktop.ui.common.pyside_feature_check import speed_up_feature_check


def test_the_gui_package_installs_the_byte_search_once():
    feature = sys.modules["shibokensupport.feature"]
    assert getattr(feature._mod_uses_pyside, "reads_bytes", False)  # done by importing qingqing_desktop.ui
    assert speed_up_feature_check() is False  # and only once


def test_the_byte_search_answers_as_the_source_search():
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    for module in (uses_pyside, no_pyside, inspect, sys):
        try:
            expected = "PySide6" in inspect.getsource(module)
        except (TypeError, OSError):
            expected = False
        assert check(module) is expected, module.__name__
    assert check(uses_pyside) and not check(no_pyside)
