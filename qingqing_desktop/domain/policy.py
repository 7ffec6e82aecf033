"""Policy templates (政策模板): the texts and tables of one place's “三清单一承诺”.

Every place issues the policy in its own words (seeds 000–004): the lists, the
pledge, the two tables and the rule of who must sign differ. They are therefore
data — one TOML file per jurisdiction under ``forms/`` — and this module turns
such data (already parsed into a dict) into frozen dataclasses, refusing
anything incomplete with a Chinese message that names the TOML key.

Pure: no I/O and no Qt. Reading files and resolving ``extends`` by id is done
by ``qingqing_desktop.store.policy_templates``; the merge rule itself is here
(``merge_inherited``) so it can be tested without files.

Texts are kept exactly as issued (punctuation included); numbering such as
（1） or 1． is not part of the data and is added when displayed or printed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from qingqing_desktop.domain.errors import InputRejected, Location

# Sections a template may take from the template it ``extends``. Identity keys
# (id, name, issuer, document_number, version) are never inherited: a child
# silently carrying its parent's document number would print the wrong 文号.
INHERITABLE_SECTIONS = ("lists", "submission", "pledge", "signing_rule", "summary_table", "self_check")

# Table headings keep a fixed meaning (the SelfCheck/PledgeRecord fields fill
# them by position), so a template may reword them but not add or drop any.
SUMMARY_COLUMN_MEANINGS = ("序号", "姓名", "职务", "工作岗位", "是否党员")
SELF_CHECK_COLUMN_MEANINGS = ("项目内容", "存在问题", "整改措施", "责任人", "整改时限")
SELF_CHECK_ROW_COUNT = 3

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SPACES = re.compile(r"[\s\u3000]+")

_TOP_KEYS = {"id", "name", "issuer", "document_number", "version", "extends", *INHERITABLE_SECTIONS}
_SECTION_LABELS = {
    "lists": "清单",
    "submission": "报送要求",
    "pledge": "承诺书",
    "signing_rule": "承诺书签订范围",
    "summary_table": "汇总表（附件2）",
    "self_check": "自查表（附件3）",
}


@dataclass(frozen=True)
class PolicyList:
    """One list (正面清单, 负面清单, 引导清单 …).

    ``intro`` is the text between the title and the items, ``notes`` the
    paragraphs after the items (e.g. the approval note under the 正面清单).
    """

    key: str
    title: str
    intro: str
    items: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pledge:
    """附件1: the pledge letter, and the scope/content sentences of the plan that define it."""

    title: str
    preamble: str
    items: tuple[str, ...]
    closing: str
    unit_post_label: str
    signer_label: str
    scope: str
    content: str


def post_key(post: str) -> str:
    """A post as compared: NFKC, without any spaces (clerks pad and mix full-width characters)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", post or ""))


@dataclass(frozen=True)
class SigningRule:
    """Who must sign the pledge: all middle cadres, and staff in the key posts (or all staff).

    ``synonyms`` names other words a roster may use for a key post (“审批窗口” for
    行政审批): ``((key post, (synonym, …)), …)`` in the template's order.
    """

    all_middle_cadres: bool
    key_posts: tuple[str, ...]
    previously_submitted_exempt: bool
    all_staff: bool = False
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def synonyms_of(self, key_post: str) -> tuple[str, ...]:
        for post, words in self.synonyms:
            if post == key_post:
                return words
        return ()

    def who_must_sign(self) -> str:
        """Who must sign, in words (“全体中层干部和重点岗位的一般工作人员”), as the pages and
        the template list say it; "" when the rule names nobody."""
        who = []
        if self.all_middle_cadres:
            who.append("全体中层干部")
        if self.all_staff:
            who.append("全体一般工作人员")
        elif self.key_posts:
            who.append("重点岗位的一般工作人员")
        return "和".join(who)

    def is_key_post(self, post: str) -> str | None:
        """The key post a free-text post names (“负责质量监管工作” → “质量监管”), else None.

        Clerks type posts freely, with padding spaces or full-width characters;
        those are ignored. A synonym names its key post. When several key posts
        are named, the longest match wins (so a longer post is never hidden by a
        shorter one inside it), then the one written first.
        """
        post = post or ""
        answers = self._key_post_answers
        try:
            return answers[post]
        except KeyError:
            if len(answers) >= _KEY_POST_ANSWERS_KEPT:
                answers.clear()
            answer = answers[post] = _named_key_post(self, post)
            return answer

    @functools.cached_property
    def _key_post_answers(self) -> dict[str, str | None]:
        """This rule's answers by post, kept on the rule itself (not a field: not compared, hashed or
        saved). A cache keyed by (rule, post) hashed the whole rule — every key post and synonym — at
        each question, and the import preview asks for every cell it shows."""
        return {}


