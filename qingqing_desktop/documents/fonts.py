"""Chinese fonts for every PDF the application renders.

Fonts are chosen by *role* (``song`` 宋体, ``fangsong`` 仿宋, ``kai`` 楷体, ``hei`` 黑体,
``title`` 小标宋), never by a hard-coded file: each role has an ordered list of
candidate families, matched against the family names read from the fonts' own
``name`` tables (with well-known file names as a second key, for fonts whose name
table is odd). The Windows faces come first (仿宋 FangSong / 仿宋_GB2312, 方正小标宋简体,
宋体, 黑体, 楷体, and 华文 faces from Microsoft Office); on Linux, including 统信UOS and
麒麟, openly licensed stand-ins follow: FandolFang for 仿宋 and Noto Serif CJK SC Bold
(思源宋体) for 小标宋. These two are CFF fonts, which reportlab cannot embed: they are
used through a TrueType copy made once by :mod:`.font_conversion`. A face that stands
in for the proper one, or a role served by another role's font (a 宋体 drawn bold for
a missing 小标宋), carries a Chinese ``note`` saying so and how to install the right
face; :func:`substitution_notes` collects them for the export to show once.

A :class:`FontChain` is the chosen font followed by fallback fonts; every character
is drawn with the first font of the chain whose ``cmap`` has it, so a name such as
陈喆, 王䶮 or 李𡈽 never prints as a box when the GB2312 body font lacks the character.
Fallbacks are ordered by likeness to the role's style (a 仿宋 line borrows from 楷体
before 明体).

Fonts are embedded as subsets with a ToUnicode CMap that is correct for characters
outside the BMP (see :class:`_EmbeddedTTFont`; reportlab's own CMap truncates them).

Search order: the folders in ``QINGQING_FONT_DIRS`` (``os.pathsep``-separated), then
the system folders (Windows: ``%WINDIR%\\Fonts`` and the per-user font folder;
Linux: ``/usr/share/fonts`` and friends, walked recursively, and TeX Live's Fandol
folder); ``QINGQING_SYSTEM_FONTS=0`` leaves the system folders out, to see what a
machine with only the given fonts prints.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from qingqing_desktop.documents.font_conversion import cached_copy, truetype_copy
from qingqing_desktop.domain.errors import QingqingError

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "FontsMissing",
    "FontFace",
    "ChosenFont",
    "FontChain",
    "font_search_dirs",
    "system_font_dirs",
    "scan_fonts",
    "choose_font",
    "fonts_to_prepare",
    "prepare_font",
    "font_chain",
    "split_runs",
    "missing_characters",
    "font_report",
    "substitution_notes",
    "reset_font_cache",
    "to_unicode_cmap",
]

ENV_FONT_DIRS = "QINGQING_FONT_DIRS"
ENV_SYSTEM_FONTS = "QINGQING_SYSTEM_FONTS"

ROLES = ("song", "fangsong", "kai", "hei", "title")
ROLE_LABELS = {
    "song": "宋体",
    "fangsong": "仿宋",
    "kai": "楷体",
    "hei": "黑体",
    "title": "小标宋",
}

# When no font of a role exists, the next-best roles, in order. 小标宋 is a heavy Song:
# without one, 宋体 drawn bold (as Word bolds 宋体) is closer than 黑体.
_ROLE_FALLBACKS = {
    "song": ("fangsong", "kai", "hei"),
    "fangsong": ("song", "kai", "hei"),
    "kai": ("song", "fangsong", "hei"),
    "hei": ("song", "fangsong", "kai"),
    "title": ("song", "fangsong", "hei", "kai"),
}
# Roles whose font is drawn bold (stroked as well as filled) when it serves the title.
_EMBOLDENED_FOR_TITLE = ("song", "fangsong", "kai")
EMBOLDEN = 0.03  # stroke width, in em, of a font drawn bold (about Word’s bold 宋体)

# Used to recognise an unknown font as a usable Chinese font (last resort only).
_CJK_PROBE = "中华人民共和国的一是了不在有，。“”"


class FontsMissing(QingqingError):
    """No embeddable Chinese TrueType font was found; ``str(exc)`` is Chinese."""

    def __init__(self, searched: list[Path]):
        self.searched = list(searched)
        where = "、".join(str(p) for p in self.searched) or "（无）"
        super().__init__(
            "未找到可嵌入的中文字体（TrueType），无法生成可阅读的 PDF。"
            "Windows 系统自带宋体、仿宋、楷体、黑体，请检查系统字体文件夹（C:\\Windows\\Fonts）是否完整；"
            "Debian/Ubuntu/统信UOS/麒麟 请安装：sudo apt-get install fonts-arphic-gbsn00lp fonts-arphic-gkai00mp "
            "fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai fonts-hanazono texlive-lang-chinese fonts-noto-cjk；"
            f"也可把字体文件放入一个文件夹并用环境变量 {ENV_FONT_DIRS} 指向它。"
            f"已查找的文件夹：{where}。"
        )


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class _Candidate:
    label: str  # names the face when it stands in, Chinese first (a clerk knows 思源宋体, not Noto Serif CJK)
    families: tuple[str, ...] = ()
    files: tuple[tuple[str, int], ...] = ()  # (file name, subfont index)
    # An open face standing in for the 公文 face of its role (FandolFang for 仿宋, Noto Serif
    # CJK SC Bold for 小标宋): used, and the export says which face stood in.
    stand_in: bool = False


def _c(label: str, families: tuple[str, ...], files: tuple[tuple[str, int], ...] = (), *,
       stand_in: bool = False) -> _Candidate:
    return _Candidate(label, families, files, stand_in)


_SIMSUN = _c("宋体 SimSun", ("SimSun", "宋体"), (("simsun.ttc", 0), ("simsun.ttf", 0)))
_STSONG = _c("华文宋体 STSong", ("STSong", "华文宋体"), (("stsong.ttf", 0),))
_SUNGTIL = _c("文鼎PL简报宋 AR PL SungtiL GB", ("AR PL SungtiL GB", "文鼎PL简报宋"), (("gbsn00lp.ttf", 0),))
_UMING = _c("文鼎PL明体 AR PL UMing CN", ("AR PL UMing CN",), (("uming.ttc", 0),))
_SIMFANG = _c("仿宋 FangSong", ("FangSong", "仿宋"), (("simfang.ttf", 0),))
_FANGSONG_GB2312 = _c("仿宋_GB2312", ("FangSong_GB2312", "仿宋_GB2312"), (("fs_gb2312.ttf", 0),))
_FZ_FANGSONG = _c("方正仿宋", ("FZFangSong-Z02S", "方正仿宋简体", "FZFangSong-Z02", "方正仿宋_GBK"), (("fzfsjw.ttf", 0), ("fzfsk.ttf", 0)))
_STFANGSONG = _c("华文仿宋 STFangsong", ("STFangsong", "华文仿宋"), (("stfangso.ttf", 0),))
_FANDOL_FANG = _c("Fandol仿宋 FandolFang", ("FandolFang",), (("fandolfang-regular.otf", 0),), stand_in=True)
_SIMKAI = _c("楷体 KaiTi", ("KaiTi", "楷体"), (("simkai.ttf", 0),))
_KAITI_GB2312 = _c("楷体_GB2312", ("KaiTi_GB2312", "楷体_GB2312"), (("kai_gb2312.ttf", 0),))
_STKAITI = _c("华文楷体 STKaiti", ("STKaiti", "华文楷体"), (("stkaiti.ttf", 0),))
_GKAI = _c("文鼎PL简中楷 AR PL KaitiM GB", ("AR PL KaitiM GB", "文鼎PL简中楷"), (("gkai00mp.ttf", 0),))
_UKAI = _c("文鼎PL中楷 AR PL UKai CN", ("AR PL UKai CN",), (("ukai.ttc", 0),))
_SIMHEI = _c("黑体 SimHei", ("SimHei", "黑体"), (("simhei.ttf", 0),))
_YAHEI = _c("微软雅黑 Microsoft YaHei", ("Microsoft YaHei", "微软雅黑"), (("msyh.ttc", 0), ("msyh.ttf", 0)))
_WQY_MICRO = _c("文泉驿微米黑 WenQuanYi Micro Hei", ("WenQuanYi Micro Hei", "文泉驿微米黑"), (("wqy-microhei.ttc", 0),))
_WQY_ZEN = _c("文泉驿正黑 WenQuanYi Zen Hei", ("WenQuanYi Zen Hei", "文泉驿正黑"), (("wqy-zenhei.ttc", 0),))
_FZ_XBS = _c(
    "方正小标宋",
    ("FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXiaoBiaoSong-B05", "方正小标宋_GBK", "方正小标宋"),
    (("fzxbsjw.ttf", 0), ("fzxbsk.ttf", 0)),
)
# 小标宋 stand-ins, closest first: a medium Song from Microsoft Office, then heavy open serifs.
_STZHONGSONG = _c("华文中宋 STZhongsong", ("STZhongsong", "华文中宋"), (("stzhongs.ttf", 0),), stand_in=True)
_NOTO_SERIF_BOLD = _c("思源宋体粗体 Noto Serif CJK SC Bold",
                      ("Noto Serif CJK SC Bold", "Source Han Serif SC Bold", "Source Han Serif CN Bold",
                       "思源宋体 Bold", "Noto Serif SC Bold"), stand_in=True)
_NOTO_SERIF_HEAVY = _c("思源宋体 Noto Serif CJK SC SemiBold/Black",
                       ("Noto Serif CJK SC SemiBold", "Source Han Serif SC SemiBold", "Noto Serif CJK SC Black",
                        "Source Han Serif SC Heavy", "Noto Serif SC SemiBold", "Noto Serif SC Black"), stand_in=True)
_FANDOL_SONG_BOLD = _c("Fandol宋体粗体 FandolSong Bold", ("FandolSong Bold", "FandolSong-Bold"), (("fandolsong-bold.otf", 0),),
                       stand_in=True)
_SIMSUN_EXTB = _c("宋体-方正超大字符集 SimSun-ExtB", ("SimSun-ExtB",), (("simsunb.ttf", 0),))
_SIMSUN_EXTG = _c("SimSun-ExtG", ("SimSun-ExtG",), (("simsunextg.ttf", 0),))
_MINGLIU_EXTB = _c("MingLiU-ExtB", ("MingLiU-ExtB",), (("mingliub.ttc", 0),))
_HANAMIN_A = _c("花园明朝A HanaMinA", ("HanaMinA",), (("hanamina.ttf", 0),))
_HANAMIN_B = _c("花园明朝B HanaMinB", ("HanaMinB",), (("hanaminb.ttf", 0),))
_DEJAVU = _c("DejaVu Sans", ("DejaVu Sans",), (("dejavusans.ttf", 0),))

_SONG_FACES = (_SIMSUN, _STSONG, _SUNGTIL, _UMING)
_FANGSONG_FACES = (_SIMFANG, _FANGSONG_GB2312, _FZ_FANGSONG, _STFANGSONG)
_KAI_FACES = (_SIMKAI, _KAITI_GB2312, _STKAITI, _GKAI, _UKAI)
_HEI_FACES = (_SIMHEI, _YAHEI, _WQY_MICRO, _WQY_ZEN)
_ROLE_CANDIDATES: dict[str, tuple[_Candidate, ...]] = {
    "song": _SONG_FACES,
    "fangsong": _FANGSONG_FACES + (_FANDOL_FANG,),
    "kai": _KAI_FACES,
    "hei": _HEI_FACES,
    "title": (_FZ_XBS, _STZHONGSONG, _NOTO_SERIF_BOLD, _NOTO_SERIF_HEAVY, _FANDOL_SONG_BOLD),
}

# Per-character fallbacks after the chosen font, closest in style first, so a rare
# character in a name keeps the look of its line: a 仿宋 line borrows from other 仿宋
# faces, then from 楷体 (the same slanted, even strokes; a 明体 glyph would stand out),
# then from the Song/Ming faces with the widest coverage (Extension A/B); sans for 黑体.
_EXTENSION_FACES = (_SIMSUN_EXTB, _SIMSUN_EXTG, _MINGLIU_EXTB, _HANAMIN_A, _HANAMIN_B)
_SERIF_FALLBACKS = _SONG_FACES + _EXTENSION_FACES
_FALLBACKS = {
    "song": _SERIF_FALLBACKS + _HEI_FACES + (_DEJAVU,),
    "fangsong": _FANGSONG_FACES + _KAI_FACES + _SERIF_FALLBACKS + _HEI_FACES + (_DEJAVU,),
    "kai": _KAI_FACES + _FANGSONG_FACES + _SERIF_FALLBACKS + _HEI_FACES + (_DEJAVU,),
    "hei": _HEI_FACES + _SERIF_FALLBACKS + (_DEJAVU,),
    "title": _SERIF_FALLBACKS + _HEI_FACES + (_DEJAVU,),
}


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _norm(name: str) -> str:
    # NFKC folds the full-width Ｐ Ｌ some Chinese name tables use; spaces vary between sources.
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


# --------------------------------------------------------------------------- scanning


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (a .ttc holds several), as read from its name table."""

    path: Path
    index: int  # subfont index inside a .ttc, 0 otherwise
    families: tuple[str, ...]  # family / full names as written in the font
    truetype: bool  # has glyf outlines (embeddable by reportlab)

    chinese_name: str | None = None  # the zh-CN family name if the font has one
    cff: bool = False  # PostScript (CFF) outlines: usable through a TrueType copy (font_conversion)
    latin_family: str = ""  # e.g. "Noto Serif CJK SC" ("" if the font has no Latin name)
    style: str = ""  # e.g. "Bold"; "" for the regular style

    @property
    def full_name(self) -> str:
        return f"{self.latin_family} {self.style}".strip()

    @property
    def usable(self) -> bool:
        return self.truetype or self.cff

    @property
    def display_name(self) -> str:
        """E.g. "文鼎PL简报宋 AR PL SungtiL GB", "Noto Serif CJK SC Bold" (Chinese name first
        when there is one; the style when it is not the regular one)."""
        first = self.full_name or (self.families[0] if self.families else self.path.name)
        chinese = next((f for f in self.families if _has_han(f)), None) if self.chinese_name is None else self.chinese_name
        if chinese and chinese != first:
            return f"{unicodedata.normalize('NFKC', chinese)} {first}"
        return first

    @cached_property
    def _norm_families(self) -> frozenset[str]:
        return frozenset(_norm(f) for f in self.families)

    def matches(self, candidate: _Candidate) -> bool:
        own = self._norm_families
        if any(_norm(f) in own for f in candidate.families):
            return True
        low = self.path.name.lower()
        return any(low == fname and self.index == idx for fname, idx in candidate.files)


