"""Chinese line breaking (禁则) and mixed-font drawing on top of :mod:`.fonts`.

reportlab's own CJK wrapping (``Paragraph(wordWrap='CJK')``) lets a line start with
”, and knows nothing of per-character font fallback, so text is laid out here:

* :func:`wrap_text` breaks text into lines no wider than the given width. A line
  never starts with closing punctuation (，。、；：？！”’）》」…) and never ends with
  opening punctuation (“‘（《「…): when the natural break would do that, characters
  are pushed down to the next line (推出) — never squeezed into the margin, so the
  width is a hard limit. Latin words and numbers (A4, 2019, 0577-653260) are kept
  whole unless one alone is wider than the line, and so are the words of filled-in
  texts (unit names, job titles, posts, names: :mod:`.words`) when asked to.
* :func:`draw_lines` / :func:`draw_text_run` draw with the font of each character.
* :class:`CJKParagraph` is a platypus Flowable (frames, Table cells, page splits).

Widths are looked up per character in the chain's cache, so wrapping a 1,000-row
table is cheap; whole-cell results are cached too (tables repeat values).
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from typing import Sequence

from reportlab.platypus.flowables import Flowable

from qingqing_desktop.documents.fonts import IGNORED, MISSING, FontChain, _drawable
from qingqing_desktop.documents.words import word_spans

__all__ = [
    "CLOSING",
    "OPENING",
    "Line",
    "wrap_text",
    "text_width",
    "draw_text_run",
    "draw_lines",
    "CJKParagraph",
    "CJK_ASCENT",
]

# Must not start a line (GB/T 15834 and common practice; ASCII kin included).
CLOSING = frozenset(
    "，。、；：？！”’）》」』〕】〉｝］〗〙〛｠…⋯—―‥·・‧％‰℃°′″"
    "．｡､｣"
    ",.;:?!)]}%"
)
# Must not end a line.
OPENING = frozenset("“‘（《「『〔【〈｛［〖〘〚｟‹«([{")

# Baseline of a CJK glyph below the top of its em box (ideographic em box: the
# baseline sits 0.12 em above the bottom). Used to centre text in its line box.
CJK_ASCENT = 0.88

_EPS = 1e-6

_SPACE, _WIDE, _WORD = 0, 1, 2
_class_cache: dict[str, int] = {}


def _char_class(ch: str) -> int:
    c = _class_cache.get(ch)
    if c is None:
        if ch in ("\u00a0", "\u202f", "\u2007"):
            c = _WORD  # no-break spaces glue their neighbours
        elif ch == "\u3000":
            c = _WIDE  # an ideographic space the author typed is kept, like a character
        elif ch.isspace():
            c = _SPACE
        elif ch in CLOSING or ch in OPENING:
            c = _WIDE  # punctuation is its own unit; 禁则 decides where it may go
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            c = _WIDE
        else:
            c = _WORD  # Latin letters, digits, etc.: glued into words
        _class_cache[ch] = c
    return c


class Line(str):
    """One wrapped line; a ``str`` carrying where it came from in the original text.

    ``start``/``end``: offsets in the wrapped text; ``indent``: the line starts a
    paragraph and carries the first-line indent; ``para_end``: last line of its
    paragraph (never justified).
    """

    start: int
    end: int
    indent: bool
    para_end: bool

    def __new__(cls, text: str, start: int = 0, end: int = 0, indent: bool = False, para_end: bool = True):
        obj = super().__new__(cls, text)
        obj.start, obj.end, obj.indent, obj.para_end = start, end, indent, para_end
        return obj


def _units(text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(start, end, class) units of text[lo:hi]: single wide chars/punctuation, words, spaces."""
    out: list[tuple[int, int, int]] = []
    i = lo
    while i < hi:
        c = _char_class(text[i])
        j = i + 1
        if c == _WORD:
            while j < hi and _char_class(text[j]) == _WORD:
                j += 1
        elif c == _SPACE:
            while j < hi and _char_class(text[j]) == _SPACE:
                j += 1
        out.append((i, j, c))
        i = j
    return out


