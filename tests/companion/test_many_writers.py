"""Four processes saving at once, each opening the store again and again: the file stays whole and no note is
lost. (The app never opens the database file with plain file I/O while SQLite connections to it are open:
closing that descriptor would drop the process's locks, the classic way to corrupt a SQLite file.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.companion.conftest import _make_clinician, _make_patient, _make_visit

ROOT = Path(__file__).resolve().parents[2]
WRITERS, NOTES = 4, 200


def test_four_writers_opening_the_store_again_and_again_lose_nothing(sqlite_store, sqlite_path):
    visit_id = _make_visit(sqlite_store, _make_patient(sqlite_store), _make_clinician(sqlite_store))
    sqlite_store.engine.dispose()
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.companion.reopening_writer",
                str(sqlite_path),
                str(visit_id),
                str(NOTES),
                f"w{number}",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for number in range(WRITERS)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0 and out.strip() == "done", err[-2000:]

    with sqlite3.connect(sqlite_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = {t for (t,) in connection.execute("SELECT text FROM contextnote WHERE visit_id = ?", (visit_id,))}
    assert texts == {f"w{w} note {n}" for w in range(WRITERS) for n in range(NOTES)}


# Each program waits for its moment, then runs the command line on a file that does not exist yet.
_AT_ONCE = (
    "import sys, time; time.sleep(max(0.0, float(sys.argv[1]) - time.time())); "
    "from companion.cli.main import main; sys.exit(main(sys.argv[2:]))"
)


ADD_ONE = ("patient", "add", "--name", "Ana Lima")  # a command that makes the database file it is given


def test_programs_opening_a_new_database_at_once_all_open_it(tmp_path):
    """Two desks starting on a new shared file, or the window and a command at the same moment: each program
    waits for the one making the tables, none fails with "database is locked", and the file is made once."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMPANION_HOME": str(tmp_path / "home")}
    for attempt in range(3):
        path = tmp_path / f"new-{attempt}.sqlite3"
        start = time.time() + 3  # every program has loaded by then; each then comes while the one before works
        programs = [
            subprocess.Popen(
                [sys.executable, "-c", _AT_ONCE, f"{start + number * 0.1:.3f}", "--db", str(path), *ADD_ONE],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for number in range(WRITERS)
        ]
        for program in programs:
            out, err = program.communicate(timeout=120)
            assert program.returncode == 0 and out.startswith("patient "), err[-2000:]
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
