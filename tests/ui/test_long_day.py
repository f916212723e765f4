"""A window left open all day keeps working: hundreds of glance switches in one process, no crash.

PySide6 6.12 on Python 3.11 lost a reference to None on every Qt call returning nothing, so a window died
("Fatal Python error: none_dealloc") after a few dozen switches; pyproject.toml keeps that version out.
"""

from __future__ import annotations

import subprocess
import sys

from tests.ui.conftest import clinician_id
from tests.ui.test_real_window import ROOT, app_env

SWITCHES = 400  # a busy day is far fewer; the crash came after about 70


def test_the_window_survives_a_long_day_of_glance_switches(store, db_path, companion_home):
    physician = clinician_id(store, "Dr. Amara Okafor")
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.long_day_probe", str(db_path), str(physician), str(SWITCHES)],
        env=app_env(companion_home, QT_QPA_PLATFORM="offscreen"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "survived today"