def _width_1000(text: str, lo: int, hi: int, chain: FontChain) -> tuple[float, int]:
    """(width in 1/1000 em, number of drawn characters) of text[lo:hi]."""
    info = chain.char_info
    total = 0.0
    n = 0
    for k in range(lo, hi):
        idx, w = info(_drawable(text[k]))
        if idx != IGNORED:
            total += w
            n += 1
    return total, n


def text_width(text: str, chain: FontChain, size: float, char_space: float = 0.0) -> float:
    """Visual width of one line of ``text`` (no trailing character space)."""
    w, n = _width_1000(text, 0, len(text), chain)
    return w * size / 1000.0 + char_space * max(n - 1, 0)


def _violates(units, text, i: int, b: int, n: int) -> bool:
    """Would breaking before unit ``b`` (line starting at unit ``i``) break a 禁则 rule?"""
    p = b - 1
    while p >= i and units[p][2] == _SPACE:
        p -= 1
    q = b
    while q < n and units[q][2] == _SPACE:
        q += 1
    if p < i or q >= n:
        return False
    last = text[units[p][1] - 1]
    first = text[units[q][0]]
    return first in CLOSING or last in OPENING


def _merge_words(units: list[tuple[int, int, int]], words, lo: int, hi: int) -> dict[int, tuple[int, ...]]:
    """Make each word span of ``words`` inside [lo, hi) one unbreakable unit of ``units``.

    Returns the places each merged unit may still be cut when wider than a line, by its
    start offset. A span that would cut through a unit or hold a space is ignored.
    """
    breaks: dict[int, tuple[int, ...]] = {}
    if not words:
        return breaks
    for start, end, inner in sorted(words, reverse=True):
        if start < lo or end > hi or end - start < 2:
            continue
        k0 = next((k for k, u in enumerate(units) if u[0] == start), None)
        k1 = next((k for k, u in enumerate(units) if u[1] == end), None)
        if k0 is None or k1 is None or k1 < k0 or any(units[k][2] == _SPACE for k in range(k0, k1 + 1)):
            continue
        units[k0:k1 + 1] = [(start, end, _WORD)]
        breaks[start] = tuple(inner)
    return breaks


def _best_cut(text: str, s: int, cut: int, breaks: dict[int, tuple[int, ...]], *, must: bool) -> int:
    """Where to cut the unit starting at ``s`` when at most text[s:cut] fits: at the last
    allowed break up to ``cut`` of a filled-in word; else at ``cut`` (between characters,
    moved back so the rest does not start with closing punctuation) if it ``must`` be cut,
    or not at all (``s``) for a filled-in word that need not."""
    allowed = [b for b in breaks.get(s, ()) if s < b <= cut]
    if allowed:
        return max(allowed)
    if s in breaks and not must:
        return s
    while cut - 1 > s and cut < len(text) and text[cut] in CLOSING:
        cut -= 1
    return cut


def _split_unit(units, uw, k: int, cut: int, text: str, chain: FontChain, scale: float, char_space: float,
                breaks: dict[int, tuple[int, ...]] | None = None) -> None:
    """Split word unit ``k`` at text offset ``cut`` (both halves stay words)."""
    s, e, c = units[k]
    if breaks and s in breaks:
        breaks[cut] = tuple(b for b in breaks[s] if b > cut)
    wa, na = _width_1000(text, s, cut, chain)
    wb, nb = _width_1000(text, cut, e, chain)
    units[k:k + 1] = [(s, cut, c), (cut, e, c)]
    uw[k:k + 1] = [wa * scale + char_space * na, wb * scale + char_space * nb]


