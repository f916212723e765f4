"""The demo clinic day: realistic, varied, and safe to run twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from companion.demo import PATIENTS, seed_demo
from companion.errors import CompanionError
from companion.read.briefing import build_glance
from companion.read.models import ClinicianView
from companion.read.summary import build_summary
from companion.services import audit_trail, emotions, notes, priorities, visits
from companion.services.clinicians import add_clinician
from companion.services.patients import add_patient
from companion.storage.models import ContextNote, Patient, Priority, Visit


def test_demo_adds_a_full_clinic_day(store, today):
    added = seed_demo(store, today)

    rows = visits.list_visits(store, today)
    assert added == len(rows)
    assert len(rows) >= 6


def test_demo_keeps_non_ascii_names_exactly(demo_store, demo_visits):
    assert {"Søren", "Zoë", "Aïcha"} <= set(demo_visits)
    with demo_store.session() as session:
        recorded = set(session.exec(select(Patient.recorded_name)).all())
    assert "Nguyễn Thị Lan" in recorded
    assert "María José Hernández López" in recorded


def test_demo_has_a_patient_who_needs_an_interpreter(demo_store, demo_visits):
    glances = [build_glance(demo_store, visit_id) for visit_id in demo_visits.values()]

    needing = [g for g in glances if g.patient.interpreter_needed]
    assert needing
    assert any("interpreter" in g.to_json()["patient"]["text"] for g in needing)
    assert any(n.topic == "interpreter" for g in needing for n in g.needs)


def test_demo_has_a_tearful_cue(demo_store, demo_visits):
    cues = [cue.text for visit_id in demo_visits.values() for cue in emotions.cues_for_visit(demo_store, visit_id)]

    assert any("tearful" in text.lower() for text in cues)


def test_demo_carries_a_lasting_priority_from_an_earlier_visit(demo_store, demo_visits):
    visit_id = demo_visits["Zoë"]
    earlier_id = visits.previous_visit_id(demo_store, visit_id)
    assert earlier_id is not None

    carried = [p for p in priorities.agenda(demo_store, visit_id) if p.visit_id == earlier_id]
    assert carried
    assert all(p.scope == "lasting" for p in carried)
    shown = [p.text for p in build_glance(demo_store, visit_id).priorities]
    assert carried[0].text in shown


def test_running_the_demo_twice_adds_nothing(store, today, row_counts, db_path):
    seed_demo(store, today)
    before = row_counts(db_path)

    added_again = seed_demo(store, today)

    assert added_again == 0
    assert row_counts(db_path) == before


def test_demo_on_another_day_leaves_the_first_day_alone(store, today):
    seed_demo(store, today)
    first_day = visits.list_visits(store, today)

    seed_demo(store, date(2025, 3, 15))

    assert visits.list_visits(store, today) == first_day


def test_the_next_day_adds_that_days_visits_without_repeating_the_story(store, today):
    from datetime import timedelta

    from companion.demo import seed_demo
    from companion.read.briefing import build_glance
    from companion.services.visits import list_visits

    seed_demo(store, today)
    assert seed_demo(store, today + timedelta(days=1)) == len(PATIENTS)
    tomorrow = {row.patient_name: row.id for row in list_visits(store, today + timedelta(days=1))}

    story = [n.text for n in build_glance(store, tomorrow["Majo"]).story]
    assert story.count("Looks after her two grandchildren after school") == 1


def test_the_demo_reads_like_words_people_type_with_no_markup(demo_store):
    """Markup, emoji and right-to-left checks belong to tests with their own records: a new user opening the demo
    sees only what a nurse or a clinician would write."""
    with demo_store.session() as session:
        texts = [
            *session.exec(select(Patient.recorded_name)).all(),
            *session.exec(select(Patient.preferred_name)).all(),
            *session.exec(select(Visit.reason)).all(),
            *session.exec(select(Priority.text)).all(),
            *session.exec(select(ContextNote.text)).all(),
        ]
    assert len(texts) > 40
    assert not [text for text in texts if "<" in text or ">" in text or "&" in text]


def test_the_demo_day_has_a_video_visit_an_unassigned_one_and_a_cancelled_one(demo_store, today):
    day = visits.list_visits(demo_store, today)

    [video] = [row for row in day if row.video]
    assert video.assigned and video.open and video.patient_name == "Ruth"
    [waiting] = [row for row in day if not row.assigned]
    assert waiting.open and waiting.patient_name == "Dima"
    [cancelled] = [row for row in day if row.status == "cancelled"]
    assert cancelled.patient_name == "Esther" and not cancelled.open
    assert {row.status for row in day} >= {"roomed", "scheduled", "cancelled"}


def test_the_spanish_speaker_has_her_interpreter_booked(demo_store, demo_visits):
    glance = build_glance(demo_store, demo_visits["Majo"])

    assert glance.patient.language == "Spanish" and glance.patient.interpreter_needed
    assert [n.text for n in glance.needs if n.topic == "interpreter"] == ["Spanish interpreter by video, booked"]
    assert "Quiero entender por qué cambiaron mi pastilla" in [p.text for p in glance.priorities]


def test_the_demo_says_who_wrote_each_item(demo_store, demo_visits):
    """The nurse typed the rooming; the clinician added her own agenda item: their names, not the command line's."""
    agenda = priorities.agenda(demo_store, demo_visits["Ruth"])
    stamps = audit_trail.stamps(demo_store, "priority", [p.id for p in agenda])
    assert [(p.source, stamps[p.id].who) for p in agenda] == [
        ("patient", "Jonas Lindqvist"),
        ("patient", "Jonas Lindqvist"),
        ("clinician", "Dr. Amara Okafor"),
    ]
    story = notes.notes_for_visit(demo_store, demo_visits["Ruth"])
    assert {note.author for note in story} == {"Jonas Lindqvist"}


