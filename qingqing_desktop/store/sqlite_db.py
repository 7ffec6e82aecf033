"""sqlite-utils' ``Database`` as the store uses it, imported when first needed (a write, a migration).

Importing sqlite-utils costs about 50 ms (it loads click, dateutil and pluggy), so the store opens,
checks and reads a database with plain sqlite3 and makes this wrapper around the same connection on
first use (``Store.db``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from qingqing_desktop.store.database import script_statements


class StoreDatabase(Database):
    """sqlite-utils' Database whose outermost ``atomic()`` takes the write lock through the store.

    Without sqlite-utils plugins: finding them scans every installed package's entry points
    (20 ms at each start), and no package installed beside the program may change our connection.
    """

    begin: Callable[[], None] | None = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("execute_plugins", False)
        super().__init__(*args, **kwargs)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        # Inside a transaction sqlite-utils splits a script character by character, joining the
        # text so far at each one: 50 ms for our schema steps. Only a ";" can end a statement.
        if not self.conn.in_transaction:
            return super().executescript(sql)
        cursor = self.conn.cursor()
        for statement in script_statements(sql):
            cursor.execute(statement)
        return cursor

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction or self.begin is None:
            with super().atomic():
                yield self
            return
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise
