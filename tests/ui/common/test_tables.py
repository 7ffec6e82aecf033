"""The rows of a word-wrapping table fitted to their lines (WrappedRows), as the import preview and the
scan dialogs use it: a one-line row's room above and below every row, and fitted again when a column
narrows."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from qingqing_desktop.ui.common.tables import WrappedRows, setup_table

LONG = "扫描件第3页的二维码无法识别，已按页面文字核对：单位名称、版次与报送包一致，签订日期晚于定稿日期"


def table_of(qtbot, rows: list[tuple[str, str]], widths: tuple[int, int]) -> tuple[QTableView, QSortFilterProxyModel]:
    """A shown, word-wrapping table of ``rows`` behind a filter proxy, its rows fitted by WrappedRows."""
    model = QStandardItemModel(len(rows), 2)
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            model.setItem(row, column, QStandardItem(text))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(1)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    setup_table(view)
    view.setWordWrap(True)
    view.resize(sum(widths) + 80, 400)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    view.show()
    qtbot.waitExposed(view)
    WrappedRows(view, lambda row: [str(proxy.index(row, c).data()) for c in range(2)]).fit()
    return view, proxy


def test_rows_take_their_lines_with_a_one_line_rows_room_and_refit_when_a_column_narrows(qtbot):
    view, _proxy = table_of(qtbot, [("第1页", "已核对"), ("第2页", LONG), ("第3页", "第一行\n第二行")], (120, 520))
    one_line = view.rowHeight(0)
    room = one_line - view.sizeHintForRow(0)
    assert room > 0
    # Qt's own resizeRowsToContents gives a two-line row less than a one-line row's room
    assert view.rowHeight(2) == view.sizeHintForRow(2) + room > one_line
    before = view.rowHeight(1)
    view.setColumnWidth(1, 200)  # the splitter dragged: the long text needs more lines
    qtbot.waitUntil(lambda: view.rowHeight(1) == view.sizeHintForRow(1) + room)
    assert view.rowHeight(1) > before
    assert view.rowHeight(0) == one_line


def test_rows_shown_or_hidden_by_a_filter_are_fitted_again(qtbot):
    # The heights belong to row positions: after a filter, a long text in a one-line row would be cut off
    view, proxy = table_of(qtbot, [("第1页", "空白页"), ("第2页", LONG), ("第3页", "已核对")], (100, 300))
    one_line, tall = view.rowHeight(0), view.rowHeight(1)
    assert tall > one_line and view.rowHeight(2) == one_line
    proxy.setFilterRegularExpression("^已核对$")  # only 第3页: one line, in the position the tall row had
    assert proxy.rowCount() == 1
    qtbot.waitUntil(lambda: view.rowHeight(0) == one_line)
    proxy.setFilterRegularExpression("")  # all three again: 第2页 tall, wherever it now is
    qtbot.waitUntil(lambda: [view.rowHeight(r) for r in range(3)] == [one_line, tall, one_line])
