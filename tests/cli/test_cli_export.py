"""qingqing-cli export: the documents through main() on a real database file, and the exit codes."""

from __future__ import annotations

import re

import openpyxl
import pypdf
import pytest

from qingqing_desktop.cli import main
from qingqing_desktop.documents import fonts
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import pledge_service, roster_service
from qingqing_desktop.services.session import open_session
from tests.documents.font_fixtures import cff_fangsong, needs_sungtil  # noqa: F401 - a fixture


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def pdf_text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))


@pytest.fixture
def db(tmp_path, capsys):
    """A unit (技术科) with a campaign; 张三 signed, 李𡈽 still has to."""
    path = tmp_path / "cli.sqlite3"
    assert run(path, "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任") == 0
    assert run(path, "campaign", "create", "--template", "pingyang-2019", "--deadline", "2019-03-14") == 0
    session = open_session(path)
    try:
        cadre = roster_service.add_staff(session, StaffMember("张三", RankCategory.MIDDLE_CADRE, post="分管行政审批",
                                                              title="科长"))
        roster_service.add_staff(session, StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"))
        pledge_service.set_status(session, cadre.id, "已签订")
    finally:
        session.close()
    capsys.readouterr()
    return path


def test_export_each_document(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(db, "export", "pledges", "--out", str(out / "承诺书.pdf")) == 0
    assert "已导出承诺书" in capsys.readouterr().out
    assert len(pypdf.PdfReader(str(out / "承诺书.pdf")).pages) == 4
    assert run(db, "export", "pledges", "--out", str(out / "待签.pdf"), "--outstanding", "--no-duplex") == 0
    text = pdf_text(out / "待签.pdf")
    assert "承诺人：李𡈽" in text and "承诺人：张三" not in text

    assert run(db, "export", "blank-pledge", "--out", str(out / "空白.pdf")) == 0
    assert run(db, "export", "summary", "--out", str(out / "汇总表.xlsx")) == 0
    ws = openpyxl.load_workbook(out / "汇总表.xlsx").active
    assert [c.value for c in ws[5]] == [1, "张三", "中层干部", "分管行政审批", "否"]
    assert run(db, "export", "summary", "--out", str(out / "汇总表.pdf")) == 0
    assert "单位（盖章）：技术科" in pdf_text(out / "汇总表.pdf")
    assert run(db, "export", "selfcheck", "--out", str(out / "自查表.pdf")) == 0
    assert run(db, "export", "selfcheck", "--out", str(out / "自查表.xlsx")) == 0


@pytest.mark.parametrize("kind,name", [("pledges", "x.xlsx"), ("summary", "x.doc"), ("selfcheck", "x")])
def test_wrong_extension_exits_2_with_a_message(db, tmp_path, capsys, kind, name):
    assert run(db, "export", kind, "--out", str(tmp_path / "out" / name)) == 2
    err = capsys.readouterr().err
    assert "只能导出为" in err and not (tmp_path / "out").exists()


def test_missing_argument_and_unknown_document_exit_2(db, capsys):
    with pytest.raises(SystemExit) as exc:
        run(db, "export", "summary")
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        run(db, "export", "letters", "--out", "x.pdf")
    assert exc.value.code == 2


def test_export_all(db, tmp_path, capsys):
    out = tmp_path / "打印"
    assert run(db, "export", "all", "--out-dir", str(out)) == 0
    printed = capsys.readouterr().out
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        "附件1_反对挈篮子承诺书_技术科_2019.pdf",
        "附件1_反对挈篮子承诺书_空白_技术科_2019.pdf",
        "附件2_反对挈篮子承诺书签订情况汇总表_技术科_2019.pdf",
        "附件2_反对挈篮子承诺书签订情况汇总表_技术科_2019.xlsx",
        "附件3_三清单一承诺自查表_技术科_2019.pdf",
        "附件3_三清单一承诺自查表_技术科_2019.xlsx",
    ])
    assert "已导出 6 个文件" in printed and all(name in printed for name in names)


def test_export_all_into_a_file_exits_2(db, tmp_path, capsys):
    target = tmp_path / "a-file.txt"
    target.write_text("x")
    assert run(db, "export", "all", "--out-dir", str(target)) == 2
    assert "不是一个文件夹" in capsys.readouterr().err


def test_without_campaign_exits_2(tmp_path, capsys):
    path = tmp_path / "bare.sqlite3"
    assert run(path, "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任") == 0
    assert run(path, "export", "summary", "--out", str(tmp_path / "x.pdf")) == 2
    assert "尚未创建行动" in capsys.readouterr().err


def test_missing_fonts_exit_1_with_the_fonts_message(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QINGQING_FONT_DIRS", str(tmp_path / "no-fonts"))
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    fonts.reset_font_cache()
    try:
        assert run(db, "export", "summary", "--out", str(tmp_path / "x.pdf")) == 1
        err = capsys.readouterr().err
        assert "未找到可嵌入的中文字体" in err and "Traceback" not in err
        assert not (tmp_path / "x.pdf").exists()
    finally:
        monkeypatch.undo()
        fonts.reset_font_cache()


@needs_sungtil
def test_first_pdf_says_on_stderr_that_it_prepares_a_font(db, tmp_path, capsys, cff_fangsong):
    assert run(db, "export", "summary", "--out", str(tmp_path / "汇总表.xlsx")) == 0
    assert "准备打印字体" not in capsys.readouterr().err  # Excel needs no PDF font
    assert run(db, "export", "selfcheck", "--out", str(tmp_path / "自查表.pdf")) == 0
    err = capsys.readouterr().err
    assert "正在准备打印字体“FangSong”…\n第一次生成 PDF 时才需要" in err and cff_fangsong[0] == "simfang.otf"
    assert run(db, "export", "all", "--out-dir", str(tmp_path / "全部")) == 0
    assert "准备打印字体" not in capsys.readouterr().err  # once only
