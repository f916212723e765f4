"""The sign-in at start: the panel to sign in with (ui.window.sign_in), or on a new database the form that creates
the first admin. It paints before the database is open (ui.window.start_up) and shows the name remembered on this
workstation until `open_store` brings the database's names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from companion.errors import CompanionError, sentence
from companion.read.models import ClinicianView
from ui.window.labels import tr
from ui.window.sign_in import SignInPanel, pin_field
from ui.window.widgets import plain_label, section_title

if TYPE_CHECKING:
    from companion.services.database import Store


class FirstAdminPanel(QWidget):
    """A new database has no admin: whoever sets it up becomes the first one."""

    signed_in = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.name = QLineEdit()
        self.pin = pin_field(tr("4 to 12 digits"))
        self.again = pin_field(tr("the same PIN again"))
        # Enter goes down the form as a person fills it in, and creates at its last field.
        self.name.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.again.setFocus)
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
        from companion.services import auth

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
    """At start: sign in, or on a new database create the first admin. Made without a store, it shows
    `remembered` until `open_store` brings the database's names (ui.window.start_up)."""

    def __init__(
        self,
        store: Store | None = None,
        chosen_id: int | None = None,
        parent: QWidget | None = None,
        *,
        remembered: ClinicianView | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign in · Encounter Companion"))
        self.chosen: ClinicianView | None = None
        self.first_admin: FirstAdminPanel | None = None
        self.nobody = None  # the note for a database that holds patients but nobody to sign in
        self._chosen_id = chosen_id
        self._layout = QVBoxLayout(self)
        self.panel = SignInPanel(None, chosen_id, remembered=remembered)
        self.panel.signed_in.connect(self._done)
        self._layout.addWidget(self.panel)
        if store is not None:
            self.open_store(store)

    def open_store(self, store: Store, keep_typed: bool = True) -> None:
        """The database's names in place of the remembered one; on a new database, the first admin's form."""
        from companion.services import auth
        from companion.services.clinicians import list_clinicians

        clinicians = list_clinicians(store)
        self.panel.setVisible(bool(clinicians))  # nobody to sign in yet on a new database
        if auth.needs_first_admin(store):
            if self.first_admin is None:
                self.first_admin = FirstAdminPanel(store)
                self.first_admin.signed_in.connect(self._done)
                self._layout.addWidget(self.first_admin)
                self.first_admin.name.setFocus()
        elif not clinicians and self.nobody is None:  # patients imported, nobody to sign in: IT adds the admin
            self._layout.addWidget(section_title(tr("Nobody to sign in yet")))
            self.nobody = plain_label(
                tr("This database already holds patients. Its admin is added at the command line:")
                + f"\n\n{auth.ADD_ADMIN}"
            )
            self._layout.addWidget(self.nobody)
        self.panel.open_store(store, clinicians, self._chosen_id, keep_typed)
        # It was sized for its first paint, before the names (and perhaps the first admin's form) were in: it grows
        # to hold them rather than squeeze the list of names to a line or two, once its layout has taken them in.
        QTimer.singleShot(0, self._grow)

    def _grow(self) -> None:
        self.resize(self.size().expandedTo(self.sizeHint()))

    def _done(self, clinician: ClinicianView) -> None:
        self.chosen = clinician
        self.accept()
