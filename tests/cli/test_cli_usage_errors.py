"""A mistyped command line is answered in Chinese — argparse's own messages included — and exits with 2."""

from __future__ import annotations

import re

import pytest

from qingqing_desktop.arguments import chinese_error, display_width
from qingqing_desktop.cli import main

ARGPARSE_WORDS = re.compile(r"argument|invalid|choose from|required|unrecognized|expected|ambiguous|allowed")


@pytest.mark.parametrize(("command", "said"), [
    (["sample"], "参数错误：命令：没有“sample”这一项（可选：unit、roster、backup"),
    (["unit", "set", "--name", "规划科"], "unit set: 参数错误：缺少必填的参数：--kind、--leader"),
    (["unit", "show", "--bogus"], "参数错误：无法识别的参数：--bogus"),
    (["unit", "set", "--name"], "参数错误：--name：后面要跟一个值"),
    (["roster", "import"], "roster import: 参数错误：缺少必填的参数：文件"),  # not “file”
    (["campaign", "use"], "campaign use: 参数错误：缺少必填的参数：编号"),
    (["selfcheck", "add", "--row", "x", "--problem", "p", "--measure", "m", "--owner", "o", "--due", "2027-01-01"],
     "参数错误：--row：无效的值：'x'"),
    (["selfcheck", "add", "--row", "5", "--problem", "p", "--measure", "m", "--owner", "o", "--due", "2027-01-01"],
     "参数错误：--row：没有“5”这一项（可选：1、2、3）"),
])
def test_usage_errors_speak_chinese(tmp_path, capsys, command, said):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "unit.sqlite3"), *command])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert said in error
    assert not ARGPARSE_WORDS.search(error), error
    assert not (tmp_path / "unit.sqlite3").exists()  # refused before anything was opened


def test_messages_already_in_chinese_and_unknown_ones_stay_as_they_are():
    assert chinese_error("日期格式应为 2026-12-31") == "日期格式应为 2026-12-31"
    assert chinese_error("something argparse may say one day") == "something argparse may say one day"
    assert chinese_error("argument --due: 日期格式应为 2026-12-31") == "--due：日期格式应为 2026-12-31"
    assert chinese_error("one of the arguments --staff --all is required") == "须给出其中之一：--staff、--all"
    assert chinese_error("argument --all: not allowed with argument --staff") == "--all：不能与 --staff 同时使用"


def test_a_positional_argument_is_shown_by_its_chinese_name_in_the_help(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--db", str(tmp_path / "unit.sqlite3"), "roster", "import", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("用法：qingqing-cli roster import") and "\n  文件  " in shown
    assert not re.search(r"\bfile\b", shown)


@pytest.mark.parametrize("command", [["roster", "import"], ["selfcheck", "add"], ["unit", "set"], ["campaign", "create"]])
def test_help_names_values_in_chinese_and_lines_up_in_a_terminal(tmp_path, capsys, command):
    """A Chinese character takes two columns: argparse counted one, and pushed the help of --sheet 工作表
    and the like to the right of the others."""
    with pytest.raises(SystemExit):
        main(["--db", str(tmp_path / "unit.sqlite3"), *command, "--help"])
    shown = capsys.readouterr().out
    assert not re.search(r"--[a-z-]+ [A-Z_]{2,}", shown)  # no --sheet SHEET, --owner OWNER
    columns = {display_width(m[1]) for m in re.finditer(r"^(  \S.*?\S  +)\S", shown, re.MULTILINE)}
    assert len(columns) == 1, shown
