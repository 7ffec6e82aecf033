"""人员名单: keeping the roster, and bringing it in from the office's Excel sheet."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.names import comparison_keys, learn_syllables, sort_key
from qingqing_desktop.domain.roster_rules import formula_like_warnings
from qingqing_desktop.domain.staff import (
    STAFF_FIELD_LABELS,
    RankCategory,
    StaffMember,
    StaffStatus,
    validate_staff,
)
from qingqing_desktop.domain.text import quoted
from qingqing_desktop.services.bulk import collection_paused
from qingqing_desktop.services.history import ACTION_LABELS, HistoryEntry
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import require_unit
from qingqing_desktop.store import lock_owners, staff
from qingqing_desktop.store.atomic_file import ensure_free_space


# ---------------------------------------------------------------- keeping the roster


def list_staff(session: Session, *, active_only: bool = False, in_pinyin_order: bool = True) -> list[StaffMember]:
    """The unit's roster in pinyin order (surnames read as surnames); ``in_pinyin_order=False``: in
    the order they were added, for a caller that sorts them itself (the roster table)."""
    unit = require_unit(session)
    members = staff.list_for_unit(session.store, unit.id)
    if active_only:
        members = [m for m in members if m.is_active]
    return sorted(members, key=lambda m: sort_key(m.name)) if in_pinyin_order else members


def get_staff(session: Session, staff_id: str) -> StaffMember:
    member = staff.get(session.store, staff_id)
    if member is None:
        raise InputRejected(f"找不到编号为 {staff_id} 的人员", Location(field="人员"))
    return member


def _validated(member: StaffMember) -> StaffMember:
    problems = validate_staff(member)
    if problems:
        key, message = next(iter(problems.items()))
        raise InputRejected(message, Location(field=STAFF_FIELD_LABELS[key]))
    return member


def add_staff(session: Session, member: StaffMember, *, reason: str = "") -> StaffMember:
    unit = require_unit(session)
    _validated(member)
    with session.store.transaction():
        staff.save(session.store, unit.id, member, operator=session.operator, reason=reason)
    return member


def update_staff(session: Session, member: StaffMember, *, reason: str = "") -> dict[str, tuple]:
    """Save an edited person (same UUID); returns the changed fields."""
    unit = require_unit(session)
    get_staff(session, member.id)
    _validated(member)
    with session.store.transaction():
        return staff.save(session.store, unit.id, member, operator=session.operator, reason=reason)


def set_status(session: Session, staff_id: str, status: StaffStatus, *, reason: str = "") -> StaffMember:
    member = get_staff(session, staff_id).with_changes(status=status)
    update_staff(session, member, reason=reason)
    return member


def delete_staff(session: Session, staff_id: str, *, reason: str = "") -> None:
    """Soft delete, for a person entered by mistake; someone who left is marked 调离 instead."""
    get_staff(session, staff_id)
    with session.store.transaction():
        staff.soft_delete(session.store, staff_id, operator=session.operator, reason=reason)


def undelete_staff(session: Session, staff_id: str) -> None:
    with session.store.transaction():
        staff.restore_deleted(session.store, staff_id, operator=session.operator)


# The audit log's staff fields as the 修改记录 names them; ``deleted_at`` is only written by 撤销删除.
_HISTORY_FIELD_LABELS = {**STAFF_FIELD_LABELS, "deleted_at": "删除状态"}


def history_subject(name: str, post: str) -> str:
    """How the 修改记录 names a person: “人员：张伟（竣工验收）” (the post tells two 张伟 apart)."""
    return f"人员：{name}（{post}）" if post else f"人员：{name}"


def roster_history(session: Session) -> list[HistoryEntry]:
    """Everything that happened to the unit's people, newest first: added (by hand or imported),
    changed, marked 调离, deleted and brought back — who did it, when and why."""
    unit = require_unit(session)
    entries: list[HistoryEntry] = []
    change, change_started = None, 0  # the change being read (one person, one moment) and where its rows begin
    for entry, name, post in staff.history(session.store, unit.id):
        field = _HISTORY_FIELD_LABELS.get(entry.field, entry.field) if entry.field else ""
        if (entry.at, entry.record_id, entry.action, entry.reason) != change:
            change, change_started = (entry.at, entry.record_id, entry.action, entry.reason), len(entries)
        # Newest change first, but one change's fields in the order the form has them (姓名 first).
        entries.insert(change_started, HistoryEntry(
            entry.at, entry.operator, ACTION_LABELS.get(entry.action, entry.action),
            history_subject(name, post), field, entry.old_value, entry.new_value,
            entry.reason))
    return entries


@dataclass(frozen=True)
class RosterCounts:
    total: int
    middle_cadres: int
    key_post_staff: int
    party_members: int
    inactive: int
    samples: int


def alike(members: Iterable[StaffMember]) -> list[tuple[StaffMember, int]]:
    """The people grouped by what the roster's counts and filters look at — status, rank, party
    membership, sample or not, and post — as (one of them, how many): a roster of thousands has a few
    hundred such groups, so each count asks each question once per group, not once per person."""
    groups: dict[tuple, list] = {}
    for m in members:
        key = (m.status, m.rank, m.party_member, m.is_sample, m.post)
        group = groups.get(key)
        if group is None:
            groups[key] = [m, 1]
        else:
            group[1] += 1
    return [(m, count) for m, count in groups.values()]


def roster_counts(members: Sequence[StaffMember], is_key_post: Callable[[str], object], *,
                  groups: Sequence[tuple[StaffMember, int]] | None = None) -> RosterCounts:
    """Counts over people in post (在岗); ``inactive`` counts the others. ``groups``: ``alike(members)``
    when the caller has it already."""
    groups = alike(members) if groups is None else groups
    active = [(m, n) for m, n in groups if m.is_active]
    total = sum(n for _, n in active)
    return RosterCounts(
        total=total,
        middle_cadres=sum(n for m, n in active if m.rank is RankCategory.MIDDLE_CADRE),
        key_post_staff=sum(n for m, n in active if m.rank is RankCategory.STAFF and bool(is_key_post(m.post))),
        party_members=sum(n for m, n in active if m.party_member),
        inactive=len(members) - total,
        samples=sum(n for m, n in groups if m.is_sample),
    )


# ---------------------------------------------------------------- import from Excel


class RowStatus(str, enum.Enum):
    NEW = "新增"
    UNCHANGED = "无变化"
    CHANGED = "有变化"
    PROBLEM = "有问题"


@dataclass(frozen=True)
class PlannedRow:
    sheet_row: int
    name: str
    status: RowStatus
    member: StaffMember | None  # what will be written (None for a problem row)
    changes: dict[str, tuple] = field(default_factory=dict)  # field -> (old, new) for a changed row
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # possible duplicates; the row is still imported


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    sheet_name: str
    header_row: int
    rows: tuple[PlannedRow, ...]
    skipped: tuple[tuple[int, str], ...]
    unknown_titles: tuple[str, ...]  # job titles nobody has classified yet: the GUI asks
    sheet: object = field(default=None, repr=False, compare=False)  # the RosterSheet read, for ``with_answers``
    roster_sheets: tuple[str, ...] = ()  # every sheet of the file that looks like a roster (see RosterSheet)

    def count(self, status: RowStatus) -> int:
        return sum(r.status is status for r in self.rows)

    @property
    def problem_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status is RowStatus.PROBLEM]

    @property
    def has_writes(self) -> bool:
        return any(r.status in (RowStatus.NEW, RowStatus.CHANGED) for r in self.rows)

    def summary(self) -> str:
        return (
            f"新增 {self.count(RowStatus.NEW)} 人，无变化 {self.count(RowStatus.UNCHANGED)} 人，"
            f"有变化 {self.count(RowStatus.CHANGED)} 人，有问题 {self.count(RowStatus.PROBLEM)} 行"
        )


def read_import_file(
    session: Session,
    path: Path,
    *,
    sheet: str | None = None,
    title_ranks: Mapping[str, RankCategory] | None = None,
) -> ImportPlan:
    """Read and check a roster workbook and compare it with the roster; writes nothing."""
    from qingqing_desktop.exchange.roster_excel import read_roster  # exchange sits above store

    with collection_paused():
        sheet_data = read_roster(Path(path), sheet=sheet, title_ranks=dict(title_ranks or {}))
        return plan_import(session, sheet_data)


def plan_import(session: Session, sheet) -> ImportPlan:
    """Compare a read sheet (``exchange.roster_excel.RosterSheet``) with the roster.

    A person is matched by exact name; people who share a name are told apart
    by post. A name that differs from an existing one only in script, width or
    invisible characters is flagged as a possible duplicate but still new:
    two different people may be called 张伟.
    """
    unit = require_unit(session)
    existing = staff.list_for_unit(session.store, unit.id)
    # Every name's comparison key at once (one conversion, not three per row of a sheet of thousands).
    all_names = list(dict.fromkeys([m.name for m in existing] + [row.name for row in sheet.rows]))
    key_of = dict(zip(all_names, comparison_keys(all_names)))
    by_name: dict[str, list[StaffMember]] = defaultdict(list)
    by_key: dict[str, list[StaffMember]] = defaultdict(list)
    for member in existing:
        by_name[member.name].append(member)
        by_key[key_of[member.name]].append(member)
    columns = set(sheet.columns)
    file_names: dict[str, list[int]] = defaultdict(list)
    file_keys: dict[str, list[int]] = defaultdict(list)
    for row in sheet.rows:
        if row.name:
            file_names[row.name].append(row.sheet_row)
            file_keys[key_of[row.name]].append(row.sheet_row)

    claimed: set[str] = set()
    planned: list[PlannedRow] = []
    unknown_titles: list[str] = []
    for row in sheet.rows:
        if row.unresolved and row.unresolved not in unknown_titles:
            unknown_titles.append(row.unresolved)
        warnings: list[str] = []
        same_in_file = [r for r in file_names.get(row.name, []) if r != row.sheet_row]
        if same_in_file:
            warnings.append(f"表格第{'、'.join(map(str, same_in_file))}行也叫“{row.name}”，请确认不是同一人重复填写")
        variant_rows = [r for r in file_keys.get(key_of[row.name], []) if r not in file_names.get(row.name, [])]
        if variant_rows:
            warnings.append(f"与表格第{'、'.join(map(str, variant_rows))}行的姓名写法相近（繁简、全角或不可见字符），可能是同一人")
        warnings.extend(formula_like_warnings({"name": row.name, "title": row.title, "post": row.post, "note": row.note}))
        if row.problems:
            planned.append(PlannedRow(row.sheet_row, row.name, RowStatus.PROBLEM, None, problems=tuple(row.problems), warnings=tuple(warnings)))
            continue

        candidates = [m for m in by_name.get(row.name, []) if m.id not in claimed]
        match: StaffMember | None = None
        if len(candidates) == 1 and len(file_names[row.name]) <= len(by_name[row.name]):
            match = candidates[0]
        elif candidates:
            same_post = [m for m in candidates if m.post == row.post]
            if len(same_post) == 1:
                match = same_post[0]
            else:
                planned.append(
                    PlannedRow(
                        row.sheet_row, row.name, RowStatus.PROBLEM, None,
                        problems=(f"名单中已有{len(by_name[row.name])}位“{row.name}”，无法确定这一行是哪一位：请在“工作岗位”栏写明与名单一致的岗位以便区分",),
                        warnings=tuple(warnings),
                    )
                )
                continue

        title = row.title
        if match is None:
            if "party" not in columns:
                warnings.append("表格中没有“是否党员”栏，此人暂记为非党员，请导入后核对")
            member = StaffMember(
                name=row.name, rank=row.rank, post=row.post, party_member=bool(row.party_member),
                status=row.status, title=title, note=row.note,
            )
            variants = [m.name for m in by_key.get(key_of[row.name], []) if m.name != row.name]
            if variants:
                warnings.append(f"可能与名单中的“{'”“'.join(variants)}”是同一人（繁简、全角或不可见字符不同）")
            planned.append(PlannedRow(row.sheet_row, row.name, RowStatus.NEW, member, warnings=tuple(warnings)))
            continue

        claimed.add(match.id)
        updates: dict[str, object] = {"rank": row.rank}
        if "post" in columns:
            updates["post"] = row.post
        if "party" in columns:
            updates["party_member"] = bool(row.party_member)
        if "status" in columns:
            updates["status"] = row.status
        if "note" in columns:
            updates["note"] = row.note
        if "title" in columns and title:
            updates["title"] = title
        member = match.with_changes(**updates)
        changes = {k: (getattr(match, k), getattr(member, k)) for k in updates if getattr(match, k) != getattr(member, k)}
        status = RowStatus.CHANGED if changes else RowStatus.UNCHANGED
        planned.append(PlannedRow(row.sheet_row, row.name, status, member, changes=changes, warnings=tuple(warnings)))

    # The names' pinyin now, in the reading (a background job in the window), not when 导入 writes the
    # new people on the GUI thread: the window stays responsive, and the preview's search has it.
    learn_syllables(row.name for row in planned if row.name)
    return ImportPlan(
        file_name=sheet.file_name,
        sheet_name=sheet.sheet_name,
        header_row=sheet.header_row,
        rows=tuple(planned),
        skipped=tuple(sheet.skipped),
        unknown_titles=tuple(unknown_titles),
        sheet=sheet,
        roster_sheets=tuple(getattr(sheet, "roster_sheets", ())),
    )


def with_answers(session: Session, plan: ImportPlan, title_ranks: Mapping[str, RankCategory]) -> ImportPlan:
    """The plan again once the clerk has classified unknown titles, from the sheet already read: the
    file is not read a second time (it may have been changed since, or its USB stick taken out)."""
    from qingqing_desktop.exchange.roster_excel import with_answers as answered  # noqa: PLC0415

    return plan_import(session, answered(plan.sheet, dict(title_ranks)))


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped_problems: int
    backup_path: Path | None


IMPORT_BYTES_PER_ROW = 4096


def apply_import(session: Session, plan: ImportPlan, *, skip_invalid: bool = False) -> ImportResult:
    """Write a checked plan in one transaction, after a backup. Problem rows stop it unless skipped."""
    problems = plan.problem_rows
    if problems and not skip_invalid:
        first = problems[0]
        raise InputRejected(
            f"有 {len(problems)} 行存在问题，未导入任何数据。第一处：{first.problems[0]}",
            Location(file=plan.file_name, sheet=plan.sheet_name, row=first.sheet_row),
        )
    unit = require_unit(session)
    if plan.has_writes and session.db_path is not None:
        # a row, its audit entries, their index entries and the WAL's copy of the pages: generously
        writes = plan.count(RowStatus.NEW) + plan.count(RowStatus.CHANGED)
        ensure_free_space(session.db_path.parent, IMPORT_BYTES_PER_ROW * writes)
    # Here, not at the top: the backup's modules (hashing, uuid) would load with the first window.
    from qingqing_desktop.services import backup_service  # noqa: PLC0415

    backup_path = (backup_service.backup_before_import(session, f"人员名单{quoted(plan.file_name)}")
                   if plan.has_writes else None)
    reason = f"从“{plan.file_name}”导入"
    new = [row.member for row in plan.rows if row.status is RowStatus.NEW]
    changed = [row.member for row in plan.rows if row.status is RowStatus.CHANGED]
    with collection_paused(), lock_owners.doing(session.db_path, "正在导入人员名单"), session.store.transaction():
        staff.insert_many(session.store, unit.id, new, operator=session.operator, reason=reason)
        for member in changed:
            staff.save(session.store, unit.id, member, operator=session.operator, reason=reason)
    return ImportResult(len(new), len(changed), plan.count(RowStatus.UNCHANGED), len(problems), backup_path)
