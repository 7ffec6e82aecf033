"""The signed container: round trips, and every way of damaging or forging one is refused.

Every container is built here, in tmp_path or in memory; no binary fixtures. Raw zips
are assembled byte by byte where zipfile would not write what an attacker can.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import random
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.exchange import signed_container as sc
from qingqing_desktop.exchange.keys import SigningKey, verify_signature
from qingqing_desktop.exchange.signed_container import (
    REJECTION_CODES,
    Container,
    PackageRejected,
    member_name_problem,
    read_container,
    write_container,
)

KIND = "filing-package"
NAME = "技术科-2024.qqpkg"
STAMP = (2024, 5, 1, 8, 0, 0)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    return SigningKey.generate()


def sample_members() -> dict[str, bytes]:
    rng = random.Random(20240501)
    filing = {"单位": "技术科", "清单": [{"姓名": f"张{i}", "事项": "廉洁从政承诺" * 3} for i in range(20)]}
    return {
        "data.json": json.dumps(filing, ensure_ascii=False).encode("utf-8"),
        "pdf/汇总表（盖章）.pdf": b"%PDF-1.7\n" + rng.randbytes(3000),
        "扫描件/承诺书 张三.jpg": b"\xff\xd8\xff\xe0" + rng.randbytes(2000),
        "empty.txt": b"",
    }


HEADER = {"unit": {"name": "技术科", "uuid": "0b5e7c1e-0000-4000-8000-000000000001"}, "revision": 2, "备注": "第二次报送"}


def make(tmp_path, key, *, members=None, header=None, kind=KIND, name=NAME) -> bytes:
    target = tmp_path / name
    write_container(target, kind=kind, members=sample_members() if members is None else members,
                    header=HEADER if header is None else header, key=key)
    return target.read_bytes()


def read(data, *, kind=KIND, **kwargs) -> Container:
    return read_container(data, expected_kind=kind, display_name=NAME, **kwargs)


def rejected(data, *, kind=KIND, **kwargs) -> PackageRejected:
    with pytest.raises(PackageRejected) as caught:
        read(data, kind=kind, **kwargs)
    assert caught.value.code in REJECTION_CODES
    assert str(caught.value).startswith(f"文件“{NAME}”：")
    return caught.value


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ------------------------------------------------------------- zip helpers


def entries_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.orig_filename, archive.read(info)) for info in archive.infolist()]


def canonical_info(name: str) -> zipfile.ZipInfo:
    """The entry header our writer uses, set up for zipfile (see the module docstring)."""
    info = zipfile.ZipInfo("placeholder", date_time=sc.ZIP_DATE_TIME)
    info.filename = info.orig_filename = name  # bypass zipfile's own clean-up of names
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def zip_bytes(entries, compress_type=zipfile.ZIP_STORED, adjust=lambda info: None) -> bytes:
    """A zip with exactly these (name, data) entries; names are written as given, duplicates too.

    Canonical as our writer makes it, unless ``compress_type`` or ``adjust`` change the entries.
    """
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name"
        with zipfile.ZipFile(buf, "w") as archive:
            for name, data in entries:
                info = canonical_info(name)
                info.compress_type = compress_type
                adjust(info)
                archive.writestr(info, data)
    return buf.getvalue()


def rezip(data: bytes, *, replace=None, drop=(), add=(), rename=None) -> bytes:
    """Rebuild a container with some entries changed; CRCs are recomputed, so only our checks can tell."""
    replace, rename = replace or {}, rename or {}
    entries = [(rename.get(n, n), replace.get(n, d)) for n, d in entries_of(data) if n not in drop]
    return zip_bytes(entries + list(add))


def manifest_of(data: bytes) -> dict:
    return json.loads(dict(entries_of(data))["manifest.json"])


def resign(data: bytes, signer: SigningKey, edit=lambda m: None, *, raw=None) -> bytes:
    """Edit the manifest, embed ``signer``'s public key and sign it properly with that key."""
    manifest = manifest_of(data)
    manifest["signer_public_key"] = base64.b64encode(signer.public_bytes()).decode()
    manifest["signer_fingerprint"] = signer.fingerprint
    edit(manifest)
    manifest_bytes = canonical(manifest) if raw is None else raw
    return rezip(data, replace={"manifest.json": manifest_bytes, "manifest.sig": signer.sign(manifest_bytes)})


