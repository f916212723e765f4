"""The admin's view: clinicians and their PINs, how long data is kept, when the window locks.
It shows no patient information."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.services import auth, retention, settings
from companion.services.clinicians import list_clinicians
from companion.text import MAX_DAYS
from ui.window.context import AppContext
from ui.window.labels import role_label, tr
from ui.window.sign_in import pin_field
from ui.window.widgets import fill_list, section_title


class AdminView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.people = QListWidget()
        self.people.setAccessibleName(tr("Clinicians"))
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ("nurse", "physician", "other", "admin"):
            self.role.addItem(role_label(role), role)
        self.pin = pin_field(tr("4 to 12 digits"))
        add = QPushButton(tr("Add clinician"))
        add.clicked.connect(self.add)
        reset = QPushButton(tr("Set their PIN"))
        reset.setToolTip(tr("Set the PIN of the clinician selected above"))
        reset.clicked.connect(self.reset_pin)
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, MAX_DAYS)  # as the command line allows: a longer retention is never cut on save
        self.keep_days.setSpecialValueText(tr("until purged by hand"))
        self.keep_days.setSuffix(tr(" days"))
        self.keep_days.setToolTip(tr("Older visits are removed by a purge, and left out when records are imported"))
        self.at_start = QCheckBox(tr("Purge at start"))
        self.at_start.setToolTip(tr("Remove older visit data each time the app starts"))
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(1, 60)
        self.lock_minutes.setSuffix(tr(" min"))
        save = QPushButton(tr("Save settings"))
        save.clicked.connect(self.save_settings)
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Role"), self.role)
        form.addRow(tr("PIN"), self.pin)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(reset)
        settings = QFormLayout()
        settings.addRow(tr("Keep visit data"), self.keep_days)
        settings.addRow("", self.at_start)
        settings.addRow(tr("Lock when idle"), self.lock_minutes)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("Clinicians")))
        layout.addWidget(self.people, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(section_title(tr("Clinic settings")))
        layout.addLayout(settings)
        layout.addWidget(save)
        self.reload()

    def reload(self) -> None:
        store = self._ctx.store
        fill_list(self.people, [(f"{c.name} · {role_label(c.role)}", c.id) for c in list_clinicians(store)])
        self.keep_days.setValue(retention.retention_days(store) or 0)
        self.at_start.setChecked(retention.purges_at_start(store))
        self.lock_minutes.setValue(max(1, round(settings.idle_lock_ms(store) / 60_000)))

    def add(self) -> None:
        self._ctx.attempt(
            auth.add_clinician_with_pin, self.name.text(), self.role.currentData(), self.pin.text(), then=self._added
        )

    def _added(self, _changed) -> None:
        self.name.clear()
        self.pin.clear()
        self._ctx.message.emit(tr("Added. They sign in with their name and PIN."))
        self.reload()

    def reset_pin(self) -> None:
        item = self.people.currentItem()
        if item is not None:
            self._ctx.attempt(auth.set_pin, item.data(Qt.ItemDataRole.UserRole), self.pin.text(), then=self._pin_set)

    def _pin_set(self, _changed) -> None:
        self.pin.clear()
        self._ctx.message.emit(tr("PIN set."))

    def save_settings(self) -> None:
        self._ctx.attempt(
            settings.save_clinic_settings,
            self.keep_days.value() or None,
            self.at_start.isChecked(),
            self.lock_minutes.value(),
            then=self._settings_saved,
        )

    def _settings_saved(self, _changed) -> None:
        self._ctx.message.emit(tr("Settings saved."))
        self.reload()
