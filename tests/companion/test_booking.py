"""A clinic's day from the services: patients registered and corrected, visits booked, moved, assigned,
cancelled and missed; nothing written for a visit is ever deleted; video visits take the video form of the cues."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from companion.errors import CompanionError
from companion.read.briefing import build_glance, build_prep_card
from companion.services import audit_trail, booking, encounter, notes, patients
from companion.services.visits import list_visits, visit_row
from companion.storage.models import Role, Visit

NURSE = "Jonas Lindqvist"


def at(day, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock))


def test_a_registered_patient_is_found_as_typed_and_their_needs_are_a_lasting_note(store, today, clinician_id):
    added = patients.add_patient(
        store, "María José Núñez", preferred_name="Majo", pronouns="she/her", language="Spanish",
        interpreter_needed=True, needs="Uses a wheelchair", author=NURSE,
    ).result  # fmt: skip
    patients.add_patient(store, "Joseph Marley")

    assert [p.preferred_name for p in patients.find_patients(store, "jo")] == ["Joseph Marley", "Majo"]
    assert [p.preferred_name for p in patients.find_patients(store, "núñ")] == ["Majo"]
    assert patients.find_patients(store, "%") == patients.find_patients(store, "_") == []  # typed, not a pattern
    assert patients.find_patients(store, "   ") == []
    visit = booking.add_visit(store, added.id, clinician_id, at(today, "10:00"), "Knee").result
    glance = build_glance(store, visit.id)
    assert (glance.patient.preferred_name, glance.patient.language, glance.patient.interpreter_needed) == (
        "Majo",
        "Spanish",
        True,
    )
    assert [n.text for n in glance.needs] == ["Uses a wheelchair"]


def test_correcting_a_patient_keeps_their_earlier_notes(store, patient_id, clinician_id, today):
    visit = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    notes.add_note(store, visit.id, "practical", "Hard of hearing, left ear", NURSE, lasting=True)

    patients.edit_patient(store, patient_id, recorded_name="Test Patient", preferred_name="Tess", pronouns="they/them")

    glance = build_glance(store, visit.id)
    assert (glance.patient.preferred_name, glance.patient.pronouns) == ("Tess", "they/them")
    assert [n.text for n in glance.needs] == ["Hard of hearing, left ear"]


@pytest.mark.parametrize(
    ("field", "value"), [("recorded_name", "   "), ("recorded_name", "x" * 500), ("pronouns", "she\nher")]
)
def test_a_patient_with_a_bad_detail_is_refused_and_nothing_changes(store, patient_id, field, value):
    before = patients.get_patient(store, patient_id)
    details = {"recorded_name": "Test Patient", field: value}
    with pytest.raises(CompanionError):
        patients.edit_patient(store, patient_id, **details)
    assert patients.get_patient(store, patient_id) == before


def test_a_name_an_earlier_import_stored_with_a_direction_mark_does_not_stop_its_details_being_corrected(
    store, patient_id
):
    """A Hebrew record's name came in with a right-to-left mark inside (an earlier version kept it; imports drop
    them now). Typed text may hold none, and every correction re-checked the untouched name, so the interpreter
    could never be ticked (attack round 33). The name as stored is kept; a new name with a mark is still refused."""
    from companion.storage.models import Patient

    marked = "\u05db\u05d4\u05df\u200f-\u05dc\u05d5\u05d9"
    with store.writing() as session:
        row = session.get(Patient, patient_id)
        row.recorded_name = marked
        session.add(row)
        session.commit()

    patients.edit_patient(store, patient_id, recorded_name=marked, pronouns="she/her", interpreter_needed=True)

    details = patients.patient_details(store, patient_id)
    assert (details.recorded_name, details.pronouns, details.interpreter_needed) == (marked, "she/her", True)
    with pytest.raises(CompanionError, match="text-direction control characters"):
        patients.edit_patient(store, patient_id, recorded_name="Ana\u200f Lima")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pronouns", "they/them (HIV+, not out)"),
        ("language", "Spanish; undocumented, fears ICE"),
        ("preferred_name", "Alex (HIV positive)"),  # a name with more to it than a name
        ("preferred_name", "Jo, on PrEP"),
        ("preferred_name", "Alex(HIV+)"),  # one word to str.split, more than a name
        ("recorded_name", "Alex Smith (HIV positive)"),  # the name itself, with a remark added
        ("recorded_name", "Roe, Jill - methadone pt"),
        ("recorded_name", "Jane Roe, HIV positive"),  # a comma's words after a name are judged
        ("recorded_name", "Roe, Jill, methadone pt"),
    ],
)
def test_private_words_beside_the_name_are_refused_and_said_how_to_keep_them(store, patient_id, field, value):
    """Pronouns and language are shown beside the name on every screen: the refusal says where such words belong,
    without repeating them."""
    before = patients.get_patient(store, patient_id)
    details = {"recorded_name": "Test Patient"} | {field: value}
    with pytest.raises(CompanionError, match="write them in a note instead") as refused:
        patients.edit_patient(store, patient_id, **details)
    assert value not in str(refused.value) and "HIV" not in str(refused.value)
    assert patients.get_patient(store, patient_id) == before
    with pytest.raises(CompanionError):
        patients.add_patient(store, details.pop("recorded_name"), **details)


@pytest.mark.parametrize("name", ["Molly", "Crystal", "Mary Jane", "Tina", "Brandy"])
def test_a_preferred_name_that_is_a_name_is_shown(store, patient_id, name):
    """Words of the privacy rules' lists are names too: "Molly" and "Brandy" are read as names, the rest judged."""
    patients.edit_patient(store, patient_id, recorded_name="Test Patient", preferred_name=name)
    assert patients.get_patient(store, patient_id).preferred_name == name


