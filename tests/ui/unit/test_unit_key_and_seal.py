"""单位信息: the unit key's fingerprint to read out or copy, and the 电子印章图像 set, undone and removed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QLabel

from qingqing_desktop.services import key_service, seal_service
from qingqing_desktop.ui.unit.unit_page import UnitPage


def seal_png(path, *, width=300, height=300):
    """A red ring on white paper, as a scanner would deliver the seal."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("#c81414"))
    pen = painter.pen()
    pen.setWidth(16)
    painter.setPen(pen)
    painter.drawEllipse(20, 20, width - 40, height - 40)
    painter.end()
    assert image.save(str(path), "PNG")
    return path


def test_the_page_shows_the_unit_keys_fingerprint_to_copy(qtbot, window):
    page = window.show_page(UnitPage)
    fingerprint = key_service.unit_fingerprint(window.ws.session)
    field = page.keys_box.fields["单位密钥"]
    assert field.text() == fingerprint
    assert field.edit.isReadOnly()
    assert QFontInfo(field.edit.font()).fixedPitch()  # 0/O and 1/I must not look alike when read out
    assert "此指纹印在附件2的页脚，纪委据此核对报送包的签名" in " ".join(
        label.text() for label in page.keys_box.findChildren(QLabel))
    qtbot.mouseClick(field.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == fingerprint
    assert "已登记的纪委（监察室）密钥" not in page.keys_box.fields  # no 任务包 imported yet


def test_choosing_a_seal_image_shows_it_and_undo_takes_it_away(qtbot, window, files, tmp_path, dialogs):
    page = window.show_page(UnitPage)
    box = page.seal_box
    assert box.preview.text() == "（未设置）"
    assert not box.delete_button.isEnabled()
    assert box.transparent.isChecked()  # scans are the usual case

    files.open(seal_png(tmp_path / "公章.png"))
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)

    stored = seal_service.seal_info(window.ws.session)
    assert stored is not None and stored[1] == "公章.png"
    corner = QImage.fromData(stored[0]).pixelColor(2, 2)
    assert corner.alpha() == 0  # white paper made transparent
    assert box.preview.pixmap() is not None and not box.preview.pixmap().isNull()
    assert "公章.png" in box.file_label.text() and "300×300" in box.file_label.text()
    assert box.delete_button.isEnabled()
    assert files.asked[0][0] == "open" and "印章" in files.asked[0][1]

    window.undo_action.trigger()
    assert seal_service.seal_info(window.ws.session) is None
    assert box.preview.text() == "（未设置）"
    window.redo_action.trigger()
    assert seal_service.seal_info(window.ws.session) == stored
    assert dialogs.shown == []


def test_without_background_removal_the_paper_stays_white(qtbot, window, files, tmp_path):
    box = window.show_page(UnitPage).seal_box
    box.transparent.setChecked(False)
    files.open(seal_png(tmp_path / "照片.png"))
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    png, _ = seal_service.seal_info(window.ws.session)
    assert QImage.fromData(png).pixelColor(2, 2).alpha() == 255


def test_deleting_the_seal_image_leaves_the_seal_area_blank_and_can_be_undone(qtbot, window, files, tmp_path):
    box = window.show_page(UnitPage).seal_box
    files.open(seal_png(tmp_path / "公章.png"))
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    before = seal_service.seal_info(window.ws.session)

    qtbot.mouseClick(box.delete_button, Qt.MouseButton.LeftButton)
    assert seal_service.seal_image(window.ws.session) is None
    assert box.file_label.text() == "尚未设置电子印章图像。"
    assert not box.delete_button.isEnabled()
    assert "留空" in " ".join(label.text() for label in box.findChildren(QLabel))
    assert window.undo_action.text() == "撤销(&U) 删除电子印章图像"
    window.undo_action.trigger()
    assert seal_service.seal_info(window.ws.session) == before


def test_a_file_that_is_not_an_image_is_refused_with_the_reason(qtbot, window, files, tmp_path, dialogs):
    box = window.show_page(UnitPage).seal_box
    fake = tmp_path / "印章.png"
    fake.write_bytes(b"not a picture at all")
    files.open(fake)
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    assert seal_service.seal_info(window.ws.session) is None
    (text,) = dialogs.texts("warning")
    assert "印章.png" in text and "不是 PNG 或 JPEG" in text
    assert window.ws.undo_stack.count() == 0


def test_a_cancelled_file_dialog_changes_nothing(qtbot, window, files):
    box = window.show_page(UnitPage).seal_box
    qtbot.mouseClick(box.choose_button, Qt.MouseButton.LeftButton)
    assert seal_service.seal_info(window.ws.session) is None
    assert window.ws.undo_stack.count() == 0
