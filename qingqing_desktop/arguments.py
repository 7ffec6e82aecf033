"""argparse speaking Chinese, for both programs' command lines (``qingqing`` and ``qingqing-cli``).

argparse's own words (usage, section titles, -h, its errors) are English; a clerk who types
``亲清填报 --help`` or mistypes an option reads them in Chinese like everything else.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

EXIT_REJECTED = 2  # argparse's own code for a usage error


# How the programs' positional arguments are shown in usage, help and errors.
POSITIONAL_NAMES = {"file": "文件", "id": "编号"}


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog; keep that
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: section titles, -h, usage and errors.

    ``version``: the text ``--version`` prints (a program's top parser; sub-commands have none).
    """

    def __init__(self, *args, version: str | None = None, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "命令与参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        if version is not None:
            self.add_argument("--version", action="version", version=version, help="显示版本号并退出")

    def add_argument(self, *names, **kwargs):
        """A positional argument is shown by a Chinese name (用法：… roster import 文件), as the commands are."""
        if names and not names[0].startswith(self.prefix_chars) and "metavar" not in kwargs:
            kwargs["metavar"] = POSITIONAL_NAMES.get(names[0], names[0])
        return super().add_argument(*names, **kwargs)

    def error(self, message: str):  # argparse's usage errors are input errors too
        self.print_usage(sys.stderr)
        self.exit(EXIT_REJECTED, f"{self.prog}: 参数错误：{chinese_error(message)}\n")


def _listed(names: str) -> str:
    """argparse's "'unit', 'roster'" or "--kind, --leader" as 甲、乙."""
    return "、".join(part.strip().strip("'") for part in names.split(", "))


# argparse's own error messages (Python 3.11 to 3.13), in Chinese; the names and values in them stay.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), say) for pattern, say in (
        (r"argument (?P<name>.+?): (?P<rest>.+)", lambda m: f"{m['name']}：{chinese_error(m['rest'])}"),
        (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
         lambda m: f"没有“{m['value'].strip(chr(39))}”这一项（可选：{_listed(m['choices'])}）"),
        (r"the following arguments are required: (?P<names>.+)", lambda m: f"缺少必填的参数：{_listed(m['names'])}"),
        (r"unrecognized arguments: (?P<arguments>.+)", lambda m: f"无法识别的参数：{m['arguments']}"),
        (r"expected one argument", lambda m: "后面要跟一个值"),
        (r"expected at least one argument", lambda m: "后面至少要跟一个值"),
        (r"expected at most one argument", lambda m: "后面最多只能跟一个值"),
        (r"invalid \S+ value: (?P<value>.+)", lambda m: f"无效的值：{m['value']}"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
         lambda m: f"{m['option']} 不明确，可能是：{_listed(m['matches'])}"),
        (r"not allowed with argument (?P<other>.+)", lambda m: f"不能与 {m['other']} 同时使用"),
        (r"one of the arguments (?P<names>.+) is required", lambda m: f"须给出其中之一：{_listed(m['names'].replace(' ', ', '))}"),
        (r"ignored explicit argument (?P<value>.+)", lambda m: f"多余的值：{m['value']}"),
    )
)


def chinese_error(message: str) -> str:
    """An argparse error message in Chinese; ours (already Chinese) and any it does not know stay as they are."""
    for pattern, say in _ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return say(match)
    return message
