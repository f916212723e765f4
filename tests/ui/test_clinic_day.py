"""Today runs the clinic's day: other days by key, the whole day for a nurse (unassigned visits too), assigning,
cancelling and no-shows from the keyboard, and a quick new-visit form; physicians keep their own list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import ui.views.today as today_module
from companion.services import booking, patients, visits
from tests.ui.conftest import clinician_id, gone, open_dialog, type_into, visible_texts, visit_of
from tests.ui.test_lock import assert_only_the_sign_in, database_rows, other_windows, sign_in, what_shows
from ui.views.today import day_words
from ui.window import theme
from ui.window.assign_dialog import AssignDialog
from ui.window.new_visit_dialog import NewVisitDialog

NURSE = "Jonas Lindqvist"
DOCTOR = "Dr. Amara Okafor"
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def shown_rows(today) -> list[str]:
    """The list's rows as a person reads them (direction isolates are invisible)."""
    rows = [today.visit_list.item(i).text() for i in range(today.visit_list.count())]
    return [row.replace("\u2068", "").replace("\u2069", "") for row in rows]


def row_of(today, name: str) -> str:
    """The row of the patient of that name: its first line is the time, then the name."""
    return next(row for row in shown_rows(today) if f"{row.splitlines()[0]} ".split("   ", 1)[1].startswith(f"{name} "))


def select(today, visit_id: int) -> None:
    today.visit_list.setFocus()
    today.select(visit_id)
    assert today.selected_visit() == visit_id


def unassigned_visit(store, name: str = "Kim Park", when: datetime | None = None, **kwargs) -> int:
    patient = patients.add_patient(store, name).result.id
    return booking.add_visit(store, patient, None, when or at(TODAY, 12), "Rash on both hands", **kwargs).result.id


def nothing_opened(qtbot, window) -> None:
    qtbot.wait(50)
    assert other_windows(window) == []


# Other days.


def test_alt_arrows_move_between_days_and_alt_home_comes_back(make_window, store, qtbot):
    majo = visits.visit_row(store, visit_of(store, "Majo")).patient_id
    booking.add_visit(store, majo, clinician_id(store, DOCTOR), at(TOMORROW, 9, 15), "Foot check")
    window = make_window(DOCTOR)
    today = window.views["today"]
    assert today.heading.text() == f"Today · {day_words(TODAY)}"
    assert "Søren · Trouble sleeping" in visible_texts(today)

    qtbot.keyClick(today.visit_list, Qt.Key.Key_Right, ALT)
    assert today.heading.text() == day_words(TOMORROW)  # not "Today"
    assert today.date_field.date().toPython() == TOMORROW
    assert shown_rows(today) == ["09:15   Majo · Foot check\nScheduled"]

    qtbot.keyClick(today.visit_list, Qt.Key.Key_Left, ALT)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Left, ALT)
    assert today.heading.text() == day_words(TODAY - timedelta(days=1))
    assert today.visit_list.count() == 0
    assert today.empty_note.isVisible() and today.empty_note.text() == "No visits on this day."

    qtbot.keyClick(today.visit_list, Qt.Key.Key_Home, ALT)
    assert today.heading.text().startswith("Today · ")
    assert "Søren · Trouble sleeping" in visible_texts(today)
    assert not today.empty_note.isVisible()

    today.date_field.setDate(QDate(TOMORROW.year, TOMORROW.month, TOMORROW.day))  # the date typed in the field
    assert "Foot check" in visible_texts(today)


def test_a_window_left_open_overnight_follows_the_new_day_unless_moved_away(make_window, store, monkeypatch):
    window = make_window(NURSE)
    today = window.views["today"]

    class NextMorning(date):
        @classmethod
        def today(cls):
            return TOMORROW

    monkeypatch.setattr(today_module, "date", NextMorning)
    today._new_day()  # the midnight timer
    assert today.heading.text() == f"Today · {day_words(TOMORROW)}"
    assert today.empty_note.text() == "No visits today."

    monkeypatch.setattr(today_module, "date", date)
    today.show_day(TODAY - timedelta(days=3))
    monkeypatch.setattr(today_module, "date", NextMorning)
    today._new_day()
    assert today.heading.text() == day_words(TODAY - timedelta(days=3))  # the day the nurse chose stays


# The nurse's whole day: assigning, cancelling, no-shows.


