"""导出与打印: the real page over a real filing; documents previewed, saved and printed, and read back."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPageLayout
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton

from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.fonts import FontsMissing
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import (
    campaign_service,
    document_service,
    filing_service,
    pledge_service,
    roster_service,
    selfcheck_service,
)
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.services.document_service import DocumentKind
from qingqing_desktop.ui.common import background, messages
from qingqing_desktop.ui.common.settings import LAST_EXPORT_DIR
from qingqing_desktop.ui.documents.export_page import CHANGED_HINT, ExportPage
from tests.documents.font_fixtures import cff_fangsong, needs_sungtil  # noqa: F401 - a fixture
from tests.ui.pdf_fixtures import accept_print_dialog, pdf_pages

FILING_CHANGED = Changes(filing=True)


@pytest.fixture
def people(workspace) -> dict[str, StaffMember]:
    """Three who must sign (two signed), one who need not, and a campaign with a 自查表 short of row 3."""
    session = workspace.session
    roster = [
        StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作", title="科长", party_member=True),
        StaffMember("李𡈽", RankCategory.STAFF, post="质量监管", title="科员"),
        StaffMember("王䶮", RankCategory.STAFF, post="安全监管"),
        StaffMember("孙佳怡", RankCategory.STAFF, post="财务"),
    ]
    for member in roster:
        roster_service.add_staff(session, member)
    campaign_service.create_campaign(session, deadline=dt.date.today() + dt.timedelta(days=10))
    for name in ("单建国", "李𡈽"):
        pledge_service.set_status(session, roster[[m.name for m in roster].index(name)].id, "已签订",
                                  signed_on=dt.date.today())
    selfcheck_service.add_finding(session, row=1, problem="服务企业不够主动", measure="建立上门服务清单",
                                  owner_id=roster[0].id, due=dt.date.today() + dt.timedelta(days=30))
    selfcheck_service.confirm_none(session, 2)
    return {m.name: m for m in roster}


def _page(qtbot, workspace) -> ExportPage:
    page = ExportPage(workspace)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    return page


@pytest.fixture
def page(qtbot, workspace, people) -> ExportPage:
    return _page(qtbot, workspace)


def save_as(monkeypatch, path):
    proposed = []

    def choose(parent, caption, suggestion, file_filter):
        proposed.append(suggestion)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return proposed


def save_menu_action(page, kind, text: str):
    """The 另存为… menu entry of a document that comes in two forms."""
    return next(a for a in page.cards[kind].save_button.menu().actions() if text in a.text())


def preview(qtbot, page, kind) -> int:
    with qtbot.waitSignal(page.preview.loaded, timeout=20_000) as loaded:
        page.cards[kind].preview_button.click()
    return loaded.args[0]


# ---------------------------------------------------------------- the list


def test_lists_the_documents_of_the_campaign_with_their_state(page):
    assert page.views.currentWidget() is page.content
    assert [card.title() for card in page.cards.values()] == [
        "附件1 承诺书", "附件1 空白承诺书", "附件2 承诺书签订情况汇总表", "附件3 自查表"]
    pledges, blank, summary, selfcheck = page.cards.values()
    assert page.state_note.text().startswith("本次报送：草稿（第1版）。定稿前打印的汇总表和自查表带“草稿”水印")
    assert "共 3 份" in pledges.detail.text() and "双面打印安全" in pledges.detail.text()
    assert "已签订 2 人" in summary.detail.text()
    assert "登记问题 1 条，第3行尚未填写" in selfcheck.detail.text()
    # letters are signed by hand during the draft, so they never carry the watermark
    assert [card.state.text() for card in page.cards.values()] == ["无水印", "无水印", "草稿 · 带水印", "草稿 · 带水印"]
    assert summary.save_button.menu() is not None and pledges.save_button.menu() is None


def test_a_finalised_filing_shows_its_revision(page, workspace):
    selfcheck_service.confirm_none(workspace.session, 3)
    status = filing_service.finalize(workspace.session).status
    workspace.notify(FILING_CHANGED)
    assert page.banner.isVisible() and "现在打印的就是正式报送的材料" in page.banner.label.text()
    assert f"第1版）和内容校验码 {status.short_hash}" in page.state_note.text()
    assert page.cards[DocumentKind.SUMMARY].state.text() == "已定稿（第1版）"
    assert page.cards[DocumentKind.BLANK_PLEDGE].state.text() == "无水印"


def test_without_a_campaign_the_clerk_is_told_to_create_one(qtbot, workspace):
    page = _page(qtbot, workspace)
    assert page.views.currentWidget() is page.no_campaign and page.no_campaign.new_button.isVisible()
    campaign_service.create_campaign(workspace.session)
    workspace.notify(FILING_CHANGED)
    assert page.views.currentWidget() is page.content
    assert "暂无需要签订的人员（将打印一份空白承诺书）" in page.cards[DocumentKind.PLEDGES].detail.text()


def test_a_filing_that_cannot_be_read_is_explained_and_nothing_can_be_started(page, workspace, monkeypatch):
    def unreadable(*args, **kwargs):
        raise InputRejected("定稿快照已损坏，请从备份恢复。")

    monkeypatch.setattr(document_service, "filing_document_data", unreadable)
    workspace.notify(FILING_CHANGED)
    assert page.state_note.text() == "定稿快照已损坏，请从备份恢复。"
    assert not page.card_column.isEnabled() and not page.export_all_button.isEnabled()


# ---------------------------------------------------------------- 预览


def test_preview_renders_in_the_background_and_shows_every_page(qtbot, page):
    assert preview(qtbot, page, DocumentKind.PLEDGES) == 6  # three letters, each with its empty back
    assert page.preview.document.pageCount() == 6
    assert page.preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert page.preview.title_label.text() == "附件1 承诺书（共 6 页）"
    assert page.cards[DocumentKind.PLEDGES].pages.text() == "共 6 页"
    assert "承诺人：李𡈽" in page.preview.document.getAllText(0).text().replace("\n", "")

    assert preview(qtbot, page, DocumentKind.SELFCHECK) == 1
    assert page.cards[DocumentKind.SELFCHECK].pages.text() == "共 1 页"


def tick(qtbot, box) -> None:
    """A click on the box itself (a check box's middle may be past its text, where a click does nothing)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_after_a_first_round_the_letters_still_to_sign_can_be_printed_alone(qtbot, page, tmp_path, monkeypatch,
                                                                            dialogs):
    """Two of three have signed: 只打印尚未签订的 1 人 previews, prints and saves 王䶮's letter only."""
    card = page.cards[DocumentKind.PLEDGES]
    assert card.outstanding_only.isVisible() and card.outstanding_only.text() == "只打印尚未签订的 1 人"
    assert preview(qtbot, page, DocumentKind.PLEDGES) == 6
    with qtbot.waitSignal(page.preview.loaded, timeout=20_000) as loaded:
        tick(qtbot, card.outstanding_only)  # the preview follows the box
    assert loaded.args[0] == 2 and page.preview.title_label.text() == "附件1 承诺书（尚未签订的 1 人）（共 2 页）"
    assert "承诺人：王䶮" in page.preview.document.getAllText(0).text().replace("\n", "")
    target = tmp_path / "letters.pdf"
    proposed = save_as(monkeypatch, target)
    with qtbot.waitSignal(page.status_message, timeout=20_000):
        card.save_button.click()
    assert Path(proposed[0]).stem.endswith("_尚未签订1人")
    texts = [page_.extract_text() for page_ in pdf_pages(target)]
    assert len(texts) == 2 and "王䶮" in texts[0].replace("\n", "") and not texts[1].strip()  # the letter, its back
    tick(qtbot, card.outstanding_only)
    with qtbot.waitSignal(page.preview.loaded, timeout=20_000) as loaded:
        pass
    assert loaded.args[0] == 6


def test_the_choice_is_offered_only_when_some_letters_are_reprints(qtbot, page, workspace, people):
    card = page.cards[DocumentKind.PLEDGES]
    tick(qtbot, card.outstanding_only)
    pledge_service.set_status(workspace.session, people["王䶮"].id, "已签订", signed_on=dt.date.today())
    workspace.notify(FILING_CHANGED)  # everyone signed: nothing is outstanding
    assert card.outstanding_only.isHidden() and not card.outstanding_only.isChecked()
    assert not page.outstanding_only(DocumentKind.PLEDGES)


def test_a_change_to_the_filing_drops_the_preview(qtbot, page, workspace, people):
    preview(qtbot, page, DocumentKind.PLEDGES)
    pledge_service.set_status(workspace.session, people["王䶮"].id, "已签订", signed_on=dt.date.today())
    workspace.notify(FILING_CHANGED)
    assert page.preview.content == b"" and page.preview.placeholder.text() == CHANGED_HINT
    assert page.cards[DocumentKind.PLEDGES].pages.text() == ""
    assert preview(qtbot, page, DocumentKind.SUMMARY) == 1
    assert "王䶮" in page.preview.document.getAllText(0).text()


@pytest.mark.parametrize("error,shown", [
    (FontsMissing([]), "未找到可嵌入的中文字体"),
    (InputRejected("附件格式不对"), "附件格式不对"),
])
def test_rendering_errors_are_shown_in_chinese(qtbot, page, monkeypatch, dialogs, error, shown):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(document_service, "render_document", fail)
    page.cards[DocumentKind.PLEDGES].preview_button.click()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert dialogs.texts("warning")[0].startswith(shown)
    assert page.preview.content == b""


