"""The desktop GUI (PySide6). The only package that may import Qt."""

from qingqing_desktop.ui.common.none_refcount_guard import protect_none

# Before any Qt call can hand back a borrowed None (see none_refcount_guard).
protect_none()
