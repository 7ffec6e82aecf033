"""纪委（监察室）模式: issuing campaigns, collecting every unit's filing, the status board, 退回 and 确认.

The database's meta says which mode it is in (``enable_office_mode``). The office
creates a campaign as a unit would (``campaign_service.create_campaign``) and hands
it out as a signed 任务包 (``export_campaign_file``). Units' 报送包 are imported one
file at a time or a whole folder at once (``import_packages``): each file is
verified completely, then written in its own transaction, so a bad file on a USB
stick stops only itself. The import rule (new, newer, older, conflict, duplicate)
is ``domain.office.decide``; a unit's key is pinned on its first package.

Units are referred to by their office id (``OfficeUnit.id``, what the GUI holds)
or, from the command line, by name (``find_unit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qingqing_desktop.domain.campaign import Campaign, date_or_none
from qingqing_desktop.domain.dates import chinese_date
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.domain.filing import canonical_json, self_check_from_snapshot
from qingqing_desktop.domain.names import comparison_key, comparison_keys, sort_key
from qingqing_desktop.domain.office import (
    MODE_OFFICE,
    BoardRow,
    BoardTotals,
    DeliveredFiling,
    DeliveryFacts,
    DeliverySource,
    FilingChanges,
    Outcome,
    ReviewState,
    SummaryRow,
    Verdict,
    board_row,
    board_totals,
    check_comment,
    check_office_name,
    clock_ahead,
    clock_note,
    decide,
    delivery_time,
    diff_packages,
    diff_summary_rows,
    excel_counts,
    finding_dicts,
    first_delivery_time,
    package_summary_rows,
)
from qingqing_desktop.domain.pledge import PledgeRow
from qingqing_desktop.domain.selfcheck import Finding, RectificationState, SelfCheck
from qingqing_desktop.domain.staff import new_id
from qingqing_desktop.domain.text import quoted, shortened
from qingqing_desktop.services import backup_service, key_service
from qingqing_desktop.services.campaign_service import require_campaign
from qingqing_desktop.services.session import Session
from qingqing_desktop.store import campaigns, units
from qingqing_desktop.store import office as store
from qingqing_desktop.store.database import utc_now
from qingqing_desktop.store.office import Delivery, OfficeUnit, Review
from qingqing_desktop.store.faults import os_reason

# The exchange formats, the office's Excel and PDF writers and the Excel reader (openpyxl,
# reportlab) are imported by the functions that use them, so the board and the CLI's other
# commands start quickly (tests/test_startup_imports.py).
if TYPE_CHECKING:
    from qingqing_desktop.documents import office_workbook
    from qingqing_desktop.exchange.filing_package import FilingPackage
    from qingqing_desktop.exchange.summary_excel_import import SummarySheet

__all__ = [
    "OfficeInfo", "OfficeUnit", "Delivery", "Review", "BoardRow", "BoardTotals", "Board", "UnitDetail",
    "PackageImport", "ImportReport", "SkippedFile", "ExcelImport", "ReturnResult", "Verdict", "ReviewState",
    "is_office", "office_info", "enable_office_mode", "add_expected_units", "set_units_expected", "list_units",
    "find_unit",
    "register_unit_key", "suggested_campaign_file_name", "export_campaign_file", "find_package_files",
    "not_a_package", "not_a_package_text", "is_other_known_file",
    "import_package", "import_packages", "check_package", "board", "unit_detail", "delivery_document",
    "import_summary_excel", "summary_excel_doubts", "return_filing", "confirm_filing", "export_workbook", "export_overview_pdf",
]

MAX_FOLDER_FILES = 5000


# ----------------------------------------------------------------------------- mode


@dataclass(frozen=True)
class OfficeInfo:
    name: str
    fingerprint: str  # the office's signing key, for the units to compare


def is_office(session: Session) -> bool:
    return session.is_office


def require_office(session: Session) -> str:
    """The office's name; refuses on a unit's database."""
    if not is_office(session):
        how = session.advice(window="菜单“纪委 → 切换为纪委（监察室）模式…”",
                             command="命令：qingqing-cli office enable --name 名称")
        raise InputRejected(f"本数据库处于单位填报模式。纪委（监察室）请先启用纪委（监察室）模式（{how}）。")
    return store.office_name(session.store)


def office_info(session: Session) -> OfficeInfo:
    return OfficeInfo(require_office(session), key_service.office_fingerprint(session))


def enable_office_mode(session: Session, office_name: str) -> OfficeInfo:
    """Switch this database to 纪委（监察室）模式 (or rename the office); creates the office's key.

    Refused on a database that files for a unit: the office collects in a database of its own.
    """
    name = check_office_name(office_name)
    unit = units.local_unit(session.store)
    if unit is not None:
        raise InputRejected(f"本数据库是“{unit.name}”的填报数据库，不能改为纪委（监察室）模式。"
                            "纪委（监察室）请在自己的电脑上安装本程序，首次启动时选择“纪委（监察室）汇总”；"
                            "或另用一个数据库文件（命令行：--db 新文件名）。")
    fingerprint = key_service.office_fingerprint(session)
    with session.store.transaction():
        store.set_mode(session.store, MODE_OFFICE, name, operator=session.operator)
    return OfficeInfo(name, fingerprint)


# ----------------------------------------------------------------------------- units


def list_units(session: Session) -> list[OfficeUnit]:
    require_office(session)
    return sorted(store.list_units(session.store), key=lambda u: sort_key(u.name))


def add_expected_units(session: Session, names: Iterable[str]) -> list[OfficeUnit]:
    """Add units the office expects a filing from; a name already listed is kept (and marked
    expected if it had only delivered so far). Returns the units, new or existing, in order."""
    require_office(session)
    cleaned = [n.strip() for n in names if n.strip()]
    if not cleaned:
        raise InputRejected("请至少填写一个单位名称。", Location(field="单位名称"))
    for name in cleaned:
        if len(name) > 60:
            raise InputRejected(f"单位名称“{name[:20]}…”过长（不超过60个字）。", Location(field="单位名称"))
    result = []
    with session.store.transaction():
        for name in dict.fromkeys(cleaned):
            found = store.units_named(session.store, name)
            if found:
                unit = found[0]
                if not unit.expected:
                    unit = store.update_unit(session.store, unit, operator=session.operator, expected=True)
            else:
                unit = store.add_unit(session.store, name, expected=True, operator=session.operator)
            result.append(unit)
    return result


def set_units_expected(session: Session, office_unit_ids: Iterable[str], expected: bool, *,
                       reason: str = "") -> list[OfficeUnit]:
    """Take units off the list of those expected to file (``expected=False``), or put them back.

    Nothing is deleted: a unit that already delivered stays on the board (as not expected),
    its deliveries and key are kept; one that never delivered just drops off the board.
    """
    require_office(session)
    result = []
    with session.store.transaction():
        for unit_id in office_unit_ids:
            unit = store.get_unit(session.store, unit_id)
            if unit is None:
                raise InputRejected("找不到这个单位（可能已被删除），请刷新后重试。", Location(field="单位"))
            result.append(store.update_unit(session.store, unit, operator=session.operator, reason=reason,
                                            expected=expected))
    return result


def find_unit(session: Session, ref: str) -> OfficeUnit:
    """A unit by office id, or by the name the office lists it under."""
    require_office(session)
    unit = store.get_unit(session.store, ref)
    if unit is not None:
        return unit
    found = store.units_named(session.store, ref)
    if not found:
        raise InputRejected(f"没有名为“{ref}”的单位（可用 office status 查看）。", Location(field="单位"))
    if len(found) > 1:
        raise InputRejected(f"有{len(found)}个单位名为“{ref}”，请在程序中按单位选择。", Location(field="单位"))
    return found[0]


def register_unit_key(session: Session, unit_ref: str, fingerprint: str) -> OfficeUnit:
    """Register a unit's new key after checking its fingerprint by phone or on the stamped 附件2
    (a unit that replaced its computer); packages signed by the old key are refused from then on."""
    from qingqing_desktop.exchange.keys import normalise_fingerprint  # noqa: PLC0415

    unit = find_unit(session, unit_ref)
    try:
        fingerprint = normalise_fingerprint(fingerprint)
    except ValueError:
        raise InputRejected(f"“{fingerprint}”不是密钥指纹（应为40位十六进制数字，如 3F2A9C1B-0D4E…）。",
                            Location(field="密钥指纹")) from None
    with session.store.transaction():
        return store.update_unit(session.store, unit, operator=session.operator, fingerprint=fingerprint,
                                 reason="重新登记单位密钥")


# ----------------------------------------------------------------------------- 任务包 out


def suggested_campaign_file_name(session: Session, *, campaign_id: str | None = None) -> str:
    from qingqing_desktop.exchange import campaign_file  # noqa: PLC0415

    return campaign_file.campaign_file_name(require_campaign(session, campaign_id))


def suggested_export_file_name(session: Session, kind: str, suffix: str, *, campaign_id: str | None = None) -> str:
    """<行动简称>_<kind><suffix>, e.g. 2019年三清单一承诺行动_全局汇总.xlsx: the campaign named as in
    the 任务包's and 报送包's file names."""
    from qingqing_desktop.domain.text import file_name_part  # noqa: PLC0415
    from qingqing_desktop.exchange.filing_package import short_title  # noqa: PLC0415

    campaign = require_campaign(session, campaign_id)
    return f"{file_name_part(short_title(campaign.title, campaign.template.issuer), 20)}_{kind}{suffix}"


def export_campaign_file(session: Session, target: Path, *, campaign_id: str | None = None) -> tuple[Path, str]:
    """Write the campaign (with its template's full text) as a 任务包 signed by the office's key.
    ``target`` may be a folder. Returns the file and the office key's fingerprint."""
    from qingqing_desktop.exchange import campaign_file  # noqa: PLC0415

    name = require_office(session)
    campaign = require_campaign(session, campaign_id)
    target = Path(target)
    if target.is_dir():
        target = target / campaign_file.campaign_file_name(campaign)
    key = key_service.office_key(session)
    campaign_file.write_campaign_file(target, campaign, office_name=name, key=key)
    return target, key.fingerprint


# ----------------------------------------------------------------------------- 报送包 in


@dataclass(frozen=True)
class PackageImport:
    """What importing one file did (or why it was refused: ``error``)."""

    file_name: str
    verdict: Verdict | None
    unit: str = ""
    office_unit_id: str | None = None
    revision: int | None = None
    changes: str = ""
    delivery_id: str | None = None
    error: str = ""
    warnings: tuple[str, ...] = ()  # imported, with something the office should know (a unit's clock is wrong)

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def message(self) -> str:
        if self.error:
            return self.error
        text = f"{self.unit} 第{self.revision}版：{self.verdict.value}"
        text = f"{text}（{self.changes}）" if self.changes else text
        return "。".join([text, *self.warnings])


@dataclass
class _ImportBackup:
    """One backup per batch, taken just before the first write (a batch of refused files writes nothing)."""

    session: Session
    imported: str = ""  # as the backups list names it: 报送包“….qqpkg”, 报送包3个（“….qqpkg”等）
    path: Path | None = None

    def ensure(self) -> None:
        if self.path is None:
            self.path = backup_service.backup_before_import(self.session, self.imported)


def _packages_named(paths: Sequence[Path]) -> str:
    """A batch of 报送包 as a backup before it names it: the one file, or how many and the first."""
    if len(paths) == 1:
        return f"报送包{quoted(paths[0].name)}"
    return f"报送包{len(paths)}个（{quoted(paths[0].name)}等）" if paths else ""


def _campaign_of(session: Session, package: FilingPackage) -> Campaign:
    campaign = campaigns.get(session.store, package.campaign["id"])
    if campaign is None:
        raise InputRejected(
            f"报送包所属的行动“{package.campaign['title']}”不是本纪委（监察室）发布的（本数据库中没有这个行动），"
            "不能导入。请确认对方导入的是本室发出的任务包。",
            Location(file=package.file_name),
        )
    return campaign


def _rekey_advice(session: Session, unit_name: str, fingerprint: str) -> str:
    """The last sentence of a refusal for a key the office does not know: check the new fingerprint by
    phone, register it as this program does it — the unit detail's button in the window, the command on
    the command line — and import again."""
    how = session.advice(
        window=f"在“报送情况”中双击“{unit_name}”，在其详情中点“重新登记密钥…”登记新指纹",
        command=f"用命令 qingqing-cli office units rekey --unit {unit_name} --fingerprint {fingerprint} 登记新指纹")
    return (f"如果“{unit_name}”确实换了电脑或重装了程序，请电话核对新指纹（与其盖章的汇总表上打印的一致），"
            f"然后{how}，再导入。")


def _signer_check(session: Session, unit: OfficeUnit | None, package: FilingPackage) -> None:
    from qingqing_desktop.exchange.signed_container import PackageRejected  # noqa: PLC0415

    if unit is not None and unit.fingerprint and unit.fingerprint != package.fingerprint:
        raise PackageRejected(
            "unknown_signer",
            f"报送包的签名密钥与“{unit.name}”此前登记的不一致：登记的密钥指纹是 {unit.fingerprint}，"
            f"这个报送包的是 {package.fingerprint}。它可能不是该单位发出的，已拒绝导入。"
            + _rekey_advice(session, unit.name, package.fingerprint),
            Location(file=package.file_name),
        )


def _unit_for(session: Session, package: FilingPackage) -> OfficeUnit | None:
    """The office's record of the package's unit: by the unit's UUID, else an expected unit of
    the same name not yet bound to another unit; None if the unit is new to the office.

    A unit of the same name already bound to another installation (another unit UUID) is the
    same unit only when the package is signed by the key registered for it — i.e. the office
    re-registered the unit's new key after it changed computers (``register_unit_key``). Any
    other package under that name is refused: it must never become a second 技术科 on the board.
    """
    from qingqing_desktop.exchange.signed_container import PackageRejected  # noqa: PLC0415

    known = store.unit_by_unit_id(session.store, package.unit["id"])
    if known is not None:
        return known
    named = store.units_named(session.store, package.unit["name"])
    for unit in named:
        if unit.unit_id is None:
            return unit
    for unit in named:
        if unit.fingerprint == package.fingerprint:
            return unit  # re-registered: the package comes from the unit's new installation
    if named:
        bound = named[0]
        raise PackageRejected(
            "unknown_signer",
            f"这个报送包自称“{package.unit['name']}”，但本室登记的“{bound.name}”来自另一台电脑的程序"
            f"（密钥指纹 {bound.fingerprint or '未登记'}），这个报送包的签名密钥指纹是 {package.fingerprint}。"
            "它可能不是该单位发出的，已拒绝导入，报送情况中不会多出一个同名单位。"
            + _rekey_advice(session, bound.name, package.fingerprint),
            Location(file=package.file_name),
        )
    return None


def check_package(session: Session, package: FilingPackage) -> str:
    """Would this verified package be accepted here? Refuses as the import would; returns a
    line on what importing it would do (for ``package verify``)."""
    require_office(session)
    plan = _plan(session, package)
    if plan.unit is None or not plan.unit.fingerprint:
        standing = f"该单位首次报送，导入时将登记其密钥 {package.fingerprint}"
    else:
        standing = "签名密钥与该单位登记的一致"
    return f"导入本室：{plan.verdict.preview}；{standing}"


def _summary_rows(delivery: Delivery, data: dict) -> list[SummaryRow]:
    """A delivery's 附件2: from a package's filed snapshot, or the rows of an Excel file."""
    if delivery.source is DeliverySource.PACKAGE:
        return package_summary_rows(data["snapshot"])
    return [SummaryRow(**row) for row in data["rows"]]


def _changes(session: Session, verdict: Verdict, current: Delivery | None, package: FilingPackage) -> FilingChanges:
    if current is None or verdict in (Verdict.FIRST, Verdict.OLDER, Verdict.DUPLICATE):
        return FilingChanges()
    old = store.delivery_data(session.store, current.id)
    if current.source is DeliverySource.EXCEL:
        return diff_summary_rows(_summary_rows(current, old), package_summary_rows(package.snapshot))
    return diff_packages(old, package.data)


@dataclass(frozen=True)
class _Plan:
    """What importing a verified package would do, decided from reads alone."""

    campaign: Campaign
    unit: OfficeUnit | None  # None: a unit new to the office
    current: Delivery | None
    verdict: Verdict
    known: Delivery | None  # the same package imported before


def _plan(session: Session, package: FilingPackage) -> _Plan:
    db = session.store
    campaign = _campaign_of(session, package)
    unit = _unit_for(session, package)
    _signer_check(session, unit, package)
    known = store.get_delivery(db, package.package_id)
    if known is not None:
        if known.data_sha256 != package.data_sha256:
            raise InputRejected("这个报送包的编号与已导入的一个报送包相同，内容却不同，已拒绝导入。请让报送单位重新生成报送包。",
                                Location(file=package.file_name))
        verdict = Verdict.DUPLICATE if known.outcome is Outcome.CURRENT else Verdict.OLDER
        return _Plan(campaign, unit, None, verdict, known)
    current = store.current_delivery(db, campaign.id, unit.id) if unit else None
    incoming = DeliveryFacts(DeliverySource.PACKAGE, package.revision, package.sequence, package.content_sha256,
                             package.data_sha256)
    return _Plan(campaign, unit, current, decide(current.facts if current else None, incoming), None)


def _nothing_to_write(plan: _Plan, package: FilingPackage) -> PackageImport | None:
    if plan.known is not None:
        return PackageImport(package.file_name, plan.verdict, plan.unit.name if plan.unit else package.unit["name"],
                             plan.known.office_unit_id, package.revision, delivery_id=plan.known.id)
    if plan.verdict is Verdict.DUPLICATE:
        return PackageImport(package.file_name, plan.verdict, plan.unit.name, plan.unit.id, package.revision,
                             delivery_id=plan.current.id)
    return None


def _record_package(session: Session, package: FilingPackage, batch: _ImportBackup) -> PackageImport:
    """Import a verified package: nothing is written for a duplicate; otherwise one transaction,
    in which the decision is taken again so that what is written is what was decided."""
    done = _nothing_to_write(_plan(session, package), package)
    if done is not None:
        return done
    batch.ensure()
    db = session.store
    with db.transaction():
        plan = _plan(session, package)
        done = _nothing_to_write(plan, package)
        if done is not None:
            return done
        verdict, current = plan.verdict, plan.current
        changes = _changes(session, verdict, current, package)
        if verdict.becomes_current:
            outcome = Outcome.CURRENT
        else:
            outcome = Outcome.CONFLICT if verdict is Verdict.CONFLICT else Outcome.OLDER
        reason = f"导入报送包“{package.file_name}”：{verdict.value}"
        unit = plan.unit or store.add_unit(db, package.unit["name"], expected=False, operator=session.operator,
                                           reason=reason)
        reported = {"reported_name": package.unit["name"], "kind": package.unit["kind"],
                    "leader": package.unit["leader"]} if verdict.becomes_current else {}
        unit = store.update_unit(db, unit, operator=session.operator, reason=reason, unit_id=package.unit["id"],
                                 fingerprint=unit.fingerprint or package.fingerprint, **reported)
        if verdict.becomes_current and current is not None:
            store.set_outcome(db, current, Outcome.SUPERSEDED, operator=session.operator, reason=reason)
        delivery = Delivery(
            id=package.package_id, office_unit_id=unit.id, campaign_id=plan.campaign.id,
            source=DeliverySource.PACKAGE, revision=package.revision, sequence=package.sequence,
            created_at=package.created_at, imported_at=utc_now(), imported_by=session.operator,
            file_name=package.file_name, fingerprint=package.fingerprint, data_sha256=package.data_sha256,
            content_sha256=package.content_sha256, outcome=outcome, changes=changes, counts=package.counts,
        )
        store.insert_delivery(
            db, delivery, data_json=canonical_json(package.data).decode("utf-8"), members=package.stored_members(),
            manifest=package.container.manifest_bytes, signature=package.container.signature, reason=reason,
        )
    warnings = (clock_note(package.created_at, delivery.imported_at),) \
        if clock_ahead(package.created_at, delivery.imported_at) else ()
    return PackageImport(package.file_name, verdict, unit.name, unit.id, package.revision,
                         "" if changes.empty else changes.summary(), delivery.id, warnings=warnings)


def import_package(session: Session, path: Path) -> PackageImport:
    """Import one 报送包; ``InputRejected`` (nothing written) if it is not sound or not acceptable here."""
    from qingqing_desktop.exchange import filing_package  # noqa: PLC0415

    require_office(session)
    package = filing_package.read_filing_package(Path(path))
    return _record_package(session, package, _ImportBackup(session, f"报送包{quoted(Path(path).name)}"))


def find_package_files(folder: Path) -> list[Path]:
    """The 报送包 (*.qqpkg, any case) in a folder and its subfolders, e.g. on a USB stick;
    our own half-written temporary files and Office lock files are left out."""
    return _scan_folder(folder)[0]


# What else a unit hands over beside its 报送包, often on the same stick: where each goes instead.
_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".et"})
_SCAN_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
# Files the system or a copier leaves on a stick: nobody handed them over, so nothing to say about them.
_SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_SYSTEM_FOLDERS = frozenset({"system volume information", "$recycle.bin", "recycler"})


