"""Inside a measured child: watch the app's windows paint, sign in as a user would, then do the mode's job.

The child prints one JSON line per report on stdout. Times are `time.monotonic()`, which on Linux is one
clock for every process, so the parent compares them with the time it took just before starting the child.

Modes (BENCH_MODE): "startup" quits soon after the main window painted and reports peak memory; "stay"
keeps the window open (idle CPU); "live" reports when notes saved elsewhere show; "switch" times switching
the glance between visits (benchmarks.probe_modes).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow

from benchmarks.report import peak_rss_kb, report, rss_kb

SETTLE_MS = 500  # after the main window painted, let deferred work run before reading peak memory
# A person's pace at the sign-in, from the Keystroke-Level Model (Card, Moran & Newell, "The Psychology of
# Human-Computer Interaction", 1983): 1.35 s to get ready (M) once the dialog is there, then 0.2 s a key (K, a
# skilled typist), Enter included. The app readies the main window meanwhile, as it would for a person; the
# Enter's report says whether it had finished.
GET_READY_MS = 1350
KEY_MS = 200


class Watcher(QObject):
    """Sees every event of the application (nested dialog loops included). The first Paint of a top-level
    window is the first painted content; a zero-delay timer fires once that paint has been drawn."""

    def __init__(self, app: QApplication, mode: str, pin: str = "") -> None:
        super().__init__()
        self._app = app
        self._mode = mode
        self._pin = pin
        self._first_seen = False
        self._pin_typed = False
        self.window: QMainWindow | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        # Every paint of a window is looked at (ids of Python wrappers are reused, so no "seen" set).
        if event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
            QTimer.singleShot(0, lambda w=watched: self._window_painted(w))
        return False

    def _window_painted(self, window) -> None:
        now = time.monotonic()
        if not self._first_seen:
            self._first_seen = True
            report(event="first_paint", t=now, window=type(window).__name__, peak_rss_kb=peak_rss_kb())
        if isinstance(window, QDialog) and self._pin and not self._pin_typed:
            self._pin_typed = True
            QTimer.singleShot(GET_READY_MS, lambda: self._type_pin(window, self._pin))
        elif isinstance(window, QMainWindow) and self.window is None:
            self.window = window
            self._app.removeEventFilter(self)
            shows = window.current_view() if hasattr(window, "current_view") else ""
            visit = getattr(window, "visit_id", None)
            report(event="main_paint", t=now, peak_rss_kb=peak_rss_kb(), rss_kb=rss_kb(), view=shows, visit=visit)
            self._start_mode()

    def _type_pin(self, dialog: QDialog, keys: str) -> None:
        """Sign in as a person would: the PIN into the PIN field a key at a time, then Enter."""
        from PySide6.QtTest import QTest  # imported here: not part of any measured start

        fields = [f for f in dialog.findChildren(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password]
        if not fields:
            return
        if keys:
            QTest.keyClicks(fields[0], keys[0])
            QTimer.singleShot(KEY_MS, lambda: self._type_pin(dialog, keys[1:]))
            return
        # What the app had loaded when the person pressed Enter: the database layer and the main window's code.
        ready = {"database_layer": "sqlalchemy" in sys.modules, "window_code": "ui.main_window" in sys.modules}
        report(event="pin_entered", t=time.monotonic(), **ready)
        QTest.keyClick(fields[0], Qt.Key.Key_Return)

    def _start_mode(self) -> None:
        from benchmarks import probe_modes

        if self._mode == "startup":
            QTimer.singleShot(SETTLE_MS, self._finish)
        elif self._mode == "live":
            probe_modes.watch_live_notes(self.window)
        elif self._mode == "switch":
            QTimer.singleShot(0, lambda: probe_modes.time_switches(self.window))
        report(event="ready", pid=os.getpid())

    def _finish(self) -> None:
        report(event="done", peak_rss_kb=peak_rss_kb(), rss_kb=rss_kb())
        self._app.quit()


def watch(app: QApplication) -> Watcher:
    """Install the watcher on a new application, configured from the environment."""
    return Watcher(app, os.environ.get("BENCH_MODE", "startup"), os.environ.get("BENCH_PIN", ""))
