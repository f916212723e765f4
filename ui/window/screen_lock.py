"""The lock is a lock: while the window asks for a PIN, only the sign-in can be reached or seen.

One application-wide event filter, on while locked, does it for every key and window there is or will be:
each shortcut (QShortcut, QAction, a button's "&Name" mnemonic) arrives as one kind of event, which is
dropped unless it belongs to the sign-in; keys, clicks and tooltips meant for anything else are dropped and
the keyboard goes back to the sign-in; and every other window is put away, at the lock and whenever one
appears while locked. A window that shows no patient (an import's progress, the clinician's own ritual)
can be kept behind the lock for the same clinician (`keep_behind_lock`); one with a `put_away()` method
(an edit dialog: its words become a draft) is asked to go; any other window is closed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

KEPT = "keptBehindLock"  # may come back to the same clinician
HELD = "heldBehindLock"  # hidden by the lock, waiting for it to open
INPUT = {  # dropped on their way to a widget outside the sign-in (a QWindow passes them on to its widgets)
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.ContextMenu,
    QEvent.Type.ToolTip,
    QEvent.Type.WhatsThis,
}


def keep_behind_lock(window: QWidget) -> None:
    """This window shows no patient: the lock hides it, and gives it back when the same clinician returns."""
    window.setProperty(KEPT, True)


class ScreenLock(QObject):
    """Engaged by the window as it locks, released when someone signs in."""

    def __init__(self, window: QWidget, sign_in: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._sign_in = sign_in
        self._engaged = False
        self._sweep_queued = False

    def engage(self) -> None:
        if self._engaged:
            return
        self._engaged = True
        QApplication.instance().installEventFilter(self)
        # The app had the keyboard (not another program). Either answer will do: between a dialog's going and
        # the window's activation, there can be a moment with no active window while the app is still active.
        ours = QApplication.activeWindow() is not None or (
            QApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        )
        self._sweep()
        if ours:
            self._window.activateWindow()  # a dialog put away gives the keyboard back: the PIN can be typed
        self._sign_in.setFocus()

    def release(self, same_clinician: bool) -> None:
        """The same clinician finds kept windows as they were; for anyone else they are closed."""
        if not self._engaged:
            return
        self._engaged = False
        QApplication.instance().removeEventFilter(self)
        for widget in QApplication.topLevelWidgets():
            if widget.property(HELD):
                widget.setProperty(HELD, False)
                widget.show() if same_clinician else widget.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if not self._allowed(watched):
                self._queue_sweep()  # after its show has finished: hidden in the same turn of the loop
            return False
        if kind == QEvent.Type.Shortcut:  # to a QShortcut, a QAction, or a widget for its mnemonic
            return not self._belongs_to_sign_in(watched)
        if kind not in INPUT or not isinstance(watched, QWidget) or self._belongs_to_sign_in(watched):
            return False
        if kind == QEvent.Type.KeyPress:
            self._sign_in.setFocus()  # typing goes where it can do something: the PIN
        return True

    def _queue_sweep(self) -> None:
        if not self._sweep_queued:
            self._sweep_queued = True
            QTimer.singleShot(0, self._sweep)

    def _sweep(self) -> None:
        """Put away every visible window but the locked one and the sign-in's own (its list, a menu)."""
        self._sweep_queued = False
        if not self._engaged:
            return
        QToolTip.hideText()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not self._allowed(widget):
                self._put_away(widget)

    def _allowed(self, widget: QWidget) -> bool:
        return widget is self._window or self._belongs_to_sign_in(widget)

    def _put_away(self, widget: QWidget) -> None:
        if widget.property(KEPT):
            widget.setProperty(HELD, True)
            widget.hide()
            return
        put_away = getattr(widget, "put_away", None)
        if callable(put_away):
            put_away()
        else:
            widget.close()
        if widget.isVisible():  # a message box without an Esc answer refuses to close
            widget.hide()

    def _belongs_to_sign_in(self, obj: QObject | None) -> bool:
        """The sign-in itself, anything inside it, or a popup it opened (a QObject parent chain, which goes
        on through windows where QWidget.isAncestorOf stops)."""
        while obj is not None:
            if obj is self._sign_in:
                return True
            obj = obj.parent()
        return False
