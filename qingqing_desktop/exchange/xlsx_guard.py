"""Opening an Excel file somebody handed us, without trusting it.

Every check that can be made on the bytes is made before openpyxl sees them:
old .xls and password-protected workbooks (both OLE2 compound files), renamed
text or Word files, zip bombs. The XML inside is parsed by openpyxl through
defusedxml (checked at import time), and read-only worksheets parse lazily, so
``iter_rows_safely`` and ``xml_errors_rejected`` also guard the reading of rows.
Every refusal is an ``InputRejected`` with a Chinese message naming the file.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as _safe_iterparse
from openpyxl.utils import exceptions as _openpyxl_errors
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.xml import functions as _openpyxl_xml

from qingqing_desktop.domain.errors import InputRejected, Location


def _check_defusedxml_active() -> None:
    # openpyxl silently falls back to the stdlib parser when defusedxml is missing or
    # OPENPYXL_DEFUSEDXML=False is set; an entity-expansion file would then exhaust memory.
    iterparse_module = getattr(_openpyxl_xml.iterparse, "__module__", "") or ""
    if not openpyxl.DEFUSEDXML or not iterparse_module.startswith("defusedxml"):
        raise RuntimeError(
            "openpyxl 未启用 defusedxml，读取外来的 Excel 文件不安全："
            "请安装 defusedxml 并不要设置 OPENPYXL_DEFUSEDXML=False "
            "(openpyxl is not using defusedxml; install it and unset OPENPYXL_DEFUSEDXML)"
        )


_check_defusedxml_active()

MAX_FILE_BYTES = 100 * 1024 * 1024  # on disk; a roster is a few hundred kB even with photos
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200  # for members over RATIO_MIN_SIZE; real sheet XML compresses 5-30:1
RATIO_MIN_SIZE = 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_COLUMNS = 60
MAX_MERGED_RANGES = 20000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

_SAVE_AS_XLSX = "请用Excel（或WPS表格）打开它，点“文件→另存为”，保存类型选“Excel工作簿(*.xlsx)”，再选择新保存的文件。"
_XML_REJECTED = "文件包含不安全或损坏的XML内容，无法读取。请用Excel打开后另存为新的.xlsx文件再试；如果文件来自外部，请向发送方核实。"
_DAMAGED = "文件已损坏或不是本程序能读取的Excel格式。" + _SAVE_AS_XLSX


def _reject(message: str, name: str, **where) -> InputRejected:
    return InputRejected(message, Location(file=name, **where))


def _contains_encryption_info(path: Path) -> bool:
    """Search the compound file for the UTF-16-LE stream name, chunk by chunk."""
    overlap = len(_ENCRYPTION_INFO)
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if _ENCRYPTION_INFO in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _check_zip_members(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _reject(f"文件内部包含{len(infos)}个部件，超过{MAX_MEMBERS}个的上限，不像正常的名单表格，已拒绝读取。", name)
    # zipfile stops inflating at the size the central directory declares (and then fails
    # the CRC), so checking these declared sizes bounds what openpyxl can ever inflate.
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _reject(
                f"文件内部的“{info.filename}”解压后比压缩时大{info.file_size // max(info.compress_size, 1)}倍，"
                "疑似“压缩炸弹”，已拒绝读取。",
                name,
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _reject(
            f"文件解压后共{total // (1024 * 1024)} MB，超过{MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB的上限，"
            "不像正常的名单表格（可能是“压缩炸弹”），已拒绝读取。",
            name,
        )
    names = set(archive.namelist())
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return
    if "word/document.xml" in names:
        kind = "这是Word文档，不是Excel工作簿。"
    elif any(n.startswith("ppt/") for n in names):
        kind = "这是PowerPoint演示文稿，不是Excel工作簿。"
    elif "xl/workbook.bin" in names:
        kind = "这是Excel二进制工作簿(.xlsb)，本程序只读取.xlsx。" + _SAVE_AS_XLSX
    elif "mimetype" in names or "content.xml" in names:
        kind = "这是OpenDocument（WPS/LibreOffice）格式的文件。" + _SAVE_AS_XLSX
    else:
        kind = "这是一个压缩包，但不是Excel工作簿。"
    raise _reject(kind + "请选择人员名单所在的.xlsx文件。", name)


def check_xlsx_file(path: Path, *, display_name: str | None = None) -> bytes:
    """Return the file's bytes once every check that needs no XML parsing has passed."""
    path = Path(path)
    name = display_name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _reject(f"文件有{size // (1024 * 1024)} MB，超过{MAX_FILE_BYTES // (1024 * 1024)} MB的上限，不像人员名单表格。", name)
        if size == 0:
            raise _reject("文件是空的（0字节），请确认选择的文件是否正确。", name)
        with open(path, "rb") as handle:
            head = handle.read(8)
        if head == OLE2_MAGIC:
            if _contains_encryption_info(path):
                raise _reject(
                    "这个工作簿设置了打开密码，本程序无法读取。请用Excel打开它（输入密码），"
                    "点“文件→信息→保护工作簿→用密码进行加密”，把密码清空后确定，保存，再选择这个文件。",
                    name,
                )
            raise _reject("这是旧版Excel 97-2003格式(.xls)的文件，本程序只读取.xlsx。" + _SAVE_AS_XLSX, name)
        data = path.read_bytes()
    except InputRejected:
        raise
    except FileNotFoundError:
        raise _reject("找不到这个文件，它可能已被移动或删除。", name) from None
    except PermissionError:
        raise _reject("没有权限读取这个文件（可能正被其他程序独占打开），请关闭该文件后重试。", name) from None
    except OSError as exc:
        raise _reject(f"无法读取文件：{exc.strerror or exc}", name) from None
    if not data.startswith(b"PK"):
        raise _reject(
            "这不是.xlsx格式的Excel工作簿（可能是文本、网页或其他文件改了扩展名）。" + _SAVE_AS_XLSX, name
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_members(archive, name)
    except InputRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise _reject("文件已损坏（压缩结构不完整），可能没有复制完整。请重新保存或重新复制后再试。", name) from None
    return data


def _caused_by(exc: BaseException, types: tuple[type[BaseException], ...]) -> bool:
    """True if ``exc`` or anything in its cause/context chain is one of ``types``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, types):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


@contextlib.contextmanager
def xml_errors_rejected(display_name: str, *, sheet: str | None = None) -> Iterator[None]:
    """Turn what a hostile or damaged workbook makes openpyxl raise into ``InputRejected``.

    defusedxml raises ``EntitiesForbidden`` (a ``DefusedXmlException``) on an
    entity declaration (openpyxl's loader re-raises it as a ``ValueError``, hence
    the look along the chain); since read-only sheets are parsed while rows are
    iterated, code that iterates rows must run inside this guard too.
    """
    try:
        yield
    except InputRejected:
        raise
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, zlib.error, KeyError, ValueError,
            TypeError, IndexError, AttributeError, EOFError, OSError, UnicodeError,
            _openpyxl_errors.CellCoordinatesException, _openpyxl_errors.InvalidFileException,
            _openpyxl_errors.IllegalCharacterError, _openpyxl_errors.SheetTitleException) as exc:
        unsafe = _caused_by(exc, (DefusedXmlException, ParseError))
        raise _reject(_XML_REJECTED if unsafe else _DAMAGED, display_name, sheet=sheet) from None


def open_workbook_safely(path: Path, *, display_name: str | None = None) -> openpyxl.Workbook:
    """Open an .xlsx/.xlsm for reading (read-only, cached values, external links ignored).

    Macros are never run (openpyxl cannot run them and ``keep_vba`` stays off).
    The workbook holds its bytes in memory, so the file on disk is not kept open.
    """
    path = Path(path)
    name = display_name or path.name
    data = check_xlsx_file(path, display_name=name)
    with xml_errors_rejected(name):
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def iter_rows_safely(
    ws,
    *,
    display_name: str,
    max_rows: int | None = None,
    max_columns: int | None = None,
) -> Iterator[tuple[int, tuple]]:
    """Yield ``(row number, values)`` for every row of a read-only sheet, from row 1.

    Values are trimmed to ``max_columns``; content beyond it, or a non-empty row
    beyond ``max_rows``, is refused with a message (the caps keep an import
    bounded in time and memory). Rows are not padded: a row may be shorter.
    """
    max_rows = max_rows or MAX_IMPORT_ROWS
    max_columns = max_columns or MAX_IMPORT_COLUMNS
    sheet = ws.title
    with xml_errors_rejected(display_name, sheet=sheet):
        # The stored dimension may be wrong or huge (A1:XFD1048576); without it openpyxl
        # yields each row only as wide as its last stored cell.
        ws.reset_dimensions()
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if len(values) > max_columns and not all(_is_blank(v) for v in values[max_columns:]):
                raise _reject(
                    f"第{max_columns}列之后还有内容。名单表格最多读取{max_columns}列，请删除多余的列后再试。",
                    display_name, sheet=sheet, row=number,
                )
            if number > max_rows and not all(_is_blank(v) for v in values):
                raise _reject(
                    f"表格超过{max_rows}行。一次最多导入{max_rows}行，请把名单拆成几个文件分别导入。",
                    display_name, sheet=sheet, row=number,
                )
            yield number, tuple(values[:max_columns])


@dataclass(frozen=True)
class SheetLayout:
    """What read-only openpyxl does not report about a sheet.

    ``merged``: ranges as ``(min_col, min_row, max_col, max_row)``.
    ``uncached_formulas``: ``(row, col) -> "=…"`` for formula cells without a cached
    value (files written by programs, not saved by Excel), whose ``data_only``
    value would otherwise be silently empty. The text is data; nothing is evaluated.
    """

    merged: tuple[tuple[int, int, int, int], ...] = ()
    uncached_formulas: dict[tuple[int, int], str] = field(default_factory=dict)


# A formula (<f>) or a merged range (<mergeCell>), with or without a namespace prefix, in UTF-8 XML.
_LAYOUT_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:f|mergeCell)[\s>/]")


def sheet_layout(ws, *, display_name: str, max_rows: int | None = None, max_columns: int | None = None) -> SheetLayout:
    """Scan a read-only sheet's XML (through defusedxml) for merged ranges and uncached formulas.

    Returns an empty layout if openpyxl's internals ever change shape: this is a
    convenience for reading, never a reason to fail.
    """
    source = getattr(ws, "_get_source", None)
    if source is None:
        return SheetLayout()
    max_rows = max_rows or MAX_IMPORT_ROWS
    max_columns = max_columns or MAX_IMPORT_COLUMNS
    merged: list[tuple[int, int, int, int]] = []
    formulas: dict[tuple[int, int], str] = {}
    with xml_errors_rejected(display_name, sheet=ws.title), source() as handle:
        xml = handle.read()
        # Most rosters have neither: then the sheet need not be parsed a second time.
        if xml.lstrip()[:1] == b"<" and not _LAYOUT_ELEMENT.search(xml):
            return SheetLayout()
        for _event, element in _safe_iterparse(io.BytesIO(xml)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "c":
                _note_uncached_formula(element, formulas, max_rows, max_columns)
                element.clear()  # keep memory flat on big sheets
            elif tag == "row":
                element.clear()
            elif tag == "mergeCell" and len(merged) < MAX_MERGED_RANGES:
                with contextlib.suppress(ValueError, TypeError):
                    bounds = range_boundaries(element.get("ref", ""))
                    if None not in bounds:
                        merged.append(bounds)
    return SheetLayout(tuple(merged), formulas)


def _note_uncached_formula(cell, formulas: dict, max_rows: int, max_columns: int) -> None:
    formula = value = None
    for child in cell:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "f":
            formula = child.text
        elif tag == "v":
            value = child.text
    ref = cell.get("r")
    if not formula or value is not None or not ref:
        return
    with contextlib.suppress(ValueError, TypeError, _openpyxl_errors.CellCoordinatesException):
        row, col = coordinate_to_tuple(ref)
        if row <= max_rows and col <= max_columns:
            formulas[(row, col)] = "=" + formula
