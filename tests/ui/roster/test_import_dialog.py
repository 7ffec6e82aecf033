"""Importing a roster workbook through the dialog, from the menu and by dropping the file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.roster_service import RowStatus
from qingqing_desktop.ui.common.file_dialogs import ALL_FILES
from qingqing_desktop.ui.common.settings import LAST_IMPORT_DIR
from qingqing_desktop.ui.roster.import_dialog import ROSTER_FILE_FILTER, ImportDialog


def write_roster(path: Path, rows: list[tuple]) -> Path:
    """A sheet as units keep them: a merged title, a 单位 line, the header on row 3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.merge_cells("A1:E1")
    ws["A1"] = "技术科人员名单"
    ws["A2"] = "单位（盖章）：技术科"
    ws.append(["序号", "姓名", "职务", "工作岗位", "是否党员"])
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row])
    wb.save(path)
    return path


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_roster(
        tmp_path / "名单.xlsx",
        [("张三", "科长", "分管行政审批", "是"), ("李四", "科员", "质量监管", "否"), ("王五", "工程师", "规划核实", "是")],
    )


def names(session) -> set[str]:
    return {m.name for m in roster_service.list_staff(session)}


def open_from_menu(window, monkeypatch, path: Path) -> ImportDialog:
    asked = []

    def choose(parent, caption, folder, file_filter):
        asked.append((folder, file_filter))
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    first = not window.ws.settings.get(LAST_IMPORT_DIR)
    window.import_action.trigger()
    # The first time in the home folder, not wherever the program was started; then where the file was.
    assert asked == [(str(Path.home()) if first else str(path.parent), f"{ROSTER_FILE_FILTER};;{ALL_FILES}")]
    assert window.ws.settings.get(LAST_IMPORT_DIR) == str(path.parent)
    (dialog,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    return dialog


def test_import_from_the_menu_asks_about_an_unknown_title_then_imports_undoably(
    qtbot, window, workbook, monkeypatch, dialogs
):
    session = window.ws.session
    dialog = open_from_menu(window, monkeypatch, workbook)
    # The workbook is read on a worker thread; its result arrives as a queued signal,
    # which cannot be delivered before the event loop runs inside waitSignal.
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000) as ready:
        pass
    plan = ready.args[0]
    assert (plan.sheet_name, plan.header_row) == ("名单", 3)
    assert plan.unknown_titles == ("工程师",)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.PROBLEM]
    assert "表头在第 3 行" in dialog.source.text()
    assert dialog.questions.isVisible()
    assert not dialog.import_button.isEnabled()
    assert dialog.model.rowCount() == 3

    dialog.questions.combo("工程师").set_value(RankCategory.STAFF)
    workbook.unlink()  # the USB stick is taken out: the answers apply to the rows already read
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000) as ready:
        qtbot.mouseClick(dialog.questions.recheck, Qt.MouseButton.LeftButton)
    assert [r.status for r in ready.args[0].rows] == [RowStatus.NEW] * 3
    assert not dialog.questions.isVisible()
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imported) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    result = imported.args[0]
    assert (result.added, result.updated) == (3, 0)
    assert names(session) == {"张三", "李四", "王五"}
    assert {m.name: m.rank for m in roster_service.list_staff(session)}["王五"] is RankCategory.STAFF
    (message,) = dialogs.texts("information")
    assert "新增 3 人" in message and str(result.backup_path) in message
    assert result.backup_path.exists()
    assert window.roster_page.proxy.rowCount() == 3

    window.undo_action.trigger()
    assert names(session) == set()
    window.redo_action.trigger()
    assert names(session) == {"张三", "李四", "王五"}


