"""What a message or a visit is about, wherever the record says it, keeps it private; a booking that names two
patients is booked for neither; a packed or rule-bound file is named, not misread (the twelfth FHIR probe)."""

from __future__ import annotations

import gzip
import zipfile

import pytest

from companion.errors import CompanionError
from companion.fhir.importer import import_paths
from companion.privacy.rules import ACT_CODE, CONFIDENTIALITY
from tests.companion.fhir_samples import (
    appointment,
    bundle,
    encounter,
    load,
    notes_of,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
    what_matters,
    write,
)

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
SHOWN = "Moved Tuesday's 6pm group to Thursday, same room."


def message(cid: str = "c1", **extra) -> dict:
    return {
        "resourceType": "Communication",
        "id": cid,
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "encounter": {"reference": "Encounter/e1"},
        "payload": [{"contentString": SHOWN}],
    } | extra


def condition(cid: str, code: str, display: str | None = None) -> dict:
    coding = {"system": ICD10, "code": code} | ({"display": display} if display else {})
    return {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [coding]},
    }


def shown(store) -> dict[str, bool]:
    return {n.text: n.sensitive for n in notes_of(store, patient_by_key(store, "Patient/p1").id)}


@pytest.mark.parametrize(
    "about",
    [
        {"reasonReference": [{"reference": "Condition/k1"}]},  # the condition in the file says it by its code alone
        {"reasonReference": [{"reference": "Condition/k2", "display": "Opioid dependence"}]},  # by its name
        {"reasonCode": [{"text": "Opioid use disorder"}]},  # in words, with no code
        {"topic": {"text": "Methadone dosing"}},
        {"category": [{"text": "Behavioral health"}]},
    ],
    ids=["reference-coded", "reference-named", "reason-words", "topic-words", "category-words"],
)
def test_a_message_about_a_private_matter_is_private_however_the_record_says_what_about(store, tmp_path, about):
    load(store, tmp_path, patient("p1"), encounter("e1"), condition("k1", "F11.20"), message(**about))
    assert shown(store) == {SHOWN: True}


def test_a_message_whose_reason_is_an_ordinary_condition_still_shows(store, tmp_path):
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        condition("k1", "M17.11", "Primary osteoarthritis, right knee"),
        message(reasonReference=[{"reference": "Condition/k1"}]),
    )
    assert shown(store) == {SHOWN: False}


def test_a_flag_whose_category_is_written_in_words_only_is_judged_by_them(store, tmp_path):
    staff_only = {
        "resourceType": "Flag",
        "id": "f1",
        "status": "active",
        "category": [{"text": "Behavioral health"}],
        "code": {"text": "Staff escort to exam room"},
        "subject": {"reference": "Patient/p1"},
    }
    load(store, tmp_path, patient("p1"), encounter("e1"), staff_only)
    assert shown(store) == {"Staff escort to exam room": True}


@pytest.mark.parametrize(
    "typed",
    [
        {"appointmentType": {"coding": [{"system": CPT, "code": "90837", "display": "60 min session"}]}},
        {"serviceCategory": [{"coding": [{"system": CPT, "code": "90837"}], "text": "60 min session"}]},
        {"appointmentType": {"text": "60 min session"}, "serviceCategory": [{"text": "Addiction medicine"}]},
    ],
    ids=["type-coded", "category-coded", "category-words"],
)
def test_a_booking_typed_as_psychotherapy_keeps_its_reason_private_wherever_the_type_is(store, tmp_path, typed):
    load(store, tmp_path, patient("p1"), appointment("a1", **typed))
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.reason_private and visit.reason_category in ("mental_health", "substance_use")


def test_a_booking_that_names_two_patients_is_booked_for_neither_and_reported(store, tmp_path):
    both = [
        {"actor": {"reference": "Patient/mom"}, "status": "accepted"},
        {"actor": {"reference": "Patient/kid"}, "status": "accepted"},
    ]
    report = load(
        store,
        tmp_path,
        patient("mom", "Maria"),
        patient("kid", "Sofia"),
        appointment("a1", participant=both, description="Well child visit"),
    )
    assert visits_of(store, patient_by_key(store, "Patient/mom").id) == []
    assert visits_of(store, patient_by_key(store, "Patient/kid").id) == []
    assert any("more than one patient" in what for what in report.unused)