def test_a_nurse_sees_an_unassigned_visit_and_assigns_it_by_keyboard(make_window, store, qtbot):
    visit = unassigned_visit(store)
    window = make_window(NURSE)
    today = window.views["today"]
    assert row_of(today, "Kim Park") == "12:00   Kim Park · Rash on both hands\nScheduled · Unassigned"
    assert row_of(today, "Wei").endswith("· Dr. Priya Raman")

    select(today, visit)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_A)
    chooser = open_dialog(qtbot, AssignDialog)
    assert "Kim Park" not in chooser.windowTitle()
    people = [chooser.people.item(i).text().replace("\u2068", "").replace("\u2069", "") for i in range(4)]
    assert people == [
        "Dr. Amara Okafor · Physician",
        "Dr. Priya Raman · Physician",
        "Jonas Lindqvist · Nurse",
        "No one yet (unassigned)",
    ]  # no admin
    assert chooser.chosen() is None  # where the visit is now
    qtbot.keyClick(chooser.people, Qt.Key.Key_Home)
    qtbot.keyClick(chooser.people, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visits.visit_row(store, visit).clinician_id == clinician_id(store, DOCTOR))
    assert gone(chooser)
    qtbot.waitUntil(lambda: row_of(today, "Kim Park").endswith("\nScheduled · Dr. Amara Okafor"))
    assert window.notice.text() == "Assigned to Dr. Amara Okafor."

    window.lock()
    sign_in(window, DOCTOR)
    assert "12:00   Kim Park · Rash on both hands\nScheduled" in shown_rows(window.views["today"])


def test_a_physician_never_sees_unassigned_visits(make_window, store):
    unassigned_visit(store)
    window = make_window(DOCTOR)
    assert "Kim Park" not in visible_texts(window.views["today"])


def test_cancel_and_no_show_by_keyboard_keep_the_visit_greyed_with_its_status(make_window, store, qtbot):
    lan, frank = visit_of(store, "Lan"), visit_of(store, "Frank")
    window = make_window(NURSE)
    today = window.views["today"]

    select(today, lan)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Delete)
    question = open_dialog(qtbot, QMessageBox)
    assert question.text() == "Cancel the 10:00 visit of \u2068Lan\u2069?"
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # Esc keeps it
    qtbot.waitUntil(lambda: gone(question))
    assert visits.visit_row(store, lan).status == "scheduled"

    qtbot.keyClick(today.visit_list, Qt.Key.Key_Delete)
    qtbot.keyClick(open_dialog(qtbot, QMessageBox), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visits.visit_row(store, lan).status == "cancelled")
    qtbot.waitUntil(lambda: "\nCancelled" in row_of(today, "Lan"))

    select(today, frank)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_N)
    question = open_dialog(qtbot, QMessageBox)
    assert question.text() == "Mark the 10:30 visit of \u2068Frank\u2069 as a no-show?"
    qtbot.keyClick(question, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visits.visit_row(store, frank).status == "no_show")
    qtbot.waitUntil(lambda: "\nNo-show" in row_of(today, "Frank"))
    grey = theme.colour("closed")
    closed = [i for i, row in enumerate(shown_rows(today)) if "\nCancelled" in row or "\nNo-show" in row]
    theirs = [i for i, row in enumerate(shown_rows(today)) if row in (row_of(today, "Lan"), row_of(today, "Frank"))]
    assert len(theirs) == 2 and set(theirs) <= set(closed)
    assert all(today.visit_list.item(i).foreground().color() == grey for i in closed)  # the demo's cancelled one too

    qtbot.keyClick(today.visit_list, Qt.Key.Key_Delete)  # Frank again: closed already, nothing asked
    nothing_opened(qtbot, window)
    assert window.notice.text() == "This visit is closed (No-show)."


def test_the_first_open_visit_is_selected_skipping_cancelled_ones(make_window, store, qtbot):
    booking.close_visit(store, visit_of(store, "Majo"), "cancelled")  # the day's first visit
    window = make_window(DOCTOR)
    today = window.views["today"]
    assert today.selected_visit() == visit_of(store, "Søren")


# The new-visit form.


def open_form(qtbot, today) -> NewVisitDialog:
    today.window().activateWindow()  # back from a dialog: the window has the keyboard again
    qtbot.waitUntil(today.window().isActiveWindow)
    today.visit_list.setFocus()
    qtbot.keyClick(today.visit_list, Qt.Key.Key_N, CTRL)
    form = open_dialog(qtbot, NewVisitDialog)
    qtbot.waitUntil(form.isActiveWindow)  # its own keys (Alt+V) reach it, as on a desk
    return form


def choose_patient(qtbot, form: NewVisitDialog, typed: str, downs: int = 0) -> None:
    qtbot.keyClicks(form.patient, typed)
    qtbot.waitUntil(form.suggestions.isVisible)
    for _ in range(downs):
        qtbot.keyClick(form.patient, Qt.Key.Key_Down)
    qtbot.keyClick(form.patient, Qt.Key.Key_Return)
    assert not form.suggestions.isVisible() and form.time.hasFocus()


