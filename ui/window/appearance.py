"""How the window looks for the clinician signed in: text size (Ctrl+= larger, Ctrl+- smaller, Ctrl+0 as
built) and high contrast (Ctrl+Alt+H), each remembered per clinician on this workstation.

Text zoom scales every type size together: the application's 12 pt base and every size a view sets in code
(ui.window.widgets.point_size records each widget's own size, so zooming never compounds). It never goes below
the built sizes: 12 pt is the smallest type anywhere (DESIGN.md glance rules). The window's smallest size grows
with the text, so the glance, built to show every key fact whole at that size, still does (showing fewer items,
ui.views.glance.GlanceView.fit); the text grows only as far as the screen holds that window.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from companion.services.preferences import Preferences
from ui.window import theme
from ui.window.labels import tr

ZOOM_STEPS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
BASE_POINTS = 12.0
BASE_SIZE = "basePoints"  # the widget property holding the size a view chose, before zoom
_zoom = 1.0


def zoomed(points: float) -> float:
    """A type size at the zoom in use (for ui.window.widgets.point_size)."""
    return points * _zoom


def zoom() -> float:
    return _zoom


def apply_zoom(factor: float) -> None:
    """Every widget's type at `factor` times the size it was built with."""
    global _zoom
    _zoom = factor
    app = QApplication.instance()
    font = app.font()
    font.setPointSizeF(BASE_POINTS * factor)
    app.setFont(font)
    app.setStyleSheet(app.styleSheet())  # under a style sheet, widgets take a new application font on re-polish
    for widget in app.allWidgets():
        base = widget.property(BASE_SIZE)
        if base is not None:
            sized = QFont(widget.font())
            sized.setPointSizeF(float(base) * factor)
            widget.setFont(sized)


class Appearance:
    """One per window. `said(text)` tells the clinician what changed (the window's notice line); the window's
    smallest size is `smallest` at the built text size, and grows with it."""

    def __init__(self, window: QWidget, smallest: tuple[int, int], preferences: Preferences, said) -> None:
        self._window = window
        self._smallest = smallest
        self._preferences = preferences
        self._said = said
        self._clinician: int | None = None

    def largest_zoom(self) -> float:
        """The largest step at which the window's smallest size still fits on its screen."""
        room = self._window.screen().availableGeometry()
        fits = [
            f for f in ZOOM_STEPS if self._smallest[0] * f <= room.width() and self._smallest[1] * f <= room.height()
        ]
        return max(fits, default=1.0)

    def _zoom(self, factor: float) -> None:
        apply_zoom(factor)
        width, height = self._smallest
        self._window.setMinimumSize(round(width * factor), round(height * factor))  # a smaller window grows

    def apply_for(self, clinician_id: int) -> None:
        """The clinician's own text size and contrast, as they left them (the desktop's contrast otherwise)."""
        self._clinician = clinician_id
        remembered = self._preferences.get(self._key("text_zoom"), 1.0)
        factor = remembered if remembered in ZOOM_STEPS else 1.0  # a hand-edited file is not trusted
        factor = min(factor, self.largest_zoom())  # another workstation's screen may be smaller
        if factor != _zoom:
            self._zoom(factor)
        contrast = self._preferences.get(self._key("high_contrast"))
        wanted = theme.desktop_wants_high_contrast() if contrast is None else bool(contrast)
        if (theme.current() is theme.HIGH_CONTRAST) != wanted:
            theme.apply_theme(QApplication.instance(), theme.HIGH_CONTRAST if wanted else theme.CALM)

    def step_zoom(self, steps: int) -> None:
        """One step larger or smaller; 0 goes back to the built sizes."""
        index = ZOOM_STEPS.index(_zoom) if _zoom in ZOOM_STEPS else 0
        index = 0 if steps == 0 else max(0, min(index + steps, len(ZOOM_STEPS) - 1))
        factor = min(ZOOM_STEPS[index], self.largest_zoom())
        if factor == _zoom and steps:
            self._said(
                tr("Text is as large as this screen can show the glance whole.")
                if steps > 0
                else tr("Text is at its smallest.")
            )
            return
        self._zoom(factor)
        self._said(tr("Text size %d %%.") % round(factor * 100) + self._remember("text_zoom", factor))

    def toggle_contrast(self) -> None:
        high = theme.current() is not theme.HIGH_CONTRAST
        theme.apply_theme(QApplication.instance(), theme.HIGH_CONTRAST if high else theme.CALM)
        said = tr("High contrast: on.") if high else tr("High contrast: off.")
        self._said(said + self._remember("high_contrast", high))

    def _remember(self, name: str, value) -> str:
        """Kept for next time; a preferences file that cannot be written (a full or read-only disk) changes
        only that, and the clinician is told."""
        if self._preferences.set(self._key(name), value):
            return ""
        return " " + tr("(Not remembered: this computer's settings folder cannot be written.)")

    def _key(self, name: str) -> str:
        return f"{name}.{self._clinician}"
