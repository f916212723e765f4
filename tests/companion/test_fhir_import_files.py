"""FHIR import as a whole: re-import changes nothing, updates are matched by id or identifier, bad input is
refused before anything is written or skipped and reported, progress is told and a cancel rolls back.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import NoResultFound

from companion.errors import CompanionError
from companion.fhir.files import expand_paths
from companion.fhir.importer import import_paths
from companion.read.briefing import build_patient_glance
from companion.services.visits import current_visit_id
from companion.storage.models import NoteKind
from tests.companion.fhir_samples import (
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    encounter,
    goal,
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

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("clinic_clock")


def everything(pid: str = "p1") -> dict:
    """A Bundle that exercises every mapping once."""
    flag = {
        "resourceType": "Flag",
        "id": f"f-{pid}",
        "status": "active",
        "code": {"text": "Uses a walker"},
        "subject": {"reference": f"Patient/{pid}"},
    }
    return bundle(
        patient(pid),
        encounter(f"e-{pid}", pid),
        what_matters(f"q-{pid}", ["My knee", "My sleep"], pid, encounter={"reference": f"Encounter/e-{pid}"}),
        goal(f"g-{pid}", "Dance at my daughter's wedding", pid, expressed_by=f"Patient/{pid}"),
        observation(f"o-{pid}", "71802-3", "Lives with her sister", "2024-05-01T00:00:00Z", pid, "Housing status"),
        flag,
    )


def test_reimporting_the_same_files_changes_nothing_at_all(store, tmp_path):
    path = write(tmp_path, "all.json", everything())
    import_paths(store, [path])
    before = dump(store)

    report = import_paths(store, [path]).result

    assert dump(store) == before
    assert report.summary() == "imported 1 file: nothing changed"


def test_an_updated_file_updates_what_changed_and_keeps_earlier_words(store, tmp_path):
    import_paths(store, [write(tmp_path, "v1.json", everything())])
    changed = everything()
    changed["entry"][0]["resource"]["name"] = [{"use": "official", "given": ["Ana Maria"], "family": "Lima"}]
    changed["entry"][2]["resource"]["item"][0]["answer"][1] = {"valueString": "My sleep, since the move"}

    report = import_paths(store, [write(tmp_path, "v2.json", changed)]).result

    row = patient_by_key(store, "Patient/p1")
    assert (row.recorded_name, row.preferred_name) == ("Ana Maria Lima", "Ana Maria")
    assert [p.text for p in priorities_of(store, row.id)] == [
        "My knee",
        "My sleep, since the move",
        "Dance at my daughter's wedding",
    ]
    assert (report.count("patients", "updated"), report.count("priorities", "updated")) == (1, 1)
    assert len(visits_of(store, row.id)) == 1


def test_a_resource_without_an_id_is_matched_by_its_identifier(store, tmp_path):
    mrn = [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345"}]
    first = {"resourceType": "Patient", "identifier": mrn, "name": [{"given": ["Peter"], "family": "Chalmers"}]}
    import_paths(store, [write(tmp_path, "a.json", first)])
    renamed = first | {"name": [{"given": ["Peter", "James"], "family": "Chalmers"}]}
    fact = observation("o1", "11341-5", "Teacher", "2024-01-01T00:00:00Z", display="Occupation")
    fact["subject"] = {"reference": "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|12345"}
    import_paths(store, [write(tmp_path, "b.json", bundle(renamed, fact))])

    row = patient_by_key(store, "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|12345")
    assert row.recorded_name == "Peter James Chalmers"
    assert [n.text for n in notes_of(store, row.id)] == ["Occupation: Teacher"]


def test_a_patient_not_yet_imported_is_held_under_the_references_name_and_completed_later(store, tmp_path):
    fact = observation("o1", "11341-5", "Nurse", "2024-01-01T00:00:00Z", pid="p9", display="Occupation")
    fact["subject"]["display"] = "Ana Lima"
    import_paths(store, [write(tmp_path, "fact.json", fact)])
    assert patient_by_key(store, "Patient/p9").recorded_name == "Ana Lima"

    import_paths(store, [write(tmp_path, "patient.json", patient("p9", given="Ana", family="Lima Souza"))])

    row = patient_by_key(store, "Patient/p9")
    assert (row.recorded_name, len(notes_of(store, row.id))) == ("Ana Lima Souza", 1)


def test_ndjson_files_are_read_a_resource_per_line_and_a_bad_line_is_reported(store, tmp_path):
    lines = [json.dumps(patient("p1")), "{not json", json.dumps(encounter("e1"))]
    path = write(tmp_path, "export.ndjson", "\n".join(lines) + "\n")

    report = import_paths(store, [path]).result

    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    [skipped] = report.skipped
    assert (skipped.entry, skipped.line()) == (
        2,
        f"{path}, line 2 (no resource): not JSON (Expecting property name enclosed in double quotes)",
    )


def test_an_ndjson_line_that_holds_a_bundle_imports_its_entries_with_its_labels(store, tmp_path):
    """Some exporters write one patient's Bundle per line: its entries are the content, not "1 Bundle not used"."""
    restricted = {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}
    job = observation("o1", "11341-5", "Teacher", "2024-01-01T00:00:00Z", display="Occupation")
    first = bundle(patient("p1"), encounter("e1"), job)
    second = bundle(
        patient("p2", given="Bea", family="Sousa"),
        observation("o2", "11341-5", "Baker", "2024-01-01T00:00:00Z", pid="p2", display="Occupation"),
    ) | {"meta": restricted}
    lines = [json.dumps(first), json.dumps(second), json.dumps(encounter("e2", pid="p2"))]
    path = write(tmp_path, "bundles.ndjson", "\n".join(lines) + "\n")

    report = import_paths(store, [path]).result

    one, two = patient_by_key(store, "Patient/p1"), patient_by_key(store, "Patient/p2")
    assert [len(visits_of(store, one.id)), len(visits_of(store, two.id))] == [1, 1]
    assert [(n.text, n.sensitive) for n in notes_of(store, one.id)] == [("Occupation: Teacher", False)]
    assert [(n.text, n.sensitive) for n in notes_of(store, two.id)] == [("Occupation: Baker", True)]
    assert "Bundle" not in report.unused and not report.skipped


