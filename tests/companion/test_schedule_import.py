"""The schedule file (`companion schedule import FILE.csv`), on SQLite and PostgreSQL: rows become visits and
patients, a row that cannot be imported is refused by its line number with nothing of it written, the same file
again writes nothing at all, a changed row updates its visit, and a file that cannot be read writes nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.overview import list_patients
from companion.services import schedule_import
from companion.services.patients import edit_patient
from companion.services.schedule_import import import_schedule
from companion.services.visits import list_visits, set_status
from companion.storage.models import Patient, Role

HEADER = "external_id,date,time,patient_name,preferred_name,language,clinician,reason"
DAY = (
    f"{HEADER}\n"
    "A1,2025-03-14,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee pain\n"
    "A2,2025-03-14,09:30,Kwame Mensah,,,Nurse Ben Cole,Blood pressure check\n"
    "A3,2025-03-14,10:00,Lan Nguyen,Lan,Vietnamese,,New patient visit\n"
)


@pytest.fixture
def staff(make_clinician) -> dict[str, int]:
    return {
        "Dr. Ada Park": make_clinician("Dr. Ada Park", Role.physician),
        "Nurse Ben Cole": make_clinician("Nurse Ben Cole", Role.nurse),
        "Admin Ann": make_clinician("Admin Ann", Role.admin),
    }


@pytest.fixture
def schedule(tmp_path):
    """schedule(text or bytes, name="day.csv") -> the file's path."""

    def write(content: str | bytes, name: str = "day.csv"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def by_key(store) -> dict[str, object]:
    """Every visit as the lists show it, by the external id the schedule gave it."""
    from sqlmodel import select

    from companion.storage.models import Visit

    with store.session() as session:
        keys = dict(session.exec(select(Visit.id, Visit.source_key)).all())
    return {keys[row.id].removeprefix("schedule|"): row for row in list_visits(store, None) if keys[row.id]}


def patients(store) -> dict[str, object]:
    return {row.recorded_name: row for row in list_patients(store)}


def test_a_schedule_books_its_visits_and_adds_its_patients(store, staff, schedule):
    report = import_schedule(store, schedule(DAY)).result

    assert (report.rows, report.added, report.updated, report.unchanged, report.refused) == (3, 3, 0, 0, ())
    assert report.patients_added == 3 and report.ignored_columns == ()
    visits = by_key(store)
    assert (visits["A1"].scheduled_at, visits["A1"].clinician_id, visits["A1"].reason) == (
        datetime(2025, 3, 14, 9, 0),
        staff["Dr. Ada Park"],
        "Knee pain",
    )
    assert visits["A2"].clinician_id == staff["Nurse Ben Cole"]
    assert (visits["A3"].clinician_id, visits["A3"].clinician_name) == (None, "")  # unassigned
    assert {v.status for v in visits.values()} == {"scheduled"} and not any(v.video for v in visits.values())
    maria = patients(store)["Maria Lopez"]
    assert (maria.preferred_name, maria.language, maria.interpreter_needed) == ("Mari", "Spanish", False)
    assert visits["A1"].patient_id == maria.id


def test_the_same_file_again_writes_nothing_at_all(store, database, staff, schedule, row_counts):
    path = schedule(DAY)
    import_schedule(store, path)
    before = row_counts(database)

    again = import_schedule(store, path)

    assert (again.result.added, again.result.updated, again.result.unchanged) == (0, 0, 3)
    assert again.kinds == frozenset() and again.result.patients_added == 0
    assert row_counts(database) == before  # no visit, patient, audit entry or change-log row added


def test_a_changed_row_updates_its_visit(store, staff, schedule):
    import_schedule(store, schedule(DAY))
    first = by_key(store)

    changed = DAY.replace("A1,2025-03-14,09:00", "A1,2025-03-15,11:30").replace(
        "Nurse Ben Cole,Blood pressure check", "Dr. Ada Park,Blood pressure and meds"
    )
    result = import_schedule(store, schedule(changed))

    assert (result.result.added, result.result.updated, result.result.unchanged) == (0, 2, 1)
    assert "visit" in result.kinds
    now = by_key(store)
    assert now["A1"].id == first["A1"].id and now["A1"].scheduled_at == datetime(2025, 3, 15, 11, 30)
    assert (now["A2"].clinician_id, now["A2"].reason) == (staff["Dr. Ada Park"], "Blood pressure and meds")
    assert len(list_patients(store)) == 3


def test_an_empty_clinician_keeps_the_nurses_assignment(store, staff, schedule):
    from companion.services.booking import assign_visit

    import_schedule(store, schedule(DAY))
    assign_visit(store, by_key(store)["A3"].id, staff["Nurse Ben Cole"])

    report = import_schedule(store, schedule(DAY)).result

    assert report.unchanged == 3
    assert by_key(store)["A3"].clinician_id == staff["Nurse Ben Cole"]


@pytest.mark.parametrize("status", ["done", "cancelled", "no_show"])
def test_a_changed_row_of_a_closed_visit_is_refused_and_the_visit_kept(store, staff, schedule, status):
    import_schedule(store, schedule(DAY))
    set_status(store, by_key(store)["A1"].id, status)

    report = import_schedule(store, schedule(DAY.replace("Knee pain", "Knee and hip pain"))).result

    assert [(r.line, r.external_id) for r in report.refused] == [(2, "A1")]
    assert f"is {status.replace('_', '-')}" in report.refused[0].reason
    assert by_key(store)["A1"].reason == "Knee pain"
    assert report.unchanged == 2
    # Said once: the same file the next night is not refused again (nor applied).
    again = import_schedule(store, schedule(DAY.replace("Knee pain", "Knee and hip pain"))).result
    assert again.refused == () and by_key(store)["A1"].reason == "Knee pain"
    # Unchanged, a closed visit is simply unchanged.
    assert import_schedule(store, schedule(DAY)).result.refused == ()


BAD_ROWS = (
    f"{HEADER},interpreter\n"  # line 1
    "B1,2025-03-14,09:00,Ana Ruiz,,,Dr. Who,Check-up,\n"  # 2: unknown clinician
    "B2,2025-02-30,09:00,Ana Ruiz,,,,Check-up,\n"  # 3: no such day
    "B3,2025-03-14,9h30,Ana Ruiz,,,,Check-up,\n"  # 4: not a time
    "B4,2025-03-14,10:00,,,,,Check-up,\n"  # 5: no patient name
    ",2025-03-14,10:30,Ana Ruiz,,,,Check-up,\n"  # 6: no external id
    "B6,2025-03-14,11:00,Ana Ruiz,,,Admin Ann,Check-up,\n"  # 7: an admin sees no patients
    "B7,2025-03-14,11:30,Ana Ruiz,,,,Check-up,maybe\n"  # 8: not yes or no
    "B8,2025-03-14,12:00,Ana Ruiz,,,,Check-up\n"  # 9: a field short
    "B9,2025-03-14,12:30,Ana Ruiz,,,,Check-up,no,surprise\n"  # 10: a field too many
    f"B10,2025-03-14,13:00,{'x' * 201},,,,Check-up,\n"  # 11: a name over 200 characters
    'B11,2025-03-14,13:30,Ana Ruiz,,,,"Line one\nline two",\n'  # 12-13: a line break in the reason
    "OK1,2025-03-14,14:00,Ana Ruiz,,,,Check-up,yes\n"  # 14: fine
    "OK1,2025-03-14,14:30,Ana Ruiz,,,,Check-up,\n"  # 15: the same external id again
    "B14,1899-12-31,09:00,Ana Ruiz,,,,Check-up,\n"  # 16: before 1900
    "B15,2025-03-14,15:00,Ana Ruiz,,,,Check\x00up,\n"  # 17: a control character
)


def test_rows_that_cannot_be_imported_are_refused_by_line_and_the_rest_imported(
    store, database, staff, schedule, row_counts
):
    report = import_schedule(store, schedule(BAD_ROWS)).result

    refused = {r.line: (r.external_id, r.reason) for r in report.refused}
    assert sorted(refused) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17]
    assert refused[2] == ("B1", "the clinician column names no clinician added here")
    assert "not a date and time" in refused[3][1] and "not a date and time" in refused[4][1]
    assert refused[5] == ("B4", "the patient name is empty")
    assert refused[6] == ("", "the external_id is empty")
    assert "administrator" in refused[7][1]
    assert refused[8] == ("B7", "interpreter is neither yes nor no; use yes or no")
    assert "fields where the header has 9" in refused[9][1] and "fields where the header has 9" in refused[10][1]
    assert refused[11] == ("B10", "the patient name is 201 characters; the limit is 200")
    assert refused[12] == ("B11", "the reason has a line break; write it on one line")
    assert refused[15] == ("OK1", "the external_id appears again (first on line 14)")
    assert "outside 1900-01-01" in refused[16][1] and "control characters" in refused[17][1]
    assert (report.rows, report.added) == (15, 1)
    assert list(by_key(store)) == ["OK1"]
    ana = patients(store)["Ana Ruiz"]
    assert ana.interpreter_needed and ana.visits == 1
    # Nothing of a refused row was written: one patient, one visit.
    assert (row_counts(database)["patient"], row_counts(database)["visit"]) == (1, 1)


