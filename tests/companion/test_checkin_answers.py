"""The answers a patient gives at check-in, saved with the nurse's PIN (companion.services.checkin)."""

from __future__ import annotations

from companion.services import notes, priorities, visits
from companion.services.checkin import save_checkin


def test_a_second_check_in_with_the_same_answers_adds_nothing_twice(demo_store, demo_visits):
    """The screen handed over again (the patient wanted to add something): the words already given, the agenda's
    and the practical need alike, are not listed a second time; new words are."""
    visit_id = demo_visits["Lan"]
    patient_id = visits.visit_row(demo_store, visit_id).patient_id
    answers = {"language": "en", "matters": ["My knee"], "needs": "No car on Tuesdays"}
    save_checkin(demo_store, visit_id, **answers)
    save_checkin(demo_store, visit_id, **answers | {"matters": ["My knee", "Sleep"]})

    said = [p.text for p in priorities.priorities_of_visit(demo_store, visit_id) if p.source == "patient"]
    assert said.count("My knee") == 1 and "Sleep" in said
    assert [n.text for n in notes.lasting_notes(demo_store, patient_id)].count("No car on Tuesdays") == 1
