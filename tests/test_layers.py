"""Only qingqing_desktop.ui may import PySide6; lower layers never import upper ones."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import qingqing_desktop

PACKAGE_DIR = Path(qingqing_desktop.__file__).parent
LAYER_ORDER = ["domain", "store", "exchange", "documents", "services", "cli", "ui"]
# what each layer may import from the package (besides itself)
ALLOWED = {
    "domain": set(),
    "store": {"domain"},
    "exchange": {"domain", "store"},
    "documents": {"domain", "store"},
    "services": {"domain", "store", "exchange", "documents"},
    "cli": {"domain", "store", "exchange", "documents", "services"},
    "ui": {"domain", "store", "exchange", "documents", "services"},
}


def _non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="qingqing_desktop."):
        # __main__ modules run a program when imported (the package's starts the GUI)
        if not info.name.startswith("qingqing_desktop.ui") and not info.name.endswith(".__main__"):
            names.append(info.name)
    return names


def test_importing_every_non_ui_module_does_not_load_pyside6():
    modules = _non_ui_modules()
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE_DIR.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"PySide6 loaded by a non-ui module: {result.stdout}"


def test_no_source_outside_ui_mentions_pyside6():
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR)
        if rel.parts[0] == "ui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(str(rel))
    assert offenders == []


def test_layers_import_only_downwards():
    violations = []
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR)
        layer = rel.parts[0] if len(rel.parts) > 1 else None
        if layer not in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qingqing_desktop."):
                target = node.module.split(".")[1]
                if target in LAYER_ORDER and target != layer and target not in ALLOWED[layer]:
                    violations.append(f"{rel} imports {node.module}")
    assert violations == []
