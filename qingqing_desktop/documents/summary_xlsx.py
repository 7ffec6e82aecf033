"""附件2 承诺书签订情况汇总表 as Excel: the electronic copy the seed asks for next to the paper.

Same rows and columns as the PDF (``summary_pdf.summary_cells``), the same heading,
单位 line and 填报说明; A4 portrait, one page wide, the header row repeated on every
printed page, every user text a text cell (``xlsx_cells.set_text``), so a name or
post starting with “=” can never become a formula. The filing's identity (as on the
PDF's footer stamp) is in the printed footer and the file's properties; a draft says
草稿 in the printed header.

The helpers for the forms' heading, 填报说明 row, row heights and stamping are shared
with ``selfcheck_xlsx``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from qingqing_desktop import APP_NAME, __version__
from qingqing_desktop.documents.filing_data import FilingDocumentData
from qingqing_desktop.documents.stamp import (
    DRAFT_MARK,
    attachment_label,
    date_or_blanks,
    identity_hash,
    stamp_parts,
    stamp_text,
)
from qingqing_desktop.documents.summary_pdf import BLANK_ROWS, KEY_LABEL, summary_cells
from qingqing_desktop.documents.xlsx_cells import (
    CELL_FONT,
    CENTER,
    CJK_FONT,
    LEFT,
    NOTE_FONT,
    TITLE_FONT,
    display_width,
    save_workbook_atomic,
    set_text,
    setup_a4_print,
    style_cell,
    style_header_cell,
)

__all__ = [
    "write_summary_xlsx",
    "write_form_heading",
    "write_note_row",
    "fit_row_height",
    "needed_height",
    "stamp_workbook",
    "save_workbook",
]

LABEL_FONT = Font(name=CJK_FONT, size=12, bold=True)
LINE_FONT = Font(name=CJK_FONT, size=12)
LINE_HEIGHT = 15.0  # points per line of 11-point text
BASE_SIZE = 11.0  # the size Excel's column widths are counted in (CELL_FONT)
HEADING_HEIGHT = 24.0  # the 单位（盖章） line: at least this, more when its text wraps
RIGHT_WRAP = Alignment(horizontal="right", vertical="center", wrap_text=True)
LEFT_NO_WRAP = Alignment(horizontal="left", vertical="center")  # “附件2：” runs on into the empty cells
TOP_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
COLUMN_WIDTHS = (6, 12, 14, 42, 10)  # 序号, 姓名, 职务, 工作岗位, 是否党员 (Excel character units)


# --------------------------------------------------------------------------- shared with 附件3


def write_form_heading(ws, label: str, title: str, columns: int, widths: Sequence[float] = ()) -> None:
    """Rows 1–2: “附件n：” and the title, merged across the table's width (``widths``: the
    columns' widths, so that a long title wraps into a taller row instead of being cut)."""
    set_text(ws["A1"], attachment_label(label))
    style_cell(ws["A1"], font=LABEL_FONT, alignment=LEFT_NO_WRAP, border=False)
    last = get_column_letter(columns)
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], title)
    style_cell(ws["A2"], font=TITLE_FONT, alignment=CENTER, border=False)
    ws.row_dimensions[2].height = max(32, needed_height([(title, sum(widths))], TITLE_FONT.size)) if widths else 32


def _lines(text: str, width: float, size: float = BASE_SIZE) -> int:
    """Lines ``text`` in ``size``-point type takes in a column ``width`` Excel characters
    wide (an estimate that errs high)."""
    usable = max(width - 1.5, 1.0)
    scale = size / BASE_SIZE
    return sum(max(1, math.ceil(display_width(part) * scale / usable)) for part in str(text).split("\n"))


def needed_height(cells: Sequence[tuple[str, float]], size: float = BASE_SIZE) -> float:
    """Row height (points) that shows the longest of the (text, column width) pairs in full."""
    lines = max((_lines(text, width, size) for text, width in cells), default=1)
    return max(1, lines) * LINE_HEIGHT * size / BASE_SIZE + 6


def fit_row_height(ws, row: int, cells: Sequence[tuple[str, float]], size: float = BASE_SIZE,
                   minimum: float = 0.0) -> None:
    """Set the height of ``row`` for its longest (text, column width) pair.

    Excel grows rows to wrapped text only when a cell is edited, and never for merged
    cells, so a row left to Excel would print its text cut off.
    """
    ws.row_dimensions[row].height = max(minimum, needed_height(cells, size))


def write_note_row(ws, row: int, note: str, widths: Sequence[float]) -> None:
    """The form's 填报说明 under the table, merged across it, tall enough to show all of it."""
    last = get_column_letter(len(widths))
    ws.merge_cells(f"A{row}:{last}{row}")
    set_text(ws[f"A{row}"], note)
    style_cell(ws[f"A{row}"], font=CELL_FONT, alignment=TOP_WRAP, border=False)
    fit_row_height(ws, row, [(note, sum(widths))])


