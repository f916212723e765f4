"""Which views a window builds: those of the clinician's day right after its first paint, any other when it is
first opened (and then exactly as it would have been), none that the role cannot open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from companion.demo import DOCTOR, NURSE
from companion.services import auth, clinicians
from tests.ui.conftest import visible_texts, visit_of
from tests.ui.test_lock import sign_in
from ui.window.appearance import BASE_SIZE, zoom

PATIENT_VIEWS = ("today", "rooming", "prepare", "glance", "reflect", "patient", "recentre")


def built(window) -> set[str]:
    return {key for key in window.views if window.views.built(key)}


def test_a_physician_has_the_door_and_the_room_ready_and_rooming_opens_when_asked(make_window, store, qtbot):
    window = make_window(DOCTOR)
    assert {"today", "prepare", "glance", "recentre"} <= built(window)
    assert not built(window) & {"rooming", "admin"}  # a nurse's view, and the admin's, until opened

    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Rooming for the same visit, built now
    assert window.current_view() == "rooming"
    assert "Søren" in visible_texts(window)


def test_a_nurse_has_rooming_ready_and_not_the_glance(make_window):
    window = make_window(NURSE)
    assert {"today", "rooming"} <= built(window)
    assert not built(window) & {"prepare", "glance", "recentre", "admin"}


def test_an_admins_window_holds_no_view_of_patients(make_window, store):
    clinicians.add_clinician(store, "Robin Admin", "admin")
    window = make_window("Robin Admin")
    assert window.current_view() == "admin"
    assert not built(window) & set(PATIENT_VIEWS)


def test_a_view_built_after_the_text_was_zoomed_is_zoomed_like_the_rest(make_window, store, qtbot):
    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # larger text, then F9
    assert zoom() > 1
    assert not window.views.built("patient")
    qtbot.keyClick(window, Qt.Key.Key_F9)  # the patient's own view, built now
    assert window.current_view() == "patient"
    sized = [w for w in window.views["patient"].findChildren(QWidget) if w.property(BASE_SIZE) is not None]
    assert sized
    assert all(abs(w.font().pointSizeF() - float(w.property(BASE_SIZE)) * zoom()) < 0.01 for w in sized)


def test_locking_and_signing_in_again_build_no_view_the_role_does_not_use(make_window, store, qtbot):
    auth.add_clinician_with_pin(store, "Robin Admin", "admin", "2846")
    window = make_window(NURSE)
    window.lock()  # as the idle timer does: nothing is paused behind it that was never built
    assert not built(window) & {"prepare", "glance", "recentre", "admin"}
    sign_in(window, "Robin Admin", "2846")  # another clinician, an admin, at the same desk
    assert window.current_view() == "admin"
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert not built(window) & {"prepare", "glance", "recentre"}  # contrast repaints Today only if it exists
    window.lock()
    sign_in(window, DOCTOR)  # then a physician: their day's views are made ready for them
    qtbot.waitUntil(window.views.ahead_built)
    assert {"today", "prepare", "glance", "recentre"} <= built(window)
