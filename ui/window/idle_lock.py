"""Auto-lock: after a set idle time the window blanks and asks for the PIN. A calm warning comes first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

WARNING_SECONDS = 30
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Any key, click or movement in any of the app's windows counts as activity and restarts the clock.

    The keys and the mouse reach a window (QWindow) before its widgets: the clock watches the windows, not the whole
    application. A filter on the application sees every event of every object, a glance switch's hundred layout
    and paint events included, each a call into Python (benchmarks/: a tenth of a switch)."""

    warn = Signal()
    lock = Signal()
    key_pressed = Signal()  # a key in any of the app's windows, the clock running or not

    def __init__(self, lock_after: int, warning: int = WARNING_SECONDS * 1000, parent: QObject | None = None):
        super().__init__(parent)
        self._warning = warning
        self._stopped = False
        self._warn_timer = QTimer(self, singleShot=True)
        self._lock_timer = QTimer(self, singleShot=True)
        self._warn_timer.timeout.connect(self.warn)
        self._lock_timer.timeout.connect(self.lock)
        self.lock_after(lock_after)
        application = QGuiApplication.instance()
        application.focusWindowChanged.connect(self.watch)  # a dialog, a menu: each window as it takes the keys
        for window in application.topLevelWindows():
            self.watch(window)

    def start(self) -> None:
        """The clock runs from now: from the window's first paint, not from when it was built (a window readied
        before the PIN's Enter, ui.window.start_up, must not lock unseen behind the sign-in). Never once stopped: a
        window closed before it painted gets its first-paint work all the same (ui.window.first_paint)."""
        if not self._stopped:
            self.restart()

    def watch(self, window: QWindow | None) -> None:
        """Count the keys and the mouse of this window (once: Qt keeps one filter however often it is installed);
        none once stopped (the window is closing)."""
        if window is not None and not self._stopped:
            window.installEventFilter(self)

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
        if event.type() == QEvent.Type.KeyPress:
            self.key_pressed.emit()
        return False

    def stop(self) -> None:
        self._stopped = True
        self.pause()
        for window in QGuiApplication.topLevelWindows():
            window.removeEventFilter(self)