def raw_zip(entries) -> bytes:
    """A zip from (name, compressed bytes, method, crc, compress_size, file_size, flags) — sizes may lie."""
    out, central = bytearray(), bytearray()
    for name, payload, method, crc, csize, usize, flags in entries:
        encoded = name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, csize, usize, len(encoded), 0)
        out += encoded + payload
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, crc, csize, usize, len(encoded), 0, 0, 0, 0, 0, offset
        )
        central += encoded
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + eocd)


def deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MB of zeros, made in milliseconds (repeated full-flush blocks)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + compressor.flush()


def zeros_crc(megabytes: int) -> int:
    crc, chunk = 0, bytes(1 << 20)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return crc


def signed_entries_for(key: SigningKey, members: dict[str, tuple[int, str]]) -> list:
    """manifest.json + manifest.sig (stored) for members given as name -> (size, sha256)."""
    manifest = {
        "format": "qingqing-container", "format_version": 1, "kind": KIND,
        "package_id": "5f0c8a52-3d7e-4d0b-9a51-2f9e0c6b7a10", "created_at": "2024-05-01T08:00:00+00:00",
        "signer_public_key": base64.b64encode(key.public_bytes()).decode(), "signer_fingerprint": key.fingerprint,
        "members": {n: {"sha256": h, "size": s} for n, (s, h) in members.items()},
    }
    mb, sig = canonical(manifest), key.sign(canonical(manifest))
    return [
        ("manifest.json", mb, 0, zlib.crc32(mb), len(mb), len(mb), 0x800),
        ("manifest.sig", sig, 0, zlib.crc32(sig), len(sig), len(sig), 0),
    ]


# ------------------------------------------------------------- round trips


def test_round_trip_with_chinese_names_and_header(tmp_path, key):
    data = make(tmp_path, key)
    container = read_container(tmp_path / NAME, expected_kind=KIND)
    assert container.member_names == tuple(sorted(sample_members()))
    for name, content in sample_members().items():
        assert container.member(name) == content
    assert container.manifest["unit"] == HEADER["unit"]
    assert container.manifest["备注"] == "第二次报送"
    assert container.manifest["revision"] == 2
    assert container.kind == KIND
    assert container.fingerprint == key.fingerprint
    assert container.public_key == key.public_bytes()
    assert read(data).manifest == container.manifest  # from bytes too
    with pytest.raises(KeyError):
        container.member("manifest.json")


