"""自查表 (附件3): a unit's self-check, three fixed rows, each with its findings (问题条目).

Each row is either filled with findings or explicitly confirmed as having none
(“无”): an empty row on the printed form could mean “nothing found” or
“forgot”, and the discipline office must be able to tell which.

Rectification (整改) is follow-up work that goes on after the form is filed:
a finding is 整改中 until marked 已完成 (with date and note); 逾期 is never
stored, it is 整改中 past its 整改时限 on the day you look.

Pure: no I/O and no Qt.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import date_or_none, iso_or_none
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import SELF_CHECK_ROW_COUNT, PolicyTemplate

ROW_NUMBERS = tuple(range(1, SELF_CHECK_ROW_COUNT + 1))

# A checklist walk-through files what it finds under the list it was checking:
# the bureau's 正面清单 → row 1 (不足), 负面清单 → row 2 (问题). Row 3 (制度缺陷)
# has no list; the 引导清单 addresses enterprises, not the unit, so it has no row.
LIST_ROWS = {"positive": 1, "negative": 2}

MAX_FINDING_TEXT = 500
MAX_NOTE_LENGTH = 200
MAX_LEADER_LENGTH = 30
# What clerks type into 存在问题 when a row has nothing; that is what 确认“无” is for.
_NONE_WORDS = {"无", "没有", "暂无", "无问题", "没有问题", "未发现问题", "/", "-", "—"}


class RectificationState(str, enum.Enum):
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    OVERDUE = "逾期"  # derived: 整改中 and past the due date


def row_for_list(list_key: str) -> int | None:
    """The 自查表 row a finding about an item of this list belongs in, or None."""
    return LIST_ROWS.get(list_key)


def check_row(row: int) -> int:
    if row not in ROW_NUMBERS:
        raise InputRejected(f"自查表只有第1至{SELF_CHECK_ROW_COUNT}行，没有第{row}行。", Location(field="行"))
    return row


def check_list_link(template: PolicyTemplate, list_key: str, item_index: int) -> int:
    """The row for a finding linked to item ``item_index`` (1-based, as printed) of a list."""
    policy_list = template.list_by_key(list_key)
    if policy_list is None:
        known = "、".join(lst.key for lst in template.lists)
        raise InputRejected(f"政策模板中没有标识为“{list_key}”的清单（有：{known}）。", Location(field="清单"))
    row = row_for_list(list_key)
    if row is None:
        raise InputRejected(f"“{policy_list.title}”不对应自查表的任何一行，不能据此登记问题。", Location(field="清单"))
    if not 1 <= item_index <= len(policy_list.items):
        raise InputRejected(
            f"“{policy_list.title}”共{len(policy_list.items)}条，没有第{item_index}条。", Location(field="清单条目")
        )
    return row


@dataclass(frozen=True)
class Finding:
    """问题条目: one problem found, what will be done, who answers for it, by when."""

    id: str
    row: int
    problem: str
    measure: str
    owner_id: str
    owner_name: str  # as the roster (or the filed snapshot) names the owner
    due: dt.date
    done_on: dt.date | None = None
    done_note: str = ""
    list_key: str = ""
    item_index: int | None = None

    def state(self, today: dt.date) -> RectificationState:
        if self.done_on is not None:
            return RectificationState.DONE
        if self.due < today:
            return RectificationState.OVERDUE
        return RectificationState.IN_PROGRESS

    def to_dict(self) -> dict:
        """What is filed: the finding as written on the form. Rectification progress is
        follow-up after filing and deliberately not part of it."""
        return {
            "id": self.id,
            "row": self.row,
            "problem": self.problem,
            "measure": self.measure,
            "owner_id": self.owner_id,
            "owner_name": self.owner_name,
            "due": self.due.isoformat(),
            "list_key": self.list_key,
            "item_index": self.item_index,
        }

    @classmethod
    def from_dict(cls, data: dict, *, done_on: dt.date | None = None, done_note: str = "") -> "Finding":
        return cls(
            id=data["id"],
            row=data["row"],
            problem=data["problem"],
            measure=data["measure"],
            owner_id=data["owner_id"],
            owner_name=data["owner_name"],
            due=dt.date.fromisoformat(data["due"]),
            done_on=done_on,
            done_note=done_note,
            list_key=data["list_key"],
            item_index=data["item_index"],
        )


FINDING_FIELD_LABELS = {
    "row": "所在行",
    "problem": "存在问题",
    "measure": "整改措施",
    "owner_id": "责任人",
    "due": "整改时限",
    "done_on": "整改完成日期",
    "done_note": "整改情况说明",
    "list_key": "对应清单",
    "item_index": "对应清单条目",
    "deleted_at": "删除状态",
}


def none_field(row: int) -> str:
    """The audit log's field name for a row's “无” confirmation."""
    return f"row{row}_none"


SELF_CHECK_FIELD_LABELS = {
    "leader": "单位负责人",
    "filled_on": "填报日期",
    **{none_field(n): f"第{n}行确认“无”" for n in ROW_NUMBERS},
}


@dataclass(frozen=True)
class SelfCheckRow:
    number: int
    item: str  # the row's 项目内容, from the campaign's template
    none_confirmed: bool
    findings: tuple[Finding, ...]

    @property
    def is_complete(self) -> bool:
        return bool(self.findings) or self.none_confirmed


@dataclass(frozen=True)
class SelfCheck:
    """The 自查表 as it will print: header and the template's three rows."""

    campaign_id: str
    unit_name: str
    leader: str
    filled_on: dt.date | None
    rows: tuple[SelfCheckRow, ...]

    @property
    def is_complete(self) -> bool:
        """Every row has findings or an explicit “无”."""
        return all(row.is_complete for row in self.rows)

    @property
    def incomplete_rows(self) -> tuple[int, ...]:
        return tuple(row.number for row in self.rows if not row.is_complete)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for row in self.rows for f in row.findings)

    def header_dict(self) -> dict:
        return {"unit": self.unit_name, "leader": self.leader, "date": iso_or_none(self.filled_on)}


