"""argparse speaking Chinese, for both programs' command lines (``qingqing`` and ``qingqing-cli``).

argparse's own words (usage, section titles, -h, its errors) are English; a clerk who types
``亲清填报 --help`` or mistypes an option reads them in Chinese like everything else.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable

EXIT_REJECTED = 2  # argparse's own code for a usage error


# How the programs' positional arguments are shown in usage, help and errors.
POSITIONAL_NAMES = {"file": "文件", "id": "编号"}
# What stands for an option's value in usage and help (--sheet 工作表), by the option's long name.
OPTION_VALUES = {
    "db": "数据库文件", "operator": "经办人", "out": "文件", "out-dir": "文件夹", "pdf": "文件",
    "name": "名称", "title": "名称", "kind": "类型", "leader": "负责人", "contact": "联系人", "phone": "电话",
    "unit": "单位名称", "staff": "人员", "owner": "责任人", "owner-id": "人员编号", "status": "状态",
    "date": "日期", "due": "日期", "deadline": "日期", "reason": "原因", "comment": "意见", "note": "备注",
    "campaign": "行动编号", "template": "模板编号", "doc-number": "文号", "recipient": "报送对象",
    "sheet": "工作表", "finding": "问题编号", "problem": "问题", "measure": "措施", "list": "清单",
    "item": "条目序号", "fingerprint": "指纹",
}


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for a Chinese character, one for the rest."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a sub-command's prog; keep that
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the help column by the columns a name takes
            width = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action):
        """argparse pads an argument's name by its length in characters: a Chinese name (--sheet 工作表)
        took more columns than counted and pushed its help to the right. The padding is taken back; a
        name that then no longer fits has its help on the next line, as argparse does for long names."""
        text = super()._format_action(action)
        name = self._format_action_invocation(action)
        extra = display_width(name) - len(name)
        first, newline, rest = text.partition("\n")
        at = first.find(name)
        if not extra or not action.help or at < 0:
            return text
        after = first[at + len(name):]
        padding = len(after) - len(after.lstrip(" "))
        if not after.strip():
            return text  # the help is on the next line already
        if padding - extra >= 2:
            first = first[:at + len(name)] + after[extra:]
        else:
            help_position = min(self._action_max_length + 2, self._max_help_position)
            first = first[:at + len(name)] + "\n" + " " * help_position + after.lstrip(" ")
        return first + newline + rest


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
        return super().add_argument(*names, **_chinese_names(names, kwargs))

    def add_argument_group(self, *args, **kwargs):
        return _naming(super().add_argument_group(*args, **kwargs))

    def add_mutually_exclusive_group(self, **kwargs):
        return _naming(super().add_mutually_exclusive_group(**kwargs))

    def error(self, message: str):  # argparse's usage errors are input errors too
        self.print_usage(sys.stderr)
        self.exit(EXIT_REJECTED, f"{self.prog}: 参数错误：{chinese_error(message)}\n")


def _chinese_names(names: tuple[str, ...], kwargs: dict) -> dict:
    """Arguments are shown by Chinese names (用法：… roster import [--sheet 工作表] 文件), as the commands are."""
    if names and "metavar" not in kwargs and "choices" not in kwargs:  # choices show themselves
        if not names[0].startswith("-"):
            kwargs["metavar"] = POSITIONAL_NAMES.get(names[0], names[0])
        elif kwargs.get("action", "store") in ("store", "append"):
            long_name = next((n[2:] for n in names if n.startswith("--")), "")
            if long_name in OPTION_VALUES:
                kwargs["metavar"] = OPTION_VALUES[long_name]
    return kwargs


def _naming(group):
    """An argument group whose arguments get Chinese names too."""
    add = group.add_argument
    group.add_argument = lambda *names, **kwargs: add(*names, **_chinese_names(names, kwargs))
    return group


def _listed(names: str) -> str:
    """argparse's "'unit', 'roster'" or "--kind, --leader" as 甲、乙."""
    return "、".join(part.strip().strip("'") for part in names.split(", "))


# argparse's own error messages (Python 3.11 to 3.13), in Chinese; the names and values in them stay.
# Patterns, compiled (and cached by re) at the first error, not at every start of the program.
_ERRORS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
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


def chinese_error(message: str) -> str:
    """An argparse error message in Chinese; ours (already Chinese) and any it does not know stay as they are."""
    for pattern, say in _ERRORS:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return say(match)
    return message