@dataclass(frozen=True)
class SkippedFile:
    """A file in an imported folder that is not a 报送包, and what to do with it instead."""

    name: str  # as found under the folder chosen: 第二批/技术科汇总表.xlsx
    kind: str  # what it looks like: “Excel文件”, “PDF文件”, “图片”, or "" when nothing is known
    advice: str  # “单位交来的Excel汇总表请用菜单“纪委 → 导入Excel汇总表…”导入” (no full stop), or ""


def not_a_package(session: Session, path: Path, name: str | None = None) -> SkippedFile:
    """What a file that is not a 报送包 is likely to be, and where it goes (a stamped PDF, an Excel 汇总表)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        where = session.advice(window="菜单“纪委 → 导入Excel汇总表…”",
                               command="qingqing-cli office import-excel --unit 单位名称 文件")
        return SkippedFile(name or path.name, "Excel文件", f"单位交来的Excel汇总表请用{where}导入")
    if suffix in _SCAN_SUFFIXES:
        where = session.advice(window="“报送情况”页的“核对盖章纸质件”", command="qingqing-cli office check-paper 文件")
        return SkippedFile(name or path.name, "PDF文件" if suffix == ".pdf" else "图片",
                           f"盖章纸质件的扫描件请用{where}核对")
    return SkippedFile(name or path.name, "", "")


def not_a_package_text(skipped: SkippedFile) -> str:
    """One sentence that names the file: “技术科.pdf”是PDF文件，不是报送包；盖章纸质件的扫描件请用…核对。"""
    if not skipped.kind:
        return f"{quoted(skipped.name)}不是报送包，没有导入。"
    return f"{quoted(skipped.name)}是{skipped.kind}，不是报送包；{skipped.advice}。"


def is_other_known_file(path: Path) -> bool:
    """A file that is certainly not a 报送包 (a PDF, an Excel workbook, a scanned image): not worth reading
    as one, and refused with where it goes instead."""
    return Path(path).suffix.lower() in _EXCEL_SUFFIXES | _SCAN_SUFFIXES


def _scan_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """The 报送包 in a folder and its subfolders, and the other files there (for the report to name)."""
    from qingqing_desktop.exchange import filing_package  # noqa: PLC0415

    folder = Path(folder)
    if not folder.is_dir():
        raise InputRejected("找不到这个文件夹，U盘可能已拔出。", Location(file=str(folder)))
    found, others = [], []
    try:
        for path in folder.rglob("*"):
            if path.name.startswith((".", "~$")):
                continue  # our half-written temporary files, Office lock files, hidden files
            if path.suffix.lower() == filing_package.EXTENSION:
                if path.is_file():
                    found.append(path)
                    if len(found) > MAX_FOLDER_FILES:
                        raise InputRejected(f"文件夹中的报送包超过{MAX_FOLDER_FILES}个，请分批导入。",
                                            Location(file=str(folder)))
            elif len(others) <= MAX_FOLDER_FILES and _worth_naming(path.relative_to(folder)) and path.is_file():
                others.append(path)
    except OSError as exc:
        raise InputRejected(f"无法读取文件夹：{os_reason(exc)}", Location(file=str(folder))) from None
    return sorted(found), sorted(others)


def _worth_naming(relative: Path) -> bool:
    if relative.name.lower() in _SYSTEM_NAMES:
        return False
    return not any(part.startswith((".", "$")) or part.lower() in _SYSTEM_FOLDERS for part in relative.parts[:-1])


@dataclass(frozen=True)
class ImportReport:
    results: tuple[PackageImport, ...]
    backup_path: Path | None
    cancelled: bool = False
    skipped: tuple[SkippedFile, ...] = ()  # files in the folders given that are not 报送包

    @property
    def imported(self) -> int:
        return sum(1 for r in self.results if r.ok and r.verdict.becomes_current)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.results:
            key = r.verdict.value if r.ok else "未能导入"
            counts[key] = counts.get(key, 0) + 1
        text = "；".join(f"{k}{v}个" for k, v in counts.items()) or "没有报送包"
        return f"共{len(self.results)}个文件：{text}" + ("（已取消，其余未导入）" if self.cancelled else "")


def import_packages(
    session: Session,
    sources: Path | Sequence[Path],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import 报送包 from files and folders (a folder: every *.qqpkg in it, subfolders included).

    Each package is its own transaction: a damaged file is reported and skipped, the
    others go in. One backup is taken before the first write. ``progress(done, total,
    file name)`` and ``should_cancel()`` serve the GUI's progress dialog.
    """
    from qingqing_desktop.exchange import filing_package  # noqa: PLC0415

    require_office(session)
    items = [sources] if isinstance(sources, str | Path) else list(sources)
    paths: list[Path] = []
    skipped: list[SkippedFile] = []
    for item in map(Path, items):
        if item.is_dir():
            found, others = _scan_folder(item)
            paths.extend(found)
            skipped.extend(not_a_package(session, other, other.relative_to(item).as_posix()) for other in others)
        else:
            paths.append(item)
    batch = _ImportBackup(session, _packages_named(paths))
    results = []
    cancelled = False
    for index, path in enumerate(paths):
        if should_cancel is not None and should_cancel():
            cancelled = True
            break
        if progress is not None:
            progress(index, len(paths), path.name)
        if is_other_known_file(path):  # a PDF or an Excel chosen by mistake: say where it goes
            results.append(PackageImport(path.name, None, error=not_a_package_text(not_a_package(session, path))))
            continue
        try:
            package = filing_package.read_filing_package(path)
            results.append(_record_package(session, package, batch))
        except InputRejected as exc:
            results.append(PackageImport(path.name, None, error=str(exc)))
    if progress is not None and not cancelled:
        progress(len(paths), len(paths), "")
    return ImportReport(tuple(results), batch.path, cancelled, tuple(skipped))