def test_changes_are_shown_old_to_new_and_problem_rows_can_be_skipped(qtbot, window, workspace, tmp_path, dialogs):
    session = workspace.session
    zhang = roster_service.add_staff(session, StaffMember("张三", RankCategory.MIDDLE_CADRE, post="分管档案"))
    path = write_roster(tmp_path / "x.xlsx", [("张三", "科长", "分管行政审批", "是"), ("李4", "科员", "质量监管", "否")])
    dialog = ImportDialog(workspace, path, window)  # dialogs delete themselves on close: the parent owns them
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()

    changed_text = dialog.model.data(dialog.model.index(0, dialog.model.CHANGES_COLUMN))
    assert "工作岗位/分管工作：分管档案 → 分管行政审批" in changed_text
    assert "含有数字" in dialog.model.data(dialog.model.index(1, dialog.model.NOTES_COLUMN))
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.skip_problems, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert roster_service.get_staff(session, zhang.id).post == "分管行政审批"
    assert names(session) == {"张三"}
    assert "跳过有问题的 1 行" in dialogs.texts("information")[0]
    workspace.undo_stack.undo()
    assert roster_service.get_staff(session, zhang.id).post == "分管档案"


def test_a_sheet_whose_only_differences_are_problem_rows_does_not_say_it_matches(qtbot, workspace, window, tmp_path):
    """Everyone else already on the roster, one red row: the line under the table said “表格与现有名单一致，
    没有需要导入的内容。” beside 有问题 1 — it now points to the red row."""
    roster_service.add_staff(workspace.session, StaffMember("张三", RankCategory.MIDDLE_CADRE, title="科长",
                                                            post="分管行政审批", party_member=True))
    path = write_roster(tmp_path / "y.xlsx", [("张三", "科长", "分管行政审批", "是"), ("李4", "科员", "质量监管", "否")])
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    assert not dialog.plan.has_writes and dialog.plan.problem_rows
    assert "一致，没有需要导入" not in dialog.advice.text() and "标红的行" in dialog.advice.text()


def test_with_two_roster_sheets_the_clerk_sees_which_was_read_and_can_choose_the_other(
        qtbot, window, workspace, tmp_path, dialogs):
    book = openpyxl.Workbook()
    for title, people in (("2018年", [("张三", "科员")]), ("2019年", [("李四", "科员"), ("王五", "科长")])):
        sheet = book.active if title == "2018年" else book.create_sheet()
        sheet.title = title
        sheet.append(["姓名", "职务"])
        for person in people:
            sheet.append(person)
    book.create_sheet("说明").append(["本表由办公室整理"])  # not a roster: not offered
    path = tmp_path / "两年的名单.xlsx"
    book.save(path)
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    assert dialog.sheet_row.isVisible() and dialog.plan.sheet_name == "2018年"
    assert "工作表" not in dialog.source.text()  # said once, by the choice
    assert [dialog.sheet_choice.itemText(i) for i in range(dialog.sheet_choice.count())] == ["2018年", "2019年"]
    assert "有 2 个工作表像人员名单，下表读的是“2018年”" in dialog.sheet_hint.text()
    dialog.sheet_choice.setFocus()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        qtbot.keyClick(dialog.sheet_choice, Qt.Key.Key_Down)  # the other sheet, by keyboard
    assert dialog.plan.sheet_name == "2019年" and [r.name for r in dialog.plan.rows] == ["李四", "王五"]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert names(workspace.session) == {"李四", "王五"}


def test_a_single_roster_sheet_shows_no_choice(qtbot, window, workspace, workbook):
    dialog = ImportDialog(workspace, workbook, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    assert not dialog.sheet_row.isVisible()


def test_a_file_that_is_not_a_roster_is_refused_with_its_message(qtbot, window, workspace, tmp_path, dialogs):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a zip")
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected, timeout=10_000):
        dialog.start()
    (message,) = dialogs.texts("warning")
    assert "坏文件.xlsx" in message


def test_an_old_xls_file_is_offered_and_says_how_to_save_it_as_xlsx(qtbot, window, tmp_path, dialogs, monkeypatch):
    path = tmp_path / "旧名单.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))  # an Excel 97-2003 file's start
    dialog = open_from_menu(window, monkeypatch, path)
    with qtbot.waitSignal(dialog.rejected, timeout=10_000):
        pass
    assert "旧版Excel 97-2003格式(.xls)" in dialogs.texts("warning")[-1]
    assert "*.xls)" in ROSTER_FILE_FILTER.split(";;")[0]  # listed in the file dialog's first choice


