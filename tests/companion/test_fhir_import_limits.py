"""FHIR import of hostile or damaged entries: nested thousands of levels deep, numbers of thousands of digits, a
line longer than the limit, a byte that is not UTF-8. That entry is skipped and reported by its number, the
others import; a file that is not FHIR at all stops the import before anything is written.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from companion.errors import CompanionError
from companion.fhir.importer import import_paths
from companion.storage.store import open_store
from tests.companion.fhir_samples import (
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    encounter,
    goal,
    patient,
    patient_by_key,
    priorities_of,
    visits_of,
    what_matters,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
DEEP = "nested more than 64 levels deep"


def observation_text(oid: str, value: str) -> str:
    """An Observation as JSON text, its value written as given (it may be no valid JSON for json.dumps)."""
    return (
        f'{{"resourceType": "Observation", "id": "{oid}", "status": "final", "code": {{"text": "Weight"}}, '
        f'"subject": {{"reference": "Patient/p1"}}, "valueQuantity": {{"value": {value}}}}}'
    )


def nested(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


def bundle_text(*entries: str) -> str:
    """A Bundle whose entries' resources are JSON texts as given."""
    return (
        '{"resourceType": "Bundle", "type": "collection", "entry": ['
        + ", ".join(f'{{"resource": {text}}}' for text in entries)
        + "]}"
    )


def imported_the_good_ones(store) -> bool:
    """Ana (p1) with her visit, and Bea (p2), who came after the bad entry."""
    ana = patient_by_key(store, "Patient/p1")
    return len(visits_of(store, ana.id)) == 1 and patient_by_key(store, "Patient/p2").recorded_name == "Bea Lima"


GOOD_BEFORE = (json.dumps(patient("p1")), json.dumps(encounter("e1")))
GOOD_AFTER = json.dumps(patient("p2", given="Bea"))


@pytest.mark.parametrize(("levels", "named"), [(100, "Observation/deep"), (10_000, "not read")])
def test_a_bundle_entry_nested_deeper_than_the_limit_is_skipped_and_the_others_import(store, tmp_path, levels, named):
    path = write(tmp_path, "b.json", bundle_text(*GOOD_BEFORE, observation_text("deep", nested(levels)), GOOD_AFTER))

    report = import_paths(store, [path]).result

    assert imported_the_good_ones(store)
    assert [s.line() for s in report.skipped] == [f"{path}, entry 3 ({named}): {DEEP}"]


def test_ndjson_lines_nested_too_deep_or_with_a_number_of_5000_digits_are_skipped_by_line(store, tmp_path):
    lines = [
        *GOOD_BEFORE,
        observation_text("deep", nested(10_000)),
        observation_text("big", "9" * 5000),
        GOOD_AFTER,
    ]
    path = write(tmp_path, "export.ndjson", "\n".join(lines) + "\n")

    report = import_paths(store, [path]).result

    assert imported_the_good_ones(store)
    assert [s.line() for s in report.skipped] == [
        f"{path}, line 3 (not read): {DEEP}",
        f"{path}, line 4 (not read): a number with more than 32 digits",
    ]


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1" * 5000, "a number with more than 32 digits"),
        ("0." + "3" * 5000, "a number with more than 32 digits"),
        ("1e400", "a number out of range (larger than a double holds)"),
        ("NaN", "a number out of range (NaN is not JSON)"),
    ],
)
def test_a_number_with_too_many_digits_or_out_of_range_skips_only_its_entry(store, tmp_path, number, reason):
    path = write(tmp_path, "b.json", bundle_text(*GOOD_BEFORE, observation_text("odd", number), GOOD_AFTER))

    report = import_paths(store, [path]).result

    assert imported_the_good_ones(store)
    assert [s.line() for s in report.skipped] == [f"{path}, entry 3 (not read): {reason}"]


def message(text: str) -> str:
    return json.dumps(
        {
            "resourceType": "Communication",
            "id": "long",
            "status": "completed",
            "subject": {"reference": "Patient/p1"},
            "payload": [{"contentString": text}],
        }
    )


@pytest.mark.parametrize("kind", ["ndjson", "bundle"])
def test_an_entry_longer_than_16_mb_is_skipped_and_the_others_import(store, tmp_path, kind):
    long_one = message("Walks to the market every morning. " * 600_000)  # 21 MB
    if kind == "ndjson":
        path = write(tmp_path, "export.ndjson", "\n".join([*GOOD_BEFORE, long_one, GOOD_AFTER]) + "\n")
        where = "line 3"
    else:
        path = write(tmp_path, "b.json", bundle_text(*GOOD_BEFORE, long_one, GOOD_AFTER))
        where = "entry 3"  # counted from 1, as lines are

    report = import_paths(store, [path]).result

    assert imported_the_good_ones(store)
    assert [s.line() for s in report.skipped] == [f"{path}, {where} (not read): longer than 16 MB"]


