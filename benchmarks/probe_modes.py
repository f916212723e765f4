"""What a measured child does once the app's main window has painted (see benchmarks.probe)."""

from __future__ import annotations

import os
import re
import time

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from benchmarks.report import report

LIVE_MARK = re.compile(r"Bench live note (\d+)\b")
WARM_UP_SWITCHES = 5
# Events posted while posted events are handled wait for the next call: a layout pass may resize a label, whose
# repaint is then posted. Counted on the large clinic: 8 % of switches painted again in a second round, laid out
# first with the previous visit's sizes, until ui.window.widgets.sizes_changed; none does now, none ever did in a
# third. The rounds stay, so that a switch that paints twice is timed whole.
SETTLE_ROUNDS = 3


def visible_texts(window: QMainWindow) -> list[str]:
    """What a person can read in the window now (an elided line counts with its whole text)."""
    texts = []
    for label in window.findChildren(QLabel):
        if label.isVisible():
            full = getattr(label, "full_text", None)
            texts.append(full() if callable(full) else label.text())
    return texts


def watch_live_notes(window: QMainWindow) -> None:
    """Report each benchmark note the moment it is on screen. Connected after the views, so this runs after
    they have refreshed for the same change; the window is then repainted before the time is taken."""
    seen: set[int] = set()

    def check(_changed=None) -> None:
        found = {int(m.group(1)) for text in visible_texts(window) for m in LIVE_MARK.finditer(text)} - seen
        if found:
            window.repaint()
            now = time.monotonic()
            for number in sorted(found):
                report(event="shown", n=number, t=now)
            seen.update(found)

    window.ctx.changed.connect(check)


def time_switches(window: QMainWindow) -> None:
    """Switch the glance to each visit in BENCH_VISITS; each time runs from the request until the window shows
    the new visit as it finally looks. That is what Qt's event loop does after a key press, here without the
    rest of the loop: the layout requests the switch posted (a label given a second line grows to its text),
    then the update request, which paints every widget that changed and flushes the window to the screen,
    until nothing more is painted."""
    visits = [int(v) for v in os.environ["BENCH_VISITS"].split(",")]
    times_ms, app_ms = [], []
    for n, visit_id in enumerate(visits):
        started = time.perf_counter()
        window.show_view("glance", visit_id)
        shown = time.perf_counter()  # the app's own work: reading the visit, filling and fitting the glance
        for _ in range(SETTLE_ROUNDS):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            QApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
        elapsed = (time.perf_counter() - started) * 1000
        if n >= WARM_UP_SWITCHES:
            times_ms.append(elapsed)
            app_ms.append((shown - started) * 1000)
        QApplication.processEvents()  # whatever the switch queued runs between switches, as between clicks
    report(event="switches", ms=times_ms, app_ms=app_ms)
    QApplication.quit()
