"""qingqing-cli unit/roster: the commands a script or the discipline office would run."""

from __future__ import annotations

import hashlib
import json
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Alignment

from qingqing_desktop.cli import main


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def dump(db_path) -> str:
    """A digest of every user table, to prove a rejected command changed nothing."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    digest = hashlib.sha256()
    for table in tables:
        for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


@pytest.fixture
def cli_db(tmp_path, capsys):
    path = tmp_path / "cli.sqlite3"
    assert run(path, "unit", "set", "--name", "房地产科", "--kind", "科室", "--leader", "林素仙", "--phone", "653260") == 0
    capsys.readouterr()
    return path


def office_roster(path):
    """A roster the way an office keeps it: a merged title, a stamp line, header on row 3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2019年名单"
    ws.merge_cells("A1:F1")
    ws["A1"] = "房地产科人员名单"
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "单位（盖章）：房地产科"
    ws.append(["序号", "姓 名", "职务", "分管工作", "政治面貌", "备注"])
    rows = [
        (1, "单  雄", "科长", "主持全面工作", "中共党员", ""),
        (2, "曾 晓燕", "副科长", "分管房地产市场监管", "中共预备党员", ""),
        (3, "李𡈽", "科员", "房地产市场监管", "群众", ""),
        (4, "王䶮", "一级主任科员", "行政审批", "共青团员", ""),
        (5, "仇立新", "办事员", "文书", "中共党员", "=1+1"),
        (None, None, None, None, None, None),
        (None, "合计", "5人", None, None, None),
    ]
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_unit_set_and_show_json(cli_db, capsys):
    assert run(cli_db, "unit", "show", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "房地产科" and data["kind"] == "科室" and data["leader"] == "林素仙"


def test_unit_set_rejects_bad_kind_with_exit_2(cli_db, capsys):
    before = dump(cli_db)
    assert run(cli_db, "unit", "set", "--name", "X", "--kind", "公司", "--leader", "Y") == 2
    assert "单位类型" in capsys.readouterr().err
    assert dump(cli_db) == before


def test_roster_commands_need_a_unit_first(tmp_path, capsys):
    from qingqing_desktop.services.session import open_session

    open_session(tmp_path / "empty.sqlite3").close()  # a database without a unit (a command that reads makes none)
    assert run(tmp_path / "empty.sqlite3", "roster", "list") == 2
    assert "尚未设置单位信息" in capsys.readouterr().err


def test_import_office_roster_then_list_json(cli_db, tmp_path, capsys):
    source = office_roster(tmp_path / "名单.xlsx")
    assert run(cli_db, "roster", "import", str(source)) == 0
    out = capsys.readouterr().out
    assert "新增 5 人" in out and "表头在第3行" in out
    assert run(cli_db, "roster", "list", "--json") == 0
    people = {p["name"]: p for p in json.loads(capsys.readouterr().out)}
    assert set(people) == {"单雄", "曾晓燕", "李𡈽", "王䶮", "仇立新"}
    assert people["单雄"]["rank"] == "中层干部" and people["单雄"]["party_member"] is True
    assert people["曾晓燕"]["party_member"] is True  # 中共预备党员
    assert people["李𡈽"]["rank"] == "一般工作人员" and people["李𡈽"]["party_member"] is False
    assert people["王䶮"]["rank"] == "一般工作人员" and people["王䶮"]["post"] == "行政审批"
    assert people["仇立新"]["note"] == "=1+1"
    assert all(len(p["id"]) == 36 and p["status"] == "在岗" for p in people.values())
    # pinyin order: 单 shan after 仇 qiu, 曾 zeng last
    assert [p["name"] for p in json.loads(_list(cli_db, capsys))] == ["李𡈽", "仇立新", "单雄", "王䶮", "曾晓燕"]


def _list(db, capsys):
    run(db, "roster", "list", "--json")
    return capsys.readouterr().out


def test_importing_the_same_file_twice_changes_nothing(cli_db, tmp_path, capsys):
    source = office_roster(tmp_path / "名单.xlsx")
    run(cli_db, "roster", "import", str(source))
    capsys.readouterr()
    assert run(cli_db, "roster", "import", str(source)) == 0
    assert "无变化 5 人" in capsys.readouterr().out
    assert len(json.loads(_list(cli_db, capsys))) == 5


def test_roster_history_lists_the_import_by_person_and_field(cli_db, tmp_path, capsys):
    source = office_roster(tmp_path / "名单.xlsx")
    run(cli_db, "roster", "import", str(source))
    capsys.readouterr()
    assert run(cli_db, "roster", "history", "--json") == 0
    history = json.loads(capsys.readouterr().out)
    shan = [h for h in history if h["what"].startswith("人员：单雄")]
    assert {h["field"]: h["new"] for h in shan}["职务类别"] == "中层干部"
    assert {(h["action"], h["reason"]) for h in history} == {("新增", "从“名单.xlsx”导入")}
    assert run(cli_db, "roster", "history") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["时间", "经办人", "操作", "对象", "项目", "原值", "→", "新值", "原因"]
    assert "（空） → 中层干部" in out


def test_problem_rows_block_the_import_unless_skipped(cli_db, tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "职务", "工作岗位", "是否党员"])
    ws.append(["张三", "科员", "质量监管", "是"])
    ws.append(["李四", "工程师", "安全监管", "否"])
    ws.append(["王五", "科员", "规划核实", ""])
    path = tmp_path / "有问题.xlsx"
    wb.save(path)
    before = dump(cli_db)
    assert run(cli_db, "roster", "import", str(path)) == 2
    captured = capsys.readouterr()
    assert "第3行" in captured.out and "工程师" in captured.out
    assert "第4行" in captured.out
    assert "未导入任何数据" in captured.err
    assert dump(cli_db) == before
    assert run(cli_db, "roster", "import", str(path), "--dry-run") == 2
    assert dump(cli_db) == before
    capsys.readouterr()
    assert run(cli_db, "roster", "import", str(path), "--skip-invalid") == 0
    capsys.readouterr()
    assert [p["name"] for p in json.loads(_list(cli_db, capsys))] == ["张三"]
    assert run(cli_db, "roster", "import", str(path), "--skip-invalid", "--title-rank", "工程师=一般工作人员") == 0
    capsys.readouterr()
    assert "李四" in {p["name"] for p in json.loads(_list(cli_db, capsys))}