def test_dropping_a_workbook_on_the_window_starts_the_import(qtbot, window, workbook):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(workbook))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    (dialog,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    assert dialog.path == workbook
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        pass


def test_a_renamed_text_file_shows_its_error_alone_and_return_closes_it(qtbot, window, tmp_path, files, real_boxes):
    """The hang a clerk met: the “请稍候” box came back over “无法导入这个文件” and neither would close."""
    renamed = tmp_path / "名单.xlsx"
    renamed.write_text("姓名,职务\n张三,科员\n", encoding="utf-8")
    files.open(renamed)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: not [d for d in window.findChildren(ImportDialog) if d.isVisible()], timeout=10_000)
    assert "名单.xlsx" in real_boxes.box_text and "不是.xlsx格式" in real_boxes.box_text
    assert real_boxes.progress_visible is False  # the error box stood alone, and Return closed it
    assert QApplication.activeModalWidget() is None
    assert names(window.ws.session) == set()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_csv_roster_goes_through_the_same_preview_and_import(qtbot, window, tmp_path, files, dialogs, encoding):
    csv_file = tmp_path / "名单.csv"
    csv_file.write_bytes("序号,姓 名,职务,工作岗位,是否党员\n1,张三,科长,分管行政审批,是\n2,李四,科员,质量监管,否\n"
                         .encode(encoding))
    files.open(csv_file)
    window.import_action.trigger()
    (dialog,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000) as ready:
        pass
    assert [(r.name, r.status) for r in ready.args[0].rows] == [("张三", RowStatus.NEW), ("李四", RowStatus.NEW)]
    assert "工作表：名单" in dialog.source.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert names(window.ws.session) == {"张三", "李四"}
    assert "新增 2 人" in dialogs.texts("information")[0]


def test_the_preview_shows_how_each_person_will_be_classified_and_flags_formula_like_cells(
    qtbot, window, workspace, tmp_path, dialogs
):
    path = write_roster(tmp_path / "x.xlsx", [
        ("张三", "科长", "分管行政审批", "是"),  # 中层干部: must sign
        ("李四", "科员", "负责质量监管工作", "否"),  # key post: must sign
        ("王五", "科员", "=文书+档案", "否"),  # neither; the post looks like a formula
    ])
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    model = dialog.model
    shown = [[model.data(model.index(row, column)) for column in (1, 3, 4, 5)] for row in range(3)]
    assert shown == [
        ["张三", "中层干部", "是（行政审批）", "是"],
        ["李四", "一般工作人员", "是（质量监管）", "是"],
        ["王五", "一般工作人员", "否", "否"],
    ]
    assert model.data(model.index(1, 5), Qt.ItemDataRole.ToolTipRole) == "须签订：是（重点岗位：质量监管）"
    assert "按规则须签订承诺书 <b>2</b> 人" in dialog.summary.text()
    note = model.data(model.index(2, model.NOTES_COLUMN))
    assert "“工作岗位”栏“=文书+档案”以“=”开头，像是公式；已按文字原样导入" in note
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wang = next(m for m in roster_service.list_staff(workspace.session) if m.name == "王五")
    assert wang.post == "=文书+档案"