def _wrap_paragraph(text: str, lo: int, hi: int, chain: FontChain, size: float,
                    first_width: float, width: float, char_space: float,
                    first_is_start: bool, out: list[Line], words=()) -> None:
    units = _units(text, lo, hi)
    breaks = _merge_words(units, words, lo, hi)
    scale = size / 1000.0
    uw: list[float] = []
    for s, e, _c in units:
        w, n = _width_1000(text, s, e, chain)
        uw.append(w * scale + char_space * n)  # every drawn glyph advances by Tc
    n = len(units)
    i = 0
    first = True
    if n == 0:
        out.append(Line("", lo, hi, first_is_start, True))
        return
    while i < n:
        if not first:
            while i < n and units[i][2] == _SPACE:  # a broken line never starts with blanks
                i += 1
            if i >= n:
                break
        avail = first_width if first else width
        # the last glyph's Tc is outside the visible line: allow for it in the test
        limit = avail + char_space + _EPS
        w = 0.0
        j = i
        while j < n:
            if units[j][2] != _SPACE and w + uw[j] > limit:
                break
            w += uw[j]
            j += 1
        if j >= n:
            b = n
        elif not any(units[k][2] != _SPACE for k in range(i, j)):
            # Unit j alone is wider than the line: split a long word (URL, number)
            # by characters; a single character wider than the line stands alone.
            s, e, c = units[j]
            b = j + 1
            if c == _WORD and e - s > 1:
                room = limit - w
                cut = s + 1
                acc = 0.0
                for m in range(s, e):
                    cw, cn = _width_1000(text, m, m + 1, chain)
                    acc += cw * scale + char_space * cn
                    if acc > room:
                        break
                    cut = m + 1
                cut = _best_cut(text, s, max(cut, s + 1), breaks, must=True)
                if cut < e:
                    _split_unit(units, uw, j, cut, text, chain, scale, char_space, breaks)
                    n += 1
        else:
            # 推出: move the break back while the next line would start with closing
            # punctuation or this one would end with opening punctuation.
            b = j
            while b > i + 1 and _violates(units, text, i, b, n):
                b -= 1
            if _violates(units, text, i, b, n):
                # No break between units keeps the rules. Rather than break them, break
                # a word: fill the line with the start of the word that did not fit,
                # or take the last character of the word before closing punctuation
                # down with it (0577-65326 / 0。). Otherwise (a cluster of punctuation
                # wider than the line) the greedy break stands.
                b = j
                s, e, c = units[j]
                ps, pe, pc = units[j - 1]
                if c == _WORD and e - s > 1:
                    room = limit - w
                    cut = s
                    acc = 0.0
                    for m in range(s, e - 1):
                        cw, cn = _width_1000(text, m, m + 1, chain)
                        acc += cw * scale + char_space * cn
                        if acc > room:
                            break
                        cut = m + 1
                    cut = _best_cut(text, s, cut, breaks, must=False) if cut > s else cut
                    if cut > s:
                        _split_unit(units, uw, j, cut, text, chain, scale, char_space, breaks)
                        n += 1
                        b = j + 1
                elif pc == _WORD and pe - ps > 1 and j - 1 >= i and ps not in breaks:
                    # (a filled-in word is not cut for this: the greedy break stands)
                    _split_unit(units, uw, j - 1, pe - 1, text, chain, scale, char_space)
                    n += 1
                    b = j  # the word's last character now starts the next line
        e_unit = b - 1
        while e_unit > i and units[e_unit][2] == _SPACE:
            e_unit -= 1
        start = units[i][0]
        end = units[e_unit][1]
        out.append(Line(text[start:end], start, end, first and first_is_start, b >= n))
        i = b
        first = False


_WRAP_CACHE_SIZE = 4096
_wrap_cache: OrderedDict[tuple, list[Line]] = OrderedDict()
_wrap_lock = threading.Lock()  # documents may be rendered on worker threads


