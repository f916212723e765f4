"""The lock is a lock: at the sign-in no key, dialog or timer shows a patient or writes a thing."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolTip
from sqlalchemy import select
from sqlmodel import SQLModel

from companion.demo import DEMO_PIN
from companion.services import audit_trail, booking, notes, priorities, retention, rituals
from companion.storage.store import open_store
from tests.records import ritual_runs, write_setting
from tests.ui.conftest import clinician_id, gone, open_dialog, type_into, visible_texts, visit_of
from ui.panels.ritual import RitualEditor
from ui.window.edit_dialog import EditDialog
from ui.window.import_dialog import ImportDialog

NURSE = "Jonas Lindqvist"
DOCTOR = "Dr. Amara Okafor"
# What Søren's glance shows (demo data): his name, his priorities, his story, an emotional cue; and the other
# patients of the day, whom Today would list.
SECRETS = ("Søren", "Karin", "heart pills", "ferry engineer", "Tearful", "Majo", "Zoë", "Lan", "Frank", "Aïcha")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def lock_with_keys(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL_SHIFT)
    assert window.current_view() == "locked"


def sign_in(window, name: str, pin: str = DEMO_PIN) -> None:
    people = window.lock_page.people
    people.setCurrentRow(next(i for i in range(people.count()) if name in people.item(i).text()))
    window.lock_page.pin.setText(pin)
    window.lock_page.sign_in()
    assert window.ctx.clinician.name == name


def other_windows(window) -> list:
    """Every other window a person could see now: dialogs, tooltips, menus."""
    return [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()]


def what_shows(window) -> str:
    """Every text on screen: the window's, its title, and any other window's."""
    return "\n".join([window.windowTitle(), visible_texts(window), *(visible_texts(w) for w in other_windows(window))])


def assert_only_the_sign_in(window, after: str = "") -> None:
    shown = what_shows(window)
    assert "Who is signing in?" in shown, after
    assert not [s for s in SECRETS if s in shown], f"{after}: {shown}"
    assert other_windows(window) == [], after
    assert not any(button.isVisible() for button in window.nav.values()), after


def database_rows(store) -> dict:
    """Every row of every table: proof that nothing was written."""
    with store.engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table)).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


def every_key(window) -> list[QKeySequence]:
    """Each key the window and everything in it answers to, found rather than listed: QShortcuts, QAction
    shortcuts, and mnemonics ("&Lasting" makes Alt+L) of buttons and of labels with a buddy."""
    keys = [key for shortcut in window.findChildren(QShortcut) for key in shortcut.keys()]  # noqa: SIM118 (a QShortcut, not a dict)
    keys += [key for action in window.findChildren(QAction) for key in action.shortcuts()]
    keys += [QKeySequence.mnemonic(button.text()) for button in window.findChildren(QAbstractButton)]
    keys += [QKeySequence.mnemonic(label.text()) for label in window.findChildren(QLabel) if label.buddy()]
    unique = {key.toString(): key for key in keys if not key.isEmpty()}
    return list(unique.values())


def press(qtbot, window, key: QKeySequence) -> None:
    """A real key event to whatever has the keyboard, as a person's key press."""
    target = QApplication.focusWidget() or window
    for index in range(key.count()):
        combination = key[index]
        qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())
    qtbot.wait(20)  # whatever a key queued (a view's audit entry, a dialog opening) has happened


def test_no_key_gets_past_the_lock(make_window, store, qtbot):
    window = make_window(DOCTOR)
    visit = visit_of(store, "Søren")
    window.open_visit(visit, "glance")
    assert all(s in visible_texts(window) for s in ("Søren", "Karin", "heart pills", "ferry engineer", "Tearful"))
    qtbot.waitUntil(lambda: any(e["action"] == "open glance" for e in audit_trail.audit_log(store)))
    for view in window.views:  # every view built, as after a day that opened each: every key of each is tried
        window.views[view]
    keys = every_key(window)
    names = {key.toString() for key in keys}
    assert {"Ctrl+1", "Ctrl+4", "Esc", "Ctrl+T", "Ctrl+I", "F2", "F5", "Ctrl+E", "Alt+L", "Alt+K"} <= names
    lock_with_keys(qtbot, window)
    assert_only_the_sign_in(window)
    before = database_rows(store)

    for key in keys:
        window.lock_page.pin.clear()
        press(qtbot, window, key)
        assert_only_the_sign_in(window, after=key.toString())
        assert window.current_view() == "locked", key.toString()
        assert window.lock_page.pin.text() == "", f"{key.toString()} typed into the PIN"
        assert database_rows(store) == before, f"{key.toString()} wrote to the database"
    assert not window.always_on_top()  # Ctrl+T did nothing either

    window.lock_page.pin.clear()
    qtbot.keyClicks(window.lock_page.pin, DEMO_PIN)  # the sign-in's own keys still work
    qtbot.keyClick(window.lock_page.pin, Qt.Key.Key_Return)
    assert window.current_view() == "glance"  # the same clinician finds it as it was
    assert "Karin" in visible_texts(window)


