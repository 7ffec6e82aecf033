"""The attachments as a 公文 attachment: the faces used per role, read back from the PDFs, on
this machine, on one with only the Linux stand-ins, on one with only the minimal fonts and on
one with the proper faces; what the export says about them; the 附件3 signature blank;
clerk-numbered findings; the seal over text."""

from __future__ import annotations

import dataclasses
import io
import os
import re
from pathlib import Path

import openpyxl
import pdfplumber
import pypdf
import pytest
from filing_samples import CADRE, STAFF, compact, entry, filing, png_seal, sections, text_lines

from qingqing_desktop.cli import main
from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.filing_data import FindingEntry, SelfCheckSection
from qingqing_desktop.documents.pledge_pdf import write_pledge_letters
from qingqing_desktop.documents.selfcheck_pdf import write_selfcheck_pdf
from qingqing_desktop.documents.selfcheck_xlsx import write_selfcheck_xlsx
from qingqing_desktop.documents.summary_pdf import write_summary_pdf
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx
from qingqing_desktop.domain.numbered_text import starts_numbered
from qingqing_desktop.services import document_service

FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")
NOTO_SERIF_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
SUNGTI = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
HANAMIN = [Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")]

needs_stand_ins = pytest.mark.skipif(
    not (FANDOL.exists() and NOTO_SERIF_BOLD.exists()),
    reason="needs the open stand-ins that ./dev installs: apt-get install texlive-lang-chinese fonts-noto-cjk",
)
needs_minimal = pytest.mark.skipif(not (SUNGTI.exists() and MICROHEI.exists()),
                                   reason="needs fonts-arphic-gbsn00lp and fonts-wqy-microhei")


@pytest.fixture(autouse=True)
def fresh_fonts():
    fonts.reset_font_cache()
    yield
    fonts.reset_font_cache()


def only_fonts(monkeypatch, tmp_path: Path, files: list[Path]) -> Path:
    """A machine whose only fonts are ``files`` (linked into a folder; system folders ignored)."""
    folder = tmp_path / "fonts"
    folder.mkdir(exist_ok=True)
    for path in files:
        if path.exists():
            (folder / path.name).symlink_to(path)
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(folder))
    monkeypatch.setenv("QINGQING_SYSTEM_FONTS", "0")
    fonts.reset_font_cache()
    return folder


def ps_name(role: str) -> str:
    """The PostScript name the PDF shows for the font chosen for ``role`` (without a .ttc's “-n”)."""
    name = fonts.pdfmetrics.getFont(fonts.font_chain(role).primary).face.name
    return re.sub(r"-\d+$", "", name.decode() if isinstance(name, bytes) else name)


