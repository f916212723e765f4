"""A damaged database file at start: say so plainly and offer to put the latest backup back. The damaged
file is never overwritten; restoring renames it aside (companion.backups.restore_latest)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from companion.backups import restore_latest
from companion.damage import DamagedDatabase
from companion.errors import CompanionError
from ui.labels import tr


class DamagedDatabaseDialog(QMessageBox):
    def __init__(self, damaged: DamagedDatabase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.damaged = damaged
        self.restored: str | None = None  # what was done, once restored
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(tr("Encounter Companion"))
        self.setText(tr("The database file is damaged, so it cannot be opened."))
        details = tr("File: %s\nProblem: %s") % (damaged.path, damaged.why)
        if damaged.backup is not None:
            self.setInformativeText(
                tr("The latest backup is %s.\nRestore it? The damaged file is kept aside, not overwritten.\n\n%s")
                % (damaged.backup.name, details)
            )
            self.restore_button = self.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
            self.setDefaultButton(self.restore_button)
        else:
            self.setInformativeText(tr("There is no backup of it yet. The file is left as it is.\n\n%s") % details)
            self.restore_button = None
        self.quit_button = self.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)

    def restore(self) -> bool:
        """Put the backup back; on a problem, say it in the dialog and keep everything as it was."""
        try:
            restored = restore_latest(self.damaged.path)
        except (CompanionError, OSError) as exc:
            self.setInformativeText(tr("The backup could not be restored: %s.") % exc)
            return False
        self.restored = tr("Restored from %s. The damaged file is kept as %s.") % (
            restored.backup.name,
            restored.kept_aside.name if restored.kept_aside else "-",
        )
        return True


def offer_restore(damaged: DamagedDatabase) -> str | None:
    """Ask; returns what was restored (a line for the window's notice), or None when the user quits."""
    dialog = DamagedDatabaseDialog(damaged)
    while True:
        dialog.exec()
        if dialog.clickedButton() is not dialog.restore_button or dialog.restore_button is None:
            return None
        if dialog.restore():
            return dialog.restored


def open_or_restore(location: str, ask: bool = True):
    """The store at `location`; when its file is damaged, the offer to restore first. Returns (store, what
    was restored or None), or None when the user would rather quit. With ask=False the damage is raised
    (the command line's one-line error names the backup and `companion db restore`)."""
    from companion.store import open_store

    try:
        return open_store(location), None
    except DamagedDatabase as damaged:
        if not ask:
            raise
        restored = offer_restore(damaged)
    return (open_store(location), restored) if restored else None
