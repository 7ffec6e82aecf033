"""A campaign made here goes on as the office's: adopting it when the 任务包 arrives.

A clerk who heard of the action first often creates the campaign and starts filing before the
discipline office's 任务包 comes. Importing the 任务包 then offers to *adopt* that campaign:
its pledges (with scans), 自查表, history and revisions move under the office's campaign id, and
from then on it uses the office's template and the office's key (pinned by the import). Only a
campaign made here can be adopted; one that came in a 任务包 already belongs to the office.

``preview_campaign_file`` reads the file and lists the candidates, with the template wording that
would change; ``adopt_campaign`` does the move inside ``package_service.import_campaign_file``'s
transaction (``import_campaign_file(..., adopt=ID)``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import FilingState, FilingStatus
from qingqing_desktop.domain.template_diff import template_differences
from qingqing_desktop.exchange import campaign_file
from qingqing_desktop.services import filing_service
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import get_unit
from qingqing_desktop.store import campaigns, filings, received_files, selfchecks

MATCH_DOCUMENT_NUMBER = "文号相同"
MATCH_TITLE = "行动名称相同"


@dataclass(frozen=True)
class AdoptionCandidate:
    """A campaign made here that the office's one could take over."""

    campaign: Campaign
    status: FilingStatus
    matched_by: str  # 文号相同 / 行动名称相同 / "" (the clerk may still choose it)
    template_differences: tuple[str, ...]  # what the office's template words differently

    @property
    def reopens(self) -> bool:
        """Adopting a finalised filing reopens it (revision n+1): the office's campaign is filed anew."""
        return self.status.locked


@dataclass(frozen=True)
class CampaignFilePreview:
    office_campaign: Campaign
    office_name: str
    fingerprint: str
    already_imported: bool  # the same campaign came before: importing only updates it
    candidates: tuple[AdoptionCandidate, ...]  # matching ones first
    first_key: bool = False  # no office key registered here yet: importing registers this one

    @property
    def suggested(self) -> AdoptionCandidate | None:
        return next((c for c in self.candidates if c.matched_by), None)


def _comparable(text: str) -> str:
    """文号 and titles as typed differ in width, spaces and brackets (〔2019〕, [2019], （2019））."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.translate(str.maketrans("〔〕［］()（）【】", "[][][][][]"))


def _matched_by(mine: Campaign, office: Campaign) -> str:
    if office.document_number and _comparable(mine.document_number) == _comparable(office.document_number):
        return MATCH_DOCUMENT_NUMBER
    if _comparable(mine.title) == _comparable(office.title):
        return MATCH_TITLE
    return ""


def adoption_candidates(session: Session, office_campaign: Campaign) -> list[AdoptionCandidate]:
    """Every campaign made here (not from a 任务包), those that look like the office's first."""
    store = session.store
    unit = get_unit(session)
    found = []
    for campaign in campaigns.list_all(store):
        if campaign.id == office_campaign.id or received_files.received_campaign(store, campaign.id) is not None:
            continue
        status = filings.status(store, campaign.id, unit.id if unit else None)
        found.append(AdoptionCandidate(campaign, status, _matched_by(campaign, office_campaign),
                                       tuple(template_differences(campaign.template, office_campaign.template))))
    order = {MATCH_DOCUMENT_NUMBER: 0, MATCH_TITLE: 1, "": 2}
    return sorted(found, key=lambda c: order[c.matched_by])


def preview_campaign_file(session: Session, path: Path) -> CampaignFilePreview:
    """Read and verify a 任务包 and say what importing it could do; writes nothing."""
    pinned = received_files.pinned_office_fingerprint(session.store)
    received = campaign_file.read_campaign_file(Path(path), pinned_fingerprint=pinned)
    incoming = received.campaign
    already = campaigns.get(session.store, incoming.id) is not None
    candidates = () if already else tuple(adoption_candidates(session, incoming))
    return CampaignFilePreview(incoming, received.office_name, received.fingerprint, already, candidates,
                               first_key=pinned is None)


def adopt_campaign(session: Session, campaign_id: str, office_campaign: Campaign, *, file_name: str) -> AdoptionCandidate:
    """Inside the caller's transaction: the campaign ``campaign_id`` made here becomes the office's.

    A finalised filing is reopened first (revision n+1, the reason audited), since what was finalised
    named the campaign made here; everything typed stays. Checklist references that the office's
    template does not have are cleared from the findings (their text stays).
    """
    store = session.store
    where = Location(file=file_name, field="采用的行动")
    candidate = next((c for c in adoption_candidates(session, office_campaign) if c.campaign.id == campaign_id), None)
    if candidate is None:
        mine = campaigns.get(store, campaign_id)
        if mine is None:
            raise InputRejected(f"本机没有编号为 {campaign_id} 的行动，请用 qingqing-cli campaign list 查看。", where)
        raise InputRejected(f"行动{mine.quoted_title}是从{received_files.received_campaign(store, campaign_id).office_name}"
                            "的任务包导入的，不能再采用为另一个行动。", where)
    reason = f"采用纪委（监察室）任务包“{file_name}”：本机新建的行动{candidate.campaign.quoted_title}改为纪委发布的行动"
    if candidate.status.locked:
        if candidate.status.state is not FilingState.FINAL:
            raise InputRejected(f"行动{candidate.campaign.quoted_title}的报送现为{candidate.status.label}，不能采用。", where)
        filing_service.reopen(session, f"{reason}，须重新定稿"[:200], campaign_id=campaign_id)
    campaigns.adopt(store, campaign_id, office_campaign, operator=session.operator, reason=reason[:200])
    unit = get_unit(session)
    header = selfchecks.get_header(store, office_campaign.id, unit.id) if unit else None
    for finding in selfchecks.findings(store, header.id) if header else ():
        policy_list = office_campaign.template.list_by_key(finding.list_key) if finding.list_key else None
        if finding.list_key and (policy_list is None or finding.item_index is None
                                 or finding.item_index >= len(policy_list.items)):
            selfchecks.update_finding(store, finding, replace(finding, list_key="", item_index=None),
                                      operator=session.operator, reason="纪委（监察室）的政策模板中没有对照的这一条")
    return candidate
