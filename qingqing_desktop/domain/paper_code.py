"""Paper codes: what the QR code on a printed page says, so a scan can be matched to the data.

DESIGN.md, Paper loop. Two kinds of page carry one:

- a 附件1 letter (``LetterCode``): the campaign, the person, this printed letter's own
  id and the page of the letter — the 承诺书 scan import finds the person by it;
- a stamped form, 附件2 or 附件3 (``FormCode``): the unit, the campaign, the revision,
  whether it was a draft, the start of the content hash, and on 附件2 the start of the
  unit key's fingerprint — the office's paper check compares them with what it holds.

The text is built for a small code that a 150 dpi office scan still reads: only the
45 characters of QR's alphanumeric mode (5.5 bits each), a 4-character prefix
``QQ`` + format version + kind, then the fields as bytes in base45 (RFC 9285, the
encoding made for alphanumeric QR codes). Every such code fits QR version 4 (33 × 33
modules) at error correction M. UUIDs travel whole (16 bytes); hashes and the key
fingerprint as prefixes long enough that a mismatch by chance is out of question
(64 and 80 bits).

A reader of a newer format version refuses with a message, never guesses. Pure: no
I/O and no Qt; the documents layer encodes, the scan services decode.
"""

from __future__ import annotations

import enum
import struct
import uuid
from dataclasses import dataclass

__all__ = [
    "PREFIX",
    "FORMAT_VERSION",
    "HASH_BYTES",
    "FINGERPRINT_BYTES",
    "FormKind",
    "LetterCode",
    "FormCode",
    "PaperCode",
    "PaperCodeError",
    "encode",
    "decode",
    "letter_number",
    "hash_prefix",
    "fingerprint_prefix",
    "b45encode",
    "b45decode",
]

PREFIX = "QQ"
FORMAT_VERSION = 1
HASH_BYTES = 8
FINGERPRINT_BYTES = 10
_LETTER_KIND = "L"
_DRAFT_FLAG = 0x01


class FormKind(str, enum.Enum):
    """The stamped forms that carry a ``FormCode``; the value is the kind letter in the code."""

    SUMMARY = "S"  # 附件2 承诺书签订情况汇总表
    SELF_CHECK = "C"  # 附件3 自查表

    @property
    def label(self) -> str:
        return {FormKind.SUMMARY: "附件2 汇总表", FormKind.SELF_CHECK: "附件3 自查表"}[self]


class PaperCodeError(ValueError):
    """The text is not a paper code this program can read; ``str()`` says why, in Chinese."""


@dataclass(frozen=True)
class LetterCode:
    """One page of a printed 附件1 letter: whose letter, in which campaign, which copy, which page."""

    campaign_id: str
    staff_id: str
    letter_id: str
    page: int = 1


@dataclass(frozen=True)
class FormCode:
    """One page of a printed 附件2/附件3.

    ``content_hash`` and ``key_fingerprint`` may be given in full (a SHA-256 in hex, a
    fingerprint as ``3F2A9C1B-0D4E…``); the code keeps the upper-case hex *prefixes* it
    holds (``HASH_BYTES`` and ``FINGERPRINT_BYTES`` bytes), so a decoded code equals the
    one encoded. ``key_fingerprint`` is "" on 附件3 and on a 附件2 printed without a key.
    """

    kind: FormKind
    unit_id: str
    campaign_id: str
    revision: int
    content_hash: str
    draft: bool = False
    key_fingerprint: str = ""

    def __post_init__(self):
        object.__setattr__(self, "content_hash", hash_prefix(self.content_hash))
        if self.key_fingerprint:
            object.__setattr__(self, "key_fingerprint", fingerprint_prefix(self.key_fingerprint))

    def hash_matches(self, full_hash: str | None) -> bool:
        return bool(full_hash) and hash_prefix(full_hash) == self.content_hash

    def fingerprint_matches(self, full_fingerprint: str | None) -> bool:
        return bool(full_fingerprint) and fingerprint_prefix(full_fingerprint) == self.key_fingerprint


PaperCode = LetterCode | FormCode


# --------------------------------------------------------------------------- small helpers


def letter_number(letter_id: str) -> str:
    """The letter's number as printed beside its QR code: the first 8 hex digits of its id, upper case."""
    return uuid.UUID(letter_id).hex[:8].upper()


def _hex_prefix(text: str, size: int, what: str) -> str:
    digits = "".join(ch for ch in text if ch not in " -:").upper()
    if len(digits) < size * 2 or any(ch not in "0123456789ABCDEF" for ch in digits):
        raise ValueError(f"{what} is not a hex string of at least {size} bytes: {text!r}")
    return digits[: size * 2]


def hash_prefix(full_hash: str) -> str:
    """The part of a SHA-256 (hex) a form's code holds."""
    return _hex_prefix(full_hash, HASH_BYTES, "content hash")