@pytest.mark.parametrize("between", ["\n", "", "\n\n  "])
def test_a_second_bundle_after_the_first_in_a_json_file_is_reported_never_dropped_unsaid(store, tmp_path, between):
    """`cat a.json b.json > all.json`, or a feed's Bundle per line named .json: the first Bundle imports and the
    report says where the rest begins and how to import it, rather than "imported 1 file" alone."""
    first = bundle(patient("p1"), encounter("e1"))
    second = bundle(patient("p2", given="Bea", family="Sousa"), encounter("e2", pid="p2"))
    path = write(tmp_path, "all.json", json.dumps(first, indent=1) + between + json.dumps(second) + "\n")

    report = import_paths(store, [path]).result

    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    [skipped] = report.skipped
    assert "the file goes on after its Bundle" in skipped.line() and ".ndjson" in skipped.line()
    assert f"at line {len(path.read_text().splitlines())}" in skipped.line()  # the second Bundle's, the last


def test_a_record_sent_in_two_versions_is_counted_once_as_new_and_updated_only_by_a_later_import(store, tmp_path):
    """One patient in two versions (a Bulk export, a history) read "patients 1 new, 1 updated": two people, to the
    reader. What an import makes is counted new once; a later import that changes it counts it updated."""

    def version(number: int, family: str, eid: str) -> list[str]:
        meta = {"versionId": str(number), "lastUpdated": f"2026-01-0{number}T00:00:00Z"}
        return [json.dumps(patient("v1", family=family, meta=meta)), json.dumps(encounter(eid, "v1"))]

    first = write(tmp_path, "export.ndjson", "\n".join(version(1, "First", "e1") + version(2, "Second", "e1")))
    report = import_paths(store, [first]).result
    assert report.changes() == ["patients 1 new, 0 updated", "visits 1 new, 0 updated"]
    assert patient_by_key(store, "Patient/v1").recorded_name == "Ana Second"

    later = write(tmp_path, "later.ndjson", "\n".join(version(3, "Third", "e1") + version(4, "Third", "e2")))
    assert import_paths(store, [later]).result.changes() == [
        "patients 0 new, 1 updated",
        "visits 1 new, 0 updated, 1 unchanged",
    ]


