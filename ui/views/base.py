"""What the views share: reload when a change concerns them, and only while someone can see them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from companion.read.models import Changed
from ui.window.context import AppContext


class ChangeAwareView(QWidget):
    """A hidden view (another view is on screen, or the window is hidden) notes that it is out of date
    and reloads once when shown again, instead of querying on every change."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self._stale = False
        ctx.changed.connect(self._changed)

    def concerns(self, changed: Changed) -> bool:
        """By default: a change to this view's visit, or one whose visit is not known."""
        return self.visit_id is not None and changed.visit_id in (None, self.visit_id)

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
