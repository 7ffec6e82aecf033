"""报送包 format: written and read back; every kind of damage or inconsistency refused with a reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.office import FilingCounts
from qingqing_desktop.domain.pledge import check_scan
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.exchange.filing_package import (
    DATA_MEMBER,
    KIND,
    PackageContent,
    package_file_name,
    read_filing_package,
    short_title,
    write_filing_package,
)
from qingqing_desktop.exchange.keys import SigningKey
from qingqing_desktop.exchange.signed_container import (
    MANIFEST_NAME,
    RESERVED_HEADER_KEYS,
    SIGNATURE_NAME,
    PackageRejected,
    read_container,
    write_container,
)
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID, get_template
from tools.bench_package_import import synthetic_content

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
PDF = b"%PDF-1.4\n% test document\n%%EOF\n"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    template = get_template(DEFAULT_TEMPLATE_ID)
    return Campaign(id=new_id(), title=template.name, document_number=template.document_number,
                    deadline=dt.date(2019, 3, 14), recipient=template.recipient, template_id=template.id,
                    template_version=template.version, template=template)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


def content_with_scan(campaign: Campaign) -> PackageContent:
    content = synthetic_content(campaign, index=7, people=6, documents={"附件2_汇总表_第7分局_2019.pdf": PDF})
    snapshot = json.loads(json.dumps(content.snapshot))
    signed = next(p for p in snapshot["pledges"] if p["status"] == "已签订")
    scan = check_scan(PNG, "签字页.png")
    signed["scan_sha256"] = scan.sha256
    from qingqing_desktop.domain.filing import content_sha256  # noqa: PLC0415

    return PackageContent(snapshot, content_sha256(snapshot), content.finalized_at, content.finalized_by,
                          content.rectification, {signed["staff_id"]: scan}, content.documents)


@pytest.fixture
def package_path(tmp_path, campaign, key) -> Path:
    path = tmp_path / "报送包.qqpkg"
    write_filing_package(path, content_with_scan(campaign), sequence=3, key=key)
    return path


def test_written_and_read_back(package_path, campaign, key):
    package = read_filing_package(package_path)
    assert package.fingerprint == key.fingerprint and package.container.kind == KIND
    assert package.unit["name"] == "第7分局" and package.campaign["id"] == campaign.id
    assert (package.revision, package.sequence) == (1, 3)
    assert package.counts == FilingCounts(people=6, pledges_required=4, pledges_signed=5, pledges_outstanding=0,
                                          findings=2, findings_open=1, findings_done=1, pledges_signed_unrequired=1)
    # The signed header has only the counts every version checks: an older one refuses unknown items.
    assert set(package.manifest["counts"]) == {"people", "pledges_required", "pledges_signed",
                                               "pledges_outstanding", "findings", "findings_open", "findings_done"}
    assert package.documents == ("附件2_汇总表_第7分局_2019.pdf",)
    staff_id, member = next(iter(package.scan_members().items()))
    assert member == f"scans/{staff_id}.png" and package.container.member(member) == PNG
    assert set(package.stored_members()) == {member, "附件2_汇总表_第7分局_2019.pdf"}
    assert package.data_sha256 == hashlib.sha256(package.container.member(DATA_MEMBER)).hexdigest()


def test_file_names_are_fit_for_windows():
    assert package_file_name("技术科", "平阳县住房和城乡建设局“三清单一承诺”行动（2019）", 2, "平阳县住房和城乡建设局") == \
        "报送包_技术科_三清单一承诺行动（2019）_第2版.qqpkg"
    assert short_title("关于开展“三清单一承诺”行动的实施方案") == "三清单一承诺行动的实施方案"


@pytest.mark.parametrize("title, expected", [
    # 20 characters would end inside the bracket: the cut falls back before it
    ("关于开展反对挈篮子专项行动（三清单一承诺及警示教育工作）的通知", "反对挈篮子专项行动"),
    # 20 characters would end on a pause mark: it goes
    ("关于开展廉政风险排查、三清单一承诺、反对挈篮子、警示教育的通知", "廉政风险排查、三清单一承诺、反对挈篮子"),
    # a bracket closed inside the cut stays
    ("关于开展（2019）三清单一承诺暨反对挈篮子专项整治行动的通知", "（2019）三清单一承诺暨反对挈篮子专项"),
])
def test_a_short_title_is_never_cut_inside_a_bracket_or_after_a_pause_mark(title, expected):
    short = short_title(title)
    assert short == expected
    assert len(short) <= 20
    assert short.count("（") == short.count("）") and not short.endswith(("、", "，"))


# ----------------------------------------------------------------------------- damage to the file


def test_every_flipped_byte_is_refused(package_path):
    """Every byte position: the damaged file is refused. The content is covered by the signed
    hashes, the zip's bookkeeping (timestamps, “version made by”, attributes...) by the
    canonical-form check, so no byte is left that a reader would ignore."""
    data = package_path.read_bytes()
    read_filing_package(package_path)
    for offset in range(len(data)):
        damaged = bytearray(data)
        damaged[offset] ^= 0x40
        with pytest.raises(InputRejected):
            read_filing_package(bytes(damaged), display_name="x.qqpkg")


def _rezip(source: Path, target: Path, *, drop=(), add=None, rename=None) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            name = (rename or {}).get(info.filename, info.filename)
            new.writestr(name, old.read(info.filename))
        for name, data in (add or {}).items():
            new.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"drop": ("附件2_汇总表_第7分局_2019.pdf",)}, "missing_member"),
        ({"add": {"extra.pdf": PDF}}, "extra_member"),
        ({"rename": {"附件2_汇总表_第7分局_2019.pdf": "附件2.pdf"}}, "missing_member"),
        ({"add": {"../evil.txt": b"x"}}, "bad_member_name"),
        ({"add": {"scans/../../x.png": PNG}}, "bad_member_name"),
        ({"drop": (SIGNATURE_NAME,)}, "missing_signature"),
        ({"drop": (MANIFEST_NAME,)}, "missing_manifest"),
    ],
)
def test_members_removed_added_renamed_or_escaping_are_refused(package_path, tmp_path, change, code):
    target = tmp_path / "changed.qqpkg"
    _rezip(package_path, target, **change)
    with pytest.raises(PackageRejected) as caught:
        read_filing_package(target)
    assert caught.value.code == code
    assert "changed.qqpkg" in str(caught.value)


# ----------------------------------------------------------------------------- validly signed, wrong inside


def _resign(source: Path, target: Path, key: SigningKey, *, data=None, header=None, members=None) -> None:
    """Re-sign a package with changed data.json / header / members: the signature is valid,
    so only the content checks can catch it (as when someone builds a package by hand)."""
    container = read_container(source, expected_kind=KIND)
    content = json.loads(container.member(DATA_MEMBER))
    head = {k: v for k, v in container.manifest.items() if k not in RESERVED_HEADER_KEYS}
    files = {name: container.member(name) for name in container.member_names}
    if data:
        data(content)
    if header:
        header(head)
    files[DATA_MEMBER] = json.dumps(content, ensure_ascii=False).encode("utf-8")
    if members:
        members(files)
    write_container(target, kind=KIND, members=files, header=head, key=key)


def _set(path: str, value):
    def change(content):
        *parents, last = path.split(".")
        node = content
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
    return change


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_set("surprise", 1), "有不认识的项“surprise”"),
        (_set("snapshot.unit.id", "not-a-uuid"), "“定稿内容 › 单位 › 单位编号”不是有效的编号"),
        (_set("snapshot.roster.0.party_member", "是"), "“定稿内容 › 人员名单 › 第1人 › 是否党员”应是 true 或 false"),
        (_set("snapshot.pledges.0.signed_on", "2019-02-30"), "签订日期”不是有效的日期"),
        (_set("snapshot.pledges.0.status", "签了"), "签订状态”应是未签订、已签订、此前已上交、不适用之一"),
        (_set("snapshot.self_check.rows.0.findings.0.problem", ""), "存在问题”不能为空"),
        (_set("snapshot.roster.0.name", "张" * 31), "姓名”超过30个字"),
        (_set("rectification", []), "“整改进展”应是一个对象"),
        (_set("snapshot.self_check", KeyError), "“定稿内容”缺少“自查表”"),
        (_set("format", "other"), "格式标识"),
    ],
)
def test_data_json_is_checked_strictly(package_path, tmp_path, key, data, message):
    target = tmp_path / "bad.qqpkg"
    _resign(package_path, target, key, data=data)
    with pytest.raises(InputRejected, match=message) as caught:
        read_filing_package(target)
    assert "bad.qqpkg" in str(caught.value) and "报送包的填报数据不符合格式" in str(caught.value)
    assert "json" not in str(caught.value).replace("bad.qqpkg", "")  # what it is, not its file's name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"data": _set("snapshot.roster.0.post", "改过了")}, "定稿内容与其内容校验码不符"),
        ({"data": _set("revision", 2)}, "版次不同"),
        ({"header": _set("unit.name", "别的单位")}, "签名信息中的单位与填报数据中的单位不同"),
        ({"header": _set("counts.pledges_signed", 99)}, "统计数与填报数据不符"),
        ({"header": _set("counts", {"people": 1})}, "签名信息不符合格式"),
        ({"data": _set("documents", ["附件2_汇总表_第7分局_2019.pdf", "附件3.pdf"])}, "文书“附件3.pdf”缺失"),
        ({"data": _set("documents", [])}, "没有登记的文件“附件2_汇总表_第7分局_2019.pdf”"),
        ({"members": lambda files: files.update({"附件2_汇总表_第7分局_2019.pdf": b"MZ not a pdf"})},
         "内容与扩展名不符"),
        ({"data": _set("rectification", {})}, "整改进展与自查表的问题对不上"),
        ({"data": _set("scans", {})}, "签字页扫描件与承诺书签订记录对不上"),
    ],
)
def test_header_data_and_members_must_agree(package_path, tmp_path, key, change, message):
    target = tmp_path / "inconsistent.qqpkg"
    _resign(package_path, target, key, **change)
    with pytest.raises(InputRejected, match=message):
        read_filing_package(target)


def test_a_scan_that_is_not_what_it_claims_is_refused(package_path, tmp_path, key):
    def swap_scan(files):
        name = next(n for n in files if n.startswith("scans/"))
        files[name] = b"%PDF-1.4 pretending to be a png"

    target = tmp_path / "scan.qqpkg"
    _resign(package_path, target, key, members=swap_scan)
    with pytest.raises(InputRejected, match="缺失或与登记的校验码不符"):
        read_filing_package(target)


def test_a_package_from_a_newer_version_asks_for_an_upgrade(package_path, tmp_path, key):
    target = tmp_path / "newer.qqpkg"
    _resign(package_path, target, key, data=_set("format_version", 2))
    with pytest.raises(InputRejected, match="由更新版本的亲清填报生成.*请先把亲清填报升级"):
        read_filing_package(target)


def test_other_kinds_are_not_packages(tmp_path, key):
    path = tmp_path / "任务包.qqtask"
    write_container(path, kind="campaign-file", members={"campaign.json": b"{}"}, header={}, key=key)
    with pytest.raises(PackageRejected, match="这是任务包，不是报送包") as caught:
        read_filing_package(path)
    assert caught.value.code == "wrong_kind"