@pytest.mark.parametrize(
    ("said", "needed"),
    [
        ("Yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("Sí", True),
        ("SI", True),
        ("Si\u0301", True),
        ("\u200fsí", True),  # a right-to-left keyboard's direction mark
        ("\ufeffyes\u200b", True),  # a byte-order mark and a zero-width space from a spreadsheet
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", False),
        ("\u200f", False),  # a mark alone shows nothing: as blank
    ],
)
def test_yes_and_no_are_read_as_clinics_spell_them_in_english_and_spanish(store, staff, schedule, said, needed):
    text = f"{HEADER},interpreter\nA1,2025-03-14,09:00,Ana Ruiz,,,,Check-up,{said}\n"

    assert import_schedule(store, schedule(text)).result.refused == ()
    assert patients(store)["Ana Ruiz"].interpreter_needed is needed


@pytest.mark.parametrize("said", ["👍", "نعم", "<b>yes</b>", "y" * 100_000, "sí!", "maybe yes", "s\u200fí"])
def test_a_yes_or_no_in_no_accepted_spelling_refuses_its_row_without_echoing_it(
    store, staff, schedule, row_counts, database, said
):
    text = f"{HEADER},interpreter\nA1,2025-03-14,09:00,Ana Ruiz,,,,Check-up,{said}\n"

    report = import_schedule(store, schedule(text)).result

    assert [r.text() for r in report.refused] == ["line 2 ('A1'): interpreter is neither yes nor no; use yes or no"]
    assert row_counts(database)["visit"] == 0


def test_no_patient_name_reaches_a_refusal(store, staff, schedule):
    rows = (
        f"{HEADER}\nZ1,2025-03-14,09:00,Secret Person,Secret,,Dr. Nobody,Check-up\n"
        "Z2,2025-03-14,Secret Quill 10:00,,,,,Check-up\n"  # shifted columns: the name where the time goes
    )

    report = import_schedule(store, schedule(rows)).result

    assert "Secret" not in json.dumps(report.to_json()) and "Secret" not in report.summary()


@pytest.mark.parametrize(
    "first_row",
    [
        "A77,2025-03-14,09:00,Secret Quill,Secret Quill,es,Dr. Ada Park,Checkup",  # name and preferred name alike
        "A77,2025-03-14,09:00,X Y,,es,Dr. Ada Park,Secret follow-up,Secret follow-up",
    ],
)
def test_a_file_without_a_header_never_reads_a_patients_row_back_as_column_names(store, staff, schedule, first_row):
    """An export without its header row has a patient's row first, whose values repeat (a name typed twice, a
    reason in two columns): the refusal says the header is missing, and names none of them."""
    with pytest.raises(CompanionError) as refused:
        import_schedule(store, schedule(f"{first_row}\n"))

    assert "Secret" not in str(refused.value) and "lacks the columns" in str(refused.value)


def test_a_header_naming_a_column_twice_is_refused_by_that_name_or_by_position(store, staff, schedule):
    with pytest.raises(CompanionError, match="the column 'reason' appears twice"):
        import_schedule(store, schedule(f"{HEADER},reason\n"))
    with pytest.raises(CompanionError, match="columns 9 and 10 of the header have the same name"):
        import_schedule(store, schedule(f"{HEADER},ward,Ward\n"))


def test_a_refused_row_of_a_new_patient_adds_no_patient(store, database, staff, schedule, row_counts):
    before = row_counts(database)

    report = import_schedule(store, schedule(f"{HEADER}\nN1,2025-03-14,09:00,New Person,,,Dr. Who,\n")).result

    assert [r.line for r in report.refused] == [2]
    assert row_counts(database) == before


def test_a_known_patient_is_matched_by_name_in_any_case_and_only_filled(store, staff, schedule, make_patient):
    known = make_patient("maria LOPEZ", preferred_name="Mary")

    report = import_schedule(store, schedule(DAY)).result

    assert report.patients_added == 2
    maria = patients(store)["maria LOPEZ"]
    assert by_key(store)["A1"].patient_id == known == maria.id
    assert (maria.preferred_name, maria.language) == ("Mary", "Spanish")  # kept, and filled where empty


@pytest.mark.parametrize("known_before", [False, True])
def test_what_a_nurse_cleared_stays_cleared_when_the_same_schedule_comes_again(
    store, staff, schedule, make_patient, known_before
):
    """Pronouns cleared, a name and a language corrected, the interpreter found not needed: tomorrow's file
    saying what it said today does not bring them back (for a patient the file added, or one already known); a
    file that says something new fills what is empty, as ever."""
    if known_before:
        make_patient("Ana Pereira")
    header = f"{HEADER},pronouns,interpreter"
    row = "S1,2025-03-14,14:00,Ana Pereira,Ana,Portuguese,Dr. Ada Park,Knee pain,{pronouns},yes"
    import_schedule(store, schedule(f"{header}\n{row.format(pronouns='she/her')}\n"))
    ana = patients(store)["Ana Pereira"]
    assert (ana.pronouns, ana.interpreter_needed) == ("she/her", True)
    edit_patient(store, ana.id, recorded_name="Ana Pereira", preferred_name="", pronouns="", language="")

    report = import_schedule(store, schedule(f"{header}\n{row.format(pronouns='she/her')}\n")).result

    ana = patients(store)["Ana Pereira"]
    assert (ana.pronouns, ana.language, ana.interpreter_needed) == ("", "", False)
    assert ana.preferred_name != "Ana"  # the recorded name again, as she left it
    assert report.updated == 0  # nothing new: the same file writes nothing
    import_schedule(store, schedule(f"{header}\n{row.format(pronouns='they/them')}\n"))
    assert patients(store)["Ana Pereira"].pronouns == "they/them"  # news: filled where empty


def test_a_second_row_of_the_patient_left_blank_does_not_make_the_first_row_news_again(store, staff, schedule):
    """Two visits of one patient in the file, the second row's cells blank: a blank says nothing, so it does not
    replace what the first row said, and tomorrow's same file brings back nothing a nurse cleared."""
    day = (
        f"{HEADER},pronouns,interpreter\n"
        "S1,2025-03-14,14:00,Ana Pereira,Ana,Portuguese,Dr. Ada Park,Knee pain,she/her,yes\n"
        "S2,2025-03-15,09:00,Ana Pereira,,,Dr. Ada Park,Follow-up,,\n"
    )
    import_schedule(store, schedule(day))
    ana = patients(store)["Ana Pereira"]
    edit_patient(store, ana.id, recorded_name="Ana Pereira", preferred_name="", pronouns="", language="")

    import_schedule(store, schedule(day))

    ana = patients(store)["Ana Pereira"]
    assert (ana.pronouns, ana.language, ana.interpreter_needed) == ("", "", False)


def test_two_patients_with_the_name_make_the_row_refused(store, database, staff, schedule, make_patient, row_counts):
    make_patient("Maria Lopez")
    make_patient("Maria Lopez")

    report = import_schedule(store, schedule(DAY)).result

    assert [(r.line, r.reason) for r in report.refused] == [
        (2, "2 patients have this recorded name; book this visit by hand")
    ]
    assert row_counts(database)["patient"] == 4  # the other two rows' patients only


def test_an_external_id_reused_for_another_patient_is_refused(store, staff, schedule):
    import_schedule(store, schedule(DAY))

    report = import_schedule(store, schedule(DAY.replace("Maria Lopez,Mari", "Someone Else,"))).result

    assert [r.line for r in report.refused] == [2]
    assert "booked for another patient" in report.refused[0].reason
    assert "Someone Else" not in patients(store)


def test_bom_crlf_quoted_commas_free_order_any_case_and_extra_columns(store, staff, schedule):
    text = (
        "Reason,CLINICIAN, Time ,Date,Patient_Name,Preferred Name,Language,External-ID,Room,Video,Pronouns,"
        "Interpreter,Duration_Minutes\r\n"
        '"Knee pain, left ""mostly""",Dr. Ada Park,09:00,2025-03-14,"Lopez, Maria",Mari,Spanish,A1,5,yes,she/her,'
        "true,30\r\n"
    )

    report = import_schedule(store, schedule(b"\xef\xbb\xbf" + text.encode("utf-8"))).result

    assert (report.added, report.refused, report.ignored_columns) == (1, (), ("room",))
    visit = by_key(store)["A1"]
    assert (visit.reason, visit.video, visit.clinician_id) == ('Knee pain, left "mostly"', True, staff["Dr. Ada Park"])
    maria = patients(store)["Lopez, Maria"]
    assert (maria.pronouns, maria.interpreter_needed) == ("she/her", True)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_spreadsheet_saved_with_semicolons_or_tabs_imports(store, staff, schedule, separator):
    report = import_schedule(store, schedule(DAY.replace(",", separator))).result

    assert (report.added, report.refused) == (3, ())


def test_old_mac_line_endings_count_as_lines(store, staff, schedule):
    report = import_schedule(store, schedule(DAY.replace("A2,", "A2x,").replace("\n", "\r") + "A9,x,,,,,,\r")).result

    assert (report.added, [r.line for r in report.refused]) == (3, [5])


def test_line_numbers_count_the_lines_of_a_quoted_line_break(store, staff, schedule):
    rows = f'{HEADER}\nQ1,2025-03-14,09:00,Ana Ruiz,,,,"two\r\nlines"\r\nQ2,2025-03-14,09:00,Ana Ruiz,,,Dr. Who,\n'

    report = import_schedule(store, schedule(rows)).result

    assert [r.line for r in report.refused] == [2, 4]


def test_a_huge_field_refuses_its_row_only(store, staff, schedule):
    rows = f"{HEADER}\nH1,2025-03-14,09:00,Ana Ruiz,,,,{'r' * 300_000}\nH2,2025-03-14,09:30,Ana Ruiz,,,,ok\n"

    report = import_schedule(store, schedule(rows)).result

    assert [(r.line, r.reason) for r in report.refused] == [(2, "the reason is 300,000 characters; the limit is 200")]
    assert list(by_key(store)) == ["H2"]


def test_a_private_reason_is_kept_private(store, staff, schedule):
    import_schedule(store, schedule(DAY.replace("Knee pain", "HIV follow-up")))

    assert by_key(store)["A1"].reason_private


ROWS = DAY.split("\n", 1)[1].encode()  # rows that would import, after a header that cannot be used
UNUSABLE = {
    "not UTF-8": HEADER.encode() + b"\n" + ROWS + "A4,2025-03-14,09:00,Zo\xeb,,,,\n".encode("latin-1"),
    "UTF-16 without its mark": DAY.encode("utf-16-le"),
    "empty": b"",
    "only a BOM and blank lines": b"\xef\xbb\xbf\r\n\r\n",
    "missing columns": b"external_id,date,time,patient_name\n" + ROWS,
    "no header row": ROWS,
    "JSON": b'{"resourceType": "Patient", "id": "p1"}\n',
    "a column twice": (HEADER + ",Date\n").encode() + ROWS,
}


@pytest.mark.parametrize("content", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_an_unusable_file_is_one_error_and_writes_nothing(store, database, staff, schedule, row_counts, content):
    before = row_counts(database)

    with pytest.raises(CompanionError) as refused:
        import_schedule(store, schedule(content))

    assert "\n" not in str(refused.value)
    assert row_counts(database) == before


def test_missing_columns_are_named(store, schedule):
    with pytest.raises(CompanionError, match="lacks the columns preferred_name, language, clinician, reason"):
        import_schedule(store, schedule("external_id,date,time,patient_name\n"))


def test_excels_unicode_text_imports_as_the_same_schedule_in_utf8(store, database, staff, schedule, row_counts):
    """Excel's "Unicode Text" is UTF-16 with a byte-order mark and tabs between columns: it was refused as "not
    UTF-8 (line 1)", and without its mark as lacking columns the header plainly had."""
    import_schedule(store, schedule(DAY.replace(",", "\t").encode("utf-16")))
    first = row_counts(database)
    import_schedule(store, schedule(DAY.encode()))  # the same day in UTF-8: nothing new
    assert row_counts(database) == first and by_key(store)["A1"].reason == "Knee pain"
    with pytest.raises(CompanionError, match="looks like UTF-16 text without its byte-order mark"):
        import_schedule(store, schedule(DAY.encode("utf-16-be")))


def test_not_utf8_says_where(store, schedule):
    with pytest.raises(CompanionError, match=r"not UTF-8 text \(line 3\)"):
        import_schedule(store, schedule(b"a,b\n\n\xff\n"))


def test_a_header_alone_imports_nothing(store, schedule):
    report = import_schedule(store, schedule(HEADER + "\r\n")).result

    assert (report.rows, report.summary()) == (0, "the schedule has no rows; nothing to import")


def test_limits_of_size_and_rows(store, database, staff, schedule, row_counts, monkeypatch):
    before = row_counts(database)
    monkeypatch.setattr(schedule_import, "MAX_ROWS", 2)
    with pytest.raises(CompanionError, match="more than 2 rows"):
        import_schedule(store, schedule(DAY))
    monkeypatch.setattr(schedule_import, "MAX_BYTES", 100)
    with pytest.raises(CompanionError, match="the limit is 100"):
        import_schedule(store, schedule(DAY))
    assert row_counts(database) == before


def test_a_folder_or_a_missing_file_is_refused(store, tmp_path):
    with pytest.raises(CompanionError, match="not a plain file"):
        import_schedule(store, tmp_path)
    with pytest.raises(CompanionError, match="cannot read the schedule"):
        import_schedule(store, tmp_path / "missing.csv")


# The command line: exit 0 when every row is imported, 3 when some were refused, 2 when the file is unusable.


def test_cli_imports_and_prints_counts_without_names(cli, db_path, staff, schedule):
    code, out, err = cli("schedule", "import", schedule(DAY + "C1,2025-03-14,11:00,Ana Ruiz,,,,,\n"), "--db", db_path)

    assert (code, err) == (0, "")
    assert out == "schedule: 4 rows; visits: 4 added, 0 updated, 0 unchanged, 0 refused; 4 patients added\n"


def test_cli_exit_3_lists_refused_lines_and_says_so_once(cli, db_path, store, staff, schedule):
    rows = f"{HEADER},room\nA1,2025-03-14,09:00,Ana Ruiz,,,Dr. Who,,4\nA2,2025-03-14,09:30,Ana Ruiz,,,,,4\n"

    code, out, err = cli("schedule", "import", schedule(rows), "--db", db_path)

    assert code == 3
    assert out.splitlines() == [
        "schedule: 2 rows; visits: 1 added, 0 updated, 0 unchanged, 1 refused; 1 patient added",
        "columns not used (ignored): room",
        "refused line 2 ('A1'): the clinician column names no clinician added here",
    ]
    assert err == "companion: error: 1 row refused (see the report); the other rows were imported\n"
    assert list(by_key(store)) == ["A2"]


def test_cli_json_report(cli, db_path, staff, schedule):
    path = schedule(DAY + "A9,2025-03-14,25:00,Ana Ruiz,,,,\n")

    code, out, _ = cli("schedule", "import", path, "--db", db_path, "--json")

    assert code == 3
    assert json.loads(out) == {
        "rows": 4,
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "refused": [
            {
                "line": 5,
                "external_id": "A9",
                "reason": "the value given is not a date and time; use YYYY-MM-DD HH:MM",
            }
        ],
        "too_old": 0,
        "patients_added": 3,
        "ignored_columns": [],
    }
    again = json.loads(cli("schedule", "import", path, "--db", db_path, "--json")[1])
    assert (again["added"], again["unchanged"]) == (0, 3)


def test_cli_unusable_file_is_exit_2_and_one_line(cli, db_path, store, schedule, row_counts):
    before = row_counts(db_path)

    code, out, err = cli("schedule", "import", schedule(b"a,b\n\xff\x01"), "--db", db_path)

    assert (code, out) == (2, "")
    assert err.startswith("companion: error: the schedule is not UTF-8") and err.count("\n") == 1
    assert row_counts(db_path) == before


def test_the_database_itself_is_never_read_as_a_schedule(sqlite_store, sqlite_path, tmp_path):
    link = tmp_path / "looks-like-a-schedule.csv"
    link.symlink_to(sqlite_path)

    for path in (sqlite_path, link):
        with pytest.raises(CompanionError, match="is the database or one of its own files"):
            import_schedule(sqlite_store, path)


def test_a_files_control_characters_reach_the_terminal_written_out(cli, db_path, staff, schedule):
    """A column's name is the file's to choose: ESC ] 0 would set the terminal's title, U+202E turn a line."""
    hostile = "\x1b]0;PWNED\x07\x1b[31m\u202e"
    rows = f"{HEADER},{hostile}\nA1,2025-03-14,09:00,Ana Ruiz,,,Dr. Ada Park,,x\n"

    code, out, _err = cli("schedule", "import", schedule(rows), "--db", db_path)

    assert (
        code == 0 and "columns not used (ignored): \\x1b]0;pwned\\x07\\x1b[31m\\u202e" in out
    )  # names are read lower case
    assert not any(ch in out for ch in "\x1b\x07\u202e")


def test_private_words_in_a_rows_pronouns_or_language_are_left_out_and_the_visit_booked(store, staff, schedule):
    text = (
        "external_id,date,time,patient_name,preferred_name,language,pronouns,clinician,reason\n"
        "B1,2025-03-14,09:00,Jo Ames,Jo,Spanish; undocumented,he/him (trans man; family does not know),"
        "Dr. Ada Park,Knee\n"
        "B2,2025-03-14,09:30,Alex Quill,Alex (HIV positive),,,Dr. Ada Park,Knee\n"
        "B3,2025-03-14,10:00,Molly Ames,Molly,,,Dr. Ada Park,Knee\n"
        'B4,2025-03-14,10:30,"Roe, Jill - methadone pt",,,,Dr. Ada Park,Knee\n'
    )

    report = import_schedule(store, schedule(text.encode())).result

    assert report.added == 4 and report.refused == ()
    assert "Roe, Jill" in patients(store)  # the name, without what the schedule added to it
    with store.session() as session:  # nor is it kept where the schedule's patients are keyed
        assert not any("methadone" in key for key in session.exec(select(Patient.source_key)).all() if key)
    jo = patients(store)["Jo Ames"]
    assert (jo.pronouns, jo.language) == ("", "")
    # the name to use: Alex's recorded one, as no preferred name was kept
    assert [patients(store)[name].preferred_name for name in ("Alex Quill", "Molly Ames")] == ["Alex Quill", "Molly"]


# A name is not a person (attack round 13): a namesake never gets another patient's visit, and with it their
# notes on the glance.


def test_a_namesake_registered_since_makes_a_name_only_row_refused(store, staff, schedule, make_patient):
    first = f"{HEADER}\nA1,2025-03-14,09:00,John Smith,,English,Dr. Ada Park,Checkup\n"
    import_schedule(store, schedule(first))
    make_patient("John Smith")  # another John Smith, registered at the desk

    report = import_schedule(
        store, schedule(f"{HEADER}\nB7,2025-03-15,10:00,John Smith,,English,Dr. Ada Park,New patient visit\n")
    ).result

    assert [(r.line, r.reason) for r in report.refused] == [
        (2, "2 patients have this recorded name; book this visit by hand")
    ]
    assert "B7" not in by_key(store)


ID_HEADER = f"{HEADER},mrn,DOB"


def test_a_record_number_tells_namesakes_apart_and_follows_a_new_name(store, database, staff, schedule):
    rows = (
        f"{ID_HEADER}\n"
        "A1,2025-03-14,09:00,John Smith,,English,Dr. Ada Park,Checkup,MRN-1001,1950-02-03\n"
        "B7,2025-03-14,10:00,John Smith,,English,Dr. Ada Park,New patient visit,MRN-2002,1988-07-09\n"
    )
    report = import_schedule(store, schedule(rows)).result
    visits = by_key(store)

    assert (report.added, report.patients_added, report.refused, report.ignored_columns) == (2, 2, (), ())
    assert visits["A1"].patient_id != visits["B7"].patient_id
    # A later file: the first John Smith under his new name is still him, by his record number; a third John
    # Smith with another number is a new patient, and no row is refused.
    later = (
        f"{ID_HEADER}\n"
        "A2,2025-04-14,09:00,Johnny Smith-Ray,,English,Dr. Ada Park,Follow-up,mrn-1001,\n"
        "C3,2025-04-14,10:00,John Smith,,English,Dr. Ada Park,Checkup,MRN-3003,\n"
    )
    report = import_schedule(store, schedule(later)).result
    visits = by_key(store)

    assert (report.added, report.patients_added, report.refused) == (2, 1, ())
    assert visits["A2"].patient_id == visits["A1"].patient_id
    assert visits["C3"].patient_id not in (visits["A1"].patient_id, visits["B7"].patient_id)


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (1, 2, 0), (2, 0, 1)])
def test_a_name_only_row_among_namesakes_is_refused_whatever_the_order(store, staff, schedule, order):
    """Two people of one name told apart by record number, and a row with the name alone: that row could be
    either, so it is the one refused, in any order (first in the file, it made a patient of the name, and the two
    that could be told apart were refused instead: attack round 15)."""
    rows = [
        "T1,2025-03-14,09:00,Sam Lee,,,Dr. Ada Park,Check-up,",
        "T2,2025-03-14,10:00,Sam Lee,,,Dr. Ada Park,Check-up,M-1",
        "T3,2025-03-14,11:00,Sam Lee,,,Dr. Ada Park,Check-up,M-2",
    ]
    day = f"{HEADER},mrn\n" + "".join(rows[n] + "\n" for n in order)

    report = import_schedule(store, schedule(day)).result

    booked = by_key(store)
    assert set(booked) == {"T2", "T3"} and booked["T2"].patient_id != booked["T3"].patient_id
    assert [r.reason for r in report.refused] == [
        "the file names several patients with this name; book this visit by hand"
    ]


