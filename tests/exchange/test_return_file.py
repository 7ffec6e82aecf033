"""退回文件: unit, campaign, revision and the office's comment, signed by the office."""

from __future__ import annotations

import json

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.return_file import (
    KIND,
    MEMBER,
    read_return_file,
    return_file_name,
    write_return_file,
)
from qingqing_desktop.exchange.signed_container import (
    RESERVED_HEADER_KEYS,
    PackageRejected,
    read_container,
    write_container,
)

UNIT, CAMPAIGN = new_id(), new_id()


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


def write(path, key, comment="请补充李四的签字页扫描件；\n自查表第1行整改时限有误。"):
    return write_return_file(path, unit_id=UNIT, unit_name="技术科", campaign_id=CAMPAIGN, campaign_title="三清单一承诺",
                             revision=2, comment=comment, office_name="局机关纪委（监察室）", key=key)


def test_written_and_read_back(tmp_path, key):
    path = tmp_path / return_file_name("技术科", "“三清单一承诺”行动", 2)
    assert path.name == "退回_技术科_三清单一承诺行动_第2版.qqreturn"
    manifest = write(path, key)
    read = read_return_file(path, pinned_fingerprint=key.fingerprint)
    assert (read.unit_id, read.campaign_id, read.revision) == (UNIT, CAMPAIGN, 2)
    assert read.comment == "请补充李四的签字页扫描件；\n自查表第1行整改时限有误。"
    assert read.package_id == manifest["package_id"] and read.office_name == "局机关纪委（监察室）"


def test_signed_by_another_key_is_refused(tmp_path, key):
    path = tmp_path / "r.qqreturn"
    write(path, SigningKey.generate())
    with pytest.raises(PackageRejected) as caught:
        read_return_file(path, pinned_fingerprint=key.fingerprint)
    assert caught.value.code == "unknown_signer"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(revision=3), "签名信息与退回意见中的单位、行动或版次不同"),
        (lambda c: c.update(comment="  "), "退回意见”不能为空"),
        (lambda c: c["unit"].update(id="x"), "单位编号”不是有效的编号"),
        (lambda c: c.update(returned_at="yesterday"), "退回时间”不是有效的时间"),
    ],
)
def test_content_is_checked(tmp_path, key, change, message):
    path, target = tmp_path / "a.qqreturn", tmp_path / "b.qqreturn"
    write(path, key)
    container = read_container(path, expected_kind=KIND)
    content = json.loads(container.member(MEMBER))
    change(content)
    header = {k: v for k, v in container.manifest.items() if k not in RESERVED_HEADER_KEYS}
    write_container(target, kind=KIND, members={MEMBER: json.dumps(content, ensure_ascii=False).encode()},
                    header=header, key=key)
    with pytest.raises(InputRejected, match=message):
        read_return_file(target)
