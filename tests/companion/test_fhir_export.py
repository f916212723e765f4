"""`companion export VISIT --fhir FILE`: a Bundle that validates against the R4B models and, imported into an
empty database, gives the same glance. Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from companion.errors import CompanionError
from companion.fhir.exporter import export_visit, write_export
from companion.fhir.importer import import_paths
from companion.read.briefing import build_glance, build_patient_glance
from companion.read.overview import list_patients
from companion.services import emotions, encounter, notes, priorities
from tests.companion import fhir_samples
from tests.companion.fhir_samples import (
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    patient,
    patient_by_key,
    visits_of,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
DEMO = ("Majo", "Søren", "Zoë", "Lan", "Frank", "Aïcha", "Wei")


def glance_without_ids(store, visit_id: int) -> dict:
    glance = build_glance(store, visit_id).to_json()
    glance.pop("visit_id")
    return glance


def round_trip(store, empty_store, tmp_path, visit_id: int, include_sensitive: bool = True) -> dict:
    path = tmp_path / f"visit-{visit_id}.json"
    write_export(store, visit_id, path, include_sensitive=include_sensitive)
    report = import_paths(empty_store, [path]).result
    assert report.skipped == []
    [patient] = list_patients(empty_store)
    glance = build_patient_glance(empty_store, patient.id).to_json()
    glance.pop("visit_id")
    return glance


@pytest.mark.parametrize("name", DEMO)
def test_a_demo_visit_exported_and_imported_into_an_empty_database_gives_the_same_glance(
    demo_store, demo_visits, empty_store, tmp_path, name
):
    visit_id = demo_visits[name]

    assert round_trip(demo_store, empty_store, tmp_path, visit_id) == glance_without_ids(demo_store, visit_id)


def test_a_visit_in_progress_keeps_its_agenda_cues_ticks_and_order_through_the_round_trip(
    demo_store, demo_visits, empty_store, tmp_path
):
    visit_id = demo_visits["Søren"]
    first, second = priorities.agenda(demo_store, visit_id)[:2]
    mine = priorities.add_priority(demo_store, visit_id, "Check his blood pressure", source="clinician").result
    priorities.add_priority(demo_store, visit_id, "Join a walking group", lasting=True, source="nurse")
    priorities.reorder(
        demo_store,
        visit_id,
        [mine.id, second.id, first.id, *[p.id for p in priorities.agenda(demo_store, visit_id)[3:]]],
    )
    priorities.set_state(demo_store, second.id, "deferred")
    cue = emotions.cues_for_visit(demo_store, visit_id)[0]
    emotions.set_step(demo_store, cue.id, "name", True)
    emotions.set_step(demo_store, cue.id, "explore", True)
    notes.add_note(
        demo_store, visit_id, "practical", "Reads large print only", "Jonas Lindqvist", lasting=True, topic="vision"
    )
    encounter.start_listening(demo_store, visit_id)
    encounter.stop_listening(demo_store, visit_id)
    encounter.agree_agenda(demo_store, visit_id)
    expected = glance_without_ids(demo_store, visit_id)
    assert expected["stage"] == "visit" and expected["priorities"][0]["source"] == "clinician"

    assert round_trip(demo_store, empty_store, tmp_path, visit_id) == expected


def test_the_export_validates_against_r4b_with_one_resource_per_fact(demo_store, demo_visits):
    data = export_visit(demo_store, demo_visits["Zoë"], include_sensitive=True)

    Bundle.model_validate(data)
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert kinds == [
        "Patient",
        "Practitioner",
        "Encounter",
        "Communication",
        "Communication",
        "Goal",
        "QuestionnaireResponse",
    ]
    goal = data["entry"][5]["resource"]
    assert (goal["description"]["text"], goal["lifecycleStatus"]) == ("I want to run with my kids again", "active")
    answers = data["entry"][6]["resource"]["item"][0]
    assert (answers["text"], [a["valueString"] for a in answers["answer"]]) == (
        "What matters to you today?",
        ["Is the physio working?"],
    )
    patient = data["entry"][0]["resource"]
    assert patient["name"] == [{"use": "official", "text": "Zoë O'Brien-Adeyemi"}, {"use": "usual", "given": ["Zoë"]}]


def test_sensitive_facts_stay_out_of_an_export_unless_asked_and_are_then_labelled_restricted(demo_store, demo_visits):
    visit_id = demo_visits["Frank"]
    plain = json.dumps(export_visit(demo_store, visit_id), ensure_ascii=False)
    full = export_visit(demo_store, visit_id, include_sensitive=True)

    assert "beers" not in plain
    [drinks] = [e["resource"] for e in full["entry"] if "beers" in json.dumps(e, ensure_ascii=False)]
    assert drinks["meta"]["security"][0]["code"] == "R"


def test_an_exported_sensitive_fact_comes_back_sensitive(demo_store, demo_visits, empty_store, tmp_path):
    visit_id = demo_visits["Frank"]
    notes.add_note(
        demo_store, visit_id, "social", "Sleeps at his sister's on weekends", "Jonas Lindqvist", sensitive=True
    )

    round_trip(demo_store, empty_store, tmp_path, visit_id)

    [patient] = list_patients(empty_store)
    hidden = {n.text for n in notes.notes_for_visit(empty_store, patient.current_visit_id) if n.sensitive}
    assert hidden == {"Drinks 4-5 beers most nights", "Sleeps at his sister's on weekends"}


def test_the_export_file_is_owner_only_and_replaced_whole_only_when_forced(demo_store, demo_visits, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "visit.json"
    path.write_text("old")
    path.chmod(0o644)
    with pytest.raises(CompanionError, match="the file exists, left as it is"):
        write_export(demo_store, demo_visits["Majo"], path)
    assert path.read_text() == "old"

    write_export(demo_store, demo_visits["Majo"], path, force=True)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    assert [p.name for p in folder.iterdir()] == ["visit.json"]  # no partial file left beside it


def test_an_unknown_visit_or_a_missing_folder_is_a_clear_error(demo_store, demo_visits, tmp_path):
    with pytest.raises(CompanionError, match="no visit with id 999"):
        write_export(demo_store, 999, tmp_path / "x.json")
    with pytest.raises(CompanionError, match="the folder does not exist"):
        write_export(demo_store, demo_visits["Majo"], tmp_path / "nope" / "x.json")


def _rows(store) -> dict:
    """Every row but the audit log's (an import is logged even when it changes nothing)."""
    return {table: rows for table, rows in dump(store).items() if table != "auditentry"}


