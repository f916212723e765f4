"""Auto-lock: after a set idle time the window blanks and asks for the PIN. A calm warning comes first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

WARNING_SECONDS = 30
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Any key, click or movement anywhere in the app counts as activity and restarts the clock."""

    warn = Signal()
    lock = Signal()

    def __init__(self, lock_after: int, warning: int = WARNING_SECONDS * 1000, parent: QObject | None = None):
        super().__init__(parent)
        self._warning = warning
        self._warn_timer = QTimer(self, singleShot=True)
        self._lock_timer = QTimer(self, singleShot=True)
        self._warn_timer.timeout.connect(self.warn)
        self._lock_timer.timeout.connect(self.lock)
        self.lock_after(lock_after)
        QApplication.instance().installEventFilter(self)
        self.restart()

    def lock_after(self, milliseconds: int) -> None:
        """The clinic's idle time, changed while the window is open (an admin's setting, at any desk): counted
        from now when the clock is running, from the next sign-in while locked."""
        if milliseconds == self._lock_timer.interval():
            return
        self._warn_timer.setInterval(max(milliseconds - self._warning, 0))
        self._lock_timer.setInterval(milliseconds)
        if self._lock_timer.isActive():
            self.restart()

    def restart(self) -> None:
        self._warn_timer.start()
        self._lock_timer.start()

    def pause(self) -> None:
        """While locked there is nothing to lock."""
        self._warn_timer.stop()
        self._lock_timer.stop()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() in ACTIVITY and self._lock_timer.isActive():
            self.restart()
        return False

    def stop(self) -> None:
        self.pause()
        QApplication.instance().removeEventFilter(self)
