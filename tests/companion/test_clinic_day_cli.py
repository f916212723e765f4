"""The clinic day from the command line (`patient`, `visit`, `visits --all`), on SQLite and PostgreSQL: each
command writes what it says (read back through the services), and each mistake is one line, exit 2, and writes
nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from companion.read.overview import list_patients
from companion.services.audit_trail import audit_log
from companion.services.notes import lasting_notes
from companion.services.visits import list_visits, visit_row
from companion.storage.models import Role, VisitStatus

NOT_UTF8 = "caf\udcff"  # how Python hands over argv bytes that are not UTF-8


@pytest.fixture
def clinic(store, make_patient, make_clinician, make_visit) -> dict[str, int]:
    """A patient, a physician, a nurse, an admin and one visit of the physician's."""
    patient = make_patient("Maria Lopez", preferred_name="Mari", pronouns="she/her", preferred_language="Spanish")
    physician = make_clinician("Dr. Ada Park", Role.physician)
    return {
        "patient": patient,
        "physician": physician,
        "nurse": make_clinician("Nurse Ben Cole", Role.nurse),
        "admin": make_clinician("Admin Ann", Role.admin),
        "visit": make_visit(patient, physician, at="09:00"),
    }


def patient_row(store, patient_id: int):
    return next(row for row in list_patients(store) if row.id == patient_id)


def said(capsys, cli, *argv) -> tuple[int, str, str]:
    """cli(), with argparse's own refusal (it exits) counted as the exit code, its line as what was said."""
    try:
        return cli(*argv)
    except SystemExit as exited:
        out, err = capsys.readouterr()
        return exited.code, out, err


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2, err
    assert out == ""
    assert err.startswith("companion: error:") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_patient_add_registers_every_detail_and_prints_only_the_id(cli, db_path, store):
    code, out, err = cli(
        "patient", "add", "--db", db_path, "--name", "Søren Kierkegaard", "--preferred-name", "Søren",
        "--pronouns", "he/him", "--language", "Danish", "--interpreter", "--needs", "Hard of hearing, left ear",
        "--json",
    )  # fmt: skip

    assert (code, err) == (0, "")
    patient_id = json.loads(out)["id"]
    assert json.loads(out) == {"id": patient_id}
    row = patient_row(store, patient_id)
    assert (row.recorded_name, row.preferred_name, row.pronouns, row.language, row.interpreter_needed) == (
        "Søren Kierkegaard",
        "Søren",
        "he/him",
        "Danish",
        True,
    )
    assert [(n.kind, n.text, n.lasting) for n in lasting_notes(store, patient_id)] == [
        ("practical", "Hard of hearing, left ear", True)
    ]


def test_patient_add_in_plain_text_says_the_id_and_no_name(cli, db_path, store):
    code, out, err = cli("patient", "add", "--db", db_path, "--name", "Kwame Mensah")

    assert (code, err) == (0, "")
    patient_id = patient_row(store, max(r.id for r in list_patients(store))).id
    assert out == f"patient {patient_id} added\n"
    assert not patient_row(store, patient_id).interpreter_needed


def test_patient_edit_changes_only_what_is_given(cli, db_path, store, clinic):
    patient = clinic["patient"]

    code, out, err = cli("patient", "edit", patient, "--db", db_path, "--language", "Catalan", "--interpreter")

    assert (code, err, out) == (0, "", f"patient {patient} updated\n")
    row = patient_row(store, patient)
    assert (row.recorded_name, row.preferred_name, row.pronouns, row.language, row.interpreter_needed) == (
        "Maria Lopez",
        "Mari",
        "she/her",
        "Catalan",
        True,
    )


def test_patient_edit_with_nothing_to_change_says_so_instead_of_updated(cli, db_path, store, clinic):
    patient = clinic["patient"]

    code, out, err = cli("patient", "edit", patient, "--db", db_path)

    assert (code, out) == (2, "") and "nothing to change: give --name" in err
    assert patient_row(store, patient).recorded_name == "Maria Lopez"


def test_contradictory_flags_and_a_one_digit_minute_are_refused_and_change_nothing(cli, db_path, store, clinic, capsys):
    """`--interpreter --no-interpreter` would let the last one win, and "10:3" read as 10:03 though it may be a
    10:30 cut short: both refused in one line (argparse's exit 2), nothing changed or booked."""
    from companion.services.patients import patient_details
    from companion.services.visits import list_visits

    def refused(*argv) -> str:
        with pytest.raises(SystemExit) as exited:
            cli(*argv, "--db", db_path)
        err = capsys.readouterr().err
        assert exited.value.code == 2 and len(err.splitlines()) == 1
        return err

    before = patient_details(store, clinic["patient"])
    for flags in (["--interpreter", "--no-interpreter"], ["--no-interpreter", "--interpreter"]):
        assert "contradict each other" in refused("patient", "edit", clinic["patient"], *flags)
    assert patient_details(store, clinic["patient"]) == before
    assert cli("patient", "edit", clinic["patient"], "--interpreter", "--interpreter", "--db", db_path)[0] == 0
    booked = len(list_visits(store, None))
    for at in ("2026-12-08 10:3", "2026-12-08 9:5"):
        assert "is not a date and time" in refused("visit", "add", "--patient", clinic["patient"], "--at", at)
    assert len(list_visits(store, None)) == booked
    assert cli("visit", "add", "--patient", clinic["patient"], "--at", "2026-12-08 9:05", "--db", db_path)[0] == 0