def test_manifest_layout_and_signature_over_its_exact_bytes(tmp_path, key):
    returned = write_container(tmp_path / NAME, kind=KIND, members=sample_members(), header=HEADER, key=key)
    entries = entries_of((tmp_path / NAME).read_bytes())
    names = [n for n, _ in entries]
    assert names[:2] == ["manifest.json", "manifest.sig"]
    assert sorted(names[2:]) == sorted(sample_members())
    raw, sig = dict(entries)["manifest.json"], dict(entries)["manifest.sig"]
    manifest = json.loads(raw)
    assert raw == canonical(manifest)  # canonical form, UTF-8, Chinese not escaped
    assert "技术科".encode() in raw
    assert manifest == returned
    assert verify_signature(key.public_bytes(), raw, sig)
    assert manifest["format"] == "qingqing-container" and manifest["format_version"] == 1
    assert base64.b64decode(manifest["signer_public_key"]) == key.public_bytes()
    assert manifest["signer_fingerprint"] == key.fingerprint
    assert manifest["created_at"].endswith("+00:00")
    for name, content in sample_members().items():
        assert manifest["members"][name] == {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    with zipfile.ZipFile(tmp_path / NAME) as archive:
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == sc.ZIP_DATE_TIME
            assert (info.create_system, info.create_version, info.extract_version) == (3, 20, 20)
            assert (info.external_attr, info.internal_attr) == (0o644 << 16, 0)
            assert (info.extra, info.comment) == (b"", b"")
            assert info.flag_bits == (0 if info.filename.isascii() else 0x800)
        assert archive.comment == b""
    # byte for byte what zipfile writes for the same entries with the same headers
    assert zip_bytes(entries) == (tmp_path / NAME).read_bytes()


def test_same_content_twice_gives_two_packages_that_both_verify(tmp_path, key):
    first = make(tmp_path, key, name="a.qqpkg")
    second = make(tmp_path, key, name="b.qqpkg")
    a, b = read(first), read(second)
    assert a.package_id != b.package_id
    assert a.member_names == b.member_names
    assert all(a.member(n) == b.member(n) for n in a.member_names)


def test_member_names_are_nfc_normalised(tmp_path, key):
    decomposed = "cafe\u0301/re\u0301sume\u0301.txt"
    data = make(tmp_path, key, members={decomposed: b"x"})
    container = read(data)
    assert container.member_names == ("caf\u00e9/r\u00e9sum\u00e9.txt",)
    assert container.member(decomposed) == b"x"


def test_expected_kind_may_be_a_set(tmp_path, key):
    data = make(tmp_path, key, kind="return-file")
    assert read(data, kind={"return-file", "campaign-file"}).kind == "return-file"


def test_every_member_is_stored_even_a_very_compressible_one(tmp_path, key):
    zeros = bytes(3 * 1024 * 1024)
    data = make(tmp_path, key, members={"blank.bmp": zeros, "data.json": b"{}" * 1000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
    assert read(data).member("blank.bmp") == zeros


# ------------------------------------------------------------- the writer refuses what a reader would


@pytest.mark.parametrize(
    "name",
    ["../evil", "/abs", "C:\\x", "a\\b", "a//b", "a/./b", "a/", "", "a/b/c", "x" * 201, "a:b", "a?.txt", "a\x00b",
     "a\nb", "invoice\u202efdp.exe", " lead", "trail.", "CON", "con.txt", "manifest.json", "MANIFEST.SIG"],
)
def test_writer_refuses_bad_member_names(tmp_path, key, name):
    assert member_name_problem(name) is not None
    with pytest.raises(ValueError):
        write_container(tmp_path / NAME, kind=KIND, members={name: b"x"}, header={}, key=key)
    assert not (tmp_path / NAME).exists()


@pytest.mark.parametrize("name", ["data.json", "扫描件/承诺书（张三）.pdf", "报告 2024-第1版.docx", "a_b-c.d/e.f", "x" * 200])
def test_good_member_names(name):
    assert member_name_problem(name) is None


def test_writer_refuses_case_duplicates_reserved_header_keys_and_non_bytes(tmp_path, key):
    with pytest.raises(ValueError):
        write_container(tmp_path / NAME, kind=KIND, members={"A.pdf": b"1", "a.PDF": b"2"}, header={}, key=key)
    with pytest.raises(ValueError):
        write_container(tmp_path / NAME, kind=KIND, members={}, header={"members": {}}, key=key)
    with pytest.raises(ValueError):
        write_container(tmp_path / NAME, kind="报送包", members={}, header={}, key=key)
    with pytest.raises(TypeError):
        write_container(tmp_path / NAME, kind=KIND, members={"a.txt": "text"}, header={}, key=key)
    assert list(tmp_path.iterdir()) == []


def test_writer_limits_are_input_rejected_and_nothing_is_written(tmp_path, key, monkeypatch):
    monkeypatch.setattr(sc, "MAX_TOTAL_UNCOMPRESSED", 1000)
    with pytest.raises(InputRejected, match="上限"):
        write_container(tmp_path / NAME, kind=KIND, members={"a.bin": bytes(1001)}, header={}, key=key)
    monkeypatch.setattr(sc, "MAX_TOTAL_UNCOMPRESSED", 10**9)
    monkeypatch.setattr(sc, "MAX_FILE_BYTES", 2000)
    with pytest.raises(InputRejected, match="上限"):
        write_container(tmp_path / NAME, kind=KIND, members={"a.bin": random.Random(1).randbytes(3000)}, header={}, key=key)
    monkeypatch.setattr(sc, "MAX_MEMBERS", 4)
    with pytest.raises(InputRejected, match="上限"):
        write_container(tmp_path / NAME, kind=KIND, members={f"{i}.txt": b"" for i in range(3)}, header={}, key=key)
    assert list(tmp_path.iterdir()) == []  # no file, no temporary


def test_failed_write_leaves_the_previous_file_untouched(tmp_path, key):
    before = make(tmp_path, key)
    with pytest.raises(TypeError):
        write_container(tmp_path / NAME, kind=KIND, members={"a.txt": b"x"}, header={"bad": object()}, key=key)
    with pytest.raises(ValueError):
        write_container(tmp_path / NAME, kind=KIND, members={"a.txt": b"x"}, header={"nan": float("nan")}, key=key)
    assert (tmp_path / NAME).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [NAME]


# ------------------------------------------------------------- flipped bytes


def _flipped(data: bytes, offset: int, mask: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= mask
    return bytes(changed)


def small_members() -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "data.json": json.dumps({"单位": "技术科", "清单": ["廉洁从政承诺"] * 3}, ensure_ascii=False).encode("utf-8"),
        "pdf/汇总表.pdf": b"%PDF-1.7\n" + rng.randbytes(400),
        "empty.txt": b"",
    }


@pytest.mark.parametrize("mask", [0xFF, 0x01, 0x80])
def test_every_single_byte_flip_anywhere_is_refused(tmp_path, mask):
    # Every byte of the file counts: content through the signed hashes, headers, names,
    # central directory and end record through the canonical form. Fresh keys (so fresh
    # signatures, ids and layouts) each time, so that a layout-dependent hole would show.
    for round_ in range(5):
        data = make(tmp_path, SigningKey.generate(), members=small_members(), name=f"{round_}.qqpkg")
        read(data)
        assert len(data) < 4096
        for offset in range(len(data)):
            with pytest.raises(PackageRejected) as caught:
                read(_flipped(data, offset, mask))
            assert caught.value.code in REJECTION_CODES, offset


def _with_trailing_byte(data: bytes) -> bytes:
    return data + b"\x00"


def _with_archive_comment(data: bytes) -> bytes:
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as archive:
        archive.comment = b"hello"
    return buf.getvalue()


def _rewritten(data: bytes, adjust=lambda info: None, *, compress_type=zipfile.ZIP_STORED, reorder=False) -> bytes:
    entries = entries_of(data)
    if reorder:
        entries = entries[:2] + entries[2:][::-1]
    return zip_bytes(entries, compress_type=compress_type, adjust=adjust)


def _set(**fields):
    return lambda info: [setattr(info, k, v) for k, v in fields.items()]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: _rewritten(d, compress_type=zipfile.ZIP_DEFLATED), id="deflated"),
        pytest.param(lambda d: _rewritten(d, _set(date_time=STAMP)), id="timestamp"),
        pytest.param(lambda d: _rewritten(d, _set(create_system=0)), id="made-on-windows"),
        pytest.param(lambda d: _rewritten(d, _set(create_version=45)), id="made-by-version"),
        pytest.param(lambda d: _rewritten(d, _set(external_attr=0o600 << 16)), id="attributes"),
        pytest.param(lambda d: _rewritten(d, _set(internal_attr=1)), id="internal-attributes"),
        pytest.param(lambda d: _rewritten(d, _set(comment=b"x")), id="entry-comment"),
        pytest.param(lambda d: _rewritten(d, _set(extra=b"\xfe\xca\x00\x00")), id="extra-field"),
        pytest.param(lambda d: _rewritten(d, reorder=True), id="member-order"),
        pytest.param(_with_archive_comment, id="archive-comment"),
        pytest.param(_with_trailing_byte, id="trailing-byte"),
    ],
)
def test_same_content_in_another_zip_layout_is_refused(tmp_path, key, change):
    data = make(tmp_path, key)
    assert _rewritten(data) == data  # the rewrite alone changes nothing
    changed = change(data)
    assert changed != data
    exc = rejected(changed)
    assert exc.code == "not_canonical"
    assert "内部结构与签名时不一致" in str(exc)


