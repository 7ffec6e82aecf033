"""Hostile and wrong files are refused quickly, with a message naming the file.

Every input is built here, byte by byte where needed; no binary fixtures.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib

import openpyxl
import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.exchange import xlsx_guard
from qingqing_desktop.exchange.roster_excel import cell_text, read_roster
from qingqing_desktop.exchange.xlsx_guard import iter_rows_safely, open_workbook_safely

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PKG_REL_NS}">
<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{NS}" count="2" uniqueCount="2"><si><t>姓名</t></si><si><t>职务</t></si></sst>"""
SHEET = f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="{NS}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" t="inlineStr"><is><t>科长</t></is></c></row>
</sheetData></worksheet>"""

BILLION_LAUGHS_DTD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def xlsx_members() -> dict[str, bytes]:
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/sharedStrings.xml": SHARED_STRINGS,
        "xl/worksheets/sheet1.xml": SHEET,
    }
    return {k: v.encode("utf-8") for k, v in members.items()}


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def billion_laughs(xml: str) -> str:
    """The same part with an entity-expansion DOCTYPE and the entity used in a cell."""
    body = xml.split("?>", 1)[1].replace("张三", "&lol9;")
    return BILLION_LAUGHS_DTD + body


def assert_rejected_quickly(path, *fragments, display_name=None, action=None):
    started = time.monotonic()
    with pytest.raises(InputRejected) as info:
        if action:
            action()
        else:
            read_roster(path, display_name=display_name)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert (display_name or path.name) in message
    assert info.value.location.file == (display_name or path.name)
    for fragment in fragments:
        assert fragment in message
    return message


def test_hand_built_workbook_reads(tmp_path):
    path = write_zip(tmp_path / "名单.xlsx", xlsx_members())
    sheet = read_roster(path)
    assert [(r.name, r.title) for r in sheet.rows] == [("张三", "科长")]


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_entity_expansion_xml_is_rejected(tmp_path, member):
    members = xlsx_members()
    members[member] = billion_laughs(members[member].decode("utf-8")).encode("utf-8")
    path = write_zip(tmp_path / "炸弹.xlsx", members)
    assert_rejected_quickly(path, "不安全或损坏的XML")


def test_entity_expansion_is_caught_while_iterating_a_read_only_sheet(tmp_path):
    # A DOCTYPE after the dimension-sniffing part still only fires when rows are parsed.
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = billion_laughs(SHEET).encode("utf-8")
    path = write_zip(tmp_path / "lazy.xlsx", members)

    def iterate():
        wb = open_workbook_safely(path)
        for _ in iter_rows_safely(wb.worksheets[0], display_name=path.name):
            pass

    assert_rejected_quickly(path, "不安全或损坏的XML", action=iterate)


def test_malformed_xml_is_rejected(tmp_path):
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace("</sheetData>", "").encode("utf-8")
    path = write_zip(tmp_path / "坏.xlsx", members)
    assert_rejected_quickly(path, "不安全或损坏的XML")


def _raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, crc, declared uncompressed size)."""
    out = io.BytesIO()
    central = []
    for name, data, method, crc, size in entries:
        encoded = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0, 0x21, crc, len(data), size,
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _zeros_deflated(total: int) -> bytes:
    """A raw deflate stream that really inflates to ``total`` zero bytes, built in milliseconds.

    After a full flush the compressor state is reset, so compressing the same
    chunk again yields the same bytes; the block is repeated instead of recomputed.
    """
    chunk = 1 << 20
    assert total % chunk == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + again * (total // chunk - 1) + compressor.flush(zlib.Z_FINISH)


def test_the_zero_stream_helper_really_inflates():
    stream = _zeros_deflated(8 << 20)
    assert zlib.decompress(stream, -15) == bytes(8 << 20)


def test_zip_bomb_of_several_gigabytes_is_rejected_before_inflating(tmp_path):
    three_gb = 3 << 30
    bomb = _zeros_deflated(three_gb)
    entries = [(n, zlib.compress(d)[2:-4], 8, zlib.crc32(d), len(d)) for n, d in xlsx_members().items()]
    entries.append(("xl/media/image1.png", bomb, 8, 0, three_gb))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_raw_zip(entries))
    assert path.stat().st_size < 10 << 20
    with zipfile.ZipFile(path) as archive:  # the file is a well-formed zip declaring 3 GB
        assert archive.getinfo("xl/media/image1.png").file_size == three_gb
    assert_rejected_quickly(path, "压缩炸弹")


