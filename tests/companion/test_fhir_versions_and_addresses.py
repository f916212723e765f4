"""FHIR import of records as servers send them: several versions of one resource in a file (a `history` Bundle
lists the newest first), and one server's address written two ways. Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from companion.fhir.importer import import_paths
from companion.read.briefing import build_glance
from companion.storage.models import VisitStatus
from tests.companion.fhir_samples import (
    SOCIAL,
    appointment,
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    notes_of,
    observation,
    patient,
    patient_by_key,
    visits_of,
    what_matters,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
BASE = "https://ehr.example.org/fhir"


def _version(resource: dict, number: int, updated: str | None = None) -> dict:
    meta = {"versionId": str(number)} | ({"lastUpdated": updated} if updated else {})
    return resource | {"meta": meta}


def _history(*versions: dict) -> dict:
    """A `_history` answer: every version of the resources, newest first, each entry at its server's address."""
    data = bundle(*versions, kind="history")
    for entry in data["entry"]:
        resource = entry["resource"]
        entry["fullUrl"] = f"{BASE}/{resource['resourceType']}/{resource['id']}"
        entry["request"] = {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}
    return data


def test_a_history_bundle_listing_the_newest_version_first_leaves_the_newest_standing(store, tmp_path):
    """A server's _history lists versions newest first: the patient's new name, the booking cancelled since and the
    living situation as it is now stand; the earlier versions do not win for coming later in the file."""
    renamed = _version(patient("1", "Alex", "Rivera"), 2, "2025-03-10T10:00:00Z")
    named = _version(patient("1", "Alejandra", "Rivera"), 1, "2024-01-01T10:00:00Z")
    cancelled = _version(appointment("a1", "1", status="cancelled"), 2, "2025-03-12T08:00:00Z")
    booked = _version(appointment("a1", "1"), 1, "2025-02-01T08:00:00Z")
    when = "2025-03-01T10:00:00Z"
    housed_now = _version(observation("o1", "71802-3", "Lives with sister", when, pid="1"), 2, "2025-03-11T08:00:00Z")
    housed_then = _version(observation("o1", "71802-3", "Lives in a shelter", when, pid="1"), 1, "2025-03-02T08:00:00Z")

    import_paths(store, [write(tmp_path, "history.json", _history(renamed, named, cancelled, booked))])
    import_paths(store, [write(tmp_path, "notes.json", _history(housed_now, housed_then))])

    alex = patient_by_key(store, f"{BASE}/Patient/1")
    assert alex.preferred_name == "Alex"
    [visit] = visits_of(store, alex.id)
    assert visit.status is VisitStatus.cancelled
    [shown] = [note.text for note in notes_of(store, alex.id) if note.retracted_at is None]
    assert shown.endswith("Lives with sister")


def test_two_versions_in_a_transaction_the_higher_version_wins_whatever_their_order(store, tmp_path):
    """A feed that batched two updates out of order: versionId 3 is the record now, not the version listed last."""
    newer = _version(patient("p1", "Sam", "Okafor"), 3)
    older = _version(patient("p1", "Samantha", "Okafor"), 2)

    import_paths(store, [write(tmp_path, "batch.json", bundle(newer, older, kind="transaction"))])

    assert patient_by_key(store, "Patient/p1").preferred_name == "Sam"


def test_one_servers_address_written_http_in_one_place_and_https_in_another_is_one_patient(store, tmp_path):
    """A server behind a proxy that names itself http:// in fullUrls while its references say https://: the
    visit and the story land on the patient, in the same file and in a later one."""
    person = patient("1001", "Ana", "Silva")
    visit = encounter("5001", "x", start="2025-03-14T09:00:00+00:00")
    visit["subject"] = {"reference": "https://EHR.example.org/fhir/Patient/1001"}
    first = bundle(person, visit, kind="searchset")
    first["entry"][0]["fullUrl"] = "http://ehr.example.org/fhir/Patient/1001"
    first["entry"][1]["fullUrl"] = "http://ehr.example.org/fhir/Encounter/5001"
    story = observation("o1", "71802-3", "Lives with her daughter", "2025-03-01T10:00:00Z", pid="x")
    story["subject"] = {"reference": "https://ehr.example.org/fhir/Patient/1001"}
    story["category"] = [SOCIAL]
    later = bundle(story, kind="searchset")
    later["entry"][0]["fullUrl"] = "https://ehr.example.org/fhir/Observation/o1"

    import_paths(store, [write(tmp_path, "first.json", first)])
    report = import_paths(store, [write(tmp_path, "later.json", later)]).result

    assert report.count("patients", "new") == 0
    ana = patient_by_key(store, "https://ehr.example.org/fhir/Patient/1001")
    [anas_visit] = visits_of(store, ana.id)
    assert build_glance(store, anas_visit.id).patient.preferred_name == "Ana"
    assert [note.text.split(": ")[-1] for note in notes_of(store, ana.id)] == ["Lives with her daughter"]


