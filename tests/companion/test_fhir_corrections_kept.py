"""A nightly feed imports the same records again: what the clinic corrected here since (a preferred name, pronouns,
the language and the interpreter, a visit moved) stays as corrected while the record says what it said before; a
record that has changed since is newer news and is imported. And a response's language is a language, or nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from companion.fhir.importer import import_paths
from companion.fhir.profile import WHAT_MATTERS_LINK, WHAT_MATTERS_QUESTIONNAIRE
from companion.services.booking import assign_visit, move_visit
from companion.services.patients import edit_patient
from companion.services.retention import PurgeResult, purge, set_retention
from companion.storage.models import Patient, RecordSaid, Visit
from tests.companion.fhir_samples import (
    appointment,
    bundle,
    encounter,
    notes_of,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
    what_matters,
    write,
)

SPANISH = {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}]}}


def nightly(store, tmp_path, *resources: dict, name: str = "nightly.json"):
    return import_paths(store, [write(tmp_path, name, bundle(*resources))]).result


def corrected(store, patient_id: int) -> None:
    edit_patient(
        store,
        patient_id,
        recorded_name="Ana Lima",
        preferred_name="Anita",
        pronouns="she/her",
        language="Portuguese",
        interpreter_needed=True,
    )


def as_stored(store, patient_id: int) -> tuple:
    with store.session() as session:
        row = session.get(Patient, patient_id)
        return row.preferred_name, row.pronouns, row.preferred_language, row.interpreter_needed


def test_the_same_record_imported_again_leaves_the_clinics_corrections(store, tmp_path):
    resources = (patient("p1", communication=[SPANISH]), appointment("a1"))
    nightly(store, tmp_path, *resources)
    ana = patient_by_key(store, "Patient/p1").id
    [visit] = visits_of(store, ana)
    corrected(store, ana)
    move_visit(store, visit.id, datetime(2025, 3, 14, 18, 30))

    report = nightly(store, tmp_path, *resources)

    assert as_stored(store, ana) == ("Anita", "she/her", "Portuguese", True)
    with store.session() as session:
        assert session.get(Visit, visit.id).scheduled_at == datetime(2025, 3, 14, 18, 30)
    assert report.summary().endswith("nothing changed")


def test_a_record_that_changed_since_is_imported_over_the_correction(store, tmp_path):
    nightly(store, tmp_path, patient("p1"), appointment("a1"))
    ana = patient_by_key(store, "Patient/p1").id
    [visit] = visits_of(store, ana)
    corrected(store, ana)
    move_visit(store, visit.id, datetime(2025, 3, 14, 18, 30))

    nightly(
        store,
        tmp_path,
        patient(
            "p1", name=[{"use": "official", "given": ["Ana"], "family": "Lima"}, {"use": "usual", "given": ["Nana"]}]
        ),
        appointment("a1", start="2025-03-15T10:00:00Z"),
        name="changed.json",
    )

    assert as_stored(store, ana)[0] == "Nana"
    with store.session() as session:
        assert session.get(Visit, visit.id).scheduled_at.date().isoformat() == "2025-03-15"


def test_a_visit_assigned_here_stays_assigned_when_the_same_booking_comes_again(store, tmp_path, make_clinician):
    booked = appointment(
        "a1",
        participant=[
            {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
            {"actor": {"reference": "Practitioner/d1", "display": "Dr. Ada Park"}, "status": "accepted"},
        ],
    )
    nightly(store, tmp_path, patient("p1"), booked)
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    covering = make_clinician("Dr. Vik Rao")
    assign_visit(store, visit.id, covering)  # Dr. Park is away today

    nightly(store, tmp_path, patient("p1"), booked)

    with store.session() as session:
        assert session.get(Visit, visit.id).clinician_id == covering


def test_a_value_the_record_changed_is_imported_and_the_others_stay_corrected(store, tmp_path):
    """The booking is checked in (its status changed in the record): the time the nurse moved it to stays."""
    nightly(store, tmp_path, patient("p1"), appointment("a1"))
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    move_visit(store, visit.id, datetime(2025, 3, 14, 18, 30))

    nightly(store, tmp_path, patient("p1"), appointment("a1", status="arrived"), name="arrived.json")

    with store.session() as session:
        row = session.get(Visit, visit.id)
        assert (row.scheduled_at, row.status.value) == (datetime(2025, 3, 14, 18, 30), "roomed")


def test_the_interpreter_a_portals_answers_asked_for_stays_as_corrected(store, tmp_path):
    asked = what_matters(
        "q1",
        [],
        questionnaire=WHAT_MATTERS_QUESTIONNAIRE,
        item=[{"linkId": "interpreter", "answer": [{"valueBoolean": True}]}],
    )
    nightly(store, tmp_path, patient("p1"), appointment("a1"), asked)
    ana = patient_by_key(store, "Patient/p1").id
    assert as_stored(store, ana)[3] is True
    edit_patient(store, ana, recorded_name="Ana Lima", interpreter_needed=False)  # she said at the desk: no need

    nightly(store, tmp_path, patient("p1"), appointment("a1"), asked)

    assert as_stored(store, ana)[3] is False


def response(language: str) -> dict:
    """The app's own questionnaire, as a portal sends it back."""
    answers = [{"linkId": WHAT_MATTERS_LINK, "answer": [{"valueString": "my knee on the stairs"}]}]
    return what_matters("q1", [], language=language, questionnaire=WHAT_MATTERS_QUESTIONNAIRE, item=answers)