@pytest.mark.parametrize(
    "name",
    [
        "Robert Gay",
        "Gay, Robert",
        "Crystal Pike",
        "O'Brien, Mary-Kate",
        "Angel Cruz Jr.",
        "José Núñez",
        "Mary Ann Gay",  # a surname the rules' words hold, read as the name it is
        "Jesús Gay López de la Torre",
        "ROBERT GAY",
        "Ryan White",  # a person as well as a program's name
        "Molly Bender",
    ],
)
def test_a_recorded_name_of_words_alone_is_a_name(store, patient_id, name):
    patients.edit_patient(store, patient_id, recorded_name=name)
    assert patients.patient_details(store, patient_id).recorded_name == name


def test_a_visit_booked_without_a_clinician_waits_unassigned_until_assigned(store, patient_id, make_clinician, today):
    physician = make_clinician("Dr. Ana Ruiz")
    visit = booking.add_visit(store, patient_id, None, at(today, "11:00"), "Follow-up").result
    assert (visit.assigned, visit.clinician_name) == (False, "")
    assert [v.id for v in list_visits(store, today)] == [visit.id]  # the nurse's whole-clinic list
    assert list_visits(store, today, physician) == []

    changed = booking.assign_visit(store, visit.id, physician)

    assert changed.touches({"visit"}) and changed.result.clinician_name == "Dr. Ana Ruiz"
    assert [v.id for v in list_visits(store, today, physician)] == [visit.id]


def test_an_admin_is_never_given_a_visit(store, patient_id, make_clinician, today):
    admin = make_clinician("IT Admin", Role.admin)
    visit = booking.add_visit(store, patient_id, None, at(today, "11:00")).result
    with pytest.raises(CompanionError, match="administrator"):
        booking.assign_visit(store, visit.id, admin)
    with pytest.raises(CompanionError, match="administrator"):
        booking.add_visit(store, patient_id, admin, at(today, "12:00"))
    assert not visit_row(store, visit.id).assigned


