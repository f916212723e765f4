"""Daily backups of a SQLite database, and a damaged file: a clear one-line error naming the backup, then
`companion db restore` puts it back and keeps the damaged file aside. Real files, real processes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.demo import seed_demo
from companion.errors import CompanionError
from companion.storage.backups import (
    KEEP,
    _held_by_lock_request,
    backups_of,
    daily_backup,
    latest_backup,
    refuse_while_open_elsewhere,
    restore_latest,
)
from companion.storage.store import open_store
from tests.disks import small_disk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clinic(demo_file: Path) -> Path:
    return demo_file


def companion(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DB"}
    env.update(COMPANION_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "companion", *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def visits_today(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM visit").fetchone()[0]


def test_one_backup_a_day_owner_only_in_a_backups_folder(clinic):
    made = daily_backup(clinic)
    assert made is not None and made.parent == clinic.parent / "backups"
    assert daily_backup(clinic) is None  # today's exists: not made twice
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    assert visits_today(made) == visits_today(clinic)
    with sqlite3.connect(made) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # one self-contained file


def test_the_last_seven_days_are_kept(clinic):
    first = date(2026, 1, 1)
    for offset in range(10):
        daily_backup(clinic, first + timedelta(days=offset))
    kept = backups_of(clinic)
    assert len(kept) == KEEP
    assert [p.name.split(".")[-2] for p in kept] == [(first + timedelta(days=d)).isoformat() for d in range(9, 2, -1)]


def test_an_upgrades_copy_goes_after_the_days_backups_are_kept(clinic):
    """A schema upgrade copies the whole database beside it; the retention's purges never reach that copy, so it
    goes once a week of daily backups stands in for it. Files the app did not name so stay."""
    today = date(2026, 3, 20)
    old = clinic.with_name(f"{clinic.name}.before-0012-20260312-090000.bak")
    recent = clinic.with_name(f"{clinic.name}.before-0013-20260318-174501.bak")
    other = clinic.with_name(f"{clinic.name}.before-keep-this.bak")  # not a stamp the app writes
    training = clinic.with_name(f"{clinic.name}.training.before-0012-20260101-090000.bak")  # another database's
    for path in (old, recent, other, training):
        path.write_bytes(b"copy")

    daily_backup(clinic, today)

    assert not old.exists()
    assert recent.exists() and other.exists() and training.exists()
    daily_backup(clinic, date(2026, 3, 25))
    assert not recent.exists()


def test_a_training_copy_beside_the_clinic_keeps_its_backups_apart(clinic, companion_home):
    """`clinic.sqlite3.training` starts with the clinic's name: its backups are neither restored into the clinic
    nor counted among the clinic's seven (which would delete the clinic's own as they are made)."""
    training = clinic.with_name(clinic.name + ".training")
    store = open_store(str(training))
    seed_demo(store)
    store.engine.dispose()
    with sqlite3.connect(training) as connection:
        connection.execute("DELETE FROM visit")  # the training copy has another day than the clinic
    first = date(2026, 1, 1)
    for offset in range(KEEP):
        daily_backup(training, first + timedelta(days=offset))
    clinics_own = daily_backup(clinic, first + timedelta(days=KEEP - 1))

    assert backups_of(clinic) == [clinics_own] and clinics_own.exists()
    assert len(backups_of(training)) == KEEP
    count = visits_today(clinic)
    truncate(clinic)
    result = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert result.returncode == 0, result.stderr
    assert clinics_own.name in result.stdout and ".training." not in result.stdout
    assert visits_today(clinic) == count > 0


def test_a_file_that_only_looks_like_a_backup_is_not_one(clinic):
    folder = clinic.parent / "backups"
    daily_backup(clinic, date(2026, 3, 1))
    for name in ("2026-W10-1", "20260302", "2026-03-02.old", "latest"):
        (folder / f"{clinic.name}.{name}.bak").write_bytes(b"")
    assert [p.name for p in backups_of(clinic)] == [f"{clinic.name}.2026-03-01.bak"]


def test_a_file_only_named_like_a_backup_never_pushes_a_real_one_out(clinic):
    """Another program's file, or an export written there, named as a day's backup: not counted among the KEEP
    kept, so the oldest real backup stays."""
    folder = clinic.parent / "backups"
    oldest = daily_backup(clinic, date(2026, 3, 1))
    for day in range(2, 2 + KEEP):
        (folder / f"{clinic.name}.2026-03-{day:02d}.bak").write_text('{"resourceType": "Bundle"}')
    daily_backup(clinic, date(2026, 3, 20))
    assert oldest.exists() and len(backups_of(clinic)) == KEEP + 2  # and the look-alikes are not the app's to remove


def test_a_backup_is_consistent_while_another_process_writes(clinic):
    writer = sqlite3.connect(clinic)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE patient SET pronouns = 'not yet committed'")
    made = daily_backup(clinic)
    writer.rollback()
    writer.close()
    with sqlite3.connect(made) as connection:
        unsaved = connection.execute("SELECT count(*) FROM patient WHERE pronouns = 'not yet committed'")
        assert unsaved.fetchone() == (0,)  # only what was committed is in the backup


_BACKUP_AT = (
    "import sys, time; from datetime import date; from pathlib import Path; "
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time())); "
    "from companion.storage.backups import daily_backup; "
    "made = daily_backup(Path(sys.argv[2]), date.fromisoformat(sys.argv[3])); print('made' if made else 'there')"
)


def test_desks_starting_together_each_make_or_find_the_days_backup(clinic):
    """Three windows starting at the same moment on a shared file each make today's backup: one name for their
    copies in progress had each remove the copy another was writing (no backup, and "disk I/O error" on
    screen). One of them makes it; the others find it made, never put their own over it (attack round 33: two or
    three each said "backed up", each copy replacing the last)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for offset in range(4):
        day = date(2026, 3, 1) + timedelta(days=offset)
        start = f"{time.time() + 2:.3f}"
        desks = [
            subprocess.Popen(
                [sys.executable, "-c", _BACKUP_AT, start, str(clinic), day.isoformat()],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for _ in range(3)
        ]
        said = []
        for desk in desks:
            out, err = desk.communicate(timeout=120)
            assert desk.returncode == 0 and out.strip() in ("made", "there"), err[-1500:]
            said.append(out.strip())
        assert said.count("made") == 1
        made = clinic.parent / "backups" / f"{clinic.name}.{day.isoformat()}.bak"
        with sqlite3.connect(made) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert visits_today(made) == visits_today(clinic)
    assert not list((clinic.parent / "backups").glob("*.partial"))


def test_a_backup_another_desk_finished_while_this_one_copied_is_kept_as_it_is(clinic, monkeypatch):
    """The check for today's backup comes before the copy, which takes a minute in a large clinic: a desk that
    finishes first in the meantime keeps its backup, and this desk's copy is dropped, not put over it."""
    import companion.storage.backups as backups

    real_copy = backups.copy_whole
    target = backups.todays_backup(clinic)
    theirs = []

    def copy_while_another_desk_finishes(database: Path, partial: Path) -> None:
        real_copy(database, partial)
        monkeypatch.setattr(backups, "copy_whole", real_copy)  # the other desk copies as usual, and is done first
        daily_backup(clinic)
        theirs.append(target.stat().st_ino)

    monkeypatch.setattr(backups, "copy_whole", copy_while_another_desk_finishes)

    assert daily_backup(clinic) is None
    assert target.stat().st_ino == theirs[0]
    assert not list(target.parent.glob("*.partial"))


def test_a_copy_an_interrupted_backup_left_goes_and_one_in_progress_stays(clinic):
    folder = clinic.parent / "backups"
    folder.mkdir(mode=0o700)
    today = date.today()
    left = folder / f"{clinic.name}.{today.isoformat()}.bak.4242.partial"
    writing = folder / f"{clinic.name}.{today.isoformat()}.bak.4343.partial"  # another desk's, this very moment
    earlier = folder / f"{clinic.name}.{(today - timedelta(days=3)).isoformat()}.bak.partial"  # an earlier version's
    anothers = folder / f"notes.{(today - timedelta(days=3)).isoformat()}.bak.partial"  # not this database's
    for path in (left, writing, earlier, anothers):
        path.write_bytes(b"half a copy")
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (left, earlier, anothers):
        os.utime(path, (two_days_ago, two_days_ago))

    assert daily_backup(clinic, today) is not None
    assert not left.exists() and not earlier.exists()
    assert writing.exists() and anothers.exists()


def test_a_backup_given_as_the_database_is_left_as_it_is(clinic, companion_home):
    """`--db` pointed at a backup to look at yesterday: even a listing wrote its audit entry into it, so it was
    no longer what the day held, and a restore would have put the changed file back."""
    made = daily_backup(clinic)
    aside = clinic.with_name(f"{clinic.name}.replaced-20261201-101500")
    aside.write_bytes(made.read_bytes())
    for kept in (made, aside):
        before = kept.read_bytes()
        looked = companion("visits", "--db", str(kept), home=companion_home)
        assert looked.returncode == 2 and "is a copy the app keeps of a database" in looked.stderr
        assert kept.read_bytes() == before
        assert not Path(f"{kept}-wal").exists()
    copy = clinic.with_name("yesterday.sqlite3")
    shutil.copyfile(made, copy)
    assert companion("visits", "--db", str(copy), home=companion_home).returncode == 0  # a copy opens as usual


def truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def test_a_truncated_database_gets_a_one_line_error_naming_the_backup(clinic, companion_home):
    backup = daily_backup(clinic)
    truncate(clinic)
    damaged_bytes = clinic.read_bytes()
    result = companion("visits", "--db", str(clinic), home=companion_home)
    assert result.returncode == 1  # the database, not the command (2 is for a mistake in the command)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "is damaged" in result.stderr
    assert str(backup) in result.stderr
    assert "companion db restore" in result.stderr
    assert clinic.read_bytes() == damaged_bytes  # nothing written over it


def test_db_restore_puts_the_backup_back_and_keeps_the_damaged_file_aside(clinic, companion_home):
    daily_backup(clinic)
    count = visits_today(clinic)
    truncate(clinic)
    damaged_bytes = clinic.read_bytes()

    result = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert result.returncode == 0, result.stderr
    kept = [p for p in clinic.parent.glob(f"{clinic.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes  # its side files went aside with it
    assert "restored" in result.stdout and kept[0].name in result.stdout
    assert stat.S_IMODE(clinic.stat().st_mode) & 0o077 == 0

    listed = companion("visits", "--db", str(clinic), "--date", date.today().isoformat(), home=companion_home)
    assert listed.returncode == 0, listed.stderr
    assert visits_today(clinic) == count
    audit = json.loads(companion("audit", "--json", "--db", str(clinic), home=companion_home).stdout)
    assert [e["detail"] for e in audit if e["action"] == "restore"] == [f"from {latest_backup(clinic).name}"]


def test_a_corrupted_page_is_caught_too(clinic, companion_home):
    daily_backup(clinic)
    with clinic.open("r+b") as handle:  # overwrite the schema page after the header: SQLite calls it malformed
        handle.seek(100)
        handle.write(b"\xff" * 3000)
    result = companion("visits", "--db", str(clinic), home=companion_home)
    assert result.returncode != 0 and result.stderr.count("\n") == 1
    assert "damaged" in result.stderr and "companion db restore" in result.stderr


def test_a_damaged_data_page_met_by_a_later_read_gets_the_same_advice(clinic, companion_home):
    """Damage past the schema page opens fine and fails only when a command reads or writes there: the one line
    still names the latest backup and `companion db restore`, not SQLite's bare words."""
    backup = daily_backup(clinic)
    with clinic.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    for command in (["visits", "--all"], ["patients"], ["priority", "add", "1", "--text", "hello"]):
        result = companion(*command, "--db", str(clinic), home=companion_home)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, (command, result.stderr)
        assert (
            "is damaged" in result.stderr and str(backup) in result.stderr and "companion db restore" in result.stderr
        )


def test_without_a_backup_the_damaged_file_is_left_alone(clinic, companion_home):
    truncate(clinic)
    assert not Path(f"{clinic}-wal").exists()
    result = companion("visits", "--db", str(clinic), home=companion_home)
    assert "no backup" in result.stderr and result.stderr.count("\n") == 1
    assert "left untouched" in result.stderr
    # Untouched means nothing beside it either: no empty -wal and -shm, as if a program had it open.
    assert sorted(p.name for p in clinic.parent.iterdir() if p.name.startswith(clinic.name)) == [clinic.name]
    restore = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert restore.returncode != 0 and "no backup" in restore.stderr
    assert [p.name for p in clinic.parent.iterdir() if ".damaged-" in p.name] == []


def test_a_damaged_database_does_not_replace_the_good_backups(clinic):
    daily_backup(clinic, date(2026, 1, 1))
    with clinic.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\x00\xff" * 4096)
    with pytest.raises(CompanionError, match="looks damaged"):
        daily_backup(clinic, date(2026, 1, 2))
    assert [p.name for p in backups_of(clinic)] == [f"{clinic.name}.2026-01-01.bak"]


def test_two_restores_in_one_second_keep_both_damaged_files(clinic):
    daily_backup(clinic)
    while time.time() % 1 > 0.5:  # both restores in the same second: the stamp alone would be the same
        time.sleep(0.05)
    kept = []
    for damaged in (b"\0" * 4096, b"\xff" * 4096):
        clinic.write_bytes(damaged)
        kept.append(restore_latest(clinic).kept_aside)
    assert kept[0] != kept[1]
    assert [p.read_bytes() for p in kept] == [b"\0" * 4096, b"\xff" * 4096]  # the first is not overwritten
    assert visits_today(clinic) > 0


def test_db_restore_leaves_a_healthy_database_alone_unless_forced(clinic, companion_home):
    daily_backup(clinic)
    with closing(sqlite3.connect(clinic)) as connection, connection:  # today's work, not in the backup
        connection.execute("UPDATE patient SET pronouns = 'they/them'")
    before = clinic.read_bytes()

    refused = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1
    assert "passes SQLite's check" in refused.stderr and "--force" in refused.stderr
    assert clinic.read_bytes() == before and not list(clinic.parent.glob("*.replaced-*"))

    forced = companion("db", "restore", "--force", "--db", str(clinic), home=companion_home)
    assert forced.returncode == 0, forced.stderr
    kept = [p for p in clinic.parent.glob(f"{clinic.name}.replaced-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1  # today's file is kept aside, today's work in it, not lost
    with closing(sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True)) as aside:
        assert aside.execute("SELECT count(*) FROM patient WHERE pronouns = 'they/them'").fetchone()[0] > 0


def test_another_databases_copy_in_the_backups_folder_is_never_restored_over_the_clinic(clinic, companion_home):
    """A training database's copy, put in the backups folder under the clinic's name (by hand, a careless script),
    replaced the whole clinic with `db restore --force` (attack round 33), though `db backup --to` already told the
    two apart. Passed over as another database's: the clinic's own older backup comes back, and with none left
    nothing moves."""
    training = clinic.with_name("training.sqlite3")
    store = open_store(str(training))
    seed_demo(store)
    store.engine.dispose()
    own = daily_backup(clinic, date.today() - timedelta(days=1))
    stranger = clinic.parent / "backups" / f"{clinic.name}.{date.today().isoformat()}.bak"
    shutil.copy(training, stranger)
    stranger.chmod(0o600)
    assert latest_backup(clinic) == stranger

    restored = restore_latest(clinic, aside_as="replaced")
    assert (restored.backup, restored.passed_over) == (own, (stranger,))

    own.unlink()
    before = clinic.read_bytes()
    refused = companion("db", "restore", "--force", "--db", str(clinic), home=companion_home)
    assert refused.returncode != 0 and "is another database's" in refused.stderr
    assert clinic.read_bytes() == before


def test_a_file_of_zeros_with_backups_is_damage_and_a_foreign_file_is_still_refused(clinic, companion_home, tmp_path):
    backup = daily_backup(clinic)
    clinic.write_bytes(b"\0" * clinic.stat().st_size)
    result = companion("visits", "--db", str(clinic), home=companion_home)
    assert result.stderr.count("\n") == 1 and "is damaged" in result.stderr and str(backup) in result.stderr

    letter = tmp_path / "letter.sqlite3"
    letter.write_text("Dear Dr. Okafor\n")
    result = companion("visits", "--db", str(letter), home=companion_home)
    assert "not a SQLite database (left untouched)" in result.stderr
    assert letter.read_text() == "Dear Dr. Okafor\n"


def test_a_missing_database_with_backups_beside_it_is_not_made_anew_and_db_restore_puts_it_back(clinic, companion_home):
    backup = daily_backup(clinic)
    count = visits_today(clinic)
    clinic.unlink()

    result = companion("visits", "--db", str(clinic), home=companion_home)
    assert result.returncode != 0 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "is missing" in result.stderr and "companion db restore" in result.stderr
    assert not clinic.exists() and backups_of(clinic) == [backup]  # nothing made, no backup pushed out

    restore = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert restore.returncode == 0, restore.stderr
    assert restore.stdout == f"restored {clinic} from {backup}\n"
    assert visits_today(clinic) == count


def test_a_log_left_by_the_missing_file_is_set_aside_not_played_into_the_backup_put_back(clinic, companion_home):
    """The file deleted, its `-wal` left (a window that crashed): SQLite would play that log into the backup put back
    in the file's place, and spoil it."""
    backup = daily_backup(clinic)
    count = visits_today(clinic)
    with closing(sqlite3.connect(clinic)) as connection:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        with connection:
            connection.execute("UPDATE visit SET reason = 'moved'")
        shutil.copy(f"{clinic}-wal", f"{clinic}.left-wal")  # the log as a crash leaves it, before closing folds it
    clinic.unlink()
    Path(f"{clinic}-shm").unlink(missing_ok=True)
    os.replace(f"{clinic}.left-wal", f"{clinic}-wal")

    restore = companion("db", "restore", "--db", str(clinic), home=companion_home)

    assert restore.returncode == 0, restore.stderr
    assert restore.stdout == f"restored {clinic} from {backup}\n"
    assert not Path(f"{clinic}-wal").exists() or Path(f"{clinic}-wal").stat().st_size == 0
    assert len(list(clinic.parent.glob(f"{clinic.name}.damaged-*-wal"))) == 1  # kept aside, for an expert
    assert visits_today(clinic) == count
    with closing(sqlite3.connect(clinic)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM visit WHERE reason = 'moved'").fetchone() == (0,)


def test_a_missing_file_whose_log_is_left_is_not_made_anew_from_that_log(tmp_path, companion_home):
    """No backup yet, the file gone, its `-wal` left: a new file would take the lost one's pages from the log."""
    clinic = tmp_path / "clinic.sqlite3"
    with closing(sqlite3.connect(clinic)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")
        with connection:
            connection.execute("CREATE TABLE kept (words TEXT)")
            connection.execute("INSERT INTO kept VALUES ('from the lost file')")
        shutil.copy(f"{clinic}-wal", tmp_path / "left-wal")
    clinic.unlink()
    os.replace(tmp_path / "left-wal", f"{clinic}-wal")

    result = companion("visits", "--db", str(clinic), home=companion_home)

    assert result.returncode != 0 and result.stderr.count("\n") == 1
    assert "is missing, but its log (clinic.sqlite3-wal) is still beside it" in result.stderr
    assert not clinic.exists()


def test_an_empty_file_where_backups_exist_is_restored_without_force(clinic, companion_home):
    """Called damaged at start ("it is empty"), so `db restore` must not then call it healthy and ask for --force."""
    daily_backup(clinic)
    count = visits_today(clinic)
    clinic.write_bytes(b"")
    assert "is damaged (it is empty)" in companion("visits", "--db", str(clinic), home=companion_home).stderr

    restore = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert restore.returncode == 0, restore.stderr
    kept = [p for p in clinic.parent.glob(f"{clinic.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert [p.stat().st_size for p in kept] == [0]  # the empty file, kept aside
    assert visits_today(clinic) == count


def test_db_restore_says_why_backups_in_a_folder_others_can_change_are_not_used(clinic, companion_home):
    backup = daily_backup(clinic)
    truncate(clinic)
    damaged_bytes = clinic.read_bytes()
    backup.parent.chmod(0o777)

    refused = companion("db", "restore", "--db", str(clinic), home=companion_home)
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1
    assert "can be changed by other users" in refused.stderr and "chmod 700" in refused.stderr
    assert "no backup" not in refused.stderr and clinic.read_bytes() == damaged_bytes

    backup.parent.chmod(0o700)
    assert companion("db", "restore", "--db", str(clinic), home=companion_home).returncode == 0


def test_a_read_only_disk_is_named_not_the_drivers_words(clinic, companion_home, tmp_path):
    with small_disk(tmp_path, 8, holding=clinic, read_only=True) as mount:
        result = companion("visits", "--db", str(mount / clinic.name), home=companion_home)
    assert result.returncode != 0 and result.stderr.count("\n") == 1
    assert "read-only" in result.stderr and str(mount) in result.stderr


def test_a_full_disk_during_a_backup_is_said_in_one_line_not_reported_as_a_fault(clinic, companion_home, tmp_path):
    """A nightly `db backup --to` must tell a full disk from a fault of the app (exit 70, "please report it")."""
    with small_disk(tmp_path, 1) as mount:
        room = os.statvfs(mount)
        (mount / "filler").write_bytes(bytes(room.f_bavail * room.f_frsize - 64 * 1024))  # less room than a clinic
        result = companion("db", "backup", "--db", str(clinic), "--to", str(mount / "nightly.sqlite3"),
                           home=companion_home)  # fmt: skip
        left = sorted(p.name for p in mount.iterdir())
    assert result.returncode not in (0, 70) and result.stderr.count("\n") == 1, result.stderr
    assert "full" in result.stderr and "report" not in result.stderr
    assert left == ["filler"]  # no half-written copy


def test_a_path_with_a_line_break_or_escape_is_told_on_one_line_as_typed(clinic, companion_home, tmp_path):
    """A folder name holding a line break or a terminal escape printed raw split the success line in two (a script
    reading it saw a second line of its own) or could set the terminal's title and colours."""
    folder = tmp_path / "night\nly\x1b]0;done\x07"
    folder.mkdir()
    result = companion("db", "backup", "--db", str(clinic), "--to", str(folder / "copy.sqlite3"), home=companion_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "\x1b" not in result.stdout
    assert "night\\x0aly\\x1b]0;done\\x07" in result.stdout
    assert (folder / "copy.sqlite3").is_file()


HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("holding", flush=True)
sys.stdin.readline()
"""


@contextmanager
def held_open_elsewhere(database: Path) -> Iterator[None]:
    """Another program (a window on another workstation) with the file open and idle between two reads. In a
    process of its own: POSIX locks belong to a process, and this one reads the file's bytes."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def test_db_restore_is_refused_while_a_window_still_has_the_file_open(clinic, companion_home):
    """A window open on another workstation would go on saving into the file set aside: its saves would be lost
    from the restored one. The restore waits until nobody has the file open."""
    daily_backup(clinic)
    before = clinic.read_bytes()
    with held_open_elsewhere(clinic):
        refused = companion("db", "restore", "--force", "--db", str(clinic), home=companion_home)
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "open in a window or another program" in refused.stderr and "nothing was changed" in refused.stderr
    assert clinic.read_bytes() == before and not list(clinic.parent.glob("*.replaced-*"))

    # The window closed: now the backup goes back.
    assert companion("db", "restore", "--force", "--db", str(clinic), home=companion_home).returncode == 0
    assert list(clinic.parent.glob(f"{clinic.name}.replaced-*"))  # whole, so kept aside as replaced


def test_a_damaged_file_another_program_holds_open_is_not_replaced_under_it(clinic):
    daily_backup(clinic)
    with clinic.open("r+b") as handle:  # a page further in goes bad; the header still reads
        handle.seek(4096 * 3)
        handle.write(b"\x00\xff" * 4096)
    with held_open_elsewhere(clinic):
        with pytest.raises(CompanionError, match="open in a window or another program"):
            restore_latest(clinic)
        assert not list(clinic.parent.glob("*.damaged-*"))
    assert restore_latest(clinic).kept_aside is not None  # once let go, the backup goes back
    assert visits_today(clinic) > 0


EXCLUSIVE_PROBE = """
import sqlite3, sys
probe = sqlite3.connect(f"file:{sys.argv[1]}?mode=rw", uri=True, isolation_level=None, timeout=0)
probe.execute("PRAGMA locking_mode=EXCLUSIVE")
try:
    probe.execute("BEGIN IMMEDIATE")
    print("free")
except sqlite3.OperationalError:
    print("held")
"""


def test_the_check_leaves_this_processs_own_hold_on_the_file_as_it_was(clinic):
    """Asking never opens the file: closing any descriptor of it would drop every POSIX lock this process's
    SQLite connections hold, and another program could then write under them."""
    own = sqlite3.connect(clinic, isolation_level=None)
    own.execute("PRAGMA journal_mode=WAL")
    own.execute("SELECT count(*) FROM visit").fetchone()
    try:
        refuse_while_open_elsewhere(clinic)  # this process's own connection is not somebody else's
        probe = subprocess.run([sys.executable, "-c", EXCLUSIVE_PROBE, str(clinic)], capture_output=True, text=True)
        assert probe.stdout.strip() == "held", probe.stderr  # still held by this process
    finally:
        own.close()


def test_where_no_list_of_locks_exists_the_file_itself_is_asked(clinic):
    with held_open_elsewhere(clinic):
        assert _held_by_lock_request(clinic)
    assert not _held_by_lock_request(clinic)


CRASHED_WINDOW = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("UPDATE patient SET pronouns = 'xe/xem'")  # in the log only: never checkpointed
os._exit(0)  # the window crashed: its log stays beside the file
"""


def test_a_crashed_windows_log_is_set_aside_as_it_was(clinic):
    """The damaged file and its log are an expert's only copy of what came after the backup: set aside exactly as
    found, the log not folded into the file nor deleted."""
    daily_backup(clinic)
    subprocess.run([sys.executable, "-c", CRASHED_WINDOW, str(clinic)], check=True, timeout=60)
    log = Path(f"{clinic}-wal")
    assert log.stat().st_size > 0
    found = {"": clinic.read_bytes(), "-wal": log.read_bytes()}

    kept = restore_latest(clinic).kept_aside

    assert {suffix: Path(f"{kept}{suffix}").read_bytes() for suffix in found} == found
    assert visits_today(clinic) > 0


def test_a_restore_works_in_a_folder_whose_name_reads_as_a_uri(tmp_path):
    folder = tmp_path / "clinic?mode=memory#100%"
    folder.mkdir()
    database = folder / "companion.sqlite3"
    store = open_store(str(database))
    seed_demo(store)
    store.engine.dispose()
    daily_backup(database)
    database.write_bytes(b"\0" * 4096)
    assert restore_latest(database).kept_aside.read_bytes() == b"\0" * 4096
    assert visits_today(database) > 0


def test_a_backup_named_ahead_by_a_wrong_clock_is_not_restored_nor_keeps_newer_ones_out(clinic):
    """One day the workstation's clock said next year, and that day's backup is named for next year. Once the clock
    is right again, the newest real day's backup is the one a restore takes, and the one named ahead goes first."""
    today = date.today()
    ahead = daily_backup(clinic, today + timedelta(days=364))
    for back in range(KEEP, -1, -1):  # eight real days
        daily_backup(clinic, today - timedelta(days=back))

    assert latest_backup(clinic).name == f"{clinic.name}.{today.isoformat()}.bak"
    assert len(backups_of(clinic)) == KEEP and ahead not in backups_of(clinic) and not ahead.exists()


@pytest.mark.parametrize("newest", ["empty", "another program's", "a newer version's"])
def test_a_newest_backup_that_is_not_this_apps_database_replaces_nothing(clinic, tmp_path, newest):
    """An empty file passes SQLite's own check: restored, it came back as an empty clinic (the day's work set aside
    as "damaged"); another program's file took the database's place, and the refusal that followed said the file
    was left untouched (attack round 14). Checked before anything is moved."""
    daily_backup(clinic, date.today() - timedelta(days=2))
    fake = clinic.parent / "backups" / f"{clinic.name}.{(date.today() - timedelta(days=1)).isoformat()}.bak"
    if newest == "empty":
        fake.touch(mode=0o600)
    elif newest == "another program's":
        with sqlite3.connect(fake) as connection:
            connection.execute("CREATE TABLE invoices (n INTEGER)")
        connection.close()
    else:
        shutil.copy(latest_backup(clinic), fake)
        with sqlite3.connect(fake) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '0999'")
        connection.close()
    assert latest_backup(clinic) == fake
    older = backups_of(clinic)[1]
    before = clinic.read_bytes()

    restored = restore_latest(clinic)  # the newest backup that can be put back: the older, real one

    assert (restored.backup, restored.passed_over) == (older, (fake,))
    assert visits_today(clinic) == visits_today(restored.kept_aside)  # the clinic came back, not a stranger's file
    older.unlink()  # now only the stranger's file is left: nothing can be put back, and nothing moves
    after = clinic.read_bytes()
    with pytest.raises(CompanionError, match=r"none of the 1 backups .* not a database of this app at a version"):
        restore_latest(clinic)
    assert clinic.read_bytes() == after != before
    kept = [p for p in clinic.parent.glob(f"{clinic.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept == [restored.kept_aside]  # the second, refused restore set nothing aside


def test_a_damaged_newest_backup_is_passed_over_for_the_newest_whole_one(clinic, companion_home):
    """The clinic's newest backup is cut short too (the disk that damaged the database): `db restore` puts the
    newest whole one back, saying which newer ones it passed over, rather than refusing and leaving IT to copy
    yesterday's by hand (attack round 15)."""
    whole = daily_backup(clinic, date.today() - timedelta(days=1))
    count = visits_today(clinic)
    damaged_backup = daily_backup(clinic)
    truncate(damaged_backup)
    truncate(clinic)

    refused = companion("visits", "--db", str(clinic), home=companion_home)
    restored = companion("db", "restore", "--db", str(clinic), home=companion_home)

    assert f"the latest backup is {damaged_backup}" in refused.stderr  # a listing: checked only by the restore
    assert "to put back the newest backup that is whole" in refused.stderr  # so the advice holds all the same
    assert restored.returncode == 0, restored.stderr
    assert (
        f"from {whole}" in restored.stdout
        and f"passed over, as they could not be put back: {damaged_backup.name}" in restored.stdout
    )
    assert visits_today(clinic) == count


def test_a_restore_keeps_the_mode_it_replaces_and_a_healthy_file_is_not_called_damaged(clinic, companion_home):
    """A database the clinic's IT opened to a group stays open to it after a restore (the other accounts could
    no longer open it); a whole file replaced by --force is kept aside as replaced, not as damaged."""
    daily_backup(clinic)
    group = 4 if os.getuid() == 0 else os.getgid()  # as root: a group that is not this user's own (adm)
    os.chown(clinic, -1, group)
    os.chmod(clinic, 0o660)

    result = companion("db", "restore", "--force", "--db", str(clinic), home=companion_home)

    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(clinic.stat().st_mode) == 0o660 and clinic.stat().st_gid == group
    assert list(clinic.parent.glob(f"{clinic.name}.replaced-*")) and not list(clinic.parent.glob("*.damaged-*"))


def test_db_backup_makes_todays_backup_where_restore_finds_it_and_keeps_it_once_made(clinic, companion_home):
    """A workstation whose window is not opened every day still gets a backup from a scheduled command; made once,
    today's backup is kept as it is: what was done since (a purge regretted, an import gone wrong) may be what it
    has to undo."""
    made = companion("db", "backup", "--db", str(clinic), home=companion_home)
    assert made.returncode == 0, made.stderr
    [backup] = backups_of(clinic)
    assert str(backup) in made.stdout and stat.S_IMODE(backup.stat().st_mode) == 0o600
    before = backup.read_bytes()

    companion("visit", "cancel", "1", "--db", str(clinic), home=companion_home)
    again = companion("db", "backup", "--db", str(clinic), home=companion_home)
    assert again.returncode == 0 and "kept as it is" in again.stdout
    assert backup.read_bytes() == before
    assert companion("db", "backup", "--force", "--db", str(clinic), home=companion_home).returncode == 2
    audit = companion("audit", "--db", str(clinic), "--json", home=companion_home)
    assert [e["detail"] for e in json.loads(audit.stdout) if e["action"] == "backup"] == [backup.name]


def test_db_backup_to_a_file_copies_the_database_as_it_is_now_and_never_over_another_one(clinic, companion_home):
    companion("visit", "cancel", "2", "--db", str(clinic), home=companion_home)
    copy = clinic.with_name("before-the-move.sqlite3")
    made = companion("db", "backup", "--to", str(copy), "--db", str(clinic), home=companion_home)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and not Path(f"{copy}-wal").exists()
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("SELECT status FROM visit WHERE id = 2").fetchone() == ("cancelled",)
    assert visits_today(copy) == visits_today(clinic)
    assert [p.name for p in clinic.parent.iterdir() if p.name.startswith(".")] == []  # no partial copy left

    for target, force in ((copy, False), (clinic, True), (clinic.parent, False)):
        before = target.read_bytes() if target.is_file() else None
        refused = companion("db", "backup", "--to", str(target), *(["--force"] if force else []), "--db",
                            str(clinic), home=companion_home)  # fmt: skip
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert before is None or target.read_bytes() == before


def test_a_nightly_backup_with_force_replaces_last_nights_copy_and_no_other_database(clinic, companion_home, tmp_path):
    """`db backup --to FILE --force` run every night: the second night had been refused ("a database, never
    overwritten"), so the copy stayed a night old without anyone noticing. It replaces a copy of this database;
    another clinic's database, and a copy someone has open, stay as they are."""
    nightly = tmp_path / "share" / "clinic-nightly.sqlite3"
    nightly.parent.mkdir()
    assert companion("db", "backup", "--to", str(nightly), "--db", str(clinic), home=companion_home).returncode == 0
    companion("visit", "cancel", "3", "--db", str(clinic), home=companion_home)

    again = companion("db", "backup", "--to", str(nightly), "--force", "--db", str(clinic), home=companion_home)

    assert again.returncode == 0, again.stderr
    with closing(sqlite3.connect(nightly)) as connection:
        assert connection.execute("SELECT status FROM visit WHERE id = 3").fetchone() == ("cancelled",)
    assert stat.S_IMODE(nightly.stat().st_mode) == 0o600

    other = tmp_path / "other" / "clinic.sqlite3"
    other.parent.mkdir()
    assert companion("demo", "--db", str(other), home=companion_home).returncode == 0
    in_use = nightly.with_name(nightly.name + "-journal")
    in_use.write_bytes(b"")
    for target in (other, nightly):
        before = target.read_bytes()
        refused = companion("db", "backup", "--to", str(target), "--force", "--db", str(clinic), home=companion_home)
        assert refused.returncode == 2 and "never overwritten" in refused.stderr, refused.stderr
        assert target.read_bytes() == before


def test_db_backup_of_a_damaged_database_exits_1_and_copies_nothing(clinic, companion_home):
    daily_backup(clinic, date.today() - timedelta(days=1))
    with clinic.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\x00\xff" * 4096)
    copy = clinic.with_name("copy.sqlite3")
    for extra in ([], ["--to", str(copy)]):
        result = companion("db", "backup", *extra, "--db", str(clinic), home=companion_home)
        assert result.returncode == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr
    assert len(backups_of(clinic)) == 1 and not copy.exists()
