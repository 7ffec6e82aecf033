"""The policy template in force (政策模板): which lists, pledge text and forms apply."""

from __future__ import annotations

from qingqing_desktop.services.session import Session

ACTIVE_TEMPLATE_KEY = "active_template_id"


def active_template(session: Session):
    """The template of the current campaign; before any campaign, the chosen or default one."""
    from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template

    return get_template(session.store.meta_get(ACTIVE_TEMPLATE_KEY) or DEFAULT_TEMPLATE_ID)


def available_templates():
    from qingqing_desktop.store.policy_templates import available_templates as _available

    return _available()


def set_active_template(session: Session, template_id: str) -> None:
    from qingqing_desktop.store.policy_templates import get_template

    get_template(template_id)  # refuses an unknown id with the list of known ones
    with session.store.transaction():
        session.store.meta_set(ACTIVE_TEMPLATE_KEY, template_id)
