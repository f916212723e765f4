"""`python -m companion` as a real process, with its data in COMPANION_HOME, as a script would run it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date

import pytest

from companion.storage.database import DEFAULT_FILE_NAME


@pytest.fixture
def run(companion_home):
    """run(*argv) -> CompletedProcess of `python -m companion argv` with COMPANION_HOME set."""
    env = {key: value for key, value in os.environ.items() if key != "COMPANION_DB"}
    env.update(COMPANION_HOME=str(companion_home), PYTHONIOENCODING="utf-8")

    def run_companion(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "companion", *argv],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    return run_companion


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.startswith("companion: error:")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_demo_then_visits_and_show_through_a_real_process(run, companion_home):
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    assert "visits added" in demo.stdout

    listed = run("visits", "--json", "--date", date.today().isoformat())
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) >= 6
    soren = next(r["id"] for r in rows if r["patient"] == "Søren")

    shown = run("show", str(soren), "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert {"patient", "prep_cue", "priorities", "social_context", "emotion_checklist"} <= set(data)
    assert data["patient"]["text"].startswith("Søren")

    db = companion_home / DEFAULT_FILE_NAME
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(companion_home.stat().st_mode) == 0o700


def test_note_and_priority_added_by_one_process_show_in_the_next(run):
    assert run("demo").returncode == 0
    rows = json.loads(run("visits", "--json").stdout)
    lan = next(r["id"] for r in rows if r["patient"] == "Lan")

    note = run("note", "add", str(lan), "--kind", "social", "--topic", "family", "--text", "Lives with her son Minh",
               "--author", "Jonas")  # fmt: skip
    priority = run("priority", "add", str(lan), "--text", "Sleep better (ngủ ngon)")

    assert (note.returncode, note.stderr) == (0, "")
    assert (priority.returncode, priority.stderr) == (0, "")
    data = json.loads(run("show", str(lan), "--json").stdout)
    assert "Lives with her son Minh" in [item["text"] for item in data["social_context"]]
    assert "Sleep better (ngủ ngon)" in [item["text"] for item in data["priorities"]]


def test_bad_input_in_a_real_process_is_one_line_without_traceback(run, companion_home, row_counts):
    assert run("demo").returncode == 0
    db = companion_home / DEFAULT_FILE_NAME
    before = row_counts(db)

    for argv in (
        ["show", "424242"],
        ["note", "add", "1", "--kind", "gossip", "--text", "x", "--author", "J"],
        ["priority", "add", "1", "--text", "   "],
        ["priority", "add", "1", "--text", "y" * 2001],
    ):
        assert_one_line_error(run(*argv))

    assert row_counts(db) == before


def test_a_db_that_is_not_sqlite_is_left_byte_for_byte(run, tmp_path):
    path = tmp_path / "spreadsheet.csv"
    content = b"name,phone\nAna,555-0100\n"
    path.write_bytes(content)

    result = run("priority", "add", "1", "--db", str(path), "--text", "x")

    assert_one_line_error(result)
    assert path.read_bytes() == content
    assert not any(tmp_path.glob("spreadsheet.csv-*"))
