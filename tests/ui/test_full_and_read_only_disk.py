"""A full disk or a read-only database: a clear message, what was typed stays in the window, it is saved
once the database can be written again, and closing before then asks first. A real full filesystem (a small
tmpfs), a real disk turned read-only under the open window (ext4 on a loop device, after a disk error), and
a real read-only SQLite connection (PRAGMA query_only: SQLite itself refuses every write), no mocks."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from companion.demo import seed_demo
from companion.services import notes
from companion.storage.store import open_store
from tests.disks import small_disk as tmpfs_disk
from tests.ui.conftest import answer_close_question, visit_of

NURSE = "Jonas Lindqvist"
TYPED = "Son drives her on Tuesdays"


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB filesystem of its own (tmpfs), so that filling it fills nothing else."""
    with tmpfs_disk(tmp_path, 4) as mount:
        yield mount


def fill(disk) -> None:
    """Write a filler file until the filesystem has no byte left."""
    with open(disk / "filler", "wb", buffering=0) as filler:
        for chunk in (65536, 4096, 512, 1):
            try:
                while True:
                    filler.write(b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


def type_and_enter(qtbot, line, text: str) -> None:
    line.setFocus()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_a_full_disk_keeps_the_typed_note_and_saves_it_when_there_is_room(make_window, small_disk, qtbot):
    path = small_disk / "clinic.sqlite3"
    store = open_store(str(path))
    seed_demo(store, date.today())
    window = make_window(NURSE, db=store)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].notes["social"]
    with sqlite3.connect(path) as connection:  # an empty write-ahead log: the next save must grow the file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fill(small_disk)

    type_and_enter(qtbot, section.input, TYPED)
    qtbot.waitUntil(
        lambda: "disk holding the database is full" in window.notice.text(), timeout=5000
    )  # the save answers off the window's thread
    assert section.input.text() == TYPED  # kept on screen
    qtbot.wait(2500)  # a retry while the disk is still full changes nothing
    assert section.input.text() == TYPED
    assert TYPED not in [n.text for n in notes.notes_for_visit(store, visit, "social")]

    (small_disk / "filler").unlink()
    qtbot.waitUntil(lambda: section.input.text() == "", timeout=15000)
    assert [n.text for n in notes.notes_for_visit(store, visit, "social")].count(TYPED) == 1
    window.close()
    store.engine.dispose()


def _refuse_writes(connection, _record) -> None:
    connection.execute("PRAGMA query_only=ON")


def test_a_read_only_database_still_shows_everything_and_saves_later(make_window, store, qtbot):
    window = make_window(NURSE)
    visit = visit_of(store, "Lan")
    event.listen(store.engine, "connect", _refuse_writes)
    store.engine.dispose()  # every connection from now on refuses writes
    try:
        window.open_visit(visit, "rooming")
        assert window.current_view() == "rooming"  # reading still works
        section = window.views["rooming"].notes["social"]
        type_and_enter(qtbot, section.input, TYPED)
        qtbot.waitUntil(
            lambda: "read-only" in window.notice.text(), timeout=5000
        )  # the save answers off the window's thread
        assert section.input.text() == TYPED
        window.show_view("today")
        window.show_view("rooming", visit)  # opening Rooming again (an audited view) works too
        assert window.current_view() == "rooming"
    finally:
        event.remove(store.engine, "connect", _refuse_writes)
        store.engine.dispose()

    window.show_view("rooming", visit)
    assert section.input.text() == TYPED  # still there after leaving the view and coming back
    qtbot.waitUntil(lambda: section.input.text() == "", timeout=15000)
    assert [n.text for n in notes.notes_for_visit(store, visit, "social")].count(TYPED) == 1


@pytest.fixture
def failing_disk(tmp_path):
    """A small ext4 filesystem in a file (a loop device), mounted `errors=remount-ro`: after a disk error the
    kernel turns it read-only at once, with the app's files open, as a failing disk does. (A plain
    `mount -o remount,ro` is refused while a file is open for writing, and SQLite keeps its files so.)"""
    if os.geteuid() != 0:
        pytest.skip("mounting a loop device needs root (CI runs as root)")
    image, mount = tmp_path / "disk.img", tmp_path / "disk"
    mount.mkdir()
    with image.open("wb") as handle:
        handle.truncate(16 * 2**20)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
    subprocess.run(["mount", "-o", "loop,errors=remount-ro", str(image), str(mount)], check=True)
    device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", str(mount)], capture_output=True, text=True).stdout
    trigger = Path("/sys/fs/ext4") / Path(device.strip()).name / "trigger_fs_error"
    try:
        if not trigger.exists():
            pytest.skip("this kernel cannot be asked for an ext4 error (no trigger_fs_error)")
        yield mount, trigger
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_turned_read_only_under_the_open_window(make_window, failing_disk, qtbot):
    mount, trigger = failing_disk
    store = open_store(str(mount / "clinic.sqlite3"))
    seed_demo(store, date.today())
    window = make_window(NURSE, db=store)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].notes["social"]

    trigger.write_text("1")  # the kernel: "Remounting filesystem read-only"
    type_and_enter(qtbot, section.input, TYPED)

    # SQLite says only "disk I/O error": the folder is asked, and the user told which it is.
    qtbot.waitUntil(
        lambda: "database is read-only" in window.notice.text(), timeout=5000
    )  # the save answers off the window's thread
    assert section.input.text() == TYPED
    window.show_view("today")  # reading goes on
    window.show_view("rooming", visit)
    assert window.current_view() == "rooming"
    seen: list[str] = []
    answer_close_question("Keep open", seen)
    window.close()
    assert window.isVisible()  # kept open, and what was typed with it
    assert "1 thing you typed or changed is not saved yet" in seen[0] and seen[0].endswith("Keep open")
    window.show_view("rooming", visit)
    assert section.input.text() == TYPED
    answer_close_question("Close anyway", seen)
    window.close()
    assert not window.isVisible()
    store.engine.dispose()


def test_closing_while_saves_wait_asks_and_keeps_the_window_by_default(make_window, store, qtbot):
    window = make_window(NURSE)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].notes["social"]
    event.listen(store.engine, "connect", _refuse_writes)
    store.engine.dispose()
    try:
        type_and_enter(qtbot, section.input, TYPED)
        seen: list[str] = []
        answer_close_question("Keep open", seen)
        window.close()
        assert "1 thing you typed or changed is not saved yet" in seen[0]
        assert seen[0].endswith("Keep open")  # the default: Enter keeps the window
        assert window.isVisible() and section.input.text() == TYPED
    finally:
        event.remove(store.engine, "connect", _refuse_writes)
        store.engine.dispose()

    qtbot.waitUntil(lambda: section.input.text() == "", timeout=15000)  # saved once it could be
    window.close()  # nothing waits: no question
    assert not window.isVisible()
