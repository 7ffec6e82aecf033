"""qingqing-cli campaign / pledge / selfcheck / filing: round trips through main() on a real file."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qingqing_desktop.cli import main
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus
from qingqing_desktop.services import roster_service
from qingqing_desktop.services.session import open_session

TODAY = dt.date.today()  # the CLI works on the real today
SOON = (TODAY + dt.timedelta(days=10)).isoformat()
DEADLINE = (TODAY + dt.timedelta(days=20)).isoformat()


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def dump(db_path) -> str:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def out_json(capsys):
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def db(tmp_path, capsys):
    """A unit with cadres, key-post staff, other staff, two namesakes and someone who left."""
    path = tmp_path / "cli.sqlite3"
    assert run(path, "unit", "set", "--name", "质监站", "--kind", "站", "--leader", "林素华") == 0
    session = open_session(path)
    try:
        for member in (
            StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
            StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"),
            StaffMember("张伟", RankCategory.STAFF, post="竣工验收"),
            StaffMember("张伟", RankCategory.STAFF, post="文书收发"),
            StaffMember("徐静", RankCategory.STAFF, post="行政审批", status=StaffStatus.TRANSFERRED),
        ):
            roster_service.add_staff(session, member)
    finally:
        session.close()
    capsys.readouterr()
    return path


@pytest.fixture
def campaign_db(db, capsys):
    assert run(db, "campaign", "create", "--template", "pingyang-2019", "--title", "2019年“三清单一承诺”",
               "--deadline", DEADLINE) == 0
    capsys.readouterr()
    return db


def staff_ids(db, capsys) -> dict[str, str]:
    assert run(db, "pledge", "list", "--json") == 0
    return {f"{p['name']}/{p['post']}": p["staff_id"] for p in out_json(capsys)}


# ----------------------------------------------------------------------------- campaign


@pytest.mark.parametrize(
    "command", [["pledge", "list"], ["selfcheck", "show", "--json"], ["filing", "status"], ["filing", "finalize"],
                ["selfcheck", "none", "--row", "1"], ["campaign", "show"]]
)
def test_commands_needing_a_campaign_say_how_to_create_one(db, capsys, command):
    before = dump(db)
    assert run(db, *command) == 2
    err = capsys.readouterr().err
    assert "尚未创建行动" in err and "请先 campaign create" in err
    assert dump(db) == before


def test_campaign_create_prints_the_id_and_makes_it_current(db, capsys):
    assert run(db, "campaign", "create", "--template", "pingyang-2019", "--title", "2019年", "--deadline", "2019-03-14",
               "--doc-number", "平住建发〔2019〕27号") == 0
    first = capsys.readouterr().out.strip()
    assert len(first) == 36
    assert run(db, "campaign", "create", "--title", "2020年", "--deadline", "2020-03-14") == 0
    second = capsys.readouterr().out.strip()

    assert run(db, "campaign", "list", "--json") == 0
    listed = {c["id"]: c for c in out_json(capsys)}
    assert listed[first]["title"] == "2019年" and listed[first]["document_number"] == "平住建发〔2019〕27号"
    assert listed[first]["deadline"] == "2019-03-14" and listed[first]["recipient"] == "局机关纪委（监察室）"
    assert (listed[first]["template_id"], listed[first]["template_version"]) == ("pingyang-2019", 1)
    assert (listed[first]["current"], listed[second]["current"]) == (False, True)

    assert run(db, "campaign", "use", first[:8]) == 0
    capsys.readouterr()
    assert run(db, "campaign", "show", "--json") == 0
    assert out_json(capsys)["id"] == first
    assert run(db, "campaign", "use", "nope-nope") == 2
    assert "找不到" in capsys.readouterr().err


def test_campaign_create_defaults_come_from_the_template(db, capsys):
    assert run(db, "campaign", "create") == 0
    capsys.readouterr()
    assert run(db, "campaign", "show", "--json") == 0
    shown = out_json(capsys)
    assert (shown["deadline"], shown["document_number"]) == ("2019-03-14", "平住建发〔2019〕27号")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--deadline", "2019-02-30"], "没有这一天"), (["--template", "nowhere"], "没有编号为“nowhere”的政策模板"),
     (["--title", " "], "行动名称不能为空")],
)
def test_campaign_create_rejects_bad_input_with_exit_2(db, capsys, args, message):
    before = dump(db)
    assert run(db, "campaign", "create", *args) == 2
    assert message in capsys.readouterr().err
    assert dump(db) == before


# ----------------------------------------------------------------------------- pledge


def test_pledge_list_json_shape(campaign_db, capsys):
    assert run(campaign_db, "pledge", "list", "--json") == 0
    listed = out_json(capsys)
    assert {"staff_id", "name", "rank", "post", "required", "status", "signed_on", "required_by_rule", "reason"} <= set(listed[0])
    people = {f"{p['name']}/{p['post']}": p for p in listed}
    assert people["单建国/主持全面工作"]["required"] is True and people["单建国/主持全面工作"]["rank"] == "中层干部"
    assert people["李𡈽/质量监管"]["required"] is True
    assert people["张伟/文书收发"]["required"] is False and people["张伟/文书收发"]["status"] == "未签订"
    assert people["徐静/行政审批"]["status"] == "不适用" and people["徐静/行政审批"]["reason"] == "调离"
    assert all(p["signed_on"] is None for p in listed)
    assert all(p["status"] in ("未签订", "已签订", "此前已上交", "不适用") for p in listed)
    assert [p["name"] for p in listed[:3]] == ["李𡈽", "单建国", "张伟"]  # who must sign first, by pinyin


def test_pledge_set_sign_and_require_round_trip(campaign_db, capsys):
    ids = staff_ids(campaign_db, capsys)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    assert run(campaign_db, "pledge", "set", "--staff", ids["李𡈽/质量监管"], "--status", "已签订", "--date", yesterday) == 0
    assert "已签订" in capsys.readouterr().out
    assert run(campaign_db, "pledge", "set", "--staff", ids["单建国/主持全面工作"], "--status", "此前已上交",
               "--reason", "2018年已交") == 0
    assert run(campaign_db, "pledge", "require", "--staff", ids["张伟/文书收发"], "--required", "yes",
               "--reason", "兼管档案借阅审批") == 0
    assert run(campaign_db, "pledge", "sign", "--staff", ids["张伟/文书收发"], "--staff", ids["张伟/竣工验收"]) == 0
    capsys.readouterr()

    assert run(campaign_db, "pledge", "list", "--json") == 0
    people = {f"{p['name']}/{p['post']}": p for p in out_json(capsys)}
    assert (people["李𡈽/质量监管"]["status"], people["李𡈽/质量监管"]["signed_on"]) == ("已签订", yesterday)
    assert (people["单建国/主持全面工作"]["status"], people["单建国/主持全面工作"]["reason"]) == ("此前已上交", "2018年已交")
    clerk = people["张伟/文书收发"]
    assert (clerk["required"], clerk["required_by_rule"], clerk["reason"]) == (True, False, "兼管档案借阅审批")
    assert (clerk["status"], clerk["signed_on"]) == ("已签订", TODAY.isoformat())

    assert run(campaign_db, "pledge", "list") == 0
    assert "应签订 4 人：已签订 3，未签订 0，此前已上交 1，不适用 1" in capsys.readouterr().out


def test_pledge_commands_take_a_name_and_ask_for_the_id_only_between_namesakes(campaign_db, capsys):
    # What the clerk knows is a name; 序号 in the listings is a position, not an id
    assert run(campaign_db, "pledge", "sign", "--staff", "李𡈽", "--staff", " 单建国 ") == 0
    assert "已登记 2 人已签订" in capsys.readouterr().out
    before = dump(campaign_db)
    assert run(campaign_db, "pledge", "sign", "--staff", "李𡈽", "--staff", "张伟") == 2
    err = capsys.readouterr().err
    assert "人员名单中有2位“张伟”" in err and "--staff" in err and "竣工验收" in err and "文书收发" in err
    assert run(campaign_db, "pledge", "set", "--staff", "1", "--status", "已签订") == 2
    assert "人员名单中没有“1”。请填姓名" in capsys.readouterr().err
    assert dump(campaign_db) == before  # all or nothing
    ids = staff_ids(campaign_db, capsys)
    assert run(campaign_db, "pledge", "require", "--staff", ids["张伟/文书收发"], "--required", "yes",
               "--reason", "兼管档案借阅审批") == 0  # an id still works
    capsys.readouterr()
    assert run(campaign_db, "pledge", "list", "--json") == 0
    people = {f"{p['name']}/{p['post']}": p for p in out_json(capsys)}
    assert [people[k]["status"] for k in ("李𡈽/质量监管", "单建国/主持全面工作")] == ["已签订", "已签订"]
    assert people["张伟/文书收发"]["required"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "已签订", "--date", (TODAY + dt.timedelta(days=1)).isoformat()], "晚于今天"),
        (["--status", "已签订", "--date", "2019-02-30"], "没有这一天"),
        (["--status", "不适用"], "说明理由"),
        (["--status", "签了"], "签订状态“签了”无效"),
    ],
)
def test_pledge_set_rejects_bad_input_with_exit_2(campaign_db, capsys, args, message):
    ids = staff_ids(campaign_db, capsys)
    before = dump(campaign_db)
    assert run(campaign_db, "pledge", "set", "--staff", ids["李𡈽/质量监管"], *args) == 2
    assert message in capsys.readouterr().err
    assert dump(campaign_db) == before


def test_pledge_attach_checks_the_file(campaign_db, capsys, tmp_path):
    ids = staff_ids(campaign_db, capsys)
    good, bad = tmp_path / "签字页.png", tmp_path / "签字页.jpg"
    good.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    bad.write_bytes(b"GIF89a" + b"\0" * 32)
    before = dump(campaign_db)
    assert run(campaign_db, "pledge", "attach", "--staff", ids["李𡈽/质量监管"], str(bad)) == 2
    assert "不是 PNG、JPEG 图片或 PDF" in capsys.readouterr().err
    assert dump(campaign_db) == before
    assert run(campaign_db, "pledge", "attach", "--staff", ids["李𡈽/质量监管"], str(good)) == 0
    capsys.readouterr()
    assert run(campaign_db, "pledge", "list", "--json") == 0
    assert {p["name"]: p["has_scan"] for p in out_json(capsys)}["李𡈽"] is True
    assert run(campaign_db, "pledge", "detach", "--staff", ids["李𡈽/质量监管"]) == 0


# ----------------------------------------------------------------------------- selfcheck


def test_selfcheck_round_trip_with_the_exact_json_shape(campaign_db, capsys):
    assert run(campaign_db, "selfcheck", "add", "--row", "1", "--problem", "服务企业不够主动", "--measure", "建立上门服务清单",
               "--owner", "单建国", "--due", SOON) == 0
    finding_id = capsys.readouterr().out.splitlines()[0]
    assert run(campaign_db, "selfcheck", "none", "--row", "2") == 0
    capsys.readouterr()

    assert run(campaign_db, "selfcheck", "show", "--json") == 0
    shown = out_json(capsys)
    assert set(shown) == {"unit", "leader", "date", "rows"}
    assert (shown["unit"], shown["leader"], shown["date"]) == ("质监站", "林素华", None)
    assert [set(r) for r in shown["rows"]] == [{"item", "none_confirmed", "findings"}] * 3
    assert [r["item"] for r in shown["rows"]] == [
        "落实政商交往“正面清单”中存在的不足", "落实政商交往“负面清单”中存在的问题", "可能衍生“挈篮子”问题的制度缺陷"]
    assert [r["none_confirmed"] for r in shown["rows"]] == [False, True, False]
    assert shown["rows"][0]["findings"] == [{
        "id": finding_id, "problem": "服务企业不够主动", "measure": "建立上门服务清单", "owner": "单建国",
        "due": SOON, "state": "整改中",
    }]

    assert run(campaign_db, "selfcheck", "done", "--finding", finding_id, "--date", TODAY.isoformat(),
               "--note", "已建立") == 0
    capsys.readouterr()
    assert run(campaign_db, "selfcheck", "show", "--json") == 0
    assert out_json(capsys)["rows"][0]["findings"][0]["state"] == "已完成"


def test_selfcheck_add_prints_questions_and_still_saves(campaign_db, capsys):
    past = (TODAY - dt.timedelta(days=3)).isoformat()
    assert run(campaign_db, "selfcheck", "add", "--row", "3", "--problem", "请托登记制度缺失", "--measure", "建立制度",
               "--owner", "单建国", "--due", past) == 0
    out = capsys.readouterr().out
    assert "提醒：" in out and "早于今天" in out
    assert run(campaign_db, "selfcheck", "show", "--json") == 0
    assert out_json(capsys)["rows"][2]["findings"][0]["state"] == "逾期"
    late = (TODAY + dt.timedelta(days=60)).isoformat()
    assert run(campaign_db, "selfcheck", "add", "--row", "3", "--problem", "x问题", "--measure", "y措施",
               "--owner", "单建国", "--due", late) == 0
    assert "晚于本次报送截止日期" in capsys.readouterr().out


def test_selfcheck_add_asks_which_namesake(campaign_db, capsys):
    before = dump(campaign_db)
    assert run(campaign_db, "selfcheck", "add", "--row", "1", "--problem", "p问题", "--measure", "m措施",
               "--owner", "张伟", "--due", SOON) == 2
    err = capsys.readouterr().err
    assert "2位“张伟”" in err and "--owner-id" in err
    assert dump(campaign_db) == before
    ids = staff_ids(campaign_db, capsys)
    assert run(campaign_db, "selfcheck", "add", "--row", "1", "--problem", "p问题", "--measure", "m措施",
               "--owner-id", ids["张伟/竣工验收"], "--due", SOON) == 0
    capsys.readouterr()
    assert run(campaign_db, "selfcheck", "show", "--json") == 0
    assert out_json(capsys)["rows"][0]["findings"][0]["owner"] == "张伟"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "无名氏", "--due", SOON], "人员名单中没有“无名氏”"),
        (["--owner", "单建国", "--due", "2019-13-01"], "不是有效日期"),
        (["--owner-id", "nobody", "--due", SOON], "责任人不在人员名单中"),
    ],
)
def test_selfcheck_add_rejects_bad_input_with_exit_2(campaign_db, capsys, args, message):
    before = dump(campaign_db)
    assert run(campaign_db, "selfcheck", "add", "--row", "1", "--problem", "p问题", "--measure", "m措施", *args) == 2
    assert message in capsys.readouterr().err
    assert dump(campaign_db) == before


def test_selfcheck_none_is_refused_on_a_row_with_findings(campaign_db, capsys):
    run(campaign_db, "selfcheck", "add", "--row", "2", "--problem", "p问题", "--measure", "m措施", "--owner", "单建国",
        "--due", SOON)
    capsys.readouterr()
    before = dump(campaign_db)
    assert run(campaign_db, "selfcheck", "none", "--row", "2") == 2
    assert "不能确认为“无”" in capsys.readouterr().err
    assert dump(campaign_db) == before


# ----------------------------------------------------------------------------- filing


def test_filing_finalize_lock_reopen_and_history(campaign_db, capsys):
    assert run(campaign_db, "filing", "status", "--json") == 0
    assert out_json(capsys) == {"state": "草稿", "revision": 1}
    assert run(campaign_db, "filing", "finalize") == 2
    assert "自查表第1、2、3行" in capsys.readouterr().err

    ids = staff_ids(campaign_db, capsys)
    run(campaign_db, "selfcheck", "add", "--row", "1", "--problem", "p问题", "--measure", "m措施", "--owner", "单建国",
        "--due", SOON)
    run(campaign_db, "selfcheck", "none", "--row", "2")
    run(campaign_db, "selfcheck", "none", "--row", "3")
    run(campaign_db, "pledge", "sign", "--staff", ids["李𡈽/质量监管"], "--staff", ids["张伟/竣工验收"])
    capsys.readouterr()
    assert run(campaign_db, "filing", "finalize") == 0
    out = capsys.readouterr().out
    assert "已定稿（第1版）" in out and "尚有1人未签订承诺书：单建国" in out
    assert run(campaign_db, "filing", "status", "--json") == 0
    assert out_json(capsys) == {"state": "已定稿", "revision": 1}

    before = dump(campaign_db)
    for command in (["pledge", "set", "--staff", ids["单建国/主持全面工作"], "--status", "已签订"],
                    ["selfcheck", "none", "--row", "2", "--undo"], ["filing", "finalize"]):
        assert run(campaign_db, *command) == 2
        assert "本次报送已定稿（第1版），如需修改请先“重新打开”并说明原因" in capsys.readouterr().err
    assert dump(campaign_db) == before

    assert run(campaign_db, "filing", "reopen", "--reason", " ") == 2
    capsys.readouterr()
    assert run(campaign_db, "filing", "reopen", "--reason", "补登单建国的签订") == 0
    assert "草稿（第2版）" in capsys.readouterr().out
    assert run(campaign_db, "filing", "status", "--json") == 0
    assert out_json(capsys) == {"state": "草稿", "revision": 2}
    assert run(campaign_db, "pledge", "set", "--staff", ids["单建国/主持全面工作"], "--status", "已签订") == 0
    capsys.readouterr()

    assert run(campaign_db, "filing", "history", "--json") == 0
    history = out_json(capsys)
    assert history[0]["what"] == "承诺书签订：单建国" and history[0]["new"] in ("已签订", TODAY.isoformat())
    reopen = [h for h in history if h["what"] == "报送" and h["field"] == "报送状态"]
    assert [(h["old"], h["new"], h["reason"]) for h in reopen] == [
        ("已定稿", "草稿", "补登单建国的签订"), ("草稿", "已定稿", "尚有1人未签订承诺书：单建国")]
    assert {"at", "operator", "action", "what", "field", "old", "new", "reason"} == set(history[0])
    assert run(campaign_db, "filing", "history") == 0
    assert "补登单建国的签订" in capsys.readouterr().out
