"""What a service changed, so the UI refreshes just that (cf. Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    unit: bool = False
    staff: bool = False

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(unit=self.unit or other.unit, staff=self.staff or other.staff)
