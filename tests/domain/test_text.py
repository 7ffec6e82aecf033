"""The one way to shorten a text for a message or a cell, and to make a text part of a file name."""

from qingqing_desktop.domain.text import file_name_part, quoted, shortened


def test_a_text_within_the_limit_is_kept_and_a_longer_one_ends_in_an_ellipsis_at_the_limit():
    assert shortened("对企业咨询的答复超时", 10) == "对企业咨询的答复超时"
    assert shortened("对企业咨询的答复有时超过承诺时限", 10) == "对企业咨询的答复有…"
    assert len(shortened("x" * 100)) == 16


def test_a_file_name_part_is_what_windows_accepts():
    assert file_name_part('a<b>:"c"/d\\e|f?*. ') == "a_b__c_d_e_f"
    assert file_name_part("CON") == "_CON" and file_name_part("lpt1") == "_lpt1" and file_name_part("...") == "_"
    assert file_name_part("") == "_"


def test_a_file_name_part_drops_quotes_spaces_and_invisible_characters():
    assert file_name_part("反对“挈篮子”承诺书") == "反对挈篮子承诺书"
    # padding, a full-width space, a zero-width space and a right-to-left override pasted with a name
    assert file_name_part(" 第一\u3000分局\u200b\u202e ") == "第一分局"
    assert file_name_part("技术科\n审批\t窗口") == "技术科审批窗口"


def test_a_file_name_part_is_cut_to_its_limit_without_a_dot_at_the_end():
    assert file_name_part("测" * 50) == "测" * 40
    assert file_name_part("一二三四.五六", limit=5) == "一二三四"


def test_a_quoted_title_nests_its_own_quotes_as_chinese_does():
    assert quoted("2026年“三清单一承诺”") == "“2026年‘三清单一承诺’”"
    assert quoted("三清单一承诺行动") == "“三清单一承诺行动”"