_KEY_POST_ANSWERS_KEPT = 4096  # a roster of thousands has a few dozen different posts


def _named_key_post(rule: SigningRule, post: str) -> str | None:
    text = post_key(post)
    if not text:
        return None
    best: tuple[int, int, str] | None = None
    for key_post in rule.key_posts:
        for word in (key_post, *rule.synonyms_of(key_post)):
            needle = post_key(word)
            position = text.find(needle) if needle else -1
            if position < 0:
                continue
            rank = (-len(needle), position, key_post)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


@dataclass(frozen=True)
class SummaryTable:
    """附件2 承诺书签订情况汇总表."""

    attachment_label: str
    title: str
    columns: tuple[str, ...]
    unit_label: str
    instructions: str


@dataclass(frozen=True)
class SelfCheckTable:
    """附件3 “三清单一承诺”自查表: three fixed rows × the finding columns."""

    attachment_label: str
    title: str
    columns: tuple[str, ...]
    unit_label: str
    leader_label: str
    rows: tuple[str, str, str]
    instructions: str


@dataclass(frozen=True)
class PolicyTemplate:
    id: str
    name: str
    issuer: str
    document_number: str
    version: int
    source: str
    lists: tuple[PolicyList, ...]
    pledge: Pledge
    signing_rule: SigningRule
    summary_table: SummaryTable
    self_check: SelfCheckTable
    pledge_attachment_label: str
    recipient: str
    deadline_wording: str
    default_deadline: str
    extends: str = ""

    def list_by_key(self, key: str) -> PolicyList | None:
        for policy_list in self.lists:
            if policy_list.key == key:
                return policy_list
        return None


# --------------------------------------------------------------------------- merging


def merge_inherited(parent: Mapping, child: Mapping) -> dict:
    """The child's data completed by its parent's (both already resolved upwards).

    A section the child lacks is taken whole; a section both define is merged
    key by key with the child winning, so a child can change one sentence
    (``[self_check] instructions = ""``) without copying the section. ``lists``
    is an array and is replaced whole: merging lists item by item would mix two
    places' wording. Keys outside the sections are the child's own.
    """
    merged = dict(child)
    for section in INHERITABLE_SECTIONS:
        if section not in parent:
            continue
        if section not in child:
            merged[section] = parent[section]
        elif isinstance(parent[section], Mapping) and isinstance(child[section], Mapping):
            merged[section] = {**parent[section], **child[section]}
    return merged


# --------------------------------------------------------------------------- validation