def imported_back(store, visit_id: int, tmp_path):
    """Export the visit, import the file into the same database; nothing may change. The import's report."""
    exported = tmp_path / "visit.json"
    write_export(store, visit_id, exported, include_sensitive=True)
    before = _rows(store)
    report = import_paths(store, [exported]).result
    assert _rows(store) == before
    return report


def test_visits_exported_and_imported_back_into_the_same_database_add_nobody_twice(demo_store, demo_visits, tmp_path):
    """A careless round trip (export the day, then import the files here to check them): every patient made here
    would get a second chart, and every visit a double booking. Each file is left out whole, the report says why."""
    files = []
    for name in DEMO:
        files.append(tmp_path / f"{name}.json")
        write_export(demo_store, demo_visits[name], files[-1], include_sensitive=True)
    before = _rows(demo_store)

    report = import_paths(demo_store, files).result

    assert _rows(demo_store) == before
    assert len(report.skipped) == len(DEMO)
    assert all("this database's own export" in skip.reason for skip in report.skipped)
    assert report.changes() == []


def test_an_imported_patients_visit_exported_and_imported_back_keeps_each_note_once(store, tmp_path):
    """The patient and visit come back under the record's own ids and were matched before; the notes the app exports
    under its own ids (the record's messages and a nurse's note alike) came back as new notes beside them."""
    record = tmp_path / "record.json"
    record.write_text(
        json.dumps(
            bundle(
                patient("p1"),
                fhir_samples.encounter("e1", start="2025-03-14T09:00:00+00:00"),
                {
                    "resourceType": "Communication",
                    "id": "c1",
                    "status": "completed",
                    "subject": {"reference": "Patient/p1"},
                    "encounter": {"reference": "Encounter/e1"},
                    "payload": [{"contentString": "Walks the dog every morning"}],
                },
            )
        )
    )
    import_paths(store, [record])
    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    notes.add_note(store, visit.id, "social", "Daughter drives her on Fridays", "Nurse Kim")
    report = imported_back(store, visit.id, tmp_path)

    assert [skip.resource for skip in report.skipped] == ["every resource of one patient"]