def test_an_invalid_resource_in_a_bundle_is_skipped_and_reported_and_the_rest_imports(store, tmp_path):
    broken = patient("p2", given="Zélie", family="Secretname", birthDate="Zélie Secretname")
    bad_period = observation("o1", "71802-3", "Housed", "2024-01-01T00:00:00Z")
    bad_period.pop("effectiveDateTime")
    bad_period["effectivePeriod"] = {"start": "2024-01-01", "stop": "2024-02-01"}  # "stop" is not R4: "end" is
    path = write(tmp_path, "b.json", bundle(patient("p1"), broken, bad_period, encounter("e1")))

    report = import_paths(store, [path]).result

    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    assert [(s.file, s.entry, s.resource) for s in report.skipped] == [
        (str(path), 1, "Patient/p2"),
        (str(path), 2, "Observation/o1"),
    ]
    assert (
        report.skipped[0].reason
        == "not valid FHIR R4: birthDate: Value error, Date value string does not match spec regex."
    )
    assert report.skipped[1].reason == "not valid FHIR R4: effectivePeriod.stop: Extra inputs are not permitted"
    assert all("Zélie" not in s.line() and "Secretname" not in s.line() for s in report.skipped)


def test_a_resource_with_a_modifier_extension_it_does_not_understand_is_skipped(store, tmp_path):
    odd = patient(
        "p1", modifierExtension=[{"url": "http://example.org/fhir/StructureDefinition/pi", "valueDecimal": 3.14}]
    )
    report = import_paths(store, [write(tmp_path, "odd.json", odd)]).result

    [skipped] = report.skipped
    assert skipped.line().endswith(
        "(Patient/p1): it carries a modifier extension this app does not understand "
        "(http://example.org/fhir/StructureDefinition/pi)"
    )
    assert report.count("patients", "new") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Ana Lima, 1987-02-20, diabetic", "is not FHIR JSON: Expecting value at line 1, column 1"),
        ("", "is empty (0 bytes): nothing to import"),
        ('[{"resourceType": "Patient"}]', "is not FHIR JSON: expected an object with a resourceType"),
        ('{"name": "Ana Lima"}', "is not FHIR JSON: expected an object with a resourceType"),
        (
            '{"resourceType": "Bundle", "entry": {"resource": {}}}',
            "is not a valid FHIR Bundle: its entry is not a list",
        ),
    ],
)
def test_a_file_that_is_not_fhir_json_is_refused_and_nothing_is_written(store, tmp_path, content, message):
    good = write(tmp_path, "good.json", everything())
    bad = write(tmp_path, "notes.json", content)
    before = dump(store)

    with pytest.raises(CompanionError) as refused:
        import_paths(store, [good, bad])

    assert str(refused.value) == f"{bad} {message}"
    assert "Ana" not in str(refused.value)
    assert dump(store) == before  # not even the good file before it


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_file_saved_as_utf16_or_utf32_is_refused_with_what_to_do(store, tmp_path, encoding):
    """Windows tools save "Unicode" text as UTF-16: the clinic's IT is told the file's encoding, not a parser's
    complaint about its first character."""
    bad = tmp_path / "export.json"
    bad.write_bytes(json.dumps(everything()).encode(encoding))

    with pytest.raises(CompanionError) as refused:
        import_paths(store, [bad])

    assert str(refused.value) == f"{bad} is not FHIR JSON: it is not UTF-8 text (UTF-16 or UTF-32: save it as UTF-8)"


