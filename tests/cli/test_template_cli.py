"""qingqing-cli template list / show / export / import through main() on a real file."""

from __future__ import annotations

import json

import pytest

from qingqing_desktop.store.policy_templates import get_template
from tests.cli.test_campaign_cli import dump, run


@pytest.fixture
def db(tmp_path):
    """A database that exists (a command that only reads makes none)."""
    from qingqing_desktop.services.session import open_session

    path = tmp_path / "cli.sqlite3"
    open_session(path).close()
    return path


def test_list_show_export_and_import(db, tmp_path, capsys):
    assert run(db, "template", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["id"] for t in listed][0] == "pingyang-2019"
    assert {t["origin"] for t in listed} == {"程序自带"}

    assert run(db, "template", "show", "hubei-zhujian") == 0
    shown = capsys.readouterr().out
    assert 'id = "hubei-zhujian"' in shown and "不准收受企业赠送的礼品、礼金、消费卡等；" in shown

    out = tmp_path / "湖北.toml"
    assert run(db, "template", "export", "hubei-zhujian", "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_text(encoding="utf-8") == shown

    out.write_text(shown.replace('id = "hubei-zhujian"', 'id = "hubei-2025"'), encoding="utf-8")
    assert run(db, "template", "import", str(out)) == 0
    assert "已导入政策模板" in capsys.readouterr().out
    assert run(db, "template", "show", "hubei-2025", "--json") == 0
    assert json.loads(capsys.readouterr().out)["lists"] == json.loads(json.dumps(
        [{"key": lst.key, "title": lst.title, "intro": lst.intro, "items": list(lst.items), "notes": list(lst.notes)}
         for lst in get_template("hubei-zhujian").lists]))
    assert run(db, "template", "list") == 0
    table = capsys.readouterr().out
    assert "hubei-2025" in table and "导入" in table and "已发布" in table


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('id = "x"\nname = 没有引号\n', "TOML格式错误"),
        ("", "缺少这一项"),
        (None, "没有编号为“nope”"),
    ],
    ids=["broken", "empty", "missing-file"],
)
def test_a_bad_file_exits_2_with_the_reason_and_writes_nothing(db, tmp_path, capsys, content, message):
    assert run(db, "template", "list") == 0
    before = dump(db)
    capsys.readouterr()
    if content is None:
        assert run(db, "template", "show", "nope") == 2
    else:
        path = tmp_path / "坏模板.toml"
        path.write_text(content, encoding="utf-8")
        assert run(db, "template", "import", str(path)) == 2
    assert message in capsys.readouterr().err
    assert dump(db) == before


def test_an_incomplete_template_is_refused_in_words(db, tmp_path, capsys):
    assert run(db, "template", "show", "pingyang-2019") == 0
    text = capsys.readouterr().out.replace('id = "pingyang-2019"', 'id = "mine"')
    text = text.replace('signer_label = "承　　诺　　人："', 'signer_label = " "')
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    before = dump(db)
    assert run(db, "template", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert "mine.toml" in err and "pledge.signer_label" in err
    assert dump(db) == before
