"""qingqing-cli: the same services as the GUI, for scripting, batch work and tests.

Exit codes: 0 done; 2 input rejected (Chinese message on stderr, nothing written); 1 anything else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop import __version__
from qingqing_desktop.arguments import EXIT_REJECTED, ChineseArgumentParser
from qingqing_desktop.domain.errors import DatabaseDamaged, QingqingError
from qingqing_desktop.services.session import CLI_PROGRAM, open_session
from qingqing_desktop.store import faults, log_file
from qingqing_desktop.store.locations import default_db_path

EXIT_OK, EXIT_FAILED = 0, 1  # EXIT_REJECTED (2): bad input, as argparse's usage errors


@dataclass(frozen=True)
class CommandGroup:
    """A command group (``qingqing-cli unit …``): its name and help line, and where its sub-commands come from.

    ``registrars`` name functions ``register(commands)`` that add the group's sub-commands
    (``commands.add_parser(…)``), as ``"module"`` (its ``register``) or ``"module:function"``,
    modules under ``qingqing_desktop.cli``. They are imported only when their group is used,
    so ``unit show`` never loads what ``export`` or ``package`` need (reportlab, openpyxl,
    cryptography): a command module may import its services at the top, but nothing heavy
    that only some of its own sub-commands use.
    """

    name: str
    help: str
    registrars: tuple[str, ...]
    metavar: str = "子命令"


# Every command group, in the order ``--help`` lists them. A new group is one line here;
# a new sub-command goes into its group's module.
COMMAND_GROUPS = (
    CommandGroup("unit", "单位信息", ("unit_commands",)),
    CommandGroup("roster", "人员名单", ("roster_commands",)),
    CommandGroup("backup", "备份与恢复", ("backup_commands",)),
    CommandGroup("campaign", "行动（批次）", ("campaign_commands", "package_commands:register_campaign")),
    CommandGroup("pledge", "承诺书签订", ("pledge_commands",)),
    CommandGroup("selfcheck", "自查表", ("selfcheck_commands",)),
    CommandGroup("filing", "报送（定稿、重新打开、修改记录）", ("filing_commands",)),
    CommandGroup("export", "导出打印用的附件1、2、3（PDF/Excel）", ("export_commands",), metavar="文件"),
    CommandGroup("keys", "签名密钥", ("keys_commands",)),
    CommandGroup("package", "报送包（生成、校验、导入）", ("package_commands",)),
    CommandGroup("return", "退回文件", ("package_commands:register_return",)),
    CommandGroup("office", "纪委（监察室）模式（汇总各单位报送）", ("office_commands",)),
    CommandGroup("template", "政策模板（列出、查看、导出、导入）", ("template_commands",)),
)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given ``argv``, only the group it names is filled in (the others
    keep their help line, which is all ``--help`` shows of them)."""
    parser = ChineseArgumentParser(prog="qingqing-cli", description="亲清填报 命令行工具", version=f"亲清填报 {__version__}")
    parser.add_argument("--db", type=Path, help="数据库文件（默认：用户数据文件夹中的数据库；也可用环境变量 QINGQING_DB）")
    parser.add_argument("--operator", help="经办人姓名，记入修改记录（默认：环境变量 QINGQING_OPERATOR 或登录名）")
    groups = parser.add_subparsers(dest="group", required=True, metavar="命令", parser_class=ChineseArgumentParser)
    chosen = None if argv is None else _chosen_group(parser, argv)
    for group in COMMAND_GROUPS:
        commands = groups.add_parser(group.name, help=group.help).add_subparsers(
            dest="command", required=True, metavar=group.metavar
        )
        if argv is None or group.name == chosen:
            for registrar in group.registrars:
                _registrar(registrar)(commands)
    return parser


def _registrar(reference: str):
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function or "register")


def _chosen_group(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """The first word of ``argv`` that is not an option of the top level or an option's value."""
    takes_value = {option for action in parser._actions if action.nargs is None  # noqa: SLF001
                   for option in action.option_strings}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Chinese output must not crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")


FULL_CHECK_LIMIT = 64 * 1024 * 1024  # below this size integrity_check costs milliseconds: run it on every command


def _program(args) -> str:
    words = [args.group, getattr(args, "command", None)]
    return f"{CLI_PROGRAM} " + " ".join(w for w in words if w)


def command_line(args, words: str) -> str:
    """The command to type next, with this command's ``--db`` if it had one."""
    db = f' --db "{args.db}"' if args.db else ""
    return f"qingqing-cli{db} {words}"


def _show_refusal(args, exc: QingqingError) -> int:
    salvage = f"用命令 {command_line(args, 'backup salvage')} 抢救"
    if isinstance(exc, DatabaseDamaged) and exc.offer is not None:
        restore = command_line(args, f'backup restore "{exc.offer.path}"')
        text = exc.describe(f"恢复命令：{restore}", salvage=salvage)
    elif isinstance(exc, DatabaseDamaged):
        text = exc.describe("", salvage=salvage)
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
    """The session for the command; ``None`` for a restore whose database cannot be opened at all, and
    for a command that needs none (``opens_database=False``).

    Only a command that sets a database up (``creates_database``: unit set, office enable, a restore)
    makes a missing database file; any other says it is missing rather than answer from an empty
    one, and none makes a missing folder (``open_store``).
    """
    if not getattr(args, "opens_database", True):
        return None
    path = args.db if args.db is not None else default_db_path()
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    accepts_damaged = getattr(args, "accepts_damaged", False)
    try:
        return open_session(args.db, args.operator, program=_program(args), full_check=size <= FULL_CHECK_LIMIT,
                            allow_damaged=accepts_damaged, on_lock_wait=_LockWaitReport(),
                            create=getattr(args, "creates_database", False))
    except DatabaseDamaged:
        if accepts_damaged:
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    _utf8_console()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
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
