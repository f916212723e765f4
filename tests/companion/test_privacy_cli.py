"""Clinicians and PINs, the audit log and retention from the command line (the clinic's IT)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from companion.cli.main import main
from companion.errors import CompanionError
from companion.services import audit_trail, auth, notes, priorities, retention
from companion.services.clinicians import find_clinician
from companion.storage.models import Clinician, Role


def run(argv, capsys, stdin: str = "", monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clinician_add_reads_the_pin_from_stdin_and_stores_only_a_hash(db_path, capsys, monkeypatch, store):
    code, out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "physician", "--pin-stdin", "--db", str(db_path)],
        capsys,
        "4826\n",
        monkeypatch,
    )
    assert code == 0, err
    lee = find_clinician(store, "Dr. Lee")
    assert auth.sign_in(store, lee.id, "4826").name == "Dr. Lee"
    with store.session() as session:
        digest = session.get(Clinician, lee.id).pin_hash
    assert digest.startswith("$argon2id$") and "4826" not in digest


def test_without_a_terminal_the_pin_is_not_asked_for_and_nothing_is_added(db_path, capsys, monkeypatch, store):
    code, _out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "physician", "--db", str(db_path)], capsys, "", monkeypatch
    )
    assert code != 0 and err.startswith("companion: error: no terminal to ask for the PIN")
    with pytest.raises(CompanionError):
        find_clinician(store, "Dr. Lee")


@pytest.mark.parametrize("pin", ["1111", "0000", "1234", "9876", "0123456789", "54321"])
def test_a_pin_anyone_would_try_first_is_refused_and_the_demo_keeps_its_published_one(
    db_path, capsys, monkeypatch, pin, store
):
    code, _out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "admin", "--pin-stdin", "--db", str(db_path)],
        capsys,
        pin + "\n",
        monkeypatch,
    )
    assert code != 0 and "among the first anyone would try" in err
    with pytest.raises(CompanionError):
        find_clinician(store, "Dr. Lee")
    nurse = auth.add_clinician_with_pin(store, "Nurse Ode", "nurse", "2846").result  # a PIN of no pattern
    with pytest.raises(CompanionError, match="first anyone would try"):
        auth.set_pin(store, nurse.id, pin)
    assert auth.sign_in(store, nurse.id, "2846").name == "Nurse Ode"  # the refused PIN changed nothing


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", "١٢٣٤", "４８２１"])
def test_a_bad_pin_is_refused_before_anything_is_written(db_path, capsys, monkeypatch, pin, store):
    code, _out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "nurse", "--pin-stdin", "--db", str(db_path)],
        capsys,
        pin + "\n",
        monkeypatch,
    )
    assert code != 0 and "a PIN is 4 to 12 digits from 0 to 9" in err
    with pytest.raises(CompanionError):
        find_clinician(store, "Dr. Lee")


@pytest.mark.parametrize("given", ["4826\n7391\n", "4826\n7"])
def test_a_second_line_on_standard_input_is_refused_not_dropped(db_path, capsys, monkeypatch, store, given):
    """Two PINs piped by mistake: the first was set without a word about the second."""
    code, _out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "nurse", "--pin-stdin", "--db", str(db_path)],
        capsys,
        given,
        monkeypatch,
    )
    assert code != 0 and "more than one line" in err
    with pytest.raises(CompanionError):
        find_clinician(store, "Dr. Lee")
    code, _out, err = run(
        ["clinician", "add", "--name", "Dr. Lee", "--role", "nurse", "--pin-stdin", "--db", str(db_path)],
        capsys,
        "\n4826\n\n",
        monkeypatch,
    )
    assert code == 0, err  # blank lines around it are no second PIN


def test_reset_pin(db_path, capsys, monkeypatch, store, make_clinician):
    nurse = make_clinician("Nurse Kim")
    code, _out, err = run(
        ["clinician", "reset-pin", "--name", "Nurse Kim", "--pin-stdin", "--db", str(db_path)],
        capsys,
        "7315\n",
        monkeypatch,
    )
    assert code == 0, err
    assert auth.sign_in(store, nurse, "7315").id == nurse


def test_audit_shows_who_changed_what_for_one_patient_as_json(db_path, capsys, store, visit_id, patient_id):
    code, _out, _err = run(
        [
            "note",
            "add",
            str(visit_id),
            "--kind",
            "social",
            "--text",
            "Walks to work",
            "--author",
            "Nurse Kim",
            "--db",
            str(db_path),
        ],
        capsys,
    )
    assert code == 0
    code, out, _err = run(["audit", "--patient", str(patient_id), "--json", "--db", str(db_path)], capsys)
    entries = json.loads(out)
    added = [e for e in entries if e["action"] == "add contextnote"]
    assert len(added) == 1
    assert added[0]["who"].startswith("command line")
    assert added[0]["patient_id"] == patient_id and added[0]["visit_id"] == visit_id
    assert "Walks to work" not in out  # the log names ids and actions, never what was written


def test_the_audit_log_cannot_be_changed_or_emptied(store, visit_id):
    notes.add_note(store, visit_id, "social", "Walks to work", "Nurse Kim")
    for statement in ("UPDATE auditevent SET action = 'nothing'", "DELETE FROM auditevent"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM auditevent")).scalar() > 0


def test_purge_removes_old_visit_data_and_keeps_lasting_priorities(
    store, make_visit, patient_id, clinician_id, db_path, capsys
):
    long_ago = (datetime.now() - timedelta(days=400)).date()
    old = make_visit(patient_id, clinician_id, day=long_ago)
    recent = make_visit(patient_id, clinician_id, day=datetime.now().date())
    priorities.add_priority(store, old, "Sleep better")
    priorities.add_priority(store, old, "Walk to the market again", lasting=True)
    notes.add_note(store, old, "emotion", "Tearful about her sister", "Nurse Kim")
    notes.add_note(store, old, "social", "Loves crosswords", "Nurse Kim", lasting=True)

    code, out, err = run(["purge", "--older-than", "365", "--db", str(db_path)], capsys)

    assert code == 0, err
    assert "removed 0 visits, 1 priorities and 1 notes" in out
    agenda = [p.text for p in priorities.agenda(store, recent)]
    assert agenda == ["Walk to the market again"]
    assert [n.text for n in notes.notes_for_visit(store, recent)] == ["Loves crosswords"]

    code, out, _err = run(["purge", "--older-than", "365", "--include-lasting", "--db", str(db_path)], capsys)
    assert "removed 1 visits, 1 priorities" in out
    assert priorities.agenda(store, recent) == []


def test_a_dry_run_purge_says_what_a_purge_removes_and_removes_nothing(
    store, make_visit, patient_id, clinician_id, db_path, capsys
):
    old = make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=400)).date())
    priorities.add_priority(store, old, "Sleep better")
    notes.add_note(store, old, "emotion", "Tearful about her sister", "Nurse Kim")

    code, out, err = run(["purge", "--older-than", "365", "--dry-run", "--db", str(db_path)], capsys)

    assert code == 0, err
    assert out.strip() == "would remove 1 visits, 1 priorities and 1 notes; nothing was removed"
    assert [p.text for p in priorities.agenda(store, old)] == ["Sleep better"]
    assert [n.text for n in notes.notes_for_visit(store, old)] == ["Tearful about her sister"]
    assert all(entry["action"] != "purge" for entry in audit_trail.audit_log(store))
    code, out, _err = run(["purge", "--older-than", "365", "--db", str(db_path)], capsys)
    assert out.strip() == "removed 1 visits, 1 priorities and 1 notes"


def test_ctrl_c_while_the_space_is_given_back_says_the_purge_is_done(
    store, make_visit, patient_id, clinician_id, db_path, cli, monkeypatch
):
    """Giving the space back takes minutes on a large clinic; Ctrl+C then must not leave IT thinking that nothing
    was removed (the removal was committed before)."""
    old = make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=400)).date())
    priorities.add_priority(store, old, "Sleep better")

    def pressed_ctrl_c(_store):
        raise KeyboardInterrupt

    monkeypatch.setattr(retention, "reclaim_space", pressed_ctrl_c)  # the keypress, at that moment
    code, out, err = cli("purge", "--older-than", "365", "--yes", "--db", db_path)

    assert (code, out) == (130, "removed 1 visits, 1 priorities and 0 notes\n")
    assert "the removal above is done and kept" in err and "Traceback" not in err
    assert retention.purge(store, 365, rehearse=True).visits == 0


@pytest.mark.parametrize("entry", ["python -m companion", "the companion script"])
def test_ctrl_c_while_the_command_line_loads_is_one_line_not_a_traceback(tmp_path, entry):
    """Ctrl+C in the first half second, while the database layer loads: the same one line as later, no traceback
    (the keypress is made to land there every time: the import of SQLAlchemy raises it)."""
    run = "runpy.run_module('companion', run_name='__main__')" if entry.startswith("python") else "ui.app.main()"
    script = (
        "import importlib.abc, runpy, sys, ui.app\n"
        "class CtrlC(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, *rest):\n"
        "        if name == 'sqlalchemy':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        f"sys.argv = ['companion', 'visits', '--db', {str(tmp_path / 'clinic.db')!r}]\n"
        f"{run}\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "COMPANION_DB"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)

    assert (done.returncode, done.stdout) == (130, "")
    assert done.stderr == "companion: interrupted; nothing was changed\n"


@pytest.mark.parametrize(("answer", "removed"), [("yes", True), ("y", False), ("", False)])
def test_a_purge_at_a_terminal_asks_first_and_only_yes_removes(
    store, make_visit, patient_id, clinician_id, db_path, answer, removed
):
    """Someone at a terminal typing a purge sees what would go before it goes; anything but "yes" keeps it."""
    old = make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=400)).date())
    priorities.add_priority(store, old, "Sleep better")
    env = {key: value for key, value in os.environ.items() if key != "COMPANION_DB"}
    terminal, keyboard = os.openpty()
    try:
        os.write(terminal, f"{answer}\n".encode())
        done = subprocess.run(
            [sys.executable, "-m", "companion", "purge", "--older-than", "365", "--db", str(db_path)],
            stdin=keyboard,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        os.close(terminal)
        os.close(keyboard)

    assert "would remove 1 visits, 1 priorities and 0 notes" in done.stdout
    assert "Type yes" in done.stdout
    assert ("removed 1 visits" in done.stdout.splitlines()[-1]) is removed
    assert (done.returncode == 0) is removed
    assert retention.purge(store, 365, rehearse=True).visits == (0 if removed else 1)


def test_retention_runs_at_start_when_an_admin_turned_it_on(store, make_visit, patient_id, clinician_id):
    old = make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=40)).date())
    priorities.add_priority(store, old, "Sleep better")
    assert retention.purge_at_start(store) is None  # off by default
    retention.set_retention(store, 30, purge_at_start=True)
    assert retention.purge_at_start(store).priorities == 1


def test_retention_changes_only_what_is_named_and_says_whether_it_purges_at_start(cli, db_path, store):
    assert cli("retention", "--days", "365", "--at-start", "--db", db_path) == (
        0,
        "visit data kept 365 days, purged when the app starts\n",
        "",
    )
    # a new number of days leaves purging at start on (it once turned it off without a word)
    assert (
        cli("retention", "--days", "400", "--db", db_path)[1]
        == "visit data kept 400 days, purged when the app starts\n"
    )
    assert cli("retention", "--no-at-start", "--db", db_path)[1] == (
        "visit data kept 400 days, purged by hand (`companion purge`)\n"
    )
    assert (
        cli("retention", "--at-start", "--db", db_path)[1] == "visit data kept 400 days, purged when the app starts\n"
    )
    assert cli("retention", "--db", db_path)[1] == "visit data kept 400 days, purged when the app starts\n"

    assert cli("retention", "--days", "0", "--db", db_path)[1] == "visit data kept until purged by hand\n"
    code, out, err = cli("retention", "--at-start", "--db", db_path)
    assert (code, out) == (2, "") and "needs a number of days" in err
    assert cli("retention", "--db", db_path)[1] == "visit data kept until purged by hand\n"


def test_eight_wrong_pins_at_once_each_count(store, make_clinician):
    """Eight workstations (or a script) trying PINs at the same moment: every try moves the counter, and once the
    delay has begun no PIN is even checked, so the growing delay cannot be raced."""
    from concurrent.futures import ThreadPoolExecutor

    nurse = make_clinician("Nurse Ode", Role.nurse)
    auth.set_pin(store, nurse, "2846")

    def wrong_pin(_number: int) -> str:
        try:
            auth.sign_in(store, nurse, "1111")
        except auth.SignInRefused as refused:
            return str(refused)
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(wrong_pin, range(8)))

    with store.session() as session:
        assert session.get(Clinician, nurse).failed_pins == 8
    assert sum(a.startswith("wrong PIN") for a in answers) == auth.FREE_TRIES  # checked: only before the delay
    assert sum(a.startswith("too many wrong PINs") for a in answers) == 8 - auth.FREE_TRIES
    with pytest.raises(auth.SignInRefused, match="too many wrong PINs"):
        auth.sign_in(store, nurse, "2846")  # even the right PIN waits its turn


def test_wrong_pins_are_in_the_audit_log_as_refused_sign_ins_and_the_sign_in_that_ends_them(store, make_clinician):
    """An auditor tells someone guessing PINs from an admin editing a clinician: each wrong PIN (and each try made
    while a wait runs) is a refused sign-in naming the clinician tried, never by them nor with the PIN typed; the
    sign-in that ends the guesses names who signed in. The usual sign-in writes nothing."""
    nurse = make_clinician("Nurse Ode", Role.nurse)
    auth.set_pin(store, nurse, "2846")
    now = datetime.now(UTC)
    auth.sign_in(store, nurse, "2846", now=now)
    before = len(audit_trail.audit_log(store))
    for _ in range(auth.FREE_TRIES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(store, nurse, "1573", now=now)
    with pytest.raises(auth.SignInRefused, match="too many wrong PINs"):
        auth.sign_in(store, nurse, "2846", now=now)
    later = now + timedelta(seconds=auth.MAX_DELAY_SECONDS + 1)
    auth.sign_in(store, nurse, "2846", now=later)

    entries = audit_trail.audit_log(store)[before:]
    refused = [e for e in entries if e["action"] == "sign-in refused"]
    assert [e["detail"] for e in refused] == [
        *(f"clinician {nurse}: wrong PIN, {n} in a row" for n in range(1, auth.FREE_TRIES + 1)),
        *(
            f"clinician {nurse}: tried while it must wait, {n} in a row"
            for n in (auth.FREE_TRIES + 1, auth.FREE_TRIES + 2)
        ),
    ]
    assert {e["who"] for e in refused} == {"someone at the sign-in"}
    assert {e["clinician_id"] for e in refused} == {None}
    signed_in = [e for e in entries if e["action"] == "sign-in"]
    assert [(e["who"], e["detail"]) for e in signed_in] == [
        ("Nurse Ode", f"clinician {nurse} after {auth.FREE_TRIES + 2} wrong PINs")
    ]
    assert not any("1573" in str(e) or "2846" in str(e) for e in entries)
    auth.sign_in(store, nurse, "2846", now=later)
    assert len(audit_trail.audit_log(store)) == before + len(entries)  # the usual sign-in: nothing written


def test_a_wait_set_by_a_workstation_whose_clock_ran_a_day_ahead_lasts_no_longer_than_the_longest_wait(
    store, make_clinician
):
    """Wrong PINs typed at a desk whose clock said tomorrow: every desk sharing the database waits at most the
    longest wait (5 minutes), not a day."""
    nurse = make_clinician("Nurse Ode", Role.nurse)
    auth.set_pin(store, nurse, "2846")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    for _ in range(auth.FREE_TRIES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(store, nurse, "0000", now=tomorrow)

    now = datetime.now(UTC)
    with pytest.raises(auth.SignInRefused) as refused:
        auth.sign_in(store, nurse, "2846", now=now)
    assert refused.value.wait_seconds <= auth.MAX_DELAY_SECONDS + 1
    later = now + timedelta(seconds=auth.MAX_DELAY_SECONDS + 1)
    assert auth.sign_in(store, nurse, "2846", now=later).id == nurse


def test_a_pin_checked_while_typed_is_taken_only_for_that_very_try(store, make_clinician):
    """The window checks the PIN as it is typed (ui.window.pin_ahead); the Enter takes that answer only for the same
    clinician, PIN and stored hash. A PIN reset meanwhile, or an answer for someone else, is checked afresh."""
    nurse = make_clinician("Nurse Ode", Role.nurse)
    physician = make_clinician("Dr. Vik", Role.physician)
    auth.set_pin(store, nurse, "2846")
    auth.set_pin(store, physician, "1573")

    right = auth.check_ahead(store, nurse, "2846")
    wrong = auth.check_ahead(store, nurse, "1111")
    assert right.right and not wrong.right
    assert auth.check_ahead(store, nurse, "12") is None  # not a PIN: nothing to check
    with store.session() as session:
        assert session.get(Clinician, nurse).failed_pins == 0  # a check while typing counts nothing

    assert auth.sign_in(store, nurse, "2846", checked=right).id == nurse
    with pytest.raises(auth.SignInRefused, match="wrong PIN"):
        auth.sign_in(store, nurse, "1111", checked=wrong)
    with pytest.raises(auth.SignInRefused, match="wrong PIN"):  # the nurse's answer does not open another's door
        auth.sign_in(store, physician, "2846", checked=right)

    auth.set_pin(store, nurse, "9537")  # an admin resets the PIN while the old one is being typed
    with pytest.raises(auth.SignInRefused, match="wrong PIN"):
        auth.sign_in(store, nurse, "2846", checked=right)
    with store.session() as session:
        assert session.get(Clinician, nurse).failed_pins == 1


def test_a_pin_checked_while_typed_still_waits_out_the_delay(store, make_clinician):
    nurse = make_clinician("Nurse Ode", Role.nurse)
    auth.set_pin(store, nurse, "2846")
    right = auth.check_ahead(store, nurse, "2846")
    for _ in range(auth.FREE_TRIES):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(store, nurse, "0000")

    with pytest.raises(auth.SignInRefused, match="too many wrong PINs"):
        auth.sign_in(store, nurse, "2846", checked=right)


def test_the_window_is_readied_before_the_enter_only_for_a_sign_in_that_has_nothing_to_write(store, make_clinician):
    """signs_in_at_once says whom a right PIN's Enter signs in at once (the window is then readied for them before
    the Enter, ui.window.start_up); never for a wrong PIN, nor while the Enter still has a count to reset, a wait to
    enforce or a hash to renew: those go through the Enter's own sign-in, which writes them."""
    nurse = make_clinician("Nurse Ode", Role.nurse)
    auth.set_pin(store, nurse, "2846")
    assert auth.signs_in_at_once(store, auth.check_ahead(store, nurse, "2846")).id == nurse
    assert auth.signs_in_at_once(store, auth.check_ahead(store, nurse, "1111")) is None

    with pytest.raises(auth.SignInRefused):
        auth.sign_in(store, nurse, "0000")
    right = auth.check_ahead(store, nurse, "2846")
    assert auth.signs_in_at_once(store, right) is None  # the Enter resets the count of wrong PINs, and logs it
    assert auth.sign_in(store, nurse, "2846", checked=right).id == nurse
    assert auth.signs_in_at_once(store, auth.check_ahead(store, nurse, "2846")).id == nurse

    for _ in range(auth.FREE_TRIES):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(store, nurse, "0000")
    assert auth.signs_in_at_once(store, auth.check_ahead(store, nurse, "2846")) is None  # a wait is running

    auth.set_pin(store, nurse, "2846")  # an admin's reset ends the wait
    right = auth.check_ahead(store, nurse, "2846")
    auth.set_pin(store, nurse, "9537")  # and another reset while the old PIN was typed
    assert auth.signs_in_at_once(store, right) is None


