"""Splitting a block of text pasted from a notice into list items, numbering removed.

Offices copy their lists out of Word notices, PDFs and web pages. Items come
numbered in many ways — 1. 1、 1） (1) （1） 一、 （一） ① ⑴ ⒈ 第一条 — one item per
paragraph or run together in one paragraph, with lines broken wherever the page or
the window broke them. Some lists carry no numbers at all and separate their items
with “；” (seed 003's 十三不准). ``split_items`` finds the items in all of these:

1. Numbered: for every numbering style, follow the sequence n, n+1, n+2 … through
   the text, where a number counts only at the start of a line or after the end of
   a sentence (so “第（4）、（5）条” inside a sentence is not a new item). The style
   with the longest run wins; two items at least.
2. Otherwise paragraphs: a line that does not end a sentence runs on into the next
   one (a page break in the middle of a word), and each paragraph is one item.
3. A single paragraph whose parts end in “；” is split after each “；”.

Text before the first item (“……自觉做到“十三不准”：”) is returned apart as
``lead``, for the caller to offer as the list's introduction, and paragraphs after
the last numbered item's own as ``tail`` (the notes under a list). The items keep their
own punctuation as issued; only the numbering, bullets and markdown bold (**…**)
go. Pure: no I/O and no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SplitItems", "split_items", "chinese_number", "starts_numbered"]

_SENTENCE_END = "。；;！!？?：:"
_CLOSERS = "”’）)」』》"
_BULLET = re.compile(r"^[\s\u3000]*[•●○■□◆◇▪▫·・\-–—*]+[\s\u3000]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_DIGITS = "零一二三四五六七八九"
MAX_NUMBER = 99


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 99 → 九十九 (as notices number their items)."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


def _circled(n: int) -> str | None:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return None


def _table(first: int, last: int, base: int) -> Callable[[int], str | None]:
    return lambda n: chr(base + n - 1) if first <= n <= last else None


# Each style gives the marker for item n (a regular expression), or None when it has no such number,
# and says whether the marker must stand at a boundary (see ``_at_boundary``); the circled and
# similar one-character numbers are never ordinary text, so they count anywhere.
# Arabic numbers must not be followed by another digit (“1.5倍” is not item 1).
Style = Callable[[int], "str | None"]
_STYLES: tuple[tuple[Style, bool], ...] = (
    (lambda n: rf"[（(]{n}[）)]", True),
    (lambda n: rf"{n}[）)]", True),
    (lambda n: rf"{n}[.．、,，](?!\d)", True),
    (lambda n: rf"[（(]{chinese_number(n)}[）)]", True),
    (lambda n: rf"{chinese_number(n)}[、.．,，]", True),
    (lambda n: rf"第{chinese_number(n)}条|第{n}条", True),
    (lambda n: re.escape(c) if (c := _circled(n)) else None, False),
    (lambda n: re.escape(c) if (c := _table(1, 20, 0x2474)(n)) else None, False),  # ⑴
    (lambda n: re.escape(c) if (c := _table(1, 20, 0x2488)(n)) else None, False),  # ⒈
)


@dataclass(frozen=True)
class SplitItems:
    items: tuple[str, ...]
    lead: str = ""  # text before the first item, e.g. the sentence that introduces the list
    numbered: bool = False  # the items were found by their numbering
    tail: tuple[str, ...] = ()  # paragraphs after the last numbered item, e.g. the list's notes


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _BOLD.sub(r"\1", text)
    return "\n".join(_BULLET.sub("", line).strip(" \t\u3000") for line in text.split("\n"))


def _is_cjk(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def _join_lines(text: str) -> str:
    """Lines of one item joined again: no space between Chinese characters, one between Latin words."""
    out = ""
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        if out and not _is_cjk(out[-1]) and not _is_cjk(line[0]):
            out += " "
        out += line
    return out


def _ends_sentence(text: str) -> bool:
    trimmed = text.rstrip(" \t\u3000").rstrip(_CLOSERS)
    return bool(trimmed) and trimmed[-1] in _SENTENCE_END


def _at_boundary(text: str, position: int) -> bool:
    """A number starts an item only at the start of a line or after the end of a sentence."""
    before = text[:position].rstrip(" \t\u3000")
    return not before or before[-1] == "\n" or _ends_sentence(before)


def _next_marker(text: str, pattern: str, start: int, at_boundary: bool) -> tuple[int, int] | None:
    for match in re.compile(pattern).finditer(text, start):
        if not at_boundary or _at_boundary(text, match.start()):
            return match.start(), match.end()
    return None


def _run(text: str, style: Style, at_boundary: bool) -> list[tuple[int, int]]:
    """(start, end) of each marker of ``style``'s numbered run through ``text``.

    The run starts at the number the text begins with (a pasted part of a longer list
    may begin at 5), else at 1, and follows n+1, n+2 … in order.
    """
    number = 1
    for candidate in range(1, MAX_NUMBER + 1):
        pattern = style(candidate)
        if pattern is None:
            break
        if re.match(pattern, text):
            number = candidate
            break
    run: list[tuple[int, int]] = []
    while (pattern := style(number)) is not None:
        marker = _next_marker(text, pattern, run[-1][1] if run else 0, at_boundary)
        if marker is None:
            break
        run.append(marker)
        number += 1
    return run


def _by_numbers(text: str) -> SplitItems | None:
    best: list[tuple[int, int]] = []
    for style, at_boundary in _STYLES:
        run = _run(text, style, at_boundary)
        if len(run) > len(best):
            best = run
    if len(best) < 2:
        return None
    ends = [start for start, _end in best[1:]] + [len(text)]
    raw = [text[end:next_start] for (_start, end), next_start in zip(best, ends)]
    # Paragraphs after the last item's own are not part of it: the notes under a list
    # (“参加第（4）、（5）、（6）条所述活动，需经批准……”).
    last = _paragraphs(raw[-1])
    items = [_join_lines(part) for part in raw[:-1]] + last[:1]
    # A list whose numbering changes style part way (1. 2. then （3）（4）, or 一、二、 then 1. 2.): the
    # paragraphs of the other style next to the run are items too, not the list's introduction or notes.
    before = _paragraphs(text[: best[0][0]])
    lead_ends = len(before)
    while lead_ends and starts_numbered(before[lead_ends - 1]):
        lead_ends -= 1
    after = last[1:]
    tail_starts = 0
    while tail_starts < len(after) and starts_numbered(after[tail_starts]):
        tail_starts += 1
    items = [*map(_without_number, before[lead_ends:]), *items, *map(_without_number, after[:tail_starts])]
    return SplitItems(tuple(item for item in items if item), _join_lines("\n".join(before[:lead_ends])),
                      numbered=True, tail=tuple(after[tail_starts:]))


def _without_number(paragraph: str) -> str:
    return paragraph[_OWN_NUMBER.match(paragraph).end():].strip(" \t\u3000")


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs: a line that does not end a sentence runs on into the next."""
    paragraphs: list[str] = []
    current = ""
    for line in (part.strip(" \t\u3000") for part in text.split("\n")):
        if not line:
            continue
        current = _join_lines(current + "\n" + line) if current else line
        if _ends_sentence(current):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _lead_of(first: str) -> tuple[str, str]:
    """“引言：第一条” → (“引言：”, “第一条”) when the first part introduces the list with a colon."""
    for colon in ("：", ":"):
        cut = first.rfind(colon)
        if 0 < cut < len(first) - 1:
            return first[: cut + 1], first[cut + 1:]
    return "", first


