"""Choosing who is using this workstation, on first run; remembered afterwards."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from companion.errors import CompanionError
from companion.readmodels import ClinicianView
from companion.services.clinicians import add_clinician, list_clinicians
from companion.store import Store
from ui.labels import role_label, tr
from ui.widgets import fill_list, plain_label


class ClinicianPicker(QDialog):
    """Pick yourself from the list, or add yourself with your role."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.chosen: ClinicianView | None = None
        self.setWindowTitle(tr("Who is using this workstation?"))
        self._clinicians = list_clinicians(store)
        self.people = QListWidget()
        fill_list(self.people, [(f"{c.name} · {role_label(c.role)}", c.id) for c in self._clinicians])
        self.people.setCurrentRow(0)
        self.people.itemActivated.connect(lambda _item: self.accept())
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(tr("Or add yourself: your name"))
        self.new_role = QComboBox()
        for role in ("physician", "nurse", "other"):
            self.new_role.addItem(role_label(role), role)
        self.error = plain_label(role="error")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Name"), self.new_name)
        form.addRow(tr("Role"), self.new_role)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(tr("Choose yourself. You can change this later (Ctrl+Shift+U).")))
        layout.addWidget(self.people)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if not self._clinicians:
            self.people.hide()
            self.new_name.setFocus()

    def accept(self) -> None:
        if self.new_name.text().strip():
            try:
                self.chosen = add_clinician(self._store, self.new_name.text(), self.new_role.currentData())
            except CompanionError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return
        elif self.people.currentItem() is not None:
            self.chosen = self._clinicians[self.people.currentRow()]
        else:
            self.error.setText(tr("Choose a name, or type yours."))
            self.error.show()
            return
        super().accept()
