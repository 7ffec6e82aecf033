"""qingqing-cli pledge list|set|sign|require|attach|detach|scans import — 承诺书签订 in the current campaign"""

from __future__ import annotations

import sys
from pathlib import Path

from qingqing_desktop.cli.output import print_json, print_table, progress_printer
from qingqing_desktop.cli.people import staff_id
from qingqing_desktop.domain.campaign import iso_or_none
from qingqing_desktop.domain.pledge import PledgeStatus, signed_text
from qingqing_desktop.domain.staff import names_told_apart
from qingqing_desktop.services import pledge_service

_REQUIRED_CHOICES = {"yes": True, "no": False, "rule": None}
_STAFF_HELP = "姓名；名单中有同名人员时填人员编号（见 pledge list --json）"


def register(commands) -> None:
    listing = commands.add_parser("list", help="列出签订情况（未签订在前，按拼音排序）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_pledges)

    statuses = "/".join(s.value for s in PledgeStatus)
    put = commands.add_parser("set", help="登记一人的签订状态")
    put.add_argument("--staff", required=True, help=_STAFF_HELP)
    put.add_argument("--status", required=True, help=f"签订状态：{statuses}")
    put.add_argument("--date", help="签订日期 YYYY-MM-DD（已签订时默认今天；不能晚于今天）")
    put.add_argument("--reason", default="", help="说明（不适用时必填，如 调离）")
    put.set_defaults(handler=set_status)

    sign = commands.add_parser("sign", help="批量登记已签订（同一日期，全部成功或全部不写入）")
    sign.add_argument("--staff", required=True, action="append", help=_STAFF_HELP + "（可重复）")
    sign.add_argument("--date", help="签订日期 YYYY-MM-DD（默认今天）")
    sign.set_defaults(handler=sign_many)

    require = commands.add_parser("require", help="人工认定是否需要签订（覆盖规则的结论）")
    require.add_argument("--staff", required=True, help=_STAFF_HELP)
    require.add_argument("--required", required=True, choices=sorted(_REQUIRED_CHOICES),
                         help="yes 需签订 / no 不需签订 / rule 恢复按规则认定")
    require.add_argument("--reason", default="", help="理由（yes/no 时必填）")
    require.set_defaults(handler=set_required)

    attach = commands.add_parser("attach", help="附上签字页的扫描件或照片（PNG/JPEG/PDF，不超过 10 MB）")
    attach.add_argument("--staff", required=True, help=_STAFF_HELP)
    attach.add_argument("file", type=Path, help="扫描件文件")
    attach.set_defaults(handler=attach_scan)

    detach = commands.add_parser("detach", help="删除签字页扫描件")
    detach.add_argument("--staff", required=True, help=_STAFF_HELP)
    detach.set_defaults(handler=remove_scan)

    batch = commands.add_parser("scans", help="签字页扫描件批量导入").add_subparsers(
        dest="scans_command", required=True, metavar="子命令")
    scan_import = batch.add_parser(
        "import", help="读取一批签好字的承诺书扫描件（PDF 或图片文件夹），按二维码登记已签订并附上各人的签字页")
    scan_import.add_argument("source", type=Path, metavar="FILE|DIR",
                             help="扫描得到的 PDF 文件、图片文件，或放扫描图片（JPEG/PNG/TIFF）的文件夹")
    scan_import.add_argument("--date", help="签订日期 YYYY-MM-DD（默认扫描日期；已登记已签订的人保留原日期）")
    scan_import.add_argument("--assign", action="append", default=[], metavar="页码=人员",
                             help="把未识别二维码的一页指定给某人：批次中的页码=人员编号或姓名（可重复）")
    scan_import.add_argument("--dry-run", action="store_true", help="只读取和核对，显示结果，不登记")
    scan_import.add_argument("--json", action="store_true", help="以 JSON 输出")
    scan_import.set_defaults(handler=import_scans)


def row_dict(row) -> dict:
    return {
        "staff_id": row.staff_id,
        "name": row.name,
        "rank": row.rank.value,
        "title": row.title,
        "post": row.post,
        "party_member": row.party_member,
        "staff_status": row.staff_status,
        "required": row.required,
        "required_by_rule": row.required_by_rule,
        "rule_reason": row.rule_reason,
        "required_override": row.required_override,
        "override_reason": row.override_reason,
        "status": row.status.value,
        "signed_on": iso_or_none(row.signed_on),
        "status_reason": row.status_reason,
        "reason": row.reason,
        "has_scan": row.has_scan,
    }


def _required_text(row) -> str:
    text = "是" if row.required else "否"
    if row.required_override is not None and row.required_override != row.required_by_rule:
        text += "（人工）"
    return text


def list_pledges(args, session) -> int:
    rows = pledge_service.list_pledges(session)
    if args.json:
        print_json([row_dict(r) for r in rows])
        return 0
    table = [
        [str(i), r.name, r.rank.value, r.post, _required_text(r), r.rule_reason, r.status.value,
         iso_or_none(r.signed_on) or "", r.reason]
        for i, r in enumerate(rows, 1)
    ]
    print_table(["序号", "姓名", "职务", "工作岗位", "需签订", "规则依据", "状态", "签订日期", "说明"], table)
    p = pledge_service.pledge_progress(session)
    print(f"应签订 {p.required} 人：已签订 {signed_text(p.signed, p.signed_unrequired, ' ', person='')}，未签订 {p.outstanding}，"
          f"此前已上交 {p.submitted_before}，不适用 {p.not_applicable}")
    return 0


def _done(row) -> None:
    date = f" {row.signed_on.isoformat()}" if row.signed_on else ""
    reason = f"（{row.reason}）" if row.reason else ""
    print(f"{row.name}：{row.status.value}{date}{reason}，{'需' if row.required else '不需'}签订")


def set_status(args, session) -> int:
    person = staff_id(session, args.staff)
    _done(pledge_service.set_status(session, person, args.status, signed_on=args.date, reason=args.reason))
    return 0


def sign_many(args, session) -> int:
    rows = pledge_service.sign_many(session, [staff_id(session, ref) for ref in args.staff], args.date)
    print(f"已登记 {len(rows)} 人已签订（{rows[0].signed_on.isoformat()}）：{'、'.join(names_told_apart(rows))}")
    return 0


def set_required(args, session) -> int:
    person = staff_id(session, args.staff)
    _done(pledge_service.set_required(session, person, _REQUIRED_CHOICES[args.required], args.reason))
    return 0


def attach_scan(args, session) -> int:
    row = pledge_service.attach_scan(session, staff_id(session, args.staff), args.file)
    print(f"已为{row.name}附上扫描件：{args.file.name}")
    return 0


def remove_scan(args, session) -> int:
    row = pledge_service.remove_scan(session, staff_id(session, args.staff))
    print(f"已删除{row.name}的扫描件")
    return 0


# ----------------------------------------------------------------------------- scans import


def _person_ref(plan, ref: str) -> str:
    """A staff id, or a name that names exactly one person on the list."""
    ids = {r.staff_id for r in plan.candidates}
    if ref in ids:
        return ref
    named = [r for r in plan.candidates if r.name == ref.strip()]
    if len(named) == 1:
        return named[0].staff_id
    from qingqing_desktop.domain.errors import InputRejected, Location  # noqa: PLC0415

    if named:
        raise InputRejected(f"名单中有{len(named)}人叫“{ref}”，请用人员编号（见 pledge list --json）。",
                            Location(field="--assign"))
    raise InputRejected(f"名单中没有“{ref}”。", Location(field="--assign"))


def _assignments(plan, items: list[str]) -> dict[int, str]:
    from qingqing_desktop.domain.errors import InputRejected, Location  # noqa: PLC0415

    out = {}
    for item in items:
        page, _, person = item.partition("=")
        if not page.strip().isdigit() or not person.strip():
            raise InputRejected(f"“{item}”的格式应为 页码=人员编号或姓名，如 7=张三。", Location(field="--assign"))
        out[int(page)] = _person_ref(plan, person.strip())
    return out


def _plan_dict(plan) -> dict:
    def page(p):
        return {"page": p.number, "file": str(p.ref.path), "file_page": p.ref.index + 1, "rotation": p.rotation}

    return {
        "source": str(plan.source),
        "campaign": plan.campaign_title,
        "pages": plan.page_count,
        "scanned_on": iso_or_none(plan.batch.scanned_on),
        "matched": [{"staff_id": m.staff_id, "name": m.name, "letters": list(m.letters), "by_hand": m.by_hand,
                     "notes": list(m.notes), "pages": [page(p) for p in m.pages]} for m in plan.matched],
        "unmatched": [{**page(a.page), "reason": a.reason, "after": a.after} for a in plan.unmatched],
        "foreign": [{**page(a.page), "reason": a.reason} for a in plan.foreign],
        "blank": [page(p) for p in plan.blank],
        "unreadable_files": [{"file": str(f.path), "reason": f.reason} for f in plan.unreadable_files],
    }


def _print_plan(plan) -> None:
    scanned = f"，扫描日期 {plan.batch.scanned_on.isoformat()}" if plan.batch.scanned_on else ""
    print(f"扫描件：{plan.source}（{plan.page_count}页{scanned}）  行动：{plan.campaign_title}")
    if plan.matched:
        print_table(["序号", "姓名", "页面", "承诺书编号", "说明"], [
            [str(i), m.name, "、".join(str(p.number) for p in m.pages), "、".join(m.letters), "；".join(m.notes)]
            for i, m in enumerate(plan.matched, 1)
        ])
    for title, items in (("未识别二维码的页面（可用 --assign 页码=姓名 指定）", plan.unmatched),
                         ("不属于本行动或本单位的页面（不会登记）", plan.foreign)):
        if items:
            print(f"{title}：")
            for item in items:
                after = f"（前一页是{item.after}的承诺书）" if getattr(item, "after", "") else ""
                print(f"  {item.page.label}：{item.reason}{after}")
    for file in plan.unreadable_files:
        print(f"无法读取的文件：{file.path.name}：{file.reason}")
    if plan.blank:
        print(f"空白页 {len(plan.blank)} 页（双面打印的背面），已略过。")
    print(plan.summary())


def import_scans(args, session) -> int:
    # Loaded here: reading scans needs pypdfium2, zxing-cpp and Pillow, which no other pledge command does.
    from qingqing_desktop.services import pledge_scan_import  # noqa: PLC0415

    plan = pledge_scan_import.plan_scan_import(session, args.source, progress=progress_printer())
    plan = pledge_scan_import.assign_pages(plan, _assignments(plan, args.assign))
    if args.dry_run or not plan.matched:
        if args.json:
            print_json(_plan_dict(plan))
        else:
            _print_plan(plan)
            if not plan.matched:
                print("没有与本单位人员匹配的签字页，没有登记任何内容。")
        return 0
    signed_on = args.date or pledge_scan_import.default_signing_date(plan)
    result = pledge_scan_import.apply_scan_import(session, plan, signed_on)
    if args.json:
        print_json({**_plan_dict(plan), "recorded": [row_dict(r) for r in result.rows],
                    "backup": str(result.backup_path) if result.backup_path else None})
        return 0
    _print_plan(plan)
    date = signed_on.isoformat() if hasattr(signed_on, "isoformat") else signed_on
    print(f"已登记 {len(result.rows)} 人已签订（签订日期 {date}；此前已登记的保留原日期），"
          f"并附上各自的签字页扫描件（共 {result.pages} 页）。")
    if result.backup_path:
        print(f"登记前的数据已备份到：{result.backup_path}", file=sys.stderr)
    return 0
