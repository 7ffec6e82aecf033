"""Reading a roster from the Excel sheet a unit already keeps (or its CSV copy: ``roster_csv``).

The sheet may have a merged title, a “单位（盖章）” line, columns in any order
under several names, padding spaces in names, total and footnote rows under
the table. Rows come back with their problems spelled out per column; nothing
here writes the database, and a row with problems is still returned.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.names import clean_name
from qingqing_desktop.domain.roster_rules import (
    FIELD_LABELS,
    is_category_word,
    match_header,
    parse_party_member,
    parse_status_text,
    resolve_rank,
)
from qingqing_desktop.domain.staff import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, RankCategory, StaffStatus
from qingqing_desktop.exchange import roster_csv, xlsx_guard

HEADER_SEARCH_ROWS = 30
_STATUS_CHOICES = "、".join(s.value for s in StaffStatus)

_EDGE_SPACE = re.compile(r"^[\s\u200b-\u200f\u2060-\u2064\ufeff]+|[\s\u200b-\u200f\u2060-\u2064\ufeff]+$")
_ALL_SPACE = re.compile(r"\s+")
_TOTAL = re.compile("合计|总计|小计|共计")
# Footnotes under the table: 填报说明：…, 注：…, 制表人：… (compared after NFKC, so colons are ASCII).
_FOOTNOTE = re.compile(
    r"^(填报说明|填表说明|说明[:\d、.]|注[:\d、.]|备注:|制表|审核人|审核:|联系人|联系电话|填表人|填报人"
    r"|单位负责人|负责人签|填报日期|填表日期)"
)
_EXAMPLE = re.compile(r"^(示例|例:|例子:)")

# The characters ``_EDGE_SPACE`` trims, to test a cell's first and last character without the regex:
# what ``\\s`` matches (``str.isspace``), then the invisible ones (a test compares every code point).
_EDGE_CHARACTERS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(map(chr, [*range(0x2000, 0x200B), *range(0x200B, 0x2010), *range(0x2060, 0x2065)]))
)

@dataclass(frozen=True)
class RosterSheetRow:
    sheet_row: int  # 1-based Excel row number
    name: str  # clean_name() applied
    title: str  # real job title as written ("" if none, or if the cell held the category itself)
    rank: RankCategory | None  # from a 职务类别 column or the title; None = unknown
    post: str
    party_member: bool | None  # None = blank, unrecognised, or no such column
    status: StaffStatus  # 在岗 when there is no status column or it is blank
    note: str
    problems: tuple[str, ...]
    unresolved: str = ""  # a 职务/职务类别 word nobody has classified yet: the caller asks the user
    unresolved_problem: str = ""  # the one of ``problems`` that says so (gone once the word is answered)
    rank_text: str = ""  # the 职务类别 cell as written: it decides before the 职务 once it is answered


@dataclass(frozen=True)
class RosterSheet:
    file_name: str
    sheet_name: str
    header_row: int
    columns: dict[str, str]  # canonical field -> header text found
    rows: tuple[RosterSheetRow, ...]
    skipped: tuple[tuple[int, str], ...]  # (row, reason): 空行, 合计行, 说明行, 示例行, 重复的表头行
    # Every visible sheet with a roster's header (this one among them), in the workbook's order: with
    # two (名单2018, 名单2019) the clerk is shown which one was read and may choose the other.
    roster_sheets: tuple[str, ...] = ()


def cell_text(value: object) -> str:
    """A cell's value as the text a clerk sees: 1.0 → "1", a date → 2019年3月5日, edges trimmed."""
    if type(value) is str:  # most cells (thirty thousand in a roster of 5,000)
        text = value.replace("\u3000", " ").replace("\xa0", " ") if "\u3000" in value or "\xa0" in value else value
        if text and text[0] not in _EDGE_CHARACTERS and text[-1] not in _EDGE_CHARACTERS:
            return text
        return _EDGE_SPACE.sub("", text)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return chinese_date(value)
    text = str(value).replace("\u3000", " ").replace("\xa0", " ")
    if text and not (_EDGE_SPACE.match(text[0]) or _EDGE_SPACE.match(text[-1])):
        return text  # most cells: nothing at the edges to trim
    return _EDGE_SPACE.sub("", text)


def _compact(text: str) -> str:
    return _ALL_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _header_columns(values: tuple) -> dict[str, int]:
    """Canonical field -> 0-based column index for a candidate header row (first match wins)."""
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        field = match_header(cell_text(value)) if isinstance(value, str) else None
        if field and field not in found:
            found[field] = index
    return found