_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def system_font_dirs() -> list[Path]:
    """The operating system's font folders (tests monkeypatch this)."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path.home() / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        dirs += [
            Path(data_home) / "fonts",
            Path.home() / ".fonts",
            Path("/usr/local/share/fonts"),
            Path("/usr/share/fonts"),
        ]
        # The Fandol fonts (FandolFang: an open 仿宋) come with TeX Live, outside the font
        # folders: Debian's texlive-lang-chinese, or a TeX Live installed by hand.
        dirs += [Path(root) / "fonts" / "opentype" / "public" / "fandol" for root in (
            "/usr/share/texlive/texmf-dist", "/usr/share/texmf-dist", "/usr/share/texmf", "/usr/local/texlive/texmf-local")]
    return dirs


def font_search_dirs() -> list[Path]:
    """``QINGQING_FONT_DIRS`` first, then :func:`system_font_dirs` unless
    ``QINGQING_SYSTEM_FONTS=0`` (to try a machine that has only the fonts given)."""
    extra = [Path(p) for p in os.environ.get(ENV_FONT_DIRS, "").split(os.pathsep) if p.strip()]
    if os.environ.get(ENV_SYSTEM_FONTS, "").strip() == "0":
        return extra
    return extra + system_font_dirs()


def _walk_font_files(dirs: list[Path]) -> list[Path]:
    seen: set[str] = set()
    found: list[Path] = []
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.lower().endswith(_FONT_SUFFIXES):
                    continue
                path = Path(dirpath) / name
                try:
                    real = os.path.realpath(path)
                except OSError:
                    continue
                # Debian's alternatives symlinks point at fonts found elsewhere too;
                # keep the real file so the font's name in the PDF is its own.
                if real in seen:
                    continue
                seen.add(real)
                found.append(Path(real))
    return found


def _decode_name(platform: int, encoding: int, raw: bytes) -> str | None:
    try:
        if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
            return raw.decode("utf-16-be")
        if platform == 3 and encoding == 3:
            # Old PRC fonts (仿宋_GB2312) store GB2312 bytes in 16-bit slots.
            return bytes(b for b in raw if b).decode("gbk")
        if platform == 1 and encoding == 0:
            return raw.decode("mac_roman")
        if platform == 1 and encoding == 25:
            return raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    return None


def _read_face(f, offset: int) -> tuple[tuple[str, ...], bool, str | None, bool, str, str]:
    f.seek(offset)
    head = f.read(12)
    if len(head) < 12:
        raise ValueError("short")
    version, num_tables = struct.unpack(">4sH", head[:6])
    records = f.read(16 * num_tables)
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(num_tables):
        tag, _check, toff, tlen = struct.unpack(">4sLLL", records[16 * i : 16 * i + 16])
        tables[tag] = (toff, tlen)
    truetype = b"glyf" in tables and b"loca" in tables and b"cmap" in tables and version != b"OTTO"
    cff = not truetype and b"CFF " in tables and b"cmap" in tables and b"hmtx" in tables
    names: list[str] = []
    chinese: str | None = None
    latin: dict[int, str] = {}  # first non-Chinese family (1), style (2), typographic family (16)
    if b"name" in tables:
        toff, tlen = tables[b"name"]
        f.seek(toff)
        data = f.read(min(tlen, 1 << 20))
        _fmt, count, string_offset = struct.unpack(">HHH", data[:6])
        for i in range(count):
            rec = data[6 + 12 * i : 18 + 12 * i]
            if len(rec) < 12:
                break
            platform, encoding, lang, name_id, length, noff = struct.unpack(">HHHHHH", rec)
            if name_id not in (1, 2, 4, 16):
                continue
            raw = data[string_offset + noff : string_offset + noff + length]
            text = (_decode_name(platform, encoding, raw) or "").strip()
            if not text:
                continue
            if name_id != 4 and not _has_han(text):
                latin.setdefault(name_id, text)
            if name_id == 2:
                continue
            if text not in names:
                names.append(text)
            if platform == 3 and lang == 0x0804 and name_id == 1 and chinese is None and _has_han(text):
                chinese = text  # Simplified Chinese family name, for display
    family = latin.get(16) or latin.get(1) or ""
    style = latin.get(2, "") if 16 in latin or 1 in latin else ""
    if style.casefold() in ("regular", "book", "normal", "roman", "medium", "r"):
        style = ""
    return tuple(names), truetype, chinese, cff, family, style


def _read_faces(path: Path) -> list[FontFace]:
    try:
        with open(path, "rb") as f:
            tag = f.read(4)
            if tag == b"ttcf":
                _ver, count = struct.unpack(">LL", f.read(8))
                offsets = struct.unpack(f">{count}L", f.read(4 * count))
            else:
                offsets = (0,)
            faces = []
            for index, offset in enumerate(offsets):
                families, truetype, chinese, cff, family, style = _read_face(f, offset)
                faces.append(FontFace(path, index, families, truetype, chinese, cff, family, style))
            return faces
    except (OSError, ValueError, struct.error):
        return []  # unreadable or not a font: ignore, like any font manager would


def scan_fonts(dirs: list[Path] | None = None) -> list[FontFace]:
    """Every font face found under ``dirs`` (default :func:`font_search_dirs`), in search order."""
    if dirs is None:
        dirs = font_search_dirs()
    faces: list[FontFace] = []
    for path in _walk_font_files(list(dirs)):
        faces.extend(_read_faces(path))
    return faces


# --------------------------------------------------------------------------- ToUnicode fix


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap for one 256-code subset of a TrueType font.

    Same layout as reportlab's ``makeToUnicodeCMap``, but the destination is the
    UTF-16BE encoding of the character (PDF 32000-1 §9.10.3), so U+2123D becomes
    ``<D844DE3D>`` instead of reportlab's truncated ``<2123D>``/``<2123>``.
    """
    entries = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar block may hold at most 100 entries (PDF spec limit).
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        cmap.append(f"{len(block)} beginbfchar")
        cmap.extend(block)
        cmap.append("endbfchar")
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(cmap)


