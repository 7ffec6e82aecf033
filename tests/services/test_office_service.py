"""The office's import: every bad or foreign file refused before any write, duplicates and old
revisions change nothing, conflicts are kept apart, a folder of 100 packages in one go; Excel-only
units; 退回 and 确认 rules; the mode guard on both sides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from exchange_fixtures import (
    OFFICE_NAME,
    backup_label,
    fill_and_finalise,
    hand_made_xlsx,
    installation,
    make_unit,
    office_and_two_units,
    send_package,
    unit_clock_ahead,
)
from openpyxl import Workbook

from qingqing_desktop.documents.filing_data import FilingDocumentData, PledgeEntry
from qingqing_desktop.documents.summary_xlsx import write_summary_xlsx
from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.filing import content_sha256
from qingqing_desktop.domain.office import DeliverySource, ReviewState, Verdict
from qingqing_desktop.domain.pledge import PledgeStatus
from qingqing_desktop.domain.staff import RankCategory, new_id
from qingqing_desktop.exchange.filing_package import KIND, PackageContent, read_filing_package, write_filing_package
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.signed_container import (
    RESERVED_HEADER_KEYS,
    PackageRejected,
    read_container,
    write_container,
)
from qingqing_desktop.services import campaign_service, key_service, office_service, package_service, unit_service
from tools.bench_package_import import write_synthetic_packages

TODAY = dt.date.today()


@pytest.fixture
def bureau(tmp_path, monkeypatch):
    """The office has imported 技术科's first package; 质监站 has one ready but not imported."""
    office, a, b, usb, _, _ = office_and_two_units(tmp_path, monkeypatch, campaign_folder=tmp_path)
    first = send_package(a, usb)
    with office.active() as session:
        office_service.import_package(session, first.path)
    other = send_package(b, tmp_path)
    yield office, a, b, first.path, other.path, tmp_path
    for inst in (office, a, b):
        inst.session.close()


def refused_without_a_write(office, path: Path, match: str) -> InputRejected:
    before = office.dump()
    with office.active() as session, pytest.raises(InputRejected, match=match) as caught:
        office_service.import_package(session, path)
    assert office.dump() == before
    with office.active() as session:
        report = office_service.import_packages(session, [path])
    assert report.failed == 1 and report.backup_path is None and office.dump() == before
    return caught.value


def test_the_backup_before_a_package_is_imported_names_the_package(bureau):
    """A reviewer going back after a bad import finds the backup by the package's name (备份与恢复)."""
    office, _, _, first, _, _ = bureau
    with office.active():
        labels = {info.reason_label for info in office_service.backup_service.list_backups()}
    assert f"导入报送包“{first.name}”前" in labels, labels


# ----------------------------------------------------------------------------- refused before any write


def test_a_flipped_byte_is_refused(bureau, tmp_path):
    office, _, _, _, other, _ = bureau
    data = bytearray(other.read_bytes())
    data[len(data) // 3] ^= 0x01
    damaged = tmp_path / "damaged.qqpkg"
    damaged.write_bytes(bytes(data))
    error = refused_without_a_write(office, damaged, "damaged.qqpkg")
    assert isinstance(error, PackageRejected)


def _rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    change(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda m: m.pop(next(n for n in m if n.endswith(".xlsx"))), "缺少文件清单列出的文件"),
        (lambda m: m.update({"说明.txt": b"hello"}), "有文件清单之外的文件"),
        (lambda m: m.update({"附件9.pdf": m.pop(next(n for n in m if n.endswith(".pdf")))}), "缺少文件清单列出的文件"),
        (lambda m: m.update({"../../outside.pdf": b"%PDF-"}), "不合规"),
    ],
    ids=["removed", "added", "renamed", "dotdot"],
)
def test_members_removed_added_renamed_or_escaping(bureau, tmp_path, change, match):
    office, _, _, _, other, _ = bureau
    refused_without_a_write(office, _rezip(other, tmp_path / "changed.qqpkg", change), match)


