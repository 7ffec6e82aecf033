"""亲清填报 — offline filing for the “三清单一承诺” action.

Layers (arrows point down only): ui → services → exchange/documents → store → domain.
Only ``qingqing_desktop.ui`` may import PySide6.
"""

__version__ = "0.1.0"
APP_NAME = "亲清填报"
APP_ID = "qingqing_desktop"
ORG_NAME = "qingqing"