class _EmbeddedTTFont(TTFont):
    """reportlab's TTFont with a correct ToUnicode CMap for characters outside the BMP.

    reportlab (checked on 4.x/5.x) formats each ToUnicode entry with ``%04X``, which
    writes the code point, not UTF-16: 𡈽 U+2123D is drawn with the right glyph but
    copies/searches as ℣ U+2123. We let reportlab build the font objects as usual
    and then replace the content of the ToUnicode stream it created for each subset.
    The stream is found through the font dictionary reportlab itself registered; if
    that lookup ever fails (reportlab changed), we raise instead of writing a PDF whose
    names extract wrongly — tests/documents/test_fonts.py covers this.
    """

    def addObjects(self, doc):  # noqa: N802 - reportlab's API
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        internal = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        try:
            font_dict = doc.idToObject["BasicFonts"].dict
            for name, subset in zip(internal, subsets):
                pdf_font = font_dict[name]
                stream = doc.idToObject[pdf_font.ToUnicode.name]
                stream.content = to_unicode_cmap(str(pdf_font.BaseFont), subset)
        except (KeyError, AttributeError) as exc:  # pragma: no cover - only if reportlab changes
            raise RuntimeError(
                f"内部错误：reportlab 的内部结构已变化，无法修正字体 {self.fontName} 的 ToUnicode 映射"
                "（tests/documents/test_fonts.py 会发现此问题）。"
            ) from exc


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ChosenFont:
    """A font registered with reportlab under ``name``."""

    name: str  # reportlab font name, use with canvas.setFont
    face: FontFace
    role: str  # the role asked for
    served_role: str  # the role whose font this is ("any" for a last-resort font)
    stood_in: str | None = None  # Chinese, one sentence, when the font is not the preferred one
    embolden: float = 0.0  # drawn bold: stroke width in em (a 宋体 standing in for 小标宋)
    install_hint: str = ""  # how to get the preferred one (file names, folders: for whoever keeps the PC)

    @property
    def display_name(self) -> str:
        return self.face.display_name

    @property
    def note(self) -> str | None:
        """What stood in, then how to install the preferred face; None for the preferred face."""
        return self.stood_in + self.install_hint if self.stood_in else None


