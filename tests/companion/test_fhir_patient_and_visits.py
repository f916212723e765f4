"""FHIR import, one rule at a time, on hand-written resources: who the patient is, and their visits.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest

from companion.fhir.importer import import_paths
from companion.read.briefing import build_glance
from companion.storage.models import Clinician, VisitStatus
from tests.companion.fhir_samples import (
    INTERPRETER,
    PRONOUNS,
    appointment,
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    load,
    patient,
    patient_by_key,
    visits_of,
    what_matters,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")


def test_the_official_name_is_recorded_and_a_usual_name_is_how_they_like_to_be_called(store, tmp_path):
    names = [
        {"use": "usual", "given": ["Majo"]},
        {"use": "official", "given": ["María José"], "family": "Hernández López"},
    ]
    load(store, tmp_path, patient("p1", name=names))

    row = patient_by_key(store, "Patient/p1")
    assert (row.recorded_name, row.preferred_name) == ("María José Hernández López", "Majo")


def test_a_nickname_is_preferred_and_apostrophes_and_accents_are_kept_exactly(store, tmp_path):
    names = [{"use": "official", "text": "Zoë O'Brien-Adeyemi"}, {"use": "nickname", "given": ["Zo"]}]
    load(store, tmp_path, patient("p1", name=names))

    row = patient_by_key(store, "Patient/p1")
    assert (row.recorded_name, row.preferred_name) == ("Zoë O'Brien-Adeyemi", "Zo")


def test_names_without_use_the_current_one_is_recorded_and_its_given_name_preferred(store, tmp_path):
    names = [
        {"given": ["THỊ"], "family": "NGUYỄN", "period": {"start": "2001-01-01", "end": "2019-05-01"}},
        {"given": ["Lan"], "family": "Nguyễn Thị", "period": {"start": "2019-05-01"}},
        {"use": "old", "given": ["Old"], "family": "Name"},
    ]
    single = [{"given": ["D'Arcy"], "family": "Ó Súilleabháin"}]
    load(store, tmp_path, patient("p1", name=names), patient("p2", name=single))

    lan, darcy = patient_by_key(store, "Patient/p1"), patient_by_key(store, "Patient/p2")
    assert (lan.recorded_name, lan.preferred_name) == ("Lan Nguyễn Thị", "Lan")
    assert (darcy.recorded_name, darcy.preferred_name) == ("D'Arcy Ó Súilleabháin", "D'Arcy")


def test_a_patient_without_a_name_gets_a_clear_placeholder(store, tmp_path):
    load(store, tmp_path, {"resourceType": "Patient", "id": "anon"})

    assert patient_by_key(store, "Patient/anon").recorded_name == "Name not recorded"


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        (
            {"coding": [{"system": "http://loinc.org", "code": "LA29519-8", "display": "she/her/her/hers/herself"}]},
            "she/her",
        ),
        ({"text": "they/them"}, "they/them"),
        ({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "code": "UNK"}]}, ""),
    ],
)
def test_pronouns_come_from_the_individual_pronouns_extension(store, tmp_path, extension, expected):
    pronouns = {"url": PRONOUNS, "extension": [{"url": "value", "valueCodeableConcept": extension}]}
    ended = {
        "url": PRONOUNS,
        "extension": [
            {"url": "value", "valueCodeableConcept": {"text": "he/him"}},
            {"url": "period", "valuePeriod": {"start": "2010-01-01", "end": "2015-01-01"}},
        ],
    }
    load(store, tmp_path, patient("p1", extension=[ended, pronouns]))

    assert patient_by_key(store, "Patient/p1").pronouns == expected


def test_language_is_the_preferred_communication_and_a_bare_code_is_named(store, tmp_path):
    communication = [
        {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en", "display": "English"}]}},
        {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "vi"}]}, "preferred": True},
    ]
    load(store, tmp_path, patient("p1", communication=communication))

    assert patient_by_key(store, "Patient/p1").preferred_language == "Vietnamese"


def test_interpreter_needed_from_us_core_or_the_core_extension(store, tmp_path):
    def us_core(code):
        return [{"url": INTERPRETER, "valueCoding": {"system": "http://snomed.info/sct", "code": code}}]

    core = [{"url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired", "valueBoolean": True}]
    spanish = [{"language": {"text": "Spanish"}, "preferred": True}]
    load(
        store,
        tmp_path,
        patient("yes", extension=us_core("373066001"), communication=spanish),
        patient("no", extension=us_core("373067005")),
        patient("core", extension=core),
        encounter("e1", "yes"),
    )

    needed = {key: patient_by_key(store, f"Patient/{key}").interpreter_needed for key in ("yes", "no", "core")}
    assert needed == {"yes": True, "no": False, "core": True}
    visit_id = visits_of(store, patient_by_key(store, "Patient/yes").id)[0].id
    assert build_glance(store, visit_id).to_json()["patient"]["text"] == "Ana · Spanish, interpreter"


def test_an_appointment_becomes_a_visit_at_the_clinics_time_with_its_reason_and_clinician(store, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    mri = appointment(
        description="Talk about the MRI results",
        start="2025-01-14T14:30:00Z",
        participant=[
            {"actor": {"reference": "Patient/p1", "display": "Ana Lima"}, "status": "accepted"},
            {"actor": {"reference": "Practitioner/dr1", "display": "Dr. Aubrey Corkery"}, "status": "accepted"},
            {"actor": {"reference": "Location/room1", "display": "Room 1"}, "status": "accepted"},
        ],
    )
    load(store, tmp_path, patient("p1"), mri)

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.scheduled_at == datetime(2025, 1, 14, 9, 30)  # 14:30 UTC on the clinic's New York clock
    assert (visit.reason, visit.status, visit.source_key) == (
        "Talk about the MRI results",
        VisitStatus.scheduled,
        "Appointment/a1",
    )
    with store.session() as session:
        assert session.get(Clinician, visit.clinician_id).name == "Dr. Aubrey Corkery"


def test_a_time_sent_without_its_zone_is_read_on_the_clinics_clock_and_other_bad_times_are_still_refused(
    store, tmp_path, monkeypatch
):
    """FHIR requires a zone on a time of day; a schedule exported with local times leaves it out. The clinic means
    its own clock, on either side of the change to summer time; a time that is wrong in any other way is reported."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    winter = appointment("a1", start="2025-03-07T09:15:00", end="2025-03-07T09:35")
    summer = encounter("e1", start="2025-03-10T16:45:00.250")
    wrong = appointment("a2", start="2025-03-11T25:00:00")

    report = load(store, tmp_path, patient("p1"), winter, summer, wrong)

    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert [v.scheduled_at for v in visits] == [datetime(2025, 3, 7, 9, 15), datetime(2025, 3, 10, 16, 45, 0, 250000)]
    assert [(s.resource, s.reason.split(":")[1].strip()) for s in report.skipped] == [("Appointment/a2", "start")]


