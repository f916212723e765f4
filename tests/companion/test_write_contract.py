"""Every write says what it changed, from the rows it saved; other workstations hear the same; drafts and audit
entries wake nobody; a typed line is saved in one commit with the clearing of its draft."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from companion.services import audit_trail, booking, drafts, emotions, encounter, notes, priorities
from companion.services.live import ChangesUnavailable, watch
from companion.storage import changes
from companion.storage.models import Priority
from companion.storage.store import open_store

AUTHOR = "Nurse Kim"


def test_a_note_says_its_kind_visit_and_patient(store, visit_id, patient_id):
    changed = notes.add_note(store, visit_id, "social", "Keeps bees", AUTHOR)

    assert changed.kinds == {"note"}
    assert changed.visit_ids == {visit_id} and changed.patient_ids == {patient_id}
    assert changed.result.text == "Keeps bees"
    assert changed.touches(frozenset({"note"}), patient_id)
    assert not changed.touches(frozenset({"note"}), patient_id + 1)  # another patient's glance stays still
    assert not changed.touches(frozenset({"visit"}), patient_id)


def test_a_lasting_note_concerns_the_patient_not_one_visit(store, visit_id, patient_id):
    changed = notes.add_note(store, visit_id, "social", "Retired ferry engineer", AUTHOR, lasting=True)

    assert changed.visit_ids == set() and changed.patient_ids == {patient_id}


def test_rows_that_point_through_another_row_find_their_patient(store, visit_id, patient_id):
    """A tick points at its cue, a next step at its visit, a revision at its priority: each still says whose."""
    cue = emotions.add_cue(store, visit_id, "Tearful", AUTHOR).result
    priority = priorities.add_priority(store, visit_id, "Sleep").result

    for changed, kinds in (
        (emotions.set_step(store, cue.id, "name", True), {"tick"}),
        (encounter.add_next_step(store, visit_id, "Sleep diary for two weeks", AUTHOR), {"next_step"}),
        (priorities.edit_priority(store, priority.id, "Sleep, and the night sweats"), {"priority"}),
        (encounter.finish_visit(store, visit_id), {"priority", "visit"}),
    ):
        assert changed.kinds == kinds
        assert changed.visit_ids == {visit_id} and changed.patient_ids == {patient_id}


def test_a_write_that_changes_nothing_says_so(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Keeps bees", AUTHOR).result
    assert notes.edit_note(store, note.id, "Keeps bees", AUTHOR).kinds == set()
    assert drafts.save_draft(store, visit_id, "note:social", "Keeps b").kinds == set()
    assert audit_trail.record_view(store, "open glance", visit_id).kinds == set()


def test_a_typed_note_and_the_clearing_of_its_draft_are_one_commit(store, visit_id):
    drafts.save_draft(store, visit_id, "note:social", "Keeps bees")
    commits = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))

    notes.add_note(store, visit_id, "social", "Keeps bees", AUTHOR, draft=(visit_id, "note:social"))

    assert len(commits) == 1
    assert "note:social" not in drafts.drafts_for_visit(store, visit_id, clinician_id=1)


def test_another_workstation_hears_what_changed_and_nothing_else(database, patient_id, visit_id, store):
    """The same database at a second desk (its own store), through SQLite's change log or PostgreSQL's NOTIFY."""
    other_desk = open_store(database)
    try:
        listening_here, listening_there = watch(store), watch(other_desk)
        drafts.save_draft(store, visit_id, "note:social", "Keeps b")
        audit_trail.record_view(store, "open glance", visit_id)
        assert listening_there.poll() is None  # keystrokes and reads wake nobody

        notes.add_note(store, visit_id, "social", "Keeps bees", AUTHOR)
        priorities.add_priority(store, visit_id, "Sleep")
        heard = poll_until_heard(listening_there)

        assert heard.kinds == {"note", "priority"} and heard.patient_ids == {patient_id}
        assert listening_here.poll() is None  # the desk that saved refreshed already
        listening_here.close()
        listening_there.close()
    finally:
        other_desk.engine.dispose()


def test_a_sqlite_watcher_names_the_log_every_commit_writes_to(sqlite_store, sqlite_path):
    listening = watch(sqlite_store)
    try:
        assert listening.wake_file() == Path(f"{sqlite_path}-wal")
    finally:
        listening.close()


def test_a_sqlite_file_with_a_rollback_journal_has_no_log_to_watch(sqlite_store, sqlite_path):
    sqlite_store.engine.dispose()
    with closing(sqlite3.connect(sqlite_path)) as connection:  # as where SQLite is refused WAL
        connection.execute("PRAGMA journal_mode=DELETE")
    listening = watch(sqlite_store)
    try:
        assert listening.wake_file() is None  # the window polls
    finally:
        listening.close()


def test_a_watcher_waits_for_a_missing_database_and_never_makes_one(sqlite_store, sqlite_path):
    sqlite_store.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(ChangesUnavailable):
        watch(sqlite_store)  # the window tries again later
    assert not sqlite_path.exists()  # an empty file there would pass for the database, emptied


def poll_until_heard(watcher, attempts: int = 50):
    for _ in range(attempts):  # a NOTIFY arrives a moment after the commit
        heard = watcher.poll()
        if heard is not None:
            return heard
        time.sleep(0.05)
    raise AssertionError("nothing heard")


def test_a_purge_by_statement_concerns_every_view_of_its_kinds(store, visit_id):
    with store.writing() as session:
        session.execute(Priority.__table__.update().where(Priority.visit_id == visit_id).values(rank=0))
        session.commit()
        said = changes.changed(session)

    assert said.everywhere and said.kinds == {"priority"}


def test_a_write_through_a_reading_session_is_refused(store, visit_id):
    """Every write goes through Store.writing(): it takes the write lock first and is told to other desks."""
    with store.session() as session, pytest.raises(RuntimeError, match="Store.writing"):
        session.add(Priority(patient_id=1, visit_id=visit_id, text="x"))
        session.flush()


def test_a_visit_booked_returns_its_row(store, patient_id, clinician_id, today):
    booked = booking.add_visit(store, patient_id, clinician_id, datetime.combine(today, datetime.min.time()), "Knee")

    assert booked.kinds == {"visit"} and booked.patient_ids == {patient_id}
    assert booked.result.reason == "Knee"


def test_every_table_is_a_kind_a_view_can_ask_for_or_one_no_view_shows():
    """A new table that no view could name would change a screen that never reads again."""
    from sqlmodel import SQLModel

    from companion.read.models import KINDS

    for table in SQLModel.metadata.sorted_tables:
        assert table.name in changes.UNSEEN or changes.KIND_OF_TABLE.get(table.name) in KINDS, table.name
