"""Four processes saving at once, each opening the store again and again: the file stays whole and no note is
lost. (The app never opens the database file with plain file I/O while SQLite connections to it are open:
closing that descriptor would drop the process's locks, the classic way to corrupt a SQLite file.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
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
