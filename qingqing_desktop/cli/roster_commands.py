"""qingqing-cli roster list|import|export|template|history"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_history, print_json, print_table
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.staff import RankCategory, parse_rank
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.roster_service import RowStatus


def register(commands) -> None:
    listing = commands.add_parser("list", help="列出人员名单（按拼音排序）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_roster)

    imp = commands.add_parser("import", help="从 Excel 或 CSV 文件导入人员名单")
    imp.add_argument("file", type=Path, help="Excel 文件（.xlsx）或 CSV 文件（UTF-8 或 GBK）")
    imp.add_argument("--sheet", help="工作表名称（默认自动识别）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入")
    imp.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余各行")
    imp.add_argument(
        "--title-rank", action="append", default=[], metavar="职务=类别",
        help="指定无法自动判断的职务属于哪一类，如 --title-rank 工程师=一般工作人员（可重复）",
    )
    imp.set_defaults(handler=import_roster)

    exp = commands.add_parser("export", help="导出人员名单为 Excel（A4 可打印）")
    exp.add_argument("file", type=Path, help="输出文件（.xlsx）")
    exp.set_defaults(handler=export_roster)

    tpl = commands.add_parser("template", help="生成人员名单导入模板（.xlsx，带下拉选项）")
    tpl.add_argument("file", type=Path, help="输出文件（.xlsx）")
    tpl.set_defaults(handler=write_template)

    history = commands.add_parser("history", help="显示人员名单的修改记录（新增、修改、调离、删除，最新在前）")
    history.add_argument("--json", action="store_true", help="以 JSON 输出")
    history.set_defaults(handler=show_history)


def _member_dict(member) -> dict:
    return {
        "id": member.id,
        "name": member.name,
        "rank": member.rank.value,
        "title": member.title,
        "post": member.post,
        "party_member": member.party_member,
        "status": member.status.value,
        "note": member.note,
        "sample": member.is_sample,
    }


def list_roster(args, session) -> int:
    members = roster_service.list_staff(session)
    if args.json:
        print_json([_member_dict(m) for m in members])
        return 0
    rows = [
        [str(i), m.name, m.rank.value, m.post, "是" if m.party_member else "否", m.status.value]
        for i, m in enumerate(members, 1)
    ]
    print_table(["序号", "姓名", "职务类别", "工作岗位/分管工作", "是否党员", "状态"], rows)
    print(f"共 {len(members)} 人")
    return 0


def _title_ranks(pairs: list[str]) -> dict[str, RankCategory]:
    mapping = {}
    for pair in pairs:
        title, _, category = pair.partition("=")
        rank = parse_rank(category.strip())
        if not title.strip() or rank is None:
            raise InputRejected(f"“{pair}”格式不对，应为“职务=中层干部”或“职务=一般工作人员”", Location(field="--title-rank"))
        mapping[title.strip()] = rank
    return mapping


def _print_report(plan) -> None:
    print(f"文件：{plan.file_name}　工作表：{plan.sheet_name}　表头在第{plan.header_row}行")
    if len(plan.roster_sheets) > 1:
        others = "、".join(f"“{name}”" for name in plan.roster_sheets if name != plan.sheet_name)
        print(f"注意：文件中的工作表{others}也像人员名单；要导入它，请加 --sheet 工作表名称。")
    print(plan.summary())
    if plan.skipped:
        print("已跳过：" + "；".join(f"第{row}行（{why}）" for row, why in plan.skipped))
    changed = [r for r in plan.rows if r.status is RowStatus.CHANGED]
    if changed:
        print("有变化的人员：")
        for r in changed:
            what = "，".join(f"{field}：{_text(old)} → {_text(new)}" for field, (old, new) in r.changes.items())
            print(f"  第{r.sheet_row}行 {r.name}：{what}")
    if plan.problem_rows:
        print("有问题的行：")
        for r in plan.problem_rows:
            print(f"  第{r.sheet_row}行 {r.name or '（无姓名）'}：{'；'.join(r.problems)}")
    warned = [r for r in plan.rows if r.warnings]
    if warned:
        print("可能重复，请核对：")
        for r in warned:
            print(f"  第{r.sheet_row}行 {r.name}：{'；'.join(r.warnings)}")
    if plan.unknown_titles:
        print("无法判断类别的职务（可用 --title-rank 职务=类别 指定）：" + "、".join(plan.unknown_titles))


def _text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(getattr(value, "value", value) if value not in (None, "") else "（空）")


def import_roster(args, session) -> int:
    plan = roster_service.read_import_file(session, args.file, sheet=args.sheet, title_ranks=_title_ranks(args.title_rank))
    _print_report(plan)
    problems = plan.problem_rows
    if args.dry_run:
        print("（试运行：未写入任何数据）")
        return 2 if problems else 0
    if problems and not args.skip_invalid:
        raise InputRejected(
            f"有 {len(problems)} 行存在问题，未导入任何数据。请修改表格后重新导入，或加 --skip-invalid 跳过这些行。",
            Location(file=plan.file_name, sheet=plan.sheet_name),
        )
    result = roster_service.apply_import(session, plan, skip_invalid=args.skip_invalid)
    print(f"已导入：新增 {result.added} 人，更新 {result.updated} 人，无变化 {result.unchanged} 人，跳过 {result.skipped_problems} 行。")
    if result.backup_path:
        print(f"导入前的数据已备份到：{result.backup_path}")
    return 0


def export_roster(args, session) -> int:
    from qingqing_desktop.services import roster_export  # noqa: PLC0415 — openpyxl's writer: only here

    path = roster_export.export_roster(session, args.file)
    print(f"已导出人员名单：{path}")
    return 0


def write_template(args, session) -> int:
    from qingqing_desktop.services import roster_export  # noqa: PLC0415

    path = roster_export.write_import_template(session, args.file)
    print(f"已生成导入模板：{path}")
    return 0


def show_history(args, session) -> int:
    print_history(roster_service.roster_history(session), as_json=args.json)
    return 0
