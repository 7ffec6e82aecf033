"""argparse speaking Chinese, for both programs' command lines (``qingqing`` and ``qingqing-cli``).

argparse's own words (usage, section titles, -h, its errors) are English; a clerk who types
``亲清填报 --help`` or mistypes an option reads them in Chinese like everything else.
"""

from __future__ import annotations

import argparse
import sys

EXIT_REJECTED = 2  # argparse's own code for a usage error


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

    def error(self, message: str):  # argparse's usage errors are input errors too
        self.print_usage(sys.stderr)
        self.exit(EXIT_REJECTED, f"{self.prog}: 参数错误：{message}\n")
