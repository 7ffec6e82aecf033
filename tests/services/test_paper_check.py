"""The office checks scanned stamped paper against the filings it received: units print with the app,
the pages are scanned (simulated), the office reads them."""

from __future__ import annotations

import pytest
from exchange_fixtures import office_and_two_units, person, send_package
from scan_images import Scan, images_to_pdf, render_pages, scanned

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.paper_code import FormKind
from qingqing_desktop.services import document_service, filing_service, office_service, pledge_service
from qingqing_desktop.services.paper_check import KeyCheck, PaperVerdict, check_paper

KIND = document_service.DocumentKind


def printed(unit, kind: KIND) -> bytes:
    with unit.active() as session:
        data = document_service.filing_document_data(session)
        return document_service.render_document(data, kind, "pdf")


def first_page(pdf: bytes, how: Scan = Scan(), dpi: int = 150):
    return scanned(render_pages(pdf, dpi, [0])[0], how)


@pytest.fixture
def bureau(tmp_path, monkeypatch):
    """技术科 delivered revision 1 and the office imported it; 质监站 finalised but has not delivered."""
    office, tech, quality, usb, _campaign, _fp = office_and_two_units(tmp_path, monkeypatch,
                                                                      campaign_folder=tmp_path / "任务包")
    send_package(tech, usb)
    with office.active() as session:
        office_service.import_packages(session, usb)
    return office, tech, quality, usb


def test_stamped_pages_are_checked_against_what_was_received(bureau, tmp_path):
    office, tech, quality, usb = bureau
    summary_v1 = printed(tech, KIND.SUMMARY)
    self_check_v1 = printed(tech, KIND.SELFCHECK)
    letters = printed(tech, KIND.PLEDGES)
    not_delivered = printed(quality, KIND.SUMMARY)
    with tech.active() as session:  # a correction: revision 2, delivered too
        filing_service.reopen(session, "补充签订人员")
        pledge_service.set_status(session, person(session, "李𡈽").id, "已签订")
        draft_v2 = document_service.render_document(document_service.filing_document_data(session), KIND.SUMMARY,
                                                    "pdf")
        filing_service.finalize(session)
    summary_v2 = printed(tech, KIND.SUMMARY)
    send_package(tech, usb)
    with office.active() as session:
        office_service.import_packages(session, usb)
    pages = [
        first_page(summary_v2, Scan(angle=90, skew=1.0, noise=0.25)),
        first_page(summary_v1, Scan(angle=180), dpi=300),
        first_page(self_check_v1),
        first_page(not_delivered),
        first_page(draft_v2),
        first_page(letters),
    ]
    scan = tmp_path / "盖章件.pdf"
    scan.write_bytes(images_to_pdf(pages, [150, 300, 150, 150, 150, 150]))
    with office.active() as session:
        report = check_paper(session, scan)
    checks = report.pages
    assert [c.verdict for c in checks] == [PaperVerdict.CONSISTENT, PaperVerdict.OLDER, PaperVerdict.OLDER,
                                           PaperVerdict.NOT_RECEIVED, PaperVerdict.MISMATCH, PaperVerdict.NOT_A_FORM]
    assert checks[0].text == "与报送数据一致" and checks[0].form is FormKind.SUMMARY and checks[0].revision == 2
    assert checks[0].key is KeyCheck.MATCHES and checks[0].unit.name == "技术科"
    assert checks[1].text == "版本较旧（已收到第2版）" and "与曾收到的第1版一致" in checks[1].detail
    assert checks[2].form is FormKind.SELF_CHECK and checks[2].key is KeyCheck.NONE
    # 质监站 is on the office's list; it is unknown here only until its first package (its UUID comes with it)
    assert checks[3].unit is None and checks[3].unit_label == "（尚未报送过的单位）"
    assert checks[3].detail.startswith("尚未收到过该单位的报送包（单位名称见页面）\n纸面：第")
    assert "草稿" in checks[4].detail
    assert "共6页" in report.summary() and "与报送数据一致 1页" in report.summary()


def test_a_newer_revision_and_a_foreign_key(bureau, tmp_path, monkeypatch):
    office, tech, _quality, _usb = bureau
    with tech.active() as session:
        filing_service.reopen(session, "更正职务")
        filing_service.finalize(session)
    newer = printed(tech, KIND.SUMMARY)
    scan = tmp_path / "newer.png"
    first_page(newer).save(scan, dpi=(150, 150))
    with office.active() as session:
        (check,) = check_paper(session, scan).pages
        assert check.verdict is PaperVerdict.NEWER and check.text == "版本较新（只收到第1版）"
        unit = office_service.find_unit(session, "技术科")
        office_service.register_unit_key(session, unit.name, "-".join(["ABCDEF01"] * 5))
        (check,) = check_paper(session, scan).pages
        assert check.key is KeyCheck.DIFFERS and "密钥指纹与登记的不符" in check_paper(session, scan).summary()


def test_only_the_office_checks_paper(bureau, tmp_path):
    _office, tech, _quality, _usb = bureau
    scan = tmp_path / "a.png"
    first_page(printed(tech, KIND.SUMMARY)).save(scan)
    with tech.active() as session, pytest.raises(InputRejected, match="纪委"):
        check_paper(session, scan)