def test_declared_size_bounds_what_is_inflated(tmp_path):
    # The caps trust the sizes the central directory declares. That is sound because
    # zipfile never inflates past the declared size: 8 MB hidden behind a declared
    # sheet-sized member come out as the sheet, and a CRC mismatch ends as "damaged".
    members = xlsx_members()
    real = members["xl/worksheets/sheet1.xml"]
    others = [(n, zlib.compress(d)[2:-4], 8, zlib.crc32(d), len(d)) for n, d in members.items() if n != "xl/worksheets/sheet1.xml"]
    hidden = zlib.compress(real + b" " * (8 << 20))[2:-4]
    path = tmp_path / "forged.xlsx"
    path.write_bytes(_raw_zip(others + [("xl/worksheets/sheet1.xml", hidden, 8, zlib.crc32(real), len(real))]))
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/worksheets/sheet1.xml") == real
    assert [r.name for r in read_roster(path).rows] == ["张三"]

    path.write_bytes(_raw_zip(others + [("xl/worksheets/sheet1.xml", hidden, 8, zlib.crc32(b"other"), len(real))]))
    assert_rejected_quickly(path, "损坏")


def test_high_compression_ratio_member_is_rejected(tmp_path):
    members = xlsx_members()
    members["xl/media/zeros.bin"] = bytes(20 << 20)  # 20 MB of zeros deflate about 1000:1
    path = write_zip(tmp_path / "ratio.xlsx", members)
    assert_rejected_quickly(path, "压缩炸弹")


def test_too_many_members_is_rejected(tmp_path):
    members = xlsx_members()
    members.update({f"xl/media/{i}.txt": b"x" for i in range(xlsx_guard.MAX_MEMBERS + 1)})
    path = write_zip(tmp_path / "many.xlsx", members)
    assert_rejected_quickly(path, "部件")


def test_renamed_text_file_is_rejected(tmp_path):
    path = tmp_path / "人员名单.xlsx"
    path.write_text("姓名,职务\n张三,科长\n", encoding="utf-8")
    assert_rejected_quickly(path, "不是.xlsx", "另存为")


def test_renamed_word_document_is_rejected(tmp_path):
    path = write_zip(
        tmp_path / "名单.xlsx",
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", "_rels/.rels": b"<Relationships/>"},
    )
    assert_rejected_quickly(path, "Word文档", "不是Excel工作簿")


def test_zip_without_a_workbook_is_rejected(tmp_path):
    path = write_zip(tmp_path / "archive.xlsx", {"readme.txt": b"hello"})
    assert_rejected_quickly(path, "不是Excel工作簿")


def _ole2(*stream_names: str) -> bytes:
    """Enough of a compound file to be recognised: the magic, a header sector, a directory."""
    header = xlsx_guard.OLE2_MAGIC + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3) + b"\xff" * (512 - 28)
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in stream_names)
    return header + directory.ljust(4096, b"\x00")