@pytest.mark.parametrize(("code", "tag_shaped"), [("HIV positive", False), ("HIV-positive", True), ("Trans", False)])
def test_a_responses_language_that_is_no_language_tag_never_shows_beside_the_name(store, tmp_path, code, tag_shaped):
    """FHIR's `code` allows single spaces: "HIV positive" is a valid code, and no language."""
    nightly(store, tmp_path, patient("p1"), appointment("a1"), response(code))
    ana = patient_by_key(store, "Patient/p1").id
    assert as_stored(store, ana)[2] == ""
    # Words that name no language are no language to read the answers in: "my knee" is read, and shows. A code
    # shaped as a tag may be a language the rules cannot read: the answer waits behind the reveal.
    [knee] = priorities_of(store, ana)
    assert knee.sensitive is tag_shaped

    again = nightly(store, tmp_path, patient("p1"), appointment("a1"), response(code))
    assert again.summary().endswith("nothing changed")


def test_a_responses_language_tag_is_kept_as_the_language_it_names(store, tmp_path):
    nightly(store, tmp_path, patient("p1"), appointment("a1"), response("es-MX"))
    assert as_stored(store, patient_by_key(store, "Patient/p1").id)[2] == "Spanish"


def test_a_purged_visit_takes_what_the_record_said_of_it_along(store, tmp_path):
    """Retention removes an old visit, its reason among it: the digest of what the record said of it goes too, and
    the same record imported again makes the visit as the record says it."""
    private_reason = {"reasonCode": [{"text": "HIV follow-up"}]}
    nightly(store, tmp_path, patient("p1"), appointment("a1", **private_reason))
    with store.session() as session:
        assert sorted(session.exec(select(RecordSaid.key)).all()) == ["Appointment/a1", "Patient/p1"]

    purge(store, 30, now=datetime(2026, 1, 1))

    with store.session() as session:
        assert session.exec(select(RecordSaid.key)).all() == ["Patient/p1"]


def message(cid: str, text: str, sent: str, **extra) -> dict:
    return {
        "resourceType": "Communication",
        "id": cid,
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "sent": sent,
        "payload": [{"contentString": text}],
    } | extra