# ----------------------------------------------------------------------------- Excel-only units


@dataclass(frozen=True)
class ExcelImport:
    unit: OfficeUnit
    verdict: Verdict
    people: int
    changes: str
    warnings: tuple[str, ...]
    backup_path: Path | None


_EXCEL_FORMAT = "qingqing-excel-summary"


def import_summary_excel(
    session: Session, unit_name: str, path: Path, *, campaign_id: str | None = None
) -> ExcelImport:
    """Import the 附件2 Excel of a unit that does not use the app; shown as unsigned data (未签名).

    What ``summary_excel_doubts`` would ask comes back among the warnings (the command line asks nothing)."""
    from qingqing_desktop.exchange import xlsx_guard  # noqa: PLC0415
    from qingqing_desktop.domain.text import file_name_part  # noqa: PLC0415

    require_office(session)
    campaign = require_campaign(session, campaign_id)
    name = unit_name.strip()
    if not name:
        raise InputRejected("请指定这份汇总表所属的单位。", Location(field="单位"))
    found = store.units_named(session.store, name)
    if len(found) > 1:
        raise InputRejected(f"有{len(found)}个单位名为“{name}”，请在程序中按单位选择。", Location(field="单位"))
    unit = found[0] if found else None
    path = Path(path)
    sheet = _read_summary_sheet(campaign, path)
    original = xlsx_guard.check_xlsx_file(path)  # kept as received, for the office's records
    current = store.current_delivery(session.store, campaign.id, unit.id) if unit else None
    if current is not None and current.source is DeliverySource.PACKAGE:
        raise InputRejected(
            f"“{unit.name}”已通过签名的报送包报送（第{current.revision}版），不能再用Excel覆盖。",
            Location(file=path.name),
        )
    rows = [dict(name=r.name, rank=r.rank, post=r.post, party_member=r.party_member) for r in sheet.rows]
    data = {"format": _EXCEL_FORMAT, "file_name": path.name, "sheet": sheet.sheet_name,
            "unit_in_file": sheet.unit_name, "rows": rows}
    data_sha = hashlib.sha256(canonical_json({"rows": rows})).hexdigest()  # the people, not the file's bytes
    warnings = [f"{doubt}请确认没有选错文件。" for doubt in _doubts(session, campaign, sheet, name)]
    if unit is None or not unit.expected:  # the board then counts it apart from the units that must report
        warnings.append(f"“{unit.name if unit else name}”不在应报单位名单中，报送情况中列为未列入名单的单位。")
    if current is not None and current.data_sha256 == data_sha:
        return ExcelImport(unit, Verdict.DUPLICATE, len(rows), "", tuple(warnings), None)
    changes = FilingChanges()
    if current is not None:
        changes = diff_summary_rows(_summary_rows(current, store.delivery_data(session.store, current.id)),
                                    list(sheet.rows))
    batch = _ImportBackup(session, f"Excel汇总表{quoted(path.name)}")
    batch.ensure()
    reason = f"导入Excel汇总表“{path.name}”"
    now = utc_now()
    with session.store.transaction():
        if unit is None:
            unit = store.add_unit(session.store, name, expected=False, operator=session.operator, reason=reason)
        if current is not None:
            store.set_outcome(session.store, current, Outcome.SUPERSEDED, operator=session.operator, reason=reason)
        delivery = Delivery(
            id=new_id(), office_unit_id=unit.id, campaign_id=campaign.id, source=DeliverySource.EXCEL,
            revision=current.revision + 1 if current else 1, sequence=None, created_at=now, imported_at=now,
            imported_by=session.operator, file_name=path.name, fingerprint=None, data_sha256=data_sha,
            content_sha256=data_sha, outcome=Outcome.CURRENT, changes=changes, counts=excel_counts(sheet.rows),
        )
        member_name = file_name_part(path.stem, 60) + ".xlsx"
        store.insert_delivery(session.store, delivery, data_json=canonical_json(data).decode("utf-8"),
                              members={member_name: original}, manifest=None, signature=None, reason=reason)
    verdict = Verdict.NEWER_REVISION if current else Verdict.FIRST
    return ExcelImport(unit, verdict, len(rows), "" if changes.empty else changes.summary(), tuple(warnings),
                       batch.path)


