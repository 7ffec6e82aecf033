"""document_service: the filing's documents from the real services, read back as a user gets them."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pypdf
import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.exchange.keys import default_key_path, load_or_create_key
from qingqing_desktop.services import (
    campaign_service,
    document_service,
    filing_service,
    pledge_service,
    roster_service,
    selfcheck_service,
)
from qingqing_desktop.services.document_service import DocumentKind, ExportCancelled
from tests.documents.font_fixtures import cff_fangsong, needs_sungtil  # noqa: F401 - a fixture

TODAY = dt.date(2019, 3, 10)


def pdf_text(path_or_bytes) -> str:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(source).pages))


def pages(path) -> int:
    return len(pypdf.PdfReader(str(path)).pages)


@pytest.fixture
def people(unit_session) -> dict[str, StaffMember]:
    roster = [
        StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作", title="科长", party_member=True),
        StaffMember("李𡈽", RankCategory.STAFF, post="质量监管", title="科员", party_member=True),
        StaffMember("王䶮", RankCategory.STAFF, post="安全监管"),
        StaffMember("孙佳怡", RankCategory.STAFF, post="财务"),  # not a key post: need not sign
        StaffMember("徐静", RankCategory.STAFF, post="行政审批", status=StaffStatus.TRANSFERRED),
    ]
    for member in roster:
        roster_service.add_staff(unit_session, member)
    campaign_service.create_campaign(unit_session)
    return {m.name: m for m in roster}


@pytest.fixture
def filled(unit_session, people):
    """The unit with two pledges signed and a 自查表 filled in but for row 3 (a draft)."""
    s = unit_session
    pledge_service.set_status(s, people["单建国"].id, "已签订", signed_on="2019-03-08", today=TODAY)
    pledge_service.set_status(s, people["李𡈽"].id, "已签订", signed_on="2019-03-08", today=TODAY)
    selfcheck_service.set_header(s, leader="", filled_on="2019-03-09", today=TODAY)
    selfcheck_service.add_finding(s, row=1, problem="服务企业不够主动", measure="建立上门服务清单",
                                  owner_id=people["单建国"].id, due="2019-03-13", today=TODAY)
    selfcheck_service.add_finding(s, row=1, problem='=HYPERLINK("http://x","点我")', measure="+完善报备制度",
                                  owner_id=people["李𡈽"].id, due="2019-04-30", today=TODAY)
    selfcheck_service.confirm_none(s, 2)
    return s


def test_data_from_the_services(filled, people):
    data = document_service.filing_document_data(filled, with_key=False, today=TODAY)
    assert (data.unit_name, data.leader, data.revision, data.finalised) == ("技术科", "林主任", 1, False)
    assert data.campaign_title == data.template.name and data.filled_on == dt.date(2019, 3, 9)
    assert [e.name for e in data.letter_entries()] == ["李𡈽", "单建国", "王䶮"]  # 孙佳怡 and 徐静 need not sign
    assert [e.name for e in data.summary_entries()] == ["单建国", "李𡈽"]
    assert [e.title for e in data.summary_entries()] == ["科长", "科员"]
    assert [e.name for e in data.summary_entries()] == [r.name for r in pledge_service.summary_rows(filled)]
    first, second, third = data.self_check
    assert [f.problem for f in first.findings] == ["服务企业不够主动", '=HYPERLINK("http://x","点我")']
    assert first.findings[0].owner == "单建国" and first.findings[0].due == dt.date(2019, 3, 13)
    assert second.none_confirmed and not third.findings and not third.none_confirmed
    assert data.content_sha256 == "" and data.key_fingerprint == ""


def test_finalised_data_comes_from_the_snapshot_with_its_hash(filled, people):
    selfcheck_service.confirm_none(filled, 3)
    result = filing_service.finalize(filled)
    # Later roster edits do not change what was filed, nor what prints.
    roster_service.update_staff(filled, people["李𡈽"].with_changes(name="李土", title="副科长"))
    data = document_service.filing_document_data(filled, with_key=False)
    assert data.finalised and data.content_sha256 == result.status.content_sha256
    assert [e.name for e in data.summary_entries()] == ["单建国", "李𡈽"]
    assert [e.title for e in data.summary_entries()] == ["科长", "科员"]


def test_export_each_document_by_extension(filled, tmp_path):
    letters = document_service.export_document(filled, "pledges", tmp_path / "承诺书.pdf")
    assert pages(letters) == 6  # three letters, each with its empty back page
    assert pages(document_service.export_document(filled, "pledges", tmp_path / "单面.pdf", duplex=False)) == 3
    text = pdf_text(letters)
    assert text.index("承诺人：李𡈽") < text.index("承诺人：单建国") < text.index("承诺人：王䶮")
    assert "承诺人单位及职务：技术科科长" in text

    blank = document_service.export_document(filled, DocumentKind.BLANK_PLEDGE, tmp_path / "空白.pdf")
    assert pages(blank) == 1

    summary = document_service.export_document(filled, "summary", tmp_path / "汇总表.PDF")
    text = pdf_text(summary)
    assert "单位（盖章）：技术科" in text and "2019年3月9日" in text and "草稿" in text
    workbook = document_service.export_document(filled, "summary", tmp_path / "汇总表.xlsx")
    ws = openpyxl.load_workbook(workbook).active
    assert [ws["B5"].value, ws["B6"].value] == ["单建国", "李𡈽"]

    selfcheck = document_service.export_document(filled, "selfcheck", tmp_path / "自查表.pdf")
    assert "1．服务企业不够主动" in pdf_text(selfcheck)
    ws = openpyxl.load_workbook(document_service.export_document(filled, "selfcheck", tmp_path / "自查表.xlsx")).active
    assert ws["B6"].value == '2．=HYPERLINK("http://x","点我")' and ws["B6"].data_type == "s"


@pytest.mark.parametrize("kind,name", [("pledges", "x.xlsx"), ("blank-pledge", "x.docx"), ("summary", "x"),
                                       ("selfcheck", "x.xls")])
def test_wrong_extension_is_refused_and_nothing_is_written(filled, tmp_path, kind, name):
    out = tmp_path / "out"
    with pytest.raises(InputRejected, match="只能导出为"):
        document_service.export_document(filled, kind, out / name)
    assert not out.exists()


def test_unknown_document_is_refused(filled, tmp_path):
    with pytest.raises(InputRejected, match="没有“letters”这种文件"):
        document_service.export_document(filled, "letters", tmp_path / "x.pdf")


def test_export_all_names_and_files(filled, tmp_path):
    out = tmp_path / "打印"
    steps = []
    paths = document_service.export_all(filled, out, progress=lambda p, t: steps.append(p))
    assert [p.name for p in paths] == [
        "附件1_反对挈篮子承诺书_技术科_2019.pdf",
        "附件1_反对挈篮子承诺书_空白_技术科_2019.pdf",
        "附件2_反对挈篮子承诺书签订情况汇总表_技术科_2019.pdf",
        "附件2_反对挈篮子承诺书签订情况汇总表_技术科_2019.xlsx",
        "附件3_三清单一承诺自查表_技术科_2019.pdf",
        "附件3_三清单一承诺自查表_技术科_2019.xlsx",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temporary files left
    assert steps == sorted(steps) and steps[-1] == 100
    meta = pypdf.PdfReader(str(paths[2])).metadata
    assert meta["/Author"] == "技术科" and meta["/Subject"] == campaign_service.current_campaign(filled).title


def test_cancel_writes_nothing(filled, tmp_path):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ExportCancelled):
        document_service.export_all(filled, tmp_path / "out", cancelled=cancelled)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_file_names_are_safe_on_windows(filled):
    data = document_service.filing_document_data(filled, with_key=False)
    import dataclasses

    odd = dataclasses.replace(data, unit_name='技术科/审批:"窗口"*?<>|. ')
    name = document_service.document_file_name(odd, "summary", "pdf")
    assert name == "附件2_反对挈篮子承诺书签订情况汇总表_技术科_审批_窗口_2019.pdf"
    assert document_service.document_file_name(dataclasses.replace(data, unit_name="CON"), "selfcheck", "xlsx") \
        == "附件3_三清单一承诺自查表__CON_2019.xlsx"


def test_summary_carries_the_unit_key_fingerprint(filled, tmp_path):
    key = load_or_create_key(default_key_path("unit"))
    text = pdf_text(document_service.export_document(filled, "summary", tmp_path / "汇总表.pdf"))
    assert f"单位密钥指纹：{key.fingerprint}" in text


def test_finalised_export_has_no_watermark_and_prints_the_filed_hash(filled, tmp_path):
    selfcheck_service.confirm_none(filled, 3)
    status = filing_service.finalize(filled).status
    path = document_service.export_document(filled, "summary", tmp_path / "汇总表.pdf")
    text = pdf_text(path)
    assert "草稿" not in text and f"校验码{status.short_hash}" in text and "第1版" in text


def test_without_a_campaign_the_message_says_what_to_do(unit_session, tmp_path):
    with pytest.raises(InputRejected, match="尚未创建行动"):
        document_service.export_document(unit_session, "summary", tmp_path / "x.pdf")


@needs_sungtil
def test_the_first_pdf_says_it_is_preparing_a_font_before_converting_it(filled, tmp_path, cff_fangsong):
    conversions = cff_fangsong
    said: list[str] = []

    def progress(_percent: int, text: str) -> None:
        said.append(f"{text}（已转换 {len(conversions)} 个）")

    workbook = document_service.export_document(filled, "selfcheck", tmp_path / "自查表.xlsx", progress=progress)
    assert openpyxl.load_workbook(workbook).active["B6"].value  # an Excel file needs no PDF font
    assert conversions == [] and not any("字体" in text for text in said)

    said.clear()
    pdf = document_service.export_document(filled, "selfcheck", tmp_path / "自查表.pdf", progress=progress)
    # 仿宋 first; on this machine the 小标宋 stand-in (Noto Serif CJK SC Bold, CFF) has no copy either
    assert conversions[0] == "simfang.otf"
    told = [text for text in said if "字体" in text]
    count = len(conversions)
    assert told[0] == (f"正在准备打印字体“FangSong”{f'（第1个，共{count}个）' if count > 1 else ''}…\n"
                       "第一次生成 PDF 时才需要，每个字体约需半分钟到两分钟，以后不再需要。（已转换 0 个）")
    assert [text.endswith(f"（已转换 {n} 个）") for n, text in enumerate(told)] == [True] * count  # each said before it starts
    assert said.index(told[-1]) < next(i for i, text in enumerate(said) if text.startswith("正在生成"))
    assert "1．服务企业不够主动" in pdf_text(pdf)

    said.clear()
    document_service.export_all(filled, tmp_path / "全部", progress=progress)
    assert len(conversions) == count and not any("字体" in text for text in said)  # once only
