"""Search per keystroke: the roster (人员名单) of 5,000 people and the office board (报送情况) of 2,000 units.

    .venv/bin/python tools/bench_search.py                        # 5,000 people, 2,000 units, 3 rounds
    .venv/bin/python tools/bench_search.py --people 1000 --units 300 --rounds 5

The app's own pages (RosterPage, BoardPage) on databases made through the real
services are shown offscreen; queries are typed into their search box one key at a
time with QTest, a Chinese character as a pinyin input method commits it (then erased
with Backspace, one key at a time), and each keystroke
is timed until the events it caused — filtering, re-sorting, repainting — are done.
The floor, in the same run: a bare QSortFilterProxyModel over a QStandardItemModel
holding the same texts, sorted on the name column, filtering with a regular expression
from a QLineEdit, typed into the same way. Its filter column (hidden) holds what the app
searches — the name, post and title, then the name's initials and full pinyin — and the
expression asks what the app asks (the query in a field, or at the start of the initials or
the pinyin), so both tables show the same people after each key (a floor that finds nobody
for “zh” would be no floor).

Prints the median and the worst keystroke over ``--rounds`` rounds of every query.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import OFFSCREEN, make_office_database, make_unit_database, median  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", OFFSCREEN)

import qingqing_desktop.ui  # noqa: E402,F401  (guards None before any Qt call)
from qingqing_desktop.cli.output import print_table  # noqa: E402

ROSTER_QUERIES = ("zhang", "zw", "质量", "li")
BOARD_QUERIES = ("cd", "城东", "fj", "第3")


def _type_and_erase(line_edit, queries: tuple[str, ...], rounds: int) -> list[float]:
    """Seconds per keystroke: each query typed key by key, then erased key by key."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtGui import QInputMethodEvent  # noqa: PLC0415
    from PySide6.QtTest import QTest  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    def key(char: str) -> None:
        if char.isascii():
            QTest.keyClicks(line_edit, char)
        else:  # a Chinese character arrives as an input method's commit, as from a pinyin IME
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(line_edit, event)

    def timed(press: Callable[[], None]) -> float:
        start = time.perf_counter()
        press()
        QApplication.processEvents()
        return time.perf_counter() - start

    line_edit.setFocus()
    QApplication.processEvents()
    times = []
    for _ in range(rounds):
        for query in queries:
            for char in query:
                times.append(timed(lambda c=char: key(c)))
            for _char in query:
                times.append(timed(lambda: QTest.keyClick(line_edit, Qt.Key.Key_Backspace)))
            assert line_edit.text() == ""
    return times


def _floor_window(texts: list[list[str]], keys: list[str], headers: list[str], name_column: int):
    """A bare table: QStandardItemModel, QSortFilterProxyModel sorted on the name column and
    filtered on a hidden column of search texts."""
    from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt  # noqa: PLC0415
    from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: PLC0415
    from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget  # noqa: PLC0415

    model = QStandardItemModel(len(texts), len(headers) + 1)
    model.setHorizontalHeaderLabels([*headers, "搜索"])
    for row, values in enumerate(texts):
        for column, text in enumerate([*values, keys[row]]):
            model.setItem(row, column, QStandardItem(text))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(len(headers))
    window = QWidget()
    search = QLineEdit()

    def refilter(typed: str) -> None:  # in a field, or at the start of the initials or the pinyin
        query = QRegularExpression.escape(typed.casefold())
        proxy.setFilterRegularExpression(f"^[^\\x02]*{query}|\\x02{query}|\\x03{query}" if query else "")

    search.textChanged.connect(refilter)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(name_column, Qt.SortOrder.AscendingOrder)
    view.setColumnHidden(len(headers), True)
    layout = QVBoxLayout(window)
    layout.addWidget(search)
    layout.addWidget(view)
    window._keep = (model, proxy)  # noqa: SLF001
    return window, search


