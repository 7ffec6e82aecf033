"""The bureau-wide 附件2: one workbook with an overview sheet and one sheet per unit.

The overview (汇总) has a line per unit: delivered or not, where the data came
from (a signed 报送包 or an unsigned Excel), revision, on time, pledges
required/signed/outstanding, findings open/done, the office's state, and a
合计 line over the units that say all of these; the Excel-only units' signers
on a line of their own, with a note saying so. Each unit that delivered gets a sheet laid out as its own 附件2 (the
heading, row heights and 填报说明 helpers of ``summary_xlsx``): “附件2：”, the
title, “单位（盖章）：<unit>”, the template's columns (序号, 姓名, 职务, 工作岗位,
是否党员) and 填报说明. Every user text goes in through
``xlsx_cells.set_text``; every sheet prints on A4, one page wide, header repeated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qingqing_desktop import APP_NAME, __version__
from qingqing_desktop.documents.summary_xlsx import COLUMN_WIDTHS as UNIT_WIDTHS
from qingqing_desktop.documents.summary_xlsx import (
    HEADER_ROW,
    LINE_FONT,
    fit_row_height,
    write_form_heading,
    write_note_row,
)
from qingqing_desktop.documents.xlsx_cells import (
    CENTER,
    HEADER_FONT,
    LEFT,
    NOTE_FONT,
    TITLE_FONT,
    save_workbook_atomic,
    set_text,
    setup_a4_print,
    style_cell,
    style_header_cell,
)
from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.dates import chinese_date, local_time
from qingqing_desktop.domain.office import (
    TOTAL_LABEL,
    TOTALS_NOTE,
    BoardRow,
    DeliverySource,
    SummaryRow,
    board_totals,
    excel_total_label,
)

__all__ = ["OVERVIEW_SHEET", "OVERVIEW_HEADERS", "UnitTable", "sheet_names", "write_office_workbook"]

OVERVIEW_SHEET = "汇总"
OVERVIEW_HEADERS = ("序号", "单位", "报送情况", "数据来源", "版次", "首次报送时间", "是否按时", "应签人数", "已签人数",
                    "其中不须签订", "未签人数", "问题未整改", "问题已整改", "状态")
# 其中不须签订: of 已签, the people outside 应签 who signed all the same (so 应签 − 已签 may differ from 未签)
OVERVIEW_WIDTHS = (6, 22, 10, 16, 6, 18, 10, 10, 10, 13, 10, 11, 11, 10)
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_RESERVED_SHEETS = {"history"}  # Excel keeps this name for change tracking


@dataclass(frozen=True)
class UnitTable:
    """One unit's 附件2 as delivered."""

    unit: str
    revision: int | None
    signed: bool  # a signed 报送包 (True) or an unsigned Excel (False)
    rows: tuple[SummaryRow, ...]


def sheet_names(units: Sequence[str]) -> list[str]:
    """A valid, unique sheet name for each unit (≤31 characters, no []:*?/\\), beside 汇总."""
    taken = {OVERVIEW_SHEET.casefold(), *_RESERVED_SHEETS}
    names = []
    for unit in units:
        base = unit.translate(_SHEET_FORBIDDEN).strip("' ")[:31] or "单位"
        name, n = base, 2
        while name.casefold() in taken:
            suffix = f"({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _number(value: int | None) -> int | str:
    return "—" if value is None else value


def _overview_values(n: int, row: BoardRow) -> list:
    return [
        n, row.listed_unit, "已报送" if row.delivered else "未报送",
        row.source.label if row.delivered else "",
        row.revision or "", local_time(row.first_delivered_at), row.on_time_label,
        *(_number(count) if row.delivered else "" for count in (
            row.pledges_required, row.pledges_signed, row.pledges_signed_unrequired, row.pledges_outstanding,
            row.findings_open, row.findings_done)),
        row.state.value,
    ]


def _put(ws, row: int, column: int, value, *, alignment=CENTER, font=None) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, int):
        cell.value = value  # our own counts, not user text
    else:
        set_text(cell, value)
    style_cell(cell, alignment=alignment, **({"font": font} if font else {}))


def _title_rows(ws, title: str, subtitle: str, width: int) -> None:
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], title)
    style_cell(ws["A1"], font=TITLE_FONT, alignment=CENTER, border=False)
    ws.row_dimensions[1].height = 32
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], subtitle)
    style_cell(ws["A2"], font=NOTE_FONT, alignment=LEFT, border=False)
    ws.row_dimensions[2].height = 20


