"""The shipped policy templates against the seeds, and loading templates from files."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import opencc
import pytest

from qingqing_desktop import install_paths
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.store import policy_templates
from qingqing_desktop.store.policy_templates import (
    DEFAULT_TEMPLATE_ID,
    available_templates,
    get_template,
    load_template,
    scan_templates,
)

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
FORMS = install_paths.forms_dir()
SHIPPED_IDS = {"pingyang-2019", "mouqu", "xuchang-renfang", "hubei-zhujian", "shenyang-2019"}
SEED_OF = {
    "pingyang-2019": "000",
    "mouqu": "001",
    "xuchang-renfang": "002",
    "hubei-zhujian": "003",
    "shenyang-2019": "004",
}


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Never read the real user's data folder: its forms/ could hold anything."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    return data


def seed_text(number: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} not present (tests compare the templates with the shared seeds)")
    matches = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not matches:
        pytest.skip(f"seed {number} not present in {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


def default() -> PolicyTemplate:
    return load_template(FORMS / f"{DEFAULT_TEMPLATE_ID}.toml")


def all_texts(template: PolicyTemplate) -> list[str]:
    texts = []
    for policy_list in template.lists:
        texts += [policy_list.title, policy_list.intro, *policy_list.items, *policy_list.notes]
    pledge = template.pledge
    texts += [pledge.title, pledge.preamble, *pledge.items, pledge.closing]
    texts += [pledge.unit_post_label, pledge.signer_label, pledge.scope, pledge.content]
    texts += list(template.signing_rule.key_posts)
    table = template.summary_table
    texts += [table.attachment_label, table.title, *table.columns, table.unit_label, table.instructions]
    check = template.self_check
    texts += [check.attachment_label, check.title, *check.columns, check.unit_label, check.leader_label]
    texts += [*check.rows, check.instructions]
    texts += [template.pledge_attachment_label, template.recipient, template.deadline_wording]
    texts += [template.name, template.issuer, template.document_number]
    return [text for text in texts if text]


# --------------------------------------------------------------------------- seed 000, word for word


def _seed_lines(seed: str) -> list[str]:
    return [line.strip() for line in seed.splitlines()]


def _numbered_items(lines: list[str], start: str, stop: str) -> list[str]:
    """The （n） items between the heading line ``start`` and the line ``stop``, numbering removed."""
    first = lines.index(start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(stop))
    items = []
    for line in lines[first + 1 : last]:
        match = re.match(r"^（(\d+)）(.*)$", line)
        if match:
            assert int(match.group(1)) == len(items) + 1, f"seed numbering skipped at {line[:20]}"
            items.append(match.group(2))
    return items


def test_default_lists_equal_the_seed_item_for_item():
    lines = _seed_lines(seed_text("000"))
    template = default()
    positive = _numbered_items(lines, "1．我局及其工作人员政商交往“正面清单”", "2．")
    negative = _numbered_items(lines, "2．我局及其工作人员政商交往“负面清单”", "3．")
    guidance = _numbered_items(lines, "3．清廉民企建设“引导清单”", "（二）")
    assert (len(positive), len(negative), len(guidance)) == (7, 10, 7)
    assert [pl.key for pl in template.lists] == ["positive", "negative", "guidance"]
    assert template.list_by_key("positive").items == tuple(positive)
    assert template.list_by_key("negative").items == tuple(negative)
    assert template.list_by_key("guidance").items == tuple(guidance)
    assert template.list_by_key("positive").title == "我局及其工作人员政商交往“正面清单”"
    assert template.list_by_key("guidance").intro == "推进清廉民企建设，引导民营企业和企业家自觉做到："
    assert template.list_by_key("positive").notes == (
        "参加第（4）、（5）、（6）条所述活动，需经批准并符合中央八项规定精神和相关公务管理规定。",
    )
    # Positive item 1 is followed by a run of spaces in the seed; the template has none.
    assert not positive[0].endswith(" ") and template.lists[0].items[0].endswith("办理。")


def test_default_pledge_equals_the_seed():
    lines = _seed_lines(seed_text("000"))
    template = default()
    start = lines.index("附件1：")
    end = lines.index("以上承诺敬请监督。")
    pledge_items = [m.group(2) for line in lines[start:end] if (m := re.match(r"^(\d)．(.*)$", line))]
    assert len(pledge_items) == 4
    assert template.pledge.items == tuple(pledge_items)
    assert [item[-1] for item in template.pledge.items] == ["；", "；", "；", "。"]
    assert template.pledge.title == lines[start + 1] == "反对“挈篮子”承诺书"
    assert template.pledge.preamble == lines[start + 3]
    assert template.pledge.closing == "以上承诺敬请监督。"
    assert template.pledge.unit_post_label == "承诺人单位及职务："
    assert template.pledge.signer_label == "承\u3000\u3000诺\u3000\u3000人："
    assert template.pledge.signer_label in lines
    scope = next(line for line in lines if line.startswith("1．承诺对象。"))
    content = next(line for line in lines if line.startswith("2．承诺内容。"))
    assert scope == "1．承诺对象。" + template.pledge.scope
    assert content == "2．承诺内容。" + template.pledge.content
    assert template.pledge_attachment_label == "附件1"


def test_default_key_posts_are_the_eight_of_the_seed():
    template = default()
    scope = template.pledge.scope
    named = scope.split("从事", 1)[1].split("的一般工作人员", 1)[0].split("、")
    assert len(named) == 8
    assert template.signing_rule.key_posts == tuple(named)
    assert template.signing_rule.all_middle_cadres is True
    assert template.signing_rule.previously_submitted_exempt is True
    assert template.signing_rule.is_key_post("负责质量监管工作") == "质量监管"


def test_default_tables_equal_the_seed():
    seed = seed_text("000")
    raw_lines = seed.splitlines()
    lines = _seed_lines(seed)
    template = default()

    summary_start = lines.index("附件2：")
    assert lines[summary_start + 1] == template.summary_table.title
    header_cells = [line.strip() for line in raw_lines[summary_start:] if line.startswith("\t") and line.strip()]
    assert template.summary_table.columns == tuple(header_cells[:5])
    assert lines[summary_start + 3].startswith(template.summary_table.unit_label)
    instructions = next(line for line in lines if line.startswith("填报说明："))
    assert template.summary_table.instructions == instructions
    assert template.summary_table.attachment_label == "附件2"

    check_start = lines.index("附件3：")
    assert lines[check_start + 1] == template.self_check.title == "“三清单一承诺”自查表"
    header = lines[check_start + 3]
    assert header.startswith(template.self_check.unit_label)
    assert template.self_check.leader_label in header
    cells = [line.strip() for line in raw_lines[check_start:] if line.startswith("\t") and line.strip()]
    assert template.self_check.columns == tuple(cells[:5])
    assert template.self_check.rows == tuple(cells[5:])
    assert len(template.self_check.rows) == 3
    instructions = next(line for line in lines if line.startswith("填表说明："))
    assert template.self_check.instructions == instructions
    assert template.self_check.attachment_label == "附件3"


def test_default_submission_and_identity_come_from_the_seed():
    lines = _seed_lines(seed_text("000"))
    template = default()
    assert template.id == DEFAULT_TEMPLATE_ID == "pingyang-2019"
    assert template.name == "平阳县住房和城乡建设局“三清单一承诺”行动（2019）"
    assert template.document_number == "平住建发〔2019〕27号" and template.document_number in lines
    assert template.issuer in lines
    deadline = next(line for line in lines if line.startswith("附件1、2、3，于3月14日前"))
    assert template.deadline_wording == deadline
    assert "(其中附件2还需报送电子版)" in template.deadline_wording  # the seed's ASCII parentheses
    assert "136470103@qq.com,传真号码" in template.deadline_wording  # and its stray ASCII comma
    assert template.recipient == "局机关纪委（监察室）" and template.recipient in deadline
    assert template.default_deadline == "2019-03-14"
    assert template.version >= 1


def test_every_default_text_appears_verbatim_in_the_seed():
    seed = seed_text("000")
    stripped_lines = {line.strip() for line in seed.splitlines()}
    template = default()
    for text in all_texts(template):
        if text == template.name:
            continue  # the template's display name is editorial (the seed has only the 方案's long title)
        assert text in seed, f"not in seed 000: {text}"
        assert text == text.strip()
    # Whole-line texts are whole lines of the seed, not fragments of one.
    for text in [template.pledge.preamble, *template.self_check.rows, template.deadline_wording]:
        assert text in stripped_lines
    for number, text in enumerate(template.pledge.items, start=1):
        assert f"{number}．{text}" in stripped_lines


# --------------------------------------------------------------------------- the other seeds


def _load_cleaner():
    path = REPO / "tools" / "clean_seed_001.py"
    spec = importlib.util.spec_from_file_location("clean_seed_001", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _squash(text: str) -> str:
    # Seeds 003 has page breaks inside words and markdown bold; the lists were
    # extracted without them, so compare with both removed on both sides.
    return re.sub(r"\s+", "", text.replace("**", ""))


@pytest.mark.parametrize("template_id", sorted(SHIPPED_IDS - {DEFAULT_TEMPLATE_ID}))
def test_other_templates_lists_are_taken_from_their_seed(template_id):
    seed = seed_text(SEED_OF[template_id])
    if template_id == "mouqu":
        seed = _load_cleaner().clean(seed)
    squashed = _squash(seed)
    template = load_template(FORMS / f"{template_id}.toml")
    for policy_list in template.lists:
        for text in [policy_list.intro, *policy_list.items, *policy_list.notes]:
            if text:
                assert _squash(text) in squashed, f"{template_id}: not in seed: {text}"
    assert template.document_number == ""


@pytest.mark.parametrize(
    "template_id, counts",
    [
        ("mouqu", {"positive": 3, "negative": 7, "enterprise": 6}),
        ("xuchang-renfang", {"positive": 8, "negative": 9}),
        ("hubei-zhujian", {"positive": 5, "negative": 13, "enterprise": 6}),
        ("shenyang-2019", {"positive": 10, "negative": 10}),
    ],
)
def test_other_templates_item_counts(template_id, counts):
    template = load_template(FORMS / f"{template_id}.toml")
    assert {pl.key: len(pl.items) for pl in template.lists} == counts


def test_mouqu_is_clean_simplified_text():
    template = load_template(FORMS / "mouqu.toml")
    converter = opencc.OpenCC("t2s")
    pinyin = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
    own_texts = [template.name, template.issuer]
    for policy_list in template.lists:
        own_texts += [policy_list.title, policy_list.intro, *policy_list.items, *policy_list.notes]
    for text in filter(None, own_texts):
        assert converter.convert(text) == text, f"Traditional characters left: {text}"
        assert not pinyin.search(text), f"pinyin annotation left: {text}"
        assert "?" not in text and "</" not in text, f"garbled text left: {text}"
    # The data lines of the file too (its comments quote the damage as an example).
    data_lines = [
        line for line in (FORMS / "mouqu.toml").read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    assert not pinyin.search("\n".join(data_lines))


def test_seed_001_cleaner_removes_only_pinyin_parentheses():
    cleaner = _load_cleaner()
    assert cleaner.PINYIN_ANNOTATION.sub("", "某區(qū)關(guān)於(1)(含個體工商戶)PPP(備案、核準(zhǔn))") == (
        "某區關於(1)(含個體工商戶)PPP(備案、核準)"
    )


# --------------------------------------------------------------------------- shipped templates


def test_every_shipped_template_loads_and_validates():
    files = sorted(FORMS.glob("*.toml"))
    assert {path.stem for path in files} == SHIPPED_IDS
    for path in files:
        template = load_template(path)
        assert template.id == path.stem
        assert template.source == str(path)
        assert template.lists and all(pl.items for pl in template.lists)
        assert len(template.self_check.rows) == 3
    scan = scan_templates()
    assert scan.problems == ()
    assert {t.id for t in scan.templates} == SHIPPED_IDS


def test_available_templates_put_the_default_first():
    templates = available_templates()
    assert templates[0].id == DEFAULT_TEMPLATE_ID
    assert {t.id for t in templates} == SHIPPED_IDS


def test_inheriting_templates_take_the_default_pledge_and_tables():
    base = default()
    for template_id in SHIPPED_IDS - {DEFAULT_TEMPLATE_ID}:
        template = get_template(template_id)
        assert template.extends == DEFAULT_TEMPLATE_ID
        assert template.pledge == base.pledge
        assert template.pledge_attachment_label == base.pledge_attachment_label
        assert template.signing_rule == base.signing_rule
        assert template.summary_table == base.summary_table
        assert template.self_check.rows == base.self_check.rows
        assert template.recipient == base.recipient
        # Pingyang's deadline, contact person and list of its sections do not travel.
        assert template.deadline_wording == "" and template.default_deadline == ""
        assert template.self_check.instructions == ""
        # Own identity and own lists.
        assert template.name != base.name and template.document_number == ""
        assert template.lists != base.lists


def test_get_template_unknown_lists_the_ids():
    with pytest.raises(InputRejected) as caught:
        get_template("nowhere-2030")
    message = str(caught.value)
    assert "nowhere-2030" in message
    for template_id in SHIPPED_IDS:
        assert template_id in message


# --------------------------------------------------------------------------- files in tmp_path


MINIMAL_CHILD = """\
id = "{id}"
extends = "pingyang-2019"
name = "测试县“三清单一承诺”"
issuer = "测试县住建局"
version = 3
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_inherits_everything_not_defined(tmp_path):
    path = write(tmp_path, "testxian-2024.toml", MINIMAL_CHILD.format(id="testxian-2024"))
    template = load_template(path)
    base = default()
    assert template.id == "testxian-2024" and template.version == 3
    assert template.lists == base.lists
    assert template.pledge == base.pledge
    assert template.deadline_wording == base.deadline_wording
    assert template.document_number == ""