def test_a_pin_hashed_with_the_earlier_setting_still_signs_in_and_is_hashed_anew(store, make_clinician):
    """The hash's setting changed (19 MiB and 2 passes, now 9 MiB and 4: equal in OWASP's table); nobody has to be
    given a new PIN, and the stored hash takes the new setting at the next sign-in."""
    nurse = make_clinician("Nurse Ode", Role.nurse)
    earlier = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1).hash("2846")
    with store.writing() as session:
        session.get(Clinician, nurse).pin_hash = earlier
        session.commit()
    with pytest.raises(auth.SignInRefused, match="wrong PIN"):
        auth.sign_in(store, nurse, "1573")
    assert auth.sign_in(store, nurse, "2846").id == nurse
    with store.session() as session:
        renewed = session.get(Clinician, nurse).pin_hash
    assert renewed != earlier and "m=9216,t=4,p=1" in renewed
    assert auth.sign_in(store, nurse, "2846").id == nurse


def test_a_year_of_a_large_clinic_is_purged_whole(store):
    """More old visits and notes than one statement may bind (SQLite: 999 values before 3.32, set here; a
    PostgreSQL statement: 65,535): the purge still removes them all in one go, keeps the visit a lasting priority
    points to, and says how many it removed."""
    import sqlite3

    from sqlalchemy import event, func, insert, select

    from companion.storage.models import ContextNote, Patient, Priority, Visit

    if store.engine.dialect.name == "sqlite":
        event.listen(
            store.engine, "connect", lambda raw, _record: raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        )
        store.engine.dispose()  # the connections made from now on have the older SQLite's limit
        visits = 2_000
    else:
        visits = 66_000
    long_ago = datetime.now() - timedelta(days=400)
    with store.writing() as session:
        session.execute(insert(Patient), [{"id": 1, "recorded_name": "Bulk Patient", "preferred_name": "Bulk"}])
        visit = {"patient_id": 1, "scheduled_at": long_ago, "reason": "Follow-up", "status": "done"}
        session.execute(insert(Visit), [{**visit, "id": n} for n in range(1, visits + 1)])
        note = {"patient_id": 1, "kind": "social", "text": "Walks the dog", "author": "Nurse"}
        session.execute(insert(ContextNote), [{**note, "visit_id": n} for n in range(1, visits + 1)])
        lasting = {"patient_id": 1, "visit_id": 7, "text": "Walk again", "rank": 0, "scope": "lasting"}
        session.execute(insert(Priority), [{**lasting, "source": "patient"}])
        session.commit()

    removed = retention.purge(store, 365)

    assert (removed.visits, removed.notes) == (visits - 1, visits)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ContextNote)) == 0
        assert session.scalar(select(func.count()).select_from(Visit)) == 1  # the lasting priority's visit
        assert session.scalar(select(func.count()).select_from(Priority)) == 1


