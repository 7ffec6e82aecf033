"""Signing keys: created once, kept private, never replaced behind the clerk's back."""

from __future__ import annotations

import hashlib
import os
import re
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.exchange.keys import (
    SigningKey,
    default_key_path,
    fingerprint_of,
    load_or_create_key,
    normalise_fingerprint,
    verify_signature,
)

FINGERPRINT_RE = re.compile(r"^[0-9A-F]{8}(-[0-9A-F]{8}){4}$")


def test_key_is_created_on_first_call_and_reused(tmp_path):
    path = tmp_path / "keys" / "unit_ed25519.pem"
    first = load_or_create_key(path)
    pem = path.read_bytes()
    second = load_or_create_key(path)
    assert second.fingerprint == first.fingerprint
    assert second.public_bytes() == first.public_bytes()
    assert path.read_bytes() == pem  # not rewritten
    assert sorted(p.name for p in path.parent.iterdir()) == ["unit_ed25519.pem"]  # no temporary left over
    signature = second.sign("同一把密钥".encode())
    assert verify_signature(first.public_bytes(), "同一把密钥".encode(), signature)


def test_key_file_is_unencrypted_pkcs8_pem_of_an_ed25519_key(tmp_path):
    path = tmp_path / "k.pem"
    key = load_or_create_key(path)
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = serialization.load_pem_private_key(pem, password=None)
    raw = loaded.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw == key.public_bytes() and len(raw) == 32


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_key_file_is_private_on_posix(tmp_path):
    path = tmp_path / "keys" / "office_ed25519.pem"
    load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_fingerprint_format_and_definition():
    key = SigningKey.generate()
    fp = key.fingerprint
    assert FINGERPRINT_RE.match(fp), fp
    assert fp.replace("-", "") == hashlib.sha256(key.public_bytes()).hexdigest().upper()[:40]
    assert fingerprint_of(key.public_bytes()) == fp
    assert SigningKey.generate().fingerprint != fp


def test_normalise_fingerprint_accepts_what_people_type():
    fp = SigningKey.generate().fingerprint
    assert normalise_fingerprint(fp.lower().replace("-", " ")) == fp
    assert normalise_fingerprint(fp.replace("-", "")) == fp
    for bad in ("", "1234", fp + "0", fp.replace(fp[0], "G", 1)):
        with pytest.raises(ValueError):
            normalise_fingerprint(bad)


def test_sign_and_verify():
    key, other = SigningKey.generate(), SigningKey.generate()
    data = "承诺书".encode()
    signature = key.sign(data)
    assert len(signature) == 64
    assert verify_signature(key.public_bytes(), data, signature)
    assert not verify_signature(key.public_bytes(), data + b"x", signature)
    assert not verify_signature(other.public_bytes(), data, signature)
    assert not verify_signature(key.public_bytes(), data, signature[:-1])
    assert not verify_signature(key.public_bytes(), data, bytes(64))
    assert not verify_signature(key.public_bytes()[:31], data, signature)
    assert not verify_signature(b"\xff" * 32, data, signature)
    flipped = bytearray(signature)
    flipped[10] ^= 1
    assert not verify_signature(key.public_bytes(), data, bytes(flipped))


def test_repr_does_not_show_the_private_key():
    key = SigningKey.generate()
    assert repr(key) == f"<SigningKey {key.fingerprint}>"


def test_default_key_path_is_in_the_data_folder(isolated_data_dir):
    assert default_key_path() == isolated_data_dir / "keys" / "unit_ed25519.pem"
    assert default_key_path("office") == isolated_data_dir / "keys" / "office_ed25519.pem"
    with pytest.raises(ValueError):
        default_key_path("admin")
    key = load_or_create_key(default_key_path())
    assert load_or_create_key(default_key_path()).fingerprint == key.fingerprint


def _other_type_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00" * 119, id="zeros"),
        pytest.param(b"not a key at all", id="text"),
        pytest.param(None, id="truncated"),
        pytest.param(_other_type_pem(), id="ec-key"),
    ],
)
def test_damaged_key_file_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "unit_ed25519.pem"
    if content is None:
        load_or_create_key(path)
        content = path.read_bytes()[:70]
    path.write_bytes(content)
    with pytest.raises(InputRejected) as caught:
        load_or_create_key(path)
    message = str(caught.value)
    assert str(path) in message
    assert "不会自动生成新密钥" in message and "备份" in message and "纪检办重新登记" in message
    assert path.read_bytes() == content  # never silently replaced


def test_encrypted_key_file_is_refused(tmp_path):
    path = tmp_path / "unit_ed25519.pem"
    key = SigningKey.generate()
    path.write_bytes(
        key._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    with pytest.raises(InputRejected, match="已损坏或不是本程序生成的密钥"):
        load_or_create_key(path)


def test_folder_in_place_of_the_key_file_is_refused(tmp_path):
    path = tmp_path / "unit_ed25519.pem"
    path.mkdir()
    with pytest.raises(InputRejected, match="文件夹"):
        load_or_create_key(path)
    assert path.is_dir()