def test_password_protected_workbook_is_rejected(tmp_path):
    path = tmp_path / "加密名单.xlsx"
    path.write_bytes(_ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    assert_rejected_quickly(path, "密码", "用密码进行加密")


def test_encryption_info_across_a_read_chunk_is_found(tmp_path):
    path = tmp_path / "big.xlsx"
    name = "EncryptionInfo".encode("utf-16-le")
    path.write_bytes(_ole2("Root Entry").ljust((1 << 20) - 7, b"\x00") + name + b"\x00" * 100)
    assert_rejected_quickly(path, "密码")


def test_old_xls_is_rejected(tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(_ole2("Root Entry", "Workbook", "\x05SummaryInformation"))
    assert_rejected_quickly(path, ".xls", "另存为")


def test_empty_truncated_and_missing_files(tmp_path):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    assert_rejected_quickly(empty, "空的")
    good = write_zip(tmp_path / "good.xlsx", xlsx_members())
    truncated = tmp_path / "半截.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert_rejected_quickly(truncated, "损坏")
    assert_rejected_quickly(tmp_path / "不存在.xlsx", "找不到")


def test_display_name_is_used_in_messages(tmp_path):
    path = tmp_path / "tmp123.xlsx"
    path.write_text("not excel", encoding="utf-8")
    assert_rejected_quickly(path, display_name="技术科名单.xlsx")


def test_xlsm_opens_and_external_links_are_dropped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务"])
    wb.active.append(["张三", "科长"])
    path = tmp_path / "宏.xlsm"
    wb.save(path)
    members = {}
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdX" Type="{REL_NS}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        "</Relationships>".encode(),
    )
    members["xl/externalLinks/externalLink1.xml"] = b"<externalLink/>"
    write_zip(path, members)
    sheet = read_roster(path)
    assert [r.name for r in sheet.rows] == ["张三"]


def _long_roster(path, people: int):
    wb = openpyxl.Workbook()
    wb.active.append(["技术科人员名单"])  # a title and a header above the people, as clerks make them
    wb.active.append(["姓名", "职务"])
    for i in range(people):
        wb.active.append([f"人员{chr(0x4E00 + i)}", "科员"])
    wb.save(path)
    return path


def test_row_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_IMPORT_ROWS", 20)
    message = assert_rejected_quickly(_long_roster(tmp_path / "长名单.xlsx", 30), "表头（第2行）下超过20行", "第23行")
    assert "工作表“Sheet”" in message


def test_the_title_and_the_header_do_not_count_against_the_row_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_IMPORT_ROWS", 20)
    sheet = read_roster(_long_roster(tmp_path / "整二十人.xlsx", 20))
    assert len(sheet.rows) == 20


def test_column_cap(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "职务"])
    wb.active.cell(row=2, column=xlsx_guard.MAX_IMPORT_COLUMNS + 5, value="多余")
    path = tmp_path / "宽表.xlsx"
    wb.save(path)
    assert_rejected_quickly(path, f"第{xlsx_guard.MAX_IMPORT_COLUMNS}列之后", "第2行")


def test_blank_cells_far_right_and_a_huge_dimension_are_harmless(tmp_path):
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace(
        "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
    ).replace("</row>\n</sheetData>", '<c r="XFD2" s="0"/></row>\n</sheetData>').encode("utf-8")
    path = write_zip(tmp_path / "dim.xlsx", members)
    started = time.monotonic()
    sheet = read_roster(path)
    assert time.monotonic() - started < 5
    assert [r.name for r in sheet.rows] == ["张三"]


def test_openpyxl_refuses_to_read_without_defusedxml(tmp_path):
    # A cell far out: openpyxl, not calamine, reads this sheet, and only through defusedxml.
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace(
        "</row>\n</sheetData>", '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>\n</sheetData>').encode("utf-8")
    path = write_zip(tmp_path / "far.xlsx", members)
    env = dict(os.environ, OPENPYXL_DEFUSEDXML="False")
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from qingqing_desktop.exchange import xlsx_guard; "
         "xlsx_guard.open_workbook_safely(sys.argv[1])", str(path)],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode != 0
    assert "RuntimeError" in result.stderr and "defusedxml" in result.stderr


def test_cached_formula_values_are_read(tmp_path):
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace(
        '<c r="B2" t="inlineStr"><is><t>科长</t></is></c>',
        '<c r="B2" t="str"><f>"科"&amp;"长"</f><v>科长</v></c><c r="C2"><f>1+1</f><v>2</v></c><c r="D2"><f>2+2</f></c>',
    ).encode("utf-8")
    path = write_zip(tmp_path / "公式.xlsx", members)
    wb = open_workbook_safely(path)
    row = [v for _, v in iter_rows_safely(wb.worksheets[0], display_name=path.name)][1]
    assert row[:3] == ("张三", "科长", 2) and row[3:] in ((), (None,))  # rows are not padded
    assert xlsx_guard.sheet_layout(wb.worksheets[0], display_name=path.name).uncached_formulas == {(2, 4): "=2+2"}
    assert read_roster(path).rows[0].title == "科长"