def test_missing_paths_and_empty_folders_are_refused(store, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CompanionError, match="no such file or folder"):
        import_paths(store, [tmp_path / "nope.json"])
    with pytest.raises(CompanionError, match=r"no FHIR files \(\*\.json, \*\.ndjson\) in the folder"):
        import_paths(store, [tmp_path / "empty"])
    gone = tmp_path / "exported.json"
    gone.symlink_to(tmp_path / "moved-away.json")  # a link given by name: it is there, what it names is not
    with pytest.raises(CompanionError, match=f"^{gone} is a link to a file that does not exist; nothing was imported"):
        import_paths(store, [gone])


@contextmanager
def folder_of_another_user() -> Iterator[Path]:
    """A folder in /tmp that another user (nobody) can reach, and that user's rights, for the test's own process:
    root reads every folder, so a folder the importing user may not read needs another user to try it."""
    if os.geteuid() != 0:
        pytest.skip("lowering the effective user needs root (CI runs as root)")
    folder = Path(tempfile.mkdtemp(prefix="companion-rights-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        os.seteuid(0)
        shutil.rmtree(folder)


@pytest.mark.parametrize("closed", ["export", "export/more"], ids=["the folder itself", "a folder inside it"])
def test_a_folder_the_user_may_not_read_is_named_not_passed_over(closed):
    """`companion import /root` by a user who may not read it said "no FHIR files in the folder"; a subfolder of an
    export they may not read was left out without a word, and its visits were missing."""
    with folder_of_another_user() as base:
        export = base / "export"
        (export / "more").mkdir(parents=True)
        write(export, "1.json", bundle(patient("p1"), encounter("e1", "p1")))
        write(export / "more", "2.json", bundle(patient("p2"), encounter("e2", "p2")))
        for folder in (export, export / "more"):
            folder.chmod(0o755)
            for file in folder.glob("*.json"):
                file.chmod(0o644)
        (base / closed).chmod(0o700)  # root's own
        os.seteuid(65534)
        with pytest.raises(CompanionError, match=f"^the folder {base / closed} cannot be read .*nothing was imported"):
            expand_paths([export])


def test_a_link_to_nothing_in_a_folder_is_named_and_nothing_is_imported(store, tmp_path):
    """A folder of an export whose one file is a link to a file since moved: imported without it, the report
    said "imported 2 files" and nobody knew one was missing."""
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder, "1.json", bundle(patient("p1"), encounter("e1", "p1")))
    (folder / "2.json").symlink_to(tmp_path / "moved.json")
    with pytest.raises(CompanionError, match="2.json is a link to a file that does not exist"):
        import_paths(store, [folder])
    with pytest.raises(NoResultFound):  # the file beside it waits for the folder to be whole
        patient_by_key(store, "Patient/p1")


def test_a_compressed_file_of_an_export_folder_is_named_and_nothing_is_imported(store, tmp_path):
    """A Bulk export sent gzipped and half unpacked: the folder's .ndjson.gz was passed over without a word, and its
    visits were missing. It is refused with what to do, as when it is named alone; other files stay unread."""
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder, "Patient.ndjson", json.dumps(patient("p1")) + "\n")
    (folder / "Encounter.ndjson.gz").write_bytes(gzip.compress(json.dumps(encounter("e1", "p1")).encode()))
    (folder / "readme.txt.gz").write_bytes(gzip.compress(b"not FHIR, not named as FHIR"))

    with pytest.raises(CompanionError) as refused:
        import_paths(store, [folder])

    assert str(refused.value) == (
        f"{folder / 'Encounter.ndjson.gz'} is not FHIR JSON: it is a gzip file: unpack it first, then import what it "
        "holds"
    )
    with pytest.raises(NoResultFound):
        patient_by_key(store, "Patient/p1")