def test_a_booking_naming_its_one_patient_twice_is_still_booked(store, tmp_path):
    twice = [
        {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
        {"actor": {"reference": "Patient/p1", "display": "Ana"}, "status": "accepted"},
    ]
    load(store, tmp_path, patient("p1"), appointment("a1", participant=twice))
    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1


@pytest.mark.parametrize("packed", ["gzip", "zip"])
@pytest.mark.parametrize("name", ["bundle.json", "Patient.ndjson"])
def test_a_compressed_file_is_named_as_such_and_nothing_is_imported(store, tmp_path, packed, name):
    data = write(tmp_path, "plain.json", bundle(patient("p1"))).read_bytes()
    path = tmp_path / name
    if packed == "gzip":
        path.write_bytes(gzip.compress(data))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("bundle.json", data)
    with pytest.raises(CompanionError, match=f"it is a {packed} file: unpack it first"):
        import_paths(store, [path])


def test_a_resource_written_under_rules_the_app_does_not_know_is_skipped_and_named(store, tmp_path):
    negated = {
        "resourceType": "Flag",
        "id": "f1",
        "implicitRules": "http://clinic.example/rules/negated-flags",
        "status": "active",
        "code": {"text": "Lives alone"},
        "subject": {"reference": "Patient/p1"},
    }
    report = load(store, tmp_path, patient("p1"), encounter("e1"), negated, what_matters("q1", ["My knee"]))
    assert [s.resource for s in report.skipped] == ["Flag/f1"] and "implicitRules" in report.skipped[0].reason
    assert shown(store) == {}


def test_what_is_filed_under_a_restricted_visit_carries_its_labels(store, tmp_path):
    """A 42 CFR Part 2 visit (ActCode ETH, confidentiality R): the answer and the message filed under it wait behind
    the reveal like its reason; what is filed under the patient's other visit does not."""
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}, {"system": CONFIDENTIALITY, "code": "R"}]}
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1", meta=part2),
        encounter("e2", start="2025-03-15T09:00:00+00:00"),
        what_matters("q1", ["Getting my take-home doses back"], encounter={"reference": "Encounter/e1"}),
        message("c1"),
        message("c2", encounter={"reference": "Encounter/e2"}, payload=[{"contentString": "Bring the knee brace"}]),
    )
    [answer] = priorities_of(store, patient_by_key(store, "Patient/p1").id)
    assert (answer.text, answer.sensitive) == ("Getting my take-home doses back", True)
    assert shown(store) == {SHOWN: True, "Bring the knee brace": False}


def flag_for(reference: str) -> dict:
    return {
        "resourceType": "Flag",
        "id": "f1",
        "status": "active",
        "code": {"text": "Needs a wheelchair"},
        "subject": {"reference": reference},
    }


def test_a_full_url_two_patients_were_written_at_names_neither(store, tmp_path):
    """FHIR forbids two entries at one fullUrl (bdl-7); a file that does it has the flag name either person."""
    shared = "urn:uuid:11111111-1111-1111-1111-111111111111"
    data = bundle(patient("p1", "Ana", "Lee"), patient("p2", "Bo", "Ruiz"), flag_for(shared))
    data["entry"][0]["fullUrl"] = data["entry"][1]["fullUrl"] = shared
    report = import_paths(store, [write(tmp_path, "clash.json", data)]).result

    assert [s.resource for s in report.skipped] == ["Flag/f1"]
    assert "more than one patient" in report.skipped[0].reason
    for key in ("Patient/p1", "Patient/p2"):  # both people are here, nothing filed under either by mistake
        assert notes_of(store, patient_by_key(store, key).id) == []


def test_two_different_patients_of_one_id_and_version_are_neither_imported(store, tmp_path):
    """Not two versions of one record (those carry versions, or come in a history Bundle): one person or two cannot
    be told, so neither is written, and what is filed under that id waits for a file that says."""
    report = load(store, tmp_path, patient("p1", "Ana", "Lee"), patient("p1", "Bo", "Ruiz"), flag_for("Patient/p1"))

    assert sorted(s.resource for s in report.skipped) == ["Flag/f1", "Patient/p1", "Patient/p1"]
    assert all("same address" in s.reason for s in report.skipped if s.resource == "Patient/p1")
    assert report.count("patients", "new") == 0


def test_the_same_patient_listed_twice_as_written_is_one_patient(store, tmp_path):
    load(store, tmp_path, patient("p1", "Ana", "Lee"), patient("p1", "Ana", "Lee"), flag_for("Patient/p1"))
    assert [n.text for n in notes_of(store, patient_by_key(store, "Patient/p1").id)] == ["Needs a wheelchair"]
