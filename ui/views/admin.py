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
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.read.models import Changed
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
        self.purge_button = QPushButton(tr("Remove older visits now…"))
        self.purge_button.setToolTip(tr("Counts what is older than the saved number of days, then asks"))
        self._purging = False  # from the click until the purge is done or declined: the button waits
        self.purge_button.clicked.connect(self.purge_now)
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
        settings.addRow("", self.purge_button)
        settings.addRow(tr("Lock when idle"), self.lock_minutes)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("Clinicians")))
        layout.addWidget(self.people, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(section_title(tr("Clinic settings")))
        layout.addLayout(settings)
        layout.addWidget(save)
        self._stored: dict[str, object] = {}  # the settings as last read: a field that differs was changed here
        self.reload()
        ctx.changed.connect(self._changed)

    def _fields(self) -> dict[str, object]:
        return {
            "keep_days": self.keep_days.value() or None,
            "purge_at_start": self.at_start.isChecked(),
            "lock_minutes": self.lock_minutes.value(),
        }

    def _changed(self, changed: Changed) -> None:
        """Another desk added a clinician or saved settings: shown here at once (what this admin is typing stays)."""
        if "clinician" in changed.kinds or "setting" in changed.kinds:
            self.reload()

    def reload(self) -> None:
        store = self._ctx.store
        fill_list(self.people, [(f"{c.name} · {role_label(c.role)}", c.id) for c in list_clinicians(store)])
        kept = retention.retention_days(store)
        stored = {
            "keep_days": kept,
            "purge_at_start": retention.purges_at_start(store),
            "lock_minutes": max(1, round(settings.idle_lock_ms(store) / 60_000)),
        }
        shown = self._fields()
        edited = {name for name, value in shown.items() if self._stored and value != self._stored[name]}
        # Saved elsewhere: stored otherwise than this view last read, and otherwise than it shows (this desk's own
        # save shows what it stored). Said, so that an admin does not take the new values for their own.
        elsewhere = {n for n in stored if self._stored and stored[n] != self._stored[n] and stored[n] != shown[n]}
        self._stored = stored
        if "keep_days" not in edited:
            self.keep_days.setValue(kept or 0)
        if "purge_at_start" not in edited:
            self.at_start.setChecked(stored["purge_at_start"])
        if "lock_minutes" not in edited:
            self.lock_minutes.setValue(stored["lock_minutes"])
        if elsewhere - edited:
            self._ctx.message.emit(tr("Another desk changed the clinic settings; they show here now."))
        elif elsewhere:
            self._ctx.message.emit(
                tr("Another desk changed the clinic settings; what you changed here stays until you save it.")
            )
        # By the saved retention, never by a number not saved yet; and not while a purge is counted, asked or done
        # (a clinician added meanwhile reloads this view: a second click would count and ask again).
        self.purge_button.setEnabled(bool(kept) and not self._purging)

    def add(self) -> None:
        self._ctx.attempt(
            auth.add_clinician_with_pin, self.name.text(), self.role.currentData(), self.pin.text(), then=self._added
        )

    def _added(self, _changed) -> None:  # the list shows them already: the change reloaded this view (_changed)
        self.name.clear()
        self.pin.clear()
        self._ctx.message.emit(tr("Added. They sign in with their name and PIN."))

    def reset_pin(self) -> None:
        item = self.people.currentItem()
        if item is not None:
            self._ctx.attempt(auth.set_pin, item.data(Qt.ItemDataRole.UserRole), self.pin.text(), then=self._pin_set)

    def _pin_set(self, _changed) -> None:
        self.pin.clear()
        self._ctx.message.emit(tr("PIN set."))

    def save_settings(self) -> None:
        """Saves what was changed here; a setting left as it was read keeps what another desk may have saved since."""
        edited = {name: value for name, value in self._fields().items() if value != self._stored[name]}
        self._ctx.attempt(settings.save_clinic_settings, **edited, then=self._settings_saved)

    def _settings_saved(self, _changed) -> None:  # shown already: the change reloaded this view (_changed)
        self._ctx.message.emit(tr("Settings saved."))

    # A purge by hand: counted first (the same removal, rolled back), then asked, then done. Both run in the
    # background (seconds on a large clinic); the button waits meanwhile, so one click purges once.

    def purge_now(self) -> None:
        self._purging = True
        self.purge_button.setEnabled(False)
        self._ctx.message.emit(tr("Counting what is older than the clinic keeps…"))
        self._ctx.attempt(retention.purge_kept, rehearse=True, then=self._ask_to_purge, refused=self._purge_over)

    def _purge_over(self) -> None:
        self._purging = False
        self.reload()

    def _ask_to_purge(self, counted: Changed) -> None:
        planned = counted.result
        if not planned.visits + planned.priorities + planned.notes:
            self._ctx.message.emit(tr("Nothing is older than the clinic keeps."))
            self._purge_over()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Encounter Companion"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            tr("Remove for good what is older than %d days? Visits: %d · priorities: %d · notes: %d")
            % (planned.older_than_days, planned.visits, planned.priorities, planned.notes)
        )
        box.setInformativeText(
            tr("Lasting priorities stay. The audit log keeps that they were removed; imports leave those visits out.")
        )
        remove = box.addButton(tr("Remove for good"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep them"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter keeps: removing for good takes a deliberate choice
        box.setEscapeButton(keep)
        # What was counted and shown is what goes, even if the retention changes at another desk meanwhile.
        box.finished.connect(lambda _result: self._purge_if_asked(box.clickedButton() is remove, planned))
        self.purge_question = box
        box.open()

    def _purge_if_asked(self, asked: bool, planned: retention.PurgeResult) -> None:
        if not asked:
            self._purge_over()
            return
        self._ctx.attempt(retention.purge_kept, planned.older_than_days, then=self._purged, refused=self._purge_over)

    def _purged(self, done: Changed) -> None:
        removed = done.result
        self._ctx.message.emit(
            tr("Removed for good. Visits: %d · priorities: %d · notes: %d")
            % (removed.visits, removed.priorities, removed.notes)
        )
        self._purge_over()
