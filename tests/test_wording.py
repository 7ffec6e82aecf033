"""Words the product has stopped using must not come back in what a user reads: the source, the
policy templates and the README are searched for each retired word."""

from __future__ import annotations

from pathlib import Path

import pytest

import qingqing_desktop

ROOT = Path(qingqing_desktop.__file__).parent.parent
# retired word → what it is called now, and why
RETIRED = {
    # The signed list of a package's files (manifest.json). “签名清单” read as a list of signatures — the
    # pledges' 签名 and the 附件2 汇总表 of who signed — and 清单 alone is the policy's lists (三清单).
    "签名清单": "文件清单",
}


def _texts():
    for path in [*ROOT.joinpath("qingqing_desktop").rglob("*.py"), *ROOT.joinpath("forms").glob("*.toml"),
                 ROOT / "README.md"]:
        yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("retired", "current"), RETIRED.items())
def test_a_retired_word_is_not_used(retired, current):
    found = [f"{path.relative_to(ROOT)}:{number}" for path, text in _texts()
             for number, line in enumerate(text.splitlines(), start=1) if retired in line]
    assert not found, f"“{retired}”已改称“{current}”：{', '.join(found)}"
    assert any(current in text for _path, text in _texts())
