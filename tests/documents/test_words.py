"""Filled-in texts break only between words: unit names, job titles, posts and names —
on their own (word_spans, wrap_text) and read back from real 附件1 letters and 附件2 tables."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from filing_samples import CADRE, STAFF, compact, entry, filing

from qingqing_desktop.documents import fonts
from qingqing_desktop.documents.cjk_text import CLOSING, text_width, wrap_text
from qingqing_desktop.documents.fonts import font_chain
from qingqing_desktop.documents.pdf_base import SIZE_3HAO, SIZE_XIAO4
from qingqing_desktop.documents.pledge_pdf import write_pledge_letters
from qingqing_desktop.documents.summary_pdf import write_summary_pdf
from qingqing_desktop.documents.words import compose, word_spans
from qingqing_desktop.services.sample_data import SAMPLE_PEOPLE

DATA = Path(__file__).resolve().parents[1] / "data"
REAL_TITLES = [line.strip() for line in (DATA / "job_titles.txt").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
# The application's own sample roster (first start) is a roster too: its titles must hold as well.
ROSTER_TITLES = sorted({person[2] for person in SAMPLE_PEOPLE if person[2]})
ALL_TITLES = sorted(set(REAL_TITLES) | set(ROSTER_TITLES))
# Real unit names from 3 to 16 characters (seed 000 and the other places' seeds).
UNITS = [
    "技术科", "房地产科", "行政审批科", "城乡建设档案室", "沈阳市城乡建设局", "平阳县建筑业管理处",
    "温州市人民防空办公室", "浙江省住房和城乡建设厅", "平阳县住房和城乡建设局", "平阳县住房公积金管理中心",
    "平阳县住房和城乡建设局萧江分局", "杭州市拱墅区住房和城乡建设局", "平阳县建设工程质量安全监督站",
    "平阳县住房和城乡建设局鳌江住房和城乡建设分局",
]
SEPARATORS = "、，,；;/／ （）()"


def items(title: str) -> list[str]:
    """The parts of a title a line may end between: 党组成员、副局长 → 党组成员 / 副局长."""
    return [part for part in re.split(f"[{re.escape(SEPARATORS)}]", title) if part]


@pytest.fixture(scope="module")
def body():
    fonts.reset_font_cache()
    return font_chain("fangsong")


def test_the_title_list_is_long_enough_and_real():
    assert len(REAL_TITLES) >= 50
    for title in ("副主任科员", "办公室主任", "副站长", "四级主任科员", "一级科员", "党组成员、副局长"):
        assert title in REAL_TITLES


@pytest.mark.parametrize("text, words", [
    ("平阳县住房和城乡建设局鳌江住房和城乡建设分局", ["平阳县", "住房和城乡建设局", "鳌江住房和城乡建设分局"]),
    ("平阳县住房和城乡建设局鳌江分局", ["平阳县", "住房和城乡建设局", "鳌江分局"]),
    ("杭州市拱墅区住房和城乡建设局", ["杭州市", "拱墅区", "住房和城乡建设局"]),
    ("温州市人民防空办公室", ["温州市", "人民防空办公室"]),
    ("国家税务总局平阳县税务局", ["国家税务总局", "平阳县", "税务局"]),
    ("城乡建设档案室", ["城乡建设档案室"]),        # 城乡 is one word, not 城乡 | 建设
    ("市场监督管理局", ["市场监督管理局"]),          # 市场: 市 goes on
    ("城市管理局", ["城市管理局"]),                  # 城市: no cut after 市
    ("平阳县委办公室", ["平阳县委", "办公室"]),       # 县委 stays together
    ("局机关纪委（监察室）", ["局机关纪委", "（监察室）"]),
    ("技术科", ["技术科"]),
])
def test_unit_names_are_cut_into_their_levels(text, words):
    assert [text[s:e] for s, e, _ in word_spans(text, "unit")] == words


@pytest.mark.parametrize("text, words", [
    ("党组成员、副局长", ["党组成员、", "副局长"]),
    ("副科长（主持工作）", ["副科长", "（主持工作）"]),
    ("副主任科员", ["副主任科员"]),
    ("分管行政审批、建筑市场监管", ["分管行政审批、", "建筑市场监管"]),
])
def test_titles_and_posts_are_cut_between_items_only(text, words):
    kind = "post" if text.startswith("分管") else "title"
    assert [text[s:e] for s, e, _ in word_spans(text, kind)] == words


def test_names_stay_whole_or_break_at_the_middle_dot():
    assert [t for t in ("欧阳明辉",) for s, e, _ in word_spans(t, "name") if (s, e) == (0, len(t))] == ["欧阳明辉"]
    text = "阿依古丽·买买提"
    assert [text[s:e] for s, e, _ in word_spans(text, "name")] == ["阿依古丽·", "买买提"]


def test_compose_offsets_the_spans_of_each_part():
    text, spans = compose(("承诺人单位及职务：", None), ("技术科", "unit"), (" ", None), ("副站长", "title"))
    assert text == "承诺人单位及职务：技术科 副站长"
    assert [text[s:e] for s, e, _ in spans] == ["技术科", "副站长"]


def test_every_title_wraps_only_between_its_items_at_every_width(body):
    for title in ALL_TITLES:
        spans = word_spans(title, "title")
        for chars in range(2, 16):  # (one character a line leaves no choice)
            width = chars * SIZE_3HAO
            lines = wrap_text(title, body, SIZE_3HAO, width, words=spans)
            assert "".join(lines) == title
            if text_width(title, body, SIZE_3HAO) <= width:
                assert len(lines) == 1, (title, chars, lines)
            for item in items(title):
                # an item keeps its brackets and the separator after it (、 never starts a line)
                at = title.index(item)
                before, after = title[max(at - 1, 0):at], title[at + len(item):at + len(item) + 2]
                kept = (before if before in "（(" else "") + item + "".join(
                    ch for ch in after[:2] if ch in "、，,；;）)")
                if text_width(kept, body, SIZE_3HAO) <= width:
                    assert any(item in line for line in lines), (title, chars, lines)
            # wider than the line: cut at morphemes (四级 | 主任科员), never leaving a closing mark first
            assert not any(line[:1] in CLOSING for line in lines[1:]), (title, chars, lines)


def test_long_title_is_cut_at_a_morpheme_before_a_character():
    body = font_chain("fangsong")
    title = "四级主任科员"
    lines = wrap_text(title, body, SIZE_3HAO, 4.5 * SIZE_3HAO, words=word_spans(title, "title"))
    assert lines == ["四级", "主任科员"]


# --------------------------------------------------------------------------- read back from letters


def _straddling_unit(title: str, body) -> str:
    """A real unit name of such a length that, broken between characters, the line would end
    inside ``title`` (the first line holds 17 characters after 承诺人单位及职务：)."""
    room = 17 * SIZE_3HAO
    for unit in sorted(UNITS, key=len, reverse=True):
        start = text_width(unit + " ", body, SIZE_3HAO)
        if start < room - SIZE_3HAO / 2 and start + text_width(title, body, SIZE_3HAO) > room:
            return unit
    return UNITS[-1]


def _signature_lines(page_lines: list[str], label: str) -> list[str]:
    """The lines of 承诺人单位及职务 (label removed), up to the signer's line."""
    start = next(i for i, line in enumerate(page_lines) if compact(line).startswith(compact(label)))
    out = [compact(page_lines[start])[len(compact(label)):]]
    for line in page_lines[start + 1:]:
        if compact(line).startswith("承诺人"):
            break
        out.append(compact(line))
    return out


