"""Close well: what became of each item, agreed next steps, teach-back and Ask-Tell-Ask."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout, QWidget

from companion.read.briefing import Glance
from companion.services import encounter, priorities
from ui.window.context import AppContext
from ui.window.labels import state_label, tr
from ui.window.widgets import DraftLineEdit, FittingList, fill_list, list_shortcut, section_title

DRAFT_FIELD = "glance:next_step"
MARKS = {"addressed": "✓", "deferred": "→", "open": "·"}
NEXT_STATE = {"open": "addressed", "addressed": "deferred", "deferred": "open"}


class ClosingPanel(QWidget):
    """Space on an item cycles addressed / deferred / open; Ctrl+J adds a next step; Alt+T and Alt+A tick
    the closing checks; Ctrl+D finishes the visit (still-open items are deferred to the next visit). Shows the
    glance's agenda and next steps (private items are not in them)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self._states: dict[int, str] = {}
        self.items = FittingList("closingAgenda", tr("Agenda, each item addressed or deferred"))
        self.steps = FittingList("nextSteps", tr("Agreed next steps"))
        self.step_input = DraftLineEdit(
            tr("Agreed next step, Enter  (Ctrl+J)"), DRAFT_FIELD, ctx.save_draft, is_private=ctx.is_private
        )
        self.step_input.submitted.connect(self.add_step)
        self.teach_back = QCheckBox(tr("&Teach-back: plan in their own words"))
        self.teach_back.toggled.connect(lambda on: self._check("teach_back", on))
        self.ask_tell_ask = QCheckBox(tr("&Ask-Tell-Ask"))
        self.ask_tell_ask.toggled.connect(lambda on: self._check("ask_tell_ask", on))
        self.done_button = QPushButton(tr("Visit done  (Ctrl+D)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(section_title(tr("Close well · Space marks each item")))
        layout.addWidget(self.items)
        layout.addWidget(section_title(tr("Next steps")))
        layout.addWidget(self.steps)
        layout.addWidget(self.step_input)
        layout.addWidget(self.teach_back)
        layout.addWidget(self.ask_tell_ask)
        layout.addStretch(1)
        layout.addWidget(self.done_button)
        list_shortcut(self.items, "Space", self.cycle_selected)

    def show_glance(self, glance: Glance, draft: str) -> None:
        self.visit_id = glance.visit.id
        self.step_input.show_visit(self.visit_id, draft)
        self._states = {p.id: p.state for p in glance.agenda}
        fill_list(
            self.items,
            [(f"{MARKS.get(p.state, '·')}  {p.text}  ({state_label(p.state)})", p.id) for p in glance.agenda],
        )
        if self.items.currentRow() < 0 and glance.agenda:
            self.items.setCurrentRow(0)
        self.items.refit()
        fill_list(self.steps, [(step_line(s), s.id) for s in glance.next_steps])
        self.steps.setVisible(bool(glance.next_steps))
        self.steps.refit()
        for box, value in ((self.teach_back, glance.talk.teach_back), (self.ask_tell_ask, glance.talk.ask_tell_ask)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)

    def cycle_selected(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        priority_id = item.data(Qt.ItemDataRole.UserRole)
        self._ctx.attempt(priorities.set_state, priority_id, NEXT_STATE[self._states[priority_id]])

    def add_step(self, text: str) -> None:
        self._ctx.submit(
            self.step_input,
            encounter.add_next_step,
            self.visit_id,
            text,
            self._ctx.clinician.name,
            then=self._ctx.say_if_kept_private,
        )

    def flush(self) -> None:
        self.step_input.flush()

    def _check(self, check: str, on: bool) -> None:
        self._ctx.attempt(encounter.set_close_check, self.visit_id, check, on)


def step_line(step) -> str:
    """An agreed next step. One changed on the patient's screen says so, with the words the care team agreed: the
    clinician sees the change (a dose, a date) before the step goes on the handout."""
    if step.agreed and step.agreed != step.text:
        return tr("•  %s  (changed on the patient's screen; agreed: %s)") % (step.text, step.agreed)
    return f"•  {step.text}"