def wrap_text(text: str, chain: FontChain, size: float, width: float, *,
              first_indent: float = 0.0, char_space: float = 0.0,
              continuation: bool = False, open_end: bool = False, words: tuple = ()) -> list[Line]:
    """Break ``text`` into lines for ``size``-point text ``width`` points wide.

    Guarantees: each line's visual width (:func:`text_width`) is ≤ ``width`` (less the
    indent on first lines) unless a single character is wider than that; no line
    starts with a :data:`CLOSING` character or ends with an :data:`OPENING` one,
    unless the text offers no other break; "\\n" starts a new paragraph (an empty
    paragraph gives an empty line); spaces at a break are dropped. ``first_indent``
    (points) applies to the first line of every paragraph, except the first one when
    ``continuation`` is true (the text resumes a paragraph split across pages).
    ``char_space`` is extra space after each character (PDF ``Tc``; may be negative).
    ``open_end``: the text stops mid-paragraph (first part of a split), so its last
    line is not a paragraph end and is justified like the others.
    ``words``: spans of filled-in words (:func:`.words.word_spans`) that a line may
    only end between; one wider than a line is cut at its own breaks first.
    """
    key = (text, chain, size, width, first_indent, char_space, continuation, open_end, words)
    with _wrap_lock:
        hit = _wrap_cache.get(key)
        if hit is not None:
            _wrap_cache.move_to_end(key)
            return list(hit)
    lines: list[Line] = []
    if text:
        text_n = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text_n) != len(text):
            text = text_n  # offsets refer to the normalised text
        pos = 0
        first_para = True
        for para in text.split("\n"):
            lo, hi = pos, pos + len(para)
            is_start = not (first_para and continuation)
            indent = first_indent if is_start else 0.0
            _wrap_paragraph(text, lo, hi, chain, size, width - indent, width, char_space, is_start and indent > 0, lines,
                            words)
            pos = hi + 1
            first_para = False
        if open_end and lines:
            last = lines[-1]
            lines[-1] = Line(str(last), last.start, last.end, last.indent, False)
    with _wrap_lock:
        _wrap_cache[key] = lines
        if len(_wrap_cache) > _WRAP_CACHE_SIZE:
            _wrap_cache.popitem(last=False)
    return list(lines)


# --------------------------------------------------------------------------- drawing


def _segments(line: str, chain: FontChain, char_space: float, gap: float):
    """(font index, Tc, text) pieces for one line; ``gap`` goes after every unit but the last.

    Justification space is added through Tc on the last character of each unit, so
    the text stays one continuous run: no repositioning, clean text extraction, and
    no letter-spacing inside Latin words.
    """
    info = chain.char_info
    segs: list[list] = []
    units = _units(line, 0, len(line)) if gap else [(0, len(line), _WIDE)]
    last_unit = len(units) - 1
    for u, (s, e, _c) in enumerate(units):
        for k in range(s, e):
            ch = _drawable(line[k])
            idx = info(ch)[0]
            if idx == IGNORED:
                continue
            if idx == MISSING:
                idx = 0
            tc = char_space + (gap if (k == e - 1 and u < last_unit) else 0.0)
            if segs and segs[-1][0] == idx and segs[-1][1] == tc:
                segs[-1][2].append(ch)
            else:
                segs.append([idx, tc, [ch]])
    return [(idx, tc, "".join(chars)) for idx, tc, chars in segs]


def _emit(textobj, chain: FontChain, size: float, segs, state: list) -> None:
    for idx, tc, s in segs:
        name = chain.font_name(idx)
        if state[0] != name:
            textobj.setFont(name, size)
            state[0] = name
        if state[1] != tc:
            textobj.setCharSpace(tc)
            state[1] = tc
        textobj.textOut(s)


def _begin_text(canvas, chain: FontChain):
    t = canvas.beginText()
    if chain.embolden:
        t.setTextRenderMode(2)  # fill and stroke: the glyphs drawn bold
    return t


