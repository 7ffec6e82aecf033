"""A policy template being written by the discipline office: its problems in words, its new id.

The template editor works on a *draft*: a dict of the shape a template file has once
``extends`` is resolved (``domain.campaign.template_snapshot``), which is also what
the database keeps and what a 任务包 carries. ``template_problems`` says everything
that is wrong with a draft at once, each problem tied to the place it belongs to
(``TemplateProblem.path``), so the editor can show it beside the field; the file
reader ``domain.policy.template_from_dict`` stops at the first problem and talks in
TOML keys, which suits a file and not a form.

Lists are tied to the 自查表 by their key: the list with key ``positive`` is checked
in row 1, ``negative`` in row 2 (``domain.selfcheck.LIST_ROWS``); the editor shows
that as a choice and ``list_key_for`` gives the key. Pure: no I/O and no Qt.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import MAX_FIELD_LENGTH, MAX_TITLE_LENGTH, template_snapshot
from qingqing_desktop.domain.policy import PolicyTemplate, post_key
from qingqing_desktop.domain.selfcheck import LIST_ROWS
from qingqing_desktop.domain.text import quoted

__all__ = [
    "TemplateProblem", "template_problems", "draft_from", "new_list", "list_key_for", "list_row",
    "new_template_id", "template_year", "LIST_ROW_LABELS", "describe_changes",
]

Path = tuple  # ("lists", 2, "items") — a place in the draft

# What a list's key means for the 自查表, in the editor's words.
LIST_ROW_LABELS = {1: "对照自查，问题记入自查表第1行", 2: "对照自查，问题记入自查表第2行"}
MAX_ID_LENGTH = 40


@dataclass(frozen=True)
class TemplateProblem:
    path: Path
    message: str


def draft_from(template: PolicyTemplate) -> dict:
    """An independent, editable copy of ``template`` as a draft."""
    return copy.deepcopy(template_snapshot(template))


def new_list(keys_taken: set[str]) -> dict:
    """An empty list for the editor to add (not tied to a 自查表 row)."""
    return {"key": list_key_for(None, keys_taken), "title": "", "intro": "", "items": [], "notes": []}


def list_row(key: str) -> int | None:
    """The 自查表 row a list is checked in, or None."""
    return LIST_ROWS.get(key)


def list_key_for(row: int | None, keys_taken: set[str], current: str = "") -> str:
    """The key for a list checked in 自查表 row ``row`` (None: not checked); ``current`` is kept when it fits."""
    if row is not None:
        return next(key for key, number in LIST_ROWS.items() if number == row)
    if current and current not in LIST_ROWS:
        return current
    number = 1
    while f"list-{number}" in keys_taken:
        number += 1
    return f"list-{number}"


_DOCUMENT_YEAR = re.compile(r"[〔［\[（(【]\s*((?:19|20)\d\d)\s*[〕］\]）)】]")


def template_year(document_number: str, today: dt.date) -> int:
    """The year a template's id carries: the one in its document number (平住建发〔2019〕27号 → 2019),
    as the shipped ids do (pingyang-2019), else this year."""
    found = _DOCUMENT_YEAR.search(document_number or "")
    return int(found.group(1)) if found else today.year


def new_template_id(issuer: str, year: int, taken: set[str]) -> str:
    """A template id from the issuer's pinyin initials and the year, unused so far: 湖北省住房和城乡建设厅 → hbszfhcxjst-2025."""
    from pypinyin import Style, lazy_pinyin  # its tables load slowly; only saving a new template needs them

    letters = "".join(part[:1] for part in lazy_pinyin(issuer, style=Style.NORMAL, errors="ignore"))
    slug = re.sub(r"[^a-z0-9]", "", letters.lower())[: MAX_ID_LENGTH - 8] or "template"
    base = f"{slug}-{year}"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


# --------------------------------------------------------------------------- problems


def _text(data: dict, *keys) -> str:
    value = data
    for key in keys:
        value = value.get(key, "") if isinstance(value, dict) else ""
    return value.strip() if isinstance(value, str) else ""


def _entries(data: dict, *keys) -> list[str]:
    value = data
    for key in keys:
        value = value.get(key, []) if isinstance(value, dict) else []
    return [entry if isinstance(entry, str) else "" for entry in value] if isinstance(value, list) else []


