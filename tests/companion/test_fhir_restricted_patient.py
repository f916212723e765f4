"""A patient whose own record is restricted (a security label on their Patient resource: a protected person, a
celebrity, a minor's confidential care): what the record says of them is private, whether it comes in the same
file as their Patient, in a file before it, or in a later one, and leaves the app with the label again."""

from __future__ import annotations

import json

from companion.fhir.exporter import export_visit
from companion.fhir.importer import import_paths
from companion.privacy.rules import ACT_CODE, CONFIDENTIALITY
from companion.read.briefing import build_glance
from companion.storage.store import open_store
from tests.companion.fhir_samples import (
    appointment,
    bundle,
    encounter,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
    what_matters,
    write,
)

RESTRICTED = {"security": [{"system": CONFIDENTIALITY, "code": "R", "display": "restricted"}]}


def story(oid: str, text: str, when: str = "2025-01-02T00:00:00Z") -> dict:
    """A social-history answer whose words say nothing private."""
    return observation(oid, f"x-{oid}", text, when, display="Occupation")


def shown(store, key: str = "Patient/p1") -> dict[str, bool]:
    """Each imported fact about the patient, and whether it is private."""
    found = patient_by_key(store, key).id
    return {n.text: n.sensitive for n in notes_of(store, found)} | {
        p.text: p.sensitive for p in priorities_of(store, found)
    }


def glance_text(store, key: str = "Patient/p1") -> str:
    visit = visits_of(store, patient_by_key(store, key).id)[0].id
    return json.dumps(build_glance(store, visit).to_json(), ensure_ascii=False)


def test_everything_the_record_says_of_a_restricted_patient_is_private(store, tmp_path):
    load(
        store,
        tmp_path,
        patient("p1", meta=RESTRICTED),
        encounter("e1", reasonCode=[{"text": "Follow-up visit"}]),
        story("o1", "Works nights at the bakery"),
        what_matters("q1", ["Sleeping through the night"]),
        patient("p2", given="Bea", family="Sousa"),
        encounter("e2", pid="p2"),
        story("o2", "Works nights at the bakery") | {"subject": {"reference": "Patient/p2"}},
    )

    assert shown(store) == {"Occupation: Works nights at the bakery": True, "Sleeping through the night": True}
    for words in ("bakery", "Sleeping", "Follow-up visit"):
        assert words not in glance_text(store)
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0]
    assert visit.reason_private  # the day's list, which others see, never shows why a restricted patient comes
    # The same words about a patient whose record is not restricted are shown.
    assert shown(store, "Patient/p2") == {"Occupation: Works nights at the bakery": False}
    assert "bakery" in glance_text(store, "Patient/p2")


def test_a_sensitivity_label_on_the_patient_gives_their_facts_its_category(store, tmp_path):
    psychiatric = {"security": [{"system": ACT_CODE, "code": "PSY"}]}
    load(store, tmp_path, patient("p1", meta=psychiatric), encounter("e1"), story("o1", "Lives with her brother"))

    found = patient_by_key(store, "Patient/p1").id
    assert [(n.sensitive, n.private_category) for n in notes_of(store, found)] == [(True, "mental_health")]


def test_normal_confidentiality_on_the_patient_restricts_nothing(store, tmp_path):
    normal = {"security": [{"system": CONFIDENTIALITY, "code": "N"}, {"system": CONFIDENTIALITY, "code": "M"}]}
    load(store, tmp_path, patient("p1", meta=normal), encounter("e1"), story("o1", "Lives with her brother"))

    assert shown(store) == {"Occupation: Lives with her brother": False}


def test_facts_imported_before_the_restricted_patient_and_after_are_private_too(store, tmp_path):
    """Files come in any order (a Bulk Data export: Observation.ndjson may be read before Patient.ndjson)."""
    load(store, tmp_path, encounter("e1"), story("o1", "Coaches her son's football team"), name="first.json")
    assert shown(store) == {"Occupation: Coaches her son's football team": False}
    assert "football" in glance_text(store)

    load(store, tmp_path, patient("p1", meta=RESTRICTED), name="patient.json")
    assert shown(store) == {"Occupation: Coaches her son's football team": True}
    assert "football" not in glance_text(store)

    load(store, tmp_path, story("o2", "Moved in with her aunt", when="2025-02-01T00:00:00Z"), name="later.json")
    assert shown(store)["Occupation: Moved in with her aunt"] is True


