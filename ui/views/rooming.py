"""Rooming: what the nurse learns before the clinician comes in, saved as it is typed."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from companion.read.briefing import patient_line
from companion.read.note_kinds import NOTE_KINDS
from companion.services import audit_trail, visits
from companion.services.patients import get_patient
from ui.panels.rooming_sections import NoteSection, PrioritySection
from ui.views.base import ChangeAwareView
from ui.window.context import AppContext
from ui.window.labels import status_label, tr
from ui.window.widgets import plain_label, scroll_area, shown_reason


class RoomingView(ChangeAwareView):
    kinds = frozenset(("visit", "patient", "priority", "note"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.header = plain_label(role="patientLine")
        self.subheader = plain_label(role="hint")
        self.priorities = PrioritySection(ctx)
        # One section per kind of note, in the order the declaration gives them.
        self.notes = {spec.kind.value: NoteSection(ctx, spec) for spec in NOTE_KINDS}
        self.notes["social"].input.setToolTip("\n".join(ctx.store.content.story_questions))  # what to ask, on hover
        questions = ctx.store.content.rooming_questions
        self.ask = plain_label(tr("Ask: “%s”") % questions[0] if questions else "", role="prompt")
        self.ask.setToolTip("\n".join(questions))
        self.reveal_button = QPushButton(tr("Show sensitive  (Ctrl+Shift+S)"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._reveal)
        self.roomed_button = QPushButton(tr("Roomed: ready  (Ctrl+Enter)"))
        self.roomed_button.setToolTip(tr("The clinician sees it on their Today list"))
        self.roomed_button.clicked.connect(self.mark_roomed)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 6, 0)  # the view's own margins suffice: room for the rows' words
        for widget in (self.ask, *self.sections, self.reveal_button):
            body_layout.addWidget(widget)
        body_layout.addStretch(1)
        scroll = scroll_area(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.subheader)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.roomed_button)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.mark_roomed)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.reveal_button.toggle)

    @property
    def sections(self) -> tuple:
        return (self.priorities, *self.notes.values())

    def show_visit(self, visit_id: int) -> None:
        self.flush_drafts()
        if visit_id != self.visit_id:
            self.reveal_button.setChecked(False)  # a reveal is of one patient's record: the next is covered
        self.visit_id = visit_id
        saved = self._ctx.my_drafts(visit_id)
        for section in self.sections:
            section.show_visit(visit_id, saved.get(section.input.field, ""))
        self._load_header()
        self.priorities.input.setFocus()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.reveal_button.setChecked(False)  # never leave sensitive facts shown behind the nurse
        for section in self.sections:
            section.close_history()  # nor a patient's history open over another view
        super().hideEvent(event)

    def _reveal(self, shown: bool) -> None:
        if shown and self.visit_id is not None:  # a read of private facts: recorded, as on the prep card
            self._ctx.attempt(audit_trail.record_view, "reveal private items on rooming", self.visit_id)
        for section in self.sections:
            section.reveal = shown
            if not shown:
                section.close_history()  # it may show what is covered again
            if section.visit_id is not None:
                section.reload()

    def flush_drafts(self) -> None:
        """Save whatever is typed but not yet entered (called on visit switch and on close)."""
        if self.visit_id is None:
            return
        for section in self.sections:
            section.input.flush()

    def let_go_of_typed(self) -> None:
        for section in self.sections:
            section.input.let_go()

    def mark_roomed(self) -> None:
        if self.visit_id is not None:
            self._ctx.attempt(visits.mark_roomed, self.visit_id, then=self._roomed)

    def _roomed(self, changed) -> None:
        if changed.result == "roomed":
            self._ctx.message.emit(tr("Marked roomed. The clinician sees it on their Today list."))
        else:  # prepared or in the room already: left where it is
            self._ctx.message.emit(tr("Already with the clinician (%s); left as it is.") % status_label(changed.result))

    def _load_header(self) -> None:
        row = visits.visit_row(self._ctx.store, self.visit_id)
        self.patient_id = row.patient_id
        self.header.setText(patient_line(get_patient(self._ctx.store, row.patient_id)))
        self.subheader.setText(
            f"{tr('Rooming')} · {row.scheduled_at:%H:%M} · {shown_reason(row)} · {status_label(row.status)}"
        )

    def refresh(self) -> None:
        self._load_header()
        for section in self.sections:
            section.reload()