# ---------------------------------------------------------------- 另存为


def test_save_as_pdf_writes_the_letters_with_the_default_name(qtbot, page, workspace, tmp_path, monkeypatch, dialogs):
    workspace.settings.set(LAST_EXPORT_DIR, str(tmp_path))
    target = tmp_path / "out" / "承诺书"  # no extension typed: .pdf is added
    target.parent.mkdir()
    proposed = save_as(monkeypatch, target)
    with qtbot.waitSignal(page.status_message, timeout=20_000):
        page.cards[DocumentKind.PLEDGES].save_button.click()
    written = target.with_name("承诺书.pdf")
    data = document_service.filing_document_data(workspace.session, with_key=False)
    assert proposed == [str(tmp_path / document_service.document_file_name(data, DocumentKind.PLEDGES, "pdf"))]
    assert len(pdf_pages(written)) == 6
    assert dialogs.texts("saved") == [str(written)]
    assert workspace.settings.get(LAST_EXPORT_DIR) == str(target.parent)


def test_save_as_excel_from_the_menu_writes_the_summary_table(qtbot, page, tmp_path, monkeypatch, dialogs):
    target = tmp_path / "汇总表.xlsx"
    save_as(monkeypatch, target)
    with qtbot.waitSignal(page.status_message, timeout=20_000):
        save_menu_action(page, DocumentKind.SUMMARY, "Excel").trigger()
    sheet = openpyxl.load_workbook(target).active
    assert [sheet["B5"].value, sheet["B6"].value] == ["单建国", "李𡈽"]
    assert dialogs.texts("saved") == [str(target)]


def test_cancel_during_export_writes_nothing(qtbot, page, tmp_path, monkeypatch, dialogs):
    out = tmp_path / "out"
    out.mkdir()
    save_as(monkeypatch, out / "自查表.pdf")
    rendering, release = threading.Event(), threading.Event()
    render = document_service.render_document

    def slow_render(*args, **kwargs):
        rendering.set()
        release.wait(5)
        return render(*args, **kwargs)

    monkeypatch.setattr(document_service, "render_document", slow_render)
    save_menu_action(page, DocumentKind.SELFCHECK, "PDF").trigger()
    qtbot.waitUntil(rendering.is_set)  # 取消 while the document is being rendered
    cancel = page.findChild(QProgressDialog).findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not background.is_busy())
    assert list(out.iterdir()) == []  # no file, and no temporary file left behind
    assert dialogs.texts("saved") == [] and dialogs.texts("warning") == []


def test_export_all_writes_every_document_into_the_folder(qtbot, page, workspace, tmp_path, monkeypatch, dialogs):
    out = tmp_path / "报送材料"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args: str(out)))
    exported = []
    monkeypatch.setattr(messages, "files_exported", lambda parent, folder, paths: exported.append((folder, paths)))
    with qtbot.waitSignal(page.status_message, timeout=30_000):
        page.export_all_button.click()
    ((folder, paths),) = exported
    assert folder == out and sorted(paths) == sorted(out.iterdir())
    assert [p.suffix for p in paths] == [".pdf", ".pdf", ".pdf", ".xlsx", ".pdf", ".xlsx"]
    assert len(pdf_pages(paths[0])) == 6
    assert workspace.settings.get(LAST_EXPORT_DIR) == str(out)
    assert dialogs.texts("confirm") == []

    # Into the same folder again: the clerk is asked before files are overwritten.
    dialogs.confirm_answer = False
    page.export_all_button.click()
    assert "将被覆盖" in dialogs.texts("confirm")[0] and len(exported) == 1


