"""报送包 (.qqpkg): what a unit hands to the discipline office, built on ``signed_container``.

Members:

* ``data.json`` — UTF-8 JSON::

      {"format": "qingqing-filing-data", "format_version": 1,
       "revision": n, "content_sha256": "<hex>", "finalized_at": "...", "finalized_by": "...",
       "snapshot": {...},        # the filed snapshot of revision n, exactly as
                                 # domain.filing.build_snapshot made it at 定稿
       "rectification": {"<finding id>": {"done_on": "YYYY-MM-DD" | null, "done_note": "..."}},
       "scans": {"<staff id>": {"member": "scans/<staff id>.png", "file_name": "...",
                                "mime": "image/png", "sha256": "<hex>"}},
       "documents": ["附件2_承诺书签订情况汇总表.pdf", ...]}

  ``content_sha256`` is recomputed from ``snapshot`` on reading, so the hash printed
  on the stamped paper vouches for exactly this content. Rectification progress
  changes after 定稿 without a new revision, hence it sits beside the snapshot.
* the generated PDFs and Excel files named in ``documents``;
* ``scans/<staff id>.<png|jpg|pdf>`` — the scans of signed pledge pages.

Signed header fields (besides the container's own): ``unit`` (id, name, kind,
leader), ``campaign`` (id, title, document_number), ``revision``, ``sequence`` (the
unit's package counter), ``content_sha256`` and ``counts`` — all checked against
data.json when read.

``read_filing_package`` checks everything the container checks, then data.json
strictly (exact keys, types, lengths, UUIDs, dates), then that header, data and
members agree. Every refusal is an ``InputRejected`` naming the file and the field.
Who signed and whether the campaign is known is for the caller (the office service).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import SNAPSHOT_FORMAT, content_sha256
from qingqing_desktop.domain.office import HEADER_FIELDS, FilingCounts, finding_dicts, package_counts
from qingqing_desktop.domain.pledge import SCAN_MIME_TYPES, PledgeScan, PledgeStatus, check_scan
from qingqing_desktop.domain.staff import RankCategory, StaffStatus
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.domain.unit import UnitKind
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.signed_container import Container, file_words, read_container, write_container

KIND = "filing-package"
EXTENSION = ".qqpkg"
DATA_FORMAT = "qingqing-filing-data"
DATA_FORMAT_VERSION = 1
DATA_MEMBER = "data.json"
DATA_WORDS = "填报数据"  # data.json, as messages call it
SCAN_FOLDER = "scans"
SCAN_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}
DOCUMENT_MAGIC = {".pdf": b"%PDF-", ".xlsx": b"PK\x03\x04"}
MAX_PEOPLE = 5000
MAX_FINDINGS = 1000

_RESEND = "请让报送单位重新生成报送包。"


# ----------------------------------------------------------------------------- file names

_QUOTES = re.compile(r"[“”\"'‘’《》「」]")


SHORT_TITLE_LENGTH = 20
_OPENERS = "（([【〔"
_PAIRS = {"）": "（", ")": "(", "]": "[", "】": "【", "〕": "〔"}
_DANGLING = "、，,；;：:·—-_ "


def short_title(title: str, issuer: str = "") -> str:
    """行动标题简称: the title without quotes, without the issuing body in front
    (the unit knows who issued it), at most 20 characters.

    A cut never leaves half a bracket (“…（三清单” reads as a typo in a file name)
    or a pause mark at the end: it falls back to before the open bracket, and
    trailing 、，： go.
    """
    text = _QUOTES.sub("", title).strip()
    issuer = _QUOTES.sub("", issuer).strip()
    if issuer and text.startswith(issuer) and len(text) > len(issuer):
        text = text[len(issuer):]
    text = re.sub(r"^关于(开展)?", "", text)
    if len(text) <= SHORT_TITLE_LENGTH:
        return text
    cut = text[:SHORT_TITLE_LENGTH]
    open_at: list[int] = []
    for i, ch in enumerate(cut):
        if ch in _OPENERS:
            open_at.append(i)
        elif ch in _PAIRS and open_at and cut[open_at[-1]] == _PAIRS[ch]:
            open_at.pop()
    if open_at and open_at[0] > 0:
        cut = cut[:open_at[0]]
    return cut.rstrip(_DANGLING) or text[:SHORT_TITLE_LENGTH]


def package_file_name(unit_name: str, campaign_title: str, revision: int, issuer: str = "") -> str:
    """报送包_<单位>_<行动标题简称>_第<n>版.qqpkg"""
    return (f"报送包_{file_name_part(unit_name, 30)}_{file_name_part(short_title(campaign_title, issuer), 20)}"
            f"_第{revision}版{EXTENSION}")


def scan_member(staff_id: str, mime: str) -> str:
    return f"{SCAN_FOLDER}/{staff_id}.{SCAN_EXTENSIONS[mime]}"


def member_words(name: str) -> str:
    """What a member is, as a refusal names it for the reviewer (the log keeps its file name)."""
    if name == DATA_MEMBER:
        return DATA_WORDS
    if name.startswith(SCAN_FOLDER + "/"):
        return "一份签字页扫描件"
    return file_words(name)  # the documents: 附件2_承诺书签订情况汇总表.pdf says what it is


# ----------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class PackageContent:
    """Everything a 报送包 carries, gathered by the package service from a finalised filing."""

    snapshot: Mapping
    content_sha256: str
    finalized_at: str
    finalized_by: str
    rectification: Mapping[str, Mapping]  # finding id → {"done_on": ISO date | None, "done_note": str}
    scans: Mapping[str, PledgeScan] = field(default_factory=dict)  # staff id → scan
    documents: Mapping[str, bytes] = field(default_factory=dict)  # member name → PDF/xlsx bytes


def _data_json(content: PackageContent) -> dict:
    return {
        "format": DATA_FORMAT,
        "format_version": DATA_FORMAT_VERSION,
        "revision": content.snapshot["revision"],
        "content_sha256": content.content_sha256,
        "finalized_at": content.finalized_at,
        "finalized_by": content.finalized_by,
        "snapshot": content.snapshot,
        "rectification": {k: dict(v) for k, v in content.rectification.items()},
        "scans": {
            staff_id: {"member": scan_member(staff_id, scan.mime), "file_name": scan.file_name, "mime": scan.mime,
                       "sha256": scan.sha256}
            for staff_id, scan in content.scans.items()
        },
        "documents": sorted(content.documents),
    }


def package_header(snapshot: Mapping, *, sequence: int, sha256: str, counts: FilingCounts) -> dict:
    unit, campaign = snapshot["unit"], snapshot["campaign"]
    return {
        "unit": {"id": unit["id"], "name": unit["name"], "kind": unit["kind"], "leader": unit["leader"]},
        "campaign": {"id": campaign["id"], "title": campaign["title"], "document_number": campaign["document_number"]},
        "revision": snapshot["revision"],
        "sequence": sequence,
        "content_sha256": sha256,
        "counts": counts.header_dict(),
    }


def write_filing_package(target: Path, content: PackageContent, *, sequence: int, key: SigningKey) -> dict:
    """Write the 报送包 to ``target`` atomically and return its manifest."""
    data = _data_json(content)
    members = {DATA_MEMBER: json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")}
    for staff_id, scan in content.scans.items():
        members[scan_member(staff_id, scan.mime)] = scan.data
    members.update(content.documents)
    counts = package_counts(content.snapshot, content.rectification)
    header = package_header(content.snapshot, sequence=sequence, sha256=content.content_sha256, counts=counts)
    return write_container(Path(target), kind=KIND, members=members, header=header, key=key)


# ----------------------------------------------------------------------------- strict JSON checking


class Invalid(Exception):
    """A data.json problem: ``where`` is a Chinese path to the field, ``what`` the problem."""

    def __init__(self, where: str, what: str):
        super().__init__(where, what)
        self.where, self.what = where, what


Check = Callable[[object, str], None]


def text(max_length: int, *, required: bool = False) -> Check:
    def check(value: object, where: str) -> None:
        if not isinstance(value, str):
            raise Invalid(where, "应是文字")
        if required and not value.strip():
            raise Invalid(where, "不能为空")
        if len(value) > max_length:
            raise Invalid(where, f"超过{max_length}个字")
    return check


def uuid_text(value: object, where: str) -> None:
    try:
        ok = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        ok = False
    if not ok:
        raise Invalid(where, "不是有效的编号（UUID）")


def iso_date(value: object, where: str) -> None:
    try:
        ok = isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        ok = False
    if not ok:
        raise Invalid(where, "不是有效的日期（YYYY-MM-DD）")


def timestamp(value: object, where: str) -> None:
    try:
        ok = isinstance(value, str) and len(value) <= 40 and dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        ok = False
    if not ok:
        raise Invalid(where, "不是有效的时间")


def sha256_text(value: object, where: str) -> None:
    if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
        raise Invalid(where, "不是有效的SHA-256校验码")


def boolean(value: object, where: str) -> None:
    if not isinstance(value, bool):
        raise Invalid(where, "应是 true 或 false")


def integer(minimum: int, maximum: int = 10**9) -> Check:
    def check(value: object, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise Invalid(where, f"应是{minimum}至{maximum}之间的整数")
    return check


def one_of(values: tuple[str, ...]) -> Check:
    def check(value: object, where: str) -> None:
        if value not in values:
            raise Invalid(where, f"应是{'、'.join(values)}之一")
    return check


def nullable(inner: Check) -> Check:
    def check(value: object, where: str) -> None:
        if value is not None:
            inner(value, where)
    return check


def record(fields: Mapping[str, tuple[str, Check]]) -> Check:
    """A JSON object with exactly these keys; ``fields``: key → (Chinese label, check)."""
    def check(value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise Invalid(where or "整体", "应是一个对象（{…}）")
        missing = [fields[k][0] for k in fields if k not in value]
        if missing:
            raise Invalid(where or "整体", f"缺少“{'、'.join(missing)}”")
        extra = sorted(k for k in value if k not in fields)
        if extra:
            raise Invalid(where or "整体", f"有不认识的项“{'、'.join(str(k)[:30] for k in extra[:3])}”")
        for key, (label, inner) in fields.items():
            inner(value[key], f"{where} › {label}" if where else label)
    return check


def list_of(inner: Check, *, item_label: str, max_items: int, exact: int | None = None) -> Check:
    def check(value: object, where: str) -> None:
        if not isinstance(value, list):
            raise Invalid(where, "应是一个列表（[…]）")
        if exact is not None and len(value) != exact:
            raise Invalid(where, f"应有{exact}项，实有{len(value)}项")
        if len(value) > max_items:
            raise Invalid(where, f"超过{max_items}项")
        for index, item in enumerate(value, start=1):
            inner(item, f"{where} › 第{index}{item_label}")
    return check


def mapping_of(key_check: Check, inner: Check, *, item_label: str, max_items: int) -> Check:
    def check(value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise Invalid(where, "应是一个对象（{…}）")
        if len(value) > max_items:
            raise Invalid(where, f"超过{max_items}项")
        for key, item in value.items():
            key_check(key, f"{where} › {item_label}编号")
            inner(item, f"{where} › {item_label}“{str(key)[:36]}”")
    return check


def parse_json(raw: bytes, what: str, file_name: str, resend: str) -> object:
    """A JSON member, strictly: UTF-8, no duplicate keys, no NaN/Infinity."""
    def no_duplicates(pairs):
        result = dict(pairs)
        if len(result) != len(pairs):
            raise ValueError("duplicate key")
        return result

    def no_constants(name):
        raise ValueError(name)

    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except (ValueError, RecursionError):
        raise InputRejected(f"{what}格式错误，无法读取。{resend}", Location(file=file_name)) from None


def _values(enum_type) -> tuple[str, ...]:
    return tuple(member.value for member in enum_type)


_RANKS, _STATUSES, _PLEDGE_STATUSES = _values(RankCategory), _values(StaffStatus), _values(PledgeStatus)

_CAMPAIGN = record({
    "id": ("行动编号", uuid_text), "title": ("行动名称", text(100, required=True)),
    "document_number": ("文号", text(60)), "deadline": ("截止日期", iso_date), "recipient": ("报送对象", text(60)),
    "template_id": ("政策模板", text(60, required=True)), "template_version": ("模板版本", integer(1)),
})
_UNIT = record({
    "id": ("单位编号", uuid_text), "name": ("单位名称", text(60, required=True)), "kind": ("单位类型", one_of(_values(UnitKind))),
    "leader": ("单位负责人", text(30)), "contact": ("联系人", text(30)), "phone": ("联系电话", text(30)),
})
_PERSON = record({
    "id": ("人员编号", uuid_text), "name": ("姓名", text(30, required=True)), "rank": ("职务类别", one_of(_RANKS)),
    "title": ("职务", text(200)), "post": ("工作岗位", text(200)), "party_member": ("是否党员", boolean),
    "status": ("状态", one_of(_STATUSES)),
})
_PLEDGE = record({
    "staff_id": ("人员编号", uuid_text), "name": ("姓名", text(30, required=True)), "rank": ("职务类别", one_of(_RANKS)),
    "post": ("工作岗位", text(200)), "party_member": ("是否党员", boolean), "staff_status": ("人员状态", one_of(_STATUSES)),
    "required": ("是否需签订", boolean), "required_by_rule": ("按规则是否需签订", boolean), "rule_reason": ("规则依据", text(200)),
    "required_override": ("人工认定", nullable(boolean)), "override_reason": ("人工认定理由", text(200)),
    "status": ("签订状态", one_of(_PLEDGE_STATUSES)), "signed_on": ("签订日期", nullable(iso_date)),
    "status_reason": ("说明", text(200)), "scan_sha256": ("扫描件校验码", nullable(sha256_text)), "title": ("职务", text(200)),
})
_FINDING = record({
    "id": ("问题编号", uuid_text), "row": ("所在行", integer(1, 3)), "problem": ("存在问题", text(500, required=True)),
    "measure": ("整改措施", text(500, required=True)), "owner_id": ("责任人编号", uuid_text),
    "owner_name": ("责任人", text(30, required=True)), "due": ("整改时限", iso_date), "list_key": ("对应清单", text(40)),
    "item_index": ("对应清单条目", nullable(integer(1, 1000))),
})
_SELF_CHECK_ROW = record({
    "row": ("行号", integer(1, 3)), "item": ("项目内容", text(500)), "none_confirmed": ("确认无问题", boolean),
    "findings": ("问题", list_of(_FINDING, item_label="条问题", max_items=MAX_FINDINGS)),
})
_SNAPSHOT = record({
    "format": ("快照格式", integer(SNAPSHOT_FORMAT, SNAPSHOT_FORMAT)), "revision": ("版次", integer(1)),
    "campaign": ("行动", _CAMPAIGN), "unit": ("单位", _UNIT),
    "roster": ("人员名单", list_of(_PERSON, item_label="人", max_items=MAX_PEOPLE)),
    "pledges": ("承诺书签订", list_of(_PLEDGE, item_label="人", max_items=MAX_PEOPLE)),
    "self_check": ("自查表", record({
        "header": ("表头", record({"unit": ("填报单位", text(60)), "leader": ("单位负责人", text(30)),
                                   "date": ("填报日期", nullable(iso_date))})),
        "rows": ("各行", list_of(_SELF_CHECK_ROW, item_label="行", max_items=3, exact=3)),
    })),
})
_DATA = record({
    "format": ("格式标识", one_of((DATA_FORMAT,))), "format_version": ("格式版本", integer(1, DATA_FORMAT_VERSION)),
    "revision": ("版次", integer(1)), "content_sha256": ("内容校验码", sha256_text), "finalized_at": ("定稿时间", timestamp),
    "finalized_by": ("定稿人", text(60)), "snapshot": ("定稿内容", _SNAPSHOT),
    "rectification": ("整改进展", mapping_of(
        uuid_text, record({"done_on": ("整改完成日期", nullable(iso_date)), "done_note": ("整改情况说明", text(200))}),
        item_label="问题", max_items=MAX_FINDINGS * 3,
    )),
    "scans": ("扫描件", mapping_of(
        uuid_text, record({"member": ("文件", text(200, required=True)), "file_name": ("原文件名", text(260)),
                        "mime": ("类型", one_of(SCAN_MIME_TYPES)), "sha256": ("校验码", sha256_text)}),
        item_label="人员", max_items=MAX_PEOPLE,
    )),
    "documents": ("文书", list_of(text(200, required=True), item_label="个文件", max_items=50)),
})
_COUNTS = record({name: (name, nullable(integer(0))) for name in HEADER_FIELDS})
_HEADER_KEYS = ("unit", "campaign", "revision", "sequence", "content_sha256", "counts")
_HEADER = record({
    "unit": ("单位", record({"id": ("单位编号", uuid_text), "name": ("单位名称", text(60, required=True)),
                            "kind": ("单位类型", one_of(_values(UnitKind))), "leader": ("单位负责人", text(30))})),
    "campaign": ("行动", record({"id": ("行动编号", uuid_text), "title": ("行动名称", text(100, required=True)),
                                "document_number": ("文号", text(60))})),
    "revision": ("版次", integer(1)), "sequence": ("报送包序号", integer(1)), "content_sha256": ("内容校验码", sha256_text),
    "counts": ("统计数", _COUNTS),
})


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FilingPackage:
    """A verified 报送包: the container checked, data.json valid, header, data and members agreeing."""

    container: Container
    file_name: str
    data: dict = field(repr=False)
    data_sha256: str

    @property
    def manifest(self) -> dict:
        return self.container.manifest

    @property
    def package_id(self) -> str:
        return self.container.package_id

    @property
    def fingerprint(self) -> str:
        return self.container.fingerprint

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def unit(self) -> dict:
        return self.manifest["unit"]

    @property
    def campaign(self) -> dict:
        return self.manifest["campaign"]

    @property
    def revision(self) -> int:
        return self.manifest["revision"]

    @property
    def sequence(self) -> int:
        return self.manifest["sequence"]

    @property
    def content_sha256(self) -> str:
        return self.manifest["content_sha256"]

    @property
    def header_counts(self) -> FilingCounts:
        """The counts the signed header states (without ``pledges_signed_unrequired``)."""
        return FilingCounts.from_dict(self.manifest["counts"])

    @functools.cached_property
    def counts(self) -> FilingCounts:
        """Every count of the filing, from its data (checked equal to the header's where it has them)."""
        return package_counts(self.snapshot, self.data["rectification"])

    @property
    def snapshot(self) -> dict:
        return self.data["snapshot"]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(self.data["documents"])

    def scan_members(self) -> dict[str, str]:
        """staff id → member name."""
        return {staff_id: entry["member"] for staff_id, entry in self.data["scans"].items()}

    def stored_members(self) -> dict[str, bytes]:
        """The members to keep at the office: documents and scans (data.json is kept as data)."""
        names = [*self.documents, *self.scan_members().values()]
        return {name: self.container.member(name) for name in names}


def _reject(file_name: str, message: str) -> InputRejected:
    return InputRejected(message, Location(file=file_name))


def _invalid(file_name: str, problem: Invalid, part: str) -> InputRejected:
    return _reject(file_name, f"报送包的{part}不符合格式：“{problem.where}”{problem.what}。{_RESEND}")


def _check_consistency(package: FilingPackage) -> None:
    """Header, data.json and members must tell the same story."""
    name, data, snap, manifest = package.file_name, package.data, package.snapshot, package.manifest

    def fail(message: str) -> InputRejected:
        return _reject(name, f"报送包内容前后不一致：{message}。{_RESEND}")

    people_names = {p["id"]: p["name"] for p in snap["roster"]}

    if not (data["revision"] == snap["revision"] == manifest["revision"]):
        raise fail(f"签名信息、{DATA_WORDS}和定稿内容中的版次不同")
    if content_sha256(snap) != data["content_sha256"] or data["content_sha256"] != manifest["content_sha256"]:
        raise fail("定稿内容与其内容校验码不符（定稿内容在定稿之后被改动过）")
    header_unit = manifest["unit"]
    if any(header_unit[k] != snap["unit"][k] for k in header_unit):
        raise fail(f"签名信息中的单位与{DATA_WORDS}中的单位不同")
    header_campaign = manifest["campaign"]
    if any(header_campaign[k] != snap["campaign"][k] for k in header_campaign):
        raise fail(f"签名信息中的行动与{DATA_WORDS}中的行动不同")

    people = [p["id"] for p in snap["roster"]]
    if len(set(people)) != len(people):
        raise fail("人员名单中有重复的人员编号")
    pledged = [p["staff_id"] for p in snap["pledges"]]
    if len(set(pledged)) != len(pledged) or not set(pledged) <= set(people):
        raise fail("承诺书签订记录与人员名单对不上")
    for pledge in snap["pledges"]:
        rule = pledge["required_by_rule"] if pledge["required_override"] is None else pledge["required_override"]
        if pledge["required"] != rule:
            raise fail(f"{pledge['name']}的“是否需签订”与规则和人工认定不符")
    rows = snap["self_check"]["rows"]
    if [r["row"] for r in rows] != [1, 2, 3]:
        raise fail("自查表的行号不是1、2、3")
    findings = finding_dicts(snap)
    finding_ids = [f["id"] for f in findings]
    if len(set(finding_ids)) != len(finding_ids):
        raise fail("自查表中有重复的问题编号")
    for row in rows:
        if any(f["row"] != row["row"] for f in row["findings"]):
            raise fail(f"自查表第{row['row']}行中有标为其他行的问题")
    if any(f["owner_id"] not in people for f in findings):
        raise fail("有问题的责任人不在人员名单中")
    if set(data["rectification"]) != set(finding_ids):
        raise fail("整改进展与自查表的问题对不上")

    scans = data["scans"]
    with_scan = {p["staff_id"]: p["scan_sha256"] for p in snap["pledges"] if p["scan_sha256"]}
    if set(scans) != set(with_scan):
        raise fail("签字页扫描件与承诺书签订记录对不上")
    for staff_id, entry in scans.items():
        whose = f"{people_names[staff_id]}的签字页扫描件"  # a person, not the file's name (scans/<uuid>.png)
        if entry["member"] != scan_member(staff_id, entry["mime"]) or entry["sha256"] != with_scan[staff_id]:
            raise fail(f"{whose}与承诺书签订记录对不上")
        scan = package.container.member(entry["member"]) if entry["member"] in package.container.member_names else None
        if scan is None or hashlib.sha256(scan).hexdigest() != entry["sha256"]:
            raise fail(f"{whose}缺失或与登记的校验码不符")
        try:
            sniffed = check_scan(scan, entry["member"]).mime  # judged by content, as when it was attached
        except InputRejected:
            sniffed = None
        if sniffed != entry["mime"]:
            raise fail(f"{whose}的文件内容不是登记的类型")

    documents = data["documents"]
    if len(set(documents)) != len(documents):
        raise fail("文书清单中有重复的文件")
    for document in documents:
        suffix = Path(document).suffix.lower()
        if "/" in document or suffix not in DOCUMENT_MAGIC or document not in package.container.member_names:
            raise fail(f"文书“{document[:60]}”缺失或不是PDF/Excel文件")
        if not package.container.member(document).startswith(DOCUMENT_MAGIC[suffix]):
            raise fail(f"文书“{document[:60]}”的内容与扩展名不符")
    listed = {DATA_MEMBER, *documents, *(e["member"] for e in scans.values())}
    unlisted = sorted(set(package.container.member_names) - listed)
    if unlisted:
        raise fail(f"报送包中有{DATA_WORDS}没有登记的文件“{unlisted[0][:60]}”")

    if package.counts.header_dict() != package.header_counts.header_dict():
        raise fail(f"签名信息中的统计数与{DATA_WORDS}不符")


def read_filing_package(source: Path | bytes, *, display_name: str | None = None) -> FilingPackage:
    """Read and verify a 报送包; ``InputRejected`` (``PackageRejected`` for container
    problems) at the first doubt. Nothing is written anywhere."""
    if display_name is None:
        display_name = "报送包" if isinstance(source, bytes | bytearray) else Path(source).name
    container = read_container(source, expected_kind=KIND, display_name=display_name, member_words=member_words)
    try:
        _HEADER({k: container.manifest[k] for k in _HEADER_KEYS if k in container.manifest}, "")
    except Invalid as problem:
        raise _invalid(display_name, problem, "签名信息") from None
    if DATA_MEMBER not in container.member_names:
        raise _reject(display_name, f"报送包中没有{DATA_WORDS}。{_RESEND}")
    raw = container.member(DATA_MEMBER)
    data = parse_json(raw, f"报送包中的{DATA_WORDS}", display_name, _RESEND)
    version = data.get("format_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > DATA_FORMAT_VERSION:
        raise _reject(display_name, f"这个报送包由更新版本的亲清填报生成（数据格式第{version}版，本程序只能读取第"
                                    f"{DATA_FORMAT_VERSION}版）。请先把亲清填报升级到最新版本，再导入。")
    try:
        _DATA(data, "")
    except Invalid as problem:
        raise _invalid(display_name, problem, DATA_WORDS) from None
    package = FilingPackage(container, display_name, data, hashlib.sha256(raw).hexdigest())
    _check_consistency(package)
    return package
