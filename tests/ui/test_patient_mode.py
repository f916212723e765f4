"""Check-in: the screen handed to the patient shows only what they type now, and no key of the app gets past it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from companion.demo import DEMO_PIN
from companion.services import audit_trail, booking, notes, patients, priorities, retention
from companion.services.visits import visit_row
from companion.storage.store import open_store
from tests.ui.conftest import open_dialog, visible_texts, visit_of
from tests.ui.test_lock import DOCTOR, NURSE, SECRETS, database_rows, every_key, other_windows, press, sign_in
from ui.window.import_dialog import ImportDialog


def hand_over(qtbot, window, store, name: str = "Lan") -> int:
    visit = visit_of(store, name)
    window.show_view("today")
    window.views["today"].select(visit)
    window.views["today"].visit_list.setFocus()
    qtbot.keyClick(window.views["today"].visit_list, Qt.Key.Key_H)
    return visit


def take_back(window, name: str, pin: str = DEMO_PIN) -> None:
    page = window.patient_mode.page
    page.show_staff()
    people = page.sign_in.people
    people.setCurrentRow(next(i for i in range(people.count()) if name in people.item(i).text()))
    page.sign_in.pin.setText(pin)
    page.sign_in.sign_in()


def assert_only_the_patient(window, after: str = "") -> None:
    shown = "\n".join([window.windowTitle(), visible_texts(window)])
    assert window.current_view() == "checkin", after
    assert window.isFullScreen(), after
    assert not [s for s in SECRETS if s in shown], f"{after}: {shown}"
    assert other_windows(window) == [], after
    assert not any(button.isVisible() for button in window.nav.values()), after


def test_h_hands_the_screen_to_the_patient_and_no_key_reaches_the_record(make_window, store, qtbot):
    window = make_window(NURSE)
    keys = every_key(window)
    window.open_visit(visit_of(store, "Søren"), "rooming")  # every view's keys a nurse has exist and are tried
    keys = {k.toString(): k for k in [*keys, *every_key(window)]}
    qtbot.waitUntil(lambda: any(e["action"] == "open rooming" for e in audit_trail.audit_log(store)))
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    assert_only_the_patient(window)
    assert "Choose your language" in visible_texts(window)
    before = database_rows(store)
    assert {"Ctrl+1", "Ctrl+4", "Esc", "Ctrl+Shift+U", "Ctrl+T", "F2", "A", "P", "H"} <= set(keys)
    for name, key in keys.items():
        press(qtbot, window, key)
        assert_only_the_patient(window, after=name)
        assert database_rows(store) == before, f"{name} wrote to the database"
        page.go("matters")  # from the answer fields too
        press(qtbot, window, key)
        assert_only_the_patient(window, after=name)
        for line in page.matters:
            line.clear()
    assert not window.always_on_top()


def test_the_answers_are_saved_in_order_only_with_a_clinicians_pin(make_window, store, qtbot):
    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    patient = window.views["today"].selected_row().patient_id
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)  # English
    qtbot.keyClicks(page.matters[0], "my knee hurts on stairs")
    qtbot.keyClick(page.matters[0], Qt.Key.Key_Tab)
    qtbot.keyClicks(page.matters[1], "sleep")
    qtbot.keyClick(page.matters[1], Qt.Key.Key_Return)
    assert page.current() == "something_else"
    qtbot.keyClicks(page.something_else, "a new inhaler")
    qtbot.keyClick(page.something_else, Qt.Key.Key_Return)
    qtbot.keyClicks(page.needs, "no car on Tuesdays")
    qtbot.keyClick(page.needs, Qt.Key.Key_Return)
    qtbot.mouseClick(page.interpreter_yes, Qt.MouseButton.LeftButton)
    before = database_rows(store)

    take_back(window, NURSE, pin="000000")  # a wrong PIN (counted as one): still the patient's screen, nothing saved
    assert_only_the_patient(window)
    after = database_rows(store)
    assert [after[t] == before[t] for t in ("priority", "contextnote", "patient")] == [True] * 3
    take_back(window, NURSE)
    assert window.current_view() == "today"
    assert not window.isFullScreen()
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert said[-3:] == ["my knee hurts on stairs", "sleep", "a new inhaler"]
    assert "no car on Tuesdays" in [n.text for n in notes.lasting_notes(store, patient)]
    assert patients.patient_details(store, patient).interpreter_needed
    entry = next(e for e in audit_trail.audit_log(store) if e["action"] == "patient check-in")
    assert entry["detail"].startswith("typed in en")


def test_spanish_words_and_an_idle_screen_keeps_the_answers(make_window, store, qtbot, monkeypatch):
    window = make_window(NURSE)
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    page.idle.setInterval(50)
    es = next(b for b in page.language_buttons.buttons() if b.property("code") == "es")
    qtbot.mouseClick(es, Qt.MouseButton.LeftButton)
    assert "¿Qué es lo más importante para usted hoy?" in visible_texts(window)
    page.matters[0].setText("mi rodilla")
    qtbot.waitUntil(lambda: page.current() == "welcome", timeout=15000)
    assert "mi rodilla" not in visible_texts(window)
    assert "Bienvenido" in visible_texts(window)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert page.current() == "matters"
    assert page.matters[0].text() == "mi rodilla"
    page.idle.setInterval(120_000)
    take_back(window, NURSE)
    assert window.current_view() == "today"
    entry = next(e for e in audit_trail.audit_log(store) if e["action"] == "patient check-in")
    assert entry["detail"].startswith("typed in es")
    visit = window.patient_mode.visit_id
    typed = [p for p in priorities.agenda(store, visit) if p.text == "mi rodilla"]
    assert [row.language for row in stored_priorities(store, [p.id for p in typed])] == ["es"]


def test_physicians_do_not_start_check_in(make_window, store, qtbot):
    window = make_window(DOCTOR)
    visit = visit_of(store, "Søren")
    window.views["today"].select(visit)
    window.views["today"].visit_list.setFocus()
    qtbot.keyClick(window.views["today"].visit_list, Qt.Key.Key_H)
    window.open_visit(visit, "checkin")
    assert window.current_view() == "today"
    assert not window.isFullScreen()


def stored_priorities(store, ids: list[int]):
    from companion.storage.models import Priority

    with store.session() as session:
        return [session.get(Priority, item_id) for item_id in ids]


def test_nothing_copied_before_can_be_pasted_by_the_patient(make_window, store, qtbot):
    """The nurse copied from the health record (another program) before handing the screen over: the patient's
    paste brings none of it into their answer, where they would read it and it would be saved as theirs."""
    from PySide6.QtGui import QClipboard, QGuiApplication

    window = make_window(NURSE)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("Wei Chen, MRN 0042: HIV viral load undetectable")
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    page.go("matters")
    line = page.matters[0]
    line.setFocus()

    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert line.text() == "" and clipboard.text() == "" and clipboard.text(QClipboard.Mode.Selection) == ""


def test_a_patient_guessing_pins_at_check_in_locks_no_clinician_out(make_window, store, qtbot):
    """Wrong PINs typed on the screen the patient holds are counted there, with the same growing wait, and not on
    the clinician's account: Dr. Okafor still signs in at once at her own desk. Each guess is in the audit log all
    the same, naming the clinician tried (attack round 33: none was, so guessing there left no trace)."""
    from companion.services import audit_trail, auth
    from tests.ui.conftest import clinician_id

    window = make_window(NURSE)
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    page.show_staff()
    panel = page.sign_in
    people = panel.people
    people.setCurrentRow(next(i for i in range(people.count()) if DOCTOR in people.item(i).text()))
    for _ in range(5):
        panel.pin.setText("0000")
        panel.sign_in()
    assert "try again in 5 s" in panel.message.text() and not panel.pin.isEnabled()  # guessing still waits here
    assert window.current_view() == "checkin"

    doctor = auth.sign_in(store, clinician_id(store, DOCTOR), DEMO_PIN)  # at her own desk: no wait
    assert doctor.name == DOCTOR
    refused = [e["detail"] for e in audit_trail.audit_log(store) if e["action"] == "sign-in refused"]
    tried = f"clinician {clinician_id(store, DOCTOR)}: wrong PIN, typed on a screen a patient held, not counted"
    assert refused == [tried] * 5


def test_a_no_to_the_interpreter_keeps_a_recorded_need_and_a_second_check_in_adds_nothing_twice(
    make_window, store, qtbot
):
    """Majo needs an interpreter (the record says so). A relative answering "no" for her does not take it away;
    checking in again with the same words does not list them twice. A direction mark typed by a right-to-left
    keyboard is dropped as it is typed, so the nurse's PIN saves the answers instead of refusing one unseen."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store, "Majo")
    patient = window.views["today"].selected_row().patient_id
    assert patients.patient_details(store, patient).interpreter_needed
    for _ in range(2):
        page = window.patient_mode.page
        qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
        page.matters[0].clear()
        qtbot.keyClicks(page.matters[0], "My knee hurts 10")
        mark = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, "\u200f")
        QApplication.sendEvent(page.matters[0], mark)  # what a right-to-left keyboard sends
        qtbot.keyClicks(page.matters[0], " 20")
        assert page.matters[0].text() == "My knee hurts 10 20"
        page.go("interpreter")
        qtbot.mouseClick(page.interpreter_no, Qt.MouseButton.LeftButton)
        take_back(window, NURSE)
        assert window.current_view() == "today"
        window.views["today"].select(visit)
        window.views["today"].visit_list.setFocus()
        qtbot.keyClick(window.views["today"].visit_list, Qt.Key.Key_H)

    assert patients.patient_details(store, patient).interpreter_needed
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert said.count("My knee hurts 10 20") == 1