def test_a_pipe_or_a_device_is_named_as_what_it_is_not_as_missing(store, tmp_path):
    pipe = tmp_path / "feed.ndjson"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/null")):
        with pytest.raises(CompanionError, match="is not a file or a folder") as refused:
            import_paths(store, [path])
        assert "no such" not in str(refused.value)


def test_resources_this_app_does_not_use_are_counted_not_reported(store, tmp_path):
    claim = {"resourceType": "Claim", "id": "c1"}
    removed = {"request": {"method": "DELETE", "url": "Patient/p0"}}
    data = bundle(patient("p1"), claim)
    data["entry"].append(removed)

    report = import_paths(store, [write(tmp_path, "b.json", data)]).result

    assert report.skipped == []
    assert report.unused == {"Claim": 1, "Patient (deleted in the record: an import never removes a patient)": 1}


def test_progress_is_told_in_order_and_ends_at_the_whole(store, tmp_path):
    paths = [write(tmp_path, f"{n}.json", everything(f"p{n}")) for n in range(3)]
    told = []

    import_paths(store, paths, progress=told.append)

    fractions = [p.fraction for p in told]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert told[0].message() == "Reading file 1 of 3" and told[-1].message() == "Saving file 3 of 3"


@pytest.mark.parametrize("atomic", [True, False])
def test_a_cancel_rolls_back_the_transaction_in_progress(store, tmp_path, atomic):
    paths = [write(tmp_path, f"{n}.json", everything(f"p{n}")) for n in range(2)]
    before = dump(store)
    asked = []

    def cancel_in_the_second_file() -> bool:
        asked.append(1)
        # Asked as each of the two files begins to be read, before each of the first file's 7 rows and once after
        # them; the answer turns after one row of the second file is written (in the transaction, not committed).
        return len(asked) > 2 + 7 + 1 + 1

    report = import_paths(store, paths, cancel=cancel_in_the_second_file, atomic=atomic).result

    assert report.cancelled and len(asked) == 12
    if atomic:  # the window's import: the database is exactly as it was
        assert dump(store) == before
    else:  # the command line's: the first file is kept whole, nothing of the second
        assert report.files == 1
        assert patient_by_key(store, "Patient/p0").recorded_name == "Ana Lima"
        assert "p1" not in str(dump(store)["patient"])


def test_an_invalid_identifier_skips_only_its_resource_with_the_reason_on_one_line(store, tmp_path):
    bad_identifier = patient("p2") | {"identifier": 5}
    empty_family = patient("p3", family="")  # R4 strings may not be empty; the pattern's message holds a tab
    path = write(tmp_path, "b.json", bundle(patient("p1"), bad_identifier, empty_family))

    report = import_paths(store, [path]).result

    assert patient_by_key(store, "Patient/p1").recorded_name == "Ana Lima"
    assert [(s.entry, s.resource) for s in report.skipped] == [(1, "Patient/p2"), (2, "Patient/p3")]
    assert report.skipped[0].reason == "not valid FHIR R4: identifier: Input should be a valid list"
    assert all("\n" not in s.line() and "\r" not in s.line() and "\t" not in s.line() for s in report.skipped)


def test_a_files_control_characters_reach_the_terminal_as_escapes_never_as_commands(cli, tmp_path):
    """A resource id or an extension's URL is the file's to choose: ESC ] 0 would set the terminal's title, ESC [ its
    colours, U+202E turn the line backwards. They are shown written out."""
    hostile = "\x1b]0;PWNED-TITLE\x07\x1b[31m\u202e"
    fact = observation("o1", "71802-3", "Housed", "2024-01-01T00:00:00Z")
    fact["id"] = "o1"
    fact["modifierExtension"] = [{"url": f"http://example.org/{hostile}", "valueBoolean": True}]
    path = write(tmp_path, f"bundle{hostile[:1]}.json", bundle(patient("p1"), fact))

    code, _out, err = cli("import", path, "--db", tmp_path / "clinic.sqlite3")

    assert code == 3 and "skipped" in err
    assert not any(ch in err for ch in "\x1b\x07\u202e")
    assert "\\x1b]0;PWNED-TITLE\\x07\\x1b[31m\\u202e" in err