@pytest.mark.parametrize(
    ("zone", "sent", "kept"),
    [
        ("America/Santiago", "2027-09-05T00:30:00", datetime(2027, 9, 5, 1, 30)),  # midnight becomes 01:00
        ("Europe/Berlin", "2030-03-31T02:30:00", datetime(2030, 3, 31, 3, 30)),
        ("Europe/Berlin", "2030-10-27T02:30:00", datetime(2030, 10, 27, 2, 30)),  # twice that night: as sent
    ],
)
def test_a_time_without_its_zone_in_the_hour_the_clocks_skip_moves_on_past_it_never_to_the_day_before(
    store, tmp_path, monkeypatch, zone, sent, kept
):
    """A local time the clock never shows (the spring change) was taken an hour back: in Santiago, where midnight
    is skipped, a visit booked for 00:30 on the 5th was on the 4th's list."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()

    load(store, tmp_path, patient("p1"), appointment("a1", start=sent))

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.scheduled_at == kept


def test_an_encounter_names_its_practitioner_from_the_file_else_it_is_left_unassigned(store, tmp_path):
    practitioner = {
        "resourceType": "Practitioner",
        "id": "x",
        "name": [{"prefix": ["Dr."], "given": ["Aubrey"], "family": "Corkery"}],
    }
    with_doctor = encounter("e1", status="finished", participant=[{"individual": {"reference": "urn:uuid:0a1b"}}])
    data = bundle(patient("p1"), with_doctor, encounter("e2", start="2025-03-15T09:00:00+00:00"))
    data["entry"].append({"fullUrl": "urn:uuid:0a1b", "resource": practitioner})
    import_paths(store, [write(tmp_path, "b.json", data)])

    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    with store.session() as session:
        names = [session.get(Clinician, v.clinician_id).name if v.clinician_id else None for v in visits]
    assert names == ["Dr. Aubrey Corkery", None]  # the second names nobody: unassigned, a nurse assigns it
    assert [v.status for v in visits] == [VisitStatus.done, VisitStatus.scheduled]


def test_a_private_reason_is_kept_but_marked_private(store, tmp_path):
    visit = encounter(reasonCode=[{"text": "HIV follow-up"}], type=[{"text": "Office visit (procedure)"}])
    coded = encounter("e2", reasonCode=[{"coding": [{"system": "http://snomed.info/sct", "code": "86406008"}]}])
    load(store, tmp_path, patient("p1"), visit, coded)

    rows = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(r.reason, r.reason_private) for r in rows][0] == ("HIV follow-up", True)
    assert all(r.reason_private for r in rows)  # the second by its SNOMED code alone


def test_a_cancelled_appointment_is_a_cancelled_visit_and_encounters_without_a_time_or_in_error_make_none(
    store, tmp_path
):
    cancelled = appointment(
        status="cancelled", participant=[{"actor": {"reference": "Patient/p1"}, "status": "declined"}]
    )
    no_time = encounter("e2")
    del no_time["period"]
    in_error = encounter("e3", status="entered-in-error")
    report = load(store, tmp_path, patient("p1"), cancelled, no_time, in_error)

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert (visit.source_key, visit.status, visit.clinician_id) == ("Appointment/a1", VisitStatus.cancelled, None)
    assert report.unused["Encounter (not a visit (status entered-in-error))"] == 1
    assert report.unused["Encounter (no start time (period.start): a visit needs one)"] == 1
    assert report.skipped == []


@pytest.mark.parametrize("start", ["2025", "2025-03"])
def test_a_visit_whose_start_names_only_a_year_or_a_month_is_not_put_on_its_first_day(store, tmp_path, start):
    """R4 lets period.start be "2025": read as its first day at 00:00, it made a visit on 1 January nobody booked."""
    report = load(store, tmp_path, patient("p1"), encounter("e1", period={"start": start}), encounter("e2"))

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.source_key == "Encounter/e2"
    assert (
        report.unused[f"Encounter (its start ({start}) names a year or a month, not a day: a visit needs its day)"] == 1
    )


def test_an_encounter_for_a_booked_appointment_is_the_same_visit_moved_forward(store, tmp_path):
    load(store, tmp_path, patient("p1"), appointment(), name="schedule.json")
    arrived = encounter("e1", status="arrived", appointment=[{"reference": "Appointment/a1"}])
    load(store, tmp_path, arrived, name="arrival.json")

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.status is VisitStatus.roomed


def test_an_encounter_the_record_does_not_link_to_its_appointment_is_still_that_visit(store, tmp_path):
    """Many systems send the day's Appointments and the Encounters that took place without
    `Encounter.appointment`: the patient who checked in 10 minutes late had one visit, not two. A later visit
    that day, a cancelled booking and another patient's booking stay their own."""
    booked = appointment("a1", start="2025-03-14T09:00:00Z", description="Knee pain")
    cancelled = appointment("a2", status="cancelled", start="2025-03-14T16:00:00Z")
    theirs = appointment("a3", pid="p2", start="2025-03-14T09:00:00Z")
    came = encounter("e1", start="2025-03-14T09:10:00Z", status="finished")
    afternoon = encounter("e2", start="2025-03-14T15:55:00Z", status="finished")
    resources = [patient("p1"), patient("p2", given="Bo"), came, afternoon, booked, cancelled, theirs]

    load(store, tmp_path, *resources)  # the Encounters come first in the file

    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(v.scheduled_at.hour, v.scheduled_at.minute, v.status) for v in visits] == [
        (9, 10, VisitStatus.done),  # booked for 9:00, seen at 9:10
        (15, 55, VisitStatus.done),
        (16, 0, VisitStatus.cancelled),
    ]
    assert visits[0].source_key == "Appointment/a1"
    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p2").id)] == [VisitStatus.scheduled]
    assert load(store, tmp_path, *resources).changes() == []  # again: the same three visits


