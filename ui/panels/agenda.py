"""Agree on what matters most: "Is there something else...?", the combined agenda, ordered together."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout, QWidget

from companion.read.briefing import Glance
from companion.services import encounter, priorities
from ui.panels.rooming_sections import move_priority
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import (
    DraftLineEdit,
    FittingList,
    fill_list,
    list_shortcut,
    plain_label,
    point_size,
    section_title,
)

DRAFT_FIELD = "glance:agenda"


class AgendaPanel(QWidget):
    """Ctrl+N adds an item in the patient's words (Alt+M: the clinician's own), Alt+Up/Down orders,
    Ctrl+G marks the agenda agreed. Shows the glance's agenda (private items are not in it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self.prompt = plain_label(f"“{ctx.store.content.something_else}”", role="prompt")
        point_size(self.prompt, 16, bold=True)
        self.items = FittingList("agendaList", tr("Agenda"))
        point_size(self.items, 14)
        self.input = DraftLineEdit(
            tr("Something else, in their words, Enter"), DRAFT_FIELD, ctx.save_draft, is_private=ctx.is_private
        )
        self.input.submitted.connect(self.add)
        self.mine = QCheckBox(tr("&Mine: the clinician's own item"))
        self.agreed_button = QPushButton(tr("Agreed  (Ctrl+G)"))
        self.agreed_button.clicked.connect(self.agree)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_title(tr("Agree on what matters most")))
        layout.addWidget(self.prompt)
        layout.addWidget(self.items)
        layout.addWidget(self.input)
        layout.addWidget(self.mine)
        layout.addStretch(1)
        layout.addWidget(self.agreed_button)
        list_shortcut(self.items, "Alt+Up", lambda: self.move(-1))
        list_shortcut(self.items, "Alt+Down", lambda: self.move(1))

    def show_glance(self, glance: Glance, draft: str) -> None:
        self.visit_id = glance.visit.id
        self.input.show_visit(self.visit_id, draft)
        fill_list(
            self.items,
            [
                (f"{i}. {p.text}" + (f"  ({tr('mine')})" if p.source == "clinician" else ""), p.id)
                for i, p in enumerate(glance.agenda, 1)
            ],
        )
        self.items.refit()

    def ask(self) -> None:
        """The clinician asks the question; the line is ready for the answer in the patient's words."""
        self._ctx.attempt(encounter.ask_something_else, self.visit_id)
        self.input.uncover()
        self.input.setFocus()

    def add(self, text: str) -> None:
        source = "clinician" if self.mine.isChecked() else "patient"
        self._ctx.submit(self.input, priorities.add_priority, self.visit_id, text, source=source, then=self._added)

    def _added(self, changed) -> None:
        self.mine.setChecked(False)
        self._ctx.say_if_kept_private(changed)
        self._ctx.attempt(encounter.ask_something_else, self.visit_id)

    def move(self, step: int) -> None:
        move_priority(self._ctx, self.items, self.visit_id, step)

    def agree(self) -> None:
        self.input.flush()
        self._ctx.attempt(encounter.agree_agenda, self.visit_id)