def test_the_summary_keeps_the_clinicians_own_item_apart_from_the_patients_words(demo_store, demo_visits):
    summary = build_summary(demo_store, demo_visits["Ruth"])

    theirs = summary.split("Priorities, in the patient's words:\n", 1)[1].split("\n\n", 1)[0]
    assert "water tablet" in theirs and "kidney" not in theirs
    assert "Also on the clinician's agenda:\n- Go over last week's kidney blood test: still open" in summary


def test_seeding_the_demo_leaves_whoever_was_acting_in_charge(store, today):
    audit_trail.act_as(ClinicianView(999, "Dr. Test", "physician"))
    seed_demo(store, today)
    visit_id = visits.list_visits(store, today)[0].id

    added = priorities.add_priority(store, visit_id, "Ask about the flu shot").result

    assert audit_trail.stamps(store, "priority", [added.id])[added.id].who == "Dr. Test"


@pytest.mark.parametrize("theirs", ["clinician", "patient"])
def test_the_demo_never_goes_into_a_clinics_own_database(store, today, row_counts, db_path, theirs):
    """Its clinicians sign in with a published PIN, and its nurse sees every visit of the day."""
    if theirs == "clinician":
        add_clinician(store, "Dr. Real Person", "physician")
    else:
        add_patient(store, "Real Patient")
    before = row_counts(db_path)

    with pytest.raises(CompanionError, match="database of its own"):
        seed_demo(store, today)

    assert row_counts(db_path) == before


def test_the_demo_runs_again_in_its_own_database_after_someone_was_added_to_try_the_window(store, today):
    seed_demo(store, today)
    add_clinician(store, "Ines Admin", "admin")  # as the README shows: an admin to try the admin's window
    add_patient(store, "Walk-in Tester")

    assert seed_demo(store, today + timedelta(days=1)) > 0  # the next day's visits


def test_the_published_pin_stops_opening_the_demo_once_a_clinics_own_clinician_signs_in_to_it(demo_store):
    """The README's set-up makes the demo in the default place; a clinic then using that database for real (its
    own physician added with a PIN, its schedule imported) left the demo nurse's printed PIN 1234 opening its day.
    An admin added to try the admin view, or the demo's own people, leave the demo as it is."""
    from companion.demo import DEMO_PIN, NURSE
    from companion.services import auth
    from companion.services.clinicians import list_clinicians

    nurse = next(c.id for c in list_clinicians(demo_store) if c.name == NURSE)
    auth.add_clinician_with_pin(demo_store, "Robin Admin", "admin", "80531")
    add_clinician(demo_store, "Dr. Imported Nopin", "physician")  # from a record: no PIN, signs in nowhere
    assert auth.sign_in(demo_store, nurse, DEMO_PIN).name == NURSE

    real = auth.add_clinician_with_pin(demo_store, "Dr. Real Doc", "physician", "61842").result
    with pytest.raises(CompanionError, match="the demo's PIN is published") as refused:
        auth.sign_in(demo_store, nurse, DEMO_PIN)
    assert not isinstance(refused.value, auth.SignInRefused)  # not a wrong PIN: a screen counting them does not
    assert auth.sign_in(demo_store, real.id, "61842").name == "Dr. Real Doc"
    with pytest.raises(auth.SignInRefused, match="wrong PIN"):  # a wrong PIN is still only that
        auth.sign_in(demo_store, nurse, "8264")
    auth.set_pin(demo_store, nurse, "70315")  # an admin gives the nurse a PIN of his own
    assert auth.sign_in(demo_store, nurse, "70315").name == NURSE


def test_a_clinics_own_clinician_whose_pin_was_1234_before_it_was_refused_still_signs_in(store):
    """PINs set before the rule that refuses 1234 still sign in: the demo's PIN closing is for the demo's people."""
    from companion.services import auth
    from companion.storage.models import Clinician

    doctor = auth.add_clinician_with_pin(store, "Dr. Early Adopter", "physician", "61842").result
    auth.add_clinician_with_pin(store, "Nurse Other", "nurse", "70315")
    with store.writing() as session:  # as a PIN set by an older version of the app was stored
        row = session.get(Clinician, doctor.id)
        row.pin_hash = auth._hasher.hash("1234")
        session.add(row)
        session.commit()
    assert auth.sign_in(store, doctor.id, "1234").name == "Dr. Early Adopter"
