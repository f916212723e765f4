"""The window's start, up to a verified PIN. The sign-in paints first, from what this workstation remembers
(the last clinician's name: companion.services.preferences), before the database layer loads: the start budget
is the bare PySide6 + SQLModel window's, and this window paints sooner than that one can (DESIGN.md, performance
budgets). Right after that first paint the store opens (a damaged file: the offer of the latest backup comes
first, and nobody signs in to it), the names fill in and today's backup starts in the background; then, one
step per turn of the event loop while the PIN is typed, what the main window needs is loaded, so that the glance
paints within 100 ms of the Enter. Loading reads nothing of any patient and writes nothing to the database.

The PIN itself is checked as it is typed (ui.window.pin_ahead). Once the PIN typed is found right, and its Enter
will sign the clinician in at once, the main window is readied for them, hidden: the PIN is verified before
anyone's data is read, as always, and the Enter only has to show it. The readied window writes nothing and paints
nothing until then (what its first paint starts, such as the audit entry of the visit opened, follows the Enter);
a key typed after it, or another name chosen, or the sign-in closed, and it is let go unseen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from companion.errors import CompanionError
from companion.read.models import ClinicianView
from companion.services.preferences import Preferences
from ui.window.first_paint import after_first_paint
from ui.window.sign_in_dialog import SignInDialog

if TYPE_CHECKING:  # the database layer loads after the sign-in paints
    from companion.services.database import Store
    from ui.window.damaged_database import Restored

    Ready = Callable[[Store, Preferences, ClinicianView], QWidget | None]

# What the main window needs, loaded while the PIN is typed, one module per step (a key typed meanwhile waits for
# one at most): the domain's first, then the window's.
WINDOW_MODULES = (
    "companion.services.retention",
    "companion.services.visits",
    "companion.read.briefing",
    "companion.read.summary",
    "companion.services.encounter",
    "ui.window.context",
    "ui.views.today",
    "ui.views.glance",
    "ui.views.rooming",
    "ui.views.prepare",
    "ui.views.admin",
    "ui.main_window",
)


class StartUp(QObject):
    """One start: `sign_in()` shows the sign-in and returns who signed in; `store`, `preferences`, `restored` and
    `backup` are then what the window goes on with."""

    def __init__(self, location: str | None, ready: Ready | None = None) -> None:
        """`ready(store, preferences, clinician)`: the main window for a clinician whose PIN was found right before
        its Enter, built but not shown (None when it cannot be readied; the Enter then opens it as usual)."""
        super().__init__()
        self._location = location
        self._ready = ready
        self.readied: QWidget | None = None  # after sign_in(): the window readied for whoever signed in, if any
        self._readied_window: QWidget | None = None
        self._readied_for: int | None = None  # whose it is
        self.let_go = 0  # windows readied, then let go unseen
        self.store = None
        self.restored: Restored | None = None  # what was restored, for the window's notice line and audit log
        self.backup = None
        self._problem: BaseException | None = None
        try:
            self.preferences: Preferences | None = Preferences.of_database(location)
        except (CompanionError, OSError):
            self.preferences = None  # the store's opening says what is wrong, in a box (open_or_restore)
        remembered = self.preferences.remembered_clinician() if self.preferences else None
        chosen_id = self.preferences.get("clinician_id") if self.preferences else None
        self.dialog = SignInDialog(None, chosen_id, remembered=remembered)
        self._steps: list[Callable[[], object]] = []
        if ready is not None:
            self.dialog.panel.right_ahead.connect(self._ready_window)
            self.dialog.panel.typed_on.connect(self._let_go_of_readied)
        after_first_paint(self.dialog, self._open_store)

    def sign_in(self) -> ClinicianView | None:
        """Who signed in (their PIN verified), or None when the sign-in was closed or the user chose to quit at a
        damaged file. A problem opening the database was shown in a box; it is raised here for the command line's
        one line (companion.cli.start)."""
        self.dialog.exec()
        self._steps.clear()
        self._ready = None  # an answer still on its way readies nothing now
        clinician = self.dialog.chosen
        if clinician is not None and clinician.id == self._readied_for:
            self.readied = self._take_readied()
        self._let_go_of_readied()
        if self._problem is not None:
            raise self._problem
        if clinician is not None:
            self.preferences.remember_clinician(clinician)  # preselected and shown at once next time
        return clinician

    def _open_store(self) -> None:
        # The database layer loads here, after the sign-in is on screen.
        from ui.window.backup_task import start_daily_backup
        from ui.window.damaged_database import open_or_restore

        try:
            opened = open_or_restore(self._location)  # a damaged file: the latest backup is offered first
            if opened is None:
                self.dialog.reject()
                return
            self.store, self.restored = opened
            self.preferences = self.preferences or Preferences.of_database(self._location)
            self.backup = start_daily_backup(self.store, QApplication.instance())  # in the background
            # A PIN typed for the damaged file is not sent to the restored one: the notice comes, then the PIN.
            self.dialog.open_store(self.store, keep_typed=self.restored is None)
        except Exception as exc:  # noqa: BLE001 (raised again by sign_in, out of the dialog's event loop)
            self._problem = exc
            self.dialog.reject()
            return
        if self.dialog.chosen is not None:
            return  # an Enter that waited for the names has signed in: the window is built now
        self._steps = [self._load_content, *(partial(import_module, module) for module in WINDOW_MODULES)]
        QTimer.singleShot(0, self, self._next_step)

    def _next_step(self) -> None:
        """One step of readying, then the next on the following turn of the event loop (keys typed in between
        are handled in between)."""
        if not self._steps:
            return
        self._steps.pop(0)()
        QTimer.singleShot(0, self, self._next_step)

    def _ready_window(self, clinician: ClinicianView) -> None:
        if self._ready is None or self.store is None or self.dialog.chosen is not None:
            return
        self._let_go_of_readied()
        while self._steps:  # typed before the window's code was all in: it loads now (the Enter would wait for it)
            self._steps.pop(0)()
        self._readied_window = self._ready(self.store, self.preferences, clinician)
        self._readied_for = clinician.id if self._readied_window is not None else None

    def _take_readied(self) -> QWidget | None:
        window, self._readied_window = self._readied_window, None
        return window

    def _let_go_of_readied(self) -> None:
        """A readied window nobody will see: closed unseen (its watches and threads stop with it)."""
        window, self._readied_for = self._take_readied(), None
        if window is not None:
            window.close()
            window.deleteLater()
            self.let_go += 1

    def _load_content(self) -> None:
        # The emotion lexicon, compiled on first use (a few ms): the glance's cues need it. The privacy rules are
        # needed only by saves, and are built on the save thread once the window has painted (MainWindow).
        self.store.content.emotions  # noqa: B018 (read for its side effect: compiled and kept)
        # The privacy rules' fingerprint (a few ms): the window asks at once whether stored facts wait to be judged.
        self.store.content.privacy_fingerprint  # noqa: B018
