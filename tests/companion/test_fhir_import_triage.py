"""What an import counts as not used from a resource's JSON alone, before validation (companion.fhir.triage): the types
this app never reads and the Observations outside social history and the story's lists (vital signs, labs). A record
full of them imports the same rows as one without them; a malformed one of them is counted as not used, never
reported (the app would not have used it, valid or not); a malformed resource the app would use is reported as it
always was; where the JSON leaves any doubt, the resource is validated and mapped as before.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from companion.fhir import importer
from companion.fhir.fact_map import NOT_SOCIAL, observation_note
from companion.fhir.importer import import_paths
from companion.fhir.parse import validate
from companion.fhir.refs import References
from companion.fhir.story import StoryRules
from companion.fhir.triage import not_used
from tests.companion.fhir_samples import (
    LOINC,
    REAL_DATA,
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    encounter,
    notes_of,
    observation,
    patient,
    patient_by_key,
    visits_of,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# What an import writes; the audit log and the change log name when and from where, which differ between databases.
WRITTEN = ("patient", "visit", "clinician", "contextnote", "noterevision", "priority", "caregoal", "nursetick")


def measured(oid: str, loinc: str = "29463-7", kind: str | None = "vital-signs", **extra) -> dict:
    """An Observation this app never uses: a vital sign (body weight by default), or a lab without a category;
    `extra` replaces any of its members."""
    resource = {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc, "display": "Body weight"}], "text": "Body weight"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2025-03-01T09:00:00Z",
        "valueQuantity": {"value": 71.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
    }
    if kind is not None:
        resource["category"] = [{"coding": [{"system": CATEGORY, "code": kind}]}]
    return resource | extra


def housing(oid: str = "o1", value: str = "Lives with her sister", **extra) -> dict:
    return observation(oid, "71802-3", value, "2025-03-01T00:00:00Z", display="Housing status", **extra)


def written(store) -> dict[str, list[tuple]]:
    return {name: rows for name, rows in dump(store).items() if name in WRITTEN}


def test_a_record_full_of_resources_the_app_does_not_use_imports_the_same_rows_as_one_without_them(
    store, empty_store, tmp_path
):
    used = [patient("p1"), encounter("e1"), housing()]
    unused = [
        {"resourceType": "Claim", "id": "c1", "status": "active"},
        {"resourceType": "ExplanationOfBenefit", "id": "x1", "status": "active"},
        {"resourceType": "Immunization", "id": "i1", "status": "completed"},
        {"resourceType": "DiagnosticReport", "id": "d1", "status": "final"},
        {"resourceType": "DiagnosticReport", "id": "d2", "status": "final"},
        measured("w1"),
        measured("w2"),
        measured("h1", loinc="8302-2"),
        measured("lab1", loinc="2339-0", kind=None),
    ]
    mixed = [*unused[:3], used[0], *unused[3:6], *used[1:], *unused[6:]]

    report = import_paths(store, [write(tmp_path, "full.json", bundle(*mixed))]).result
    alone = import_paths(empty_store, [write(tmp_path, "used.json", bundle(*used))]).result

    assert written(store) == written(empty_store)
    assert report.counts == alone.counts and report.skipped == [] == alone.skipped
    assert report.unused == {
        "Claim": 1,
        "ExplanationOfBenefit": 1,
        "Immunization": 1,
        "DiagnosticReport": 2,
        f"Observation ({NOT_SOCIAL})": 4,
    }
    assert [n.text for n in notes_of(store, patient_by_key(store, "Patient/p1").id)] == [
        "Housing status: Lives with her sister"
    ]


def test_a_malformed_resource_the_app_would_not_use_is_counted_as_not_used_and_never_reported(store, tmp_path):
    odd = [
        {"resourceType": "Claim", "id": "c1", "status": 12},  # status is a code, never a number
        measured("w1", status=7),
        measured("w2", valueQuantity={"value": "heavy"}),
        measured("w3", modifierExtension=[{"url": "http://example.org/fhir/not-really", "valueBoolean": True}]),
        measured("lab1", kind=None, subject="Patient/p1"),  # a reference is an object
    ]
    path = write(tmp_path, "odd.json", bundle(patient("p1"), *odd, housing()))

    report = import_paths(store, [path]).result

    assert report.skipped == []
    assert report.unused == {"Claim": 1, f"Observation ({NOT_SOCIAL})": 4}
    assert report.count("patients", "new") == 1 and report.count("notes", "new") == 1


def test_a_malformed_resource_the_app_uses_is_still_skipped_with_the_validators_reason(store, tmp_path):
    path = write(
        tmp_path,
        "bad.json",
        bundle(
            patient("p1"),
            housing("o1", status=7),
            housing("o2", modifierExtension=[{"url": "http://example.org/fhir/negated", "valueBoolean": True}]),
            encounter("e1", period={"start": "the fourteenth"}),
            measured("w1", status=7),
        ),
    )

    report = import_paths(store, [path]).result

    assert [(s.entry, s.resource) for s in report.skipped] == [
        (1, "Observation/o1"),
        (2, "Observation/o2"),
        (3, "Encounter/e1"),
    ]
    assert report.skipped[0].reason == "not valid FHIR R4: status: Input should be a valid string"
    assert report.skipped[1].reason == (
        "it carries a modifier extension this app does not understand (http://example.org/fhir/negated)"
    )
    assert report.skipped[2].reason.startswith("not valid FHIR R4: period.start: ")
    assert report.unused == {f"Observation ({NOT_SOCIAL})": 1}


@pytest.mark.parametrize(
    ("odd", "skipped"),
    [
        (
            {"category": {"coding": [{"code": "vital-signs"}]}},
            "not valid FHIR R4: category: Input should be a valid list",
        ),
        (
            {"category": [{"coding": [{"code": "vital-signs "}]}]},
            "category.0.coding.0.code: String should match pattern",
        ),
        (
            {"code": {"coding": [{"system": LOINC, "code": 29463}]}},
            "code.coding.0.code: Input should be a valid string",
        ),
        ({"code": {"coding": "29463-7"}}, "not valid FHIR R4: code.coding: Input should be a valid list"),
        ({"category": [{"coding": [{"code": "vital-signs", "system": 5}]}]}, "category.0.coding.0.system"),
    ],
)
def test_where_the_json_leaves_doubt_the_observation_is_validated_and_reported_as_before(store, tmp_path, odd, skipped):
    report = import_paths(store, [write(tmp_path, "o.json", bundle(patient("p1"), measured("w1", **odd)))]).result

    [skip] = report.skipped
    assert skip.resource == "Observation/w1" and skipped in skip.reason
    assert report.unused == {}


def test_an_observation_named_by_its_words_alone_is_left_to_the_mapping(store, tmp_path):
    words_alone = measured("w1", code={"text": "Body weight"})
    report = import_paths(store, [write(tmp_path, "o.json", bundle(patient("p1"), words_alone))]).result

    assert report.skipped == [] and report.unused == {f"Observation ({NOT_SOCIAL})": 1}


def test_an_observation_outside_social_history_that_the_story_lists_is_still_imported(store, tmp_path):
    survey = housing("o1", category=[{"coding": [{"system": CATEGORY, "code": "survey"}]}])  # a listed question
    domain = observation(  # an SDOH Clinical Care domain the story lists, whatever the question
        "o2",
        "99999-9",
        "We ran out of food last month",
        "2025-03-02T00:00:00Z",
        display="Food",
        category=[
            {"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/sdoh-category", "code": "food-insecurity"}]}
        ],
    )
    second_coding = measured(  # the LOINC coding decides, wherever it is in the list
        "o3",
        kind="survey",
        code={"coding": [{"system": "http://snomed.info/sct", "code": "1"}, {"system": LOINC, "code": "67875-5"}]},
        valueCodeableConcept={"text": "Part-time work"},
    )
    second_coding.pop("valueQuantity")
    path = write(tmp_path, "story.json", bundle(patient("p1"), survey, domain, second_coding, measured("w1")))

    report = import_paths(store, [path]).result

    texts = sorted(n.text for n in notes_of(store, patient_by_key(store, "Patient/p1").id))
    assert len(texts) == 3 and "Housing status: Lives with her sister" in texts
    assert report.unused == {f"Observation ({NOT_SOCIAL})": 1}


def test_a_small_file_read_once_imports_as_a_large_one_read_twice(store, empty_store, tmp_path, monkeypatch):
    deep = measured("deep", note=[{"text": "x", "extension": json.loads("[" * 70 + "]" * 70)}])
    resources = [
        measured("w0"),
        patient("p1"),
        {"resourceType": "Claim", "id": "c1", "status": 12},
        encounter("e1"),
        housing("o1", status=7),
        deep,
        housing("o2"),
        {"resourceType": "Organization", "id": "org1", "name": "Clinic"},
    ]
    path = write(tmp_path, "small.json", bundle(*resources))

    small = import_paths(store, [path]).result
    monkeypatch.setattr(importer, "IN_MEMORY_BYTES", 0)  # every file as if it were too large to keep
    large = import_paths(empty_store, [path]).result

    assert written(store) == written(empty_store)
    assert (small.counts, small.unused) == (large.counts, large.unused)
    assert [s.line() for s in small.skipped] == [s.line() for s in large.skipped]
    # A limit holds for every resource the app reads, a vital sign among them: the deep one is reported, not counted.
    assert [(s.resource, s.reason) for s in small.skipped] == [
        ("Observation/o1", "not valid FHIR R4: status: Input should be a valid string"),
        ("Observation/deep", "nested more than 64 levels deep"),
    ]


def test_a_type_never_read_is_counted_whatever_it_holds_and_one_read_is_still_held_to_the_limits(store, tmp_path):
    # Claims and ExplanationOfBenefits open more brackets than the depth allowed: they are not walked for it. Nested
    # too deep, a Claim is counted as not used (as a malformed one is); an Organization, which references are
    # followed to, and a Communication, which is read, are still refused for it.
    deep = json.loads("[" * 70 + "]" * 70)
    resources = [
        patient("p1"),
        {"resourceType": "Claim", "id": "c1", "extension": deep, "text": {"div": "x" * 1_000_001}},
        {"resourceType": "Organization", "id": "org1", "extension": deep},
        {"resourceType": "Communication", "id": "m1", "status": "completed", "extension": deep},
        encounter("e1"),
    ]

    report = import_paths(store, [write(tmp_path, "deep.json", bundle(*resources))]).result

    assert report.unused == {"Claim": 1}
    assert [(s.resource, s.reason) for s in report.skipped] == [
        ("Organization/org1", "nested more than 64 levels deep"),
        ("Communication/m1", "nested more than 64 levels deep"),
    ]
    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1


def test_an_entry_only_counted_is_parsed_without_the_limits_but_one_that_is_not_what_it_announced_is_refused(
    store, tmp_path
):
    # An entry announcing a type the app never reads (a Claim) is parsed by the standard library's parser alone:
    # a member named twice or a number out of range in it changes nothing the app writes, so it is counted. One whose
    # type or resource turns out, by a member named twice, to be something else is parsed again with every check and
    # refused, as any other is; a number too long to convert at all is refused for its digits.
    private = json.dumps(
        {
            "resourceType": "Communication",
            "id": "m1",
            "status": "completed",
            "subject": {"reference": "Patient/p1"},
            "payload": [{"contentString": "Sees a man from AA"}],
        }
    )
    entries = [
        json.dumps({"resource": patient("p1")}),
        '{"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Claim", "id": "c1", "status": "active", '
        '"status": "draft", "total": {"value": 1e999}, "priority": NaN}}',
        '{"resource": {"resourceType": "Claim", "id": "c2", "resourceType": "Communication", "status": "completed", '
        '"subject": {"reference": "Patient/p1"}, "payload": [{"contentString": "Drinks a fifth a day"}]}}',
        '{"resource": {"resourceType": "Claim", "id": "c3"}, "resource": ' + private + "}",
        '{"resource": {"resourceType": "Immunization", "id": "i1", "lotNumber": ' + "9" * 5000 + "}}",
        json.dumps({"resource": encounter("e1")}),
    ]
    text = '{"resourceType": "Bundle", "type": "collection", "entry": [' + ", ".join(entries) + "]}"

    report = import_paths(store, [write(tmp_path, "counted.json", text)]).result

    assert report.unused == {"Claim": 1}
    assert [(s.entry, s.reason) for s in report.skipped] == [
        (2, "an object names the same member twice (two `meta` or `subject`: which one counts cannot be known)"),
        (3, "an object names the same member twice (two `meta` or `subject`: which one counts cannot be known)"),
        (4, "a number with more than 32 digits"),
    ]
    ana = patient_by_key(store, "Patient/p1")
    assert notes_of(store, ana.id) == [] and len(visits_of(store, ana.id)) == 1


def encounter_known_by(eid: str | None, identifier: str) -> dict:
    """An Encounter named by its record's identifier, with or without a FHIR id."""
    resource = encounter(eid or "x", identifier=[{"system": "urn:clinic:visits", "value": identifier}])
    if eid is None:
        resource.pop("id")
    return resource


