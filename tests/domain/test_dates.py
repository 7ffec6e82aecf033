from __future__ import annotations

import datetime as dt
import time

import pytest

from qingqing_desktop.domain.dates import chinese_date, chinese_date_time, local_time, to_local


def test_chinese_date_has_no_leading_zeros():
    assert chinese_date(dt.date(2019, 3, 5)) == "2019年3月5日"
    assert chinese_date(dt.date(2019, 12, 31)) == "2019年12月31日"
    assert chinese_date(dt.date(2026, 10, 1)) == "2026年10月1日"


def test_chinese_date_of_a_datetime_is_its_date_part():
    assert chinese_date(dt.datetime(2020, 1, 9, 15, 30)) == "2020年1月9日"


def test_no_date_gives_the_empty_text():
    assert chinese_date(None) == ""
    assert chinese_date(None, "不规定") == "不规定"
    assert chinese_date(dt.date(2019, 3, 5), "不规定") == "2019年3月5日"


def test_chinese_date_time_with_and_without_seconds():
    moment = dt.datetime(2026, 12, 5, 14, 5, 9)
    assert chinese_date_time(moment) == "2026年12月5日 14:05"
    assert chinese_date_time(moment, seconds=True) == "2026年12月5日 14:05:09"
    assert chinese_date_time(dt.datetime(2019, 3, 5, 9, 0)) == "2019年3月5日 09:00"


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="the time zone is switched with time.tzset (POSIX)")
def test_a_stored_utc_moment_reads_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time("2026-12-05T16:05:09+00:00") == "2026-12-06 00:05"  # past midnight in 北京时间
        assert local_time("2026-12-05T16:05:09+00:00", seconds=True) == "2026-12-06 00:05:09"
        assert local_time(None) == "" and local_time("") == ""
        assert chinese_date_time(to_local("2026-12-05T16:05:09+00:00")) == "2026年12月6日 00:05"
    finally:
        monkeypatch.undo()
        time.tzset()
