"""qingqing-cli keys / campaign export|import / package create|verify|import / return import / office …:
the whole exchange through main() on real files, each computer with its own data folder."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import openpyxl
import pytest

from qingqing_desktop.cli import main
from qingqing_desktop.services import office_service

TODAY = dt.date.today()
DEADLINE = (TODAY + dt.timedelta(days=20)).isoformat()


def dump(db_path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def computers(tmp_path, monkeypatch, capsys):
    """run(computer, *args): main() against that computer's database and data folder."""

    def run(name: str, *args: str) -> int:
        monkeypatch.setenv("QINGQING_DATA_DIR", str(tmp_path / name / "data"))
        return main(["--db", str(tmp_path / name / "qingqing.sqlite3"), *args])

    def out(name: str, *args: str, code: int = 0) -> str:
        capsys.readouterr()
        assert run(name, *args) == code, capsys.readouterr()
        captured = capsys.readouterr()
        return captured.out if code == 0 else captured.err

    for name in ("office", "unit"):
        (tmp_path / name).mkdir()
    return run, out


def test_the_exchange_on_the_command_line(computers, tmp_path, monkeypatch, capsys):
    run, out = computers
    usb = tmp_path / "usb"
    usb.mkdir()

    # the office sets up and issues the campaign
    assert "纪委（监察室）密钥指纹" in out("office", "office", "enable", "--name", "局机关纪委（监察室）")
    out("office", "campaign", "create", "--title", "2019年“三清单一承诺”", "--deadline", DEADLINE)
    assert "技术科、规划科" in out("office", "office", "units", "add", "技术科", "规划科")
    exported = out("office", "campaign", "export", "--out", str(usb))
    office_fp = exported.split("纪委（监察室）密钥指纹：")[1].split("（")[0]
    campaign_file = next(usb.glob("*.qqtask"))
    out("unit", "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任")
    assert "有效的任务包" in out("unit", "package", "verify", str(campaign_file))

    # the unit imports it, fills in, finalises and packs
    imported = out("unit", "campaign", "import", str(campaign_file))
    assert "已导入任务包" in imported and office_fp in imported and "首次导入，已登记此密钥" in imported
    for row in ("1", "2", "3"):
        out("unit", "selfcheck", "none", "--row", row)
    assert "请先定稿" in out("unit", "package", "create", "--out", str(usb), code=2)
    out("unit", "filing", "finalize")
    created = out("unit", "package", "create", "--out", str(usb))
    package = next(usb.glob("*.qqpkg"))
    assert package.name == "报送包_技术科_2019年三清单一承诺_第1版.qqpkg" and str(package) in created
    keys = json.loads(out("unit", "keys", "show", "--json"))
    assert [k["role"] for k in keys] == ["单位密钥", "已登记的纪委（监察室）密钥"] and keys[1]["fingerprint"] == office_fp
    assert keys[0]["fingerprint"] in created

    # verify: valid, then a damaged copy
    verified = out("office", "package", "verify", str(package))
    assert "有效的报送包" in verified and "单位：技术科" in verified and "版次：第1版" in verified
    assert keys[0]["fingerprint"] in verified and "该单位首次报送" in verified
    damaged = tmp_path / "damaged.qqpkg"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert "damaged.qqpkg" in out("office", "package", "verify", str(damaged), code=2)

    # the office imports the stick (the damaged copy lies elsewhere) and looks at the board; the stamped
    # PDF beside the package is named with what to type for it
    (usb / "技术科盖章件.pdf").write_bytes(b"%PDF-1.4")
    imported = out("office", "package", "import", str(usb))
    assert "首次报送，已导入" in imported
    assert ("－ “技术科盖章件.pdf”是PDF文件，不是报送包；盖章纸质件的扫描件请用qingqing-cli office check-paper 文件核对。"
            in imported)
    (usb / "技术科盖章件.pdf").unlink()
    status = json.loads(out("office", "office", "status", "--json"))
    units = {u["unit"]: u for u in status["units"]}
    assert set(units) == {"技术科", "规划科"}
    tech = units["技术科"]
    for key in ("unit", "delivered", "revision", "on_time", "pledges_required", "pledges_signed", "findings_open",
                "state"):
        assert key in tech
    assert (tech["delivered"], tech["revision"], tech["on_time"], tech["state"]) == (True, 1, True, "待审核")
    assert units["规划科"]["state"] == "未报送"
    table = out("office", "office", "status")
    assert "技术科" in table and "待审核" in table

    # 退回 without a comment: refused, nothing recorded; a draft from the filing is shown when it has one
    assert "请用 --comment 写明退回意见" in out("office", "office", "return", "--unit", "技术科", code=2)
    drafted = []
    monkeypatch.setattr(office_service, "return_draft", lambda detail: drafted.append(detail.unit.name) or "1. 草稿。")
    capsys.readouterr()
    assert run("office", "office", "return", "--unit", "技术科") == 2
    assert "退回意见草稿" in capsys.readouterr().out and drafted == ["技术科"]
    monkeypatch.undo()
    assert json.loads(out("office", "office", "show", "--unit", "技术科", "--json"))["state"] == "待审核"

    # 退回 → the unit imports it → 确认 is refused meanwhile
    returned = out("office", "office", "return", "--unit", "技术科", "--comment", "请补充人员名单", "--out", str(usb))
    return_file = next(usb.glob("*.qqreturn"))
    assert str(return_file) in returned
    assert "已退回" in out("office", "office", "confirm", "--unit", "技术科", code=2)
    reopened = out("unit", "return", "import", str(return_file))
    assert "第1版已被退回" in reopened and "请补充人员名单" in reopened
    assert json.loads(out("unit", "filing", "status", "--json")) == {"state": "草稿", "revision": 2}
    out("unit", "filing", "finalize")
    out("unit", "package", "create", "--out", str(usb))
    result = json.loads(out("office", "package", "import", str(usb), "--json"))
    assert [r["verdict"] for r in result["results"]] == ["重复导入，无变化", "新版本，已导入"]  # 第1版 first
    assert "已确认" in out("office", "office", "confirm", "--unit", "技术科")
    detail = json.loads(out("office", "office", "show", "--unit", "技术科", "--json"))
    assert detail["state"] == "已确认" and [d["revision"] for d in detail["deliveries"]] == [2, 1]

    # an Excel-only unit, then the bureau-wide outputs
    sheet = openpyxl.Workbook()
    sheet.active.append(["序号", "姓名", "职务", "工作岗位", "是否党员"])
    sheet.active.append([1, "王建", "中层干部", "分管规划", "是"])
    sheet.save(tmp_path / "规划科.xlsx")
    assert "1人（未签名数据）" in out("office", "office", "import-excel", "--unit", "规划科", str(tmp_path / "规划科.xlsx"))
    exported = out("office", "office", "export", "--out", str(tmp_path / "汇总.xlsx"), "--pdf", str(tmp_path / "一览.pdf"))
    assert "汇总.xlsx" in exported and "一览.pdf" in exported
    assert openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames == ["汇总", "规划科", "技术科"]
    assert (tmp_path / "一览.pdf").read_bytes().startswith(b"%PDF-")
    assert "请用 --out" in out("office", "office", "export", code=2)


