"""What every view shares: the store, who is signed in, and the signals that tie views together.

Every write goes through `attempt`. A problem the user can fix becomes a calm message. When the database
cannot be reached (a server restarting, a network cable out, a file locked for too long), the write is kept
in order and replayed when the database answers again; what the user typed stays on screen until then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from companion import write_faults
from companion.errors import CompanionError
from companion.readmodels import Changed, ClinicianView
from companion.store import Store

RETRY_MS = 2000
QUEUED = object()  # what `attempt` returns for a write kept for later


class AppContext(QObject):
    """One per window. Views report writes through `changed`; each view decides whether to reload."""

    changed = Signal(object)  # companion.readmodels.Changed
    open_visit = Signal(int, str)  # visit id, view name
    message = Signal(str)  # a calm one-line notice for the status line
    connection = Signal(bool)  # False while the database cannot be reached

    def __init__(self, store: Store, clinician: ClinicianView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.clinician = clinician
        self.offline = False
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
            if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
                raise
            self._waiting.append((action, args, kwargs, then))
            self._go_offline(exc)
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

    def retry(self) -> None:
        """Replay waiting writes in order; stop at the first that still cannot reach the database."""
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
            except (OperationalError, DBAPIError):
                return
            self._waiting.pop(0)
            self._done(result, then)
        self.offline = False
        self._retry.stop()
        self.connection.emit(True)
        self.message.emit(self.tr("Connected again. Everything you typed is saved."))
        self.changed.emit(Changed(what=("reconnected",)))

    def _go_offline(self, exc: Exception) -> None:
        if not self.offline:
            self.offline = True
            self._retry.start()
            self.connection.emit(False)
        # A full disk and a read-only database wait like an unreachable server, but the user is told which.
        self.message.emit(self.tr(write_faults.MESSAGES[write_faults.kind_of(exc)]))

    def _done(self, result: Any, then: Callable | None) -> None:
        if isinstance(result, Changed):
            self.changed.emit(result)
        if then is not None:
            then(result)