def test_another_clinics_export_numbered_alike_is_still_imported(demo_store, demo_visits, tmp_path):
    """Another database of the app numbers its rows as this one does: the same number with other words is another
    clinic's patient, imported as any record."""
    path = tmp_path / "theirs.json"
    write_export(demo_store, demo_visits["Majo"], path, include_sensitive=True)
    data = json.loads(path.read_text())
    for entry in data["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Patient":
            resource["name"] = [{"given": ["Another"], "family": "Person"}]
        if resource["resourceType"] == "Communication":
            resource["payload"] = [{"contentString": f"Another clinic's note {resource['id']}"}]
        if resource["resourceType"] == "Encounter":
            resource["period"] = {"start": "2024-01-02T10:00:00+00:00"}
    path.write_text(json.dumps(data))

    report = import_paths(demo_store, [path]).result

    assert report.skipped == []
    assert "Another Person" in [p.recorded_name for p in list_patients(demo_store)]


def test_a_booking_from_the_schedule_exported_and_imported_back_is_not_booked_twice(store, tmp_path):
    """A schedule's patients and visits carry the schedule's keys, not a record's: they too leave under the app's
    own ids, and come back as themselves."""
    from companion.services.schedule_import import import_schedule

    day = tmp_path / "day.csv"
    day.write_text(
        "external_id,date,time,patient_name,preferred_name,language,clinician,reason\n"
        "A1,2025-03-14,09:00,Maria Lopez,Mari,Spanish,,Knee pain\n"
    )
    import_schedule(store, day)
    [maria] = list_patients(store)
    [visit] = visits_of(store, maria.id)
    report = imported_back(store, visit.id, tmp_path)

    assert [skip.resource for skip in report.skipped] == ["every resource of one patient"]


def test_another_clinics_export_imported_again_with_a_new_note_brings_the_note(
    demo_store, demo_visits, empty_store, tmp_path
):
    """Their rows were imported here under their ids (numbered as ours would be in a new database): the next export
    from that clinic is their record, not ours, and its new note arrives."""
    path = tmp_path / "theirs.json"
    write_export(demo_store, demo_visits["Majo"], path, include_sensitive=True)
    import_paths(empty_store, [path])
    data = json.loads(path.read_text())
    note = next(e for e in data["entry"] if e["resource"]["resourceType"] == "Communication")
    added = json.loads(json.dumps(note))
    added["fullUrl"] = "urn:uuid:6f1c1a9e-7d7e-4a53-9d2c-1b9b8f0e7a11"
    added["resource"] |= {"id": "companion-note-99", "payload": [{"contentString": "Started a new job at the bakery"}]}
    data["entry"].append(added)
    path.write_text(json.dumps(data))

    report = import_paths(empty_store, [path]).result

    assert report.skipped == []
    [patient] = list_patients(empty_store)
    assert "Started a new job at the bakery" in json.dumps(build_patient_glance(empty_store, patient.id).to_json())


def test_a_file_holding_an_own_export_and_another_patient_imports_the_other_patient(demo_store, demo_visits, tmp_path):
    """Only what the file holds of the patient exported from here is left out: a record that kept our ids beside
    its own patients loses none of them."""
    path = tmp_path / "mixed.json"
    write_export(demo_store, demo_visits["Majo"], path, include_sensitive=True)
    data = json.loads(path.read_text())
    other = bundle(
        patient("ehr-1", name=[{"given": ["New"], "family": "Person"}]),
        fhir_samples.encounter("ehr-e1", "ehr-1", start="2025-03-14T15:00:00+00:00"),
    )
    data["entry"] += other["entry"]
    path.write_text(json.dumps(data))
    patients_before = len(list_patients(demo_store))

    report = import_paths(demo_store, [path]).result

    assert [skip.resource for skip in report.skipped] == ["every resource of one patient"]
    assert len(list_patients(demo_store)) == patients_before + 1
    assert report.count("visits", "new") == 1


def test_a_note_retracted_here_is_exported_withdrawn_without_its_words_and_taken_off_where_it_went(
    demo_store, demo_visits, empty_store, tmp_path
):
    """A note written about the wrong patient is retracted here after an export: the next export names it
    entered-in-error under the same id, never its words, and the record that took the first export takes it off
    (it had stayed there, standing, for good)."""
    visit_id = demo_visits["Majo"]
    path = tmp_path / "majo.json"
    write_export(demo_store, visit_id, path, include_sensitive=True)
    import_paths(empty_store, [path])
    [patient] = list_patients(empty_store)
    [there] = [visit.id for visit in visits_of(empty_store, patient.id)]
    note = next(n for n in notes.notes_for_visit(demo_store, visit_id) if not n.sensitive)
    assert note.text in [n.text for n in notes.notes_for_visit(empty_store, there)]

    notes.retract_note(demo_store, note.id, "written about another patient")
    write_export(demo_store, visit_id, path, include_sensitive=True, force=True)

    sent = path.read_text()
    withdrawn = [e["resource"] for e in json.loads(sent)["entry"] if e["resource"]["id"] == f"companion-note-{note.id}"]
    assert [r["status"] for r in withdrawn] == ["entered-in-error"] and note.text not in sent
    report = import_paths(empty_store, [path]).result
    assert report.skipped == []
    assert note.text not in [n.text for n in notes.notes_for_visit(empty_store, there)]
    assert report.count("notes", "updated") == 1
    again = import_paths(empty_store, [path]).result
    assert again.count("notes", "updated") == 0


def test_a_note_retracted_before_any_export_is_not_made_by_its_withdrawal(
    demo_store, demo_visits, empty_store, tmp_path
):
    """A record that never had the note takes nothing from its withdrawal: no empty note, no words."""
    visit_id = demo_visits["Majo"]
    note = next(n for n in notes.notes_for_visit(demo_store, visit_id) if not n.sensitive)
    notes.retract_note(demo_store, note.id, "written about another patient")
    path = tmp_path / "majo.json"
    write_export(demo_store, visit_id, path)

    report = import_paths(empty_store, [path]).result

    assert report.skipped == [] and len(list_patients(empty_store)) == 1
    assert note.text not in json.dumps(dump(empty_store), default=str)


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Africa/Monrovia", "UTC"])
def test_a_visit_from_before_the_zones_standard_time_still_exports_as_valid_fhir(store, tmp_path, monkeypatch, zone):
    """In 1900 Amsterdam's clock ran 19 minutes 32 seconds ahead of UTC (Monrovia's 44 min 30 s behind until 1972):
    an offset with seconds, which FHIR's dateTime does not allow, so the export of such a visit failed to validate
    (attack round 33). Its time is then written in UTC; it imports back as the same moment."""
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    path = tmp_path / "old.json"
    old = fhir_samples.encounter(start="1900-01-02T09:00:00+00:00")
    path.write_text(json.dumps(bundle(patient(), old)))
    import_paths(store, [path])
    visit = visits_of(store, patient_by_key(store, "Patient/p1").id)[0]

    data = export_visit(store, visit.id)

    Bundle.model_validate(data)
    encounter = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Encounter")
    start = datetime.fromisoformat(encounter["period"]["start"])
    assert start == datetime(1900, 1, 2, 9, 0, tzinfo=UTC) and start.utcoffset().total_seconds() % 60 == 0