def test_practical_needs_written_in_spanish_are_needs_and_a_cancelled_visit_is_not_the_one_to_open(store, tmp_path):
    """Flags in a Spanish-language record: an interpreter and a wheelchair are needs on the glance's access line, not
    story. And a visit cancelled this morning is not the visit `show --patient` opens when another is booked."""

    def flag(fid: str, text: str) -> dict:
        return {"resourceType": "Flag", "id": fid, "status": "active", "code": {"text": text},
                "subject": {"reference": "Patient/p1"}}  # fmt: skip

    today = datetime.combine(date.today(), time(9), tzinfo=UTC)
    cancelled = encounter("e1", start=today.isoformat(), status="cancelled")
    booked = encounter("e2", start=(today + timedelta(days=7)).isoformat())
    load(
        store,
        tmp_path,
        patient("p1"),
        cancelled,
        booked,
        flag("f1", "Intérprete de español en todas las citas"),
        flag("f2", "Usa silla de ruedas; necesita sala accesible"),
        flag("f3", "Preocupada por la caída del cabello"),  # hair loss: story, not a fall
    )

    ana = patient_by_key(store, "Patient/p1")
    kinds = {n.text: n.kind for n in notes_of(store, ana.id)}
    assert kinds.pop("Preocupada por la caída del cabello") is NoteKind.social
    assert set(kinds.values()) == {NoteKind.practical}
    visit_of = {v.source_key: v.id for v in visits_of(store, ana.id)}
    assert current_visit_id(store, ana.id) == visit_of["Encounter/e2"]
    assert {n.text for n in build_patient_glance(store, ana.id).needs} == set(kinds)


_RESTORE_GUARD = (
    "import sys; from pathlib import Path; from companion.errors import CompanionError; "
    "from companion.storage.backups import refuse_while_open_elsewhere\n"
    "try:\n    refuse_while_open_elsewhere(Path(sys.argv[1])); print('allowed')\n"
    "except CompanionError:\n    print('refused')"
)


@pytest.mark.parametrize("name", ["database", "-wal", "-shm", "link"])
def test_the_database_in_use_and_its_own_files_are_refused_unread(sqlite_store, sqlite_path, tmp_path, name):
    """Picked by mistake in the import dialog ("All files"): the database, its log or shared memory, or a link to
    it, is refused before it is opened. Reading it would drop the window's locks, and with them the guard that
    stops a restore from replacing the file while the window goes on saving into the one set aside."""
    window = sqlite_store.engine.connect()  # the window's connection, holding its lock on the file
    window.exec_driver_sql("SELECT count(*) FROM patient").all()
    window.commit()
    given = {"database": sqlite_path, "link": tmp_path / "clinic.json"}.get(name, Path(f"{sqlite_path}{name}"))
    if name == "link":
        given.symlink_to(sqlite_path)
    with pytest.raises(CompanionError, match="is the database or one of its own files, not FHIR JSON"):
        import_paths(sqlite_store, [given])
    guard = subprocess.run(
        [sys.executable, "-c", _RESTORE_GUARD, str(sqlite_path)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )  # fmt: skip
    assert guard.stdout.strip() == "refused"  # another program still sees the window's lock
    window.close()


@pytest.mark.parametrize("name", ["export.json", "Observation.ndjson"])
def test_an_empty_file_is_called_empty_not_a_json_error(cli, tmp_path, name):
    """An export cut off before its first byte was "not FHIR JSON: Expecting value at line 1, column 1"."""
    empty = tmp_path / name
    empty.touch()

    code, _out, err = cli("import", empty, "--db", tmp_path / "clinic.sqlite3")

    assert code == 2 and f"{empty} is empty (0 bytes): nothing to import" in err
    assert not (tmp_path / "clinic.sqlite3").exists()
