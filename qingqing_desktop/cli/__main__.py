"""``python -m qingqing_desktop.cli`` is qingqing-cli."""

import sys

from qingqing_desktop.cli import main

sys.exit(main())