def test_every_truncation_is_refused(tmp_path, key):
    data = make(tmp_path, key)
    step = max(1, len(data) // 300)
    for length in range(0, len(data), step):
        rejected(data[:length])
    for length in range(len(data) - 30, len(data)):
        rejected(data[:length])


# ------------------------------------------------------------- forged content, with valid CRCs


def test_manifest_edited_after_signing_is_refused(tmp_path, key):
    data = make(tmp_path, key)
    raw = dict(entries_of(data))["manifest.json"]
    edited = raw.replace("第二次报送".encode(), "第三次报送".encode())
    assert rejected(rezip(data, replace={"manifest.json": edited})).code == "bad_signature"
    rng = random.Random(7)
    for offset in rng.sample(range(len(raw)), 200):
        assert rejected(rezip(data, replace={"manifest.json": _flipped(raw, offset, 0x01)})).code in {
            "bad_signature", "bad_manifest", "wrong_format_version",
        }


def test_altered_signature_is_refused(tmp_path, key):
    data = make(tmp_path, key)
    sig = dict(entries_of(data))["manifest.sig"]
    for offset in range(64):
        assert rejected(rezip(data, replace={"manifest.sig": _flipped(sig, offset, 0x04)})).code == "bad_signature"
    assert rejected(rezip(data, replace={"manifest.sig": sig[:63]})).code == "bad_signature"
    assert rejected(rezip(data, replace={"manifest.sig": sig + b"\x00"})).code == "bad_signature"
    assert rejected(rezip(data, drop=["manifest.sig"])).code == "missing_signature"


def test_member_content_changed_is_refused(tmp_path, key, caplog):
    data = make(tmp_path, key)
    original = sample_members()["data.json"]
    same_size = original.replace("张1".encode(), "李1".encode(), 1)
    assert len(same_size) == len(original)
    with caplog.at_level(logging.WARNING, logger="qingqing_desktop.exchange.signed_container"):
        changed = rejected(rezip(data, replace={"data.json": same_size}))
    assert changed.code == "hash_mismatch"
    # In a clerk's words, not a checksum's name; the log keeps the hashes for whoever looks into it
    assert "“data.json”在签名之后被改动过，或者在复制中损坏了" in str(changed)
    assert "SHA" not in str(changed) and "校验" not in str(changed)
    assert "SHA-256" in caplog.text and hashlib.sha256(same_size).hexdigest() in caplog.text
    assert rejected(rezip(data, replace={"data.json": original + b" "})).code == "size_mismatch"
    assert rejected(rezip(data, replace={"empty.txt": b"x"})).code == "size_mismatch"


def test_removed_added_and_renamed_members_are_refused(tmp_path, key):
    data = make(tmp_path, key)
    assert rejected(rezip(data, drop=["扫描件/承诺书 张三.jpg"])).code == "missing_member"
    assert rejected(rezip(data, add=[("virus.exe", b"MZ")])).code == "extra_member"
    renamed = rejected(rezip(data, rename={"data.json": "data2.json"}))
    assert renamed.code == "missing_member"
    assert "data.json" in str(renamed) and "data2.json" in str(renamed)


def test_missing_manifest_means_not_our_file(tmp_path, key):
    plain = zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])
    assert "文件里没有文件清单" in str(rejected(plain)) and "manifest" not in str(rejected(plain))
    assert rejected(plain).code == "missing_manifest"
    data = make(tmp_path, key)
    assert rejected(rezip(data, drop=["manifest.json"])).code == "missing_manifest"


