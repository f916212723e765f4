"""One write contract, seen from the desks: a glance reads again only for a change it shows, once; and a database
another program holds keeps no window from painting or taking keys (issue: one write contract)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from sqlalchemy import event

from companion.demo import seed_demo
from companion.services import drafts, notes
from companion.storage.store import open_store
from tests.ui.conftest import clinician_id, visible_texts, visit_of

NURSE = "Jonas Lindqvist"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_desks(database):
    """The clinic's database (SQLite file or PostgreSQL server) opened at two workstations."""
    physician_desk = open_store(database)
    seed_demo(physician_desk, date.today())
    nurse_desk = open_store(database)
    yield physician_desk, nurse_desk
    nurse_desk.engine.dispose()
    physician_desk.engine.dispose()


def glance_reads(store) -> list[str]:
    """Every statement this desk runs that reads a visit's notes as the glance does (one per glance read; a save
    reads back only the row it wrote)."""
    seen: list[str] = []

    def remember(_conn, _cursor, statement, *_rest) -> None:
        if (
            statement.lstrip().upper().startswith("SELECT")
            and "FROM contextnote" in statement
            and "AS edited" in statement
        ):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    return seen


def test_typing_at_another_desk_never_rereads_the_glance_and_saving_rereads_it_once(make_window, two_desks, qtbot):
    physician_desk, nurse_desk = two_desks
    visit = visit_of(physician_desk, "Søren")
    physician = make_window(db=physician_desk)
    physician.open_visit(visit, "glance")
    nurse = make_window(NURSE, db=nurse_desk)
    nurse.open_visit(visit, "rooming")
    line = nurse.views["rooming"].notes["social"].input
    qtbot.wait(1000)  # both windows settled: opening audits and their live updates are over
    reads = glance_reads(physician_desk)

    for word in ("Keeps ", "bees ", "on the ", "allotment"):  # typed slowly: every pause saves a draft
        qtbot.keyClicks(line, word)
        qtbot.wait(900)
    assert nurse.ctx.my_drafts(visit)["note:social"] == "Keeps bees on the allotment"
    assert reads == []  # four draft saves later, the physician's glance has not read once

    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Keeps bees on the allotment" in visible_texts(physician.views["glance"]), timeout=15000)
    qtbot.wait(1000)  # any second read would come now
    assert len(reads) == 1


def test_the_window_that_saves_reads_its_glance_once(make_window, store, qtbot):
    window = make_window()
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")
    qtbot.wait(600)
    reads = glance_reads(store)
    line = window.views["glance"].checklist.new_cue
    qtbot.keyClicks(line, "Quiet when the scan came up")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: line.text() == "", timeout=15000)
    qtbot.wait(1000)  # its own change log entry comes back through the live updates: it must not read again
    assert len(reads) == 1
    assert window.views["glance"].checklist.cue.full_text() == "Quiet when the scan came up"


HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


@pytest.mark.saves_in_background
def test_a_database_another_program_holds_keeps_the_window_alive_and_the_note_is_saved_after(
    make_window, store, db_path, qtbot
):
    window = make_window(NURSE)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    social = window.views["rooming"].notes["social"].input
    practical = window.views["rooming"].notes["practical"].input
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(db_path), "10"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        ticks = []
        beat = QTimer(interval=100)
        beat.timeout.connect(lambda: ticks.append(1))
        beat.start()

        qtbot.keyClicks(social, "Son drives her on Tuesdays")
        qtbot.keyClick(social, Qt.Key.Key_Return)
        qtbot.keyClicks(practical, "Uses a cane")  # the window takes keys while the save waits
        assert practical.text() == "Uses a cane"
        qtbot.waitUntil(lambda: "waiting for another workstation" in window.notice.text().lower(), timeout=15000)
        assert len(ticks) >= 15  # about 2 s of its own timer: the window's thread never stopped
        window.grab()  # and it paints
        assert social.text() == "Son drives her on Tuesdays"  # kept on screen until it is saved
        assert "Son drives her on Tuesdays" not in {n.text for n in notes.notes_for_visit(store, visit)}

        qtbot.waitUntil(lambda: social.text() == "", timeout=15000)
        beat.stop()
    finally:
        holder.wait(timeout=30)
    assert "Son drives her on Tuesdays" in {n.text for n in notes.notes_for_visit(store, visit, "social")}
    assert "Son drives her on Tuesdays" in visible_texts(window.views["rooming"])
    assert practical.text() == "Uses a cane"  # typed meanwhile, still there


