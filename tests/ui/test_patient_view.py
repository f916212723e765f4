"""Show the patient: the screen turned toward them shows only what is theirs, in their language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from companion.services import audit_trail, encounter, priorities
from tests.ui.conftest import clinician_of, visible_texts, visit_of
from tests.ui.test_lock import DOCTOR, sign_in
from tests.ui.test_real_window import screenshot

SHIFT = Qt.KeyboardModifier.ShiftModifier


def list_texts(view) -> str:
    return "\n".join(
        items.item(i).text() for items in (view.said, view.agenda, view.steps) for i in range(items.count())
    )


def test_f9_shows_what_they_said_and_next_steps_and_nothing_private(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    priorities.add_priority(store, visit, "my HIV medicines", sensitive=True)
    priorities.add_priority(store, visit, "check my blood pressure", source="clinician")
    encounter.agree_agenda(store, visit)
    encounter.add_next_step(store, visit, "Walk 10 minutes after lunch", "Dr. Amara Okafor")
    window = make_window(DOCTOR)
    window.open_visit(visit, "glance")
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_F9)
    assert window.current_view() == "patient"
    view = window.views["patient"]
    shown = visible_texts(window) + list_texts(view)
    assert "What you said matters today" in shown
    assert "Refill of my heart pills" in shown and "Walk 10 minutes after lunch" in shown
    assert "check my blood pressure" in [view.agenda.item(i).text() for i in range(view.agenda.count())]
    said = [view.said.item(i).text() for i in range(view.said.count())]
    assert "check my blood pressure" not in said  # the clinician's item is on the agenda, not in their words
    for secret in ("HIV", "Tearful", "ferry engineer", "daughter", "private"):
        assert secret not in shown, secret
    for size in (view.said.font().pointSizeF(), view.title.font().pointSizeF(), view.not_meant.font().pointSizeF()):
        assert size >= 20
    qtbot.waitUntil(lambda: any(e["action"] == "show the patient" for e in audit_trail.audit_log(store)))


def test_leaving_the_patients_screen_takes_a_clinicians_pin_then_the_glance_is_as_it_was(make_window, store, qtbot):
    """DESIGN.md: leaving a patient-facing view needs a clinician. F9 pressed by the patient brings the lock up, not
    the glance with its cues and story; a wrong PIN leaves it up; the clinician's PIN opens the glance of the same
    visit, in the window as it was before F9."""
    visit = visit_of(store, "Søren")
    window = make_window(DOCTOR)
    window.open_visit(visit, "glance")
    before = window.isFullScreen()
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_F9)
    view = window.views["patient"]

    qtbot.keyClick(view, Qt.Key.Key_F9)  # the patient's own F9
    assert window.current_view() == "locked"
    assert "Tearful" not in visible_texts(window) and "PIN" in window.hint.text()
    window.lock_page.pin.setText("0000")
    window.lock_page.sign_in()
    assert window.current_view() == "locked"

    sign_in(window, DOCTOR)
    assert (window.current_view(), window.visit_id, window.isFullScreen()) == ("glance", visit, before)
    assert window.nav["today"].isVisible()


def test_thats_not_what_i_meant_is_recorded_as_the_patients_correction(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window(DOCTOR)
    window.open_visit(visit, "patient")
    view = window.views["patient"]
    view.said.setCurrentRow(1)
    old = view.said.currentItem().text()
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    assert view.correction.isVisible() and view.correction.text() == old
    view.correction.setText("My heart pills run out on Friday")
    qtbot.keyClick(view.correction, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "My heart pills run out on Friday" in list_texts(view))
    item = next(p for p in priorities.agenda(store, visit) if p.text.startswith("My heart pills"))
    assert priorities.priority_history(store, item.id) == [old]
    assert any(e["action"] == "corrected by the patient" for e in audit_trail.audit_log(store))
    assert not view.correction.isVisible()


def test_a_next_step_is_corrected_in_place_and_its_earlier_words_are_kept(make_window, store, qtbot):
    from sqlmodel import select

    from companion.services import encounter
    from companion.storage.models import NextStepRevision

    visit = visit_of(store, "Søren")
    encounter.add_next_step(store, visit, "Blood test on Tuesday", "Dr. Amara Okafor")
    window = make_window(DOCTOR)
    window.open_visit(visit, "patient")
    view = window.views["patient"]
    view.steps.setFocus()
    view.steps.setCurrentRow(0)
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    assert view.correction.text() == "Blood test on Tuesday"
    view.correction.setText("Blood test on Thursday, before breakfast")
    qtbot.keyClick(view.correction, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Blood test on Thursday, before breakfast" in list_texts(view))
    assert [s.text for s in encounter.next_steps(store, visit)] == ["Blood test on Thursday, before breakfast"]
    with store.session() as session:
        assert [r.text for r in session.exec(select(NextStepRevision))] == ["Blood test on Tuesday"]
    assert sum(e["action"] == "corrected by the patient" for e in audit_trail.audit_log(store)) == 1

    # Back on the glance, the closing checks show the change and the words agreed, before the handout is printed.
    qtbot.keyClick(view, Qt.Key.Key_F9)
    sign_in(window, DOCTOR)
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    steps = window.views["glance"].closing.steps
    assert [steps.item(i).text() for i in range(steps.count())] == [
        "•  Blood test on Thursday, before breakfast  (changed on the patient's screen; agreed: Blood test on Tuesday)"
    ]


def test_spanish_speaker_sees_spanish(make_window, store, qtbot):
    visit = visit_of(store, "Majo")
    window = make_window(clinician_of(store, visit))
    window.open_visit(visit, "patient")
    assert "Lo que usted dijo que es importante hoy" in visible_texts(window)
    assert "No es lo que quise decir" in visible_texts(window)


def test_screenshot_renders_the_patient_view(store, db_path, companion_home, tmp_path):
    out = tmp_path / "patient.png"
    result = screenshot(db_path, out, "patient", visit_of(store, "Søren"), companion_home)
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(out))
    assert image.width() > 420 and image.height() > 640  # turned to the patient, it fills the screen


def test_the_patient_holding_the_screen_reaches_no_other_view(make_window, store, qtbot):
    """No navigation to tap and no Ctrl+1..5: Today would list every patient of the day, the prep card reveals
    private items. F9 with the clinician's PIN gives the screen back; Esc still hides it."""
    visit = visit_of(store, "Søren")
    window = make_window(DOCTOR)
    window.open_visit(visit, "glance")
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_F9)
    view = window.views["patient"]
    assert not any(button.isVisible() for button in window.nav.values())

    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_I):
        qtbot.keyClick(view.said, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_view() == "patient"
    assert "Frank" not in visible_texts(window) and "Lan" not in visible_texts(window)  # no one else's visit

    qtbot.keyClick(view.said, Qt.Key.Key_Escape)  # hidden at once, and back: still the patient's screen
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.current_view() == "patient" and not any(button.isVisible() for button in window.nav.values())

    qtbot.keyClick(view, Qt.Key.Key_F9)
    assert window.current_view() == "locked"  # the clinician's PIN takes it back
    sign_in(window, DOCTOR)
    assert window.current_view() == "glance" and window.nav["today"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "today"


def test_a_finish_answered_after_f9_opens_no_pause_over_the_patients_screen(make_window, store, qtbot):
    """Ctrl+D saved slowly (another desk held the database) and F9 pressed meanwhile: the finish's answer does not
    put the re-centring pause, the navigation and the next visit's reason in front of the patient."""
    visit = visit_of(store, "Søren")
    window = make_window(DOCTOR)
    window.open_visit(visit, "glance")
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_F9)

    window.open_visit(visit, "recentre")  # as the finish's late answer does

    assert window.current_view() == "patient" and window.isFullScreen()
    assert not any(button.isVisible() for button in window.nav.values())


def test_a_correction_being_typed_survives_a_change_saved_elsewhere(make_window, store, qtbot):
    visit = visit_of(store, "Søren")
    window = make_window(DOCTOR)
    window.open_visit(visit, "patient")
    view = window.views["patient"]
    view.said.setCurrentRow(0)
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    view.correction.setText("I meant the pills for my heart, not")

    priorities.add_priority(store, visit, "Ask about the ferry timetable")  # the nurse, at another desk
    view.refresh()  # as the live update does

    assert view.correction.isVisible() and view.correction.text() == "I meant the pills for my heart, not"
    assert "Ask about the ferry timetable" in list_texts(view)


def test_only_the_patients_own_words_are_theirs_to_correct(make_window, store, qtbot):
    """The care team's item on the agreed agenda is shown, but "That's not what I meant" does not rewrite it as
    if the patient had said it; the service refuses it too."""
    from companion.errors import CompanionError
    from companion.services import checkin

    visit = visit_of(store, "Søren")
    theirs = priorities.add_priority(store, visit, "check my blood pressure", source="clinician").result
    encounter.agree_agenda(store, visit)
    window = make_window(DOCTOR)
    window.open_visit(visit, "patient")
    view = window.views["patient"]
    row = next(i for i in range(view.agenda.count()) if view.agenda.item(i).text() == "check my blood pressure")
    view.agenda.setCurrentRow(row)
    view.agenda.setFocus()
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    assert not view.correction.isVisible()  # nothing to correct: not theirs, and no other item in its place
    with pytest.raises(CompanionError, match="patient's own words"):
        checkin.correct_as_patient(store, theirs.id, "check my sugar")


def test_the_patient_holding_the_screen_pastes_nothing_the_clinician_copied(make_window, store, qtbot):
    """The summary copied with Ctrl+Shift+C (emotional cues, the story) is gone from the clipboard once F9 turns the
    screen to the patient: "That's not what I meant" cannot paste it as their correction."""
    from PySide6.QtGui import QClipboard, QGuiApplication

    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Søren"), "glance")
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | SHIFT)
    clipboard = QGuiApplication.clipboard()
    assert "Tearful talking about his wife" in clipboard.text()
    qtbot.keyClick(window.views["glance"], Qt.Key.Key_F9)
    view = window.views["patient"]
    qtbot.mouseClick(view.not_meant, Qt.MouseButton.LeftButton)
    view.correction.clear()

    qtbot.keyClick(view.correction, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert view.correction.text() == ""
    assert clipboard.text() == "" and clipboard.text(QClipboard.Mode.Selection) == ""


def test_wrong_pins_at_the_lock_while_the_patient_holds_the_screen_lock_no_clinician_out(make_window, store, qtbot):
    """Ctrl+Shift+U from F9 brings the lock up with the patient still at the screen: their guesses at another
    clinician's PIN are counted there, with the same waits, and she still signs in at once at her own desk."""
    from companion.demo import DEMO_PIN
    from companion.services import auth
    from tests.ui.conftest import clinician_id
    from tests.ui.test_lock import NURSE

    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Søren"), "patient")
    qtbot.keyClick(window.views["patient"], Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert window.current_view() == "locked"
    panel = window.lock_page
    panel.people.setCurrentRow(next(i for i in range(panel.people.count()) if NURSE in panel.people.item(i).text()))
    for _ in range(5):
        panel.pin.setText("0000")
        panel.sign_in()
    assert "try again in" in panel.message.text() and not panel.pin.isEnabled()  # guessing still waits here

    nurse = auth.sign_in(store, clinician_id(store, NURSE), DEMO_PIN)  # at his own desk: no wait
    assert nurse.name == NURSE


def test_another_clinician_signing_in_after_f9_gets_the_window_as_it_was_before_f9(make_window, store, qtbot):
    from companion.demo import DEMO_PIN
    from tests.ui.test_lock import NURSE

    window = make_window(DOCTOR)
    window.open_visit(visit_of(store, "Søren"), "glance")
    before = window.size()
    window.open_visit(visit_of(store, "Søren"), "patient")
    assert window.isFullScreen()
    qtbot.keyClick(window.views["patient"], Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | SHIFT)
    panel = window.lock_page
    panel.people.setCurrentRow(next(i for i in range(panel.people.count()) if NURSE in panel.people.item(i).text()))
    panel.pin.setText(DEMO_PIN)
    panel.sign_in()

    assert window.current_view() == "today" and window.ctx.clinician.name == NURSE
    assert not window.isFullScreen() and window.size() == before


def test_a_step_changed_on_the_patients_screen_and_back_again_is_not_flagged():
    from companion.services.encounter import NextStepView
    from ui.panels.closing import step_line

    assert step_line(NextStepView(1, "Walk after lunch", False, "", agreed="Walk after lunch")) == "•  Walk after lunch"
    assert "agreed: Walk after lunch" in step_line(
        NextStepView(1, "Walk at night", False, "", agreed="Walk after lunch")
    )