class _Problems:
    def __init__(self):
        self.found: list[TemplateProblem] = []

    def add(self, path: Path, message: str) -> None:
        self.found.append(TemplateProblem(path, message))

    def required(self, data: dict, path: Path, message: str, *, limit: int = 0, label: str = "") -> None:
        text = _text(data, *path)
        if not text:
            self.add(path, message)
        elif limit and len(text) > limit:
            self.add(path, f"{label}过长：{len(text)}个字，最多{limit}个字。")

    def entries(self, data: dict, path: Path, what: str, *, empty_message: str = "", at: Path = ()) -> None:
        """Every entry of a text list filled in and none twice; ``empty_message`` when there must be one.

        ``at``: where ``data`` itself sits in the draft (a list of the lists)."""
        values = _entries(data, *path)
        path = (*at, *path)
        if not values and empty_message:
            self.add(path, empty_message)
        seen: dict[str, int] = {}
        for number, value in enumerate(values, start=1):
            if not value.strip():
                self.add(path, f"{what}第{number}条是空的：请填写或删除。")
                continue
            first = seen.setdefault(value.strip(), number)
            if first != number:
                self.add(path, f"{what}第{number}条与第{first}条相同。")


def template_problems(data: dict) -> list[TemplateProblem]:
    """Everything wrong with a draft, in words, in the order the editor shows its parts; [] when it can be saved."""
    problems = _Problems()
    problems.required(data, ("name",), "请填写模板名称（印在行动名称中，如“××局“三清单一承诺”行动”）。",
                      limit=MAX_TITLE_LENGTH, label="模板名称")
    problems.required(data, ("issuer",), "请填写发文单位（如“××县住房和城乡建设局”）。", limit=MAX_FIELD_LENGTH,
                      label="发文单位")
    if len(_text(data, "document_number")) > MAX_FIELD_LENGTH:
        problems.add(("document_number",), f"文号过长（最多{MAX_FIELD_LENGTH}个字）。")
    problems.required(data, ("submission", "recipient"), "请填写报送对象（如“局机关纪委（监察室）”）。",
                      limit=MAX_FIELD_LENGTH, label="报送对象")
    _list_problems(problems, data)
    _pledge_problems(problems, data)
    _rule_problems(problems, data)
    for section, name in (("summary_table", "汇总表"), ("self_check", "自查表")):
        problems.required(data, (section, "attachment_label"), f"{name}缺少附件编号（如“附件2”）。")
        problems.required(data, (section, "title"), f"{name}缺少标题。")
        problems.required(data, (section, "unit_label"), f"{name}缺少填写单位名称的一栏（如“单位（盖章）：”）。")
    problems.required(data, ("self_check", "leader_label"), "自查表缺少单位负责人签名的一栏（如“单位负责人签名：”）。")
    rows = _entries(data, "self_check", "rows")
    for number, row in enumerate(rows, start=1):
        if not row.strip():
            problems.add(("self_check", "rows", number - 1), f"自查表第{number}行的项目内容是空的。")
    return problems.found


def _list_problems(problems: _Problems, data: dict) -> None:
    lists = data.get("lists") if isinstance(data.get("lists"), list) else []
    if not lists:
        problems.add(("lists",), "至少要有一张清单。")
    titles: dict[str, int] = {}
    rows: dict[int, int] = {}
    for index, policy_list in enumerate(lists):
        number = index + 1
        title = _text(policy_list, "title")
        name = quoted(title) if title else f"第{number}张清单"  # its own quotes nested as ‘’
        if not title:
            problems.add(("lists", index, "title"), f"第{number}张清单没有标题。")
        elif titles.setdefault(title, number) != number:
            problems.add(("lists", index, "title"), f"第{number}张清单与第{titles[title]}张清单标题相同。")
        problems.entries(policy_list, ("items",), name, at=("lists", index),
                         empty_message=f"{name}一条也没有：请添加条目，或把通知中的条文粘贴进来。")
        problems.entries(policy_list, ("notes",), f"{name}的说明", at=("lists", index))
        row = list_row(str(policy_list.get("key", "")))
        if row is not None and rows.setdefault(row, number) != number:
            problems.add(("lists", index, "key"), f"第{rows[row]}张和第{number}张清单都记入自查表第{row}行：每行只能对应一张清单。")


def _pledge_problems(problems: _Problems, data: dict) -> None:
    problems.required(data, ("pledge", "attachment_label"), "承诺书缺少附件编号（如“附件1”）。")
    problems.required(data, ("pledge", "title"), "承诺书缺少标题。")
    problems.required(data, ("pledge", "preamble"), "承诺书缺少正文开头（“本人……郑重承诺如下：”）。")
    problems.entries(data, ("pledge", "items"), "承诺事项", empty_message="承诺书一条承诺事项也没有。")
    problems.required(data, ("pledge", "unit_post_label"),
                      "承诺书缺少填写“承诺人单位及职务”的空栏：签订的人无处写明单位和职务。")
    problems.required(data, ("pledge", "signer_label"), "承诺书缺少“承诺人”签名的空栏：签订的人无处签名。")
    problems.required(data, ("pledge", "scope"), "请写明承诺对象（哪些人签订承诺书，印在行动方案中）。")
    problems.required(data, ("pledge", "content"), "请写明承诺内容（一句话概括承诺什么）。")