def fingerprint_prefix(fingerprint: str) -> str:
    """The part of a key fingerprint (``3F2A9C1B-0D4E…``) a 附件2 code holds."""
    return _hex_prefix(fingerprint, FINGERPRINT_BYTES, "key fingerprint")


def _uuid_bytes(value: str, what: str) -> bytes:
    try:
        return uuid.UUID(value).bytes
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"{what} is not a UUID: {value!r}") from None


# --------------------------------------------------------------------------- base45 (RFC 9285)

_B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_VALUE = {ch: i for i, ch in enumerate(_B45)}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [_B45[n % 45], _B45[n // 45 % 45], _B45[n // 2025]]
    if len(data) % 2:
        n = data[-1]
        out += [_B45[n % 45], _B45[n // 45]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_B45_VALUE[ch] for ch in text]
    except KeyError:
        raise ValueError("not base45") from None
    if len(values) % 3 == 1:
        raise ValueError("base45 of a wrong length")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 2025
            if n > 0xFFFF:
                raise ValueError("base45 triple out of range")
            out += n.to_bytes(2, "big")
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45 pair out of range")
            out.append(n)
    return bytes(out)


# --------------------------------------------------------------------------- encoding

_LETTER = struct.Struct(">16s16s16sB")  # campaign, staff, letter, page
_FORM = struct.Struct(">16s16sHB8s")  # unit, campaign, revision, flags, hash prefix


def encode(code: PaperCode) -> str:
    """The QR text of ``code`` (alphanumeric characters only). Raises ``ValueError`` for ids
    that are not UUIDs, a page or revision out of range, a malformed hash or fingerprint."""
    head = f"{PREFIX}{FORMAT_VERSION}"
    if isinstance(code, LetterCode):
        if not 1 <= code.page <= 255:
            raise ValueError(f"letter page out of range: {code.page}")
        body = _LETTER.pack(_uuid_bytes(code.campaign_id, "campaign id"), _uuid_bytes(code.staff_id, "staff id"),
                            _uuid_bytes(code.letter_id, "letter id"), code.page)
        return head + _LETTER_KIND + b45encode(body)
    if not 1 <= code.revision <= 0xFFFF:
        raise ValueError(f"revision out of range: {code.revision}")
    body = _FORM.pack(_uuid_bytes(code.unit_id, "unit id"), _uuid_bytes(code.campaign_id, "campaign id"),
                      code.revision, _DRAFT_FLAG if code.draft else 0, bytes.fromhex(code.content_hash))
    if code.key_fingerprint:
        if code.kind is not FormKind.SUMMARY:
            raise ValueError("only 附件2 carries the key fingerprint")
        body += bytes.fromhex(code.key_fingerprint)
    return head + code.kind.value + b45encode(body)


def decode(text: str) -> PaperCode:
    """Read a QR text back; ``PaperCodeError`` (message in Chinese) when it is not one of ours,
    comes from a newer program, or is damaged."""
    text = text.strip("\r\n\t")  # not spaces: base45 uses the space as a digit
    if len(text) < 4 or not text.startswith(PREFIX):
        raise PaperCodeError("不是本程序打印的二维码")
    version, kind = text[2], text[3]
    if not version.isdigit():
        raise PaperCodeError("不是本程序打印的二维码")
    if int(version) > FORMAT_VERSION:
        raise PaperCodeError("二维码由更新版本的程序打印，请升级本程序后再读")
    try:
        body = b45decode(text[4:])
    except ValueError:
        raise PaperCodeError("二维码内容不完整") from None
    if kind == _LETTER_KIND:
        if len(body) != _LETTER.size:
            raise PaperCodeError("二维码内容不完整")
        campaign, staff, letter, page = _LETTER.unpack(body)
        if page < 1:
            raise PaperCodeError("二维码内容不完整")
        return LetterCode(str(uuid.UUID(bytes=campaign)), str(uuid.UUID(bytes=staff)), str(uuid.UUID(bytes=letter)),
                          page)
    try:
        form_kind = FormKind(kind)
    except ValueError:
        raise PaperCodeError("不是本程序打印的二维码") from None
    extra = len(body) - _FORM.size
    if extra not in (0, FINGERPRINT_BYTES) or (extra and form_kind is not FormKind.SUMMARY):
        raise PaperCodeError("二维码内容不完整")
    unit, campaign, revision, flags, digest = _FORM.unpack(body[: _FORM.size])
    if revision < 1:
        raise PaperCodeError("二维码内容不完整")
    return FormCode(form_kind, str(uuid.UUID(bytes=unit)), str(uuid.UUID(bytes=campaign)), revision,
                    digest.hex().upper(), bool(flags & _DRAFT_FLAG), body[_FORM.size :].hex().upper())
