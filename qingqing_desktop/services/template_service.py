"""The policy template in force (政策模板): which lists, pledge text and forms apply."""

from __future__ import annotations

from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import campaigns
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, available_templates, get_template

ACTIVE_TEMPLATE_KEY = "active_template_id"

__all__ = ["active_template", "available_templates", "set_active_template"]


def active_template(session: Session) -> PolicyTemplate:
    """The current campaign's own copy of its template; before any campaign, the chosen or default one."""
    campaign = campaigns.current(session.store)
    if campaign is not None:
        return campaign.template
    return get_template(session.store.meta_get(ACTIVE_TEMPLATE_KEY) or DEFAULT_TEMPLATE_ID)


def set_active_template(session: Session, template_id: str) -> None:
    get_template(template_id)  # refuses an unknown id with the list of known ones
    with session.store.transaction():
        session.store.meta_set(ACTIVE_TEMPLATE_KEY, template_id)
