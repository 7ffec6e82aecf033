from __future__ import annotations

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.exchange.roster_excel import RosterSheet, RosterSheetRow
from qingqing_desktop.services import backup_service, roster_service, sample_data, template_service
from qingqing_desktop.services.roster_service import RowStatus

C, S = RankCategory.MIDDLE_CADRE, RankCategory.STAFF


def sheet(*rows, columns=("name", "title", "post", "party")):
    return RosterSheet(
        file_name="名单.xlsx", sheet_name="Sheet1", header_row=1,
        columns={c: c for c in columns}, rows=tuple(rows), skipped=(),
    )


def row(n, name, rank=S, post="", party=False, title="", problems=(), status=StaffStatus.ACTIVE, unresolved=""):
    return RosterSheetRow(sheet_row=n, name=name, title=title, rank=rank, post=post, party_member=party,
                          status=status, note="", problems=tuple(problems), unresolved=unresolved)


def test_roster_is_in_pinyin_order_with_surname_readings(unit_session):
    for name in ["张三", "曾晓燕", "单建国", "仇立新", "解文博", "谢晓峰", "区志文", "潘志强"]:
        roster_service.add_staff(unit_session, StaffMember(name=name, rank=S))
    assert [m.name for m in roster_service.list_staff(unit_session)] == [
        "区志文", "潘志强", "仇立新", "单建国", "解文博", "谢晓峰", "曾晓燕", "张三",
    ]


def test_invalid_person_is_refused_and_nothing_written(unit_session):
    with pytest.raises(InputRejected, match="姓名"):
        roster_service.add_staff(unit_session, StaffMember(name="  ", rank=S))
    with pytest.raises(InputRejected, match="数字"):
        roster_service.add_staff(unit_session, StaffMember(name="张3", rank=S))
    assert roster_service.list_staff(unit_session) == []


def test_mark_transferred_keeps_the_person(unit_session):
    member = roster_service.add_staff(unit_session, StaffMember(name="王䶮", rank=S, post="行政审批"))
    roster_service.set_status(unit_session, member.id, StaffStatus.TRANSFERRED, reason="调往财务科")
    (kept,) = roster_service.list_staff(unit_session)
    assert kept.id == member.id and kept.status is StaffStatus.TRANSFERRED
    assert roster_service.list_staff(unit_session, active_only=True) == []


def test_roster_history_tells_who_changed_whom_newest_first(unit_session):
    wang = roster_service.add_staff(unit_session, StaffMember(name="王䶮", rank=S, post="行政审批"), reason="新调入")
    roster_service.add_staff(unit_session, StaffMember(name="王䶮", rank=S, post="质量监管"))
    roster_service.set_status(unit_session, wang.id, StaffStatus.TRANSFERRED, reason="调往财务科")
    roster_service.delete_staff(unit_session, wang.id, reason="录入错误")
    roster_service.undelete_staff(unit_session, wang.id)
    history = roster_service.roster_history(unit_session)
    about_wang = [(h.action, h.field, h.old, h.new, h.reason) for h in history if h.what == "人员：王䶮（行政审批）"]
    assert about_wang == [
        ("修改", "删除状态", "已删除", None, "撤销删除"),
        ("删除", "", None, None, "录入错误"),
        ("修改", "状态", "在岗", "调离", "调往财务科"),
        *[("新增", label, None, value, "新调入") for label, value in
          [("姓名", "王䶮"), ("职务类别", "一般工作人员"), ("工作岗位/分管工作", "行政审批"), ("是否党员", "否"),
           ("状态", "在岗")]],
    ]
    # the other 王䶮 is told apart by post; every entry names who did it
    assert {h.what for h in history} == {"人员：王䶮（行政审批）", "人员：王䶮（质量监管）"}
    assert {h.operator for h in history} == {unit_session.operator}


def test_counts_follow_the_template_key_posts(unit_session):
    sample_data.load_sample_data(unit_session)
    rule = template_service.active_template(unit_session).signing_rule
    counts = roster_service.roster_counts(roster_service.list_staff(unit_session), rule.is_key_post)
    active = [p for p in sample_data.SAMPLE_PEOPLE if p[5] is StaffStatus.ACTIVE]
    assert counts.total == len(active) == 27
    assert counts.middle_cadres == sum(p[1] is C for p in active)
    assert counts.key_post_staff == sum(p[1] is S and rule.is_key_post(p[3]) is not None for p in active)
    assert counts.party_members == sum(p[4] for p in active)
    assert counts.samples == 30 and counts.inactive == 3
    assert sample_data.remove_sample_data(unit_session) == 30
    assert roster_service.list_staff(unit_session) == []


