"""`export --fhir PATH` never clobbers: not the database, not its side files, backups or files kept aside, not a
device, and not an existing file unless --force; what it writes is whole and owner-only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from companion.storage.backups import daily_backup
from tests.companion.conftest import _row_counts

FORCED = ["--force"]


@pytest.fixture
def clinic(tmp_path, cli):
    """A demo clinic in a SQLite file, with a backup and a file kept aside beside it."""
    path = tmp_path / "clinic.sqlite3"
    assert cli("demo", "--db", path)[0] == 0
    daily_backup(path, date(2026, 1, 1))
    (tmp_path / "clinic.sqlite3.damaged-20260101-120000").write_bytes(b"kept for an expert")
    (tmp_path / "clinic.sqlite3.before-0003-20260101-120000.bak").write_bytes(b"before an upgrade")
    return path


def fingerprint(folder) -> dict[str, object]:
    """The database's rows, and every other file's bytes and mode, to prove nothing was touched. (SQLite itself
    rewrites the -wal and -shm files whenever the database is opened.)"""
    database = folder / "clinic.sqlite3"
    found: dict[str, object] = {"rows": _row_counts(database)}
    for path in sorted(folder.rglob("*")):
        if path.name in ("clinic.sqlite3-wal", "clinic.sqlite3-shm") or not path.is_file():
            continue
        if os.path.samefile(path, database):  # the database itself, or a link to it: its rows are compared
            found[str(path)] = "the database"
        else:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)
    found["database"] = oct(database.stat().st_mode)
    return found


def export(cli, clinic, target, *extra):
    return cli("export", "1", "--fhir", target, "--db", clinic, *extra)


@pytest.mark.parametrize("extra", [[], FORCED], ids=["plain", "forced"])
@pytest.mark.parametrize(
    "name",
    [
        "clinic.sqlite3",
        "clinic.sqlite3-wal",
        "clinic.sqlite3-shm",
        "clinic.sqlite3.damaged-20260101-120000",
        "clinic.sqlite3.before-0003-20260101-120000.bak",
        "clinic.sqlite3.replaced-20260101-120000-2",
        "clinic.sqlite3.restoring",
        "backups/clinic.sqlite3.2026-01-01.bak",
        "backups/anything.json",
    ],
)
def test_the_database_and_what_belongs_to_it_are_never_overwritten(cli, clinic, name, extra):
    target = clinic.parent / name
    target.touch(exist_ok=True)
    before = fingerprint(clinic.parent)

    code, out, err = export(cli, clinic, target, *extra)

    assert code != 0 and out == "" and err.count("\n") == 1
    assert "never overwritten" in err
    assert fingerprint(clinic.parent) == before


@pytest.mark.parametrize("name", ["preferences.json", "content/sensitive.toml", "content/new.toml"])
def test_the_apps_own_folder_is_never_written_even_when_forced(cli, clinic, companion_home, name):
    """Its preferences and the clinic's content (a privacy list put there would be read at the next start)."""
    target = companion_home / name
    target.parent.mkdir(parents=True, exist_ok=True)  # a --db clinic makes no data folder of its own
    if name != "content/new.toml":
        target.write_text("# kept\n", encoding="utf-8")

    code, out, err = export(cli, clinic, target, *FORCED)

    assert code != 0 and out == "" and "the app's own folder" in err
    assert (target.read_text(encoding="utf-8") == "# kept\n") if name != "content/new.toml" else not target.exists()


@pytest.mark.parametrize("folder", ["exports", ""], ids=["a folder in it", "the folder itself (a shared home)"])
def test_a_folder_the_clinic_makes_in_the_apps_folder_takes_exports(cli, clinic, companion_home, folder):
    exports = companion_home / folder
    exports.mkdir(parents=True, exist_ok=True)
    code, _out, err = export(cli, clinic, exports / "visit.json")
    assert code == 0, err
    assert (exports / "visit.json").is_file()


