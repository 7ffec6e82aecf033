"""qingqing-cli selfcheck show|header|add|edit|remove|none|done|undone|overdue — 自查表 of the current campaign"""

from __future__ import annotations

import datetime as dt

from qingqing_desktop.cli.output import print_json, print_table
from qingqing_desktop.cli.people import staff_id
from qingqing_desktop.domain.campaign import iso_or_none
from qingqing_desktop.domain.selfcheck import ROW_NUMBERS
from qingqing_desktop.services import selfcheck_service


def register(commands) -> None:
    show = commands.add_parser("show", help="显示自查表")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_self_check)

    header = commands.add_parser("header", help="设置单位负责人和填报日期")
    header.add_argument("--leader", help="单位负责人（默认：单位信息中的负责人）")
    header.add_argument("--date", help="填报日期 YYYY-MM-DD")
    header.set_defaults(handler=set_header)

    add = commands.add_parser("add", help="登记一条问题")
    add.add_argument("--row", type=int, choices=ROW_NUMBERS, help="所在行：1 正面清单 / 2 负面清单 / 3 制度缺陷")
    add.add_argument("--list", dest="list_key", default="", help="关联的清单标识（positive/negative），所在行随之确定")
    add.add_argument("--item", type=int, help="关联清单的第几条（与 --list 一起用）")
    add.add_argument("--problem", required=True, help="存在问题")
    add.add_argument("--measure", required=True, help="整改措施")
    _owner_arguments(add, required=True)
    add.add_argument("--due", required=True, help="整改时限 YYYY-MM-DD")
    add.set_defaults(handler=add_finding)

    edit = commands.add_parser("edit", help="修改一条问题（只改给出的项）")
    edit.add_argument("--finding", required=True, help="问题条目编号")
    edit.add_argument("--row", type=int, choices=ROW_NUMBERS, help="所在行")
    edit.add_argument("--problem", help="存在问题")
    edit.add_argument("--measure", help="整改措施")
    _owner_arguments(edit, required=False)
    edit.add_argument("--due", help="整改时限 YYYY-MM-DD")
    edit.add_argument("--reason", default="", help="修改原因")
    edit.set_defaults(handler=edit_finding)

    remove = commands.add_parser("remove", help="删除一条问题")
    remove.add_argument("--finding", required=True, help="问题条目编号")
    remove.add_argument("--reason", default="", help="删除原因")
    remove.set_defaults(handler=remove_finding)

    none = commands.add_parser("none", help="确认某一行没有问题（“无”）")
    none.add_argument("--row", type=int, required=True, choices=ROW_NUMBERS, help="行号")
    none.add_argument("--undo", action="store_true", help="撤销“无”的确认")
    none.set_defaults(handler=confirm_none)

    done = commands.add_parser("done", help="登记整改已完成")
    done.add_argument("--finding", required=True, help="问题条目编号")
    done.add_argument("--date", help="完成日期 YYYY-MM-DD（默认今天）")
    done.add_argument("--note", default="", help="整改情况说明")
    done.set_defaults(handler=complete)

    undone = commands.add_parser("undone", help="把整改状态改回“整改中”")
    undone.add_argument("--finding", required=True, help="问题条目编号")
    undone.add_argument("--reason", required=True, help="原因")
    undone.set_defaults(handler=reopen)

    overdue = commands.add_parser("overdue", help="列出逾期未完成的整改")
    overdue.add_argument("--json", action="store_true", help="以 JSON 输出")
    overdue.set_defaults(handler=list_overdue)


def _owner_arguments(parser, *, required: bool) -> None:
    owner = parser.add_mutually_exclusive_group(required=required)
    owner.add_argument("--owner", help="责任人姓名（须在人员名单中）")
    owner.add_argument("--owner-id", help="责任人编号（名单中有同名人员时使用）")


def _owner_id(session, args) -> str | None:
    if args.owner_id:
        return args.owner_id
    if not args.owner:
        return None
    return staff_id(session, args.owner, option="--owner-id", field="责任人")


def _warn(warnings) -> None:
    # Questions, not errors: saved anyway, so they go with the normal output (stderr is for refusals).
    for warning in warnings:
        print(f"提醒：{warning}")


