"""The discipline office's side (纪委（监察室）模式): what it holds per unit, the import rule, the board.

The same application runs in one of two modes, kept in the database's meta
(``mode``): ``unit`` files for one unit; ``office`` collects every unit's
filing. In office mode a unit's filing for a campaign is what its files
delivered (a signed 报送包, or an unsigned 附件2 Excel from a unit that does not
use the app), each kept as a *delivery*; exactly one delivery is current.

Import rule (``decide``), for a package of a unit whose current delivery is known:

* same content (data.json byte for byte) → nothing changes;
* a higher revision → becomes current, with a summary of what changed;
* a lower revision → kept as history, reported “旧版本，已忽略”;
* the same revision with the same filed content and a higher package sequence →
  becomes current (only the rectification progress changed);
* the same revision with *different* filed content → a conflict: kept for
  inspection, never current, the current one stays.

On time (``delivered_on_time``): a unit is on time when its *first* delivery of
the campaign was created on or before the deadline day. For a package that is the
``created_at`` the unit signed into it — not the import time, because packages
travel on USB sticks and the office may import a week's worth at once; the
unit's clock is trusted for this, which the signature at least fixes in time —
but never past the moment the office imported the file (``delivery_time``: a
clock set days ahead made a package look late while the deadline was weeks off).
For an Excel file, which carries no signed time, it is the import time. A
filing returned and corrected later stays on time: lateness is about delivery.
Dates are compared in the office computer's local time zone.

Pure: no I/O and no Qt.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from qingqing_desktop.domain.dates import chinese_date_time, to_local
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.modes import MODE_KEY, MODE_OFFICE, MODE_UNIT, OFFICE_NAME_KEY  # noqa: F401 (the office's words)
from qingqing_desktop.domain.pledge import PledgeRow, progress, signed_text, summary_table_rows
from qingqing_desktop.domain.staff import STAFF_FIELD_LABELS
from qingqing_desktop.domain.text import shortened

MAX_OFFICE_NAME_LENGTH = 60
MAX_COMMENT_LENGTH = 2000


class ReviewState(str, enum.Enum):
    """Where a unit's filing stands at the office."""

    NOT_DELIVERED = "未报送"
    PENDING = "待审核"
    RETURNED = "退回"
    CONFIRMED = "已确认"


class DeliverySource(str, enum.Enum):
    PACKAGE = "package"
    EXCEL = "excel"

    @property
    def label(self) -> str:
        return "报送包（已签名）" if self is DeliverySource.PACKAGE else "Excel（未签名）"


class Outcome(str, enum.Enum):
    """What became of one delivered file (stored with it)."""

    CURRENT = "current"
    SUPERSEDED = "superseded"  # was current, replaced by a newer one
    OLDER = "older"  # arrived after a newer one: history only
    CONFLICT = "conflict"  # same revision, different filed content: never used

    @property
    def label(self) -> str:
        return {"current": "当前采用", "superseded": "已被新版本取代", "older": "旧版本，已忽略",
                "conflict": "冲突，未采用"}[self.value]


class Verdict(str, enum.Enum):
    """What importing one file did, as the import report says it."""

    FIRST = "首次报送，已导入"
    NEWER_REVISION = "新版本，已导入"
    RECTIFICATION = "整改进展更新，已导入"
    REPLACES_EXCEL = "报送包已取代此前导入的Excel数据"
    DUPLICATE = "重复导入，无变化"
    OLDER = "旧版本，已忽略"
    CONFLICT = "冲突：与已导入的同一版次内容不同，未采用"

    @property
    def becomes_current(self) -> bool:
        return self in (Verdict.FIRST, Verdict.NEWER_REVISION, Verdict.RECTIFICATION, Verdict.REPLACES_EXCEL)

    @property
    def preview(self) -> str:
        """What importing would do, said before doing it (``package verify``)."""
        return {
            "FIRST": "将作为首次报送导入", "NEWER_REVISION": "将作为新版本导入",
            "RECTIFICATION": "将作为整改进展更新导入", "REPLACES_EXCEL": "将取代此前导入的Excel数据",
            "DUPLICATE": "此前已导入，没有变化", "OLDER": "是旧版本，导入时将忽略",
            "CONFLICT": "与已导入的同一版次内容不同，导入时只作为冲突保存",
        }[self.name]


