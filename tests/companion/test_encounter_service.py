"""The conversation in the visit: listen, agree on what matters, close well, and what reaches the next visit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from companion.errors import CompanionError
from companion.read.briefing import build_glance, build_prep_card
from companion.services import encounter, priorities, visits
from companion.storage.models import Visit, VisitStatus
from companion.text import MAX_TEXT

AUTHOR = "Dr. Amara Osei"


def texts(items) -> list[str]:
    return [item.text for item in items]


def stage(store, visit_id) -> str:
    return encounter.conversation(store, visit_id).stage


def stored_visit(store, visit_id) -> Visit:
    with store.session() as session:
        return session.get(Visit, visit_id)


# --- the conversation, stage by stage ---


def test_a_visit_goes_from_arrive_to_done_stage_by_stage(store, visit_id):
    assert stage(store, visit_id) == "arrive"

    encounter.start_listening(store, visit_id)
    assert stage(store, visit_id) == "listening"
    assert build_glance(store, visit_id).stage == "listening"

    encounter.stop_listening(store, visit_id)
    assert stage(store, visit_id) == "agenda"

    encounter.agree_agenda(store, visit_id)
    assert stage(store, visit_id) == "visit"

    encounter.finish_visit(store, visit_id)
    assert stage(store, visit_id) == "done"
    assert build_glance(store, visit_id).stage == "done"
    assert visits.visit_row(store, visit_id).status == "done"


@pytest.mark.parametrize("before", [VisitStatus.scheduled, VisitStatus.roomed, VisitStatus.prepared])
def test_a_visit_not_yet_started_is_at_arrive(store, patient_id, clinician_id, make_visit, before):
    assert stage(store, make_visit(patient_id, clinician_id, status=before)) == "arrive"


def test_the_glance_points_to_the_practice_of_each_stage(store, visit_id):
    priorities.add_priority(store, visit_id, "My knee")

    encounter.start_listening(store, visit_id)
    assert build_glance(store, visit_id).prep_cue.key == "listen"

    encounter.stop_listening(store, visit_id)
    assert build_glance(store, visit_id).prep_cue.key == "agree"

    encounter.agree_agenda(store, visit_id)
    assert build_glance(store, visit_id).prep_cue.key == "connect"


def test_start_listening_puts_the_visit_in_progress(store, patient_id, clinician_id, make_visit):
    visit_id = make_visit(patient_id, clinician_id, status=VisitStatus.prepared)

    changed = encounter.start_listening(store, visit_id)

    assert visits.visit_row(store, visit_id).status == "in_visit"
    assert changed.visit_ids == {visit_id}
    assert changed.patient_ids == {patient_id}
    talk = encounter.conversation(store, visit_id)
    assert talk.listen_started_at is not None
    assert talk.listen_seconds is None


def test_stop_listening_records_how_long_the_patient_spoke(store, visit_id):
    encounter.start_listening(store, visit_id)

    encounter.stop_listening(store, visit_id)

    seconds = encounter.conversation(store, visit_id).listen_seconds
    assert seconds is not None
    assert seconds >= 0


def test_starting_again_clears_the_last_listen_time(store, visit_id):
    encounter.start_listening(store, visit_id)
    encounter.stop_listening(store, visit_id)

    encounter.start_listening(store, visit_id)

    assert encounter.conversation(store, visit_id).listen_seconds is None
    assert stage(store, visit_id) == "listening"


def test_stop_without_start_is_a_clear_error(store, visit_id):
    with pytest.raises(CompanionError, match="listening was not started"):
        encounter.stop_listening(store, visit_id)

    assert encounter.conversation(store, visit_id).listen_seconds is None
    assert stage(store, visit_id) == "arrive"


def test_a_done_visit_cannot_be_started_again(store, visit_id):
    encounter.finish_visit(store, visit_id)

    with pytest.raises(CompanionError, match=f"visit {visit_id} is already done"):
        encounter.start_listening(store, visit_id)

    assert visits.visit_row(store, visit_id).status == "done"
    assert encounter.conversation(store, visit_id).listen_started_at is None


def test_something_else_is_recorded_once(store, visit_id):
    assert encounter.conversation(store, visit_id).something_else_asked is False

    encounter.ask_something_else(store, visit_id)
    first = stored_visit(store, visit_id).something_else_asked_at
    encounter.ask_something_else(store, visit_id)

    assert encounter.conversation(store, visit_id).something_else_asked is True
    assert first is not None
    assert stored_visit(store, visit_id).something_else_asked_at == first


def test_agreeing_the_agenda_moves_on_to_the_visit(store, visit_id):
    encounter.start_listening(store, visit_id)
    encounter.stop_listening(store, visit_id)

    encounter.agree_agenda(store, visit_id)

    talk = encounter.conversation(store, visit_id)
    assert talk.agenda_agreed is True
    assert talk.stage == "visit"
    assert visits.visit_row(store, visit_id).status == "in_visit"


def test_agreeing_the_agenda_after_the_visit_keeps_it_done(store, visit_id):
    encounter.finish_visit(store, visit_id)

    encounter.agree_agenda(store, visit_id)

    assert visits.visit_row(store, visit_id).status == "done"
    assert encounter.conversation(store, visit_id).agenda_agreed is True


@pytest.mark.parametrize("check", ["teach_back", "ask_tell_ask"])
def test_a_closing_check_can_be_ticked_and_unticked(store, visit_id, check):
    assert getattr(encounter.conversation(store, visit_id), check) is False

    encounter.set_close_check(store, visit_id, check, True)
    assert getattr(encounter.conversation(store, visit_id), check) is True

    encounter.set_close_check(store, visit_id, check, False)
    assert getattr(encounter.conversation(store, visit_id), check) is False


def test_the_two_closing_checks_are_independent(store, visit_id):
    encounter.set_close_check(store, visit_id, "teach_back", True)

    talk = encounter.conversation(store, visit_id)
    assert (talk.teach_back, talk.ask_tell_ask) == (True, False)


def test_an_unknown_closing_check_is_refused(store, visit_id):
    with pytest.raises(CompanionError, match="unknown closing check; use teach_back or ask_tell_ask"):
        encounter.set_close_check(store, visit_id, "hand_shake", True)

    talk = encounter.conversation(store, visit_id)
    assert (talk.teach_back, talk.ask_tell_ask) == (False, False)


@pytest.mark.parametrize(
    "action",
    [
        encounter.conversation,
        encounter.start_listening,
        encounter.stop_listening,
        encounter.ask_something_else,
        encounter.agree_agenda,
        encounter.finish_visit,
        encounter.next_visit_id,
        encounter.next_steps,
    ],
)
def test_an_unknown_visit_is_a_clear_error(store, action):
    with pytest.raises(CompanionError, match="no visit with id 999"):
        action(store, 999)


# --- closing the visit: what becomes of each priority ---


def test_finishing_defers_what_is_still_open_and_keeps_the_rest(store, visit_id):
    sleep = priorities.add_priority(store, visit_id, "Talk about my sleep").result
    flu = priorities.add_priority(store, visit_id, "Flu shot").result
    garden = priorities.add_priority(store, visit_id, "Garden again", lasting=True).result
    priorities.set_state(store, flu.id, "addressed")

    changed = encounter.finish_visit(store, visit_id)

    states = {p.text: p.state for p in priorities.priorities_of_visit(store, visit_id)}
    assert states == {sleep.text: "deferred", flu.text: "addressed", garden.text: "open"}
    assert {"priority", "visit"} <= changed.kinds and changed.visit_ids == {visit_id}
    assert visits.visit_row(store, visit_id).status == "done"


def test_the_deferred_item_shows_on_the_patients_next_prep_card(store, patient_id, clinician_id, make_visit, today):
    first = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    second = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, first, "Talk about my sleep")
    flu = priorities.add_priority(store, first, "Flu shot").result
    priorities.set_state(store, flu.id, "addressed")

    encounter.finish_visit(store, first)

    assert texts(build_prep_card(store, second).open_from_last_visit) == ["Talk about my sleep"]


def test_another_patients_deferred_item_stays_off_the_prep_card(
    store, patient_id, clinician_id, make_patient, make_visit, today
):
    other = make_patient("Other Patient")
    theirs = make_visit(other, clinician_id, day=today - timedelta(days=7))
    mine = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, theirs, "Talk about my sleep")
    encounter.finish_visit(store, theirs)

    assert build_prep_card(store, mine).open_from_last_visit == ()


def test_lasting_priorities_from_earlier_show_as_from_earlier(store, patient_id, clinician_id, make_visit, today):
    earlier = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    this = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, earlier, "Wanted to garden again", lasting=True)
    encounter.finish_visit(store, earlier)
    priorities.add_priority(store, this, "Walk to the market", lasting=True)
    priorities.add_priority(store, this, "Refill inhaler")

    card = build_prep_card(store, this)

    assert texts(card.from_earlier) == ["Wanted to garden again"]
    assert "Walk to the market" in texts(card.priorities)


def test_a_lasting_priority_once_addressed_is_no_longer_from_earlier(
    store, patient_id, clinician_id, make_visit, today
):
    earlier = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    this = make_visit(patient_id, clinician_id, day=today)
    garden = priorities.add_priority(store, earlier, "Wanted to garden again", lasting=True).result
    priorities.set_state(store, garden.id, "addressed")

    assert build_prep_card(store, this).from_earlier == ()


# --- the next visit after this one ---


def test_next_visit_is_the_same_clinicians_next_one_that_day(store, make_patient, make_visit, clinician_id):
    a, b, c = (make_patient(name) for name in ("A", "B", "C"))
    first = make_visit(a, clinician_id, at="09:00")
    third = make_visit(c, clinician_id, at="11:00")
    second = make_visit(b, clinician_id, at="10:00")

    assert encounter.next_visit_id(store, first) == second
    assert encounter.next_visit_id(store, second) == third


def test_next_visit_skips_visits_already_done_and_earlier_ones(store, make_patient, make_visit, clinician_id):
    a, b, c, d = (make_patient(name) for name in ("A", "B", "C", "D"))
    earlier = make_visit(a, clinician_id, at="08:00")
    current = make_visit(b, clinician_id, at="09:00")
    make_visit(c, clinician_id, at="10:00", status=VisitStatus.done)
    waiting = make_visit(d, clinician_id, at="11:00")

    assert encounter.next_visit_id(store, current) == waiting  # neither the 08:00 nor the one already done
    assert encounter.next_visit_id(store, earlier) == current


def test_after_the_days_last_visit_the_next_is_the_earliest_one_still_open(
    store, make_patient, make_visit, clinician_id
):
    """A late patient seen first: once the day's last visit is finished, the recentre pause offers the 08:00 still
    waiting, not "no more visits today"."""
    a, b, c = (make_patient(name) for name in ("A", "B", "C"))
    waiting = make_visit(a, clinician_id, at="08:00")
    make_visit(b, clinician_id, at="09:00", status=VisitStatus.done)
    last = make_visit(c, clinician_id, at="16:30")

    assert encounter.next_visit_id(store, last) == waiting


def test_there_is_no_next_visit_at_the_end_of_the_day(store, make_patient, make_visit, clinician_id, today):
    last = make_visit(make_patient("A"), clinician_id, at="16:30")
    make_visit(make_patient("B"), clinician_id, day=today + timedelta(days=1), at="08:00")

    assert encounter.next_visit_id(store, last) is None


def test_another_clinicians_visits_are_not_next(store, make_patient, make_visit, make_clinician, clinician_id):
    colleague = make_clinician("Dr. Other")
    mine = make_visit(make_patient("A"), clinician_id, at="09:00")
    make_visit(make_patient("B"), colleague, at="09:30")
    my_next = make_visit(make_patient("C"), clinician_id, at="10:00")

    assert encounter.next_visit_id(store, mine) == my_next
    assert encounter.next_visit_id(store, my_next) == mine  # still open: never the colleague's 09:30


def test_the_next_visit_is_found_after_finishing(store, make_patient, make_visit, clinician_id):
    first = make_visit(make_patient("A"), clinician_id, at="09:00")
    second = make_visit(make_patient("B"), clinician_id, at="09:20")

    encounter.finish_visit(store, first)

    assert encounter.next_visit_id(store, first) == second


# --- agreed next steps ---


def test_next_steps_are_listed_in_the_order_they_were_agreed(store, visit_id):
    first = encounter.add_next_step(store, visit_id, "Blood test next week", AUTHOR).result
    encounter.add_next_step(store, visit_id, "  Try the knee exercises daily  ", AUTHOR)
    encounter.add_next_step(store, visit_id, "Call if the pain gets worse", AUTHOR)

    assert first.text == "Blood test next week"
    assert first.sensitive is False
    assert texts(encounter.next_steps(store, visit_id)) == [
        "Blood test next week",
        "Try the knee exercises daily",
        "Call if the pain gets worse",
    ]


def test_next_steps_belong_to_their_visit(store, patient_id, clinician_id, make_visit, today):
    other = make_visit(patient_id, clinician_id, day=today + timedelta(days=14))
    this = make_visit(patient_id, clinician_id)
    encounter.add_next_step(store, this, "Blood test next week", AUTHOR)

    assert encounter.next_steps(store, other) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the next step is empty"),
        ("   \n ", "the next step is empty"),
        ("x" * (MAX_TEXT + 1), "the next step is 2,001 characters; the limit is 2,000"),
    ],
)
def test_an_empty_or_overlong_next_step_is_refused(store, visit_id, text, message):
    with pytest.raises(CompanionError, match=message):
        encounter.add_next_step(store, visit_id, text, AUTHOR)

    assert encounter.next_steps(store, visit_id) == []


def test_a_next_step_needs_an_author(store, visit_id):
    with pytest.raises(CompanionError, match="the author is empty"):
        encounter.add_next_step(store, visit_id, "Blood test", " ")


def test_a_next_step_for_an_unknown_visit_is_refused(store):
    with pytest.raises(CompanionError, match="no visit with id 999"):
        encounter.add_next_step(store, 999, "Blood test", AUTHOR)


def test_markup_in_a_next_step_is_kept_as_typed(store, visit_id):
    markup = "<b>Rest</b> <script>alert(1)</script> &amp;"
    encounter.add_next_step(store, visit_id, markup, AUTHOR)

    assert texts(encounter.next_steps(store, visit_id)) == [markup]


# --- sensitive priorities and next steps ---


def test_a_sensitive_priority_is_marked_and_kept_off_the_glance(store, visit_id):
    priorities.add_priority(store, visit_id, "My knee")
    drinking = priorities.add_priority(store, visit_id, "Cut down my drinking").result

    assert drinking.sensitive is True
    glance = build_glance(store, visit_id)
    assert texts(glance.priorities) == ["My knee"]
    assert glance.more_priorities == 0
    assert "Cut down my drinking" not in str(glance.to_json())


def test_a_sensitive_priority_is_kept_apart_on_the_prep_card(store, visit_id):
    priorities.add_priority(store, visit_id, "My knee")
    priorities.add_priority(store, visit_id, "Worried about my HIV viral load")

    card = build_prep_card(store, visit_id)

    assert texts(card.priorities) == ["My knee"]
    assert texts(card.sensitive) == ["Worried about my HIV viral load"]


def test_an_ordinary_priority_is_not_sensitive(store, visit_id):
    priority = priorities.add_priority(store, visit_id, "Sleep better").result

    assert priority.sensitive is False
    assert build_prep_card(store, visit_id).sensitive == ()


def test_a_lasting_sensitive_priority_from_earlier_stays_behind_the_reveal(
    store, patient_id, clinician_id, make_visit, today
):
    earlier = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    this = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, earlier, "Stay away from alcohol", lasting=True)

    card = build_prep_card(store, this)

    assert card.from_earlier == ()
    assert texts(card.sensitive) == ["Stay away from alcohol"]
    assert texts(build_glance(store, this).priorities) == []


def test_a_deferred_sensitive_priority_reaches_the_next_prep_card_behind_the_reveal(
    store, patient_id, clinician_id, make_visit, today
):
    first = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    second = make_visit(patient_id, clinician_id, day=today)
    priorities.add_priority(store, first, "Talk about my drinking")
    priorities.add_priority(store, first, "Talk about my sleep")
    with pytest.raises(encounter.PrivateUnread, match="1 private item not read yet"):
        encounter.finish_visit(store, first)  # nobody read it behind the reveal: the clinician is asked first
    assert [p.state for p in priorities.priorities_of_visit(store, first)] == ["open", "open"]  # nothing deferred
    encounter.finish_visit(store, first, defer_unread_private=True)

    card = build_prep_card(store, second)

    assert texts(card.open_from_last_visit) == ["Talk about my sleep"]
    assert texts(card.sensitive) == ["Talk about my drinking"]


def test_a_sensitive_next_step_is_marked(store, visit_id):
    step = encounter.add_next_step(store, visit_id, "Referral to the alcohol clinic", AUTHOR).result

    assert step.sensitive is True
    assert [s.sensitive for s in encounter.next_steps(store, visit_id)] == [True]


# --- a visit that is not taking place, and what stays once recorded ---


@pytest.mark.parametrize("closing", ["cancelled", "no_show"])
def test_a_called_off_visit_is_never_started_agreed_or_finished(store, visit_id, closing):
    """F5, Ctrl+G or Ctrl+D on the glance of a cancelled or missed visit (opened from Today) would have put it back
    on the day as under way, or marked it done: refused, the status as it was."""
    with store.writing() as session:
        session.get(Visit, visit_id).status = VisitStatus(closing)
        session.commit()

    for act in (encounter.start_listening, encounter.agree_agenda, encounter.finish_visit):
        with pytest.raises(CompanionError, match=f"visit {visit_id} is {closing.replace('_', '-')}; book a new visit"):
            act(store, visit_id)

    assert stored_visit(store, visit_id).status == VisitStatus(closing)
    assert stored_visit(store, visit_id).listen_started_at is None
    # words for its agenda would be on no glance ("added", then nowhere): refused; what lasts is the patient's
    with pytest.raises(CompanionError, match="book a new visit"):
        priorities.add_priority(store, visit_id, "Knee pain")
    priorities.add_priority(store, visit_id, "Walk my granddaughter to school", lasting=True)
    assert texts(build_glance(store, visit_id).priorities) == ["Walk my granddaughter to school"]


def test_once_the_agenda_is_agreed_a_stray_f5_keeps_the_listening_time(store, visit_id):
    encounter.start_listening(store, visit_id)
    encounter.stop_listening(store, visit_id)
    encounter.agree_agenda(store, visit_id)
    recorded = encounter.conversation(store, visit_id).listen_seconds

    with pytest.raises(CompanionError, match="the agenda is agreed"):
        encounter.start_listening(store, visit_id)

    assert encounter.conversation(store, visit_id).listen_seconds == recorded is not None
    assert stage(store, visit_id) != "listening"


def test_a_visit_finished_twice_keeps_the_time_it_was_first_finished(store, visit_id):
    encounter.finish_visit(store, visit_id)
    first = stored_visit(store, visit_id).done_at

    encounter.finish_visit(store, visit_id)  # another desk, or a second Ctrl+D still queued

    assert stored_visit(store, visit_id).done_at == first


@pytest.mark.parametrize(
    ("before", "after"),
    [("scheduled", "roomed"), ("roomed", "roomed"), ("prepared", "prepared"), ("in_visit", "in_visit")],
)
def test_rooming_moves_a_visit_forward_only(store, visit_id, before, after):
    with store.writing() as session:
        session.get(Visit, visit_id).status = VisitStatus(before)
        session.commit()

    assert visits.mark_roomed(store, visit_id).result == after
    assert stored_visit(store, visit_id).status == VisitStatus(after)


@pytest.mark.parametrize("closed", ["done", "cancelled", "no_show"])
def test_rooming_never_reopens_a_closed_visit(store, visit_id, closed):
    with store.writing() as session:
        session.get(Visit, visit_id).status = VisitStatus(closed)
        session.commit()

    with pytest.raises(CompanionError, match="rooming does not reopen it"):
        visits.mark_roomed(store, visit_id)

    assert stored_visit(store, visit_id).status == VisitStatus(closed)