def _rule_problems(problems: _Problems, data: dict) -> None:
    rule = data.get("signing_rule") if isinstance(data.get("signing_rule"), dict) else {}
    posts = _entries(data, "signing_rule", "key_posts")
    names: dict[str, str] = {}  # a post or synonym as compared → the key post it names
    for number, post in enumerate(posts, start=1):
        if not post.strip():
            problems.add(("signing_rule", "key_posts"), f"第{number}个重点岗位是空的：请填写或删除。")
        elif post_key(post) in names:
            problems.add(("signing_rule", "key_posts"), f"重点岗位“{post.strip()}”写了两次。")
        else:
            names[post_key(post)] = post
    synonyms = rule.get("synonyms") if isinstance(rule.get("synonyms"), dict) else {}
    for post, words in synonyms.items():
        if post not in posts:
            problems.add(("signing_rule", "synonyms"), f"“{post}”已不是重点岗位，请删除它的同义词。")
            continue
        for word in words if isinstance(words, list) else []:
            key = post_key(str(word))
            if not key:
                continue
            if key not in names:
                names[key] = post
                continue
            named = names[key]
            if named == post and key == post_key(post):
                message = f"“{word}”就是重点岗位“{post}”本身，不必写作同义词。"
            elif named == post:
                message = f"“{post}”的同义词“{word}”写了两次。"
            else:
                message = f"“{word}”已是重点岗位“{named}”的名称或同义词，不能再作“{post}”的同义词。"
            problems.add(("signing_rule", "synonyms"), message)
    if not rule.get("all_middle_cadres") and not rule.get("all_staff") and not [p for p in posts if p.strip()]:
        problems.add(("signing_rule", "key_posts"),
                     "按现在的设置没有任何人需要签订承诺书：请选择须签订的人员，或列出重点岗位。")


# --------------------------------------------------------------------------- what changed, in words

_SECTION_WORDS = {
    "submission": "报送要求", "pledge": "承诺书", "signing_rule": "签订范围", "summary_table": "汇总表",
    "self_check": "自查表",
}
_KEY_WORDS = {
    "id": "模板编号", "name": "模板名称", "issuer": "发文单位", "document_number": "文号", "version": "版本",
    "recipient": "报送对象", "deadline_wording": "报送时限的写法", "default_deadline": "默认截止日期",
    "key": "自查表对照", "title": "标题", "intro": "引言", "items": "条目", "notes": "说明",
    "attachment_label": "附件编号", "scope": "承诺对象", "content": "承诺内容", "preamble": "正文开头",
    "closing": "结尾", "unit_post_label": "单位及职务栏", "signer_label": "签名栏",
    "all_middle_cadres": "中层干部全部签订", "all_staff": "一般工作人员全部签订", "key_posts": "重点岗位",
    "synonyms": "重点岗位同义词", "previously_submitted_exempt": "此前已上交者不再签订", "columns": "栏目",
    "unit_label": "单位栏", "leader_label": "负责人签名栏", "rows": "项目内容", "instructions": "填报说明",
}


def _flat(data: dict) -> dict[str, object]:
    """Every leaf of a draft under a readable name (“承诺书 · 条目”, “清单2 · 标题”)."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        if key == "lists" and isinstance(value, list):
            for number, policy_list in enumerate(value, start=1):
                for list_key, list_value in policy_list.items():
                    flat[f"清单{number} · {_KEY_WORDS.get(list_key, list_key)}"] = list_value
            flat["清单数"] = len(value)
        elif isinstance(value, dict):
            for inner_key, inner_value in value.items():
                flat[f"{_SECTION_WORDS.get(key, key)} · {_KEY_WORDS.get(inner_key, inner_key)}"] = inner_value
        else:
            flat[_KEY_WORDS.get(key, key)] = value
    return flat


def _shown(value: object) -> object:
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}：{'、'.join(words)}" for key, words in value.items())
    return value


def describe_changes(old: dict, new: dict) -> dict[str, tuple[object, object]]:
    """{readable field: (old, new)} for the audit log; list values as one entry a line."""
    before, after = _flat(old), _flat(new)
    return {
        name: (_shown(before.get(name)), _shown(after.get(name)))
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }
