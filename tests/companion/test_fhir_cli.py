"""`companion import`, `patients`, `show --patient` and `export --fhir`, run in-process through companion.cli.main.main:
output for people and scripts, progress on stderr only when there is work to wait for, one-line errors."""

from __future__ import annotations

import json

import pytest

from companion.fhir.parse import validate
from tests.companion.fhir_samples import (
    REAL_DATA,
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    patient,
    what_matters,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
GLANCE_KEYS = {
    "visit_id",
    "video",
    "patient",
    "stage",
    "prep_cue",
    "priorities",
    "social_context",
    "emotion_checklist",
    "more",
    "private_count",
}


def small_file(folder):
    answers = what_matters("q1", ["My knee"], encounter={"reference": "Encounter/e1"})
    seen = encounter(participant=[{"individual": {"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"}}])
    return write(
        folder, "ana.json", bundle(patient("p1", name=[{"use": "official", "text": "Ana Lima"}]), seen, answers)
    )


def test_importing_one_small_file_prints_a_summary_and_no_progress(cli, db_path, tmp_path):
    code, out, err = cli("import", small_file(tmp_path), "--db", db_path)

    assert (code, err) == (0, "")
    assert out == (
        "imported 1 file; patients 1 new, 0 updated; visits 1 new, 0 updated; clinicians 1 new, 0 updated; "
        "priorities 1 new, 0 updated\n"
    )
    code, out, _ = cli("import", small_file(tmp_path), "--db", db_path)
    assert (code, out) == (0, "imported 1 file: nothing changed\n")


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"the shared FHIR examples are not at {REAL_DATA}")
def test_importing_the_real_examples_shows_progress_and_reports_the_skipped_resource(cli, db_path):
    code, out, err = cli("import", REAL_DATA, "--db", db_path)

    assert code == 3  # the rest imported; a script is told one resource was skipped
    # people first (the files named for them), so no patient is first made from a reference and then completed;
    # six people, each counted once (one is in two files)
    assert out.startswith("imported 30 files; 1 resource skipped; patients 6 new, 0 updated;")
    assert "\nnot used: 1 Appointment (not a visit (status missing)), 6 CarePlan," in out
    progress = [line for line in err.splitlines() if line.startswith("importing… ")]
    assert progress[0] == "importing… 0% (reading file 1 of 30)" and progress[-1].startswith("importing… 100%")
    assert len(progress) <= 11
    assert err.splitlines()[-1] == (
        f"companion: skipped {REAL_DATA}/edge-cases/fhirresources-Patient-with-ext.json (Patient (no id)): "
        "it carries a modifier extension this app does not understand (http://example.org/fhir/StructureDefinition/pi)"
    )

    code, out, _ = cli("patients", "--db", db_path, "--json")
    patients = {p["recorded_name"]: p for p in json.loads(out)}
    assert patients["Gustavo Mejía"]["visits"] == 6 and patients["Bethanie176 D'Amore443"]["visits"] == 59
    code, out, _ = cli("show", "--patient", patients["Amy V. Baxter"]["id"], "--db", db_path, "--json")
    glance = json.loads(out)
    assert set(glance) == GLANCE_KEYS
    assert glance["patient"]["text"] == "Amy · Spanish, interpreter"
    assert all("text" in item for key in ("priorities", "social_context") for item in glance[key])


def test_an_import_that_skipped_anything_exits_3_so_a_nightly_script_notices(cli, db_path, tmp_path):
    """A file whose patient was refused imported nothing and said so, but exited 0 like a clean import."""
    clean = write(tmp_path, "clean.json", bundle(patient("p1")))
    refused = write(tmp_path, "refused.json", bundle(patient("p2", birthDate="soon")))

    assert cli("import", clean, "--db", db_path)[0] == 0
    code, out, _err = cli("import", refused, "--db", db_path)

    assert code == 3 and "1 resource skipped" in out


