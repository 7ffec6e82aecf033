"""Template files (.toml): every shipped template written out and read back unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.policy import template_from_dict
from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.exchange.template_file import read_template_file, template_toml, write_template_file
from qingqing_desktop.store.policy_templates import available_templates, get_template

TEMPLATES = available_templates()


def same_content(a, b) -> bool:
    return dataclasses.replace(a, source="", extends="") == dataclasses.replace(b, source="", extends="")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_shipped_template_round_trips_unchanged(template, tmp_path):
    path = write_template_file(tmp_path, template)
    assert path.name == f"政策模板_{file_name_part(template.name)}_第{template.version}版.toml"  # as a reviewer reads it
    assert same_content(read_template_file(path), template)
    # and the text is plain TOML that tomllib reads without this program's help
    assert same_content(template_from_dict(tomllib.loads(path.read_text(encoding="utf-8")), "x"), template)


def test_the_file_stands_alone_without_extends(tmp_path):
    text = template_toml(get_template("hubei-zhujian"), exported_on=dt.date(2025, 3, 5))
    assert "extends" not in text.split("\n# ")[-1]
    assert "# 由亲清填报导出（2025年3月5日）" in text
    assert "\n[pledge]\n" in text and "\n[[lists]]\n" in text


def test_quotes_backslashes_and_control_characters_survive(tmp_path):
    template = get_template("pingyang-2019")
    tricky = dataclasses.replace(template, name='引号"与\\反斜杠\t和\n换行\x01', issuer="单位")
    back = read_template_file(write_template_file(tmp_path / "t.toml", tricky))
    assert back.name == tricky.name.strip()


def test_synonyms_and_all_staff_are_written(tmp_path):
    template = get_template("pingyang-2019")
    rule = dataclasses.replace(template.signing_rule, all_staff=True, synonyms=(("行政审批", ("审批窗口", "窗口")),))
    changed = dataclasses.replace(template, signing_rule=rule)
    text = template_toml(changed)
    assert '[signing_rule.synonyms]\n"行政审批" = [' in text
    assert same_content(read_template_file(write_template_file(tmp_path / "t.toml", changed)), changed)


def test_a_file_named_otherwise_is_read_and_a_broken_one_refused_with_its_line(tmp_path):
    path = tmp_path / "湖北模板（新）.toml"
    path.write_text(template_toml(get_template("hubei-zhujian")), encoding="utf-8")
    assert read_template_file(path).id == "hubei-zhujian"
    broken = tmp_path / "坏.toml"
    broken.write_text('id = "x"\nname = 未加引号\n', encoding="utf-8")
    with pytest.raises(InputRejected, match="TOML格式错误") as caught:
        read_template_file(broken)
    assert caught.value.location.row == 2


def test_an_export_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "t.toml"
    target.write_text("旧内容", encoding="utf-8")
    import qingqing_desktop.exchange.template_file as module

    monkeypatch.setattr(module, "template_toml", lambda template: (_ for _ in ()).throw(OSError("磁盘已满")))
    with pytest.raises(OSError):
        write_template_file(target, get_template("pingyang-2019"))
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert [p.name for p in tmp_path.iterdir()] == ["t.toml"]