def test_a_moved_visit_is_on_its_new_day_and_a_done_one_cannot_move(store, patient_id, clinician_id, today):
    visit = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    tomorrow = today + timedelta(days=1)

    booking.move_visit(store, visit.id, at(tomorrow, "14:30"))

    assert list_visits(store, today) == []
    assert [v.scheduled_at for v in list_visits(store, tomorrow)] == [at(tomorrow, "14:30")]
    done = booking.add_visit(store, patient_id, clinician_id, at(today, "08:00"), status="done").result
    with pytest.raises(CompanionError, match="done"):
        booking.move_visit(store, done.id, at(tomorrow, "08:00"))


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_a_cancelled_or_missed_visit_keeps_what_was_written_and_is_not_next(
    store, patient_id, make_patient, clinician_id, today, status
):
    first = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    second = booking.add_visit(store, make_patient("Second Patient"), clinician_id, at(today, "09:30")).result
    third = booking.add_visit(store, make_patient("Third Patient"), clinician_id, at(today, "10:00")).result
    notes.add_note(store, second.id, "social", "Brought her grandson", NURSE)

    booking.close_visit(store, second.id, status)

    assert visit_row(store, second.id).status == status
    assert [n.text for n in notes.notes_for_visit(store, second.id)] == ["Brought her grandson"]
    assert encounter.next_visit_id(store, first.id) == third.id
    with pytest.raises(CompanionError):
        booking.move_visit(store, second.id, at(today, "16:00"))


def test_only_cancelled_or_no_show_close_a_visit_and_a_done_visit_stays_done(store, patient_id, clinician_id, today):
    done = booking.add_visit(store, patient_id, clinician_id, at(today, "08:00"), status="done").result
    with pytest.raises(CompanionError, match="done"):
        booking.close_visit(store, done.id, "cancelled")
    with pytest.raises(CompanionError):
        booking.close_visit(store, done.id, "roomed")
    assert visit_row(store, done.id).status == "done"


def test_a_booking_on_a_later_day_is_not_marked_no_show_and_can_still_be_moved_or_cancelled(
    store, patient_id, clinician_id
):
    """A mistyped id must not leave next month's booking missed for good: statuses only move forward. (The
    clinic's real day: what counts as later is the workstation's date.)"""
    today = date.today()
    later = booking.add_visit(store, patient_id, clinician_id, at(today + timedelta(days=30), "10:00")).result
    this_morning = booking.add_visit(store, patient_id, clinician_id, at(today, "08:00")).result

    with pytest.raises(CompanionError, match="marked no-show on its day or later"):
        booking.close_visit(store, later.id, "no_show")

    assert visit_row(store, later.id).status == "scheduled"
    booking.move_visit(store, later.id, at(today + timedelta(days=31), "10:00"))
    assert booking.close_visit(store, later.id, "cancelled").result.status == "cancelled"
    assert booking.close_visit(store, this_morning.id, "no_show").result.status == "no_show"


def test_a_closed_visit_keeps_its_clinician_and_its_one_closing(store, patient_id, clinician_id, today):
    """The window refused these; the command line reached the service: a done visit unassigned lost who saw the
    patient from its summary, and a cancelled visit marked missed (or back) told a second story."""
    done = booking.add_visit(store, patient_id, clinician_id, at(today, "08:00"), status="done").result
    cancelled = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    missed = booking.add_visit(store, patient_id, clinician_id, at(today, "09:30")).result
    booking.close_visit(store, cancelled.id, "cancelled")
    booking.close_visit(store, missed.id, "no_show")

    for visit in (done, cancelled, missed):
        with pytest.raises(CompanionError, match="its clinician stays as it is"):
            booking.assign_visit(store, visit.id, None)
        assert visit_row(store, visit.id).clinician_id == clinician_id
    with pytest.raises(CompanionError, match="is cancelled already"):
        booking.close_visit(store, cancelled.id, "no_show")
    with pytest.raises(CompanionError, match="is no-show already"):
        booking.close_visit(store, missed.id, "cancelled")
    assert booking.close_visit(store, cancelled.id, "cancelled").result.status == "cancelled"  # again: no change
    assert (visit_row(store, cancelled.id).status, visit_row(store, missed.id).status) == ("cancelled", "no_show")


@pytest.mark.parametrize("status", ["roomed", "prepared", "in_visit"])
def test_a_patient_who_came_is_no_no_show_but_the_visit_may_still_be_cancelled(
    store, patient_id, clinician_id, today, status
):
    visit = booking.add_visit(store, patient_id, clinician_id, at(today, "08:00"), status=status).result
    with pytest.raises(CompanionError, match="the patient came"):
        booking.close_visit(store, visit.id, "no_show")
    assert booking.close_visit(store, visit.id, "cancelled").result.status == "cancelled"