def test_a_record_written_as_an_older_fhir_release_is_refused_saying_which_and_to_export_it_as_r4(
    cli, db_path, tmp_path
):
    """DSTU2 and STU3 records differ from R4 in a few elements; the validator's words alone ("Extra inputs are not
    permitted") do not tell a clinic's IT person that the export, not each record, is wrong."""
    dstu2 = [
        {"resourceType": "Patient", "id": "p1", "name": [{"family": ["Lima"], "given": ["Ana"]}]},
        {"resourceType": "Encounter", "id": "e1", "status": "finished", "class": "outpatient",
         "patient": {"reference": "Patient/p1"}},
    ]  # fmt: skip
    stu3 = [
        {"resourceType": "Patient", "id": "p2", "animal": {"species": {"text": "dog"}}},
        {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "Pulse"},
         "subject": {"reference": "Patient/p2"}, "context": {"reference": "Encounter/e2"}},
    ]  # fmt: skip
    old = write(tmp_path, "dstu2.json", bundle(*dstu2))
    older = write(tmp_path, "stu3.json", bundle(*stu3))
    r4 = write(tmp_path, "r4.json", bundle(patient("p3", birthDate="soon")))  # wrong, but not an older release

    code, _out, err = cli("import", old, older, r4, "--db", db_path)

    lines = err.splitlines()
    assert code == 3 and len(lines) == 5
    assert all("(written as FHIR DSTU2: export it as R4)" in line for line in lines[:2])
    assert "(written as FHIR STU3 or DSTU2: export it as R4)" in lines[2]
    assert "(written as FHIR STU3: export it as R4)" in lines[3]
    assert "Patient/p3" in lines[4] and "written as" not in lines[4]
    assert "Lima" not in err and "Ana" not in err


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "Patient", "id": "p1", "name": "Ana Lima"},  # a name that is not even a list
        {"resourceType": "Encounter", "id": "e1", "status": "finished", "class": 7},  # a number for a code
        {"resourceType": "Practitioner", "id": "d1", "name": [["Okafor"]]},
        {"resourceType": "Patient", "id": "p2", "name": [{"family": "Lima"}], "birthDate": "soon"},
    ],
)
def test_a_refused_record_of_no_older_release_gets_no_release_hint(resource):
    """Odd shapes R4 refuses that are no older release's either: refused with the validator's words alone."""
    reason = validate(resource)

    assert isinstance(reason, str) and reason.startswith("not valid FHIR R4: ")
    assert "written as" not in reason and "Lima" not in reason and "Ana" not in reason


def test_import_json_reports_counts_and_skips_for_scripts(cli, db_path, tmp_path):
    data = bundle(patient("p1"), patient("p2", birthDate="soon"))
    code, out, err = cli("import", write(tmp_path, "b.json", data), "--db", db_path, "--json")

    report = json.loads(out)
    assert code == 3  # some resources skipped, the rest imported (schedule import's rows alike)
    assert report["patients"] == {"new": 1, "updated": 0, "unchanged": 0}
    assert [(s["entry"], s["resource"]) for s in report["skipped"]] == [(2, "Patient/p2")]
    assert err.startswith("companion: skipped ")


def test_words_where_a_type_or_an_id_belongs_are_never_echoed_and_an_unknown_contained_type_is_skipped(
    cli, db_path, tmp_path
):
    lines = [
        patient("p1"),
        {"resourceType": "Jane Doe HIV", "id": "x1"},  # a sender's typing where the type belongs
        {"resourceType": "Observation", "id": "Mary Roe has AIDS", "status": "final", "code": {"text": "x"}},
        patient("p2", contained=[{"resourceType": "Foo", "id": "c1"}]),  # no FHIR type: once a crash
        {"resourceType": "Claim", "id": "c2"},  # a real type the app does not read: counted, as before
        {"resourceType": "MedicinalProduct", "id": "m1"},  # R4's, not R4B's: a FHIR type all the same
    ]
    path = tmp_path / "odd.ndjson"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    single = write(tmp_path, "one.json", {"resourceType": "Rosa Diaz overdose", "id": "y1"})
    search = {"request": {"method": "DELETE", "url": "Patient?name=Rosa+Diaz&_content=overdose"}}
    deletes = write(tmp_path, "tx.json", {"resourceType": "Bundle", "type": "transaction", "entry": [search]})

    code, out, err = cli("import", path, single, deletes, "--db", db_path)

    assert code == 3
    assert out == (
        "imported 3 files; 5 resources skipped; patients 1 new, 0 updated\nnot used: 1 Claim, 1 MedicinalProduct\n"
    )
    assert "Rosa" not in err and "Diaz" not in err and "overdose" not in err
    assert err.splitlines() == [
        f"companion: skipped {path}, line 2 (resource of no FHIR R4 type/x1): not a FHIR resource type",
        f"companion: skipped {path}, line 3 (Observation (its id is not a FHIR id)): not valid FHIR R4: id: String "
        "should match pattern '^[A-Za-z0-9\\-.]+$'",
        f"companion: skipped {path}, line 4 (Patient/p2): not valid FHIR R4: contained: a resource of a type FHIR "
        "R4 does not have",
        f"companion: skipped {single} (resource of no FHIR R4 type/y1): not a FHIR resource type",
        f"companion: skipped {deletes}, entry 1 (Patient (by search)): a conditional DELETE (by search) is not "
        "followed",
    ]


