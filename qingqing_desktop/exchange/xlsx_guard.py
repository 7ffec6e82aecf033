"""Opening an Excel file somebody handed us, without trusting it.

Every check that can be made on the bytes is made before any XML is parsed: old
.xls and password-protected workbooks (both OLE2 compound files), renamed text or
Word files, zip bombs. Then the XML parts are taken out with ``zipfile``, which
never inflates past the sizes the checks allowed, and a part with a DTD (the way
to an entity bomb; Excel never writes one) is refused.

calamine (Rust, python-calamine) reads the cells, ten times faster than openpyxl.
It holds a sheet as one grid from its first to its last cell, so one value typed
in XFD1048576 would make it ask for hundreds of gigabytes and abort the process:
a sheet with a cell that far out, or with cells whose position calamine would
have to count, or holding an error value (#N/A, blank to calamine), is read by
openpyxl's streaming reader instead, through defusedxml (checked when first used).
Both give the same texts (``roster_excel.cell_text``); ``iter_rows_safely`` caps
what either yields. Every refusal is an ``InputRejected`` with a Chinese message
naming the file.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import ParseError

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _safe_fromstring
from defusedxml.ElementTree import iterparse as _safe_iterparse

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.store.faults import os_reason


def _check_defusedxml_active() -> None:
    # openpyxl silently falls back to the stdlib parser when defusedxml is missing or
    # OPENPYXL_DEFUSEDXML=False is set; an entity-expansion file would then exhaust memory.
    import openpyxl  # noqa: PLC0415
    from openpyxl.xml import functions as _openpyxl_xml  # noqa: PLC0415

    iterparse_module = getattr(_openpyxl_xml.iterparse, "__module__", "") or ""
    if not openpyxl.DEFUSEDXML or not iterparse_module.startswith("defusedxml"):
        raise RuntimeError(
            "openpyxl 未启用 defusedxml，读取外来的 Excel 文件不安全："
            "请安装 defusedxml 并不要设置 OPENPYXL_DEFUSEDXML=False "
            "(openpyxl is not using defusedxml; install it and unset OPENPYXL_DEFUSEDXML)"
        )


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
        raise _reject(f"无法读取文件：{os_reason(exc)}", name) from None
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


def _rejectable_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (
        DefusedXmlException, ParseError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError,
        AttributeError, EOFError, OSError, UnicodeError, python_calamine.CalamineError)
    loaded = sys.modules.get("openpyxl.utils.exceptions")  # openpyxl's own, once it has read a workbook
    if loaded is not None:
        errors += (loaded.CellCoordinatesException, loaded.InvalidFileException, loaded.IllegalCharacterError,
                   loaded.SheetTitleException)
    return errors


@contextlib.contextmanager
def xml_errors_rejected(display_name: str, *, sheet: str | None = None) -> Iterator[None]:
    """Turn what a hostile or damaged workbook makes calamine or openpyxl raise into ``InputRejected``.

    defusedxml raises ``EntitiesForbidden`` (a ``DefusedXmlException``) on an
    entity declaration (openpyxl's loader re-raises it as a ``ValueError``, hence
    the look along the chain); since read-only sheets are parsed while rows are
    iterated, code that iterates rows must run inside this guard too.
    """
    try:
        yield
    except InputRejected:
        raise
    except BaseException as exc:
        # pyo3 turns a panic in calamine's Rust code into a PanicException, a BaseException
        if not isinstance(exc, _rejectable_errors()) and type(exc).__module__ != "pyo3_runtime":
            raise
        unsafe = _caused_by(exc, (DefusedXmlException, ParseError, python_calamine.XmlError))
        raise _reject(_XML_REJECTED if unsafe else _DAMAGED, display_name, sheet=sheet) from None


def open_workbook_safely(path: Path, *, display_name: str | None = None):
    """Open an .xlsx/.xlsm for reading: cached values, no macros run, external links ignored.

    The result has the part of openpyxl's read-only workbook the readers use
    (``worksheets``, ``sheetnames``, ``wb[name]``, ``close``); it holds what it read
    in memory, so the file on disk is not kept open.
    """
    path = Path(path)
    name = display_name or path.name
    data = check_xlsx_file(path, display_name=name)
    with xml_errors_rejected(name):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile inflates no more than each member's declared (and checked) size, and checks its CRC.
            parts = {info.filename: archive.read(info) for info in archive.infolist()
                     if info.filename.lower().endswith((".xml", ".rels"))}
        if any(_has_dtd(xml) for xml in parts.values()):
            raise _reject(_XML_REJECTED, name)
        sheet_parts = _sheet_parts(parts)
        if sheet_parts is not None and all(_fits_a_grid(parts.get(part, b"")) for part in sheet_parts.values()):
            return _CalamineWorkbook(_stored_zip(parts), sheet_parts, parts)
        _check_defusedxml_active()
        import openpyxl  # noqa: PLC0415 — only for the sheets calamine cannot hold

        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)


# A DTD is how entities are declared (a billion laughs); no Excel part has one. UTF-16 parts too.
_DTD = tuple(text.encode(encoding) for text in ("<!DOCTYPE", "<!ENTITY")
             for encoding in ("ascii", "utf-16-le", "utf-16-be"))


def _has_dtd(xml: bytes) -> bool:
    return any(marker in xml for marker in _DTD)


_MAIN_REL = "officeDocument/2006/relationships"


def _sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str] | None:
    """Each worksheet's name → its part (xl/worksheets/sheet1.xml), as workbook.xml and its rels say;
    None when they cannot tell (then openpyxl reads the file and reports what is wrong)."""
    workbook, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    targets = {}
    for rel in _safe_fromstring(rels):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                  else str(PurePosixPath("xl") / target))
    found = {}
    for element in _safe_fromstring(workbook).iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id") and _MAIN_REL in k), None)
        target = targets.get(rel_id)
        if target is None:
            return None
        found[element.get("name", "")] = target
    return found


# A cell or row reference beyond column BH (60) or row 9999; a root element with a namespace prefix.
# (Starting with the literal r=" lets the search skip ahead; a longer attribute name such as operator=
# only ever sends a sheet to openpyxl.)
_FAR_REFERENCE = re.compile(rb'r="(?:(?:[A-Z]{3}|[C-Z][A-Z]|B[I-Z])[0-9]|[A-Z]{0,3}[1-9][0-9]{4})')
_PREFIXED_ROOT = re.compile(rb"\s*(?:<\?[^>]*\?>\s*)?<[\w.-]+:worksheet[\s>]")


def _fits_a_grid(xml: bytes) -> bool:
    """Can calamine hold this sheet as one grid? Only if every cell and row says where it is, and
    no reference lies beyond the caps of ``iter_rows_safely`` by much (row 9999, column BH). And
    will it read it as openpyxl does? Not a cell holding an error value.

    Counting start tags stands in for parsing: a worksheet part in UTF-8 with unprefixed tags
    (as Excel, WPS and every library write them) passes or not on these counts alone; any
    other sheet is left to openpyxl, which streams it."""
    if not xml.lstrip()[:1] == b"<" or _PREFIXED_ROOT.match(xml) or _FAR_REFERENCE.search(xml):
        return False
    if b't="e"' in xml:  # an error value (#N/A): calamine reads it as blank, openpyxl as the text shown
        return False
    elements = sum(xml.count(tag) for tag in (b"<c ", b"<c>", b"<row ", b"<row>"))
    return xml.count(b' r="') >= elements


def _stored_zip(parts: Mapping[str, bytes]) -> bytes:
    """The XML parts again, stored (not compressed): calamine inflates nothing zipfile did not check."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