_lock = threading.RLock()
_faces_cache: list[FontFace] | None = None
_loaded: dict[tuple[str, int], TTFont | None] = {}  # None = failed to load
_load_errors: dict[tuple[str, int], str] = {}
_chosen: dict[str, ChosenFont] = {}
_chains: dict[str, FontChain] = {}
_used_names: set[str] = set()


def reset_font_cache() -> None:
    """Forget scanned and chosen fonts (after ``QINGQING_FONT_DIRS`` changed; tests).

    Fonts already registered with reportlab stay registered; they are reused when found again.
    """
    global _faces_cache
    with _lock:
        _faces_cache = None
        _chosen.clear()
        _chains.clear()
        _load_errors.clear()
        for key in [k for k, v in _loaded.items() if v is None]:
            del _loaded[key]  # a font that failed may have been fixed or replaced


def _faces() -> list[FontFace]:
    """The scanned faces, regular styles before the others (stable otherwise), so that a
    family name such as "DejaVu Sans" finds the regular face, not the bold one."""
    global _faces_cache
    with _lock:
        if _faces_cache is None:
            _faces_cache = sorted(scan_fonts(), key=lambda face: bool(face.style))
        return _faces_cache


def _load(face: FontFace) -> TTFont | None:
    """Register ``face`` with reportlab once per process; None if it cannot be embedded."""
    key = (os.path.realpath(face.path), face.index)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        stem = "".join(ch if ch.isalnum() else "-" for ch in face.path.stem)
        base = f"QQ-{stem}" + (f"-{face.index}" if face.index else "")
        name, n = base, 1
        while name in _used_names:
            n += 1
            name = f"{base}-{n}"
        try:
            if face.truetype:
                font = _EmbeddedTTFont(name, str(face.path), subfontIndex=face.index)
            else:  # CFF: its TrueType copy, made once (seconds) and cached
                font = _EmbeddedTTFont(name, str(truetype_copy(face.path, face.index)))
        except Exception as exc:  # noqa: BLE001 - any broken font file on a user's PC
            # e.g. a font whose licence forbids embedding (TTFError) or a damaged file: skip it
            _load_errors[key] = str(exc)
            _loaded[key] = None
            return None
        if not font.face.charToGlyph:
            _loaded[key] = None
            return None
        pdfmetrics.registerFont(font)
        _used_names.add(name)
        _loaded[key] = font
        return font


