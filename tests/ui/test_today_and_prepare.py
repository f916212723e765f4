"""Today's list and the prepare view at the door, through to the glance."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.services import rituals, visits
from tests.records import ritual_runs
from tests.ui.conftest import clinician_id, gone, open_dialog, visible_texts, visit_of
from ui.panels.ritual import RitualEditor


def test_today_lists_the_physicians_own_visits_with_status(make_window, store):
    window = make_window("Dr. Amara Okafor")
    shown = visible_texts(window.views["today"])
    assert "Søren · Trouble sleeping\nRoomed" in shown
    assert "Wei" not in shown  # Dr. Raman's patient


def test_nurse_sees_every_visit_and_enter_opens_rooming(make_window, store, qtbot):
    window = make_window("Jonas Lindqvist")
    today = window.views["today"]
    assert "Wei" in visible_texts(today)
    today.visit_list.setFocus()
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Return)
    assert window.current_view() == "rooming"


def test_enter_on_today_opens_the_prep_card_for_a_physician(make_window, store, qtbot):
    window = make_window()
    today = window.views["today"]
    today.visit_list.setFocus()
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Return)  # first visit not yet done: Majo
    assert window.current_view() == "prepare"
    shown = visible_texts(window.views["prepare"])
    assert "Majo (she/her)\nSpanish, interpreter" in shown


def test_an_enter_held_down_since_the_sign_in_opens_no_visit(make_window, store, qtbot):
    """The PIN's Enter held a moment too long repeats into Today once the window shows: it opened the first
    patient's prep card (logged as opened). Only a press of Enter opens a visit."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    window = make_window()
    today = window.views["today"]
    today.visit_list.setFocus()
    for _ in range(3):
        held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", True)
        QApplication.sendEvent(today.visit_list, held)
    qtbot.wait(50)

    assert window.current_view() == "today"
    qtbot.keyClick(today.visit_list, Qt.Key.Key_Return)
    assert window.current_view() == "prepare"


def test_prep_card_shows_last_visits_open_items_and_hides_sensitive_facts(make_window, store, qtbot):
    window = make_window()
    window.open_visit(visit_of(store, "Zoë"), "prepare")
    prepare = window.views["prepare"]
    shown = visible_texts(prepare)
    assert "Last time we did not get to: Talk about my sleep" in shown
    assert "I want to run with my kids again" in shown  # lasting priority from the earlier visit

    window.open_visit(visit_of(store, "Frank"), "prepare")
    assert "beers" not in visible_texts(prepare)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "Drinks 4-5 beers most nights" in visible_texts(prepare)
    window.show_view("glance")
    window.show_view("prepare")
    assert "beers" not in visible_texts(prepare)  # leaving the view covers it again


def test_ritual_countdown_marks_prepared_and_opens_the_glance(make_window, store, qtbot):
    doctor = clinician_id(store, "Dr. Amara Okafor")
    rituals.save_ritual(store, doctor, ["Breathe out", "Name ready"], pause_seconds=1)
    window = make_window()
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "prepare")
    prepare = window.views["prepare"]
    assert "1. Breathe out\n2. Name ready" in visible_texts(prepare)
    assert prepare.ritual.countdown.text() == "0:01"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert prepare.ritual.running()
    qtbot.waitUntil(lambda: window.current_view() == "glance", timeout=15000)
    assert visits.visit_row(store, visit).status == "prepared"
    assert ritual_runs(store, visit) == 1


