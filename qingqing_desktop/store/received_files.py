"""A unit's record of what the discipline office sent it: 任务包 (campaign files) and 退回 notices.

The office's key fingerprint is pinned in meta (``office_fingerprint``) on the
first 任务包; every later 任务包 and 退回 file must be signed by that key.
"""

from __future__ import annotations

from dataclasses import dataclass

from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store

OFFICE_FINGERPRINT_KEY = "office_fingerprint"
OFFICE_NAME_KEY = "received_office_name"
PACKAGE_SEQUENCE_KEY = "package_sequence"


def pinned_office_fingerprint(store: Store) -> str | None:
    return store.meta_get(OFFICE_FINGERPRINT_KEY)


def pin_office(store: Store, fingerprint: str, office_name: str, *, operator: str) -> None:
    old = pinned_office_fingerprint(store)
    store.meta_set(OFFICE_FINGERPRINT_KEY, fingerprint)
    store.meta_set(OFFICE_NAME_KEY, office_name)
    if old != fingerprint:
        audit.record(store, operator=operator, table="meta", record_id=OFFICE_FINGERPRINT_KEY, action="update",
                     changes={"office_fingerprint": (old, fingerprint)}, reason=f"导入{office_name}的任务包")


def next_package_sequence(store: Store) -> int:
    """The unit's per-unit package number, incremented (call inside the package's transaction)."""
    number = int(store.meta_get(PACKAGE_SEQUENCE_KEY) or 0) + 1
    store.meta_set(PACKAGE_SEQUENCE_KEY, str(number))
    return number


# ----------------------------------------------------------------------------- 任务包


@dataclass(frozen=True)
class ReceivedCampaign:
    campaign_id: str
    package_id: str
    office_name: str
    office_fingerprint: str
    file_name: str
    imported_at: str


def received_campaign(store: Store, campaign_id: str) -> ReceivedCampaign | None:
    rows = list(store.query("SELECT * FROM received_campaign WHERE campaign_id = ?", [campaign_id]))
    return ReceivedCampaign(**rows[0]) if rows else None


def save_received_campaign(store: Store, received: ReceivedCampaign) -> None:
    store.db["received_campaign"].upsert(vars(received), pk="campaign_id")


# ----------------------------------------------------------------------------- 退回


@dataclass(frozen=True)
class ReturnNotice:
    """The office's comments on one revision, as the unit received them."""

    package_id: str
    campaign_id: str
    revision: int
    comment: str
    office_name: str
    returned_at: str
    file_name: str
    imported_at: str


def return_notice(store: Store, package_id: str) -> ReturnNotice | None:
    rows = list(store.query("SELECT * FROM return_notice WHERE package_id = ?", [package_id]))
    return ReturnNotice(**rows[0]) if rows else None


def return_notices(store: Store, campaign_id: str) -> list[ReturnNotice]:
    """Newest first."""
    rows = store.query(
        "SELECT * FROM return_notice WHERE campaign_id = ? ORDER BY returned_at DESC, rowid DESC", [campaign_id]
    )
    return [ReturnNotice(**r) for r in rows]


def save_return_notice(store: Store, notice: ReturnNotice, *, operator: str) -> None:
    store.db["return_notice"].insert(vars(notice))
    audit.record(store, operator=operator, table="return_notice", record_id=notice.package_id, action="insert",
                 changes={"revision": (None, notice.revision)}, reason=notice.comment[:200])