def test_a_nightly_import_brings_back_no_visit_the_retention_removed_nor_what_was_filed_under_it(store, tmp_path):
    """The clinic keeps a year; the record keeps everything, and comes again every night. A visit the purge removed
    stays removed, with the answers and facts filed under it; a lasting goal said then stays, as the purge keeps
    it; the latest year comes in as before, and the next purge has nothing to remove."""
    old, recent = (f"{date.today() - timedelta(days=days)}T09:00:00Z" for days in (400, 10))
    then, lately = ({"encounter": {"reference": f"Encounter/{eid}"}} for eid in ("e0", "e1"))
    record = (
        patient("p1"),
        encounter("e0", start=old, status="finished"),
        what_matters("q0", ["My knee"], authored=old, **then),
        message("c0", "Worried about the scan results", old, **then),
        encounter("e1", start=recent, status="finished"),
        what_matters("q1", ["Sleep"], authored=recent, **lately),
    )
    nightly(store, tmp_path, *record)
    set_retention(store, 365)
    assert purge(store, 365) == PurgeResult(visits=1, priorities=1, notes=1)

    report = nightly(store, tmp_path, *record)

    ana = patient_by_key(store, "Patient/p1").id
    assert [visit.source_key for visit in visits_of(store, ana)] == ["Encounter/e1"]
    assert [priority.text for priority in priorities_of(store, ana)] == ["Sleep"]
    assert notes_of(store, ana) == []
    assert report.changes() == []
    assert dict(report.unused) == {
        "Encounter (older than the clinic keeps visits)": 1,
        "QuestionnaireResponse (filed under a visit older than the clinic keeps visits)": 1,
        "Communication (filed under a visit older than the clinic keeps visits)": 1,
    }
    assert purge(store, 365, rehearse=True) == PurgeResult(0, 0, 0, rehearsed=True)


def test_what_a_purge_removed_stays_removed_when_the_next_feed_names_no_visit_or_leaves_the_old_one_out(
    store, tmp_path
):
    """Answers sent with no Encounter, and a feed of new resources only (the old Encounter not in it): anchored to
    the visit that is left, the purged words would have come back on last week's visit, or next week's agenda."""
    old, recent = (f"{date.today() - timedelta(days=days)}T09:00:00Z" for days in (400, 10))
    then = {"encounter": {"reference": "Encounter/e0"}}
    said_then = (what_matters("q0", ["My knee"], authored=old), message("c0", "Worried about the scan", old, **then))
    nightly(store, tmp_path, patient("p1"), encounter("e0", start=old, status="finished"), *said_then)
    nightly(store, tmp_path, encounter("e1", start=recent, status="finished"))
    set_retention(store, 365)
    assert purge(store, 365) == PurgeResult(visits=1, priorities=1, notes=1)

    report = nightly(store, tmp_path, patient("p1"), *said_then)

    ana = patient_by_key(store, "Patient/p1").id
    assert (priorities_of(store, ana), notes_of(store, ana)) == ([], [])
    assert report.changes() == []
    assert sum(report.unused.values()) == 2


def test_with_retention_set_an_old_visit_not_purged_yet_still_takes_the_records_restriction(store, tmp_path):
    """Retention is set but no purge has run (purging at start is off): the record marking an old visit
    restricted still makes what was filed under it private; and a history Bundle whose newer version moves a visit
    into the year kept makes it, with what is filed under it."""
    old, recent = (f"{date.today() - timedelta(days=days)}T09:00:00Z" for days in (400, 10))
    then = {"encounter": {"reference": "Encounter/e0"}}
    nightly(store, tmp_path, patient("p1"), encounter("e0", start=old), message("c0", "Walks the dog", old, **then))
    set_retention(store, 365)
    restricted = {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}

    nightly(store, tmp_path, patient("p1"), encounter("e0", start=old, status="finished", meta=restricted))

    ana = patient_by_key(store, "Patient/p1").id
    [visit] = visits_of(store, ana)
    assert visit.status == "done" and "|R" in visit.record_labels
    assert [note.sensitive for note in notes_of(store, ana)] == [True]

    moved = (
        encounter("e2", start=old, meta={"versionId": "1", "lastUpdated": old}),
        encounter("e2", start=recent, meta={"versionId": "2", "lastUpdated": recent}),
        what_matters("q2", ["Sleep"], authored=recent, encounter={"reference": "Encounter/e2"}),
    )
    report = nightly(store, tmp_path, *moved)
    assert [p.text for p in priorities_of(store, ana)] == ["Sleep"]
    assert [v.source_key for v in visits_of(store, ana)] == ["Encounter/e0", "Encounter/e2"]
    assert not [what for what in report.unused if "keeps" in what and "Encounter" not in what]


def test_a_booking_twice_in_one_file_leaves_the_correction_when_the_file_comes_again(store, tmp_path):
    """A history Bundle without meta holds two versions of one Appointment, the newest last: only the newest says
    what the record says now, so the older one is no news on the next night. (Two different Patients of one key
    and version clash, and neither is imported.)"""
    resources = (patient("p1"), appointment("a1", start="2025-03-14T08:00:00Z"), appointment("a1"))
    nightly(store, tmp_path, *resources)
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.scheduled_at == datetime(2025, 3, 14, 9, 0)  # the newest version, written last
    move_visit(store, visit.id, datetime(2025, 3, 14, 18, 30))

    report = nightly(store, tmp_path, *resources)

    with store.session() as session:
        assert session.get(Visit, visit.id).scheduled_at == datetime(2025, 3, 14, 18, 30)
    assert report.summary().endswith("nothing changed")


