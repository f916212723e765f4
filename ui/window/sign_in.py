"""Signing in with a name and a PIN: at start (ui.window.sign_in_dialog), after the window locked itself, and to
switch user.

At start the sign-in paints before the database layer loads (ui.window.start_up, DESIGN.md performance budgets):
it shows the name remembered on this workstation and takes the PIN at once; the database's own list of names
replaces it a moment later (`open_store`). Nothing here reads the database before then."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from companion.errors import CompanionError
from companion.read.models import ClinicianView
from companion.services.pins import MAX_PIN
from ui.window.labels import role_label, tr
from ui.window.pin_ahead import PinAhead
from ui.window.widgets import fill_list, plain_label, section_title

if TYPE_CHECKING:
    from concurrent.futures import Future

    from companion.services.database import Store
    from ui.window.operations import Operations


class PinField(QLineEdit):
    """A PIN's Enter is its field's own (returnPressed): a dialog around it must not take the same key for its
    default button as well, a second try made with the field already cleared ("Type your PIN" said over "Wrong
    PIN")."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def pin_field(placeholder: str) -> QLineEdit:
    field = PinField()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN)
    # Digits only: at the lock, a key such as Alt+N (a mnemonic behind it) types no stray letter into the PIN.
    field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]*"), field))
    field.setPlaceholderText(placeholder)
    return field


