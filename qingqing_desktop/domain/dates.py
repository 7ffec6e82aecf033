"""How the program writes a date for a reader: 2019年3月5日.

Full Arabic numerals and no leading zeros, as GB/T 9704 writes a document's 成文日期;
every page, sheet, message and list writes dates this one way, so they all live here.
Moments are stored in UTC (ISO 8601) and read in local time: in a sentence as 2026年12月5日 14:05,
in a table column or a command's listing as 2026-12-05 14:05 (narrow, and it sorts as text).
Pure: no I/O and no Qt (local time is the computer's time zone setting).
"""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date | None, empty: str = "") -> str:
    """2019年3月5日; a datetime gives its date part; no date gives ``empty``.

    ``empty`` lets a caller say what stands for a missing date (“不规定”, blanks to fill
    in by hand) without a conditional of its own.
    """
    if day is None:
        return empty
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date_time(moment: dt.datetime, *, seconds: bool = False) -> str:
    """2026年12月5日 14:05 (or 14:05:09): a moment a clerk must tell apart from others that day."""
    return f"{chinese_date(moment)} {moment:%H:%M:%S}" if seconds else f"{chinese_date(moment)} {moment:%H:%M}"


def to_local(at: str) -> dt.datetime:
    """A moment the database keeps in UTC (ISO 8601), in the computer's local time."""
    return dt.datetime.fromisoformat(at).astimezone()


def local_time(at: str | None, *, seconds: bool = False) -> str:
    """A stored UTC moment as a table column or listing shows it: 2026-12-05 14:05 ("" for none)."""
    if not at:
        return ""
    return to_local(at).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
