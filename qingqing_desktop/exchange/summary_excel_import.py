"""附件2 as Excel from a unit that does not use the app: the rows of its 承诺书签订情况汇总表.

Two layouts are read, and anything between them: the workbook the app's own
``summary_xlsx`` writes, and a hand-made sheet with the seed's columns (序号,
姓名, 职务, 工作岗位, 是否党员) under a title and a “单位（盖章）：” line. The
table itself is found and read by ``exchange.roster_excel.read_roster`` (header
search, merged cells, 合计/填报说明 rows); this module adds what a 附件2 needs on
top: that the sheet is a 附件2 at all (its title, else its 单位 line or the form's
columns alone — a unit's staff roster has a table of the same shape), the unit
named above the table, and every row complete — a row the reader has doubts
about refuses the whole file, naming the row and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.office import SummaryRow
from qingqing_desktop.domain.policy import SummaryTable
from qingqing_desktop.domain.roster_rules import FIELD_LABELS, match_header
from qingqing_desktop.exchange import xlsx_guard
from qingqing_desktop.exchange.roster_excel import cell_text, read_roster

REQUIRED_COLUMNS = ("name", "post", "party")  # and 职务 or 职务类别, which read_roster insists on

# “单位（盖章）：技术科　　2019年3月12日” — NFKC has made the brackets and the colon ASCII.
_UNIT_LINE = re.compile(r"^(?:填报)?单位(?:\((?:盖章|公章)\))?:(.*)$")
_DATE_TAIL = re.compile(r"(?:日期:?)?\s*(?:\d{4}\s*年.*|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*|年\s*月\s*日)$")
_ATTACHMENT_LABEL = re.compile(r"^附件\d*$")  # “附件2：” above the title, as ``_words`` leaves it
_NOT_WORDS = re.compile(r"[\W_]+")
# The seed's form, for a file read without a campaign's template (the office may word its own).
SEED_TITLE = "反对“挈篮子”承诺书签订情况汇总表"
SEED_COLUMNS = ("序号", "姓名", "职务", "工作岗位", "是否党员")


@dataclass(frozen=True)
class SummarySheet:
    file_name: str
    sheet_name: str
    header_row: int
    unit_name: str  # as written on the “单位（盖章）” line above the table; "" if none
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class _Heading:
    """What stands above the table and in its header row."""

    unit_name: str | None  # the “单位（盖章）：” line's unit; None if there is no such line
    has_title: bool  # the form's title is there
    other_text: str  # the first other text above the table (a roster's “技术科人员名单”), "" if none
    header: tuple[str, ...]  # the header row's texts


def _words(text: str) -> str:
    """A title compared: NFKC, without spaces, quotes or other punctuation."""
    return _NOT_WORDS.sub("", unicodedata.normalize("NFKC", text))


def _is_form_title(text: str, title: str) -> bool:
    words = _words(text)
    # The template's own title, or one a clerk retyped: 承诺书…汇总表 (“承诺书签订情况汇总表”).
    return bool(words) and (_words(title) in words or ("承诺书" in words and "汇总表" in words))


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


def _heading(path: Path, name: str, sheet_name: str, header_row: int, title: str) -> _Heading:
    unit_name: str | None = None
    has_title, other_text, header = False, "", ()
    wb = xlsx_guard.open_workbook_safely(path, display_name=name)
    try:
        ws = wb[sheet_name]
        for number, values in xlsx_guard.iter_rows_safely(ws, display_name=name):
            texts = [t for t in (cell_text(v) for v in values) if t]
            if number >= header_row:
                header = tuple(texts)
                break
            found = _unit_on_line(texts) if unit_name is None else None
            if found is not None:
                unit_name = found
            elif any(_is_form_title(t, title) for t in texts):
                has_title = True
            elif texts and not other_text and not _ATTACHMENT_LABEL.match(_words(texts[0])) \
                    and _DATE_TAIL.sub("", texts[0]).strip():  # a date alone is the form's too
                other_text = texts[0]
    finally:
        wb.close()
    return _Heading(unit_name, has_title, other_text, header)


def _check_is_form(heading: _Heading, form: SummaryTable | None, where: Location) -> None:
    """Refuse a sheet that is something else with a table of the same shape — a unit's staff roster above
    all (“技术科人员名单”, a 备注 column): imported, its people would count as having signed. A 附件2 shows
    its title; without one, the form's 单位 line or a header of the form's columns alone will do, as long
    as nothing else is written above the table."""
    if heading.has_title:
        return
    title = form.title if form else SEED_TITLE
    columns = form.columns if form else SEED_COLUMNS
    fields = {match_header(c) for c in columns} - {None}
    extra = [t for t in heading.header if match_header(t) not in fields]
    if not heading.other_text and (heading.unit_name is not None or not extra):
        return
    if heading.other_text:
        found = f"表格上方的标题是“{heading.other_text}”"
    else:
        found = f"表格上方没有汇总表的标题，表头还有{'、'.join(f'“{t}”' for t in extra)}栏"
    raise InputRejected(
        f"这张表不像承诺书签订情况汇总表（附件2）。{found}，而附件2的标题是“{title}”，其下是“单位（盖章）：”一行，"
        f"表头为{'、'.join(columns)}。请确认选的是该单位交来的汇总表。本次未导入任何数据。",
        where,
    )


def read_summary_excel(path: Path, *, display_name: str | None = None,
                       form: SummaryTable | None = None) -> SummarySheet:
    """Read a unit's 附件2 workbook; ``InputRejected`` naming file, sheet, row and column on any doubt.

    ``form``: the campaign's 附件2 (its title and columns), to recognise the sheet by; default the seed's."""
    path = Path(path)
    name = display_name or path.name
    sheet = read_roster(path, display_name=name)
    where = Location(file=name, sheet=sheet.sheet_name, row=sheet.header_row)
    missing = [FIELD_LABELS[c] for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        raise InputRejected(
            f"表头缺少“{'、'.join(missing)}”栏。承诺书签订情况汇总表应有：序号、姓名、职务、工作岗位、是否党员。", where
        )
    heading = _heading(path, name, sheet.sheet_name, sheet.header_row, form.title if form else SEED_TITLE)
    _check_is_form(heading, form, Location(file=name, sheet=sheet.sheet_name))
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
    return SummarySheet(name, sheet.sheet_name, sheet.header_row, heading.unit_name or "", rows)