def test_a_birth_date_tells_namesakes_apart(store, staff, schedule):
    header = f"{HEADER},birth date"
    rows = (
        f"{header}\n"
        "A1,2025-03-14,09:00,Ana Ruiz,,,,Checkup,1950-02-03\n"
        "A2,2025-03-14,10:00,Ana Ruiz,,,,Checkup,2001-11-30\n"
        "A3,2025-03-15,10:00,ana ruiz,,,,Follow-up,1950-02-03\n"
        "A4,2025-03-15,11:00,Ana Ruiz,,,,Checkup,31/12/1950\n"
    )

    report = import_schedule(store, schedule(rows)).result
    visits = by_key(store)

    assert report.patients_added == 2
    assert visits["A1"].patient_id == visits["A3"].patient_id != visits["A2"].patient_id
    assert [(r.line, r.external_id, r.reason) for r in report.refused] == [
        (5, "A4", "the birth_date is not a date as YYYY-MM-DD")
    ]


def test_a_patient_found_by_name_once_is_found_by_record_number_after(store, staff, schedule, make_patient):
    known = make_patient("Maria Lopez")
    import_schedule(store, schedule(f"{ID_HEADER}\nA1,2025-03-14,09:00,Maria Lopez,,,,Knee,M-7,\n"))
    make_patient("Maria Lopez")  # a namesake registered after: the record number still finds the first

    report = import_schedule(store, schedule(f"{ID_HEADER}\nA2,2025-04-14,09:00,Maria Lopez,,,,Knee,M-7,\n")).result

    assert report.refused == () and by_key(store)["A2"].patient_id == known


