"""Font lookup by role, per-character fallback, embedding and the ToUnicode fix — read back from real PDFs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.cjk_text import CJKParagraph, draw_text_run
from qingqing_desktop.documents.fonts import FontsMissing, font_chain, missing_characters, split_runs
from qingqing_desktop.documents.pdf_base import BODY_LEADING, SIZE_3HAO, doc_template_kwargs, new_canvas, text_frame
from tests.documents.font_fixtures import cff_fangsong, fake_sfnt  # noqa: F401 - a fixture

DEBIAN_FONTS = {
    "gbsn00lp.ttf": "fonts-arphic-gbsn00lp",
    "gkai00mp.ttf": "fonts-arphic-gkai00mp",
    "wqy-microhei.ttc": "fonts-wqy-microhei",
    "uming.ttc": "fonts-arphic-uming",
    "HanaMinB.ttf": "fonts-hanazono",
}


def _installed() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root, _dirs, files in os.walk("/usr/share/fonts"):
        for name in files:
            if name in DEBIAN_FONTS:
                found[name] = Path(root) / name
    return found


INSTALLED = _installed()
needs_debian_fonts = pytest.mark.skipif(
    len(INSTALLED) < len(DEBIAN_FONTS),
    reason="needs the Debian fonts: apt-get install " + " ".join(
        pkg for name, pkg in DEBIAN_FONTS.items() if name not in INSTALLED),
)

NAMES = ["张三", "李𡈽", "王䶮", "陈喆", "刘堃"]
SEED_TEXT = (
    "为深入贯彻落实全面从严治党要求，构建“亲”“清”新型政商关系，根据《关于开展“三清单一承诺”行动的通知》"
    "（平住建发〔2019〕27号）精神，结合我局实际，制定本方案。各科室、站、分局（所）要高度重视，认真组织"
    "中层干部和重点岗位工作人员签订反对“挈篮子”承诺书，并于2019年3月15日前将承诺书签订情况汇总表、"
    "“三清单一承诺”自查表报送局机关纪委（监察室）。联系人：王五，电话：0577-653260。"
)


@pytest.fixture(autouse=True)
def fresh_fonts():
    """Each test looks fonts up again (they read QINGQING_FONT_DIRS), and leaves no trace."""
    fonts.reset_font_cache()
    yield
    fonts.reset_font_cache()


def _pdf_fonts(path: Path) -> list[dict]:
    """Every font dictionary used by any page, with its descriptor resolved."""
    reader = pypdf.PdfReader(str(path))
    seen = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            seen[str(font["/BaseFont"])] = font
    return list(seen.values())


def _render_names_and_text(path: Path) -> None:
    from reportlab.platypus import BaseDocTemplate, PageTemplate

    body = font_chain("fangsong")
    doc = BaseDocTemplate(str(path), **doc_template_kwargs(body, title="字体测试"))
    doc.addPageTemplates([PageTemplate("p", [text_frame()])])
    story = [CJKParagraph("、".join(NAMES) + "。", body, SIZE_3HAO, BODY_LEADING)]
    story += [CJKParagraph(SEED_TEXT * 3, body, SIZE_3HAO, BODY_LEADING, "justify", 2)]
    story += [CJKParagraph("签订人：" + name, font_chain("kai"), SIZE_3HAO, BODY_LEADING) for name in NAMES]
    story += [CJKParagraph("承诺书签订情况汇总表（李𡈽）", font_chain("title"), 22, 40, "center")]
    doc.build(story)


# --------------------------------------------------------------------------- lookup


@needs_debian_fonts
def test_each_role_finds_a_font_on_this_machine():
    song = fonts.choose_font("song")
    assert song.face.path.name == "gbsn00lp.ttf" and song.note is None
    assert fonts.choose_font("kai").face.path.name == "gkai00mp.ttf"
    assert fonts.choose_font("hei").face.path.name == "wqy-microhei.ttc"
    if not any(f.matches(c) for f in fonts.scan_fonts() for c in fonts._ROLE_CANDIDATES["fangsong"]):
        fangsong = fonts.choose_font("fangsong")
        assert fangsong.served_role == "song" and fangsong.name == song.name
        assert "未找到仿宋字体" in fangsong.note and "宋体" in fangsong.note
    title = fonts.choose_font("title")
    assert "小标宋" in title.note  # no 方正小标宋 here: a stand-in, said in words
    report = fonts.font_report()
    assert any(line.startswith("宋体：") and "gbsn00lp.ttf" in line for line in report)


@needs_debian_fonts
def test_chain_has_fallbacks_for_rare_name_characters():
    chain = font_chain("song")
    faces = [f.path.name for f in chain.faces]
    assert faces[0] == "gbsn00lp.ttf"
    assert "uming.ttc" in faces and "HanaMinB.ttf" in faces
    for ch in "喆堃䶮𡈽":
        name = chain.font_for(ch)
        assert name is not None and name != chain.primary, ch  # the GB2312 font lacks them
        font = next(f for f in (fonts.pdfmetrics.getFont(n) for n in chain.names) if f.fontName == name)
        assert font.face.charToGlyph.get(ord(ch), 0) != 0, f"{ch} would print as .notdef"
    assert missing_characters("".join(NAMES), chain) == []


@needs_debian_fonts
def test_split_runs_groups_characters_by_font():
    chain = font_chain("song")
    runs = split_runs("张三李𡈽王䶮", chain)
    assert "".join(text for _name, text in runs) == "张三李𡈽王䶮"
    assert runs[0] == (chain.primary, "张三李")
    assert runs[1][1] == "𡈽" and runs[1][0] != chain.primary
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:]))  # adjacent runs differ in font


@needs_debian_fonts
def test_character_no_font_has_is_reported_and_drawn_with_the_first_font():
    chain = font_chain("song")
    odd = "\U000F0041"  # private use, plane 15: no font has it
    assert missing_characters(f"张{odd}三{odd}", chain) == [odd]
    assert split_runs(f"张{odd}三", chain) == [(chain.primary, f"张{odd}三")]
    # zero-width format characters are dropped, not drawn as boxes, and not reported
    assert missing_characters("张\u200b三\ufe00", chain) == []
    assert split_runs("张\u200b三", chain) == [(chain.primary, "张三")]


@needs_debian_fonts
def test_font_dirs_env_is_searched(tmp_path, monkeypatch):
    (tmp_path / "gbsn00lp.ttf").symlink_to(INSTALLED["gbsn00lp.ttf"])
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    assert fonts.font_search_dirs() == [tmp_path]
    assert fonts.choose_font("song").face.path.name == "gbsn00lp.ttf"
    kai = fonts.choose_font("kai")  # no Kai font there: Song stands in, with a note
    assert kai.served_role == "song" and "未找到楷体字体" in kai.note


@needs_debian_fonts
def test_unknown_chinese_font_is_used_as_a_last_resort(tmp_path, monkeypatch):
    # fonts-hanazono alone: no role font, but a usable Chinese TrueType font
    (tmp_path / "HanaMinA.ttf").symlink_to(INSTALLED["HanaMinB.ttf"].with_name("HanaMinA.ttf"))
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    song = fonts.choose_font("song")
    assert song.face.path.name == "HanaMinA.ttf" and song.served_role == "any"
    assert "未找到常用的宋体字体" in song.note
    assert missing_characters("张三李𡈽", font_chain("song")) == []


def test_no_chinese_font_raises_fonts_missing_in_chinese(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(empty))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    with pytest.raises(FontsMissing) as exc:
        font_chain("song")
    message = str(exc.value)
    assert "未找到可嵌入的中文字体" in message
    assert "apt-get install fonts-arphic-gbsn00lp" in message
    assert str(empty) in message
    assert isinstance(exc.value, fonts.QingqingError)


def test_cff_and_damaged_fonts_are_not_used(tmp_path, monkeypatch):
    # a CFF (OpenType/PostScript) font reportlab cannot embed, named like a real Song font
    fake_sfnt(tmp_path / "simsun.otf", "SimSun", [b"CFF ", b"cmap"], version=b"OTTO")
    # a TrueType-looking file whose tables are garbage
    fake_sfnt(tmp_path / "simfang.ttf", "FangSong", [b"glyf", b"loca", b"cmap", b"head", b"hhea"])
    (tmp_path / "gbsn00lp.ttf").write_bytes(b"not a font at all")
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    faces = {f.path.name: f for f in fonts.scan_fonts()}
    assert faces["simsun.otf"].truetype is False and "SimSun" in faces["simsun.otf"].families
    assert faces["simfang.ttf"].truetype is True
    assert "gbsn00lp.ttf" not in faces
    with pytest.raises(FontsMissing):
        fonts.choose_font("fangsong")


def test_to_unicode_cmap_uses_utf16_surrogates():
    cmap = fonts.to_unicode_cmap("AAAAAA+Test", [0, 0x4E00, 0x2123D])
    assert "<01> <4E00>" in cmap
    assert "<02> <D844DE3D>" in cmap
    assert "3 beginbfchar" in cmap


def test_reportlab_still_truncates_astral_tounicode():
    """Canary: if this fails, reportlab fixed its ToUnicode bug and _EmbeddedTTFont's
    override can be retired (it stays correct either way)."""
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    assert "<D844DE3D>" not in makeToUnicodeCMap("X", [0, 0x2123D])


# --------------------------------------------------------------------------- rendered PDFs


@needs_debian_fonts
def test_rendered_pdf_embeds_subsets_and_extracts_names_exactly(tmp_path):
    path = tmp_path / "names.pdf"
    _render_names_and_text(path)

    pdf_fonts = _pdf_fonts(path)
    assert len(pdf_fonts) >= 3  # primary Song + fallbacks for 䶮/喆/堃 and 𡈽 + Kai/Hei
    for font in pdf_fonts:
        base = str(font["/BaseFont"])
        assert re.fullmatch(r"/[A-Z]{6}\+.+", base), f"{base} is not a subset"
        assert font["/Subtype"] == "/TrueType"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base} is not embedded"
        assert "/ToUnicode" in font

    reader = pypdf.PdfReader(str(path))
    text_pypdf = "".join(page.extract_text() for page in reader.pages)
    with pdfplumber.open(str(path)) as pdf:
        text_plumber = "".join(page.extract_text() or "" for page in pdf.pages)
    for text in (text_pypdf, text_plumber):
        flat = text.replace("\n", "")
        assert "李𡈽" in flat and "王䶮" in flat and "陈喆" in flat and "刘堃" in flat and "张三" in flat
        assert "\u2123" not in text  # ℣: the truncated code point reportlab used to write
        assert "签订人：李𡈽" in flat
        assert "承诺书签订情况汇总表（李𡈽）" in flat
        assert "平住建发〔2019〕27号" in flat
    assert reader.metadata.title == "字体测试"


@needs_debian_fonts
def test_astral_character_glyph_is_in_the_embedded_font(tmp_path):
    """The subset that holds 𡈽 maps it back through a surrogate pair and comes from a font that has it."""
    path = tmp_path / "one.pdf"
    chain = font_chain("song")
    canvas = new_canvas(str(path), chain, title="单字")
    draw_text_run(canvas, 100, 700, "李𡈽", chain, 16)
    canvas.showPage()
    canvas.save()
    hits = []
    for font in _pdf_fonts(path):
        cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
        if "<D844DE3D>" in cmap:
            hits.append(str(font["/BaseFont"]))
        assert not re.search(r"<[0-9A-F]{2}> <2123D?>", cmap)
    assert len(hits) == 1
    assert "HanaMin" in hits[0] or "SimSun-ExtB" in hits[0]


@needs_debian_fonts
def test_many_subsets_extract_exactly(tmp_path):
    """More than 256 distinct characters per font: reportlab makes several subsets, each gets a fixed CMap."""
    chain = font_chain("song")
    common = "".join(chr(c) for c in range(0x4E00, 0x9FA5) if chain.font_for(chr(c)) == chain.primary)[:700]
    text = common + "李𡈽王䶮"
    path = tmp_path / "subsets.pdf"
    canvas = new_canvas(str(path), chain, title="多子集")
    y = 800
    for start in range(0, len(text), 30):
        draw_text_run(canvas, 40, y, text[start:start + 30], chain, 16)
        y -= 24
    canvas.showPage()
    canvas.save()
    base_fonts = [str(f["/BaseFont"]) for f in _pdf_fonts(path)]
    assert any(name.startswith("/AAAAAB+") for name in base_fonts)  # a second subset exists
    extracted = pypdf.PdfReader(str(path)).pages[0].extract_text().replace("\n", "")
    assert extracted == text
    with pdfplumber.open(str(path)) as pdf:
        assert pdf.pages[0].extract_text().replace("\n", "") == text



@needs_debian_fonts
def test_cff_faces_without_a_copy_are_listed_before_use_and_converted_once(cff_fangsong):
    calls = cff_fangsong

    pending = fonts.fonts_to_prepare(("fangsong", "song"))
    assert [face.path.name for face in pending] == ["simfang.otf"]  # 宋体 is TrueType: nothing to make
    assert calls == []  # listing converts nothing

    fonts.prepare_font(pending[0])
    assert calls == ["simfang.otf"]
    assert fonts.fonts_to_prepare(("fangsong", "song")) == []
    assert fonts.choose_font("fangsong").face.path.name == "simfang.otf"
    assert calls == ["simfang.otf"]  # choosing used the copy just made

    fonts.reset_font_cache()  # the next run of the program: the copy on disk is enough
    assert fonts.fonts_to_prepare(("fangsong",)) == []
