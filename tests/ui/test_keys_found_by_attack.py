"""Keys and late answers an attacker of the window found doing the wrong thing (round 21): a finish saved after
the lock opened the physician's pause for whoever signed in next, Esc was dead on the screen turned to the
patient while a correction was open, Enter in Today's date field opened a patient's record, Ctrl+D pressed again
while a finish was saving finished the visit again, and Space on a focused button did the view's job instead."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.services import audit_trail, auth, priorities
from companion.services.visits import visit_row
from tests.ui.conftest import clinician_of, visit_of
from tests.ui.test_lock import DEMO_PIN, NURSE, sign_in, what_shows

CTRL = Qt.KeyboardModifier.ControlModifier


def another_desk_writing(db_path) -> sqlite3.Connection:
    """Another workstation holds the database's write lock: the window's saves wait in the background."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def let_go(other: sqlite3.Connection) -> None:
    other.execute("ROLLBACK")
    other.close()


def finish_with_keys(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)  # the closing checks
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL)  # the visit done


@pytest.mark.saves_in_background
@pytest.mark.parametrize("who", ["admin", "nurse"])
def test_a_finish_saved_after_another_clinician_signed_in_opens_nothing_for_them(
    make_window, store, db_path, qtbot, who
):
    """The physician finishes, locks at once and walks away; the finish waits for another desk. When it is saved,
    the admin (or nurse) now signed in stays where they are: the pause would show the physician's next visit,
    and an admin had no way out of it."""
    name, pin = ("Ines Admin", "2846") if who == "admin" else (NURSE, DEMO_PIN)
    if who == "admin":
        auth.add_clinician_with_pin(store, name, "admin", pin)
    visit = visit_of(store, "Søren")
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "glance")
    other = another_desk_writing(db_path)
    try:
        finish_with_keys(qtbot, window)
        window.lock()
        sign_in(window, name, pin)
        home = window.current_view()
    finally:
        let_go(other)

    qtbot.waitUntil(lambda: visit_row(store, visit).status == "done", timeout=15_000)
    qtbot.wait(200)  # the saved write's answer reaches the window
    assert window.current_view() == home != "recentre"
    assert "Next:" not in what_shows(window)


@pytest.mark.saves_in_background
def test_ctrl_d_pressed_again_while_the_finish_saves_finishes_the_visit_once(make_window, store, db_path, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "glance")
    other = another_desk_writing(db_path)
    try:
        finish_with_keys(qtbot, window)
        for _ in range(3):  # impatient: nothing seems to happen while another desk holds the database
            qtbot.keyClick(window, Qt.Key.Key_D, CTRL)
    finally:
        let_go(other)

    qtbot.waitUntil(lambda: window.current_view() == "recentre", timeout=15_000)
    qtbot.wait(500)
    finishes = [e for e in audit_trail.audit_log(store) if e["visit_id"] == visit and e["action"] == "change visit"]
    assert len(finishes) == 1  # one finish in the visit's history, not one per press


def correcting(make_window, store, qtbot):
    """The screen turned to the patient, who pressed "That's not what I meant" on their first item."""
    visit = visit_of(store, "Søren")
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "patient")
    view = window.views["patient"]
    view.said.setCurrentRow(0)
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    return window, view


def test_esc_in_the_patients_correction_cancels_it_and_then_hides_the_window(make_window, store, qtbot):
    window, view = correcting(make_window, store, qtbot)
    qtbot.keyClicks(view.correction, "I meant my")

    qtbot.keyClick(view.correction, Qt.Key.Key_Escape)
    assert not view.correction.isVisible() and window.current_view() == "patient"

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_view() == "hidden"


def test_esc_on_the_patients_list_while_a_correction_is_open_hides_the_window(make_window, store, qtbot):
    window, view = correcting(make_window, store, qtbot)
    view.said.setFocus()

    qtbot.keyClick(view.said, Qt.Key.Key_Escape)

    assert window.current_view() == "hidden"


def test_enter_in_todays_date_field_shows_that_day_and_opens_no_record(make_window, store, qtbot):
    window = make_window(NURSE)
    window.show_view("today")
    today = window.views["today"]
    opened_before = [e for e in audit_trail.audit_log(store) if e["action"].startswith("open")]
    typed = date.today().replace(day=2 if date.today().day == 1 else 1)  # another day of this month
    today.date_field.setFocus()
    qtbot.keyClick(today.date_field, Qt.Key.Key_Home)  # the day's digits, typed over
    for _digit in str(date.today().day):
        qtbot.keyClick(today.date_field, Qt.Key.Key_Delete)
    qtbot.keyClicks(today.date_field, str(typed.day))

    qtbot.keyClick(today.date_field, Qt.Key.Key_Return)

    assert window.current_view() == "today" and today.day() == typed
    qtbot.wait(200)
    assert [e for e in audit_trail.audit_log(store) if e["action"].startswith("open")] == opened_before
    today.visit_list.setFocus()  # on the list, Enter (and the keypad's) still opens the selected visit
    today.show_day(date.today())
    today.visit_list.setCurrentRow(0)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert window.current_view() == "rooming"


def test_space_on_the_focused_reveal_button_presses_it_rather_than_starting_the_ritual(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    priorities.add_priority(store, visit, "my HIV medicines", sensitive=True)
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "prepare")
    view = window.views["prepare"]
    view.sensitive_button.setFocus()

    qtbot.keyClick(view.sensitive_button, Qt.Key.Key_Space)

    qtbot.waitUntil(lambda: "my HIV medicines" in what_shows(window), timeout=2000)
    assert not view.ritual.running()
    view.scroll.setFocus()  # elsewhere on the card, Space still starts the ritual
    qtbot.keyClick(view.scroll, Qt.Key.Key_Space)
    assert view.ritual.running()


def test_space_on_the_pauses_check_box_ticks_it_rather_than_skipping_the_pause(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "glance")
    finish_with_keys(qtbot, window)
    qtbot.waitUntil(lambda: window.current_view() == "recentre", timeout=5000)
    pause = window.views["recentre"]
    pause.enabled_box.setFocus()

    qtbot.keyClick(pause.enabled_box, Qt.Key.Key_Space)

    qtbot.waitUntil(lambda: not pause.enabled_box.isChecked(), timeout=2000)
    assert window.current_view() == "recentre"