def test_a_purge_removes_a_visit_holding_a_row_of_every_kind_that_refers_to_it(
    store, make_visit, patient_id, clinician_id
):
    """Every table that refers to a visit (directly, or through a priority, a note or a next step) has a row here,
    and none survives the purge: a table added later without its place in the purge fails this test, not a
    clinic's start-up (a next step corrected by the patient once made every purge fail)."""
    from sqlmodel import SQLModel

    from companion.services import checkin, drafts, emotions, encounter, rituals

    old = make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=400)).date())
    priority = priorities.add_priority(store, old, "Sleep better").result
    priorities.edit_priority(store, priority.id, "Sleep through the night")
    note = notes.add_note(store, old, "social", "Loves crosswords", "Nurse Kim").result
    notes.edit_note(store, note.id, "Loves cryptic crosswords", "Nurse Kim")
    cue = emotions.add_cue(store, old, "Tearful about her sister", "Nurse Kim").result
    emotions.set_step(store, cue.id, "name", True)
    step = encounter.add_next_step(store, old, "Walk after lunch", "Dr. Kim").result
    checkin.correct_next_step_as_patient(store, step.id, "Walk after dinner")
    rituals.record_run(store, old, clinician_id, 0, True)
    drafts.save_draft(store, old, drafts.owned("glance:cue", clinician_id), "Afraid of")
    tables = SQLModel.metadata.tables
    refer = {"visit"}
    while True:  # the tables whose rows belong to a visit, however many steps away
        more = {t for t, table in tables.items() for fk in table.foreign_keys if fk.column.table.name in refer}
        if more <= refer:
            break
        refer |= more
    with store.engine.connect() as connection:
        before = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in sorted(refer)}
    assert all(before.values()), before  # the test holds a row of each

    retention.purge(store, 365, include_lasting=True)

    with store.engine.connect() as connection:
        after = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in sorted(refer)}
    assert not any(after.values()), after


