"""Today's backup of a SQLite database, made in the background at start (a large file takes longer than
the 50 ms the window's thread may spend), and reported in the window only when it fails."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from companion.backups import daily_backup
from ui.labels import tr


class _Signals(QObject):
    done = Signal(str)  # "" when all went well, else a one-line problem


class _Backup(QRunnable):
    def __init__(self, database: Path, signals: _Signals) -> None:
        super().__init__()
        self._database = database
        self._signals = signals

    def run(self) -> None:
        try:
            daily_backup(self._database)
        except Exception as exc:  # a background thread must report a problem, never die with it
            self._signals.done.emit(tr("Today's backup could not be made: %s.") % str(exc).splitlines()[0])
            return
        self._signals.done.emit("")


class DailyBackup(QObject):
    """Starts at once; `report_to(show)` hands a problem to the window, also one found before it opened."""

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem: str | None = None
        self.finished = False
        self._show = None
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        QThreadPool.globalInstance().start(_Backup(database, self._signals))

    def report_to(self, show) -> None:
        self._show = show
        if self.problem:
            show(self.problem)

    def _done(self, problem: str) -> None:
        self.finished = True
        self.problem = problem or None
        if problem and self._show is not None:
            self._show(problem)


def start_daily_backup(store, parent: QObject | None = None) -> DailyBackup | None:
    """Today's backup of a SQLite database (a PostgreSQL server is backed up by the clinic: README)."""
    if store.engine.url.get_backend_name() != "sqlite":
        return None
    return DailyBackup(Path(store.engine.url.database), parent)
