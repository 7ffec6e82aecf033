"""Start-up stays light: ``qingqing-cli unit show`` and the first window load no heavy library.

Structural, not timed (``tools/bench_startup.py`` measures the time): each check runs in a
fresh interpreter and lists what got imported. Reportlab, openpyxl, cryptography, Pillow,
the QR and scan readers, QtPdf, opencc and pypinyin cost a clerk seconds at every start on
an office PC; they are imported inside the functions that use them (or by pages built when
first shown). A failure here names the module and the chain of imports that pulled it in.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "reportlab", "openpyxl", "cryptography", "PIL", "qrcode", "pypdfium2", "zxingcpp", "opencc", "pypinyin",
    "defusedxml", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
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
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code + _REPORT % (HEAVY,)],
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