def fonts_of(pdf: bytes, page: int = 0) -> dict[str, set[str]]:
    """Font names (subset prefix removed) of the characters of each text on ``page``, by the
    text's role: 'title' (≥ 20 pt), 'label' (附件n：), 'header' (the table's first row), 'text'."""
    found: dict[str, set[str]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = [c for c in doc.pages[page].chars if c["size"] < 60 and c["text"].strip()]  # no watermark
        header_top = min((c["top"] for c in chars if c["text"] in "序项" and c["size"] < 16), default=None)
        label_top = next((c["top"] for c in chars if c["text"] == "附" and c["size"] == 16), None)
        for c in chars:
            font = re.sub(r"-\d+$", "", c["fontname"].split("+", 1)[-1])  # a .ttc face gets “-n”
            if c["size"] >= 20:
                role = "title"
            elif label_top is not None and abs(c["top"] - label_top) < 2:
                role = "label"
            elif header_top is not None and abs(c["top"] - header_top) < 2:
                role = "header"
            elif c["size"] in (10.5, 12, 16):
                role = "text"
            else:
                continue
            found.setdefault(role, set()).add(font)
    return found


def letters(data) -> bytes:
    out = io.BytesIO()
    write_pledge_letters(out, data, duplex=False)
    return out.getvalue()


def summary(data) -> bytes:
    out = io.BytesIO()
    write_summary_pdf(out, data)
    return out.getvalue()


def selfcheck(data) -> bytes:
    out = io.BytesIO()
    write_selfcheck_pdf(out, data)
    return out.getvalue()


# A roster of common names only: every character in the body faces (GB2312)
PLAIN = tuple(entry(name, CADRE if i == 0 else STAFF, title=title)
              for i, (name, title) in enumerate([("张伟", "办公室主任"), ("王芳", "副主任科员"), ("李娜", "一级科员")]))


def assert_faces(role_fonts: dict[str, set[str]], expected: dict[str, str]) -> None:
    for role, font in expected.items():
        assert role_fonts.get(role) == {font}, (role, role_fonts)


def check_faces_per_role() -> None:
    data = filing(3, pledges=PLAIN, finalised=True)
    body, title, hei = ps_name("fangsong"), ps_name("title"), ps_name("hei")
    assert_faces(fonts_of(letters(data)), {"title": title, "label": hei, "text": body})
    assert_faces(fonts_of(summary(data)), {"title": title, "label": hei, "header": hei, "text": body})
    assert_faces(fonts_of(selfcheck(dataclasses.replace(data, self_check=plain_sections()))),
                 {"title": title, "label": hei, "header": hei, "text": body})


def plain_sections():
    return tuple(SelfCheckSection(s.item, s.none_confirmed,
                                  tuple(dataclasses.replace(f, owner="张伟") for f in s.findings))
                 for s in sections())


# --------------------------------------------------------------------------- faces


def test_faces_per_role_on_this_machine():
    """Letters and tables set in the 仿宋 chosen here, titles in the 小标宋 chosen here, labels
    and table headers in 黑体 — whatever this machine has, each role keeps to its own face."""
    check_faces_per_role()


@needs_stand_ins
def test_on_this_machine_the_open_stand_ins_are_used_and_named():
    """./dev installs FandolFang and Noto Serif CJK: they stand in for 仿宋 and 小标宋, and the
    export says so naming them and how to install the proper faces."""
    assert ps_name("fangsong") == "FandolFang-Regular"
    assert ps_name("title") == "NotoSerifCJKsc-Bold"
    notes = document_service.font_notes()
    assert any("FandolFang" in n and "仿宋" in n and "simfang.ttf" in n for n in notes), notes
    assert any("Noto Serif CJK SC Bold" in n and "方正小标宋简体" in n for n in notes), notes
    # Named as a clerk knows them, Chinese first: the font files' own names are English only.
    brief = document_service.font_notes(brief=True)
    assert any("改用“Fandol仿宋 FandolFang”" in n for n in brief), brief
    assert any("改用“思源宋体粗体 Noto Serif CJK SC Bold”" in n for n in brief), brief


@needs_stand_ins
def test_a_machine_with_only_the_linux_stand_ins(monkeypatch, tmp_path):
    only_fonts(monkeypatch, tmp_path, [FANDOL, NOTO_SERIF_BOLD, SUNGTI, MICROHEI, UKAI, UMING, *HANAMIN])
    assert ps_name("fangsong") == "FandolFang-Regular" and ps_name("title") == "NotoSerifCJKsc-Bold"
    check_faces_per_role()
    # a rare name borrows from 楷体 before 明体: the closest style to 仿宋
    chain = fonts.font_chain("fangsong")
    assert chain.font_for("喆") != chain.primary
    assert "UKai" in fonts.pdfmetrics.getFont(chain.font_for("喆")).face.name.decode()
    assert len(document_service.font_notes()) == 2


@needs_minimal
def test_a_machine_with_only_song_and_hei_says_what_stood_in(monkeypatch, tmp_path):
    """No 仿宋 and no 小标宋 at all: the body is set in 宋体 and the title in 宋体 drawn bold,
    and the notes say exactly that."""
    only_fonts(monkeypatch, tmp_path, [SUNGTI, MICROHEI])
    fangsong, title = fonts.choose_font("fangsong"), fonts.choose_font("title")
    assert fangsong.served_role == "song" and "未找到仿宋字体" in fangsong.note
    assert title.served_role == "song" and title.embolden > 0
    assert "宋体加粗" in title.note and "方正小标宋简体" in title.note
    pdf = letters(filing(1, pledges=PLAIN[:1], finalised=True))
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert " 2 Tr" in content  # the title's glyphs are filled and stroked: bold
    assert len(document_service.font_notes()) == 2


def _renamed_font(source: Path, target: Path, family: str) -> None:
    """A small copy of ``source`` that calls itself ``family`` (a stand-in for a Windows face)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=0)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="附件一二三四五六七八九十反对承诺书汇总表自查单位盖章年月日中华人民共和国0123456789：、，。“”（）")
    subsetter.subset(font)
    name = font["name"]
    name.names = []
    for name_id, value in ((1, family), (2, "Regular"), (4, family), (6, family.replace(" ", ""))):
        name.setName(value, name_id, 3, 1, 0x409)
    font.save(str(target))


@needs_minimal
def test_with_the_proper_faces_nothing_is_said(monkeypatch, tmp_path):
    folder = tmp_path / "windows"
    folder.mkdir()
    for file, family in (("simfang.ttf", "FangSong"), ("fzxbsjw.ttf", "FZXiaoBiaoSong-B05S"),
                         ("simsun.ttf", "SimSun"), ("simhei.ttf", "SimHei"), ("simkai.ttf", "KaiTi")):
        _renamed_font(SUNGTI, folder / file, family)
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(folder))
    monkeypatch.setenv("QINGQING_SYSTEM_FONTS", "0")
    fonts.reset_font_cache()
    assert ps_name("fangsong") == "FangSong" and ps_name("title") == "FZXiaoBiaoSong-B05S"
    assert document_service.font_notes() == []


@needs_minimal
def test_cli_export_says_once_which_face_stood_in(unit_session, db_path, tmp_path, capsys, monkeypatch):
    from qingqing_desktop.services import campaign_service

    campaign_service.create_campaign(unit_session, deadline="2019-03-14")
    only_fonts(monkeypatch, tmp_path, [FANDOL, NOTO_SERIF_BOLD, SUNGTI, MICROHEI, UKAI, UMING])
    notes = document_service.font_notes()
    assert len(notes) == 2
    capsys.readouterr()
    assert main(["--db", str(db_path), "export", "all", "--out-dir", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    for note in notes:
        assert err.count(note) == 1  # once for the whole set, not once per file
    assert main(["--db", str(db_path), "export", "summary", "--out", str(tmp_path / "附件2.xlsx")]) == 0
    assert "注意（字体）" not in capsys.readouterr().err  # an Excel file has no faces of ours


# --------------------------------------------------------------------------- 附件3 blanks and numbers


def test_signature_blank_stays_blank_in_pdf_and_excel(tmp_path):
    data = filing(3, leader="林素仙", finalised=True)
    pdf = selfcheck(data)
    text = compact("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "林素仙" not in text
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        label = [c for c in page.chars if c["text"] == "签"][0]
        date = [c for c in page.chars if c["text"] == "2" and abs(c["top"] - label["top"]) < 20]
        line_chars = [c for c in page.chars if abs(c["top"] - label["top"]) < 20 and c["x0"] > label["x1"]]
        right_of_label = "".join(c["text"] for c in line_chars if c["x0"] < (date[0]["x0"] if date else 1e9))
        assert right_of_label.strip("名：: ") == ""  # nothing printed on or under the rule
    path = tmp_path / "附件3.xlsx"
    write_selfcheck_xlsx(path, data)
    ws = openpyxl.load_workbook(path).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("林素仙" in v for v in values)
    assert ws["C3"].value == data.template.self_check.leader_label


def test_letters_leave_the_signer_and_date_blank():
    pdf = letters(filing(2, pledges=PLAIN[:2], finalised=True))
    for lines in text_lines(pdf):
        signer = next(line for line in lines if compact(line).startswith("承诺人："))
        assert compact(signer) == "承诺人："
        date = next(line for line in lines if compact(line) == "年月日")
        assert date


@pytest.mark.parametrize("text", ["一、对企业答复不及时", "二．审批时限长", "1. 建立首问负责制", "1、压缩时限", "2）推行并联",
                                  "（1）加强培训", "(2) 完善制度", "① 建立台账", "⑵ 健全机制", "第一，加强学习",
                                  "第二条 完善", "一是加强教育", "a) 自查", "A．整改"])
def test_clerk_numbers_are_recognised(text):
    assert starts_numbered(text)


@pytest.mark.parametrize("text", ["对企业答复不及时", "1.5倍时限", "2019年3月完成", "一些事项办理慢", "一般工作人员",
                                  "12345热线投诉", "第三方评估", "A4纸张"])
def test_ordinary_texts_are_not_taken_for_numbers(text):
    assert not starts_numbered(text)


def test_a_finding_the_clerk_numbered_is_not_numbered_again(tmp_path):
    rows = sections()
    first = (FindingEntry("一、对企业咨询答复不够及时", "1. 建立首问负责制", "张伟", rows[0].findings[0].due),
             FindingEntry("二、部分审批事项办理时限偏长", "（2）压缩审批时限", "李𡈽", rows[0].findings[1].due))
    third = (FindingEntry("① 报备制度不完善", "完善报备制度", "王䶮", rows[2].findings[0].due),
             FindingEntry("② 台账不全", "建立台账", "王䶮", rows[2].findings[0].due))
    data = filing(3, finalised=True, self_check=(dataclasses.replace(rows[0], findings=first), rows[1],
                                                 dataclasses.replace(rows[2], findings=third)))
    text = compact("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(selfcheck(data))).pages))
    assert "一、对企业咨询答复不够及时" in text and "1．一、" not in text and "1．1." not in text
    assert "2．二、" not in text and "1．①" not in text and "2．（2）" not in text
    path = tmp_path / "附件3.xlsx"
    write_selfcheck_xlsx(path, data)
    cells = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row if c.value]
    assert "一、对企业咨询答复不够及时" in cells and "1. 建立首问负责制" in cells
    # a row with several findings the clerk did not number is still numbered 1．2．
    plain = compact("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(selfcheck(filing(3)))).pages))
    assert "1．对企业咨询答复不够及时" in plain and "2．部分审批事项办理时限偏长" in plain


# --------------------------------------------------------------------------- Excel heading


def test_excel_heading_rows_grow_to_fit_a_long_unit_name(tmp_path):
    unit = "平阳县住房和城乡建设局鳌江住房和城乡建设分局城乡建设档案室"
    data = filing(3, unit_name=unit)
    for write, name in ((write_summary_xlsx, "附件2.xlsx"), (write_selfcheck_xlsx, "附件3.xlsx")):
        write(tmp_path / name, data)
        ws = openpyxl.load_workbook(tmp_path / name).active
        assert unit in ws["A3"].value
        assert ws["A3"].alignment.wrap_text
        short = tmp_path / f"short-{name}"
        write(short, filing(3))
        short_height = openpyxl.load_workbook(short).active.row_dimensions[3].height
        assert ws.row_dimensions[3].height > short_height >= 24  # two lines of 12 pt, not one


# --------------------------------------------------------------------------- the seal


def _opaque_seal() -> bytes:
    """A red ring on opaque white paper, as a scan not made transparent."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 300), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((10, 10, 290, 290), outline=(220, 30, 30), width=14)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_seal_never_hides_the_text_under_it():
    import pypdfium2

    unit = "平阳县住房和城乡建设局"
    data = filing(3, unit_name=unit, finalised=True)
    plain, sealed = summary(data), summary(dataclasses.replace(data, seal_image=_opaque_seal()))
    page = pypdf.PdfReader(io.BytesIO(sealed)).pages[0]
    states = page["/Resources"].get("/ExtGState", {})
    assert any(s.get_object().get("/BM") == "/Multiply" for s in states.values())

    def ink(pdf: bytes) -> int:
        """Dark pixels of the unit name's line, where the seal sits (150 dpi)."""
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            chars = [c for c in doc.pages[0].chars if c["text"] in unit and c["size"] == 16]
        top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
        left, right = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
        image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil().convert("L")
        box = image.crop(tuple(int(v * 150 / 72) for v in (left, top, right, bottom)))
        return sum(box.histogram()[:100])

    assert ink(sealed) >= 0.95 * ink(plain) > 0  # every stroke of the name still prints black


def test_png_seal_with_alpha_is_still_drawn():
    pdf = summary(filing(3, seal_image=png_seal(), finalised=True))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"].get("/XObject") or {}
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_fonts_env_switch_leaves_system_folders_out(monkeypatch, tmp_path):
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path))
    monkeypatch.setenv("QINGQING_SYSTEM_FONTS", "0")
    assert fonts.font_search_dirs() == [tmp_path]
    monkeypatch.delenv("QINGQING_SYSTEM_FONTS")
    assert fonts.font_search_dirs()[0] == tmp_path and len(fonts.font_search_dirs()) > 1
    assert os.pathsep  # (QINGQING_FONT_DIRS may hold several folders)