def test_a_nurse_books_a_video_visit_for_a_patient_found_by_part_of_the_name(make_window, store, qtbot):
    window = make_window(NURSE)
    today = window.views["today"]
    form = open_form(qtbot, today)
    assert form.windowTitle() == "New visit" and form.day.date().toPython() == TODAY
    assert form.clinician.currentText() == "Unassigned"
    qtbot.keyClicks(form.patient, "an")
    qtbot.waitUntil(form.suggestions.isVisible)
    offered = [form.suggestions.item(i).text().replace("\u2068", "").replace("\u2069", "") for i in range(4)]
    assert offered[1:] == ["Lan · she/her · Vietnamese", "Wei · he/him · Mandarin", "New patient: an"]
    qtbot.keyClick(form.patient, Qt.Key.Key_Down)
    qtbot.keyClick(form.patient, Qt.Key.Key_Return)  # Enter on the name chooses, it does not save
    assert form.patient.text() == "Lan" and form.isVisible()
    type_into(qtbot, form.time, "14:15")
    qtbot.keyClick(form.time, Qt.Key.Key_V, ALT)  # &Video visit
    qtbot.waitUntil(form.video.isChecked)  # a mnemonic clicks as a person would (animated)
    form.clinician.setFocus()
    qtbot.keyClick(form.clinician, Qt.Key.Key_Down)
    assert form.clinician.currentText() == "Dr. Amara Okafor · Physician"
    type_into(qtbot, form.reason, "Eye check")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))

    booked = [r for r in visits.list_visits(store, TODAY) if r.reason == "Eye check"]
    assert len(booked) == 1 and booked[0].video and booked[0].scheduled_at == at(TODAY, 14, 15)
    assert booked[0].patient_id == visits.visit_row(store, visit_of(store, "Lan")).patient_id
    assert today.selected_visit() == booked[0].id
    selected = today.visit_list.currentItem().text().replace("\u2068", "").replace("\u2069", "")
    assert selected == "14:15   Lan · Eye check\nScheduled · Video · Dr. Amara Okafor"
    assert open_form(qtbot, today).clinician.currentText() == "Dr. Amara Okafor · Physician"  # the last chosen


def test_a_new_patient_is_added_with_their_visit_on_the_day_today_shows(make_window, store, qtbot):
    window = make_window(NURSE)
    today = window.views["today"]
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Right, ALT)
    form = open_form(qtbot, today)
    assert form.day.date().toPython() == TOMORROW
    qtbot.keyClicks(form.patient, "Kim Park")
    qtbot.waitUntil(form.suggestions.isVisible)
    assert form.suggestions.count() == 1  # nobody of that name yet
    qtbot.keyClick(form.patient, Qt.Key.Key_Return)
    assert form.chosen.text() == "New patient: \u2068Kim Park\u2069 (added when you save)"
    type_into(qtbot, form.time, "08:45")
    qtbot.keyClick(form.time, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))

    found = patients.find_patients(store, "Kim Park")
    assert [p.preferred_name for p in found] == ["Kim Park"]
    assert today.heading.text() == day_words(TOMORROW)
    assert shown_rows(today) == ["08:45   Kim Park\nScheduled · Unassigned"]
    assert today.selected_row().patient_id == found[0].id


