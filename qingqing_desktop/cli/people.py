"""Naming a person on the command line: by name, as a clerk knows them, or by id where two share a name."""

from __future__ import annotations

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.services import roster_service


def staff_id(session, ref: str, *, option: str = "--staff", field: str = "人员") -> str:
    """The id of the person ``ref`` names: their id, or a name only one person on the roster has.

    Ids are what ``pledge list --json`` prints; nobody types them unless two people share a name.
    """
    ref = ref.strip()
    members = roster_service.list_staff(session, in_pinyin_order=False)  # roster order; no sorting needed
    if any(m.id == ref for m in members):
        return ref
    named = [m for m in members if m.name == ref]
    if len(named) == 1:
        return named[0].id
    if named:
        choices = "；".join(f"{m.id}（{m.post or m.rank.value}）" for m in named)
        raise InputRejected(f"人员名单中有{len(named)}位“{ref}”，请改用 {option} 人员编号 指定是哪一位：{choices}",
                            Location(field=field))
    raise InputRejected(f"人员名单中没有“{ref}”。请填姓名（同名时填人员编号，见 pledge list --json）。",
                        Location(field=field))
