"""After an update of the privacy rules, what was stored before them is judged again once, in the background of the
window (a large clinic's millions of notes take minutes, which the window's thread may not spend); each batch that
made facts private is logged as a change, so every open glance reads again at once (ui.window.live_updates).
Closing the window stops it between batches; the next start goes on from the beginning."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from companion.services import rules_update
from ui.window.labels import tr

STOP_WAIT_SECONDS = 5


class _Stopped(Exception):
    """The window is closing: the run ends between two batches."""


class _Signals(QObject):
    done = Signal(object)  # how many facts became private, None when the rules had not changed, or a problem (str)


class _Recheck(QRunnable):
    def __init__(self, store, signals: _Signals, stop: threading.Event, ended: threading.Event) -> None:
        super().__init__()
        self._store, self._signals, self._stop, self._ended = store, signals, stop, ended

    def run(self) -> None:
        def between_batches(_done: int) -> None:
            if self._stop.is_set():
                raise _Stopped

        try:
            result = rules_update.judge_stored_again(self._store, progress=between_batches)
            rules_update.done_judging(self._store)  # stored facts are judged: read as stored again
        except _Stopped:
            result = None
        except Exception as exc:  # a background thread must report a problem, never die with it
            result = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            self._ended.set()
        if not self._stop.is_set():  # a closed window is told nothing
            self._signals.done.emit(result)


class RulesRecheck(QObject):
    """Started once the window has painted; `show(text)` is the window's notice line."""

    def __init__(self, store, show, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show
        self._stop, self._ended = threading.Event(), threading.Event()
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        QThreadPool.globalInstance().start(_Recheck(store, self._signals, self._stop, self._ended))

    def stop(self) -> None:
        """The window closes: the run ends after the batch it is judging (waited for a few seconds at most; a batch
        stopped short is written again at the next start)."""
        self._stop.set()
        self._ended.wait(STOP_WAIT_SECONDS)

    def _done(self, result) -> None:
        if isinstance(result, str):
            self._show(tr("Stored facts could not be judged with the updated privacy rules: %s.") % result)
        elif result == 1:
            self._show(tr("The updated privacy rules keep 1 more stored fact off the glance."))
        elif result:
            self._show(tr("The updated privacy rules keep %d more stored facts off the glance.") % result)
