"""承诺书 scan import with real images: letters printed by the app, scanned (simulated), filed in one step."""

from __future__ import annotations

import datetime as dt
import io
import json

import pypdf
import pytest
from PIL import Image
from scan_images import Scan, images_to_pdf, qr_texts, render_pages, scanned

from qingqing_desktop.domain import paper_code
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import (
    campaign_service,
    document_service,
    filing_service,
    pledge_service,
    roster_service,
    selfcheck_service,
)
from qingqing_desktop.services import pledge_scan_import as scan_import
from qingqing_desktop.services.pledge_scan_import import ScanReadingCancelled
from qingqing_desktop.store.backup import list_backups, record_path

TODAY = dt.date.today()
C, S = RankCategory.MIDDLE_CADRE, RankCategory.STAFF
NAMES = ("单建国", "曾晓燕", "李𡈽", "陈喆")


@pytest.fixture
def session(unit_session):
    for name, rank, post in zip(NAMES, (C, C, S, S), ("主持全面工作", "分管行政审批", "行政审批", "质量监管")):
        roster_service.add_staff(unit_session, StaffMember(name, rank, post=post))
    roster_service.add_staff(unit_session, StaffMember("孙佳怡", S, post="财务"))  # need not sign: no letter
    campaign_service.create_campaign(unit_session)
    return unit_session


def letters_pdf(session, campaign_id: str | None = None) -> bytes:
    data = document_service.filing_document_data(session, campaign_id=campaign_id, with_key=False)
    return document_service.render_document(data, document_service.DocumentKind.PLEDGES, "pdf")


def blank_letter_page(session, dpi: int = 150) -> Image.Image:
    data = document_service.filing_document_data(session, with_key=False)
    pdf = document_service.render_document(data, document_service.DocumentKind.BLANK_PLEDGE, "pdf")
    return render_pages(pdf, dpi)[0]


def rows(session) -> dict:
    return {r.name: r for r in pledge_service.list_pledges(session)}


def stored_codes(session, staff_id: str) -> list[paper_code.LetterCode]:
    """The codes read back from the scan kept for a person, page by page, upright (no rotation needed)."""
    scan = pledge_service.get_scan(session, staff_id)
    assert scan.mime == "application/pdf"
    codes = []
    for page in render_pages(scan.data, 150):
        import zxingcpp

        (result,) = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
        assert abs(result.orientation) < 10  # turned upright when kept
        codes.append(paper_code.decode(result.text))
    return codes