def split_items(text: str) -> SplitItems:
    """The items in ``text`` (see the module's docstring); no items for blank text."""
    text = _clean(text).strip()
    if not text:
        return SplitItems(())
    numbered = _by_numbers(text)
    if numbered is not None:
        return numbered
    paragraphs = _paragraphs(text)
    if len(paragraphs) == 1:
        parts = [part.strip() for part in re.split(r"(?<=[；;])", paragraphs[0]) if part.strip()]
        if len(parts) >= 2:
            lead, first = _lead_of(parts[0])
            return SplitItems((first, *parts[1:]), lead)
    if len(paragraphs) >= 3 and paragraphs[0].endswith(("：", ":")):
        return SplitItems(tuple(paragraphs[1:]), paragraphs[0])
    return SplitItems(tuple(paragraphs))


# A text that starts with its own number: 一、 二． 1. 1、 2) （1） (1) ① ⑴ ⒈ 第一， 一是 a) A．
_OWN_NUMBER = re.compile(
    r"\s*(?:"
    r"第[一二三四五六七八九十百零〇两\d]+(?:[，,、．.：:;；]|条|项|点|是)"
    r"|[一二三四五六七八九十百]+(?:[、．.：:]|是)"
    r"|\d{1,3}(?:[、．，,:：)）]|\.(?!\d))"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|[\u2460-\u249b\u3251-\u325f\u32b1-\u32bf\u2776-\u2793\u3220-\u3229]"
    r"|[a-zA-Z][．.、)）](?![a-zA-Z])"
    r")"
)


def starts_numbered(text: str) -> bool:
    """Does ``text`` start with a number of the clerk's own (一、 1. （1） ① 第一， …)?"""
    return _OWN_NUMBER.match(text) is not None
