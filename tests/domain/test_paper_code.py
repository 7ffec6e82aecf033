"""Paper codes: compact, alphanumeric, versioned, and read back exactly."""

from __future__ import annotations

import uuid

import pytest

from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.paper_code import FormCode, FormKind, LetterCode, PaperCodeError, decode, encode

CAMPAIGN, UNIT, STAFF, LETTER = (str(uuid.uuid4()) for _ in range(4))
HASH = "0123456789abcdef" * 4
FINGERPRINT = "3F2A9C1B-0D4E5F60-718293A4-B5C6D7E8-F9011223"
ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
# QR version 4 at error correction M holds 90 alphanumeric characters; the printed size relies on it.
VERSION_4_M_CAPACITY = 90

CODES = [
    LetterCode(CAMPAIGN, STAFF, LETTER, 1),
    LetterCode(CAMPAIGN, STAFF, LETTER, 255),
    FormCode(FormKind.SUMMARY, UNIT, CAMPAIGN, 3, HASH, key_fingerprint=FINGERPRINT),
    FormCode(FormKind.SUMMARY, UNIT, CAMPAIGN, 1, HASH, draft=True),
    FormCode(FormKind.SELF_CHECK, UNIT, CAMPAIGN, 65535, HASH),
]


@pytest.mark.parametrize("code", CODES)
def test_round_trip_in_alphanumeric_mode_within_qr_version_4(code):
    text = encode(code)
    assert decode(text) == code
    assert set(text) <= ALPHANUMERIC and len(text) <= VERSION_4_M_CAPACITY
    assert text.startswith("QQ1")


def test_forms_keep_prefixes_of_the_hash_and_the_fingerprint():
    code = FormCode(FormKind.SUMMARY, UNIT, CAMPAIGN, 2, HASH, key_fingerprint=FINGERPRINT.lower())
    assert code.content_hash == HASH[:16].upper() and code.key_fingerprint == "3F2A9C1B0D4E5F607182"
    assert code.hash_matches(HASH) and not code.hash_matches("f" * 64) and not code.hash_matches(None)
    assert code.fingerprint_matches(FINGERPRINT) and not code.fingerprint_matches("0" * 40)
    assert not code.fingerprint_matches("")


def test_the_kinds_are_told_apart():
    assert isinstance(decode(encode(CODES[0])), LetterCode)
    assert decode(encode(CODES[2])).kind is FormKind.SUMMARY
    assert decode(encode(CODES[4])).kind is FormKind.SELF_CHECK
    assert decode(encode(CODES[3])).draft and not decode(encode(CODES[2])).draft


@pytest.mark.parametrize("text,reason", [
    ("https://example.org/x", "不是本程序打印的二维码"),
    ("", "不是本程序打印的二维码"),
    ("QQXL0000", "不是本程序打印的二维码"),
    ("QQ1Z" + paper_code.b45encode(b"x" * 43), "不是本程序打印的二维码"),
    ("QQ9L" + paper_code.b45encode(b"x" * 49), "更新版本"),
    (encode(CODES[0])[:-3], "不完整"),
    (encode(CODES[4]) + "00", "不完整"),
    ("QQ1Lzz", "不完整"),
])
def test_foreign_newer_or_damaged_codes_are_refused_in_chinese(text, reason):
    with pytest.raises(PaperCodeError, match=reason):
        decode(text)


def test_a_fingerprint_only_travels_on_the_summary():
    with pytest.raises(ValueError):
        encode(FormCode(FormKind.SELF_CHECK, UNIT, CAMPAIGN, 1, HASH, key_fingerprint=FINGERPRINT))
    self_check = encode(FormCode(FormKind.SELF_CHECK, UNIT, CAMPAIGN, 1, HASH))
    forged = "QQ1C" + paper_code.b45encode(paper_code.b45decode(self_check[4:]) + bytes(10))
    with pytest.raises(PaperCodeError):
        decode(forged)


@pytest.mark.parametrize("bad", [
    LetterCode("id00001", STAFF, LETTER),
    LetterCode(CAMPAIGN, STAFF, LETTER, 0),
    LetterCode(CAMPAIGN, STAFF, LETTER, 256),
])
def test_encoding_refuses_what_it_cannot_carry(bad):
    with pytest.raises(ValueError):
        encode(bad)


def test_a_form_code_needs_a_real_hash_and_revision():
    with pytest.raises(ValueError):
        FormCode(FormKind.SUMMARY, UNIT, CAMPAIGN, 1, "abc")
    with pytest.raises(ValueError):
        encode(FormCode(FormKind.SUMMARY, UNIT, CAMPAIGN, 0, HASH))


def test_base45_matches_rfc_9285_examples():
    assert paper_code.b45encode(b"AB") == "BB8"
    assert paper_code.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert paper_code.b45encode(b"base-45") == "UJCLQE7W581"
    assert paper_code.b45decode("QED8WEX0") == b"ietf!"
    for bad in ("GGW", "A", "a00"):
        with pytest.raises(ValueError):
            paper_code.b45decode(bad)


def test_letter_number_is_short_and_upper_case():
    assert paper_code.letter_number("0d4e5f60-7182-4a3b-8c9d-0e1f2a3b4c5d") == "0D4E5F60"
