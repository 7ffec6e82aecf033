"""The roster as an Excel file, and the import template clerks fill in.

Both files are read back by ``exchange.roster_excel.read_roster``: the header
names here are ones it recognises, and the template's example rows start with
“示例：” so the reader skips them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from qingqing_desktop.documents.xlsx_cells import (
    CENTER,
    CJK_FONT,
    EXAMPLE_FILL,
    EXAMPLE_FONT,
    LEFT,
    NOTE_FONT,
    RIGHT,
    TITLE_FONT,
    save_workbook_atomic,
    set_text,
    setup_a4_print,
    size_columns,
    style_cell,
    style_header_cell,
)
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.staff import RankCategory, StaffMember, StaffStatus

ROSTER_HEADERS = ("序号", "姓名", "职务类别", "职务", "工作岗位/分管工作", "是否党员", "状态", "备注")
TEMPLATE_HEADERS = ("姓名", "职务", "职务类别", "工作岗位", "是否党员", "状态", "备注")
TEMPLATE_HEADER_ROW = 3
TEMPLATE_DATA_ROWS = 2000  # rows the dropdowns cover below the header
TEMPLATE_INSTRUCTIONS = {
    "姓名": "必填。只写姓名，不要加空格、职务或编号。",
    "职务": "填写实际职务或职级，如科长、副站长、办公室主任、科员、一级主任科员。",
    "职务类别": "从下拉列表选：中层干部 或 一般工作人员。不填时按“职务”判断，判断不了会在导入时询问。",
    "工作岗位": "中层干部填分管工作；一般工作人员从下拉列表选重点岗位，或直接填写其他岗位。",
    "是否党员": "从下拉列表选：是 或 否（也可填中共党员、群众等政治面貌）。",
    "状态": "不填即为在岗；已离开本单位的人填调离、退休等，不要删除。",
    "备注": "选填。",
}
OPTIONS_SHEET = "选项"


def write_roster_workbook(
    path: Path,
    unit_name: str,
    members: Sequence[StaffMember],
    *,
    export_date: dt.date | None = None,
) -> None:
    """Write the unit's roster as a styled, A4-printable workbook (one row per person, in the given order)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名单"
    width = len(ROSTER_HEADERS)
    last = get_column_letter(width)

    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], f"{unit_name} 人员名单")
    style_cell(ws["A1"], font=TITLE_FONT, alignment=CENTER, border=False)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], f"导出日期：{chinese_date(export_date or dt.date.today())}　共{len(members)}人")
    style_cell(ws["A2"], font=NOTE_FONT, alignment=RIGHT, border=False)

    texts: dict[int, list[str]] = {c: [h] for c, h in enumerate(ROSTER_HEADERS, start=1)}
    for column, header in enumerate(ROSTER_HEADERS, start=1):
        cell = ws.cell(row=3, column=column)
        set_text(cell, header)
        style_header_cell(cell)
    for offset, member in enumerate(members):
        row = 4 + offset
        values = (
            member.name, member.rank.value, member.title, member.post,
            "是" if member.party_member else "否", member.status.value, member.note,
        )
        seq = ws.cell(row=row, column=1, value=offset + 1)  # our own number, not user text
        style_cell(seq, alignment=CENTER)
        texts[1].append(str(offset + 1))
        for column, value in enumerate(values, start=2):
            cell = ws.cell(row=row, column=column)
            set_text(cell, value)
            style_cell(cell, alignment=CENTER if column in (3, 6, 7) else LEFT)
            texts[column].append(value)

    size_columns(ws, texts, maximum=36)
    ws.freeze_panes = "A4"
    setup_a4_print(ws, title_rows="3:3")
    save_workbook_atomic(wb, path)