def test_a_row_with_another_record_number_is_not_the_visits_patient(store, staff, schedule):
    import_schedule(store, schedule(f"{ID_HEADER}\nA1,2025-03-14,09:00,John Smith,,,,Checkup,MRN-1,\n"))

    report = import_schedule(store, schedule(f"{ID_HEADER}\nA1,2025-03-14,09:00,John Smith,,,,Checkup,MRN-2,\n"))

    assert "booked for another patient" in report.result.refused[0].reason


def test_the_same_file_again_keeps_a_visit_moved_and_assigned_in_the_app(store, staff, schedule):
    from companion.services.booking import assign_visit, move_visit

    path = schedule(DAY)
    import_schedule(store, path)
    a1 = by_key(store)["A1"].id
    move_visit(store, a1, datetime(2025, 3, 14, 11, 0))
    assign_visit(store, a1, staff["Nurse Ben Cole"])

    report = import_schedule(store, path).result

    assert (report.updated, report.unchanged) == (0, 3)
    assert (by_key(store)["A1"].scheduled_at, by_key(store)["A1"].clinician_id) == (
        datetime(2025, 3, 14, 11, 0),
        staff["Nurse Ben Cole"],
    )
    # The front desk then moves it in its own system: that change is news, and it applies.
    report = import_schedule(store, schedule(DAY.replace("A1,2025-03-14,09:00", "A1,2025-03-14,15:00"))).result
    assert report.updated == 1
    assert (by_key(store)["A1"].scheduled_at, by_key(store)["A1"].clinician_id) == (
        datetime(2025, 3, 14, 15, 0),
        staff["Nurse Ben Cole"],
    )