def test_a_file_that_is_not_fhir_is_a_one_line_error_and_writes_nothing(cli, db_path, tmp_path, row_counts):
    cli("import", small_file(tmp_path), "--db", db_path)
    before = row_counts(db_path)
    notes = write(tmp_path, "notes.txt", "Ana Lima called about her knee")

    code, out, err = cli("import", small_file(tmp_path), notes, "--db", db_path)

    assert (code, out) == (2, "")
    assert err == f"companion: error: {notes} is not FHIR JSON: Expecting value at line 1, column 1\n"
    assert row_counts(db_path) == before


def test_patients_lists_everyone_with_their_current_visit(cli, db_path, tmp_path):
    cli("import", small_file(tmp_path), "--db", db_path)

    code, out, _ = cli("patients", "--db", db_path)
    assert (code, out) == (0, "    1  Ana Lima  (Ana Lima) · 1 visit\n")  # a name given only as text: all of it
    code, out, _ = cli("patients", "--db", db_path, "--json")
    [row] = json.loads(out)
    assert row == {
        "id": 1,
        "text": "Ana Lima",
        "preferred_name": "Ana Lima",
        "recorded_name": "Ana Lima",
        "pronouns": "",
        "language": "",
        "interpreter_needed": False,
        "visits": 1,
        "current_visit_id": 1,
    }


def test_show_patient_gives_the_same_glance_as_show_visit_and_the_patient_alone_without_a_visit(cli, db_path, tmp_path):
    cli("import", small_file(tmp_path), write(tmp_path, "bo.json", patient("p2", given="Bo")), "--db", db_path)

    by_visit = json.loads(cli("show", "1", "--db", db_path, "--json")[1])
    by_patient = json.loads(cli("show", "--patient", "1", "--db", db_path, "--json")[1])
    alone = json.loads(cli("show", "--patient", "2", "--db", db_path, "--json")[1])

    assert by_patient == by_visit and by_visit["priorities"][0]["text"] == "My knee"
    assert set(alone) == GLANCE_KEYS and alone["visit_id"] is None and alone["patient"]["text"] == "Bo"
    code, out, _ = cli("show", "--patient", "2", "--db", db_path)
    assert code == 0 and out.startswith("Bo\nPrepare with intention: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("show",), "give either a VISIT or --patient ID"),
        (("show", "1", "--patient", "1"), "give either a VISIT or --patient ID"),
        (("show", "--patient", "99"), "no patient with id 99"),
        (("export", "99", "--fhir", "x.json"), "no visit with id 99"),
        (("import", "nowhere.json"), "no such file or folder: nowhere.json"),
    ],
)
def test_wrong_arguments_are_one_line_errors(cli, db_path, store, argv, message):
    code, out, err = cli(*argv, "--db", db_path)

    assert (code, out, err) == (2, "", f"companion: error: {message}\n")


def test_export_writes_a_bundle_that_imports_into_an_empty_database_with_the_same_glance(cli, db_path, tmp_path):
    cli("import", small_file(tmp_path), "--db", db_path)
    target = tmp_path / "out.json"

    code, out, _ = cli("export", "1", "--fhir", target, "--db", db_path)
    assert (code, out) == (
        0,
        f"visit 1 exported to {target}: 1 Patient, 1 Practitioner, 1 Encounter, 1 QuestionnaireResponse\n",
    )
    other = tmp_path / "other.sqlite3"
    assert cli("import", target, "--db", other)[0] == 0

    original = json.loads(cli("show", "1", "--db", db_path, "--json")[1])
    copied = json.loads(cli("show", "--patient", "1", "--db", other, "--json")[1])
    assert copied == original
