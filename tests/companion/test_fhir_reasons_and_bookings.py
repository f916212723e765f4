"""What a message or a visit is about, wherever the record says it, keeps it private; a booking that names two
patients is booked for neither; a packed or rule-bound file is named, not misread (the twelfth FHIR probe)."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest

from companion.errors import CompanionError
from companion.fhir.exporter import export_visit, write_export
from companion.fhir.importer import import_paths
from companion.fhir.profile import WHAT_MATTERS_QUESTIONNAIRE
from companion.fhir.questionnaire import LINK_PRACTICAL_NEEDS
from companion.privacy.rules import ACT_CODE, CONFIDENTIALITY
from companion.read.overview import list_patients
from companion.storage.models import VisitStatus
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
SCT = "http://snomed.info/sct"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
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


def test_two_patients_visits_written_at_one_full_url_are_neither_imported_and_no_visit_is_cancelled(store, tmp_path):
    """A second Encounter at the first's fullUrl, for another patient, read as the server moving the booking, had
    cancelled the first patient's visit without a word; one file cannot move a visit it holds twice."""
    address = "http://ehr.example.org/fhir/Encounter/e1"
    load(store, tmp_path, patient("p1", "Ana", "Lee"), patient("p2", "Bo", "Ruiz"), name="people.json")
    data = bundle(encounter("e1", "p1"), encounter("e1", "p2", start="2025-03-14T12:00:00+00:00"))
    data["entry"][0]["fullUrl"] = data["entry"][1]["fullUrl"] = address
    report = import_paths(store, [write(tmp_path, "clash.json", data)]).result

    assert [s.resource for s in report.skipped] == ["Encounter/e1", "Encounter/e1"]
    assert all("same address" in s.reason for s in report.skipped)
    assert report.count("visits", "new") == report.count("visits", "updated") == 0
    for key in ("Patient/p1", "Patient/p2"):
        assert visits_of(store, patient_by_key(store, key).id) == []


def test_a_visit_booked_here_keeps_its_status_when_a_file_holds_it_twice_for_two_patients(store, tmp_path):
    address = "http://ehr.example.org/fhir/Appointment/a1"
    first = bundle(patient("p1", "Ana", "Lee"), patient("p2", "Bo", "Ruiz"), appointment("a1", "p1"))
    first["entry"][2]["fullUrl"] = address
    import_paths(store, [write(tmp_path, "booked.json", first)])
    clash = bundle(appointment("a1", "p1"), appointment("a1", "p2"))
    clash["entry"][0]["fullUrl"] = clash["entry"][1]["fullUrl"] = address
    import_paths(store, [write(tmp_path, "clash.json", clash)])

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.status == VisitStatus.scheduled
    assert visits_of(store, patient_by_key(store, "Patient/p2").id) == []


def test_the_same_patient_listed_twice_as_written_is_one_patient(store, tmp_path):
    load(store, tmp_path, patient("p1", "Ana", "Lee"), patient("p1", "Ana", "Lee"), flag_for("Patient/p1"))
    assert [n.text for n in notes_of(store, patient_by_key(store, "Patient/p1").id)] == ["Needs a wheelchair"]


def ndjson(folder, name: str, *resources: dict):
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in resources), encoding="utf-8")
    return path


@pytest.mark.parametrize("apart", [True, False], ids=["visit-imported-first", "one-folder"])
def test_a_restricted_visit_in_another_file_restricts_what_is_filed_under_it(store, tmp_path, apart):
    """A Bulk export sends Encounter.ndjson and Communication.ndjson apart (a folder lists the messages first): what
    is filed under a Part 2 visit is private, and the label on the visit stays when a later copy lacks it."""
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    folder = tmp_path / "bulk"
    folder.mkdir()
    ndjson(folder, "Patient.ndjson", patient("p1"))
    ndjson(folder, "Encounter.ndjson", encounter("e1", meta=part2), encounter("e2", start="2025-03-15T09:00:00+00:00"))
    ndjson(
        folder,
        "Communication.ndjson",
        message("c1"),
        message("c2", encounter={"reference": "Encounter/e2"}, payload=[{"contentString": "Bring the knee brace"}]),
    )
    if apart:
        for name in ("Patient.ndjson", "Encounter.ndjson", "Communication.ndjson"):
            import_paths(store, [folder / name])
    else:
        import_paths(store, [folder])
    assert shown(store) == {SHOWN: True, "Bring the knee brace": False}

    unlabelled = ndjson(tmp_path, "again.ndjson", encounter("e1"))  # a later copy without the label
    later = ndjson(tmp_path, "more.ndjson", message("c3", payload=[{"contentString": "Ride at 5"}]))
    import_paths(store, [unlabelled, later])
    assert shown(store) == {SHOWN: True, "Bring the knee brace": False, "Ride at 5": True}


