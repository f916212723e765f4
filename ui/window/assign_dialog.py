"""Giving a visit to a clinician from the keyboard: a short list of the people who see patients, Enter assigns.

It leaves the window free (opened, not run), so the lock can close it like any dialog; nothing is written until
Enter, and then through the window's one write path (AppContext.attempt)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from companion.read.models import ClinicianView
from ui.window.labels import role_label, tr
from ui.window.widgets import dialog_buttons, isolate, plain_label

UNASSIGNED = QT_TR_NOOP("No one yet (unassigned)")


class AssignDialog(QDialog):
    """Up/Down (or the first letters of a name) choose, Enter assigns, Esc leaves the visit as it was.
    `assign(clinician_id or None)` does the write; the dialog goes once it is asked."""

    def __init__(
        self,
        visit: str,
        clinicians: list[ClinicianView],
        current: int | None,
        assign: Callable[[int | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("Assign visit"))  # never the patient's name: others see the screen
        self._assign = assign
        self.visit = plain_label(visit)
        self.people = QListWidget()
        self.people.setObjectName("assignList")
        for clinician in clinicians:
            self._add(f"{isolate(clinician.name)} · {role_label(clinician.role)}", clinician.id, current)
        self._add(tr(UNASSIGNED), None, current)
        if self.people.currentRow() < 0:
            self.people.setCurrentRow(0)
        self.people.itemDoubleClicked.connect(lambda _item: self.accept())
        rows = sum(self.people.sizeHintForRow(i) for i in range(min(self.people.count(), 8)))
        self.people.setFixedHeight(rows + 2 * self.people.frameWidth() + 8)  # 8: the list's padding (qss), air
        buttons, self.assign_button = dialog_buttons(self, tr("Assign  (Enter)"))  # Enter on the list presses it
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(tr("Who sees this patient?"), role="sectionTitle"))
        layout.addWidget(self.visit)
        layout.addWidget(self.people)
        layout.addLayout(buttons)
        self.setMinimumWidth(340)
        self.people.setFocus()

    def _add(self, text: str, clinician_id: int | None, current: int | None) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, clinician_id)
        self.people.addItem(item)
        if clinician_id == current:
            self.people.setCurrentItem(item)

    def chosen(self) -> int | None:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def accept(self) -> None:
        if self.people.currentItem() is None:
            return
        self._assign(self.chosen())
        super().accept()
