"""Where a filled-in text may break: unit names, job titles, posts and people's names.

Chinese has no spaces, so :mod:`.cjk_text` may break a line between any two
characters — right for sentences, wrong for the texts a clerk fills in: “副主|任科员”,
“办公|室主任” or “建筑市|场监管” read as nonsense. :func:`word_spans` cuts such a text
into *words*, spans that a line may only end between:

* ``"title"`` (职务 such as 副主任科员, 党组成员、副局长): each title between separators
  (、，/ and spaces) is one word;
* ``"post"`` (工作岗位 such as 分管行政审批、建筑市场监管): each post between separators;
* ``"unit"`` (平阳县住房和城乡建设局鳌江分局): the levels of the organisation, cut after
  a place or organ (县, 市, 局, 分局, 办公室 …) unless the character belongs to a word
  going on (市场, 城乡, 县委 …), so 平阳县 / 住房和城乡建设局 / 鳌江分局;
* ``"name"`` (欧阳明辉, 阿依古丽·买买提): each name, and each part around the middle dot.

A word wider than a whole line still has to break: each span carries the places
where it may, at known morphemes (副主任科员 → 副主任 | 科员, 四级主任科员 → 四级 |
主任科员), as a last resort before a break between characters.

Plain rules on characters (no dictionary, no pypinyin): pure, no I/O.
"""

from __future__ import annotations

__all__ = ["Span", "KINDS", "word_spans", "compose"]

# (start, end, breaks): text[start:end] stays on one line; ``breaks`` are the offsets
# inside it where it may be cut when it is wider than a line, best places first found.
Span = tuple[int, int, tuple[int, ...]]

KINDS = ("title", "post", "unit", "name")

# Between two filled-in items; the separator stays with the item before it (、 never starts a line).
_SEPARATORS = frozenset("、，,；;／/\\|　 \t")
_OPEN = frozenset("（(《〈「『“‘【〔")
_CLOSE = frozenset("）)》〉」』”’】〕")
_NAME_DOTS = frozenset("·•・‧．.")

# Morphemes of job titles and posts, longest first: where a title or post wider than a
# line may be cut (副 and 分管 go with what follows).
_MORPHEMES = tuple(sorted({
    # ranks and grades
    "一级", "二级", "三级", "四级", "主任科员", "科员", "办事员", "调研员", "巡视员", "专员", "干部",
    "工作人员", "高级", "中级", "初级", "助理", "工程师", "经济师", "会计师", "技术员", "试用期",
    # posts of leaders
    "党组书记", "党组成员", "党委书记", "党委委员", "党支部书记", "支部书记", "纪检组长", "纪委书记",
    "书记", "委员", "成员", "局长", "厅长", "处长", "科长", "站长", "所长", "队长", "主任", "组长",
    "部长", "主席", "主管", "负责人", "总工程师", "总经济师", "总会计师", "主持", "负责", "分管",
    "协助", "兼任", "兼", "挂职", "借调", "驻",
    # organs inside a title (办公室主任, 综合科科长)
    "办公室", "机关", "纪委", "监察室", "综合", "财务", "人事", "法规", "信息",
    # the key posts of seed 000 and common others
    "行政审批", "方案设计", "技术审查", "房地产", "市场监管", "建筑", "规划核实", "竣工验收",
    "安全监管", "质量监管", "日常事务", "工作", "管理", "监督", "执法", "档案", "后勤", "保障",
}, key=len, reverse=True))
_PREFIXES = ("副", "常务副", "代理", "代", "正", "原")

# Unit names: the end of a place or organ, longest first.
_ORGAN_ENDS = tuple(sorted((
    "委员会", "办公室", "管理处", "中心", "分局", "支队", "大队", "中队", "公司", "总局",
    "局", "厅", "委", "办", "站", "所", "队", "院", "处", "科", "室", "部",
    # 州 alone is left out: it ends city names too (杭州市, 温州市)
    "自治区", "自治州", "自治县", "省", "市", "县", "区", "旗", "镇", "乡", "街道",
), key=len, reverse=True))
# Two characters that belong together across an organ end: no cut between them.
_GOES_ON = frozenset((
    "市场", "市政", "市民", "市容", "区域", "局面", "站点", "所有", "所属", "所在", "科学", "科技",
    "科研", "科室", "室内", "处理", "处置", "部门", "部署", "院落", "院校", "队伍", "委托", "办理",
    "办事", "乡镇", "乡村", "县域", "县级", "市级", "省级", "区级", "省委", "市委", "县委", "区委",
    "州委", "旗委", "省政", "市政", "县政", "区政", "镇政", "乡政", "局机", "厅机", "委机", "局属",
    "部委", "中心", "县城", "市县", "省市", "市区", "县区", "镇区", "区县",
))
# Two characters that form a word ending on an organ-end character: no cut after the second.
_ENDS_A_WORD = frozenset((
    "城市", "都市", "超市", "城乡", "社区", "园区", "景区", "小区", "街区", "辖区", "城区", "新区",
    "专科", "本科", "学科", "工科", "理科", "文科", "诊所", "场所", "住所", "处所", "研究所",
))