@pytest.mark.parametrize(
    "name",
    ["../evil", "/abs", "C:\\x", "a\\b", "a/../../evil", "a\x00.txt", "bidi\u202etxt.exe", "MANIFEST.JSON", "dir/"],
)
def test_hostile_member_names_are_refused(tmp_path, key, name):
    data = make(tmp_path, key)
    assert rejected(rezip(data, add=[(name, b"x")])).code == "bad_member_name"


def test_a_listed_member_under_a_hostile_name_is_refused(key):
    # Even signed by its author, a container may not carry a name outside the rules.
    content = b"evil"
    entries = signed_entries_for(key, {"../evil": (len(content), hashlib.sha256(content).hexdigest())})
    entries.append(("../evil", content, 0, zlib.crc32(content), len(content), len(content), 0))
    assert rejected(raw_zip(entries)).code == "bad_member_name"


def test_duplicate_member_names_are_refused(tmp_path, key):
    data = make(tmp_path, key)
    assert rejected(rezip(data, add=[("data.json", b"{}")])).code == "duplicate_member"
    assert rejected(rezip(data, add=[("DATA.JSON", b"{}")])).code == "duplicate_member"
    assert rejected(rezip(data, add=[("manifest.json", b"{}")])).code == "duplicate_member"


# ------------------------------------------------------------- who signed


def test_resigned_by_another_key_is_refused_when_a_fingerprint_is_pinned(tmp_path, key, other_key):
    data = make(tmp_path, key)
    forged = resign(data, other_key, lambda m: m.update({"备注": "伪造"}))
    exc = rejected(forged, pinned_fingerprint=key.fingerprint)
    assert exc.code == "unknown_signer"
    assert "签名密钥与此前登记的不一致" in str(exc)
    assert key.fingerprint in str(exc) and other_key.fingerprint in str(exc)


