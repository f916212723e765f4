"""Correcting or retracting a row without blocking the window: one line, Enter saves, Esc cancels.

What is typed is a draft as it is typed (companion.services.drafts), so the lock can close the dialog and the
same clinician finds the words again the next time they edit that row; the save clears the draft in its own commit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from companion.services.drafts import DraftKey
from ui.window.labels import tr
from ui.window.widgets import DraftLineEdit, dialog_buttons, plain_label


class EditDialog(QDialog):
    """`save(text, draft)` returns None after a problem (the window says what): the dialog then stays, with the
    words. `draft` names the draft the words are kept in (the visit on screen and a field of its own)."""

    def __init__(
        self,
        title: str,
        label: str,
        text: str,
        save: Callable[[str, DraftKey], object],
        draft: DraftKey,
        save_draft: Callable[[DraftKey, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self._save = save
        self.label = plain_label(label)
        visit_id, field = draft
        self.line = DraftLineEdit("", field, save_draft)
        self.line.show_visit(visit_id, text)
        self.line.setMinimumWidth(360)
        buttons, self.save_button = dialog_buttons(self, tr("Save  (Enter)"))  # Enter on the line presses it
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.line)
        layout.addLayout(buttons)
        self.line.setFocus()

    def text(self) -> str:
        return self.line.text()

    def accept(self) -> None:
        """Save; the save takes the draft with it. On a problem the message shows and the words stay here."""
        self.line.forget_draft_timer()
        if self._save(self.line.text(), self.line.draft_key) is None:
            self.line.keep_as_draft()
            self.line.setFocus()
            return
        super().accept()

    def reject(self) -> None:
        """Cancelled: nothing is saved and the draft goes."""
        self.line.discard()
        super().reject()

    def put_away(self) -> None:
        """The window locks: the words stay as a draft for the same clinician, and the dialog goes."""
        self.line.flush()
        super().reject()
