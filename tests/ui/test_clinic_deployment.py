"""Several workstations on one database: live updates, writes at once, and a server that goes away."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from companion.demo import seed_demo
from companion.services import notes
from companion.storage import database as storage_database
from companion.storage.store import open_store
from tests.ui.conftest import visible_texts, visit_of
from ui.window import live_updates

ROOT = Path(__file__).resolve().parents[2]
NURSE = "Jonas Lindqvist"


@pytest.fixture
def shared_store(database):
    """The clinic's database, SQLite file or PostgreSQL server, with the demo day in it."""
    store = open_store(database)
    seed_demo(store, date.today())
    yield store
    store.engine.dispose()


def run_companion(database: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "companion", *args, "--db", database],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_note_saved_at_another_workstation_appears_on_the_open_glance(make_window, shared_store, database, qtbot):
    window = make_window(db=shared_store)
    visit = visit_of(shared_store, "Søren")
    window.open_visit(visit, "glance")
    assert "Keeps bees" not in visible_texts(window.views["glance"])

    result = run_companion(
        database, "note", "add", str(visit), "--kind", "social", "--text", "Keeps bees", "--author", NURSE
    )
    assert result.returncode == 0, result.stderr

    qtbot.waitUntil(lambda: "Keeps bees" in visible_texts(window.views["glance"]), timeout=15000)


WRITER = """
import sys
from companion.services import notes
from companion.storage.store import open_store
store = open_store(sys.argv[1])
for n in range(100):
    notes.add_note(store, int(sys.argv[2]), "social", f"{sys.argv[3]} note {n}", sys.argv[3])
print("done")
"""


def test_two_workstations_writing_at_once_lose_nothing(shared_store, database):
    visit = visit_of(shared_store, "Lan")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database, str(visit), who],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("nurse", "doctor")
    ]
    outcomes = [writer.communicate(timeout=240) for writer in writers]
    for writer, (_out, err) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err
    texts = {n.text for n in notes.notes_for_visit(shared_store, visit, "social")}
    assert {f"{who} note {n}" for who in ("nurse", "doctor") for n in range(100)} <= texts


def test_two_edits_of_one_note_at_once_keep_both_texts(shared_store):
    visit = visit_of(shared_store, "Lan")
    note = notes.add_note(shared_store, visit, "social", "Lives with her son", NURSE).result
    # The note's author has it open at two workstations (only its author may edit it); both show
    # "Lives with her son". The front desk one saves first, then the exam room one.
    notes.edit_note(shared_store, note.id, "Lives with her son and his wife", NURSE, expected_text=note.text)
    later = notes.edit_note(
        shared_store, note.id, "Lives with her son, who drives her", NURSE, expected_text=note.text
    ).result
    assert later.conflict
    history = [text for text, _author in notes.note_history(shared_store, note.id)]
    assert "Lives with her son and his wife" in history  # the other save is kept, not overwritten
    assert later.text == "Lives with her son, who drives her"


def test_a_lost_server_keeps_what_was_typed_and_saves_it_when_back(make_window, postgres_server, qtbot):
    url = postgres_server.new_database()
    store = open_store(url)
    seed_demo(store, date.today())
    window = make_window(NURSE, db=store)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].notes["social"]

    postgres_server.stop()
    try:
        section.input.setFocus()
        qtbot.keyClicks(section.input, "Son drives her on Tuesdays")
        qtbot.keyClick(section.input, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: "cannot be reached" in window.notice.text(), timeout=5000
        )  # the save answers off the window's thread
        assert section.input.text() == "Son drives her on Tuesdays"  # kept on screen
        qtbot.keyClick(section.input, Qt.Key.Key_Return)  # a second Enter does not add it twice
    finally:
        postgres_server.restart()

    qtbot.waitUntil(lambda: section.input.text() == "", timeout=15000)
    assert "Connected again" in window.notice.text()
    saved = [n.text for n in notes.notes_for_visit(store, visit, "social")]
    assert saved.count("Son drives her on Tuesdays") == 1
    # and live updates came back with the server: a note saved at another desk shows here
    other_desk = open_store(url)
    notes.add_note(other_desk, visit, "social", "Grows herbs", NURSE)
    qtbot.waitUntil(lambda: "Grows herbs" in visible_texts(window.views["rooming"]), timeout=10000)
    window.close()
    other_desk.engine.dispose()
    store.engine.dispose()
    postgres_server.drop_database(url)


