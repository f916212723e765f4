"""The emotion checklist on the glance: one cue at a time, the five NURSE steps with an example phrase."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from companion.read.briefing import Glance
from companion.read.models import CueView
from companion.services import emotions
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import DraftLineEdit, ElidedLabel, plain_label, point_size, section_title

DRAFT_FIELD = "glance:cue"


class EmotionChecklist(QWidget):
    """Alt+N/U/R/S/E tick a step; Ctrl+K adds a cue; Ctrl+PgUp/PgDown move between cues. Shows the glance's
    cues (private ones are not among them)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self._cues: list[CueView] = []
        self._index = 0
        self._show_newest = False
        self.title = section_title(tr("Emotion"))
        self.position = plain_label(role="hint", wrap=False)
        self.cue = ElidedLabel()
        self.cue.setObjectName("cueText")
        point_size(self.cue, 16, bold=True)
        self.boxes: dict[str, QCheckBox] = {}
        self.phrases: dict[str, ElidedLabel] = {}
        grid = QGridLayout()
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        for row, step in enumerate(ctx.store.content.nurse_steps):
            box = QCheckBox(f"&{step.label}")
            point_size(box, 12, bold=True)
            box.toggled.connect(lambda ticked, key=step.key: self._tick(key, ticked))
            phrase = ElidedLabel(f"“{step.phrase}”")
            phrase.setObjectName("phrase")
            point_size(phrase, 12)
            grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(phrase, row, 1)
            self.boxes[step.key] = box
            self.phrases[step.key] = phrase
        self.new_cue = DraftLineEdit(tr("New cue in a few words, Enter  (Ctrl+K)"), DRAFT_FIELD, ctx.save_draft)
        self.new_cue.submitted.connect(self.add_cue)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.position)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.cue)
        layout.addLayout(grid)
        layout.addWidget(self.new_cue)

    def show_glance(self, glance: Glance, draft: str) -> None:
        """Another visit opens on its newest cue; the same visit keeps the cue on screen (a cue added at another
        desk does not move it), unless the clinician has just added one here."""
        shown = self.current_cue()
        if glance.visit.id != self.visit_id or self._show_newest:
            self.visit_id, self._show_newest, shown = glance.visit.id, False, None
        self.new_cue.show_visit(self.visit_id, draft)
        self._cues = list(glance.cues)
        ids = [cue.id for cue in self._cues]
        self._index = ids.index(shown.id) if shown is not None and shown.id in ids else len(ids) - 1
        self._render()

    def current_cue(self) -> CueView | None:
        return self._cues[self._index] if self._cues else None

    def step_cue(self, step: int) -> None:
        if self._cues:
            self._index = (self._index + step) % len(self._cues)
            self._render()

    def add_cue(self, text: str) -> None:
        self._show_newest = True
        self._ctx.submit(
            self.new_cue, emotions.add_cue, self.visit_id, text, self._ctx.clinician.name, then=self._added
        )

    def _added(self, changed) -> None:
        if changed.result.sensitive:
            self._ctx.message.emit(tr("Cue saved as sensitive: kept off the glance, behind the reveal."))

    def _render(self) -> None:
        cue = self.current_cue()
        self.cue.set_full_text(cue.text if cue else tr("No cue noted yet. Notice, name, validate."))
        self.position.setText(
            tr("%d of %d · Ctrl+PgDn") % (self._index + 1, len(self._cues)) if len(self._cues) > 1 else ""
        )
        for step in cue.steps if cue else ():
            box = self.boxes[step.key]
            box.blockSignals(True)
            box.setChecked(step.ticked)
            box.blockSignals(False)
        for box in self.boxes.values():
            box.setEnabled(cue is not None)
            if cue is None:
                box.setChecked(False)

    def _tick(self, key: str, ticked: bool) -> None:
        cue = self.current_cue()
        if cue is not None:
            self._ctx.attempt(emotions.set_step, cue.id, key, ticked)
