"""A portal's "what matters today" that reaches the clinic before its visit: the visit that comes, imported, booked
by hand or read from a schedule, opens with the patient's words as today's priorities, and no visit that never took
place stays in the day's list. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from companion.read.briefing import build_prep_card
from companion.services.booking import add_visit
from companion.services.encounter import agree_agenda
from companion.services.schedule_import import import_schedule
from companion.services.visits import list_visits
from tests.companion.fhir_samples import (
    appointment,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    goal,
    load,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
    what_matters,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")

WORDS = ["My mother's fall last week", "Whether I can drive again"]


def ana(store) -> int:
    return patient_by_key(store, "Patient/p1").id


def today_words(store, visit_id: int) -> list[str]:
    return [item.text for item in build_prep_card(store, visit_id).priorities]


def answered_before_any_visit(store, tmp_path) -> None:
    load(store, tmp_path, patient("p1"), what_matters("q1", WORDS, authored="2025-03-14T07:30:00+00:00"))


def test_a_visit_booked_after_the_answers_opens_with_them_and_no_visit_that_never_was_stays(store, tmp_path):
    answered_before_any_visit(store, tmp_path)

    booked = add_visit(store, ana(store), None, datetime(2025, 3, 14, 16, 0), "Follow-up").result

    assert today_words(store, booked.id) == WORDS
    assert [visit.id for visit in visits_of(store, ana(store))] == [booked.id]
    assert [row.id for row in list_visits(store, datetime(2025, 3, 14).date())] == [booked.id]  # the day's list


def test_an_encounter_imported_after_the_answers_takes_them(store, tmp_path):
    answered_before_any_visit(store, tmp_path)

    load(store, tmp_path, encounter("e1", start="2025-03-14T15:00:00+00:00"), name="ehr.json")

    [visit] = visits_of(store, ana(store))
    assert visit.scheduled_at == datetime(2025, 3, 14, 15, 0)
    assert today_words(store, visit.id) == WORDS


def test_a_schedule_booking_the_patient_after_the_answers_gives_them_to_that_visit(store, tmp_path):
    answered_before_any_visit(store, tmp_path)
    day = tmp_path / "day.csv"
    day.write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason\n"
        "A1,2025-03-14,11:00,Ana Lima,,,,Knee pain\n",
        encoding="utf-8",
    )

    import_schedule(store, day)

    [visit] = visits_of(store, ana(store))
    assert (visit.scheduled_at, today_words(store, visit.id)) == (datetime(2025, 3, 14, 11, 0), WORDS)


def test_answers_naming_an_encounter_of_a_patient_with_no_visit_leave_no_record_visit_behind(store, tmp_path):
    named = what_matters("q1", WORDS, authored="2025-03-14T07:30:00+00:00", encounter={"reference": "Encounter/e1"})
    load(store, tmp_path, patient("p1"), named)

    load(store, tmp_path, encounter("e1", start="2025-03-14T15:00:00+00:00"), name="ehr.json")

    [visit] = visits_of(store, ana(store))
    assert (visit.scheduled_at, today_words(store, visit.id)) == (datetime(2025, 3, 14, 15, 0), WORDS)


def test_answers_naming_an_encounter_not_imported_yet_move_to_it_from_the_visit_that_held_them(store, tmp_path):
    earlier = encounter("e0", start="2025-03-14T08:00:00+00:00")
    named = what_matters("q1", WORDS, authored="2025-03-14T07:30:00+00:00", encounter={"reference": "Encounter/e1"})
    load(store, tmp_path, patient("p1"), earlier, named)
    [morning] = visits_of(store, ana(store))
    assert today_words(store, morning.id) == WORDS  # filed where they could be meanwhile

    load(store, tmp_path, encounter("e1", start="2025-03-14T15:00:00+00:00"), name="ehr.json")

    morning_then, afternoon = visits_of(store, ana(store))
    assert (morning_then.id, today_words(store, morning.id)) == (morning.id, [])
    assert today_words(store, afternoon.id) == WORDS
    assert {item.filed_under for item in priorities_of(store, ana(store))} == {None}


def test_a_visit_before_the_day_they_answered_does_not_take_their_words(store, tmp_path):
    answered_before_any_visit(store, tmp_path)

    load(store, tmp_path, encounter("e1", start="2025-02-03T09:00:00+00:00"), name="last-month.json")

    held, february = visits_of(store, ana(store))[::-1]  # the record visit is dated the day they answered
    assert february.scheduled_at == datetime(2025, 2, 3, 9, 0)
    assert (today_words(store, february.id), today_words(store, held.id)) == ([], WORDS)


def test_a_lasting_goal_stays_on_the_record_visit_that_holds_it_when_today_s_words_move(store, tmp_path):
    garden = goal("g1", "Keep my garden", expressed_by="Patient/p1") | {"startDate": "2025-01-10"}
    load(store, tmp_path, patient("p1"), garden)
    load(store, tmp_path, what_matters("q1", WORDS, authored="2025-03-14T07:30:00+00:00"), name="portal.json")

    booked = add_visit(store, ana(store), None, datetime(2025, 3, 14, 16, 0)).result

    assert today_words(store, booked.id) == ["Keep my garden", *WORDS]  # a lasting goal follows them to every visit
    assert len(visits_of(store, ana(store))) == 2  # the record visit still holds the goal
    assert {item.text for item in priorities_of(store, ana(store)) if item.visit_id != booked.id} == {"Keep my garden"}


def test_words_a_clinician_has_agreed_on_stay_when_the_encounter_they_named_comes_as_another_visit(store, tmp_path):
    """The patient is in the room with the agenda agreed when the EHR's Encounter arrives and is not matched to the
    visit booked here: the visit under way keeps its agenda."""
    load(store, tmp_path, patient("p1"), name="people.json")
    booked = add_visit(store, ana(store), None, datetime(2025, 3, 14, 9, 0)).result
    named = what_matters("q1", WORDS, authored="2025-03-14T07:30:00+00:00", encounter={"reference": "Encounter/e1"})
    load(store, tmp_path, named, name="portal.json")
    assert today_words(store, booked.id) == WORDS
    agree_agenda(store, booked.id)

    load(store, tmp_path, encounter("e1", start="2025-03-14T15:00:00+00:00"), name="ehr.json")

    assert today_words(store, booked.id) == WORDS


@pytest.mark.parametrize(
    "gone",
    [
        encounter("e1", start="2025-03-14T10:00:00+00:00", status="cancelled"),
        appointment("a1", status="noshow", start="2025-03-14T10:00:00+00:00"),
    ],
)
def test_a_visit_that_will_not_take_place_takes_no_words_and_the_next_one_does(store, tmp_path, gone):
    answered_before_any_visit(store, tmp_path)
    load(store, tmp_path, gone, encounter("e2", start="2025-03-14T15:00:00+00:00"), name="ehr.json")

    first, second = [
        visit for visit in visits_of(store, ana(store)) if visit.reason != "Imported from the health record"
    ]
    assert (today_words(store, first.id), today_words(store, second.id)) == ([], WORDS)


def test_the_earliest_visit_to_come_takes_the_words_whatever_order_the_file_lists_them_in(store, tmp_path):
    answered_before_any_visit(store, tmp_path)
    follow_up = encounter("e2", start="2025-04-14T09:00:00+00:00")
    today = encounter("e1", start="2025-03-14T15:00:00+00:00")
    load(store, tmp_path, follow_up, today, name="ehr.json")

    march, april = visits_of(store, ana(store))
    assert (today_words(store, march.id), today_words(store, april.id)) == (WORDS, [])


def test_a_finished_visit_imported_for_the_day_keeps_the_record_visit_s_words_for_the_visit_to_come(store, tmp_path):
    """A history of finished visits arriving after the answers is history: the words wait for a visit to come."""
    answered_before_any_visit(store, tmp_path)
    load(store, tmp_path, encounter("e0", start="2025-03-14T08:00:00+00:00", status="finished"), name="history.json")
    booked = add_visit(store, ana(store), None, datetime(2025, 3, 21, 9, 0)).result

    assert today_words(store, booked.id) == WORDS
