"""政策模板 in the office's window: a template written in the editor with real key events — pasted lists,
an edited pledge, other key posts — previewed, published as a 任务包, and followed by the unit that imports it.
Also: problems shown in place, undo, nothing lost on closing, shipped templates read-only, files in and out."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import (
    document_service,
    office_service,
    package_service,
    pledge_service,
    roster_service,
    template_service,
    unit_service,
)
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.filing.campaign_dialogs import CampaignDialog
from qingqing_desktop.ui.common.settings import TITLE_BAR_ROOM
from qingqing_desktop.ui.office.items_editor import PasteItemsDialog
from qingqing_desktop.ui.office.template_editor import TemplateEditor
from qingqing_desktop.ui.office.template_preview import TemplatePreviewDialog
from qingqing_desktop.ui.office.templates_page import TemplatesPage
from qingqing_desktop.ui.unit.lists_page import ListsPage
from tests.ui.office_fixtures import OFFICE_NAME, installation, shown_window, wait_for_background

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PLEDGE_ITEM = "不利用职权或职务影响为亲属和身边工作人员经商办企业提供便利，不在住建领域“挈篮子”。"


def passage(first: str, last: str) -> str:
    found = sorted(SEEDS.glob("003_*.txt"))
    if not found:
        pytest.skip(f"seed 003 not present in {SEEDS}")
    text = found[0].read_text(encoding="utf-8")
    start = text.index(first)
    return text[start:text.index(last, start) + len(last)]


@pytest.fixture
def office(tmp_path, monkeypatch):
    office = installation(tmp_path, monkeypatch, "office", "纪委干部")
    with office.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
        yield office
    office.session.close()


def visible(parent, dialog_class):
    found = [d for d in QApplication.topLevelWidgets() + parent.findChildren(dialog_class)
             if isinstance(d, dialog_class) and d.isVisible()]
    assert found, f"no {dialog_class.__name__} shown"
    return found[-1]


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_row(qtbot, list_widget, row: int) -> None:
    rect = list_widget.visualItemRect(list_widget.item(row))
    qtbot.mouseClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert list_widget.currentRow() == row


def replace_text(qtbot, type_into, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    if text:
        type_into(widget, text)


def field(editor: TemplateEditor, name: str) -> QLineEdit:
    """A one-line field of the editor by the name a screen reader would say."""
    (found,) = [w for w in editor.findChildren(QLineEdit) if w.accessibleName() == name]
    return found


def paste_block(qtbot, editor_items, text: str) -> PasteItemsDialog:
    """Copy a block as from a Word notice and press Ctrl+V on the item list."""
    QApplication.clipboard().setText(text)
    editor_items.list.setFocus()
    qtbot.keyClick(editor_items.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    return visible(editor_items, PasteItemsDialog)


def new_editor(qtbot, window) -> TemplateEditor:
    page = window.show_page(TemplatesPage)
    assert page.selected().template.id == "pingyang-2019"
    page.new_action.trigger()
    editor = page.editor
    assert editor.isVisible() and editor.model.draft["id"] == "" and not editor.read_only_banner.isVisible()
    with qtbot.waitActive(editor):  # its shortcuts (Ctrl+S, Ctrl+Z) work in the active window
        editor.activateWindow()
    return editor


def write_hubei_template(qtbot, editor: TemplateEditor, type_into) -> None:
    """What the 湖北 office does: its name, its 十三不准 and 六个严禁 pasted from seed 003, its pledge and posts."""
    replace_text(qtbot, type_into, editor.name_edit, "湖北省住建系统“三清单一承诺”行动")
    replace_text(qtbot, type_into, field(editor, "发文单位"), "湖北省住房和城乡建设厅")
    replace_text(qtbot, type_into, field(editor, "文号"), "")

    choose_row(qtbot, editor.navigation, 1)  # 清单
    choose_row(qtbot, editor.lists, 1)
    dialog = paste_block(qtbot, editor.list_items, passage("**不准**收受", "其他行为。"))
    assert dialog.count.text() == "识别出 13 条："
    click(qtbot, dialog.ok_button)
    replace_text(qtbot, type_into, editor.list_title, "住建部门及其工作人员政商交往行为“负面清单”")

    choose_row(qtbot, editor.lists, 2)
    dialog = paste_block(qtbot, editor.list_items, passage("各级住建部门党组织应当", "其他行为。"))
    assert dialog.lead.isVisible() and dialog.lead.isChecked()  # its introduction becomes the list's 引言
    click(qtbot, dialog.ok_button)
    replace_text(qtbot, type_into, editor.list_title, "住建行业企业政商交往行为“负面清单”")

    choose_row(qtbot, editor.navigation, 2)  # 承诺书
    choose_row(qtbot, editor.pledge_items.list, 3)
    replace_text(qtbot, type_into, editor.pledge_items.text, PLEDGE_ITEM)

    choose_row(qtbot, editor.navigation, 3)  # 签订范围
    posts = editor.key_posts
    choose_row(qtbot, posts.list, 0)
    for _ in range(8):
        qtbot.keyClick(posts.list, Qt.Key.Key_Delete)
    assert posts.items() == []
    for post in ("施工许可", "资质审批"):
        click(qtbot, posts.add_button)
        type_into(posts.text, post)
    choose_row(qtbot, posts.list, 0)
    type_into(editor.synonyms, "施工许可证核发")


def test_a_template_made_in_the_editor_is_published_and_followed_by_the_unit(
    qtbot, office, tmp_path, monkeypatch, settings, files, dialogs, type_into
):
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    write_hubei_template(qtbot, editor, type_into)
    assert editor.problems() == []
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # 保存
    template_id = editor.model.draft["id"]
    stored = template_service.get_template(office.session, template_id)
    assert stored.name == "湖北省住建系统“三清单一承诺”行动" and stored.document_number == ""
    assert stored.lists[1].items == template_service.get_template(office.session, "hubei-zhujian").lists[1].items
    assert stored.lists[2].intro.endswith("自觉做到“六个严禁”：") and len(stored.lists[2].items) == 6
    assert stored.pledge.items[3] == PLEDGE_ITEM
    assert stored.signing_rule.key_posts == ("施工许可", "资质审批")
    assert stored.signing_rule.synonyms == (("施工许可", ("施工许可证核发",)),)
    assert editor.windowTitle().endswith("（第1版）")  # saved: its version, no “*”, no id in pinyin initials

    # 预览附件: the three attachments in the app's preview, rendered in the background
    click(qtbot, editor.preview_button)
    wait_for_background(qtbot)
    preview = editor.preview_dialog
    assert isinstance(preview, TemplatePreviewDialog) and preview.tabs.count() == 3
    assert preview.preview.page_count() >= 1
    letters = pypdf.PdfReader(io.BytesIO(preview.documents[0].content))
    assert PLEDGE_ITEM[:20] in "".join(p.extract_text() for p in letters.pages).replace("\n", "")
    preview.close()

    # 发布: the campaign from this template, then its 任务包
    task = tmp_path / "任务包.qqtask"
    files.save(task)
    click(qtbot, editor.publish_button)
    campaign_dialog = visible(window, CampaignDialog)
    assert campaign_dialog.chosen_template().id == template_id
    click(qtbot, campaign_dialog.ok_button)
    assert task.exists()
    campaign = window.ws.campaign()
    assert (campaign.template_id, campaign.template_version) == (template_id, 1)
    assert template_service.template_info(office.session, template_id).published

    # The unit imports it: its 三张清单, who must sign and the letters follow the edited template.
    unit = installation(tmp_path, monkeypatch, "unit", "内勤")
    with unit.active() as session:
        unit_service.save_unit(session, name="建筑市场监管处", kind=unit_service.kind_from_text("科室"), leader="林主任")
        for member in (
            StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
            StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"),  # Pingyang's key post, not Hubei's
            StaffMember("王䶮", RankCategory.STAFF, post="施工许可证核发"),
            StaffMember("张伟", RankCategory.STAFF, post="资质审批"),
        ):
            roster_service.add_staff(session, member)
        package_service.import_campaign_file(session, task)
        unit_window = shown_window(qtbot, session, settings)
        lists_text = unit_window.show_page(ListsPage).browser.toPlainText()
        assert "住建行业企业政商交往行为“负面清单”" in lists_text
        assert "（13）不准有违反党纪政纪和法律法规规定的其他行为。" in lists_text
        assert "施工许可（也作：施工许可证核发）" in lists_text and "只能查看" in lists_text
        must_sign = {row.name for row in pledge_service.list_pledges(session) if row.required}
        assert must_sign == {"单建国", "王䶮", "张伟"}
        data = document_service.filing_document_data(session)
        pdf = pypdf.PdfReader(io.BytesIO(document_service.render_document(data, "pledges", "pdf")))
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
        assert f"4．{PLEDGE_ITEM}" in text
        unit_window.close()
    unit.session.close()


def test_problems_are_shown_in_place_and_saving_waits_for_them(qtbot, office, settings, dialogs, type_into):
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    choose_row(qtbot, editor.navigation, 2)
    replace_text(qtbot, type_into, field(editor, "签名栏"), "")
    row = field(editor, "签名栏").parentWidget()
    assert row.message == "承诺书缺少“承诺人”签名的空栏：签订的人无处签名。"
    assert editor.navigation.item(2).text().endswith("⚠1")
    assert "保存之前还需修改" in editor.problems_label.text()
    click(qtbot, editor.save_button)
    assert dialogs.texts("warning") == ["承诺书缺少“承诺人”签名的空栏：签订的人无处签名。"]
    assert template_service.list_templates(office.session)[-1].origin == "程序自带"  # nothing saved

    choose_row(qtbot, editor.navigation, 3)
    click(qtbot, editor.key_posts.add_button)
    type_into(editor.key_posts.text, "质量监管")
    assert editor.key_posts.parentWidget().message == "重点岗位“质量监管”写了两次。"

    # Undo takes the steps back one by one (the focus away from a text field, as on the toolbar)
    editor.navigation.setFocus()
    qtbot.keyClick(editor.navigation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.navigation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.draft["signing_rule"]["key_posts"][-1] == "质量监管"  # the one of seed 000, alone again
    assert len(editor.model.draft["signing_rule"]["key_posts"]) == 8
    qtbot.keyClick(editor.navigation, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.problems() == []


def test_closing_with_unsaved_changes_asks_and_nothing_is_lost(qtbot, office, settings, monkeypatch, type_into):
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    replace_text(qtbot, type_into, editor.name_edit, "未保存的模板")
    answers = [messages.CANCEL, messages.SAVE]
    asked = []
    monkeypatch.setattr(messages, "ask_save_changes", lambda parent, title, text: asked.append(text) or answers.pop(0))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible() and asked == ["“未保存的模板”的修改还没有保存。要保存吗？"]
    editor.close()
    assert not editor.isVisible()
    assert [t.template.name for t in template_service.list_templates(office.session)][-1] == "未保存的模板"


def test_a_published_template_changed_gets_a_new_version_in_the_editor(qtbot, office, settings, type_into):
    draft = template_service.new_draft(office.session, "pingyang-2019")
    made = template_service.save_template(office.session, draft).template
    template_service.export_template(office.session, made.id, Path(office.folder))  # publishes version 1
    window = shown_window(qtbot, office.session, settings)
    page = window.show_page(TemplatesPage)
    page.select(made.id)
    assert page.open_action.text() == "修改…" and "再修改将保存为第2版" in page.details.text()
    page.open_action.trigger()
    editor = page.editor
    choose_row(qtbot, editor.navigation, 2)
    replace_text(qtbot, type_into, field(editor, "承诺书标题"), "廉洁承诺书")
    click(qtbot, editor.save_button)
    assert "已保存为第2版" in editor.status.text()
    assert [s.template.version for s in template_service.template_versions(office.session, made.id)] == [2, 1]
    assert page.model.records()[-1].template.version == 2


def test_a_shipped_template_opens_read_only_and_can_be_copied(qtbot, office, settings):
    window = shown_window(qtbot, office.session, settings)
    page = window.show_page(TemplatesPage)
    page.select("hubei-zhujian")
    assert page.open_action.text() == "查看…" and not page.delete_action.isEnabled()
    page.open_action.trigger()
    viewer = page.editor
    assert viewer.name_edit.isReadOnly() and not viewer.save_button.isVisible()
    assert not viewer.key_posts.add_button.isEnabled()
    # It says so above its fields, which invite no typing, and offers what to do instead
    assert viewer.read_only_banner.isVisible() and "只能查看" in viewer.read_only_banner.findChild(QLabel).text()
    assert viewer.copy_button.isVisible() and viewer.read_only_banner.isAncestorOf(viewer.copy_button)
    assert field(viewer, "文号").placeholderText() == "" and not any(b.isVisible() for b in viewer._history_buttons)
    click(qtbot, viewer.copy_button)
    copy = page.editor
    assert copy is not viewer and not copy.read_only
    assert copy.model.draft["lists"][1]["items"][0] == "不准收受企业赠送的礼品、礼金、消费卡等；"
    assert copy.based_on == "关于构建全省住建领域新型政商关系的实施意见 第1版"  # by name, as a reviewer reads it


def test_templates_go_out_and_come_in_as_files(qtbot, office, settings, files, dialogs, tmp_path):
    made = template_service.save_template(office.session, template_service.new_draft(office.session, "mouqu")).template
    window = shown_window(qtbot, office.session, settings)
    page = window.show_page(TemplatesPage)
    page.select(made.id)
    target = tmp_path / "out" / "模板.toml"
    target.parent.mkdir()
    files.save(target)
    page.export_action.trigger()
    assert target.exists() and dialogs.shown[-1][0] == "saved"
    assert "已发布" in page.details.text()

    broken = tmp_path / "坏.toml"
    broken.write_text('id = "x"\nname = 没有引号\n', encoding="utf-8")
    files.open(broken)
    page.import_action.trigger()
    assert "TOML格式错误" in dialogs.texts("warning")[-1]

    shared = tmp_path / "别处的模板.toml"
    shared.write_text(target.read_text(encoding="utf-8").replace(f'id = "{made.id}"', 'id = "elsewhere-2025"'),
                      encoding="utf-8")
    files.open(shared)
    page.import_action.trigger()
    assert dialogs.texts("information")[-1].startswith("已导入政策模板")
    assert page.selected().template.id == "elsewhere-2025" and page.selected().origin == "导入"

    page.delete_action.trigger()
    assert dialogs.shown[-1][0] == "confirm"
    assert "elsewhere-2025" not in [r.template.id for r in page.model.records()]


def test_template_writes_count_as_changes_since_the_last_backup(qtbot, office, settings, files, tmp_path):
    window = shown_window(qtbot, office.session, settings)
    window.ws.backup("test")
    assert not window.ws.changed_since_backup()
    editor = new_editor(qtbot, window)
    click(qtbot, editor.save_button)
    assert window.ws.changed_since_backup()  # the timer and exit backups will take it along
    window.ws.backup("test")
    page = window.page(TemplatesPage)
    files.save(tmp_path / "导出.toml")
    page.export_action.trigger()
    assert window.ws.changed_since_backup()  # exported, the version is published: a write


def test_the_paste_dialog_fits_a_small_screen(qtbot, monkeypatch):
    """1366×768 at 125%: 1093×582 logical pixels above the taskbar; 900×620 hid 确定 below the edge."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: QRect(0, 0, 1093, 582))
    dialog = PasteItemsDialog("条", 0, tail_label="清单下方的说明", text="1．不准收受礼品；\n2．不准接受宴请。")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.height() <= 582 - TITLE_BAR_ROOM and dialog.width() <= 1093
    bottom = dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().bottomLeft()).y()
    assert bottom < dialog.height()  # the buttons are inside the window, not under its edge


