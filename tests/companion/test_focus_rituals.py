"""Each clinician's focus ritual: the clinic's default until they write their own, and its runs."""

from __future__ import annotations

import pytest

from companion.errors import CompanionError
from companion.services import rituals, visits
from companion.storage.models import VisitStatus
from tests.records import ritual_runs


def test_a_clinician_starts_with_the_clinic_default(store, clinician_id):
    ritual = rituals.get_ritual(store, clinician_id)

    assert ritual.is_default
    assert ritual.steps == store.content.ritual_steps
    assert ritual.steps
    assert ritual.pause_seconds == store.content.ritual_pause_seconds


def test_a_saved_ritual_replaces_the_default(store, clinician_id):
    rituals.save_ritual(store, clinician_id, ["Hand on the door handle", "", "  Breathe out slowly  "], 10)

    ritual = rituals.get_ritual(store, clinician_id)
    assert not ritual.is_default
    assert ritual.steps == ("Hand on the door handle", "Breathe out slowly")
    assert ritual.pause_seconds == 10


def test_saving_again_replaces_the_earlier_ritual(store, clinician_id):
    rituals.save_ritual(store, clinician_id, ["One"], 5)

    rituals.save_ritual(store, clinician_id, ["Two", "Three"], 0)

    ritual = rituals.get_ritual(store, clinician_id)
    assert ritual.steps == ("Two", "Three")
    assert ritual.pause_seconds == 0


def test_one_clinicians_ritual_is_not_anothers(store, clinician_id):
    from companion.services.clinicians import add_clinician

    other = add_clinician(store, "Dr. Other", "physician").result
    rituals.save_ritual(store, clinician_id, ["Mine"], 15)

    assert rituals.get_ritual(store, other.id).is_default


@pytest.mark.parametrize(
    ("steps", "pause", "message"),
    [
        ([], 20, "at least one step"),
        (["  ", ""], 20, "at least one step"),
        ([f"step {i}" for i in range(9)], 20, "at most 8 steps"),
        (["Breathe"], -1, "between 0 and 300"),
        (["Breathe"], 301, "between 0 and 300"),
        (["x" * 201], 20, "limit is 200"),
    ],
)
def test_an_invalid_ritual_is_refused_and_the_old_one_kept(store, clinician_id, steps, pause, message):
    rituals.save_ritual(store, clinician_id, ["Keep me"], 30)

    with pytest.raises(CompanionError, match=message):
        rituals.save_ritual(store, clinician_id, steps, pause)

    ritual = rituals.get_ritual(store, clinician_id)
    assert (ritual.steps, ritual.pause_seconds) == (("Keep me",), 30)


def test_saving_a_ritual_for_an_unknown_clinician_is_refused(store):
    with pytest.raises(CompanionError, match="no clinician with id 42"):
        rituals.save_ritual(store, 42, ["Breathe"], 10)


@pytest.mark.parametrize("before", [VisitStatus.scheduled, VisitStatus.roomed])
def test_running_the_ritual_marks_the_visit_prepared(store, patient_id, clinician_id, make_visit, before):
    visit_id = make_visit(patient_id, clinician_id, status=before)

    rituals.record_run(store, visit_id, clinician_id, paused_seconds=20, completed=True)

    assert visits.visit_row(store, visit_id).status == "prepared"
    assert ritual_runs(store, visit_id) == 1


def test_a_ritual_run_does_not_move_a_visit_backwards(store, patient_id, clinician_id, make_visit):
    visit_id = make_visit(patient_id, clinician_id, status=VisitStatus.in_visit)

    rituals.record_run(store, visit_id, clinician_id, paused_seconds=5, completed=False)

    assert visits.visit_row(store, visit_id).status == "in_visit"
    assert ritual_runs(store, visit_id) == 1


def test_a_run_for_an_unknown_visit_is_refused(store, clinician_id):
    with pytest.raises(CompanionError, match="no visit with id 7"):
        rituals.record_run(store, 7, clinician_id, paused_seconds=20, completed=True)