def test_a_visit_given_to_another_clinician_elsewhere_closes_here_before_its_secrets_are_revealed(
    make_window, two_desks, qtbot
):
    from companion.services import priorities
    from companion.services.booking import assign_visit
    from tests.ui.conftest import clinician_id

    physician_desk, nurse_desk = two_desks
    visit = visit_of(physician_desk, "Søren")
    priorities.add_priority(physician_desk, visit, "my HIV medicines", sensitive=True)
    physician = make_window(db=physician_desk)
    physician.open_visit(visit, "prepare")
    assert physician.current_view() == "prepare"

    assign_visit(nurse_desk, visit, clinician_id(nurse_desk, "Dr. Priya Raman"))  # the nurse, at her desk

    qtbot.waitUntil(lambda: physician.current_view() == "today", timeout=10000)
    assert "another clinician's list" in physician.notice.text()
    assert physician.visit_id is None and "HIV" not in visible_texts(physician)


def test_a_visit_given_away_while_the_patient_holds_the_screen_locks_the_window(make_window, two_desks, qtbot):
    """Not the day's list for the patient to read: the lock, until a clinician signs in."""
    from companion.services.booking import assign_visit
    from tests.ui.conftest import clinician_id

    physician_desk, nurse_desk = two_desks
    visit = visit_of(physician_desk, "Søren")
    physician = make_window(db=physician_desk)
    physician.open_visit(visit, "patient")

    assign_visit(nurse_desk, visit, clinician_id(nurse_desk, "Dr. Priya Raman"))

    qtbot.waitUntil(lambda: physician.current_view() == "locked", timeout=10000)
    assert "Frank" not in visible_texts(physician)


def test_a_timer_after_the_window_closed_writes_nothing_and_reports_no_fault(make_window, store, qtbot):
    """A draft's delay or the database's retry can still fire as the window goes: the close saved the draft, and
    what fires later is let go, not reported to the clinician as a fault in the app."""
    window = make_window(NURSE)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    line = window.views["rooming"].notes["social"].input
    qtbot.keyClicks(line, "Son drives her")
    window.close()
    qtbot.keyClicks(line, " on Tuesdays")  # the line's own draft timer starts again, after the close
    line.flush()
    window.ctx.retry()
    assert drafts.drafts_for_visit(store, visit, window.ctx.clinician.id) == {"note:social": "Son drives her"}


def another_desk_holds(db_path: Path, seconds: int) -> subprocess.Popen:
    """Another program in a long save: it holds the database's write lock for `seconds`, from now."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(db_path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.mark.saves_in_background
def test_an_entry_refused_after_waiting_stays_on_its_line_and_can_be_entered_again(
    make_window, store, db_path, qtbot, monkeypatch
):
    """Another desk holds the database past the limit: the entry that waited is refused. Its words stay on the
    line as its draft, Enter works again, and once the desk lets go it is saved; a line that moved to another
    visit meanwhile keeps the words as that first visit's draft."""
    from companion.storage import busy

    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 3)
    window = make_window(NURSE)
    visit, other = visit_of(store, "Lan"), visit_of(store, "Søren")
    window.open_visit(visit, "rooming")
    social = window.views["rooming"].notes["social"].input
    holder = another_desk_holds(db_path, 6)
    try:
        qtbot.keyClicks(social, "Son drives her on Tuesdays")
        qtbot.keyClick(social, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "stayed busy" in window.notice.text(), timeout=10000)
        assert social.text() == "Son drives her on Tuesdays" and not social.pending
    finally:
        holder.wait(timeout=30)
    qtbot.waitUntil(lambda: drafts.drafts_for_visit(store, visit, clinician_id(store, NURSE)) != {}, timeout=15000)
    qtbot.keyClick(social, Qt.Key.Key_Return)  # entered again, now the desk has let go
    qtbot.waitUntil(lambda: social.text() == "", timeout=15000)
    assert "Son drives her on Tuesdays" in {n.text for n in notes.notes_for_visit(store, visit, "social")}

    holder = another_desk_holds(db_path, 6)
    try:
        qtbot.keyClicks(social, "Daughter lives abroad")
        qtbot.keyClick(social, Qt.Key.Key_Return)
        window.open_visit(other, "rooming")  # on to the next patient while it waits
        qtbot.waitUntil(lambda: "stayed busy" in window.notice.text(), timeout=10000)
    finally:
        holder.wait(timeout=30)
    qtbot.waitUntil(
        lambda: "Daughter lives abroad" in drafts.drafts_for_visit(store, visit, clinician_id(store, NURSE)).values(),
        timeout=5000,
    )
    window.open_visit(visit, "rooming")
    assert social.text() == "Daughter lives abroad"  # back on its own visit's line, to be entered again


