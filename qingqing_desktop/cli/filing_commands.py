"""qingqing-cli filing finalize|reopen|status|history — 定稿 and corrections of the current campaign's filing"""

from __future__ import annotations

from qingqing_desktop.cli.output import print_history, print_json
from qingqing_desktop.domain.staff import names_told_apart
from qingqing_desktop.services import filing_service


def register(commands) -> None:
    commands.add_parser("finalize", help="定稿：锁定本次报送的数据（自查表须填写完整）").set_defaults(handler=finalize)

    reopen = commands.add_parser("reopen", help="重新打开已定稿的报送以便更正（版次加一）")
    reopen.add_argument("--reason", required=True, help="更正原因（记入修改记录）")
    reopen.set_defaults(handler=reopen_filing)

    status = commands.add_parser("status", help="显示报送状态和版次")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(handler=show_status)

    history = commands.add_parser("history", help="显示本次行动的修改记录（最新在前）")
    history.add_argument("--json", action="store_true", help="以 JSON 输出")
    history.set_defaults(handler=show_history)


def finalize(args, session) -> int:
    result = filing_service.finalize(session)
    print(f"已定稿（第{result.status.revision}版），内容校验码 {result.status.short_hash}")
    if result.unsigned:
        print(f"提醒：尚有{len(result.unsigned)}人未签订承诺书：{'、'.join(names_told_apart(result.unsigned))}")
    for note in result.notes:
        print(f"提醒：{note}")
    return 0


def reopen_filing(args, session) -> int:
    status = filing_service.reopen(session, args.reason)
    print(f"已重新打开，现为{status.label}，可以修改")
    return 0


def show_status(args, session) -> int:
    status = filing_service.filing_status(session)
    if args.json:
        print_json({"state": status.state.value, "revision": status.revision})
        return 0
    print(f"报送状态：{status.label}")
    if status.content_sha256:
        print(f"最近定稿的内容校验码：{status.content_sha256}（{status.finalized_at}，{status.finalized_by}）")
    return 0


def show_history(args, session) -> int:
    print_history(filing_service.filing_history(session), as_json=args.json)
    return 0