def test_a_text_longer_than_a_million_characters_skips_its_resource_but_a_large_photo_does_not(store, tmp_path):
    photo = [{"contentType": "image/jpeg", "data": "QUJD" * 500_000}]  # 2 MB of base64: a photo, not a text
    long_text = message("Loves gardening. " * 70_000)
    path = write(tmp_path, "b.json", bundle_text(*GOOD_BEFORE, long_text, json.dumps(patient("p2", photo=photo))))

    report = import_paths(store, [path]).result

    assert patient_by_key(store, "Patient/p2").recorded_name == "Ana Lima"
    assert [s.line() for s in report.skipped] == [
        f"{path}, entry 3 (Communication/long): a text longer than 1,000,000 characters"
    ]


def test_a_byte_that_is_not_utf8_in_the_middle_of_an_ndjson_file_skips_only_its_line(store, tmp_path):
    latin1 = json.dumps(patient("p9", given="Zélie", family="Secretname"), ensure_ascii=False).encode("latin-1")
    path = tmp_path / "export.ndjson"
    path.write_bytes(b"\n".join([*(line.encode() for line in GOOD_BEFORE), latin1, GOOD_AFTER.encode()]) + b"\n")

    report = import_paths(store, [path]).result

    assert imported_the_good_ones(store)
    assert [s.line() for s in report.skipped] == [f"{path}, line 3 (not read): not UTF-8 text"]


@pytest.mark.parametrize(
    ("content", "message_end"),
    [
        (b"Ana Lima, 1987-02-20, diabetic\n", "is not FHIR JSON: Expecting value at line 1, column 1"),
        (
            b'{"name": "Ana Lima"}\n',
            "is not FHIR JSON: line 1 is not a FHIR resource (an object with a resourceType)",
        ),
        (json.dumps(patient("p1")).encode("utf-16"), "is not FHIR JSON: it is not UTF-8 text"),
        (b"\n\n", "is not FHIR JSON: no line holds a FHIR resource"),
    ],
)
def test_a_second_file_that_is_not_fhir_at_all_stops_the_import_before_the_first_is_written(
    store, tmp_path, content, message_end
):
    good = write(tmp_path, "1-patients.ndjson", "\n".join(json.dumps(patient(f"p{n}")) for n in range(50)) + "\n")
    bad = tmp_path / "2-notes.ndjson"
    bad.write_bytes(content)
    before = dump(store)

    with pytest.raises(CompanionError) as refused:
        import_paths(store, [good, bad])

    assert str(refused.value) == f"{bad} {message_end}"
    assert dump(store) == before


def test_a_bundle_saved_as_latin1_says_once_what_to_do_about_the_lines_it_skipped(cli, tmp_path):
    """A Latin-1 export reads as UTF-8 up to its first accented name: that patient is skipped, then every visit of
    theirs (or they are filed under the name the visit gives), and nothing said why. It says once what to do."""
    text = bundle_text(json.dumps(patient("p1", given="Zélie", family="Müller"), ensure_ascii=False), GOOD_BEFORE[1])
    latin1 = tmp_path / "export.json"
    latin1.write_bytes(text.encode("latin-1"))
    fine = write(tmp_path, "other.json", bundle_text(GOOD_AFTER))

    db = tmp_path / "clinic.sqlite3"
    code, out, err = cli("import", latin1, fine, "--db", db)

    advice = f"companion: {latin1} holds text that is not UTF-8 (saved as Latin-1 or Windows-1252, perhaps)"
    assert code == 3 and "1 resource skipped" in out
    assert err.count(advice) == 1 and "other.json holds" not in err
    latin1.write_text(text, encoding="utf-8")
    code, out, err = cli("import", latin1, "--db", db)
    assert code == 0 and "holds text" not in err
    store = open_store(str(db))
    assert len(visits_of(store, patient_by_key(store, "Patient/p1").id)) == 1
    assert patient_by_key(store, "Patient/p2").recorded_name == "Bea Lima"
    store.engine.dispose()


def test_texts_longer_than_the_app_keeps_are_shortened_and_the_import_says_how_many(cli, tmp_path):
    """A 5,000-character answer is kept to the app's 2,000, ending in "…"; before, nothing said so. Each text is
    counted once, though the import reads it more than once; a file with none says nothing of it."""
    long_answer = "I want to walk my dog to the park again without my knee giving way " * 75
    long_goal = "Keep gardening through the summer with my grandchildren " * 90
    path = write(
        tmp_path,
        "long.json",
        bundle(patient(), encounter(), what_matters("q1", [long_answer]), goal("g1", long_goal, "p1", "Patient/p1")),
    )
    db = tmp_path / "clinic.sqlite3"

    code, out, _err = cli("import", path, "--db", db)

    assert code == 0
    assert "imported 1 file; 2 texts too long, shortened (ending in …); patients 1 new" in out
    store = open_store(str(db))
    kept = sorted(p.text for p in priorities_of(store, patient_by_key(store, "Patient/p1").id))
    store.engine.dispose()
    assert len(kept) == 2 and all(1900 < len(text) <= 2000 and text.endswith("…") for text in kept)
    code, out, _err = cli("import", path, "--db", db, "--json")
    assert code == 0 and json.loads(out)["shortened"] == 2
    short = write(tmp_path, "short.json", bundle(patient(), what_matters("q2", ["My knee"])))
    code, out, _err = cli("import", short, "--db", db)
    assert code == 0 and "too long" not in out
