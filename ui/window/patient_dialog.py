"""A patient's details from Today (P on a visit): the name as recorded, the name they like, pronouns, language,
interpreter, and a practical need to add.

Checked before anything is written; a refusal is said in the form, which keeps what was typed. A need typed here
is added as a lasting practical note (the earlier ones stay, each with its own history, corrected in Rooming).
The lock closes the form like any dialog, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from companion.read.models import PatientDetails, PatientView
from companion.services import patients
from companion.text import MAX_SHORT, MAX_TEXT
from ui.window.context import AppContext
from ui.window.form_dialog import FormDialog
from ui.window.labels import tr
from ui.window.widgets import dialog_buttons


class PatientDialog(FormDialog):
    """Enter saves, Esc leaves the patient as they were. `saved(patient)` runs once the change is saved (at
    once, or later when the database was busy)."""

    def __init__(
        self,
        ctx: AppContext,
        details: PatientDetails,
        saved: Callable[[PatientView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Patient details"), parent)
        self._ctx = ctx
        self._saved = saved
        self.patient_id = details.id
        self._shown = details  # a field left as shown keeps what is stored when saved (another desk's change)
        self.recorded_name = self._line(details.recorded_name, tr("As on their ID or insurance"))
        self.preferred_name = self._line(details.preferred_name, tr("What they like to be called"))
        self.pronouns = self._line(details.pronouns, tr("For example she/her, he/him, they/them"))
        self.language = self._line(details.language, tr("The language they prefer for their care"))
        self.interpreter = QCheckBox(tr("&Interpreter needed"))
        self.interpreter.setChecked(details.interpreter_needed)
        self.need = self._line("", tr("Hearing, sight, mobility, transport… (added as a lasting note)"))
        self.need.setMaxLength(MAX_TEXT * 2)  # a note holds MAX_TEXT: longer is refused with a clear message, not cut
        buttons, self.save_button = dialog_buttons(self, tr("Save  (Enter)"))
        form = QFormLayout(self)
        form.addRow(tr("&Recorded name"), self.recorded_name)
        form.addRow(tr("&Preferred name"), self.preferred_name)
        form.addRow(tr("Pro&nouns"), self.pronouns)
        form.addRow(tr("&Language"), self.language)
        form.addRow("", self.interpreter)
        form.addRow(tr("A&dd a need"), self.need)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(460)
        self.preferred_name.setFocus()  # what a nurse most often corrects at the desk

    @staticmethod
    def _line(text: str, placeholder: str) -> QLineEdit:
        line = QLineEdit(text)
        line.setPlaceholderText(placeholder)
        line.setMaxLength(MAX_SHORT * 2)  # longer is refused with a clear message, not cut
        return line

    def accept(self) -> None:
        """Save; on a problem the form says it and keeps everything typed."""
        if not self.recorded_name.text().strip():
            self.problem(tr("The recorded name cannot be empty."), self.recorded_name)
            return
        with self._ctx.words_said() as heard:
            outcome = self._ctx.attempt(
                patients.edit_patient,
                self.patient_id,
                recorded_name=self.recorded_name.text(),
                preferred_name=self.preferred_name.text(),
                pronouns=self.pronouns.text(),
                language=self.language.text(),
                interpreter_needed=self.interpreter.isChecked(),
                needs=self.need.text(),
                author=self._ctx.clinician.name,
                shown=self._shown,
                then=lambda changed: self._saved(changed.result),
            )
        if outcome is None:
            words = heard[-1] if heard else tr("The details were not saved.")
            self.problem(words, self._field_named_in(words))
            return
        super().accept()

    def _field_named_in(self, words: str) -> QLineEdit:
        """The field a refusal names ("the recorded name mixes letters..."), to be corrected where the cursor is;
        the preferred name when it names none."""
        named = (
            ("recorded name", self.recorded_name),
            ("pronouns", self.pronouns),
            ("language", self.language),
            ("practical needs", self.need),
        )
        return next((line for what, line in named if what in words.casefold()), self.preferred_name)