class _Reader:
    """Typed access to the parsed TOML, raising InputRejected that names the key."""

    def __init__(self, source: str, inherited_from: str):
        self.source = source
        self.inherited_from = inherited_from

    def fail(self, key: str, message: str) -> InputRejected:
        return InputRejected(message, Location(file=self.source, field=key))

    def section(self, data: Mapping, name: str) -> Mapping:
        if name not in data:
            label = _SECTION_LABELS[name]
            header = "[[lists]]" if name == "lists" else f"[{name}]"
            if self.inherited_from:
                hint = f"所继承的模板“{self.inherited_from}”中也没有这一部分"
            else:
                hint = "请补上这一部分，或在文件开头写 extends = \"pingyang-2019\" 继承默认模板的这一部分"
            raise self.fail(name, f"缺少“{header}”部分（{label}）：{hint}。")
        value = data[name]
        if not isinstance(value, Mapping):
            raise self.fail(name, f"应是一个表（[{name}]），现在是{_type_name(value)}。")
        self.unknown_keys(value, name, _SECTION_KEYS[name])
        return value

    def unknown_keys(self, table: Mapping, prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                where = f"{prefix}.{key}" if prefix else key
                known = "、".join(sorted(allowed))
                raise self.fail(where, f"不认识的键“{key}”（可能是拼写错误）；这里可用的键：{known}。")

    def string(self, table: Mapping, key: str, prefix: str, *, required: bool = True, default: str = "") -> str:
        where = f"{prefix}.{key}" if prefix else key
        if key not in table:
            if required:
                raise self.fail(where, "缺少这一项。")
            return default
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(where, f"应是文字（用英文引号括起来），现在是{_type_name(value)}。")
        value = value.strip()
        if required and not value:
            raise self.fail(where, "不能为空。")
        return value

    def boolean(self, table: Mapping, key: str, prefix: str) -> bool:
        where = f"{prefix}.{key}"
        if key not in table:
            raise self.fail(where, "缺少这一项（true 或 false）。")
        value = table[key]
        if not isinstance(value, bool):
            raise self.fail(where, f"应是 true 或 false，现在是{_type_name(value)}。")
        return value

    def strings(
        self, table: Mapping, key: str, prefix: str, *, required: bool = True, allow_empty: bool = False
    ) -> tuple[str, ...]:
        where = f"{prefix}.{key}"
        if key not in table:
            if required:
                raise self.fail(where, "缺少这一项（文字列表，如 [\"……\", \"……\"]）。")
            return ()
        value = table[key]
        if not isinstance(value, list):
            raise self.fail(where, f"应是文字列表（[\"……\", \"……\"]），现在是{_type_name(value)}。")
        result = []
        for index, entry in enumerate(value, start=1):
            if not isinstance(entry, str):
                raise self.fail(where, f"第{index}项应是文字，现在是{_type_name(entry)}。")
            if not entry.strip():
                raise self.fail(where, f"第{index}项是空的。")
            result.append(entry.strip())
        if not result and not allow_empty:
            raise self.fail(where, "至少要有一项。")
        return tuple(result)


_SECTION_KEYS = {
    "submission": {"recipient", "deadline_wording", "default_deadline"},
    "pledge": {
        "attachment_label",
        "title",
        "scope",
        "content",
        "preamble",
        "items",
        "closing",
        "unit_post_label",
        "signer_label",
    },
    "signing_rule": {"all_middle_cadres", "all_staff", "key_posts", "synonyms", "previously_submitted_exempt"},
    "summary_table": {"attachment_label", "title", "columns", "unit_label", "instructions"},
    "self_check": {"attachment_label", "title", "columns", "unit_label", "leader_label", "rows", "instructions"},
}
_LIST_KEYS = {"key", "title", "intro", "items", "notes"}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, Mapping):
        return "表"
    if isinstance(value, _dt.date | _dt.time):
        return "日期/时间"
    return type(value).__name__


