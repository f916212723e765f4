"""A process killed in the middle of saving loses nothing it had acknowledged, and the file stays whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from companion.storage.models import ContextNote
from companion.storage.store import open_store

ROOT = Path(__file__).resolve().parents[2]
NOTES = 1000
KILL_AFTER = 300  # acknowledged saves before the kill: the writer is then busy with the next one


def _write_and_kill(location: str, visit_id: int) -> list[int]:
    """Start the writer, read its acknowledgements, SIGKILL it mid-stream; the ids it acknowledged."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.companion.note_writer", location, str(visit_id), str(NOTES)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = []
    for line in writer.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) == KILL_AFTER:
            writer.send_signal(signal.SIGKILL)
            break
    # Lines already in the pipe were acknowledged too: count them.
    acknowledged += [int(line) for line in writer.stdout.read().split() if line.isdigit()]
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL, writer.stderr.read()[-2000:]
    return acknowledged


def test_every_acknowledged_note_survives_a_kill_mid_write(database, visit_id):
    acknowledged = _write_and_kill(database, visit_id)
    assert len(acknowledged) >= KILL_AFTER

    restarted = open_store(database)  # as the app does on its next start
    with restarted.session() as session:
        saved = set(session.exec(select(ContextNote.id).where(ContextNote.visit_id == visit_id)).all())
        texts = {n.id: n.text for n in session.exec(select(ContextNote).where(ContextNote.id.in_(acknowledged)))}
    restarted.engine.dispose()
    assert set(acknowledged) <= saved
    assert all(text.endswith("written before the power cut") for text in texts.values())
    assert len(saved) < NOTES  # it really was killed before the end

    if "://" not in database:
        with sqlite3.connect(database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
