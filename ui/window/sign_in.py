"""Signing in with a name and a PIN: at start, after the window locked itself, and to switch user.
The first run of a new database creates the first admin."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.errors import CompanionError, sentence
from companion.read.models import ClinicianView
from companion.services import auth
from companion.services.clinicians import list_clinicians
from companion.services.database import Store
from ui.window.labels import role_label, tr
from ui.window.widgets import fill_list, plain_label, section_title


def pin_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(auth.MAX_PIN)
    # Digits only: at the lock, a key such as Alt+N (a mnemonic behind it) types no stray letter into the PIN.
    field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]*"), field))
    field.setPlaceholderText(placeholder)
    return field


class SignInPanel(QWidget):
    """Choose your name (or see it, when the window is locked), type your PIN, Enter."""

    signed_in = Signal(object)  # ClinicianView

    def __init__(self, store: Store, chosen_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.people = QListWidget()
        self.people.setObjectName("signInPeople")
        self.pin = pin_field(tr("PIN"))
        self.pin.returnPressed.connect(self.sign_in)
        self.setFocusProxy(self.pin)  # the locked window sends stray keys here
        self.button = QPushButton(tr("Sign in  (Enter)"))
        self.button.clicked.connect(self.sign_in)
        self.message = plain_label(role="error")
        self.message.hide()
        # Precise: a coarse timer may fire up to 5 % early, before the database's wait is over.
        self._wait = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._wait.timeout.connect(self._ready)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("Who is signing in?")))
        layout.addWidget(self.people)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(self.button)
        self.reload(chosen_id)

    def reload(self, chosen_id: int | None = None) -> None:
        clinicians = list_clinicians(self._store)
        fill_list(self.people, [(f"{c.name} · {role_label(c.role)}", c.id) for c in clinicians])
        ids = [c.id for c in clinicians]
        self.people.setCurrentRow(ids.index(chosen_id) if chosen_id in ids else 0)
        self.pin.clear()
        self.pin.setFocus()

    def sign_in(self) -> None:
        item = self.people.currentItem()
        if item is None or not self.button.isEnabled():
            return
        if not self.pin.text():  # a stray Enter is no guess: it neither counts nor waits
            self.message.setText(tr("Type your PIN, then Enter."))
            self.message.show()
            return
        try:
            clinician = auth.sign_in(self._store, item.data(Qt.ItemDataRole.UserRole), self.pin.text())
        except auth.SignInRefused as refused:
            self._refuse(str(refused), refused.wait_seconds)
            return
        except CompanionError as exc:
            self._refuse(str(exc), 0)
            return
        self.pin.clear()
        self.message.hide()
        self.signed_in.emit(clinician)

    def _refuse(self, text: str, wait_seconds: int) -> None:
        self.pin.clear()
        self.message.setText(text[:1].upper() + text[1:] + ".")
        self.message.show()
        if wait_seconds:  # a growing pause after five wrong PINs: the field rests until it is over
            self.pin.setEnabled(False)
            self.button.setEnabled(False)
            self._wait.start(wait_seconds * 1000)

    def _ready(self) -> None:
        self.pin.setEnabled(True)
        self.button.setEnabled(True)
        self.message.hide()
        self.pin.setFocus()


class FirstAdminPanel(QWidget):
    """A new database has no admin: whoever sets it up becomes the first one."""

    signed_in = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.name = QLineEdit()
        self.pin = pin_field(tr("4 to 12 digits"))
        self.again = pin_field(tr("the same PIN again"))
        self.again.returnPressed.connect(self.create)
        self.message = plain_label(role="error")
        self.message.hide()
        button = QPushButton(tr("Create the first admin"))
        button.clicked.connect(self.create)
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("PIN"), self.pin)
        form.addRow(tr("PIN again"), self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("No admin yet")))
        layout.addWidget(plain_label(tr("The admin adds clinicians, resets PINs and sets how long data is kept.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(button)

    def create(self) -> None:
        if self.pin.text() != self.again.text():
            self.message.setText(tr("The two PINs differ."))
            self.message.show()
            return
        try:
            admin = auth.create_first_admin(self._store, self.name.text(), self.pin.text()).result
        except CompanionError as exc:
            self.message.setText(sentence(str(exc)))
            self.message.show()
            return
        self.signed_in.emit(admin)


class SignInDialog(QDialog):
    """At start: sign in, or on a new database create the first admin."""

    def __init__(self, store: Store, chosen_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign in · Encounter Companion"))
        self.chosen: ClinicianView | None = None
        layout = QVBoxLayout(self)
        if list_clinicians(store):
            self.panel = SignInPanel(store, chosen_id)
            self.panel.signed_in.connect(self._done)
            layout.addWidget(self.panel)
        if auth.needs_first_admin(store):
            self.first_admin = FirstAdminPanel(store)
            self.first_admin.signed_in.connect(self._done)
            layout.addWidget(self.first_admin)

    def _done(self, clinician: ClinicianView) -> None:
        self.chosen = clinician
        self.accept()