def test_extends_a_sibling_file_and_chains(tmp_path):
    write(tmp_path, "mid.toml", MINIMAL_CHILD.format(id="mid") + '\n[self_check]\ninstructions = "填表说明：中间。"\n')
    child = write(
        tmp_path,
        "leaf.toml",
        'id = "leaf"\nextends = "mid"\nname = "叶"\nissuer = "叶局"\nversion = 1\n'
        '[pledge]\nclosing = "请监督。"\n',
    )
    template = load_template(child)
    assert template.self_check.instructions == "填表说明：中间。"
    assert template.pledge.closing == "请监督。"
    assert template.pledge.items == default().pledge.items


def test_extends_cycle_is_refused(tmp_path):
    write(tmp_path, "a.toml", 'id = "a"\nextends = "b"\nname = "甲"\nissuer = "甲"\nversion = 1\n')
    path = write(tmp_path, "b.toml", 'id = "b"\nextends = "a"\nname = "乙"\nissuer = "乙"\nversion = 1\n')
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    assert "循环" in str(caught.value) and "extends" in str(caught.value)


def test_extends_unknown_template_is_named(tmp_path):
    path = write(tmp_path, "x.toml", MINIMAL_CHILD.format(id="x").replace("pingyang-2019", "atlantis-1999"))
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    message = str(caught.value)
    assert "atlantis-1999" in message and "x.toml" in message and "extends" in message
    assert DEFAULT_TEMPLATE_ID in message