def test_rows_keyed_by_an_address_spelled_http_are_found_again_when_the_same_file_comes_back(store, tmp_path):
    """A database whose rows were keyed by the address as the file spelled it ("http://..."), before one server
    was one address: the same file again updates them, never doubles them."""
    from sqlmodel import select

    from companion.storage.models import Patient, Visit

    first = bundle(patient("1001", "Ana", "Silva"), encounter("5001", "1001"), kind="searchset")
    for entry in first["entry"]:
        resource = entry["resource"]
        entry["fullUrl"] = f"http://EHR.example.org:80/fhir/{resource['resourceType']}/{resource['id']}"
    path = write(tmp_path, "first.json", first)
    import_paths(store, [path])
    with store.writing() as session:  # as an earlier version keyed them
        for model, kind in ((Patient, "Patient/1001"), (Visit, "Encounter/5001")):
            row = session.exec(select(model)).one()
            row.source_key = f"http://EHR.example.org:80/fhir/{kind}"
            session.add(row)
        session.commit()

    report = import_paths(store, [path]).result

    assert report.count("patients", "new") == 0 and report.count("visits", "new") == 0
    ana = patient_by_key(store, "https://ehr.example.org/fhir/Patient/1001")
    assert len(visits_of(store, ana.id)) == 1


def test_a_reference_by_identifier_alone_finds_its_patient_and_visit(store, tmp_path):
    """Some systems name the patient by a logical reference only (an identifier, with or without its type, and no
    literal reference): the visit, the story and the answer land on that patient, not on a stranger or nowhere."""
    mrn = {"system": "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14", "value": "E4007"}
    person = patient("p1", "Ana", "Silva", identifier=[mrn])
    visit = encounter("e1", "x")
    visit["subject"] = {"identifier": mrn, "type": "Patient", "display": "Ana Silva"}
    visit["identifier"] = [{"system": "urn:oid:1.2.3.4.5", "value": "CSN-881"}]
    story = observation("o1", "71802-3", "Lives with her daughter", "2025-03-01T10:00:00Z", pid="x")
    story["subject"] = {"identifier": mrn}  # no type: a subject here can only be the patient
    answered = what_matters("q1", ["My knee on the stairs"], pid="x")
    answered["subject"] = {"identifier": mrn, "type": "http://hl7.org/fhir/StructureDefinition/Patient"}
    answered["encounter"] = {"identifier": {"system": "urn:oid:1.2.3.4.5", "value": "CSN-881"}, "type": "Encounter"}

    report = import_paths(store, [write(tmp_path, "b.json", bundle(person, visit, story, answered))]).result

    assert report.count("patients", "new") == 1 and not report.skipped
    ana = patient_by_key(store, "Patient/p1")
    [anas_visit] = visits_of(store, ana.id)
    assert [note.text.split(": ")[-1] for note in notes_of(store, ana.id)] == ["Lives with her daughter"]
    assert [p.text for p in build_glance(store, anas_visit.id).priorities] == ["My knee on the stairs"]


def test_a_version_stamped_years_ahead_does_not_keep_the_next_update_out(store, tmp_path):
    """A server whose clock ran ahead (or a typed 2099) stamped the booking: the cancellation sent today, stamped
    by a right clock, still cancels it, and the version after that is compared with today's as ever."""
    today = datetime.now(UTC).replace(microsecond=0)
    ahead = _version(appointment("a1"), 1, "2099-01-01T00:00:00Z")
    import_paths(store, [write(tmp_path, "ahead.json", bundle(patient("p1"), ahead))])
    cancelled = _version(appointment("a1", status="cancelled"), 2, today.isoformat())
    import_paths(store, [write(tmp_path, "today.json", bundle(patient("p1"), cancelled))])

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.status == VisitStatus.cancelled
    older = _version(appointment("a1"), 1, (today - timedelta(days=2)).isoformat())
    report = import_paths(store, [write(tmp_path, "older.json", bundle(patient("p1"), older))]).result
    assert report.unused["Appointment (older than the version imported before)"] == 1
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.status == VisitStatus.cancelled
