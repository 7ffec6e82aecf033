"""Start-up, whole process: the GUI to a usable window, and ``qingqing-cli unit show``, each against a floor.

    .venv/bin/python tools/bench_startup.py                     # 20 and 5,000 people, median of 7
    .venv/bin/python tools/bench_startup.py --people 20 --runs 15

GUI: a fresh interpreter runs the app's own ``main()`` on a database of N people
(made through the real Excel import); the clock stops at the first event the app
processes once a visible table holding all N people has painted them — the window is
shown, populated, drawn and answering events. The floor is a bare PySide6 window with one
QTableView over the same N rows read with sqlite3, timed the same way.

CLI: ``qingqing-cli --db … unit show`` as a whole process, against a process that
starts Python, opens the same database with sqlite3 and reads the unit.
``python -c pass`` is shown for reference.

After one untimed run of each, app and floor runs alternate, so a busy machine slows
both alike; each figure is the median of ``--runs`` runs. Qt runs offscreen unless ``--platform`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import OFFSCREEN, make_unit_database, median  # noqa: E402

from qingqing_desktop.cli.output import print_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# Shared by the app and the floor: once a visible table shows all the rows and has painted them (the
# clerk sees the people), report at the next event and stop at once. Qt paints after the first timer
# fires, so finding the table is not enough; its viewport is watched for the paint that follows.
_WAIT_FOR_TABLE = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView
_EXPECTED = int(os.environ["BENCH_ROWS"])
class _Painted(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            _Painted.done = True
        return False
_painted = _Painted()
_table = None
def _usable():
    global _table
    if _Painted.done:
        sys.stdout.write("usable\n")
        sys.stdout.flush()
        os._exit(0)
    if _table is None:
        for widget in QApplication.allWidgets():
            if isinstance(widget, QTableView) and widget.isVisible() and widget.model() is not None \
                    and widget.model().rowCount() == _EXPECTED:
                _table = widget
                _table.viewport().installEventFilter(_painted)
                _table.viewport().update()  # a paint after this point, even if one happened before
                break
    QTimer.singleShot(0, _usable)
"""

APP = _WAIT_FOR_TABLE + r"""
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, _usable)
from qingqing_desktop.ui.app import main
sys.exit(main(["qingqing", "--db", os.environ["BENCH_DB"]]))
"""

FLOOR = _WAIT_FOR_TABLE + r"""
import ctypes, sqlite3
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QMainWindow
ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40  # PySide6 6.12 and None (as the app does)
app = QApplication(sys.argv[:1])
rows = sqlite3.connect(os.environ["BENCH_DB"]).execute(
    "SELECT name, rank, title, post, party_member, status, note FROM staff WHERE deleted_at IS NULL").fetchall()
class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(rows)
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 7
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return str(rows[index.row()][index.column()]) if role == Qt.ItemDataRole.DisplayRole else None
window = QMainWindow()
view = QTableView()
view.setModel(Model(view))
window.setCentralWidget(view)
window.resize(1200, 760)
window.show()
QTimer.singleShot(0, _usable)
app.exec()
"""

CLI = "import sys; from qingqing_desktop.cli import main; sys.exit(main())"
CLI_FLOOR = (  # sqlite3, as the store opens and reads a database (sqlite-utils only loads for a write)
    "import sqlite3, sys; "
    "print(sqlite3.connect(sys.argv[1]).execute('SELECT name, kind, leader FROM unit').fetchall())"
)


def _time_gui(code: str, env: dict) -> float:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait()
    if line.strip() != "usable":
        raise SystemExit(f"the window never became usable:\n{process.stderr.read()}")
    return elapsed


def _time_process(arguments: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{arguments} failed:\n{done.stderr}")
    return elapsed


def _alternate(runs: int, app, floor) -> tuple[float, float, float]:
    """Medians of the app's and the floor's runs, and the median of each run's own ratio (the app over
    the floor run just after it): on a shared machine whose speed drifts, a pair sees the same speed,
    the two medians may not (as bench_import.py prints it)."""
    app(), floor()  # warm-up, untimed: byte code written, files in the page cache
    apps, floors = [], []
    for _ in range(runs):
        apps.append(app())
        floors.append(floor())
    return median(apps), median(floors), median([a / f for a, f in zip(apps, floors)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[20, 5000])
    parser.add_argument("--runs", type=int, default=7, help="runs of each process; the median is shown")
    parser.add_argument("--platform", default=OFFSCREEN, help="QT_QPA_PLATFORM for the GUI runs")
    parser.add_argument("--no-cli", action="store_true", help="only the GUI")
    args = parser.parse_args(argv)
    table = []
    with tempfile.TemporaryDirectory(prefix="qq-bench-start-", dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": args.platform, "QINGQING_DATA_DIR": str(folder / "data"),
               "QINGQING_OPERATOR": "基准测试"}
        env.pop("QINGQING_DB", None)
        # A clerk who gave their name (as the first start asks): without it, each run's window would ask
        # for one over itself (a dialog the clerk sees once), and a run ends before the answer is saved.
        (folder / "data").mkdir(exist_ok=True)
        (folder / "data" / "settings.ini").write_text("[General]\noperator_name=基准测试\noperator_asked=true\n",
                                                      encoding="utf-8")
        # An installed program runs from compiled byte code (PyInstaller bundles it): the warm-up run
        # writes it, as the first start after installing would.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        databases = {n: make_unit_database(folder / f"unit-{n}.sqlite3", n, folder=folder) for n in args.people}
        for people, db in databases.items():
            gui_env = {**env, "BENCH_DB": str(db), "BENCH_ROWS": str(people)}
            app, floor, paired = _alternate(args.runs, lambda: _time_gui(APP, gui_env),
                                            lambda: _time_gui(FLOOR, gui_env))
            table.append([f"图形界面启动到可用窗口（{people}人）", f"{app:.3f}", f"{floor:.3f}", f"{app / floor:.1f}",
                          f"{paired:.1f}", "2.0"])
        if not args.no_cli:
            db = str(databases[args.people[0]])
            app, floor, paired = _alternate(
                args.runs * 2,
                lambda: _time_process(["-c", CLI, "--db", db, "unit", "show"], env),
                lambda: _time_process(["-c", CLI_FLOOR, db], env),
            )
            bare = median([_time_process(["-c", "pass"], env) for _ in range(args.runs * 2)])
            table.append(["qingqing-cli unit show", f"{app:.3f}", f"{floor:.3f}", f"{app / floor:.1f}", f"{paired:.1f}",
                          "3.0"])
            table.append(["（参考）python -c pass", f"{bare:.3f}", "—", "—", "—", "—"])
    print_table(["场景", "程序（秒）", "基线（秒）", "倍数", "成对倍数", "目标（倍）"], table)
    print(f"每项为 {args.runs} 次（命令行 {args.runs * 2} 次）整个进程运行的中位数；程序与基线交替运行。"
          "成对倍数：每次运行的程序用时 ÷ 紧接着测的基线，取中位数。"
          "图形界面基线：只有一个表格的 PySide6 窗口显示同样的行；命令行基线：启动 Python 并用 sqlite3 打开同一数据库读出单位。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