# ----------------------------------------------------------------------------- the import rule


@dataclass(frozen=True)
class DeliveryFacts:
    """The parts of a delivery the import rule looks at."""

    source: DeliverySource
    revision: int
    sequence: int | None
    content_sha256: str  # the filed snapshot's hash (what the stamped paper shows)
    data_sha256: str  # data.json as delivered (filed content plus rectification progress)


def decide(current: DeliveryFacts | None, incoming: DeliveryFacts) -> Verdict:
    """How a newly read package relates to the unit's current delivery (module docstring)."""
    if current is None:
        return Verdict.FIRST
    if current.source is DeliverySource.EXCEL:
        # Signed data from the unit's own application beats a spreadsheet.
        return Verdict.REPLACES_EXCEL
    if incoming.data_sha256 == current.data_sha256:
        return Verdict.DUPLICATE
    if incoming.revision > current.revision:
        return Verdict.NEWER_REVISION
    if incoming.revision < current.revision:
        return Verdict.OLDER
    if incoming.content_sha256 != current.content_sha256:
        return Verdict.CONFLICT
    if (incoming.sequence or 0) > (current.sequence or 0):
        return Verdict.RECTIFICATION
    return Verdict.OLDER


def _moment(at: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(at)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def delivered_on_time(delivered_at: str, deadline: dt.date, tz: dt.tzinfo | None = None) -> bool:
    """Was ``delivered_at`` (ISO 8601 with offset) on or before the deadline day, in ``tz``
    (default: this computer's local zone)?"""
    return _moment(delivered_at).astimezone(tz).date() <= deadline


# A 报送包 says when the unit's computer made it, and that computer's clock may be wrong. A time later than
# the office received the file cannot be true, so the time the office imported it stands for it: the
# package was made by then at the latest. So a unit is never called 逾期 on the strength of a date its clock
# made up, and one that really came after the deadline still is — the least surprising rule, and the one
# an Excel 汇总表 (judged by its import) already has. The office is told only when the time is more than
# CLOCK_MARGIN ahead: the time carries its zone's offset, so a right clock in any zone is never ahead, but
# a computer set to the wrong zone is hours off, and either clock may drift by minutes; none of that is
# worth a word, while a day or more is a wrong date.
CLOCK_MARGIN = dt.timedelta(days=1)


def delivery_time(created_at: str, received_at: str) -> str:
    """When a delivery counts as made (its 报送时间, what 按时 is judged by): its own time, or when it was
    received if its own is later."""
    return received_at if _moment(created_at) > _moment(received_at) else created_at


def first_delivery_time(times: Iterable[tuple[str, str]]) -> str | None:
    """The earliest ``delivery_time`` of (created_at, received_at) pairs; None for none."""
    return min((delivery_time(*pair) for pair in times), key=_moment, default=None)


def clock_ahead(created_at: str, received_at: str) -> bool:
    """Is a package's own time so far after it was received that the unit's clock must be wrong?"""
    return _moment(created_at) - _moment(received_at) > CLOCK_MARGIN


def clock_note(stated_at: str, received_at: str) -> str:
    """What the office is told of a package whose own time is ahead (``clock_ahead``), in its local time."""
    stated, received = to_local(stated_at), to_local(received_at)
    return (f"报送包上写的生成时间是{chinese_date_time(stated)}，比本室收到它的时间（{chinese_date_time(received)}）"
            f"晚{(stated.date() - received.date()).days}天，报送单位电脑的时钟可能不准。报送时间和是否按时都以本室收到"
            "（导入）的时间计；请提醒该单位校正电脑的日期和时间。")


def check_office_name(name: str) -> str:
    """The office's name as shown on its files; refused when empty or too long."""
    name = name.strip()
    if not name:
        raise InputRejected("请填写纪委（监察室）的名称（如 局机关纪委（监察室））。", Location(field="名称"))
    if len(name) > MAX_OFFICE_NAME_LENGTH:
        raise InputRejected(f"名称过长（不超过{MAX_OFFICE_NAME_LENGTH}个字）。", Location(field="名称"))
    return name


def check_comment(comment: str) -> str:
    comment = comment.strip()
    if not comment:
        raise InputRejected("退回须填写退回意见。", Location(field="退回意见"))
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InputRejected(f"退回意见过长（不超过{MAX_COMMENT_LENGTH}个字）。", Location(field="退回意见"))
    return comment


# ----------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class FilingCounts:
    """The numbers of one delivered filing. ``None``: the delivery cannot tell (an Excel
    附件2 lists who signed, not who had to, and has no 自查表)."""

    people: int
    pledges_required: int | None
    pledges_signed: int
    pledges_outstanding: int | None
    findings: int | None
    findings_open: int | None
    findings_done: int | None
    # Not in the signed 报送包 header (a field added there would make older versions refuse the package,
    # and newer ones refuse older packages): counted from the snapshot at the office, None for Excel.
    pledges_signed_unrequired: int | None = None

    def signed_text(self, space: str = "") -> str:
        """已签 in a sentence: “24人（其中8人不须签订）”."""
        return signed_text(self.pledges_signed, self.pledges_signed_unrequired, space)

    def to_dict(self) -> dict:
        return asdict(self)

    def header_dict(self) -> dict:
        """The counts a 报送包's signed header carries (``HEADER_FIELDS``)."""
        return {k: getattr(self, k) for k in HEADER_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping) -> "FilingCounts":
        """From a database row or a 报送包 header (which has no ``pledges_signed_unrequired``)."""
        return cls(**{k: data[k] for k in HEADER_FIELDS},
                   pledges_signed_unrequired=data.get("pledges_signed_unrequired"))


HEADER_FIELDS = ("people", "pledges_required", "pledges_signed", "pledges_outstanding", "findings", "findings_open",
                 "findings_done")


def pledge_rows(snapshot: Mapping) -> list[PledgeRow]:
    return [PledgeRow.from_dict(row) for row in snapshot["pledges"]]


def finding_dicts(snapshot: Mapping) -> list[dict]:
    return [f for row in snapshot["self_check"]["rows"] for f in row["findings"]]


def package_counts(snapshot: Mapping, rectification: Mapping[str, Mapping]) -> FilingCounts:
    """Counts of a filed snapshot plus the rectification progress that came with it."""
    pledges = progress(pledge_rows(snapshot))
    findings = finding_dicts(snapshot)
    done = sum(1 for f in findings if (rectification.get(f["id"]) or {}).get("done_on"))
    return FilingCounts(
        people=len(snapshot["roster"]),
        pledges_required=pledges.required,
        pledges_signed=pledges.signed,
        pledges_outstanding=pledges.outstanding,
        findings=len(findings),
        findings_open=len(findings) - done,
        findings_done=done,
        pledges_signed_unrequired=pledges.signed_unrequired,
    )


# ----------------------------------------------------------------------------- 附件2 rows


@dataclass(frozen=True)
class SummaryRow:
    """One line of a unit's 附件2 (序号 is its position): who signed in this campaign."""

    name: str
    rank: str  # 中层干部 / 一般工作人员, as the 职务 column takes it
    post: str
    party_member: bool


def package_summary_rows(snapshot: Mapping) -> list[SummaryRow]:
    """附件2 of a filed snapshot, in the application's order (domain.pledge.summary_table_rows)."""
    return [SummaryRow(r.name, r.rank.value, r.post, r.party_member) for r in summary_table_rows(pledge_rows(snapshot))]


def excel_counts(rows: Sequence[SummaryRow]) -> FilingCounts:
    return FilingCounts(people=len(rows), pledges_required=None, pledges_signed=len(rows), pledges_outstanding=None,
                        findings=None, findings_open=None, findings_done=None)


# ----------------------------------------------------------------------------- what changed


@dataclass(frozen=True)
class FilingChanges:
    """What a newer delivery changed against the one it replaces; each entry names whom or what."""

    unit: tuple[str, ...] = ()
    people_added: tuple[str, ...] = ()
    people_removed: tuple[str, ...] = ()
    people_changed: tuple[str, ...] = ()
    pledges_changed: tuple[str, ...] = ()
    findings_added: tuple[str, ...] = ()
    findings_removed: tuple[str, ...] = ()
    findings_changed: tuple[str, ...] = ()
    rectification_changed: tuple[str, ...] = ()
    self_check: tuple[str, ...] = ()  # the 自查表's header and its rows' 本行无问题 (last: older records lack it)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)

    def summary(self) -> str:
        """One Chinese line, e.g. “新增人员1人（王五）；承诺书签订变化1人（李四：未签订→已签订）”."""
        parts = []
        labels = (
            ("unit", "单位信息变化", "项"),
            ("people_added", "新增人员", "人"),
            ("people_removed", "减少人员", "人"),
            ("people_changed", "人员信息变化", "人"),
            ("pledges_changed", "承诺书签订变化", "人"),
            ("findings_added", "新增问题", "条"),
            ("findings_removed", "删除问题", "条"),
            ("findings_changed", "修改问题", "条"),
            ("rectification_changed", "整改进展变化", "条"),
            ("self_check", "自查表变化", "项"),
        )
        for name, label, measure in labels:
            items = getattr(self, name)
            if items:
                shown = "、".join(items[:5]) + ("等" if len(items) > 5 else "")
                parts.append(f"{label}{len(items)}{measure}（{shown}）")
        return "；".join(parts) if parts else "内容无变化"

    def to_dict(self) -> dict:
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping) -> "FilingChanges":
        return cls(**{k: tuple(data.get(k, ())) for k in cls.__dataclass_fields__})