def test_retention_says_which_visits_a_purge_keeps_out_of_imports_and_forgets_them_when_asked(
    cli, db_path, store, make_visit, patient_id, clinician_id
):
    """IT sees why last night's import left old visits out, and how to let a restored history in again."""
    make_visit(patient_id, clinician_id, day=(datetime.now() - timedelta(days=400)).date())
    assert cli("retention", "--db", db_path)[1] == "visit data kept until purged by hand\n"
    assert cli("purge", "--older-than", "365", "--dry-run", "--db", db_path)[0] == 0
    assert retention.kept_since(store) is None  # a rehearsal keeps nothing out

    assert cli("purge", "--older-than", "365", "--yes", "--db", db_path)[0] == 0

    cut = retention.kept_since(store)
    assert cut is not None and abs(cut - (datetime.now() - timedelta(days=365))) < timedelta(minutes=5)
    out = cli("retention", "--db", db_path)[1]
    assert f"visits before {cut:%Y-%m-%d %H:%M} were purged: imports leave them out" in out
    # a later purge of fewer days moves the line forward; one of more days never moves it back
    cli("purge", "--older-than", "30", "--yes", "--db", db_path)
    cli("purge", "--older-than", "900", "--yes", "--db", db_path)
    assert retention.kept_since(store) > datetime.now() - timedelta(days=31)

    assert cli("retention", "--forget-purges", "--db", db_path)[1] == "visit data kept until purged by hand\n"
    assert retention.kept_since(store) is None