def test_the_same_file_again_after_a_visit_is_cancelled_refuses_nothing(store, staff, schedule):
    from companion.services.booking import move_visit

    path = schedule(DAY)
    import_schedule(store, path)
    move_visit(store, by_key(store)["A1"].id, datetime(2025, 3, 14, 11, 0))
    set_status(store, by_key(store)["A1"].id, "cancelled")

    report = import_schedule(store, path).result

    assert (report.refused, report.unchanged) == ((), 3)


def test_a_shifted_row_names_not_even_its_external_id(store, staff, schedule):
    # external_id last: an unquoted "Doe, Janet" shifts the reason into it.
    header = "date,time,patient_name,preferred_name,language,clinician,reason,external_id"
    rows = f"{header}\n2025-03-14,09:00,Doe, Janet,,,,HIV follow-up,Z1\n"

    report = import_schedule(store, schedule(rows)).result

    assert [(r.line, r.external_id) for r in report.refused] == [(2, "")]
    assert "HIV" not in json.dumps(report.to_json()) and "Janet" not in report.refused[0].text()


def test_a_spreadsheets_unnamed_columns_are_ignored_by_position(store, staff, schedule):
    rows = f"{HEADER},,\nA1,2025-03-14,09:00,Maria Lopez,,,,Knee,,\nA2,2025-03-14,10:00,Ana Ruiz,,,,Knee\n"

    report = import_schedule(store, schedule(rows)).result

    assert (report.added, report.refused, report.ignored_columns) == (2, (), ())


def test_a_file_naming_two_people_of_a_name_never_guesses_which_one_a_known_patient_is(
    store, staff, schedule, make_patient
):
    """A John Smith the schedule knows only by a birth date (or registered at the desk with nothing to tell),
    then a file with two John Smiths of two record numbers: whichever row came first took him (review)."""
    import_schedule(store, schedule(f"{HEADER},birth_date\nA1,2025-03-14,09:00,John Smith,,,,Checkup,1950-03-04\n"))
    make_patient("Ann Lee")  # and one registered at the desk

    rows = (
        f"{ID_HEADER}\n"
        "B1,2025-04-14,09:00,John Smith,,,,Checkup,MRN-1,\n"
        "B2,2025-04-14,10:00,John Smith,,,,Checkup,MRN-2,\n"
        "C1,2025-04-14,11:00,Ann Lee,,,,Checkup,MRN-8,\n"
        "C2,2025-04-14,12:00,Ann Lee,,,,Checkup,MRN-9,\n"
    )
    report = import_schedule(store, schedule(rows)).result

    assert [r.line for r in report.refused] == [2, 3, 4, 5]
    assert {r.reason for r in report.refused} == {
        "the file names several patients with this name; book this visit by hand"
    }


def test_a_record_number_of_the_health_record_finds_its_patient_under_another_name(
    store, staff, schedule, make_patient
):
    """A patient imported from a health record, "Amy V. Baxter", whose record number the schedule gives for
    "Amy Baxter": the same person (she was split in two); another number under her name is another person
    (they were merged)."""
    from companion.storage.models import PatientIdentifier

    amy = make_patient("Amy V. Baxter")
    with store.writing() as session:
        session.add(PatientIdentifier(key="Patient?identifier=urn:oid:2.16.840.1.113883.19.5|1032702", patient_id=amy))
        session.commit()

    import_schedule(store, schedule(f"{ID_HEADER}\nA1,2025-04-14,09:00,Amy Baxter,,,,Checkup,1032702,\n"))
    report = import_schedule(store, schedule(f"{ID_HEADER}\nA2,2025-04-15,09:00,Amy V. Baxter,,,,Checkup,5550001,\n"))

    visits = by_key(store)
    assert visits["A1"].patient_id == amy
    assert report.result.patients_added == 1 and visits["A2"].patient_id != amy


def test_a_patient_renamed_in_the_app_keeps_their_visits_when_the_file_gains_an_mrn(store, staff, schedule):
    import_schedule(store, schedule(f"{HEADER}\nA1,2025-03-14,09:00,Jon Smiht,,,,Checkup\n"))
    patient = by_key(store)["A1"].patient_id
    edit_patient(store, patient, recorded_name="Jon Smith")  # the nurse fixed the typo

    report = import_schedule(
        store,
        schedule(
            f"{ID_HEADER}\nA1,2025-03-14,09:00,Jon Smiht,,,,Checkup,M-1,\n"
            "A2,2025-03-15,09:00,Jon Smiht,,,,Checkup,M-1,\n"
        ),
    ).result

    assert report.refused == () and report.patients_added == 0
    assert by_key(store)["A2"].patient_id == patient


# A stray quote: the csv module reads on past the line's end until a quote closes it, at the end of the file or
# inside a later row, and the rows it took were neither imported nor named.
STRAY_QUOTE = f'{HEADER}\nq1,2025-03-14,10:00,"Amy Unclosed,Amy,en,Dr. Ada Park,x\n'
LATER_ROWS = [f"q{n},2025-03-14,1{n}:00,Person {n},,,Dr. Ada Park,Check-up\n" for n in range(2, 8)]
SWALLOWED = {
    "never closed": (
        STRAY_QUOTE + "".join(LATER_ROWS),
        "line 2 opens a quote that is never closed: lines 2 to 8 would be read as one cell; nothing was imported",
    ),
    "closed by a later row's quoted name": (
        STRAY_QUOTE + "".join(LATER_ROWS[:2]) + 'q4,2025-03-14,14:00,"Delgado, Francisco",,,,Check-up\n'
        + "".join(LATER_ROWS[3:]),
        "line 2 opens a quote that is closed only on line 5: lines 2 to 5 would be read as one cell; "
        "nothing was imported",
    ),
    "closed cleanly by a later row's inch mark": (
        STRAY_QUOTE + "".join(LATER_ROWS[:2]) + "q4,2025-03-14,14:00,Ann Tall,,,,Height 5'10\"\n"
        + "".join(LATER_ROWS[3:]),
        "line 2 opens a quote that is closed only on line 5: lines 2 to 5 would be read as one cell; "
        "nothing was imported",
    ),
    # Closed at the end of the same column of a later row: the cell's record has the header's shape (review).
    "closed in the same column of a later row": (
        f'{HEADER}\nq1,2025-03-14,10:00,Amy Tall,,,Dr. Ada Park,"knee 5\'10\n' + "".join(LATER_ROWS[:2])
        + "q4,2025-03-14,14:00,Ann Tall,,,Dr. Ada Park,Height 5'10\"\n" + "".join(LATER_ROWS[3:]),
        "line 2 opens a quote that is closed only on line 5: lines 2 to 5 would be read as one cell; "
        "nothing was imported",
    ),
}  # fmt: skip


@pytest.mark.parametrize("content, message", SWALLOWED.values(), ids=SWALLOWED.keys())
def test_a_stray_quote_that_swallows_later_rows_refuses_the_file_by_its_line(
    store, database, staff, schedule, row_counts, content, message
):
    before = row_counts(database)

    with pytest.raises(CompanionError) as refused:
        import_schedule(store, schedule(content))

    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value) and "Amy" not in str(refused.value) and "Delgado" not in str(refused.value)
    assert row_counts(database) == before


def test_a_stray_quote_is_exit_2_and_a_quoted_name_with_a_comma_still_imports(cli, db_path, store, staff, schedule):
    content, message = SWALLOWED["never closed"]
    code, out, err = cli("schedule", "import", schedule(content), "--db", db_path)
    assert (code, out) == (2, "") and err.startswith(f"companion: error: {message}") and err.count("\n") == 1

    fixed = content.replace('"Amy Unclosed', "Amy Unclosed").replace("Person 4", '"Delgado, Francisco"')
    code, out, _err = cli("schedule", "import", schedule(fixed), "--db", db_path)
    assert code == 0 and out.startswith("schedule: 7 rows; visits: 7 added")
    assert by_key(store)["q4"].patient_id == patients(store)["Delgado, Francisco"].id


def test_a_quoted_line_break_in_a_row_of_the_headers_shape_refuses_that_row_only(store, staff, schedule):
    """A cell typed over two lines (Alt+Enter in a spreadsheet) is CSV written right: its row is refused, as any
    line break in a field, and the rows after it are read as ever."""
    rows = f'{HEADER}\nQ1,2025-03-14,09:00,Ana Ruiz,,,,"two\nlines"\n' + "".join(LATER_ROWS)

    report = import_schedule(store, schedule(rows)).result

    assert [(r.line, r.reason) for r in report.refused] == [(2, "the reason has a line break; write it on one line")]
    assert report.added == 6


