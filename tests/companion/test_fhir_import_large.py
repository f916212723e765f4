"""FHIR import of large and broken files: a large NDJSON export is read a line at a time (the bar moves while
it is read, and Cancel is heard part-way), a large Bundle still resolves its urn:uuid references across entries,
and a Bundle that breaks off half-way keeps the entries before the break while the other files go on.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.errors import CompanionError
from companion.fhir import jsonstream
from companion.fhir.importer import import_paths
from companion.storage.models import Clinician
from tests.companion.fhir_samples import (
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    encounter,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    visits_of,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
LINES = 30_000


def immunization(number: int) -> dict:
    """A resource this app does not use: most lines of a bulk export are like it."""
    return {
        "resourceType": "Immunization",
        "id": f"imm-{number}",
        "status": "completed",
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}], "text": "Influenza"},
        "patient": {"reference": f"Patient/p{number % 3}"},
        "occurrenceDateTime": f"20{number % 25:02d}-10-01T09:00:00Z",
    }


def large_export(folder):
    """Three patients, then 30,000 lines: Immunizations, and every 100th a housing answer of one of them (a day
    later each time)."""
    lines = [json.dumps(patient(f"p{n}")) for n in range(3)]
    for number in range(LINES):
        if number % 100 == 0:
            year, day = 1990 + number // 1000, 1 + number // 100 % 10
            when = f"{year}-01-{day:02d}T00:00:00Z"
            answer = observation(f"h{number}", "71802-3", f"Housing {year}", when, f"p{number % 3}")
            lines.append(json.dumps(answer | {"code": {"text": "Housing status"}}))
        else:
            lines.append(json.dumps(immunization(number)))
    return write(folder, "export.ndjson", "\n".join(lines) + "\n")


def test_a_large_ndjson_export_is_read_a_line_at_a_time_the_bar_moves_and_cancel_is_heard_part_way(store, tmp_path):
    path = large_export(tmp_path)
    before = dump(store)
    told = []

    def cancel() -> bool:
        return bool(told) and told[-1].fraction > 0.3  # the user clicks Cancel once the bar passes 30 %

    report = import_paths(store, [path], progress=told.append, cancel=cancel, atomic=True).result

    assert report.cancelled and dump(store) == before
    assert {p.stage for p in told} == {"reading"}  # heard while the file was still being read
    assert len({p.fraction for p in told}) >= 20  # and the bar moved while it was read

    report = import_paths(store, [path]).result

    assert report.unused["Immunization"] == LINES - LINES // 100
    for n in range(3):
        [note] = notes_of(store, patient_by_key(store, f"Patient/p{n}").id)
        assert note.text.startswith("Housing status: Housing 201")  # the latest of that patient's answers
    # Only the newest of each patient's answers is written: no version of the item for every earlier reading.
    assert report.count("notes", "new") == 3 and report.count("notes", "updated") == 0


def test_a_large_bundle_resolves_urn_uuid_references_to_entries_after_the_one_that_names_them(store, tmp_path):
    seen = encounter("e1", subject={"reference": "urn:uuid:patient-1"})
    seen["participant"] = [{"individual": {"reference": "urn:uuid:doctor-1"}}]
    doctor = {"resourceType": "Practitioner", "id": "dr1", "name": [{"prefix": ["Dr."], "family": "Okafor"}]}
    data = bundle(seen, *(immunization(n) for n in range(20_000)), patient("p1"), doctor)  # over 4 MB: read twice
    data["entry"][-2]["fullUrl"] = "urn:uuid:patient-1"
    data["entry"][-1]["fullUrl"] = "urn:uuid:doctor-1"
    path = write(tmp_path, "large.json", data)
    assert path.stat().st_size > 4_000_000

    import_paths(store, [path])

    [visit] = visits_of(store, patient_by_key(store, "Patient/p1").id)
    with store.session() as session:
        assert session.get(Clinician, visit.clinician_id).name == "Dr. Okafor"
    before = dump(store)
    assert import_paths(store, [path]).result.summary() == "imported 1 file: nothing changed"
    assert dump(store) == before


def test_a_bundle_cut_off_half_way_keeps_the_entries_before_the_break_and_the_other_files_go_on(store, tmp_path):
    whole = json.dumps(bundle(patient("p1"), encounter("e1"), patient("p2", given="Bea"), encounter("e2", "p2")))
    cut = write(tmp_path, "1-cut.json", whole[: whole.index('"id": "p2"') + 5])
    after = write(tmp_path, "2-after.json", bundle(patient("p3", given="Cai")))

    report = import_paths(store, [cut, after]).result

    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    assert patient_by_key(store, "Patient/p3").recorded_name == "Cai Lima"
    assert "p2" not in str(dump(store)["patient"])
    assert [s.line() for s in report.skipped] == [
        f"{cut}, entry 3 (rest of the file): the file breaks off here: it ends in the middle of a value "
        "(from line 1); the entries before it are kept (private: the Bundle's security labels were never "
        "reached), none from here on"
    ]
    assert report.files == 2


def test_a_bundle_that_stops_being_json_half_way_keeps_the_entries_before(store, tmp_path):
    whole = json.dumps(bundle(patient("p1"), patient("p2", given="Bea")))
    broken = write(tmp_path, "b.json", whole.replace('"id": "p2"', '"id" "p2"'))

    report = import_paths(store, [broken]).result

    assert patient_by_key(store, "Patient/p1").recorded_name == "Ana Lima"
    [skipped] = report.skipped
    assert (skipped.entry, skipped.resource) == (1, "rest of the file")
    assert skipped.reason.startswith("the file breaks off here: Expecting ':' delimiter at line 1, column ")


DAMAGED = bundle(patient("p1", family="Secretname"), encounter("e1"), patient("p2", given="Bea", family="Secretname"))


def damaged_text(ndjson: bool) -> bytes:
    resources = [entry["resource"] for entry in DAMAGED["entry"]]
    return ("\n".join(json.dumps(r) for r in resources) + "\n" if ndjson else json.dumps(DAMAGED)).encode()


def refused_or_reported(store, path) -> list[str]:
    """What the import says about a damaged file: one line refusing it, or the lines of what it skipped. Any
    other exception fails the test."""
    try:
        report = import_paths(store, [path]).result
    except CompanionError as exc:
        assert str(exc).startswith((f"{path} is not ", f"{path} is empty"))  # cut before its first byte
        return [str(exc)]
    return [skip.line() for skip in report.skipped]


@pytest.mark.parametrize("ndjson", [False, True])
def test_a_file_cut_short_at_any_byte_is_refused_in_one_line_or_imported_with_the_break_reported(
    sqlite_store, tmp_path, monkeypatch, ndjson
):
    monkeypatch.setattr(jsonstream, "CHUNK", 7)  # read in pieces of 7 bytes: every cut meets a piece's end too
    text = damaged_text(ndjson)
    path = tmp_path / ("cut.ndjson" if ndjson else "cut.json")
    for length in range(len(text)):
        path.write_bytes(text[:length])
        said = refused_or_reported(sqlite_store, path)
        assert all("\n" not in line and "Secretname" not in line for line in said)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ndjson=st.booleans(),
    at=st.integers(min_value=0, max_value=len(damaged_text(False))),
    replace=st.integers(min_value=0, max_value=3),
    inserted=st.binary(min_size=1, max_size=3),
    piece=st.sampled_from([1, 7, 64, 1 << 20]),
)
def test_a_file_with_bytes_changed_anywhere_is_refused_in_one_line_or_imported_with_what_was_wrong_reported(
    sqlite_store, tmp_path, monkeypatch, ndjson, at, replace, inserted, piece
):
    """Bytes put in or changed anywhere, read in pieces of any size: never any other exception, and no report
    or refusal quotes what the file says."""
    monkeypatch.setattr(jsonstream, "CHUNK", piece)
    text = damaged_text(ndjson)
    path = tmp_path / ("damaged.ndjson" if ndjson else "damaged.json")
    path.write_bytes(text[:at] + inserted + text[at + replace :])

    said = refused_or_reported(sqlite_store, path)

    assert all("\n" not in line and "Secretname" not in line for line in said)


def test_a_feed_of_many_readings_of_one_question_writes_one_version_of_the_item(store, tmp_path):
    """The newest answer decides: 500 readings of the same question, all on one day, make one note with no earlier
    versions and a handful of audit entries, not 500 versions and 1,000 entries."""
    from companion.services.audit_trail import audit_log
    from companion.services.notes import note_history

    readings = [observation(f"o{n}", "71802-3", f"Housing reading {n}", "2025-01-01T00:00:00Z") for n in range(500)]
    audited = len(audit_log(store))

    report = load(store, tmp_path, patient("p1"), *readings)

    [note] = notes_of(store, patient_by_key(store, "Patient/p1").id)
    assert note.text.endswith("Housing reading 499")
    assert report.count("notes", "new") == 1 and report.count("notes", "updated") == 0
    assert note_history(store, note.id) == []  # no earlier versions
    assert len(audit_log(store)) - audited < 10