@pytest.mark.parametrize("stored", ["not a date", "2999-01-01T00:00:00", "2020-01-01T00:00:00+05:00", "\udcff"])
def test_a_purge_line_that_is_not_a_past_moment_of_the_clinics_clock_keeps_nothing_out(store, stored):
    """Written by hand, by a tool, or by a purge while the workstation's clock was years ahead: an import must
    never leave a whole record out for it."""
    from companion.services.settings import put_setting

    with store.writing() as session:
        put_setting(session, retention.PURGED_BEFORE_KEY, stored.encode("utf-8", "surrogateescape").decode("latin-1"))
        session.commit()

    assert retention.kept_since(store) is None


def test_the_retentions_own_purges_are_not_remembered_so_a_longer_retention_lets_imports_bring_more(store):
    """Purging at start follows the retention; were each of its cut-offs kept, widening the retention from 30 days
    to a year would leave imports at 30 days for good."""
    retention.set_retention(store, 30, purge_at_start=True)
    retention.purge_at_start(store)
    assert retention.kept_since(store) > datetime.now() - timedelta(days=31)

    retention.set_retention(store, 365, purge_at_start=True)

    assert retention.kept_since(store) < datetime.now() - timedelta(days=364)
    retention.set_retention(store, None)
    assert retention.kept_since(store) is None


@pytest.mark.parametrize(
    "pin",
    ["2580", "0852", "7410", "1379", "1990", "2024", "1212", "123123", "1122", "6969", "1004"]
    + ["2468", "1357", "9630", "7890", "0987", "2109", "1254", "5698", "6325", "13579"],
)
def test_a_year_a_repeated_block_or_a_line_on_the_keypad_is_refused_as_a_new_pin(store, pin):
    """A tester set 2580 (the keypad's middle column), 1990 and 1212 as real clinicians' PINs: guesses come from
    the same lists, and five wrong PINs in a row only slow them down. So do digits that step evenly (2468, and 7890
    counting on past the 9) and the keypad's small squares (1254)."""
    with pytest.raises(CompanionError, match="first anyone would try"):
        auth.add_clinician_with_pin(store, "Dr. Lee", "physician", pin)
    assert auth.add_clinician_with_pin(store, "Dr. Lee", "physician", "4826").result.name == "Dr. Lee"