def test_a_visit_booked_or_moved_before_what_the_clinic_keeps_is_refused(store, patient_id, clinician_id):
    """A year typed wrong moved today's roomed visit, with its priorities and notes, to last year; the next start's
    purge then removed it without a word. (What is kept is counted from the workstation's real date.)"""
    from companion.services.retention import set_retention

    today = date.today()
    set_retention(store, 365)
    visit = booking.add_visit(store, patient_id, clinician_id, at(today, "09:30")).result
    a_year_ago = at(today - timedelta(days=390), "09:30")
    with pytest.raises(CompanionError, match="before what the clinic keeps"):
        booking.move_visit(store, visit.id, a_year_ago)
    with pytest.raises(CompanionError, match="the next purge would remove the visit"):
        booking.add_visit(store, patient_id, clinician_id, a_year_ago)
    assert visit_row(store, visit.id).scheduled_at == at(today, "09:30")
    assert booking.move_visit(store, visit.id, at(today - timedelta(days=300), "09:30")).result  # within: moved


def test_a_visit_before_a_purge_by_hand_is_refused_with_the_true_reason_and_the_way_back(
    store, patient_id, clinician_id
):
    """No retention is set; IT purged visits older than 3 days by hand. Booking one 4 days back was refused as
    "the next purge would remove the visit", which no purge would do (attack round 33): the refusal names the
    purge's cut-off and the command that lets older visits back, and after it the visit is booked."""
    from companion.services.retention import forget_purges, purge

    purge(store, 3, by_hand=True)
    four_days_ago = at(date.today() - timedelta(days=4), "09:30")
    with pytest.raises(CompanionError, match="before the last purge's cut-off") as refused:
        booking.add_visit(store, patient_id, clinician_id, four_days_ago)
    assert "retention --forget-purges" in str(refused.value) and "next purge" not in str(refused.value)

    forget_purges(store)
    assert booking.add_visit(store, patient_id, clinician_id, four_days_ago).result.scheduled_at == four_days_ago


@pytest.mark.parametrize("typed", ["2026-13-01 09:00", "tomorrow", "2026-12-01", "2026-12-01 25:00", ""])
def test_a_time_that_is_not_a_time_is_refused_in_one_line(typed):
    with pytest.raises(CompanionError, match="YYYY-MM-DD HH:MM"):
        booking.parse_when(typed)


def test_every_booking_change_is_in_the_audit_log(store, patient_id, clinician_id, today):
    visit = booking.add_visit(store, patient_id, None, at(today, "09:00")).result
    booking.assign_visit(store, visit.id, clinician_id)
    booking.move_visit(store, visit.id, at(today, "10:00"))
    booking.close_visit(store, visit.id, "cancelled")

    actions = [e["action"] for e in audit_trail.audit_log(store) if e["visit_id"] == visit.id]
    assert actions.count("change visit") == 3
    # and what each change was, which "change visit" alone never told (a tester could not find who cancelled)
    assert {"assign visit", "move visit", "cancel visit"} <= set(actions)
    [moved] = [e["detail"] for e in audit_trail.audit_log(store) if e["action"] == "move visit"]
    assert moved == f"visit {visit.id}: {at(today, '09:00'):%Y-%m-%d %H:%M} -> {at(today, '10:00'):%Y-%m-%d %H:%M}"
    assert "add visit" in actions


def test_a_video_visit_says_so_and_its_cues_take_their_video_form(store, patient_id, clinician_id, today):
    in_person = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    video = booking.add_visit(store, patient_id, clinician_id, at(today, "10:00"), video=True).result
    for visit_id in (in_person.id, video.id):
        encounter.start_listening(store, visit_id)

    in_room, on_screen = build_glance(store, in_person.id), build_glance(store, video.id)

    assert "Sit" in in_room.prep_cue.cue
    assert "camera" in on_screen.prep_cue.cue and "Sit" not in on_screen.prep_cue.cue
    assert (in_room.to_json()["video"], on_screen.to_json()["video"]) == (False, True)
    assert build_prep_card(store, video.id).visit.video