def _read_summary_sheet(campaign: Campaign, path: Path) -> SummarySheet:
    """The 附件2 in ``path``, recognised by the campaign's form (an office may word its own title)."""
    from qingqing_desktop.exchange.summary_excel_import import read_summary_excel  # noqa: PLC0415

    return read_summary_excel(Path(path), form=campaign.template.summary_table)


def summary_excel_doubts(session: Session, unit_name: str, path: Path, *,
                         campaign_id: str | None = None) -> tuple[str, ...]:
    """What to ask before importing ``path`` as ``unit_name``'s 附件2, each a sentence: the sheet names another
    unit, or most of its people are those another unit has already filed — the wrong file may have been picked.
    ``InputRejected`` if the file would be refused anyway."""
    require_office(session)
    campaign = require_campaign(session, campaign_id)
    return tuple(_doubts(session, campaign, _read_summary_sheet(campaign, path), unit_name))


def _doubts(session: Session, campaign: Campaign, sheet: SummarySheet, unit_name: str) -> list[str]:
    mismatch = summary_unit_mismatch(sheet.unit_name, unit_name)
    same = _same_people_as(session, campaign, sheet, unit_name)
    return [doubt for doubt in (mismatch, same) if doubt]


# Two people of one name in two units happen; most of a sheet's people filed by another unit do not:
# that is the other unit's roster or 汇总表, picked by mistake.
_SAME_PEOPLE_MINIMUM = 2


