"""Trust at the edges: argv that is not UTF-8, numbers out of range, settings that would brick the app, another
program's SQLite file, a database from a newer version, a shared folder, another writer holding the lock, and
the audit of every read from the command line."""

from __future__ import annotations

import getpass
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from companion.demo import PATIENTS
from companion.errors import CompanionError
from companion.services import retention
from companion.services.audit_trail import audit_log
from companion.storage import busy
from companion.storage.store import open_store
from tests.records import write_setting

ROOT = Path(__file__).resolve().parents[2]


def companion(*argv, home: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command, with argv passed as bytes, as a shell would pass them."""
    command, env = _command(argv, home)
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120)


def _command(argv, home: Path) -> tuple[list[bytes], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DB"}
    env.update(COMPANION_HOME=str(home), PYTHONPATH=str(ROOT))
    arguments = [a if isinstance(a, bytes) else str(a).encode() for a in argv]
    return [sys.executable.encode(), b"-m", b"companion", *arguments], env


def one_line_error(result) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0 and result.stdout == b"", err
    assert err.startswith("companion: error:") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def clinic(tmp_path, cli) -> Path:
    path = tmp_path / "clinic.sqlite3"
    assert cli("demo", "--db", path)[0] == 0
    return path


def rows(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return "\n".join(connection.iterdump())


def test_an_argument_that_is_not_utf8_is_one_line_and_writes_nothing(clinic, companion_home):
    before = rows(clinic)
    result = companion("note", "add", "1", "--kind", "social", "--text", b"caf\xff", "--author", "Kim", "--db", clinic,
                       home=companion_home)  # fmt: skip
    assert "not valid UTF-8" in one_line_error(result)
    assert rows(clinic) == before


@pytest.mark.parametrize(
    "argv, words",
    [
        (("show", "99999999999999999999"), "an id is a whole number from 1 to"),
        (("show", "0"), "an id is a whole number from 1 to"),
        (("summary", "-3"), "an id is a whole number"),
        (("purge", "--older-than", "99999999"), "a number of days is a whole number from 1 to 36,500"),
        (("purge", "--older-than", "0"), "a number of days"),
        (("retention", "--days", "99999999", "--at-start"), "from 0 to 36,500"),
        (("visits", "--date", "9999-12-31"), "a date from 1900-01-01 to 2199-12-31"),
        (("audit", "--patient", "1e9"), "an id is a whole number"),
        (("note", "add"), "the following arguments are required"),
        (("export", "1", "--fhir", ""), "a file name is needed"),  # once read as the current folder
        (("questionnaire", "--fhir", " "), "a file name is needed"),
        (("handout", "1", "--pdf", ""), "a file name is needed"),
        # A slash at the end names a folder: the file was once made under the name without it.
        (("export", "1", "--fhir", "new-folder/"), "ends in a slash, so it names a folder"),
        (("handout", "1", "--ics", "new-folder/"), "ends in a slash, so it names a folder"),
        (("questionnaire", "--fhir", "new-folder/"), "ends in a slash, so it names a folder"),
        (("db", "backup", "--to", "new-folder/"), "ends in a slash, so it names a folder"),
        # An unknown user's home folder: once reported as a fault of the app (exit 70).
        (("export", "1", "--fhir", "~no-such-user-here/x.json"), "there is no such user"),
        (("import", "~no-such-user-here/x.json"), "there is no such user"),
        # An empty name to import: once every *.json of the current folder was imported.
        (("import", ""), "a file or folder name is empty; nothing was imported"),
    ],
)
def test_numbers_and_dates_out_of_range_are_one_line_errors(clinic, companion_home, argv, words):
    before = rows(clinic)
    assert words in one_line_error(companion(*argv, "--db", clinic, home=companion_home))
    assert rows(clinic) == before


def test_a_database_path_ending_in_a_slash_or_under_an_unknown_user_makes_nothing(tmp_path, companion_home):
    assert "ends in a slash" in one_line_error(companion("demo", "--db", f"{tmp_path}/clinic/", home=companion_home))
    assert not (tmp_path / "clinic").exists()  # once made as a file named "clinic"
    assert "no such user" in one_line_error(companion("demo", "--db", "~no-such-user-here/c", home=companion_home))


def test_a_stored_setting_out_of_range_never_bricks_the_start(store):
    write_setting(store, retention.RETENTION_KEY, "99999999")  # as an older version accepted it
    write_setting(store, retention.PURGE_AT_START_KEY, "yes")
    assert retention.retention_days(store) is None
    assert retention.purge_at_start(store) is None  # no overflow, and nothing purged
    with pytest.raises(CompanionError, match="36,500"):
        retention.set_retention(store, 99_999_999, purge_at_start=True)


@pytest.mark.parametrize("journal", ["delete", "wal"])  # a browser's places.sqlite is in WAL mode
def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path, companion_home, journal):
    other = tmp_path / "recipes.db"
    with sqlite3.connect(other) as connection:
        connection.execute(f"PRAGMA journal_mode={journal}")
        connection.execute("CREATE TABLE recipe (name TEXT)")
        connection.execute("INSERT INTO recipe VALUES ('pot roast')")
    connection.close()
    before = other.read_bytes()

    err = one_line_error(companion("visits", "--db", other, home=companion_home))

    assert "not an Encounter Companion database" in err and "left untouched" in err
    assert other.read_bytes() == before  # still in its own journal mode, no alembic_version table
    # no backup beside it, and no -wal or -shm (a read-only connection makes them to read a WAL-mode file)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["recipes.db"]


@pytest.mark.parametrize(
    "claim",
    ["PRAGMA application_id = 1234567", "PRAGMA user_version = 42", "CREATE VIEW answer AS SELECT 42 AS n"],
)
def test_another_programs_file_with_no_table_yet_is_refused_and_left_untouched(tmp_path, companion_home, claim):
    """No table yet, but its header says whose it is (an id, a schema version) or it holds a view: another program
    made it. Taking it over would write 21 tables into it, switch it to WAL and change its permissions."""
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute(claim)
    connection.close()
    other.chmod(0o640)
    before = other.read_bytes()

    err = one_line_error(companion("visits", "--db", other, home=companion_home))

    assert "not an Encounter Companion database" in err and "left untouched" in err
    assert other.read_bytes() == before and other.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["other.db"]


def test_an_empty_sqlite_file_that_claims_nothing_becomes_a_database(tmp_path, companion_home):
    blank = tmp_path / "blank.db"
    with sqlite3.connect(blank) as connection:
        connection.execute("VACUUM")  # a valid SQLite file with nothing in it
    connection.close()

    assert companion("visits", "--db", blank, home=companion_home).returncode == 0


def _held_locked_in_rollback_mode(path: Path, seconds: float | None) -> tuple[threading.Thread, threading.Event]:
    """Another program's connection switches the file to a rollback journal and holds it locked, for `seconds` or
    until the event returned is set."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=delete")
    connection.execute("BEGIN EXCLUSIVE")
    let_go = threading.Event()

    def release() -> None:
        let_go.wait(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    holder = threading.Thread(target=release)
    holder.start()
    return holder, let_go


@pytest.fixture
def clinic_apart(tmp_path, companion_home) -> Path:
    """A clinic made by another process: no connection of this one is left open on it."""
    path = tmp_path / "apart.sqlite3"
    assert companion("demo", "--db", path, home=companion_home).returncode == 0
    return path


def test_a_file_another_program_holds_locked_at_start_is_waited_for_and_said(clinic_apart, companion_home):
    holder, let_go = _held_locked_in_rollback_mode(clinic_apart, 90)
    command, env = _command(("visits", "--db", clinic_apart), companion_home)
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    said = process.stderr.readline().decode()  # the waiting line, however long the command took to start
    let_go.set()
    out, rest = process.communicate(timeout=120)
    holder.join()

    assert busy.WAITING in said
    assert process.returncode == 0 and out and "locked" not in said + rest.decode()


def test_a_file_locked_past_the_limit_is_one_clear_line(clinic_apart, monkeypatch):
    from companion.errors import DatabaseBusy

    clinic = clinic_apart
    from companion.storage.sqlite_file import examine

    monkeypatch.setattr(busy, "NOTICE_AFTER_SECONDS", 0.5)
    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 1.5)
    told = []
    busy.on_waiting(lambda: told.append(True))
    holder, _let_go = _held_locked_in_rollback_mode(clinic, 3)
    try:
        with pytest.raises(DatabaseBusy, match="stayed locked by another program for 1.5 s; nothing was changed"):
            examine(clinic, may_create_folder=False)
    finally:
        busy.on_waiting(None)
        holder.join()
    assert told == [True]


