"""One line of a 修改记录 as a clerk reads it, for the filing's history and the roster's alike."""

from __future__ import annotations

from dataclasses import dataclass

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}


@dataclass(frozen=True)
class HistoryEntry:
    """One change: when, who, what (and about whom), old → new, why."""

    at: str
    operator: str
    action: str  # 新增 / 修改 / 删除
    what: str  # “承诺书签订：张三”, “报送”, “问题条目：第1行：…”, “人员：张三（竣工验收）”
    field: str  # Chinese label of the changed field, "" for a whole record
    old: str | None
    new: str | None
    reason: str
