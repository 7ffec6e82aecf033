"""Campaign rules: dates as clerks type them, the deadline countdown, the template snapshot."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from qingqing_desktop.domain.campaign import (
    as_date,
    deadline_text,
    optional_date,
    template_from_snapshot,
    template_snapshot,
    validate_campaign,
)
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.store.policy_templates import available_templates


@pytest.mark.parametrize("text", ["2019-03-14", "2019/3/14", "2019.03.14", "2019年3月14日", " 2019-3-14 "])
def test_dates_are_accepted_as_office_documents_write_them(text):
    assert as_date(text, "截止日期") == dt.date(2019, 3, 14)


def test_a_date_object_passes_through_and_a_datetime_loses_its_time():
    assert as_date(dt.date(2019, 3, 14), "x") == dt.date(2019, 3, 14)
    assert as_date(dt.datetime(2019, 3, 14, 9, 30), "x") == dt.date(2019, 3, 14)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-02-30", "没有这一天"),
        ("14/03/2019", "不是有效日期"),
        ("明天", "不是有效日期"),
        ("", "请填写日期"),
        ("0219-03-14", "年份不对"),
    ],
)
def test_invalid_dates_are_refused_naming_the_field(text, message):
    with pytest.raises(InputRejected, match=message) as caught:
        as_date(text, "整改时限")
    assert caught.value.location.field == "整改时限"
    assert "整改时限" in str(caught.value)


def test_an_optional_date_may_stay_empty():
    assert optional_date(None, "x") is None
    assert optional_date("  ", "x") is None
    assert optional_date("2019-3-5", "x") == dt.date(2019, 3, 5)


def test_deadline_countdown_wording():
    assert deadline_text(9) == "距截止还有 9 天"
    assert deadline_text(0) == "今天截止"
    assert deadline_text(-3) == "已逾期 3 天"


def test_campaign_texts_are_validated():
    assert validate_campaign(title="2019年行动", document_number="平住建发〔2019〕27号", recipient="局机关纪委（监察室）") == {}
    problems = validate_campaign(title=" ", document_number="x" * 61, recipient="")
    assert set(problems) == {"title", "document_number", "recipient"}


@pytest.mark.parametrize("template", available_templates(), ids=lambda t: t.id)
def test_every_shipped_template_survives_the_snapshot_round_trip(template):
    """The snapshot is stored as JSON; reading it back must give the very same template."""
    data = json.loads(json.dumps(template_snapshot(template), ensure_ascii=False))
    restored = template_from_snapshot(data, "2019年行动")
    assert dataclasses.replace(restored, source=template.source, extends=template.extends) == template
    assert "2019年行动" in restored.source


def test_a_damaged_snapshot_is_refused_like_a_bad_template_file():
    template = available_templates()[0]
    data = template_snapshot(template)
    data["self_check"]["rows"] = data["self_check"]["rows"][:2]
    with pytest.raises(InputRejected, match="3行"):
        template_from_snapshot(data, "2019年行动")