def test_toml_syntax_error_names_file_and_line(tmp_path):
    text = MINIMAL_CHILD.format(id="broken") + '\n[pledge]\ntitle = 反对“挈篮子”承诺书\n'
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    error = caught.value
    assert str(path) in str(error)
    assert error.location.row == 8
    assert "第8行" in str(error) and "TOML" in str(error)


def test_unclosed_string_at_end_of_file_is_reported(tmp_path):
    path = write(tmp_path, "eof.toml", 'id = "eof"\nname = """never closed\n')
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    assert "eof.toml" in str(caught.value) and "TOML" in str(caught.value)


def test_missing_section_without_extends_names_file_and_section(tmp_path):
    text = MINIMAL_CHILD.format(id="alone").replace('extends = "pingyang-2019"\n', "")
    text += '[[lists]]\nkey = "positive"\ntitle = "正面清单"\nitems = ["一。"]\n'
    path = write(tmp_path, "alone.toml", text)
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    message = str(caught.value)
    assert "alone.toml" in message and "[submission]" in message and "extends" in message


def test_wrong_type_names_file_and_key(tmp_path):
    text = MINIMAL_CHILD.format(id="wrongtype") + '\n[pledge]\nitems = "不以指定……"\n'
    path = write(tmp_path, "wrongtype.toml", text)
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    assert "wrongtype.toml" in str(caught.value) and "pledge.items" in str(caught.value)