def test_plan_marks_new_unchanged_changed_and_problem_rows(unit_session):
    kept = roster_service.add_staff(unit_session, StaffMember(name="张三", rank=S, post="规划核实"))
    moved = roster_service.add_staff(unit_session, StaffMember(name="李四", rank=S, post="规划核实"))
    plan = roster_service.plan_import(unit_session, sheet(
        row(2, "张三", post="规划核实"),
        row(3, "李四", post="质量监管", party=True),
        row(4, "王五", rank=C, post="分管审批"),
        row(5, "赵六", rank=None, title="工程师", problems=["“职务”栏“工程师”无法判断"], unresolved="工程师"),
    ))
    by_row = {r.sheet_row: r for r in plan.rows}
    assert by_row[2].status is RowStatus.UNCHANGED and by_row[2].member.id == kept.id
    assert by_row[3].status is RowStatus.CHANGED and by_row[3].member.id == moved.id
    assert by_row[3].changes == {"post": ("规划核实", "质量监管"), "party_member": (False, True)}
    assert by_row[4].status is RowStatus.NEW
    assert by_row[5].status is RowStatus.PROBLEM
    assert plan.unknown_titles == ("工程师",)
    with pytest.raises(InputRejected, match="第5行"):
        roster_service.apply_import(unit_session, plan)
    assert len(roster_service.list_staff(unit_session)) == 2
    result = roster_service.apply_import(unit_session, plan, skip_invalid=True)
    assert (result.added, result.updated, result.unchanged, result.skipped_problems) == (1, 1, 1, 1)
    assert roster_service.get_staff(unit_session, moved.id).post == "质量监管"


def test_same_name_twice_is_allowed_and_told_apart_by_post(unit_session):
    plan = roster_service.plan_import(unit_session, sheet(row(2, "张伟", post="竣工验收"), row(3, "张伟", post="文书收发")))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW]
    assert all("也叫“张伟”" in r.warnings[0] for r in plan.rows)
    roster_service.apply_import(unit_session, plan)
    again = roster_service.plan_import(unit_session, sheet(row(2, "张伟", post="文书收发"), row(3, "张伟", post="竣工验收", party=True)))
    assert [r.status for r in again.rows] == [RowStatus.UNCHANGED, RowStatus.CHANGED]
    assert len({r.member.id for r in again.rows}) == 2


def test_traditional_or_full_width_variant_is_flagged_not_merged(unit_session):
    roster_service.add_staff(unit_session, StaffMember(name="张伟", rank=S))
    plan = roster_service.plan_import(unit_session, sheet(row(2, "張偉"), row(3, "ＡＢＣ"), row(4, "ABC")))
    assert plan.rows[0].status is RowStatus.NEW
    assert any("张伟" in w for w in plan.rows[0].warnings)
    assert any("第4行" in w for w in plan.rows[1].warnings)


def test_import_takes_a_backup_first(unit_session, isolated_data_dir):
    plan = roster_service.plan_import(unit_session, sheet(row(2, "张三")))
    result = roster_service.apply_import(unit_session, plan)
    assert result.backup_path.parent == isolated_data_dir / "backups"
    assert result.backup_path.exists()
    # the backups list says which import it was taken before, so the clerk can find it after a bad one
    (listed,) = backup_service.list_backups()
    assert listed.reason_label == "导入人员名单“名单.xlsx”前"


def test_missing_party_column_is_warned_about(unit_session):
    plan = roster_service.plan_import(unit_session, sheet(row(2, "张三", party=None), columns=("name", "title")))
    assert any("是否党员" in w for w in plan.rows[0].warnings)


@pytest.mark.parametrize("enabled_before", [True, False])
def test_import_holds_off_garbage_collection_and_leaves_it_as_it_found_it(unit_session, monkeypatch, enabled_before):
    """The CLI collects as usual after an import; the GUI, which collects on its own thread, stays that way."""
    import gc  # noqa: PLC0415

    from qingqing_desktop.exchange import roster_excel  # noqa: PLC0415
    from qingqing_desktop.store import staff  # noqa: PLC0415

    seen = []
    monkeypatch.setattr(roster_excel, "read_roster", lambda *a, **k: seen.append(gc.isenabled()) or sheet(row(2, "张三")))
    insert_many = staff.insert_many
    monkeypatch.setattr(staff, "insert_many", lambda *a, **k: seen.append(gc.isenabled()) or insert_many(*a, **k))
    was = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        plan = roster_service.read_import_file(unit_session, "名单.xlsx")
        after_read = gc.isenabled()
        roster_service.apply_import(unit_session, plan)
        after_write = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]
    assert after_read is after_write is enabled_before
    assert [m.name for m in roster_service.list_staff(unit_session)] == ["张三"]


def test_plan_works_out_the_new_names_pinyin_so_the_write_does_not(unit_session, monkeypatch):
    from qingqing_desktop.domain import names  # noqa: PLC0415

    monkeypatch.setattr(names, "_SYLLABLES", {})
    plan = roster_service.plan_import(unit_session, sheet(row(2, "单建国", rank=C, post="分管审批"), row(3, "区志文")))
    assert names._SYLLABLES["单建国"] == ("shan", "jian", "guo")  # noqa: SLF001 — before 导入, in the reading
    assert names._SYLLABLES["区志文"] == ("ou", "zhi", "wen")  # noqa: SLF001
    learned = []
    monkeypatch.setattr(names, "_pypinyin", lambda: learned.append("asked") or pytest.fail("pinyin asked again"))
    roster_service.apply_import(unit_session, plan)
    assert learned == []
    assert [m.name for m in roster_service.list_staff(unit_session)] == ["区志文", "单建国"]
    stored = unit_session.store.query("SELECT name_pinyin FROM staff WHERE name = '单建国'")
    assert [row["name_pinyin"] for row in stored] == ["shan\x1fjian\x1fguo"]