def test_preview_rows_show_every_line_with_a_one_line_row_s_room_and_refit_when_a_column_narrows(
        qtbot, window, workspace, tmp_path):
    """The preview measures only rows that may need more than one line: each row is as tall as Qt
    measures its lines, plus the room above and below that a one-line row has; when a column narrows
    (the notes column follows the dialog's width) the rows are fitted again, none left cut off."""
    session = workspace.session
    roster_service.add_staff(session, StaffMember("张三", RankCategory.MIDDLE_CADRE, post="分管档案", title="副科长"))
    long_post = "负责" + "、".join(["行政审批", "质量监管", "安全监管", "竣工验收", "规划核实", "档案管理"] * 3) + "工作"
    path = write_roster(tmp_path / "x.xlsx", [
        ("张三", "科长", "分管行政审批", "是"),  # changed twice: two lines
        ("李四", "科员", "质量监管", "否"),  # one line
        ("李4", "科员", "财务", "否"),  # a problem
        ("王五", "科员", long_post, "否"),  # a long post (the preview shows only 重点岗位 是/否 for it)
        ("赵六", "科员", "=文书+档案", "否"),  # a warning
        ("钱七", "科员", "财务", "是"),  # one line
    ])
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    table, rows = dialog.table, range(dialog.model.rowCount())
    one_line = 1  # 李四
    room = table.rowHeight(one_line) - table.sizeHintForRow(one_line)
    assert room > 0

    def fitted() -> bool:
        return all(table.rowHeight(row) == max(table.rowHeight(one_line), table.sizeHintForRow(row) + room)
                   for row in rows)

    qtbot.waitUntil(fitted)
    heights = [table.rowHeight(row) for row in rows]
    assert heights[0] > heights[one_line]  # two changes, one per line

    notes = dialog.model.NOTES_COLUMN  # the clerk narrows the dialog: 变化 and the notes give way
    before = table.columnWidth(notes)
    dialog.resize(dialog.width() - before // 2, dialog.height())
    qtbot.waitUntil(lambda: table.columnWidth(notes) < before and fitted()
                    and [table.rowHeight(row) for row in rows] != heights)
    assert table.rowHeight(4) > heights[4]  # 赵六's warning takes more lines in the narrower column


def test_the_preview_at_its_opening_size_has_no_sideways_scroll_and_long_notes_wrap(qtbot, window, workspace, tmp_path):
    # Before, 变化 and 问题与提示 took up to 360 pixels each whatever was left: 267 pixels past the edge at 960.
    long_post = "负责城东片区竣工验收备案资料的收集、整理、归档和移交，兼管档案借阅审批"
    roster_service.add_staff(workspace.session, StaffMember("张三", RankCategory.MIDDLE_CADRE, post="分管档案"))
    path = write_roster(tmp_path / "名单.xlsx", [
        ("张三", "科长", long_post, "是"),  # changed: 工作岗位 old → new
        ("李四", "科员", "=文书+档案", "否"),  # a warning
        *((f"王{chr(0x4e00 + n)}", "科员", "财务", "是") for n in range(40)),  # enough rows for a vertical scroll bar
    ])
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    table = dialog.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    QApplication.processEvents()
    assert dialog.width() == 960
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert dialog.model.index(0, dialog.model.CHANGES_COLUMN).data().startswith("工作岗位")
    assert dialog.model.index(1, dialog.model.NOTES_COLUMN).data().startswith("提示")
    # The two texts share the room and wrap, each row as tall as its lines
    qtbot.waitUntil(lambda: all(table.rowHeight(row) >= table.sizeHintForRow(row) for row in (0, 1)))
    assert table.rowHeight(0) > table.rowHeight(2) and table.rowHeight(1) > table.rowHeight(2)
    dialog.grab().save(str(tmp_path / "preview.png"))


def test_resizing_the_preview_keeps_the_notes_in_view_without_a_sideways_scroll(qtbot, window, workspace, tmp_path):
    """问题与提示 long, 变化 empty (a first import): the narrow 变化 is held at a few characters' width and
    the notes take the rest, as the clerk makes the dialog narrower or wider (before, 变化 held at its
    least width pushed the table 42 pixels past its edge, and a narrower dialog scrolled sideways)."""
    path = write_roster(tmp_path / "名单.xlsx", [
        *((f"王{chr(0x4e00 + n)}", "科员", "=文书+档案", "否") for n in range(3)),  # a long warning each
        *((f"李{chr(0x4e00 + n)}", "科员", "财务", "是") for n in range(40)),
    ])
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    table, notes = dialog.table, dialog.model.NOTES_COLUMN
    for width in (1093, 900, 760, 1200):
        dialog.resize(width, 540)
        QApplication.processEvents()
        assert table.horizontalHeader().length() <= table.viewport().width(), width
        assert table.horizontalScrollBar().maximum() == 0, width
    wide = table.columnWidth(notes)
    dialog.resize(760, 540)
    QApplication.processEvents()
    assert table.columnWidth(notes) < wide  # the notes gave way, and wrap in taller rows
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))