# openpyxl's words for a sheet's state, which the readers compare with (calamine's enum is not hashable)
_VISIBILITY = ((python_calamine.SheetVisibleEnum.Hidden, "hidden"),
               (python_calamine.SheetVisibleEnum.VeryHidden, "veryHidden"))


class _CalamineSheet:
    """One worksheet read by calamine, with the part of openpyxl's read-only sheet the readers use."""

    def __init__(self, book: python_calamine.CalamineWorkbook, metadata, xml: bytes):
        self.title = metadata.name
        self.sheet_state = next((state for visible, state in _VISIBILITY if metadata.visible == visible), "visible")
        self.xml = xml
        self._book = book
        self._sheet = None

    def reset_dimensions(self) -> None:
        """Nothing to reset: calamine's grid spans the cells, whatever the stored dimension says."""

    def _loaded(self):
        if self._sheet is None:
            self._sheet = self._book.get_sheet_by_name(self.title)
        return self._sheet

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple]:
        # From A1, as openpyxl's rows are numbered. Its values: None for an empty cell (calamine: ""),
        # an int for a whole number (calamine: a float; past 1e15 Excel writes 1.1e+17, a float there too).
        for row in self._loaded().iter_rows():
            yield tuple([None if value == "" else
                         int(value) if type(value) is float and value.is_integer() and -1e15 < value < 1e15 else value
                         for value in row])

    def merged_ranges(self) -> list[tuple[int, int, int, int]]:
        """As ``SheetLayout.merged``: (min_col, min_row, max_col, max_row), from 1."""
        return [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in self._loaded().merged_cell_ranges or ()]