def test_closing_the_window_at_check_in_keeps_the_patients_answers_for_the_nurse(make_window, store, qtbot):
    """Alt+F4 (or the window manager's close) while the patient holds the screen: the window stays, shows the
    staff's way back, and the answers typed so far are saved when the nurse's PIN takes the screen back."""
    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.matters[0], "my knee hurts on stairs")

    assert not window.close()

    assert window.isVisible() and page.current() == "staff"
    take_back(window, NURSE)
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert "my knee hurts on stairs" in said


def test_the_next_patient_at_check_in_gets_nothing_of_the_last_one_back_with_undo(make_window, store, qtbot):
    """The check-in page is reused for every patient: Ctrl+Z (or the box's own Undo) must not bring back what the
    patient before typed, nor may it be saved as the next patient's words."""
    window = make_window(NURSE)
    hand_over(qtbot, window, store, "Lan")
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.matters[0], "my HIV test results")
    qtbot.keyClicks(page.something_else, "my husband hits me")
    take_back(window, NURSE)

    visit = hand_over(qtbot, window, store, "Søren")
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    for line in (*page.matters, page.something_else, page.needs):
        line.setFocus()
        qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert line.text() == "" and not line.isUndoAvailable()
    take_back(window, NURSE)
    said = [p.text for p in priorities.priorities_of_visit(store, visit)]
    assert "my HIV test results" not in said and "my husband hits me" not in said