def test_a_cell_over_two_lines_in_a_row_short_of_a_column_refuses_that_row_only(store, staff, schedule):
    """Its quotes are right: the row is refused for its shape, not the file for a quote left open (review)."""
    rows = f'{HEADER}\nQ1,2025-03-14,09:00,"Ana\nRuiz",,en,\n' + "".join(LATER_ROWS)

    report = import_schedule(store, schedule(rows)).result

    assert [r.line for r in report.refused] == [2]
    assert "fields where the header has" in report.refused[0].reason
    assert report.added == 6


ZOE = "Zo\u00eb O'Brien-Adeyemi"  # as the app keeps it (NFC)
TYPED_OTHERWISE = {
    "two spaces inside, another case": ("Wei Zhang", "wei  zhang"),
    "decomposed (NFD)": (ZOE, "Zoe\u0308 O'Brien-Adeyemi"),
    "a curly apostrophe": (ZOE, "Zo\u00eb O\u2019Brien-Adeyemi"),
    "an en dash and a no-break space": (ZOE, "Zo\u00eb\u00a0O'Brien\u2013Adeyemi"),
    "an acute accent for the apostrophe": (ZOE, "Zo\u00eb O\u00b4Brien-Adeyemi"),
    "a joiner pasted at the end (attack round 33)": ("Ivo Petrov", "Ivo Petrov\u200d"),
}


@pytest.mark.parametrize("known, typed", TYPED_OTHERWISE.values(), ids=TYPED_OTHERWISE.keys())
def test_a_known_patients_name_typed_otherwise_finds_them_and_keeps_their_name(
    store, staff, schedule, make_patient, known, typed
):
    patient = make_patient(known)

    report = import_schedule(store, schedule(f"{HEADER}\nN1,2025-03-14,09:00,{typed},,,,Check-up\n")).result

    assert (report.added, report.patients_added) == (1, 0)
    assert by_key(store)["N1"].patient_id == patient
    assert list(patients(store)) == [known]  # the name as recorded, not as the file typed it


@pytest.mark.parametrize("known, typed", TYPED_OTHERWISE.values(), ids=TYPED_OTHERWISE.keys())
def test_a_patient_the_schedule_added_is_found_by_their_name_typed_otherwise(store, staff, schedule, known, typed):
    """By the name, and by the key the schedule gave them once a nurse renamed them (here too an earlier
    version's key, the name only casefolded); a row typing it otherwise names them still, not a second patient."""
    from companion.storage.models import Patient

    import_schedule(store, schedule(f"{HEADER}\nN1,2025-03-14,09:00,{typed},,,,Check-up\n"))
    patient = by_key(store)["N1"].patient_id
    report = import_schedule(store, schedule(f"{HEADER}\nN2,2025-03-15,09:00,{known},,,,Check-up\n")).result
    assert report.patients_added == 0 and by_key(store)["N2"].patient_id == patient

    edit_patient(store, patient, recorded_name="Renamed Since")
    with store.writing() as session:
        session.get(Patient, patient).source_key = f"schedule-patient|{typed.casefold()}"
        session.commit()
    report = import_schedule(store, schedule(f"{HEADER}\nN3,2025-03-16,09:00,{known},,,,Check-up\n")).result

    assert report.patients_added == 0 and by_key(store)["N3"].patient_id == patient
    assert list(patients(store)) == ["Renamed Since"]


def test_names_typed_otherwise_in_one_file_are_one_name_among_namesakes(store, staff, schedule):
    """The file names two people "Wei Zhang" (told apart by record number): a row of "wei  zhang" with nothing
    to tell which is refused, as a row of "Wei Zhang" is, never booked for a third patient."""
    rows = (
        f"{ID_HEADER}\nW1,2025-04-14,09:00,Wei Zhang,,,,Checkup,MRN-1,\n"
        "W2,2025-04-14,10:00,Wei Zhang,,,,Checkup,MRN-2,\n"
        "W3,2025-04-14,11:00,wei  zhang,,,,Checkup,,\n"
    )

    report = import_schedule(store, schedule(rows)).result

    assert [(r.line, r.reason) for r in report.refused] == [
        (4, "the file names several patients with this name; book this visit by hand")
    ]
    assert report.patients_added == 2


def test_while_retention_is_set_rows_older_than_it_are_left_out_and_a_purge_stays_done(
    store, database, staff, schedule, row_counts
):
    """A front desk's export with its history, imported every night: what the purge removed must not come back,
    nor a patient seen only then be added. The rows are counted as left out, not refused (nothing is wrong)."""
    from datetime import date, timedelta

    from companion.services.retention import purge, set_retention

    old, recent = date.today() - timedelta(days=400), date.today() + timedelta(days=1)
    history = (
        f"{HEADER}\n"
        f"H1,{old},09:00,Maria Lopez,,,Dr. Ada Park,Knee pain\n"
        f"H2,{old},10:00,Rosa Old,,,Dr. Ada Park,Grief after her husband died\n"
        f"N1,{recent},09:00,Maria Lopez,,,Dr. Ada Park,Follow-up\n"
    )
    import_schedule(store, schedule(history))  # before retention: every row is a visit
    set_retention(store, 365)
    purge(store, 365)
    after_purge = row_counts(database)

    report = import_schedule(store, schedule(history)).result

    assert (report.added, report.updated, report.unchanged, report.refused, report.too_old) == (0, 0, 1, (), 2)
    assert "2 left out (older than the clinic keeps visits)" in report.summary()
    assert set(by_key(store)) == {"N1"}
    assert row_counts(database) == after_purge  # no visit, patient or audit entry came back

    fresh = import_schedule(store, schedule(history.replace("Rosa Old", "Rosa Older"), name="other.csv")).result
    assert fresh.too_old == 2 and "Rosa Older" not in patients(store)  # a patient seen only then is not added


def test_while_retention_is_set_an_old_row_is_still_read_for_who_it_names_and_never_refused_for_its_age(
    store, staff, schedule
):
    """An old row is left out, not forgotten: the file naming two people by one name still makes a row naming
    only that name ambiguous; an old row naming a clinician who has left is left out, not refused every night;
    and a row moving a booked visit to before the retention is refused, saying so, the visit left as it was."""
    from datetime import date, timedelta

    from companion.services.retention import set_retention

    old, soon = date.today() - timedelta(days=400), date.today() + timedelta(days=2)
    import_schedule(store, schedule(f"{HEADER}\nM1,{soon},09:00,Kofi Boateng,,,Dr. Ada Park,Checkup\n"))
    set_retention(store, 365)
    header = f"{HEADER},mrn"
    report = import_schedule(
        store,
        schedule(
            f"{header}\n"
            f"O1,{old},09:00,Maria Lopez,,,Dr. Ada Park,Knee,A100\n"
            f"O2,{old},10:00,Sam Poe,,,Dr. Who Left,Cough,\n"
            f"R1,{soon},11:00,Maria Lopez,,,Dr. Ada Park,Follow-up,B200\n"
            f"R2,{soon},12:00,Maria Lopez,,,Dr. Ada Park,Results,\n"
            f"M1,{old},09:00,Kofi Boateng,,,Dr. Ada Park,Checkup,\n"
        ),
    ).result

    refused = {row.external_id: row.reason for row in report.refused}
    assert set(refused) == {"R2", "M1"} and report.too_old == 2
    assert "several patients" in refused["R2"]  # not booked to whichever Maria Lopez the recent rows name
    assert "before what the clinic keeps" in refused["M1"]
    visits = by_key(store)
    assert set(visits) == {"M1", "R1"} and visits["M1"].scheduled_at.date() == soon


def test_a_purge_by_hand_stays_done_for_a_nightly_schedule_without_retention(store, staff, schedule):
    """No retention is set: the front desk's export still holds the visits IT purged by hand; they stay out."""
    from datetime import date, timedelta

    from companion.services.retention import purge

    old, recent = date.today() - timedelta(days=400), date.today() + timedelta(days=1)
    history = (
        f"{HEADER}\n"
        f"H1,{old},09:00,Maria Lopez,,,Dr. Ada Park,Knee pain\n"
        f"N1,{recent},09:00,Maria Lopez,,,Dr. Ada Park,Follow-up\n"
    )
    import_schedule(store, schedule(history))
    assert purge(store, 365, by_hand=True).visits == 1

    report = import_schedule(store, schedule(history)).result

    assert (report.added, report.too_old) == (0, 1) and set(by_key(store)) == {"N1"}


