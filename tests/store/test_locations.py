"""Where the live database, the data folder and the backups may be: a local disk, checked at the
nearest folder that exists; network shares and removable drives (Linux: sysfs) refused."""

from __future__ import annotations

import os
import sys

import pytest

from qingqing_desktop.domain.errors import DatabaseRefused
from qingqing_desktop.services.session import open_session
from qingqing_desktop.store import locations

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sysfs is Linux's")


def test_a_new_database_is_checked_at_its_nearest_existing_folder_not_the_working_directory(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(locations, "_linux_fs_type", lambda folder: seen.append(folder) or "nfs")
    monkeypatch.chdir("/")
    target = tmp_path / "新建" / "子文件夹" / "qingqing.sqlite3"
    with pytest.raises(DatabaseRefused, match="网络共享文件夹"):
        locations.check_local_disk(target)
    assert seen == [tmp_path]
    assert not (tmp_path / "新建").exists()  # refused before anything was created


def _fake_sysfs(root, folder, *, removable: str, usb: bool = False):
    """/sys/dev/block/MAJ:MIN → a partition under its disk, as the kernel lays it out."""
    device = os.stat(folder).st_dev
    bus = "usb1/1-1/1-1:1.0/host6/target6:0:0/6:0:0:0" if usb else "pci0000:00/0000:00:1f.2/ata1/host0"
    disk = root / "devices" / bus / "block" / "sdb"
    (disk / "sdb1").mkdir(parents=True)
    (disk / "removable").write_text(removable + "\n")
    (root / "dev" / "block").mkdir(parents=True)
    (root / "dev" / "block" / f"{os.major(device)}:{os.minor(device)}").symlink_to(disk / "sdb1")


@linux_only
@pytest.mark.parametrize(("removable", "usb", "refused"), [("1", False, True), ("0", True, True), ("0", False, False)])
def test_removable_and_usb_drives_are_detected_on_linux(removable, usb, refused, tmp_path, monkeypatch):
    sysfs, folder = tmp_path / "sys", tmp_path / "data"
    folder.mkdir()
    _fake_sysfs(sysfs, folder, removable=removable, usb=usb)
    monkeypatch.setattr(locations, "SYS_ROOT", sysfs)
    if refused:
        with pytest.raises(DatabaseRefused, match="U盘等可移动磁盘"):
            locations.check_local_disk(folder / "qingqing.sqlite3")
    else:
        locations.check_local_disk(folder / "qingqing.sqlite3")


@linux_only
def test_the_data_folder_gets_the_same_check(tmp_path, monkeypatch):
    sysfs, usb_folder = tmp_path / "sys", tmp_path / "u盘"
    usb_folder.mkdir()
    _fake_sysfs(sysfs, usb_folder, removable="1")
    monkeypatch.setattr(locations, "SYS_ROOT", sysfs)
    monkeypatch.setenv("QINGQING_DATA_DIR", str(usb_folder))
    with pytest.raises(DatabaseRefused, match="数据文件夹.*U盘等可移动磁盘"):
        open_session(tmp_path / "elsewhere.sqlite3")


@linux_only
def test_the_backups_folder_gets_the_same_check_even_as_a_link_to_a_usb_stick(tmp_path, monkeypatch):
    data, usb = tmp_path / "数据", tmp_path / "u盘"
    data.mkdir()
    usb.mkdir()
    (data / "backups").symlink_to(usb, target_is_directory=True)
    monkeypatch.setattr(locations, "_linux_removable", lambda folder: folder.resolve() == usb.resolve())
    monkeypatch.setenv("QINGQING_DATA_DIR", str(data))
    with pytest.raises(DatabaseRefused, match="备份文件夹“.*backups”位于U盘等可移动磁盘上") as refused:
        open_session(data / "qingqing.sqlite3")
    assert "数据文件夹" not in str(refused.value)
    assert not (data / "qingqing.sqlite3").exists()  # refused before the database was created
    (data / "backups").unlink()
    open_session(data / "qingqing.sqlite3").close()  # a plain folder on the local disk is fine


def test_a_folder_not_yet_made_is_checked_at_its_nearest_existing_ancestor(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(locations, "_linux_fs_type", lambda folder: seen.append(folder) or "cifs")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.chdir("/")
    with pytest.raises(DatabaseRefused, match="数据文件夹“.*新数据”位于网络共享文件夹上"):
        locations.check_local_folder(tmp_path / "新数据", what="数据文件夹")
    assert seen == [tmp_path]