def test_a_visit_booked_for_after_the_patients_death_is_cancelled_and_earlier_ones_stand(store, tmp_path):
    """The record says the patient died on 10 March; the schedule still books them on the 14th. Nobody should call
    their name in the waiting room: the visit is there, cancelled. A visit that took place before stands."""
    died = patient("p1", deceasedDateTime="2025-03-10T08:00:00Z")
    undated = patient("p2", given="Bo", deceasedBoolean=True)
    earlier = encounter("e1", start="2025-03-01T09:00:00Z", status="finished")
    booked = appointment("a1", start="2025-03-14T09:00:00Z")
    theirs = appointment("a2", pid="p2", start="2025-03-14T10:00:00Z")

    load(store, tmp_path, died, undated, earlier, booked, theirs)

    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p1").id)] == [
        VisitStatus.done,
        VisitStatus.cancelled,
    ]
    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p2").id)] == [VisitStatus.cancelled]


def test_a_death_a_later_file_tells_cancels_the_visits_booked_for_after_it(store, tmp_path):
    """The bookings came in Monday's file; Wednesday's file says the patient died in between. The visits booked
    for after the death are cancelled (and counted in the report); one that took place before it stands."""
    earlier = encounter("e1", start="2025-03-01T09:00:00Z", status="finished")
    booked = [appointment("a1", start="2025-03-14T09:00:00Z"), appointment("a2", start="2025-03-20T09:00:00Z")]
    load(store, tmp_path, patient("p1"), earlier, *booked, name="monday.json")

    report = load(store, tmp_path, patient("p1", deceasedDateTime="2025-03-10T08:00:00Z"), name="wednesday.json")

    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p1").id)] == [
        VisitStatus.done,
        VisitStatus.cancelled,
        VisitStatus.cancelled,
    ]
    assert report.count("visits", "updated") == 2