def test_a_link_to_the_database_is_refused_too(cli, clinic, tmp_path):
    soft, hard = tmp_path / "visit.json", tmp_path / "other.json"
    soft.symlink_to(clinic)
    os.link(clinic, hard)
    before = fingerprint(clinic.parent)

    for target in (soft, hard):
        code, _out, err = export(cli, clinic, target, *FORCED)
        assert code != 0 and "never overwritten" in err
    assert fingerprint(clinic.parent) == before


@pytest.mark.parametrize(
    "name", ["elsewhere.sqlite3.damaged-20261201-080000", "elsewhere.sqlite3.replaced-20261201-080000-2"]
)
@pytest.mark.parametrize("command", ["export", "db backup"])
def test_a_file_another_database_kept_aside_is_never_overwritten_even_zeroed_and_forced(
    cli, clinic, tmp_path, name, command
):
    """What a restore put aside is the only copy of what was saved after the backup it restored; a crash often
    leaves it without SQLite's first bytes (here all zeros), so its name alone protects it, from any database's
    commands."""
    kept = tmp_path / "elsewhere" / name
    kept.parent.mkdir()
    kept.write_bytes(bytes(4096 * 3))

    if command == "export":
        code, out, err = export(cli, clinic, kept, *FORCED)
    else:
        code, out, err = cli("db", "backup", "--to", kept, "--force", "--db", clinic)

    assert code != 0 and out == "" and err.count("\n") == 1 and "kept aside by a restore" in err
    assert kept.read_bytes() == bytes(4096 * 3)


@pytest.mark.parametrize("part", ["database", "log", "shared memory", "journal"])
def test_another_database_of_the_app_is_never_overwritten_even_when_forced(cli, clinic, tmp_path, part):
    """This workstation's default database, another clinic's, a backup moved elsewhere: each is told by its own
    first bytes (or, for the -shm file, by the database beside it), whatever its name."""
    other = tmp_path / "elsewhere" / "companion.sqlite3"
    other.parent.mkdir()
    assert cli("demo", "--db", other)[0] == 0
    with sqlite3.connect(other) as connection:  # a log that stays: the connection is never checkpointed away
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("UPDATE patient SET pronouns = pronouns")
        target = {
            "database": other,
            "log": Path(f"{other}-wal"),
            "shared memory": Path(f"{other}-shm"),
            "journal": tmp_path / "elsewhere" / "old.sqlite3-journal",
        }[part]
        if part == "journal":
            target.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
        assert target.is_file() and target.stat().st_size > 0
        before = target.read_bytes()

        code, out, err = export(cli, clinic, target, *FORCED)

        assert code != 0 and out == "" and err.count("\n") == 1 and "never overwritten" in err
        assert target.read_bytes() == before


