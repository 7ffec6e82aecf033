"""Save the whole X screen (e.g. Xvfb's, with the program under test running on it) as a PNG.

    DISPLAY=:99 .venv/bin/python tools/screen_grab.py shot.png
"""

import sys

from PySide6.QtGui import QGuiApplication

if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    picture = QGuiApplication.primaryScreen().grabWindow(0)
    if not picture.save(sys.argv[1]):
        sys.exit(f"could not save {sys.argv[1]}")
    print(f"{sys.argv[1]}: {picture.width()}×{picture.height()}")