def _is_header(columns: Mapping[str, int]) -> bool:
    return "name" in columns and ("title" in columns or "rank" in columns)


def _find_header(rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int]] | None:
    """The row within the first rows naming the most known columns (earliest on a tie)."""
    best: tuple[int, dict[str, int]] | None = None
    for number, values in rows:
        columns = _header_columns(values)
        if _is_header(columns) and (best is None or len(columns) > len(best[1])):
            best = (number, columns)
    return best


def _head_rows(ws, name: str) -> list[tuple[int, tuple]]:
    rows = []
    for number, values in xlsx_guard.iter_rows_safely(ws, display_name=name, max_rows=HEADER_SEARCH_ROWS):
        rows.append((number, values))
        if number >= HEADER_SEARCH_ROWS:
            break
    return rows


def _found_texts(rows: list[tuple[int, tuple]]) -> str:
    """The texts of the row that looked most like a header, for the error message."""
    best: list[str] = []
    for _number, values in rows:
        texts = [cell_text(v) for v in values if cell_text(v)]
        if len(texts) > len(best) and all(len(t) <= 20 for t in texts):
            best = texts
    return "、".join(f"“{t}”" for t in best[:12]) or "（无）"


class _MergeFiller:
    """Copy a merged range's top-left value into its other cells, row by row.

    Clerks merge 职务 or 工作岗位 down several people; read-only openpyxl only
    reports the top-left cell.
    """

    def __init__(self, ranges: list[tuple[int, int, int, int]], width: int):
        self._width = width
        self._by_start: dict[int, list[tuple[int, int, int, int]]] = {}
        for bounds in ranges:
            self._by_start.setdefault(bounds[1], []).append(bounds)
        self._active: list[tuple[int, int, int, object]] = []  # (min_col, max_col, max_row, value)

    def fill(self, number: int, values: tuple) -> tuple:
        row = list(values)
        for min_col, _min_row, max_col, max_row in self._by_start.get(number, ()):
            if min_col <= self._width:
                value = row[min_col - 1] if min_col <= len(row) else None
                self._active.append((min_col, min(max_col, self._width), max_row, value))
        self._active = [a for a in self._active if a[2] >= number]
        for min_col, max_col, _max_row, value in self._active:
            if value is None:
                continue
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for col in range(min_col, max_col + 1):
                if row[col - 1] is None:
                    row[col - 1] = value
        return tuple(row)


def _with_formula_text(number: int, values: tuple, formulas: Mapping[tuple[int, int], str]) -> tuple:
    """A formula without a cached value reads as its text (as the clerk typed it), not as a blank."""
    row = list(values)
    for col in range(1, xlsx_guard.MAX_IMPORT_COLUMNS + 1):
        text = formulas.get((number, col))
        if text is not None:
            row.extend([None] * (col - len(row)))
            if row[col - 1] is None:
                row[col - 1] = text
    return tuple(row)


def read_roster(
    path: Path,
    *,
    sheet: str | None = None,
    title_ranks: Mapping[str, RankCategory] = {},
    display_name: str | None = None,
) -> RosterSheet:
    """Read the roster from ``path``; ``sheet`` forces a worksheet, else the best-looking one is used.

    ``title_ranks`` holds the user's answers for titles ``classify_title`` does not know.
    Raises ``InputRejected`` for an unreadable or unsafe file, an unknown sheet name,
    or a sheet without a 姓名 column and a 职务/职务类别 column.
    """
    path = Path(path)
    name = display_name or path.name
    if roster_csv.is_csv(path):
        wb = roster_csv.open_csv_workbook(path, display_name=name)
    else:
        wb = xlsx_guard.open_workbook_safely(path, display_name=name)
    try:
        ws, header_row, columns, roster_sheets = _choose_sheet(wb, name, sheet)
        return replace(_read_rows(ws, name, header_row, columns, title_ranks), roster_sheets=roster_sheets)
    finally:
        wb.close()


