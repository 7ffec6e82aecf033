"""The file dialogs start in the folder last used for that kind of work, else the last used for any."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from qingqing_desktop.ui.common import file_dialogs
from qingqing_desktop.ui.common.settings import LAST_IMPORT_DIR, LAST_SCAN_DIR


def test_a_kind_of_work_done_for_the_first_time_starts_where_the_clerk_last_was(qtbot, settings, tmp_path,
                                                                                 monkeypatch):
    started: list[str] = []
    answers = iter([str(tmp_path / "U盘" / "名单.xlsx"), str(tmp_path / "U盘" / "公章.png"),
                    str(tmp_path / "扫描" / "签字页.pdf")])

    def chosen(parent, caption, start, file_filter):
        started.append(start)
        return next(answers), file_filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chosen)
    parent = QWidget()
    qtbot.addWidget(parent)
    file_dialogs.ask_open_file(parent, settings, LAST_IMPORT_DIR, "导入人员名单", file_dialogs.XLSX_FILTER)
    file_dialogs.ask_open_file(parent, settings, LAST_SCAN_DIR, "选择印章图像", file_dialogs.SCAN_FILE_FILTER)
    file_dialogs.ask_open_file(parent, settings, LAST_IMPORT_DIR, "导入人员名单", file_dialogs.XLSX_FILTER)
    assert started[1] == str(tmp_path / "U盘")  # not the home folder: nothing was chosen for this kind yet
    assert started[2] == str(tmp_path / "U盘")  # each kind still keeps its own folder
