"""What a service changed, so the UI refreshes just that (cf. Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    unit: bool = False
    staff: bool = False
    template: bool = False  # the active policy template (lists, key posts) was switched
    filing: bool = False  # a campaign, its pledges, its 自查表 or the filing's state changed

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            unit=self.unit or other.unit,
            staff=self.staff or other.staff,
            template=self.template or other.template,
            filing=self.filing or other.filing,
        )