def test_valid_signature_by_another_key_is_accepted_without_pinning(tmp_path, key, other_key):
    data = make(tmp_path, key)
    container = read(resign(data, other_key))
    assert container.fingerprint == other_key.fingerprint
    assert container.public_key == other_key.public_bytes()
    assert read(data, pinned_fingerprint=key.fingerprint.lower().replace("-", "")).fingerprint == key.fingerprint


def test_manifest_claiming_another_signer_than_the_embedded_key_is_refused(tmp_path, key, other_key):
    data = make(tmp_path, key)
    forged = resign(data, key, lambda m: m.update({"signer_fingerprint": other_key.fingerprint}))
    assert rejected(forged).code == "bad_manifest"
    # swapping in another public key without its private key cannot produce a valid signature
    manifest = manifest_of(data)
    manifest["signer_public_key"] = base64.b64encode(other_key.public_bytes()).decode()
    manifest["signer_fingerprint"] = other_key.fingerprint
    raw = canonical(manifest)
    assert rejected(rezip(data, replace={"manifest.json": raw, "manifest.sig": key.sign(raw)})).code == "bad_signature"


# ------------------------------------------------------------- manifest contents


def test_wrong_kind_is_refused_with_both_names(tmp_path, key):
    data = make(tmp_path, key)
    exc = rejected(data, kind="campaign-file")
    assert exc.code == "wrong_kind"
    assert "报送包" in str(exc) and "任务包" in str(exc)


def test_newer_format_version_asks_to_upgrade(tmp_path, key):
    data = make(tmp_path, key)
    exc = rejected(resign(data, key, lambda m: m.update({"format_version": 2, "members": "changed in v2"})))
    assert exc.code == "wrong_format_version"
    assert "升级" in str(exc)


def _drop(field):
    return lambda m: m.pop(field)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda m: m.update({"format": "other"}), id="format"),
        pytest.param(lambda m: m.update({"format_version": 0}), id="version-0"),
        pytest.param(lambda m: m.update({"format_version": "1"}), id="version-text"),
        pytest.param(lambda m: m.update({"format_version": True}), id="version-bool"),
        pytest.param(_drop("members"), id="no-members"),
        pytest.param(_drop("kind"), id="no-kind"),
        pytest.param(lambda m: m.update({"package_id": "not-a-uuid"}), id="package-id"),
        pytest.param(lambda m: m.update({"signer_public_key": "@@@"}), id="key-base64"),
        pytest.param(lambda m: m.update({"members": []}), id="members-list"),
        pytest.param(lambda m: m["members"]["data.json"].update({"size": -1}), id="negative-size"),
        pytest.param(lambda m: m["members"]["data.json"].update({"sha256": "AB" * 32}), id="upper-hex"),
        pytest.param(lambda m: m["members"]["data.json"].update({"extra": 1}), id="entry-extra-field"),
        pytest.param(lambda m: m["members"].update({"../x": {"sha256": "0" * 64, "size": 0}}), id="listed-bad-name"),
    ],
)
def test_malformed_manifest_is_refused_even_when_signed(tmp_path, key, edit):
    data = make(tmp_path, key)
    assert rejected(resign(data, key, edit)).code == "bad_manifest"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b"\xef\xbb\xbf{}", id="bom"),
        pytest.param("{}".encode("utf-16"), id="utf16"),
        pytest.param(b'{"format":"qingqing-container","format":"x"}', id="duplicate-key"),
        pytest.param(b'{"format":"qingqing-container","format_version":NaN}', id="nan"),
        pytest.param(b"[" * 100000 + b"]" * 100000, id="deep-nesting"),
        pytest.param(b"[]", id="list"),
    ],
)
def test_unparsable_manifest_is_refused(tmp_path, key, raw):
    data = make(tmp_path, key)
    assert rejected(resign(data, key, raw=raw)).code == "bad_manifest"


# ------------------------------------------------------------- sizes and bombs


def test_zip_bomb_is_refused_before_inflating(key):
    stream = deflated_zeros(1100)  # 1.1 GB of zeros in about 1 MB
    entries = signed_entries_for(key, {"bomb.bin": (1100 << 20, "0" * 64)})
    entries.append(("bomb.bin", stream, 8, zeros_crc(1100), len(stream), 1100 << 20, 0))
    started = time.perf_counter()
    exc = rejected(raw_zip(entries))
    assert exc.code in {"ratio", "too_large"}
    assert time.perf_counter() - started < 1.0