_UNIT_LABELS = {"name": "单位名称", "kind": "单位类型", "leader": "单位负责人", "contact": "联系人", "phone": "联系电话"}
_PERSON_FIELDS = ("name", "rank", "title", "post", "party_member", "status")
_PLEDGE_FIELDS = ("required", "status", "signed_on")
_FINDING_FIELDS = {"row": "所在行", "problem": "存在问题", "measure": "整改措施", "owner_id": "责任人", "due": "整改时限"}


def _named(items: Iterable[Mapping], key: str = "id") -> dict[str, Mapping]:
    return {item[key]: item for item in items}


def diff_packages(old: Mapping, new: Mapping) -> FilingChanges:
    """Changes between two package data.json contents (``snapshot`` + ``rectification``), by UUID:
    a renamed person is one changed person, not one removed and one added."""
    old_snap, new_snap = old["snapshot"], new["snapshot"]
    unit = tuple(label for key, label in _UNIT_LABELS.items() if old_snap["unit"][key] != new_snap["unit"][key])

    old_people, new_people = _named(old_snap["roster"]), _named(new_snap["roster"])
    added = tuple(new_people[i]["name"] for i in new_people if i not in old_people)
    removed = tuple(old_people[i]["name"] for i in old_people if i not in new_people)
    changed = []
    for person_id in new_people.keys() & old_people.keys():
        a, b = old_people[person_id], new_people[person_id]
        fields = [STAFF_FIELD_LABELS[f] for f in _PERSON_FIELDS if a[f] != b[f]]
        if fields:
            changed.append(f"{b['name']}：{'、'.join(fields)}")

    old_pledges = _named(old_snap["pledges"], "staff_id")
    pledges = []
    for staff_id, b in _named(new_snap["pledges"], "staff_id").items():
        a = old_pledges.get(staff_id)
        if a is None or any(a[f] != b[f] for f in _PLEDGE_FIELDS):
            before = a["status"] if a else "（无）"
            pledges.append(f"{b['name']}：{before}→{b['status']}" if before != b["status"] else f"{b['name']}")

    old_findings, new_findings = _named(finding_dicts(old_snap)), _named(finding_dicts(new_snap))
    f_added = tuple(shortened(new_findings[i]["problem"]) for i in new_findings if i not in old_findings)
    f_removed = tuple(shortened(old_findings[i]["problem"]) for i in old_findings if i not in new_findings)
    f_changed = tuple(
        shortened(new_findings[i]["problem"]) for i in new_findings.keys() & old_findings.keys()
        if any(old_findings[i][f] != new_findings[i][f] for f in _FINDING_FIELDS)
    )
    old_rect, new_rect = old.get("rectification", {}), new.get("rectification", {})
    rect = tuple(
        shortened(new_findings[i]["problem"]) for i in new_findings
        if i in old_findings and (old_rect.get(i) or {}).get("done_on") != (new_rect.get(i) or {}).get("done_on")
    )
    return FilingChanges(unit, added, removed, tuple(sorted(changed)), tuple(pledges), f_added, f_removed,
                         f_changed, rect, _self_check_changes(old_snap["self_check"], new_snap["self_check"]))