def test_a_record_number_of_a_patient_of_another_name_is_refused_not_filed_under_them(store, staff, schedule):
    """A record number typed a digit off is another patient's: Mary Jones's prenatal visit went onto John Smith's
    record, and his empty preferred name became "Mary" (attack round 26). A married name, a middle name left out
    or an accent a system drops still shares a word with the name kept, and follows the number."""
    first = f"{HEADER},mrn\nS1,2026-12-07,09:00,John Smith,,English,Dr. Ada Park,Check-up,111\n"
    first += "S3,2026-12-07,10:00,José García,,Spanish,Dr. Ada Park,Check-up,333\n"
    import_schedule(store, schedule(first))
    later = f"{HEADER},mrn\nS2,2026-12-08,09:00,Mary Jones,Mary,English,Dr. Ada Park,Prenatal visit,111\n"
    later += "S4,2026-12-08,10:00,Jose Garcia Ruiz,,Spanish,Dr. Ada Park,Follow-up,333\n"

    report = import_schedule(store, schedule(later)).result

    assert [(r.line, r.reason) for r in report.refused] == [
        (2, "the mrn names a patient of another name; book this visit by hand")
    ]
    booked = by_key(store)
    assert "S2" not in booked and booked["S4"].patient_id == booked["S3"].patient_id
    john = patients(store)["John Smith"]
    assert john.preferred_name == "John Smith" and "Mary Jones" not in patients(store)  # not "Mary"


def test_an_external_id_again_with_a_character_that_shows_nothing_is_refused_as_again(store, staff, schedule):
    """ "S1" and "S1" with a zero-width space (a spreadsheet's) are one booking: the second replaced the first, and
    the 09:00 visit was gone without a word (attack round 26)."""
    day = f"{HEADER}\nS1,2026-12-07,09:00,Ann Lee,,English,Dr. Ada Park,Check-up\n"
    day += "S1\u200b,2026-12-07,14:00,Ann Lee,,English,Nurse Ben Cole,Flu shot\n"

    report = import_schedule(store, schedule(day)).result

    assert [(r.line, r.reason) for r in report.refused] == [(3, "the external_id appears again (first on line 2)")]
    assert by_key(store)["S1"].scheduled_at.strftime("%H:%M") == "09:00"


def test_a_name_the_rules_shorten_is_never_matched_by_what_is_left_of_it(store, staff, schedule):
    """A surname the rules read as the word it also is (Huntington, as in the disease: "Huntington, Mary" and
    "Huntington, James" are both kept as "Name not recorded", "Mary Huntington" as "Mary"): two such people became
    one patient, or matched whoever is kept as Mary (attack round 26, with "Condon", since read as a name). A record
    number still tells them apart; the same file again changes nothing."""
    day = f"{HEADER},mrn\n"
    day += 'C1,2026-12-07,09:00,"Huntington, Mary",,English,Dr. Ada Park,Knee pain,\n'
    day += 'C2,2026-12-07,09:30,"Huntington, James",,English,Dr. Ada Park,Cough,\n'
    day += 'C3,2026-12-07,10:00,"Huntington, Ruth",,English,Dr. Ada Park,Check-up,M-7\n'
    day += 'C4,2026-12-07,10:30,"Huntington, Paul",,English,Dr. Ada Park,Check-up,M-8\n'

    report = import_schedule(store, schedule(day)).result

    assert [r.line for r in report.refused] == [3]
    assert "not matched by name" in report.refused[0].reason and "Huntington" not in report.refused[0].reason
    booked = by_key(store)
    assert len({booked[key].patient_id for key in ("C1", "C3", "C4")}) == 3
    again = import_schedule(store, schedule(day)).result
    assert (again.added, again.updated, [r.line for r in again.refused]) == (0, 0, [3])


def test_the_rules_judge_every_row_before_the_write_lock_so_other_desks_save_meanwhile(
    sqlite_store, sqlite_path, schedule, monkeypatch
):
    """Judging the rows is a third of an import's work: a schedule of 20,000 rows held the write lock for over a
    minute, past the wait after which another desk's save gives up. Each judgement is watched by another desk,
    which tries to begin a write at that very moment."""
    import sqlite3

    from companion.services.clinicians import add_clinician

    add_clinician(sqlite_store, "Dr. Ada Park", Role.physician)
    add_clinician(sqlite_store, "Nurse Ben Cole", Role.nurse)
    privacy = sqlite_store.content.privacy
    judge, held = privacy.judge, []

    def judged_while_another_desk_writes(*args, **kwargs):
        other_desk = sqlite3.connect(sqlite_path, timeout=0)
        try:
            other_desk.execute("BEGIN IMMEDIATE")
            other_desk.rollback()
        except sqlite3.OperationalError:  # database is locked
            held.append(args[:1])
        finally:
            other_desk.close()
        return judge(*args, **kwargs)

    monkeypatch.setattr(privacy, "judge", judged_while_another_desk_writes)
    report = import_schedule(sqlite_store, schedule(DAY + "A4,2025-03-14,10:30,Ana Ruiz,,,,Overdose last week\n"))

    assert report.result.added == 4 and held == []
    assert by_key(sqlite_store)["A4"].reason_private  # judged all the same


def test_a_clinician_written_with_a_no_break_space_or_two_spaces_is_the_clinician(store, staff, schedule):
    """Spreadsheets and scheduling systems keep the no-break space of "Dr.\u00a0Ada" as often as not."""
    day = f"{HEADER}\n"
    day += "B1,2025-03-14,09:00,Maria Lopez,,,Dr.\u00a0Ada Park,Knee pain\n"
    day += "B2,2025-03-14,09:30,Kwame Mensah,,,Nurse  Ben\tCole,Blood pressure check\n"

    report = import_schedule(store, schedule(day)).result

    assert (report.added, report.refused) == (2, ())
    booked = by_key(store)
    assert (booked["B1"].clinician_id, booked["B2"].clinician_id) == (staff["Dr. Ada Park"], staff["Nurse Ben Cole"])


STATUS_DAY = f"{HEADER},status\n"


def test_a_status_column_books_cancels_and_marks_missed_in_english_and_spanish(store, staff, schedule):
    day = STATUS_DAY
    day += "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Booked\n"
    day += "S2,2025-03-14,09:30,Kwame Mensah,,,Dr. Ada Park,Cough,Cancelled\n"
    day += "S3,2025-03-14,10:00,Lan Nguyen,,,Dr. Ada Park,Check-up,No-Show\n"
    day += "S4,2025-03-14,10:30,Ana Ruiz,,,Dr. Ada Park,Check-up,cancelada\n"
    day += "S5,2025-03-14,11:00,Omar Haddad,,,Dr. Ada Park,Check-up,No se presento\n"
    day += "S6,2025-03-14,11:30,Mei Wang,,,Dr. Ada Park,Check-up,\n"
    day += "S7,2025-03-14,12:00,Ines Silva,,,Dr. Ada Park,Check-up,Tentative maybe\n"

    report = import_schedule(store, schedule(day)).result

    booked = by_key(store)
    statuses = {key: booked[key].status for key in ("S1", "S2", "S3", "S4", "S5", "S6")}
    assert statuses == {
        "S1": "scheduled", "S2": "cancelled", "S3": "no_show", "S4": "cancelled", "S5": "no_show", "S6": "scheduled",
    }  # fmt: skip
    assert [(r.line, r.reason) for r in report.refused] == [
        (8, "the status is none this import reads; use booked, cancelled or no-show")
    ]  # the value is not echoed
    assert "status" not in report.ignored_columns


def test_a_cancellation_in_a_later_file_cancels_the_visit_once(store, staff, schedule):
    first = STATUS_DAY + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Booked\n"
    import_schedule(store, schedule(first))
    later = STATUS_DAY + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Cancelled\n"

    report = import_schedule(store, schedule(later)).result
    again = import_schedule(store, schedule(later)).result

    assert (report.updated, report.refused) == (1, ())
    assert (again.updated, again.unchanged, again.refused) == (0, 1, ())
    assert by_key(store)["S1"].status == "cancelled"


def test_a_file_never_cancels_a_visit_under_way_nor_reopens_a_closed_one(store, staff, schedule):
    """The desk knows better: a patient roomed is here, whatever a stale export says; a visit cancelled or missed
    is reopened in the app, not by a file. Each is said once in the report, and the visit stays as it is."""
    first = STATUS_DAY
    first += "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Booked\n"
    first += "S2,2025-03-14,09:30,Kwame Mensah,,,Dr. Ada Park,Cough,Cancelled\n"
    first += "S3,2025-03-14,10:00,Lan Nguyen,,,Dr. Ada Park,Check-up,Booked\n"
    import_schedule(store, schedule(first))
    booked = by_key(store)
    set_status(store, booked["S1"].id, "roomed")
    set_status(store, booked["S3"].id, "cancelled")  # cancelled at the desk; the file goes on saying booked
    later = STATUS_DAY
    later += "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Cancelled\n"
    later += "S2,2025-03-14,09:30,Kwame Mensah,,,Dr. Ada Park,Cough,Booked\n"
    later += "S3,2025-03-14,10:00,Lan Nguyen,,,Dr. Ada Park,Check-up,Booked\n"

    report = import_schedule(store, schedule(later)).result
    again = import_schedule(store, schedule(later)).result

    assert [(r.line, r.reason) for r in report.refused] == [
        (2, f"visit {booked['S1'].id} is roomed; the row's changes were not applied"),
        (3, f"visit {booked['S2'].id} is cancelled; the row's changes were not applied"),
    ]
    assert again.refused == ()
    now = by_key(store)
    assert (now["S1"].status, now["S2"].status, now["S3"].status) == ("roomed", "cancelled", "cancelled")


