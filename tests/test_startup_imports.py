"""Start-up stays light: ``qingqing-cli unit show`` and the first window load no heavy library.

Structural, not timed (``tools/bench_startup.py`` measures the time): each check runs in a
fresh interpreter and lists what got imported. Reportlab, openpyxl, cryptography, Pillow,
the QR and scan readers, QtPdf, opencc and pypinyin cost a clerk seconds at every start on
an office PC (and sqlite-utils, with its plugin search that reads every installed package's
metadata); they are imported inside the functions that use them (or by pages built when first shown). A failure here names the module and the chain of imports that pulled it in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from qingqing_desktop.domain.staff import RankCategory, StaffMember
from qingqing_desktop.services import campaign_service, office_service, roster_service

HEAVY = (
    "reportlab", "openpyxl", "cryptography", "PIL", "pypdfium2", "zxingcpp", "opencc", "pypinyin",
    "defusedxml", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    # Loaded when sqlite-utils looks for plugins, scanning every installed package (the store opens
    # its Database without them: store.sqlite_db.StoreDatabase).
    "importlib.metadata",
    # sqlite-utils itself (click, dateutil, pluggy: about 50 ms): the store opens, checks and reads with
    # plain sqlite3 and loads it for the first write or a pending schema step (store.database.Store.db).
    "sqlite_utils",
)

# Run in the child: the heavy modules now loaded, each with the import chain that loaded it first.
_REPORT = r"""
import json, sys
HEAVY = %r
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
print("LOADED " + json.dumps(sorted({m for m in loaded if not any(m.startswith(o + ".") for o in loaded)})))
"""


def _loaded_in_fresh_interpreter(code: str) -> list[str]:
    """Run ``code`` then report which heavy modules it loaded (with ``-X importtime`` for the culprit)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code + "\n" + _REPORT % (HEAVY,)],
                          capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, f"the child did not finish:\n{done.stdout}\n{done.stderr[-3000:]}"
    loaded = json.loads(lines[-1][len("LOADED "):])
    return [f"{module} (imported via: {_importers(done.stderr, module)})" for module in loaded]


def _importers(importtime: str, module: str) -> str:
    """The chain of modules that imported ``module`` first, from ``-X importtime`` output."""
    entries = []
    for line in importtime.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1]
            entries.append((len(name) - len(name.lstrip()), name.strip()))
    for i, (depth, name) in enumerate(entries):
        if name == module:
            chain = []
            for parent_depth, parent in entries[i + 1:]:  # a parent is printed after its children
                if parent_depth < depth:
                    chain.append(parent)
                    depth = parent_depth
            return " ← ".join(chain) or "the code itself"
    return "?"


def _first_window(db_path) -> str:
    """Start the app on ``db_path`` and report at the first event it processes after showing its window."""
    report = textwrap.indent(_REPORT % (HEAVY,), "    ")
    return (
        "import os, sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "def report():\n"
        "    assert any(w.isVisible() for w in QApplication.topLevelWidgets())\n"
        f"{report}\n"
        "    sys.stdout.flush()\n"
        "    os._exit(0)\n"
        "QTimer.singleShot(0, report)\n"
        "from qingqing_desktop.ui.app import main\n"
        f"main(['qingqing', '--db', {str(db_path)!r}])\n"
    )


def test_first_window_of_a_unit_loads_nothing_heavy(unit_session, db_path):
    for name, post in (("张伟", "行政审批"), ("單文傑", "质量监管"), ("欧阳小明", "财务")):
        roster_service.add_staff(unit_session, StaffMember(name, RankCategory.STAFF, post=post))
    campaign_service.create_campaign(unit_session)
    unit_session.close()
    assert _loaded_in_fresh_interpreter(_first_window(db_path)) == []


def test_first_window_of_the_office_loads_nothing_heavy(session, db_path):
    office_service.enable_office_mode(session, "局机关纪委（监察室）")
    office_service.add_expected_units(session, ["技术科", "规划科", "质监站"])
    campaign_service.create_campaign(session)
    session.close()
    assert _loaded_in_fresh_interpreter(_first_window(db_path)) == []


def test_unit_show_loads_nothing_heavy(unit_session, db_path):
    unit_session.close()
    code = (
        "from qingqing_desktop.cli import main\n"
        f"assert main(['--db', {str(db_path)!r}, 'unit', 'show']) == 0\n"
    )
    assert _loaded_in_fresh_interpreter(code) == []


def test_cli_help_loads_no_command_module(db_path):
    code = (
        "import contextlib, io, sys\n"
        "from qingqing_desktop.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "commands = [m for m in sys.modules if m.startswith('qingqing_desktop.cli.') and m.endswith('_commands')]\n"
        "assert not commands, commands\n"
    )
    assert _loaded_in_fresh_interpreter(code) == []


def test_roster_commands_load_the_workbook_writer_only_to_write_one():
    """``roster import`` of thousands starts a fresh process: the exporter and the policy templates it
    pulls in (about 30 ms) belong to ``roster export`` and ``roster template`` only."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, qingqing_desktop.cli.roster_commands; "
                               "print(sorted(m for m in ('qingqing_desktop.services.roster_export', "
                               "'qingqing_desktop.services.template_service') if m in sys.modules))"],
        capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr[-2000:]


def test_first_window_of_a_unit_loads_what_later_work_needs_only_then(unit_session, db_path, monkeypatch):
    """What the window does minutes later or when asked — the timer's backup (hashing, uuid), the
    roster's workbook and a template's file, the 自查表's service — is not waited for at every start."""
    roster_service.add_staff(unit_session, StaffMember("张伟", RankCategory.STAFF, post="行政审批"))
    campaign_service.create_campaign(unit_session)
    unit_session.close()
    later = ("qingqing_desktop.services.backup_service", "qingqing_desktop.store.backup", "hashlib",
             "qingqing_desktop.services.roster_export", "qingqing_desktop.exchange.template_file", "tomllib",
             "qingqing_desktop.services.selfcheck_service")
    monkeypatch.setattr(sys.modules[__name__], "HEAVY", later)
    assert _loaded_in_fresh_interpreter(_first_window(db_path)) == []


def test_first_window_of_a_clerk_who_gave_a_name_loads_no_question_for_it(unit_session, db_path, monkeypatch):
    """The window asks for the 经办人's name once; a clerk who gave it does not wait at every start for
    the question's module and the signing keys' behind it."""
    from qingqing_desktop.ui.common.settings import OPERATOR_NAME, Settings  # noqa: PLC0415

    Settings().set(OPERATOR_NAME, "李会计")
    unit_session.close()
    question = ("qingqing_desktop.ui.common.info_boxes", "qingqing_desktop.services.key_service")
    monkeypatch.setattr(sys.modules[__name__], "HEAVY", question)
    # Reported once the window's own first events have run too (the question is put after the window shows)
    code = _first_window(db_path).replace("QTimer.singleShot(0, report)", "QTimer.singleShot(500, report)")
    assert "singleShot(500, report)" in code
    assert _loaded_in_fresh_interpreter(code) == []
