"""Schema steps, oldest first. Each runs in its own transaction (sqlite-utils ``Migrations``).

Never edit a step that has shipped: add a new one. ``tests/data/`` keeps a
database from each released schema and ``tests/store/test_migrations.py``
upgrades them.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "qingqing"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_unit_staff_audit")
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


def known_migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]  # noqa: SLF001 — sqlite-utils keeps the list private
