"""Databases saved from each released schema open and upgrade with their data intact (cf. Electrum)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qingqing_desktop.services import roster_service, unit_service
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store.migrations import known_migration_names, migrations

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("saved", sorted(DATA.glob("schema-*.sqlite3")), ids=lambda p: p.name)
def test_saved_database_upgrades_with_data_intact(saved, tmp_path, isolated_data_dir):
    copy = tmp_path / saved.name
    shutil.copy(saved, copy)
    session = open_session(copy)
    try:
        applied = [m.name for m in migrations.applied(session.store.db)]
        assert applied == known_migration_names()
        assert unit_service.get_unit(session).name == "质监站"
        names = {m.name: m for m in roster_service.list_staff(session)}
        assert set(names) == {"单建国", "李𡈽", "王䶮"}
        assert names["王䶮"].status.value == "调离"
        assert session.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        session.close()
    if len(known_migration_names()) > 1:
        # an upgrade takes a backup first
        assert list((isolated_data_dir / "backups").glob("*-upgrade.sqlite3"))
