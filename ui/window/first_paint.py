"""Work that waits for a window's first paint: the window is on screen at once, and the work follows within the
same second (the sign-in's database and names, ui.window.start_up; the main window's other views,
ui.window.view_pages). Before the paint, such work would only delay it (DESIGN.md, performance budgets)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# A window shown but never painted (a display that paints only what is uncovered, and something covers it) must
# not wait for ever: the work runs this long after the window was shown.
UNPAINTED_MS = 1000


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._unpainted = QTimer(self, singleShot=True, interval=UNPAINTED_MS)
        self._unpainted.timeout.connect(self._run)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show and not self._unpainted.isActive():
            self._unpainted.start()
        elif event.type() == QEvent.Type.Paint:
            self._unpainted.stop()
            # Queued from inside the paint: it runs once the whole window is drawn and flushed to the screen.
            QTimer.singleShot(0, self, self._run)
            watched.removeEventFilter(self)
        return False

    def _run(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)
            then()


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Call `then` once, on the window's thread, right after `window` has painted for the first time."""
    _FirstPaint(window, then)