def test_a_later_copy_of_the_patient_without_the_label_never_lifts_it(store, tmp_path):
    """A search's summary of the record (SUBSETTED), or a copy older than it says, may leave the labels out: an
    import never makes a restricted patient's facts public again."""
    load(store, tmp_path, patient("p1", meta=RESTRICTED), encounter("e1"), story("o1", "Sings in a choir"))
    subsetted = {"tag": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED"}]}
    load(store, tmp_path, patient("p1", meta=subsetted), story("o2", "Walks to the clinic"), name="summary.json")
    load(store, tmp_path, patient("p1"), story("o3", "Keeps bees", when="2025-03-01T00:00:00Z"), name="copy.json")

    assert set(shown(store).values()) == {True}


def test_a_bundles_label_restricts_that_file_not_the_patient_for_ever(store, tmp_path):
    labelled = bundle(patient("p1"), encounter("e1"), story("o1", "Sings in a choir"))
    labelled["meta"] = RESTRICTED
    import_paths(store, [write(tmp_path, "labelled.json", labelled)])
    load(store, tmp_path, story("o2", "Walks to the clinic", when="2025-02-01T00:00:00Z"), name="later.json")

    assert shown(store) == {"Occupation: Sings in a choir": True, "Occupation: Walks to the clinic": False}


def test_a_restricted_patient_leaves_labelled_and_comes_back_restricted(store, tmp_path):
    load(store, tmp_path, patient("p1", meta=RESTRICTED), encounter("e1"), story("o1", "Sings in a choir"))
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id

    exported = export_visit(store, visit, include_sensitive=True)
    person = next(e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Patient")
    assert {"system": CONFIDENTIALITY, "code": "R"} in person["meta"]["security"]
    assert "choir" not in json.dumps(export_visit(store, visit))  # not sent unless asked for

    (tmp_path / "other").mkdir()
    other = open_store(str(tmp_path / "other" / "clinic.sqlite3"))
    import_paths(other, [write(tmp_path, "export.json", exported)])
    later = story("o2", "Walks to the clinic", when="2025-02-01T00:00:00Z") | {
        "subject": {"reference": f"Patient/{person['id']}"}
    }
    load(other, tmp_path, later, name="later.json")
    assert set(shown(other, f"Patient/{person['id']}").values()) == {True}
    other.engine.dispose()


def test_a_restricted_patients_facts_stay_private_when_their_patient_cannot_be_imported(store, tmp_path):
    """A vendor's quirk (an empty telecom value) makes the Patient invalid FHIR, skipped and reported; its
    restriction still holds for what the same file says of them."""
    broken = patient("p1", meta=RESTRICTED, telecom=[{"system": "phone", "value": ""}])
    report = load(store, tmp_path, broken, encounter("e1", reasonCode=[{"text": "Knee pain"}]), story("o1", "Sings"))

    assert any(skip.resource.startswith("Patient") for skip in report.skipped)
    assert set(shown(store).values()) == {True}
    assert visits_of(store, patient_by_key(store, "Patient/p1").id)[0].reason_private


def test_a_restricted_record_merged_into_another_keeps_its_facts_private(store, tmp_path):
    """Record A (restricted) was merged into record B: what the file files under A, and what later files say of
    B, stays private."""
    merged = {"link": [{"other": {"reference": "Patient/p2"}, "type": "replaced-by"}], "active": False}
    survivor = patient("p2", link=[{"other": {"reference": "Patient/p1"}, "type": "replaces"}])
    load(store, tmp_path, patient("p1", meta=RESTRICTED) | merged, survivor, encounter("e1"), story("o1", "Sings"))
    later = story("o2", "Walks to the clinic", when="2025-02-01T00:00:00Z") | {"subject": {"reference": "Patient/p2"}}
    load(store, tmp_path, later, name="later.json")

    assert set(shown(store, "Patient/p2").values()) == {True}
    assert len(shown(store, "Patient/p2")) == 2


def test_what_the_file_says_of_an_invalid_restricted_patient_stays_private_in_later_files(store, tmp_path):
    broken = patient("p1", meta=RESTRICTED, telecom=[{"system": "phone", "value": ""}])
    load(store, tmp_path, broken, encounter("e1"), story("o1", "Sings"))
    load(store, tmp_path, story("o2", "Walks to the clinic", when="2025-02-01T00:00:00Z"), name="later.json")

    assert shown(store) == {"Occupation: Sings": True, "Occupation: Walks to the clinic": True}


def test_an_odd_label_on_the_patient_never_costs_their_visit_or_facts(store, tmp_path):
    """Labels written loosely (a number as a display, a code with a space) are given to the patient's facts as
    clean codings: the facts stay valid FHIR, imported and private."""
    odd = {"security": [{"system": CONFIDENTIALITY, "code": "R ", "display": 5}, {"code": "N"}]}
    report = load(store, tmp_path, patient("p1", meta=odd), encounter("e1"), story("o1", "Sings in a choir"))

    assert [skip.resource for skip in report.skipped if not skip.resource.startswith("Patient")] == []
    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    assert shown(store) == {"Occupation: Sings in a choir": True}


def test_a_safety_statement_of_a_restricted_patient_keeps_its_own_category(store, tmp_path):
    """A patient labelled for substance-use treatment says she wants to die: the statement is filed as the safety
    item it is, first behind the reveal, not as one more substance-use fact."""
    treatment = {"security": [{"system": ACT_CODE, "code": "ETH"}]}
    load(store, tmp_path, patient("p1", meta=treatment), encounter("e1"), story("o1", "I want to kill myself tonight"))

    [note] = notes_of(store, patient_by_key(store, "Patient/p1").id)
    assert (note.sensitive, note.private_category) == (True, "suicide_self_harm")


def test_a_portals_own_patient_1_is_not_the_servers_patient_1_of_another_name(store, tmp_path):
    """The EHR's Bundle brought Ana as its Patient/1; a portal's file, with no addresses, brings its own Patient/1,
    Bo. They stay two people, each with their own facts."""
    base = "https://ehr.example.org/fhir"
    first = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"{base}/Patient/1", "resource": patient("1", "Ana", "Lopez")},
        {"fullUrl": f"{base}/Encounter/e1", "resource": encounter("e1", "1")},
    ]}  # fmt: skip
    import_paths(store, [write(tmp_path, "ehr.json", first)])
    bo = story("o2", "Fixes bikes for the neighbours") | {"subject": {"reference": "Patient/1"}}
    load(store, tmp_path, patient("1", "Bo", "Berg"), bo, name="portal.json")

    ana = patient_by_key(store, f"{base}/Patient/1")
    assert ana.recorded_name == "Ana Lopez" and notes_of(store, ana.id) == []
    assert [n.text for n in notes_of(store, patient_by_key(store, "Patient/1").id)] == [
        "Occupation: Fixes bikes for the neighbours"
    ]


