"""At start, a damaged database file gets a plain dialog offering the latest backup; today's backup is made
in the background. Real files and real dialogs, clicked as a person would."""

from __future__ import annotations

import random
import sqlite3
import sys
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from companion.demo import PATIENTS
from companion.services import notes
from companion.services.audit_trail import act_as, audit_log
from companion.services.visits import list_visits
from companion.storage.backups import backups_of, daily_backup
from tests.ui.conftest import visible_texts, visit_of
from ui.app import report_unexpected, tell_what_the_start_did
from ui.window.backup_task import start_daily_backup
from ui.window.damaged_database import DamagedDatabaseDialog, open_or_restore


def damage(store, db_path) -> bytes:
    """Today's backup, then the file cut in half while the app is closed."""
    store.engine.dispose()
    daily_backup(db_path)
    with db_path.open("r+b") as handle:
        handle.truncate(db_path.stat().st_size // 2)
    return db_path.read_bytes()


def answer_dialog(qtbot, choose: str, seen: list[str]) -> None:
    """When the dialog is up, read what it says and click a button, as a person would."""

    def click() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DamagedDatabaseDialog):
            QTimer.singleShot(50, click)
            return
        seen.append(f"{dialog.text()}\n{dialog.informativeText()}")
        (dialog.restore_button if choose == "restore" else dialog.quit_button).click()

    QTimer.singleShot(0, click)


