"""Fake font files, and a CFF 仿宋 whose TrueType copy is made at once, for the font tests."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from qingqing_desktop.documents import font_conversion, fonts


def fake_sfnt(path: Path, family: str, tags: list[bytes], version: bytes = b"\x00\x01\x00\x00") -> None:
    """A minimal font file: a table directory and a name table claiming ``family``."""
    name_str = family.encode("utf-16-be")
    name_table = struct.pack(">HHH", 0, 1, 18) + struct.pack(">HHHHHH", 3, 1, 0x409, 1, len(name_str), 0) + name_str
    tables = {tag: b"\0" * 64 for tag in tags}
    tables[b"name"] = name_table
    header_len = 12 + 16 * len(tables)
    out = bytearray(version + struct.pack(">HHHH", len(tables), 0, 0, 0))
    offset = header_len
    body = bytearray()
    for tag, data in tables.items():
        out += struct.pack(">4sLLL", tag, 0, offset, len(data))
        body += data
        offset += len(data)
    path.write_bytes(bytes(out + body))


def _sungtil() -> Path | None:
    """AR PL SungtiL GB (fonts-arphic-gbsn00lp), a TrueType Chinese font; None if not installed."""
    return next(Path("/usr/share/fonts").rglob("gbsn00lp.ttf"), None)


needs_sungtil = pytest.mark.skipif(_sungtil() is None, reason="needs fonts-arphic-gbsn00lp")


@pytest.fixture
def cff_fangsong(tmp_path: Path, monkeypatch):
    """``cff_fangsong_without_copy`` for one test; the fonts it chose are forgotten after it."""
    yield cff_fangsong_without_copy(tmp_path, monkeypatch)
    fonts.reset_font_cache()


def cff_fangsong_without_copy(tmp_path: Path, monkeypatch) -> list[str]:
    """A machine whose 仿宋 is a CFF font (as FandolFang is on a Linux PC without simfang.ttf),
    first in the search, with no TrueType copy made yet (a user whose set-up made none); its
    conversion takes no time: the copy is AR PL SungtiL GB, written where the real one goes.
    Returns the list the conversions are recorded in (the source file names)."""
    (tmp_path / "fonts").mkdir()
    fake_sfnt(tmp_path / "fonts" / "simfang.otf", "FangSong", [b"CFF ", b"cmap", b"hmtx"], version=b"OTTO")
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path / "fonts"))
    monkeypatch.setenv(font_conversion.ENV_FONT_CACHE, str(tmp_path / "cache"))
    calls: list[str] = []
    copy_of = _sungtil()

    def convert(source: Path, index: int = 0) -> Path:
        calls.append(Path(source).name)
        target = font_conversion._cache_path(source, index)  # noqa: SLF001 - the cache's own naming
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(copy_of.read_bytes())
        return target

    monkeypatch.setattr(fonts, "truetype_copy", convert)
    fonts.reset_font_cache()
    return calls
