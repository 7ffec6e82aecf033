"""TrueType copies of CFF (PostScript-outline) Chinese fonts, made once and kept in a cache.

reportlab embeds only TrueType (``glyf``) outlines, but the openly licensed faces
that come closest to the 公文 faces on Linux are CFF: FandolFang (仿宋, Debian's
texlive-lang-chinese) for the body and Noto Serif CJK SC Bold (fonts-noto-cjk) as
the 小标宋 stand-in for titles. :func:`truetype_copy` converts such a face with
fontTools — cubic outlines to quadratic ones (cu2qu, within 1 font unit) — into a
TrueType file under :func:`cache_dir`, keeping only the characters of GBK (all of
GB2312 and the names in common use, 喆 and 堃 among them; rarer ones fall back per
character to another font, see :mod:`.fonts`). That takes 10–60 seconds per face,
so ``./dev`` does it at set-up (``tools/font_report.py``) and the cache is reused
by every later run; a machine that skipped it pays once, on its first export.

The cached file's name carries a digest of the source's path, size and time, so a
changed or updated source font is converted again. Files are written through a
temporary name and one rename: two processes converting at once both end with a
whole file.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from qingqing_desktop.store.atomic_file import atomic_write

__all__ = ["ENV_FONT_CACHE", "cache_dir", "truetype_copy", "cached_copy"]

log = logging.getLogger(__name__)

ENV_FONT_CACHE = "QINGQING_FONT_CACHE"
FORMAT = 1  # bump when the conversion changes, so old copies are made again
MAX_ERROR = 1.0  # font units (of 1,000 or 2,048 an em): invisible at any print size


def cache_dir() -> Path:
    """``QINGQING_FONT_CACHE``, else the user's cache folder (…/qingqing_desktop/fonts)."""
    override = os.environ.get(ENV_FONT_CACHE, "").strip()
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("qingqing_desktop", appauthor=False)) / "fonts"


def _cache_path(source: Path, index: int) -> Path:
    real = os.path.realpath(source)
    stat = os.stat(real)
    key = f"{FORMAT}|{real}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in Path(real).stem)
    return cache_dir() / f"{stem}-{index}-{digest}.ttf"


def cached_copy(source: Path, index: int = 0) -> Path | None:
    """The TrueType copy of ``source`` if it was made already, else None (never converts)."""
    try:
        path = _cache_path(source, index)
    except OSError:
        return None
    return path if path.is_file() else None


def _wanted(code: int) -> bool:
    """Characters kept in the copy: everything below the CJK ideographs (Latin, punctuation,
    symbols, 〔〕 and the other CJK punctuation), compatibility and full-width forms, and
    every character GBK can encode."""
    if code < 0x3400 or 0xF900 <= code <= 0xFFFF:
        return True
    try:
        chr(code).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _convert(source: Path, index: int, target) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=index, lazy=True)
    cmap = {code: name for code, name in font.getBestCmap().items() if _wanted(code)}
    order = [".notdef"] + sorted(set(cmap.values()) - {".notdef"}, key=font.getGlyphID)
    outlines = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise
        outlines[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    advances = font["hmtx"].metrics
    head, hhea = font["head"], font["hhea"]

    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    glyf = builder.font["glyf"]
    builder.setupHorizontalMetrics({
        name: (advances[name][0], getattr(glyf[name], "xMin", 0)) for name in order
    })
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    builder.setupHead(unitsPerEm=head.unitsPerEm, fontRevision=head.fontRevision, macStyle=head.macStyle,
                      created=head.created, modified=head.modified)
    builder.setupPost(keepGlyphNames=False)
    builder.setupMaxp()
    # The source's own names (family, PostScript name: what the PDF shows) and OS/2
    # (weight, embedding permission, vertical metrics) carry over unchanged.
    builder.font["name"] = font["name"]
    builder.font["OS/2"] = font["OS/2"]
    builder.save(target)


def truetype_copy(source: Path, index: int = 0) -> Path:
    """A TrueType copy of face ``index`` of the CFF font ``source``, made on first use.

    Raises ``ImportError`` without fontTools, ``OSError`` when the cache cannot be
    written, and fontTools' own errors for a damaged font; the font layer then skips
    the face like any other font it cannot embed.
    """
    path = _cache_path(source, index)
    if path.is_file():
        return path
    log.info("converting %s (face %d) to TrueType in %s", source, index, path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        _convert(source, index, handle)
    return path
