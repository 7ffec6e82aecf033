"""The signed container behind every file that travels on a USB stick.

A 报送包 (``kind="filing-package"``), a 任务包 (``"campaign-file"``) and a 退回
(``"return-file"``) are all the same thing: a zip, read in memory and never
extracted, holding

* ``manifest.json`` — canonical JSON (``sort_keys``, ``ensure_ascii=False``,
  separators ``(",", ":")``, UTF-8, no BOM) of::

      {"format": "qingqing-container", "format_version": 1, "kind": "...",
       "package_id": "<uuid4>", "created_at": "<ISO 8601 UTC>",
       "signer_public_key": "<base64 of the raw 32-byte Ed25519 key>",
       "signer_fingerprint": "XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX",
       "members": {"<name>": {"sha256": "<hex>", "size": <bytes>}, ...},
       ...the caller's header fields (unit, campaign, revision, counts...)}

* ``manifest.sig`` — the raw 64-byte Ed25519 signature of the exact bytes of
  ``manifest.json``;
* the members, stored (not deflated: scans, PDFs and xlsx are compressed
  already, and a deflate stream has bits its decoder ignores).

The zip itself is canonical, so that its bytes are a function of the entries
alone: entries in the order ``manifest.json``, ``manifest.sig``, then the
members sorted by name; each a local header, name and data with nothing
between, from offset 0; then the central directory, then the end record with no
comment and nothing after it. Every header is fixed but for name, CRC-32, sizes
and offset: method stored, version 2.0 (made by and needed), made on Unix (3),
flags 0 (0x800 for a non-ASCII name, which is UTF-8), timestamp
``ZIP_DATE_TIME``, external attributes ``0o644 << 16``, internal attributes 0,
no extra field, no comment. So every byte of the file is covered: the content by
the hashes (and the manifest by the signature), the headers by the reader's
canonical-form check — a single flipped byte anywhere is refused.

Member names: any printable Unicode (``str.isprintable``: no control, format,
surrogate or line-separator characters, no bidi overrides) except
``\\ : * ? " < > |``; ``/`` separates at most one folder level; no leading
``/``, no empty, ``.`` or ``..`` segment, no segment beginning or ending with a
space or ending with ``.``, no Windows device name (``CON``, ``NUL``, ``COM1``…);
at most 200 characters; NFC-normalised; unique ignoring case; not
``manifest.json``/``manifest.sig``. So a name is also a safe file name on
Windows should someone ever save a member to disk.

``read_container`` trusts nothing: it checks the file size, member count,
declared sizes and compression ratios before inflating anything, reads every
member with a bounded read, then the manifest's form, its signature by the
embedded key, the kind, the pinned fingerprint (if the caller has one), that the
zip holds exactly the listed members, each member's size and SHA-256, and
last that the file is byte for byte the canonical zip of what it holds. Any
failure raises ``PackageRejected`` (an ``InputRejected``) with a Chinese message
naming the file and a machine-readable ``code`` (see ``REJECTION_CODES``).

Who may sign is the caller's business: without ``pinned_fingerprint`` any valid
signature is accepted and ``Container.fingerprint`` says whose it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import logging
import struct
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.text import shortened
from qingqing_desktop.exchange.keys import (
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    SigningKey,
    fingerprint_of,
    normalise_fingerprint,
    verify_signature,
)
from qingqing_desktop.store.atomic_file import atomic_write
from qingqing_desktop.store.faults import os_reason

FORMAT = "qingqing-container"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024  # scans and PDFs hardly compress; JSON is small
MAX_MEMBERS = 2000  # including manifest.json and manifest.sig
MAX_CENTRAL_SIGNATURES = 20 * MAX_MEMBERS  # see _Reader.open_zip
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_RATIO = 200  # for members over RATIO_MIN_SIZE; deflate's limit is ~1030:1
RATIO_MIN_SIZE = 1024 * 1024
MAX_NAME_LENGTH = 200
MAX_FOLDER_DEPTH = 1
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's timestamp (the manifest has the real one)

KIND_LABELS = {"filing-package": "报送包", "campaign-file": "任务包", "return-file": "退回文件"}
RESERVED_HEADER_KEYS = frozenset(
    {"format", "format_version", "kind", "package_id", "created_at", "signer_public_key", "signer_fingerprint", "members"}
)
REJECTION_CODES = frozenset(
    {
        "unreadable", "empty", "too_large", "not_zip", "damaged", "too_many_members", "ratio",
        "unsupported_member", "bad_member_name", "duplicate_member", "missing_manifest",
        "missing_signature", "bad_manifest", "wrong_format_version", "bad_signature", "wrong_kind",
        "unknown_signer", "missing_member", "extra_member", "size_mismatch", "hash_mismatch",
        "not_canonical",
    }
)

_FORBIDDEN_CHARS = frozenset('\\:*?"<>|')
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789¹²³"}
)
# What zipfile/zlib raise on a damaged or hostile archive (UnicodeDecodeError is a ValueError).
_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
    NotImplementedError, RuntimeError, struct.error, OverflowError, IndexError, KeyError, TypeError,
)

log = logging.getLogger(__name__)

_RESEND = "请让对方重新导出，并重新复制一份后再试。"
_DAMAGED = "文件已损坏（压缩结构不完整或数据校验失败），可能没有复制完整或U盘出错。" + _RESEND
_TAMPERED = "请勿使用这个文件：它可能在复制中损坏，也可能被改动过。" + _RESEND
_NOT_CANONICAL = "文件的内部结构与签名时不一致（可能被改动或损坏），已拒绝。" + _RESEND

# The canonical zip (see the module docstring): the writer emits these records and the
# reader compares the file with them byte for byte.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CENTRAL_RECORD = struct.Struct("<4s4B4H3L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP_VERSION = 20  # 2.0: what zipfile writes, made by and needed, for a stored entry
_ZIP_SYSTEM = 3  # made on Unix, whatever the writer's platform
_ZIP_EXTERNAL_ATTR = 0o644 << 16
_UTF8_NAME = 0x800
_DOS_TIME = (ZIP_DATE_TIME[3] << 11) | (ZIP_DATE_TIME[4] << 5) | (ZIP_DATE_TIME[5] // 2)
_DOS_DATE = ((ZIP_DATE_TIME[0] - 1980) << 9) | (ZIP_DATE_TIME[1] << 5) | ZIP_DATE_TIME[2]


class PackageRejected(InputRejected):
    """A container was refused; ``code`` says why, for the services and the tests."""

    def __init__(self, code: str, message: str, location: Location | None = None):
        assert code in REJECTION_CODES, code
        self.code = code
        super().__init__(message, location)


@dataclass(frozen=True)
class Container:
    """A verified container: everything in it matched the signed manifest."""

    manifest: dict
    manifest_bytes: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    public_key: bytes = field(repr=False)
    fingerprint: str
    _members: Mapping[str, bytes] = field(repr=False)

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def package_id(self) -> str:
        return self.manifest["package_id"]

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(sorted(self._members))

    def member(self, name: str) -> bytes:
        """A member's bytes; ``KeyError`` if the manifest lists no such member."""
        return self._members[unicodedata.normalize("NFC", name)]