def _same_people_as(session: Session, campaign: Campaign, sheet: SummarySheet, unit_name: str) -> str:
    """“表中的12人里有12人…”: the other unit whose current filing names at least half of the sheet's people
    (by name, compared as duplicates are), "" if none does."""
    people = [r.name for r in sheet.rows]
    keys = comparison_keys(people)
    chosen = comparison_key(unit_name.strip())
    names = {u.id: u.name for u in store.list_units(session.store)}
    best: tuple[str, list[str]] = ("", [])
    for unit_id, filing in store.current_filings(session.store, campaign.id).items():
        if comparison_key(names.get(unit_id, "")) == chosen:
            continue  # the unit's own earlier 汇总表: a corrected one is expected to share its people
        filed = set(comparison_keys(_filed_people(filing.delivery, store.delivery_data(session.store,
                                                                                        filing.delivery.id))))
        matched = [person for person, key in zip(people, keys) if key in filed]
        if len(matched) > len(best[1]):
            best = (names.get(unit_id, ""), matched)
    other, matched = best
    if len(matched) < max(_SAME_PEOPLE_MINIMUM, (len(people) + 1) // 2):
        return ""
    shown = list(dict.fromkeys(matched))
    listed = "、".join(shown[:5]) + ("等" if len(shown) > 5 else "")
    return (f"表中的{len(people)}人里有{len(matched)}人（{listed}）与“{other}”已报送的人员同名，"
            f"这份表可能是“{other}”的名单或汇总表。")


def _filed_people(delivery: Delivery, data: dict) -> list[str]:
    """Everyone a delivery names: a package's whole roster (a unit's roster lists more people than its
    附件2), an Excel 附件2's rows."""
    if delivery.source is DeliverySource.PACKAGE:
        return [person["name"] for person in data["snapshot"]["roster"]]
    return [row["name"] for row in data["rows"]]


def summary_unit_mismatch(unit_in_file: str, unit_name: str) -> str:
    """What to say when a 附件2 Excel names another unit than the one it is imported for ("" if alike:
    “审批科” and “县住建局审批科” are alike)."""
    in_file, given = comparison_key(unit_in_file), comparison_key(unit_name.strip())
    if in_file and given and in_file not in given and given not in in_file:
        return f"表中写的单位是“{unit_in_file}”，与指定的“{unit_name.strip()}”不同。"
    return ""


def unit_named_in_summary_excel(session: Session, path: Path, *, campaign_id: str | None = None) -> str:
    """The unit written above a 附件2 Excel's table (“单位（盖章）：…”), to offer as the unit it belongs to;
    "" if none is written. Read before the office is asked which unit the file is for: ``InputRejected``
    (as ``import_summary_excel`` would say it) if the file would be refused whatever the unit — not a
    附件2 at all (a staff roster, say), a row not filled in as the form asks, no one in it."""
    require_office(session)
    return _read_summary_sheet(require_campaign(session, campaign_id), path).unit_name


# ----------------------------------------------------------------------------- the board


@dataclass(frozen=True)
class Board:
    campaign: Campaign
    office_name: str
    rows: tuple[BoardRow, ...]  # by pinyin of the unit's name; the GUI re-sorts at will
    totals: BoardTotals


def _review_state(reviews: list[Review], revision: int) -> ReviewState:
    for review in reversed(reviews):
        if review.revision == revision:
            return review.state
    return ReviewState.PENDING


def _delivered(filing: store.CurrentFiling, reviews: list[Review]) -> DeliveredFiling:
    d = filing.delivery
    delivered_at = delivery_time(d.created_at, d.imported_at)
    return DeliveredFiling(
        source=d.source, revision=d.revision, first_delivered_at=first_delivery_time(filing.times) or delivered_at,
        delivered_at=delivered_at, counts=d.counts, review=_review_state(reviews, d.revision),
        returns=sum(r.state is ReviewState.RETURNED for r in reviews), conflicts=filing.conflicts,
        changes="" if d.changes.empty else d.changes.summary(),
        stated_at=d.created_at if clock_ahead(d.created_at, d.imported_at) else "",
    )


def _rows(session: Session, campaign: Campaign, units: list[OfficeUnit], today: dt.date,
          office_unit_id: str | None = None) -> list[BoardRow]:
    current = store.current_filings(session.store, campaign.id, office_unit_id)
    reviews: dict[str, list[Review]] = {}
    for review in store.reviews(session.store, campaign.id, office_unit_id):
        reviews.setdefault(review.office_unit_id, []).append(review)
    return [
        board_row(office_unit_id=unit.id, unit=unit.name, expected=unit.expected, fingerprint=unit.fingerprint,
                  filing=_delivered(current[unit.id], reviews.get(unit.id, [])) if unit.id in current else None,
                  deadline=campaign.deadline, today=today)
        for unit in units
    ]


def board(session: Session, *, campaign_id: str | None = None, today: dt.date | None = None) -> Board:
    """Every expected unit, and every unit that delivered without being expected, for one campaign."""
    name = require_office(session)
    campaign = require_campaign(session, campaign_id)
    rows = [r for r in _rows(session, campaign, store.list_units(session.store), today or dt.date.today())
            if r.expected or r.delivered]
    rows.sort(key=lambda r: sort_key(r.unit))
    return Board(campaign, name, tuple(rows), board_totals(rows))


@dataclass(frozen=True)
class UnitDetail:
    """One unit's filing at the office: the board row, the current data, the history."""

    unit: OfficeUnit
    row: BoardRow
    current: Delivery | None
    documents: tuple[str, ...]  # members of the current delivery to show (PDFs first); bytes via delivery_document
    scans: dict[str, str]  # staff id → member name
    pledges: tuple[PledgeRow, ...]  # as filed (empty for an Excel delivery)
    self_check: SelfCheck | None  # as filed, with the rectification progress delivered with it
    summary_rows: tuple[SummaryRow, ...]  # the unit's 附件2
    deliveries: tuple[Delivery, ...]  # every file, newest first (older and conflicting ones included)
    reviews: tuple[Review, ...]  # oldest first
    data: dict | None  # the current delivery's data as stored


def _self_check(data: dict) -> SelfCheck:
    progress = {}
    for finding in finding_dicts(data["snapshot"]):
        state = data["rectification"][finding["id"]]
        progress[finding["id"]] = Finding.from_dict(finding, done_on=date_or_none(state["done_on"]),
                                                    done_note=state["done_note"])
    return self_check_from_snapshot(data["snapshot"], progress)


def unit_detail(
    session: Session, unit_ref: str, *, campaign_id: str | None = None, today: dt.date | None = None
) -> UnitDetail:
    """Everything about one unit's filing (``unit_ref``: office id or name)."""
    campaign = require_campaign(session, campaign_id)
    unit = find_unit(session, unit_ref)
    [row] = _rows(session, campaign, [unit], today or dt.date.today(), unit.id)
    current = store.current_delivery(session.store, campaign.id, unit.id)
    data = store.delivery_data(session.store, current.id) if current else None
    pledges, self_check, summary, documents, scans = (), None, (), (), {}
    if current is not None:
        summary = tuple(_summary_rows(current, data))
        documents = tuple(store.member_names(session.store, current.id))
    if current is not None and current.source is DeliverySource.PACKAGE:
        pledges = tuple(PledgeRow.from_dict(p) for p in data["snapshot"]["pledges"])
        self_check = _self_check(data)
        documents = tuple(sorted(data["documents"], key=lambda n: (not n.lower().endswith(".pdf"), n)))
        scans = {staff_id: entry["member"] for staff_id, entry in data["scans"].items()}
    return UnitDetail(unit, row, current, documents, scans, pledges, self_check, summary,
                      tuple(store.deliveries(session.store, campaign.id, unit.id)),
                      tuple(store.reviews(session.store, campaign.id, unit.id)), data)


def delivery_document(session: Session, delivery_id: str, name: str) -> bytes:
    """A member of a delivered file (a PDF for the GUI's preview, an Excel, a scan)."""
    require_office(session)
    data = store.member(session.store, delivery_id, name)
    if data is None:
        raise InputRejected(f"找不到文件“{name}”。", Location(field="文件"))
    return data


# ----------------------------------------------------------------------------- 退回 and 确认


@dataclass(frozen=True)
class ReturnResult:
    review: Review
    path: Path | None  # the 退回文件 written; None for a unit that delivered only Excel


def _current_or_refuse(session: Session, campaign: Campaign, unit: OfficeUnit) -> Delivery:
    current = store.current_delivery(session.store, campaign.id, unit.id)
    if current is None:
        raise InputRejected(f"“{unit.name}”尚未报送{campaign.quoted_title}，无从退回或确认。", Location(field="单位"))
    return current


_DRAFT_PROBLEM_LENGTH = 21  # a finding named by its first 20 characters and “…”, as the 修改记录 names it


def overdue_findings(detail: UnitDetail, today: dt.date | None = None) -> list:
    """The filing's 自查 findings past their 整改时限 and not done, as of ``today``."""
    today = today or dt.date.today()
    findings = detail.self_check.findings if detail.self_check is not None else ()
    return [finding for finding in findings if finding.state(today) is RectificationState.OVERDUE]


def return_draft(detail: UnitDetail, *, today: dt.date | None = None) -> str:
    """A first draft of the 退回意见 from what the filing itself shows is missing: people who must
    sign and have not, rectifications past their due date. "" when it shows nothing; the reviewer
    reads and edits it before returning (what else is wrong only a person can say)."""
    today = today or dt.date.today()
    points = []
    unsigned = [row for row in detail.pledges if row.outstanding]
    if unsigned:
        names = "、".join(f"{row.name}（{row.post}）" if row.post else row.name for row in unsigned)
        points.append(f"{names}未签订承诺书，请补签，或写明不签订的理由")
    for finding in overdue_findings(detail, today):
        problem = shortened(finding.problem, _DRAFT_PROBLEM_LENGTH)
        points.append(f"自查表第{finding.row}行的问题“{problem}”已过整改时限（{chinese_date(finding.due)}），"
                      "请说明整改进展")
    return "\n".join(f"{number}. {point}{'。' if number == len(points) else '；'}"
                     for number, point in enumerate(points, 1))


def return_filing(
    session: Session,
    unit_ref: str,
    comment: str,
    target: Path | None = None,
    *,
    campaign_id: str | None = None,
) -> ReturnResult:
    """退回: record the office's comments on the unit's current revision and write the 退回文件
    (signed by the office's key) the unit imports to reopen its filing. ``target`` may be a folder.
    A unit that delivered only Excel does not use the app: the 退回 is recorded, no file is written."""
    from qingqing_desktop.exchange import return_file  # noqa: PLC0415

    office_name = require_office(session)
    campaign = require_campaign(session, campaign_id)
    unit = find_unit(session, unit_ref)
    comment = check_comment(comment)
    current = _current_or_refuse(session, campaign, unit)
    path = None
    file_id = None
    with session.store.transaction():
        if current.source is DeliverySource.PACKAGE:
            if target is None:
                raise InputRejected("请指定退回文件的保存位置。", Location(field="保存位置"))
            path = Path(target)
            if path.is_dir():
                path = path / return_file.return_file_name(unit.name, campaign.title, current.revision,
                                                           campaign.template.issuer)
            manifest = return_file.write_return_file(
                path, unit_id=unit.unit_id, unit_name=unit.reported_name or unit.name, campaign_id=campaign.id,
                campaign_title=campaign.title, revision=current.revision, comment=comment, office_name=office_name,
                key=key_service.office_key(session),
            )
            file_id = manifest["package_id"]
        review = store.add_review(session.store, office_unit_id=unit.id, campaign_id=campaign.id,
                                  revision=current.revision, state=ReviewState.RETURNED, comment=comment,
                                  operator=session.operator, file_id=file_id)
    return ReturnResult(review, path)


def confirm_filing(session: Session, unit_ref: str, *, campaign_id: str | None = None) -> Review:
    """确认: the office accepts the unit's current revision."""
    require_office(session)
    campaign = require_campaign(session, campaign_id)
    unit = find_unit(session, unit_ref)
    current = _current_or_refuse(session, campaign, unit)
    state = _review_state(store.reviews(session.store, campaign.id, unit.id), current.revision)
    if state is ReviewState.CONFIRMED:
        raise InputRejected(f"“{unit.name}”第{current.revision}版已确认过。", Location(field="单位"))
    if state is ReviewState.RETURNED:
        raise InputRejected(f"“{unit.name}”第{current.revision}版已退回，请等该单位报送更正后的新版本再确认。",
                            Location(field="单位"))
    with session.store.transaction():
        return store.add_review(session.store, office_unit_id=unit.id, campaign_id=campaign.id,
                                revision=current.revision, state=ReviewState.CONFIRMED, comment="",
                                operator=session.operator)


# ----------------------------------------------------------------------------- bureau-wide outputs


def _unit_tables(session: Session, the_board: Board) -> list[office_workbook.UnitTable]:
    from qingqing_desktop.documents import office_workbook  # noqa: PLC0415

    current = store.current_filings(session.store, the_board.campaign.id)
    tables = []
    for row in the_board.rows:
        filing = current.get(row.office_unit_id)
        if filing is not None:
            rows = _summary_rows(filing.delivery, store.delivery_data(session.store, filing.delivery.id))
            tables.append(office_workbook.UnitTable(row.unit, row.revision, bool(row.signed), tuple(rows)))
    return tables


def export_workbook(session: Session, path: Path, *, campaign_id: str | None = None,
                    today: dt.date | None = None) -> Path:
    """The consolidated 附件2 of every unit: an overview sheet, then one sheet per unit that delivered."""
    from qingqing_desktop.documents import office_workbook  # noqa: PLC0415

    the_board = board(session, campaign_id=campaign_id, today=today)
    office_workbook.write_office_workbook(Path(path), the_board.campaign, the_board.rows,
                                          _unit_tables(session, the_board), office_name=the_board.office_name,
                                          today=today)
    return Path(path)


def export_overview_pdf(session: Session, path: Path, *, campaign_id: str | None = None,
                        today: dt.date | None = None) -> Path:
    """The PDF overview of delivery and coverage, one line per unit, with totals."""
    from qingqing_desktop.documents import office_overview_pdf  # noqa: PLC0415

    today = today or dt.date.today()
    the_board = board(session, campaign_id=campaign_id, today=today)
    office_overview_pdf.write_overview_pdf(Path(path), the_board.campaign, the_board.rows, the_board.totals,
                                           office_name=the_board.office_name, today=today)
    return Path(path)
