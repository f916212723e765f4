"""The admin's purge by hand in the window: what the clinic's retention keeps no longer, counted, asked, removed."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from companion.services import auth, retention, settings
from companion.services.audit_trail import audit_log
from companion.services.booking import add_visit
from companion.services.notes import add_note
from companion.services.visits import visit_row
from companion.storage.models import Visit
from tests.ui.conftest import visit_of


def an_old_visit(store) -> int:
    """A visit of 400 days ago, with a nurse's note."""
    soren = visit_row(store, visit_of(store, "Søren"))
    old = add_visit(store, soren.patient_id, soren.clinician_id, datetime.now() - timedelta(days=400), "Back pain")
    add_note(store, old.result.id, "social", "Walks the dog at the lake", "Nurse Jonas Lindqvist")
    return old.result.id


def visits(store) -> set[int]:
    with store.session() as session:
        return set(session.exec(Visit.__table__.select().with_only_columns(Visit.id)).scalars())


def asked(view, qtbot):
    qtbot.mouseClick(view.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "purge_question", None) is not None and view.purge_question.isVisible())
    return view.purge_question


def test_the_admin_sees_what_would_go_enter_keeps_it_and_only_a_deliberate_choice_removes_it(make_window, store, qtbot):
    auth.add_clinician_with_pin(store, "Ines Admin", "admin", "2846")
    old = an_old_visit(store)
    window = make_window("Ines Admin")
    view = window.views["admin"]
    view.reload()
    assert not view.purge_button.isEnabled()  # kept until purged by hand: no number of days to purge by
    view.keep_days.setValue(365)
    assert not view.purge_button.isEnabled()  # a number typed but not saved purges nothing
    view.save_settings()
    qtbot.waitUntil(view.purge_button.isEnabled)
    before = visits(store)

    box = asked(view, qtbot)
    assert box.text() == "Remove for good what is older than 365 days? Visits: 1 · priorities: 0 · notes: 1"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps them
    qtbot.waitUntil(lambda: not box.isVisible())
    assert visits(store) == before and view.purge_button.isEnabled()

    box = asked(view, qtbot)
    retention.set_retention(store, 36_500)  # another desk, meanwhile: what was shown and agreed to is what goes
    remove = next(b for b in box.buttons() if b.text() == "Remove for good")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Removed for good" in window.notice.text())
    assert window.notice.text() == "Removed for good. Visits: 1 · priorities: 0 · notes: 1"
    assert visits(store) == before - {old}
    assert retention.purged_before(store) is not None  # imports leave those visits out from now on
    assert any(entry["action"] == "purge" for entry in audit_log(store))


def test_nothing_older_than_kept_says_so_and_asks_nothing(make_window, store, qtbot):
    auth.add_clinician_with_pin(store, "Ines Admin", "admin", "2846")
    retention.set_retention(store, 36_500)
    window = make_window("Ines Admin")
    view = window.views["admin"]
    view.reload()
    before = visits(store)

    qtbot.mouseClick(view.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.notice.text() == "Nothing is older than the clinic keeps.")
    assert getattr(view, "purge_question", None) is None and visits(store) == before


def test_the_button_waits_while_a_purge_is_asked_even_when_the_view_reloads_meanwhile(make_window, store, qtbot):
    auth.add_clinician_with_pin(store, "Ines Admin", "admin", "2846")
    an_old_visit(store)
    retention.set_retention(store, 365)
    window = make_window("Ines Admin")
    view = window.views["admin"]
    view.reload()

    box = asked(view, qtbot)
    view.name.setText("Nurse Pilar Ortega")  # the admin adds a clinician while the question waits: the view reloads
    view.role.setCurrentIndex(view.role.findData("nurse"))
    view.pin.setText("5821")
    view.add()
    listed = lambda: [view.people.item(i).text() for i in range(view.people.count())]  # noqa: E731
    qtbot.waitUntil(lambda: any(name.startswith("Nurse Pilar") for name in listed()))
    assert not view.purge_button.isEnabled()  # a second click would count and ask again

    qtbot.keyClick(box, Qt.Key.Key_Escape)  # kept: the button is back
    qtbot.waitUntil(view.purge_button.isEnabled)


def test_a_save_keeps_what_another_desk_saved_and_the_view_follows_it(make_window, store, qtbot):
    """Two admins: one changed the idle lock at another desk while this one had the view open; saving this one's
    retention put the old lock back without a word, and the view kept showing the old values."""
    auth.add_clinician_with_pin(store, "Ines Admin", "admin", "2846")
    window = make_window("Ines Admin")
    view = window.views["admin"]
    view.reload()
    assert view.lock_minutes.value() == 5

    other_desk = dataclasses.replace(store, origin="another desk")
    settings.save_clinic_settings(other_desk, lock_minutes=15)
    auth.add_clinician_with_pin(other_desk, "Omar Nurse", "nurse", "3957")
    qtbot.waitUntil(lambda: view.lock_minutes.value() == 15, timeout=15000)  # shown here without a reload
    qtbot.waitUntil(lambda: any("Omar Nurse" in view.people.item(i).text() for i in range(view.people.count())))
    assert window.notice.text() == "Another desk changed the clinic settings; they show here now."

    view.keep_days.setValue(400)  # typed here, not saved yet: another desk's save does not take it away
    settings.save_clinic_settings(other_desk, keep_days=500)
    qtbot.waitUntil(lambda: retention.retention_days(store) == 500)
    qtbot.waitUntil(lambda: "stays until you save" in window.notice.text(), timeout=15000)
    assert view.keep_days.value() == 400
    settings.save_clinic_settings(other_desk, lock_minutes=20)
    qtbot.waitUntil(lambda: view.lock_minutes.value() == 20, timeout=15000)
    assert view.keep_days.value() == 400

    settings.save_clinic_settings(other_desk, lock_minutes=25)  # saved there just before this desk hears of it
    view.save_settings()
    qtbot.waitUntil(lambda: view.lock_minutes.value() == 25, timeout=15000)
    qtbot.waitUntil(lambda: retention.retention_days(store) == 400)
    assert settings.idle_lock_ms(store) == 25 * 60_000  # the other desk's lock stays


def test_a_clinician_added_here_is_listed_once_and_the_form_cleared(make_window, store, qtbot):
    auth.add_clinician_with_pin(store, "Ines Admin", "admin", "2846")
    window = make_window("Ines Admin")
    view = window.views["admin"]
    view.name.setText("Omar Nurse")
    view.pin.setText("3957")

    view.add()

    names = lambda: [view.people.item(i).text() for i in range(view.people.count())]  # noqa: E731
    qtbot.waitUntil(lambda: any("Omar Nurse" in name for name in names()))
    assert sum("Omar Nurse" in name for name in names()) == 1
    assert (view.name.text(), view.pin.text()) == ("", "")
    assert window.notice.text() == "Added. They sign in with their name and PIN."