def template_from_dict(data: Mapping, source: str) -> PolicyTemplate:
    """Validate parsed (and already ``extends``-merged) template data.

    ``source`` names the file in messages and is kept as ``PolicyTemplate.source``.
    Raises ``InputRejected`` naming the TOML key at the first problem.
    """
    if not isinstance(data, Mapping):
        raise InputRejected("模板内容应是一个TOML表。", Location(file=source))
    extends = data.get("extends", "")
    reader = _Reader(source, extends if isinstance(extends, str) else "")
    reader.unknown_keys(data, "", _TOP_KEYS)

    template_id = reader.string(data, "id", "")
    if not _ID_PATTERN.match(template_id):
        raise reader.fail(
            "id", f"模板编号“{template_id}”只能用小写英文字母、数字和连字符“-”，且以字母或数字开头（如 pingyang-2019）。"
        )
    extends = reader.string(data, "extends", "", required=False)
    name = reader.string(data, "name", "")
    issuer = reader.string(data, "issuer", "")
    document_number = reader.string(data, "document_number", "", required=False)
    if "version" not in data:
        raise reader.fail("version", "缺少模板版本号（正整数，如 1）。")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise reader.fail("version", f"模板版本号应是正整数（如 1），现在是“{version}”。")

    lists = _read_lists(reader, data)
    submission = reader.section(data, "submission")
    recipient = reader.string(submission, "recipient", "submission")
    deadline_wording = reader.string(submission, "deadline_wording", "submission", required=False)
    default_deadline = _read_date(reader, submission)
    pledge_data = reader.section(data, "pledge")
    pledge = Pledge(
        title=reader.string(pledge_data, "title", "pledge"),
        preamble=reader.string(pledge_data, "preamble", "pledge"),
        items=reader.strings(pledge_data, "items", "pledge"),
        closing=reader.string(pledge_data, "closing", "pledge", required=False),
        unit_post_label=reader.string(pledge_data, "unit_post_label", "pledge"),
        signer_label=reader.string(pledge_data, "signer_label", "pledge"),
        scope=reader.string(pledge_data, "scope", "pledge"),
        content=reader.string(pledge_data, "content", "pledge"),
    )
    pledge_attachment_label = reader.string(pledge_data, "attachment_label", "pledge")
    signing_rule = _read_signing_rule(reader, data)
    summary_table = _read_summary_table(reader, data)
    self_check = _read_self_check(reader, data)

    return PolicyTemplate(
        id=template_id,
        name=name,
        issuer=issuer,
        document_number=document_number,
        version=version,
        source=source,
        lists=lists,
        pledge=pledge,
        signing_rule=signing_rule,
        summary_table=summary_table,
        self_check=self_check,
        pledge_attachment_label=pledge_attachment_label,
        recipient=recipient,
        deadline_wording=deadline_wording,
        default_deadline=default_deadline,
        extends=extends,
    )


def _read_lists(reader: _Reader, data: Mapping) -> tuple[PolicyList, ...]:
    if "lists" not in data:
        reader.section(data, "lists")  # raises the "missing section" message
    raw = data["lists"]
    if not isinstance(raw, list) or not all(isinstance(entry, Mapping) for entry in raw):
        raise reader.fail("lists", "应写成一个或多个 [[lists]] 表。")
    if not raw:
        raise reader.fail("lists", "至少要有一个 [[lists]] 清单。")
    result: list[PolicyList] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        prefix = f"lists[{index}]"
        reader.unknown_keys(entry, prefix, _LIST_KEYS)
        key = reader.string(entry, "key", prefix)
        if not _ID_PATTERN.match(key):
            raise reader.fail(f"{prefix}.key", f"清单标识“{key}”只能用小写英文字母、数字和连字符（如 positive）。")
        if key in seen:
            raise reader.fail(f"{prefix}.key", f"清单标识“{key}”重复；每个清单的 key 必须不同。")
        seen.add(key)
        result.append(
            PolicyList(
                key=key,
                title=reader.string(entry, "title", prefix),
                intro=reader.string(entry, "intro", prefix, required=False),
                items=reader.strings(entry, "items", prefix),
                notes=reader.strings(entry, "notes", prefix, required=False, allow_empty=True),
            )
        )
    return tuple(result)


def _read_date(reader: _Reader, submission: Mapping) -> str:
    """``default_deadline`` as an ISO date string, or "" when the policy names none.

    Accepted as a TOML date (2019-03-14) or a string ("2019-03-14" or "").
    """
    where = "submission.default_deadline"
    value = submission.get("default_deadline", "")
    if isinstance(value, _dt.datetime):
        raise reader.fail(where, "只写日期，不要写时间（如 2019-03-14）。")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise reader.fail(where, f"应是日期（如 2019-03-14）或空文字 \"\"，现在是{_type_name(value)}。")
    value = value.strip()
    if not value:
        return ""
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise reader.fail(where, f"“{value}”不是有效日期，应写成 2019-03-14 的形式。") from None