def _role_faces(role: str) -> Iterator[tuple[str, _Candidate, FontFace]]:
    """Every face that may serve ``role``, best first: (the role it is a face of, the candidate
    it matches, the face). ``choose_font`` takes the first that loads; ``fonts_to_prepare``
    foresees that choice from the same order."""
    for served in (role,) + _ROLE_FALLBACKS[role]:
        for candidate in _ROLE_CANDIDATES[served]:
            for face in _faces():
                if face.usable and face.matches(candidate):
                    yield served, candidate, face


def _last_resort() -> tuple[FontFace, TTFont] | None:
    """Any TrueType font with common Chinese characters, e.g. only fonts-hanazono installed,
    or a Chinese font under a family name we do not know."""
    tried = [c for cands in _ROLE_CANDIDATES.values() for c in cands]
    for face in _faces():
        if not face.truetype or any(face.matches(c) for c in tried):
            continue
        try:
            if face.path.stat().st_size < 1_000_000:
                continue  # thousands of Chinese glyphs never fit in less: skip Latin fonts cheaply
            probe = TTFontFace(str(face.path), subfontIndex=face.index)
        except Exception:  # noqa: BLE001 - a damaged font is just not a candidate
            continue
        cmap = probe.charToGlyph or {}
        if all(ord(ch) in cmap for ch in _CJK_PROBE):
            font = _load(face)  # register only the font that will be used
            if font is not None:
                return face, font
    return None


def fonts_to_prepare(roles: tuple[str, ...] = ROLES) -> list[FontFace]:
    """The CFF faces that choosing the fonts of ``roles`` would convert first (no TrueType copy
    made yet), in the order it would; empty on a machine with the proper TrueType faces or after
    the first export. Each conversion takes 10–60 seconds: the caller says so before it starts."""
    pending: list[FontFace] = []
    with _lock:
        for role in roles:
            if role in _chosen:
                continue
            face = next((face for _served, _candidate, face in _role_faces(role)), None)
            if face is None or face.truetype or face in pending:
                continue
            if (os.path.realpath(face.path), face.index) not in _loaded and cached_copy(face.path, face.index) is None:
                pending.append(face)  # neither registered in this process nor copied before
    return pending


def prepare_font(face: FontFace) -> None:
    """Convert and register ``face`` now, as its first use would, so a caller can report each
    conversion; a face that cannot be converted is remembered as unusable, as then."""
    _load(face)


def choose_font(role: str) -> ChosenFont:
    """The font for ``role``, registered with reportlab.

    Falls back to the next-best role (with a Chinese ``note``) when no font of the role
    exists; raises :class:`FontsMissing` when there is no Chinese TrueType font at all.
    """
    if role not in _ROLE_CANDIDATES:
        raise ValueError(f"unknown font role {role!r}; expected one of {ROLES}")
    with _lock:
        if role in _chosen:
            return _chosen[role]
        chosen = None
        for served, candidate, face in _role_faces(role):
            font = _load(face)
            if font is None:
                continue
            stood_in = hint = None
            embolden = 0.0
            if served != role:
                bold = role == "title" and served in _EMBOLDENED_FOR_TITLE
                embolden = EMBOLDEN if bold else 0.0
                stood_in = (f"未找到{ROLE_LABELS[role]}字体，{_USES.get(role, '')}改用{ROLE_LABELS[served]}"
                            f"{'加粗' if bold else ''}“{candidate.label}”。")
                hint = _install_hint(role, stand_in=False)
            elif candidate.stand_in:
                stood_in = f"未找到{_PROPER_FACES[role]}，{_USES.get(role, '')}改用“{candidate.label}”。"
                hint = _install_hint(role, stand_in=True)
            chosen = ChosenFont(font.fontName, face, role, served, stood_in, embolden, hint or "")
            break
        if chosen is None:
            hit = _last_resort()
            if hit is None:
                raise FontsMissing(font_search_dirs())
            face, font = hit
            chosen = ChosenFont(font.fontName, face, role, "any", f"未找到常用的{ROLE_LABELS[role]}字体，改用“{face.display_name}”。",
                                install_hint=_install_hint(role, stand_in=False))
        _chosen[role] = chosen
        return chosen


