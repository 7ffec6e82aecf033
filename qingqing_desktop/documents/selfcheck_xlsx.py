"""附件3 “三清单一承诺”自查表 as Excel, laid out like the PDF.

Landscape A4, one page wide, the header row repeated. Each finding is a row; the
项目内容 cell is merged down over its findings; a row confirmed as having nothing
says “无” across the four columns; 整改时限 is a real date shown as 2019年3月5日.
Every user text is a text cell (``xlsx_cells.set_text``), so a finding written as
“=HYPERLINK(…)” stays text.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qingqing_desktop.documents.filing_data import FilingDocumentData
from qingqing_desktop.documents.selfcheck_pdf import NONE_TEXT, finding_cells
from qingqing_desktop.documents.stamp import date_or_blanks
from qingqing_desktop.documents.summary_xlsx import (
    HEADING_HEIGHT,
    LINE_FONT,
    RIGHT_WRAP,
    TOP_WRAP,
    fit_row_height,
    needed_height,
    save_workbook,
    stamp_workbook,
    write_form_heading,
    write_note_row,
)
from qingqing_desktop.documents.xlsx_cells import (
    CENTER,
    LEFT,
    set_text,
    setup_a4_print,
    style_cell,
    style_header_cell,
)

__all__ = ["DATE_FORMAT", "write_selfcheck_xlsx"]

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
COLUMN_WIDTHS = (22, 44, 44, 11, 16)  # 项目内容, 存在问题, 整改措施, 责任人, 整改时限
HEADER_ROW = 4
EMPTY_ROW_HEIGHT = 48  # a row not filled in yet keeps room to write in by hand


def write_selfcheck_xlsx(out: Path | str | BinaryIO, data: FilingDocumentData) -> None:
    """Write 附件3 for ``data`` as an .xlsx (to a path atomically, or to a file object)."""
    form = data.template.self_check
    wb = Workbook()
    ws = wb.active
    ws.title = form.attachment_label[:31]
    ncols = len(form.columns)
    write_form_heading(ws, form.attachment_label, form.title, ncols, COLUMN_WIDTHS)

    # Row 3 as in the seed: 填报单位, 单位负责人签名 (left blank: the leader signs the
    # printed form by hand), the date; as tall as a long unit name needs.
    unit_text, date_text = form.unit_label + data.unit_name, date_or_blanks(data.filled_on)
    ws.merge_cells("A3:B3")
    set_text(ws["A3"], unit_text)
    style_cell(ws["A3"], font=LINE_FONT, alignment=LEFT, border=False)
    ws.merge_cells("C3:D3")
    set_text(ws["C3"], form.leader_label)
    style_cell(ws["C3"], font=LINE_FONT, alignment=LEFT, border=False)
    set_text(ws["E3"], date_text)
    style_cell(ws["E3"], font=LINE_FONT, alignment=RIGHT_WRAP, border=False)
    fit_row_height(ws, 3, [(unit_text, sum(COLUMN_WIDTHS[:2])), (form.leader_label, sum(COLUMN_WIDTHS[2:4])),
                           (date_text, COLUMN_WIDTHS[4])], LINE_FONT.size, HEADING_HEIGHT)

    for column, header in enumerate(form.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column)
        set_text(cell, header)
        style_header_cell(cell)

    row = HEADER_ROW + 1
    for section in data.self_check:
        first = row
        findings = finding_cells(section)
        if findings:
            for finding, source in zip(findings, section.findings):
                problem, measure, owner, _due = finding
                for column, value in ((2, problem), (3, measure), (4, owner)):
                    cell = ws.cell(row=row, column=column)
                    set_text(cell, value)
                    style_cell(cell, alignment=TOP_WRAP if column < 4 else CENTER)
                due = ws.cell(row=row, column=5, value=source.due)  # a real date, shown the Chinese way
                due.number_format = DATE_FORMAT
                style_cell(due, alignment=CENTER)
                fit_row_height(ws, row, list(zip(finding[:3], COLUMN_WIDTHS[1:4])))
                row += 1
        else:
            for column in range(2, ncols + 1):
                style_cell(ws.cell(row=row, column=column), alignment=CENTER)
            if section.none_confirmed:
                set_text(ws.cell(row=row, column=2), NONE_TEXT)
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncols)
                fit_row_height(ws, row, [])
            else:
                ws.row_dimensions[row].height = EMPTY_ROW_HEIGHT
            row += 1
        last = row - 1
        item = ws.cell(row=first, column=1)
        set_text(item, section.item)
        for r in range(first, last + 1):
            style_cell(ws.cell(row=r, column=1), alignment=CENTER)
        if last > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
        # The merged 项目内容 must fit in its rows together: the last row gets what is missing.
        missing = needed_height([(section.item, COLUMN_WIDTHS[0])]) - sum(
            ws.row_dimensions[r].height for r in range(first, last + 1))
        if missing > 0:
            ws.row_dimensions[last].height += missing

    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    row += 1
    if form.instructions:
        write_note_row(ws, row, form.instructions, COLUMN_WIDTHS)
        row += 1
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    setup_a4_print(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)
    stamp_workbook(wb, ws, data, f"{form.attachment_label} {form.title}（{data.unit_name}）", row=row, columns=ncols)
    save_workbook(wb, out)
