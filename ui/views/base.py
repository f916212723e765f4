"""What the views share: read again when a change concerns them (the kinds they show, of the patient they show),
and only while someone can see them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from companion.read.models import Changed
from ui.window.context import AppContext


class ChangeAwareView(QWidget):
    """A hidden view (another view is on screen, or the window is hidden) notes that it is out of date
    and reloads once when shown again, instead of querying on every change."""

    kinds: frozenset[str] = frozenset()  # what the view shows (companion.read.models.KINDS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self.patient_id: int | None = None  # the patient whose facts the view shows, once it shows one
        self._stale = False
        ctx.changed.connect(self._changed)

    def concerns(self, changed: Changed) -> bool:
        """By default: a change to the kinds this view shows, for the patient it shows."""
        return self.patient_id is not None and changed.touches(self.kinds, self.patient_id)

    def refresh(self) -> None:
        raise NotImplementedError

    def _changed(self, changed: Changed) -> None:
        if not self.concerns(changed):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()