def test_a_window_whose_link_the_server_dropped_catches_up_on_what_it_missed(make_window, postgres_server, qtbot):
    """The server dropped every link (a restart, a failover); a note saved elsewhere meanwhile was announced to
    nobody. Once the window listens again, it reads everything afresh and shows it."""
    url = postgres_server.new_database()
    store = open_store(url)
    seed_demo(store, date.today())
    window = make_window(db=store)
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")
    other_desk = open_store(url)
    with other_desk.engine.connect() as connection:
        connection.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    notes.add_note(other_desk, visit, "social", "Keeps bees", NURSE)  # while nobody listens

    qtbot.waitUntil(lambda: "Keeps bees" in visible_texts(window.views["glance"]), timeout=10000)
    window.close()
    other_desk.engine.dispose()
    store.engine.dispose()
    postgres_server.drop_database(url)


@pytest.fixture
def only_file_events(monkeypatch):
    """The window's timer looks once an hour: on SQLite, only the watch on the write-ahead log can wake it."""
    monkeypatch.setattr(live_updates, "SAFETY_POLL_MS", 3_600_000)
    monkeypatch.setattr(live_updates, "SQLITE_POLL_MS", 3_600_000)


def test_the_write_ahead_log_wakes_the_open_glance_with_no_timer(make_window, store, db_path, only_file_events, qtbot):
    window = make_window()
    assert window.live_updates.watching_files
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")
    glance = window.views["glance"]

    result = run_companion(  # another process, saving as the glance waits
        str(db_path), "note", "add", str(visit), "--kind", "social", "--text", "Keeps bees", "--author", NURSE
    )
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: "Keeps bees" in visible_texts(glance), timeout=15000)

    other_desk = open_store(str(db_path))
    try:
        for text in ("Sings in a choir", "Walks the dog at six"):  # each save wakes it again
            notes.add_note(other_desk, visit, "social", text, NURSE)
            qtbot.waitUntil(lambda text=text: text in visible_texts(glance), timeout=15000)
    finally:
        other_desk.engine.dispose()


def emptied_by_a_checkpoint(db_path: Path) -> bool:
    """Checkpoint the log into the database and cut it to nothing, as a backup tool or the sqlite3 shell may;
    True once it is empty (a reader in the middle of a transaction makes SQLite leave it for now)."""
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(f"{db_path}-wal").stat().st_size == 0


def test_the_watch_outlasts_a_checkpoint_that_empties_the_log(make_window, store, db_path, only_file_events, qtbot):
    window = make_window()
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "glance")
    qtbot.waitUntil(lambda: emptied_by_a_checkpoint(db_path), timeout=15000)

    other_desk = open_store(str(db_path))
    try:
        notes.add_note(other_desk, visit, "social", "Grows herbs", NURSE)
        qtbot.waitUntil(lambda: "Grows herbs" in visible_texts(window.views["glance"]), timeout=15000)
    finally:
        other_desk.engine.dispose()


def keep_the_rollback_journal(store, db_path: Path) -> None:
    """As where SQLite is refused WAL: this desk's connections leave the file's journal mode as it is, and the
    file is put back to a rollback journal (no write-ahead log to watch)."""
    event.remove(store.engine, "connect", storage_database._write_ahead_log)
    store.engine.dispose()
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"


def test_a_database_with_a_rollback_journal_is_polled(make_window, store, db_path, qtbot):
    keep_the_rollback_journal(store, db_path)
    window = make_window()
    assert not window.live_updates.watching_files  # nothing to watch: the timer reads data_version
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")

    other_desk = dataclasses.replace(store, origin="another desk")  # its own change log entries, through this engine
    notes.add_note(other_desk, visit, "social", "Keeps bees", NURSE)
    qtbot.waitUntil(lambda: "Keeps bees" in visible_texts(window.views["glance"]), timeout=15000)
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
