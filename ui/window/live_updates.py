"""Live updates: when another workstation saves, the open views it concerns refresh at once.

What was saved arrives as a Changed (companion.services.live), the same a write made here returns, and goes to
every view the same way. Nothing runs while nothing changes:

- PostgreSQL: a socket notifier on the LISTEN connection wakes the window when a notification arrives.
- SQLite: every commit writes to the write-ahead log, and a watch on that file (ui.window.wal_watch) wakes the
  window; PRAGMA data_version (microseconds) then judges whether another connection committed, so the window's
  own saves, drafts and audit entries wake it but refresh nothing. A wake comes with a commit's first bytes, before
  the commit is whole (the log is synced, then SQLite's shared index updated, and neither raises a file event), so
  a wake brings a few looks at growing intervals. Wakes that come while a look is due join it, and after a refresh
  the next look waits a moment: a burst of saves elsewhere refreshes the views a few times, not once per save.
- SQLite where file events cannot be trusted (a rollback journal, a network file system, a watch refused): a
  timer reads data_version, as before the watch.

A lost connection is retried calmly, and afterwards every view reads again (nobody knows what it missed).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from companion.read.models import EVERYTHING
from companion.services.live import ChangesUnavailable, ChangeWatcher, watch
from ui.window.context import AppContext
from ui.window.wal_watch import WalWatch

SQLITE_POLL_MS = 400  # where file events cannot be trusted
# With the log watched, a timer still looks now and then, because a wake can be missed: inotify drops events when
# its queue overflows (Qt does not pass the overflow on), and a commit whose sync outlasts the looks after its wake
# (a stalled disk) raises no event when it completes. One look costs microseconds; one every few seconds is nothing.
SAFETY_POLL_MS = 5000
LOOKS_AFTER_WAKE_MS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)  # from one look to the next (2 s in all)
REFRESH_GAP_MS = 50  # after the views were told of a change, the next look waits at least this long
RECONNECT_MS = 2000
KEEPALIVE_MS = 15_000  # a dropped server link can be silent; ask now and then (one tiny query)


class LiveUpdates(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._watcher: ChangeWatcher | None = None
        self._notifier: QSocketNotifier | None = None
        self._wal = WalWatch(self)
        self._wal.touched.connect(self._woken)
        self._poll = QTimer(self, interval=SQLITE_POLL_MS)
        self._poll.timeout.connect(self.check)
        self._look = QTimer(self, singleShot=True)
        self._look.timeout.connect(self._look_again)
        self._looks_done = 0  # since the latest wake
        self._refreshed_at = float("-inf")  # time.monotonic() when the views were last told of a change
        # The watcher was lost (or never reached the database): what changed meanwhile was heard by nobody, so once
        # it is back every view reads again.
        self._lost = False
        self._reconnect = QTimer(self, interval=RECONNECT_MS, singleShot=True)
        self._reconnect.timeout.connect(self.start)
        self._keepalive = QTimer(self, interval=KEEPALIVE_MS)
        self._keepalive.timeout.connect(self._probe)
        ctx.connection.connect(self._database_back)
        self.start()

    @property
    def watching_files(self) -> bool:
        """Whether a file watch wakes the window (else a timer polls SQLite, or a socket wakes it)."""
        return self._wal.watching

    def start(self) -> None:
        if self._watcher is not None:
            self.stop()  # one watcher at a time: the one before would keep its connection open
        try:
            self._watcher = watch(self._ctx.store)
        except ChangesUnavailable:  # the database is away; try again shortly
            self._watcher = None
            self._lost = True
            self._reconnect.start()
            return
        fileno = self._watcher.fileno()
        if fileno is None:
            self._watch_the_log()  # before the first look: a commit after it wakes the window, one before it is seen
            self._poll.start(self._poll_interval())
        else:
            self._notifier = QSocketNotifier(fileno, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.check)
            self._keepalive.start()
        if self._lost:
            self._lost = False
            self._refreshed_at = time.monotonic()
            self._ctx.changed.emit(EVERYTHING)  # nobody knows what changed while nobody listened
        else:
            self.check()

    def _watch_the_log(self) -> None:
        try:
            log = self._watcher.wake_file()
        except ChangesUnavailable:
            return  # the first look says so, and a reconnect follows
        if log is not None:
            self._wal.follow(log)

    def _poll_interval(self) -> int:
        return SAFETY_POLL_MS if self._wal.watching else SQLITE_POLL_MS

    def check(self) -> bool:
        """Tell the views when something changed elsewhere; True when they were told."""
        if self._watcher is None:
            return False
        try:
            changed = self._watcher.poll()
        except ChangesUnavailable:  # the connection dropped: reconnect, then refresh everything
            self._lose()
            return False
        if changed is None:
            return False
        self._refreshed_at = time.monotonic()
        self._ctx.changed.emit(changed)
        return True

    def _woken(self) -> None:
        """The log or its folder changed: look soon, and a few times after (see the module docstring)."""
        if self._watcher is None:
            return
        if self._poll.isActive() and self._poll.interval() != self._poll_interval():
            self._poll.setInterval(self._poll_interval())  # the watch was lost (or its folder): poll instead
        self._looks_done = 0
        soonest = self._delay(LOOKS_AFTER_WAKE_MS[0])
        if not self._look.isActive() or self._look.remainingTime() > soonest:
            self._look.start(soonest)

    def _look_again(self) -> None:
        self.check()
        self._looks_done += 1
        if self._watcher is not None and self._looks_done < len(LOOKS_AFTER_WAKE_MS):
            self._look.start(self._delay(LOOKS_AFTER_WAKE_MS[self._looks_done]))

    def _delay(self, wanted_ms: int) -> int:
        """`wanted_ms`, or longer so that looks after a refresh keep REFRESH_GAP_MS from it."""
        gap_left = REFRESH_GAP_MS - (time.monotonic() - self._refreshed_at) * 1000
        return wanted_ms if gap_left < wanted_ms else int(gap_left) + 1

    def _probe(self) -> None:
        if self._watcher is None:
            return
        try:
            self._watcher.probe()
        except ChangesUnavailable:
            self._lose()

    def _lose(self) -> None:
        self.stop()
        self._lost = True
        self._reconnect.start()

    def _database_back(self, online: bool) -> None:
        """The window found the database again after an outage: listen afresh and catch up."""
        if online:
            self.stop()
            self._lost = False  # the window itself has every view read again now (AppContext._back_online)
            self.start()

    def stop(self) -> None:
        self._reconnect.stop()  # a reconnect still pending would start a second watcher over this one
        self._poll.stop()
        self._look.stop()
        self._keepalive.stop()
        self._wal.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
