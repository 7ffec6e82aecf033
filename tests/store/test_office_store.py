"""Schema step 0003_exchange_office and the office's tables: upgrade with data intact, one current
delivery per unit and campaign, everything audited."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlite_utils import Database

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.office import DeliverySource, FilingChanges, FilingCounts, Outcome, ReviewState
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.services import campaign_service, filing_service, selfcheck_service, unit_service
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import audit, campaigns, office, received_files
from qingqing_desktop.store.database import Store, open_store, utc_now
from qingqing_desktop.store.migrations import known_migration_names, migrations
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template

NEW_TABLES = {"received_campaign", "return_notice", "office_unit", "office_delivery", "office_delivery_member",
              "office_review"}


def test_upgrade_from_0002_keeps_a_finalised_filing(tmp_path):
    path = tmp_path / "schema-0002.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.apply(db, stop_before="0003_exchange_office")
    session = Session(Store(db, path), "旧版本")
    unit_service.save_unit(session, name="质监站", kind=unit_service.kind_from_text("站"), leader="林素华")
    _insert_campaign_as_schema_0002_did(session)
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(session, row)
    filed = filing_service.finalize(session).status
    assert not NEW_TABLES & set(db.table_names())
    conn.close()

    store = open_store(path)
    try:
        assert NEW_TABLES <= set(store.db.table_names())
        assert [m.name for m in migrations.applied(store.db)] == known_migration_names()
        session = Session(store, "测试员")
        assert filing_service.filing_status(session) == filed
        assert office.mode(store) == "unit" and received_files.next_package_sequence(store) == 1
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


def _insert_campaign_as_schema_0002_did(session: Session) -> None:
    # Through the store: today's campaign service also reads tables of later schema steps.
    template = get_template(DEFAULT_TEMPLATE_ID)
    campaign = Campaign(id=new_id(), title=template.name, document_number=template.document_number,
                        deadline=dt.date(2019, 3, 14), recipient=template.recipient, template_id=template.id,
                        template_version=template.version, template=template)
    with session.store.transaction():
        campaigns.insert(session.store, campaign, operator=session.operator)
        campaigns.set_current(session.store, campaign.id)


def _delivery(unit_id: str, campaign_id: str, outcome: Outcome, revision: int = 1) -> office.Delivery:
    now = utc_now()
    return office.Delivery(
        id=new_id(), office_unit_id=unit_id, campaign_id=campaign_id, source=DeliverySource.PACKAGE,
        revision=revision, sequence=revision, created_at=now, imported_at=now, imported_by="纪委", file_name="x.qqpkg",
        fingerprint="F" * 44, data_sha256="d" * 64, content_sha256="c" * 64, outcome=outcome,
        changes=FilingChanges(people_added=("王五",)), counts=FilingCounts(3, 2, 1, 1, 0, 0, 0),
    )


def test_deliveries_reviews_and_their_audit(session):
    store = session.store
    campaign = campaign_service.create_campaign(session)
    with store.transaction():
        unit = office.add_unit(store, "技术科", expected=True, operator="纪委")
        first = _delivery(unit.id, campaign.id, Outcome.CURRENT)
        office.insert_delivery(store, first, data_json="{}", members={"附件2.pdf": b"%PDF-"}, manifest=b"{}",
                               signature=b"s" * 64, reason="导入")
    assert office.current_delivery(store, campaign.id, unit.id) == first
    assert office.member(store, first.id, "附件2.pdf") == b"%PDF-" and office.signed_parts(store, first.id)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        office.insert_delivery(store, _delivery(unit.id, campaign.id, Outcome.CURRENT, 2), data_json="{}",
                               members={}, manifest=None, signature=None, reason="")
    with store.transaction():
        office.set_outcome(store, first, Outcome.SUPERSEDED, operator="纪委")
        second = _delivery(unit.id, campaign.id, Outcome.CURRENT, 2)
        office.insert_delivery(store, second, data_json="{}", members={}, manifest=None, signature=None, reason="")
        office.add_review(store, office_unit_id=unit.id, campaign_id=campaign.id, revision=2,
                          state=ReviewState.CONFIRMED, comment="", operator="纪委")
    filings = office.current_filings(store, campaign.id)
    assert filings[unit.id].delivery.id == second.id
    assert sorted(filings[unit.id].times) == sorted([(first.created_at, first.imported_at),
                                                     (second.created_at, second.imported_at)])
    assert [d.id for d in office.deliveries(store, campaign.id, unit.id)] == [second.id, first.id]
    tables = {e.table_name for e in audit.entries(store)}
    assert {"office_unit", "office_delivery", "office_review"} <= tables
    changed = [e for e in audit.entries(store, table="office_delivery", record_id=first.id) if e.action == "update"]
    assert (changed[0].old_value, changed[0].new_value) == ("当前采用", "已被新版本取代")
