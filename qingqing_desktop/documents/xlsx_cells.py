"""Writing user text into openpyxl cells safely, and the shared look of our Excel files.

``set_text`` is the one way user text goes into a cell: openpyxl turns a str
starting with "=" into a formula, and Excel re-evaluates "+1", "-1", "@SUM(…)"
once somebody presses F2/Enter in the cell; a string cell with the quote
prefix stays text in both cases.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from qingqing_desktop.store.atomic_file import atomic_write

CJK_FONT = "宋体"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_MAX_CELL_TEXT = 32767

THIN = Side(style="thin", color="000000")
THIN_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL_FONT = Font(name=CJK_FONT, size=11)
HEADER_FONT = Font(name=CJK_FONT, size=11, bold=True)
TITLE_FONT = Font(name=CJK_FONT, size=16, bold=True)
NOTE_FONT = Font(name=CJK_FONT, size=10, color="595959")
EXAMPLE_FONT = Font(name=CJK_FONT, size=11, italic=True, color="808080")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def set_text(cell, value: object) -> None:
    """Put ``value`` into ``cell`` as a string cell that can never become a formula."""
    text = "" if value is None else str(value)
    # openpyxl refuses control characters (a pasted \x0b would abort the whole export).
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_MAX_CELL_TEXT]
    cell.value = text
    cell.data_type = "s"  # undo openpyxl's "=…" → formula inference
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def style_cell(cell, *, font: Font = CELL_FONT, alignment: Alignment = LEFT, border: bool = True, fill=None) -> None:
    cell.font = font
    cell.alignment = alignment
    if border:
        cell.border = THIN_BORDER
    if fill is not None:
        cell.fill = fill


def style_header_cell(cell) -> None:
    style_cell(cell, font=HEADER_FONT, alignment=CENTER, fill=HEADER_FILL)


def display_width(text: str) -> int:
    """Width in Excel character units: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def size_columns(ws, texts_by_column: dict[int, list[str]], *, minimum: int = 6, maximum: int = 40) -> None:
    """Set each column's width from its longest line of text; long text wraps at ``maximum``."""
    for column, texts in texts_by_column.items():
        longest = max((display_width(line) for t in texts for line in str(t).splitlines() or [""]), default=0)
        ws.column_dimensions[get_column_letter(column)].width = max(minimum, min(maximum, longest + 2))


def setup_a4_print(ws, title_rows: str | None = "1:3", landscape: bool = False) -> None:
    """A4, one page wide and as many pages tall as needed, ``title_rows`` repeated, centred."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0 = as many pages as needed
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8, header=0.3, footer=0.4)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def save_workbook_atomic(wb, path: Path) -> None:
    """Save through a temporary file and one rename, so a crash never leaves half a workbook."""
    with atomic_write(Path(path)) as handle:
        wb.save(handle)
