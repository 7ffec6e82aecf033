from __future__ import annotations

import os
import stat

import pytest

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
