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
    unit_commands,
)
from qingqing_desktop.domain.errors import DatabaseDamaged, QingqingError
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import faults, log_file
from qingqing_desktop.store.locations import default_db_path

EXIT_OK, EXIT_FAILED, EXIT_REJECTED = 0, 1, 2
COMMAND_GROUPS = (
    unit_commands, roster_commands, backup_commands,
    campaign_commands, pledge_commands, selfcheck_commands, filing_commands, export_commands,
    keys_commands, package_commands, office_commands,  # package_commands adds to the campaign group
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


FULL_CHECK_LIMIT = 64 * 1024 * 1024  # below this size integrity_check costs milliseconds: run it on every command


def _program(args) -> str:
    words = [args.group, getattr(args, "command", None)]
    return "qingqing-cli " + " ".join(w for w in words if w)


def _restore_command(args, backup_path: str) -> str:
    db = f' --db "{args.db}"' if args.db else ""
    return f'qingqing-cli{db} backup restore "{backup_path}"'


def _show_refusal(args, exc: QingqingError) -> int:
    if isinstance(exc, DatabaseDamaged) and exc.offer is not None:
        text = exc.describe(f"恢复命令：{_restore_command(args, exc.offer.path)}")
    else:
        text = str(exc)
    print(f"错误：{text}", file=sys.stderr)
    return EXIT_REJECTED


class _LockWaitReport:
    """Tell the user, on stderr, that we are waiting for a lock (every few seconds, not every attempt)."""

    def __init__(self):
        self._next = 0.0

    def __call__(self, waited: float, limit: float, holder: str) -> None:
        if waited >= self._next:
            print(f"数据库正被{holder}占用，正在等待（{waited:.0f}/{limit:.0f} 秒）…", file=sys.stderr, flush=True)
            self._next = waited + 5


def _open(args):
    """The session for the command; ``None`` for a restore whose database cannot be opened at all."""
    path = args.db if args.db is not None else default_db_path()
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    accepts_damaged = getattr(args, "accepts_damaged", False)
    try:
        return open_session(args.db, args.operator, program=_program(args), full_check=size <= FULL_CHECK_LIMIT,
                            allow_damaged=accepts_damaged, on_lock_wait=_LockWaitReport())
    except DatabaseDamaged:
        if accepts_damaged:
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    args = build_parser().parse_args(argv)
    log_file.start("qingqing-cli")
    session = None
    try:
        session = _open(args)
        return args.handler(args, session) or EXIT_OK
    except BrokenPipeError:
        # The reader (e.g. ``| head``) stopped listening; say nothing more, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("已中断。没有完成的操作不会留下一半的数据。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — every fault ends in one sentence, never a traceback
        refusal = faults.refusal(exc, store=session.store if session is not None else None)
        if refusal is not None:
            return _show_refusal(args, refusal)
        faults.log_unexpected(exc, _program(args))
        if os.environ.get("QINGQING_DEBUG"):
            traceback.print_exc()
        where = log_file.log_path() if log_file.start("qingqing-cli") else "日志"
        print(f"错误：发生意外错误（{type(exc).__name__}），操作没有完成，数据没有被部分写入。"
              f"详情已记入 {where}，请把它交技术人员。", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if session is not None:
            session.close()


if __name__ == "__main__":
    sys.exit(main())
