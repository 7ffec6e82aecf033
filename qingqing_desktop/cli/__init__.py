"""qingqing-cli: the same services as the GUI, for scripting, batch work and tests.

Exit codes: 0 done; 2 input rejected (Chinese message on stderr, nothing written); 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from qingqing_desktop import __version__
from qingqing_desktop.cli import (
    backup_commands,
    campaign_commands,
    export_commands,
    filing_commands,
    keys_commands,
    office_commands,
    package_commands,
    pledge_commands,
    roster_commands,
    selfcheck_commands,
    template_commands,
    unit_commands,
)
from qingqing_desktop.domain.errors import DatabaseRefused, InputRejected
from qingqing_desktop.services.session import open_session

EXIT_OK, EXIT_FAILED, EXIT_REJECTED = 0, 1, 2
COMMAND_GROUPS = (
    unit_commands, roster_commands, backup_commands,
    campaign_commands, pledge_commands, selfcheck_commands, filing_commands, export_commands,
    keys_commands, package_commands, office_commands,  # package_commands adds to the campaign group
    template_commands,
)


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog; keep that
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: section titles, -h, usage and errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "命令与参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str):  # argparse's usage errors are input errors too
        self.print_usage(sys.stderr)
        self.exit(EXIT_REJECTED, f"{self.prog}: 参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(prog="qingqing-cli", description="亲清填报 命令行工具")
    parser.add_argument("--version", action="version", version=f"亲清填报 {__version__}", help="显示版本号并退出")
    parser.add_argument("--db", type=Path, help="数据库文件（默认：用户数据文件夹中的数据库；也可用环境变量 QINGQING_DB）")
    parser.add_argument("--operator", help="经办人姓名，记入修改记录（默认：环境变量 QINGQING_OPERATOR 或登录名）")
    groups = parser.add_subparsers(dest="group", required=True, metavar="命令", parser_class=_ChineseArgumentParser)
    for module in COMMAND_GROUPS:
        module.register(groups)
    return parser


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Chinese output must not crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    args = build_parser().parse_args(argv)
    try:
        session = open_session(args.db, args.operator)
    except DatabaseRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REJECTED
    try:
        return args.handler(args, session) or EXIT_OK
    except InputRejected as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REJECTED
    except DatabaseRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:
        # The reader (e.g. ``| head``) stopped listening; say nothing more, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception:  # noqa: BLE001 — the last line of defence: report, exit 1
        traceback.print_exc()
        print("错误：发生意外错误（详情见上）。数据没有被部分写入。", file=sys.stderr)
        return EXIT_FAILED
    finally:
        session.close()


if __name__ == "__main__":
    sys.exit(main())
