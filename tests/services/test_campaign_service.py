"""Campaigns: created from a template with its defaults, side by side, one current, texts frozen."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.services import campaign_service, template_service
from qingqing_desktop.store import audit, campaigns
from qingqing_desktop.store.database import open_store
from qingqing_desktop.store.policy_templates import get_template


def test_the_default_campaign_takes_everything_from_the_pingyang_template(session):
    campaign = campaign_service.create_campaign(session)
    assert campaign.template_id == "pingyang-2019" and campaign.template_version == 1
    assert campaign.document_number == "平住建发〔2019〕27号"
    assert campaign.deadline == dt.date(2019, 3, 14)
    assert campaign.recipient == "局机关纪委（监察室）"
    assert campaign.title == get_template("pingyang-2019").name
    assert campaign.template.self_check.rows[2] == "可能衍生“挈篮子”问题的制度缺陷"
    assert campaign_service.current_campaign(session) == campaign


def test_given_values_win_over_the_template(session):
    campaign = campaign_service.create_campaign(
        session, title="2020年“三清单一承诺”", deadline="2020年3月20日", document_number="平住建发〔2020〕5号",
        recipient="局纪委",
    )
    assert (campaign.title, campaign.deadline, campaign.document_number, campaign.recipient) == (
        "2020年“三清单一承诺”", dt.date(2020, 3, 20), "平住建发〔2020〕5号", "局纪委")


def test_a_template_without_a_deadline_needs_one(session):
    with pytest.raises(InputRejected, match="没有规定截止日期"):
        campaign_service.create_campaign(session, template_id="shenyang-2019")
    campaign = campaign_service.create_campaign(session, template_id="shenyang-2019", deadline="2019-05-31")
    assert campaign.recipient == get_template("shenyang-2019").recipient


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"deadline": "2019-02-30"}, "没有这一天"),
        ({"title": "  "}, "行动名称不能为空"),
        ({"template_id": "no-such-place"}, "没有编号为“no-such-place”的政策模板"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(session, fields, message):
    before = audit.entries(session.store)
    with pytest.raises(InputRejected, match=message):
        campaign_service.create_campaign(session, **fields)
    assert campaign_service.list_campaigns(session) == []
    assert audit.entries(session.store) == before


def test_creation_is_audited_with_the_operator(session):
    campaign = campaign_service.create_campaign(session)
    rows = {e.field: e for e in audit.entries(session.store, table="campaign", record_id=campaign.id)}
    assert rows["document_number"].new_value == "平住建发〔2019〕27号"
    assert rows["deadline"].new_value == "2019-03-14"
    assert rows["template_version"].new_value == "1"
    assert {e.operator for e in rows.values()} == {"测试员"}


def test_campaigns_live_side_by_side_and_one_is_current(session):
    first = campaign_service.create_campaign(session, title="2019年", deadline="2019-03-14")
    second = campaign_service.create_campaign(session, title="2020年", deadline="2020-03-14")
    assert [c.title for c in campaign_service.list_campaigns(session)] == ["2020年", "2019年"]
    assert campaign_service.current_campaign(session).id == second.id
    campaign_service.use_campaign(session, first.id)
    assert campaign_service.require_campaign(session).id == first.id
    kept = campaign_service.create_campaign(session, title="2021年", deadline="2021-03-14", make_current=False)
    assert campaign_service.current_campaign(session).id == first.id
    assert campaign_service.get_campaign(session, kept.id).title == "2021年"
    with pytest.raises(InputRejected, match="找不到"):
        campaign_service.use_campaign(session, "no-such-id")


def test_without_a_campaign_the_services_say_to_create_one(session):
    assert campaign_service.current_campaign(session) is None
    with pytest.raises(InputRejected, match="尚未创建行动.*请先 campaign create"):
        campaign_service.require_campaign(session)


def test_days_left_counts_to_the_deadline(session):
    campaign = campaign_service.create_campaign(session)
    assert campaign.days_left(dt.date(2019, 3, 5)) == 9
    assert campaign.deadline_text(dt.date(2019, 3, 5)) == "距截止还有 9 天"
    assert campaign.deadline_text(dt.date(2019, 3, 14)) == "今天截止"
    assert campaign.deadline_text(dt.date(2019, 3, 20)) == "已逾期 6 天"


def test_current_template_is_the_campaigns_snapshot_else_the_active_one(session):
    assert campaign_service.current_template(session) == template_service.active_template(session)
    campaign = campaign_service.create_campaign(session, template_id="shenyang-2019", deadline="2019-05-31")
    assert campaign_service.current_template(session) == campaign.template
    assert campaign_service.current_template(session).id == "shenyang-2019"


def test_later_edits_of_the_template_file_never_change_an_existing_campaign(session, isolated_data_dir, db_path):
    forms = isolated_data_dir / "forms"
    forms.mkdir()
    path = forms / "my-county.toml"

    def write_template(version: int, row1: str) -> None:
        path.write_text(
            f'id = "my-county"\nname = "某县行动"\nissuer = "某县住建局"\ndocument_number = ""\n'
            f'version = {version}\nextends = "pingyang-2019"\n'
            f'[self_check]\nrows = ["{row1}", "负面清单的问题", "制度缺陷"]\n',
            encoding="utf-8",
        )

    write_template(1, "正面清单的不足")
    old = campaign_service.create_campaign(session, template_id="my-county", deadline="2019-04-01")
    write_template(2, "改过的第一行")
    new = campaign_service.create_campaign(session, template_id="my-county", deadline="2020-04-01")
    path.unlink()  # even a deleted template file does not matter any more

    session.close()
    store = open_store(db_path)
    try:
        reread_old, reread_new = campaigns.get(store, old.id), campaigns.get(store, new.id)
        assert (reread_old.template_version, reread_old.template.self_check.rows[0]) == (1, "正面清单的不足")
        assert (reread_new.template_version, reread_new.template.self_check.rows[0]) == (2, "改过的第一行")
        # inherited sections were resolved into the snapshot, not referenced
        assert reread_old.template.signing_rule == get_template("pingyang-2019").signing_rule
    finally:
        store.close()


def test_a_campaign_can_be_corrected_with_an_audited_reason(session):
    campaign = campaign_service.create_campaign(session)
    changed = campaign_service.update_campaign(session, deadline="2019-03-21", reason="纪委通知延期一周")
    assert changed.deadline == dt.date(2019, 3, 21)
    assert changed.template == campaign.template
    entry = audit.entries(session.store, table="campaign", record_id=campaign.id)[0]
    assert (entry.field, entry.old_value, entry.new_value, entry.reason) == (
        "deadline", "2019-03-14", "2019-03-21", "纪委通知延期一周")
