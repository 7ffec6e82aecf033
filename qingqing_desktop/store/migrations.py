"""Schema steps, oldest first. Each runs in its own transaction (sqlite-utils ``Migrations``).

The steps are listed here without importing sqlite-utils (about 50 ms at every start): opening a
database compares its applied steps with ``known_migration_names()`` using plain sqlite3, and
``migrations`` — the sqlite-utils ``Migrations`` that runs them — is built when first asked for.

Never edit a step that has shipped: add a new one. ``tests/data/`` keeps a
database from each released schema and ``tests/store/test_migrations.py``
upgrades them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "qingqing"
_STEPS: list[tuple[str, Callable[[Database], None]]] = []


def _step(*, name: str):
    def register(function: Callable[[Database], None]) -> Callable[[Database], None]:
        if any(known == name for known, _ in _STEPS):
            raise ValueError(f"schema step {name} is listed twice")
        _STEPS.append((name, function))
        return function

    return register


@_step(name="0001_unit_staff_audit")
def _0001_unit_staff_audit(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE unit (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            kind       TEXT NOT NULL,
            leader     TEXT NOT NULL DEFAULT '',
            contact    TEXT NOT NULL DEFAULT '',
            phone      TEXT NOT NULL DEFAULT '',
            is_sample  INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE TABLE staff (
            id           TEXT PRIMARY KEY,
            unit_id      TEXT NOT NULL REFERENCES unit(id),
            name         TEXT NOT NULL,
            name_key     TEXT NOT NULL,
            rank         TEXT NOT NULL CHECK (rank IN ('中层干部', '一般工作人员')),
            title        TEXT NOT NULL DEFAULT '',
            post         TEXT NOT NULL DEFAULT '',
            party_member INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
            status       TEXT NOT NULL DEFAULT '在岗',
            note         TEXT NOT NULL DEFAULT '',
            is_sample    INTEGER NOT NULL DEFAULT 0,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            deleted_at   TEXT
        );
        CREATE INDEX staff_unit ON staff(unit_id) WHERE deleted_at IS NULL;
        CREATE INDEX staff_name_key ON staff(name_key);
        CREATE TABLE audit_log (
            id         INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            operator   TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id  TEXT NOT NULL,
            action     TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            field      TEXT,
            old_value  TEXT,
            new_value  TEXT,
            reason     TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_record ON audit_log(table_name, record_id);
        """
    )


@_step(name="0002_campaign_filing")
def _0002_campaign_filing(db: Database) -> None:
    """Campaigns, pledges (with scans), the 自查表 and its findings, and the filing with its snapshots.

    Dates are ISO text (YYYY-MM-DD). A campaign keeps its template's content as
    JSON (``template_json``) so later edits of the template file never change it.
    Scans live in their own table so that listing pledges never reads BLOBs.
    """
    db.executescript(
        """
        CREATE TABLE campaign (
            id               TEXT PRIMARY KEY,
            title            TEXT NOT NULL,
            document_number  TEXT NOT NULL DEFAULT '',
            deadline         TEXT NOT NULL,
            recipient        TEXT NOT NULL DEFAULT '',
            template_id      TEXT NOT NULL,
            template_version INTEGER NOT NULL,
            template_json    TEXT NOT NULL,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL,
            deleted_at       TEXT
        );
        CREATE TABLE pledge (
            id                TEXT PRIMARY KEY,
            campaign_id       TEXT NOT NULL REFERENCES campaign(id),
            staff_id          TEXT NOT NULL REFERENCES staff(id),
            status            TEXT NOT NULL DEFAULT '未签订'
                              CHECK (status IN ('未签订', '已签订', '此前已上交', '不适用')),
            signed_on         TEXT,
            reason            TEXT NOT NULL DEFAULT '',
            required_override INTEGER CHECK (required_override IN (0, 1)),
            override_reason   TEXT NOT NULL DEFAULT '',
            created_at        TEXT NOT NULL,
            updated_at        TEXT NOT NULL,
            UNIQUE (campaign_id, staff_id)
        );
        CREATE TABLE pledge_scan (
            pledge_id TEXT PRIMARY KEY REFERENCES pledge(id),
            file_name TEXT NOT NULL,
            mime      TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'application/pdf')),
            size      INTEGER NOT NULL,
            sha256    TEXT NOT NULL,
            data      BLOB NOT NULL,
            added_at  TEXT NOT NULL
        );
        CREATE TABLE self_check (
            id          TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaign(id),
            unit_id     TEXT NOT NULL REFERENCES unit(id),
            leader      TEXT,
            filled_on   TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            UNIQUE (campaign_id, unit_id)
        );
        CREATE TABLE self_check_row (
            self_check_id  TEXT NOT NULL REFERENCES self_check(id),
            row            INTEGER NOT NULL CHECK (row IN (1, 2, 3)),
            none_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (none_confirmed IN (0, 1)),
            PRIMARY KEY (self_check_id, row)
        );
        CREATE TABLE finding (
            id            TEXT PRIMARY KEY,
            self_check_id TEXT NOT NULL REFERENCES self_check(id),
            row           INTEGER NOT NULL CHECK (row IN (1, 2, 3)),
            problem       TEXT NOT NULL,
            measure       TEXT NOT NULL,
            owner_id      TEXT NOT NULL REFERENCES staff(id),
            due           TEXT NOT NULL,
            done_on       TEXT,
            done_note     TEXT NOT NULL DEFAULT '',
            list_key      TEXT NOT NULL DEFAULT '',
            item_index    INTEGER,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            deleted_at    TEXT
        );
        CREATE INDEX finding_self_check ON finding(self_check_id) WHERE deleted_at IS NULL;
        CREATE TABLE filing (
            id          TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaign(id),
            unit_id     TEXT NOT NULL REFERENCES unit(id),
            state       TEXT NOT NULL DEFAULT '草稿'
                        CHECK (state IN ('草稿', '已定稿', '已报送', '已确认', '退回')),
            revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            UNIQUE (campaign_id, unit_id)
        );
        CREATE TABLE filing_snapshot (
            filing_id      TEXT NOT NULL REFERENCES filing(id),
            revision       INTEGER NOT NULL,
            snapshot_json  TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            finalized_at   TEXT NOT NULL,
            finalized_by   TEXT NOT NULL,
            PRIMARY KEY (filing_id, revision)
        );
        """
    )


