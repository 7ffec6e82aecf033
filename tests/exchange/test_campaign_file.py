"""任务包: the office's campaign with its full template, signed, read back strictly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from qingqing_desktop.domain.campaign import Campaign, template_snapshot
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.exchange.campaign_file import (
    KIND,
    MEMBER,
    campaign_file_name,
    read_campaign_file,
    write_campaign_file,
)
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.signed_container import (
    RESERVED_HEADER_KEYS,
    PackageRejected,
    read_container,
    write_container,
)
from qingqing_desktop.store.policy_templates import get_template

OFFICE = "局机关纪委（监察室）"


@pytest.fixture
def campaign() -> Campaign:
    template = get_template("shenyang-2019")
    return Campaign(id=new_id(), title="2020年“三清单一承诺”专项行动", document_number="X纪发〔2020〕1号",
                    deadline=dt.date(2020, 4, 30), recipient=OFFICE, template_id=template.id,
                    template_version=template.version, template=template)


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


def test_written_and_read_back_with_the_full_template(tmp_path, campaign, key):
    path = tmp_path / campaign_file_name(campaign)
    assert path.name == "任务包_2020年三清单一承诺专项行动_截止20200430.qqtask"
    write_campaign_file(path, campaign, office_name=OFFICE, key=key)
    read = read_campaign_file(path, pinned_fingerprint=key.fingerprint)
    assert read.campaign.id == campaign.id and read.office_name == OFFICE and read.fingerprint == key.fingerprint
    assert dataclasses.replace(read.campaign, template=campaign.template) == campaign
    assert template_snapshot(read.campaign.template) == template_snapshot(campaign.template)


def test_another_office_key_is_refused(tmp_path, campaign, key):
    path = tmp_path / "任务包.qqtask"
    write_campaign_file(path, campaign, office_name=OFFICE, key=key)
    with pytest.raises(PackageRejected, match="签名密钥与此前登记的不一致") as caught:
        read_campaign_file(path, pinned_fingerprint=SigningKey.generate().fingerprint)
    assert caught.value.code == "unknown_signer"


def _resign(path, target, key, change):
    container = read_container(path, expected_kind=KIND)
    content = json.loads(container.member(MEMBER))
    header = {k: v for k, v in container.manifest.items() if k not in RESERVED_HEADER_KEYS}
    change(content, header)
    write_container(target, kind=KIND, members={MEMBER: json.dumps(content, ensure_ascii=False).encode()},
                    header=header, key=key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c, h: c["campaign"].update(id="abc"), "行动编号”不是有效的编号"),
        (lambda c, h: c["campaign"].update(deadline="2020-02-30"), "截止日期”不是有效的日期"),
        (lambda c, h: c["campaign"].update(title="新标题"), "签名信息与任务内容中的行动或发布单位不同"),
        (lambda c, h: c["template"]["pledge"].pop("title"), "政策模板"),
        (lambda c, h: c["template"].update(version=9), "政策模板的编号或版本与行动所记的不同"),
        (lambda c, h: c.update(extra=1), "有不认识的项“extra”"),
        (lambda c, h: c.update(format_version=5), "由更新版本的亲清填报生成"),
    ],
)
def test_content_is_checked(tmp_path, campaign, key, change, message):
    path, target = tmp_path / "a.qqtask", tmp_path / "b.qqtask"
    write_campaign_file(path, campaign, office_name=OFFICE, key=key)
    _resign(path, target, key, change)
    with pytest.raises(InputRejected, match=message) as caught:
        read_campaign_file(target)
    assert "b.qqtask" in str(caught.value)