def test_the_preview_shows_the_remarks_that_will_be_stored_without_a_sideways_scroll(qtbot, window, workspace, tmp_path):
    """备注 is stored from the sheet: the clerk sees it before importing, a long one wrapped; the table still
    fits its width at the opening size, at 1366×768 with 125% (1093 wide) and narrower, 备注 sharing the
    room with 变化 and 问题与提示 (which is measured too: it no longer gets only what the others leave)."""
    long_remark = "挂职锻炼（2019年1月至2020年12月，派驻城东分局从事质量监管工作，期间工资关系不变）"
    roster_service.add_staff(workspace.session, StaffMember("张三", RankCategory.MIDDLE_CADRE, post="分管档案"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "职务", "工作岗位", "是否党员", "备注"])
    ws.append([1, "张三", "科长", "分管行政审批", "是", "借调至市局"])  # changed
    ws.append([2, "李四", "科员", "=文书+档案", "否", long_remark])  # new, with a warning
    for number in range(40):
        ws.append([number + 3, f"王{chr(0x4e00 + number)}", "科员", "财务", "是", ""])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    dialog = ImportDialog(workspace, path, window)
    dialog.open()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    model, table = dialog.model, dialog.table
    remarks = model.REMARK_COLUMN
    assert model.headerData(remarks, Qt.Orientation.Horizontal) == "备注"
    assert [model.index(row, remarks).data() for row in range(3)] == ["借调至市局", long_remark, None]
    assert model.index(1, remarks).data(Qt.ItemDataRole.ToolTipRole) == long_remark
    for width in (dialog.width(), 1093, 800):
        dialog.resize(width, dialog.height())
        QApplication.processEvents()
        assert table.horizontalHeader().length() <= table.viewport().width(), width
        assert table.horizontalScrollBar().maximum() == 0, width
        assert table.columnWidth(remarks) < table.fontMetrics().horizontalAdvance(long_remark)  # it wraps
        assert table.columnWidth(model.NOTES_COLUMN) >= table.columnWidth(remarks) // 2  # the warning keeps its part
        qtbot.waitUntil(lambda: table.rowHeight(1) >= table.sizeHintForRow(1))
    dialog.grab().save(str(tmp_path / "preview.png"))


def test_after_ctrl_end_the_last_row_is_selected_and_its_current_cell_has_no_frame_of_its_own(
        qtbot, window, workspace, tmp_path):
    """Ctrl+End showed a raised box in the last cell (Fusion's focus frame on the current cell) while the
    row stayed unselected: now the selection follows the keyboard and the cell looks like the rest of its row."""
    path = write_roster(tmp_path / "名单.xlsx", [(f"王{chr(0x4e00 + n)}", "科员", "财务", "是") for n in range(30)])
    dialog = ImportDialog(workspace, path, window)
    dialog.show()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10_000):
        dialog.start()
    table, model = dialog.table, dialog.model
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    first = table.visualRect(model.index(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    dialog.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # as after Tab: Fusion frames the current cell
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = model.rowCount() - 1
    assert table.currentIndex() == model.index(last, model.columnCount() - 1)
    assert [index.row() for index in table.selectionModel().selectedRows()] == [last]
    QApplication.processEvents()
    image = table.viewport().grab().toImage()

    def colour_inside(column: int) -> int:  # a pixel of an empty cell, clear of any text
        rect = table.visualRect(model.index(last, column))
        return image.pixel(rect.right() - 3, rect.top() + 3)

    # the current cell (问题与提示, empty) against an empty cell of the same row (变化)
    assert colour_inside(model.NOTES_COLUMN) == colour_inside(model.CHANGES_COLUMN)
