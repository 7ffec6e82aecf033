"""附件3 “三清单一承诺”自查表 as a stamped PDF, on landscape A4.

The seed's table is wide (项目内容 / 存在问题 / 整改措施 / 责任人 / 整改时限, with
the whole header line 填报单位 … 单位负责人签名 … 年 月 日 above it), and findings
are sentences: turned on the page, the two text columns get 64 mm each instead of
about 40, and a finding reads in a few lines instead of a narrow column of many.

Each finding is a sub-row of its 项目内容: finding n's problem, measure, owner and
due date start on one line, numbered 1．2．3． when a row has several — unless the
clerk numbered them already (一、 1. （1） ① 第一，…), then they print as typed. 项目内容 reads
as one merged cell (no rule between its sub-rows) but is a cell of its first
sub-row, so a page may end between two findings; the first sub-row on the next page
says “（续上页）” in that column. A finding taller than a page is cut between lines.
The last page holds at least three sub-rows (or all that fit) with the 填表说明.
A row confirmed as having nothing prints “无” across the four columns.

The seal area sits over 填报单位's name; the unit leader signs by hand on the blank
rule after 单位负责人签名 (nothing is printed there: the seed leaves it blank).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.platypus import Spacer, Table, TableStyle

from qingqing_desktop.documents.cjk_text import CJKParagraph
from qingqing_desktop.documents.filing_data import FilingDocumentData, SelfCheckSection
from qingqing_desktop.documents.fonts import font_chain
from qingqing_desktop.documents.pdf_base import SIZE_5HAO, mm
from qingqing_desktop.documents.stamp import (
    LANDSCAPE,
    MIN_LAST_PAGE_ROWS,
    RULE_WIDTH,
    SealLine,
    StampedPages,
    TableText,
    attachment_heading,
    date_or_blanks,
    identity_hash,
    write_pdf,
)
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.numbered_text import starts_numbered
from qingqing_desktop.domain.paper_code import FormKind

__all__ = ["NONE_TEXT", "CONTINUED_TEXT", "finding_cells", "write_selfcheck_pdf"]

NONE_TEXT = "无"
CONTINUED_TEXT = "（续上页）"
EMPTY_ROW_LINES = 3  # a row not filled in yet keeps room to write in by hand
# 五号: a 200-character finding takes 12 lines in its 70 mm column, and the first page
# (after the heading and the 42 mm seal area) still holds it with the header row.
TEXT = TableText(size=SIZE_5HAO, leading=14.0, note_leading=18.0)
# 项目内容, 存在问题 (rest, shared), 整改措施 (rest, shared), 责任人, 整改时限 (2019年12月31日 fits)
ITEM_WIDTH, OWNER_WIDTH, DUE_WIDTH = 36 * mm, 20 * mm, 29 * mm


def finding_cells(section: SelfCheckSection) -> list[tuple[str, str, str, str]]:
    """存在问题, 整改措施, 责任人, 整改时限 of each finding as printed (PDF and Excel alike),
    numbered 1．2．3． when the row has more than one and the clerk numbered none of them."""
    numbered = len(section.findings) > 1 and not any(
        starts_numbered(f.problem) or starts_numbered(f.measure) for f in section.findings)
    rows = []
    for n, f in enumerate(section.findings, start=1):
        prefix = f"{n}．" if numbered else ""
        rows.append((prefix + f.problem, prefix + f.measure, f.owner, chinese_date(f.due)))
    return rows


class _PageMarks:
    """Which page last drew a 项目内容 cell: the first one drawn on a page belongs to the
    page's first body row (the repeated header has none)."""

    def __init__(self):
        self.page = None

    def first_on_page(self, canvas) -> bool:
        page = canvas.getPageNumber()
        first, self.page = self.page != page, page
        return first


class _ItemText(CJKParagraph):
    """项目内容 in its section's first sub-row."""

    def __init__(self, text: str, marks: _PageMarks):
        super().__init__(text, font_chain("fangsong"), TEXT.size, TEXT.leading, alignment="justify")
        self.marks = marks

    def draw(self):
        self.marks.first_on_page(self.canv)
        super().draw()


class _ItemContinued(CJKParagraph):
    """项目内容 in a later sub-row: blank (the merged look), unless the page starts here."""

    def __init__(self, marks: _PageMarks):
        super().__init__(CONTINUED_TEXT, font_chain("fangsong"), TEXT.size, TEXT.leading, alignment="left")
        self.marks = marks

    def draw(self):
        if self.marks.first_on_page(self.canv):
            super().draw()