def test_refusals_exit_2_and_write_nothing(computers, tmp_path):
    run, out = computers
    out("office", "office", "enable", "--name", "局机关纪委（监察室）")
    before = dump(tmp_path / "office" / "qingqing.sqlite3")
    (tmp_path / "not-a-package.qqpkg").write_bytes(b"hello")
    assert "不是亲清填报的报送包" in out("office", "package", "import", str(tmp_path / "not-a-package.qqpkg"), code=2)
    assert "尚未创建行动" in out("office", "office", "status", code=2)
    assert "没有名为“x”的单位" in out("office", "office", "units", "rekey", "--unit", "x", "--fingerprint", "12", code=2)
    assert dump(tmp_path / "office" / "qingqing.sqlite3") == before
    out("unit", "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任")
    assert "单位填报模式" in out("unit", "office", "status", code=2)


def test_a_campaign_made_here_is_adopted_only_when_asked(computers, tmp_path, capsys):
    run, out = computers
    usb = tmp_path / "usb"
    usb.mkdir()
    out("office", "office", "enable", "--name", "局机关纪委（监察室）")
    out("office", "campaign", "create", "--title", "2019年“三清单一承诺”", "--deadline", DEADLINE)
    out("office", "campaign", "export", "--out", str(usb))
    task = next(usb.glob("*.qqtask"))

    out("unit", "unit", "set", "--name", "技术科", "--kind", "科室", "--leader", "林主任")
    out("unit", "campaign", "create", "--title", "本科自建的行动", "--deadline", DEADLINE)
    own_id = json.loads(out("unit", "campaign", "list", "--json"))[0]["id"]
    before = dump(tmp_path / "unit" / "qingqing.sqlite3")
    refusal = out("unit", "campaign", "import", str(task), code=2)  # the same 文号: the clerk must choose
    assert "本机已自行新建了与任务包" in refusal and own_id in refusal and "--adopt" in refusal and "--new" in refusal
    assert dump(tmp_path / "unit" / "qingqing.sqlite3") == before

    adopted = out("unit", "campaign", "import", str(task), "--adopt", own_id)
    assert "已采用本机的行动“本科自建的行动”" in adopted
    campaigns = json.loads(out("unit", "campaign", "list", "--json"))
    assert [c["title"] for c in campaigns] == ["2019年“三清单一承诺”"]
    capsys.readouterr()
    with pytest.raises(SystemExit):
        run("unit", "campaign", "import", "--help")
    assert "--adopt" in capsys.readouterr().out
