from __future__ import annotations

import os
import stat

import pytest

from qingqing_desktop.store import atomic_file
from qingqing_desktop.store.atomic_file import atomic_write, write_bytes_atomic


def test_replaces_target_in_one_step(tmp_path):
    target = tmp_path / "附件2.xlsx"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["附件2.xlsx"]


def test_failure_leaves_the_old_file_and_no_partial_file(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"complete old file")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as handle:
            handle.write(b"half of a new fi")
            raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"complete old file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_output_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "out.pdf"
    write_bytes_atomic(target, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def _refused(times: int, calls: list, *, only=lambda source: True):
    """``os.replace`` refused ``times`` times for a source ``only`` picks, as Windows refuses a file an
    antivirus scanner holds (PermissionError, sharing violation), then done."""
    real = os.replace

    def replace(source, target):
        if only(str(source)):
            calls.append(target)
            if len(calls) <= times:
                raise PermissionError(13, "The process cannot access the file: it is being used by another process",
                                      str(source))
        real(source, target)

    return replace


def test_on_windows_a_rename_refused_for_a_moment_is_tried_again(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(atomic_file, "RETRY_REFUSED_RENAMES", True)
    monkeypatch.setattr(atomic_file.os, "replace", _refused(2, calls))
    target = tmp_path / "附件2.pdf"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["附件2.pdf"]


def test_a_rename_refused_for_good_fails_and_keeps_the_old_file(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(atomic_file, "RETRY_REFUSED_RENAMES", True)
    monkeypatch.setattr(atomic_file, "RENAME_RETRY_SECONDS", 0.25)
    monkeypatch.setattr(atomic_file.os, "replace", _refused(10**6, calls))  # open in Excel
    target = tmp_path / "附件2.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(PermissionError):
        write_bytes_atomic(target, b"new")
    assert len(calls) > 1 and target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["附件2.xlsx"]


def test_elsewhere_a_refused_rename_is_not_tried_again(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(atomic_file, "RETRY_REFUSED_RENAMES", False)
    monkeypatch.setattr(atomic_file.os, "replace", _refused(1, calls))
    with pytest.raises(PermissionError):
        write_bytes_atomic(tmp_path / "out.pdf", b"new")
    assert len(calls) == 1 and not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- a set of files as one

import os as _os  # noqa: E402

import pytest  # noqa: E402

from qingqing_desktop.store.atomic_file import finish_interrupted_sets, write_file_set  # noqa: E402

NAMES = ["附件1.pdf", "附件2.pdf", "附件2.xlsx", "附件3.pdf"]


def _set(tag: str) -> dict[str, bytes]:
    return {name: f"{tag}:{name}".encode() * 100 for name in NAMES}


def _contents(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "打印件"
    write_file_set(folder, _set("old"))
    (folder / "别的文件.docx").write_bytes(b"mine")
    return folder


def test_a_set_replaces_the_old_set_and_leaves_other_files_alone(folder):
    paths = write_file_set(folder, _set("new"))
    assert [p.name for p in paths] == NAMES
    assert _contents(folder) == {**_set("new"), "别的文件.docx": b"mine"}  # no work folder left


def test_a_kill_while_writing_leaves_the_old_set_and_the_next_export_cleans_up(folder, monkeypatch):
    real_fsync, calls = _os.fsync, []

    def killed(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as far as Python goes, a kill: nothing after it runs but finally
        real_fsync(fd)

    monkeypatch.setattr(atomic_file.os, "fsync", killed)
    monkeypatch.setattr(atomic_file.shutil, "rmtree", lambda *a, **k: None)  # a real kill cleans nothing
    with pytest.raises(KeyboardInterrupt):
        write_file_set(folder, _set("new"))
    monkeypatch.undo()
    leftovers = [p for p in folder.iterdir() if p.name.startswith(atomic_file.SET_WORK_PREFIX)]
    assert leftovers and {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == {
        **_set("old"), "别的文件.docx": b"mine"}
    write_file_set(folder, _set("newer"))
    assert _contents(folder) == {**_set("newer"), "别的文件.docx": b"mine"}


def test_a_kill_between_the_renames_is_finished_on_the_next_export(folder, monkeypatch):
    real_replace, calls = _os.replace, []

    def killed(source, target):
        calls.append(target)
        if len(calls) == 5:  # the journal, old 附件1 aside, new 附件1 in, old 附件2 aside: then the kill
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(atomic_file.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_file_set(folder, _set("new"))
    monkeypatch.undo()
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert files["附件1.pdf"] == _set("new")["附件1.pdf"] and "附件2.pdf" not in files  # mid-way
    finish_interrupted_sets(folder)  # what the next export does first
    assert _contents(folder) == {**_set("new"), "别的文件.docx": b"mine"}


def test_a_file_that_cannot_be_replaced_undoes_the_whole_set(folder, monkeypatch):
    real_replace, calls = _os.replace, []

    def refused(source, target):
        calls.append(target)
        if str(target).endswith("附件2.xlsx"):
            raise PermissionError(13, "The process cannot access the file (open in Excel)", str(target))
        real_replace(source, target)

    monkeypatch.setattr(atomic_file.os, "replace", refused)
    with pytest.raises(PermissionError):
        write_file_set(folder, _set("new"))
    monkeypatch.undo()
    assert _contents(folder) == {**_set("old"), "别的文件.docx": b"mine"}
