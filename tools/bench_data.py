"""Synthetic rosters and databases for the speed benchmarks (bench_startup, bench_search, bench_import).

Everything is made through the application's own services — the roster goes in
through the same Excel import a clerk uses — so a database here has exactly the
shape of a real one. Names are deterministic: the same size gives the same people.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Qt offscreen on the tests' 1920×1080 screen: the plugin's own 800×800 would shrink the app's windows
# to fit (settings.fit_to_screen) while a floor's window kept its size.
OFFSCREEN = f"offscreen:configfile={Path(__file__).resolve().parents[1] / 'tests' / 'data' / 'offscreen_screen.json'}"

# Surnames include the ones read differently as surnames (单 shan, 曾 zeng, 解 xie, 区 ou)
# and two-character ones, so sorting meets the hard cases too.
SURNAMES = (
    "张 王 李 赵 刘 陈 杨 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 "
    "肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 单 解 区 仇 欧阳 司马 诸葛"
).split()
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志红喆堃文海燕鹏辉玉萍桂"
KEY_POSTS = ("行政审批", "方案设计技术审查", "房地产市场监管", "建筑市场监管", "规划核实", "竣工验收", "安全监管", "质量监管")
OTHER_POSTS = ("综合文字", "财务", "档案管理", "信息宣传", "后勤保障", "人事")
CADRE_TITLES = ("科长", "副科长", "站长", "副站长")
STAFF_TITLES = ("科员", "主任科员", "一级科员", "办事员")
HEADER = ("序号", "姓名", "职务", "工作岗位/分管工作", "是否党员", "备注")
PLACES = (
    "城东 城西 城南 城北 江东 江西 江南 江北 河东 河西 山前 山后 新城 老城 高新 开发 滨海 临港 "
    "万全 鳌江 水头 萧江 麻步 腾蛟 山门 顺溪 南雁 怀溪 青街 闹村 凤卧 南麂 昆阳 钱仓"
).split()
UNIT_KINDS = ("分局", "所", "站", "科", "队", "中心")
IMPORT_CHUNK = 2500


def person_name(i: int) -> str:
    """Distinct for distinct ``i`` (under 80,000), except that every 500th person shares the name
    of the one before, as two 张伟 may work in one unit."""
    if i % 500 == 1:
        i -= 1
    surname, rest = i % len(SURNAMES), i // len(SURNAMES)
    first = GIVEN[(rest * 11 + surname * 3 + 5) % len(GIVEN)]
    second = GIVEN[(rest * 5 + rest // len(GIVEN) + surname + 17) % len(GIVEN)]
    given = first if rest % 9 == 4 else first + second
    surname = SURNAMES[surname]
    return surname + given


def roster_rows(count: int) -> list[tuple]:
    """``count`` rows of a unit's roster sheet, in HEADER's columns; every sixth person is a cadre."""
    rows = []
    for i in range(count):
        cadre = i % 6 == 0
        if cadre:
            post = f"分管{KEY_POSTS[i % 8]}、{OTHER_POSTS[i % len(OTHER_POSTS)]}"
            title = CADRE_TITLES[i % len(CADRE_TITLES)]
        else:
            post = KEY_POSTS[i % 8] if i % 3 else OTHER_POSTS[i % len(OTHER_POSTS)]
            title = STAFF_TITLES[i % len(STAFF_TITLES)]
        rows.append((i + 1, person_name(i), title, post, "是" if i % 3 else "否", "借调" if i % 97 == 0 else ""))
    return rows


def write_roster_xlsx(path: Path, count: int, *, first: int = 0) -> Path:
    """The roster as a unit keeps it: a title line, the header, then one row per person
    (people ``first`` to ``first + count - 1``)."""
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook()  # not write-only: Excel and WPS write the sheet's dimension, and so does this
    sheet = workbook.active
    sheet.title = "人员名单"
    sheet.append(["技术科人员名单"])
    sheet.append(list(HEADER))
    for row in roster_rows(first + count)[first:]:
        sheet.append(list(row))
    workbook.save(path)
    _use_shared_strings(path)
    return path


_INLINE = re.compile(r'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', re.S)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _use_shared_strings(path: Path) -> None:
    """Store the texts as Excel and WPS do, in one shared string table (openpyxl writes each in its
    cell), so that reading the file costs what reading a clerk's file costs."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{index}</v></c>'

    parts["xl/worksheets/sheet1.xml"] = _INLINE.sub(shared, parts["xl/worksheets/sheet1.xml"].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED_STRINGS_TYPE}" /></Types>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Type="{_SHARED_STRINGS_REL}" Target="sharedStrings.xml" Id="rIdShared" /></Relationships>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def unit_names(count: int) -> list[str]:
    """``count`` distinct unit names such as 城东分局, 城东所, 城东第2站."""
    names = []
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        kind = UNIT_KINDS[(i // len(PLACES)) % len(UNIT_KINDS)]
        round_ = i // (len(PLACES) * len(UNIT_KINDS))
        names.append(f"{place}{kind}" if round_ == 0 else f"{place}第{round_ + 1}{kind}")
    return names


def make_unit_database(path: Path, people: int, *, folder: Path) -> Path:
    """A unit's database: 技术科, ``people`` imported from an Excel roster, and the default campaign."""
    from qingqing_desktop.domain.unit import UnitKind  # noqa: PLC0415
    from qingqing_desktop.services import campaign_service, roster_service, unit_service  # noqa: PLC0415
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415

    os.environ["QINGQING_DATA_DIR"] = str(folder / "data")
    session = open_session(path, operator="基准测试", check_location=False)
    try:
        unit_service.save_unit(session, name="技术科", kind=UnitKind.SECTION, leader="林主任")
        # A sheet holds at most MAX_IMPORT_ROWS rows: bigger rosters come in several files.
        for first in range(0, people, IMPORT_CHUNK):
            count = min(IMPORT_CHUNK, people - first)
            sheet = write_roster_xlsx(folder / f"roster-{first}-{count}.xlsx", count, first=first)
            roster_service.apply_import(session, roster_service.read_import_file(session, sheet))
        campaign_service.create_campaign(session, deadline="2019-03-14")
    finally:
        session.close()
    return path


def make_office_database(path: Path, units: int, *, folder: Path) -> Path:
    """The discipline office's database: ``units`` expected units and a campaign, nothing delivered yet."""
    from qingqing_desktop.services import campaign_service, office_service  # noqa: PLC0415
    from qingqing_desktop.services.session import open_session  # noqa: PLC0415

    os.environ["QINGQING_DATA_DIR"] = str(folder / "data")
    session = open_session(path, operator="基准测试", check_location=False)
    try:
        office_service.enable_office_mode(session, "局机关纪委（监察室）")
        office_service.add_expected_units(session, unit_names(units))
        campaign_service.create_campaign(session, deadline="2019-03-14")
    finally:
        session.close()
    return path


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
