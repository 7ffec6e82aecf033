"""The discipline office's PDF overview of delivery and coverage: one line per unit, then the totals.

A4 portrait on the GB/T 9704 text area; the title in the title font, the table in
小五/五号 Song through the documents font layer (per-character fallback, 禁则), its
header repeated on every page, “— n —” page numbers. Columns: 单位, 报送情况 and
数据来源 (worded as the exported workbook's), 版次, 按时, 承诺书 应签/已签/未签,
问题 未整改/已整改, 状态; then the 合计 lines saying what the workbook's do (已报/单位,
逾期, 确认 included). “—” marks what a unit's delivery cannot tell (an Excel 附件2 has
no 应签 count and no 自查表).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import Spacer, Table, TableStyle

from qingqing_desktop.documents.cjk_text import CJKParagraph
from qingqing_desktop.documents.fonts import font_chain
from qingqing_desktop.documents.pdf_base import (
    SIZE_5HAO,
    TEXT_WIDTH,
    draw_page_number,
    mm,
    table_font_commands,
)
from qingqing_desktop.documents.stamp import PORTRAIT, write_pdf
from qingqing_desktop.domain.campaign import Campaign
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.office import (
    SIGNED_MARK,
    SIGNED_MARK_NOTE,
    TOTAL_LABEL,
    TOTALS_NOTE,
    BoardRow,
    BoardTotals,
    DeliverySource,
    board_totals,
    excel_total_label,
)

__all__ = ["HEADERS", "overview_cells", "totals_text", "write_overview_pdf"]

HEADERS = ("序号", "单位", "报送情况", "数据来源", "版次", "按时", "应签", "已签", "未签", "未整改", "已整改", "状态")
# millimetres, summing to the 156 mm text width; 数据来源 holds “（已签名）” whole on its second line
WIDTHS_MM = (8, 33.5, 14.8, 17.5, 8, 14.2, 9, 9, 9, 11, 11, 11)
CELL_SIZE = 9.0
CELL_LEADING = 12.0
TITLE_SIZE = 18.0
HEADER_FILL = colors.Color(0.85, 0.85, 0.85)
NOTE = ("注：“按时”以单位首次报送的报送包中签名的生成时间计（Excel汇总表，以及生成时间晚于本室收到时间的报送包，以导入时间计），"
        "不晚于截止日期当天即为按时；"
        "“—”表示该单位只报送了Excel汇总表（未签名），无法统计应签人数和自查问题。")


def note_text(rows: Sequence[BoardRow]) -> str:
    """The note under the table; what “*” means only when a line has one, what 合计 counts only when an
    Excel-only unit is left out of it."""
    return (NOTE + (SIGNED_MARK_NOTE if any(r.pledges_signed_unrequired for r in rows) else "")
            + (TOTALS_NOTE if any(r.signed is False for r in rows) else ""))


def _lines(label: str) -> str:
    # “报送包” over “（已签名）”: broken before the bracket, not inside it, in a narrow column
    return label.replace("（", "\n（", 1)


def _number(row: BoardRow, value: int | None) -> str:
    if not row.delivered:
        return ""
    return "—" if value is None else str(value)


def overview_cells(rows: Sequence[BoardRow]) -> list[tuple[str, ...]]:
    """The table's lines as printed, the 合计 lines last (also what the tests read back)."""
    cells = []
    for n, row in enumerate(rows, start=1):
        cells.append((
            str(n), row.listed_unit, "已报送" if row.delivered else "未报送",
            _lines(row.source.label) if row.delivered else "", str(row.revision or ""), row.on_time_label,
            _number(row, row.pledges_required),
            _number(row, row.pledges_signed) + row.signed_mark,
            _number(row, row.pledges_outstanding), _number(row, row.findings_open),
            _number(row, row.findings_done), row.state.value,
        ))
    # The same facts as the workbook's 合计 row (已报/单位, 报送包, 逾期, 确认), then people and findings;
    # 逾期 and 确认 over their counts: “确认1个” is wider than the 状态 column.
    totals = board_totals(rows)
    cells.append((
        "", TOTAL_LABEL, f"{totals.delivered}/{totals.units}", f"报送包{totals.delivered - totals.unsigned_data}个",
        "", f"逾期\n{totals.late + totals.overdue}个",
        str(totals.pledges_required),
        str(totals.pledges_signed_known) + (SIGNED_MARK if totals.pledges_signed_unrequired else ""),
        str(totals.pledges_outstanding), str(totals.findings_open), str(totals.findings_done),
        f"确认\n{totals.confirmed}个",
    ))
    if totals.unsigned_data:
        cells.append(("", _lines(excel_total_label(totals.unsigned_data)), "", _lines(DeliverySource.EXCEL.label),
                      "", "", "—", str(totals.pledges_signed_excel), "—", "—", "—", ""))
    return cells


def totals_text(totals: BoardTotals) -> str:
    # Each bracket right after what it qualifies: “逾期1份（其中仅报Excel的1份）” read as if the late one were
    # the Excel one, when it counted the Excel ones among everything received.
    excel = f"（其中只交Excel汇总表的{totals.unsigned_data}份）" if totals.unsigned_data else ""
    return (
        f"{totals.units_text()}；收到报送{totals.delivered}份{excel}，按时{totals.on_time}份、逾期{totals.late}份；"
        f"逾期未报{totals.overdue}个；承诺书应签{totals.pledges_required}人、已签{totals.signed_text()}、"
        f"未签{totals.pledges_outstanding}人；自查问题未整改{totals.findings_open}条、已整改{totals.findings_done}条；"
        f"已确认{totals.confirmed}个，退回待改{totals.returned}个。"
    )


def write_overview_pdf(
    path: Path,
    campaign: Campaign,
    rows: Sequence[BoardRow],
    totals: BoardTotals,
    *,
    office_name: str,
    today: dt.date,
) -> None:
    """Write the overview PDF atomically."""
    song, title_font = font_chain("song"), font_chain("title")

    def para(text: str, size: float = CELL_SIZE, alignment: str = "center", chain=song) -> CJKParagraph:
        return CJKParagraph(text, chain, size, CELL_LEADING if size == CELL_SIZE else size * 1.5, alignment)

    header = [para(h) for h in HEADERS]
    body = [[para(text, alignment="left" if i == 1 else "center") for i, text in enumerate(line)]
            for line in overview_cells(rows)]
    table = Table([header, *body], colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(TableStyle([
        *table_font_commands(song, CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    story = [
        para(f"{campaign.title}", TITLE_SIZE, chain=title_font),
        para("报送情况一览", TITLE_SIZE, chain=title_font),
        Spacer(TEXT_WIDTH, 4 * mm),
        # Two lines, so that a long office name is not broken across them
        para(f"文号：{campaign.document_number or '（无）'}　截止日期：{chinese_date(campaign.deadline)}",
             SIZE_5HAO, "left"),
        para(f"汇总：{office_name}　统计日期：{chinese_date(today)}", SIZE_5HAO, "left"),
        Spacer(TEXT_WIDTH, 2 * mm),
        para(totals_text(totals), SIZE_5HAO, "left"),
        Spacer(TEXT_WIDTH, 4 * mm),
        table,
        Spacer(TEXT_WIDTH, 3 * mm),
        para(note_text(rows), CELL_SIZE, "left"),
    ]

    def number_page(canvas, doc) -> None:
        draw_page_number(canvas, doc.page, song)

    write_pdf(Path(path), story, geometry=PORTRAIT, pages={"overview": number_page},
              title=f"{campaign.title} 报送情况一览", subject=campaign.title, author=office_name)