def _choose_sheet(wb, name: str, wanted: str | None):
    sheet_names = list(wb.sheetnames)
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or list(wb.worksheets)
    if wanted is not None:
        if wanted not in sheet_names:
            listed = "、".join(f"“{s}”" for s in sheet_names)
            raise InputRejected(f"没有名为“{wanted}”的工作表。文件中的工作表有：{listed}", Location(file=name))
        candidates = [ws for ws in wb.worksheets if ws.title == wanted]
        if not candidates:
            raise InputRejected(f"工作表“{wanted}”是图表，不是表格，请选择名单所在的工作表。", Location(file=name))
    else:
        candidates = visible
    if not candidates:
        raise InputRejected("文件中没有工作表。", Location(file=name))
    best = None
    first_rows: dict[str, list] = {}
    for ws in candidates:
        rows = _head_rows(ws, name)
        first_rows[ws.title] = rows
        found = _find_header(rows)
        if found and (best is None or len(found[1]) > len(best[2])):
            best = (ws, found[0], found[1])
    if best is None:
        ws = candidates[0]
        others = "" if len(candidates) == 1 else f"（已查看全部{len(candidates)}个工作表，以第一个为例）"
        raise InputRejected(
            f"在前{HEADER_SEARCH_ROWS}行中没有找到名单的表头：需要有“姓名”栏，以及“职务”或“职务类别”栏。"
            f"找到的栏目有：{_found_texts(first_rows[ws.title])}{others}。请检查表头文字，或选择正确的工作表。",
            Location(file=name, sheet=ws.title),
        )
    roster_sheets = tuple(ws.title for ws in visible if ws is best[0] or _looks_like_roster(ws, name, first_rows))
    return (*best, roster_sheets)


def _looks_like_roster(ws, name: str, first_rows: dict[str, list]) -> bool:
    """Whether another sheet has a roster's header too; one that cannot be read is not offered."""
    try:
        rows = first_rows[ws.title] if ws.title in first_rows else _head_rows(ws, name)
    except InputRejected:
        return False
    return _find_header(rows) is not None


def _read_rows(ws, name: str, header_row: int, index: dict[str, int], title_ranks) -> RosterSheet:
    header_values: tuple = ()
    rows: list[RosterSheetRow] = []
    skipped: list[tuple[int, str]] = []
    pending_blank: list[int] = []
    width = xlsx_guard.MAX_IMPORT_COLUMNS
    layout = xlsx_guard.sheet_layout(ws, display_name=name, max_rows=header_row + xlsx_guard.MAX_IMPORT_ROWS)
    filler = _MergeFiller(list(layout.merged), width)
    seq_col = index.get("seq", -1)
    columns = list(index.items())
    read_width = max(index.values(), default=-1) + 1  # a row shorter than this is padded with ""
    blank_fields = dict.fromkeys(FIELD_LABELS, "")

    for number, raw in xlsx_guard.iter_rows_safely(ws, display_name=name, header_row=header_row):
        if layout.uncached_formulas:
            raw = _with_formula_text(number, raw, layout.uncached_formulas)
        values = filler.fill(number, raw)
        if number < header_row:
            continue
        if number == header_row:
            header_values = values
            continue
        texts = [cell_text(v) for v in values]
        filled = [t for t in texts if t]
        # A row with only a pre-printed 序号 (a number or a formula) counts as blank;
        # a footnote in that column does not.
        if not filled or (len(filled) == 1 and 0 <= seq_col < len(texts) and texts[seq_col]
                          and (texts[seq_col].isdigit() or texts[seq_col].startswith("="))):
            pending_blank.append(number)
            continue
        skipped.extend((n, "空行") for n in pending_blank)
        pending_blank.clear()
        if len(texts) < read_width:
            texts.extend([""] * (read_width - len(texts)))
        fields = dict(blank_fields)  # every field, "" where the sheet has no column for it
        fields.update((field, texts[col]) for field, col in columns)
        first = _compact(filled[0])
        raw_name = fields["name"]
        compact_name = _compact(raw_name)
        if _FOOTNOTE.match(first):
            skipped.append((number, "说明行"))
            break
        if len(filled) >= 3 and len(set(filled)) == 1:  # a title merged across the table, repeated
            skipped.append((number, "标题行"))
            continue
        if _TOTAL.search(first) or _TOTAL.search(compact_name):
            skipped.append((number, "合计行"))
            continue
        if match_header(raw_name) == "name":
            skipped.append((number, "重复的表头行"))
            continue
        if _EXAMPLE.match(compact_name):
            skipped.append((number, "示例行"))
            continue
        rows.append(_make_row(number, fields, index, header_values, title_ranks))

    return RosterSheet(
        file_name=name,
        sheet_name=ws.title,
        header_row=header_row,
        columns={f: cell_text(header_values[i]) if i < len(header_values) else FIELD_LABELS[f] for f, i in index.items()},
        rows=tuple(rows),
        skipped=tuple(skipped),
    )