def test_an_encounter_labelled_after_its_items_were_imported_makes_them_private(store, tmp_path):
    """The visit came first without its label (a summary), then the message, then the labelled Encounter."""
    load(store, tmp_path, patient("p1"), encounter("e1"), message("c1"), name="first.json")
    assert shown(store) == {SHOWN: False}
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    load(store, tmp_path, encounter("e1", meta=part2), name="second.json")
    assert shown(store) == {SHOWN: True}


@pytest.mark.parametrize("booked", [False, True], ids=["encounter-alone", "booked-visit-first"])
def test_items_imported_before_their_visit_is_known_become_private_when_it_comes_restricted(store, tmp_path, booked):
    """A Bulk export's files imported one by one in the order a folder lists them: the messages and the answers
    come before the Encounter they are filed under, so no visit holds them yet; the Part 2 Encounter that comes
    later makes them private. The patient's other visit, which came later too, restricts nothing."""
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    first = [patient("p1")]
    if booked:  # the clinic's schedule had booked the visit; the Encounter names that booking
        first.append(appointment("a1"))
    load(
        store,
        tmp_path,
        *first,
        message("c1"),
        message("c2", encounter={"reference": "Encounter/e2"}, payload=[{"contentString": "Bring the knee brace"}]),
        what_matters("q1", ["Getting my take-home doses back"], encounter={"reference": "Encounter/e1"}),
        name="items.json",
    )
    assert shown(store) == {SHOWN: False, "Bring the knee brace": False}
    via = {"appointment": [{"reference": "Appointment/a1"}]} if booked else {}
    load(
        store,
        tmp_path,
        encounter("e1", meta=part2, **via),
        encounter("e2", start="2025-03-15T09:00:00+00:00"),
        name="visits.json",
    )
    assert shown(store) == {SHOWN: True, "Bring the knee brace": False}
    [answer] = priorities_of(store, patient_by_key(store, "Patient/p1").id)
    assert (answer.text, answer.sensitive) == ("Getting my take-home doses back", True)


def exported_and_imported(store, empty_store, tmp_path) -> dict[str, bool]:
    [visit] = [v for v in visits_of(store, patient_by_key(store, "Patient/p1").id) if v.reason != "Visit"]
    path = tmp_path / "export.json"
    write_export(store, visit.id, path, include_sensitive=True)
    assert import_paths(empty_store, [path]).result.skipped == []
    [patient_row] = list_patients(empty_store)
    return {n.text: n.sensitive for n in notes_of(empty_store, patient_row.id)}


def test_a_private_reason_exported_and_imported_again_restricts_nothing_filed_under_its_visit(
    store, empty_store, tmp_path
):
    """The export labels the Encounter for its reason: imported again, the visit's own notes keep their glance."""
    service = {"coding": [{"system": ICD10, "code": "F43.10"}], "text": "Follow-up"}
    ride = message("c1", payload=[{"contentString": "Daughter drives her"}])
    load(store, tmp_path, patient("p1"), encounter("e1", serviceType=service), ride)
    assert shown(store) == {"Daughter drives her": False}

    assert exported_and_imported(store, empty_store, tmp_path) == {"Daughter drives her": False}
    [again] = visits_of(empty_store, list_patients(empty_store)[0].id)
    assert again.reason_private and again.record_labels == ""


def test_a_restricted_visit_exported_and_imported_again_stays_restricted(store, empty_store, tmp_path):
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    load(store, tmp_path, patient("p1"), encounter("e1", meta=part2, reasonCode=[{"text": "Check-in"}]), message("c1"))
    assert exported_and_imported(store, empty_store, tmp_path) == {SHOWN: True}
    [again] = visits_of(empty_store, list_patients(empty_store)[0].id)
    assert "ETH" in again.record_labels


def test_a_practical_need_answered_in_a_restricted_visits_questionnaire_is_private(store, tmp_path):
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "q1",
        "status": "completed",
        "questionnaire": WHAT_MATTERS_QUESTIONNAIRE,
        "subject": {"reference": "Patient/p1"},
        "encounter": {"reference": "Encounter/e1"},
        "item": [{"linkId": LINK_PRACTICAL_NEEDS, "answer": [{"valueString": "The bus does not run on Sundays"}]}],
    }
    load(store, tmp_path, patient("p1"), encounter("e1", meta=part2), response)
    assert shown(store) == {"The bus does not run on Sundays": True}