def _resign_as(source: Path, target: Path, key: SigningKey, change=None) -> Path:
    container = read_container(source, expected_kind=KIND)
    header = {k: v for k, v in container.manifest.items() if k not in RESERVED_HEADER_KEYS}
    members = {n: container.member(n) for n in container.member_names}
    if change:
        change(header, members)
    write_container(target, kind=KIND, members=members, header=header, key=key)
    return target


def test_an_unknown_key_for_a_known_unit_is_refused(bureau, tmp_path):
    office, a, _, first, _, _ = bureau
    forged = _resign_as(first, tmp_path / "forged.qqpkg", SigningKey.generate(),
                        lambda header, members: header.update(sequence=9))
    error = refused_without_a_write(office, forged, "签名密钥与“技术科”此前登记的不一致")
    assert isinstance(error, PackageRejected) and error.code == "unknown_signer"
    assert "在其详情中点“重新登记密钥…”登记新指纹" in str(error) and "office units rekey" not in str(error)
    with office.active() as session, pytest.raises(InputRejected, match="此前登记的不一致"):
        package_service.verify_file(session, forged)


def test_another_installation_under_a_known_units_name_is_refused_until_its_key_is_registered(
        bureau, tmp_path, monkeypatch):
    """Same unit name, another unit UUID, another key: refused naming both fingerprints and how to
    re-register; never a second 技术科 on the board. After the office registers the new key (the unit
    really changed computers), the same package goes in — under the one 技术科."""
    office, a, _, _, _, _ = bureau
    (task,) = tmp_path.glob("*.qqtask")
    rogue = make_unit(tmp_path, monkeypatch, "技术科", task, computer="another-computer")
    fill_and_finalise(rogue)
    package = send_package(rogue, tmp_path / "rogue")
    with a.active() as session:
        registered = key_service.unit_fingerprint(session)
    error = refused_without_a_write(office, package.path, "这个报送包自称“技术科”")
    text = str(error)
    assert registered in text and package.fingerprint in text and registered != package.fingerprint
    # In the window's words: the button in the unit's detail, not a command to type (it named the command)
    assert "在“报送情况”中双击“技术科”，在其详情中点“重新登记密钥…”登记新指纹，再导入。" in text
    assert "qingqing-cli" not in text and "rekey" not in text
    with office.active() as session, pytest.raises(PackageRejected) as typed:
        session.program = "qingqing-cli package import"  # the same refusal on the command line: its command
        office_service.import_package(session, package.path)
    session.program = ""
    assert f"用命令 qingqing-cli office units rekey --unit 技术科 --fingerprint {package.fingerprint} 登记新指纹" in str(
        typed.value) and "重新登记密钥…" not in str(typed.value)
    with office.active() as session:
        assert [u.name for u in office_service.list_units(session)].count("技术科") == 1
        office_service.register_unit_key(session, "技术科", package.fingerprint)
        imported = office_service.import_package(session, package.path)
        assert imported.ok and imported.unit == "技术科"
        units = office_service.list_units(session)
        assert [u.name for u in units].count("技术科") == 1
        (unit,) = [u for u in units if u.name == "技术科"]
        assert unit.fingerprint == package.fingerprint
    with rogue.active() as session:
        assert unit.unit_id == unit_service.get_unit(session).id  # bound to the new installation now
    rogue.session.close()


def test_a_package_for_another_campaign_is_refused(bureau, tmp_path):
    office, *_ = bureau
    with office.active() as session:
        campaign = campaign_service.require_campaign(session)
    stranger = dataclasses.replace(campaign, id=new_id(), title="别处的行动")
    [path] = write_synthetic_packages(tmp_path / "foreign", stranger, 1)
    refused_without_a_write(office, path, "所属的行动“别处的行动”不是本纪委（监察室）发布的")