@pytest.mark.slow
def test_no_job_title_is_split_on_any_letter(body):
    """Every real title and every title of the sample roster, each after a unit name that puts
    the end of the first line inside it: read back, each title (item) is whole on one line,
    the unit breaks only after a level, and 附件1： and the title stand alike on every letter."""
    by_unit: dict[str, list[str]] = {}
    for title in ALL_TITLES:
        by_unit.setdefault(_straddling_unit(title, body), []).append(title)
    template = filing(1).template
    label = template.pledge.unit_post_label
    title_tops, checked = set(), 0
    for unit, titles in by_unit.items():
        people = tuple(entry(f"人员{i:03d}", CADRE if i % 2 else STAFF, title=title)
                       for i, title in enumerate(titles))
        data = filing(1, unit_name=unit, pledges=people)
        out = io.BytesIO()
        write_pledge_letters(out, data, duplex=False)
        with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
            assert len(pdf.pages) == len(titles)  # one page each
            for page in pdf.pages:
                lines = [line["text"] for line in page.extract_text_lines()]
                value = _signature_lines(lines, label)
                assert "".join(value).startswith(compact(unit))
                name = "".join(value)[len(compact(unit)):]
                assert name in [compact(t) for t in titles]
                for item in items(name):
                    assert any(item in line for line in value), f"{unit} {name}: {value}"
                if len(value) > 1 and not value[0].endswith(tuple(items(name))) and value[0] != unit:
                    # the unit itself was broken: only after one of its levels
                    assert value[0] in [unit[:e] for _s, e, _b in word_spans(unit, "unit")], value
                title_tops.add(round(next(c["top"] for c in page.chars if c["size"] > 20), 1))
                checked += 1
    assert checked == len(ALL_TITLES) >= 50
    assert len(title_tops) == 1  # the title sits on the same line of every letter


def test_posts_in_the_summary_table_break_between_posts(body):
    posts = ["分管行政审批、方案设计技术审查、房地产市场监管、建筑市场监管",
             "分管规划核实、竣工验收、安全监管、质量监管、办公室日常事务"]
    people = tuple(entry(f"人员{i}", CADRE, post=post) for i, post in enumerate(posts))
    out = io.BytesIO()
    write_summary_pdf(out, filing(2, pledges=people, finalised=True))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        cells = [compact(c or "") for row in pdf.pages[0].extract_tables()[0] for c in row]
        lines = [compact(line["text"]) for line in pdf.pages[0].extract_text_lines()]
    for post in posts:
        assert compact(post) in cells
        for item in items(post):
            assert any(item in line for line in lines), (item, lines)
    # ragged right: a short line of posts is not spread out letter by letter
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] in "规划核实"]
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:]) if abs(a["top"] - b["top"]) < 1]
    assert gaps and max(gaps) < 1.0, gaps


def test_long_names_break_at_the_middle_dot_only(body):
    person = entry("阿依古丽·买买提江", STAFF)
    out = io.BytesIO()
    write_summary_pdf(out, dataclasses.replace(filing(1, finalised=True), pledges=(person,)))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        lines = [compact(line["text"]) for line in pdf.pages[0].extract_text_lines()]
    assert any(line.startswith("阿依古丽") or "阿依古丽·" in line for line in lines)
    assert any("买买提江" in line for line in lines)
    assert text_width("阿依古丽·买买提江", body, SIZE_XIAO4) > 0
