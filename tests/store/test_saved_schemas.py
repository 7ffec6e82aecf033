"""Databases saved from each released schema open and upgrade with their data intact (cf. Electrum)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qingqing_desktop.services import (
    campaign_service,
    filing_service,
    office_service,
    roster_service,
    template_service,
    unit_service,
)
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store.migrations import known_migration_names, migrations

DATA = Path(__file__).resolve().parents[1] / "data"


def _applied_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    finally:
        conn.close()


@pytest.mark.parametrize("saved", sorted(DATA.glob("schema-*.sqlite3")), ids=lambda p: p.name)
def test_saved_database_upgrades_with_data_intact(saved, tmp_path, isolated_data_dir):
    copy = tmp_path / saved.name
    shutil.copy(saved, copy)
    saved_migrations = _applied_names(copy)
    session = open_session(copy)
    try:
        applied = [m.name for m in migrations.applied(session.store.db)]
        assert applied == known_migration_names()
        assert unit_service.get_unit(session).name == "质监站"
        names = {m.name: m for m in roster_service.list_staff(session)}
        assert set(names) == {"单建国", "李𡈽", "王䶮"}
        assert names["王䶮"].status.value == "调离"
        # every name carries its pinyin, surnames read as surnames (0006_name_pinyin)
        stored = dict(session.store.db.execute("SELECT name, name_pinyin FROM staff").fetchall())
        assert stored == {"单建国": "shan\x1fjian\x1fguo", "李𡈽": "li\x1f𡈽", "王䶮": "wang\x1fyan"}
        assert session.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if "0002_campaign_filing" in saved_migrations:
            # a finalised filing keeps its revision and its content hash across upgrades
            status = filing_service.filing_status(session)
            assert status.locked and status.revision == 1
            assert filing_service.filed_snapshot(session).content_sha256 == status.content_sha256
        if "0005_office_policy_templates" in saved_migrations:
            # an office-made template keeps its versions, and its campaign the version it was made from
            info = template_service.template_info(session, "saved-2025")
            assert (info.template.version, info.published, info.campaigns) == (1, True, 1)
            campaign = campaign_service.require_campaign(session)
            assert (campaign.template_id, campaign.template_version) == ("saved-2025", 1)
            assert campaign.template.signing_rule.is_key_post("质量监督") == "质量监管"
    finally:
        session.close()
    if saved_migrations != set(known_migration_names()):
        # an upgrade takes a backup first
        assert list((isolated_data_dir / "backups").glob("*-upgrade.sqlite3"))


def test_an_office_database_saved_before_0007_counts_the_signers_who_need_not_sign(tmp_path, isolated_data_dir):
    # Saved by the office at schema 0006 (main 002fb93) after importing 技术科's package, in which 孙佳怡
    # (财务, need not sign) signed all the same: 0007 counts her from the delivered data.
    copy = tmp_path / "office.sqlite3"
    shutil.copy(DATA / "office-schema-0006.sqlite3", copy)
    assert "0007_office_signed_unrequired" not in _applied_names(copy)
    session = open_session(copy)
    try:
        assert [m.name for m in migrations.applied(session.store.db)] == known_migration_names()
        row = next(r for r in office_service.board(session).rows if r.unit == "技术科")
        assert (row.pledges_required, row.pledges_signed, row.pledges_outstanding) == (3, 3, 1)
        assert row.pledges_signed_unrequired == 1 and row.signed_text == "3 人（其中 1 人不须签订）"
        assert session.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        session.close()
    assert list((isolated_data_dir / "backups").glob("*-upgrade.sqlite3"))
