"""Starting the window the way the `companion` command does (companion.cli.main.main with ui.app.run_window):
a problem at start is shown in a message box, not only on stderr that someone starting from an icon never
sees; and the window makes the day's backup at start and again while it stays open. Real files, a real
read-only filesystem, real dialogs answered as a person would."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from companion.cli import main as cli
from companion.demo import DEMO_PIN
from companion.storage.backups import backups_of
from tests.disks import small_disk
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.window import backup_task
from ui.window.sign_in import SignInDialog


@pytest.fixture
def start_window(monkeypatch, qapp):
    """`companion --db PATH` in this process; what it changes process-wide is put back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    umask = os.umask(0o077)
    os.umask(umask)

    def start(path) -> int:
        return cli.main(["--db", str(path)], launch_window=ui_app.run_window)

    yield start
    os.umask(umask)
    gc.unfreeze()
    gc.enable()


def answer_message_box(seen: list[str]) -> None:
    """When a message box is up (within 20 s), read it and press its default button."""
    tries = iter(range(400))

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if next(tries, None) is not None:
                QTimer.singleShot(50, look)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        (box.defaultButton() or box.buttons()[0]).click()

    QTimer.singleShot(0, look)


def test_a_file_that_is_not_sqlite_is_refused_in_a_message_box(start_window, tmp_path, capsys):
    path = tmp_path / "clinic.sqlite3"
    path.write_text("Shopping: milk, eggs\n")
    seen: list[str] = []
    answer_message_box(seen)

    assert start_window(path) != 0

    assert "cannot start" in seen[0] and "Not a SQLite database (left untouched)" in seen[0]
    assert capsys.readouterr().err.count("\n") == 1  # the command line's one line too
    assert path.read_text() == "Shopping: milk, eggs\n"


@pytest.fixture
def read_only_folder(tmp_path, store, db_path):
    """The demo database on a filesystem of its own (tmpfs), then mounted read-only: a real read-only disk."""
    store.engine.dispose()
    with small_disk(tmp_path, 8, holding=db_path, read_only=True) as mount:
        yield mount / db_path.name


def test_a_read_only_disk_at_start_is_named_in_a_message_box(start_window, read_only_folder, capsys):
    seen: list[str] = []
    answer_message_box(seen)

    assert start_window(read_only_folder) != 0

    assert "read-only" in seen[0] and str(read_only_folder.parent) in seen[0]
    assert "unable to open database file" not in seen[0]  # the driver's words tell a clinician nothing
    assert "read-only" in capsys.readouterr().err


def test_the_open_window_makes_the_days_backup_again_when_it_is_missing(start_window, store, db_path, monkeypatch):
    """A window left open for days: the hourly check (shortened here) makes each day's backup."""
    monkeypatch.setattr(backup_task, "CHECK_MS", 300)
    store.engine.dispose()
    app = QApplication.instance()
    todays = db_path.parent / "backups" / f"{db_path.name}.{date.today().isoformat()}.bak"
    seen: dict[str, bool] = {}

    def sign_in() -> None:
        if not guard.isActive():
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(50, sign_in)
            return
        dialog.panel.pin.setText(DEMO_PIN)  # the demo clinician preselected
        dialog.panel.sign_in()
        QTimer.singleShot(50, watch)

    def watch() -> None:
        if not guard.isActive():
            return
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and todays.exists() and "at start" not in seen:
            seen["at start"] = True
            todays.unlink()  # as if the day had turned while the window stayed open
        elif windows and todays.exists():
            seen["again"] = True
            windows[0].close()
            return
        QTimer.singleShot(50, watch)

    def give_up() -> None:  # never hang the suite: close whatever is open
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        app.quit()

    guard = QTimer(singleShot=True, interval=30_000)
    guard.timeout.connect(give_up)
    guard.start()
    QTimer.singleShot(0, sign_in)

    code = start_window(db_path)

    guard.stop()
    assert code == 0

    assert seen == {"at start": True, "again": True}
    assert [p.name for p in backups_of(db_path)] == [todays.name]