def header_from_dict(data: dict) -> tuple[str, str, dt.date | None]:
    return data["unit"], data["leader"], date_or_none(data["date"])


# ----------------------------------------------------------------------------- checks


def check_finding_texts(problem: str, measure: str) -> None:
    if not problem.strip():
        raise InputRejected("请填写存在的问题。", Location(field="存在问题"))
    if problem.strip() in _NONE_WORDS:
        raise InputRejected(
            f"本行没有问题时不要填“{problem.strip()}”，请使用“确认本行无问题”。", Location(field="存在问题")
        )
    if not measure.strip():
        raise InputRejected("请填写整改措施。", Location(field="整改措施"))
    for label, text in (("存在问题", problem), ("整改措施", measure)):
        if len(text) > MAX_FINDING_TEXT:
            raise InputRejected(f"{label}过长（不超过{MAX_FINDING_TEXT}个字）。", Location(field=label))


def due_warnings(due: dt.date, *, today: dt.date, deadline: dt.date) -> list[str]:
    """Questions, not errors: a due date in the past or after the filing deadline is unusual.

    Once the filing deadline has passed (a late filing, a campaign entered afterwards) every due
    date from today on is after it: asking then would question every finding, so only the past is asked."""
    warnings = []
    if due < today:
        warnings.append(f"整改时限 {due.isoformat()} 早于今天（{today.isoformat()}），请确认是否填错。")
    if due > deadline >= today:
        warnings.append(f"整改时限 {due.isoformat()} 晚于本次报送截止日期（{deadline.isoformat()}），请确认。")
    return warnings


def check_done(done_on: dt.date, today: dt.date, note: str) -> None:
    if done_on > today:
        raise InputRejected(
            f"完成日期 {done_on.isoformat()} 晚于今天（{today.isoformat()}），不能登记尚未完成的整改。",
            Location(field="整改完成日期"),
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise InputRejected(f"整改情况说明过长（不超过{MAX_NOTE_LENGTH}个字）。", Location(field="整改情况说明"))


def check_none_confirmation(row: SelfCheckRow) -> None:
    """“无” is refused on a row that has findings: the two would contradict each other on paper."""
    if row.findings:
        raise InputRejected(
            f"自查表第{row.number}行已有{len(row.findings)}条问题，不能确认为“无”；如问题登记有误，请先删除。",
            Location(field=f"第{row.number}行"),
        )


def check_leader(leader: str) -> None:
    if not leader.strip():
        raise InputRejected("单位负责人不能为空。", Location(field="单位负责人"))
    if len(leader) > MAX_LEADER_LENGTH:
        raise InputRejected("单位负责人姓名过长。", Location(field="单位负责人"))