def _self_check_changes(old: Mapping, new: Mapping) -> tuple[str, ...]:
    """What a 退回 often asks for besides the findings: the header (填报日期, 单位负责人) and a row's 本行无问题."""
    changed = [label for key, label in (("date", "填报日期"), ("leader", "单位负责人"))
               if old["header"].get(key) != new["header"].get(key)]
    old_rows = {row["row"]: row for row in old["rows"]}
    for row in new["rows"]:
        before = old_rows.get(row["row"])
        if before is not None and bool(before.get("none_confirmed")) != bool(row.get("none_confirmed")):
            changed.append(f"第{row['row']}行“本行无问题”{'已勾选' if row.get('none_confirmed') else '已取消'}")
    return tuple(changed)


def diff_summary_rows(old: Sequence[SummaryRow], new: Sequence[SummaryRow]) -> FilingChanges:
    """Changes between two Excel 附件2 deliveries. Excel rows have no UUIDs, so people are
    matched by name (namesakes by their order)."""

    def keyed(rows: Sequence[SummaryRow]) -> dict[tuple[str, int], SummaryRow]:
        seen: dict[str, int] = {}
        result = {}
        for row in rows:
            seen[row.name] = seen.get(row.name, 0) + 1
            result[(row.name, seen[row.name])] = row
        return result

    a, b = keyed(old), keyed(new)
    labels = {"rank": "职务", "post": "工作岗位", "party_member": "是否党员"}
    changed = tuple(
        f"{key[0]}：{'、'.join(label for f, label in labels.items() if getattr(a[key], f) != getattr(b[key], f))}"
        for key in b if key in a and a[key] != b[key]
    )
    return FilingChanges(
        people_added=tuple(k[0] for k in b if k not in a),
        people_removed=tuple(k[0] for k in a if k not in b),
        people_changed=changed,
    )


