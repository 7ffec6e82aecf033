"""Splitting text pasted from a notice into list items (domain.numbered_text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingqing_desktop.domain.numbered_text import chinese_number, split_items
from qingqing_desktop.store.policy_templates import get_template

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seed(number: str) -> str:
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not present in {SEEDS}")
    return found[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (13, "十三"), (20, "二十"), (21, "二十一"), (99, "九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize(
    "text",
    [
        "1.甲。\n2.乙。\n3.丙。",
        "1、甲。\n2、乙。\n3、丙。",
        "1．甲。\n2．乙。\n3．丙。",
        "(1)甲。\n(2)乙。\n(3)丙。",
        "（1）甲。（2）乙。（3）丙。",
        "1）甲。\n2）乙。\n3）丙。",
        "一、甲。\n二、乙。\n三、丙。",
        "（一）甲。\n（二）乙。\n（三）丙。",
        "①甲。②乙。③丙。",
        "⑴甲。\n⑵乙。\n⑶丙。",
        "⒈甲。\n⒉乙。\n⒊丙。",
        "第一条　甲。\n第二条　乙。\n第三条　丙。",
        "第1条 甲。\n第2条 乙。\n第3条 丙。",
        "• 甲。\n• 乙。\n• 丙。",
        "甲。\n乙。\n丙。",
        "甲；乙；丙。",
    ],
)
def test_every_numbering_style_gives_the_items_without_their_numbers(text):
    assert split_items(text).items == ("甲。" if "；" not in text else "甲；", "乙。" if "；" not in text else "乙；",
                                       "丙。")


def test_wrapped_lines_are_joined_and_a_number_inside_a_sentence_is_not_an_item():
    text = "1.参加第（4）、（5）、（6）条所述活动，需经\n批准。\n2.按 1.5 倍\nfor the record 计算。"
    assert split_items(text).items == ("参加第（4）、（5）、（6）条所述活动，需经批准。", "按 1.5 倍for the record 计算。")


def test_latin_words_broken_over_lines_keep_their_space():
    assert split_items("1.see the\nnotice.\n2.done.").items == ("see the notice.", "done.")


def test_text_before_the_first_item_is_the_lead_and_paragraphs_after_the_last_are_the_tail():
    result = split_items("自觉做到：\n（1）甲；\n（2）乙。\n\n参加第（1）条所述活动须经批准。")
    assert result.lead == "自觉做到："
    assert result.items == ("甲；", "乙。")
    assert result.tail == ("参加第（1）条所述活动须经批准。",)
    assert result.numbered


def test_a_part_of_a_longer_list_keeps_its_own_numbers_out():
    assert split_items("5.戊。\n6.己。").items == ("戊。", "己。")


def test_blank_text_has_no_items():
    assert split_items("  \n\u3000 ").items == ()


def test_one_sentence_is_one_item():
    assert split_items("只有一条。").items == ("只有一条。",)


def passage(number: str, first: str, last: str) -> str:
    """The seed's text from ``first`` to the end of the first ``last`` after it, as a clerk would select it."""
    text = seed(number)
    start = text.index(first)
    return text[start:text.index(last, start) + len(last)]


def test_seed_003_thirteen_prohibitions_come_out_as_the_shipped_template_has_them():
    result = split_items(passage("003", "**不准**收受", "其他行为。"))  # with its page break and markdown bold
    assert result.items == get_template("hubei-zhujian").list_by_key("negative").items
    assert len(result.items) == 13 and result.lead == ""


def test_seed_003_six_prohibitions_with_their_introduction():
    result = split_items(passage("003", "各级住建部门党组织应当", "其他行为。"))
    enterprise = get_template("hubei-zhujian").list_by_key("enterprise")
    assert result.items == enterprise.items
    assert result.lead == enterprise.intro


def test_seed_000_positive_list_and_its_note():
    text = seed("000")
    start = text.index("（1）优化涉企服务")
    end = text.index("2．我局及其工作人员政商交往“负面清单”")
    result = split_items(text[start:end])
    assert len(result.items) == 7
    assert result.items[3] == "参加有利于民营经济发展的企业上市策划、重大项目开工仪式等活动。"
    assert result.tail == ("参加第（4）、（5）、（6）条所述活动，需经批准并符合中央八项规定精神和相关公务管理规定。",)


def test_seed_004_ten_prohibitions_numbered_with_ascii_dots():
    text = seed("004")
    start = text.index("1.禁止无视")
    end = text.index("三、打造政商互动感知系统")
    items = split_items(text[start:end]).items
    assert len(items) == 10 and all(item.startswith("禁止") for item in items)


def test_what_word_puts_on_the_clipboard_for_its_own_numbering():
    """Word's automatic numbering arrives as text: the number, a tab, the item, CR LF."""
    assert split_items("1.\t甲；\r\n2.\t乙；\r\n3.\t丙。\r\n").items == ("甲；", "乙；", "丙。")
    assert split_items("（一）\t甲。\r\n（二）\t乙。").items == ("甲。", "乙。")
    assert split_items("•\t甲。\r\n•\t乙。").items == ("甲。", "乙。")


def test_a_list_whose_numbering_changes_style_part_way_keeps_every_item():
    """Pasted from a notice edited by several hands: 1. 2. then （3）（4）（5） — the longest run is the
    first two, but the numbered paragraphs after it are items, not the list's notes (nor, before it,
    its introduction)."""
    changed = split_items("1. 不准甲；\n2. 不准乙；\n（3）不准丙；\n（4）不准丁；\n（5）不准戊。\n注：参加第（4）条所述活动需经批准。")
    assert changed.items == ("不准甲；", "不准乙；", "不准丙；", "不准丁；", "不准戊。")
    assert changed.tail == ("注：参加第（4）条所述活动需经批准。",)
    before = split_items("自觉做到：\n一、不准甲；\n二、不准乙；\n1. 不准丙；\n2. 不准丁；\n3. 不准戊。")
    assert before.items == ("不准甲；", "不准乙；", "不准丙；", "不准丁；", "不准戊。")
    assert before.lead == "自觉做到："