@pytest.mark.parametrize("rows", ['["一", "二"]', '["一", "二", "三", "四"]'])
def test_self_check_row_count_names_file_and_key(tmp_path, rows):
    text = MINIMAL_CHILD.format(id="rows") + f"\n[self_check]\nrows = {rows}\n"
    path = write(tmp_path, "rows.toml", text)
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    assert "rows.toml" in str(caught.value) and "self_check.rows" in str(caught.value)


def test_id_must_match_file_name(tmp_path):
    path = write(tmp_path, "one-name.toml", MINIMAL_CHILD.format(id="other-name"))
    with pytest.raises(InputRejected) as caught:
        load_template(path)
    assert "one-name.toml" in str(caught.value) and "other-name.toml" in str(caught.value)


def test_file_with_bom_loads_and_non_utf8_is_refused(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_CHILD.format(id="bom").encode("utf-8"))
    assert load_template(path).id == "bom"
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(MINIMAL_CHILD.format(id="gbk").encode("gbk"))
    with pytest.raises(InputRejected) as caught:
        load_template(gbk)
    assert "UTF-8" in str(caught.value) and "gbk.toml" in str(caught.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputRejected) as caught:
        load_template(tmp_path / "nothing.toml")
    assert "nothing.toml" in str(caught.value)


