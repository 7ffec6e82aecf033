"""Printing for the CLI: JSON with Chinese kept readable, aligned tables."""

from __future__ import annotations

import json
import sys
import unicodedata


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def progress_printer():
    """A ``progress(percent, text)`` callback that keeps one status line up to date on a terminal's
    stderr; None (no progress shown) when stderr is not a terminal, so scripts and logs stay clean."""
    if not sys.stderr.isatty():
        return None
    width = [0]

    def show(percent: int, text: str) -> None:
        line = f"[{percent:3d}%] {text}"
        sys.stderr.write("\r" + line + " " * max(0, width[0] - display_width(line)))
        width[0] = display_width(line)
        if percent >= 100:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def print_history(entries, *, as_json: bool) -> None:
    """A 修改记录 (``services.history.HistoryEntry``, newest first) as a table or as JSON."""
    from qingqing_desktop.domain.dates import local_time  # noqa: PLC0415 — only the history commands need it

    if as_json:
        print_json([{"at": e.at, "operator": e.operator, "action": e.action, "what": e.what, "field": e.field,
                     "old": e.old, "new": e.new, "reason": e.reason} for e in entries])
        return
    rows = [
        [local_time(e.at, seconds=True), e.operator, e.action, e.what, e.field,
         f"{e.old if e.old is not None else '（空）'} → {e.new if e.new is not None else '（空）'}" if e.field else "",
         e.reason]
        for e in entries
    ]
    print_table(["时间", "经办人", "操作", "对象", "项目", "原值 → 新值", "原因"], rows)