def _texts(model) -> tuple[list[list[str]], list[str], list[str]]:
    """The model's cells as text, each row's search text (fields, pinyin, initials) and the headers."""
    from PySide6.QtCore import Qt  # noqa: PLC0415

    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    rows = [[str(model.data(model.index(r, c)) or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    keys = [f"{key.texts}\x02{key.initials}\x03{key.pinyin}" for key in model.search_keys()]
    return rows, keys, headers


def _measure(page, search, name_column: int, queries: tuple[str, ...], rounds: int) -> tuple[list[float], list[float]]:
    texts, keys, headers = _texts(page.model)
    floor, floor_search = _floor_window(texts, keys, headers, name_column)
    for widget in (page, floor):
        widget.resize(1200, 760)
        widget.show()
    # As a clerk finds the page: shown, painted, and its search keys prepared while idle (the first
    # moments after the rows change; a key typed before then computes the rest, see row_table_model).
    from PySide6.QtCore import QDeadlineTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    deadline = QDeadlineTimer(30_000)
    while not page.model.search_keys_ready and not deadline.hasExpired():
        QApplication.processEvents()
    assert page.model.search_keys_ready, "the search keys were never prepared"
    app_times, floor_times = [], []
    for _ in range(rounds):  # alternate, so a busy machine slows both alike
        app_times += _type_and_erase(search, queries, 1)
        floor_times += _type_and_erase(floor_search, queries, 1)
    floor_proxy = floor._keep[1]  # noqa: SLF001
    for query in queries:  # the floor does the same work: it finds the same rows for every prefix typed
        for end in range(1, len(query) + 1):
            search.setText(query[:end])
            floor_search.setText(query[:end])
            assert page.proxy.rowCount() == floor_proxy.rowCount(), (query[:end], page.proxy.rowCount(),
                                                                     floor_proxy.rowCount())
    search.clear()
    floor_search.clear()
    page.hide()
    floor.hide()
    return app_times, floor_times


def _row(label: str, app: list[float], floor: list[float]) -> list[str]:
    return [label, f"{1000 * median(app):.1f}", f"{1000 * max(app):.1f}", f"{1000 * median(floor):.1f}",
            f"{1000 * max(floor):.1f}", f"{median(app) / median(floor):.1f}", f"{max(app) / max(floor):.1f}", "3.0"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from qingqing_desktop.services.session import open_session  # noqa: PLC0415
    from qingqing_desktop.ui.app import setup_application  # noqa: PLC0415
    from qingqing_desktop.ui.common.settings import Settings  # noqa: PLC0415
    from qingqing_desktop.ui.common.workspace import Workspace  # noqa: PLC0415
    from qingqing_desktop.ui.office.board_model import UNIT_COLUMN  # noqa: PLC0415
    from qingqing_desktop.ui.office.board_page import BoardPage  # noqa: PLC0415
    from qingqing_desktop.ui.roster.roster_page import RosterPage  # noqa: PLC0415
    from qingqing_desktop.ui.roster.staff_model import NAME_COLUMN  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    table = []
    with tempfile.TemporaryDirectory(prefix="qq-bench-search-", dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        unit_db = make_unit_database(folder / "unit.sqlite3", args.people, folder=folder)
        office_db = make_office_database(folder / "office.sqlite3", args.units, folder=folder)
        setup_application(app)
        for db, page_class, name_column, queries, label in (
            (unit_db, RosterPage, NAME_COLUMN, ROSTER_QUERIES, f"人员名单搜索（{args.people}人）"),
            (office_db, BoardPage, UNIT_COLUMN, BOARD_QUERIES, f"报送情况搜索（{args.units}个单位）"),
        ):
            session = open_session(db, operator="基准测试", check_location=False)
            workspace = Workspace(session, Settings())
            page = page_class(workspace)
            assert page.proxy.rowCount() == (args.people if page_class is RosterPage else args.units)
            app_times, floor_times = _measure(page, page.search, name_column, queries, args.rounds)
            table.append(_row(label, app_times, floor_times))
            page.deleteLater()
            app.processEvents()
            session.close()
    print_table(["表格", "程序中位（毫秒）", "程序最慢", "基线中位", "基线最慢", "中位倍数", "最慢倍数", "目标（倍）"], table)
    print(f"每次按键从按下到界面处理完毕的时间；查询 {'、'.join(ROSTER_QUERIES)}（人员）和 {'、'.join(BOARD_QUERIES)}（单位）"
          f"逐字输入后逐字删除，共 {args.rounds} 轮。基线：QStandardItemModel + QSortFilterProxyModel，按姓名列排序，"
          "在隐藏的搜索列（姓名、岗位、职务、拼音首字母、全拼）上用正则表达式过滤，与程序找到同样的人。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
