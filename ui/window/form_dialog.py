"""What every form of the window shares (a new visit, a patient's details, moving a visit): it leaves the window
free (opened, not run) and goes when closed; a problem is said inside the form, beside what was typed, which
stays; the lock puts it away with nothing saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from ui.window.widgets import plain_label


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)  # never the patient's name: others see the screen
        self.error = plain_label(role="error")
        self.error.hide()

    def problem(self, words: str, field: QWidget) -> None:
        """Say what needs changing, and put the keyboard where it is changed."""
        self.error.setText(words)
        self.error.show()
        self.adjustSize()
        field.setFocus()

    def put_away(self) -> None:
        """The window locks: nothing is saved, and the form goes."""
        self.reject()