# ---------------------------------------------------------------- names


def member_name_problem(name: object) -> str | None:
    """Why ``name`` is not an acceptable member name (in Chinese), or None if it is."""
    if not isinstance(name, str) or not name:
        return "名称为空"
    if len(name) > MAX_NAME_LENGTH:
        return f"名称超过{MAX_NAME_LENGTH}个字符"
    if unicodedata.normalize("NFC", name) != name:
        return "名称的Unicode编码形式不规范"
    for ch in name:
        if ch in _FORBIDDEN_CHARS:
            return f"名称含有不允许的字符“{ch}”"
        if not ch.isprintable():
            return f"名称含有不可见的控制字符(U+{ord(ch):04X})"
    if name.startswith("/"):
        return "名称是绝对路径"
    segments = name.split("/")
    if len(segments) > MAX_FOLDER_DEPTH + 1:
        return f"文件夹层数超过{MAX_FOLDER_DEPTH}层"
    for segment in segments:
        if segment in ("", ".", ".."):
            return "名称含有空的或“.”“..”路径段"
        if segment != segment.strip() or segment.endswith("."):
            return "名称的某一段以空格或句点开头或结尾"
        if segment.split(".")[0].upper() in _WINDOWS_DEVICES:
            return f"名称“{segment}”是Windows的设备名"
    if name.casefold() in (MANIFEST_NAME, SIGNATURE_NAME):
        return "名称与文件清单或数字签名的文件名相同"
    return None


