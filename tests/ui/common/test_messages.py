"""The message boxes of ui.common.messages, answered with the keyboard as a clerk does."""

from __future__ import annotations

from qingqing_desktop.ui.common import messages


def test_return_on_a_file_saved_notice_closes_it_without_opening_the_folder(qtbot, real_boxes, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(messages, "open_folder_window", lambda parent, folder: opened.append(folder))
    saved = tmp_path / "报送包_技术科.qqpkg"
    messages._saved_box(None, "已保存", f"文件已保存：\n{saved}", tmp_path)  # noqa: SLF001 — what file_saved shows
    assert real_boxes.box_text.startswith("文件已保存") and opened == []
