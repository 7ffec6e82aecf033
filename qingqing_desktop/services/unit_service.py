"""单位信息: the unit this installation files for."""

from __future__ import annotations

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.unit import UNIT_FIELD_LABELS, Unit, UnitKind, parse_unit_kind, validate_unit
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import units


def get_unit(session: Session) -> Unit | None:
    return units.local_unit(session.store)


def require_unit(session: Session) -> Unit:
    unit = get_unit(session)
    if unit is None:
        how = session.advice(window="在“单位信息”页填写", command="命令：qingqing-cli unit set …")
        raise InputRejected(f"尚未设置单位信息。请先填写单位名称、类型和负责人（{how}）。")
    return unit


def kind_from_text(text: str) -> UnitKind:
    kind = parse_unit_kind(text.strip())
    if kind is None:
        choices = "、".join(k.value for k in UnitKind)
        raise InputRejected(f"单位类型“{text}”无效，应为：{choices}", Location(field="单位类型"))
    return kind


def save_unit(session: Session, *, name: str, kind: UnitKind, leader: str, contact: str = "", phone: str = "") -> Unit:
    """Create the unit on first use, update it afterwards; validated, audited, one transaction."""
    existing = get_unit(session)
    fields = dict(name=name.strip(), kind=kind, leader=leader.strip(), contact=contact.strip(), phone=phone.strip())
    unit = existing.with_changes(**fields, is_sample=False) if existing else Unit(**fields)
    problems = validate_unit(unit)
    if problems:
        field, message = next(iter(problems.items()))
        raise InputRejected(message, Location(field=UNIT_FIELD_LABELS[field]))
    with session.store.transaction():
        units.save(session.store, unit, operator=session.operator)
        if existing is None:
            session.store.meta_set(units.LOCAL_UNIT_KEY, unit.id)
    return unit