def test_tooltips_notices_and_stray_keys_stay_behind_the_lock(make_window, store, qtbot):
    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Søren"), "glance")
    patient = window.views["glance"].patient
    QToolTip.showText(patient.mapToGlobal(patient.rect().center()), patient.toolTip(), patient)  # a hover
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Søren" in QToolTip.text()
    lock_with_keys(qtbot, window)
    assert not QToolTip.isVisible()
    window.setFocus()  # the keyboard somewhere else than the PIN
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.lock_page.pin.hasFocus()
    window.ctx.message.emit("Summary copied, without sensitive facts.")  # a view's notice while locked
    assert "Summary copied" not in what_shows(window)
    assert_only_the_sign_in(window)


def open_edit(qtbot, window, store, row: int = 0) -> EditDialog:
    """F2 on a row of Søren's story while rooming."""
    window.open_visit(visit_of(store, "Søren"), "rooming")
    items = window.views["rooming"].notes["social"].items
    items.setFocus()
    items.setCurrentRow(row)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    return open_dialog(qtbot, EditDialog)


def history(store, visit) -> list:
    note = notes.notes_for_visit(store, visit, "social")[0]
    return [note.text, note.author, notes.note_history(store, note.id)]


def test_an_edit_open_at_the_lock_goes_and_its_words_wait_for_the_same_clinician(make_window, store, qtbot):
    window = make_window(NURSE)
    visit = visit_of(store, "Søren")
    dialog = open_edit(qtbot, window, store)
    assert dialog.text() == "Widowed in the spring; daughter lives nearby"
    type_into(qtbot, dialog.line, "Widowed in March; daughter Mette nearby")
    saved = history(store, visit)

    window.lock()
    assert gone(dialog)
    assert_only_the_sign_in(window)
    assert history(store, visit) == saved  # closed, not saved

    sign_in(window, DOCTOR)  # another clinician at the same desk
    assert other_windows(window) == []
    assert "Mette" not in what_shows(window)
    theirs = open_edit(qtbot, window, store)
    assert theirs.text() == "Widowed in the spring; daughter lives nearby"  # not the nurse's draft
    type_into(qtbot, theirs.line, "Widowed in March")
    qtbot.keyClick(theirs.line, Qt.Key.Key_Return)
    assert "Only the note's author" in window.notice.text()
    assert history(store, visit) == saved  # nothing under the wrong name
    qtbot.keyClick(theirs.line, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(theirs))

    window.lock()
    sign_in(window, NURSE)
    assert other_windows(window) == []  # offered again when she edits it, not opened by itself
    again = open_edit(qtbot, window, store)
    assert again.text() == "Widowed in March; daughter Mette nearby"
    qtbot.keyClick(again.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(again))
    text, author, earlier = history(store, visit)
    assert (text, author) == ("Widowed in March; daughter Mette nearby", NURSE)
    assert earlier == [("Widowed in the spring; daughter lives nearby", NURSE)]
    assert not any(field.startswith("edit:") for field in window.ctx.my_drafts(visit))


def test_the_idle_lock_closes_an_edit_the_same_way(make_window, store, db_path, qtbot):
    window = make_window(NURSE)  # the default five minutes, so that a slow machine cannot lock before the edit
    visit = visit_of(store, "Majo")
    window.open_visit(visit, "rooming")
    items = window.views["rooming"].priorities.items
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, EditDialog)
    type_into(qtbot, dialog.line, "My feet burn at night")
    admins_desk = open_store(str(db_path))
    write_setting(admins_desk, "auto_lock_minutes", "0.03")  # about two seconds, saved at another desk
    admins_desk.engine.dispose()
    qtbot.waitUntil(lambda: window.current_view() == "locked", timeout=15000)
    assert gone(dialog)
    assert_only_the_sign_in(window)
    assert "burn" not in what_shows(window)
    qtbot.waitUntil(window.lock_page.pin.hasFocus, timeout=15000)  # the PIN can be typed at once
    assert [p.text for p in priorities.agenda(store, visit)][1] == "My feet tingle at night"

    sign_in(window, NURSE)
    assert window.current_view() == "rooming" and other_windows(window) == []
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_F2)
    assert open_dialog(qtbot, EditDialog).text() == "My feet burn at night"


def test_an_import_waits_behind_the_lock_for_the_same_clinician_only(make_window, store, qtbot):
    window = make_window(DOCTOR)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, ImportDialog)
    lock_with_keys_from_anywhere(window)
    assert_only_the_sign_in(window)
    sign_in(window, DOCTOR)
    assert open_dialog(qtbot, ImportDialog) is dialog  # not patient-specific: there again, as it was
    lock_with_keys_from_anywhere(window)
    sign_in(window, "Dr. Priya Raman")
    qtbot.wait(50)
    assert other_windows(window) == []