def test_a_database_from_a_newer_version_is_one_line_and_no_backup(clinic, companion_home):
    with sqlite3.connect(clinic) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    before = rows(clinic)

    for _ in range(2):  # and again on the next start: still no copy
        err = one_line_error(companion("visits", "--db", clinic, home=companion_home))
        assert "a newer version of Encounter Companion made this database" in err and "0099" in err

    assert rows(clinic) == before
    assert not list(clinic.parent.glob("*.bak"))


def test_an_existing_shared_companion_home_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared-home"
    shared.mkdir()
    shared.chmod(0o1777)
    for argv in (("--version",), ("demo",), ("patients",), ("visits",)):  # demo makes the clinic; the rest read
        result = companion(*argv, home=shared)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(shared.stat().st_mode) == 0o1777, argv
    assert stat.S_IMODE((shared / "companion.sqlite3").stat().st_mode) == 0o600  # what it made, it protects


def test_every_read_from_the_command_line_is_audited_with_the_account(clinic, cli, tmp_path):
    for argv in (
        ("visits",),
        ("patients",),
        ("show", "2"),
        ("show", "--patient", "1"),
        ("summary", "2"),
        ("summary", "2", "--include-sensitive"),
        ("export", "2", "--fhir", tmp_path / "a.json"),
        ("export", "2", "--fhir", tmp_path / "b.json", "--include-sensitive"),
    ):
        code, _out, err = cli(*argv, "--db", clinic)
        assert code == 0, err
    store = open_store(str(clinic))
    entries = [e for e in audit_log(store) if not e["action"].startswith(("add ", "change ", "delete "))]
    store.engine.dispose()
    assert [e["action"] for e in entries] == [
        "list visits",
        "list patients",
        "show glance",
        "show glance",
        "read summary",
        "read summary including sensitive",
        "export fhir",
        "export fhir including sensitive",
    ]
    assert {e["who"] for e in entries} == {f"command line ({getpass.getuser()})"}
    assert [e["visit_id"] for e in entries[2:]] == [2, entries[3]["visit_id"], 2, 2, 2, 2]