SUMMARY = {"tag": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}]}


def names_and_language(store, key: str = "Patient/p1") -> tuple:
    row = patient_by_key(store, key)
    return row.recorded_name, row.preferred_language, row.interpreter_needed


def test_a_summary_copy_of_the_record_leaves_what_it_does_not_carry(store, tmp_path):
    nightly(store, tmp_path, patient("p1", communication=[SPANISH | {"preferred": True}]))
    interpreter = [{"url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired", "valueBoolean": True}]
    nightly(store, tmp_path, patient("p1", communication=[SPANISH], extension=interpreter))
    before = names_and_language(store)
    assert before == ("Ana Lima", "Spanish", True)

    # a search's _summary: no name, no language, no extensions; it says nothing of them
    nightly(store, tmp_path, {"resourceType": "Patient", "id": "p1", "meta": SUMMARY, "gender": "female"})
    assert names_and_language(store) == before

    # what a summary does carry is news; the full record that follows, unchanged, changes nothing back
    nightly(store, tmp_path, {"resourceType": "Patient", "id": "p1", "meta": SUMMARY, "name": [{"text": "Ana Souza"}]})
    assert names_and_language(store) == ("Ana Souza", "Spanish", True)


def test_a_record_that_lost_its_name_never_renames_the_patient_no_name(store, tmp_path):
    nightly(store, tmp_path, patient("p1"))
    ana = patient_by_key(store, "Patient/p1").id
    edit_patient(store, ana, recorded_name="Ana Lima", preferred_name="Annie")  # the nurse's correction
    nightly(store, tmp_path, {"resourceType": "Patient", "id": "p1", "communication": [SPANISH]})

    # the language it now says is imported; the names it left out stay, the one she likes as corrected
    assert names_and_language(store) == ("Ana Lima", "Spanish", False)
    assert patient_by_key(store, "Patient/p1").preferred_name == "Annie"
    nightly(store, tmp_path, patient("p1", communication=[SPANISH]))
    assert names_and_language(store) == ("Ana Lima", "Spanish", False)
    assert patient_by_key(store, "Patient/p1").preferred_name == "Annie"  # the record still says what it said


def test_what_the_record_said_is_kept_once_a_resource_and_each_row_kept_is_in_the_audit_log(store, tmp_path):
    """Kept at the commit in one statement for the whole file: the audit log still names every row added, with
    the visit it is of, and a changed record updates its row rather than adding another."""
    from companion.services.audit_trail import audit_log

    later = appointment("a2", start="2025-03-21T09:00:00Z")
    nightly(store, tmp_path, patient("p1"), appointment("a1"), later)
    ana = patient_by_key(store, "Patient/p1").id
    by_key = {visit.source_key: visit.id for visit in visits_of(store, ana)}

    def kept() -> dict[str, tuple]:
        with store.session() as session:
            return {row.key: (row.id, row.visit_id, row.digest) for row in session.exec(select(RecordSaid))}

    first = kept()
    assert {key: visit for key, (_id, visit, _digest) in first.items()} == {
        "Patient/p1": None,
        "Appointment/a1": by_key["Appointment/a1"],
        "Appointment/a2": by_key["Appointment/a2"],
    }
    added = [(e["detail"], e["visit_id"]) for e in audit_log(store) if e["action"] == "add recordsaid"]
    assert sorted(added) == sorted((f"recordsaid {row_id}", visit) for row_id, visit, _digest in first.values())

    nightly(store, tmp_path, patient("p1"), appointment("a1", start="2025-03-14T10:00:00Z"), later)

    again = kept()
    assert again.keys() == first.keys()
    assert again["Appointment/a1"][2] != first["Appointment/a1"][2]  # what the record says now
    assert again["Appointment/a2"] == first["Appointment/a2"]
    assert len([e for e in audit_log(store) if e["action"] == "add recordsaid"]) == len(added)