def test_a_package_with_a_reused_id_and_other_content_is_refused(bureau, tmp_path):
    office, a, _, first, _, _ = bureau
    package = read_filing_package(first)
    data = json.loads(package.container.member("data.json"))
    data["rectification"] = {k: {"done_on": TODAY.isoformat(), "done_note": "完成"} for k in data["rectification"]}

    def same_id(header, members):
        members["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
        header["counts"] = {**header["counts"], "findings_open": 0, "findings_done": 1}

    with a.active() as session:
        key = key_service.unit_key(session)
    container = read_container(first, expected_kind=KIND)
    header = {k: v for k, v in container.manifest.items() if k not in RESERVED_HEADER_KEYS}
    members = {n: container.member(n) for n in container.member_names}
    same_id(header, members)
    # write_container draws a fresh package id; put the old one back and sign that manifest
    target = tmp_path / "reused.qqpkg"
    manifest = write_container(target, kind=KIND, members=members, header=header, key=key)
    manifest["package_id"] = package.package_id
    manifest_bytes = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    with zipfile.ZipFile(target) as old:
        entries = [(i, old.read(i.filename)) for i in old.infolist()]
    with zipfile.ZipFile(target, "w") as new:
        for info, payload in entries:
            if info.filename == "manifest.json":
                payload = manifest_bytes
            elif info.filename == "manifest.sig":
                payload = key.sign(manifest_bytes)
            new.writestr(info, payload)  # the same headers, so the zip stays canonical
    refused_without_a_write(office, target, "编号与已导入的一个报送包相同，内容却不同")


# ----------------------------------------------------------------------------- nothing to do


def test_the_same_package_twice_and_the_same_content_again_change_nothing(bureau):
    office, a, _, first, _, tmp_path = bureau
    before = office.dump()
    with office.active() as session:
        assert office_service.import_package(session, first).verdict is Verdict.DUPLICATE
    (tmp_path / "again").mkdir()
    resent = send_package(a, tmp_path / "again")  # same data, new package id and sequence
    with office.active() as session:
        assert office_service.import_package(session, resent.path).verdict is Verdict.DUPLICATE
    assert office.dump() == before


def test_the_return_draft_names_who_has_not_signed_and_what_is_past_due(bureau):
    office, *_ = bureau
    with office.active() as session:
        rows = {r.unit: r for r in office_service.board(session).rows}
        detail = office_service.unit_detail(session, rows["技术科"].office_unit_id)
    unsigned = [r for r in detail.pledges if r.required and r.status is PledgeStatus.UNSIGNED]
    (finding,) = detail.self_check.findings
    assert unsigned and finding.done_on is None
    people = "、".join(f"{r.name}（{r.post}）" for r in unsigned)
    first = f"1. {people}未签订承诺书，请补签，或写明不签订的理由"
    assert office_service.return_draft(detail, today=finding.due) == first + "。"  # due today: not yet late
    late = office_service.return_draft(detail, today=finding.due + dt.timedelta(days=1))
    assert late.splitlines() == [
        first + "；",
        f"2. 自查表第{finding.row}行的问题“{finding.problem[:20]}{'…' if len(finding.problem) > 20 else ''}”"
        f"已过整改时限（{finding.due.year}年{finding.due.month}月{finding.due.day}日），请说明整改进展。",
    ]
    nothing_missing = dataclasses.replace(detail, pledges=(), self_check=None)
    assert office_service.return_draft(nothing_missing) == ""


# ----------------------------------------------------------------------------- conflicts


def test_a_changed_record_under_the_same_revision_is_a_conflict_never_current(bureau, tmp_path):
    office, a, _, first, _, _ = bureau
    package = read_filing_package(first)
    snapshot = json.loads(json.dumps(package.snapshot))
    snapshot["roster"][0]["post"] = "（改过的岗位）"
    snapshot["pledges"] = [dict(p, scan_sha256=None) for p in snapshot["pledges"]]  # sent without its scan
    with a.active() as session:
        key = key_service.unit_key(session)  # the unit's own key: a second, different “revision 1”
    content = PackageContent(snapshot, content_sha256(snapshot), package.data["finalized_at"],
                             package.data["finalized_by"], package.data["rectification"])
    target = tmp_path / "conflict.qqpkg"
    write_filing_package(target, content, sequence=5, key=key)
    with office.active() as session:
        result = office_service.import_package(session, target)
        assert result.verdict is Verdict.CONFLICT and "人员信息变化" in result.changes
        row = {r.unit: r for r in office_service.board(session).rows}["技术科"]
        assert row.conflicts == 1 and row.revision == 1
        detail = office_service.unit_detail(session, row.office_unit_id)
        assert detail.current.id == package.package_id
        assert [d.outcome.value for d in detail.deliveries] == ["conflict", "current"]
        before = office.dump()
        assert office_service.import_package(session, target).verdict is Verdict.OLDER  # known: nothing new
        assert office.dump() == before


# ----------------------------------------------------------------------------- many at once


def test_a_hundred_packages_from_a_folder_in_one_go(bureau, tmp_path):
    office, *_ = bureau
    with office.active() as session:
        campaign = campaign_service.require_campaign(session)
    stick = tmp_path / "stick"
    write_synthetic_packages(stick / "第一批", campaign, 60, people=12)
    write_synthetic_packages(stick / "第二批", campaign, 40, people=12, start=61)
    (stick / "第二批" / "损坏.qqpkg").write_bytes(b"PK\x03\x04 not really")
    (stick / ".~报送包.qqpkg.part").write_bytes(b"half-written")
    progress = []
    with office.active() as session:
        report = office_service.import_packages(session, stick, progress=lambda done, total, name: progress.append(done))
        board = office_service.board(session)
    assert report.imported == 100 and report.failed == 1 and len(report.results) == 101
    assert "损坏.qqpkg" in next(r.error for r in report.results if not r.ok)
    assert progress[0] == 0 and progress[-1] == 101
    # One backup for the batch, named so that the reviewer can find it in 备份与恢复 (how long the import
    # takes is measured by tools/bench_package_import.py, not here)
    label = backup_label(report.backup_path)
    assert label.startswith("导入报送包101个（“") and label.endswith(".qqpkg”等）前"), label
    unexpected = [r for r in board.rows if not r.expected]
    assert len(unexpected) == 100 and all(r.delivered and r.signed for r in unexpected)
    assert board.totals.delivered == 101 and len({r.fingerprint for r in unexpected}) == 100


def test_a_folder_import_lists_the_other_files_and_a_chosen_pdf_is_refused_unread(bureau, tmp_path):
    office, _a, _b, _first, other, _ = bureau
    stick = tmp_path / "stick"
    (stick / "第二批").mkdir(parents=True)
    (stick / "第二批" / other.name).write_bytes(other.read_bytes())
    (stick / "质监站附件3.pdf").write_bytes(b"%PDF-1.4")
    (stick / "第二批" / "质监站汇总表.xlsx").write_bytes(b"PK")
    (stick / "说明.docx").write_bytes(b"PK")
    for hidden in (".Trashes/old.pdf", "System Volume Information/IndexerVolumeGuid", "$RECYCLE.BIN/x.xlsx"):
        (stick / hidden).parent.mkdir(exist_ok=True)
        (stick / hidden).write_bytes(b"x")
    (stick / "desktop.ini").write_text("x")
    with office.active() as session:
        report = office_service.import_packages(session, stick)
    assert [r.verdict for r in report.results] == [Verdict.FIRST]
    assert [(f.name, f.kind) for f in report.skipped] == [
        ("第二批/质监站汇总表.xlsx", "Excel文件"), ("说明.docx", ""), ("质监站附件3.pdf", "PDF文件")]
    assert office_service.not_a_package_text(report.skipped[1]) == "“说明.docx”不是报送包，没有导入。"

    chosen = stick / "质监站附件3.pdf"
    before = office.dump()
    with office.active() as session:
        report = office_service.import_packages(session, [chosen])
    (refused,) = report.results
    assert refused.error == ("“质监站附件3.pdf”是PDF文件，不是报送包；"
                             "盖章纸质件的扫描件请用“报送情况”页的“核对盖章纸质件”核对。")
    assert report.backup_path is None and office.dump() == before


def test_cancelling_a_folder_import_keeps_what_was_done(bureau, tmp_path):
    office, *_ = bureau
    with office.active() as session:
        campaign = campaign_service.require_campaign(session)
        write_synthetic_packages(tmp_path / "stick", campaign, 5, people=3)
        calls = iter(range(100))
        report = office_service.import_packages(session, tmp_path / "stick", should_cancel=lambda: next(calls) >= 2)
    assert report.cancelled and len(report.results) == 2 and "已取消" in report.summary()


# ----------------------------------------------------------------------------- Excel-only units


def _app_layout_xlsx(path: Path, campaign: Campaign) -> Path:
    entries = (PledgeEntry(new_id(), "周丽君", RankCategory.MIDDLE_CADRE, "分管档案管理", True, PledgeStatus.SIGNED, True),
               PledgeEntry(new_id(), "蔡雅琴", RankCategory.STAFF, "档案管理", False, PledgeStatus.SIGNED, False))
    data = FilingDocumentData(template=campaign.template, unit_id=new_id(), campaign_id=campaign.id,
                              unit_name="城乡建设档案室", leader="周丽君",
                              campaign_title=campaign.title, document_number=campaign.document_number,
                              deadline=campaign.deadline, revision=1, finalised=True, pledges=entries,
                              filled_on=TODAY)
    write_summary_xlsx(path, data)
    return path


def test_excel_from_units_without_the_app_both_layouts(bureau, tmp_path):
    office, *_ = bureau
    with office.active() as session:
        campaign = campaign_service.require_campaign(session)
        office_service.add_expected_units(session, ["城乡建设档案室"])
        own = office_service.import_summary_excel(session, "城乡建设档案室", _app_layout_xlsx(tmp_path / "a.xlsx", campaign))
        assert (own.verdict, own.people, own.warnings) == (Verdict.FIRST, 2, ())
        hand = office_service.import_summary_excel(session, "村镇建设科", hand_made_xlsx(
            tmp_path / "b.xlsx", [("王建", "科长", "分管村镇建设", "是"), ("刘芳", "一般工作人员", "质量监管", "否")],
            unit="村镇建设科"))
        assert hand.verdict is Verdict.FIRST and not hand.unit.expected
        assert backup_label(hand.backup_path) == "导入Excel汇总表“b.xlsx”前"
        rows = {r.unit: r for r in office_service.board(session).rows}
        archive = rows["城乡建设档案室"]
        assert (archive.signed, archive.source, archive.pledges_signed, archive.pledges_required) == (
            False, DeliverySource.EXCEL, 2, None)
        detail = office_service.unit_detail(session, rows["村镇建设科"].office_unit_id)
        assert [(p.name, p.rank, p.party_member) for p in detail.summary_rows] == [
            ("王建", "中层干部", True), ("刘芳", "一般工作人员", False)]
        assert detail.documents == ("b.xlsx",)
        assert office_service.delivery_document(session, detail.current.id, "b.xlsx").startswith(b"PK")

        before = office.dump()
        again = office_service.import_summary_excel(session, "村镇建设科", tmp_path / "b.xlsx")
        assert again.verdict is Verdict.DUPLICATE and office.dump() == before
        corrected = office_service.import_summary_excel(
            session, "村镇建设科", hand_made_xlsx(tmp_path / "c.xlsx", [("王建", "科长", "分管村镇建设", "是")],
                                                 unit="村镇建设科"))
        assert corrected.verdict is Verdict.NEWER_REVISION and corrected.changes == "减少人员1人（刘芳）"
        warned = office_service.import_summary_excel(session, "规划科", tmp_path / "c.xlsx")
        assert "表中写的单位是“村镇建设科”" in warned.warnings[0]

        # 退回 of an Excel unit is recorded, no file: the unit has no app to import it
        returned = office_service.return_filing(session, "村镇建设科", "请加盖公章后重报。")
        assert returned.path is None and returned.review.state is ReviewState.RETURNED


def test_excel_problems_are_refused_naming_the_row(bureau, tmp_path):
    office, *_ = bureau
    bad = hand_made_xlsx(tmp_path / "bad.xlsx", [("王建", "科长", "分管村镇建设", "是"), ("刘芳", "工程师", "质量监管", "否")],
                         unit="村镇建设科")
    before = office.dump()
    with office.active() as session, pytest.raises(InputRejected, match="第6行.*工程师") as caught:
        office_service.import_summary_excel(session, "村镇建设科", bad)
    assert "bad.xlsx" in str(caught.value) and office.dump() == before
    wb = Workbook()
    wb.active.append(["姓名", "职务"])
    wb.active.append(["王建", "科长"])
    wb.save(tmp_path / "narrow.xlsx")
    with office.active() as session, pytest.raises(InputRejected, match="表头缺少“工作岗位、是否党员”栏"):
        office_service.import_summary_excel(session, "村镇建设科", tmp_path / "narrow.xlsx")


def test_signed_packages_and_excel(bureau, tmp_path):
    office, _, _, _, other, _ = bureau
    with office.active() as session:
        sheet = hand_made_xlsx(tmp_path / "zj.xlsx", [("单建国", "中层干部", "主持全面工作", "是")], unit="村镇建设科")
        with pytest.raises(InputRejected, match="“技术科”已通过签名的报送包报送（第1版），不能再用Excel覆盖"):
            office_service.import_summary_excel(session, "技术科", sheet)
        office_service.import_summary_excel(session, "质监站", sheet)
        result = office_service.import_package(session, other)  # the app's package replaces the spreadsheet
        assert result.verdict is Verdict.REPLACES_EXCEL and "新增人员" in result.changes
        row = {r.unit: r for r in office_service.board(session).rows}["质监站"]
        assert (row.signed, row.revision) == (True, 1)


def test_a_units_roster_is_not_taken_for_another_units_summary(bureau, tmp_path):
    # The tester imported 技术科's staff roster as 城东分局's 汇总表: “已导入…12人。首次报送”, all 12 signed.
    office, *_ = bureau
    wb = Workbook()
    wb.active.append(["技术科人员名单"])
    wb.active.append(["序号", "姓名", "职务", "工作岗位", "是否党员", "备注"])
    for n, (name, title, post) in enumerate([("单建国", "科长", "主持全面工作"), ("李𡈽", "科员", "质量监管"),
                                             ("张伟", "科员", "竣工验收"), ("孙佳怡", "科员", "财务")], start=1):
        wb.active.append([n, name, title, post, "否", None])
    wb.save(tmp_path / "名单.xlsx")
    before = office.dump()
    with office.active() as session, pytest.raises(InputRejected, match="名单.xlsx.*标题是“技术科人员名单”"):
        office_service.import_summary_excel(session, "城东分局", tmp_path / "名单.xlsx")
    # the same sentence when the file is read before any unit is asked
    with office.active() as session, pytest.raises(InputRejected, match="名单.xlsx.*标题是“技术科人员名单”"):
        office_service.unit_named_in_summary_excel(session, tmp_path / "名单.xlsx")
    assert office.dump() == before

    # The same people under a 附件2's title: asked before, warned after — 技术科 filed every one of them.
    sheet = hand_made_xlsx(tmp_path / "附件2.xlsx", [("单建国", "中层干部", "主持全面工作", "是"),
                                                     ("李𡈽", "一般工作人员", "质量监管", "否"),
                                                     ("张伟", "一般工作人员", "竣工验收", "是"),
                                                     ("王建", "一般工作人员", "规划核实", "否")], unit="村镇建设科")
    with office.active() as session:
        doubts = office_service.summary_excel_doubts(session, "村镇建设科", sheet)
        assert doubts == ("表中的4人里有3人（单建国、李𡈽、张伟）与“技术科”已报送的人员同名，"
                          "这份表可能是“技术科”的名单或汇总表。",)
        result = office_service.import_summary_excel(session, "村镇建设科", sheet)
        assert result.warnings[0] == doubts[0] + "请确认没有选错文件。"
        # 村镇建设科's corrected 汇总表 shares its people with the one it replaces, and one name with 技术科
        # (chance, not another unit's list): nothing to ask
        corrected = hand_made_xlsx(tmp_path / "corrected.xlsx", [("单建国", "中层干部", "主持全面工作", "是"),
                                                                 ("王建", "一般工作人员", "规划核实", "否"),
                                                                 ("刘芳", "一般工作人员", "质量监管", "否")], unit="村镇建设科")
        assert office_service.summary_excel_doubts(session, "村镇建设科", corrected) == ()
        # for another unit it is 村镇建设科's list
        assert "与“村镇建设科”已报送的人员同名" in office_service.summary_excel_doubts(session, "城东分局", corrected)[1]


def test_a_package_dated_in_the_future_is_on_time_and_the_office_is_told_why(bureau, tmp_path, monkeypatch):
    # The tester's 质监站: a PC 16 days ahead, the package imported with no remark, the board said 逾期
    # while the deadline was ten days off.
    office, _, quality, *_ = bureau
    (tmp_path / "ahead").mkdir()
    with monkeypatch.context() as patch:
        unit_clock_ahead(patch, 16)
        package = send_package(quality, tmp_path / "ahead")
    with office.active() as session:
        result = office_service.import_package(session, package.path)
        assert len(result.warnings) == 1 and result.warnings[0] in result.message
        assert "比本室收到它的时间" in result.warnings[0] and "晚16天，报送单位电脑的时钟可能不准" in result.warnings[0]
        assert "是否按时都以本室收到（导入）的时间计" in result.warnings[0]
        row = {r.unit: r for r in office_service.board(session).rows}["质监站"]
        received = office_service.unit_detail(session, "质监站").current.imported_at
    assert (row.on_time, row.on_time_label) == (True, "按时")
    stated = read_filing_package(package.path).created_at
    assert dt.datetime.fromisoformat(stated) - dt.datetime.fromisoformat(received) > dt.timedelta(days=15)
    assert row.delivered_at == row.first_delivered_at == received and row.stated_at == stated


# ----------------------------------------------------------------------------- 退回 and 确认


def test_review_rules(bureau, tmp_path):
    office, *_ = bureau
    with office.active() as session:
        with pytest.raises(InputRejected, match="“质监站”尚未报送"):
            office_service.confirm_filing(session, "质监站")
        with pytest.raises(InputRejected, match="没有名为“安监站”的单位"):
            office_service.confirm_filing(session, "安监站")
        with pytest.raises(InputRejected, match="请指定退回文件的保存位置"):
            office_service.return_filing(session, "技术科", "请补签")
        with pytest.raises(InputRejected, match="退回须填写退回意见"):
            office_service.return_filing(session, "技术科", " ", tmp_path)
        office_service.return_filing(session, "技术科", "请补签", tmp_path)
        with pytest.raises(InputRejected, match="第1版已退回，请等该单位报送更正后的新版本再确认"):
            office_service.confirm_filing(session, "技术科")


def test_a_return_file_for_another_unit_or_from_another_office_is_refused(bureau, tmp_path, monkeypatch):
    office, a, b, *_ = bureau
    with office.active() as session:
        returned = office_service.return_filing(session, "技术科", "请补签", tmp_path)
    before = b.dump()
    with b.active() as session, pytest.raises(InputRejected, match="退给“技术科”的，不是本单位（质监站）的"):
        package_service.import_return_file(session, returned.path)
    assert b.dump() == before
    rogue = installation(tmp_path, monkeypatch, "rogue", "某人")
    with rogue.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
    with office.active() as session:
        unit = office_service.find_unit(session, "技术科")
    from qingqing_desktop.exchange.return_file import write_return_file  # noqa: PLC0415

    with rogue.active() as session:
        forged = tmp_path / "forged.qqreturn"
        write_return_file(forged, unit_id=unit.unit_id, unit_name="技术科", campaign_id=new_id(), campaign_title="x",
                          revision=1, comment="改", office_name=OFFICE_NAME, key=key_service.office_key(session))
    before = a.dump()
    with a.active() as session, pytest.raises(PackageRejected) as caught:
        package_service.import_return_file(session, forged)
    assert caught.value.code == "unknown_signer" and a.dump() == before
    rogue.session.close()


# ----------------------------------------------------------------------------- modes and preconditions


def test_each_side_refuses_the_others_work(bureau, tmp_path):
    office, a, *_ = bureau
    with a.active() as session:
        with pytest.raises(InputRejected, match="本数据库处于单位填报模式"):
            office_service.board(session)
        with pytest.raises(InputRejected, match="本数据库处于单位填报模式"):
            office_service.import_packages(session, tmp_path)
    with office.active() as session:
        with pytest.raises(InputRejected, match="纪委（监察室）模式，不能导入任务包"):
            package_service.import_campaign_file(session, next(tmp_path.glob("*.qqtask")))
        with pytest.raises(InputRejected, match="纪委（监察室）模式，不能生成报送包"):
            package_service.create_package(session, tmp_path)


def test_a_package_needs_a_finalised_filing_of_a_campaign_from_the_office(tmp_path, monkeypatch):
    unit = installation(tmp_path, monkeypatch, "lonely", "内勤")
    from qingqing_desktop.domain.unit import UnitKind  # noqa: PLC0415
    from qingqing_desktop.services import filing_service, selfcheck_service, unit_service  # noqa: PLC0415

    with unit.active() as session:
        unit_service.save_unit(session, name="安监站", kind=UnitKind.STATION, leader="赵站长")
        campaign_service.create_campaign(session)
        with pytest.raises(InputRejected, match="请先定稿：本次报送还是草稿（第1版）"):
            package_service.create_package(session, tmp_path)
        for row in (1, 2, 3):
            selfcheck_service.confirm_none(session, row)
        filing_service.finalize(session)
        with pytest.raises(InputRejected, match="不是从纪委（监察室）的任务包导入的"):
            package_service.create_package(session, tmp_path)
    assert not list(tmp_path.glob("*.qqpkg"))
    unit.session.close()


def test_taking_a_unit_off_the_expected_list_keeps_what_it_delivered(bureau):
    office = bureau[0]
    with office.active() as session:
        units = {u.name: u for u in office_service.list_units(session)}
        office_service.set_units_expected(session, [units["技术科"].id, units["规划科"].id], False, reason="机构调整")
        rows = {r.unit: r for r in office_service.board(session).rows}
        assert "规划科" not in rows  # never delivered: off the board
        assert rows["技术科"].delivered and not rows["技术科"].expected  # delivered: stays, not expected
        office_service.set_units_expected(session, [units["规划科"].id], True)
        assert {r.unit for r in office_service.board(session).rows} == {"技术科", "质监站", "规划科"}
        with pytest.raises(InputRejected, match="找不到这个单位"):
            office_service.set_units_expected(session, ["no-such-id"], True)