def test_declared_sizes_are_checked_before_inflating(key):
    junk = random.Random(3).randbytes(2 << 20)
    # ratio just under the cap, but 301 MB declared in all
    entries = [("big.bin", junk, 8, 0, len(junk), 301 << 20, 0)]
    assert rejected(raw_zip(entries)).code == "too_large"
    entries = [("a.bin", b"\x03\x00", 8, 0, 2, 2 << 20, 0)]
    assert rejected(raw_zip(entries)).code == "ratio"
    sig = bytes(64)
    entries = [("manifest.json", b"\x03\x00" * 40000, 8, 0, 80000, 9 << 20, 0), ("manifest.sig", sig, 0, 0, 64, 64, 0)]
    assert rejected(raw_zip(entries)).code == "bad_manifest"


def test_lying_header_cannot_inflate_more_than_declared(key):
    # The stream holds 200 MB of zeros; the header declares 1 MB (and the true CRC).
    stream = deflated_zeros(200)
    declared = 1 << 20
    entries = signed_entries_for(key, {"lie.bin": (declared, hashlib.sha256(bytes(declared)).hexdigest())})
    entries.append(("lie.bin", stream, 8, zeros_crc(200), len(stream), declared, 0))
    data = raw_zip(entries)
    tracemalloc.start()
    try:
        exc = rejected(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert exc.code == "damaged"  # CRC of the first MB is not the CRC of 200 MB
    assert peak < 24 << 20


def test_too_many_members_is_refused(tmp_path, key):
    data = zip_bytes([(f"{i}.txt", b"") for i in range(2001)], compress_type=zipfile.ZIP_STORED)
    assert rejected(data).code == "too_many_members"


def test_flood_of_central_records_is_refused_before_zipfile_parses_them(key, monkeypatch):
    monkeypatch.setattr(sc, "MAX_CENTRAL_SIGNATURES", 50)
    data = zip_bytes([(f"{i}.txt", b"") for i in range(60)], compress_type=zipfile.ZIP_STORED)
    monkeypatch.setattr(zipfile, "ZipFile", None)  # would raise TypeError if it got that far
    assert rejected(data).code == "too_many_members"


def test_file_over_the_size_cap_is_refused_before_reading(tmp_path, key, monkeypatch):
    make(tmp_path, key)
    monkeypatch.setattr(sc, "MAX_FILE_BYTES", 1000)
    assert rejected(tmp_path / NAME).code == "too_large"
    assert rejected(bytes(1001)).code == "too_large"


def test_encrypted_or_exotic_compression_is_refused(tmp_path, key):
    data = make(tmp_path, key)
    bz = io.BytesIO()
    with zipfile.ZipFile(bz, "w", compression=zipfile.ZIP_BZIP2) as archive:
        archive.writestr("data.bin", b"x" * 100)
    assert rejected(bz.getvalue()).code == "unsupported_member"
    entries = [("data.bin", b"x", 0, zlib.crc32(b"x"), 1, 1, 0x1)]
    assert rejected(raw_zip(entries)).code == "unsupported_member"
    assert data  # the well-formed container stays readable
    read(data)


# ------------------------------------------------------------- not a container at all


def test_not_a_zip_empty_and_missing_files(tmp_path):
    assert rejected(b"").code == "empty"
    assert rejected(b"%PDF-1.7 hello").code == "not_zip"
    assert rejected("姓名,职务\n张三,科长\n".encode()).code == "not_zip"
    assert rejected(b"PK\x05\x06" + bytes(18)).code == "not_zip"  # an empty zip
    assert rejected(b"PK\x03\x04" + bytes(100)).code == "damaged"
    (tmp_path / "empty.qqpkg").write_bytes(b"")
    exc = rejected(tmp_path / "empty.qqpkg")
    assert exc.code == "empty" and "0字节" in str(exc)
    assert rejected(tmp_path / "missing.qqpkg").code == "unreadable"
    assert rejected(tmp_path).code == "unreadable"


def test_message_names_the_file_by_default(tmp_path, key):
    make(tmp_path, key)
    with pytest.raises(PackageRejected) as caught:
        read_container(tmp_path / NAME, expected_kind="campaign-file")
    assert isinstance(caught.value, InputRejected)
    assert caught.value.location.file == NAME
    assert str(caught.value).startswith(f"文件“{NAME}”：")