@_step(name="0003_exchange_office")
def _0003_exchange_office(db: Database) -> None:
    """Delivery and collection: what a unit received from the discipline office, and the
    office's side (units it expects, every file delivered, its reviews).

    A delivery keeps the exact signed manifest and signature besides its members, so
    a package can be verified again long after it was imported. ``outcome`` says
    whether a delivery is the unit's current one (exactly one per unit and campaign).
    Counts are stored with each delivery so that the status board reads no JSON.
    """
    db.executescript(
        """
        CREATE TABLE received_campaign (
            campaign_id        TEXT PRIMARY KEY REFERENCES campaign(id),
            package_id         TEXT NOT NULL,
            office_name        TEXT NOT NULL,
            office_fingerprint TEXT NOT NULL,
            file_name          TEXT NOT NULL,
            imported_at        TEXT NOT NULL
        );
        CREATE TABLE return_notice (
            package_id  TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaign(id),
            revision    INTEGER NOT NULL,
            comment     TEXT NOT NULL,
            office_name TEXT NOT NULL,
            returned_at TEXT NOT NULL,
            file_name   TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE office_unit (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            name_key      TEXT NOT NULL,
            expected      INTEGER NOT NULL DEFAULT 1 CHECK (expected IN (0, 1)),
            unit_id       TEXT UNIQUE,
            reported_name TEXT NOT NULL DEFAULT '',
            kind          TEXT NOT NULL DEFAULT '',
            leader        TEXT NOT NULL DEFAULT '',
            fingerprint   TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            deleted_at    TEXT
        );
        CREATE INDEX office_unit_name_key ON office_unit(name_key);
        CREATE TABLE office_delivery (
            id                  TEXT PRIMARY KEY,
            office_unit_id      TEXT NOT NULL REFERENCES office_unit(id),
            campaign_id         TEXT NOT NULL REFERENCES campaign(id),
            source              TEXT NOT NULL CHECK (source IN ('package', 'excel')),
            revision            INTEGER NOT NULL CHECK (revision >= 1),
            sequence            INTEGER,
            created_at          TEXT NOT NULL,
            imported_at         TEXT NOT NULL,
            imported_by         TEXT NOT NULL,
            file_name           TEXT NOT NULL,
            fingerprint         TEXT,
            manifest            BLOB,
            signature           BLOB,
            data_json           TEXT NOT NULL,
            data_sha256         TEXT NOT NULL,
            content_sha256      TEXT NOT NULL,
            outcome             TEXT NOT NULL CHECK (outcome IN ('current', 'superseded', 'older', 'conflict')),
            changes_json        TEXT NOT NULL DEFAULT '{}',
            people              INTEGER NOT NULL,
            pledges_required    INTEGER,
            pledges_signed      INTEGER NOT NULL,
            pledges_outstanding INTEGER,
            findings            INTEGER,
            findings_open       INTEGER,
            findings_done       INTEGER
        );
        CREATE INDEX office_delivery_filing ON office_delivery(campaign_id, office_unit_id);
        CREATE UNIQUE INDEX office_delivery_one_current ON office_delivery(campaign_id, office_unit_id)
            WHERE outcome = 'current';
        CREATE TABLE office_delivery_member (
            delivery_id TEXT NOT NULL REFERENCES office_delivery(id),
            name        TEXT NOT NULL,
            data        BLOB NOT NULL,
            PRIMARY KEY (delivery_id, name)
        );
        CREATE TABLE office_review (
            id             TEXT PRIMARY KEY,
            office_unit_id TEXT NOT NULL REFERENCES office_unit(id),
            campaign_id    TEXT NOT NULL REFERENCES campaign(id),
            revision       INTEGER NOT NULL,
            state          TEXT NOT NULL CHECK (state IN ('退回', '已确认')),
            comment        TEXT NOT NULL DEFAULT '',
            file_id        TEXT,
            at             TEXT NOT NULL,
            operator       TEXT NOT NULL
        );
        CREATE INDEX office_review_filing ON office_review(campaign_id, office_unit_id);
        """
    )