def test_a_write_that_waited_is_recorded_as_its_writers_whoever_signed_in_since(make_window, store, qtbot):
    """The nurse's entry waits (the database refuses writes for a while); the window locks and a physician signs
    in; when the entry is saved, the audit log and the item name the nurse who typed it."""
    from companion.services import audit_trail, priorities
    from tests.ui.test_lock import DOCTOR, lock_with_keys, sign_in

    def refuse_writes(connection, _record) -> None:
        connection.execute("PRAGMA query_only=ON")

    window = make_window(NURSE)
    audit_trail.act_as(window.ctx.clinician)  # as the app does when the window opens (ui.app)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].priorities
    event.listen(store.engine, "connect", refuse_writes)
    store.engine.dispose()  # every connection from now on refuses writes
    try:
        qtbot.keyClicks(section.input, "Knee pain on the stairs")
        qtbot.keyClick(section.input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "read-only" in window.notice.text(), timeout=15000)
        lock_with_keys(qtbot, window)
        sign_in(window, DOCTOR)
    finally:
        event.remove(store.engine, "connect", refuse_writes)
        store.engine.dispose()

    qtbot.waitUntil(
        lambda: "Knee pain on the stairs" in [p.text for p in priorities.agenda(store, visit)], timeout=15000
    )
    item = next(p for p in priorities.agenda(store, visit) if p.text == "Knee pain on the stairs")
    entry = next(e for e in audit_trail.audit_log(store) if e["detail"] == f"priority {item.id}")
    assert entry["who"] == NURSE
    assert audit_trail.stamps(store, "priority", [item.id])[item.id].who == NURSE


def test_the_right_pin_opens_the_lock_while_another_desk_holds_the_database(
    make_window, store, db_path, qtbot, monkeypatch
):
    """A long save at another desk (an import) holds the write lock: a clinician's right PIN still opens the lock
    at once, since a sign-in with nothing to count writes nothing (before, it waited for the desk, then gave up)."""
    from companion.storage import busy
    from tests.ui.test_lock import DOCTOR, lock_with_keys, sign_in

    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 2)
    window = make_window(NURSE)
    lock_with_keys(qtbot, window)
    holder = another_desk_holds(db_path, 5)
    try:
        sign_in(window, DOCTOR)
        assert window.current_view() == "today"
    finally:
        holder.wait(timeout=30)


@pytest.mark.saves_in_background
def test_a_print_or_copy_recorded_while_another_desk_holds_the_database_is_recorded_once_it_lets_go(
    make_window, store, db_path, qtbot, monkeypatch
):
    """The summary left the app by the clipboard while another desk held the database past the limit: the window
    goes on at once, and the entry the access review needs waits and is written once the desk lets go."""
    from companion.services import audit_trail
    from companion.storage import busy

    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 2)
    window = make_window("Dr. Amara Okafor")
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")
    qtbot.waitUntil(
        lambda: ("open glance", visit) in [(e["action"], e["visit_id"]) for e in audit_trail.audit_log(store)]
    )
    holder = another_desk_holds(db_path, 5)
    try:
        qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert "Tearful talking about his wife" in QGuiApplication.clipboard().text()
    finally:
        holder.wait(timeout=30)
    qtbot.waitUntil(
        lambda: ("copy summary", visit) in [(e["action"], e["visit_id"]) for e in audit_trail.audit_log(store)],
        timeout=15000,
    )


@pytest.mark.saves_in_background
def test_a_wrong_pin_while_another_desk_holds_the_database_leaves_the_window_working(
    make_window, store, db_path, qtbot
):
    """A wrong PIN is counted in the database: while another desk's long save holds it, the lock says it is
    checking and the window goes on painting and keeping time (before, it froze until the desk let go); the
    answer comes once it does."""
    from tests.ui.test_lock import lock_with_keys

    window = make_window(NURSE)
    lock_with_keys(qtbot, window)
    panel = window.lock_page
    holder = another_desk_holds(db_path, 4)
    try:
        panel.pin.setText("0000")
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
        still_held = holder.poll() is None  # Enter came back while the desk still held the database
        assert "Checking the PIN" in panel.message.text() and not panel.button.isEnabled()
    finally:
        holder.wait(timeout=30)
    assert still_held
    qtbot.waitUntil(lambda: "Wrong PIN" in panel.message.text(), timeout=10000)
    assert window.current_view() == "locked" and panel.pin.isEnabled()