def test_a_death_with_no_date_a_later_file_tells_cancels_only_what_is_still_ahead(store, tmp_path):
    """`deceasedBoolean` with no date: a visit left open last year took place (or was missed) in life and stays as
    it is; the booking ahead is cancelled."""
    ahead = (date.today() + timedelta(days=30)).isoformat()
    booked = [appointment("a1", start="2025-03-14T09:00:00Z"), appointment("a2", start=f"{ahead}T09:00:00Z")]
    load(store, tmp_path, patient("p1"), *booked, name="bookings.json")

    load(store, tmp_path, patient("p1", deceasedBoolean=True), name="later.json")

    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p1").id)] == [
        VisitStatus.scheduled,
        VisitStatus.cancelled,
    ]


def _from_ehr(*resources: dict) -> dict:
    """A Bundle one server sent, each entry at its address there."""
    base = "https://ehr.example.org/fhir"
    entries = [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def test_a_booking_the_record_moves_to_another_patient_follows_it_and_nothing_typed_moves(store, tmp_path):
    """The front desk booked the sports physical on the father, then corrected the same Appointment to the son:
    the son has the visit; the father's is cancelled, with what was typed for him kept on his record."""
    from companion.services import priorities

    father, son = patient("f1", given="John", family="Smith"), patient("s1", given="Johnny", family="Smith")
    booked = appointment("ap1", pid="f1", description="Sports physical")
    import_paths(store, [write(tmp_path, "booked.json", _from_ehr(father, son, booked))])
    father_key, son_key = "https://ehr.example.org/fhir/Patient/f1", "https://ehr.example.org/fhir/Patient/s1"
    [first] = visits_of(store, patient_by_key(store, father_key).id)
    priorities.add_priority(store, first.id, "his knee")  # typed at rooming for the father

    corrected = _from_ehr(appointment("ap1", pid="s1", description="Sports physical"))
    import_paths(store, [write(tmp_path, "corrected.json", corrected)])

    [fathers] = visits_of(store, patient_by_key(store, father_key).id)
    [sons] = visits_of(store, patient_by_key(store, son_key).id)
    assert (fathers.status, sons.status, sons.reason) == (
        VisitStatus.cancelled,
        VisitStatus.scheduled,
        "Sports physical",
    )
    assert [p.text for p in priorities.agenda(store, fathers.id)] == ["his knee"]
    assert priorities.agenda(store, sons.id) == []


def test_a_bare_booking_id_another_source_gave_another_patient_never_cancels_the_first_visit(store, tmp_path):
    """Two clinics' files name their bookings by bare ids: Appointment/100 is Ana's from one and Bo's, cancelled,
    from the other. Ana's visit stays as it was; Bo's booking is reported, not filed on her visit."""
    load(store, tmp_path, patient("p1"), appointment("100", pid="p1", description="Knee pain"), name="a.json")
    theirs = appointment("100", pid="p2", status="cancelled", description="Flu shot")
    report = load(store, tmp_path, patient("p2", given="Bo", family="Berg"), theirs, name="b.json")

    [anas] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert (anas.status, anas.reason) == (VisitStatus.scheduled, "Knee pain")
    assert any("another patient's record" in skip.reason for skip in report.skipped)


def test_an_item_whose_id_another_source_gave_another_patient_is_reported_not_moved(store, tmp_path):
    """Two portals number their responses alike: QuestionnaireResponse/7 is Ana's from one and Robert's from the
    other. Robert's answer never replaces Ana's words; the import reports it."""
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        what_matters("7", ["Talk about my migraines"], encounter={"reference": "Encounter/e1"}),
    )
    theirs = what_matters("7", ["Refill my warfarin"], pid="p2")
    report = load(store, tmp_path, patient("p2", given="Robert", family="Brown"), theirs, name="other.json")

    ana = patient_by_key(store, "Patient/p1").id
    [visit] = visits_of(store, ana)
    assert [p["text"] for p in build_glance(store, visit.id).to_json()["priorities"]] == ["Talk about my migraines"]
    assert any("another patient's record" in skip.reason for skip in report.skipped)


