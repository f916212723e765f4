"""A data folder others can write to (a /tmp-like folder, a clinic's share): nothing the app writes there can be
redirected by a link another user planted, and its copies of the database never land where others can read them.
A full disk never stops a sign-in. A device or a pipe is never taken for a new database."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from companion.errors import CompanionError
from companion.read.models import ClinicianView
from companion.services.preferences import FILE_NAME, Preferences
from companion.storage.backups import backup_folder, backups_of, daily_backup, latest_backup, restore_latest
from companion.storage.sqlite_file import examine
from companion.storage.store import open_store
from tests.disks import small_disk

OKAFOR = ClinicianView(id=1, name="Dr. Amara Okafor", role="physician")


@pytest.fixture
def clinic(demo_file: Path) -> Path:
    return demo_file


def planted(where: Path, pointing_to: Path) -> Path:
    """Another user's file, readable and writable by all, and a link to it under a name the app will write."""
    pointing_to.write_bytes(b"")
    pointing_to.chmod(0o666)
    where.symlink_to(pointing_to)
    return pointing_to


def test_a_link_planted_at_the_backups_unfinished_name_receives_nothing(clinic, tmp_path):
    folder = backup_folder(clinic)
    folder.mkdir(mode=0o700)
    # The name an earlier version copied under (a copy's name is now its own, drawn at random).
    loot = planted(folder / f"{clinic.name}.{date.today().isoformat()}.bak.partial", tmp_path / "loot")

    made = daily_backup(clinic)

    assert loot.read_bytes() == b""  # not a byte of the database went through the link
    assert made is not None and not made.is_symlink() and stat.S_IMODE(made.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, f"{made.name}.partial"])  # left alone


def test_a_backups_folder_others_can_change_gets_no_copy_of_the_database(clinic):
    folder = backup_folder(clinic)
    folder.mkdir()
    folder.chmod(0o777)  # made by someone else, or opened up: anyone could read or swap what lands there

    with pytest.raises(CompanionError, match="can be changed by other users"):
        daily_backup(clinic)

    assert list(folder.iterdir()) == [] and backups_of(clinic) == []


def test_a_backup_planted_in_a_folder_others_can_change_is_never_offered_for_restore(clinic, tmp_path):
    """Another user makes backups/ first, or links it elsewhere, and drops a valid database dated in the future:
    it would sort newest and be put in the database's place. It is not one of ours."""
    planted_day = "2099-01-01"
    for how in ("open to all", "a link"):
        folder = backup_folder(clinic)
        if how == "open to all":
            folder.mkdir()
            folder.chmod(0o777)
        else:
            elsewhere = tmp_path / "elsewhere"
            elsewhere.mkdir(mode=0o700)
            folder.symlink_to(elsewhere)
        (folder / f"{clinic.name}.{planted_day}.bak").write_bytes(clinic.read_bytes())

        assert backups_of(clinic) == [] and latest_backup(clinic) is None
        # and the restore says why the folder's copies are not used, not that there is none
        reason = "can be changed by other users" if how == "open to all" else "is a link"
        with pytest.raises(CompanionError, match=f"are not used, as the folder {reason}"):
            restore_latest(clinic)

        for leftover in folder.iterdir():
            leftover.unlink()
        folder.unlink() if folder.is_symlink() else folder.rmdir()


def test_a_link_another_user_planted_at_the_databases_name_is_not_followed(tmp_path):
    """In a folder others can write to, another user's link named as the database would have the clinic made in
    their folder (its backups beside it), where they could take it away."""
    if os.geteuid() != 0:
        pytest.skip("a link of another user's needs root to make (CI runs as root)")
    shared, theirs = tmp_path / "shared", tmp_path / "theirs"
    shared.mkdir(mode=0o777)
    theirs.mkdir()
    link = shared / "companion.sqlite3"
    link.symlink_to(theirs / "stolen.sqlite3")
    os.lchown(link, 65534, 65534)  # nobody's (the test runs as root in CI)

    with pytest.raises(CompanionError, match="a link another user made"):
        open_store(str(link))

    assert list(theirs.iterdir()) == []
    os.lchown(link, os.getuid(), os.getgid())  # the user's own link is followed, as IT's pointing at a share
    open_store(str(link)).engine.dispose()
    assert (theirs / "stolen.sqlite3").is_file()


def test_a_link_planted_at_the_preferences_unfinished_name_overwrites_nothing(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    (tmp_path / f"{FILE_NAME}.tmp").symlink_to(victim)

    Preferences("clinic", tmp_path).remember_clinician(OKAFOR)

    assert victim.read_text() == "someone else's file\n"
    written = tmp_path / FILE_NAME
    assert not written.is_symlink() and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert Preferences("clinic", tmp_path).remembered_clinician() == OKAFOR


def test_a_full_disk_keeps_the_choice_for_the_session_and_leaves_no_scrap(tmp_path):
    with small_disk(tmp_path, 1) as disk:
        (disk / "filler").write_bytes(b"\0" * (1024 * 1024 - 4096))
        with pytest.raises(OSError):  # the disk really is full
            (disk / "more").write_bytes(b"\0" * 65536)
        preferences = Preferences("clinic", disk)

        preferences.remember_clinician(OKAFOR)  # no error: a convenience never stops a sign-in

        assert preferences.remembered_clinician() == OKAFOR
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "more"]  # no half-written preferences


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_pipe_or_a_device_is_not_taken_for_a_new_database(tmp_path, kind):
    path = tmp_path / "not-a-file"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is

    with pytest.raises(CompanionError, match="not a regular file"):
        examine(path, may_create_folder=False)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-file"]  # no journal or anything else beside it


@pytest.mark.parametrize("side", ["-journal", "-wal", "-shm"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_folder_where_sqlite_keeps_its_log_is_named_and_nothing_is_made(tmp_path, side, existing):
    """SQLite alone says "unable to open database file", after an empty database file had been left behind."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = folder / "clinic.sqlite3"
    if existing:
        open_store(str(path)).engine.dispose()
    before = sorted(p.name for p in folder.iterdir())
    Path(f"{path}{side}").mkdir()

    with pytest.raises(CompanionError, match=f"clinic.sqlite3{side} beside the database is not a file"):
        open_store(str(path))

    assert sorted(p.name for p in folder.iterdir()) == sorted([*before, f"clinic.sqlite3{side}"])
