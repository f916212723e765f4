"""PySide6's scan of every later import for its `__feature__` syntax is skipped (ui.window.feature_scan): a module
imported afterwards is not read into memory again, what the scan read before the skip is let go, and a module that
does select a feature still gets it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, tmp_path) -> str:
    (tmp_path / "plain_module.py").write_text("VALUE = 'PySide6 is named here, as in any view'\n")
    (tmp_path / "snake_module.py").write_text(
        "from __feature__ import snake_case\nfrom PySide6.QtCore import QSize\nEMPTY = QSize(0, 0).is_empty()\n"
    )
    script = textwrap.dedent(code).format(folder=str(tmp_path), root=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


SCRIPT = """
import linecache, sys
sys.path[:0] = [{root!r}, {folder!r}]
import PySide6.QtCore
from ui.window.feature_scan import skip_feature_scan
print(skip_feature_scan())
import plain_module, snake_module
print(any(name.endswith("plain_module.py") for name in linecache.cache))
print(snake_module.EMPTY)
"""


def test_a_module_imported_after_qt_is_not_read_again_and_features_still_work(tmp_path):
    skipped, read_again, empty = run(SCRIPT, tmp_path).splitlines()
    assert skipped == "True"
    assert read_again == "False"  # without the skip, PySide6 keeps every such file's lines in memory
    assert empty == "True"  # is_empty: snake_case names for the module that asked for them


def test_without_the_skip_pyside_reads_every_later_module(tmp_path):
    """The reason for the skip, checked against the PySide6 installed: should a version stop reading modules,
    this test says so, and feature_scan can go."""
    _skipped, read_again, _empty = run(SCRIPT.replace("print(skip_feature_scan())", "print(None)"), tmp_path).split()
    assert read_again == "True"


def test_what_the_scan_read_before_the_skip_is_let_go(tmp_path):
    """A harness (the benchmarks' probe, a test runner) may import PySide6 before the app does: the modules it
    imports in between are read by the scan, and their lines are let go when the app skips it."""
    script = SCRIPT.replace("import plain_module, snake_module", "import snake_module").replace(
        "import PySide6.QtCore", "import PySide6.QtCore, plain_module"
    )
    read = SCRIPT.replace("import plain_module, snake_module", "import snake_module").replace(
        "import PySide6.QtCore",
        "import PySide6.QtCore, plain_module\nprint(any(n.endswith('plain_module.py') for n in linecache.cache))",
    )
    assert run(read, tmp_path).splitlines()[0] == "True"  # read by the scan, before the skip
    skipped, kept, _empty = run(script, tmp_path).splitlines()
    assert skipped == "True"
    assert kept == "False"