def test_a_label_another_system_adds_to_an_exported_visit_still_restricts_it(store, empty_store, tmp_path):
    """The export names the labels it put on the Encounter for its reason; one added by the receiving system is the
    visit's own, and what is filed under the visit becomes private when the file comes back."""
    service = {"coding": [{"system": ICD10, "code": "F43.10"}], "text": "Follow-up"}
    load(store, tmp_path, patient("p1"), encounter("e1", serviceType=service), message("c1"))
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    exported = export_visit(store, visit.id, include_sensitive=True)
    [sent] = [e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Encounter"]
    sent["meta"]["security"].append({"system": ACT_CODE, "code": "ETH"})
    import_paths(empty_store, [write(tmp_path, "returned.json", exported)])
    [patient_row] = list_patients(empty_store)
    assert {n.text: n.sensitive for n in notes_of(empty_store, patient_row.id)} == {SHOWN: True}


def test_a_visit_label_kept_without_a_system_is_exported_as_valid_fhir(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1", meta={"security": [{"code": "R"}]}), message("c1"))
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    exported = export_visit(store, visit.id, include_sensitive=True)
    [sent] = [e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Encounter"]
    assert {"code": "R"} in sent["meta"]["security"] and all(c.get("system", "x") for c in sent["meta"]["security"])


def test_files_named_one_by_one_are_read_people_and_visits_first(store, tmp_path):
    part2 = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    files = [
        ndjson(tmp_path, "Communication.ndjson", message("c1")),
        ndjson(tmp_path, "output-Encounter-000.ndjson", encounter("e1", meta=part2)),
        ndjson(tmp_path, "patient.ndjson", patient("p1")),
    ]
    import_paths(store, files)
    assert shown(store) == {SHOWN: True}


def labelled_patient(given: str, version: str = "3", **extra) -> dict:
    return patient("p1", given) | {"meta": {"versionId": version, **extra}}


def test_two_clashing_copies_of_a_restricted_patient_still_restrict_the_patient_already_here(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1"), message("c1"), name="first.json")
    assert shown(store) == {SHOWN: False}
    restricted = labelled_patient("Ana", security=[{"system": CONFIDENTIALITY, "code": "R"}])
    report = load(store, tmp_path, restricted, labelled_patient("Bo"), name="second.json")
    assert [s.resource for s in report.skipped] == ["Patient/p1", "Patient/p1"]
    assert shown(store) == {SHOWN: True}


def test_a_summary_copy_beside_the_full_patient_is_no_clash(store, tmp_path):
    subsetted = patient("p1", "Ana") | {
        "meta": {"versionId": "4", "tag": [{"system": OBSERVATION_VALUE, "code": "SUBSETTED"}]},
        "telecom": [],
    }
    full = labelled_patient("Ana", "4") | {"birthDate": "1970-02-03"}
    report = load(store, tmp_path, full, subsetted, encounter("e1"), message("c1"))
    assert report.skipped == [] and shown(store) == {SHOWN: False}


def test_a_third_copy_that_differs_from_the_second_of_its_version_clashes(store, tmp_path):
    report = load(
        store, tmp_path, labelled_patient("Ana", "1"), labelled_patient("Ana", "2"), labelled_patient("Cy", "2")
    )
    assert sorted(s.resource for s in report.skipped) == ["Patient/p1"] * 3


def test_two_different_patients_of_one_id_on_two_lines_of_ndjson_are_neither_imported(store, tmp_path):
    """Two exports joined into one Patient.ndjson: a bulk file lists each resource once, so two different lines of
    one id and version are one person or two, as in a Bundle; neither is written, nothing is filed under either."""
    path = ndjson(tmp_path, "Patient.ndjson", patient("p1", "Ana", "Lee"), patient("p1", "Bo", "Ruiz"))
    flags = ndjson(tmp_path, "Flag.ndjson", flag_for("Patient/p1"))
    report = import_paths(store, [path, flags]).result

    reasons = {(s.resource, s.reason) for s in report.skipped}
    assert sorted(s.resource for s in report.skipped) == ["Flag/f1", "Patient/p1", "Patient/p1"]
    assert all("same address" in reason for resource, reason in reasons if resource == "Patient/p1")
    assert "two different people" in dict(reasons)["Flag/f1"]
    assert list_patients(store) == []


def test_the_same_patient_on_two_lines_of_ndjson_is_one_patient(store, tmp_path):
    path = ndjson(tmp_path, "Patient.ndjson", patient("p1", "Ana", "Lee"), patient("p1", "Ana", "Lee"))
    report = import_paths(store, [path]).result
    assert report.skipped == [] and report.count("patients", "new") == 1


@pytest.mark.parametrize(
    ("coded", "private"),
    [
        (
            {
                "reasonCode": [
                    {"coding": [{"system": SCT, "code": "183996000", "display": "Sterilization requested (situation)"}]}
                ]
            },
            True,
        ),
        ({"type": [{"coding": [{"system": SCT, "code": "169762003", "display": "Postnatal visit"}]}]}, True),
        ({"type": [{"coding": [{"system": SCT, "code": "169762003"}]}]}, True),  # by its code alone
        ({"type": [{"coding": [{"system": SCT, "code": "308540004", "display": "Inpatient stay (finding)"}]}]}, False),
    ],
    ids=["sterilization requested", "postnatal visit", "postnatal code alone", "inpatient stay"],
)
def test_synthea_visit_types_of_reproductive_care_are_private_and_a_hospital_stay_is_not(
    store, tmp_path, coded, private
):
    """Synthea's family-planning and postnatal encounters showed their reason on Today, the summary and the handout
    ("You came in for: Sterilization requested"), while every "Inpatient stay" was kept private as a psychiatric one."""
    load(store, tmp_path, patient("p1"), encounter("e1", **coded))
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert visit.reason_private == private
    if private:
        assert visit.reason_category == "reproductive"
