"""行动/批次: creating a campaign from a policy template, choosing the current one.

Several campaigns (one per year, say) live side by side; one is *current* and
is what the pledge, 自查表 and filing services work on unless told otherwise.
A campaign keeps the content of its template as it was at creation.
"""

from __future__ import annotations

import datetime as dt

from qingqing_desktop.domain.campaign import CAMPAIGN_FIELD_LABELS, Campaign, as_date, validate_campaign
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.domain.unit import Unit
from qingqing_desktop.services import template_service
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import get_unit, require_unit
from qingqing_desktop.store import campaigns, filings, received_files
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID
from qingqing_desktop.store.received_files import ReceivedCampaign

NO_CAMPAIGN_MESSAGE = (
    "尚未创建行动（批次）。请先 campaign create 新建一次行动"
    "（命令：qingqing-cli campaign create --template pingyang-2019 --title 标题 --deadline YYYY-MM-DD），"
    "或在程序中新建行动。"
)


def _validated(title: str, document_number: str, recipient: str) -> None:
    problems = validate_campaign(title=title, document_number=document_number, recipient=recipient)
    if problems:
        field, message = next(iter(problems.items()))
        raise InputRejected(message, Location(field=CAMPAIGN_FIELD_LABELS[field]))


def create_campaign(
    session: Session,
    *,
    template_id: str = DEFAULT_TEMPLATE_ID,
    title: str | None = None,
    deadline: dt.date | str | None = None,
    document_number: str | None = None,
    recipient: str | None = None,
    make_current: bool = True,
) -> Campaign:
    """A new campaign from a template (an office-made one: its newest version); what is not
    given comes from the template.

    Defaults: title = the template's name, deadline = its default deadline,
    document number and recipient = the template's. The new campaign becomes
    current unless ``make_current`` is false. The template's version is published by
    this: an office-made template edited later gets a new version, the campaign keeps this one.
    """
    template = template_service.get_template(session, template_id)
    title = (title if title is not None else template.name).strip()
    document_number = (document_number if document_number is not None else template.document_number).strip()
    recipient = (recipient if recipient is not None else template.recipient).strip()
    if deadline is None or (isinstance(deadline, str) and not deadline.strip()):
        if not template.default_deadline:
            raise InputRejected(f"政策模板“{template.name}”没有规定截止日期，请填写。", Location(field="截止日期"))
        deadline = template.default_deadline
    _validated(title, document_number, recipient)
    campaign = Campaign(
        id=new_id(),
        title=title,
        document_number=document_number,
        deadline=as_date(deadline, "截止日期"),
        recipient=recipient,
        template_id=template.id,
        template_version=template.version,
        template=template,
    )
    with session.store.transaction():
        campaigns.insert(session.store, campaign, operator=session.operator)
        template_service.publish(session, template, f"行动{campaign.quoted_title}")
        if make_current:
            campaigns.set_current(session.store, campaign.id)
    return campaigns.get(session.store, campaign.id)


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign, the latest deadline first."""
    return campaigns.list_all(session.store)


def get_campaign(session: Session, campaign_id: str) -> Campaign:
    campaign = campaigns.get(session.store, campaign_id)
    if campaign is None:
        raise InputRejected(f"找不到编号为 {campaign_id} 的行动。", Location(field="行动"))
    return campaign


def current_campaign(session: Session) -> Campaign | None:
    return campaigns.current(session.store)


def require_campaign(session: Session, campaign_id: str | None = None) -> Campaign:
    """The campaign asked for, else the current one; refuses with a hint when there is none."""
    if campaign_id is not None:
        return get_campaign(session, campaign_id)
    campaign = current_campaign(session)
    if campaign is None:
        raise InputRejected(NO_CAMPAIGN_MESSAGE)
    return campaign


def campaign_and_unit(session: Session, campaign_id: str | None = None) -> tuple[Campaign, Unit]:
    """What every filing use case needs: the campaign (else the current one) and the unit."""
    # The campaign first: with neither set up, "create a campaign" is the more useful hint.
    campaign = require_campaign(session, campaign_id)
    return campaign, require_unit(session)


def use_campaign(session: Session, campaign_id: str) -> Campaign:
    """Make a campaign the current one."""
    campaign = get_campaign(session, campaign_id)
    with session.store.transaction():
        campaigns.set_current(session.store, campaign.id)
    return campaign


def received_campaign(session: Session, campaign_id: str) -> ReceivedCampaign | None:
    """Where a campaign came from (None: created here, not from a 任务包)."""
    return received_files.received_campaign(session.store, campaign_id)


def current_template(session: Session) -> PolicyTemplate:
    """The current campaign's template (as snapshotted); before any campaign, the active one."""
    return template_service.active_template(session)


def check_editable(session: Session, campaign: Campaign, unit: Unit) -> None:
    """Refuse any change to a campaign's filing data while the filing is locked (定稿 or later).

    Call it inside the write's transaction, so the check and the write see the same state.
    """
    filings.status(session.store, campaign.id, unit.id).check_editable()


def update_campaign(
    session: Session,
    campaign_id: str | None = None,
    *,
    title: str | None = None,
    document_number: str | None = None,
    deadline: dt.date | str | None = None,
    recipient: str | None = None,
    reason: str = "",
) -> Campaign:
    """Correct a campaign's title, document number, deadline or recipient (e.g. an extended deadline).

    The template snapshot never changes. Refused while the unit's filing is locked,
    because the filed snapshot names the campaign.
    """
    campaign = require_campaign(session, campaign_id)
    changed = Campaign(
        id=campaign.id,
        title=(title if title is not None else campaign.title).strip(),
        document_number=(document_number if document_number is not None else campaign.document_number).strip(),
        deadline=as_date(deadline, "截止日期") if deadline is not None else campaign.deadline,
        recipient=(recipient if recipient is not None else campaign.recipient).strip(),
        template_id=campaign.template_id,
        template_version=campaign.template_version,
        template=campaign.template,
        created_at=campaign.created_at,
    )
    _validated(changed.title, changed.document_number, changed.recipient)
    unit = get_unit(session)
    with session.store.transaction():
        if unit is not None:
            check_editable(session, campaign, unit)
        campaigns.update(session.store, changed, operator=session.operator, reason=reason)
    return campaigns.get(session.store, campaign.id)
