"""The campaign table (行动/批次) and which campaign is current."""

from __future__ import annotations

import json

from qingqing_desktop.domain.campaign import (
    CAMPAIGN_FIELDS,
    Campaign,
    date_or_none,
    template_from_snapshot,
    template_snapshot,
)
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

CURRENT_CAMPAIGN_KEY = "current_campaign_id"


def _from_row(row: dict) -> Campaign:
    return Campaign(
        id=row["id"],
        title=row["title"],
        document_number=row["document_number"],
        deadline=date_or_none(row["deadline"]),
        recipient=row["recipient"],
        template_id=row["template_id"],
        template_version=row["template_version"],
        template=template_from_snapshot(json.loads(row["template_json"]), row["title"]),
        created_at=row["created_at"],
    )


def _values(campaign: Campaign) -> dict:
    return {
        "title": campaign.title,
        "document_number": campaign.document_number,
        "deadline": campaign.deadline.isoformat(),
        "recipient": campaign.recipient,
    }


def get(store: Store, campaign_id: str) -> Campaign | None:
    rows = list(store.query("SELECT * FROM campaign WHERE id = ? AND deleted_at IS NULL", [campaign_id]))
    return _from_row(rows[0]) if rows else None


def list_all(store: Store) -> list[Campaign]:
    """Newest deadline first: this year's campaign above last year's."""
    rows = store.query("SELECT * FROM campaign WHERE deleted_at IS NULL ORDER BY deadline DESC, created_at DESC")
    return [_from_row(row) for row in rows]


def insert(store: Store, campaign: Campaign, *, operator: str) -> None:
    """Store a new campaign with the snapshot of its template, within the caller's transaction."""
    now = utc_now()
    snapshot = json.dumps(template_snapshot(campaign.template), ensure_ascii=False, sort_keys=True)
    store.db["campaign"].insert(
        {
            **_values(campaign),
            "id": campaign.id,
            "template_id": campaign.template_id,
            "template_version": campaign.template_version,
            "template_json": snapshot,
            "created_at": now,
            "updated_at": now,
        }
    )
    changes = {f: (None, getattr(campaign, f)) for f in CAMPAIGN_FIELDS if getattr(campaign, f) not in ("", None)}
    audit.record(store, operator=operator, table="campaign", record_id=campaign.id, action="insert", changes=changes)


def update(store: Store, campaign: Campaign, *, operator: str, reason: str = "") -> dict[str, tuple]:
    """Save edited title, document number, deadline or recipient; the template snapshot never changes."""
    old = get(store, campaign.id)
    changes = {
        f: (getattr(old, f), getattr(campaign, f)) for f in _values(campaign) if getattr(old, f) != getattr(campaign, f)
    }
    if changes:
        store.db["campaign"].update(campaign.id, {**_values(campaign), "updated_at": utc_now()})
        audit.record(store, operator=operator, table="campaign", record_id=campaign.id, action="update",
                     changes=changes, reason=reason)
    return changes


def current_id(store: Store) -> str | None:
    return store.meta_get(CURRENT_CAMPAIGN_KEY)


def current(store: Store) -> Campaign | None:
    campaign_id = current_id(store)
    return get(store, campaign_id) if campaign_id else None


def set_current(store: Store, campaign_id: str) -> None:
    # Which campaign the window shows is a choice of view, not filing data: not audited
    # (like the local unit and the active template pointers in meta).
    store.meta_set(CURRENT_CAMPAIGN_KEY, campaign_id)


def adopt(store: Store, old_id: str, office_campaign: Campaign, *, operator: str, reason: str) -> None:
    """Within the caller's transaction: the campaign ``old_id`` (made here) goes on as ``office_campaign``,
    under the office's id and with the office's template. Everything filed under it (pledges and scans,
    the 自查表 and its findings, the filing with its revisions and snapshots) moves with it, so nothing is
    entered twice; the old row is kept, soft-deleted, for the history.

    Every table with a ``campaign_id`` column follows, including ones added by later schema steps.
    """
    insert(store, office_campaign, operator=operator)
    tables = [name for name in store.table_names()
              if name != "campaign" and "campaign_id" in store.db[name].columns_dict]
    for table in tables:
        store.execute(f"UPDATE [{table}] SET campaign_id = ? WHERE campaign_id = ?", [office_campaign.id, old_id])
    now = utc_now()
    store.execute("UPDATE campaign SET deleted_at = ?, updated_at = ? WHERE id = ?", [now, now, old_id])
    # The campaign's own history (created, deadline moved …) follows it; the entries written next keep
    # both ids, so the log itself says where it came from.
    store.execute("UPDATE audit_log SET record_id = ? WHERE table_name = 'campaign' AND record_id = ?",
                     [office_campaign.id, old_id])
    for record_id, action in ((office_campaign.id, "update"), (old_id, "delete")):
        audit.record(store, operator=operator, table="campaign", record_id=record_id, action=action,
                     changes={"行动编号": (old_id, office_campaign.id)}, reason=reason)