def _read_signing_rule(reader: _Reader, data: Mapping) -> SigningRule:
    section = reader.section(data, "signing_rule")
    key_posts = reader.strings(section, "key_posts", "signing_rule", allow_empty=True)
    duplicates = sorted({post for post in key_posts if [post_key(p) for p in key_posts].count(post_key(post)) > 1})
    if duplicates:
        raise reader.fail("signing_rule.key_posts", f"重点岗位重复：{'、'.join(duplicates)}。")
    all_middle_cadres = reader.boolean(section, "all_middle_cadres", "signing_rule")
    all_staff = reader.boolean(section, "all_staff", "signing_rule") if "all_staff" in section else False
    if not all_middle_cadres and not all_staff and not key_posts:
        raise reader.fail(
            "signing_rule", "按此规则没有任何人需要签订承诺书：请设 all_middle_cadres = true 或列出 key_posts。"
        )
    return SigningRule(
        all_middle_cadres=all_middle_cadres,
        key_posts=key_posts,
        previously_submitted_exempt=reader.boolean(section, "previously_submitted_exempt", "signing_rule"),
        all_staff=all_staff,
        synonyms=_read_synonyms(reader, section, key_posts),
    )


def _read_synonyms(reader: _Reader, section: Mapping, key_posts: tuple[str, ...]) -> tuple:
    """``[signing_rule.synonyms]``: key post = ["other word", …]; each word names one key post only."""
    where = "signing_rule.synonyms"
    raw = section.get("synonyms", {})
    if not isinstance(raw, Mapping):
        raise reader.fail(where, f"应是一个表（重点岗位 = [\"同义词\", …]），现在是{_type_name(raw)}。")
    owner = {post_key(post): post for post in key_posts}
    result = []
    for key_post, words in raw.items():
        if key_post not in key_posts:
            raise reader.fail(f"{where}.{key_post}", f"“{key_post}”不在重点岗位（key_posts）中，不能为它设同义词。")
        words = reader.strings(raw, key_post, where, allow_empty=True)
        for word in words:
            first = owner.get(post_key(word))
            if first is not None:
                same = "就是这个重点岗位本身" if first == key_post else f"已经是“{first}”的名称或同义词"
                raise reader.fail(f"{where}.{key_post}", f"同义词“{word}”{same}，只能写一次。")
            owner[post_key(word)] = key_post
        if words:
            result.append((key_post, words))
    return tuple(result)


def _fixed_columns(reader: _Reader, section: Mapping, prefix: str, meanings: tuple[str, ...]) -> tuple[str, ...]:
    columns = reader.strings(section, "columns", prefix)
    if len(columns) != len(meanings):
        raise reader.fail(
            f"{prefix}.columns",
            f"应正好有{len(meanings)}栏（依次对应：{'、'.join(meanings)}），现在有{len(columns)}栏。",
        )
    return columns


def _read_summary_table(reader: _Reader, data: Mapping) -> SummaryTable:
    prefix = "summary_table"
    section = reader.section(data, prefix)
    return SummaryTable(
        attachment_label=reader.string(section, "attachment_label", prefix),
        title=reader.string(section, "title", prefix),
        columns=_fixed_columns(reader, section, prefix, SUMMARY_COLUMN_MEANINGS),
        unit_label=reader.string(section, "unit_label", prefix),
        instructions=reader.string(section, "instructions", prefix, required=False),
    )


def _read_self_check(reader: _Reader, data: Mapping) -> SelfCheckTable:
    prefix = "self_check"
    section = reader.section(data, prefix)
    rows = reader.strings(section, "rows", prefix)
    if len(rows) != SELF_CHECK_ROW_COUNT:
        raise reader.fail(
            f"{prefix}.rows",
            f"应正好有{SELF_CHECK_ROW_COUNT}行（正面清单、负面清单、制度缺陷各一行），现在有{len(rows)}行。",
        )
    return SelfCheckTable(
        attachment_label=reader.string(section, "attachment_label", prefix),
        title=reader.string(section, "title", prefix),
        columns=_fixed_columns(reader, section, prefix, SELF_CHECK_COLUMN_MEANINGS),
        unit_label=reader.string(section, "unit_label", prefix),
        leader_label=reader.string(section, "leader_label", prefix),
        rows=(rows[0], rows[1], rows[2]),
        instructions=reader.string(section, "instructions", prefix, required=False),
    )
