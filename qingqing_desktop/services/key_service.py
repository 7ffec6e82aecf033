"""Signing keys of this installation: the unit's (报送包) and the office's (任务包, 退回).

Each installation creates its key pair on first use; the private key stays in
the user's data folder (``exchange.keys.default_key_path``). The fingerprint is
what people compare: it is shown under 单位信息 and printed in the stamp of the
unit's 附件2, so the stamped paper vouches for the key the office pins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.office import MODE_OFFICE
from qingqing_desktop.exchange.keys import SigningKey, default_key_path, load_or_create_key
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import office as office_store
from qingqing_desktop.store import received_files

__all__ = ["KeyInfo", "unit_key", "office_key", "unit_fingerprint", "office_fingerprint", "key_overview"]


def unit_key(session: Session | None = None) -> SigningKey:
    """The unit's signing key, created on first use. ``session`` is accepted so that a
    per-database key could be introduced without changing callers; today the key
    belongs to the installation."""
    return load_or_create_key(default_key_path("unit"))


def office_key(session: Session | None = None) -> SigningKey:
    return load_or_create_key(default_key_path("office"))


def unit_fingerprint(session: Session | None = None) -> str:
    """For 单位信息 and the footer stamp of 附件2 (FilingDocumentData.key_fingerprint)."""
    return unit_key(session).fingerprint


def office_fingerprint(session: Session | None = None) -> str:
    return office_key(session).fingerprint


@dataclass(frozen=True)
class KeyInfo:
    role: str  # 单位密钥 / 纪委（监察室）密钥 / 已登记的纪委（监察室）密钥
    fingerprint: str
    path: Path | None  # where the private key lives; None for a pinned (public) one


def key_overview(session: Session) -> list[KeyInfo]:
    """What ``keys show`` prints and the GUI's 单位信息 shows: this installation's keys in
    use and, on a unit, the office key it pinned with the first 任务包."""
    if office_store.mode(session.store) == MODE_OFFICE:
        return [KeyInfo("纪委（监察室）密钥", office_fingerprint(session), default_key_path("office"))]
    keys = [KeyInfo("单位密钥", unit_fingerprint(session), default_key_path("unit"))]
    pinned = received_files.pinned_office_fingerprint(session.store)
    if pinned:
        keys.append(KeyInfo("已登记的纪委（监察室）密钥", pinned, None))
    return keys