class SignInPanel(QWidget):
    """Choose your name (or see it, when the window is locked), type your PIN, Enter.

    Made without a store (at start, before the database is open) it lists only `remembered`, and an Enter waits
    for the database's names (`open_store`): it signs in then only if the name it was pressed on is still the one
    chosen, so nobody is signed in as a name they did not see."""

    signed_in = Signal(object)  # ClinicianView
    # The PIN typed is right for the name chosen, and its Enter will sign this ClinicianView in at once (nothing to
    # count or wait for): what follows the Enter may be readied (ui.window.start_up). Any key typed after it, or
    # another name chosen, makes it stale: `typed_on` says so.
    right_ahead = Signal(object)
    typed_on = Signal()
    _right_on_thread = Signal(int, object)  # from the PIN's checking thread (pin_ahead), queued to this one

    def __init__(
        self,
        store: Store | None,
        chosen_id: int | None = None,
        parent: QWidget | None = None,
        *,
        remembered: ClinicianView | None = None,
        counts_here: bool = False,
    ) -> None:
        """`counts_here`: wrong PINs are counted by this panel, with the same growing wait, not on the clinician's
        account (check-in, or the lock while the patient holds the screen: they could lock a clinician out)."""
        super().__init__(parent)
        self._store = store
        self.counts_here = counts_here
        self._wrong_here = 0
        self._listed: dict[int, ClinicianView] = {}
        self._entered_early = False  # Enter was pressed before the database's names came
        self._entered_on: ClinicianView | None = None  # the name it was pressed on, if one was shown
        self._checking: Operations | None = None  # where a PIN is checked, off the window's thread
        self.people = QListWidget()
        self.people.setObjectName("signInPeople")
        self.opening = plain_label(tr("Opening the list of names…"), role="hint")
        self.pin = pin_field(tr("PIN"))
        self.pin.returnPressed.connect(self.sign_in)
        self._ahead = PinAhead(self._right_on_thread.emit)  # the PIN checked as it is typed: the Enter finds it ready
        self._right_on_thread.connect(self._right_while_typed)
        self.pin.textEdited.connect(self._check_ahead)
        self.setFocusProxy(self.pin)  # the locked window sends stray keys here
        self.button = QPushButton(tr("Sign in  (Enter)"))
        self.button.clicked.connect(self.sign_in)
        self.message = plain_label(role="error")
        self.message.hide()
        # Precise: a coarse timer may fire up to 5 % early, before the database's wait is over.
        self._wait = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._wait.timeout.connect(self._rest_or_ready)
        # Who must wait after wrong PINs, until when (monotonic): a clinician's account, or everyone at a screen that
        # counts its own wrong PINs (None). One name's wait never rests the field for another name.
        self._resting: dict[int | None, float] = {}
        self.people.currentRowChanged.connect(lambda _row: self._rest_or_ready())
        self.people.currentRowChanged.connect(lambda _row: self.typed_on.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("Who is signing in?")))
        layout.addWidget(self.people)
        layout.addWidget(self.opening)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        if store is None:
            self._list([remembered] if remembered is not None else [], chosen_id)
            self.opening.setVisible(remembered is None)  # an empty list says why it is empty
            self.pin.setFocus()
        else:
            self.opening.hide()
            self.reload(chosen_id)

    def reload(self, chosen_id: int | None = None) -> None:
        from companion.services.clinicians import list_clinicians  # the database layer: loaded after the first paint

        self._list(list_clinicians(self._store), chosen_id)
        self.pin.clear()
        self.pin.setFocus()

    def open_store(
        self, store: Store, clinicians: list[ClinicianView], chosen_id: int | None, keep_typed: bool
    ) -> None:
        """The database is open: its names replace the remembered one, the PIN typed meanwhile stays (unless
        `keep_typed` is False), and an Enter that waited signs in now."""
        entered_early, entered_on = self._entered_early, self._entered_on
        self._entered_early, self._entered_on = False, None
        self._store = store
        self.opening.hide()
        self._list(clinicians, chosen_id)
        if not keep_typed:
            self.pin.clear()
            return
        self._check_ahead(self.pin.text())
        if not entered_early:
            return
        if entered_on is not None and self._chosen() == entered_on:
            self.sign_in()
        else:  # no name was shown, or another one than the database's: nobody is signed in as a name unseen
            self._say(tr("Check that your name is chosen, then press Enter."))

    def sign_in(self) -> None:
        item = self.people.currentItem()
        if not self.button.isEnabled():
            return
        if not self.pin.text():  # a stray Enter is no guess: it neither counts nor waits
            self._say(tr("Type your PIN, then Enter."))
            return
        if self._store is None:  # typed before the names came: signs in once they are here (open_store)
            self._entered_early, self._entered_on = True, self._chosen()
            self.message.hide()
            self.opening.setText(tr("One moment: opening the database."))
            self.opening.show()
            return
        if item is None:
            return
        from companion.services import auth  # the database layer: loaded after the first paint
        from ui.window.operations import Operations

        clinician_id, pin = item.data(Qt.ItemDataRole.UserRole), self.pin.text()
        checked = self._ahead.answer(clinician_id, pin)
        if self._checking is None:
            self._checking = Operations(self)
        check = partial(auth.sign_in, self._store, clinician_id, pin, checked=checked, counted=not self.counts_here)
        if not self._checking.run(check, partial(self._answered, clinician_id)):
            # A wrong PIN is counted in the database, which another desk's long save (an import) may hold: the
            # answer comes when it lets go, and the window paints and keeps time meanwhile.
            self.pin.setEnabled(False)
            self.button.setEnabled(False)
            self._say(tr("Checking the PIN: another desk is saving. One moment."))

    def _answered(self, clinician_id: int, future: Future) -> None:
        from companion.services import auth

        self.pin.setEnabled(True)
        self.button.setEnabled(True)
        error = future.exception()
        if isinstance(error, auth.SignInRefused):
            text, wait, who = str(error), error.wait_seconds, clinician_id
            if self.counts_here and not wait:  # a wrong PIN, counted on this screen (the service said it as such)
                self._wrong_here += 1
                wait, who = auth.wait_after_wrong_pins(self._wrong_here), None
                text += f"; try again in {wait} s" if wait else ""
            self._refuse(text, wait, who)
            return
        if isinstance(error, CompanionError):
            self._refuse(str(error), 0)
            return
        if error is not None:
            raise error  # a fault in the app: reported as one (ui.app.report_unexpected)
        clinician = future.result()
        self._wrong_here = 0
        self.pin.clear()
        self.message.hide()
        self.signed_in.emit(clinician)

    def _check_ahead(self, pin: str) -> None:
        chosen = self._chosen()
        self.typed_on.emit()
        self._ahead.typed(self._store, chosen.id if chosen is not None else None, pin)

    def _right_while_typed(self, asked: int, clinician: ClinicianView) -> None:
        chosen = self._chosen()
        if self._ahead.still_typed(asked) and chosen is not None and chosen.id == clinician.id:
            self.right_ahead.emit(clinician)

    def _list(self, clinicians: list[ClinicianView], chosen_id: int | None) -> None:
        self._listed = {c.id: c for c in clinicians}
        fill_list(self.people, [(f"{c.name} · {role_label(c.role)}", c.id) for c in clinicians])
        ids = list(self._listed)
        self.people.setCurrentRow(ids.index(chosen_id) if chosen_id in ids else 0)

    def _chosen(self) -> ClinicianView | None:
        item = self.people.currentItem()
        return self._listed.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _refuse(self, text: str, wait_seconds: int, who: int | None = None) -> None:
        self.pin.clear()
        self.typed_on.emit()  # the PIN typed is gone: whatever was readied for it too
        self._say(text[:1].upper() + text[1:] + ".")
        if wait_seconds:  # a growing pause after five wrong PINs: the field rests until it is over, for that name
            self._resting[who] = time.monotonic() + wait_seconds
            self._rest_or_ready()

    def _rest_or_ready(self) -> None:
        """The PIN field rests while the chosen name (or everyone, at a screen that counts its own wrong PINs) must
        wait; another name chosen, or the wait over, it is ready again."""
        now = time.monotonic()
        self._resting = {who: until for who, until in self._resting.items() if until > now}
        chosen = self._chosen()
        until = max(
            (t for who, t in self._resting.items() if who is None or (chosen is not None and who == chosen.id)),
            default=None,
        )
        was_resting = not self.button.isEnabled()
        self.pin.setEnabled(until is None)
        self.button.setEnabled(until is None)
        if until is not None:
            self._wait.start(max(1, round((until - now) * 1000)))
        elif was_resting:
            self._wait.stop()
            self.message.hide()
            self.pin.setFocus()
