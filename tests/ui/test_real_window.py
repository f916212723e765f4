"""The app on a real X server (Xvfb) and the --screenshot option, each in its own process."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from companion.services.audit_trail import audit_log
from companion.services.visits import list_visits
from tests.ui.conftest import visit_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xvfb_display():
    """A private Xvfb server on a free display number, stopped after the test."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb); .ci/run installs it")
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 15
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def app_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(COMPANION_HOME=str(home), PYTHONPATH=str(ROOT), **extra)
    return env


def run_probe(module: str, *args: object, home: Path, display: str) -> dict:
    """A probe module that starts the app on the X server in its own process and prints a JSON report last."""
    result = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        env=app_env(home, DISPLAY=display, QT_QPA_PLATFORM="xcb"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_window_opens_on_a_real_x_server(store, db_path, xvfb_display, companion_home, tmp_path):
    screen = tmp_path / "screen.png"
    visit = visit_of(store, "Søren")
    report = run_probe("tests.ui.real_window_probe", db_path, visit, screen, home=companion_home, display=xvfb_display)
    assert report["platform"] == "xcb"
    assert report["exposed"] is True
    assert report["title"] == "Encounter Companion"
    assert report["view"] == "glance"
    assert report["size"] == [420, 640]
    image = QImage(str(screen))
    x, y, w, h = report["geometry"]
    colours = {image.pixel(x + dx, y + dy) for dx in range(0, w, 7) for dy in range(0, h, 7)}
    assert len(colours) > 20, "the window area of the real screen is blank"


def screenshot(db_path, out, view: str, visit: int, home, *extra: str) -> subprocess.CompletedProcess:
    """`companion --screenshot` in its own process, as the README shows it."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from ui.app import main; main()",
            "--db",
            str(db_path),
            "--screenshot",
            str(out),
            "--view",
            view,
            "--visit",
            str(visit),
            *extra,
        ],
        env=app_env(home, QT_QPA_PLATFORM="offscreen"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("view", ["today", "rooming", "prepare", "glance"])
def test_screenshot_option_renders_each_view(store, db_path, companion_home, tmp_path, view):
    out = tmp_path / f"{view}.png"
    result = screenshot(db_path, out, view, visit_of(store, "Søren"), companion_home)
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (420, 640)
    assert out.stat().st_mode & 0o077 == 0  # owner-only, like every file the app writes


def test_an_unassigned_visit_is_rendered_as_a_nurse_sees_it(store, db_path, companion_home, tmp_path):
    from companion.services import booking, patients

    patient = patients.add_patient(store, "Dima Orlov").result.id
    visit = booking.add_visit(store, patient, None, datetime.now().replace(second=0, microsecond=0), "").result.id
    out = tmp_path / "unassigned.png"
    result = screenshot(db_path, out, "rooming", visit, companion_home)
    assert result.returncode == 0, result.stderr[-2000:]
    assert QImage(str(out)).width() == 420


def test_screenshot_of_an_unknown_visit_is_a_clear_error(store, db_path, companion_home, tmp_path):
    out = tmp_path / "none.png"
    result = screenshot(db_path, out, "glance", 9999, companion_home)
    assert result.returncode != 0
    assert "companion: error: no visit with id 9999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_screenshot_never_overwrites_the_database_and_replaces_a_file_only_when_forced(
    store, db_path, companion_home, tmp_path
):
    visit = visit_of(store, "Søren")
    visits_before = len(list_visits(store, date.today()))
    for target in (db_path, Path(f"{db_path}-wal"), Path("/dev/null")):
        result = screenshot(db_path, target, "glance", visit, companion_home, "--force")
        assert result.returncode != 0 and result.stderr.count("\n") == 1, result.stderr
        assert "never overwritten" in result.stderr
    assert len(list_visits(store, date.today())) == visits_before

    out = tmp_path / "glance.png"
    out.write_bytes(b"someone's picture")
    out.chmod(0o644)
    refused = screenshot(db_path, out, "glance", visit, companion_home)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert out.read_bytes() == b"someone's picture"

    forced = screenshot(db_path, out, "glance", visit, companion_home, "--force")
    assert forced.returncode == 0, forced.stderr[-2000:]
    assert QImage(str(out)).width() == 420 and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_screenshot_is_audited_under_the_account_that_ran_it(store, db_path, companion_home, tmp_path):
    visit = visit_of(store, "Søren")
    result = screenshot(db_path, tmp_path / "g.png", "glance", visit, companion_home)
    assert result.returncode == 0, result.stderr[-2000:]
    entries = [e for e in audit_log(store) if e["visit_id"] == visit and e["action"] == "open glance"]
    assert entries and all(e["who"] == f"command line ({getpass.getuser()})" for e in entries)
    assert all(e["clinician_id"] is None for e in entries)


def test_the_lock_holds_against_real_keys_on_a_real_x_server(store, db_path, xvfb_display, companion_home, tmp_path):
    """Ctrl+Shift+U locks; Ctrl+4 and Ctrl+1, pressed on the X server's keyboard, change nothing on the screen; words
    copied or selected in the window before the lock are not left on either clipboard."""
    visit = visit_of(store, "Søren")
    report = run_probe(
        "tests.ui.lock_probe", db_path, visit, f"{tmp_path}/screen-", home=companion_home, display=xvfb_display
    )
    steps = {step["name"]: step for step in report["steps"]}
    assert report["active"] and steps["glance"]["view"] == "glance" and "Karin" in steps["glance"]["texts"]
    assert steps["copied"]["pasted"] == ["afraid", "afraid"]  # Ctrl+C and the selection, as typed
    for name in ("locked", "ctrl4", "ctrl1"):  # nothing the app put there is left to paste after the lock
        assert steps[name]["pasted"] == ["", ""], name
    for name in ("locked", "ctrl4", "ctrl1"):
        assert steps[name]["view"] == "locked", name
        assert "Who is signing in?" in steps[name]["texts"], name
        assert not any(s in steps[name]["texts"] for s in ("Søren", "Karin", "heart pills", "Majo")), name
        assert steps[name]["others"] == 0, name

    def window_pixels(name: str) -> list[int]:
        image = QImage(str(tmp_path / f"screen-{name}.png"))
        assert not image.isNull(), name
        x, y, w, h = report["geometry"]
        return [image.pixel(x + dx, y + dy) for dx in range(0, w, 3) for dy in range(0, h, 3)]

    locked = window_pixels("locked")
    assert locked != window_pixels("glance")  # the grab sees the screen change when something does change
    assert window_pixels("ctrl4") == locked, "Ctrl+4 changed what the locked window shows"
    assert window_pixels("ctrl1") == locked, "Ctrl+1 changed what the locked window shows"