def test_patient_edit_clears_with_empty_text_and_turns_the_interpreter_off(cli, db_path, store, clinic):
    patient = clinic["patient"]
    cli("patient", "edit", patient, "--db", db_path, "--interpreter")

    code, out, _ = cli(
        "patient", "edit", patient, "--db", db_path, "--preferred-name", "", "--no-interpreter",
        "--name", "María López", "--json",
    )  # fmt: skip

    assert (code, json.loads(out)) == (0, {"id": patient})
    row = patient_row(store, patient)
    assert (row.recorded_name, row.preferred_name, row.pronouns, row.interpreter_needed) == (
        "María López",
        "María López",  # no preferred name: the recorded one is used
        "she/her",
        False,
    )


def test_visit_add_without_a_clinician_is_unassigned(cli, db_path, store, clinic):
    code, out, err = cli(
        "visit", "add", "--db", db_path, "--patient", clinic["patient"], "--at", "2025-03-14 10:30",
        "--reason", "Knee pain", "--json",
    )  # fmt: skip

    assert (code, err) == (0, "")
    row = visit_row(store, json.loads(out)["id"])
    assert (row.patient_id, row.scheduled_at, row.reason, row.status) == (
        clinic["patient"],
        datetime(2025, 3, 14, 10, 30),
        "Knee pain",
        "scheduled",
    )
    assert (row.clinician_id, row.clinician_name, row.video) == (None, "", False)


def test_visit_add_with_a_clinician_and_video(cli, db_path, store, clinic):
    code, out, err = cli(
        "visit", "add", "--db", db_path, "--patient", clinic["patient"], "--at", "2025-03-15 08:00",
        "--clinician", "Dr. Ada Park", "--video",
    )  # fmt: skip

    assert (code, err) == (0, "")
    visit = max(r.id for r in list_visits(store, None))
    assert out == f"visit {visit} booked for 2025-03-15 08:00 (with Dr. Ada Park, video)\n"
    row = visit_row(store, visit)
    assert (row.clinician_id, row.video) == (clinic["physician"], True)


def test_visit_assign_and_unassign(cli, db_path, store, clinic):
    visit = clinic["visit"]

    code, out, _ = cli("visit", "assign", visit, "--db", db_path, "--clinician", "Nurse Ben Cole")
    assert (code, out) == (0, f"visit {visit} assigned to Nurse Ben Cole\n")
    assert visit_row(store, visit).clinician_id == clinic["nurse"]

    code, out, _ = cli("visit", "assign", visit, "--db", db_path, "--unassign", "--json")
    assert (code, json.loads(out)) == (0, {"id": visit})
    assert visit_row(store, visit).clinician_id is None


def test_visit_move_cancel_and_no_show(cli, db_path, store, clinic, make_visit):
    visit = clinic["visit"]

    assert cli("visit", "move", visit, "--db", db_path, "--at", "2025-03-14 11:15") == (
        0,
        f"visit {visit} moved to 2025-03-14 11:15\n",
        "",
    )
    assert visit_row(store, visit).scheduled_at == datetime(2025, 3, 14, 11, 15)

    assert cli("visit", "cancel", visit, "--db", db_path, "--json") == (0, f'{{"id": {visit}}}\n', "")
    assert visit_row(store, visit).status == "cancelled"

    other = make_visit(clinic["patient"], clinic["physician"], at="13:00")
    assert cli("visit", "no-show", other, "--db", db_path) == (0, f"visit {other} marked no-show\n", "")
    assert visit_row(store, other).status == "no_show"


def test_visits_all_lists_every_day_with_unassigned_ones(cli, db_path, store, clinic, make_visit):
    later = make_visit(clinic["patient"], clinic["physician"], day=datetime(2025, 4, 2).date(), at="15:00")
    unassigned = json.loads(
        cli("visit", "add", "--db", db_path, "--patient", clinic["patient"], "--at", "2024-12-01 08:30", "--json")[1]
    )["id"]

    code, out, err = cli("visits", "--all", "--json", "--db", db_path)

    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [unassigned, clinic["visit"], later]  # in time order, over days
    assert [r["time"] for r in rows] == ["2024-12-01T08:30", "2025-03-14T09:00", "2025-04-02T15:00"]
    first = rows[0]
    assert (first["clinician"], first["clinician_id"], first["patient"]) == ("", None, "Mari")
    assert (rows[1]["clinician"], rows[1]["clinician_id"]) == ("Dr. Ada Park", clinic["physician"])
    assert set(first) >= {"id", "time", "patient", "patient_id", "clinician", "reason", "reason_private", "status"}
    assert audit_log(store)[-1]["detail"] == "3 visits on every day"  # the read is audited

    code, out, _ = cli("visits", "--all", "--db", db_path)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert "2024-12-01 08:30" in lines[0] and "unassigned" in lines[0] and "unassigned" not in lines[1]


