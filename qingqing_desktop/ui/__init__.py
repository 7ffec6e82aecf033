"""The desktop GUI (PySide6). The only package that may import Qt."""

from qingqing_desktop.ui.common.none_refcount_guard import protect_none
from qingqing_desktop.ui.common.pyside_feature_check import speed_up_feature_check

# Before any Qt call can hand back a borrowed None (see none_refcount_guard).
protect_none()
# Before the GUI's own modules are imported (see pyside_feature_check).
speed_up_feature_check()
