"""What every view shares: the store, who is signed in, and the signals that tie views together.

Every write goes through `attempt`. A problem the user can fix becomes a calm message. When the database
cannot be reached (a server restarting, a network cable out, a file locked for too long), the write is kept
in order and replayed when the database answers again; what the user typed stays on screen until then.
A damaged SQLite file is told apart: nothing more is written into it, and the writes wait for the latest
backup to be restored (ui.window.damaged_database.RestoreOffer), then go into the restored file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from companion.errors import CompanionError
from companion.read.models import Changed, ClinicianView
from companion.services import drafts
from companion.storage import audit, write_faults
from companion.storage.damage import is_damage
from companion.storage.store import Store

RETRY_MS = 2000
QUEUED = object()  # what `attempt` returns for a write kept for later


class AppContext(QObject):
    """One per window. Views report writes through `changed`; each view decides whether to reload."""

    changed = Signal(object)  # companion.read.models.Changed
    open_visit = Signal(int, str)  # visit id, view name
    message = Signal(str)  # a calm one-line notice for the status line
    connection = Signal(bool)  # False while the database cannot be reached
    damaged = Signal()  # SQLite found the database file damaged

    def __init__(self, store: Store, clinician: ClinicianView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.clinician = clinician
        self.offline = False
        self.damage_found = False  # writes wait for a restore rather than go into a damaged file
        self._waiting: list[tuple[Callable, tuple, dict, Callable | None]] = []
        self._retry = QTimer(self, interval=RETRY_MS)
        self._retry.timeout.connect(self.retry)

    def attempt(self, action: Callable[..., Any], *args, then: Callable | None = None, **kwargs) -> Any:
        """Run a service call. Returns its result, None after a problem shown as a message, or QUEUED when
        the database is unreachable and the call waits to be replayed (then `then(result)` runs)."""
        if self.offline:
            self._waiting.append((action, args, kwargs, then))
            return QUEUED
        try:
            result = action(self.store, *args, **kwargs)
        except CompanionError as exc:
            self.message.emit(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return None
        except (OperationalError, DBAPIError) as exc:
            if not isinstance(exc, OperationalError) and not exc.connection_invalidated and not is_damage(exc):
                raise
            self._waiting.append((action, args, kwargs, then))
            if is_damage(exc):
                self.report_damage()
            else:
                self._go_offline(write_faults.kind_of(exc, self.sqlite_file()))
            return QUEUED
        self._done(result, then)
        return result

    def submit(self, line, action: Callable[..., Any], *args, then: Callable | None = None, **kwargs) -> None:
        """Save what was entered on a line (a DraftLineEdit). On success the line empties and its draft
        goes; while the database is away the line keeps the text and ignores a second Enter."""
        if line.pending:
            return

        def saved(result) -> None:
            line.pending = False
            line.accept_submission()
            self.changed.emit(Changed(what=("added",)))
            if then is not None:
                then(result)

        line.pending = self.attempt(action, *args, then=saved, **kwargs) is QUEUED

    def announce(self, visit_id: int | None, *what: str) -> None:
        """Tell the views that a visit's data changed."""
        self.changed.emit(Changed(visit_id=visit_id, what=what))

    def report_damage(self) -> None:
        """SQLite found the file damaged, on a write or on a read anywhere in the window (ui.app's hook)."""
        self.damage_found = True
        self._go_offline(write_faults.DAMAGED)
        self.damaged.emit()

    def restored(self) -> None:
        """The latest backup is in place of the damaged file: what waited is written into it now."""
        self.damage_found = False
        if self.offline:
            self.retry()

    def unsaved(self) -> int:
        """How many things typed wait to be saved. A line's draft counts once (each save replaces the one
        before), and not again when that text was also entered; audit entries are nothing typed."""
        lines: dict[tuple, str] = {}
        others = []
        for action, args, _kwargs, _then in self._waiting:
            if action is drafts.save_draft:
                lines[args[:2]] = args[2]
            elif action is not audit.record_view:
                others.append({a for a in args if isinstance(a, str)})
        typed = {text for text in lines.values() if text}
        return len(typed) + sum(1 for texts in others if not texts & typed)

    def drop_waiting(self) -> None:
        self._waiting.clear()
        self._retry.stop()

    def sqlite_file(self) -> Path | None:
        url = self.store.engine.url
        return Path(url.database) if url.get_backend_name() == "sqlite" else None

    def retry(self) -> None:
        """Replay waiting writes in order; stop at the first that still cannot reach the database."""
        if self.damage_found:
            return  # until the latest backup is restored
        try:
            with self.store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError):
            return
        while self._waiting:
            action, args, kwargs, then = self._waiting[0]
            try:
                result = action(self.store, *args, **kwargs)
            except CompanionError as exc:
                self._waiting.pop(0)
                self.message.emit(str(exc))
                continue
            except (OperationalError, DBAPIError) as exc:
                if is_damage(exc):
                    self.report_damage()
                return
            self._waiting.pop(0)
            self._done(result, then)
        self.offline = False
        self._retry.stop()
        self.connection.emit(True)
        self.message.emit(self.tr("Connected again. Everything you typed is saved."))
        self.changed.emit(Changed(what=("reconnected",)))

    def _go_offline(self, kind: str) -> None:
        if not self.offline:
            self.offline = True
            self._retry.start()
            self.connection.emit(False)
        # A full disk and a read-only or damaged database wait like an unreachable server, but the user is
        # told which.
        self.message.emit(self.tr(write_faults.MESSAGES[kind]))

    def _done(self, result: Any, then: Callable | None) -> None:
        if isinstance(result, Changed):
            self.changed.emit(result)
        if then is not None:
            then(result)