# ----------------------------------------------------------------------------- the board


@dataclass(frozen=True)
class DeliveredFiling:
    """What the office holds for one unit in one campaign, for the board."""

    source: DeliverySource
    revision: int
    first_delivered_at: str  # ISO; decides 按时/逾期
    delivered_at: str  # of the current delivery
    counts: FilingCounts
    review: ReviewState  # PENDING, RETURNED or CONFIRMED, for the current revision
    returns: int = 0  # how often this filing was sent back so far
    conflicts: int = 0
    changes: str = ""  # summary of what the current delivery changed
    stated_at: str = ""  # the current package's own time when its unit's clock looked wrong (``clock_ahead``)


BOARD_COLUMNS: dict[str, str] = {
    "unit": "单位",
    "expected": "应报",
    "delivered": "已报送",
    "source": "数据来源",
    "revision": "版次",
    "delivered_at": "报送时间",
    "on_time": "按时",
    "pledges_required": "应签人数",
    "pledges_signed": "已签人数",
    "pledges_outstanding": "未签人数",
    "findings_open": "问题未整改",
    "findings_done": "问题已整改",
    "state": "状态",
}


@dataclass(frozen=True)
class BoardRow:
    """One unit on the status board. Plain values, so the GUI can sort on any column."""

    office_unit_id: str
    unit: str
    expected: bool
    delivered: bool
    source: DeliverySource | None
    signed: bool | None  # None until something was delivered; False for Excel
    revision: int | None
    first_delivered_at: str | None
    delivered_at: str | None
    on_time: bool | None  # None: nothing delivered yet
    overdue: bool  # nothing delivered and the deadline has passed
    pledges_required: int | None
    pledges_signed: int | None
    pledges_outstanding: int | None
    findings_open: int | None
    findings_done: int | None
    state: ReviewState
    returned: bool  # the current revision was sent back (awaiting a corrected one)
    confirmed: bool
    returns: int
    conflicts: int
    changes: str
    fingerprint: str | None
    pledges_signed_unrequired: int | None = None  # of ``pledges_signed``: people who need not sign
    # The time the current package states when that was over a day after it was received (the unit's clock
    # is wrong); ``delivered_at`` is then when it was received. "" otherwise.
    stated_at: str = ""

    @property
    def signed_text(self) -> str:
        """已签 in a sentence: “24 人（其中 8 人不须签订）”."""
        return signed_text(self.pledges_signed or 0, self.pledges_signed_unrequired, " ")

    @property
    def signed_mark(self) -> str:
        """What follows 已签 in a table cell (“3*”) when some of the signers need not sign."""
        return SIGNED_MARK if self.pledges_signed_unrequired else ""

    @property
    def listed_unit(self) -> str:
        """The unit's name, marked when it delivered without being on the list of expected units:
        for the printed and exported overviews, which have no 应报 column."""
        return self.unit if self.expected else f"{self.unit}（未列入应报）"

    @property
    def on_time_label(self) -> str:
        if self.on_time is None:
            return "逾期未报" if self.overdue else ""
        return "按时" if self.on_time else "逾期"

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "office_unit_id": self.office_unit_id,
            "expected": self.expected,
            "delivered": self.delivered,
            "source": self.source.value if self.source else None,
            "signed": self.signed,
            "revision": self.revision,
            "first_delivered_at": self.first_delivered_at,
            "delivered_at": self.delivered_at,
            "stated_at": self.stated_at or None,
            "on_time": self.on_time,
            "overdue": self.overdue,
            "pledges_required": self.pledges_required,
            "pledges_signed": self.pledges_signed,
            "pledges_signed_unrequired": self.pledges_signed_unrequired,
            "pledges_outstanding": self.pledges_outstanding,
            "findings_open": self.findings_open,
            "findings_done": self.findings_done,
            "state": self.state.value,
            "returned": self.returned,
            "confirmed": self.confirmed,
            "returns": self.returns,
            "conflicts": self.conflicts,
            "changes": self.changes,
            "fingerprint": self.fingerprint,
        }