def test_the_editor_fits_a_small_screen_with_its_buttons_in_view(qtbot, office, settings, monkeypatch):
    """1366×768 at 125%: 1093×582 logical pixels above the taskbar. A minimum of 900×600 kept the editor
    taller than the screen leaves, with 保存 and 关闭 below its edge."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda screen: QRect(0, 0, 1093, 582))
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    assert editor.height() + TITLE_BAR_ROOM <= 582 and editor.width() <= 1093
    for button in (editor.preview_button, editor.publish_button, editor.save_button, editor.close_button):
        corner = button.mapTo(editor, button.rect().bottomRight())
        assert button.isVisible() and editor.rect().contains(corner), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()  # its words whole


def type_where_the_focus_is(qtbot, text: str) -> None:
    """Key by key into whichever widget has the focus, as a keyboard does (keyClicks on a widget would
    reach it even after it lost the focus)."""
    for character in text:
        qtbot.keyClick(QApplication.focusWidget(), character)


def test_typing_an_item_or_a_post_s_other_names_keeps_every_key_in_the_field(qtbot, office, settings):
    """Each key relabels the item in the list above; relabelling by clearing the list left no current
    item for a moment, which disabled the box being typed in: the focus moved on, and the keys after the
    first went into the list's 引言 (or were lost, for 其他叫法)."""
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    choose_row(qtbot, editor.navigation, 1)  # 清单
    items = editor.list_items
    count = len(items.items())
    intro = editor.model.value(("lists", 0, "intro"))
    click(qtbot, items.add_button)
    assert items.text.hasFocus()
    type_where_the_focus_is(qtbot, "abc d")
    assert items.items()[items.list.currentRow()] == "abc d" and len(items.items()) == count + 1
    assert editor.model.value(("lists", 0, "intro")) == intro and items.text.hasFocus()

    choose_row(qtbot, editor.navigation, 3)  # 签订范围
    choose_row(qtbot, editor.key_posts.list, 0)
    post = editor.key_posts.items()[0]
    qtbot.mouseClick(editor.synonyms, Qt.MouseButton.LeftButton)
    type_where_the_focus_is(qtbot, "xyz")
    assert editor.model.value(("signing_rule", "synonyms"))[post] == ["xyz"] and editor.synonyms.hasFocus()
    assert editor.key_posts.list.item(0).text().endswith("（也作：xyz）")


