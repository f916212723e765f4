"""The watch on SQLite's write-ahead log follows the log as it comes and goes: made by the first connection, deleted
by the last, moved aside or deleted under a connection that holds it open, and made anew. Real files, a real
QFileSystemWatcher. A plain write to the log changes nothing in its folder (the folder's watch hears files come,
go and be renamed), so a wake after one can only come from the watch on the log itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from companion.demo import seed_demo
from companion.services import notes
from companion.storage.store import open_store
from tests.ui.conftest import visit_of
from ui.window.wal_watch import WalWatch

NURSE = "Jonas Lindqvist"


@pytest.fixture
def wal(qtbot):
    watch = WalWatch()
    yield watch
    watch.stop()


def settled(qtbot) -> None:
    """Let the wakes of what came before arrive, so that the next one is the next step's own."""
    qtbot.wait(300)


def test_a_log_sqlite_deletes_and_makes_anew_is_watched_each_time(wal, qtbot, tmp_path):
    path = tmp_path / "clinic.sqlite3"
    log = Path(f"{path}-wal")
    open_store(str(path)).engine.dispose()  # the last connection to close deletes the log
    assert not log.exists()
    assert wal.follow(log)  # not there yet: its folder is watched until it is

    for desk_number in range(2):
        with qtbot.waitSignal(wal.touched, timeout=15000):
            desk = open_store(str(path))  # its first connection makes the log: the folder's watch hears it
        if desk_number == 0:
            seed_demo(desk, date.today())
        visit = visit_of(desk, "Lan")
        settled(qtbot)
        with qtbot.waitSignal(wal.touched, timeout=15000):  # heard through this log's own watch
            notes.add_note(desk, visit, "social", f"Note from desk {desk_number}", NURSE)
        settled(qtbot)
        with qtbot.waitSignal(wal.touched, timeout=15000):
            desk.engine.dispose()  # the log is deleted again
        assert not log.exists()
    assert wal.watching


@pytest.mark.parametrize("gone", ["deleted", "moved aside"])
def test_a_log_taken_away_under_an_open_connection_and_made_anew_is_watched_anew(wal, qtbot, tmp_path, gone):
    """SQLite keeps its log open: deleted, the old file lives on unseen (its watch reports an attribute change and
    stays on it); moved aside, as a restore does, Qt drops its watch."""
    log = tmp_path / "clinic.sqlite3-wal"
    with log.open("ab") as held:
        assert wal.follow(log)
        with qtbot.waitSignal(wal.touched, timeout=15000):
            log.unlink() if gone == "deleted" else log.rename(tmp_path / "clinic.sqlite3.damaged-wal")
        with qtbot.waitSignal(wal.touched, timeout=15000):
            log.touch()  # the next connection's log
        settled(qtbot)
        with qtbot.waitSignal(wal.touched, timeout=15000), log.open("ab") as new:
            new.write(b"frame")
        settled(qtbot)
        held.write(b"frame")
        held.flush()
        with qtbot.assertNotEmitted(wal.touched, wait=300):  # the old file is no longer listened to
            pass
    assert wal.watching


def test_a_log_whose_folder_cannot_be_watched_is_not_trusted_to_wake_anyone(wal, tmp_path):
    assert not wal.follow(tmp_path / "unplugged" / "clinic.sqlite3-wal")
    assert not wal.watching