class _CalamineWorkbook:
    def __init__(self, data: bytes, sheet_parts: Mapping[str, str], parts: Mapping[str, bytes]):
        self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = self._book.sheets_metadata
        self.sheetnames = [m.name for m in metadata]
        self.worksheets = [_CalamineSheet(self._book, m, parts.get(sheet_parts.get(m.name, ""), b""))
                           for m in metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]

    def __getitem__(self, name: str) -> _CalamineSheet:
        for sheet in self.worksheets:
            if sheet.title == name:
                return sheet
        raise KeyError(name)

    def close(self) -> None:
        self._book.close()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def iter_rows_safely(
    ws,
    *,
    display_name: str,
    max_rows: int | None = None,
    max_columns: int | None = None,
    header_row: int = 0,
) -> Iterator[tuple[int, tuple]]:
    """Yield ``(row number, values)`` for every row of a read-only sheet, from row 1.

    Values are trimmed to ``max_columns``; content beyond it, or a non-empty row
    beyond ``max_rows`` rows below ``header_row`` (the title and the header do not
    count against a roster of 5,000), is refused with a message (the caps keep an
    import bounded in time and memory). Rows are not padded: a row may be shorter.
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
            if number > header_row + max_rows and not all(_is_blank(v) for v in values):
                below = f"表头（第{header_row}行）下" if header_row else "表格"
                raise _reject(
                    f"{below}超过{max_rows}行。一次最多导入{max_rows}行，请把名单拆成几个文件分别导入。",
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
    """A sheet's merged ranges and uncached formulas: calamine reports the ranges, and the sheet's XML
    is scanned (through defusedxml) for the formulas, and for the ranges when openpyxl read it.

    Returns an empty layout if openpyxl's internals ever change shape: this is a
    convenience for reading, never a reason to fail.
    """
    max_rows = max_rows or MAX_IMPORT_ROWS
    max_columns = max_columns or MAX_IMPORT_COLUMNS
    with xml_errors_rejected(display_name, sheet=ws.title):
        if isinstance(ws, _CalamineSheet):
            merged = ws.merged_ranges()[:MAX_MERGED_RANGES]
            formulas = _scan_layout(ws.xml, max_rows, max_columns, merges=None) if _UNCACHED.search(ws.xml) else {}
            return SheetLayout(tuple(merged), formulas)
        source = getattr(ws, "_get_source", None)
        if source is None:
            return SheetLayout()
        with source() as handle:
            xml = handle.read()
        # Most rosters have neither: then the sheet need not be parsed a second time.
        if xml.lstrip()[:1] == b"<" and not _LAYOUT_ELEMENT.search(xml):
            return SheetLayout()
        merged = []
        formulas = _scan_layout(xml, max_rows, max_columns, merges=merged)
        return SheetLayout(tuple(merged), formulas)


# A formula with no value after it (<f>2+2</f></c>, <v/> or <v></v>; a shared formula's <f …/> too): rosters
# saved by Excel keep each formula's value, and then the sheet is not parsed a second time.
_UNCACHED = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _scan_layout(xml: bytes, max_rows: int, max_columns: int, *, merges: list | None) -> dict[tuple[int, int], str]:
    """The uncached formulas of a sheet's XML; its merged ranges too, into ``merges`` when given."""
    formulas: dict[tuple[int, int], str] = {}
    for _event, element in _safe_iterparse(io.BytesIO(xml)):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "c":
            _note_uncached_formula(element, formulas, max_rows, max_columns)
            element.clear()  # keep memory flat on big sheets
        elif tag == "row":
            element.clear()
        elif tag == "mergeCell" and merges is not None and len(merges) < MAX_MERGED_RANGES:
            from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415 — openpyxl read this sheet

            with contextlib.suppress(ValueError, TypeError):
                bounds = range_boundaries(element.get("ref", ""))
                if None not in bounds:
                    merges.append(bounds)
    return formulas


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
    # Only now: a roster saved by Excel has no uncached formula, and calamine read it without openpyxl
    from openpyxl.utils.cell import coordinate_to_tuple  # noqa: PLC0415
    from openpyxl.utils.exceptions import CellCoordinatesException  # noqa: PLC0415

    with contextlib.suppress(ValueError, TypeError, CellCoordinatesException):
        row, col = coordinate_to_tuple(ref)
        if row <= max_rows and col <= max_columns:
            formulas[(row, col)] = "=" + formula
