"""人员名单 out to Excel: the roster itself, and the blank template clerks fill in for an import.

Both files are written to a temporary name and renamed into place by the documents layer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qingqing_desktop.domain.text import file_name_part
from qingqing_desktop.services import template_service
from qingqing_desktop.services.roster_service import list_staff
from qingqing_desktop.services.session import Session
from qingqing_desktop.services.unit_service import require_unit

IMPORT_TEMPLATE_FILE_NAME = "人员名单导入模板.xlsx"


def suggested_file_name(session: Session, day: dt.date | None = None) -> str:
    """人员名单_<单位>_<yyyymmdd>.xlsx, the unit's name made fit for a file name."""
    return f"人员名单_{file_name_part(require_unit(session).name)}_{(day or dt.date.today()):%Y%m%d}.xlsx"


def export_roster(session: Session, path: Path) -> Path:
    """Write the whole roster (every status, pinyin order); reads the database, never writes it."""
    from qingqing_desktop.documents import roster_workbook  # noqa: PLC0415 — openpyxl only when exporting

    unit = require_unit(session)
    roster_workbook.write_roster_workbook(Path(path), unit.name, list_staff(session))
    return Path(path)


def write_import_template(session: Session, path: Path) -> Path:
    """The import template, its post dropdown offering the active policy's key posts."""
    from qingqing_desktop.documents import roster_workbook  # noqa: PLC0415

    key_posts = template_service.active_template(session).signing_rule.key_posts
    roster_workbook.write_import_template(Path(path), key_posts)
    return Path(path)