def _billion_laughs(path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务"])
    good = path.with_suffix(".good.xlsx")
    wb.save(good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item, data)
    return path


def _zip_bomb(path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务"])
    good = path.with_suffix(".good.xlsx")
    wb.save(good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        # 2 GiB of zeros, streamed: deflates to about 2 MB
        info = zipfile.ZipInfo("xl/media/padding.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as member:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(128):
                member.write(chunk)
    return path


def _encrypted(path):
    # An encrypted OOXML file is an OLE2 compound file holding an "EncryptionInfo" stream.
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + bytes(2048))
    return path


HOSTILE = {
    "renamed_text": lambda p: (p.write_text("姓名,职务\n张三,科员\n", encoding="utf-8"), p)[1],
    "entity_expansion": _billion_laughs,
    "password_protected": _encrypted,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_files_are_rejected_with_exit_2_and_nothing_written(kind, cli_db, tmp_path, capsys):
    path = HOSTILE[kind](tmp_path / f"{kind}.xlsx")
    before = dump(cli_db)
    assert run(cli_db, "roster", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert f"{kind}.xlsx" in err
    assert dump(cli_db) == before


@pytest.mark.slow
def test_zip_bomb_is_rejected_with_exit_2(cli_db, tmp_path, capsys):
    path = _zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 50 * 1024 * 1024
    before = dump(cli_db)
    assert run(cli_db, "roster", "import", str(path)) == 2
    assert "bomb.xlsx" in capsys.readouterr().err
    assert dump(cli_db) == before


def test_export_writes_a_workbook_without_formulas(cli_db, tmp_path, capsys):
    run(cli_db, "roster", "import", str(office_roster(tmp_path / "名单.xlsx")))
    out = tmp_path / "导出.xlsx"
    assert run(cli_db, "roster", "export", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "李𡈽" in values and "=1+1" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_template_round_trip(cli_db, tmp_path, capsys):
    template = tmp_path / "模板.xlsx"
    assert run(cli_db, "roster", "template", str(template)) == 0
    assert run(cli_db, "roster", "import", str(template), "--dry-run") == 0
    assert "新增 0 人" in capsys.readouterr().out


def test_import_names_the_other_sheets_that_look_like_a_roster(cli_db, tmp_path, capsys):
    path = office_roster(tmp_path / "两年.xlsx")
    book = openpyxl.load_workbook(path)
    older = book.create_sheet("2018年名单")
    older.append(["姓名", "职务"])
    older.append(["张三", "科员"])
    book.save(path)
    assert run(cli_db, "roster", "import", str(path), "--dry-run") == 0
    assert "注意：文件中的工作表“2018年名单”也像人员名单；要导入它，请加 --sheet 工作表名称。" in capsys.readouterr().out


# --------------------------------------------------------------------------- a database that is not there

MISSING_FILE = ("错误：找不到数据库文件“{}”，程序没有新建它。如果文件被移动或改名，请用新的位置打开；"
                "要在这里新建数据库，请先设置单位信息。\n")


@pytest.mark.parametrize("command", [["unit", "show"], ["unit", "set", "--name", "房地产科", "--kind", "科室",
                                                         "--leader", "林素仙"]])
def test_a_database_whose_folder_is_gone_is_refused_and_nothing_is_made(command, tmp_path, capsys, monkeypatch):
    """--db or QINGQING_DB pointing at a moved or renamed folder: not a new empty database that looks like lost data."""
    db = tmp_path / "nope" / "deeper" / "unit.sqlite3"
    expected = (f"错误：找不到文件夹“{db.parent}”：数据库文件应在其中。如果文件夹被移动或改名，请用新的位置打开；"
                "要在那里新建数据库，请先建好这个文件夹。程序没有新建任何文件。\n")
    assert run(db, *command) == 2
    assert capsys.readouterr().err == expected
    monkeypatch.setenv("QINGQING_DB", str(db))
    assert main(command) == 2
    assert capsys.readouterr().err == expected
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["unit", "show"], ["roster", "list"], ["filing", "status"], ["office", "status"],
                                     ["template", "list"], ["backup", "salvage"]])
def test_a_command_that_reads_says_the_database_file_is_missing_and_makes_none(command, tmp_path, capsys):
    db = tmp_path / "unit.sqlite3"
    assert run(db, *command) == 2
    assert capsys.readouterr().err == MISSING_FILE.format(db)
    assert list(tmp_path.iterdir()) == []


def test_setting_up_makes_the_database_in_a_folder_that_exists(tmp_path, capsys):
    assert run(tmp_path / "unit.sqlite3", "unit", "set", "--name", "房地产科", "--kind", "科室", "--leader", "林素仙") == 0
    assert run(tmp_path / "office.sqlite3", "office", "enable", "--name", "局机关纪委（监察室）") == 0
    assert {p.name for p in tmp_path.glob("*.sqlite3")} == {"unit.sqlite3", "office.sqlite3"}


def test_the_backup_before_a_roster_import_is_listed_with_the_file_it_came_before(cli_db, tmp_path, capsys,
                                                                                 isolated_data_dir):
    assert run(cli_db, "roster", "import", str(office_roster(tmp_path / "技术科名单.xlsx"))) == 0
    capsys.readouterr()
    assert run(cli_db, "backup", "list") == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if "-import.sqlite3" in line]
    assert "导入人员名单“技术科名单.xlsx”前" in line


def test_a_lost_database_file_is_put_back_from_its_backups(cli_db, capsys, isolated_data_dir):
    """The backups stay listed and restorable when the database file itself is gone."""
    assert run(cli_db, "backup", "create") == 0
    cli_db.unlink()
    capsys.readouterr()
    assert run(cli_db, "backup", "list", "--check") == 0
    listed = capsys.readouterr().out
    assert "手动备份" in listed and "可用，0 人" in listed
    backup = next((isolated_data_dir / "backups").glob("qingqing-*-manual.sqlite3"))
    assert run(cli_db, "backup", "restore", str(backup)) == 0
    capsys.readouterr()
    assert run(cli_db, "unit", "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["name"] == "房地产科"
