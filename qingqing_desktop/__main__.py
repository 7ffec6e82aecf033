"""``python -m qingqing_desktop`` starts the GUI."""

import sys

from qingqing_desktop.ui.app import main

sys.exit(main())