def test_a_failed_read_leaves_no_audit_entry(clinic, cli):
    before = rows(clinic)
    assert cli("show", "999", "--db", clinic)[0] != 0
    assert rows(clinic) == before


HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
if sys.argv[2] == "until-told":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def hold_write_lock(path: Path, seconds: float | str) -> subprocess.Popen:
    """Another workstation in the middle of a long save: it holds the write lock for `seconds`, or "until-told"
    (a line on its input), then lets go."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, stdin=subprocess.PIPE
    )
    assert holder.stdout.readline().strip() == b"locked"
    return holder


def test_a_write_waits_for_another_workstation_and_says_so(clinic, companion_home):
    """The other save ends only once this command has said it waits (however slowly a loaded machine starts it);
    then it saves."""
    holder = hold_write_lock(clinic, "until-told")
    command, env = _command(["note", "add", "2", "--kind", "social", "--text", "Walks the dog", "--author", "Kim",
                             "--db", clinic], companion_home)  # fmt: skip
    writer = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        waiting = writer.stderr.readline().decode()
        with sqlite3.connect(clinic) as connection:  # nothing saved while the other save holds the database
            assert (
                connection.execute("SELECT count(*) FROM contextnote WHERE text = 'Walks the dog'").fetchone()[0] == 0
            )
    finally:
        holder.communicate(b"done\n", timeout=60)
    _, rest = writer.communicate(timeout=120)
    assert waiting == f"companion: {busy.WAITING}\n"
    assert writer.returncode == 0 and rest == b"", rest
    with sqlite3.connect(clinic) as connection:
        assert connection.execute("SELECT count(*) FROM contextnote WHERE text = 'Walks the dog'").fetchone()[0] == 1


def test_a_write_gives_up_after_the_limit_in_one_line_and_writes_nothing(clinic, cli, monkeypatch):
    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 4)
    before = rows(clinic)
    holder = hold_write_lock(clinic, "until-told")  # past the limit, however slow the machine
    try:
        code, out, err = cli("note", "add", "2", "--kind", "social", "--text", "x", "--author", "Kim", "--db", clinic)
    finally:
        holder.communicate(b"done\n", timeout=60)
    assert code == 1 and out == ""  # the database, not the command: a script's retry, not a typo (2)
    waiting, failure = err.splitlines()
    assert waiting == f"companion: {busy.WAITING}"
    assert failure.startswith("companion: error: the database stayed busy for 4 s") and "nothing was changed" in failure
    assert "locked" not in err
    assert rows(clinic) == before


def test_a_busy_database_after_the_rules_changed_stops_the_command_as_its_words_say(clinic, cli, monkeypatch):
    """The stored facts are judged again by new rules before a command does its work. Busy past the limit there, it
    said "nothing was changed, try again", then waited again and added the priority: the retry made it twice."""
    from companion.privacy.stored import FINGERPRINT_KEY

    with sqlite3.connect(clinic) as connection:
        connection.execute("UPDATE setting SET value = 'rules-of-an-older-version' WHERE key = ?", (FINGERPRINT_KEY,))
    connection.close()
    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 2)
    before = rows(clinic)
    holder = hold_write_lock(clinic, "until-told")
    try:
        code, _out, err = cli("priority", "add", "3", "--text", "Busy test", "--db", clinic)
    finally:
        holder.communicate(b"done\n", timeout=60)
    assert code == 1 and err.count("nothing was changed") == 1 and "warning" not in err, err
    assert rows(clinic) == before


def test_json_output_is_still_json_after_the_audit(clinic, cli):
    code, out, _ = cli("patients", "--json", "--db", clinic)
    assert code == 0 and len(json.loads(out)) == len(PATIENTS)


@pytest.mark.parametrize("folder", ["Clinic ?2", "100% sure", "a%20b", "Sala #3 ø", "מרפאה 🩺 <b>x"])
def test_a_folder_name_that_reads_as_part_of_a_url_holds_the_database_itself(tmp_path, companion_home, folder):
    """A "?" starts a URL's options and "%" an escape: the database must be the file in that folder, not another
    file a URL reading would name."""
    place = tmp_path / folder
    place.mkdir()
    database = place / "clinic.sqlite3"
    made = companion("demo", "--db", database, home=companion_home)
    assert made.returncode == 0, made.stderr
    made_files = [p for p in tmp_path.rglob("*") if p.is_file() and companion_home not in p.parents]
    assert database.is_file() and {p.parent for p in made_files} == {place}  # the demo went there, nowhere else
    listed = companion("patients", "--db", database, home=companion_home)
    assert listed.returncode == 0 and PATIENTS[0].patient[1].encode() in listed.stdout, listed.stderr


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql+psycopg://companion:p@ssWORDx@127.0.0.1:1/clinic", "write it as %40"),
        ("postgresql+psycopg://companion:secret@[::1:55432/clinic", "not valid"),
        ("postgresql+psycopg://companion:secret@127.0.0.1:port/clinic", "not valid"),
    ],
)
def test_a_database_address_that_cannot_be_read_is_one_line_and_never_says_the_password(companion_home, url, words):
    err = one_line_error(companion("visits", "--db", url, home=companion_home))
    assert words in err and "ssWORDx" not in err and "secret" not in err


def test_this_workstations_preferences_never_hold_a_database_password(tmp_path):
    from companion.location import database_key
    from companion.read.models import ClinicianView
    from companion.services.preferences import FILE_NAME, Preferences

    url = "postgresql+psycopg://companion:S3cr3t%21pw@db.clinic.example:5432/clinic"
    earlier = {url: {"always_on_top": True}}  # as an earlier version kept it
    (tmp_path / FILE_NAME).write_text(json.dumps(earlier))

    preferences = Preferences(database_key(url), tmp_path)
    preferences.remember_clinician(ClinicianView(1, "Dr. Amara Okafor", "physician"))

    written = (tmp_path / FILE_NAME).read_text()
    assert "S3cr3t" not in written
    assert preferences.get("always_on_top") is True  # the choice made before is kept under the new key
    for password in ("pa/ss#w?rd", "p[x]:y"):  # as SQLAlchemy reads an address, these stand as they are
        key = database_key(f"postgresql+psycopg://companion:{password}@db.clinic.example/clinic")
        assert password not in key and key.startswith("postgresql+psycopg://companion@db.clinic.example")


@pytest.mark.parametrize("options", ["mode=ro", "mode=ro&uri=true", "immutable=1", "timeout=0"])
def test_a_sqlite_address_with_options_is_refused_rather_than_opened_otherwise(clinic, companion_home, options):
    """ "?mode=ro" asks for a database nobody can change; the app would have opened it for writing all the same (the
    option is not read without `uri=true`, and with it the app's own writes would fail later, one by one). Refused
    at once, naming the way that works; the file is left as it was."""
    before = rows(clinic)
    err = one_line_error(companion("visits", "--db", f"sqlite:///{clinic}?{options}", home=companion_home))
    assert "options" in err and "give the file's path" in err
    assert rows(clinic) == before  # not even the audit of the read it refused


def test_ctrl_c_during_an_import_is_one_line_and_the_next_import_works(clinic, companion_home, tmp_path):
    """Ctrl+C part way through a bulk file: one line, no traceback (which may quote a patient), the database whole,
    and the same command run again imports it."""
    lines = [json.dumps({"resourceType": "Patient", "id": "p1", "name": [{"family": "Lima", "given": ["Ana"]}]})]
    lines += [
        json.dumps(
            {
                "resourceType": "Immunization",
                "id": f"imm-{n}",
                "status": "completed",
                "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
                "patient": {"reference": "Patient/p1"},
                "occurrenceDateTime": "2024-10-01T09:00:00Z",
            }
        )
        for n in range(80_000)
    ]
    export = tmp_path / "export.ndjson"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command, env = _command(("import", export, "--db", clinic), companion_home)
    running = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert running.stderr.readline().startswith("importing…".encode())  # under way
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=120)

    said = err.decode().strip().splitlines()
    assert running.returncode == 130 and "Traceback" not in err.decode()
    assert said[-1] == "companion: interrupted; what was saved before stays, nothing half-saved was kept"
    with sqlite3.connect(clinic) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = companion("import", export, "--db", clinic, home=companion_home)
    assert again.returncode == 0, again.stderr


def test_a_purge_whose_space_another_program_holds_keeps_the_removal_and_says_so(clinic, monkeypatch):
    """Another program took the write lock between the purge's commit and its VACUUM: the command ended, a minute
    later, as "an unexpected problem" (exit 70) though the removal was done."""
    from companion.services import retention
    from companion.storage.store import open_store

    monkeypatch.setattr(busy, "WAIT_LIMIT_SECONDS", 1)
    store = open_store(str(clinic), new_file=False)
    try:
        removed = retention.purge(store, 1, reclaim=False)
        kept = counted(clinic)
        holder = sqlite3.connect(clinic, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            assert retention.reclaim_space(store) is False
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert counted(clinic) == kept and removed.visits + removed.priorities + removed.notes > 0
        assert retention.reclaim_space(store) is True
    finally:
        store.engine.dispose()


def counted(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return {
            t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("visit", "priority", "auditevent")
        }
