"""Staff members (人员) of a unit and the vocabulary around them."""

from __future__ import annotations

import enum
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace


class RankCategory(str, enum.Enum):
    """职务类别 — the two categories the 汇总表's 职务 column takes."""

    MIDDLE_CADRE = "中层干部"
    STAFF = "一般工作人员"


class StaffStatus(str, enum.Enum):
    """在岗 and the ways of no longer being in the unit. A person is never deleted for leaving."""

    ACTIVE = "在岗"
    TRANSFERRED = "调离"
    RETIRED = "退休"
    SECONDED = "借调"
    OTHER = "其他"


def parse_rank(text: str) -> RankCategory | None:
    for rank in RankCategory:
        if text == rank.value:
            return rank
    return None


def parse_status(text: str) -> StaffStatus | None:
    for status in StaffStatus:
        if text == status.value:
            return status
    return None


def new_id() -> str:
    """A random id (UUID version 4): its first characters tell records apart, so a command line
    may take a prefix of one (``campaign use 1f3a``)."""
    import uuid  # noqa: PLC0415 — when an id is first made: reading the roster (qingqing-cli unit show) needs none

    return str(uuid.uuid4())


_last_id_time = [0, 0]  # the last ordered id's milliseconds and counter, so each sorts after the one before
_id_lock = threading.Lock()  # ids are made on the GUI thread and in background jobs


def new_ordered_id() -> str:
    """An id for a row made by the thousand (a person on the roster): a UUID of version 7 (RFC 9562),
    the milliseconds since 1970, a counter within the millisecond, then 62 random bits. Ids made
    later sort later, as text too, so new rows go to the end of the table's primary key and of the
    audit index instead of to random pages (a roster import of 5,000 people writes 30,000 audit
    rows; random pages were a seventh of its write). Ids made within a minute share their first
    characters: a person is named by name on the command line, or by the whole id."""
    with _id_lock:
        now, counter = time.time_ns() // 1_000_000, 0
        last, last_counter = _last_id_time
        if now <= last:  # the same millisecond, or the clock went back: count on from the last id
            now, counter = last, last_counter + 1
            if counter > _ID_COUNTER_MAX:
                now, counter = last + 1, 0
        _last_id_time[:] = now, counter
    random = int.from_bytes(os.urandom(8), "big") & _ID_RANDOM_MASK
    value = (now & _ID_TIME_MASK) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | random
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


_ID_COUNTER_MAX = (1 << 12) - 1
_ID_TIME_MASK = (1 << 48) - 1
_ID_RANDOM_MASK = (1 << 62) - 1


@dataclass(frozen=True)
class StaffMember:
    """One person on the roster.

    ``id`` is a UUID that never changes; the name is stored exactly as entered.
    ``title`` keeps the real job title (科长, 主任科员 …) when one is known;
    ``post`` is 分管工作 for middle cadres and the work post for staff.
    """

    name: str
    rank: RankCategory
    post: str = ""
    party_member: bool = False
    status: StaffStatus = StaffStatus.ACTIVE
    title: str = ""
    note: str = ""
    is_sample: bool = False
    id: str = field(default_factory=new_ordered_id)

    def with_changes(self, **changes) -> "StaffMember":
        return replace(self, **changes)

    @property
    def is_active(self) -> bool:
        return self.status is StaffStatus.ACTIVE


# Fields compared by the import and recorded by the audit log, in display order.
STAFF_FIELDS = ("name", "rank", "post", "party_member", "status", "title", "note")

STAFF_FIELD_LABELS = {
    "name": "姓名",
    "rank": "职务类别",
    "post": "工作岗位/分管工作",
    "party_member": "是否党员",
    "status": "状态",
    "title": "职务",
    "note": "备注",
}

def names_told_apart(people) -> list[str]:
    """Each person's name (anything with ``name`` and ``post``: a member, a pledge row), with the post
    added where another on the list has the same name: “张敏明（方案设计技术审查）、张敏明（科长…）”."""
    counts = Counter(person.name for person in people)
    return [f"{person.name}（{person.post}）" if counts[person.name] > 1 and person.post else person.name
            for person in people]


MAX_NAME_LENGTH = 30
MAX_TEXT_LENGTH = 200


def validate_staff(member: StaffMember) -> dict[str, str]:
    """Return {field: Chinese message} for every invalid field; empty when valid."""
    problems: dict[str, str] = {}
    name = member.name
    if not name.strip():
        problems["name"] = "姓名不能为空"
    elif len(name) > MAX_NAME_LENGTH:
        problems["name"] = f"姓名过长（不超过{MAX_NAME_LENGTH}个字）"
    elif any(ch.isdigit() for ch in name):
        problems["name"] = "姓名中不应含有数字"
    elif name != name.strip():
        problems["name"] = "姓名前后有多余的空格"
    for key in ("post", "title", "note"):
        if len(getattr(member, key)) > MAX_TEXT_LENGTH:
            problems[key] = f"{STAFF_FIELD_LABELS[key]}过长（不超过{MAX_TEXT_LENGTH}个字）"
    return problems