class _FindingsTable(Table):
    """A Table that ends a page between rows, and cuts inside a row only when that row could
    not fit on a page of its own (a very long finding) — then right where the page ends.

    reportlab's own ``splitInRow`` would also cut an ordinary row that merely does not fit
    at the bottom of a page, or first end the page before the tall row and then cut it
    with a repeated header in the middle of the next part; so the choice is made here,
    from the row heights reportlab computed (``_rowHeights``), before delegating.
    """

    frame_height = LANDSCAPE.height
    continued = False  # a part after a page break (set on the parts split() returns)
    trailing_rows = 0  # rows after the findings (the 填表说明) that follow the last ones

    def split(self, availWidth, availHeight):  # noqa: N803 - platypus API
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        used, n = 0.0, 0
        while n < len(heights) and used + heights[n] <= availHeight:
            used += heights[n]
            n += 1
        if n < len(heights):
            head = sum(heights[: self.repeatRows])
            kept = self._keep_last_rows(n, heights, head)
            if kept <= self.repeatRows:
                return []  # nothing of it here: the rest goes whole to the next page
            if kept < n:  # end the page earlier: exactly after row kept - 1
                n, availHeight = kept, sum(heights[:kept]) + 1e-3
            # Move row n whole to the next page when it fits there — except when it is the
            # table's very first row: moving it would leave the form's heading alone on page 1.
            move = head + heights[n] <= self.frame_height and (n > self.repeatRows or self.continued)
            # splitByRow alone: end the page before row n; splitInRow alone: cut row n here.
            self.splitByRow, self.splitInRow = (1, 0) if move else (0, 1)
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            parts[1].trailing_rows = self.trailing_rows
            # 项目内容's box is open between sub-rows; close it where the page ends.
            parts[0].setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), RULE_WIDTH, colors.black)]))
            parts[1].continued = True
        return parts

    def _keep_last_rows(self, n: int, heights: list[float], head: float) -> int:
        """End this part before row ``n`` — or earlier, so that the rest, when it is the last
        page, starts with at least ``MIN_LAST_PAGE_ROWS`` findings. The table's first part
        keeps at least one (the form's heading never stands alone); a later part may keep
        none, when it came after an earlier split on the same page."""
        body_after = len(heights) - n - self.trailing_rows
        rest = head + sum(heights[n:])
        if body_after >= MIN_LAST_PAGE_ROWS or rest > self.frame_height:
            return n
        lowest = self.repeatRows + (0 if self.continued else 1)
        while n > lowest and len(heights) - n - self.trailing_rows < MIN_LAST_PAGE_ROWS:
            if rest + heights[n - 1] > self.frame_height:
                break
            n -= 1
            rest += heights[n]
        return n

    def _splitCell(self, value, style, oldHeight, newHeight, width):  # noqa: N802 - reportlab's name
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (_ItemText, _ItemContinued)):
            return value, [_ItemContinued(value[0].marks)]  # the cut row's rest says （续上页）
        # reportlab (checked on 4.x/5.x) splits a cell's flowables at the full column width
        # but lays them out at the width less the padding; split at the width they are drawn at.
        return super()._splitCell(value, style, oldHeight, newHeight, width - style.leftPadding - style.rightPadding)


def _table(data: FilingDocumentData, width: float) -> Table:
    form = data.template.self_check
    text_width = (width - ITEM_WIDTH - OWNER_WIDTH - DUE_WIDTH) / 2
    widths = [ITEM_WIDTH, text_width, text_width, OWNER_WIDTH, DUE_WIDTH]
    marks = _PageMarks()
    rows: list[list] = [[TEXT.cell(h, align="center", header=True) for h in form.columns]]
    commands = TEXT.commands() + [
        ("GRID", (1, 0), (-1, 0), RULE_WIDTH, colors.black),
        ("BOX", (0, 0), (0, 0), RULE_WIDTH, colors.black),
    ]
    for section in data.self_check:
        first = len(rows)
        item = [_ItemText(section.item, marks)]
        findings = finding_cells(section)
        if findings:
            for i, (problem, measure, owner, due) in enumerate(findings):
                rows.append([item if i == 0 else [_ItemContinued(marks)], TEXT.cell(problem), TEXT.cell(measure),
                             TEXT.cell(owner, align="center", words="name"), TEXT.cell(due, align="center")])
            commands.append(("VALIGN", (1, first), (-1, len(rows) - 1), "TOP"))
        elif section.none_confirmed:
            rows.append([item, TEXT.cell(NONE_TEXT, align="center"), "", "", ""])
            commands.append(("SPAN", (1, first), (-1, first)))
        else:
            rows.append([item, [Spacer(0, EMPTY_ROW_LINES * TEXT.leading)], "", "", ""])
        last = len(rows) - 1
        commands += [
            ("VALIGN", (0, first), (0, last), "TOP"),
            ("BOX", (0, first), (0, last), RULE_WIDTH, colors.black),  # 项目内容: one cell to the eye
            ("GRID", (1, first), (-1, last), RULE_WIDTH, colors.black),
        ]
    trailing = 0
    if form.instructions:
        row, extra = TEXT.note_row(form.instructions, len(form.columns), len(rows))
        rows.append(row)
        commands += extra
        trailing = 1
    table = _FindingsTable(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), hAlign="CENTER")
    table.trailing_rows = trailing
    return table


def write_selfcheck_pdf(out: Path | str | BinaryIO, data: FilingDocumentData) -> None:
    """Write 附件3 for ``data``."""
    form = data.template.self_check
    geometry = LANDSCAPE
    story = attachment_heading(form.attachment_label, form.title)
    story.append(SealLine(form.unit_label, data.unit_name, date_or_blanks(data.filled_on),
                          signature=form.leader_label, seal_image=data.seal_image))
    story.append(_table(data, geometry.width))
    write_pdf(out, story, geometry=geometry, pages={"page": StampedPages(data, geometry, FormKind.SELF_CHECK)},
              title=f"{form.attachment_label} {form.title}（{data.unit_name}）", subject=data.campaign_title,
              author=data.unit_name, keywords=[identity_hash(data)])
