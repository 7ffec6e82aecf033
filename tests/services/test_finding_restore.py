"""selfcheck_service.restore_finding: the GUI's undo of 删除 brings the same finding back."""

from __future__ import annotations

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import campaign_service, filing_service, roster_service, selfcheck_service


@pytest.fixture
def owner(unit_session) -> StaffMember:
    member = StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作")
    roster_service.add_staff(unit_session, member)
    campaign_service.create_campaign(unit_session)
    return member


def add(session, owner):
    return selfcheck_service.add_finding(
        session, row=1, problem="服务企业不够主动", measure="建立上门服务清单", owner_id=owner.id, due="2019-03-13"
    ).finding


def test_a_deleted_finding_comes_back_with_its_id_and_withdraws_the_rows_none(unit_session, owner):
    finding = add(unit_session, owner)
    selfcheck_service.delete_finding(unit_session, finding.id)
    selfcheck_service.confirm_none(unit_session, 1)

    restored = selfcheck_service.restore_finding(unit_session, finding.id)

    row = selfcheck_service.get_self_check(unit_session).rows[0]
    assert restored.id == finding.id
    assert [f.id for f in row.findings] == [finding.id]
    assert not row.none_confirmed  # “无” next to a finding would contradict it on paper
    history = filing_service.filing_history(unit_session)
    assert any(e.field == "删除状态" and e.old == "已删除" and e.reason == "撤销删除" for e in history)


def test_restoring_is_refused_while_the_filing_is_locked(unit_session, owner):
    finding = add(unit_session, owner)
    selfcheck_service.delete_finding(unit_session, finding.id)
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(unit_session, row)
    filing_service.finalize(unit_session)
    with pytest.raises(InputRejected, match="已定稿"):
        selfcheck_service.restore_finding(unit_session, finding.id)


def test_an_unknown_finding_is_refused(unit_session, owner):
    with pytest.raises(InputRejected, match="找不到"):
        selfcheck_service.restore_finding(unit_session, "no-such-id")
