"""Private reflection: opt-in, only the clinician's own finished visits, one week at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.errors import CompanionError
from companion.services import emotions, encounter, notes, reflection, rituals
from companion.storage.models import VisitStatus

NURSE = "Jonas Lindqvist"
MONDAY = date(2025, 3, 10)  # the week of the fixed clinic day, Friday 2025-03-14


@pytest.fixture
def reflecting(store, clinician_id) -> int:
    """The default clinician, having turned private reflection on."""
    reflection.set_reflection(store, clinician_id, True)
    return clinician_id


@pytest.fixture
def done_visit(store, make_patient, make_visit):
    """done_visit(clinician_id, day=..., at=...) -> id of a visit that went start to finish."""

    def make(clinician_id: int, day: date = date(2025, 3, 14), at: str = "09:00") -> int:
        visit_id = make_visit(make_patient(), clinician_id, day=day, at=at)
        encounter.start_listening(store, visit_id)
        encounter.stop_listening(store, visit_id)
        encounter.finish_visit(store, visit_id)
        return visit_id

    return make


def week_ids(store, clinician_id, day: date = date(2025, 3, 14)) -> list[int]:
    return [v.visit_id for v in reflection.week_practice(store, clinician_id, day).visits]


def only_visit(store, clinician_id):
    (visit,) = reflection.week_practice(store, clinician_id, date(2025, 3, 14)).visits
    return visit


def test_reflection_is_off_until_the_clinician_turns_it_on(store, clinician_id, done_visit):
    done_visit(clinician_id)

    assert reflection.reflection_enabled(store, clinician_id) is False
    with pytest.raises(CompanionError, match="private reflection is off for this clinician"):
        reflection.week_practice(store, clinician_id, date(2025, 3, 14))


def test_reflection_can_be_turned_off_again(store, reflecting):
    reflection.set_reflection(store, reflecting, False)

    assert reflection.reflection_enabled(store, reflecting) is False
    with pytest.raises(CompanionError, match="private reflection is off"):
        reflection.week_practice(store, reflecting, date(2025, 3, 14))


def test_turning_it_on_for_one_clinician_leaves_the_others_off(store, reflecting, make_clinician):
    colleague = make_clinician("Dr. Other")

    assert reflection.reflection_enabled(store, reflecting) is True
    assert reflection.reflection_enabled(store, colleague) is False


def test_an_unknown_clinician_is_a_clear_error(store):
    with pytest.raises(CompanionError, match="no clinician with id 77"):
        reflection.set_reflection(store, 77, True)
    with pytest.raises(CompanionError, match="no clinician with id 77"):
        reflection.week_practice(store, 77, date(2025, 3, 14))


def test_only_finished_visits_of_the_week_are_included_in_time_order(
    store, reflecting, done_visit, make_patient, make_visit
):
    afternoon = done_visit(reflecting, at="14:00")
    monday = done_visit(reflecting, day=MONDAY, at="08:00")
    sunday_night = done_visit(reflecting, day=MONDAY + timedelta(days=6), at="23:30")
    make_visit(make_patient(), reflecting, at="15:00", status=VisitStatus.in_visit)
    make_visit(make_patient(), reflecting, at="16:00")

    week = reflection.week_practice(store, reflecting, date(2025, 3, 14))

    assert week.week_start == MONDAY
    assert [v.visit_id for v in week.visits] == [monday, afternoon, sunday_night]


def test_any_day_of_the_week_gives_the_same_week(store, reflecting, done_visit):
    visit_id = done_visit(reflecting)

    for offset in range(7):
        assert week_ids(store, reflecting, MONDAY + timedelta(days=offset)) == [visit_id]


def test_visits_of_another_week_are_left_out(store, reflecting, done_visit):
    done_visit(reflecting, day=MONDAY - timedelta(days=1), at="23:30")
    done_visit(reflecting, day=MONDAY + timedelta(days=7), at="08:00")
    this_week = done_visit(reflecting)

    assert week_ids(store, reflecting) == [this_week]
    assert len(week_ids(store, reflecting, MONDAY - timedelta(days=1))) == 1


def test_another_clinicians_visits_are_never_included(store, reflecting, done_visit, make_clinician):
    colleague = make_clinician("Dr. Other")
    reflection.set_reflection(store, colleague, True)
    mine = done_visit(reflecting, at="09:00")
    theirs = done_visit(colleague, at="10:00")

    assert week_ids(store, reflecting) == [mine]
    assert week_ids(store, colleague) == [theirs]


def test_a_visit_with_nothing_practised_shows_each_practice_missing(store, reflecting, done_visit):
    visit_id = done_visit(reflecting)

    visit = only_visit(store, reflecting)

    assert visit.visit_id == visit_id
    assert visit.reason == "Check-up"
    assert (visit.agenda_elicited, visit.ritual_done, visit.cues_explored, visit.teach_back) == (
        False,
        False,
        None,
        False,
    )


def test_each_practice_is_seen_when_it_was_done(store, reflecting, patient_id, make_visit):
    visit_id = make_visit(patient_id, reflecting)
    rituals.record_run(store, visit_id, reflecting, paused_seconds=20, completed=True)
    encounter.start_listening(store, visit_id)
    encounter.stop_listening(store, visit_id)
    encounter.ask_something_else(store, visit_id)
    encounter.agree_agenda(store, visit_id)
    cue = emotions.add_cue(store, visit_id, "Tearful about her husband", NURSE).result
    emotions.set_step(store, cue.id, "name", True)
    encounter.set_close_check(store, visit_id, "teach_back", True)
    encounter.finish_visit(store, visit_id)

    visit = only_visit(store, reflecting)

    assert (visit.agenda_elicited, visit.ritual_done, visit.cues_explored, visit.teach_back) == (True,) * 4


def test_agreeing_an_agenda_without_asking_for_something_else_is_not_eliciting_it(
    store, reflecting, patient_id, make_visit
):
    visit_id = make_visit(patient_id, reflecting)
    encounter.agree_agenda(store, visit_id)
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).agenda_elicited is False


def test_a_cue_without_any_nurse_step_is_not_explored(store, reflecting, patient_id, make_visit):
    visit_id = make_visit(patient_id, reflecting)
    emotions.add_cue(store, visit_id, "Went quiet about work", NURSE)
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).cues_explored is False


def test_every_cue_must_be_explored(store, reflecting, patient_id, make_visit):
    visit_id = make_visit(patient_id, reflecting)
    explored = emotions.add_cue(store, visit_id, "Tearful about her husband", NURSE).result
    emotions.set_step(store, explored.id, "understand", True)
    emotions.add_cue(store, visit_id, "Went quiet about work", NURSE)
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).cues_explored is False


def test_a_retracted_cue_does_not_count(store, reflecting, patient_id, make_visit):
    visit_id = make_visit(patient_id, reflecting)
    cue = emotions.add_cue(store, visit_id, "Tearful (wrong patient)", NURSE).result
    notes.retract_note(store, cue.id, "entered on the wrong visit")
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).cues_explored is None


def test_a_ritual_cut_short_is_not_a_ritual_done(store, reflecting, patient_id, make_visit):
    visit_id = make_visit(patient_id, reflecting)
    rituals.record_run(store, visit_id, reflecting, paused_seconds=0, completed=False)
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).ritual_done is False


def test_a_colleagues_ritual_on_my_visit_is_not_mine(store, reflecting, patient_id, make_visit, make_clinician):
    colleague = make_clinician("Dr. Other")
    visit_id = make_visit(patient_id, reflecting)
    rituals.record_run(store, visit_id, colleague, paused_seconds=20, completed=True)
    encounter.finish_visit(store, visit_id)

    assert only_visit(store, reflecting).ritual_done is False


def test_week_share_counts_the_visits_where_a_practice_applied(store, reflecting, make_patient, make_visit):
    plain = make_visit(make_patient(), reflecting, at="09:00")
    explored = make_visit(make_patient(), reflecting, at="10:00")
    missed = make_visit(make_patient(), reflecting, at="11:00")
    cue = emotions.add_cue(store, explored, "Tearful about her husband", NURSE).result
    emotions.set_step(store, cue.id, "respect", True)
    emotions.add_cue(store, missed, "Went quiet about work", NURSE)
    for visit_id in (plain, explored):
        encounter.set_close_check(store, visit_id, "teach_back", True)
    encounter.ask_something_else(store, missed)
    for visit_id in (plain, explored, missed):
        encounter.finish_visit(store, visit_id)

    week = reflection.week_practice(store, reflecting, date(2025, 3, 14))

    assert week.share("teach_back") == (2, 3)
    assert week.share("agenda_elicited") == (1, 3)
    assert week.share("ritual_done") == (0, 3)
    assert week.share("cues_explored") == (1, 2)


def test_an_empty_week_shares_nothing(store, reflecting):
    week = reflection.week_practice(store, reflecting, date(2025, 3, 14))

    assert week.visits == ()
    assert [week.share(key) for key, _label in reflection.PRACTICES] == [(0, 0)] * 4