def _draw_text(canvas, t, chain: FontChain, size: float) -> None:
    """Draw text object ``t``; a chain drawn bold strokes its glyphs in their own colour."""
    if not chain.embolden:
        canvas.drawText(t)
        return
    canvas.saveState()
    canvas.setLineWidth(chain.embolden * size)
    canvas.setLineJoin(1)  # round joins: no spikes at sharp corners
    canvas.setStrokeColor(canvas._fillColorObj)
    canvas.drawText(t)
    canvas.restoreState()


def draw_text_run(canvas, x: float, y: float, text: str, chain: FontChain, size: float,
                  char_space: float = 0.0) -> float:
    """Draw one line of ``text`` at baseline (x, y), each character in a font that has it.

    Returns the visual width drawn. No wrapping.
    """
    t = _begin_text(canvas, chain)
    t.setTextOrigin(x, y)
    _emit(t, chain, size, _segments(text, chain, char_space, 0.0), [None, 0.0])
    _draw_text(canvas, t, chain, size)
    return text_width(text, chain, size, char_space)


# A line left far short by what follows it (a long code or number that cannot be broken) is set
# ragged, not spread out: “相　　关　　台　　账” reads as a mistake on a stamped page.
LOOSEST_JUSTIFY_GAP_EM = 0.5


def justify_gap(units: int, slack: float, size: float) -> float:
    """The space added between the ``units`` of a justified line ``slack`` points short of its width;
    none for a line so short that the gaps would pass ``LOOSEST_JUSTIFY_GAP_EM``."""
    if units < 2 or slack <= 0:
        return 0.0
    gap = slack / (units - 1)
    return gap if gap <= LOOSEST_JUSTIFY_GAP_EM * size else 0.0


def draw_lines(canvas, x: float, y: float, lines: Sequence[str], chain: FontChain, size: float,
               leading: float, *, width: float | None = None, alignment: str = "left",
               first_indent: float = 0.0, char_space: float = 0.0) -> float:
    """Draw wrapped ``lines``; the first baseline is at ``y``, then one ``leading`` lower each.

    ``alignment`` is left, center, right or justify (needs ``width``; a paragraph's last
    line stays left-aligned). Lines from :func:`wrap_text` that start a paragraph get
    ``first_indent``. Returns the y of the baseline after the last line.
    """
    if alignment not in ("left", "center", "right", "justify"):
        raise ValueError(f"alignment must be left, center, right or justify, not {alignment!r}")
    if alignment != "left" and width is None:
        raise ValueError("width is needed to centre, right-align or justify")
    t = _begin_text(canvas, chain)
    state: list = [None, 0.0]
    for line in lines:
        indent = first_indent if getattr(line, "indent", False) else 0.0
        lx = x + indent
        gap = 0.0
        if alignment != "left" and line:
            avail = width - indent
            lw = text_width(line, chain, size, char_space)
            if alignment == "center":
                lx += (avail - lw) / 2.0
            elif alignment == "right":
                lx += avail - lw
            elif not getattr(line, "para_end", True):
                gap = justify_gap(len(_units(line, 0, len(line))), avail - lw, size)
        if line:
            t.setTextOrigin(lx, y)
            _emit(t, chain, size, _segments(line, chain, char_space, gap), state)
        y -= leading
    _draw_text(canvas, t, chain, size)
    return y


# --------------------------------------------------------------------------- Flowable


