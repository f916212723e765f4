"""Priorities in the patient's own words: added in order, reordered, and followed to later visits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.errors import CompanionError
from companion.services import priorities


def texts(items) -> list[str]:
    return [item.text for item in items]


def test_added_priority_keeps_the_patients_words(store, visit_id):
    added = priorities.add_priority(store, visit_id, "  I want to sleep through the night  ").result

    assert added.text == "I want to sleep through the night"
    assert added.source == "patient"
    assert added.state == "open"
    assert texts(priorities.agenda(store, visit_id)) == ["I want to sleep through the night"]


def test_priorities_are_listed_in_the_order_they_were_added(store, visit_id):
    for text in ("first", "second", "third"):
        priorities.add_priority(store, visit_id, text)

    agenda = priorities.agenda(store, visit_id)
    assert texts(agenda) == ["first", "second", "third"]
    assert [p.rank for p in agenda] == sorted(p.rank for p in agenda)


def test_reorder_changes_the_agreed_order(store, visit_id):
    first, second, third = (priorities.add_priority(store, visit_id, t).result for t in ("first", "second", "third"))

    changed = priorities.reorder(store, visit_id, [third.id, first.id, second.id])

    assert changed.visit_ids == {visit_id}
    assert texts(priorities.agenda(store, visit_id)) == ["third", "first", "second"]


def test_a_priority_added_after_reordering_goes_last(store, visit_id):
    a, b = (priorities.add_priority(store, visit_id, t).result for t in ("a", "b"))
    priorities.reorder(store, visit_id, [b.id, a.id])

    priorities.add_priority(store, visit_id, "c")

    assert texts(priorities.agenda(store, visit_id)) == ["b", "a", "c"]


def test_reorder_with_a_stale_list_is_refused_and_keeps_the_order(store, visit_id):
    a, b = (priorities.add_priority(store, visit_id, t).result for t in ("a", "b"))
    priorities.retract_priority(store, a.id, "entered twice")  # at another desk, while this list was shown

    with pytest.raises(CompanionError, match="does not match"):
        priorities.reorder(store, visit_id, [b.id, a.id])
    with pytest.raises(CompanionError, match="does not match"):
        priorities.reorder(store, visit_id, [b.id, b.id])

    assert texts(priorities.agenda(store, visit_id)) == ["b"]


def test_reorder_keeps_the_items_not_in_the_list_after_it_in_their_order(store, visit_id):
    """The glance orders what it shows; private items (and any added meanwhile) keep their order after them."""
    a, b = (priorities.add_priority(store, visit_id, t).result for t in ("a", "b"))
    priorities.add_priority(store, visit_id, "HIV test result", sensitive=True)
    priorities.add_priority(store, visit_id, "c")

    priorities.reorder(store, visit_id, [b.id, a.id])

    assert texts(priorities.agenda(store, visit_id)) == ["b", "a", "HIV test result", "c"]


def test_lasting_priority_is_carried_to_the_next_visit_of_the_same_patient(
    store, patient_id, clinician_id, make_visit, today
):
    first = make_visit(patient_id, clinician_id, day=today - timedelta(days=30))
    nxt = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, first, "Walk my daughter down the aisle", lasting=True)
    priorities.add_priority(store, first, "Refill my inhaler")

    carried = priorities.agenda(store, nxt)

    assert texts(carried) == ["Walk my daughter down the aisle"]
    assert carried[0].scope == "lasting"


def test_lasting_priority_is_not_shown_to_another_patient(store, clinician_id, make_patient, make_visit, today):
    ana = make_patient("Ana")
    ben = make_patient("Ben")
    ana_visit = make_visit(ana, clinician_id, day=today - timedelta(days=7))
    ben_visit = make_visit(ben, clinician_id, day=today)
    priorities.add_priority(store, ana_visit, "Keep my garden going", lasting=True)

    assert priorities.agenda(store, ben_visit) == []


def test_lasting_priority_is_not_carried_back_to_an_earlier_visit(store, patient_id, clinician_id, make_visit, today):
    earlier = make_visit(patient_id, clinician_id, day=today - timedelta(days=30))
    later = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, later, "Travel to see my sister", lasting=True)

    assert priorities.agenda(store, earlier) == []


def test_addressed_lasting_priority_is_not_carried(store, patient_id, clinician_id, make_visit, today):
    first = make_visit(patient_id, clinician_id, day=today - timedelta(days=30))
    nxt = make_visit(patient_id, clinician_id, day=today)
    done = priorities.add_priority(store, first, "Stop smoking", lasting=True).result
    priorities.add_priority(store, first, "Get back to swimming", lasting=True)

    priorities.set_state(store, done.id, "addressed")

    assert texts(priorities.agenda(store, nxt)) == ["Get back to swimming"]


def test_unknown_source_or_state_is_refused(store, visit_id):
    with pytest.raises(CompanionError, match="unknown source"):
        priorities.add_priority(store, visit_id, "x", source="robot")
    added = priorities.add_priority(store, visit_id, "x").result
    with pytest.raises(CompanionError, match="unknown priority state"):
        priorities.set_state(store, added.id, "forgotten")

    assert [p.state for p in priorities.agenda(store, visit_id)] == ["open"]


@pytest.mark.parametrize("text", ["", "   \n\t ", "x" * 2001])
def test_empty_or_overlong_priority_is_refused(store, visit_id, text):
    with pytest.raises(CompanionError):
        priorities.add_priority(store, visit_id, text)

    assert priorities.agenda(store, visit_id) == []


def test_priority_for_an_unknown_visit_is_refused(store):
    with pytest.raises(CompanionError, match="no visit with id 999"):
        priorities.add_priority(store, 999, "anything")
