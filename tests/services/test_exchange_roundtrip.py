"""Unit → office → unit through files only: two unit databases and one office database.

任务包 out, 报送包 in, the board, 退回 and the corrected revision 2, 确认, the
consolidated Excel and the overview PDF; and the whole USB stick imported again
changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import openpyxl
import pdfplumber
import pytest
from exchange_fixtures import backup_label, fill_and_finalise, make_unit, office_and_two_units, person, send_package

from qingqing_desktop.domain.filing import FilingState
from qingqing_desktop.domain.office import SIGNED_MARK_NOTE, TOTALS_NOTE, ReviewState, Verdict
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import (
    campaign_service,
    filing_service,
    key_service,
    office_service,
    package_service,
    pledge_service,
    roster_service,
    selfcheck_service,
)
from qingqing_desktop.services.session import open_session

TODAY = dt.date.today()


@pytest.fixture
def bureau(tmp_path, monkeypatch):
    """The office issued its 任务包; 技术科 and 质监站 imported it, filled in, 定稿 and sent packages."""
    office, a, b, usb, campaign_path, office_fp = office_and_two_units(
        tmp_path, monkeypatch, campaign_folder=tmp_path / "usb", second_with_finding=False)
    yield office, a, b, usb, campaign_path, office_fp
    for installation in (office, a, b):
        installation.session.close()


def test_the_campaign_arrives_with_the_offices_id_template_and_key(bureau):
    office, a, b, usb, campaign_path, office_fp = bureau
    with office.active() as session:
        issued = campaign_service.require_campaign(session)
    for unit in (a, b):
        with unit.active() as session:
            here = campaign_service.require_campaign(session)
            assert (here.id, here.title, here.deadline, here.template_id) == (
                issued.id, issued.title, issued.deadline, issued.template_id)
            assert here.template == dataclasses.replace(issued.template, source=here.template.source)
            keys = key_service.key_overview(session)
            assert [k.role for k in keys] == ["单位密钥", "已登记的纪委（监察室）密钥"] and keys[1].fingerprint == office_fp
            assert package_service.received_campaign(session, here.id).office_name == "局机关纪委（监察室）"
    assert a.session.store.meta_get("office_fingerprint") == office_fp
    # the two units are two computers: two keys
    with a.active() as session:
        key_a = key_service.unit_fingerprint(session)
    with b.active() as session:
        assert key_service.unit_fingerprint(session) != key_a


def test_round_trip(bureau):
    office, a, b, usb, campaign_path, office_fp = bureau

    # -- the units hand in their packages
    sent_a = send_package(a, usb)
    sent_b = send_package(b, usb)
    assert sent_a.path.name == "报送包_技术科_2019年三清单一承诺行动_第1版.qqpkg"
    assert (sent_a.revision, sent_a.sequence, sent_a.status.state) == (1, 1, FilingState.SUBMITTED)
    assert sent_a.counts.pledges_required == 3 and sent_a.counts.pledges_signed == 2

    # -- the office imports the whole stick (the 任务包 lying there is not a 报送包 and is left alone)
    with office.active() as session:
        report = office_service.import_packages(session, usb)
        assert sorted(r.verdict for r in report.results) == [Verdict.FIRST, Verdict.FIRST]
        assert report.backup_path is not None and report.backup_path.exists()
        board = office_service.board(session)
    rows = {r.unit: r for r in board.rows}
    assert list(rows) == ["规划科", "技术科", "质监站"]  # pinyin order
    tech = rows["技术科"]
    assert (tech.delivered, tech.revision, tech.on_time, tech.signed, tech.state) == (
        True, 1, True, True, ReviewState.PENDING)
    assert (tech.pledges_required, tech.pledges_signed, tech.pledges_outstanding) == (3, 2, 1)
    assert (tech.findings_open, tech.findings_done) == (1, 0)
    assert tech.fingerprint == sent_a.fingerprint
    assert (rows["质监站"].findings_open, rows["规划科"].state) == (0, ReviewState.NOT_DELIVERED)
    assert board.totals.delivered == 2 and board.totals.pledges_outstanding == 2

    # -- the office looks at 技术科 and sends it back
    with office.active() as session:
        detail = office_service.unit_detail(session, tech.office_unit_id)
        assert [p.name for p in detail.pledges if p.outstanding] == ["李𡈽"]
        assert detail.self_check.rows[0].findings[0].problem == "服务企业不够主动"
        assert [name.rsplit(".", 1)[1] for name in detail.documents] == ["pdf", "pdf", "xlsx", "xlsx"]
        summary = next(n for n in detail.documents if n.startswith("附件2") and n.endswith(".pdf"))
        with pdfplumber.open(io.BytesIO(office_service.delivery_document(session, detail.current.id, summary))) as pdf:
            printed = "".join(page.extract_text() or "" for page in pdf.pages)
        assert "技术科" in printed and sent_a.fingerprint in printed.replace("\n", "")  # the paper vouches for the key
        scan_member = next(iter(detail.scans.values()))
        assert office_service.delivery_document(session, detail.current.id, scan_member).startswith(b"\x89PNG")
        returned = office_service.return_filing(session, "技术科", "李𡈽尚未签订承诺书，请补签后重新报送。", usb)
        assert returned.path.name == "退回_技术科_2019年三清单一承诺行动_第1版.qqreturn"
        assert {r.unit: r.state for r in office_service.board(session).rows}["技术科"] is ReviewState.RETURNED

    # -- 技术科 imports the 退回文件: reopened as revision 2, the comment kept
    with a.active() as session:
        imported = package_service.import_return_file(session, returned.path)
        assert backup_label(imported.backup_path) == f"导入退回文件“{returned.path.name}”前"
        assert imported.reopened and (imported.status.state, imported.status.revision) == (FilingState.DRAFT, 2)
        assert package_service.latest_return(session).comment == "李𡈽尚未签订承诺书，请补签后重新报送。"
        states = [(e.old, e.new, e.reason) for e in filing_service.filing_history(session) if e.field == "报送状态"]
        assert states[0] == ("退回", "草稿", "纪委（监察室）退回：李𡈽尚未签订承诺书，请补签后重新报送。")
        assert states[1][:2] == ("已报送", "退回")
        assert package_service.import_return_file(session, returned.path).duplicate  # again: nothing happens
        # corrects: the missing signature, and a newcomer on a key post
        pledge_service.set_status(session, person(session, "李𡈽").id, "已签订", signed_on=TODAY, today=TODAY)
        roster_service.add_staff(session, StaffMember("王䶮", RankCategory.STAFF, post="安全监管"))
        pledge_service.set_status(session, person(session, "王䶮").id, "已签订", signed_on=TODAY, today=TODAY)
        filing_service.finalize(session)
    resent = send_package(a, usb)
    assert (resent.revision, resent.sequence) == (2, 2)
    assert resent.path.name.endswith("_第2版.qqpkg")

    # -- the office imports revision 2 and sees what changed
    with office.active() as session:
        result = office_service.import_package(session, resent.path)
        assert result.verdict is Verdict.NEWER_REVISION
        assert "新增人员1人（王䶮）" in result.changes and "李𡈽：未签订→已签订" in result.changes
        tech = {r.unit: r for r in office_service.board(session).rows}["技术科"]
        assert (tech.revision, tech.state, tech.returns, tech.pledges_outstanding) == (2, ReviewState.PENDING, 1, 0)
        assert "新增人员1人" in tech.changes
        office_service.confirm_filing(session, "技术科")
        board = office_service.board(session)
        assert {r.unit: r.state for r in board.rows}["技术科"] is ReviewState.CONFIRMED
        history = office_service.unit_detail(session, tech.office_unit_id).deliveries
        assert [(d.revision, d.outcome.value) for d in history] == [(2, "current"), (1, "superseded")]

        # -- the bureau-wide outputs
        workbook_path = office_service.export_workbook(session, usb / "汇总.xlsx")
        pdf_path = office_service.export_overview_pdf(session, usb / "一览.pdf")

    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames == ["汇总", "技术科", "质监站"]
    overview = wb["汇总"]
    assert [c.value for c in overview[3]][:4] == ["序号", "单位", "报送情况", "数据来源"]
    # dates as printed elsewhere (2019年3月5日), not 2019-03-05
    assert re.search(r"截止日期：\d{4}年[1-9]\d?月[1-9]\d?日　", overview["A2"].value)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", overview["A2"].value)
    lines = {row[1]: row for row in overview.iter_rows(min_row=4, values_only=True) if row[1]}
    assert lines["技术科"][2:5] == ("已报送", "报送包（已签名）", 2)
    # 应签, 已签, 其中不须签订, 未签
    assert lines["技术科"][7:11] == (4, 4, 0, 0) and lines["技术科"][13] == "已确认"
    assert lines["规划科"][2] == "未报送" and lines["合计"][7] == 7
    sheet = wb["技术科"]
    assert [c.value for c in sheet[4]] == ["序号", "姓名", "职务", "工作岗位", "是否党员"]
    people = [(r[1], r[2], r[4]) for r in sheet.iter_rows(min_row=5, max_row=8, values_only=True)]
    assert people[0] == ("单建国", "中层干部", "是") and {p[0] for p in people} == {"单建国", "李𡈽", "王䶮", "张伟"}
    assert sheet["A3"].value == "单位（盖章）：技术科"
    assert str(overview.page_setup.paperSize) == overview.PAPERSIZE_A4 and sheet.print_title_rows == "$4:$4"
    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "报送情况一览" in text and "技术科" in text and "规划科" in text and "已确认" in text

    # -- the whole stick again: nothing changes
    with office.active() as session:
        before = office.dump()
        again = office_service.import_packages(session, usb)
        assert office.dump() == before
        verdicts = {r.file_name: r.verdict for r in again.results}
        assert verdicts[sent_a.path.name] is Verdict.OLDER and verdicts[resent.path.name] is Verdict.DUPLICATE
        assert verdicts[sent_b.path.name] is Verdict.DUPLICATE and again.backup_path is None


def test_rectification_progress_after_filing_travels_in_a_new_package_of_the_same_revision(bureau):
    office, a, b, usb, *_ = bureau
    first = send_package(a, usb)
    with office.active() as session:
        office_service.import_package(session, first.path)
    with a.active() as session:
        finding = selfcheck_service.get_self_check(session).findings[0]
        selfcheck_service.complete_rectification(session, finding.id, TODAY, "已建立清单", today=TODAY)
    (usb / "later").mkdir()
    second = send_package(a, usb / "later")
    assert (second.revision, second.sequence, second.status.state) == (1, 2, FilingState.SUBMITTED)
    with office.active() as session:
        result = office_service.import_package(session, second.path)
        assert result.verdict is Verdict.RECTIFICATION and result.changes == "整改进展变化1条（服务企业不够主动）"
        tech = {r.unit: r for r in office_service.board(session).rows}["技术科"]
        assert (tech.findings_open, tech.findings_done) == (0, 1)
        # the first one, arriving late, is older: kept, not used
        assert office_service.import_package(session, first.path).verdict is Verdict.OLDER


def test_the_exported_overviews_mark_a_unit_off_the_list_and_date_its_first_delivery(bureau):
    office, a, b, usb, *_ = bureau
    first = send_package(a, usb)
    with office.active() as session:
        office_service.import_package(session, first.path)
        technical = next(u for u in office_service.list_units(session) if u.name == "技术科")
        office_service.set_units_expected(session, [technical.id], False)
        workbook_path = office_service.export_workbook(session, usb / "汇总.xlsx")
        pdf_path = office_service.export_overview_pdf(session, usb / "一览.pdf")
        office_name = office_service.require_office(session)
    overview = openpyxl.load_workbook(workbook_path)["汇总"]
    headers = [c.value for c in overview[3]]
    assert headers[5] == "首次报送时间" and headers[6] == "是否按时"  # the time 按时 is judged by
    units = [row[1] for row in overview.iter_rows(min_row=4, values_only=True) if row[1] and row[1] != "合计"]
    assert "技术科（未列入应报）" in units and "质监站" in units  # no 应报 column here, so the name says it
    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "技术科（未列入应报）" in text
    # the office's name starts a line of its own, so it is not broken across two
    assert re.search(rf"^汇总：{re.escape(office_name)}\s+统计日期：", text, re.MULTILINE)


def test_the_overviews_total_only_what_is_known_and_say_where_the_excel_units_signers_are(bureau):
    # The tester's 全局汇总.xlsx: 合计 应签 24, 已签 29, 未签 0 — an Excel-only unit's 5 signers added to 已签
    # beside an 应签 that could not count them. The PDF's “逾期1份（其中仅报Excel的1份）” read as if the late
    # one were the Excel one, and its 报送 column said “Excel” where the workbook says 已报送 and 数据来源.
    office, technical, _, usb, *_ = bureau
    book = openpyxl.Workbook()
    for row in (["反对“挈篮子”承诺书签订情况汇总表"], ["单位（盖章）：规划科"], ["序号", "姓名", "职务", "工作岗位", "是否党员"],
                [1, "王建", "中层干部", "分管规划", "是"], [2, "刘芳", "一般工作人员", "规划核实", "否"]):
        book.active.append(row)
    book.save(usb / "规划科.xlsx")
    with office.active() as session:
        office_service.import_package(session, send_package(technical, usb).path)  # 应签 3, 已签 2, 未签 1
        office_service.import_summary_excel(session, "规划科", usb / "规划科.xlsx")  # 已签 2, 应签 unknown
        workbook_path = office_service.export_workbook(session, usb / "汇总.xlsx")
        pdf_path = office_service.export_overview_pdf(session, usb / "一览.pdf")
    overview = openpyxl.load_workbook(workbook_path)["汇总"]
    headers = [c.value for c in overview[3]]
    lines = {r[1]: dict(zip(headers, r)) for r in overview.iter_rows(min_row=4, values_only=True) if r[1]}
    total, excel = lines["合计"], lines["只交Excel的单位（1个）"]
    assert (total["应签人数"], total["已签人数"], total["未签人数"]) == (3, 2, 1)  # adds up: 3 − 2 = 1
    assert (excel["数据来源"], excel["应签人数"], excel["已签人数"], excel["未签人数"]) == ("Excel（未签名）", "—", 2, "—")
    note = next(r[0] for r in overview.iter_rows(min_row=4, values_only=True) if r[0] and str(r[0]).startswith("注："))
    assert note == "注：" + TOTALS_NOTE
    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        table = pdf.pages[0].extract_tables()[0]
    flat = text.replace("\n", "")
    assert "收到报送2份（其中只交Excel汇总表的1份），按时2份、逾期0份；" in flat
    assert "已签2人（另有只交Excel的单位列明已签2人）" in flat and TOTALS_NOTE in flat
    assert table[0][2:4] == ["报送情况", "数据来源"]
    rows = {r[1]: r for r in table[1:]}
    assert rows["规划科"][2:4] == ["已报送", "Excel\n（未签名）"] and rows["技术科"][2:4] == ["已报送", "报送包\n（已签名）"]
    assert rows["质监站"][2] == "未报送"
    assert rows["合计"][6:9] == ["3", "2", "1"]
    assert rows["只交Excel的单位\n（1个）"][6:9] == ["—", "2", "—"]


def test_a_signer_who_need_not_sign_is_told_apart_at_the_office_and_after_an_upgrade(bureau):
    # 孙佳怡 (财务) need not sign and signed all the same: 应签 3, 已签 3 (she is on 附件2), 未签 1 (李𡈽).
    # Before, the board said 应签 3, 已签 3, 未签 1 with nothing to say why 3 − 3 ≠ 1.
    office, technical, _, usb, campaign_path, _ = bureau
    archive = make_unit(office.folder.parent, office.monkeypatch, "档案室", campaign_path)
    with archive.active() as session:
        volunteer = person(session, "孙佳怡")
        pledge_service.set_status(session, volunteer.id, "已签订", signed_on=TODAY, today=TODAY)
    fill_and_finalise(archive, with_finding=False)
    sent = send_package(archive, usb)
    assert sent.counts.signed_text() == "3人（其中1人不须签订）"
    with office.active() as session:
        office_service.import_package(session, send_package(technical, usb).path)
        office_service.import_package(session, sent.path)
        row = next(r for r in office_service.board(session).rows if r.unit == "档案室")
        assert (row.pledges_required, row.pledges_signed, row.pledges_outstanding) == (3, 3, 1)
        assert row.pledges_signed_unrequired == 1 and row.signed_text == "3 人（其中 1 人不须签订）"
        assert "其中 1 人不须签订" in office_service.board(session).totals.signed_text(" ")
        workbook_path = office_service.export_workbook(session, usb / "汇总.xlsx")
        pdf_path = office_service.export_overview_pdf(session, usb / "一览.pdf")
    overview = openpyxl.load_workbook(workbook_path)["汇总"]
    headers = [c.value for c in overview[3]]
    # 档案室 is not on the office's list of units: “档案室（未列入应报）”
    lines = {r[1].split("（")[0]: dict(zip(headers, r)) for r in overview.iter_rows(min_row=4, values_only=True) if r[1]}
    assert (lines["档案室"]["已签人数"], lines["档案室"]["其中不须签订"], lines["档案室"]["未签人数"]) == (3, 1, 1)
    assert lines["技术科"]["其中不须签订"] == 0 and lines["合计"]["其中不须签订"] == 1
    with pdfplumber.open(pdf_path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert re.search(r"档案室.*\s3\*\s", text) and SIGNED_MARK_NOTE in text.replace("\n", "")
    # 档案室 is counted apart, as on the board: not one of the units that must report
    assert "应报3个单位，已报1个、未报2个，另有1个未列入名单的单位报送；收到报送2份，按时" in text.replace("\n", "")
    assert not re.search(r"技术科.*\s\d+\*\s", text)

    # A database from before the count was kept: 0007 counts it from the data already received.
    db = office.session.store.db
    db.execute("ALTER TABLE office_delivery DROP COLUMN pledges_signed_unrequired")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_office_signed_unrequired'")
    path = office.session.store.path
    office.session.close()
    office.session = open_session(path, operator="纪委干部")
    assert office.session.store.db.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE name = '0007_office_signed_unrequired'").fetchone()[0] == 1
    with office.active() as session:
        rows = {r.unit: r for r in office_service.board(session).rows}
    assert rows["档案室"].pledges_signed_unrequired == 1 and rows["技术科"].pledges_signed_unrequired == 0


def test_the_overview_pdfs_total_line_says_what_the_workbooks_does(bureau):
    # The tester's PDF: its 合计 line had people and findings only, the workbook's also “3/3 … 确认1个”.
    office, technical, quality, usb, *_ = bureau
    with office.active() as session:
        office_service.import_package(session, send_package(technical, usb).path)
        office_service.import_package(session, send_package(quality, usb).path)
        office_service.confirm_filing(session, "技术科")
        campaign_service.update_campaign(session, deadline=TODAY - dt.timedelta(days=1))  # 2 late, 规划科 overdue
        workbook_path = office_service.export_workbook(session, usb / "汇总.xlsx")
        pdf_path = office_service.export_overview_pdf(session, usb / "一览.pdf")
    overview = openpyxl.load_workbook(workbook_path)["汇总"]
    headers = [c.value for c in overview[3]]
    workbook_total = next(dict(zip(headers, r)) for r in overview.iter_rows(min_row=4, values_only=True)
                          if r[1] == "合计")
    assert (workbook_total["报送情况"], workbook_total["数据来源"], workbook_total["是否按时"], workbook_total["状态"]) == (
        "2/3", "报送包2个", "逾期3个", "确认1个")
    with pdfplumber.open(pdf_path) as pdf:
        (table,) = pdf.pages[0].extract_tables()
    header, *lines = table
    pdf_total = {title: (cell or "").replace("\n", "") for title, cell in zip(header, lines[-1])}
    assert pdf_total["单位"] == "合计"
    assert (pdf_total["报送情况"], pdf_total["数据来源"], pdf_total["按时"], pdf_total["状态"]) == (
        "2/3", "报送包2个", "逾期3个", "确认1个")
    assert [pdf_total[t] for t in ("应签", "已签", "未签", "未整改", "已整改")] == [
        str(workbook_total[t]) for t in ("应签人数", "已签人数", "未签人数", "问题未整改", "问题已整改")]