@_step(name="0004_unit_seal_image")
def _0004_unit_seal_image(db: Database) -> None:
    # The optional electronic seal image (PNG) placed in the seal area of 附件2/附件3.
    db.executescript(
        """
        CREATE TABLE unit_seal (
            unit_id    TEXT PRIMARY KEY REFERENCES unit(id),
            image      BLOB NOT NULL,
            sha256     TEXT NOT NULL,
            file_name  TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        """
    )


@_step(name="0005_office_policy_templates")
def _0005_office_policy_templates(db: Database) -> None:
    """Policy templates the discipline office writes itself (the shipped ones stay files in ``forms/``).

    One row per version; its content is the template-file-shaped JSON a campaign keeps
    (``campaign.template_json``). A version is edited in place until it is published —
    a campaign was created from it or it was exported to a file — and from then on is
    never changed again: the next edit makes version n+1. Deleting is soft, per template.
    """
    db.executescript(
        """
        CREATE TABLE office_template (
            id         TEXT PRIMARY KEY,
            based_on   TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE TABLE office_template_version (
            template_id  TEXT NOT NULL REFERENCES office_template(id),
            version      INTEGER NOT NULL CHECK (version >= 1),
            name         TEXT NOT NULL,
            content_json TEXT NOT NULL,
            published_at TEXT,
            published_as TEXT NOT NULL DEFAULT '',
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            PRIMARY KEY (template_id, version)
        );
        """
    )


@_step(name="0006_name_pinyin")
def _0006_name_pinyin(db: Database) -> None:
    # Each person's and each office unit's name with its pinyin syllables (domain.names.syllables_text),
    # written with the name, so a roster or a board of thousands is listed in pinyin order without
    # computing (or loading) pinyin. '' means not known; the reader then computes it. A change to the
    # readings (the surname map, a new pypinyin) needs a step that fills the columns again.
    from qingqing_desktop.domain.names import syllables_text  # noqa: PLC0415

    for table in ("staff", "office_unit"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT ''")
        rows = db.execute(f"SELECT id, name FROM {table}").fetchall()
        db.conn.executemany(f"UPDATE {table} SET name_pinyin = ? WHERE id = ?",
                            [(syllables_text(name), row_id) for row_id, name in rows])


@_step(name="0007_office_signed_unrequired")
def _0007_office_signed_unrequired(db: Database) -> None:
    # Of a delivery's 已签, the people who need not sign and signed all the same: without them 应签 − 已签
    # may differ from 未签 on the board. A 报送包's signed header cannot carry the number (older versions
    # would refuse the package), so it is counted from the delivered data — here for those already
    # received. NULL for an Excel 汇总表, which does not say who had to sign.
    import json  # noqa: PLC0415

    from qingqing_desktop.domain.office import package_counts  # noqa: PLC0415

    db.execute("ALTER TABLE office_delivery ADD COLUMN pledges_signed_unrequired INTEGER")
    rows = db.execute("SELECT id, data_json FROM office_delivery WHERE source = 'package'").fetchall()
    updates = []
    for delivery_id, data_json in rows:
        data = json.loads(data_json)
        counts = package_counts(data["snapshot"], data.get("rectification") or {})
        updates.append((counts.pledges_signed_unrequired, delivery_id))
    db.conn.executemany("UPDATE office_delivery SET pledges_signed_unrequired = ? WHERE id = ?", updates)


def known_migration_names() -> list[str]:
    return [name for name, _ in _STEPS]


_runner: Migrations | None = None


def __getattr__(name: str):
    """``migrations``: the sqlite-utils ``Migrations`` of these steps, made (importing sqlite-utils) when
    first used — to apply pending steps, or to build the expected schema when a check needs it."""
    global _runner  # noqa: PLW0603
    if name != "migrations":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _runner is None:
        from sqlite_utils.migrations import Migrations  # noqa: PLC0415

        runner = Migrations(MIGRATION_SET)
        for step_name, function in _STEPS:
            runner(name=step_name)(function)
        _runner = runner
    return _runner