def finding_dict(finding, today: dt.date) -> dict:
    return {
        "id": finding.id,
        "problem": finding.problem,
        "measure": finding.measure,
        "owner": finding.owner_name,
        "due": finding.due.isoformat(),
        "state": finding.state(today).value,
    }


def self_check_dict(self_check, today: dt.date) -> dict:
    return {
        "unit": self_check.unit_name,
        "leader": self_check.leader,
        "date": iso_or_none(self_check.filled_on),
        "rows": [
            {
                "item": row.item,
                "none_confirmed": row.none_confirmed,
                "findings": [finding_dict(f, today) for f in row.findings],
            }
            for row in self_check.rows
        ],
    }


def show_self_check(args, session) -> int:
    today = dt.date.today()
    self_check = selfcheck_service.get_self_check(session)
    if args.json:
        print_json(self_check_dict(self_check, today))
        return 0
    print(f"填报单位：{self_check.unit_name}　单位负责人：{self_check.leader}　"
          f"填报日期：{iso_or_none(self_check.filled_on) or '（未填）'}")
    for row in self_check.rows:
        print(f"\n{row.number}. {row.item}")
        if row.none_confirmed:
            print("   无")
        elif not row.findings:
            print("   （尚未填写：请登记问题或确认“无”）")
        for f in row.findings:
            print(f"   - {f.problem}\n     整改措施：{f.measure}\n     责任人：{f.owner_name}　整改时限：{f.due.isoformat()}"
                  f"　状态：{f.state(today).value}\n     编号：{f.id}")
    print("\n自查表已填写完整。" if self_check.is_complete else
          f"\n自查表尚未完成：第{'、'.join(map(str, self_check.incomplete_rows))}行既无问题也未确认“无”。")
    return 0


def set_header(args, session) -> int:
    current = selfcheck_service.get_self_check(session)
    result = selfcheck_service.set_header(
        session,
        leader=args.leader if args.leader is not None else current.leader,
        filled_on=args.date if args.date is not None else current.filled_on,
    )
    _warn(result.warnings)
    header = result.self_check
    print(f"单位负责人：{header.leader}　填报日期：{iso_or_none(header.filled_on) or '（未填）'}")
    return 0


def add_finding(args, session) -> int:
    result = selfcheck_service.add_finding(
        session, row=args.row, list_key=args.list_key, item_index=args.item, problem=args.problem,
        measure=args.measure, owner_id=_owner_id(session, args), due=args.due,
    )
    print(result.finding.id)  # the id alone on the first line: scripts capture it
    _warn(result.warnings)
    return 0


def edit_finding(args, session) -> int:
    result = selfcheck_service.update_finding(
        session, args.finding, row=args.row, problem=args.problem, measure=args.measure,
        owner_id=_owner_id(session, args), due=args.due, reason=args.reason,
    )
    _warn(result.warnings)
    print(f"已修改问题条目 {result.finding.id}")
    return 0


def remove_finding(args, session) -> int:
    selfcheck_service.delete_finding(session, args.finding, reason=args.reason)
    print(f"已删除问题条目 {args.finding}")
    return 0


def confirm_none(args, session) -> int:
    selfcheck_service.confirm_none(session, args.row, not args.undo)
    print(f"已撤销第{args.row}行“无”的确认" if args.undo else f"已确认第{args.row}行无问题")
    return 0


def complete(args, session) -> int:
    finding = selfcheck_service.complete_rectification(session, args.finding, args.date, args.note)
    print(f"已登记整改完成（{finding.done_on.isoformat()}）：{finding.problem}")
    return 0


def reopen(args, session) -> int:
    finding = selfcheck_service.reopen_rectification(session, args.finding, args.reason)
    print(f"已改回整改中：{finding.problem}")
    return 0


def list_overdue(args, session) -> int:
    today = dt.date.today()
    found = selfcheck_service.overdue_findings(session, today=today)
    if args.json:
        print_json([{**finding_dict(f, today), "row": f.row} for f in found])
        return 0
    rows = [[str(f.row), f.problem, f.owner_name, f.due.isoformat(), f"{(today - f.due).days} 天", f.id] for f in found]
    print_table(["行", "存在问题", "责任人", "整改时限", "已逾期", "编号"], rows)
    print(f"共 {len(found)} 条逾期")
    return 0