# --------------------------------------------------------------------------- the user's data folder


def test_template_in_user_data_folder_is_found(isolated_data_dir):
    write(isolated_data_dir / "forms", "newplace-2024.toml", MINIMAL_CHILD.format(id="newplace-2024"))
    assert policy_templates.user_forms_dir() == isolated_data_dir / "forms"
    ids = [t.id for t in available_templates()]
    assert "newplace-2024" in ids and ids[0] == DEFAULT_TEMPLATE_ID
    template = get_template("newplace-2024")
    assert template.issuer == "测试县住建局"
    assert template.source == str(isolated_data_dir / "forms" / "newplace-2024.toml")
    assert template.pledge == default().pledge


def test_user_template_can_extend_another_user_template(isolated_data_dir):
    forms = isolated_data_dir / "forms"
    write(forms, "base-user.toml", MINIMAL_CHILD.format(id="base-user") + '\n[pledge]\nclosing = "敬请监督。"\n')
    write(forms, "leaf-user.toml", MINIMAL_CHILD.format(id="leaf-user").replace("pingyang-2019", "base-user"))
    assert get_template("leaf-user").pledge.closing == "敬请监督。"


def test_broken_user_template_is_a_problem_not_a_crash(isolated_data_dir):
    forms = isolated_data_dir / "forms"
    write(forms, "bad-place.toml", MINIMAL_CHILD.format(id="bad-place") + "\n[self_check]\nrows = []\n")
    templates = available_templates()
    assert {t.id for t in templates} == SHIPPED_IDS
    scan = scan_templates()
    assert len(scan.problems) == 1 and "bad-place.toml" in str(scan.problems[0])
    with pytest.raises(InputRejected) as caught:
        get_template("bad-place")
    assert "self_check.rows" in str(caught.value)


def test_user_file_cannot_shadow_a_shipped_template(isolated_data_dir):
    forms = isolated_data_dir / "forms"
    text = (FORMS / "pingyang-2019.toml").read_text(encoding="utf-8").replace("version = 1", "version = 9")
    write(forms, "pingyang-2019.toml", text)
    template = get_template(DEFAULT_TEMPLATE_ID)
    assert template.source == str(FORMS / "pingyang-2019.toml") and template.version == 1
    problems = scan_templates().problems
    assert len(problems) == 1 and "重复" in str(problems[0])


def test_no_user_forms_folder_is_fine(isolated_data_dir):
    assert not (isolated_data_dir / "forms").exists()
    assert {t.id for t in available_templates()} == SHIPPED_IDS