def test_a_bad_time_or_no_patient_stays_in_the_form_and_writes_nothing(make_window, store, qtbot):
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_form(qtbot, window.views["today"])
    qtbot.keyClick(form.patient, Qt.Key.Key_Return)
    assert form.isVisible() and form.error.text() == "Type the patient's name, then choose them (Down, Enter)."

    choose_patient(qtbot, form, "maj")
    type_into(qtbot, form.time, "25:99")
    type_into(qtbot, form.reason, "Check feet")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert form.isVisible() and form.error.isVisible()
    assert form.error.text() == "Write the time as HH:MM, for example 14:15."
    assert form.time.hasFocus()
    assert (form.patient.text(), form.time.text(), form.reason.text()) == ("Majo", "25:99", "Check feet")
    assert database_rows(store) == before

    type_into(qtbot, form.time, "16:00")
    qtbot.keyClick(form.time, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert [r.patient_name for r in visits.list_visits(store, TODAY) if r.reason == "Check feet"] == ["Majo"]


def test_esc_leaves_the_form_and_writes_nothing(make_window, store, qtbot):
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_form(qtbot, window.views["today"])
    choose_patient(qtbot, form, "Kim")
    qtbot.keyClick(form.time, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(form))
    assert database_rows(store) == before


def test_physicians_neither_book_nor_assign_nor_cancel(make_window, store, qtbot):
    window = make_window(DOCTOR)
    today = window.views["today"]
    before = database_rows(store)
    today.visit_list.setFocus()
    plain = Qt.KeyboardModifier.NoModifier
    for key, modifier in (
        (Qt.Key.Key_N, CTRL),
        (Qt.Key.Key_A, plain),
        (Qt.Key.Key_Delete, plain),
        (Qt.Key.Key_N, plain),
    ):
        window.notice.clear()
        qtbot.keyClick(today.visit_list, key, modifier)
        nothing_opened(qtbot, window)
        assert window.notice.text() == today_module.NURSES_ONLY
    assert database_rows(store) == before


def test_the_lock_closes_the_new_visit_form_and_it_does_not_come_back(make_window, store, qtbot):
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_form(qtbot, window.views["today"])
    choose_patient(qtbot, form, "maj")
    window.lock()  # as the idle timer does (the form has the keyboard)
    qtbot.waitUntil(lambda: gone(form))
    assert_only_the_sign_in(window)
    assert "Majo" not in what_shows(window)
    sign_in(window, NURSE)
    qtbot.wait(50)
    assert other_windows(window) == []
    assert database_rows(store) == before
    assert QApplication.activeModalWidget() is None


def test_the_lock_closes_the_chooser_and_the_question_and_changes_nothing(make_window, store, qtbot):
    visit = unassigned_visit(store)
    window = make_window(NURSE)
    today = window.views["today"]
    before = database_rows(store)
    select(today, visit)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_A)
    chooser = open_dialog(qtbot, AssignDialog)
    window.lock()
    qtbot.waitUntil(lambda: gone(chooser))
    assert_only_the_sign_in(window)
    sign_in(window, NURSE)

    select(today, visit)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Delete)
    question = open_dialog(qtbot, QMessageBox)
    window.lock()
    qtbot.waitUntil(lambda: gone(question))
    assert_only_the_sign_in(window)
    sign_in(window, NURSE)
    qtbot.wait(50)
    assert other_windows(window) == []
    assert database_rows(store) == before  # the closed question kept the visit


def test_two_patients_who_go_by_the_same_name_are_told_apart_when_booking(make_window, store, qtbot):
    """Two Marías, both she/her and Spanish: the list names each as recorded, and two who are recorded alike too
    by their record number, so the visit goes on the right record."""
    added = [
        patients.add_patient(store, recorded, preferred_name="María", pronouns="she/her", language="Spanish").result.id
        for recorded in ("María José López", "María Fernanda Ruiz", "María Fernanda Ruiz")
    ]
    window = make_window(NURSE)
    form = open_form(qtbot, window.views["today"])
    qtbot.keyClicks(form.patient, "mar")
    qtbot.waitUntil(form.suggestions.isVisible)

    items = [form.suggestions.item(i) for i in range(form.suggestions.count())]
    theirs = {item.data(Qt.ItemDataRole.UserRole).id: item.text() for item in items[:-1]}
    assert set(added) <= set(theirs)
    shown = [theirs[patient] for patient in added]
    assert len(set(shown)) == 3  # no two read the same
    assert "María José López" in shown[0] and "María Fernanda Ruiz" in shown[1]
    row = next(i for i, item in enumerate(items) if item.text() == shown[2])
    for _ in range(row):
        qtbot.keyClick(form.patient, Qt.Key.Key_Down)
    qtbot.keyClick(form.patient, Qt.Key.Key_Return)
    assert form.patient_id == added[2] and form.chosen.text() == shown[2]


def test_n_on_a_booking_of_a_later_day_says_why_without_asking_and_keeps_it(make_window, store, qtbot):
    """A no-show is for the visit's day: a booking next week stays as it is, and nobody is asked a question whose
    yes would only be refused."""
    lan = visits.visit_row(store, visit_of(store, "Lan"))
    later = booking.add_visit(store, lan.patient_id, None, at(date.today() + timedelta(days=7), 11)).result
    window = make_window(NURSE)
    today = window.views["today"]
    today.show_day(date.today() + timedelta(days=7))
    qtbot.waitUntil(lambda: any("Lan" in row for row in shown_rows(today)))
    select(today, later.id)

    qtbot.keyClick(today.visit_list, Qt.Key.Key_N)

    qtbot.waitUntil(lambda: "marked no-show on its day or later" in window.notice.text())
    nothing_opened(qtbot, window)
    assert visits.visit_row(store, later.id).status == "scheduled"


def test_n_on_a_roomed_visit_says_the_patient_came_without_asking_and_keeps_it(make_window, store, qtbot):
    majo = visit_of(store, "Majo")  # roomed by the demo: the patient is in the exam room
    assert visits.visit_row(store, majo).status == "roomed"
    window = make_window(NURSE)
    today = window.views["today"]
    select(today, majo)

    qtbot.keyClick(today.visit_list, Qt.Key.Key_N)

    qtbot.waitUntil(lambda: "The patient has come" in window.notice.text())
    nothing_opened(qtbot, window)
    assert visits.visit_row(store, majo).status == "roomed"
