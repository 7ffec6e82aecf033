"""Clearly marked sample data (示例数据) for trying the app out; removable in one step."""

from __future__ import annotations

from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import require_unit
from qingqing_desktop.store import staff

_C, _S = RankCategory.MIDDLE_CADRE, RankCategory.STAFF

# name, rank, title, post, party member, status — fictional people; the names
# deliberately include surnames with special readings and rare characters.
SAMPLE_PEOPLE: tuple[tuple[str, RankCategory, str, str, bool, StaffStatus], ...] = (
    ("单建国", _C, "科长", "主持科室全面工作", True, StaffStatus.ACTIVE),
    ("曾晓燕", _C, "副科长", "分管行政审批、档案管理", True, StaffStatus.ACTIVE),
    ("解文博", _C, "副科长", "分管建筑市场监管", True, StaffStatus.ACTIVE),
    ("仇立新", _C, "办公室主任", "分管办公室日常事务", False, StaffStatus.ACTIVE),
    ("林素华", _C, "站长", "分管质量监管、安全监管", True, StaffStatus.ACTIVE),
    ("王䶮", _S, "一级主任科员", "行政审批", True, StaffStatus.ACTIVE),
    ("李𡈽", _S, "科员", "方案设计技术审查", False, StaffStatus.ACTIVE),
    ("陈喆", _S, "科员", "房地产市场监管", True, StaffStatus.ACTIVE),
    ("刘堃", _S, "四级主任科员", "建筑市场监管", True, StaffStatus.ACTIVE),
    ("张三", _S, "科员", "规划核实", False, StaffStatus.ACTIVE),
    ("张伟", _S, "科员", "竣工验收", True, StaffStatus.ACTIVE),
    ("张伟", _S, "办事员", "文书收发", False, StaffStatus.ACTIVE),
    ("欧阳明辉", _S, "三级主任科员", "安全监管", True, StaffStatus.ACTIVE),
    ("周丽君", _S, "科员", "质量监管", False, StaffStatus.ACTIVE),
    ("吴海涛", _S, "科员", "质量监管", True, StaffStatus.ACTIVE),
    ("郑一鸣", _S, "工作人员", "安全监管", False, StaffStatus.ACTIVE),
    ("孙佳怡", _S, "科员", "财务", False, StaffStatus.ACTIVE),
    ("朱国平", _S, "科员", "综合文字", True, StaffStatus.ACTIVE),
    ("何晓东", _S, "二级主任科员", "行政审批", True, StaffStatus.ACTIVE),
    ("黄振华", _S, "科员", "建筑市场监管", False, StaffStatus.ACTIVE),
    ("蔡雅琴", _S, "办事员", "档案管理", False, StaffStatus.ACTIVE),
    ("潘志强", _S, "科员", "房地产市场监管", True, StaffStatus.ACTIVE),
    ("区志文", _S, "科员", "竣工验收", False, StaffStatus.ACTIVE),
    ("朴成浩", _S, "科员", "规划核实", False, StaffStatus.ACTIVE),
    ("叶思远", _S, "科员", "信息化", True, StaffStatus.ACTIVE),
    ("谢晓峰", _S, "科员", "后勤保障", False, StaffStatus.ACTIVE),
    ("杨帆", _S, "工作人员", "方案设计技术审查", True, StaffStatus.ACTIVE),
    ("徐静", _S, "科员", "行政审批", False, StaffStatus.TRANSFERRED),
    ("马骏", _C, "副站长", "分管安全监管", True, StaffStatus.TRANSFERRED),
    ("高德明", _S, "科员", "质量监管", True, StaffStatus.RETIRED),
)

SAMPLE_NOTE = "示例数据"


def load_sample_data(session: Session) -> int:
    """Add the sample people to the unit's roster (marked as samples); returns how many."""
    unit = require_unit(session)
    with session.store.transaction():
        for name, rank, title, post, party, status in SAMPLE_PEOPLE:
            member = StaffMember(
                name=name, rank=rank, title=title, post=post, party_member=party,
                status=status, note=SAMPLE_NOTE, is_sample=True,
            )
            staff.save(session.store, unit.id, member, operator=session.operator, reason="载入示例数据")
    return len(SAMPLE_PEOPLE)


def remove_sample_data(session: Session) -> int:
    """Soft-delete every sample person; the clerk's own people stay. Returns how many."""
    unit = require_unit(session)
    samples = [m for m in staff.list_for_unit(session.store, unit.id) if m.is_sample]
    with session.store.transaction():
        for member in samples:
            staff.soft_delete(session.store, member.id, operator=session.operator, reason="删除示例数据")
    return len(samples)
