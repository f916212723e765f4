"""Between visits: a short re-centring pause, then the next visit's prep card. One key skips it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from companion.services import encounter, visits
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import plain_label, point_size, shown_reason, space_key

RECENTRE_SECONDS = 20
PREFERENCE = "recentre_pause"


class RecentreView(QWidget):
    """Space or Enter skips; when the pause ends the next visit opens where the clinician needs it."""

    def __init__(self, ctx: AppContext, preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._preferences = preferences
        self.visit_id: int | None = None
        self.next_visit: int | None = None
        self.seconds = RECENTRE_SECONDS
        self._remaining = 0
        self._held = False
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self.title = plain_label(tr("Re-centre"), role="patientLine")
        point_size(self.title, 18, bold=True)
        self.cue = plain_label(tr("Breathe out slowly. Let the last visit go."))
        point_size(self.cue, 14)
        self.countdown = plain_label(role="countdown", wrap=False)
        point_size(self.countdown, 22, bold=True)
        self.next_line = plain_label(role="hint")
        self.enabled_box = QCheckBox(tr("&Pause between visits"))
        self.enabled_box.setChecked(self.enabled())
        self.enabled_box.toggled.connect(lambda on: preferences.set(PREFERENCE, on))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.cue, self.countdown, self.next_line):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addStretch(2)
        layout.addWidget(self.enabled_box)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        space_key(self, self.skip)
        QShortcut(QKeySequence("Return"), self, self.skip)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """The keyboard is on the pause, not on its check box (the only control, which Qt would hand it to): Space
        skips; Tab reaches the box, where Space ticks it."""
        super().showEvent(event)
        self.setFocus()

    def enabled(self) -> bool:
        """On by default; the clinician can turn it off."""
        return bool(self._preferences.get(PREFERENCE, True))

    def show_visit(self, finished_visit_id: int) -> None:
        self.visit_id = finished_visit_id
        self.next_visit = encounter.next_visit_id(self._ctx.store, finished_visit_id)
        if self.next_visit is None:
            self.next_line.setText(tr("No more visits today. Space or Enter: back to Today."))
        else:
            row = visits.visit_row(self._ctx.store, self.next_visit)
            self.next_line.setText(
                tr("Next: %s · %s. Space or Enter skips.") % (f"{row.scheduled_at:%H:%M}", shown_reason(row))
            )
        self._remaining = self.seconds
        self._show_remaining()
        self._timer.start()

    def running(self) -> bool:
        return self._timer.isActive()

    def skip(self) -> None:
        if self.visit_id is not None:
            self._finish()

    def stop(self) -> None:
        """The clinician went elsewhere: no pause ends behind their back."""
        self._timer.stop()
        self._held = False
        self.visit_id = None

    def hold(self) -> None:
        """The window locked: the pause waits, so the next visit does not open behind the lock."""
        self._held = self._held or self._timer.isActive()
        self._timer.stop()

    def go_on(self) -> None:
        """The same clinician is back: the pause goes on from where it was."""
        if self._held and self.visit_id is not None:
            self._timer.start()
        self._held = False

    def _tick(self) -> None:
        self._remaining -= 1
        self._show_remaining()
        if self._remaining <= 0:
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        self.visit_id = None
        if self.next_visit is None:
            self._ctx.open_visit.emit(0, "today")
        else:
            self._ctx.open_visit.emit(self.next_visit, "prepare")

    def _show_remaining(self) -> None:
        self.countdown.setText(f"0:{max(self._remaining, 0):02d}")
