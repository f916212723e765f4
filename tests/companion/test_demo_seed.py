"""The demo clinic day: realistic, varied, and safe to run twice."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from companion.demo import seed_demo
from companion.read.briefing import build_glance
from companion.services import emotions, priorities, visits
from companion.storage.models import Patient


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
    assert seed_demo(store, today + timedelta(days=1)) == 7
    tomorrow = {row.patient_name: row.id for row in list_visits(store, today + timedelta(days=1))}

    story = [n.text for n in build_glance(store, tomorrow["Majo"]).story]
    assert story.count("Looks after her two grandchildren after school") == 1
