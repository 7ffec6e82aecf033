"""任务包 (campaign file): the discipline office hands a campaign and its full template to the units.

A signed container of kind ``campaign-file`` with one member, ``campaign.json``::

    {"format": "qingqing-campaign", "format_version": 1,
     "campaign": {"id", "title", "document_number", "deadline", "recipient",
                  "template_id", "template_version"},
     "template": {...},            # domain.campaign.template_snapshot of the campaign's template
     "office": {"name": "..."}}

``template_version`` is the version of the template the campaign was created with
(an office-made template gets a new version when it changes after a campaign used
it, see ``services.template_service``); the campaign keeps that version for good.

Format versions: 1, and 2 for a template whose signing rule uses ``all_staff`` or
key-post ``synonyms``. A file is written as version 1 whenever its template allows,
so a unit still running an older 亲清填报 can import it; an older program shown a
version 2 file asks to be upgraded instead of calling the template damaged.

Signed header: ``campaign`` (id, title, document_number, deadline) and ``office``
(name), checked against the member. The campaign keeps its id across the bureau:
a unit that imports the file files under the office's campaign id, which is how
the office recognises the campaign in every 报送包.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.campaign import (
    CAMPAIGN_FIELD_LABELS,
    Campaign,
    as_date,
    template_snapshot,
    uses_rule_extensions,
    validate_campaign,
)
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import PolicyTemplate, template_from_dict
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.exchange.filing_package import (
    Invalid,
    integer,
    iso_date,
    one_of,
    record,
    short_title,
    text,
    uuid_text,
)
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.office_signed import read_office_signed
from qingqing_desktop.exchange.signed_container import write_container

KIND = "campaign-file"
EXTENSION = ".qqtask"
MEMBER = "campaign.json"
MEMBER_WORDS = "任务内容"  # campaign.json, as messages call it
FORMAT = "qingqing-campaign"
FORMAT_VERSION = 2  # the newest this program reads and writes
PLAIN_FORMAT_VERSION = 1  # templates without the signing-rule extensions

_RESEND = "请向纪委（监察室）重新索取任务包。"

_CAMPAIGN = record({
    "id": ("行动编号", uuid_text), "title": ("行动名称", text(100, required=True)),
    "document_number": ("文号", text(60)), "deadline": ("截止日期", iso_date), "recipient": ("报送对象", text(60)),
    "template_id": ("政策模板", text(60, required=True)), "template_version": ("模板版本", integer(1)),
})
_OFFICE = record({"name": ("纪委（监察室）名称", text(60, required=True))})


def _template_part(value: object, where: str) -> None:
    if not isinstance(value, dict):
        raise Invalid(where, "应是一个对象（{…}）")  # its content is checked as a template file is


_MEMBER = record({
    "format": ("格式标识", one_of((FORMAT,))), "format_version": ("格式版本", integer(1, FORMAT_VERSION)),
    "campaign": ("行动", _CAMPAIGN), "template": ("政策模板", _template_part), "office": ("发布单位", _OFFICE),
})
_HEADER = record({
    "campaign": ("行动", record({"id": ("行动编号", uuid_text), "title": ("行动名称", text(100, required=True)),
                               "document_number": ("文号", text(60)), "deadline": ("截止日期", iso_date)})),
    "office": ("发布单位", _OFFICE),
})


def campaign_file_name(campaign: Campaign) -> str:
    """任务包_<行动标题简称>_截止<yyyymmdd>.qqtask"""
    title = file_name_part(short_title(campaign.title, campaign.template.issuer), 20)
    return f"任务包_{title}_截止{campaign.deadline:%Y%m%d}{EXTENSION}"


def _campaign_dict(campaign: Campaign) -> dict:
    return {
        "id": campaign.id, "title": campaign.title, "document_number": campaign.document_number,
        "deadline": campaign.deadline.isoformat(), "recipient": campaign.recipient,
        "template_id": campaign.template_id, "template_version": campaign.template_version,
    }


def campaign_file_format_version(template: PolicyTemplate) -> int:
    """The oldest format that carries ``template`` whole (see the module's docstring)."""
    return FORMAT_VERSION if uses_rule_extensions(template) else PLAIN_FORMAT_VERSION


def write_campaign_file(target: Path, campaign: Campaign, *, office_name: str, key: SigningKey) -> dict:
    """Write the 任务包 atomically, signed with the office's key; returns the manifest."""
    content = {
        "format": FORMAT, "format_version": campaign_file_format_version(campaign.template),
        "campaign": _campaign_dict(campaign),
        "template": template_snapshot(campaign.template), "office": {"name": office_name},
    }
    member = json.dumps(content, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    header = {
        "campaign": {k: content["campaign"][k] for k in ("id", "title", "document_number", "deadline")},
        "office": {"name": office_name},
    }
    return write_container(Path(target), kind=KIND, members={MEMBER: member}, header=header, key=key)


@dataclass(frozen=True)
class CampaignFile:
    """A verified 任务包."""

    campaign: Campaign
    office_name: str
    fingerprint: str
    package_id: str
    created_at: str
    file_name: str


def read_campaign_file(
    source: Path | bytes, *, display_name: str | None = None, pinned_fingerprint: str | None = None
) -> CampaignFile:
    """Read and verify a 任务包; ``pinned_fingerprint`` is the office key registered with the first one."""
    signed = read_office_signed(source, kind=KIND, label="任务包", member=MEMBER, words=MEMBER_WORDS, header=_HEADER,
                                header_keys=("campaign", "office"), resend=_RESEND, display_name=display_name,
                                pinned_fingerprint=pinned_fingerprint)
    container, content, display_name, where = signed.container, signed.content, signed.display_name, signed.where
    manifest = container.manifest
    version = content.get("format_version") if isinstance(content, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise InputRejected(f"这个任务包由更新版本的亲清填报生成（格式第{version}版）。请先把亲清填报升级到最新版本，再导入。",
                            where)
    try:
        _MEMBER(content, "")
    except Invalid as problem:
        raise InputRejected(f"任务包的内容不符合格式：“{problem.where}”{problem.what}。{_RESEND}", where) from None
    data = content["campaign"]
    if any(manifest["campaign"][k] != data[k] for k in manifest["campaign"]) or manifest["office"] != content["office"]:
        raise InputRejected(f"任务包内容前后不一致：签名信息与{MEMBER_WORDS}中的行动或发布单位不同。{_RESEND}", where)
    problems = validate_campaign(title=data["title"], document_number=data["document_number"],
                                 recipient=data["recipient"])
    if problems:
        field, message = next(iter(problems.items()))
        raise InputRejected(message, Location(file=display_name, field=CAMPAIGN_FIELD_LABELS[field]))
    template = template_from_dict(content["template"], f"{display_name}（任务包）中的政策模板")
    if (template.id, template.version) != (data["template_id"], data["template_version"]):
        raise InputRejected(f"任务包内容前后不一致：政策模板的编号或版本与行动所记的不同。{_RESEND}", where)
    campaign = Campaign(
        id=data["id"], title=data["title"], document_number=data["document_number"],
        deadline=as_date(data["deadline"], CAMPAIGN_FIELD_LABELS["deadline"]), recipient=data["recipient"],
        template_id=template.id, template_version=template.version, template=template,
    )
    return CampaignFile(campaign, content["office"]["name"], container.fingerprint, container.package_id,
                        manifest["created_at"], display_name)
