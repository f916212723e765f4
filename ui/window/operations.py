"""Saving off the window's thread (Anki's CollectionOp, in small): every write runs on one background thread, in
the order it was asked for, and its outcome is applied on the window's thread.

A save that takes a few milliseconds is waited for briefly, so the window shows its result at once, with no flicker
of a "saving" state; one that takes longer (another workstation holds the database's write lock) is left to
finish in the background while the window goes on painting and taking keys, and its outcome arrives later, in
order. A read never waits for a writer (companion.storage.busy), so views refresh meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from PySide6.QtCore import QObject, Signal

from companion.services import audit_trail

# Long enough for any ordinary save (2 to 20 ms), short enough not to be felt as a pause.
QUICK_SAVE_SECONDS = 0.15


class Operations(QObject):
    """`run(call, done)`: `call()` runs on the background thread, `done(future)` on the window's thread (the
    future holds the call's result or the exception it raised). Returns True when done has already run."""

    _finished = Signal(object, object)  # the future and its done, carried to the window's thread
    busy_changed = Signal(bool)  # True while a save runs longer than a quick one

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="companion-save")
        self._in_flight = 0  # saves whose outcome has not been applied yet
        self._closing = False
        self._finished.connect(self._apply)

    def run(self, call: Callable[[], Any], done: Callable[[Future], None]) -> bool:
        if self._closing:
            # A timer or a focus change after the window closed (a draft's delay, the database's retry): the close
            # saved every draft and asked about what waited, so there is nothing left for this to do.
            return False
        future = self._thread.submit(audit_trail.in_the_name_of_now()(call))  # its asker's, whoever signs in next
        if self._in_flight == 0:
            wait([future], timeout=QUICK_SAVE_SECONDS)
            if future.done():  # the usual case: applied now, as if it ran here
                done(future)
                return True
        self._in_flight += 1
        if self._in_flight == 1:
            self.busy_changed.emit(True)
        # Emitted from the background thread: Qt queues it to this object's (the window's) thread, in order.
        future.add_done_callback(lambda finished: self._finished.emit(finished, done))
        return False

    def prepare(self, call: Callable[[], Any]) -> None:
        """Run `call` on the save thread ahead of the saves that need what it builds. Nothing waits for it: a save
        asked for meanwhile runs after it, and a failure is dropped here (the save that needs it meets it again).
        Nothing is started once the window is closing."""
        if not self._closing:
            self._thread.submit(call)

    def pending(self) -> int:
        return self._in_flight

    def _apply(self, future: Future, done: Callable[[Future], None]) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self.busy_changed.emit(False)
        done(future)

    def shut_down(self) -> None:
        """Let the saves already asked for finish (the window is closing); nothing new is taken."""
        self._closing = True
        self._thread.shutdown(wait=True)
