"""CLI fixtures: a populated unit database (about 320 people, a campaign, pledges, a 自查表, two backups
taken by the program), built once per module as tools/fault_inject.py builds it."""

from __future__ import annotations

import os

import pytest

from tools import fault_inject

SEED = 8


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    data = tmp_path_factory.mktemp("populated")
    saved = os.environ.get("QINGQING_DATA_DIR")
    os.environ["QINGQING_DATA_DIR"] = str(data)
    try:
        fault_inject.build_unit_database(data, seed=SEED, backups=2)
    finally:
        if saved is None:
            os.environ.pop("QINGQING_DATA_DIR")
        else:
            os.environ["QINGQING_DATA_DIR"] = saved
    return data