def test_a_damaged_file_is_offered_its_backup_and_kept_aside(qtbot, store, db_path):
    backup_name = f"{db_path.name}.{date.today().isoformat()}.bak"
    damaged_bytes = damage(store, db_path)
    seen: list[str] = []
    answer_dialog(qtbot, "restore", seen)

    restored_store, (notice, _backup) = open_or_restore(str(db_path))

    assert "damaged" in seen[0] and backup_name in seen[0] and "kept aside" in seen[0]
    assert "Traceback" not in seen[0]
    kept = [p for p in db_path.parent.glob(f"{db_path.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert kept[0].name in notice
    assert len(list_visits(restored_store, date.today())) == len(PATIENTS)  # the demo day is back
    restored_store.engine.dispose()


def test_a_damaged_newest_backup_is_passed_over_and_the_notice_says_so(qtbot, store, db_path):
    """The disk that damaged the database damaged today's backup too: the restore puts yesterday's back, and the
    notice names today's as one that could not be put back (else the clinic wonders where today's morning went)."""
    store.engine.dispose()
    yesterday = daily_backup(db_path, date.today() - timedelta(days=1))
    damage(store, db_path)
    today = backups_of(db_path)[0]
    with today.open("r+b") as handle:
        handle.truncate(today.stat().st_size // 2)
    answer_dialog(qtbot, "restore", [])

    restored_store, (notice, _backup) = open_or_restore(str(db_path))

    assert f"Restored from {yesterday.name}" in notice
    assert f"Newer backups that could not be put back: {today.name}." in notice
    assert len(list_visits(restored_store, date.today())) == len(PATIENTS)
    restored_store.engine.dispose()


def test_quitting_leaves_the_damaged_file_as_it_is(qtbot, store, db_path):
    damaged_bytes = damage(store, db_path)
    answer_dialog(qtbot, "quit", [])
    assert open_or_restore(str(db_path)) is None
    assert db_path.read_bytes() == damaged_bytes
    assert not list(db_path.parent.glob(f"{db_path.name}.damaged-*"))


def test_todays_backup_is_made_in_the_background_at_start(qtbot, store, db_path):
    backup = start_daily_backup(store)
    qtbot.waitUntil(lambda: backup.finished, timeout=10_000)
    assert backup.problem is None
    assert [p.name for p in backups_of(db_path)] == [f"{db_path.name}.{date.today().isoformat()}.bak"]


NURSE = "Jonas Lindqvist"
TYPED = "Son drives her on Tuesdays"


def damage_a_table(store, db_path, name: str) -> bytes:
    """Random bytes over the first page of a table or index while the window is open, as a failing disk leaves them. The
    open connections are closed so that SQLite reads the page again (a page it keeps in memory would hide
    the damage until later)."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    page = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with db_path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(random.Random(page).randbytes(size))
    store.engine.dispose()
    return db_path.read_bytes()


def kept_aside(db_path) -> list:
    return [p for p in db_path.parent.glob(f"{db_path.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]


def test_damage_met_while_saving_keeps_the_text_and_restoring_saves_it(make_window, store, db_path, qtbot):
    daily_backup(db_path)
    window = make_window(NURSE)
    act_as(window.ctx.clinician)  # as the app does when the window opens (ui.app)
    visit = visit_of(store, "Lan")
    window.open_visit(visit, "rooming")
    section = window.views["rooming"].notes["social"]
    # An index only a new note touches: reading the notes still works, saving one meets the damage.
    damaged_bytes = damage_a_table(store, db_path, "ix_contextnote_source_key")

    section.input.setFocus()
    qtbot.keyClicks(section.input, TYPED)
    qtbot.keyClick(section.input, Qt.Key.Key_Return)

    qtbot.waitUntil(
        lambda: "database file is damaged" in window.notice.text() and "stays here" in window.notice.text(),
        timeout=5000,
    )  # the save answers off the window's thread
    assert section.input.text() == TYPED  # kept on screen
    dialog = window.restore_offer.dialog
    assert dialog.isVisible() and "kept on screen" in dialog.text()
    assert f"{db_path.name}.{date.today().isoformat()}.bak" in dialog.informativeText()
    qtbot.wait(2500)  # nothing more is written into the damaged file meanwhile
    assert db_path.read_bytes() == damaged_bytes

    dialog.restore_button.click()

    qtbot.waitUntil(lambda: section.input.text() == "", timeout=15000)  # saved, into the restored file
    assert [n.text for n in notes.notes_for_visit(store, visit, "social")].count(TYPED) == 1
    assert len(kept_aside(db_path)) == 1 and kept_aside(db_path)[0].read_bytes() == damaged_bytes
    assert "Restored from" in window.notice.text() and kept_aside(db_path)[0].name in window.notice.text()
    # The restore is in the restored file's audit log, in the name of who chose it, as the command line's is.
    qtbot.waitUntil(lambda: any(entry["action"] == "restore" for entry in audit_log(store)), timeout=5000)
    restore_entry = [entry for entry in audit_log(store) if entry["action"] == "restore"]
    assert [(e["who"], e["detail"]) for e in restore_entry] == [(NURSE, f"from {dialog.restored.backup}")]
    window.show_view("today")  # the window goes on with the restored file, no restart
    window.show_view("rooming", visit)
    assert window.current_view() == "rooming" and TYPED in visible_texts(window.views["rooming"])


@pytest.mark.qt_no_exception_capture  # the app's own hook (ui.app.report_unexpected) takes the error
def test_damage_met_while_reading_is_shown_in_the_window(make_window, store, db_path, qtbot, monkeypatch, capsys):
    monkeypatch.setattr(sys, "excepthook", report_unexpected)
    daily_backup(db_path)
    window = make_window(NURSE)
    visit = visit_of(store, "Lan")
    damage_a_table(store, db_path, "contextnote")
    today = window.views["today"].visit_list
    today.setCurrentRow(next(i for i in range(today.count()) if today.item(i).data(Qt.ItemDataRole.UserRole) == visit))
    today.setFocus()

    qtbot.keyClick(today, Qt.Key.Key_Return)  # opening the visit reads the damaged page

    qtbot.waitUntil(
        lambda: "database file is damaged" in window.notice.text(), timeout=5000
    )  # the save answers off the window's thread
    dialog = window.restore_offer.dialog
    assert dialog.isVisible() and dialog.restore_button is not None
    err = capsys.readouterr().err
    assert "unexpected DatabaseError" in err and "Lan" not in err and "Traceback" not in err
    dialog.quit_button.click()  # "Not now": nothing is restored, the file stays as it is
    assert not kept_aside(db_path)


def test_a_restore_chosen_before_the_sign_in_is_logged_in_the_name_of_who_signed_in(qtbot, make_window, store, db_path):
    """Nobody has signed in when the damaged file's backup is put back at start: the entry is written once someone
    has, into the restored file's log (the day since the backup is gone from it; an auditor asks who did that)."""
    backup_name = f"{db_path.name}.{date.today().isoformat()}.bak"
    damage(store, db_path)
    answer_dialog(qtbot, "restore", [])
    restored_store, restored = open_or_restore(str(db_path))
    window = make_window(NURSE, db=restored_store)
    act_as(window.ctx.clinician)  # as the app does once the PIN is verified (ui.app)

    tell_what_the_start_did(window, SimpleNamespace(restored=restored, backup=None))

    assert window.notice.text() == restored.notice and backup_name in restored.notice
    qtbot.waitUntil(lambda: any(entry["action"] == "restore" for entry in audit_log(restored_store)), timeout=5000)
    entries = [entry for entry in audit_log(restored_store) if entry["action"] == "restore"]
    assert [(e["who"], e["detail"]) for e in entries] == [(NURSE, f"from {backup_name}")]


def test_a_file_of_zeros_where_backups_exist_is_offered_its_backup(qtbot, store, db_path):
    daily_backup(db_path)
    store.engine.dispose()
    size = db_path.stat().st_size
    db_path.write_bytes(b"\0" * size)
    seen: list[str] = []
    answer_dialog(qtbot, "restore", seen)

    restored_store, (notice, _backup) = open_or_restore(str(db_path))

    assert "damaged" in seen[0] and "zeros" in seen[0]
    assert kept_aside(db_path)[0].read_bytes() == b"\0" * size  # kept aside, not overwritten
    assert len(list_visits(restored_store, date.today())) == len(PATIENTS)
    restored_store.engine.dispose()


def test_a_missing_file_where_backups_exist_is_offered_its_backup_not_made_anew(qtbot, store, db_path):
    """Deleted by mistake, or a share that did not mount: an empty clinic in its place would look like a day
    with no visits, and its daily backups would push the good ones out."""
    backup = daily_backup(db_path)
    store.engine.dispose()
    db_path.unlink()
    seen: list[str] = []
    answer_dialog(qtbot, "quit", seen)
    assert open_or_restore(str(db_path)) is None
    assert not db_path.exists() and backups_of(db_path) == [backup]  # nothing made, no backup pushed out

    answer_dialog(qtbot, "restore", seen)
    restored_store, (notice, _backup) = open_or_restore(str(db_path))

    assert "missing" in seen[0] and backup.name in seen[0] and "kept aside" not in seen[0]
    assert notice == f"Restored from {backup.name}."
    assert len(list_visits(restored_store, date.today())) == len(PATIENTS)
    restored_store.engine.dispose()


def test_a_window_readied_on_a_damaged_page_is_let_go_whole(store, db_path, qtbot):
    """The window is readied while the PIN is typed (ui.window.start_up); a damaged page it reads fails that, and the
    Enter's own opening then offers the backup (ui.app). The half-built window went on as a hidden top-level window,
    watching the database; it is let go now."""
    from PySide6.QtCore import QEvent

    from companion.services.clinicians import list_clinicians
    from companion.services.preferences import Preferences
    from companion.storage.store import open_store
    from ui.app import window_readied_before_enter
    from ui.main_window import MainWindow

    doctor = next(c for c in list_clinicians(store) if c.role == "physician")
    before = {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)}
    damage_a_table(store, db_path, "visit")
    reopened = open_store(str(db_path))
    args = SimpleNamespace(visit=None, view=None)

    readied = window_readied_before_enter(args, reopened, Preferences.of_database(str(db_path)), doctor)

    assert readied is None  # the Enter opens it, and meets the damage itself
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and id(w) not in before] == []
    reopened.engine.dispose()
