"""A campaign made here adopted by the office's 任务包: nothing is entered twice, and it can be delivered."""

from __future__ import annotations

import datetime as dt

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.services import (  # noqa: I001
    campaign_adoption,
    campaign_service,
    filing_service,
    office_service,
    package_service,
    pledge_service,
    selfcheck_service,
)
from tests.services.exchange_fixtures import backup_label, fill_and_finalise, make_office, make_unit, person

TODAY = dt.date.today()


@pytest.fixture
def task_file(tmp_path, monkeypatch):
    """The office's 任务包 (pingyang-2019, 平住建发〔2019〕27号) and the office itself."""
    office = make_office(tmp_path, monkeypatch, deadline=TODAY + dt.timedelta(days=10))
    folder = tmp_path / "task"
    folder.mkdir()
    with office.active() as session:
        path, _fingerprint = office_service.export_campaign_file(session, folder)
    return office, path


def unit_with_own_campaign(tmp_path, monkeypatch, task, **campaign):
    """技术科, who created the campaign itself from the notice and filed before the 任务包 came."""
    unit = make_unit(tmp_path, monkeypatch, "技术科", task, import_task=False)
    with unit.active() as session:
        campaign_service.create_campaign(session, deadline=TODAY + dt.timedelta(days=7), **campaign)
    return unit


def test_a_finalised_campaign_made_here_is_adopted_with_everything_filed_and_can_then_be_delivered(
    tmp_path, monkeypatch, task_file
):
    office, task = task_file
    unit = unit_with_own_campaign(tmp_path, monkeypatch, task, title="三清单一承诺（本科自建）",
                                  document_number="平住建发[2019] 27号")
    fill_and_finalise(unit)
    with unit.active() as session:
        own = campaign_service.current_campaign(session)
        refusal = _refusal(session, tmp_path)
        assert "不是从纪委（监察室）的任务包导入的" in refusal
        # in the words of the program in use: the window's button here, the command on the command line
        assert "在“报送与接收”页点“导入任务包…”" in refusal and "qingqing-cli" not in refusal
        session.program = "qingqing-cli package create"
        assert "qingqing-cli campaign import 文件" in _refusal(session, tmp_path)
        session.program = ""
        history_before = len(filing_service.filing_history(session))

        preview = campaign_adoption.preview_campaign_file(session, task)
        assert preview.suggested.campaign.id == own.id
        assert preview.suggested.matched_by == "文号相同"  # 〔〕 and [] and a space are the same 文号
        assert preview.suggested.template_differences == ()
        assert preview.suggested.reopens  # finalised: it is filed anew under the office's campaign

        result = package_service.import_campaign_file(session, task, adopt=own.id)
        assert backup_label(result.backup_path) == f"导入任务包“{task.name}”前"
        campaign = campaign_service.current_campaign(session)
        assert campaign.id == preview.office_campaign.id != own.id
        assert campaign.title == "2019年“三清单一承诺”行动"  # the office's wording from now on
        assert result.adopted.campaign.id == own.id
        assert [c.id for c in campaign_service.list_campaigns(session)] == [campaign.id]  # no second campaign

        status = filing_service.filing_status(session)
        assert (status.state, status.revision) == (FilingState.DRAFT, 2)
        signed = {r.name for r in pledge_service.list_pledges(session) if r.status is PledgeStatus.SIGNED}
        assert signed == {"单建国", "张伟"}
        assert pledge_service.get_scan(session, person(session, "单建国").id) is not None
        check = selfcheck_service.get_self_check(session)
        assert [f.problem for f in check.findings] == ["服务企业不够主动"] and check.is_complete
        history = filing_service.filing_history(session)
        assert len(history) > history_before  # the old entries and the adoption and reopening
        assert any("采用纪委（监察室）任务包" in entry.reason for entry in history)

        filing_service.finalize(session)
        usb = tmp_path / "usb"
        usb.mkdir()
        package = package_service.create_package(session, usb)
    with office.active() as session:
        imported = office_service.import_package(session, package.path)
        assert imported.ok and (imported.unit, imported.revision) == ("技术科", 2)
        tech = {r.unit: r for r in office_service.board(session).rows}["技术科"]
        assert (tech.revision, tech.pledges_signed) == (2, 2)


def _refusal(session, tmp_path) -> str:
    with pytest.raises(InputRejected) as refused:
        package_service.create_package(session, tmp_path)
    return str(refused.value)


def test_the_preview_shows_the_template_wording_that_would_change(tmp_path, monkeypatch, task_file):
    _office, task = task_file
    unit = unit_with_own_campaign(tmp_path, monkeypatch, task, template_id="shenyang-2019",
                                  title="2019年“三清单一承诺”行动")
    with unit.active() as session:
        preview = campaign_adoption.preview_campaign_file(session, task)
        (candidate,) = preview.candidates
        assert candidate.matched_by == "行动名称相同" and not candidate.reopens
        assert "第1张清单·标题：正向行为激励 → 我局及其工作人员政商交往“正面清单”" in candidate.template_differences


def test_a_campaign_from_a_task_file_cannot_be_adopted_and_nothing_is_written(tmp_path, monkeypatch, task_file):
    _office, task = task_file
    unit = make_unit(tmp_path, monkeypatch, "技术科", task)
    with unit.active() as session:
        received = campaign_service.current_campaign(session)
        before = unit.dump()
        with pytest.raises(InputRejected, match="此前已从任务包导入"):
            package_service.import_campaign_file(session, task, adopt=received.id)
        assert unit.dump() == before
