"""Errors the services raise for the UI and the CLI to show.

``InputRejected`` means: the user's input (a file, a field, a command argument)
was refused and nothing was written. Its message is Chinese and names where the
problem is (file, sheet, row, field) so a clerk can fix it without help.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in the user's input a problem sits; every part is optional."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.field:
            parts.append(f"“{self.field}”栏")
        return "，".join(parts)


class QingqingError(Exception):
    """Base of the errors this application raises on purpose."""


class InputRejected(QingqingError):
    """Input refused; nothing was written. ``str(exc)`` is the full Chinese message."""

    def __init__(self, message: str, location: Location | None = None):
        self.reason = message
        self.location = location or Location()
        where = self.location.describe()
        super().__init__(f"{where}：{message}" if where else message)


class DatabaseRefused(QingqingError):
    """The database cannot be opened safely (newer schema, not a database, bad place)."""