def _write_overview(ws, campaign: Campaign, rows: Sequence[BoardRow], office_name: str, today: dt.date) -> None:
    _title_rows(
        ws, f"{campaign.title} 承诺书签订情况汇总",
        f"文号：{campaign.document_number or '（无）'}　截止日期：{chinese_date(campaign.deadline)}　"
        f"汇总：{office_name}　导出日期：{chinese_date(today)}",
        len(OVERVIEW_HEADERS),
    )
    for column, header in enumerate(OVERVIEW_HEADERS, start=1):
        style_header_cell(ws.cell(row=3, column=column))
        set_text(ws.cell(row=3, column=column), header)
    for n, row in enumerate(rows, start=1):
        for column, value in enumerate(_overview_values(n, row), start=1):
            _put(ws, 3 + n, column, value, alignment=LEFT if column == 2 else CENTER)
    totals = board_totals(rows)
    last = 4 + len(rows)
    packages = totals.delivered - totals.unsigned_data
    total_values = ["", TOTAL_LABEL, f"{totals.delivered}/{totals.units}", f"报送包{packages}个", "", "",
                    f"逾期{totals.late + totals.overdue}个", totals.pledges_required, totals.pledges_signed_known,
                    totals.pledges_signed_unrequired, totals.pledges_outstanding, totals.findings_open,
                    totals.findings_done,
                    f"确认{totals.confirmed}个"]
    for column, value in enumerate(total_values, start=1):
        _put(ws, last, column, value, font=HEADER_FONT)
    if totals.unsigned_data:
        excel_values = ["", excel_total_label(totals.unsigned_data), "", DeliverySource.EXCEL.label, "", "", "",
                        "—", totals.pledges_signed_excel, "—", "—", "—", "—", ""]
        for column, value in enumerate(excel_values, start=1):
            _put(ws, last + 1, column, value, font=HEADER_FONT)
        note_row = last + 2
        ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(OVERVIEW_HEADERS))
        set_text(ws.cell(row=note_row, column=1), "注：" + TOTALS_NOTE)
        style_cell(ws.cell(row=note_row, column=1), font=NOTE_FONT, alignment=LEFT, border=False)
        ws.row_dimensions[note_row].height = 32  # two lines across the landscape page
    for column, width in enumerate(OVERVIEW_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "C4"
    setup_a4_print(ws, title_rows="3:3", landscape=True)


def _write_unit(ws, campaign: Campaign, table: UnitTable) -> None:
    """The unit's 附件2 as its own workbook lays it out (``summary_xlsx``), with the data's
    revision and source where the form has its date."""
    form = campaign.template.summary_table
    width = len(form.columns)
    write_form_heading(ws, form.attachment_label, form.title, width)
    ws.merge_cells(f"A3:{get_column_letter(width - 2)}3")
    set_text(ws["A3"], form.unit_label + table.unit)
    style_cell(ws["A3"], font=LINE_FONT, alignment=LEFT, border=False)
    ws.merge_cells(start_row=3, start_column=width - 1, end_row=3, end_column=width)
    source = (DeliverySource.PACKAGE if table.signed else DeliverySource.EXCEL).label
    set_text(ws.cell(row=3, column=width - 1), f"第{table.revision}版 {source}")
    style_cell(ws.cell(row=3, column=width - 1), font=NOTE_FONT, alignment=CENTER, border=False)
    for column, header in enumerate(form.columns, start=1):
        set_text(ws.cell(row=HEADER_ROW, column=column), header)
        style_header_cell(ws.cell(row=HEADER_ROW, column=column))
    for n, person in enumerate(table.rows, start=1):
        values = (n, person.name, person.rank, person.post, "是" if person.party_member else "否")
        for column, value in enumerate(values, start=1):
            _put(ws, HEADER_ROW + n, column, value, alignment=LEFT if column == 4 else CENTER)
        fit_row_height(ws, HEADER_ROW + n, [(str(v), w) for v, w in zip(values, UNIT_WIDTHS)])
    if form.instructions:
        write_note_row(ws, HEADER_ROW + len(table.rows) + 2, form.instructions, UNIT_WIDTHS)
    for column, width_chars in enumerate(UNIT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width_chars
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    setup_a4_print(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def write_office_workbook(
    path: Path,
    campaign: Campaign,
    rows: Sequence[BoardRow],
    units: Sequence[UnitTable],
    *,
    office_name: str,
    today: dt.date | None = None,
) -> None:
    """Write the consolidated workbook atomically: 汇总 first, then one sheet per unit in ``units``."""
    wb = Workbook()
    overview = wb.active
    overview.title = OVERVIEW_SHEET
    _write_overview(overview, campaign, rows, office_name, today or dt.date.today())
    for name, table in zip(sheet_names([u.unit for u in units]), units):
        _write_unit(wb.create_sheet(name), campaign, table)
    wb.properties.title = f"{campaign.title} 承诺书签订情况汇总"
    wb.properties.creator = office_name or APP_NAME
    wb.properties.description = f"{APP_NAME} {__version__}"
    save_workbook_atomic(wb, Path(path))
