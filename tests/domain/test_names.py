from __future__ import annotations

import pytest

from qingqing_desktop.domain.names import (
    SearchQuery,
    clean_name,
    comparison_key,
    comparison_keys,
    initials,
    matches_search,
    _rest_syllables,
    name_syllables,
    remember_syllables,
    search_keys,
    sort_key,
    syllables_text,
)


@pytest.mark.parametrize(
    ("name", "first"),
    [("单雄信", "shan"), ("曾国藩", "zeng"), ("解缙", "xie"), ("仇英", "qiu"), ("区庄", "ou"), ("朴槿", "piao"),
     ("單文傑", "shan"), ("张三", "zhang")],
)
def test_surnames_are_read_as_surnames(name, first):
    assert name_syllables(name)[0] == first


def test_sort_order_follows_pinyin_syllable_by_syllable():
    names = ["张三", "曾晓燕", "单建国", "仇立新", "解文博", "谢晓峰", "区志文", "潘志强", "张伟", "章子"]
    assert sorted(names, key=sort_key) == ["区志文", "潘志强", "仇立新", "单建国", "解文博", "谢晓峰", "曾晓燕", "张三", "张伟", "章子"]


def test_rare_characters_sort_deterministically_and_keep_their_reading():
    assert name_syllables("王䶮") == ("wang", "yan")
    assert name_syllables("李𡈽")[0] == "li"
    assert sort_key("李𡈽") < sort_key("林素华")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("张  三", "张三"), ("\u3000张三\u3000", "张三"), ("曾 晓 燕", "曾晓燕"), ("\u200b李娜\ufeff", "李娜"),
     ("阿依古丽·买买提", "阿依古丽·买买提"), ("John  Smith", "John Smith"), ("王𡈽", "王𡈽")],
)
def test_clean_name_removes_padding_and_invisible_characters(raw, clean):
    assert clean_name(raw) == clean


def test_comparison_key_equates_script_width_and_invisible_variants_only():
    assert comparison_key("張偉") == comparison_key("张伟")
    assert comparison_key("ＡＢＣ") == comparison_key("abc")
    assert comparison_key("张\u200b伟") == comparison_key("张伟")
    assert comparison_key("张伟") != comparison_key("张玮")


def test_search_by_name_initials_full_pinyin_and_post():
    assert initials("张三") == "zs"
    assert matches_search("zs", name="张三")
    assert matches_search("zhangs", name="张三")
    assert matches_search("ZS", name="张三")
    assert not matches_search("ls", name="张三")
    assert matches_search("质量", "质量监管", name="李四")
    assert matches_search("張", name="张三")
    assert matches_search("", name="任何人")


def test_many_comparison_keys_at_once_are_the_keys_one_by_one():
    texts = ["張偉", "ＡＢＣ", "张\u200b伟", "分管 行政審批", "", "李𡈽"]
    assert comparison_keys(texts) == [comparison_key(t) for t in texts]


@pytest.mark.parametrize(
    ("query", "found"),
    [("zs", True), ("zhangs", True), ("ZS", True), ("ls", False), ("質量", True), ("质量", True), ("張", True),
     ("三 质", False), ("", True), ("科员", True), ("监管科", False)],
)
def test_prepared_search_keys_answer_as_matches_search_does(query, found):
    (key,) = search_keys([("张三", "质量监管", "科员")])
    assert key.matches(SearchQuery.of(query)) is found
    assert matches_search(query, "质量监管", "科员", name="张三") is found


def test_a_query_never_matches_across_two_fields():
    (key,) = search_keys([("王五", "财务", "科员")])
    assert not key.matches(SearchQuery.of("务科"))


def test_syllables_kept_by_the_store_are_used_instead_of_computed():
    assert syllables_text("单建国") == "shan\x1fjian\x1fguo"
    remember_syllables("仮名甲", "zz\x1fyy")  # as if read back from a database
    assert name_syllables("仮名甲") == ("zz", "yy")
    assert sort_key("仮名甲") > sort_key("张三")
    remember_syllables("张三", "aa")  # a name already known keeps its own syllables
    assert name_syllables("张三") == ("zhang", "san")


@pytest.mark.parametrize(
    "given",
    ["长江", "重阳", "乐乐", "行长", "传奇", "朝阳", "好好", "家乐", "和平", "国强", "明", "文傑", "𡈽", "䶮",
     "John Smith", "小明", "晓燕", "依古丽·买买提", "大中华", "长长久久"],
)
def test_a_given_name_reads_as_pypinyin_reads_it(given):
    """Most given names hold no word pypinyin knows and are read a character at a time (each looked
    up once); those that do (长江, 重阳, 行长 …) go to pypinyin whole. Either way: pypinyin's reading."""
    from pypinyin import lazy_pinyin

    assert _rest_syllables(given) == lazy_pinyin(given, errors=lambda chars: list(chars))


def test_no_letter_or_digit_is_a_character_clean_name_takes_out():
    """clean_name returns a name of letters and digits untouched, without its regexes: sound only if
    no alphanumeric character is invisible or a space."""
    from qingqing_desktop.domain.names import _INVISIBLE, _WHITESPACE

    taken = [hex(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and chr(code).isalnum()
             and (_INVISIBLE.match(chr(code)) or _WHITESPACE.match(chr(code)))]
    assert taken == []
    assert clean_name("张三") == "张三" and clean_name("张\u200b三") == "张三" and clean_name(" 欧阳 小明 ") == "欧阳小明"


def test_the_sort_key_orders_as_syllables_then_name_would():
    """sort_key is one string for speed; its order is the order of (syllables, name), prefixes included."""
    names = ["安", "安东", "安安", "阿", "阿安", "艾", "张三", "张三丰", "张", "章", "张伟", "區志文", "区志文", "仮名甲",
             "李𡈽", "Anna", "anna", "An Na", "单雄信", "单", "山", "王䶮", "王", "王艳", "萬", "万一", "a", "ai"]
    assert sorted(names, key=sort_key) == sorted(names, key=lambda n: (name_syllables(n), n))
    assert sort_key("安") < sort_key("安安") < sort_key("安东")  # (an,) before (an, an) before (an, dong)
