"""Policy template files (.toml): an office's template written out, and a template file read in.

The format is the one of the shipped ``forms/*.toml`` (see the comment at the top of
``forms/pingyang-2019.toml``), so a template exported here can be dropped into a
forms folder, and any forms file can be imported. What is written is the whole
template with ``extends`` resolved: the file stands on its own. Reading it back
with ``tomllib`` and ``domain.policy.template_from_dict`` gives the same template
(tests check this for every shipped one).

Python reads TOML (``tomllib``) but does not write it; the template's shape is
fixed and small — strings, booleans, an integer, arrays of strings, one table of
arrays and an array of tables — so it is written here rather than by a new
dependency. Strings are TOML basic strings; only ``\\``, ``"`` and control
characters are escaped, so the Chinese text stays readable in Notepad.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qingqing_desktop.domain.campaign import template_snapshot
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.store.atomic_file import write_bytes_atomic
from qingqing_desktop.store.policy_templates import TEMPLATE_SUFFIX, load_template

__all__ = ["TEMPLATE_SUFFIX", "template_toml", "write_template_file", "read_template_file", "template_file_name"]

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _comment(text: str) -> str:
    """Text fit for a comment line: a line break in it would end the comment."""
    return "".join(" " if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {_value(entry)},\n" for entry in value) + "]"
    raise TypeError(f"not written to a template file: {type(value).__name__}")


def _table(lines: list[str], header: str, table: dict) -> None:
    lines.append("")
    lines.append(header)
    for key, value in table.items():
        if not isinstance(value, dict):
            lines.append(f"{key} = {_value(value)}")


def template_toml(template: PolicyTemplate, *, exported_on: dt.date | None = None) -> str:
    """The template as the text of a template file."""
    data = template_snapshot(template)
    exported_on = exported_on or dt.date.today()
    lines = [
        f"# 政策模板：{_comment(template.name)}",
        f"# 由亲清填报导出（{chinese_date(exported_on)}），"
        "格式与程序自带的 forms/*.toml 相同。",
        "# 导入：在纪委（监察室）模式的“政策模板”页点“导入…”，或 qingqing-cli template import 本文件。",
        "# 清单条目和承诺事项不写序号，打印时自动编号。",
        "",
    ]
    for key in ("id", "name", "issuer", "document_number", "version"):
        lines.append(f"{key} = {_value(data[key])}")
    _table(lines, "[submission]", data["submission"])
    for policy_list in data["lists"]:
        _table(lines, "[[lists]]", policy_list)
    _table(lines, "[pledge]", data["pledge"])
    rule = data["signing_rule"]
    _table(lines, "[signing_rule]", rule)
    if rule.get("synonyms"):
        lines.append("")
        lines.append("# 重点岗位的其他叫法：人员名单中的岗位写作这些词时，也按该重点岗位须签订承诺书。")
        lines.append("[signing_rule.synonyms]")
        for post, words in rule["synonyms"].items():
            lines.append(f"{_string(post)} = {_value(words)}")
    _table(lines, "[summary_table]", data["summary_table"])
    _table(lines, "[self_check]", data["self_check"])
    return "\n".join(lines) + "\n"


def template_file_name(template: PolicyTemplate) -> str:
    """政策模板_<name>_第n版.toml, as the other exchange files are named: what a reviewer reads in a folder
    (the id, in pinyin initials, is inside the file)."""
    return f"政策模板_{file_name_part(template.name)}_第{template.version}版{TEMPLATE_SUFFIX}"


def write_template_file(target: Path, template: PolicyTemplate) -> Path:
    """Write the template file atomically (UTF-8, no BOM); ``target`` may be a folder."""
    target = Path(target)
    if target.is_dir():
        target = target / template_file_name(template)
    write_bytes_atomic(target, template_toml(template).encode("utf-8"))
    return target


def read_template_file(path: Path) -> PolicyTemplate:
    """A template file handed in for import, validated; its name need not be ``<id>.toml``.

    A file that ``extends`` another template gets that template's sections from the
    folder it lies in or from the shipped templates, as the forms folders do.
    Raises ``InputRejected`` naming the file, line or key at the first problem.
    """
    return load_template(Path(path), named_by_id=False)
