"""Close well: what became of each item, agreed next steps, teach-back and Ask-Tell-Ask."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout, QWidget

from companion.services import drafts, encounter, priorities
from ui.window.context import AppContext
from ui.window.labels import state_label, tr
from ui.window.widgets import DraftLineEdit, FittingList, fill_list, list_shortcut, section_title

DRAFT_FIELD = "glance:next_step"
MARKS = {"addressed": "✓", "deferred": "→", "open": "·"}
NEXT_STATE = {"open": "addressed", "addressed": "deferred", "deferred": "open"}


class ClosingPanel(QWidget):
    """Space on an item cycles addressed / deferred / open; Ctrl+J adds a next step; Alt+T and Alt+A tick
    the closing checks; Ctrl+D finishes the visit (still-open items are deferred to the next visit)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self.items = FittingList("closingAgenda")
        self.steps = FittingList("nextSteps")
        self.step_input = DraftLineEdit(tr("Agreed next step, Enter  (Ctrl+J)"), self._save_draft)
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

    def show_visit(self, visit_id: int) -> None:
        if visit_id != self.visit_id:
            self.step_input.flush()
            self.visit_id = visit_id
            self.step_input.restore(drafts.drafts_for_visit(self._ctx.store, visit_id).get(DRAFT_FIELD, ""))
        self.reload()

    def reload(self) -> None:
        rows = [p for p in priorities.agenda(self._ctx.store, self.visit_id) if not p.sensitive]
        fill_list(self.items, [(f"{MARKS.get(p.state, '·')}  {p.text}  ({state_label(p.state)})", p.id) for p in rows])
        if self.items.currentRow() < 0 and rows:
            self.items.setCurrentRow(0)
        self.items.refit()
        steps = [s for s in encounter.next_steps(self._ctx.store, self.visit_id)]
        fill_list(self.steps, [(f"•  {s.text}", s.id) for s in steps])
        self.steps.setVisible(bool(steps))
        self.steps.refit()
        talk = encounter.conversation(self._ctx.store, self.visit_id)
        for box, value in ((self.teach_back, talk.teach_back), (self.ask_tell_ask, talk.ask_tell_ask)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)

    def cycle_selected(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        priority_id = item.data(Qt.ItemDataRole.UserRole)
        current = next(p for p in priorities.agenda(self._ctx.store, self.visit_id) if p.id == priority_id)
        self._ctx.attempt(priorities.set_state, priority_id, NEXT_STATE[current.state])

    def add_step(self, text: str) -> None:
        self._ctx.submit(self.step_input, encounter.add_next_step, self.visit_id, text, self._ctx.clinician.name)

    def flush(self) -> None:
        self.step_input.flush()

    def _check(self, check: str, on: bool) -> None:
        self._ctx.attempt(encounter.set_close_check, self.visit_id, check, on)

    def _save_draft(self, text: str) -> None:
        if self.visit_id is not None:
            self._ctx.attempt(drafts.save_draft, self.visit_id, DRAFT_FIELD, text)