@pytest.mark.parametrize(
    "said, status",
    [
        ("Cancelled - patient request", "cancelled"),
        ("CANCELLED BY CLINIC", "cancelled"),
        ("Cancelled.", "cancelled"),
        ("No\u2013show (late)", "no_show"),
        ("\uff23\uff21\uff2e\uff23\uff25\uff2c\uff2c\uff25\uff24", "cancelled"),  # full-width, as some exports write it
        ("entered-in-error", "cancelled"),
        ("Confirmed by phone", "scheduled"),
        ("Patient cancelled", "cancelled"),  # who cancelled, named first
        ("Late cancellation (<24h)", "cancelled"),
        ("Paciente canceló", "cancelled"),
    ],
)
def test_a_status_is_read_by_the_words_it_starts_with(store, staff, schedule, said, status):
    day = STATUS_DAY + f'S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,"{said}"\n'

    report = import_schedule(store, schedule(day)).result

    assert report.refused == () and by_key(store)["S1"].status == status


@pytest.mark.parametrize("said", ["not cancelled", "Patient not cancelled", "rescheduled", "2", "No\nShow"])
def test_a_status_that_is_not_plainly_one_refuses_the_row(store, staff, schedule, said):
    """A word before the status may turn it around; a number means what the exporting system says it means; a line
    break refuses any field."""
    day = STATUS_DAY + f'S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,"{said}"\n'

    report = import_schedule(store, schedule(day)).result

    assert report.added == 0 and len(report.refused) == 1 and said not in report.refused[0].reason


@pytest.mark.parametrize("said", ["waitlist", "Wait list - urgent", "Lista de espera"])
def test_a_place_on_a_waiting_list_books_no_visit_and_leaves_a_booked_one_as_it_is(store, staff, schedule, said):
    """As a record's import reads FHIR's `waitlist`: not booked. A visit the file booked before stays as it was."""
    booked = STATUS_DAY + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,booked\n"
    import_schedule(store, schedule(booked))
    day = STATUS_DAY + (
        f'S1,2025-03-14,10:00,Maria Lopez,,,Dr. Ada Park,Knee pain,"{said}"\n'
        f'S2,2025-03-14,11:00,Kwame Mensah,,,Dr. Ada Park,Cough,"{said}"\n'
    )

    report = import_schedule(store, schedule(day)).result

    assert report.added == 0 and [row.external_id for row in report.refused] == ["S1", "S2"]
    assert all("waiting list" in row.reason and said not in row.reason for row in report.refused)
    assert set(by_key(store)) == {"S1"} and by_key(store)["S1"].status == "scheduled"
    assert by_key(store)["S1"].scheduled_at.hour == 9


def test_a_file_marks_no_visit_missed_before_its_day(store, staff, schedule):
    day = STATUS_DAY + "S1,2031-05-01,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,no-show\n"

    report = import_schedule(store, schedule(day)).result

    assert report.added == 0 and "no-show on its day or later" in report.refused[0].reason


@pytest.mark.parametrize("header", ["Appt Status", "Appointment\u00a0Status", "estado", "visit-status", "status\u200b"])
def test_a_status_column_is_found_by_the_names_other_systems_give_it(store, staff, schedule, header):
    day = f"{HEADER},{header}\n" + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,Cancelled\n"

    report = import_schedule(store, schedule(day)).result

    assert report.ignored_columns == () and by_key(store)["S1"].status == "cancelled"


def test_a_visit_reopened_here_stays_open_after_a_night_the_file_said_nothing_of_its_status(store, staff, schedule):
    cancelled = STATUS_DAY + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,cancelled\n"
    silent = STATUS_DAY + "S1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain,\n"
    import_schedule(store, schedule(cancelled))
    set_status(store, by_key(store)["S1"].id, "scheduled")  # the desk reopened it: the patient is coming after all

    for night in (silent, cancelled, f"{HEADER}\nS1,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain\n"):
        import_schedule(store, schedule(night))

    assert by_key(store)["S1"].status == "scheduled"


def test_a_row_repeated_under_another_external_id_does_not_book_the_patient_twice(store, staff, schedule):
    """A desk's export that lists one appointment twice (two external ids, the same patient, time and clinician)
    books one visit and names the repeat by its line; the same patient at another time, or with another
    clinician, or a cancelled repeat, is booked as the file says."""
    text = (
        f"{HEADER}\n"
        "A1,2025-03-14,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee pain\n"
        "A2,2025-03-14,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee pain\n"
        "A3,2025-03-14,09:00,Maria Lopez,Mari,Spanish,Nurse Ben Cole,Blood pressure\n"
        "A4,2025-03-21,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee pain\n"
    )
    report = import_schedule(store, schedule(text)).result
    assert report.added == 3 and report.patients_added == 1
    visits = by_key(store)
    assert sorted(visits) == ["A1", "A3", "A4"]
    (refused,) = report.refused
    assert (refused.line, refused.external_id) == (3, "A2")
    assert f"already has visit {visits['A1'].id} at that time" in refused.reason and "Maria" not in refused.reason
    # The same file again: the repeat is refused again (the file still says it twice), nothing else changes.
    again = import_schedule(store, schedule(text)).result
    assert (again.added, again.unchanged, [r.line for r in again.refused]) == (0, 3, [3])
    assert sorted(by_key(store)) == ["A1", "A3", "A4"]


def test_a_visit_booked_by_hand_is_not_booked_again_by_the_desks_file(store, staff, schedule):
    """A nurse booked the visit in the app; the desk's file books it too, under its own id: one visit, the file's
    row refused naming it. Once that visit is cancelled, the slot is free and the row books a new one."""
    from companion.services.booking import add_visit

    import_schedule(store, schedule(f"{HEADER}\nA1,2025-03-13,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee\n"))
    maria = by_key(store)["A1"].patient_id
    by_hand = add_visit(store, maria, staff["Dr. Ada Park"], datetime(2025, 3, 14, 9, 0), "Knee").result
    text = f"{HEADER}\nB7,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee pain\n"
    report = import_schedule(store, schedule(text)).result
    assert report.added == 0 and f"already has visit {by_hand.id} at that time" in report.refused[0].reason
    assert sorted(by_key(store)) == ["A1"]
    set_status(store, by_hand.id, "cancelled")
    assert import_schedule(store, schedule(text)).result.added == 1
    assert sorted(by_key(store)) == ["A1", "B7"]


def test_a_visit_a_record_booked_with_seconds_is_not_booked_again_by_the_desks_file(store, staff, schedule):
    """A FHIR Appointment started at 09:00:30; the day's list shows it at 09:00, the desk's file books 09:00."""
    from companion.services.booking import add_visit

    import_schedule(store, schedule(f"{HEADER}\nA1,2025-03-13,09:00,Maria Lopez,Mari,Spanish,Dr. Ada Park,Knee\n"))
    maria = by_key(store)["A1"].patient_id
    recorded = add_visit(store, maria, staff["Dr. Ada Park"], datetime(2025, 3, 14, 9, 0, 30), "Knee").result

    report = import_schedule(store, schedule(f"{HEADER}\nB7,2025-03-14,09:00,Maria Lopez,,,Dr. Ada Park,Knee\n"))

    assert (
        report.result.added == 0 and f"already has visit {recorded.id} at that time" in report.result.refused[0].reason
    )


def test_a_time_with_a_one_digit_minute_is_refused_by_its_line(store, staff, schedule):
    """ "10:3" may be 10:30 cut short: refused, never booked at 10:03; "9:05" (one-digit hour) is a time."""
    rows = "A1,2025-03-14,10:3,Ana Ruiz,,,,\nA2,2025-03-14,9:05,Bo Li,,,,\n"
    report = import_schedule(store, schedule(f"{HEADER}\n{rows}"))
    assert [(r.line, r.external_id) for r in report.result.refused] == [(2, "A1")]
    assert by_key(store)["A2"].scheduled_at == datetime(2025, 3, 14, 9, 5)