def test_the_default_deadline_says_不规定_once_and_offers_to_clear_a_date_only_when_there_is_one(
        qtbot, office, settings):
    """Empty, the field read “不规定（新建行动时再定）” beside a button labelled 不规定 that did nothing;
    now the words stand alone, and a 清除日期 button appears once a date is typed (what 不规定 did)."""
    window = shown_window(qtbot, office.session, settings)
    editor = new_editor(qtbot, window)
    deadline = editor.deadline
    row = deadline.parentWidget()
    labels = [w.text() for w in row.findChildren(QLabel) + row.findChildren(QPushButton) if w.isVisible()]
    assert sum("不规定" in text for text in labels) == 1, labels
    assert deadline.empty_hint.isVisible() and not editor.no_deadline.isVisible()

    deadline.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "2025")
    qtbot.keyClicks(QApplication.focusWidget(), "3")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "14")
    assert editor.model.draft["submission"]["default_deadline"] == "2025-03-14"
    assert editor.no_deadline.isVisible() and editor.no_deadline.text() == "清除日期"
    assert not deadline.empty_hint.isVisible()

    click(qtbot, editor.no_deadline)
    assert editor.model.draft["submission"]["default_deadline"] == ""
    assert deadline.empty_hint.isVisible() and not editor.no_deadline.isVisible()
    assert deadline.isAncestorOf(QApplication.focusWidget())  # the keyboard stays in the field, not lost
    editor.undo_action.trigger()
    assert editor.model.draft["submission"]["default_deadline"] == "2025-03-14"
    assert editor.no_deadline.isVisible() and not deadline.empty_hint.isVisible()


def test_a_shipped_template_s_default_deadline_is_shown_with_nothing_to_clear(qtbot, office, settings):
    window = shown_window(qtbot, office.session, settings)
    page = window.show_page(TemplatesPage)
    page.select("pingyang-2019")
    page.open_action.trigger()
    viewer = page.editor
    assert viewer.read_only and viewer.deadline.text() == "2019年3月14日"
    assert not viewer.no_deadline.isVisible() and not viewer.deadline.empty_hint.isVisible()
