"""The one way to shorten a text for a message or a cell."""

from qingqing_desktop.domain.text import shortened


def test_a_text_within_the_limit_is_kept_and_a_longer_one_ends_in_an_ellipsis_at_the_limit():
    assert shortened("对企业咨询的答复超时", 10) == "对企业咨询的答复超时"
    assert shortened("对企业咨询的答复有时超过承诺时限", 10) == "对企业咨询的答复有…"
    assert len(shortened("x" * 100)) == 16