# ---------------------------------------------------------------- 打印


def test_print_letters_page_by_page(qtbot, page, tmp_path, monkeypatch):
    output = tmp_path / "打印.pdf"
    record = accept_print_dialog(monkeypatch, output)
    with qtbot.waitSignal(page.status_message, timeout=30_000) as printed:
        page.cards[DocumentKind.PLEDGES].print_button.click()
    assert printed.args == ["已发送到打印机：6 页。"]
    assert record.suggested[0]["document_name"] == "附件1 承诺书"
    assert len(pdf_pages(output)) == 6


def test_print_the_selfcheck_table_in_landscape_from_the_preview(qtbot, page, tmp_path, monkeypatch):
    output = tmp_path / "自查表打印.pdf"
    record = accept_print_dialog(monkeypatch, output)
    preview(qtbot, page, DocumentKind.SELFCHECK)
    with qtbot.waitSignal(page.status_message, timeout=30_000):
        page.preview.print_button.click()
    assert record.suggested[0]["orientation"] == QPageLayout.Orientation.Landscape
    (printed,) = pdf_pages(output)
    assert float(printed.mediabox.width) > float(printed.mediabox.height)


# ---------------------------------------------------------------- faces that stood in


def test_the_page_says_once_which_face_stood_in(qtbot, workspace, people, monkeypatch, tmp_path):
    """On a machine with only the minimal Linux fonts (no 仿宋, no 小标宋), the first preview
    tells, in words, which faces stood in and how to install the right ones — once."""
    from pathlib import Path


    minimal = [Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
               Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")]
    if not all(p.exists() for p in minimal):
        pytest.skip("needs fonts-arphic-gbsn00lp and fonts-wqy-microhei")
    folder = tmp_path / "fonts"
    folder.mkdir()
    for path in minimal:
        (folder / path.name).symlink_to(path)
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(folder))
    monkeypatch.setenv("QINGQING_SYSTEM_FONTS", "0")
    fonts.reset_font_cache()
    try:
        page = _page(qtbot, workspace)
        assert page.font_note.isHidden()  # nothing known before a document is made
        with qtbot.waitSignal(page.preview.loaded, timeout=20_000):
            qtbot.mouseClick(page.cards[DocumentKind.PLEDGES].preview_button, Qt.MouseButton.LeftButton)
        assert page.font_note.isVisible()
        said = page.font_note.text()
        assert "未找到仿宋字体" in said and "宋体加粗" in said and "方正小标宋简体" in page.font_note.toolTip()
        assert said.count("未找到仿宋字体") == 1
        # the file names and folders to install fonts are for whoever looks after the PC: in the tooltip
        assert "simfang.ttf" not in said and "simfang.ttf" in page.font_note.toolTip()
        with qtbot.waitSignal(page.preview.loaded, timeout=20_000):
            qtbot.mouseClick(page.cards[DocumentKind.SUMMARY].preview_button, Qt.MouseButton.LeftButton)
        assert page.font_note.text() == said  # said once, not again for each document
    finally:
        fonts.reset_font_cache()


@needs_sungtil
def test_first_preview_says_it_is_preparing_a_font_while_it_converts(qtbot, workspace, people, cff_fangsong,
                                                                     monkeypatch):
    # The conversion (a minute with fontTools) waits here until the test has read the progress box.
    read, converting = threading.Event(), threading.Event()
    convert = fonts.truetype_copy

    def slow_convert(source, index=0):
        converting.set()
        assert read.wait(20)
        return convert(source, index)

    monkeypatch.setattr(fonts, "truetype_copy", slow_convert)
    page = _page(qtbot, workspace)
    qtbot.mouseClick(page.cards[DocumentKind.SELFCHECK].preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(converting.is_set, timeout=10_000)

    def box() -> QProgressDialog | None:
        return next((w for w in page.findChildren(QProgressDialog) if w.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None and "准备打印字体“FangSong”" in box().labelText(), timeout=10_000)
    assert "以后不再需要" in box().labelText()
    with qtbot.waitSignal(page.preview.loaded, timeout=20_000):
        read.set()
    assert cff_fangsong[0] == "simfang.otf" and box() is None