def lock_with_keys_from_anywhere(window) -> None:
    """A dialog has the keyboard, so the window's own lock key cannot reach it: lock as the idle timer does."""
    window.lock()
    assert window.current_view() == "locked"


def test_a_ritual_being_edited_is_kept_for_its_clinician_and_never_saved_for_another(make_window, store, qtbot):
    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Majo"), "prepare")
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = open_dialog(qtbot, RitualEditor)
    editor.steps.setPlainText("Breathe out slowly")
    lock_with_keys_from_anywhere(window)
    assert_only_the_sign_in(window)
    sign_in(window, DOCTOR)
    editor = open_dialog(qtbot, RitualEditor)
    assert editor.steps.toPlainText() == "Breathe out slowly"  # as she left it
    lock_with_keys_from_anywhere(window)
    sign_in(window, "Dr. Priya Raman")
    qtbot.wait(50)
    assert other_windows(window) == []
    mine = rituals.get_ritual(store, clinician_id(store, DOCTOR))
    theirs = rituals.get_ritual(store, clinician_id(store, "Dr. Priya Raman"))
    assert mine.is_default and theirs.is_default  # nothing saved, least of all under her colleague's name


def test_a_pause_running_at_the_lock_opens_nothing_behind_it(make_window, store, qtbot):
    window = make_window(DOCTOR)
    visit = visit_of(store, "Søren")
    rituals.save_ritual(store, clinician_id(store, DOCTOR), ["Breathe"], 1)
    window.open_visit(visit, "prepare")
    qtbot.keyClick(window, Qt.Key.Key_Space)  # the focus ritual's one-second pause starts
    lock_with_keys(qtbot, window)
    qtbot.wait(1600)
    assert_only_the_sign_in(window)
    assert ritual_runs(store, visit) == 0
    sign_in(window, DOCTOR)
    assert window.current_view() == "prepare"


def test_the_pause_between_visits_waits_for_the_lock(make_window, store, qtbot):
    window = make_window(DOCTOR)
    window.views["recentre"].seconds = 1  # a short pause for the test; 20 s by default
    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "recentre"
    lock_with_keys(qtbot, window)
    qtbot.wait(1600)
    assert_only_the_sign_in(window)  # Zoë's prep card did not open behind the lock
    sign_in(window, DOCTOR)
    assert window.current_view() == "recentre"  # the pause goes on, then her next visit
    qtbot.waitUntil(lambda: window.current_view() == "prepare", timeout=15000)
    assert window.visit_id == visit_of(store, "Zoë")


def test_words_typed_and_not_entered_wait_for_their_writer_alone(make_window, store, qtbot):
    """The nurse types on Rooming and the window locks; the physician who signs in next sees an empty line, and
    cannot enter the nurse's words under her own name. The nurse finds them when she is back."""
    window = make_window(NURSE)
    visit = visit_of(store, "Frank")
    window.open_visit(visit, "rooming")
    line = window.views["rooming"].notes["social"].input
    type_into(qtbot, line, "Says partner hits her when drunk")
    window.lock()
    sign_in(window, DOCTOR)
    window.open_visit(visit, "rooming")
    assert window.views["rooming"].notes["social"].input.text() == ""
    assert "partner hits" not in visible_texts(window)

    window.lock()
    sign_in(window, NURSE)
    window.open_visit(visit, "rooming")
    assert window.views["rooming"].notes["social"].input.text() == "Says partner hits her when drunk"


def test_a_visit_the_retention_removed_behind_the_lock_leaves_the_window_on_today_not_stuck(
    make_window, store, db_path, qtbot
):
    """The glance of an old visit is open at the lock; the clinic's purge (at another desk) removes the visit. The
    right PIN opens the window on Today with a word why, not a half-open lock; a live update does the same."""
    window = make_window(DOCTOR)
    old = booking.add_visit(store, 1, 1, datetime.now() - timedelta(days=400), "Last year's check").result.id
    window.show_view("glance", old)
    lock_with_keys(qtbot, window)
    retention.purge(store, 365)

    sign_in(window, DOCTOR)

    assert window.current_view() == "today" and window.visit_id is None
    assert "not in the records" in window.notice.text()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # keys reach the window again
    assert window.current_view() != "locked"

    other = booking.add_visit(store, 1, 1, datetime.now() - timedelta(days=400), "Another old one").result.id
    window.show_view("glance", other)
    another_desk = open_store(str(db_path))
    retention.purge(another_desk, 365)  # while it is open: the live update lets go of it
    another_desk.engine.dispose()
    qtbot.waitUntil(lambda: window.current_view() == "today")
    assert "not in the records" in window.notice.text()
