"""What every view shares: the store, who is signed in, and the signals that tie views together."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from companion.errors import CompanionError
from companion.readmodels import Changed, ClinicianView
from companion.store import Store

Result = TypeVar("Result")


class AppContext(QObject):
    """One per window. Views report writes through `changed`; each view decides whether to reload."""

    changed = Signal(object)  # companion.readmodels.Changed
    open_visit = Signal(int, str)  # visit id, view name
    message = Signal(str)  # a calm one-line notice for the status line

    def __init__(self, store: Store, clinician: ClinicianView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.clinician = clinician

    def attempt(self, action: Callable[..., Result], *args, **kwargs) -> Result | None:
        """Run a service call; a problem the user can fix becomes a message, and None is returned."""
        try:
            result = action(self.store, *args, **kwargs)
        except CompanionError as exc:
            self.message.emit(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return None
        if isinstance(result, Changed):
            self.changed.emit(result)
        return result

    def announce(self, visit_id: int, *what: str) -> None:
        """Tell the views that a visit's data changed."""
        self.changed.emit(Changed(visit_id=visit_id, what=what))