def _make_row(number: int, fields: dict[str, str], index: dict[str, int], header_values: tuple,
              title_ranks) -> RosterSheetRow:
    """The row whose cells under each field's column are ``fields`` (every field, "" if none)."""
    def label(field: str) -> str:
        col = index.get(field)
        text = _compact(cell_text(header_values[col])) if col is not None and col < len(header_values) else ""
        return f"“{text or FIELD_LABELS[field]}”栏"

    get = fields.__getitem__
    # An error value (a lookup that found nothing: #N/A) is no text: said once, then read as blank.
    errors = set() if EXCEL_ERRORS.isdisjoint(fields.values()) else \
        {field for field in index if field in _READ_FIELDS and get(field) in EXCEL_ERRORS}
    problems = [f"{label(field)}是Excel的错误值“{get(field)}”（公式没有算出结果），请在Excel中改正后再导入"
                for field in index if field in errors] if errors else []
    if errors:
        get = _without(get, errors)
    name = clean_name(get("name"))
    if "name" not in errors:
        if not name:
            problems.append(f"{label('name')}为空")
        elif len(name) > MAX_NAME_LENGTH:
            problems.append(f"{label('name')}超过{MAX_NAME_LENGTH}个字")
        elif any(map(str.isdigit, name)):
            problems.append(f"{label('name')}“{name}”含有数字")

    title_text, rank_text = get("title"), get("rank")
    rank = resolve_rank(rank_text, title_ranks) if rank_text else None
    if rank is None and title_text:
        rank = resolve_rank(title_text, title_ranks)
    unresolved = unresolved_problem = ""
    if rank is None:
        unresolved = rank_text or title_text
        if rank_text:
            unresolved_problem = f"{label('rank')}“{rank_text}”无法识别，应填写中层干部或一般工作人员"
        elif title_text:
            unresolved_problem = f"{label('title')}“{title_text}”无法判断是中层干部还是一般工作人员"
        if unresolved_problem:
            problems.append(unresolved_problem)
        elif not errors & {"rank", "title"}:  # else said above
            field = "rank" if "rank" in index else "title"
            problems.append(f"{label(field)}为空，无法判断是中层干部还是一般工作人员")
    title = "" if is_category_word(title_text) else title_text

    party_text = get("party")
    party = parse_party_member(party_text)
    if "party" in index and party is None and "party" not in errors:
        if party_text:
            problems.append(f"{label('party')}“{party_text}”无法判断是否为党员，请填写“是”或“否”")
        else:
            problems.append(f"{label('party')}为空")

    status_text = get("status")
    status = parse_status_text(status_text) if status_text else StaffStatus.ACTIVE
    if status is None:
        problems.append(f"{label('status')}“{status_text}”无法识别，可填写：{_STATUS_CHOICES}")
        status = StaffStatus.ACTIVE

    post, note = get("post"), get("note")
    for field, text in (("title", title), ("post", post), ("note", note)):
        if len(text) > MAX_TEXT_LENGTH:
            problems.append(f"{label(field)}超过{MAX_TEXT_LENGTH}个字")

    return RosterSheetRow(
        sheet_row=number, name=name, title=title, rank=rank, post=post, party_member=party,
        status=status, note=note, problems=tuple(problems), unresolved=unresolved,
        unresolved_problem=unresolved_problem, rank_text=rank_text,
    )


# What Excel shows in a cell whose formula has no result; read from a workbook as that text.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


_READ_FIELDS = frozenset(FIELD_LABELS) - {"seq"}  # what a row keeps (a broken 序号 formula does not matter)


def _without(get, fields: set[str]):
    return lambda field: "" if field in fields else get(field)


def with_answers(sheet: RosterSheet, title_ranks: Mapping[str, RankCategory]) -> RosterSheet:
    """``sheet`` as ``read_roster`` would have read it with ``title_ranks``, without reading the file
    again: the rows whose word is now answered get their 职务类别 and lose that one problem."""
    rows = []
    for row in sheet.rows:
        # As ``_make_row`` decides; a 职务 that is only a category word (kept as "") was resolved already.
        rank = resolve_rank(row.rank_text, title_ranks) if row.rank_text else None
        if rank is None and row.title:
            rank = resolve_rank(row.title, title_ranks)
        if rank is not None:
            row = replace(row, rank=rank, unresolved="", unresolved_problem="",
                          problems=tuple(p for p in row.problems if p != row.unresolved_problem))
        rows.append(row)
    return replace(sheet, rows=tuple(rows))
