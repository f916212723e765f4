"""From Today a nurse corrects a patient's details (P) and moves a visit to another day or time (M), by keyboard;
bad input stays in the form with nothing written; physicians are told these are for nurses; the lock closes both
forms and changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt

from companion.services import booking, notes, patients, visits
from companion.storage.models import AuditEvent
from tests.ui.conftest import gone, open_dialog, type_into
from tests.ui.test_clinic_day import DOCTOR, NURSE, nothing_opened, row_of, select, shown_rows
from tests.ui.test_lock import assert_only_the_sign_in, database_rows, other_windows, sign_in, what_shows
from ui.views.registry import BY_KEY
from ui.views.today import NURSES_ONLY, day_words
from ui.window.move_dialog import MoveDialog
from ui.window.patient_dialog import PatientDialog

TODAY = date.today()


def booked(store, name: str = "Roberta Quiñones", hour: int = 11, **details) -> tuple[int, int]:
    """A patient of our own (not the demo's) with an unassigned visit today: (patient id, visit id)."""
    patient = patients.add_patient(store, name, **details).result.id
    visit = booking.add_visit(store, patient, None, datetime.combine(TODAY, time(hour)), "Knee pain").result.id
    return patient, visit


def open_by_key(qtbot, window, visit: int, key: Qt.Key, kind: type):
    window.activateWindow()  # back from a dialog: the window has the keyboard again
    qtbot.waitUntil(window.isActiveWindow)
    today = window.views["today"]
    select(today, visit)
    qtbot.keyClick(today.visit_list, key)
    form = open_dialog(qtbot, kind)
    qtbot.waitUntil(form.isActiveWindow)  # its own keys (Alt+I) reach it, as on a desk
    return form


def open_details(qtbot, window, visit: int) -> PatientDialog:
    return open_by_key(qtbot, window, visit, Qt.Key.Key_P, PatientDialog)


def open_move(qtbot, window, visit: int) -> MoveDialog:
    return open_by_key(qtbot, window, visit, Qt.Key.Key_M, MoveDialog)


def audit_count(store) -> int:
    with store.session() as session:
        return len(session.exec(AuditEvent.__table__.select()).all())


# Patient details.


def test_p_shows_the_details_as_recorded_and_enter_saves_the_corrections(make_window, store, qtbot):
    patient, visit = booked(store, preferred_name="Berta", language="Spanish")
    window = make_window(NURSE)
    form = open_details(qtbot, window, visit)
    assert form.windowTitle() == "Patient details"  # never the name: others see the screen
    assert (form.recorded_name.text(), form.preferred_name.text(), form.language.text()) == (
        "Roberta Quiñones",
        "Berta",
        "Spanish",
    )
    assert form.preferred_name.hasFocus() and not form.interpreter.isChecked()
    audited = audit_count(store)

    type_into(qtbot, form.preferred_name, "Bertita")
    type_into(qtbot, form.pronouns, "she/her")
    qtbot.keyClick(form.pronouns, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Interpreter needed
    qtbot.waitUntil(form.interpreter.isChecked)
    type_into(qtbot, form.need, "Uses a walker; needs the ground-floor room")
    qtbot.keyClick(form.need, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))

    details = patients.patient_details(store, patient)
    assert (details.preferred_name, details.pronouns, details.language, details.interpreter_needed) == (
        "Bertita",
        "she/her",
        "Spanish",
        True,
    )
    practical = [n for n in notes.notes_for_visit(store, visit) if n.kind == "practical"]
    assert [(n.text, n.lasting, n.author) for n in practical] == [
        ("Uses a walker; needs the ground-floor room", True, NURSE)
    ]
    assert audit_count(store) > audited  # who changed the details, and when, is on record
    today = window.views["today"]
    qtbot.waitUntil(lambda: "Bertita" in row_of(today, "Bertita"))  # Today shows the name they like at once
    assert window.notice.text() == "Details saved."


def test_an_empty_recorded_name_or_a_control_character_stays_in_the_form_and_writes_nothing(make_window, store, qtbot):
    patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_details(qtbot, window, visit)
    form.recorded_name.clear()
    type_into(qtbot, form.preferred_name, "Berta")
    qtbot.keyClick(form.preferred_name, Qt.Key.Key_Return)
    assert form.isVisible() and form.error.text() == "The recorded name cannot be empty."
    assert form.recorded_name.hasFocus() and form.preferred_name.text() == "Berta"

    form.recorded_name.setText("Roberta Quiñones")  # keyClicks types ASCII only
    form.pronouns.setText("she\x07her")  # pasted from another program
    qtbot.keyClick(form.preferred_name, Qt.Key.Key_Return)
    assert form.isVisible() and form.error.isVisible()
    assert "pronouns" in form.error.text() and "Roberta" not in form.error.text()  # names stay out of messages
    assert (form.preferred_name.text(), form.pronouns.text()) == ("Berta", "she\x07her")
    assert database_rows(store) == before
    assert patients.patient_details(store, patient).preferred_name == ""

    type_into(qtbot, form.pronouns, "she/her")
    qtbot.keyClick(form.pronouns, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert patients.patient_details(store, patient).pronouns == "she/her"


def test_a_name_pasted_with_a_look_alike_letter_stays_in_the_form_and_a_surname_that_is_a_word_is_saved(
    make_window, store, qtbot
):
    """A recorded name pasted with a Cyrillic "а" reads as another patient's on every list: refused in the form,
    which keeps what was typed. "Sober" is a surname: saved as typed (it was refused as private words)."""
    patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_details(qtbot, window, visit)
    form.recorded_name.setText("Rob\u0435rta Quiñones")  # pasted: keyClicks types ASCII only
    qtbot.keyClick(form.recorded_name, Qt.Key.Key_Return)
    assert form.isVisible() and "two alphabets" in form.error.text() and "Quiñones" not in form.error.text()
    assert form.recorded_name.text() == "Rob\u0435rta Quiñones" and form.recorded_name.hasFocus()
    assert database_rows(store) == before

    form.recorded_name.setText("Roberta Sober")
    qtbot.keyClick(form.recorded_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert patients.patient_details(store, patient).recorded_name == "Roberta Sober"


def test_private_words_typed_as_pronouns_stay_in_the_form_with_where_they_belong(make_window, store, qtbot):
    patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_details(qtbot, window, visit)
    form.pronouns.setText("they/them (HIV+, not out)")
    qtbot.keyClick(form.preferred_name, Qt.Key.Key_Return)

    assert form.isVisible() and "write them in a note" in form.error.text() and "HIV" not in form.error.text()
    assert form.pronouns.text() == "they/them (HIV+, not out)"  # nothing typed is lost
    assert database_rows(store) == before


def test_a_sentence_typed_as_the_language_stays_in_the_form_with_where_it_belongs(make_window, store, qtbot):
    """The language shows beside the name on every screen; a sentence in Portuguese there is one the rules cannot
    read. Refused in the form, which keeps it and says where such words go; the language alone saves."""
    patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_details(qtbot, window, visit)
    form.language.setText("Português, quero me matar")
    qtbot.keyClick(form.language, Qt.Key.Key_Return)

    assert form.isVisible() and "not a sentence" in form.error.text() and "matar" not in form.error.text()
    assert form.language.text() == "Português, quero me matar" and database_rows(store) == before

    form.language.setText("Português")
    qtbot.keyClick(form.language, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert patients.patient_details(store, patient).language == "Português"


def test_markup_emoji_and_right_to_left_names_are_kept_and_shown_as_typed(make_window, store, qtbot):
    _patient, visit = booked(store)
    window = make_window(NURSE)
    today = window.views["today"]
    for name in ("<b>Bea</b> 🌻", "سارا"):
        form = open_details(qtbot, window, visit)
        form.preferred_name.setText(name)  # pasted: keyClicks types ASCII only
        qtbot.keyClick(form.preferred_name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda form=form: gone(form))
        qtbot.waitUntil(lambda name=name: any(name in row for row in shown_rows(today)))
        again = open_details(qtbot, window, visit)
        assert again.preferred_name.text() == name  # stored as typed, never as markup
        assert again.error.textFormat() == Qt.TextFormat.PlainText
        again.reject()
        qtbot.waitUntil(lambda again=again: gone(again))


def test_a_closed_visits_patient_can_still_be_corrected(make_window, store, qtbot):
    patient, visit = booked(store)
    booking.close_visit(store, visit, "no_show")
    window = make_window(NURSE)
    form = open_details(qtbot, window, visit)
    type_into(qtbot, form.language, "Portuguese")
    qtbot.keyClick(form.language, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert patients.patient_details(store, patient).language == "Portuguese"


# Moving a visit.


def test_m_moves_a_visit_to_another_day_and_time_and_today_follows_it(make_window, store, qtbot):
    _patient, visit = booked(store)
    window = make_window(NURSE)
    form = open_move(qtbot, window, visit)
    assert form.windowTitle() == "Move visit"
    assert form.time.text() == "11:00" and form.time.hasFocus() and form.time.selectedText() == "11:00"
    tomorrow = TODAY + timedelta(days=1)
    form.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.keyClicks(form.time, "15:30")  # typed over the selected time
    qtbot.keyClick(form.time, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))

    assert visits.visit_row(store, visit).scheduled_at == datetime.combine(tomorrow, time(15, 30))
    today = window.views["today"]
    assert today.heading.text() == day_words(tomorrow) and today.selected_visit() == visit
    assert window.notice.text() == f"Moved to {day_words(tomorrow)} at 15:30."


def test_a_move_onto_the_patients_other_visit_stays_in_the_form(make_window, store, qtbot):
    """The patient has another visit today at 14:00 (unassigned, as this one): moved there, the day's list would
    show them twice. Refused in the form, which keeps the time typed; the visit stays at 11:00."""
    patient, visit = booked(store)
    other = booking.add_visit(store, patient, None, datetime.combine(TODAY, time(14)), "Labs").result.id
    window = make_window(NURSE)
    form = open_move(qtbot, window, visit)
    qtbot.keyClicks(form.time, "14:00")
    qtbot.keyClick(form.time, Qt.Key.Key_Return)

    assert form.isVisible() and f"already has visit {other} at that time" in form.error.text()
    assert form.time.text() == "14:00" and visits.visit_row(store, visit).scheduled_at.time() == time(11)


def test_a_bad_time_stays_in_the_move_form_and_the_visit_stays_put(make_window, store, qtbot):
    _patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    form = open_move(qtbot, window, visit)
    for typed in ("24:00", "9.30", "", "١١:٠٠"):
        form.time.setText(typed)
        qtbot.keyClick(form.time, Qt.Key.Key_Return)
        assert form.isVisible() and form.error.text() == "Write the time as HH:MM, for example 14:15."
        assert form.time.text() == typed and form.time.hasFocus()
    assert database_rows(store) == before
    qtbot.keyClick(form.time, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(form))
    assert database_rows(store) == before


def test_a_visit_closed_at_another_desk_meanwhile_is_refused_in_the_form(make_window, store, qtbot):
    _patient, visit = booked(store)
    window = make_window(NURSE)
    form = open_move(qtbot, window, visit)
    booking.close_visit(store, visit, "cancelled")  # another desk, while the form is open
    type_into(qtbot, form.time, "16:00")
    qtbot.keyClick(form.time, Qt.Key.Key_Return)
    assert form.isVisible() and "cancelled" in form.error.text() and "book a new one" in form.error.text()
    assert visits.visit_row(store, visit).scheduled_at.time() == time(11)


def test_a_closed_visit_is_not_offered_to_move(make_window, store, qtbot):
    _patient, visit = booked(store)
    booking.close_visit(store, visit, "cancelled")
    window = make_window(NURSE)
    today = window.views["today"]
    select(today, visit)
    qtbot.keyClick(today.visit_list, Qt.Key.Key_M)
    nothing_opened(qtbot, window)
    assert window.notice.text() == "This visit is closed (Cancelled)."


# Who may, and the lock.


def test_physicians_are_told_details_and_moves_are_for_nurses_and_see_only_their_keys(make_window, store, qtbot):
    window = make_window(DOCTOR)
    today = window.views["today"]
    assert "M move" not in window.hint.text() and "P patient" not in window.hint.text()
    assert window.hint.text() == BY_KEY["today"].hint
    before = database_rows(store)
    today.visit_list.setFocus()
    today.visit_list.setCurrentRow(0)
    for key in (Qt.Key.Key_P, Qt.Key.Key_M):
        window.notice.clear()
        qtbot.keyClick(today.visit_list, key)
        nothing_opened(qtbot, window)
        assert window.notice.text() == NURSES_ONLY
    assert database_rows(store) == before


def test_nurses_see_the_keys_for_moving_and_details(make_window, store):
    window = make_window(NURSE)
    assert "M move · P patient" in window.hint.text()


def test_the_lock_closes_both_forms_and_changes_nothing(make_window, store, qtbot):
    _patient, visit = booked(store)
    window = make_window(NURSE)
    before = database_rows(store)
    for open_form in (open_details, open_move):
        form = open_form(qtbot, window, visit)
        field = form.preferred_name if isinstance(form, PatientDialog) else form.time
        type_into(qtbot, field, "Zelda" if isinstance(form, PatientDialog) else "17:45")
        window.lock()
        qtbot.waitUntil(lambda form=form: gone(form))
        assert_only_the_sign_in(window)
        assert "Roberta" not in what_shows(window)
        sign_in(window, NURSE)
        qtbot.wait(50)
        assert other_windows(window) == []
    assert database_rows(store) == before


def test_a_form_open_while_another_desk_corrects_the_patient_keeps_that_desks_correction(make_window, store, qtbot):
    """The form opened before another desk recorded an interpreter, pronouns and a language; the nurse only adds a
    need. Saving keeps what the other desk saved: only what the nurse changed in the form is written."""
    patient, visit = booked(store, preferred_name="Berta", language="Spanish")
    window = make_window(NURSE)
    form = open_details(qtbot, window, visit)
    patients.edit_patient(  # the other desk, meanwhile
        store, patient, recorded_name="Roberta Quiñones", preferred_name="Berta", pronouns="she/her",
        language="Portuguese", interpreter_needed=True,
    )  # fmt: skip
    type_into(qtbot, form.preferred_name, "Bertita")
    type_into(qtbot, form.need, "Uses a walker")
    qtbot.keyClick(form.need, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    details = patients.patient_details(store, patient)
    assert (details.preferred_name, details.pronouns, details.language, details.interpreter_needed) == (
        "Bertita",  # the nurse's own change
        "she/her",
        "Portuguese",
        True,
    )


def test_a_long_need_pasted_into_the_form_is_saved_whole_or_refused_never_cut(make_window, store, qtbot):
    """A need as long as a note may be (2,000 characters) is saved whole, its end included; a longer one stays in
    the form with the reason, nothing saved."""
    from companion.text import MAX_TEXT

    patient, visit = booked(store)
    window = make_window(NURSE)
    form = open_details(qtbot, window, visit)
    whole = ("Transport: two buses and a ferry each way; " * 60)[: MAX_TEXT - 26] + " NEEDS STRETCHER TRANSPORT"
    form.need.setText(whole)
    qtbot.keyClick(form.need, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(form))
    assert [n.text for n in notes.lasting_notes(store, patient) if n.kind == "practical"] == [whole]

    form = open_details(qtbot, window, visit)
    form.need.setText(whole + " and more")
    qtbot.keyClick(form.need, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.error.isVisible())
    assert form.need.text() == whole + " and more" and "2,000" in form.error.text()
    assert len([n for n in notes.lasting_notes(store, patient) if n.kind == "practical"]) == 1