def board_row(
    *,
    office_unit_id: str,
    unit: str,
    expected: bool,
    fingerprint: str | None,
    filing: DeliveredFiling | None,
    deadline: dt.date,
    today: dt.date,
    tz: dt.tzinfo | None = None,
) -> BoardRow:
    if filing is None:
        return BoardRow(
            office_unit_id=office_unit_id, unit=unit, expected=expected, delivered=False, source=None, signed=None,
            revision=None, first_delivered_at=None, delivered_at=None, on_time=None, overdue=today > deadline,
            pledges_required=None, pledges_signed=None, pledges_outstanding=None, findings_open=None,
            findings_done=None, state=ReviewState.NOT_DELIVERED, returned=False, confirmed=False, returns=0,
            conflicts=0, changes="", fingerprint=fingerprint,
        )
    counts = filing.counts
    return BoardRow(
        office_unit_id=office_unit_id, unit=unit, expected=expected, delivered=True, source=filing.source,
        signed=filing.source is DeliverySource.PACKAGE, revision=filing.revision,
        first_delivered_at=filing.first_delivered_at, delivered_at=filing.delivered_at,
        on_time=delivered_on_time(filing.first_delivered_at, deadline, tz), overdue=False,
        pledges_required=counts.pledges_required, pledges_signed=counts.pledges_signed,
        pledges_outstanding=counts.pledges_outstanding, findings_open=counts.findings_open,
        findings_done=counts.findings_done, state=filing.review, returned=filing.review is ReviewState.RETURNED,
        confirmed=filing.review is ReviewState.CONFIRMED, returns=filing.returns, conflicts=filing.conflicts,
        changes=filing.changes, fingerprint=fingerprint, pledges_signed_unrequired=counts.pledges_signed_unrequired,
        stated_at=filing.stated_at,
    )