def test_a_booking_voided_in_the_record_leaves_the_day_and_offers_or_a_refusal_are_no_visit(store, tmp_path):
    """The EHR voids a booking (entered-in-error) after it was imported: it leaves the day, cancelled. A slot only
    offered (proposed, the patient not asked yet), a place on a waiting list, are no visit; a booking the patient
    declined is cancelled. (A proposed one the patient accepted is a visit: Da Vinci's example, in the real data.)"""
    load(store, tmp_path, patient("p1"), appointment("a1"), encounter("e1", start="2025-03-15T09:00:00Z"))
    assert [v.status for v in visits_of(store, patient_by_key(store, "Patient/p1").id)] == [VisitStatus.scheduled] * 2

    voided = [appointment("a1", status="entered-in-error"), encounter("e1", status="entered-in-error")]
    offers = [
        appointment(
            "a2",
            status="proposed",
            start="2025-03-16T09:00:00Z",
            participant=[{"actor": {"reference": "Patient/p1"}, "status": "needs-action"}],
        ),
        appointment("a3", status="waitlist", start="2025-03-16T10:00:00Z"),
        appointment(
            "a4",
            start="2025-03-17T09:00:00Z",
            participant=[{"actor": {"reference": "Patient/p1"}, "status": "declined"}],
        ),
    ]
    load(store, tmp_path, *voided, *offers, name="later.json")

    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert [(v.scheduled_at.day, v.status) for v in visits] == [
        (14, VisitStatus.cancelled),
        (15, VisitStatus.cancelled),
        (17, VisitStatus.cancelled),
    ]


def test_an_import_moves_a_visit_forward_and_never_back(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1", status="in-progress"))
    load(store, tmp_path, patient("p1"), encounter("e1", status="planned"), name="stale.json")

    assert visits_of(store, patient_by_key(store, "Patient/p1").id)[0].status is VisitStatus.in_visit


ABSENT = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}


def test_a_name_part_the_record_marks_absent_is_left_out_not_a_failure(store, tmp_path):
    """Valid R4: `"given": [null, "Ada"]` with the reason for the null in `_given`."""
    names = [{"use": "official", "given": [None, "Ada"], "_given": [ABSENT, None], "family": "Okafor"}]
    practitioner = {
        "resourceType": "Practitioner",
        "id": "dr1",
        "name": [{"prefix": [None], "_prefix": [ABSENT], "given": ["Aubrey"], "family": "Corkery"}],
    }
    seen = encounter("e1", participant=[{"individual": {"reference": "Practitioner/dr1"}}])
    report = load(store, tmp_path, patient("p1", name=names), practitioner, seen)

    assert report.skipped == []
    row = patient_by_key(store, "Patient/p1")
    assert (row.recorded_name, row.preferred_name) == ("Ada Okafor", "Ada")
    visit = visits_of(store, row.id)[0]
    with store.session() as session:
        assert session.get(Clinician, visit.clinician_id).name == "Aubrey Corkery"