# The faces GB/T 9704 asks for, as the notes name them, and what they are used for.
_PROPER_FACES = {"fangsong": "仿宋字体（仿宋_GB2312 / 仿宋）", "title": "方正小标宋简体"}
_USES = {"fangsong": "正文和表格", "title": "标题"}


def _install_hint(role: str, *, stand_in: bool) -> str:
    """How to get the proper face of ``role`` (Chinese, one sentence)."""
    if role == "fangsong":
        hint = ("装上仿宋后重新导出即自动使用：Windows 自带“仿宋”（simfang.ttf）；统信UOS、麒麟等可把 "
                "simfang.ttf 或 仿宋_GB2312.ttf 复制到 /usr/share/fonts")
        if not stand_in:  # not even the open 仿宋
            hint += "，或 sudo apt-get install texlive-lang-chinese（开源仿宋 FandolFang）"
        return hint + "。"
    if role == "title":
        return "装上方正小标宋简体（字体文件如 FZXBSJW.TTF，放入系统字体文件夹）后重新导出即自动使用。"
    return ""


# --------------------------------------------------------------------------- chains

# Characters that take no space and have no glyph of their own (zero-width spaces and
# joiners, variation selectors, BOM, soft hyphen): dropped from drawing, never a box.
_IGNORABLE_RANGES = ((0x200B, 0x200F), (0x2060, 0x2064), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xE0100, 0xE01EF), (0x00AD, 0x00AD))


def _ignorable(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _IGNORABLE_RANGES)


IGNORED = -1  # font index for characters dropped from drawing
MISSING = -2  # font index for characters no font has (drawn with the first font)


@dataclass
class _Slot:
    face: FontFace
    font: TTFont | None = None  # loaded lazily: large fallbacks (HanaMinB) only when needed
    tried: bool = False


@dataclass(eq=False)  # identity hash: chains key the wrap cache
class FontChain:
    """The chosen font of a role followed by per-character fallback fonts.

    ``names[0]`` is the primary font. Fallback fonts are loaded only when a character
    needs them. Look-ups are cached per character, so measuring is a dict access.
    """

    role: str
    chosen: ChosenFont
    _slots: list[_Slot] = field(default_factory=list, repr=False)
    _char_info: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)

    @property
    def primary(self) -> str:
        return self.chosen.name

    @property
    def note(self) -> str | None:
        return self.chosen.note

    @property
    def embolden(self) -> float:
        """Stroke width in em when the chain is drawn bold (0: not)."""
        return self.chosen.embolden

    @property
    def names(self) -> list[str]:
        """reportlab names of the fonts loaded so far, primary first."""
        return [s.font.fontName for s in self._slots if s.font is not None]

    @property
    def faces(self) -> list[FontFace]:
        return [s.face for s in self._slots]

    def _slot_font(self, i: int) -> TTFont | None:
        slot = self._slots[i]
        if not slot.tried:
            with _lock:
                if not slot.tried:
                    slot.font = _load(slot.face)
                    slot.tried = True
        return slot.font

    def char_info(self, ch: str) -> tuple[int, float]:
        """(font index, advance width in 1/1000 em) for one character.

        The index is into the chain (0 = primary), or IGNORED / MISSING.
        """
        info = self._char_info.get(ch)
        if info is not None:
            return info
        code = ord(ch)
        info = None
        if _ignorable(code):
            # Never drawn, even by a font that maps it: it would only switch fonts
            # (and embed one more) for an invisible glyph, and break text search.
            info = (IGNORED, 0.0)
        for i in range(len(self._slots)) if info is None else ():
            font = self._slot_font(i)
            if font is not None and _draws(font, code):
                info = (i, font.face.getCharWidth(code))
                break
        if info is None:
            primary = self._slot_font(0)
            info = (MISSING, primary.face.defaultWidth if primary else 1000.0)
        self._char_info[ch] = info
        return info

    def font_name(self, index: int) -> str:
        if index < 0:
            return self.primary
        font = self._slot_font(index)
        return font.fontName if font is not None else self.primary

    def font_for(self, ch: str) -> str | None:
        """reportlab name of the font that draws ``ch``; None if no font of the chain has it."""
        idx = self.char_info(ch)[0]
        return None if idx < 0 else self.font_name(idx)

    def covers(self, ch: str) -> bool:
        return self.char_info(ch)[0] >= 0

    def char_width(self, ch: str, size: float) -> float:
        return self.char_info(ch)[1] * size / 1000.0

    def string_width(self, text: str, size: float, char_space: float = 0.0) -> float:
        """Advance width of ``text`` drawn with this chain (per-character fonts)."""
        info = self.char_info
        total = 0.0
        n = 0
        for ch in text:
            idx, w = info(ch)
            if idx != IGNORED:
                total += w
                n += 1
        return total * size / 1000.0 + char_space * n


