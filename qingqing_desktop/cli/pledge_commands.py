"""qingqing-cli pledge list|set|sign|require|attach|detach — 承诺书签订 in the current campaign"""

from __future__ import annotations

from pathlib import Path

from qingqing_desktop.cli.output import print_json, print_table
from qingqing_desktop.domain.campaign import iso_or_none
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.services import pledge_service

_REQUIRED_CHOICES = {"yes": True, "no": False, "rule": None}


def register(commands) -> None:
    listing = commands.add_parser("list", help="列出签订情况（未签订在前，按拼音排序）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_pledges)

    statuses = "/".join(s.value for s in PledgeStatus)
    put = commands.add_parser("set", help="登记一人的签订状态")
    put.add_argument("--staff", required=True, help="人员编号（见 roster list --json 或 pledge list --json）")
    put.add_argument("--status", required=True, help=f"签订状态：{statuses}")
    put.add_argument("--date", help="签订日期 YYYY-MM-DD（已签订时默认今天；不能晚于今天）")
    put.add_argument("--reason", default="", help="说明（不适用时必填，如 调离）")
    put.set_defaults(handler=set_status)

    sign = commands.add_parser("sign", help="批量登记已签订（同一日期，全部成功或全部不写入）")
    sign.add_argument("--staff", required=True, action="append", help="人员编号（可重复）")
    sign.add_argument("--date", help="签订日期 YYYY-MM-DD（默认今天）")
    sign.set_defaults(handler=sign_many)

    require = commands.add_parser("require", help="人工认定是否需要签订（覆盖规则的结论）")
    require.add_argument("--staff", required=True, help="人员编号")
    require.add_argument("--required", required=True, choices=sorted(_REQUIRED_CHOICES),
                         help="yes 需签订 / no 不需签订 / rule 恢复按规则认定")
    require.add_argument("--reason", default="", help="理由（yes/no 时必填）")
    require.set_defaults(handler=set_required)

    attach = commands.add_parser("attach", help="附上签字页的扫描件或照片（PNG/JPEG/PDF，不超过 10 MB）")
    attach.add_argument("--staff", required=True, help="人员编号")
    attach.add_argument("file", type=Path, help="扫描件文件")
    attach.set_defaults(handler=attach_scan)

    detach = commands.add_parser("detach", help="删除签字页扫描件")
    detach.add_argument("--staff", required=True, help="人员编号")
    detach.set_defaults(handler=remove_scan)


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
    print(f"应签订 {p.required} 人：已签订 {p.signed}，未签订 {p.outstanding}，"
          f"此前已上交 {p.submitted_before}，不适用 {p.not_applicable}")
    return 0


def _done(row) -> None:
    date = f" {row.signed_on.isoformat()}" if row.signed_on else ""
    reason = f"（{row.reason}）" if row.reason else ""
    print(f"{row.name}：{row.status.value}{date}{reason}，{'需' if row.required else '不需'}签订")


def set_status(args, session) -> int:
    _done(pledge_service.set_status(session, args.staff, args.status, signed_on=args.date, reason=args.reason))
    return 0


def sign_many(args, session) -> int:
    rows = pledge_service.sign_many(session, args.staff, args.date)
    print(f"已登记 {len(rows)} 人已签订（{rows[0].signed_on.isoformat()}）：{'、'.join(r.name for r in rows)}")
    return 0


def set_required(args, session) -> int:
    _done(pledge_service.set_required(session, args.staff, _REQUIRED_CHOICES[args.required], args.reason))
    return 0


def attach_scan(args, session) -> int:
    row = pledge_service.attach_scan(session, args.staff, args.file)
    print(f"已为{row.name}附上扫描件：{args.file.name}")
    return 0


def remove_scan(args, session) -> int:
    row = pledge_service.remove_scan(session, args.staff)
    print(f"已删除{row.name}的扫描件")
    return 0