def _from_server(base: str, *resources: dict) -> dict:
    """A Bundle as a server sends it: each entry's fullUrl is that server's address for the resource."""
    data = bundle(*resources, kind="searchset")
    for entry in data["entry"]:
        resource = entry["resource"]
        entry["fullUrl"] = f"{base}/{resource['resourceType']}/{resource['id']}"
    return data


def test_two_servers_patient_with_the_same_id_are_two_people_and_each_keeps_their_own_visit(store, tmp_path):
    clinic = _from_server("https://clinic.example.org/fhir", patient("1001", "Ana", "Silva"), encounter("5001", "1001"))
    hospital = _from_server("https://hospital.example.org/r4", patient("1001", "Robert", "Brown"))
    import_paths(store, [write(tmp_path, "clinic.json", clinic)])
    again = import_paths(store, [write(tmp_path, "clinic.json", clinic)]).result

    report = import_paths(store, [write(tmp_path, "hospital.json", hospital)]).result

    assert report.count("patients", "new") == 1 and report.count("patients", "updated") == 0
    assert again.count("patients", "new") == 0 and again.count("visits", "new") == 0  # the same server: the same rows
    ana = patient_by_key(store, "https://clinic.example.org/fhir/Patient/1001")
    robert = patient_by_key(store, "https://hospital.example.org/r4/Patient/1001")
    assert (ana.preferred_name, robert.preferred_name) == ("Ana", "Robert")
    [visit] = visits_of(store, ana.id)
    assert build_glance(store, visit.id).patient.preferred_name == "Ana" and visits_of(store, robert.id) == []


def test_a_conditional_reference_with_other_search_terms_finds_the_patient_by_identifier(store, tmp_path):
    mrn = {"system": "http://hospital.example.org/mrn", "value": "12345"}
    visit = encounter("e1", "x")
    visit["subject"] = {"reference": f"Patient?identifier={mrn['system']}|{mrn['value']}&birthdate=1990"}

    load(store, tmp_path, patient("p1", "Chidi", "Okonkwo", identifier=[mrn]), visit)

    chidi = patient_by_key(store, "Patient/p1")
    assert len(visits_of(store, chidi.id)) == 1


def test_a_name_written_family_comma_given_is_greeted_by_its_given_name_and_hidden_characters_are_dropped(
    store, tmp_path
):
    """An older system's "NGUYEN, THANH VAN" greets Thanh; a schedule's reference display names a patient the same
    way; a zero-width space inside a name does not make a second "John Doe"."""
    caps = patient("p1", name=[{"use": "official", "text": "NGUYEN, THANH VAN"}])
    hidden = patient("p2", name=[{"use": "official", "given": ["Jo\u200bhn"], "family": "Doe"}])
    booked = encounter("e3", "p3")
    booked["subject"]["display"] = "Rodríguez García, María Guadalupe"

    load(store, tmp_path, caps, hidden, booked)

    rows = {key: patient_by_key(store, f"Patient/{key}") for key in ("p1", "p2", "p3")}
    assert (rows["p1"].recorded_name, rows["p1"].preferred_name) == ("NGUYEN, THANH VAN", "Thanh")
    assert (rows["p2"].recorded_name, rows["p2"].preferred_name) == ("John Doe", "John")
    assert rows["p3"].preferred_name == "María"


def test_in_one_bundle_a_relative_reference_never_lands_on_another_servers_patient_of_that_id(store, tmp_path):
    robert = _from_server("https://hospital.example.org/r4", patient("1001", "Robert", "Brown"))
    ana = _from_server("https://clinic.example.org/fhir", patient("1001", "Ana", "Silva"), encounter("5001", "1001"))
    both = bundle(kind="searchset")
    both["entry"] = [*robert["entry"], *ana["entry"]]

    load_bundle = write(tmp_path, "both.json", both)
    import_paths(store, [load_bundle])

    ana_row = patient_by_key(store, "https://clinic.example.org/fhir/Patient/1001")
    assert len(visits_of(store, ana_row.id)) == 1
    assert visits_of(store, patient_by_key(store, "https://hospital.example.org/r4/Patient/1001").id) == []