# ---------------------------------------------------------------- writing


def _canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _encoded_name(name: str) -> tuple[bytes, int]:
    """A name's bytes and flag bits, as zipfile writes them: ASCII, else UTF-8 flagged 0x800."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


def _canonical_pieces(entries: Sequence[tuple[str, int, int]]) -> Iterator[bytes | int]:
    """The canonical zip of ``entries`` (name, size, CRC-32), in file order.

    Yields header bytes, or the index of the entry whose data goes there.
    """
    directory, offset = bytearray(), 0
    for index, (name, size, crc) in enumerate(entries):
        encoded, flags = _encoded_name(name)
        header = _LOCAL_HEADER.pack(
            b"PK\x03\x04", _ZIP_VERSION, flags, zipfile.ZIP_STORED, _DOS_TIME, _DOS_DATE, crc, size, size, len(encoded), 0
        ) + encoded
        yield header
        yield index
        directory += _CENTRAL_RECORD.pack(
            b"PK\x01\x02", _ZIP_VERSION, _ZIP_SYSTEM, _ZIP_VERSION, 0, flags, zipfile.ZIP_STORED, _DOS_TIME, _DOS_DATE,
            crc, size, size, len(encoded), 0, 0, 0, 0, _ZIP_EXTERNAL_ATTR, offset,
        ) + encoded
        offset += len(header) + size
    yield bytes(directory)
    yield _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)


def write_container(
    target: Path,
    *,
    kind: str,
    members: Mapping[str, bytes],
    header: Mapping[str, object],
    key: SigningKey,
) -> dict:
    """Write a signed container to ``target`` atomically; return its manifest.

    Bad arguments (a member name outside the rules, a header key the format
    reserves, values JSON cannot hold) are programming errors: ``ValueError`` or
    ``TypeError``. Content beyond what a reader accepts (too many members, too
    large) is ``InputRejected`` naming the target file; nothing is written then.
    """
    target = Path(target)
    where = Location(file=target.name)
    if not isinstance(kind, str) or not kind or not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in kind):
        raise ValueError(f"kind must be a short ASCII word like 'filing-package', not {kind!r}")
    clash = RESERVED_HEADER_KEYS.intersection(header)
    if clash:
        raise ValueError(f"header may not set {sorted(clash)}")
    if not all(isinstance(k, str) for k in header):
        raise TypeError("header keys must be strings")

    prepared: dict[str, bytes] = {}
    folded: dict[str, str] = {}
    for raw_name, data in members.items():
        name = unicodedata.normalize("NFC", raw_name) if isinstance(raw_name, str) else raw_name
        problem = member_name_problem(name)
        if problem:
            raise ValueError(f"member name {raw_name!r}: {problem}")
        if name.casefold() in folded:
            raise ValueError(f"member names {folded[name.casefold()]!r} and {raw_name!r} differ only in case or form")
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"member {raw_name!r} must be bytes, not {type(data).__name__}")
        folded[name.casefold()] = raw_name
        prepared[name] = bytes(data)

    if len(prepared) + 2 > MAX_MEMBERS:
        raise InputRejected(f"要打包的文件有{len(prepared)}个，超过{MAX_MEMBERS - 2}个的上限，请减少附件数量。", where)
    total = sum(len(d) for d in prepared.values())
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise InputRejected(
            f"要打包的内容共{total // (1024 * 1024)} MB，超过{MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB的上限。"
            "请降低扫描件的分辨率或减少附件后再试。",
            where,
        )

    created = datetime.now(UTC).replace(microsecond=0)
    manifest = {
        **header,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "package_id": str(uuid.uuid4()),
        "created_at": created.isoformat(),
        "signer_public_key": base64.b64encode(key.public_bytes()).decode("ascii"),
        "signer_fingerprint": key.fingerprint,
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in prepared.items()
        },
    }
    manifest_bytes = _canonical_json(manifest)
    signature = key.sign(manifest_bytes)

    entries = [(MANIFEST_NAME, manifest_bytes), (SIGNATURE_NAME, signature), *sorted(prepared.items())]
    with atomic_write(target, size=sum(len(data) for _name, data in entries)) as handle:
        for piece in _canonical_pieces([(name, len(data), zlib.crc32(data)) for name, data in entries]):
            handle.write(entries[piece][1] if isinstance(piece, int) else piece)
        size = handle.tell()
        if size > MAX_FILE_BYTES:  # raising here removes the temporary file
            raise InputRejected(
                f"生成的文件有{size // (1024 * 1024)} MB，超过{MAX_FILE_BYTES // (1024 * 1024)} MB的上限。"
                "请降低扫描件的分辨率或减少附件后再试。",
                where,
            )
    return json.loads(manifest_bytes)


# ---------------------------------------------------------------- reading


class _Reader:
    """One read of one container; ``reject`` builds the error with the file's name."""

    def __init__(self, display_name: str | None, expected: frozenset[str],
                 member_words: Callable[[str], str] | None = None):
        self.where = Location(file=display_name)
        self.expected = expected
        labels = {KIND_LABELS.get(k, "文件") for k in expected}
        self.label = labels.pop() if len(labels) == 1 else "文件"
        described = member_words or file_words
        self.words = lambda name: _OWN_WORDS.get(name) or described(name)

    def reject(self, code: str, message: str, *, names: Iterable[str] = ()) -> PackageRejected:
        """The refusal, in words; the members' own names, if any, go to the log for whoever looks into it."""
        names = list(names)
        if names:
            log.warning("%s refused (%s): %s", self.where.file, code, ", ".join(map(repr, names)))
        return PackageRejected(code, message, self.where)

    def listing(self, names: list[str], limit: int = 5) -> str:
        shown = "、".join(self.words(n) for n in names[:limit])
        return shown + (f"等{len(names)}项" if len(names) > limit else "")

    # -- bytes and zip structure

    def load(self, source: Path | bytes) -> bytes:
        if isinstance(source, bytes | bytearray | memoryview):
            data = bytes(source)
            self._check_file_size(len(data))
            return data
        try:
            self._check_file_size(Path(source).stat().st_size)
            with open(source, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after stat
        except FileNotFoundError:
            raise self.reject("unreadable", "找不到这个文件，它可能已被移动或删除，或U盘已拔出。") from None
        except PermissionError:
            raise self.reject("unreadable", "没有权限读取这个文件（可能正被其他程序占用），请关闭相关程序后重试。") from None
        except IsADirectoryError:
            raise self.reject("unreadable", f"这是一个文件夹，不是{self.label}。") from None
        except OSError as exc:
            raise self.reject("unreadable", f"无法读取这个文件：{os_reason(exc)}也可以把它复制到本机硬盘后再试。") from None
        self._check_file_size(len(data))
        return data

    def _check_file_size(self, size: int) -> None:
        if size == 0:
            raise self.reject("empty", f"文件是空的（0字节），不是有效的{self.label}，可能没有复制完整。" + _RESEND)
        if size > MAX_FILE_BYTES:
            raise self.reject(
                "too_large",
                f"文件有{size // (1024 * 1024)} MB，超过{self.label}{MAX_FILE_BYTES // (1024 * 1024)} MB的上限，已拒绝读取。",
            )

    def open_zip(self, data: bytes) -> zipfile.ZipFile:
        if not data.startswith(b"PK\x03\x04"):
            raise self.reject(
                "not_zip", f"这不是亲清填报的{self.label}（文件格式不对，可能是别的文件改了扩展名）。请确认选择的文件是否正确。"
            )
        # zipfile builds a ZipInfo for every central-directory record, each starting with
        # this signature; a 200 MB file of tiny records would cost gigabytes before the exact
        # count below could refuse it. Members that are zips themselves (.xlsx, stored as they
        # are) contain the signature too, hence the generous bound.
        if data.count(b"PK\x01\x02") > MAX_CENTRAL_SIGNATURES:
            raise self.reject("too_many_members", f"文件内部的部件数量异常多，不像正常的{self.label}，已拒绝读取。")
        try:
            return zipfile.ZipFile(io.BytesIO(data))
        except _ZIP_ERRORS:
            raise self.reject("damaged", _DAMAGED) from None

    def check_entries(self, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
        """Names, counts and declared sizes, all from the central directory: nothing inflated yet."""
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.reject(
                "too_many_members", f"文件内部有{len(infos)}个部件，超过{MAX_MEMBERS}个的上限，不像正常的{self.label}，已拒绝读取。"
            )
        by_name: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        total = 0
        for info in infos:
            name = info.orig_filename  # as stored: zipfile cuts names at NUL and may turn \ into /
            if name in (MANIFEST_NAME, SIGNATURE_NAME):
                problem = None
            else:
                problem = member_name_problem(name)
            if problem:
                raise self.reject("bad_member_name", f"文件内部的部件“{_shown(name)}”不合规（{problem}），已拒绝读取。" + _TAMPERED)
            if name.casefold() in folded:
                raise self.reject("duplicate_member", f"文件内部有两份{self.words(name)}，已拒绝读取。" + _TAMPERED,
                                  names=[name])
            folded.add(name.casefold())
            by_name[name] = info
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.reject(
                    "unsupported_member",
                    f"文件内部的{self.words(name)}经过加密或使用了本程序不支持的压缩方式，已拒绝读取。" + _TAMPERED, names=[name],
                )
            if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise self.reject(
                    "ratio",
                    f"文件内部的{self.words(name)}解压后比压缩时大{info.file_size // max(info.compress_size, 1)}倍，"
                    "疑似“压缩炸弹”，已拒绝读取。", names=[name],
                )
            total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise self.reject(
                "too_large",
                f"文件解压后共{total // (1024 * 1024)} MB，超过{MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB的上限"
                "（可能是“压缩炸弹”），已拒绝读取。",
            )
        return by_name

    def read_entry(self, data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """Inflate one member, never past its declared size, and insist on an exact fit.

        zipfile checks the local header's signature and name when the member is
        opened; its flags, method, CRC and sizes must equal the central directory's
        (our writer never uses data descriptors). Inflating is bounded to the
        declared size plus one byte, and the stream must end exactly: nothing beyond
        the declared size, no compressed data left over, CRC-32 as declared. So every
        compressed byte counts, even those of an empty member, which zipfile's own
        reader would never look at.
        """
        try:
            archive.open(info).close()
            header = struct.unpack_from("<4s5H3L2H", data, info.header_offset)
        except _ZIP_ERRORS:
            raise self.reject("damaged", _DAMAGED) from None
        _magic, _version, flags, method, _time, _date, crc, compress_size, file_size, name_length, extra_length = header
        # the local header must tell the same story as the central directory, so that
        # a tool that reads local headers cannot be shown other content than we verified
        local = (flags, method, crc, compress_size, file_size)
        if local != (info.flag_bits, info.compress_type, info.CRC, info.compress_size, info.file_size):
            raise self.reject("damaged", _DAMAGED)
        start = info.header_offset + 30 + name_length + extra_length
        raw = data[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            content, complete = raw, len(raw) == info.compress_size == info.file_size
        else:
            inflater = zlib.decompressobj(-15)
            try:
                content = inflater.decompress(raw, info.file_size + 1)
            except zlib.error:
                raise self.reject("damaged", _DAMAGED) from None
            complete = inflater.eof and not inflater.unused_data and not inflater.unconsumed_tail
        if not complete or len(content) != info.file_size or zlib.crc32(content) != info.CRC:
            raise self.reject("damaged", _DAMAGED)
        return content

    # -- manifest and signature

    def parse_manifest(self, raw: bytes) -> dict:
        bad = f"文件清单格式错误，这不是有效的{self.label}。" + _TAMPERED
        try:
            manifest = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise self.reject("bad_manifest", bad) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise self.reject("bad_manifest", f"这不是亲清填报生成的{self.label}（文件清单的格式标识不对）。请确认选择的文件是否正确。")
        version = manifest.get("format_version")
        if not _is_int(version) or version < 1:
            raise self.reject("bad_manifest", bad)
        if version > FORMAT_VERSION:
            raise self.reject(
                "wrong_format_version",
                f"这个{self.label}由更新版本的亲清填报生成（文件格式第{version}版，本程序只能读取第{FORMAT_VERSION}版）。"
                "请先把亲清填报升级到最新版本，再打开这个文件。",
            )
        try:
            members = manifest["members"]
            public_key = base64.b64decode(manifest["signer_public_key"], validate=True)
            ok = (
                all(isinstance(manifest[k], str) for k in ("kind", "created_at", "signer_fingerprint", "package_id"))
                and str(uuid.UUID(manifest["package_id"])) == manifest["package_id"]
                and len(public_key) == PUBLIC_KEY_SIZE
                and isinstance(members, dict)
                and all(member_name_problem(n) is None and _is_member_entry(e) for n, e in members.items())
                and len({n.casefold() for n in members}) == len(members)
            )
        except (KeyError, TypeError, ValueError, binascii.Error):
            ok = False
        if not ok:
            raise self.reject("bad_manifest", bad)
        return manifest

    def check_signature(self, manifest: dict, raw: bytes, signature: bytes) -> tuple[bytes, str]:
        public_key = base64.b64decode(manifest["signer_public_key"], validate=True)
        if len(signature) != SIGNATURE_SIZE or not verify_signature(public_key, raw, signature):
            raise self.reject(
                "bad_signature", f"{self.label}的数字签名验证失败：文件清单在签名之后被改动过，或文件已损坏。" + _TAMPERED
            )
        fingerprint = fingerprint_of(public_key)
        if manifest["signer_fingerprint"] != fingerprint:
            raise self.reject("bad_manifest", f"文件清单中的密钥指纹与签名密钥不符，这不是有效的{self.label}。" + _TAMPERED)
        return public_key, fingerprint

    def check_kind(self, manifest: dict) -> None:
        kind = manifest["kind"]
        if kind not in self.expected:
            actual = KIND_LABELS.get(kind, f"“{_shown(kind)}”类型的文件")
            wanted = "或".join(sorted(KIND_LABELS.get(k, k) for k in self.expected))
            raise self.reject("wrong_kind", f"这是{actual}，不是{wanted}。请确认选择的文件是否正确。")

    def check_pin(self, fingerprint: str, pinned: str | None) -> None:
        if pinned is not None and normalise_fingerprint(pinned) != fingerprint:
            raise self.reject(
                "unknown_signer",
                f"签名密钥与此前登记的不一致：此前登记的密钥指纹是 {normalise_fingerprint(pinned)}，"
                f"这个文件的签名密钥指纹是 {fingerprint}。这个文件可能不是由对方发出的，已拒绝导入。"
                "如果对方确实更换了电脑或密钥，请电话核对新指纹（与盖章的纸质汇总表上打印的一致）后，重新登记再导入。",
            )

    # -- members against the manifest

    def check_member_set(self, manifest: dict, entries: dict[str, zipfile.ZipInfo]) -> None:
        listed = set(manifest["members"])
        present = set(entries) - {MANIFEST_NAME, SIGNATURE_NAME}
        missing, extra = sorted(listed - present), sorted(present - listed)
        if missing:
            also = f"另有文件清单之外的文件：{_listing(extra)}。" if extra else ""
            raise self.reject("missing_member", f"{self.label}中缺少文件清单列出的{self.listing(missing)}。{also}"
                              + _TAMPERED, names=missing)
        if extra:
            raise self.reject("extra_member", f"{self.label}中有文件清单之外的文件：{_listing(extra)}。" + _TAMPERED)
        for name in sorted(listed):
            if entries[name].file_size != manifest["members"][name]["size"]:
                raise self.reject("size_mismatch", f"{self.label}中的{self.words(name)}大小与文件清单不符。" + _TAMPERED,
                                  names=[name])

    def check_canonical(self, data: bytes, entries: list[tuple[str, bytes, int]]) -> None:
        """The file must be, byte for byte, the canonical zip of its verified entries (name, content, CRC-32).

        The content is covered by the signed hashes; this covers every other byte:
        headers, names, order, gaps, central directory and end record.
        """
        position = 0
        for piece in _canonical_pieces([(name, len(content), crc) for name, content, crc in entries]):
            expected = entries[piece][1] if isinstance(piece, int) else piece
            if not data.startswith(expected, position):
                raise self.reject("not_canonical", _NOT_CANONICAL)
            position += len(expected)
        if position != len(data):
            raise self.reject("not_canonical", _NOT_CANONICAL)

    def check_member_data(self, manifest: dict, name: str, data: bytes) -> None:
        expected = manifest["members"][name]
        if len(data) != expected["size"]:
            raise self.reject("size_mismatch", f"{self.label}中的{self.words(name)}大小与文件清单不符。" + _TAMPERED,
                              names=[name])
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected["sha256"]:
            # The clerk reads what happened in plain words; the hashes are for whoever reads the log.
            log.warning("%s refused: member %s has SHA-256 %s, the signed manifest lists %s",
                        self.where.file, name, digest, expected["sha256"])
            raise self.reject("hash_mismatch", f"{self.label}中的{self.words(name)}在签名之后被改动过，或者在复制中损坏了，"
                              "已不是对方签名时的内容。请勿使用这个文件。" + _RESEND)


def read_container(
    source: Path | bytes,
    *,
    expected_kind: str | set[str] | frozenset[str],
    display_name: str | None = None,
    pinned_fingerprint: str | None = None,
    member_words: Callable[[str], str] | None = None,
) -> Container:
    """Read and verify a container from a file or from bytes; ``PackageRejected`` on any doubt.

    ``display_name`` names the file in messages (default: the file's name).
    ``pinned_fingerprint``, if given, is the signer's fingerprint registered
    earlier; a container signed by any other key is refused as ``unknown_signer``.
    ``member_words`` says what a member is in a refusal (“填报数据” for data.json): the reader of a kind
    knows its members; a name it does not know stays a file name (``file_words``).
    """
    expected = frozenset([expected_kind] if isinstance(expected_kind, str) else expected_kind)
    if not expected:
        raise ValueError("expected_kind is empty")
    if display_name is None and not isinstance(source, bytes | bytearray | memoryview):
        display_name = Path(source).name
    reader = _Reader(display_name, expected, member_words)

    data = reader.load(source)
    with reader.open_zip(data) as archive:
        entries = reader.check_entries(archive)
        if MANIFEST_NAME not in entries:
            raise reader.reject(
                "missing_manifest", f"这不是亲清填报的{reader.label}：文件里没有文件清单。请确认选择的文件是否正确。",
                names=[MANIFEST_NAME]
            )
        if SIGNATURE_NAME not in entries:
            raise reader.reject("missing_signature", f"{reader.label}没有数字签名，无法确认来源，已拒绝读取。" + _TAMPERED,
                                names=[SIGNATURE_NAME])
        manifest_info, signature_info = entries[MANIFEST_NAME], entries[SIGNATURE_NAME]
        if manifest_info.file_size > MAX_MANIFEST_BYTES:
            raise reader.reject("bad_manifest", f"文件清单过大，这不是有效的{reader.label}。" + _TAMPERED)
        if signature_info.file_size != SIGNATURE_SIZE:
            raise reader.reject("bad_signature", f"{reader.label}的数字签名格式错误。" + _TAMPERED)

        manifest_bytes = reader.read_entry(data, archive, manifest_info)
        signature = reader.read_entry(data, archive, signature_info)
        manifest = reader.parse_manifest(manifest_bytes)
        public_key, fingerprint = reader.check_signature(manifest, manifest_bytes, signature)
        reader.check_kind(manifest)
        reader.check_pin(fingerprint, pinned_fingerprint)
        reader.check_member_set(manifest, entries)

        members = {}
        for name in sorted(manifest["members"]):
            members[name] = reader.read_entry(data, archive, entries[name])
            reader.check_member_data(manifest, name, members[name])
        reader.check_canonical(
            data,
            [
                (MANIFEST_NAME, manifest_bytes, manifest_info.CRC),
                (SIGNATURE_NAME, signature, signature_info.CRC),
                *((name, members[name], entries[name].CRC) for name in sorted(members)),
            ],
        )

    return Container(
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        signature=signature,
        public_key=public_key,
        fingerprint=fingerprint,
        _members=members,
    )


# ---------------------------------------------------------------- small helpers


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_member_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and set(entry) == {"sha256", "size"}
        and isinstance(entry["sha256"], str)
        and len(entry["sha256"]) == 64
        and all(ch in "0123456789abcdef" for ch in entry["sha256"])
        and _is_int(entry["size"])
        and entry["size"] >= 0
    )


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in manifest")
    return result


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _shown(name: str, limit: int = 60) -> str:
    """A name made safe to show in a message: control characters escaped, long names cut."""
    return shortened("".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in name), limit)


_OWN_WORDS = {MANIFEST_NAME: "文件清单", SIGNATURE_NAME: "数字签名"}


def file_words(name: str) -> str:
    """A member no reader described, as a refusal names it: 文件“扫描件/承诺书.pdf”."""
    return f"文件“{_shown(name)}”"


def _listing(names: list[str], limit: int = 5) -> str:
    shown = "、".join(f"“{_shown(n)}”" for n in names[:limit])
    return shown + (f"等{len(names)}个" if len(names) > limit else "")