@pytest.fixture
def mixed_batch(session, tmp_path):
    """The duplex letters scanned at 150 and 300 dpi, turned, skewed, noisy; plus a letter of
    another campaign and a blank letter filled in by hand (no code)."""
    own = letters_pdf(session)
    current = campaign_service.current_campaign(session)
    other = campaign_service.create_campaign(session, title="2020年“三清单一承诺”专项行动")
    foreign = letters_pdf(session, other.id)
    campaign_service.use_campaign(session, current.id)
    pages_150 = render_pages(own, 150)
    ways = [Scan(), Scan(angle=180, skew=-1.5), Scan(angle=90, skew=2.0, noise=0.3), Scan(angle=270)]
    images, dpis = [], []
    for number, page in enumerate(pages_150):
        if number == 2:  # this sheet went through at 300 dpi
            page = render_pages(own, 300, [2])[0]
        images.append(scanned(page, ways[(number // 2) % 4], seed=number))
        dpis.append(300 if number == 2 else 150)
    images.insert(3, scanned(render_pages(foreign, 150, [0])[0], Scan(angle=180), seed=99))
    dpis.insert(3, 150)
    images.append(scanned(blank_letter_page(session), Scan(skew=1.0), seed=7))
    dpis.append(150)
    path = tmp_path / "扫描批次.pdf"
    path.write_bytes(images_to_pdf(images, dpis))
    return path, other


@pytest.fixture
def small_batch(session, tmp_path):
    """Two letters, scanned straight."""
    path = tmp_path / "两页.pdf"
    path.write_bytes(images_to_pdf([scanned(page) for page in render_pages(letters_pdf(session), 150, [0, 2])]))
    return path


def test_every_letter_page_is_matched_the_rest_reported(session, mixed_batch):
    path, other = mixed_batch
    plan = scan_import.plan_scan_import(session, path)
    assert plan.page_count == 10
    assert sorted(m.name for m in plan.matched) == sorted(NAMES)
    assert all(len(m.pages) == 1 and m.pages[0].code.page == 1 for m in plan.matched)
    for person in plan.matched:
        assert person.pages[0].code.staff_id == person.staff_id
    turned = {m.name: m.pages[0].rotation for m in plan.matched}
    assert sorted(turned.values()) == [0, 90, 180, 270]  # clockwise turns that put each page upright
    (foreign,) = plan.foreign
    assert foreign.page.number == 4 and other.quoted_title in foreign.reason  # never matched
    (loose,) = plan.unmatched
    assert loose.page.number == 10 and "未找到二维码" in loose.reason and loose.after
    assert [p.number for p in plan.blank] == [2, 5, 7, 9]
    assert "4人已匹配" in plan.summary()


def test_applying_signs_everyone_with_their_own_pages_after_a_backup(session, mixed_batch):
    path, _ = mixed_batch
    plan = scan_import.plan_scan_import(session, path)
    built = scan_import.build_scans(plan)
    assert [item.scan.file_name for item in built] == [f"{m.name}_承诺书签字页.pdf" for m in plan.matched]
    assert all(len(pypdf.PdfReader(io.BytesIO(item.scan.data)).pages) == 1 for item in built)
    result = scan_import.apply_scan_import(session, plan, TODAY, person_scans=built)
    assert result.backup_path is not None and result.backup_path.exists()
    # recorded as every other backup: which database it is of (it said "" and could not be told apart)
    record = json.loads(record_path(result.backup_path).read_text(encoding="utf-8"))
    assert record["database"] == str(session.db_path.resolve())
    assert backup_label(result.backup_path) == f"导入承诺书扫描件“{path.name}”前"
    listed = rows(session)
    for name in NAMES:
        assert listed[name].status is PledgeStatus.SIGNED and listed[name].signed_on == TODAY
        assert listed[name].has_scan
        (code,) = stored_codes(session, listed[name].staff_id)
        assert code.staff_id == listed[name].staff_id  # their own page, upright
    assert listed["孙佳怡"].status is PledgeStatus.UNSIGNED and not listed["孙佳怡"].has_scan
    # the 修改记录 says where both the signing and the page came from
    reasons = {(h.what.split("：")[0], h.field): h.reason for h in filing_service.filing_history(session)
               if h.what.endswith(f"：{NAMES[0]}")}
    assert reasons[("签字页扫描件", "文件名")] == reasons[("承诺书签订", "签订状态")] == f"承诺书扫描件批量导入（{path.name}）"


def test_a_page_without_code_can_be_assigned_by_hand(session, tmp_path):
    pdf = letters_pdf(session)
    first_two = render_pages(pdf, 150, [0, 2])
    path = tmp_path / "两份.pdf"
    path.write_bytes(images_to_pdf([scanned(first_two[0]), scanned(blank_letter_page(session))]))
    plan = scan_import.plan_scan_import(session, path)
    (loose,) = plan.unmatched
    (first,) = plan.matched
    target = next(r for r in plan.candidates if r.name in NAMES and r.staff_id != first.staff_id)
    assigned = scan_import.assign_pages(plan, {loose.page.number: target.staff_id})
    assert not assigned.unmatched and len(assigned.matched) == 2
    by_hand = next(m for m in assigned.matched if m.staff_id == target.staff_id)
    assert by_hand.by_hand and "含手工指定的页面" in by_hand.notes
    with pytest.raises(InputRejected, match="不是未识别的页面"):
        scan_import.assign_pages(plan, {1: target.staff_id})
    scan_import.apply_scan_import(session, assigned, TODAY)
    assert rows(session)[target.name].status is PledgeStatus.SIGNED and rows(session)[target.name].has_scan


def test_a_folder_of_images_and_a_multi_page_tiff(session, tmp_path):
    pdf = letters_pdf(session)
    fronts = render_pages(pdf, 200, [0, 2, 4, 6])
    folder = tmp_path / "扫描"
    folder.mkdir()
    scanned(fronts[0], Scan(angle=90)).save(folder / "扫描10.jpg", dpi=(200, 200))
    scanned(fronts[1]).convert("L").save(folder / "扫描2.png", dpi=(200, 200))
    tiff_pages = [scanned(fronts[2], Scan(angle=180)), scanned(fronts[3], Scan(skew=-1.0))]
    tiff_pages[0].save(folder / "扫描3.tif", save_all=True, append_images=tiff_pages[1:], dpi=(200, 200))
    (folder / "说明.txt").write_text("not a scan")
    plan = scan_import.plan_scan_import(session, folder)
    assert [p.ref.label for p in plan.batch.pages] == ["扫描2.png", "扫描3.tif 第1页", "扫描3.tif 第2页", "扫描10.jpg"]
    assert len(plan.matched) == 4 and not plan.unmatched and not plan.foreign
    scan_import.apply_scan_import(session, plan, TODAY)
    assert all(rows(session)[n].has_scan for n in NAMES)
    name = plan.matched[-1].name  # the sideways JPEG: kept upright
    assert stored_codes(session, rows(session)[name].staff_id)[0].page == 1


def test_someone_already_signed_keeps_the_date_and_gets_the_scan(session, tmp_path):
    earlier = TODAY - dt.timedelta(days=3)
    person = rows(session)["单建国"]
    pledge_service.set_status(session, person.staff_id, PledgeStatus.SIGNED, signed_on=earlier)
    pledge_service.attach_scan_data(session, person.staff_id, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "旧.png")
    pdf = letters_pdf(session)
    index = next(i for i, page in enumerate(render_pages(pdf, 150)) if qr_texts(page)
                 and paper_code.decode(qr_texts(page)[0]).staff_id == person.staff_id)
    path = tmp_path / "一页.pdf"
    path.write_bytes(images_to_pdf([scanned(render_pages(pdf, 150, [index])[0])]))
    plan = scan_import.plan_scan_import(session, path)
    (matched,) = plan.matched
    assert any("保留原签订日期" in n for n in matched.notes) and "将替换原有扫描件" in matched.notes
    scan_import.apply_scan_import(session, plan, TODAY)
    after = rows(session)["单建国"]
    assert after.signed_on == earlier and pledge_service.get_scan(session, person.staff_id).mime == "application/pdf"


def test_a_finalised_filing_refuses_before_reading(session, tmp_path):
    for row in (1, 2, 3):
        selfcheck_service.confirm_none(session, row, True)
    filing_service.finalize(session)
    with pytest.raises(InputRejected, match="已定稿"):
        scan_import.plan_scan_import(session, tmp_path / "不存在.pdf")


def test_cancel_writes_nothing(session, small_batch):
    path = small_batch
    calls = iter(range(100))
    with pytest.raises(ScanReadingCancelled):
        scan_import.plan_scan_import(session, path, cancelled=lambda: next(calls) >= 2)
    assert not any(r.has_scan for r in rows(session).values())


def test_all_or_nothing_when_a_write_fails(session, small_batch, monkeypatch):
    path = small_batch
    plan = scan_import.plan_scan_import(session, path)
    built = scan_import.build_scans(plan)
    from qingqing_desktop.store import pledges

    real, calls = pledges.put_scan, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(pledges, "put_scan", failing)
    with pytest.raises(OSError):
        scan_import.apply_scan_import(session, plan, TODAY, person_scans=built)
    listed = rows(session)
    assert all(listed[n].status is PledgeStatus.UNSIGNED and not listed[n].has_scan for n in NAMES)


def test_bad_sources_are_refused_or_listed(session, tmp_path):
    with pytest.raises(InputRejected, match="没有 PDF、JPEG、PNG 或 TIFF"):
        scan_import.plan_scan_import(session, tmp_path)
    (tmp_path / "坏的.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "好的.png").write_bytes(b"")
    plan = scan_import.plan_scan_import(session, tmp_path)
    assert plan.page_count == 0 and {f.path.name for f in plan.unreadable_files} == {"坏的.pdf", "好的.png"}
    with pytest.raises(InputRejected, match="没有与本单位人员匹配"):
        scan_import.apply_scan_import(session, plan, TODAY)
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(InputRejected, match="只能读取"):
        scan_import.plan_scan_import(session, tmp_path / "x.docx")


def backup_label(path) -> str:
    """How the backups list (备份与恢复, qingqing-cli backup list) names the backup at ``path``."""
    return next(info.reason_label for info in list_backups(path.parent) if info.path == path)