def save_workbook(wb, out: Path | str | BinaryIO) -> None:
    """To a path through a temporary file and one rename; to a file object as is."""
    if isinstance(out, (str, Path)):
        save_workbook_atomic(wb, Path(out))
    else:
        wb.save(out)


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")  # “&” starts a code in Excel's header/footer language


def stamp_workbook(wb, ws, data: FilingDocumentData, title: str, *, row: int, columns: int,
                   extra_lines: Sequence[str] = ()) -> None:
    """The filing's identity: in full (as on the PDF's footer stamp, with ``extra_lines``)
    in small grey print at ``row`` under the table, short on every printed page's footer,
    and in the file's properties; 草稿 in the printed header until the filing is 定稿.

    Excel lets its left, centre and right footers overlap and shows no line breaks in
    them everywhere, so the footer keeps one short line at the left and the page number
    moves to the right.
    """
    unit, _campaign, revision, checksum = stamp_parts(data)
    ws.oddFooter.left.text = _footer_text(f"{unit} · {revision} · {checksum}")
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text, ws.oddFooter.right.size = ws.oddFooter.center.text, ws.oddFooter.center.size
    ws.oddFooter.center.text = None
    if not data.finalised:
        ws.oddHeader.center.text = f"{DRAFT_MARK}（未定稿）"
        ws.oddHeader.center.size = 14
        ws.oddHeader.center.color = "808080"
    identity = "　".join([stamp_text(data), *extra_lines])
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    set_text(ws.cell(row=row, column=1), identity)
    style_cell(ws.cell(row=row, column=1), font=NOTE_FONT, alignment=TOP_WRAP, border=False)
    fit_row_height(ws, row, [(identity, sum(ws.column_dimensions[get_column_letter(c)].width
                                            for c in range(1, columns + 1)))])
    props = wb.properties
    props.title = title
    props.subject = data.campaign_title
    props.creator = data.unit_name or APP_NAME
    props.keywords = identity_hash(data)
    props.description = f"{APP_NAME} {__version__}：{identity}"


# --------------------------------------------------------------------------- 附件2

HEADER_ROW = 4


def write_summary_xlsx(out: Path | str | BinaryIO, data: FilingDocumentData) -> None:
    """Write 附件2 for ``data`` as an .xlsx (to a path atomically, or to a file object)."""
    form = data.template.summary_table
    wb = Workbook()
    ws = wb.active
    ws.title = form.attachment_label[:31]
    ncols = len(form.columns)
    write_form_heading(ws, form.attachment_label, form.title, ncols, COLUMN_WIDTHS)

    # Row 3 as in the seed: 单位（盖章）：<unit> on the left, the date on the right; as tall
    # as a long unit name needs.
    ws.merge_cells(f"A3:{get_column_letter(ncols - 2)}3")
    unit_text, date_text = form.unit_label + data.unit_name, date_or_blanks(data.filled_on)
    set_text(ws["A3"], unit_text)
    style_cell(ws["A3"], font=LINE_FONT, alignment=LEFT, border=False)
    date_cell = ws.cell(row=3, column=ncols - 1)
    ws.merge_cells(start_row=3, start_column=ncols - 1, end_row=3, end_column=ncols)
    set_text(date_cell, date_text)
    style_cell(date_cell, font=LINE_FONT, alignment=RIGHT_WRAP, border=False)
    fit_row_height(ws, 3, [(unit_text, sum(COLUMN_WIDTHS[:ncols - 2])), (date_text, sum(COLUMN_WIDTHS[ncols - 2:]))],
                   LINE_FONT.size, HEADING_HEIGHT)

    for column, header in enumerate(form.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column)
        set_text(cell, header)
        style_header_cell(cell)
    rows = summary_cells(data.summary_entries()) or [("",) * ncols] * BLANK_ROWS
    for offset, values in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column)
            if column == 1 and value:
                cell.value = int(value)  # our own number, not user text
            else:
                set_text(cell, value)
            style_cell(cell, alignment=LEFT if column == 4 else CENTER)
        fit_row_height(ws, row, list(zip(values, COLUMN_WIDTHS)))

    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    row = HEADER_ROW + len(rows) + 2
    if form.instructions:
        write_note_row(ws, row, form.instructions, COLUMN_WIDTHS)
        row += 1
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    setup_a4_print(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    extra = [f"{KEY_LABEL}{data.key_fingerprint}"] if data.key_fingerprint else []
    stamp_workbook(wb, ws, data, f"{form.attachment_label} {form.title}（{data.unit_name}）", row=row, columns=ncols,
                   extra_lines=extra)
    save_workbook(wb, out)
