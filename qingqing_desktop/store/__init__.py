"""Store: SQLite through sqlite-utils — opening, migrations, repositories, audit, backups."""
