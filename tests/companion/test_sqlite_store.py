"""The database file: owner-only, WAL, foreign keys on, and a file that is not SQLite is left alone."""

from __future__ import annotations

import io
import os
import sqlite3
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from companion.errors import CompanionError
from companion.services import notes
from companion.storage.database import DEFAULT_FILE_NAME
from companion.storage.models import ContextNote, NoteKind
from companion.storage.paths import data_dir
from companion.storage.store import open_store
from tests.disks import small_disk


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_default_database_lives_in_companion_home_owner_only(companion_home):
    opened = open_store()
    try:
        notes_db = companion_home / DEFAULT_FILE_NAME
        assert notes_db.is_file()
        assert mode(companion_home) == 0o700
        assert mode(notes_db) == 0o600
    finally:
        opened.engine.dispose()


def test_a_data_folder_set_to_a_file_is_named_in_words_and_the_file_is_left_alone(companion_home):
    """COMPANION_HOME pointed at a file by mistake: the command said only "File exists"."""
    companion_home.write_text("a note, not the app's folder")
    with pytest.raises(CompanionError, match=f"^the app keeps its files in {companion_home}, but a file stands there"):
        open_store()
    assert companion_home.read_text() == "a note, not the app's folder"


def test_a_mistyped_db_folder_is_refused_and_nothing_is_created(tmp_path):
    path = tmp_path / "clinc" / "c.sqlite3"

    with pytest.raises(CompanionError, match="the folder for the database does not exist"):
        open_store(str(path))
    assert not path.parent.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["visits"],
        ["show", "1"],
        ["summary", "1"],
        ["patients"],
        ["audit"],
        ["purge", "--older-than", "30", "--yes"],
        ["privacy", "recheck"],
        ["note", "add", "1", "--kind", "social", "--text", "walks", "--author", "RN"],
        ["visit", "cancel", "1"],
        ["db", "current"],
        ["db", "upgrade"],
        ["retention"],
        ["retention", "--days", "365"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_mistyped_db_file_is_refused_by_a_command_that_reads_and_nothing_is_created(cli, tmp_path, argv):
    """A real clinic file sits in the folder; one letter off, `visits` would have said "no visits today" about an
    empty file it made, and `db upgrade` would have "upgraded" it."""
    (tmp_path / "clinic.sqlite3").write_bytes(b"")  # the real one, beside the typo
    typo = tmp_path / "clinc.sqlite3"

    code, out, err = cli(*argv, "--db", typo)

    assert code != 0 and out == ""
    assert f"there is no database at {typo}" in err and "nothing was created" in err
    assert not list(tmp_path.glob("clinc*"))  # nor its -wal or -shm


@pytest.mark.parametrize("argv", [["visits"], ["patients"], ["db", "backup"], ["db", "current"], ["retention"]])
def test_a_companion_home_that_holds_no_database_is_refused_by_a_command_that_reads(cli, tmp_path, monkeypatch, argv):
    """COMPANION_HOME typed wrong (or a clinic's share not mounted yet) was taken as a new clinic: `visits` said "no
    visits today" and `db backup` "backed up" an empty database it had just made, exit 0. It names the clinic's folder
    as surely as --db names its file: refused, and no folder or file is left where it pointed."""
    typo = tmp_path / "clinc-home"
    monkeypatch.setenv("COMPANION_HOME", str(typo))

    code, out, err = cli(*argv)

    assert code != 0 and out == ""
    assert f"there is no database at {typo / 'companion.sqlite3'} (in the folder COMPANION_HOME names)" in err
    assert not typo.exists()

    code, _out, err = cli("demo")  # a command that adds to a clinic makes it there

    assert code == 0, err
    assert mode(typo / "companion.sqlite3") == 0o600 and mode(typo) == 0o700


def test_a_companion_home_written_with_a_tilde_is_one_folder_for_every_file(cli, tmp_path, monkeypatch):
    """COMPANION_HOME="~/clinic", quoted so the shell left the ~: the database went to the home folder, the content,
    preferences and the export guard to a folder named "~" under the current one, so a clinic's own privacy rules
    beside the database were never read."""
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("COMPANION_HOME", "~/clinic")
    monkeypatch.chdir(tmp_path)

    assert cli("demo")[0] == 0
    assert data_dir() == tmp_path / "user" / "clinic" and (data_dir() / "companion.sqlite3").is_file()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["clinician", "add", "--name", "Dr. Lee", "--role", "admin", "--pin-stdin"],
        ["patient", "add", "--name", "Ana Lima"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_command_that_adds_to_a_clinic_makes_its_new_database_file(cli, tmp_path, argv, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("482913\n"))
    new = tmp_path / "new-clinic.sqlite3"

    code, _out, err = cli(*argv, "--db", new)

    assert code == 0, err
    assert new.is_file() and mode(new) == 0o600


FAILS_ON_ITS_INPUT = [
    (["import", "{missing}"], ""),
    (["import", "{not_fhir}"], ""),
    (["schedule", "import", "{missing}"], ""),
    (["clinician", "add", "--name", "Dr. Lee", "--role", "admin", "--pin-stdin"], "1\n"),  # a PIN refused
    (["clinician", "add", "--name", "Dr. Lee", "--role", "wizard", "--pin-stdin"], "482913\n"),
    (["patient", "add", "--name", " "], ""),
]


def _filled(argv: list[str], tmp_path) -> list[str]:
    not_fhir = tmp_path / "notes.json"
    not_fhir.write_text("this is not JSON")
    return [arg.format(missing=tmp_path / "nowhere.json", not_fhir=not_fhir) for arg in argv]


@pytest.mark.parametrize(
    ("argv", "stdin"),
    FAILS_ON_ITS_INPUT,
    ids=["import missing", "import not FHIR", "schedule missing", "PIN refused", "role refused", "blank name"],
)
def test_a_command_that_fails_on_its_input_leaves_no_new_database(cli, tmp_path, argv, stdin, monkeypatch):
    """One mistake in the command (a file that is not there or not FHIR, a PIN or role refused) on a new --db
    used to leave an empty clinic file behind, which the next command and the window took for the clinic."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    new = tmp_path / "new-clinic.sqlite3"

    code, _out, err = cli(*_filled(argv, tmp_path), "--db", new)

    assert code != 0 and err
    assert not list(tmp_path.glob("new-clinic*"))  # nor its -wal or -shm


@pytest.mark.parametrize(
    ("argv", "stdin"), [FAILS_ON_ITS_INPUT[0], FAILS_ON_ITS_INPUT[4]], ids=["import missing", "role refused"]
)
def test_a_command_that_fails_on_its_input_at_first_use_leaves_no_data_folder(cli, tmp_path, argv, stdin, monkeypatch):
    """The first command on a workstation makes the data folder for the clinic's file; one that failed on its
    input removed the file but left the empty folders, which then read as "a clinic was set up here"."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.delenv("COMPANION_DB", raising=False)
    monkeypatch.setenv("COMPANION_HOME", str(tmp_path / "data" / "companion"))

    code, _out, err = cli(*_filled(argv, tmp_path))

    assert code != 0 and err
    assert not (tmp_path / "data").exists()


def test_a_data_folder_that_holds_anything_else_stays(tmp_path, monkeypatch):
    """What another program put in the folder meanwhile is never removed, nor the folders around it."""
    from companion.storage.database import remove_if_still_new

    monkeypatch.delenv("COMPANION_DB", raising=False)
    home = tmp_path / "data" / "companion"
    monkeypatch.setenv("COMPANION_HOME", str(home))
    made = open_store()
    (home / "notes.txt").write_text("kept")

    assert remove_if_still_new(made.engine) is True  # the new empty clinic goes
    assert (home / "notes.txt").read_text() == "kept"


@pytest.mark.parametrize(("argv", "stdin"), FAILS_ON_ITS_INPUT[:2], ids=["import missing", "import not FHIR"])
def test_a_failing_command_never_removes_a_database_that_was_there(cli, tmp_path, argv, stdin):
    """The file existed before the command (made empty by another workstation's first start): it stays."""
    existing = tmp_path / "new-clinic.sqlite3"
    open_store(str(existing)).engine.dispose()

    code, _out, _err = cli(*_filled(argv, tmp_path), "--db", existing)

    assert code != 0
    assert existing.is_file() and open_store(str(existing)).engine.dispose() is None


def test_a_new_database_someone_else_has_open_is_never_removed(tmp_path):
    """A window opened the new file at its first-admin form while the command that made it failed: removing it
    would leave the window writing its first admin into a file that is gone."""
    from companion.services.patients import add_patient
    from companion.storage.database import remove_if_still_new

    path = tmp_path / "new-clinic.sqlite3"
    made = open_store(str(path))
    window = open_store(str(path))
    with window.engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # the window's pooled connection stays open

        assert remove_if_still_new(made.engine) is False

    assert path.is_file()
    add_patient(window, "Ana Lima")  # the window's work lands in the file that is still there
    window.engine.dispose()
    assert remove_if_still_new(open_store(str(path)).engine) is False  # not made by that opening, and not empty


def test_a_new_database_made_here_and_left_empty_is_removed_with_its_side_files(tmp_path):
    from companion.storage.database import remove_if_still_new

    path = tmp_path / "new-clinic.sqlite3"
    made = open_store(str(path))
    with made.engine.connect() as connection:
        connection.execute(text("SELECT 1"))

    assert remove_if_still_new(made.engine) is True
    assert not list(tmp_path.glob("new-clinic*"))


@pytest.mark.parametrize("room_kb", [0, 12, 64], ids=["no room", "a few pages", "less than the schema"])
def test_a_new_database_on_a_full_disk_is_refused_and_leaves_nothing_that_opens_as_an_empty_clinic(tmp_path, room_kb):
    """A new database begun on a nearly full disk used to stay behind as a file of one page, which every later
    command and the window then opened as a clinic with nobody in it."""
    with small_disk(tmp_path, 1) as mount:
        room = os.statvfs(mount)
        (mount / "filler").write_bytes(bytes(max(room.f_bavail * room.f_frsize - room_kb * 1024, 0)))
        path = mount / "clinic.sqlite3"
        with pytest.raises(CompanionError, match="full") as refused:
            open_store(str(path))
        assert str(path) in str(refused.value) and "\n" not in str(refused.value)
        assert sorted(p.name for p in mount.iterdir()) == ["filler"]

        (mount / "filler").unlink()  # room made: the next open makes a real clinic
        store = open_store(str(path))
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM setting")).scalar() > 0
        store.engine.dispose()


@pytest.mark.parametrize("environment", [None, ""], ids=["no COMPANION_DB", "COMPANION_DB empty"])
def test_the_default_database_is_made_by_any_command(cli, tmp_path, monkeypatch, environment):
    """Nobody typed a path nor set COMPANION_HOME: the first `visits` of a new install opens the user's own, empty,
    database, in the user's data folder."""
    monkeypatch.delenv("COMPANION_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where platformdirs puts a user's data on Linux
    if environment is not None:
        monkeypatch.setenv("COMPANION_DB", environment)

    code, out, _err = cli("visits")

    assert code == 0 and out.startswith("no visits")
    assert (tmp_path / "data" / "encounter-companion" / DEFAULT_FILE_NAME).is_file()


def test_a_new_database_and_its_side_files_are_owner_only(tmp_path):
    path = tmp_path / "c.sqlite3"

    opened = open_store(str(path))
    try:
        with opened.engine.connect() as con:  # make SQLite create its side files too
            con.execute(text("SELECT 1"))
            assert mode(path) == 0o600
            for side in path.parent.glob("c.sqlite3-*"):
                assert mode(side) == 0o600, side.name
    finally:
        opened.engine.dispose()


def test_an_existing_database_keeps_the_mode_its_owner_gave_it(tmp_path):
    path = tmp_path / "c.sqlite3"
    open_store(str(path)).engine.dispose()
    os.chmod(path, 0o440)  # shared read-only with a group, on purpose

    open_store(str(path)).engine.dispose()

    assert mode(path) == 0o440  # the app protects what it makes; it does not undo its owner's choice


def test_an_empty_file_the_app_fills_becomes_owner_only(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)

    open_store(str(path)).engine.dispose()

    assert mode(path) == 0o600


def test_an_existing_shared_folder_keeps_its_permissions(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: the app must not lock other users out of it

    opened = open_store(str(shared / "c.sqlite3"))
    try:
        assert mode(shared) == 0o1777
        assert mode(shared / "c.sqlite3") == 0o600
    finally:
        opened.engine.dispose()


def test_journal_mode_is_wal_and_foreign_keys_are_on(sqlite_store):
    with sqlite_store.engine.connect() as con:
        assert con.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert con.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_wal_mode_is_stored_in_the_file(sqlite_store, sqlite_path):
    sqlite_store.engine.dispose()

    with sqlite3.connect(sqlite_path) as con:  # a plain connection, without the app's pragmas
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_note_for_a_visit_that_does_not_exist_is_rejected_by_the_database(store, patient_id):
    with store.writing() as session:
        session.add(ContextNote(patient_id=patient_id, visit_id=12345, kind=NoteKind.social, text="x", author="y"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_data_survives_reopening(store, db_path, visit_id):
    notes.add_note(store, visit_id, "social", "Søren's dog is called Bjørn", "Nurse")
    store.engine.dispose()

    reopened = open_store(str(db_path))
    try:
        assert [n.text for n in notes.notes_for_visit(reopened, visit_id)] == ["Søren's dog is called Bjørn"]
    finally:
        reopened.engine.dispose()


@pytest.mark.parametrize("content", [b"my shopping list\nmilk\neggs\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"hi"])
def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    path.chmod(0o644)

    with pytest.raises(CompanionError, match="not a SQLite database"):
        open_store(str(path))

    assert path.read_bytes() == content
    assert mode(path) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["notes.txt"]


def test_a_folder_given_as_the_database_is_refused(tmp_path):
    with pytest.raises(CompanionError, match="folder"):
        open_store(str(tmp_path))
