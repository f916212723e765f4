"""A damaged database file, found at start or while the window is open: say so plainly and offer to put the
latest backup back. The damaged file is never overwritten; restoring renames it aside
(companion.services.database). Any other problem at start gets a plain message box, not only a line
on stderr that someone starting from an icon never sees."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from companion.errors import CompanionError, describe, sentence
from companion.services import audit_trail, database
from companion.services.database import DamagedDatabase, MissingDatabase, NoDatabaseAt
from ui.window.labels import tr
from ui.window.screen_lock import keep_behind_lock


class Restored(NamedTuple):
    notice: str  # the window's notice line: what was put back, and where the damaged file is kept
    backup: str  # the backup's file name, for the audit log


def log_restore(ctx, restored: Restored) -> None:
    """In the restored database's own log, as `companion db restore` writes it: everything since the backup is
    gone from it (kept aside in the damaged file), and who did that is what an auditor asks next. Written once
    someone has signed in, in their name; through `attempt`, so a busy database only delays it."""
    ctx.attempt(audit_trail.record, "restore", f"from {restored.backup}")


class DamagedDatabaseDialog(QMessageBox):
    def __init__(self, damaged: DamagedDatabase, parent: QWidget | None = None, in_use: bool = False) -> None:
        super().__init__(parent)
        self.damaged = damaged
        self.restored: Restored | None = None  # what was done, once restored
        self.setIcon(QMessageBox.Icon.Warning)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWindowTitle(tr("Encounter Companion"))
        missing = isinstance(damaged, MissingDatabase)
        if in_use:
            self.setText(tr("The database file is damaged. What you typed is kept on screen."))
        elif missing:
            self.setText(tr("The database file is missing. Backups of it are kept, so no empty one was made."))
        else:
            self.setText(tr("The database file is damaged, so it cannot be opened."))
        details = tr("File: %s\nProblem: %s") % (damaged.path, damaged.why)
        if damaged.backup is None:
            self.setInformativeText(tr("There is no backup of it yet. The file is left as it is.\n\n%s") % details)
            self.restore_button = None
        else:
            offer = tr("The latest backup is %s.\nRestore it? If it is damaged too, the newest whole one is restored.")
            kept = "" if missing else " " + tr("The damaged file is kept aside, not overwritten.")
            self.setInformativeText(offer % damaged.backup.name + kept + "\n\n" + details)
            self.restore_button = self.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
            self.setDefaultButton(self.restore_button)
        self.quit_button = self.addButton(tr("Not now") if in_use else tr("Quit"), QMessageBox.ButtonRole.RejectRole)

    def restore(self, store: database.Store | None = None) -> bool:
        """Put the backup back (in place of the file `store` uses, when the window has it open); on a problem,
        say it in the dialog and keep everything as it was."""
        try:
            if store is None:
                restored = database.restore_latest_of(self.damaged.path)
            else:
                restored = database.restore_latest_in_use(store)
        except (CompanionError, OSError) as exc:
            self.setInformativeText(tr("The backup could not be restored: %s.") % exc)
            return False
        if restored.kept_aside is None:  # the file was missing: nothing to keep aside
            notice = tr("Restored from %s.") % restored.backup.name
        else:
            notice = tr("Restored from %s. The damaged file is kept as %s.") % (
                restored.backup.name,
                restored.kept_aside.name,
            )
        if restored.passed_over:  # the newest could not be put back: say why an older day's is back
            notice += " " + tr("Newer backups that could not be put back: %s.") % ", ".join(
                backup.name for backup in restored.passed_over
            )
        self.restored = Restored(notice, restored.backup.name)
        return True


def offer_restore(damaged: DamagedDatabase, store: database.Store | None = None) -> Restored | None:
    """Ask; returns what was restored, or None when the user quits. With `store`, the file it has open is the
    damaged one (met after the sign-in), and the backup is put back under it."""
    dialog = DamagedDatabaseDialog(damaged)
    while True:
        dialog.exec()
        if dialog.clickedButton() is not dialog.restore_button or dialog.restore_button is None:
            return None
        if dialog.restore(store):
            return dialog.restored


def offer_restore_after_sign_in(store: database.Store) -> Restored | None:
    """A page the start's check never reads (Today's visits, read first by the window) found damaged after the
    sign-in: the same offer as at start, before any window shows. None when the user quits."""
    return offer_restore(damage_met_in_use(store.sqlite_file), store)


def damage_met_in_use(path) -> DamagedDatabase:
    """A file found damaged by a read or a write of the open store (not by the start's check, which says why)."""
    return DamagedDatabase(path, tr("SQLite reports it malformed"))


def open_or_restore(location: str | None, ask: bool = True):
    """The store at `location`; when its file is damaged, the offer to restore first; when a path the user named
    (--db, COMPANION_DB) has no file, the question whether to start a new clinic there. Returns (store, what was
    restored or None), or None when the user would rather quit. With ask=False both are raised (the command
    line's one-line error names the backup and `companion db restore`, or the path that holds nothing). Any other
    problem is raised too, after a message box when asking."""
    try:
        try:
            # The default location is made unasked (the first start); a named one only once the user says so.
            return database.open_store(location, new_file=False), None
        except NoDatabaseAt as absent:
            if not ask:
                raise
            return (database.open_store(location), None) if confirm_new_database(absent.path) else None
        except DamagedDatabase as damaged:
            if not ask:
                raise
            restored = offer_restore(damaged)
        return (database.open_store(location), restored) if restored else None
    except Exception as exc:
        if ask and not isinstance(exc, DamagedDatabase) and describe(exc) is not None:
            show_start_problem(exc)
        raise


def confirm_new_database(path) -> bool:
    """Ask before making an empty database where the user pointed: a path one letter off, or a network folder not
    mounted yet, would open on an empty clinic asking for its first admin, and the day's work would go into a file
    nobody else reads. Quitting is the default: Enter makes nothing."""
    box = QMessageBox(
        QMessageBox.Icon.Question, tr("Encounter Companion"), tr("There is no database at the path this app was given.")
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(
        tr(
            "File: %s\n\nIf the path is right but the clinic's database is on a drive or network folder that is "
            "not connected yet, quit and connect it first. Start a new, empty clinic database there only if this "
            "is a new clinic."
        )
        % path
    )
    create = box.addButton(tr("Start a new database"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is create


def show_start_problem(exc: Exception) -> None:
    """The same words as the command line's one line (which still goes to stderr), in a plain box."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Encounter Companion"), tr("The app cannot start."))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(sentence(describe(exc)))
    box.exec()


class RestoreOffer(QObject):
    """Damage found while the window is open (AppContext.damaged): a notice, then the restore offer.
    Restoring puts the backup under the same path and the app goes on without a restart
    (companion.services.database.restore_latest_in_use). The writes that waited then go into it."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: DamagedDatabaseDialog | None = None
        window.ctx.damaged.connect(self.offer)

    def offer(self) -> None:
        path = self._window.ctx.store.sqlite_file
        if path is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        self.dialog = DamagedDatabaseDialog(damage_met_in_use(path), self._window, in_use=True)
        keep_behind_lock(self.dialog)  # names no patient: offered again after the PIN
        self.dialog.finished.connect(self._answered)
        self.dialog.open()  # window-modal, not a nested event loop: the window keeps what was typed

    def _answered(self) -> None:
        dialog = self.dialog
        if dialog.restore_button is None or dialog.clickedButton() is not dialog.restore_button:
            return
        window = self._window
        if window.import_dialog is not None and window.import_dialog.running():
            window.show_notice(tr("An import is running; restore the backup once it has finished."))
            return
        window.live_updates.stop()
        restored = dialog.restore(window.ctx.store)
        window.live_updates.start()
        if not restored:
            window.show_notice(dialog.informativeText())
            return
        window.ctx.restored()  # the waiting writes go in, and every view reloads
        log_restore(window.ctx, dialog.restored)
        window.show_notice(
            dialog.restored.notice + " " + tr("What was saved after the backup's day is in the damaged file.")
        )
