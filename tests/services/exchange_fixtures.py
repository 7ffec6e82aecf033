"""Helpers for the exchange tests: separate installations (each its own data folder, key and
database) that talk only through files, as on the bureau's USB sticks."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.domain.unit import UnitKind
from qingqing_desktop.exchange import signed_container
from qingqing_desktop.services import (
    campaign_service,
    filing_service,
    office_service,
    package_service,
    pledge_service,
    roster_service,
    selfcheck_service,
    unit_service,
)
from qingqing_desktop.services.session import Session, open_session
from qingqing_desktop.store.backup import list_backups

OFFICE_NAME = "局机关纪委（监察室）"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@dataclass
class Installation:
    """One computer: its data folder (keys, backups) and its database."""

    name: str
    folder: Path
    session: Session
    monkeypatch: object

    @contextlib.contextmanager
    def active(self) -> Iterator[Session]:
        """Work as this computer: its data folder holds the keys the services use."""
        with self.monkeypatch.context() as patch:
            patch.setenv("QINGQING_DATA_DIR", str(self.folder / "data"))
            yield self.session

    def dump(self) -> str:
        return "\n".join(self.session.store.db.conn.iterdump())


def installation(tmp_path: Path, monkeypatch, name: str, operator: str) -> Installation:
    folder = tmp_path / name
    folder.mkdir()
    session = open_session(folder / "qingqing.sqlite3", operator=operator)
    return Installation(name, folder, session, monkeypatch)


def make_office(tmp_path: Path, monkeypatch, *, deadline: dt.date, units=("技术科", "质监站", "规划科")) -> Installation:
    office = installation(tmp_path, monkeypatch, "office", "纪委干部")
    with office.active() as session:
        office_service.enable_office_mode(session, OFFICE_NAME)
        campaign_service.create_campaign(session, deadline=deadline.isoformat(), title="2019年“三清单一承诺”行动")
        office_service.add_expected_units(session, units)
    return office


def make_unit(tmp_path: Path, monkeypatch, name: str, campaign_file: Path, kind=UnitKind.SECTION, *,
              import_task: bool = True, computer: str | None = None) -> Installation:
    """A unit with a small roster (a cadre, two key-post staff, one other) that imported the 任务包.

    ``computer`` names the installation's folder when two installations use the same unit name."""
    unit = installation(tmp_path, monkeypatch, computer or f"unit-{name}", f"{name}内勤")
    with unit.active() as session:
        unit_service.save_unit(session, name=name, kind=kind, leader="林主任")
        for member in (
            StaffMember("单建国", RankCategory.MIDDLE_CADRE, post="主持全面工作", party_member=True),
            StaffMember("李𡈽", RankCategory.STAFF, post="质量监管"),
            StaffMember("张伟", RankCategory.STAFF, post="竣工验收", party_member=True),
            StaffMember("孙佳怡", RankCategory.STAFF, post="财务"),
        ):
            roster_service.add_staff(session, member)
        if import_task:
            package_service.import_campaign_file(session, campaign_file)
    return unit


def backup_label(path: Path) -> str:
    """How the backups list (备份与恢复, qingqing-cli backup list) names the backup at ``path``."""
    return next(info.reason_label for info in list_backups(path.parent) if info.path == path)


def person(session: Session, name: str) -> StaffMember:
    return next(m for m in roster_service.list_staff(session) if m.name == name)


def fill_and_finalise(unit: Installation, *, with_finding: bool = True, today: dt.date | None = None) -> None:
    """Sign two of the three who must, attach a scan, fill the 自查表, 定稿."""
    today = today or dt.date.today()
    with unit.active() as session:
        cadre = person(session, "单建国")
        pledge_service.set_status(session, cadre.id, "已签订", signed_on=today, today=today)
        pledge_service.attach_scan_data(session, cadre.id, PNG, "签字页.png")
        pledge_service.set_status(session, person(session, "张伟").id, "已签订", signed_on=today, today=today)
        if with_finding:
            selfcheck_service.add_finding(session, row=1, problem="服务企业不够主动", measure="建立上门服务清单",
                                          owner_id=cadre.id, due=today + dt.timedelta(days=30), today=today)
        else:
            selfcheck_service.confirm_none(session, 1)
        selfcheck_service.confirm_none(session, 2)
        selfcheck_service.confirm_none(session, 3)
        filing_service.finalize(session)


def send_package(unit: Installation, folder: Path) -> package_service.PackageResult:
    with unit.active() as session:
        return package_service.create_package(session, folder)


def office_and_two_units(
    tmp_path: Path, monkeypatch, *, campaign_folder: Path, second_with_finding: bool = True
) -> tuple[Installation, Installation, Installation, Path, Path, str]:
    """The office issued its 任务包 into ``campaign_folder``; 技术科 and 质监站 imported it, filled in and 定稿.

    Returns the office, the two units, the empty ``usb`` folder, the 任务包 and the office key's fingerprint.
    """
    usb = tmp_path / "usb"
    usb.mkdir()
    office = make_office(tmp_path, monkeypatch, deadline=dt.date.today() + dt.timedelta(days=10))
    with office.active() as session:
        campaign_path, office_fp = office_service.export_campaign_file(session, campaign_folder)
    a = make_unit(tmp_path, monkeypatch, "技术科", campaign_path)
    b = make_unit(tmp_path, monkeypatch, "质监站", campaign_path)
    fill_and_finalise(a)
    fill_and_finalise(b, with_finding=second_with_finding)
    return office, a, b, usb, campaign_path, office_fp


def hand_made_xlsx(path: Path, rows, *, unit: str = "规划科") -> Path:
    """A 附件2 as a unit without the app types it in Excel: 单位（盖章）：``unit``, then ``rows`` of
    (姓名, 职务, 工作岗位, 是否党员), then its 填报说明."""
    from openpyxl import Workbook  # noqa: PLC0415 — only the Excel tests need it

    book = Workbook()
    sheet = book.active
    sheet.append(["附件2"])
    sheet.append(["反对“挈篮子”承诺书签订情况汇总表"])
    sheet.append([f"单位（盖章）：{unit}", None, None, "2019年3月12日"])
    sheet.append(["序号", "姓名", "职务", "工作岗位", "是否党员"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append(["填报说明：1、职务一栏请填写中层干部或一般工作人员"])
    book.save(path)
    return path


def unit_clock_ahead(monkeypatch, days: int) -> None:
    """The unit's computer believes it is ``days`` later than it is: the packages it signs say so."""
    class Ahead(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(days=days)

    monkeypatch.setattr(signed_container, "datetime", Ahead)