def _draws(font: TTFont, code: int) -> bool:
    """Does ``font`` draw character ``code``? Its cmap must map it to a glyph with an
    outline: some fonts map characters to empty glyphs (AR PL UKai has 43 such, 䶮 among
    them), which would print as nothing. Spaces are empty on purpose."""
    glyph = font.face.charToGlyph.get(code)
    if glyph is None:
        return False
    positions = getattr(font.face, "glyphPos", None)
    if not positions or glyph + 1 >= len(positions) or chr(code).isspace():
        return True
    return positions[glyph + 1] > positions[glyph]


def _drawable(ch: str) -> str:
    # Controls would print as .notdef boxes; a tab or stray newline reads as a space.
    return " " if ch < " " or "\x7f" <= ch < "\xa0" else ch


def split_runs(text: str, chain: FontChain) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, text)`` runs, each drawable with one font.

    Every character goes to the first font of the chain whose cmap has it; a
    character no font has goes to the primary font (see :func:`missing_characters`);
    zero-width format characters no font has are dropped.
    """
    runs: list[tuple[str, str]] = []
    cur_idx: int | None = None
    buf: list[str] = []
    info = chain.char_info
    for ch in text:
        ch = _drawable(ch)
        idx = info(ch)[0]
        if idx == IGNORED:
            continue
        if idx == MISSING:
            idx = 0
        if idx != cur_idx and buf:
            runs.append((chain.font_name(cur_idx), "".join(buf)))
            buf = []
        cur_idx = idx
        buf.append(ch)
    if buf:
        runs.append((chain.font_name(cur_idx), "".join(buf)))
    return runs


def missing_characters(text: str, chain: FontChain) -> list[str]:
    """Characters of ``text`` that no font of ``chain`` has (each once, in order)."""
    out: list[str] = []
    for ch in text:
        ch = _drawable(ch)
        if chain.char_info(ch)[0] == MISSING and ch not in out:
            out.append(ch)
    return out


def font_chain(role: str = "song") -> FontChain:
    """The (cached) chain for ``role``: chosen font, then fallbacks found on this machine."""
    with _lock:
        chain = _chains.get(role)
        if chain is not None:
            return chain
        chosen = choose_font(role)
        slots = [_Slot(chosen.face, _loaded.get((os.path.realpath(chosen.face.path), chosen.face.index)), True)]
        seen = {(os.path.realpath(chosen.face.path), chosen.face.index)}
        for candidate in _FALLBACKS[role]:
            for face in _faces():
                key = (os.path.realpath(face.path), face.index)
                if face.truetype and key not in seen and face.matches(candidate):
                    seen.add(key)
                    slots.append(_Slot(face))
                    break
        chain = FontChain(role, chosen, slots)
        _chains[role] = chain
        return chain


def substitution_notes(roles: tuple[str, ...] = ROLES, *, brief: bool = False) -> list[str]:
    """The Chinese notes of the fonts chosen for ``roles`` that stand in for the proper face
    (each once, in role order); empty when every role has its own face. ``brief``: only what
    stood in, without how to install the proper face. Chooses (and so registers, and converts
    if need be) the fonts; raises :class:`FontsMissing`."""
    notes: list[str] = []
    for role in roles:
        chosen = choose_font(role)
        note = chosen.stood_in if brief else chosen.note
        if note and note not in notes:
            notes.append(note)
    return notes


def font_report() -> list[str]:
    """One Chinese line per role describing the font used (for a settings/about dialog)."""
    lines = []
    for role in ROLES:
        try:
            chosen = choose_font(role)
        except FontsMissing as exc:
            return [str(exc)]
        line = f"{ROLE_LABELS[role]}：{chosen.display_name}（{chosen.face.path}）"
        if not chosen.face.truetype:
            line += "（CFF 字体，使用转换后的 TrueType 副本）"
        if chosen.note:
            line += f"。{chosen.note}"
        lines.append(line)
    for role in ("fangsong", "song"):
        chain = font_chain(role)
        fallbacks = "、".join(f.display_name for f in chain.faces[1:]) or "无"
        lines.append(f"{ROLE_LABELS[role]}缺字补充字体（依次）：{fallbacks}")
    with _lock:
        skipped = [f"{path}（第{index}号字体）" if index else path for path, index in _load_errors]
    if skipped:
        lines.append("无法嵌入或已损坏、已跳过的字体文件：" + "、".join(skipped))
    return lines