@pytest.fixture
def new_york(monkeypatch):
    """This computer's clock in a zone whose clocks go forward at 02:00 on 2026-03-08."""
    import time as clock

    monkeypatch.setenv("TZ", "America/New_York")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_the_hour_the_clocks_skip_is_not_a_time_anything_is_booked_at(store, patient_id, clinician_id, new_york):
    """A visit booked at 02:30 that night would be kept, exported and shown an hour off."""
    with pytest.raises(CompanionError, match="the clocks go forward"):
        booking.parse_when("2026-03-08 02:30")
    with pytest.raises(CompanionError, match="the clocks go forward"):
        booking.add_visit(store, patient_id, clinician_id, datetime(2026, 3, 8, 2, 30), "Knee pain")
    booked = booking.add_visit(store, patient_id, clinician_id, datetime(2026, 3, 8, 3, 30), "Knee pain").result
    with pytest.raises(CompanionError, match="the clocks go forward"):
        booking.move_visit(store, booked.id, datetime(2026, 3, 8, 2, 15))
    assert booking.parse_when("2026-11-01 01:30") == datetime(2026, 11, 1, 1, 30)  # the hour that comes twice


def test_a_booking_typed_twice_is_refused(store, patient_id, clinician_id, make_clinician, today):
    """`visit add` (or the window's new visit) for the time the patient already has a visit with that clinician:
    the day's list would show them twice and split what is written for the visit. Refused, with the visit it
    repeats; once that one is cancelled, or with another clinician, the time is free."""
    first = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    unassigned = booking.add_visit(store, patient_id, None, at(today, "11:00")).result

    for clinician, clock in ((clinician_id, "09:00"), (None, "11:00")):
        with pytest.raises(CompanionError, match="already has visit .* not booked twice"):
            booking.add_visit(store, patient_id, clinician, at(today, clock))
    assert [v.id for v in list_visits(store, today)] == [first.id, unassigned.id]

    other = make_clinician("Dr. Lena Ortiz")
    booking.add_visit(store, patient_id, other, at(today, "09:00"))
    booking.close_visit(store, first.id, "cancelled")
    booking.add_visit(store, patient_id, clinician_id, at(today, "09:00"))
    assert len(list_visits(store, today)) == 4


def test_a_visit_is_not_moved_or_assigned_onto_a_slot_the_patient_already_has(store, patient_id, clinician_id, today):
    """Moving the 10:00 visit to 09:00, where the patient already has one with the same clinician, or giving an
    unassigned 09:00 visit to that clinician, made the same double booking `visit add` refuses. Both refused, the
    visit left where it was; moved to a free time, or to its own time again, it goes."""
    first = booking.add_visit(store, patient_id, clinician_id, at(today, "09:00")).result
    later = booking.add_visit(store, patient_id, clinician_id, at(today, "10:00")).result
    unassigned = booking.add_visit(store, patient_id, None, at(today, "09:00")).result

    with pytest.raises(
        CompanionError, match=f"already has visit {first.id} at that time .*; the visit stays as it was"
    ):
        booking.move_visit(store, later.id, at(today, "09:00"))
    with pytest.raises(
        CompanionError, match=f"already has visit {first.id} at that time .*; the visit stays as it was"
    ):
        booking.assign_visit(store, unassigned.id, clinician_id)

    times = {v.id: (v.scheduled_at, v.clinician_id) for v in list_visits(store, today)}
    assert times[later.id] == (at(today, "10:00"), clinician_id) and times[unassigned.id][1] is None
    assert booking.move_visit(store, later.id, at(today, "10:00")).result.id == later.id  # its own slot
    booking.move_visit(store, later.id, at(today, "11:30"))
    booking.assign_visit(store, first.id, clinician_id)  # already theirs: nothing to refuse


def test_a_visit_a_record_booked_with_seconds_holds_its_minute(store, patient_id, clinician_id, today):
    """A FHIR Appointment may start at 10:00:30; the day's list shows it at 10:00, and a booking typed for 10:00 would
    show the patient twice there."""
    with store.writing() as session:
        session.add(
            Visit(
                patient_id=patient_id,
                clinician_id=clinician_id,
                scheduled_at=at(today, "10:00") + timedelta(seconds=30),
            )
        )
        session.commit()

    with pytest.raises(CompanionError, match="already has visit .* not booked twice"):
        booking.add_visit(store, patient_id, clinician_id, at(today, "10:00"))
    booking.add_visit(store, patient_id, clinician_id, at(today, "10:01"))