@dataclass(frozen=True)
class BoardTotals:
    """The bottom line of the board and of the PDF overview."""

    units: int
    expected: int
    delivered: int  # every unit that delivered, listed as expected or not
    delivered_expected: int  # of the expected units: with ``expected`` it says how many are still missing
    on_time: int
    late: int
    overdue: int  # expected, nothing delivered, deadline passed
    returned: int
    confirmed: int
    unsigned_data: int  # delivered as Excel only
    pledges_required: int
    pledges_signed: int  # the column's sum: with the people an Excel-only unit lists as signed
    pledges_outstanding: int
    findings_open: int
    findings_done: int
    pledges_signed_excel: int = 0  # of ``pledges_signed``, listed by Excel-only units, whose 应签 is unknown
    confirmed_expected: int = 0  # of the expected units, as ``delivered_expected``
    pledges_signed_unrequired: int = 0  # of ``pledges_signed``: people who need not sign (packages only)

    def units_text(self, space: str = "") -> str:
        """应报 6 个单位，已报 3 个、未报 3 个，另有 1 个未列入名单的单位报送: as the board's strip says it —
        a unit off the list neither makes up for a missing one nor is one of those 应报. ``space`` goes
        between a number and its word, as the sentence has it."""
        s = space
        text = (f"应报{s}{self.expected}{s}个单位，已报{s}{self.delivered_expected}{s}个、"
                f"未报{s}{self.expected - self.delivered_expected}{s}个")
        unlisted = self.delivered - self.delivered_expected
        return text + (f"，另有{s}{unlisted}{s}个未列入名单的单位报送" if unlisted else "")

    @property
    def pledges_signed_known(self) -> int:
        """已签 of the units whose 应签 is known (their 报送包 says both): what adds up beside 应签 and 未签."""
        return self.pledges_signed - self.pledges_signed_excel

    def signed_text(self, space: str = "") -> str:
        """已签 beside 应签 in a sentence: the units that say both, with those of their signers who need
        not sign, and the Excel-only units' signers apart (else 已签 may exceed 应签). ``space`` goes
        between a number and 人, as the sentence has it."""
        known, excel = self.pledges_signed_known, self.pledges_signed_excel
        text = signed_text(known, self.pledges_signed_unrequired, space)
        if not excel:
            return text
        other = f"另有只交Excel的单位列明已签{space}{excel}{space}人"
        return f"{text[:-1]}；{other}）" if text.endswith("）") else f"{text}（{other}）"


# A unit's 已签 in the printed and listed overviews when some of its signers need not sign.
SIGNED_MARK = "*"
SIGNED_MARK_NOTE = "已签人数带“*”的，含不须签订（不在应签范围）而签订了承诺书的人员，他们也列入汇总表。"

# The exported and printed overviews' bottom lines. An Excel-only unit lists who signed but not who had to,
# nor a 自查表: adding its signers to 已签 beside an 应签 that cannot count them made 已签 exceed 应签
# (应签 24, 已签 29, 未签 0). So 合计 adds up the units that say everything, and the Excel-only units'
# signers stand on a line of their own.
TOTAL_LABEL = "合计"
EXCEL_TOTAL_LABEL = "只交Excel的单位"


def excel_total_label(units: int) -> str:
    """The Excel-only units' line: “只交Excel的单位（2个）”."""
    return f"{EXCEL_TOTAL_LABEL}（{units}个）"


TOTALS_NOTE = (f"“{TOTAL_LABEL}”中的应签、已签、未签人数和问题条数只计报送包（已签名）的单位；只交Excel汇总表（未签名）"
               f"的单位没有应签人数和自查表，其汇总表列明的已签人数另列在“{EXCEL_TOTAL_LABEL}”一行，不计入合计。")


def board_totals(rows: Sequence[BoardRow]) -> BoardTotals:
    def total(name: str) -> int:
        return sum(getattr(r, name) or 0 for r in rows)

    return BoardTotals(
        units=len(rows),
        expected=sum(r.expected for r in rows),
        delivered=sum(r.delivered for r in rows),
        delivered_expected=sum(r.delivered and r.expected for r in rows),
        on_time=sum(r.on_time is True for r in rows),
        late=sum(r.on_time is False for r in rows),
        overdue=sum(r.overdue and r.expected for r in rows),
        returned=sum(r.returned for r in rows),
        confirmed=sum(r.confirmed for r in rows),
        unsigned_data=sum(r.signed is False for r in rows),
        pledges_required=total("pledges_required"),
        pledges_signed=total("pledges_signed"),
        pledges_outstanding=total("pledges_outstanding"),
        findings_open=total("findings_open"),
        findings_done=total("findings_done"),
        pledges_signed_excel=sum(r.pledges_signed or 0 for r in rows if r.delivered and r.pledges_required is None),
        pledges_signed_unrequired=total("pledges_signed_unrequired"),
        confirmed_expected=sum(r.confirmed and r.expected for r in rows),
    )
