"""Today's backup of a SQLite database, made in the background at start (a large file takes longer than
the 50 ms the window's thread may spend) and again each hour while the window is open, so that a window
left open for days still makes one a day; reported in the window only when it fails. It reads the database and
writes only its own file, so it runs beside the saving thread (ui.window.operations), never delaying a save."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from companion.services import database
from ui.window.labels import tr

CHECK_MS = 60 * 60 * 1000  # a backup that exists already costs one stat of its name


class _Signals(QObject):
    done = Signal(str)  # "" when all went well, else a one-line problem


class _Backup(QRunnable):
    def __init__(self, store: database.Store, signals: _Signals) -> None:
        super().__init__()
        self._store = store
        self._signals = signals

    def run(self) -> None:
        try:
            database.back_up_today(self._store)
        except Exception as exc:  # a background thread must report a problem, never die with it
            self._signals.done.emit(tr("Today's backup could not be made: %s.") % str(exc).splitlines()[0])
            return
        self._signals.done.emit("")


class DailyBackup(QObject):
    """Starts at once, then checks every CHECK_MS; `report_to(show)` hands a problem to the window, also one
    found before it opened."""

    def __init__(self, store: database.Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem: str | None = None
        self.finished = False  # the first run is over
        self._running = False
        self._store = store
        self._show = None
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        self.check()

    def check(self) -> None:
        """Make today's backup unless it exists; one run at a time."""
        if not self._running:
            self._running = True
            QThreadPool.globalInstance().start(_Backup(self._store, self._signals))

    def report_to(self, show) -> None:
        self._show = show
        if self.problem:
            show(self.problem)

    def _done(self, problem: str) -> None:
        self._running = False
        self.finished = True
        self.problem = problem or None
        if problem and self._show is not None:
            self._show(problem)


def start_daily_backup(store: database.Store, parent: QObject | None = None) -> DailyBackup | None:
    """Today's backup of a SQLite database (a PostgreSQL server is backed up by the clinic: README)."""
    return DailyBackup(store, parent) if store.sqlite_file is not None else None