def _items(text: str, lo: int, hi: int, dots: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the items of text[lo:hi] between separators; a separator and closing
    brackets stay with the item before them, an opening bracket starts an item."""
    items: list[tuple[int, int]] = []
    start = lo
    i = lo
    while i < hi:
        ch = text[i]
        if ch.isspace() or ch in _SEPARATORS or (dots and ch in _NAME_DOTS):
            j = i + 1
            while j < hi and (text[j] in _CLOSE):
                j += 1
            end = i if ch.isspace() else j  # a space belongs to no word
            if end > start:
                items.append((start, end))
            start = i + 1 if ch.isspace() else j
            i = j if not ch.isspace() else i + 1
            continue
        if ch in _OPEN and i > start:
            items.append((start, i))
            start = i
        i += 1
    if hi > start:
        items.append((start, hi))
    return [(s, e) for s, e in items if text[s:e].strip()]


def _morpheme_breaks(text: str, lo: int, hi: int) -> tuple[int, ...]:
    """Offsets inside text[lo:hi] between known morphemes (greedy, longest first); a prefix
    such as 副 goes with the morpheme after it, an unknown run with the one before it."""
    breaks: list[int] = []
    i = lo
    pending_unknown = False
    while i < hi:
        start = i
        for prefix in _PREFIXES:
            if text.startswith(prefix, i) and any(text.startswith(m, i + len(prefix)) for m in _MORPHEMES):
                i += len(prefix)
                break
        hit = next((m for m in _MORPHEMES if text.startswith(m, i)), None)
        if hit is None:
            i = start + 1
            pending_unknown = True
            continue
        if start > lo and not pending_unknown:
            breaks.append(start)
        elif start > lo and pending_unknown and breaks[-1:] != [start]:
            breaks.append(start)
        pending_unknown = False
        i += len(hit)
    return tuple(b for b in breaks if lo < b < hi and _clean_break(text, b))


def _clean_break(text: str, at: int) -> bool:
    """A cut at ``at`` leaves no opening bracket at a line end and no closing one or separator at a start."""
    return text[at - 1] not in _OPEN and text[at] not in _CLOSE and text[at] not in _SEPARATORS


def _organ_breaks(text: str, lo: int, hi: int) -> list[int]:
    """Offsets inside text[lo:hi] after a place or organ name (平阳县 | 住房和城乡建设局 | 鳌江分局)."""
    cuts: list[int] = []
    last = lo
    i = lo
    while i < hi:
        end = next((i + len(e) for e in _ORGAN_ENDS if text.startswith(e, i) and i + len(e) <= hi), None)
        if end is None:
            i += 1
            continue
        before = text[end - 2:end] if end - 2 >= lo else ""
        after = text[end - 1:end + 1]
        word_long_enough = end - last >= 2
        rest_long_enough = hi - end >= 2
        if (word_long_enough and rest_long_enough and after not in _GOES_ON and before not in _ENDS_A_WORD
                and not any(text.startswith(w, end - len(w) + 1) for w in ("研究所",) if end - len(w) >= lo)):
            cuts.append(end)
            last = end
            i = end
        else:
            i += 1
    return cuts


def word_spans(text: str, kind: str, offset: int = 0) -> tuple[Span, ...]:
    """The words of ``text`` (a filled-in text of ``kind``), as spans of ``offset + ...``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    spans: list[Span] = []
    for s, e in _items(text, 0, len(text), dots=kind == "name"):
        if kind == "unit":
            cuts = _organ_breaks(text, s, e)
            for a, b in zip([s, *cuts], [*cuts, e]):
                spans.append((a, b, _morpheme_breaks(text, a, b)))
        elif kind == "name":
            spans.append((s, e, ()))
        else:
            spans.append((s, e, _morpheme_breaks(text, s, e)))
    return tuple((s + offset, e + offset, tuple(b + offset for b in breaks)) for s, e, breaks in spans)


def compose(*parts: tuple[str, str | None]) -> tuple[str, tuple[Span, ...]]:
    """Join ``(text, kind)`` parts into one text and its word spans (kind None: no words
    of its own, e.g. a label or the space between two parts)."""
    text = ""
    spans: list[Span] = []
    for part, kind in parts:
        if kind is not None:
            spans.extend(word_spans(part, kind, len(text)))
        text += part
    return text, tuple(spans)
