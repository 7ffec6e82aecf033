"""Office-made policy templates: saved, versioned, published by a campaign or a file, shared as TOML,
carried by the 任务包 to a unit whose lists, letters and who-must-sign then follow it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pypdf
import pytest

from qingqing_desktop.domain.campaign import template_snapshot
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.exchange import campaign_file
from qingqing_desktop.exchange.template_file import template_toml
from qingqing_desktop.services import (
    campaign_service,
    document_service,
    office_service,
    package_service,
    pledge_service,
    roster_service,
    template_service,
    unit_service,
)
from qingqing_desktop.services.template_service import DraftRejected, ImportOutcome
from qingqing_desktop.store import audit
from tests.services.exchange_fixtures import OFFICE_NAME, installation

DEADLINE = dt.date.today() + dt.timedelta(days=20)


def hubei_draft(session) -> dict:
    draft = template_service.new_draft(session, "pingyang-2019")
    draft.update(name="湖北住建“三清单一承诺”行动", issuer="湖北省住房和城乡建设厅", document_number="")
    draft["lists"][1]["items"] = ["不准收受企业赠送的礼品、礼金、消费卡等；", "不准有违反党纪政纪和法律法规规定的其他行为。"]
    draft["signing_rule"].update(key_posts=["施工许可", "资质审批"], synonyms={"施工许可": ["施工许可证核发"]})
    draft["pledge"]["items"] = ["本人承诺不“挈篮子”。"]
    return draft


def rows(session, table: str) -> int:
    return session.store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_new_template_has_a_name_of_its_own_and_a_taken_name_is_refused(session):
    """Two templates of one name cannot be told apart (the list, 新建行动, a 任务包): a new draft is named
    as a copy until the local notice's name is typed, and saving under another template's name is refused."""
    first = template_service.new_draft(session, "pingyang-2019")
    assert first["name"] == "平阳县住房和城乡建设局“三清单一承诺”行动（2019）（副本）"
    template_service.save_template(session, first)
    assert template_service.new_draft(session, "pingyang-2019")["name"].endswith("（副本2）")
    taken = template_service.new_draft(session, "mouqu")
    taken["name"] = "平阳县住房和城乡建设局“三清单一承诺”行动（2019）"  # the shipped template's
    before = rows(session, "office_template")
    with pytest.raises(InputRejected, match="已有名为“平阳县住房和城乡建设局‘三清单一承诺’行动（2019）”的模板") as refused:
        template_service.save_template(session, taken)
    assert refused.value.location.field == "模板名称" and rows(session, "office_template") == before


def test_a_new_draft_keeps_the_source_texts_but_not_its_deadline_document_number_or_submission_notes(session):
    draft = template_service.new_draft(session, "pingyang-2019")
    assert (draft["id"], draft["version"], draft["submission"]["default_deadline"]) == ("", 1, "")
    assert draft["document_number"] == ""  # 平住建发〔2019〕27号 is the source's notice, not this one
    assert draft["submission"]["deadline_wording"] == ""  # “于3月14日前…联系人：林素仙” neither
    assert draft["submission"]["recipient"] == "局机关纪委（监察室）"  # a recipient most offices share stays
    assert draft["pledge"]["title"] == "反对“挈篮子”承诺书"
    # Saved as it is, the new template's id carries this year, not the source's 2019
    saved = template_service.save_template(session, draft, today=dt.date(2026, 12, 7))
    assert saved.template.id.endswith("-2026") and saved.template.document_number == ""


def test_a_new_template_gets_an_id_from_its_issuer_and_is_audited(session):
    saved = template_service.save_template(session, hubei_draft(session), based_on="pingyang-2019 第1版",
                                           today=dt.date(2025, 3, 1))
    assert saved.created and saved.template.id == "hbszfhcxjst-2025" and saved.template.version == 1
    info = template_service.template_info(session, saved.template.id)
    assert (info.origin, info.published, info.editable, info.based_on) == ("本室制定", False, True, "pingyang-2019 第1版")
    entries = audit.entries(session.store, table="office_template", record_id=saved.template.id)
    assert [e.action for e in entries] == ["insert", "insert"] and entries[0].operator == "测试员"
    assert template_service.get_template(session, saved.template.id).signing_rule.is_key_post("施工许可证核发窗口") == "施工许可"


def test_an_incomplete_draft_is_refused_with_every_problem_and_nothing_written(session):
    draft = hubei_draft(session)
    draft["lists"][0]["items"] = []
    draft["pledge"]["signer_label"] = ""
    with pytest.raises(DraftRejected) as caught:
        template_service.save_template(session, draft)
    assert [p.path for p in caught.value.problems] == [("lists", 0, "items"), ("pledge", "signer_label")]
    assert "（另有1处问题）" in str(caught.value)
    assert rows(session, "office_template") == 0


def test_a_draft_is_edited_in_place_until_a_campaign_publishes_it_then_versions_follow(session):
    office_service.enable_office_mode(session, OFFICE_NAME)
    first = template_service.save_template(session, hubei_draft(session)).template
    draft = template_service.draft_of(session, first.id)
    draft["pledge"]["closing"] = "请组织监督。"
    edited = template_service.save_template(session, draft)
    assert (edited.template.version, edited.new_version, edited.changed) == (1, False, True)
    assert rows(session, "office_template_version") == 1
    change = audit.entries(session.store, table="office_template", record_id=first.id)[0]
    assert (change.field, change.old_value, change.new_value) == ("承诺书 · 结尾", "以上承诺敬请监督。", "请组织监督。")

    campaign = campaign_service.create_campaign(session, template_id=first.id, deadline=DEADLINE)
    assert template_service.template_info(session, first.id).published
    assert template_service.template_info(session, first.id).published_as == f"行动{campaign.quoted_title}"

    draft = template_service.draft_of(session, first.id)
    assert template_service.save_template(session, draft).changed is False  # nothing changed: no version
    draft["signing_rule"]["key_posts"].append("质量监督")
    second = template_service.save_template(session, draft)
    assert (second.template.version, second.new_version) == (2, True)
    # the campaign keeps the version it was created with; a new one takes the newest
    kept = campaign_service.get_campaign(session, campaign.id)
    assert (kept.template_version, kept.template.signing_rule.key_posts) == (1, ("施工许可", "资质审批"))
    assert kept.template.pledge.closing == "请组织监督。"
    newer = campaign_service.create_campaign(session, template_id=first.id, deadline=DEADLINE)
    assert newer.template_version == 2 and "质量监督" in newer.template.signing_rule.key_posts
    assert [s.template.version for s in template_service.template_versions(session, first.id)] == [2, 1]
    assert template_service.get_template(session, first.id, 1).signing_rule.key_posts == ("施工许可", "资质审批")
    with pytest.raises(InputRejected, match="没有第7版"):
        template_service.get_template(session, first.id, 7)


def test_shipped_templates_cannot_be_saved_over(session):
    with pytest.raises(InputRejected, match="不是本室制定的模板"):
        template_service.draft_of(session, "pingyang-2019")
    draft = template_service.new_draft(session, "pingyang-2019")
    draft["id"] = "pingyang-2019"
    with pytest.raises(InputRejected, match="不是本室制定的模板"):
        template_service.save_template(session, draft)


def test_export_publishes_and_import_shares_between_offices(session, tmp_path):
    made = template_service.save_template(session, hubei_draft(session)).template
    path = template_service.export_template(session, made.id, tmp_path)
    assert path.name == "政策模板_湖北住建三清单一承诺行动_第1版.toml" and template_service.template_info(session, made.id).published

    other = installation(tmp_path, pytest.MonkeyPatch(), "other-office", "另一纪委")
    result = template_service.import_template(other.session, path)
    assert result.outcome is ImportOutcome.NEW and result.template.id == made.id
    info = template_service.template_info(other.session, made.id)
    assert (info.origin, info.published) == ("导入", True)
    assert template_service.import_template(other.session, path).outcome is ImportOutcome.UNCHANGED

    # the first office changes its template: version 2 goes across as version 2
    draft = template_service.draft_of(session, made.id)
    draft["pledge"]["title"] = "廉洁承诺书"
    assert template_service.save_template(session, draft).template.version == 2
    path2 = template_service.export_template(session, made.id, tmp_path / "v2.toml")
    assert template_service.import_template(other.session, path2).outcome is ImportOutcome.NEW_VERSION
    assert template_service.get_template(other.session, made.id).pledge.title == "廉洁承诺书"
    # the older file again: refused, nothing written
    before = rows(other.session, "office_template_version")
    old_edited = tmp_path / "old.toml"
    old_edited.write_text(path.read_text(encoding="utf-8").replace("湖北住建", "湖南住建"), encoding="utf-8")
    with pytest.raises(InputRejected, match="第1版，内容与文件中的不同"):
        template_service.import_template(other.session, old_edited)
    assert rows(other.session, "office_template_version") == before
    other.session.close()


@pytest.mark.parametrize("template_id", ["pingyang-2019", "hubei-zhujian", "mouqu", "shenyang-2019", "xuchang-renfang"])
def test_every_seed_template_round_trips_through_export_and_import(session, tmp_path, template_id):
    original = template_service.get_template(session, template_id)
    path = template_service.export_template(session, template_id, tmp_path)
    # the same id again: the shipped template is there already, unchanged
    assert template_service.import_template(session, path).outcome is ImportOutcome.UNCHANGED
    # under a new id it is stored in the database and reads back unchanged
    copy = tmp_path / "copy.toml"
    copy.write_text(path.read_text(encoding="utf-8").replace(f'id = "{template_id}"', 'id = "copied"'), encoding="utf-8")
    imported = template_service.import_template(session, copy).template
    assert template_snapshot(imported) == {**template_snapshot(original), "id": "copied"}
    assert template_toml(imported).replace('"copied"', f'"{template_id}"') == template_toml(original)


def test_a_shipped_id_with_other_content_is_refused(session, tmp_path):
    path = template_service.export_template(session, "pingyang-2019", tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("以上承诺敬请监督。", "以上承诺请监督。"), encoding="utf-8")
    with pytest.raises(InputRejected, match="是程序自带模板的编号，而内容不同"):
        template_service.import_template(session, path)
    assert rows(session, "office_template") == 0


def test_a_deleted_template_leaves_the_list_keeps_its_id_and_comes_back_on_import(session, tmp_path):
    made = template_service.save_template(session, hubei_draft(session)).template
    path = template_service.export_template(session, made.id, tmp_path)
    template_service.delete_template(session, made.id)
    assert made.id not in [i.template.id for i in template_service.list_templates(session)]
    again = template_service.save_template(session, hubei_draft(session)).template
    assert again.id == f"{made.id}-2"
    assert template_service.import_template(session, path).outcome is ImportOutcome.UNCHANGED
    assert made.id in [i.template.id for i in template_service.list_templates(session)]


# --------------------------------------------------------------------------- through the 任务包 to a unit


def test_the_edited_template_travels_in_the_task_file_and_decides_at_the_unit(tmp_path, monkeypatch):
    office = installation(tmp_path, monkeypatch, "office", "纪委干部")
    with office.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
        made = template_service.save_template(session, hubei_draft(session)).template
        campaign_service.create_campaign(session, template_id=made.id, deadline=DEADLINE)
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    assert campaign_file.read_campaign_file(task).campaign.template.id == made.id
    content = json.loads(zipfile.ZipFile(task).read(campaign_file.MEMBER))
    assert content["format_version"] == 2  # synonyms need a reader that knows them
    assert content["campaign"]["template_id"] == made.id and content["campaign"]["template_version"] == 1

    unit = installation(tmp_path, monkeypatch, "unit", "内勤")
    with unit.active() as session:
        unit_service.save_unit(session, name="质监站", kind=unit_service.kind_from_text("站"), leader="林主任")
        for member in (
            StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作"),
            StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"),  # a key post at Pingyang, not here
            StaffMember("王䶮", RankCategory.STAFF, post="施工许可证核发"),  # a synonym of 施工许可
            StaffMember("张伟", RankCategory.STAFF, post="资质审批"),
        ):
            roster_service.add_staff(session, member)
        package_service.import_campaign_file(session, task)
        campaign = campaign_service.require_campaign(session)
        assert campaign.template == template_service.active_template(session)
        assert campaign.template.lists[1].items == tuple(hubei_draft(session)["lists"][1]["items"])
        must_sign = {row.name: row.rule_reason for row in pledge_service.list_pledges(session) if row.required}
        assert must_sign == {"单建国": "中层干部", "王䶮": "重点岗位：施工许可", "张伟": "重点岗位：资质审批"}
        letters = document_service.filing_document_data(session)
        text = _pdf_text(document_service.render_document(letters, "pledges", "pdf"))
        assert "本人承诺不“挈篮子”。" in text
    office.session.close()
    unit.session.close()


def test_a_plain_template_still_goes_out_as_format_1(tmp_path, monkeypatch):
    office = installation(tmp_path, monkeypatch, "office", "纪委干部")
    with office.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
        draft = hubei_draft(session)
        draft["signing_rule"].pop("synonyms")
        made = template_service.save_template(session, draft).template
        campaign_service.create_campaign(session, template_id=made.id, deadline=DEADLINE)
        task, _fingerprint = office_service.export_campaign_file(session, tmp_path)
    assert json.loads(zipfile.ZipFile(task).read(campaign_file.MEMBER))["format_version"] == 1
    office.session.close()


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).replace("\n", "")
