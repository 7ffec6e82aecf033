"""附件2 as Excel from a unit that does not use the app: the rows of its 承诺书签订情况汇总表.

Two layouts are read, and anything between them: the workbook the app's own
``summary_xlsx`` writes, and a hand-made sheet with the seed's columns (序号,
姓名, 职务, 工作岗位, 是否党员) under a title and a “单位（盖章）：” line. The
table itself is found and read by ``exchange.roster_excel.read_roster`` (header
search, merged cells, 合计/填报说明 rows); this module adds what a 附件2 needs on
top: the unit named above the table, and every row complete — a row the reader
has doubts about refuses the whole file, naming the row and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.office import SummaryRow
from qingqing_desktop.domain.roster_rules import FIELD_LABELS
from qingqing_desktop.exchange import xlsx_guard
from qingqing_desktop.exchange.roster_excel import cell_text, read_roster

REQUIRED_COLUMNS = ("name", "post", "party")  # and 职务 or 职务类别, which read_roster insists on

# “单位（盖章）：技术科　　2019年3月12日” — NFKC has made the brackets and the colon ASCII.
_UNIT_LINE = re.compile(r"^(?:填报)?单位(?:\((?:盖章|公章)\))?:(.*)$")
_DATE_TAIL = re.compile(r"(?:日期:?)?\s*(?:\d{4}\s*年.*|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*|年\s*月\s*日)$")


@dataclass(frozen=True)
class SummarySheet:
    file_name: str
    sheet_name: str
    header_row: int
    unit_name: str  # as written on the “单位（盖章）” line above the table; "" if none
    rows: tuple[SummaryRow, ...]


def _unit_on_line(texts: list[str]) -> str | None:
    """The unit named on a “单位（盖章）：” line, "" if the line is there but empty, None if no such line."""
    for index, raw in enumerate(texts):
        normalised = unicodedata.normalize("NFKC", raw)
        if not _UNIT_LINE.match(re.sub(r"\s+", "", normalised)):
            continue
        # The name may follow the colon in the same cell or stand in the next cell.
        name = _DATE_TAIL.sub("", normalised.split(":", 1)[1].strip()).strip()
        if not name:
            following = [t for t in texts[index + 1:] if t.strip()]
            name = _DATE_TAIL.sub("", following[0].strip()).strip() if following else ""
        return name
    return None


def _unit_above(path: Path, name: str, sheet_name: str, header_row: int) -> str:
    wb = xlsx_guard.open_workbook_safely(path, display_name=name)
    try:
        ws = wb[sheet_name]
        for number, values in xlsx_guard.iter_rows_safely(ws, display_name=name):
            if number >= header_row:
                break
            found = _unit_on_line([cell_text(v) for v in values])
            if found is not None:
                return found
    finally:
        wb.close()
    return ""


def read_summary_excel(path: Path, *, display_name: str | None = None) -> SummarySheet:
    """Read a unit's 附件2 workbook; ``InputRejected`` naming file, sheet, row and column on any doubt."""
    path = Path(path)
    name = display_name or path.name
    sheet = read_roster(path, display_name=name)
    where = Location(file=name, sheet=sheet.sheet_name, row=sheet.header_row)
    missing = [FIELD_LABELS[c] for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        raise InputRejected(
            f"表头缺少“{'、'.join(missing)}”栏。承诺书签订情况汇总表应有：序号、姓名、职务、工作岗位、是否党员。", where
        )
    for row in sheet.rows:
        if row.problems:
            raise InputRejected(
                f"{row.problems[0]}。请按填报说明填写（职务一栏填中层干部或一般工作人员，是否党员填是或否）后再导入，"
                "本次未导入任何数据。",
                Location(file=name, sheet=sheet.sheet_name, row=row.sheet_row),
            )
    if not sheet.rows:
        raise InputRejected("表中没有人员（表头下面是空的），未导入任何数据。", where)
    rows = tuple(SummaryRow(r.name, r.rank.value, r.post, bool(r.party_member)) for r in sheet.rows)
    unit_name = _unit_above(path, name, sheet.sheet_name, sheet.header_row)
    return SummarySheet(name, sheet.sheet_name, sheet.header_row, unit_name, rows)