def test_a_nurses_import_window_comes_back_after_check_in_to_her_only(make_window, store, qtbot):
    """The import's window (its file names often name a patient or a condition) was kept behind the check-in for
    the nurse who handed the screen over: a physician taking it back does not get it."""
    window = make_window(NURSE)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    open_dialog(qtbot, ImportDialog)
    hand_over(qtbot, window, store)
    assert_only_the_patient(window)
    take_back(window, DOCTOR)
    qtbot.waitUntil(lambda: window.current_view() != "checkin", timeout=15000)
    qtbot.wait(50)
    assert other_windows(window) == []

    window.lock()
    sign_in(window, NURSE)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, ImportDialog)
    hand_over(qtbot, window, store)
    take_back(window, NURSE)
    assert open_dialog(qtbot, ImportDialog) is dialog  # the nurse who handed it over finds it as she left it


def test_answers_whose_visit_was_removed_at_another_desk_never_hold_the_screen(make_window, store, db_path, qtbot):
    """The retention's purge at another desk removed the visit while the patient typed: the save is refused, the
    staff read why, and may take the screen back without the answers, ticked and with their PIN again (the choice
    alone opens nothing); or give it back to the patient. The window closes again afterwards."""
    window = make_window(NURSE)
    lan = visit_row(store, visit_of(store, "Lan"))
    two_days_ago = datetime.combine(date.today() - timedelta(days=2), datetime.min.time()).replace(hour=9)
    old = booking.add_visit(store, lan.patient_id, None, two_days_ago).result
    today = window.views["today"]
    today.show_day(two_days_ago.date())
    today.select(old.id)
    today.visit_list.setFocus()
    qtbot.keyClick(today.visit_list, Qt.Key.Key_H)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.matters[0], "my knee")
    other_desk = open_store(str(db_path))
    retention.purge(other_desk, 1)
    other_desk.engine.dispose()

    take_back(window, NURSE)

    assert window.current_view() == "checkin" and page.staff_message.isVisible()
    assert page.without_saving.isVisible()
    page.without_saving.setChecked(True)
    assert window.current_view() == "checkin"  # ticked, no PIN yet: nothing opens
    page.resume()  # back to the patient: the choice goes with the staff page
    page.show_staff()
    assert not page.without_saving.isVisible() and page.matters[0].text() == "my knee"
    take_back(window, NURSE)  # refused again
    page.without_saving.setChecked(True)
    take_back(window, NURSE, pin="000000")
    assert window.current_view() == "checkin"  # a wrong PIN with it ticked opens nothing either
    take_back(window, NURSE)
    assert window.current_view() == "today" and not window.isFullScreen()
    assert "not saved" in window.notice.text()
    assert page.matters[0].text() == ""  # the patient's words left with the screen

    hand_over(qtbot, window, store)  # the next patient finds no choice left from the last check-in
    page.show_staff()
    assert not page.without_saving.isVisible() and not page.staff_message.isVisible()
    window.close()
    assert window.isVisible()  # the patient holds the screen: it does not close behind them


