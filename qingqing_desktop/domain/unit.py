"""The unit (单位: 科室/站/分局/所) that does the filing."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from qingqing_desktop.domain.staff import new_id


class UnitKind(str, enum.Enum):
    SECTION = "科室"
    STATION = "站"
    BRANCH = "分局"
    OFFICE = "所"
    OTHER = "其他"


# The word a unit's name ends with says its type (城东分局, 质量监督站, 行政审批科): checked longest first.
_NAME_ENDINGS = (("分局", UnitKind.BRANCH), ("站", UnitKind.STATION), ("所", UnitKind.OFFICE),
                 ("科", UnitKind.SECTION), ("室", UnitKind.SECTION), ("股", UnitKind.SECTION))


def kind_suggested_by_name(name: str) -> UnitKind | None:
    """The type a unit's name suggests, or None (中心, 大队 …: the clerk chooses)."""
    name = name.strip()
    return next((kind for ending, kind in _NAME_ENDINGS if name.endswith(ending)), None)


def parse_unit_kind(text: str) -> UnitKind | None:
    for kind in UnitKind:
        if text == kind.value:
            return kind
    return None


@dataclass(frozen=True)
class Unit:
    name: str
    kind: UnitKind
    leader: str
    contact: str = ""
    phone: str = ""
    is_sample: bool = False
    id: str = field(default_factory=new_id)

    def with_changes(self, **changes) -> "Unit":
        return replace(self, **changes)


UNIT_FIELDS = ("name", "kind", "leader", "contact", "phone")
UNIT_FIELD_LABELS = {
    "name": "单位名称",
    "kind": "单位类型",
    "leader": "单位负责人",
    "contact": "联系人",
    "phone": "联系电话",
}


def validate_unit(unit: Unit) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not unit.name.strip():
        problems["name"] = "单位名称不能为空"
    elif len(unit.name) > 60:
        problems["name"] = "单位名称过长（不超过60个字）"
    if not unit.leader.strip():
        problems["leader"] = "单位负责人不能为空"
    elif len(unit.leader) > 30:
        problems["leader"] = "单位负责人姓名过长"
    if len(unit.contact) > 30:
        problems["contact"] = "联系人姓名过长"
    phone = unit.phone.strip()
    if phone and not all(ch.isdigit() or ch in "-+() 转" for ch in phone):
        problems["phone"] = "联系电话只能包含数字、空格和 - + ( ) 转"
    elif len(phone) > 30:
        problems["phone"] = "联系电话过长"
    return problems