def test_a_ritual_left_mid_pause_never_opens_that_patients_glance_later(make_window, store, qtbot):
    """Space on one patient's card, then Today and another patient's glance: when the pause would have ended, the
    window stays on the glance the clinician chose, and no run is recorded for the card left behind."""
    doctor = clinician_id(store, "Dr. Amara Okafor")
    rituals.save_ritual(store, doctor, ["Breathe out"], pause_seconds=1)
    window = make_window()
    left, chosen = visit_of(store, "Lan"), visit_of(store, "Majo")
    window.open_visit(left, "prepare")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.views["prepare"].ritual.running()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    window.open_visit(chosen, "glance")
    qtbot.wait(2500)  # past the pause
    assert (window.current_view(), window.visit_id) == ("glance", chosen)
    assert ritual_runs(store, left) == 0 and visits.visit_row(store, left).status != "prepared"
    window.open_visit(left, "prepare")  # back at the first door: the pause starts afresh
    assert window.views["prepare"].ritual.countdown.text() == "0:01"
    assert not window.views["prepare"].ritual.running()


def test_going_in_early_still_records_the_run(make_window, store, qtbot):
    window = make_window()
    visit = visit_of(store, "Majo")
    window.open_visit(visit, "prepare")
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "glance"
    assert ritual_runs(store, visit) == 1


def test_clinician_edits_their_own_ritual(make_window, store, qtbot):
    window = make_window()
    window.open_visit(visit_of(store, "Majo"), "prepare")
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, RitualEditor)
    dialog.steps.setPlainText("\n".join(f"Step {n}" for n in range(1, 10)))  # one step too many
    dialog.pause.setValue(15)
    dialog.accept()
    assert dialog.isVisible() and "at most 8 steps" in dialog.error.text()
    assert dialog.steps.toPlainText().startswith("Step 1")  # still there to fix, not lost
    dialog.steps.setPlainText("Wash hands slowly\n\nThink of one thing they enjoy")
    dialog.accept()
    qtbot.waitUntil(lambda: gone(dialog))
    ritual = rituals.get_ritual(store, clinician_id(store, "Dr. Amara Okafor"))
    assert ritual.steps == ("Wash hands slowly", "Think of one thing they enjoy")
    assert window.views["prepare"].ritual.countdown.text() == "0:15"


def test_going_back_to_today_and_choosing_another_visit_opens_that_one(make_window, store, qtbot):
    """The visit selected on Today wins over the one opened before: never the wrong patient's card."""
    window = make_window()
    window.open_visit(visit_of(store, "Majo"), "prepare")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    today = window.views["today"]
    lan_row = next(i for i in range(today.visit_list.count()) if "Lan\u2069 ·" in today.visit_list.item(i).text())
    today.visit_list.setCurrentRow(lan_row)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.visit_id == visit_of(store, "Lan")
    assert "Lan (she/her)" in visible_texts(window.views["prepare"])
    assert "Majo" not in visible_texts(window.views["prepare"])


def test_every_view_the_command_line_names_opens_in_the_window(make_window, store):
    """`companion --view NAME` hands NAME to the window: each one the command line offers is a view it has."""
    from companion.cli.main import VIEWS

    window = make_window("Dr. Amara Okafor")
    window.open_visit(visit_of(store, "Lan"), "prepare")
    for name in VIEWS:
        window.show_view(name)
        assert window.current_view() == name