def test_visits_date_keeps_its_meaning(cli, db_path, clinic, make_visit):
    make_visit(clinic["patient"], clinic["physician"], day=datetime(2025, 4, 2).date())

    rows = json.loads(cli("visits", "--date", "2025-03-14", "--json", "--db", db_path)[1])

    assert [r["id"] for r in rows] == [clinic["visit"]]


@pytest.fixture
def make_done(store):
    def done(visit_id: int) -> None:
        from companion.services.visits import set_status

        set_status(store, visit_id, VisitStatus.done.value)

    return done


MISTAKES = {
    "empty name": ("patient", "add", "--name", "  "),
    "long name": ("patient", "add", "--name", "x" * 201),
    "name with a line break": ("patient", "add", "--name", "Ana\nRuiz"),
    "name not UTF-8": ("patient", "add", "--name", NOT_UTF8),
    "long needs": ("patient", "add", "--name", "Ana", "--needs", "x" * 2001),
    "bidi pronouns": ("patient", "add", "--name", "Ana", "--pronouns", "\u202eshe"),
    "edit unknown patient": ("patient", "edit", "999", "--language", "French"),
    "edit id zero": ("patient", "edit", "0", "--language", "French"),
    "edit id too large": ("patient", "edit", "2147483648", "--language", "French"),
    "edit to an empty name": ("patient", "edit", "{patient}", "--name", ""),
    "book unknown patient": ("visit", "add", "--patient", "999", "--at", "2025-03-14 09:00"),
    "book without a time": ("visit", "add", "--patient", "{patient}"),
    "book on a day that does not exist": ("visit", "add", "--patient", "{patient}", "--at", "2025-02-30 09:00"),
    "book a date only": ("visit", "add", "--patient", "{patient}", "--at", "2025-03-14"),
    "book before 1900": ("visit", "add", "--patient", "{patient}", "--at", "1899-12-31 09:00"),
    "book unknown clinician": (
        "visit",
        "add",
        "--patient",
        "{patient}",
        "--at",
        "2025-03-14 09:00",
        "--clinician",
        "X",
    ),  # fmt: skip
    "book with the admin": (
        "visit",
        "add",
        "--patient",
        "{patient}",
        "--at",
        "2025-03-14 09:00",
        "--clinician",
        "Admin Ann",
    ),  # fmt: skip
    "book a long reason": (
        "visit",
        "add",
        "--patient",
        "{patient}",
        "--at",
        "2025-03-14 09:00",
        "--reason",
        "r" * 201,
    ),  # fmt: skip
    "book with a clinician not UTF-8": (
        "visit",
        "add",
        "--patient",
        "{patient}",
        "--at",
        "2025-03-14 09:00",
        "--clinician",
        NOT_UTF8,
    ),  # fmt: skip
    "assign unknown visit": ("visit", "assign", "999", "--clinician", "Dr. Ada Park"),
    "assign unknown clinician": ("visit", "assign", "{visit}", "--clinician", "Dr. Nobody"),
    "assign the admin": ("visit", "assign", "{visit}", "--clinician", "Admin Ann"),
    "assign and unassign": ("visit", "assign", "{visit}", "--clinician", "Dr. Ada Park", "--unassign"),
    "assign nobody": ("visit", "assign", "{visit}"),
    "cancel unknown visit": ("visit", "cancel", "999"),
    "cancel a done visit": ("visit", "cancel", "{done}"),
    "no-show a done visit": ("visit", "no-show", "{done}"),
    "no-show not a number": ("visit", "no-show", "abc"),
    "move a done visit": ("visit", "move", "{done}", "--at", "2025-03-15 09:00"),
    "move to a bad time": ("visit", "move", "{visit}", "--at", "2025-03-15 24:00"),
    "move a negative id": ("visit", "move", "-1", "--at", "2025-03-15 09:00"),
    "all with a date": ("visits", "--all", "--date", "2025-03-14"),
}


@pytest.mark.parametrize("argv", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_is_one_line_exit_2_and_writes_nothing(
    cli, db_path, clinic, make_visit, make_done, row_counts, capsys, argv
):
    done = make_visit(clinic["patient"], clinic["physician"], at="08:00")
    make_done(done)
    ids = {"patient": clinic["patient"], "visit": clinic["visit"], "done": done}
    before = row_counts(db_path)

    assert_one_line_error(*said(capsys, cli, *(part.format(**ids) for part in argv), "--db", db_path))

    assert row_counts(db_path) == before


def test_an_unknown_clinician_is_refused_without_echoing_what_was_typed(cli, db_path, store, clinic):
    # A patient's name typed into --clinician by mistake must not reach the terminal (or a script's log).
    code, out, err = cli(
        "visit", "add", "--db", db_path, "--patient", clinic["patient"], "--at", "2025-03-14 10:30",
        "--clinician", "Johanna Secretname",
    )  # fmt: skip

    assert code != 0 and out == ""
    assert "no clinician has that name" in err and "Secretname" not in err