def _list_validation(values: Sequence[str], *, prompt: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error = "请从下拉列表中选择。"
    dv.errorTitle = "输入有误"
    dv.prompt = prompt
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def write_import_template(path: Path, key_posts: Sequence[str]) -> None:
    """Write the .xlsx clerks fill in to import a roster: instructions, header, dropdowns, two example rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名单"
    width = len(TEMPLATE_HEADERS)
    last = get_column_letter(width)
    column_of = {h: c for c, h in enumerate(TEMPLATE_HEADERS, start=1)}
    header_row, first_data = TEMPLATE_HEADER_ROW, TEMPLATE_HEADER_ROW + 1
    last_data = header_row + TEMPLATE_DATA_ROWS

    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], "人员名单导入模板（第2行是填写说明；以“示例：”开头的两行是示例，导入时自动跳过，可删除）")
    style_cell(ws["A1"], font=Font(name=CJK_FONT, size=13, bold=True), alignment=LEFT, border=False)
    ws.row_dimensions[1].height = 30
    for header, column in column_of.items():
        note = ws.cell(row=2, column=column)
        set_text(note, TEMPLATE_INSTRUCTIONS[header])
        style_cell(note, font=NOTE_FONT, alignment=LEFT)
        cell = ws.cell(row=header_row, column=column)
        set_text(cell, header)
        style_header_cell(cell)
    ws.row_dimensions[2].height = 75

    first_post = key_posts[0] if key_posts else "行政审批"
    examples = (
        {"姓名": "示例：张三", "职务": "科长", "职务类别": RankCategory.MIDDLE_CADRE.value,
         "工作岗位": "分管行政审批、质量监管", "是否党员": "是", "状态": StaffStatus.ACTIVE.value,
         "备注": "示例行，导入时跳过"},
        {"姓名": "示例：李四", "职务": "科员", "职务类别": RankCategory.STAFF.value,
         "工作岗位": first_post, "是否党员": "否", "状态": StaffStatus.ACTIVE.value,
         "备注": "示例行，导入时跳过"},
    )
    for offset, example in enumerate(examples):
        for header, column in column_of.items():
            cell = ws.cell(row=first_data + offset, column=column)
            set_text(cell, example[header])
            style_cell(cell, font=EXAMPLE_FONT, fill=EXAMPLE_FILL)

    def column_range(header: str) -> str:
        letter = get_column_letter(column_of[header])
        return f"{letter}{first_data}:{letter}{last_data}"

    ranks = _list_validation([r.value for r in RankCategory], prompt="中层干部 或 一般工作人员")
    ranks.add(column_range("职务类别"))
    party = _list_validation(["是", "否"], prompt="是 或 否")
    # 中共党员/群众 etc. are read too, so a typed 政治面貌 only gets a warning, not a refusal.
    party.errorStyle = "warning"
    party.error = "建议从下拉列表选择“是”或“否”；中共党员、群众等政治面貌也能识别。"
    party.add(column_range("是否党员"))
    statuses = _list_validation([s.value for s in StaffStatus], prompt="不填即为在岗")
    statuses.add(column_range("状态"))
    for dv in (ranks, party, statuses):
        ws.add_data_validation(dv)

    if key_posts:
        # The posts come from the policy template: kept on a hidden sheet, since an inline
        # list breaks on commas or quotes and is limited to 255 characters.
        options = wb.create_sheet(OPTIONS_SHEET)
        for row, post in enumerate(key_posts, start=1):
            set_text(options.cell(row=row, column=1), post)
        options.sheet_state = "hidden"
        posts = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(OPTIONS_SHEET)}!$A$1:$A${len(key_posts)}",
            allow_blank=True,
        )
        posts.prompt = "一般工作人员可从列表选重点岗位；中层干部请直接填写分管工作"
        posts.showInputMessage = True
        posts.showErrorMessage = False  # any other post may be typed in
        posts.add(column_range("工作岗位"))
        ws.add_data_validation(posts)

    size_columns(ws, {c: [h] for h, c in column_of.items()}, minimum=14, maximum=30)
    ws.column_dimensions[get_column_letter(column_of["工作岗位"])].width = 26
    ws.column_dimensions[get_column_letter(column_of["备注"])].width = 22
    ws.freeze_panes = f"A{first_data}"
    setup_a4_print(ws, title_rows=f"{header_row}:{header_row}", landscape=True)
    save_workbook_atomic(wb, path)