def test_rows_imported_before_addresses_keyed_them_are_found_again_not_doubled(store, tmp_path):
    """A database that imported a server's file when rows were keyed "Patient/1001": the same file again finds them
    (and keys them by the server's address from then on)."""
    from sqlmodel import select

    from companion.storage.models import Patient, Visit

    clinic = _from_server("https://clinic.example.org/fhir", patient("1001", "Ana", "Silva"), encounter("5001", "1001"))
    path = write(tmp_path, "clinic.json", clinic)
    import_paths(store, [path])
    with store.writing() as session:  # as an earlier version keyed them
        for model, key in ((Patient, "Patient/1001"), (Visit, "Encounter/5001")):
            row = session.exec(select(model)).one()
            row.source_key = key
            session.add(row)
        session.commit()

    report = import_paths(store, [path]).result

    assert report.count("patients", "new") == 0 and report.count("visits", "new") == 0
    assert patient_by_key(store, "https://clinic.example.org/fhir/Patient/1001").preferred_name == "Ana"


def test_a_patient_imported_without_an_address_is_never_taken_over_by_another_servers_patient_of_that_id(
    store, tmp_path
):
    """Ana came from a clinic's transaction (urn:uuid fullUrls: no server address), keyed by her bare id; a hospital's
    searchset then sends its own Patient/1001, Robert. Two people: Ana's visit still greets Ana."""
    load(store, tmp_path, patient("1001", "Ana", "Silva"), encounter("5001", "1001"))
    hospital = _from_server(
        "https://hospital-b.example.org/fhir", patient("1001", "Robert", "Brown"), encounter("5001", "1001")
    )
    import_paths(store, [write(tmp_path, "hospital.json", hospital)])

    ana = patient_by_key(store, "Patient/1001")
    robert = patient_by_key(store, "https://hospital-b.example.org/fhir/Patient/1001")
    assert (ana.preferred_name, robert.preferred_name) == ("Ana", "Robert")
    [anas_visit] = visits_of(store, ana.id)
    assert build_glance(store, anas_visit.id).to_json()["patient"]["preferred_name"] == "Ana"
    assert len(visits_of(store, robert.id)) == 1


@pytest.mark.parametrize(
    "identifier",
    [
        {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-99-9999"},  # the registration's "not known"
        {"value": "12345"},  # an MRN without its system: another person in every other system
    ],
)
def test_patients_without_an_id_are_not_merged_on_an_identifier_that_names_nobody_in_particular(
    store, tmp_path, identifier
):
    def noid(given: str, family: str) -> dict:
        person = patient("x", given, family, identifier=[identifier])
        del person["id"]
        return person

    load(store, tmp_path, noid("Ana", "Silva"), name="a.json")
    load(store, tmp_path, noid("Robert", "Brown"), name="b.json")

    from sqlmodel import select

    from companion.storage.models import Patient

    with store.session() as session:
        assert sorted(session.exec(select(Patient.recorded_name))) == ["Ana Silva", "Robert Brown"]


def test_an_export_keeps_the_servers_own_ids(store, tmp_path):
    from companion.fhir.exporter import export_visit

    clinic = _from_server("https://clinic.example.org/fhir", patient("1001", "Ana", "Silva"), encounter("5001", "1001"))
    import_paths(store, [write(tmp_path, "clinic.json", clinic)])
    [visit] = visits_of(store, patient_by_key(store, "https://clinic.example.org/fhir/Patient/1001").id)

    ids = {e["resource"]["resourceType"]: e["resource"]["id"] for e in export_visit(store, visit.id)["entry"]}

    assert (ids["Patient"], ids["Encounter"]) == ("1001", "5001")


@pytest.mark.parametrize("start", ["1899-12-31T10:00:00Z", "2205-03-14T09:00:00Z"])
def test_a_visit_dated_outside_the_days_the_app_shows_is_counted_not_used_with_its_reason(store, tmp_path, start):
    """A typing slip in the record's year made a visit no day's list could show nor a nurse move, and the
    patient's answers waiting for a visit could go to it. It is reported instead; the rest imports."""
    report = load(
        store,
        tmp_path,
        patient(),
        encounter("e-slip", start=start),
        appointment("a-slip", start=start),
        encounter("e-real", start="2025-03-14T09:00:00Z"),
    )

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.source_key == "Encounter/e-real"
    outside = "its start is outside 1900-01-01 to 2199-12-31: no day's list could show the visit"
    assert report.unused[f"Encounter ({outside})"] == 1 and report.unused[f"Appointment ({outside})"] == 1
