"""The installation's signing keys: created on first use, stable, shown with the pinned office key."""

from __future__ import annotations

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.exchange.keys import default_key_path, normalise_fingerprint
from qingqing_desktop.services import key_service, office_service


def test_the_unit_key_is_created_once_and_kept(session, isolated_data_dir):
    assert not default_key_path("unit").exists()
    first = key_service.unit_fingerprint(session)
    assert default_key_path("unit").is_relative_to(isolated_data_dir)
    assert key_service.unit_fingerprint(session) == first == normalise_fingerprint(first)
    [info] = key_service.key_overview(session)
    assert (info.role, info.fingerprint, info.path) == ("单位密钥", first, default_key_path("unit"))


def test_the_office_has_its_own_key(session):
    unit_fp = key_service.unit_fingerprint(session)
    info = office_service.enable_office_mode(session, "局机关纪委（监察室）")
    assert info.fingerprint != unit_fp and info.fingerprint == key_service.office_fingerprint(session)
    assert [k.role for k in key_service.key_overview(session)] == ["纪委（监察室）密钥"]


def test_a_damaged_key_is_never_replaced(session):
    key_service.unit_fingerprint(session)
    default_key_path("unit").write_bytes(b"garbage")
    with pytest.raises(InputRejected, match="签名密钥文件已损坏"):
        key_service.unit_fingerprint(session)
    assert default_key_path("unit").read_bytes() == b"garbage"
