"""Campaigns (行动/批次): one round of the “三清单一承诺” filing under one policy template.

A campaign keeps a *snapshot* of its template's content, taken when it is
created: a template file edited (or deleted) later never changes the texts of a
campaign already under way. The snapshot has the same shape as a template file
(``forms/*.toml`` as parsed by tomllib), so it is read back through the same
validation (``domain.policy.template_from_dict``) and a campaign file shipped by
the discipline office can carry the full template in that shape too.

Also here: the one date format every filing field uses (``as_date``).
Pure: no I/O and no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import PolicyTemplate, SigningRule, template_from_dict
from qingqing_desktop.domain.text import quoted

# ----------------------------------------------------------------------------- dates

# Years outside this range are typing mistakes (0219, 20190), not real filings.
MIN_YEAR, MAX_YEAR = 2000, 2099
# Clerks write dates the way Chinese office documents do; all of these mean 2019-03-14.
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def as_date(value: dt.date | str | None, label: str) -> dt.date:
    """A date from the GUI (``date``) or typed text (2019-03-14, 2019/3/14, 2019年3月14日).

    Raises InputRejected naming the field ``label`` for anything else, so an
    invalid date is refused before anything is written.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        text = (value or "").strip()
        if not text:
            raise InputRejected("请填写日期（如 2019-03-14）。", Location(field=label))
        match = _DATE.match(text)
        if not match:
            raise InputRejected(f"“{text}”不是有效日期，请写成 2019-03-14 的形式。", Location(field=label))
        try:
            parsed = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise InputRejected(f"“{text}”不是有效日期（没有这一天）。", Location(field=label)) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InputRejected(f"日期“{parsed.isoformat()}”的年份不对，请检查。", Location(field=label))
    return parsed


def optional_date(value: dt.date | str | None, label: str) -> dt.date | None:
    """``as_date`` for a field that may stay empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_date(value, label)


def iso_or_none(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def date_or_none(text: str | None) -> dt.date | None:
    """The stored ISO text back as a date (the store only ever writes valid ones)."""
    return dt.date.fromisoformat(text) if text else None


# ----------------------------------------------------------------------------- campaign

MAX_TITLE_LENGTH = 100
MAX_FIELD_LENGTH = 60

CAMPAIGN_FIELDS = ("title", "document_number", "deadline", "recipient", "template_id", "template_version")
CAMPAIGN_FIELD_LABELS = {
    "title": "行动名称",
    "document_number": "文号",
    "deadline": "截止日期",
    "recipient": "报送对象",
    "template_id": "政策模板",
    "template_version": "模板版本",
}


@dataclass(frozen=True)
class Campaign:
    """One filing round. ``template`` is the snapshot taken at creation, not today's file."""

    id: str
    title: str
    document_number: str
    deadline: dt.date
    recipient: str
    template_id: str
    template_version: int
    template: PolicyTemplate
    created_at: str = ""

    @property
    def quoted_title(self) -> str:
        """The title in quotes for a sentence (行动“…”), its own quotes nested as ‘’."""
        return quoted(self.title)

    def days_left(self, today: dt.date) -> int:
        """Days until the deadline: 0 on the day itself, negative once it has passed."""
        return (self.deadline - today).days

    def deadline_text(self, today: dt.date) -> str:
        """“距截止还有 N 天” / “今天截止” / “已逾期 N 天”, for the window's header."""
        return deadline_text(self.days_left(today))


def deadline_text(days_left: int) -> str:
    if days_left > 0:
        return f"距截止还有 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"已逾期 {-days_left} 天"


def validate_campaign(*, title: str, document_number: str, recipient: str) -> dict[str, str]:
    """{field: Chinese message} for every invalid text field; empty when valid (dates are checked by ``as_date``)."""
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = "行动名称不能为空"
    elif len(title) > MAX_TITLE_LENGTH:
        problems["title"] = f"行动名称过长（不超过{MAX_TITLE_LENGTH}个字）"
    if len(document_number) > MAX_FIELD_LENGTH:
        problems["document_number"] = f"文号过长（不超过{MAX_FIELD_LENGTH}个字）"
    if not recipient.strip():
        problems["recipient"] = "报送对象不能为空"
    elif len(recipient) > MAX_FIELD_LENGTH:
        problems["recipient"] = f"报送对象过长（不超过{MAX_FIELD_LENGTH}个字）"
    return problems


# ----------------------------------------------------------------------------- template snapshot


def template_snapshot(template: PolicyTemplate) -> dict:
    """The template's content as a template-file-shaped dict (``extends`` already resolved).

    ``template_from_snapshot(template_snapshot(t))`` gives ``t`` back (apart from
    ``source``); the tests check this for every shipped template, so a field
    added to PolicyTemplate without being added here is noticed.
    """
    pledge, rule = template.pledge, template.signing_rule
    summary, check = template.summary_table, template.self_check
    return {
        "id": template.id,
        "name": template.name,
        "issuer": template.issuer,
        "document_number": template.document_number,
        "version": template.version,
        "submission": {
            "recipient": template.recipient,
            "deadline_wording": template.deadline_wording,
            "default_deadline": template.default_deadline,
        },
        "lists": [
            {"key": lst.key, "title": lst.title, "intro": lst.intro, "items": list(lst.items), "notes": list(lst.notes)}
            for lst in template.lists
        ],
        "pledge": {
            "attachment_label": template.pledge_attachment_label,
            "title": pledge.title,
            "scope": pledge.scope,
            "content": pledge.content,
            "preamble": pledge.preamble,
            "items": list(pledge.items),
            "closing": pledge.closing,
            "unit_post_label": pledge.unit_post_label,
            "signer_label": pledge.signer_label,
        },
        "signing_rule": signing_rule_snapshot(rule),
        "summary_table": {
            "attachment_label": summary.attachment_label,
            "title": summary.title,
            "columns": list(summary.columns),
            "unit_label": summary.unit_label,
            "instructions": summary.instructions,
        },
        "self_check": {
            "attachment_label": check.attachment_label,
            "title": check.title,
            "columns": list(check.columns),
            "unit_label": check.unit_label,
            "leader_label": check.leader_label,
            "rows": list(check.rows),
            "instructions": check.instructions,
        },
    }


def signing_rule_snapshot(rule: SigningRule) -> dict:
    """The rule as a template file writes it. ``all_staff`` and ``synonyms`` appear only when used,
    so that a template without them reads the same as before they existed (and a 任务包 carrying
    it stays readable by an older 亲清填报, see ``exchange.campaign_file``)."""
    snapshot = {
        "all_middle_cadres": rule.all_middle_cadres,
        "key_posts": list(rule.key_posts),
        "previously_submitted_exempt": rule.previously_submitted_exempt,
    }
    if rule.all_staff:
        snapshot["all_staff"] = True
    if rule.synonyms:
        snapshot["synonyms"] = {post: list(words) for post, words in rule.synonyms}
    return snapshot


def uses_rule_extensions(template: PolicyTemplate) -> bool:
    """Whether the template needs a reader that knows ``all_staff`` and ``synonyms``."""
    rule = template.signing_rule
    return rule.all_staff or bool(rule.synonyms)


def template_from_snapshot(data: dict, campaign_title: str) -> PolicyTemplate:
    """The template a campaign was created with, validated like a template file."""
    return template_from_dict(data, f"行动{quoted(campaign_title)}所存的政策模板")
