"""Reading a unit's own roster sheet: job titles, party membership, status and header words.

Pure rules, no I/O. Everything here answers "I don't know" (``None``) rather
than guessing: an unknown title is put to the user, never classified silently.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from qingqing_desktop.domain.staff import RankCategory, StaffStatus

# Whitespace of every width, plus the invisible characters Word and web pages leave behind.
_SPACES = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e]+")
# A parenthesised hint such as （兼）、(主持工作)、（分管工作）; NFKC has made the brackets ASCII.
_HINT = re.compile(r"\([^()]*\)")


def _normalise(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))


@functools.lru_cache(maxsize=4096)  # a sheet of thousands repeats a few dozen titles and words
def title_key(title: str) -> str:
    """The form in which titles are compared: NFKC, no spaces, no parenthesised hint."""
    return _HINT.sub("", _normalise(title))


_CADRE_TITLES = frozenset(
    {
        "科长", "副科长", "站长", "副站长", "所长", "副所长", "分局长", "副分局长",
        "局长", "副局长", "主任", "副主任", "队长", "副队长", "股长", "副股长",
        "中层干部", "中层正职", "中层副职", "中层",
    }
)
_STAFF_TITLES = frozenset(
    {
        "科员", "办事员", "工作人员", "一般工作人员", "一般干部", "主任科员", "副主任科员",
        "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员",
        "职员", "专技人员", "技术员",
    }
)
# "<office>室主任", "技术科科长", "质监站副站长": a head of a named office is a middle cadre.
# Anchored at the end so that 办公室主任科员 (a staff rank) does not match.
_CADRE_PATTERN = re.compile(
    r"^.+(室副?主任|科副?科长|站副?站长|所副?所长|分局副?局长|分局副?分局长|队副?队长|股副?股长)$"
)
# "办公室科员", "技术科一级主任科员": a staff rank with the office in front of it.
_STAFF_PATTERN = re.compile(r"^.+[科室站所局股队]([一二三四]级)?(副?主任科员|科员|办事员|工作人员)$")


@functools.lru_cache(maxsize=4096)  # a sheet of thousands repeats a few dozen titles
def classify_title(title: str) -> RankCategory | None:
    """中层干部 or 一般工作人员 for a job title or rank; ``None`` when it cannot be told.

    Accepts the two category words themselves, because the 汇总表's 职务 column
    holds the category. Titles like 工程师, 干部, 负责人 stay ``None``: the user decides.
    """
    key = title_key(title)
    if not key:
        return None
    if key in _CADRE_TITLES:
        return RankCategory.MIDDLE_CADRE
    if key in _STAFF_TITLES:
        return RankCategory.STAFF
    if _STAFF_PATTERN.match(key):  # before the cadre pattern: 主任科员 contains 主任
        return RankCategory.STAFF
    if _CADRE_PATTERN.match(key):
        return RankCategory.MIDDLE_CADRE
    return None


def resolve_rank(text: str, answered: Mapping[str, RankCategory] = {}) -> RankCategory | None:
    """``classify_title`` after the user's own answers (keys compared by ``title_key``)."""
    key = title_key(text)
    if not key:
        return None
    for title, rank in answered.items():
        if title_key(title) == key:
            return RankCategory(rank)
    return classify_title(text)


_CATEGORY_WORDS = frozenset(r.value for r in RankCategory)


def is_category_word(text: str) -> bool:
    """True if the cell holds the category itself (中层干部/一般工作人员), not a real title."""
    return title_key(text) in _CATEGORY_WORDS


_PARTY_YES = frozenset(
    {"是", "中共党员", "中国共产党党员", "共产党员", "中共预备党员", "党员", "预备党员",
     "√", "✓", "✔", "y", "yes"}
)
_PARTY_NO = frozenset(
    {"否", "不是", "非党员", "群众", "共青团员", "团员", "无党派人士", "无党派", "民主党派",
     "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员",
     "台盟盟员", "×", "✗", "✘", "n", "no"}
)


def parse_party_member(text: str | None) -> bool | None:
    """是否党员 from 是/否 or a 政治面貌 word; ``None`` when blank or not understood."""
    key = title_key(text or "").casefold()
    if key in _PARTY_YES:
        return True
    if key in _PARTY_NO:
        return False
    return None


_STATUS_WORDS = {
    **{s.value: s for s in StaffStatus},
    "在职": StaffStatus.ACTIVE,
    "已调离": StaffStatus.TRANSFERRED,
    "调出": StaffStatus.TRANSFERRED,
    "已调出": StaffStatus.TRANSFERRED,
    "已退休": StaffStatus.RETIRED,
    "借出": StaffStatus.SECONDED,
}


def parse_status_text(text: str | None) -> StaffStatus | None:
    """在岗/调离/退休/借调/其他 and a few spellings of them; ``None`` when blank or unknown."""
    return _STATUS_WORDS.get(title_key(text or ""))


# Canonical field -> header texts accepted for it (compared after ``header_key``).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "name": ("姓名", "名字"),
    "title": ("职务", "职级", "现任职务", "职务职级", "职务/职级"),
    "rank": ("职务类别", "类别", "人员类别", "人员类型"),
    "post": (
        "工作岗位", "岗位", "分管工作", "从事岗位", "工作岗位/分管工作", "分管工作/工作岗位",
        "岗位/分管工作",
    ),
    "party": ("是否党员", "政治面貌", "党员", "是否中共党员"),
    "status": ("状态", "在岗状态", "人员状态"),
    "note": ("备注",),
}

FIELD_LABELS = {
    "seq": "序号", "name": "姓名", "title": "职务", "rank": "职务类别", "post": "工作岗位",
    "party": "是否党员", "status": "状态", "note": "备注",
}


def header_key(text: str) -> str:
    """Header text as compared: NFKC, no whitespace, no （…） hint, no required-marker * or colon."""
    key = _HINT.sub("", _normalise(text))
    return key.strip("*:")


_HEADER_LOOKUP = {header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases}


def match_header(text: str) -> str | None:
    """The canonical field a header cell names, or ``None``."""
    return _HEADER_LOOKUP.get(header_key(text)) if text else None


# What Excel would read as the start of a formula (DESIGN.md, Exchange). A lone “-” is how
# clerks mark an empty cell, not a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def formula_like_warnings(texts: Mapping[str, str]) -> list[str]:
    """A warning per cell (field → text) that looks like a formula: it is kept as the text it is."""
    return [
        f"“{FIELD_LABELS[field]}”栏“{text}”以“{text[0]}”开头，像是公式；已按文字原样导入，不会被计算"
        for field, text in texts.items()
        if len(text) > 1 and text.startswith(FORMULA_STARTS)
    ]
