"""Live updates: when another workstation saves, the open views it concerns refresh within a second.

What was saved arrives as a Changed (companion.services.live), the same a write made here returns, and goes to
every view the same way. PostgreSQL: a socket notifier on the LISTEN connection, so nothing runs until a
notification arrives. SQLite: a slow timer reads PRAGMA data_version (microseconds). A lost connection is retried
calmly, and afterwards every view reads again (nobody knows what it missed).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from companion.read.models import EVERYTHING
from companion.services.live import ChangesUnavailable, ChangeWatcher, watch
from ui.window.context import AppContext

SQLITE_POLL_MS = 400
RECONNECT_MS = 2000
KEEPALIVE_MS = 15_000  # a dropped server link can be silent; ask now and then (one tiny query)


class LiveUpdates(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._watcher: ChangeWatcher | None = None
        self._notifier: QSocketNotifier | None = None
        self._poll = QTimer(self, interval=SQLITE_POLL_MS)
        self._poll.timeout.connect(self.check)
        self._reconnect = QTimer(self, interval=RECONNECT_MS, singleShot=True)
        self._reconnect.timeout.connect(self.start)
        self._keepalive = QTimer(self, interval=KEEPALIVE_MS)
        self._keepalive.timeout.connect(self._probe)
        ctx.connection.connect(self._database_back)
        self.start()

    def start(self) -> None:
        try:
            self._watcher = watch(self._ctx.store)
        except ChangesUnavailable:  # the database is away; try again shortly
            self._watcher = None
            self._reconnect.start()
            return
        fileno = self._watcher.fileno()
        if fileno is None:
            self._poll.start()
        else:
            self._notifier = QSocketNotifier(fileno, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.check)
            self._keepalive.start()
        self.check()

    def check(self) -> None:
        """Tell the views when something changed elsewhere."""
        if self._watcher is None:
            return
        try:
            changed = self._watcher.poll()
        except ChangesUnavailable:  # the connection dropped: reconnect, then refresh everything
            self.stop()
            self._reconnect.start()
            return
        if changed is not None:
            self._ctx.changed.emit(changed)

    def _probe(self) -> None:
        if self._watcher is None:
            return
        try:
            self._watcher.probe()
        except ChangesUnavailable:
            self.stop()
            self._reconnect.start()

    def _database_back(self, online: bool) -> None:
        """The window found the database again after an outage: listen afresh and catch up."""
        if online:
            self.stop()
            self.start()
            self._ctx.changed.emit(EVERYTHING)

    def stop(self) -> None:
        self._poll.stop()
        self._keepalive.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