# ----------------------------------------------------------------------------- calamine, and openpyxl where it cannot


def _varied_roster(path):
    """A roster as clerks keep them: a merged title, 职务 merged down, numbers, a date, a boolean,
    blank and total lines, a footnote, a hidden sheet, a formula with its cached value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["技术科人员名单"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "姓名", "职务", "工作岗位", "是否党员", "入职日期", "备注"])
    ws.append([1, " 张三 ", "科长", "分管审批", True, dt.datetime(2019, 3, 5), 13800138000])
    ws.append([2, "李四", None, "质量监管", "否", dt.datetime(2020, 1, 2, 8, 30), 1.5])
    ws.append([3, "王五", "科员", "竣工验收", "是", None, 110105199003071234])
    ws.merge_cells("C3:C4")
    ws.append([None, None, None, None, None, None, None])
    ws.append(["=ROW()-3", "赵六\u3000", "副科长", "综合", "否", None, "未定"])
    ws.append(["合计", None, None, None, None, None, "4人"])
    ws.append(["填报说明：职务按任职文件填写。"])
    hidden = wb.create_sheet("旧名单")
    hidden.sheet_state = "hidden"
    hidden.append(["姓名", "职务", "工作岗位"])
    hidden.append(["钱七", "科员", "档案"])
    wb.save(path)
    # Excel keeps the formula's value beside it: put one in, as openpyxl writes none
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert "<f>ROW()-3</f><v />" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<f>ROW()-3</f><v />", "<f>ROW()-3</f><v>4</v>").encode()
    return write_zip(path, parts)


def test_calamine_and_openpyxl_read_a_roster_alike(tmp_path, monkeypatch):
    path = _varied_roster(tmp_path / "名单.xlsx")
    wb = open_workbook_safely(path)
    assert type(wb).__name__ == "_CalamineWorkbook"
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [("名单", "visible"), ("旧名单", "hidden")]
    by_calamine = read_roster(path)
    rows_by_calamine = [v for _, v in iter_rows_safely(wb.worksheets[0], display_name=path.name)]
    layout_by_calamine = xlsx_guard.sheet_layout(wb.worksheets[0], display_name=path.name)
    monkeypatch.setattr(xlsx_guard, "_fits_a_grid", lambda xml: False)
    wb = open_workbook_safely(path)
    assert type(wb).__name__ == "Workbook"
    assert read_roster(path) == by_calamine
    rows_by_openpyxl = [v for _, v in iter_rows_safely(wb.worksheets[0], display_name=path.name)]
    # The same texts (a date is a datetime at midnight in openpyxl, a date in calamine); openpyxl's
    # rows end at each row's last stored cell, calamine's at the sheet's
    assert [[cell_text(v) for v in row] + [""] * (7 - len(row)) for row in rows_by_openpyxl] == [
        [cell_text(v) for v in row] + [""] * (7 - len(row)) for row in rows_by_calamine]
    assert xlsx_guard.sheet_layout(wb.worksheets[0], display_name=path.name) == layout_by_calamine
    assert [(r.name, r.title, r.post, r.note) for r in by_calamine.rows] == [
        ("张三", "科长", "分管审批", "13800138000"), ("李四", "科长", "质量监管", "1.5"),
        ("王五", "科员", "竣工验收", "1.101051990030712e+17"), ("赵六", "副科长", "综合", "未定")]


@pytest.mark.parametrize("far", ['<c r="XFD2" t="inlineStr"><is><t>x</t></is></c>',
                                 '</row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>',
                                 '</row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'])
def test_a_cell_far_out_is_refused_without_asking_for_the_whole_grid(tmp_path, far):
    # calamine would allocate 16,384 × 1,048,576 cells and abort the process: openpyxl reads this one.
    # In a process of its own, so that a regression fails this test instead of killing the run.
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace("</row>\n</sheetData>", far + "</row>\n</sheetData>").encode()
    path = write_zip(tmp_path / "far.xlsx", members)
    code = ("import sys; from qingqing_desktop.exchange import xlsx_guard; from qingqing_desktop.domain.errors "
            "import InputRejected; from qingqing_desktop.exchange.roster_excel import read_roster\n"
            "print(type(xlsx_guard.open_workbook_safely(sys.argv[1])).__name__)\n"
            "try: print([r.name for r in read_roster(sys.argv[1]).rows])\n"
            "except InputRejected as e: print(e)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    reader, outcome = done.stdout.splitlines()
    assert reader == "Workbook"
    assert ("第60列之后还有内容" if "XFD" in far else "下超过5000行") in outcome


def test_an_error_value_is_read_as_the_text_excel_shows_and_is_a_problem(tmp_path):
    # calamine reads #N/A (a failed lookup) as blank: openpyxl reads what Excel shows, and the row is
    # questioned (before, a person named “#N/A” was imported)
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace(
        '<c r="A2" t="inlineStr"><is><t>张三</t></is></c>', '<c r="A2" t="e"><v>#N/A</v></c>').encode()
    path = write_zip(tmp_path / "error.xlsx", members)
    assert type(open_workbook_safely(path)).__name__ == "Workbook"
    (row,) = read_roster(path).rows
    assert row.problems == ("“姓名”栏是Excel的错误值“#N/A”（公式没有算出结果），请在Excel中改正后再导入",)


def test_cells_without_positions_are_left_to_openpyxl(tmp_path):
    # calamine would count their positions; one row of them can be as wide as the file is long
    members = xlsx_members()
    members["xl/worksheets/sheet1.xml"] = SHEET.replace(' r="A2"', "").replace(' r="B2"', "").encode()
    path = write_zip(tmp_path / "noref.xlsx", members)
    assert type(open_workbook_safely(path)).__name__ == "Workbook"
    assert [(r.name, r.title) for r in read_roster(path).rows] == [("张三", "科长")]
    assert type(open_workbook_safely(write_zip(tmp_path / "ok.xlsx", xlsx_members()))).__name__ == "_CalamineWorkbook"


def test_a_panic_in_calamine_is_a_damaged_file_not_a_traceback(tmp_path, monkeypatch):
    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        __module__ = "pyo3_runtime"

    def panic(self):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(xlsx_guard._CalamineSheet, "_loaded", panic)
    path = write_zip(tmp_path / "名单.xlsx", xlsx_members())
    assert_rejected_quickly(path, "文件已损坏")
    with pytest.raises(KeyboardInterrupt), xlsx_guard.xml_errors_rejected("名单.xlsx"):
        raise KeyboardInterrupt


def test_a_roster_saved_by_excel_is_read_without_loading_openpyxl(tmp_path):
    # Its formulas keep their values and its merged cells come from calamine: openpyxl (a hundred
    # modules, each scanned by the antivirus on an office PC) stays unloaded until an Excel is written
    path = _varied_roster(tmp_path / "名单.xlsx")
    code = ("import sys; from qingqing_desktop.exchange.roster_excel import read_roster\n"
            "sheet = read_roster(sys.argv[1])\n"
            "print(len(sheet.rows), sheet.rows[1].title, 'openpyxl' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "科长", "False"]  # 李四's 职务 from the range merged down


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_file_the_disk_cannot_read_is_refused_in_chinese_without_the_systems_english(tmp_path, monkeypatch, suffix):
    import errno
    import pathlib

    path = tmp_path / f"名单{suffix}"
    if suffix == ".csv":
        path.write_text("姓名,职务\n张三,科员\n", encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        book.active.append(["姓名", "职务"])
        book.save(path)
    real = pathlib.Path.read_bytes

    def failing(self):  # a U disk pulled out while the file is read
        if self == path:
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", failing)
    with pytest.raises(InputRejected) as refused:
        read_roster(path)
    assert f"文件“名单{suffix}”" in str(refused.value) and "读写磁盘时出错" in str(refused.value)
    assert "Input/output" not in str(refused.value)