class CJKParagraph(Flowable):
    """A paragraph of Chinese text laid out with :func:`wrap_text`.

    Height is ``len(lines) * leading``; each line's glyphs are centred vertically in
    their line box. Splits only between lines, so it flows across frames and pages;
    works inside Table cells. ``first_line_indent_chars`` indents the first line of
    each paragraph by that many em (official documents use 2). ``words``: the text is
    a filled-in text of that kind (:data:`.words.KINDS`: "unit", "title", "post",
    "name"), broken only between its words and set ragged-right (``justify`` is taken
    as ``left``: spreading a short line's characters apart would make gaps inside words).
    """

    _ALIGN = ("left", "center", "right", "justify")

    def __init__(self, text: str, chain: FontChain, size: float, leading: float | None = None,
                 alignment: str = "left", first_line_indent_chars: float = 0, *,
                 char_space: float = 0.0, color=None, words: str | None = None, _continuation: bool = False,
                 _open_end: bool = False):
        super().__init__()
        if alignment not in self._ALIGN:
            raise ValueError(f"alignment must be one of {self._ALIGN}, not {alignment!r}")
        self.text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
        self.chain = chain
        self.size = size
        self.leading = leading if leading is not None else size * 1.5
        self.alignment = "left" if words and alignment == "justify" else alignment
        self.first_line_indent_chars = first_line_indent_chars
        self.char_space = char_space
        self.color = color
        self.words = words
        self._word_spans = word_spans(self.text, words) if words else ()
        self._continuation = _continuation
        self._open_end = _open_end
        self._lines: list[Line] = []
        self._wrapped_width: float | None = None
        self.width = 0.0
        self.height = 0.0

    @property
    def first_indent(self) -> float:
        return self.first_line_indent_chars * (self.size + self.char_space)

    @property
    def lines(self) -> list[Line]:
        """The lines of the last wrap() (empty before platypus wraps it)."""
        return list(self._lines)

    def _layout(self, width: float) -> list[Line]:
        if self._wrapped_width != width:
            self._lines = wrap_text(self.text, self.chain, self.size, width, first_indent=self.first_indent,
                                    char_space=self.char_space, continuation=self._continuation,
                                    open_end=self._open_end, words=self._word_spans)
            self._wrapped_width = width
        return self._lines

    def wrap(self, availWidth, availHeight):  # noqa: N803 - platypus API
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.leading
        return self.width, self.height

    def minWidth(self):  # noqa: N802 - used by Table to size columns
        # the widest single character (plus indent) is the narrowest usable width
        widest = max((text_width(ch, self.chain, self.size) for ch in set(self.text) if ch != "\n"), default=0.0)
        return widest + self.first_indent

    def split(self, availWidth, availHeight):  # noqa: N803 - platypus API
        lines = self._layout(availWidth)
        fit = int((availHeight + _EPS) // self.leading)
        if fit >= len(lines):
            return [self]
        if fit <= 0:
            return []
        # The head keeps its lines as laid out (its last line stays justified); the tail
        # starts at a line start, so it re-wraps to exactly the remaining lines.
        head_end = lines[fit - 1].end
        head = self._clone(self.text[:head_end], self._continuation, open_end=lines[fit - 1].para_end is False)
        head._lines, head._wrapped_width = lines[:fit], availWidth
        tail_start = lines[fit].start
        starts_paragraph = tail_start == 0 or self.text[tail_start - 1] == "\n"
        tail = self._clone(self.text[tail_start:], not starts_paragraph, open_end=self._open_end)
        return [head, tail]

    def _clone(self, text: str, continuation: bool, open_end: bool) -> "CJKParagraph":
        p = CJKParagraph(text, self.chain, self.size, self.leading, self.alignment, self.first_line_indent_chars,
                         char_space=self.char_space, color=self.color, words=self.words,
                         _continuation=continuation, _open_end=open_end)
        p.spaceBefore = getattr(self, "spaceBefore", 0)
        p.spaceAfter = getattr(self, "spaceAfter", 0)
        return p

    def draw(self):
        lines = self._layout(self.width)
        if not lines:
            return
        canv = self.canv
        canv.saveState()
        if self.color is not None:
            canv.setFillColor(self.color)
        # centre the em box in the line box: baseline = top gap + ascent
        y = self.height - (self.leading - self.size) / 2.0 - CJK_ASCENT * self.size
        draw_lines(canv, 0.0, y, lines, self.chain, self.size, self.leading, width=self.width,
                   alignment=self.alignment, first_indent=self.first_indent, char_space=self.char_space)
        canv.restoreState()

    def __repr__(self):
        return f"CJKParagraph({self.text[:20]!r}…, size={self.size}, {self.alignment})"

