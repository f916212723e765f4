"""companion/ is the domain: it must never import Qt or the window (ui/), so it runs headless and in scripts."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import companion

FORBIDDEN = {"PySide6", "shiboken6", "ui"}
PACKAGE_DIR = Path(companion.__file__).parent


def forbidden_imports(source: str, filename: str) -> list[str]:
    """Each import of a forbidden top-level package, including importlib.import_module("...") by name."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found += [f"{filename}:{node.lineno}: {name}" for name in names if name.split(".")[0] in FORBIDDEN]
    return found


def test_the_check_catches_each_kind_of_import():
    source = "import PySide6.QtCore\nfrom shiboken6 import x\nfrom ui.app import main\nimport importlib\n"
    source += "importlib.import_module('PySide6')\nimport uix\nfrom .ui import y\n"

    assert len(forbidden_imports(source, "sample.py")) == 4


def test_no_module_in_companion_imports_qt_or_ui():
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(files) > 10, "the package was not found where expected"

    offending = [hit for path in files for hit in forbidden_imports(path.read_text(encoding="utf-8"), str(path))]

    assert offending == []


def test_importing_the_domain_loads_no_qt(tmp_path):
    code = (
        "import companion.cli.main, companion.read.briefing, companion.demo; import sys; "
        "assert not any(m.split('.')[0] in ('PySide6', 'shiboken6', 'ui') for m in sys.modules)"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)

    assert result.returncode == 0, result.stderr