def test_answers_whose_visit_was_cancelled_at_another_desk_are_not_saved_to_it(make_window, store, db_path, qtbot):
    """Cancelled while the patient typed (attack round 13): the staff read why on their page instead of a notice
    that all is well, and the answers are not saved onto a visit nobody prepares from. A box that only looks
    empty (a Korean keyboard's blank) is no reason of its own."""
    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.matters[0], "my knee hurts on stairs")
    page.matters[1].setFocus()
    page.matters[1].insert("\u3164")  # as an input method commits it
    other_desk = open_store(str(db_path))
    booking.close_visit(other_desk, visit, "cancelled")
    other_desk.engine.dispose()

    take_back(window, NURSE)

    assert window.current_view() == "checkin" and "cancelled at another desk" in page.staff_message.text()
    assert not [p for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    page.without_saving.setChecked(True)
    take_back(window, NURSE)
    assert window.current_view() == "today" and "not saved" in window.notice.text()


def test_a_box_that_only_looks_empty_never_holds_the_screen(make_window, store, qtbot):
    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.matters[0], "my knee hurts")
    page.matters[1].setFocus()
    page.matters[1].insert("\u0301")  # an accent typed alone

    take_back(window, NURSE)

    assert window.current_view() == "today" and "Check-in saved" in window.notice.text()
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert "my knee hurts" in said and len(said) == 1


def test_a_wrong_pin_never_offers_to_take_the_screen_without_the_answers(make_window, store, qtbot):
    window = make_window(NURSE)
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.keyClicks(page.matters[0], "sleep")
    take_back(window, NURSE, pin="000000")
    assert not page.without_saving.isVisible()
    assert window.current_view() == "checkin"


def test_a_pasted_answer_of_several_lines_is_kept_on_one_line_not_refused(make_window, store, qtbot):
    """A patient pastes what they wrote at home, line breaks and all: the box shows it on one line as it is pasted
    (an answer of several lines was refused at the nurse's PIN, and nobody could see which box held it)."""
    from PySide6.QtWidgets import QApplication

    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    QApplication.clipboard().setText("pain in my knee\nand my back\u2028when I walk")
    page.matters[0].setFocus()

    qtbot.keyClick(page.matters[0], Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert page.matters[0].text() == "pain in my knee and my back when I walk"
    take_back(window, NURSE)
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert "pain in my knee and my back when I walk" in said


def test_a_full_answer_box_says_so_in_the_patients_language_and_keeps_what_it_shows(make_window, store, qtbot):
    """A box holds a few lines: past that, keys did nothing and a long paste was cut without a word, so a patient
    could think the screen broken or everything kept. Once the box is full it says so, in their language."""
    from PySide6.QtWidgets import QApplication

    window = make_window(NURSE)
    visit = hand_over(qtbot, window, store)
    page = window.patient_mode.page
    es = next(b for b in page.language_buttons.buttons() if b.property("code") == "es")
    qtbot.mouseClick(es, Qt.MouseButton.LeftButton)
    full = "Este espacio está lleno"
    assert full not in visible_texts(window)
    written = "me duele la rodilla cuando camino al trabajo, " * 8
    QApplication.clipboard().setText(written)
    page.matters[0].setFocus()

    qtbot.keyClick(page.matters[0], Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    kept = page.matters[0].text()
    assert written.startswith(kept) and len(kept) < len(written)
    assert full in visible_texts(window)
    qtbot.keyClick(page.matters[0], Qt.Key.Key_Backspace)
    assert full not in visible_texts(window)
    qtbot.keyClicks(page.matters[0], "x")
    assert full in visible_texts(window)
    take_back(window, NURSE)
    said = [p.text for p in priorities.priorities_of_visit(store, visit) if p.source == "patient"]
    assert kept[:-1] + "x" in said


def test_a_box_filled_with_emoji_says_it_is_full_too(make_window, store, qtbot):
    """An emoji takes two of a box's places: a box full of them stopped taking keys without the line saying so."""
    window = make_window(NURSE)
    hand_over(qtbot, window, store)
    page = window.patient_mode.page
    qtbot.mouseClick(page.language_buttons.buttons()[0], Qt.MouseButton.LeftButton)

    page.matters[0].insert("\U0001f622" * 150)

    assert page.matters[0].text() == "\U0001f622" * 100
    assert "This box is full." in visible_texts(window)