def test_a_later_file_that_first_voids_a_booking_still_keeps_the_restricted_patients_facts_private(store, tmp_path):
    """The later file's first step only looks the patient up (a voided booking): the restriction holds for the
    facts written after it in the same import."""
    load(store, tmp_path, patient("p1", meta=RESTRICTED), appointment("a1"), encounter("e1"))
    voided = appointment("a1", status="entered-in-error")
    load(store, tmp_path, voided, story("o2", "Walks to the clinic", when="2025-02-01T00:00:00Z"), name="later.json")

    assert shown(store) == {"Occupation: Walks to the clinic": True}


def test_an_export_without_private_facts_keeps_the_restriction_and_names_no_kind(store, tmp_path):
    """Labelled HIV and R by the record: what leaves without the private facts says it is restricted, not why (the
    kind would name what was left out); with them, every label goes as it came."""
    hiv = {"system": ACT_CODE, "code": "HIV"}
    labelled = {"security": [*RESTRICTED["security"], hiv]}
    load(store, tmp_path, patient("p1", meta=labelled), encounter("e1", meta=labelled))
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id

    plain = export_visit(store, visit)
    for kind in ("Patient", "Encounter"):
        sent = next(e["resource"] for e in plain["entry"] if e["resource"]["resourceType"] == kind)
        assert sent["meta"]["security"] == [{"system": CONFIDENTIALITY, "code": "R"}], kind
    assert "HIV" not in json.dumps(plain)
    whole = export_visit(store, visit, include_sensitive=True)
    person = next(e["resource"] for e in whole["entry"] if e["resource"]["resourceType"] == "Patient")
    assert hiv in person["meta"]["security"]


def test_a_very_restricted_record_leaves_very_restricted_without_its_kind(store, tmp_path):
    very = {"security": [{"system": CONFIDENTIALITY, "code": "V"}, {"system": ACT_CODE, "code": "ETH"}]}
    load(store, tmp_path, patient("p1", meta=very), encounter("e1"))
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0].id

    exported = export_visit(store, visit)["entry"]
    sent = next(e["resource"] for e in exported if e["resource"]["resourceType"] == "Patient")
    assert sent["meta"]["security"] == [{"system": CONFIDENTIALITY, "code": "V"}]
