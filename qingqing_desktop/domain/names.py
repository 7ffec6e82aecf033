"""Chinese names: cleaning, duplicate keys, pinyin ordering and search.

Names are stored exactly as entered. ``comparison_key`` is only for flagging
possible duplicates (张偉 vs 张伟, full-width letters, zero-width spaces);
``sort_key`` orders a roster the way a Chinese reader expects (by pinyin, with
surnames read as surnames: 单 shan, 曾 zeng, 解 xie …).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc
from pypinyin import Style, lazy_pinyin

# Surnames whose surname reading differs from the commonest reading of the character.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "缪": "miao",
    "乐": "yue",
    "尉": "yu",
    "盖": "ge",
    "翟": "zhai",
    "覃": "qin",
    "种": "chong",
    "秘": "bi",
    "万俟": "moqi",
    "尉迟": "yuchi",
    "单于": "chanyu",
    "长孙": "zhangsun",
    "澹台": "tantai",
    "宓": "fu",
    "召": "shao",
    "冼": "xian",
    "繁": "po",
    "员": "yun",
    "句": "gou",
    "能": "nai",
    "重": "chong",
    "谌": "chen",
    "贲": "ben",
    "祭": "zhai",
}
# Two-character surnames first so 单于 wins over 单.
_SURNAMES_LONGEST_FIRST = sorted(SURNAME_READINGS, key=len, reverse=True)

# Invisible characters that sneak into names pasted from web pages and Word.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e]")
_WHITESPACE = re.compile(r"[\s\u3000]+")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])[\s\u3000]+(?=[^\x00-\x7f])")


def _is_cjk_name_char(ch: str) -> bool:
    return not ch.isascii()


def clean_name(raw: str) -> str:
    """Trim a name as typed in a spreadsheet: padding spaces go, invisible characters go.

    Spaces between Chinese characters are padding (``张  三`` aligned with
    ``欧阳小明``) and are removed; a single space between Latin words stays.
    """
    text = _INVISIBLE.sub("", raw)
    text = text.strip().strip("\u3000").strip()
    text = _CJK_GAP.sub("", text)
    return _WHITESPACE.sub(" ", text)


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def comparison_key(name: str) -> str:
    """Key under which two spellings of one name compare equal (NFKC, no invisibles, Simplified)."""
    text = unicodedata.normalize("NFKC", name)
    text = _INVISIBLE.sub("", text)
    text = _WHITESPACE.sub("", text)
    return _t2s().convert(text).casefold()


def _split_surname(name: str) -> tuple[str, str]:
    # Compare in Simplified so a name typed as 單文傑 reads its surname as shan too.
    simplified = _t2s().convert(name[:2])
    for surname in _SURNAMES_LONGEST_FIRST:
        if simplified.startswith(surname) and len(name) > len(surname):
            return surname, name[len(surname):]
    return "", name


@functools.lru_cache(maxsize=4096)
def name_syllables(name: str) -> tuple[str, ...]:
    """Pinyin syllables of a name without tones, surname read as a surname.

    Characters without a reading (rare characters outside pypinyin's tables)
    are kept as they are, so they still sort deterministically.
    """
    surname, rest = _split_surname(name)
    syllables: list[str] = []
    if surname:
        reading = SURNAME_READINGS[surname]
        # two-character surname readings are stored joined; split per character
        syllables.extend([reading] if len(surname) == 1 else _split_compound(reading, surname))
    syllables.extend(lazy_pinyin(rest, errors=lambda chars: list(chars)))
    return tuple(s.lower() for s in syllables)


def _split_compound(reading: str, surname: str) -> list[str]:
    own = lazy_pinyin(surname)
    return own if "".join(own) == reading else [reading]


def sort_key(name: str) -> tuple:
    """Order by pinyin syllable by syllable, then by the characters themselves."""
    return (name_syllables(name), name)


def initials(name: str) -> str:
    return "".join(s[0] for s in name_syllables(name) if s and s[0].isascii())


def full_pinyin(name: str) -> str:
    return "".join(name_syllables(name))


def matches_search(query: str, *fields: str, name: str = "") -> bool:
    """True if ``query`` is in any field, or is the start of the name's initials or full pinyin.

    ``zs`` finds 张三, ``zhangs`` finds 张三, ``质量`` finds the post 质量监管.
    """
    q = _WHITESPACE.sub("", query).casefold()
    if not q:
        return True
    key_q = comparison_key(q)
    for text in (name, *fields):
        if text and (q in text.casefold() or key_q in comparison_key(text)):
            return True
    if name and q.isascii():
        if initials(name).startswith(q) or full_pinyin(name).startswith(q):
            return True
    return False
