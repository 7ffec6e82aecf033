"""Reading a roster saved as CSV text (“另存为 CSV”, or what another system exports).

The text is decoded (UTF-8 with or without BOM, UTF-16 with BOM as Excel's
“Unicode 文本”, else GB18030, which covers GBK and GB2312), its separator guessed
(comma, tab, semicolon), and it is then handed to ``roster_excel`` as a read-only
workbook of one sheet: the header search, the column aliases, the row checks and
the caps are the very same as for an Excel file. Every cell is text, exactly as
written: a cell starting with = is never evaluated.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.store.faults import os_reason

log = logging.getLogger(__name__)

CSV_SUFFIXES = (".csv",)
MAX_CSV_BYTES = 20 * 1024 * 1024  # a roster of thousands of people is well under 1 MB
_SEPARATORS = ",\t;"
_SAVE_AS = "请用Excel（或WPS表格）打开它，另存为“Excel工作簿(*.xlsx)”或“CSV UTF-8(逗号分隔)(*.csv)”，再导入新保存的文件。"


def is_csv(path: Path) -> bool:
    return Path(path).suffix.lower() in CSV_SUFFIXES


def decode_csv_bytes(data: bytes, name: str) -> str:
    """The file's text; UTF-8 first (a GB18030 decode of UTF-8 text “succeeds” with the wrong characters)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # a binary file (a renamed workbook or picture), whatever its bytes happen to decode to
        return text
    raise InputRejected(f"无法识别文件的文字编码（不是 UTF-8、GBK 或 GB18030 的文本）。{_SAVE_AS}", Location(file=name))


def _separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        return ","  # one column, or nothing to tell by: the usual comma


class CsvSheet:
    """One sheet over the rows of a CSV text, with the part of openpyxl's read-only sheet the reader uses."""

    def __init__(self, title: str, rows: list[tuple[str, ...]]):
        self.title = title
        self.sheet_state = "visible"
        self._rows = rows

    def reset_dimensions(self) -> None:
        """Nothing to reset: a CSV has no stored dimension (openpyxl's read-only sheets do)."""

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[str, ...]]:
        yield from self._rows


class CsvWorkbook:
    """The CSV as a workbook of one sheet, named after the file."""

    def __init__(self, sheet: CsvSheet):
        self.worksheets = [sheet]
        self.sheetnames = [sheet.title]

    def close(self) -> None:
        """Nothing is held open: the text was read in full."""


def open_csv_workbook(path: Path, *, display_name: str | None = None) -> CsvWorkbook:
    """Read and decode a CSV roster file; refuses an unreadable, empty, oversized or binary file."""
    path = Path(path)
    name = display_name or path.name
    where = Location(file=name)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise InputRejected(f"文件过大（{size / 1024 / 1024:.0f} MB），不像是一份人员名单。", where)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputRejected("找不到文件。", where) from None
    except IsADirectoryError:
        raise InputRejected("这是一个文件夹，不是文件。", where) from None
    except OSError as exc:
        raise InputRejected(f"无法读取文件：{os_reason(exc)}", where) from None
    text = decode_csv_bytes(data, name)
    if not text.strip():
        raise InputRejected("文件是空的。", where)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        rows = [tuple(row) for row in reader]
    except csv.Error as exc:
        log.warning("CSV %s refused at line %s: %s", name, reader.line_num, exc)  # the csv module's words
        raise InputRejected(f"文件不是规范的 CSV 文本：{_csv_fault(str(exc))}。{_SAVE_AS}", where) from None
    return CsvWorkbook(CsvSheet(path.stem or "CSV", rows))


def _csv_fault(english: str) -> str:
    """What the csv module's complaint means, in words a clerk can act on (it raises as the text is read,
    past where the fault began, so no row is named)."""
    if "field larger than field limit" in english:
        return "有一格的内容过长（超过 13 万字），多半是某处的英文引号（\"）没有配对，其后的内容都被读进了同一格"
    return "引号或分隔符没有配对"