def _imported_visit(store, tmp_path) -> int:
    """A visit today for a patient whose record holds a long story, a private answer, her own goal and a
    clinician's lab target."""
    import json
    from datetime import datetime

    from companion.fhir.importer import import_paths

    loinc = "http://loinc.org"
    social = {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "social-history"}]
    }

    def said(oid: str, code: str, question: str, answer: str) -> dict:
        return {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "category": [social],
            "code": {"coding": [{"system": loinc, "code": code}], "text": question},
            "subject": {"reference": "Patient/rosa"},
            "effectiveDateTime": "2025-01-01T10:00:00Z",
            "valueString": answer,
        }

    def goal(gid: str, text: str, who: str) -> dict:
        return {
            "resourceType": "Goal",
            "id": gid,
            "lifecycleStatus": "active",
            "description": {"text": text},
            "subject": {"reference": "Patient/rosa"},
            "expressedBy": {"reference": who, "display": "Dr Ronald Bone" if who.startswith("Pr") else "Rosa"},
        }

    start = datetime.now().replace(hour=15, minute=30, second=0, microsecond=0).astimezone().isoformat()
    resources = [
        {"resourceType": "Patient", "id": "rosa", "name": [{"use": "official", "given": ["Rosa"], "family": "Vidal"}]},
        {
            "resourceType": "Encounter",
            "id": "today",
            "status": "planned",
            "class": {"code": "AMB"},
            "subject": {"reference": "Patient/rosa"},
            "period": {"start": start},
        },
        said("o1", "95541-9", "Care experience preference", LONG_JOY),
        said("o2", "71802-3", "Housing status", "Lives with her daughter since the flood"),
        said("o3", "67875-5", "Employment status", "Retired school cook"),
        said("o4", "93026-3", "Do you feel physically and emotionally safe where you currently live", "No"),
        goal("g1", "Dance at my granddaughter's wedding", "Patient/rosa"),
        goal("g2", "Hemoglobin A1c total in Blood < 7.0", "Practitioner/dr1"),
    ]
    path = tmp_path / "rosa.json"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    path.write_text(json.dumps(bundle), encoding="utf-8")
    import_paths(store, [path])
    from companion.services.booking import assign_visit

    visit = visit_of(store, "Rosa")
    assign_visit(store, visit, clinician_id(store, "Dr. Amara Okafor"))
    return visit


LONG_JOY = (
    "Music keeps me calm: my late husband's records, Bach cantatas on Sundays, and my granddaughter reading the "
    "paper to me when she visits after school"
)


def test_the_prep_card_shows_care_goals_apart_and_the_whole_story(make_window, store, qtbot, tmp_path):
    """The clinician's lab target is a care goal, under its own heading with who set it, never under What matters
    today; a story the glance shortens is whole here."""
    visit = _imported_visit(store, tmp_path)
    window = make_window()
    window.open_visit(visit, "prepare")
    prepare = window.views["prepare"]

    assert prepare.priorities.text() == "1. \u2068Dance at my granddaughter's wedding\u2069"
    assert "A1c" not in prepare.priorities.text()
    assert prepare.goals_title.isVisible() and prepare.goals_title.text() == "Care goals, from the health record"
    assert prepare.goals.text() == "•  \u2068Hemoglobin A1c total in Blood < 7.0\u2069  (\u2068Dr Ronald Bone\u2069)"
    shown = visible_texts(prepare)
    assert LONG_JOY in shown

    window.show_view("glance")
    glance = visible_texts(window.views["glance"])
    assert "A1c" not in glance
    assert LONG_JOY not in glance and "Music keeps me calm" in glance


def test_the_reveal_button_is_whole_in_sight_at_the_default_size_and_reveals_into_view(
    make_window, store, qtbot, tmp_path
):
    visit = _imported_visit(store, tmp_path)
    window = make_window()
    window.open_visit(visit, "prepare")
    prepare = window.views["prepare"]
    button = prepare.sensitive_button
    qtbot.waitUntil(button.isVisible)

    # Not clipped by the card's scrolling area, nor by the window: every pixel of it can be seen.
    assert button.visibleRegion().boundingRect() == button.rect()
    assert window.rect().contains(button.mapTo(window, button.rect().bottomRight()))
    assert prepare.scroll.verticalScrollBar().maximum() > 0  # the card is longer than its room

    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(prepare.sensitive.isVisible)
    viewport = prepare.scroll.viewport()

    def in_view() -> bool:  # the revealed items are brought into view, whole
        place = prepare.sensitive.rect().translated(
            prepare.sensitive.mapTo(viewport, prepare.sensitive.rect().topLeft())
        )
        return viewport.rect().contains(place)

    qtbot.waitUntil(in_view)
    assert "Do you feel physically and emotionally safe where you currently live? No" in prepare.sensitive.text()
