"""qingqing-cli pledge scans import: letters exported by the CLI, scanned (simulated), imported by the CLI."""

from __future__ import annotations

import json

import pytest
from scan_images import Scan, images_to_pdf, render_pages, scanned

from qingqing_desktop.cli import main
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.session import open_session

NAMES = ("张三", "李𡈽", "王五")


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


@pytest.fixture
def db(tmp_path, capsys):
    path = tmp_path / "cli.sqlite3"
    assert run(path, "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任") == 0
    assert run(path, "campaign", "create", "--template", "pingyang-2019", "--deadline", "2019-03-14") == 0
    session = open_session(path)
    try:
        for name in NAMES:
            roster_service.add_staff(session, StaffMember(name, RankCategory.STAFF, post="质量监管"))
    finally:
        session.close()
    capsys.readouterr()
    return path


@pytest.fixture
def scan(db, tmp_path, capsys):
    """The letters exported by the CLI (duplex), scanned as one PDF, the last one upside down; a
    sheet without a code on top."""
    assert run(db, "export", "pledges", "--out", str(tmp_path / "承诺书.pdf")) == 0
    pages = render_pages((tmp_path / "承诺书.pdf").read_bytes(), 150)
    images = [scanned(page, Scan(angle=180 if number >= 4 else 0), seed=number) for number, page in enumerate(pages)]
    assert run(db, "export", "blank-pledge", "--out", str(tmp_path / "空白.pdf")) == 0
    images.insert(0, scanned(render_pages((tmp_path / "空白.pdf").read_bytes(), 150)[0]))
    path = tmp_path / "扫描.pdf"
    path.write_bytes(images_to_pdf(images))
    capsys.readouterr()
    return path


def pledges(db, capsys) -> dict:
    assert run(db, "pledge", "list", "--json") == 0
    return {row["name"]: row for row in json.loads(capsys.readouterr().out)}


def test_dry_run_shows_the_plan_and_writes_nothing(db, scan, capsys):
    assert run(db, "pledge", "scans", "import", str(scan), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "共7页：3人已匹配（3页），空白页3页，未识别二维码1页" in out
    assert "第1页（扫描.pdf 第1页）：未找到二维码" in out
    assert not any(row["has_scan"] for row in pledges(db, capsys).values())


def test_import_signs_everyone_on_the_given_date_and_a_page_assigned_by_hand(db, scan, capsys):
    assert run(db, "pledge", "scans", "import", str(scan), "--date", "2019-03-08", "--assign", "1=张三", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["matched"]) == 3 and not report["unmatched"]
    zhang = next(m for m in report["matched"] if m["name"] == "张三")  # last in pinyin order: upside down
    assert [p["page"] for p in zhang["pages"]] == [6, 1] and zhang["by_hand"]
    assert zhang["pages"][0]["rotation"] == 180
    rows = pledges(db, capsys)
    assert all(rows[n]["status"] == "已签订" and rows[n]["signed_on"] == "2019-03-08" and rows[n]["has_scan"]
               for n in NAMES)


def test_assigning_to_someone_unknown_is_refused(db, scan, capsys):
    assert run(db, "pledge", "scans", "import", str(scan), "--assign", "1=赵六") == 2
    assert "名单中没有“赵六”" in capsys.readouterr().err
    assert not any(row["has_scan"] for row in pledges(db, capsys).values())



def test_the_paper_loop_on_the_command_line(tmp_path, monkeypatch, capsys):
    """Letters printed, signed, scanned and imported; 附件2 printed, stamped, scanned and checked by the
    office — first as received, then against a newer revision."""

    def out(computer: str, *args: str) -> str:
        monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / computer / "data"))
        capsys.readouterr()
        assert main(["--db", str(tmp_path / computer / "qingqing.sqlite3"), *args]) == 0, capsys.readouterr()
        return capsys.readouterr().out

    usb = tmp_path / "usb"
    usb.mkdir()
    out("office", "office", "enable", "--name", "局机关纪委（监察室）")
    out("office", "campaign", "create", "--title", "2019年“三清单一承诺”", "--deadline", "2030-03-14")
    out("office", "office", "units", "add", "技术科")
    out("office", "campaign", "export", "--out", str(usb))
    out("unit", "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任")
    out("unit", "campaign", "import", str(next(usb.glob("*.qqtask"))))
    session = open_session(tmp_path / "unit" / "qingqing.sqlite3")
    try:
        for name in NAMES:
            roster_service.add_staff(session, StaffMember(name, RankCategory.STAFF, post="质量监管"))
    finally:
        session.close()

    out("unit", "export", "pledges", "--out", str(tmp_path / "承诺书.pdf"))
    pages = render_pages((tmp_path / "承诺书.pdf").read_bytes(), 150)
    (tmp_path / "签字.pdf").write_bytes(images_to_pdf([scanned(p, Scan(angle=180 * (n % 4 == 2), skew=0.8))
                                                      for n, p in enumerate(pages)]))
    assert "已登记 3 人已签订" in out("unit", "pledge", "scans", "import", str(tmp_path / "签字.pdf"))
    for row in ("1", "2", "3"):
        out("unit", "selfcheck", "none", "--row", row)
    out("unit", "filing", "finalize")
    out("unit", "export", "summary", "--out", str(tmp_path / "附件2.pdf"))
    stamped = scanned(render_pages((tmp_path / "附件2.pdf").read_bytes(), 300, [0])[0], Scan(angle=90, skew=1.2))
    stamped.save(tmp_path / "附件2扫描.jpg", dpi=(300, 300))
    out("unit", "package", "create", "--out", str(usb))
    out("office", "package", "import", str(usb))

    checked = out("office", "office", "check-paper", str(tmp_path / "附件2扫描.jpg"))
    assert "技术科" in checked and "与报送数据一致" in checked and "密钥指纹一致" in checked

    out("unit", "filing", "reopen", "--reason", "更正岗位")
    out("unit", "filing", "finalize")
    out("unit", "package", "create", "--out", str(usb))
    out("office", "package", "import", str(usb))
    (page,) = json.loads(out("office", "office", "check-paper", str(tmp_path / "附件2扫描.jpg"), "--json"))["pages"]
    assert (page["verdict"], page["text"], page["unit"]) == ("版本较旧", "版本较旧（已收到第2版）", "技术科")
