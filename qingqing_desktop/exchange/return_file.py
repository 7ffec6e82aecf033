"""退回文件 (return file): the discipline office sends one revision of a unit's filing back with comments.

A signed container of kind ``return-file`` (signed by the office's key) with one
member, ``return.json``::

    {"format": "qingqing-return", "format_version": 1,
     "unit": {"id", "name"}, "campaign": {"id", "title"}, "revision": n,
     "comment": "...", "office": {"name": "..."}, "returned_at": "<ISO 8601>"}

The signed header repeats unit, campaign and revision, so ``package verify`` can
name them without reading the member.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.office import MAX_COMMENT_LENGTH
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.exchange.filing_package import (
    Invalid,
    integer,
    one_of,
    record,
    short_title,
    text,
    timestamp,
    uuid_text,
)
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.office_signed import read_office_signed
from qingqing_desktop.exchange.signed_container import write_container

KIND = "return-file"
EXTENSION = ".qqreturn"
MEMBER = "return.json"
MEMBER_WORDS = "退回意见"  # return.json, as messages call it
FORMAT = "qingqing-return"
FORMAT_VERSION = 1

_RESEND = "请向纪委（监察室）重新索取退回文件。"

_UNIT = record({"id": ("单位编号", uuid_text), "name": ("单位名称", text(60, required=True))})
_CAMPAIGN = record({"id": ("行动编号", uuid_text), "title": ("行动名称", text(100, required=True))})
_OFFICE = record({"name": ("纪委（监察室）名称", text(60, required=True))})
_HEADER = record({"unit": ("单位", _UNIT), "campaign": ("行动", _CAMPAIGN), "revision": ("版次", integer(1))})
_MEMBER = record({
    "format": ("格式标识", one_of((FORMAT,))), "format_version": ("格式版本", integer(1, FORMAT_VERSION)),
    "unit": ("单位", _UNIT), "campaign": ("行动", _CAMPAIGN), "revision": ("版次", integer(1)),
    "comment": ("退回意见", text(MAX_COMMENT_LENGTH, required=True)), "office": ("纪委（监察室）", _OFFICE),
    "returned_at": ("退回时间", timestamp),
})


@dataclass(frozen=True)
class ReturnFile:
    """A verified 退回文件."""

    unit_id: str
    unit_name: str
    campaign_id: str
    campaign_title: str
    revision: int
    comment: str
    office_name: str
    returned_at: str
    fingerprint: str
    package_id: str
    file_name: str


def return_file_name(unit_name: str, campaign_title: str, revision: int, issuer: str = "") -> str:
    """退回_<单位>_<行动标题简称>_第<n>版.qqreturn"""
    return (f"退回_{file_name_part(unit_name, 30)}_{file_name_part(short_title(campaign_title, issuer), 20)}"
            f"_第{revision}版{EXTENSION}")


def write_return_file(
    target: Path,
    *,
    unit_id: str,
    unit_name: str,
    campaign_id: str,
    campaign_title: str,
    revision: int,
    comment: str,
    office_name: str,
    key: SigningKey,
) -> dict:
    """Write the 退回文件 atomically, signed with the office's key; returns the manifest."""
    header = {"unit": {"id": unit_id, "name": unit_name}, "campaign": {"id": campaign_id, "title": campaign_title},
              "revision": revision}
    content = {
        "format": FORMAT, "format_version": FORMAT_VERSION, **header, "comment": comment,
        "office": {"name": office_name},
        "returned_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
    }
    member = json.dumps(content, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    return write_container(Path(target), kind=KIND, members={MEMBER: member}, header=header, key=key)


def read_return_file(
    source: Path | bytes, *, display_name: str | None = None, pinned_fingerprint: str | None = None
) -> ReturnFile:
    """Read and verify a 退回文件; ``pinned_fingerprint`` is the office key the unit registered."""
    signed = read_office_signed(source, kind=KIND, label="退回文件", member=MEMBER, words=MEMBER_WORDS, header=_HEADER,
                                header_keys=("unit", "campaign", "revision"), resend=_RESEND,
                                display_name=display_name, pinned_fingerprint=pinned_fingerprint)
    container, content, display_name, where = signed.container, signed.content, signed.display_name, signed.where
    manifest = container.manifest
    try:
        _MEMBER(content, "")
    except Invalid as problem:
        raise InputRejected(f"退回文件的内容不符合格式：“{problem.where}”{problem.what}。{_RESEND}", where) from None
    if any(manifest[k] != content[k] for k in ("unit", "campaign", "revision")):
        raise InputRejected(f"退回文件内容前后不一致：签名信息与{MEMBER_WORDS}中的单位、行动或版次不同。{_RESEND}", where)
    return ReturnFile(
        unit_id=content["unit"]["id"], unit_name=content["unit"]["name"], campaign_id=content["campaign"]["id"],
        campaign_title=content["campaign"]["title"], revision=content["revision"], comment=content["comment"],
        office_name=content["office"]["name"], returned_at=content["returned_at"], fingerprint=container.fingerprint,
        package_id=container.package_id, file_name=display_name,
    )