# --------------------------------------------------------------------------- last pages


def _last_page(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), reader.pages[-1].extract_text()


@pytest.mark.slow
def test_no_summary_table_ends_on_a_page_of_one_or_two_rows(monkeypatch):
    """附件2 for every unit size from 1 to 300 people: the last page holds at least three rows
    with the 填报说明 (or the whole table is on one page)."""
    monkeypatch.setattr("qingqing_desktop.documents.stamp.draw_qr", lambda *a, **k: None)  # layout only
    everyone = filing(300, finalised=True).pledges
    for n in range(1, 301):
        pages, text = _last_page(summary(filing(n, pledges=everyone[:n], finalised=True)))
        numbers = [int(m) for m in re.findall(r"^\s*(\d+)\s", text, re.M) if int(m) <= n]
        assert "填报说明" in text, n
        assert pages == 1 or len(numbers) >= 3, (n, pages, numbers)
        assert numbers and numbers[-1] == n, (n, numbers)


@pytest.mark.slow
def test_no_selfcheck_table_ends_on_a_page_of_one_or_two_findings(monkeypatch):
    """附件3 with 1 to 300 findings: the last page holds at least three findings with the 填表说明."""
    monkeypatch.setattr("qingqing_desktop.documents.stamp.draw_qr", lambda *a, **k: None)
    rows = sections()
    due = rows[0].findings[0].due
    many = tuple(FindingEntry(f"问题{i}：窗口答复不够及时", f"措施{i}：限时答复", "张伟", due) for i in range(300))
    for n in range(1, 301):
        data = filing(3, finalised=True, self_check=(dataclasses.replace(rows[0], findings=many[:n]),
                                                     dataclasses.replace(rows[1], none_confirmed=True),
                                                     dataclasses.replace(rows[2], findings=())))
        pages, text = _last_page(selfcheck(data))
        # rows on the last page: its findings, the 无 row of 负面清单, the empty 可能衍生 row
        last_rows = len(re.findall(r"问题(\d+)", text)) + ("负面" in text) + ("可能衍生" in text)
        assert "填表说明" in text, n
        assert pages == 1 or last_rows >= 3, (n, pages, last_rows)
