"""At start, a damaged database file gets a plain dialog offering the latest backup; today's backup is made
in the background. Real files and real dialogs, clicked as a person would."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from companion.backups import backups_of, daily_backup
from companion.services.visits import list_visits
from ui.backup_task import start_daily_backup
from ui.damaged_database import DamagedDatabaseDialog, open_or_restore


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

    restored_store, notice = open_or_restore(str(db_path))

    assert "damaged" in seen[0] and backup_name in seen[0] and "kept aside" in seen[0]
    assert "Traceback" not in seen[0]
    kept = [p for p in db_path.parent.glob(f"{db_path.name}.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert kept[0].name in notice
    assert len(list_visits(restored_store, date.today())) == 7  # the demo day is back
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
