"""附件2 承诺书签订情况汇总表 as a stamped PDF.

As in the seed: “附件2：”, the title, “单位（盖章）：<unit>” with the date on the same
line, the table 序号 / 姓名 / 职务 / 工作岗位 / 是否党员 of everyone who signed in this
campaign, and the template's 填报说明 under it. The seed puts 单位（盖章） at the top,
so the seal area (42 mm) is kept there, centred over the unit name with the line at
its centre-lower part; the table starts under the seal area, so a seal never covers
a name in the table.

The table is set in 小四 仿宋: one line per person, so a 40-person unit fits on two
pages. Its header repeats on every page, a row never splits across pages, the last
page holds at least three rows with the 填报说明, and a name or post that needs two
lines breaks between words (建筑市场监管, never 建筑市|场监管). Each
page carries the footer stamp with QR code and, when the unit has a signing key, the
key's fingerprint (DESIGN.md, Exchange: the stamped 汇总表 vouches for the key).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from qingqing_desktop.documents.filing_data import FilingDocumentData, PledgeEntry
from qingqing_desktop.documents.pdf_base import SIZE_XIAO4, mm
from qingqing_desktop.documents.stamp import (
    PORTRAIT,
    RULE_WIDTH,
    SealLine,
    StampedPages,
    TableText,
    attachment_heading,
    date_or_blanks,
    keep_last_rows,
    identity_hash,
    write_pdf,
)
from qingqing_desktop.domain.paper_code import FormKind

__all__ = ["BLANK_ROWS", "KEY_LABEL", "summary_cells", "write_summary_pdf"]

BLANK_ROWS = 10  # nobody signed yet: an empty table to fill in by hand is still useful
BLANK_ROW_HEIGHT = 10 * mm  # room for handwriting
# 小四, one line per person: a 40-person unit fits on two pages.
TEXT = TableText(size=SIZE_XIAO4, leading=16.0, note_leading=20.0)
KEY_LABEL = "单位密钥指纹："
# 序号, 姓名 (阿依古丽· on a line), 职务 (一般工作人员: 6 characters), 工作岗位 (the rest), 是否党员
COLUMN_WIDTHS = (11 * mm, 24 * mm, 29 * mm, None, 20 * mm)
CENTRED_COLUMNS = (0, 1, 2, 4)
# Filled-in texts of the columns (序号, 姓名, 职务, 工作岗位, 是否党员): where they may break.
COLUMN_WORDS = (None, "name", "title", "post", None)


def summary_cells(entries: list[PledgeEntry]) -> list[tuple[str, str, str, str, str]]:
    """The table's rows as printed (PDF and Excel alike): 序号, 姓名, 职务 (the category
    word, as 填报说明 1 asks), 工作岗位, 是否党员."""
    return [
        (str(n), e.name, e.rank.value, e.post, "是" if e.party_member else "否")
        for n, e in enumerate(entries, start=1)
    ]


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]], width: float, note: str) -> Table:
    fixed = sum(w for w in COLUMN_WIDTHS if w is not None)
    widths = [w if w is not None else width - fixed for w in COLUMN_WIDTHS]

    def align(column: int) -> str:
        return "center" if column in CENTRED_COLUMNS else "justify"

    data = [[TEXT.cell(h, align="center", header=True) for h in columns]]
    data += [[TEXT.cell(v, align=align(c), words=COLUMN_WORDS[c] if c < len(COLUMN_WORDS) else None)
              for c, v in enumerate(row)] for row in rows]
    heights = [None] + [None if any(row) else BLANK_ROW_HEIGHT for row in rows]
    last_body = len(data) - 1
    commands = TEXT.commands() + [("GRID", (0, 0), (-1, last_body), RULE_WIDTH, colors.black)]
    if note:
        row, extra = TEXT.note_row(note, len(columns), len(data))
        data.append(row)
        heights.append(None)
        commands += extra
    commands.append(keep_last_rows(1, last_body, len(data) - 1))
    # splitByRow: a page ends between people, never inside one.
    return Table(data, colWidths=widths, rowHeights=heights, repeatRows=1, splitByRow=1,
                 style=TableStyle(commands), hAlign="CENTER")


def write_summary_pdf(out: Path | str | BinaryIO, data: FilingDocumentData) -> None:
    """Write 附件2 for ``data`` (everyone of ``data.summary_entries()``)."""
    form = data.template.summary_table
    rows = summary_cells(data.summary_entries()) or [("",) * len(form.columns)] * BLANK_ROWS
    geometry = PORTRAIT
    story = attachment_heading(form.attachment_label, form.title)
    story.append(SealLine(form.unit_label, data.unit_name, date_or_blanks(data.filled_on),
                          seal_image=data.seal_image))
    story.append(_table(form.columns, rows, geometry.width, form.instructions))
    extra = [f"{KEY_LABEL}{data.key_fingerprint}"] if data.key_fingerprint else []
    write_pdf(out, story, geometry=geometry, pages={"page": StampedPages(data, geometry, FormKind.SUMMARY, extra_lines=extra)},
              title=f"{form.attachment_label} {form.title}（{data.unit_name}）", subject=data.campaign_title,
              author=data.unit_name, keywords=[identity_hash(data)])