@pytest.mark.parametrize("side", ["-wal", "-shm", "-journal"])
def test_the_log_of_another_database_is_never_written_even_empty_or_not_there_yet(cli, clinic, tmp_path, side):
    """A WAL database merely opened has an empty -wal, with no bytes to tell it by: written over while another
    program holds the database open, it made that database "malformed" for every desk (the twelfth attack)."""
    other = tmp_path / "elsewhere" / "clinic-b.sqlite3"
    other.parent.mkdir()
    assert cli("demo", "--db", other)[0] == 0
    with sqlite3.connect(other) as holding:
        holding.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        holding.execute("SELECT count(*) FROM patient").fetchone()  # open and read: the log is there and empty
        target = Path(f"{other}{side}")
        assert side != "-wal" or target.stat().st_size == 0
        existed = target.exists()
        before = target.read_bytes() if existed else None

        code, out, err = export(cli, clinic, target, *FORCED)

        assert code != 0 and out == "" and err.count("\n") == 1 and "never overwritten" in err
        assert (target.read_bytes() if target.exists() else None) == before
        holding.execute("UPDATE patient SET pronouns = pronouns")
    with sqlite3.connect(other) as later:
        assert later.execute("PRAGMA quick_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_a_device_or_a_pipe_is_never_written_even_when_forced(cli, clinic, tmp_path, kind):
    if kind == "device":
        target = "/dev/null"
    else:
        target = tmp_path / "fifo"
        os.mkfifo(target)

    code, _out, err = export(cli, clinic, target, *FORCED)

    assert code != 0 and "not a plain file" in err and err.count("\n") == 1


def test_an_existing_file_is_replaced_only_with_force_and_then_owner_only(cli, clinic, tmp_path):
    target = tmp_path / "out" / "visit.json"
    target.parent.mkdir()
    target.write_text("the clinic's own notes")
    target.chmod(0o644)

    code, _out, err = export(cli, clinic, target)
    assert code != 0 and "the file exists, left as it is" in err and "--force" in err
    assert target.read_text() == "the clinic's own notes"

    code, out, err = export(cli, clinic, target, *FORCED)
    assert code == 0, err
    assert target.read_text().startswith("{") and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["visit.json"]  # no partial file beside it


def test_a_new_file_is_written_whole_and_owner_only(cli, clinic, tmp_path):
    target = tmp_path / "new.json"
    code, out, err = export(cli, clinic, target)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and "visit 1 exported" in out


@pytest.mark.parametrize("name", ["v" * 245 + ".json", "é" * 122 + ".json"], ids=["ascii", "two-byte letters"])
def test_a_name_as_long_as_a_name_can_be_is_written(cli, clinic, tmp_path, name):
    """The file is written beside its target under a name of its own first: that name must fit too."""
    target = tmp_path / name
    assert len(os.fsencode(target.name)) <= 255

    code, _out, err = export(cli, clinic, target)

    assert code == 0, err
    assert target.read_bytes().startswith(b"{") and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.parametrize(
    "command",
    [
        ["export", "1", "--fhir", "{loop}"],
        ["handout", "1", "--ics", "{loop}"],
        ["db", "backup", "--to", "{loop}"],
        ["patients", "--db", "{loop}"],
        ["import", "{loop}"],
    ],
    ids=["export", "reminder", "backup", "database", "import"],
)
def test_a_loop_of_links_is_named_as_one_and_nothing_is_written(cli, clinic, tmp_path, command):
    """Two links that point at each other lead nowhere: the command says so in a line the user can act on,
    where it had stopped as "an unexpected problem" with exit code 70."""
    loops = tmp_path / "links"
    loops.mkdir()
    (loops / "a").symlink_to(loops / "b")
    (loops / "b").symlink_to(loops / "a")
    before = fingerprint(clinic.parent)
    argv = [str(loops / "a") if part == "{loop}" else part for part in command]
    if "--db" not in argv:
        argv += ["--db", clinic]

    code, _out, err = cli(*argv)

    assert code == 2
    assert f"{loops / 'a'} is a loop of symbolic links" in err
    assert "unexpected" not in err
    assert fingerprint(clinic.parent) == before


def test_files_whose_audit_entry_cannot_be_written_are_never_put_in_place(tmp_path):
    """A patient's facts leave the app only on the record: an export or a reminder is written beside its target,
    then its audit entry, and only then put in place. When that entry cannot be written (a read-only database, a
    full disk), no file appears, a file --force would have replaced keeps what it held, nothing half-made is left
    beside them, and the failure goes on to the command's one line."""
    from companion.errors import DatabaseUnusable
    from companion.services.output_files import write_files

    (tmp_path / "a").write_bytes(b"last week's export")

    def unrecorded() -> None:
        raise DatabaseUnusable("attempt to write a readonly database")

    contents = {tmp_path / "a": b"the patient's facts", tmp_path / "b": b"the patient's facts"}
    with pytest.raises(DatabaseUnusable):
        write_files(contents, force=True, database=None, recorded=unrecorded)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert (tmp_path / "a").read_bytes() == b"last week's export"

    recorded = []
    write_files(contents, force=True, database=None, recorded=lambda: recorded.append(len(list(tmp_path.iterdir()))))
    assert recorded == [3]  # when recorded, the old file and the two new ones beside their targets: none in place yet
    assert [(tmp_path / name).read_bytes() for name in "ab"] == [b"the patient's facts"] * 2
