"""Export to Excel and the import template from the 文件 menu; backups and restore; the auto-backup."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import backup_service, roster_service
from qingqing_desktop.ui.common.settings import LAST_EXPORT_DIR


def save_as(monkeypatch, path):
    suggested = []

    def choose(parent, caption, proposed, file_filter):
        suggested.append(proposed)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return suggested


def test_export_roster_writes_the_workbook_and_offers_the_folder(qtbot, sample_window, tmp_path, monkeypatch, dialogs):
    target = tmp_path / "out" / "名单"  # no suffix typed: .xlsx is added
    target.parent.mkdir()
    suggested = save_as(monkeypatch, target)
    with qtbot.waitCallback() as saved:
        monkeypatch.setattr("qingqing_desktop.ui.common.messages.file_saved", lambda parent, path: saved(path))
        sample_window.export_action.trigger()
    written = target.with_name("名单.xlsx")
    saved.assert_called_with(written)
    assert suggested[0].endswith(f"人员名单_技术科_{dt.date.today():%Y%m%d}.xlsx")
    assert sample_window.ws.settings.get(LAST_EXPORT_DIR) == str(target.parent)
    sheet = openpyxl.load_workbook(written).active
    names = {cell.value for cell in sheet["B"][3:]}
    assert {"张三", "李𡈽", "王䶮"} <= names


def test_import_template_is_saved(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "模板.xlsx"
    save_as(monkeypatch, target)
    with qtbot.waitCallback() as saved:
        monkeypatch.setattr("qingqing_desktop.ui.common.messages.file_saved", lambda parent, path: saved(path))
        window.template_action.trigger()
    saved.assert_called_with(target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "人员名单"


def test_back_up_now_then_restore_brings_the_old_roster_back(qtbot, window, dialogs):
    session = window.ws.session
    dialog = window.show_backups()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(1) == "手动备份"

    roster_service.add_staff(session, StaffMember("后来的人", RankCategory.STAFF))
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert roster_service.list_staff(session) == []
    assert "恢复前会先自动备份" in dialogs.texts("confirm")[0]
    assert "恢复前的数据已备份到" in dialogs.texts("information")[0]
    assert {b.reason for b in backup_service.list_backups()} == {"manual", "restore"}
    assert window.ws.undo_stack.count() == 0
    # the program put the data back itself: coming back to the window does not blame another program
    assert not window.ws.refresh_if_changed_elsewhere()


def test_timer_backs_up_only_after_a_change(window):
    page = window.roster_page
    window.auto_backup()
    assert backup_service.list_backups() == []

    dialog = page.add_person()
    dialog.name.setText("赵敏")
    dialog.accept()
    assert window.ws.changed_since_backup()
    window.auto_backup()
    (backup,) = backup_service.list_backups()
    assert backup.reason_label == "定时备份"
    assert not window.ws.changed_since_backup()
    assert "上次备份" in window.backup_label.text()
    window.ws.undo_stack.undo()  # undoing is a write too: the next backup takes it
    assert window.ws.changed_since_backup()


def test_closing_with_changes_since_the_last_backup_takes_one(window):
    dialog = window.roster_page.add_person()
    dialog.name.setText("赵敏")
    dialog.accept()
    window.close()
    assert [b.reason_label for b in backup_service.list_backups()] == ["退出时备份"]


def test_a_write_outside_the_undo_history_is_backed_up_on_leaving_too(window):
    """A 任务包 imported, 定稿 or a 报送包 made is no undoable edit, and importing a 任务包 clears the undo
    history: closing after one took no backup, so the 已报送 state was in none. Every row written counts."""
    for page_class in window.page_classes:  # every page shown once: looking writes nothing
        window.show_page(page_class)
    window.auto_backup()
    assert backup_service.list_backups() == []  # nothing changed: no backup
    roster_service.add_staff(window.ws.session, StaffMember("任务包带来的人", RankCategory.STAFF))
    window.ws.undo_stack.clear()  # as the 任务包 import does
    window.close()
    assert [b.reason_label for b in backup_service.list_backups()] == ["退出时备份"]


def test_the_backups_list_names_the_roster_file_a_backup_was_taken_before(qtbot, window):
    """A clerk going back after a bad import finds the backup by the file's name; older backups
    without it keep their plain label."""
    from qingqing_desktop.domain.staff import StaffStatus
    from qingqing_desktop.exchange.roster_excel import RosterSheet, RosterSheetRow
    from qingqing_desktop.ui.backup_dialog import CHECK, KIND

    session = window.ws.session
    backup_service.backup_before_import(session)  # as every import took them before
    person = RosterSheetRow(sheet_row=2, name="张三", title="", rank=RankCategory.STAFF, post="", party_member=False,
                            status=StaffStatus.ACTIVE, note="", problems=())
    for name, file_name in (("张三", "技术科名单.xlsx"), ("李四", "2019年三清单一承诺行动技术科在岗人员名单（第二次修订）.xlsx")):
        sheet = RosterSheet(file_name=file_name, sheet_name="Sheet1", header_row=1, columns={"name": "姓名"},
                            rows=(dataclasses.replace(person, name=name),), skipped=())
        roster_service.apply_import(session, roster_service.plan_import(session, sheet))
    dialog = window.show_backups()
    tree = dialog.tree
    assert [tree.topLevelItem(row).text(KIND) for row in range(tree.topLevelItemCount())] == [
        "导入人员名单“2019年三清单一承诺行动技术科在岗人员名单（第二次修订）.xlsx”前",
        "导入人员名单“技术科名单.xlsx”前",
        "导入前备份",
    ]
    assert tree.topLevelItem(0).toolTip(KIND) == tree.topLevelItem(0).text(KIND)  # whole, where the cell cuts it
    # the long name is cut in the column, not pushing 人数, 大小 and 检查结果 out of view
    qtbot.waitUntil(lambda: tree.topLevelItem(0).text(CHECK) != "正在检查…", timeout=10000)
    assert tree.header().length() <= tree.viewport().width()
    assert tree.horizontalScrollBar().maximum() == 0


def test_the_backups_list_says_a_damaged_record_is_only_the_record(qtbot, window):
    from qingqing_desktop.ui.backup_dialog import CHECK

    saved = backup_service.create_backup(window.ws.session)
    (saved.parent / (saved.name + ".json")).write_text('{"sha256": ', encoding="utf-8")
    dialog = window.show_backups()
    item = dialog.tree.topLevelItem(0)
    qtbot.waitUntil(lambda: item.text(CHECK) != "正在检查…", timeout=10000)
    assert item.text(CHECK) == (
        f"可作为外部文件恢复：备份旁的校验记录文件“{saved.name}.json”已损坏，无法用它核对这份备份；备份文件本身已通过完整性检查和表结构检查，"
        "可以使用。如确认要用它，请选择“恢复外部文件”（命令行加 --outside-file）。")


def test_return_in_the_backups_list_restores_the_one_selected_and_never_takes_a_new_one(qtbot, window, dialogs):
    backup_service.create_backup(window.ws.session)
    dialog = window.show_backups()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)  # nothing selected: nothing happens
    assert len(backup_service.list_backups()) == 1 and not dialogs.shown
    item = dialog.tree.topLevelItem(0)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=dialog.tree.visualItemRect(item).center())
    dialogs.confirm_answer = False
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert dialogs.texts("confirm")[-1].startswith(f"用 {item.text(0)} 的备份")  # as a double-click asks
    assert len(backup_service.list_backups()) == 1  # and no backup taken
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)  # clicked, it keeps no default
    assert len(backup_service.list_backups()) == 2
    assert dialog.restore_button.isDefault() and not dialog.backup_button.isDefault()  # shown as the one Return presses