def test_files_in_one_transaction_find_rows_as_files_each_in_its_own(store, empty_store, tmp_path):
    # The first file names a visit by its identifier; the second gives it an id (the visit is keyed anew); the
    # third names it by the identifier again. One transaction must find rows exactly as separate ones would.
    files = [
        write(tmp_path, "a.json", bundle(patient("p1"), encounter_known_by(None, "v-1"))),
        write(tmp_path, "b.json", bundle(patient("p1"), encounter_known_by("e1", "v-1"), housing("o1"))),
        write(tmp_path, "c.json", bundle(encounter_known_by(None, "v-1"), housing("o1", value="Has a flat"))),
    ]

    together = import_paths(store, files, atomic=True).result
    for path in files:
        import_paths(empty_store, [path])

    def visits_and_notes(db) -> tuple:
        pid = patient_by_key(db, "Patient/p1").id
        return (
            [(v.id, v.source_key) for v in visits_of(db, pid)],
            [(n.source_key, n.visit_id, n.text) for n in notes_of(db, pid)],  # updated_at is when it was written
        )

    assert visits_and_notes(store) == visits_and_notes(empty_store)
    assert len(visits_and_notes(store)[0]) == 2
    assert together.skipped == []


def test_a_second_import_of_a_record_full_of_unused_resources_changes_nothing(store, tmp_path):
    path = write(tmp_path, "r.json", bundle(patient("p1"), measured("w1"), encounter("e1"), housing(), measured("w2")))
    import_paths(store, [path])
    before = dump(store)

    report = import_paths(store, [path]).result

    assert dump(store) == before
    assert report.summary() == "imported 1 file: nothing changed"
    assert report.unused == {f"Observation ({NOT_SOCIAL})": 2}


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"the shared FHIR examples are not at {REAL_DATA}")
def test_every_observation_of_the_real_records_counted_before_validation_is_one_the_mapping_leaves_out(store):
    story = StoryRules.from_content(store.content)
    decided = 0
    for path in sorted(REAL_DATA.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        resources = [e.get("resource", {}) for e in data.get("entry", [])] if "entry" in data else [data]
        for resource in resources:
            if resource.get("resourceType") != "Observation" or not not_used(resource, story):
                continue
            decided += 1
            model = validate(resource)
            assert not isinstance(model, str), resource["id"]
            assert observation_note(model, References(), story) == NOT_SOCIAL, resource["id"]
    assert decided > 300  # most of a Synthea record: vital signs, labs, scores
