"""The emotion checklist on the glance: one line until a cue is noted; then one cue at a time, the five NURSE steps
with phrases that fit the emotion it names, and VitalTalk's "I wish ..." and "Tell me more"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from companion.read.briefing import Glance
from companion.read.models import CueView
from companion.services import emotions
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import DraftLineEdit, ElidedLabel, plain_label, point_size, section_title, show_together

DRAFT_FIELD = "glance:cue"
COLUMN_GAP = 8  # between a step's box and its phrase


# A phrase is shown whole, never cut: it is only worth reading entire. The app breaks it into lines at the width its
# column will have (as it does every row of the glance), so Qt lays the window out without asking any label its
# height for a width: one such label makes every layout of the window two-pass (twice the layout time of a switch,
# benchmarks/).
PHRASE_LINES = 20
CUE_LINES = 4  # the latest emotional cue, whole at the glance's usual sizes (glance.fit tightens it last)


def _phrase_label(role: str) -> ElidedLabel:
    label = ElidedLabel(max_lines=PHRASE_LINES)
    label.setObjectName(role)
    point_size(label, 12)
    return label


class EmotionChecklist(QWidget):
    reshaped = Signal()

    """Alt+N/U/R/S/E tick a step; Ctrl+K adds a cue; Ctrl+PgUp/PgDown move between cues. Shows the glance's
    cues (private ones are not among them). Until there is one, the checklist is a single line: its title and the
    field for a new cue, so the glance's room goes to the patient's words."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self._cues: list[CueView] = []
        self._index = 0
        self._show_newest = False
        self._compact = False  # short of room: only the next step's phrase (set_compact)
        self.title = section_title(tr("Emotion"))
        self.new_cue = DraftLineEdit(
            tr("No cue yet · Ctrl+K to note one"), DRAFT_FIELD, ctx.save_draft, is_private=ctx.is_private
        )
        self.new_cue.submitted.connect(self.add_cue)
        self.position = plain_label(role="hint", wrap=False)
        self.cue = ElidedLabel(max_lines=CUE_LINES)  # the cue whole, as every key fact (the glance shows fewer first)
        self.cue.setObjectName("cueText")
        point_size(self.cue, 16, bold=True)
        self.boxes: dict[str, QCheckBox] = {}
        self.phrase_labels: dict[str, ElidedLabel] = {}
        grid = self._grid = QGridLayout()
        grid.setVerticalSpacing(0)
        grid.setHorizontalSpacing(COLUMN_GAP)
        grid.setColumnStretch(1, 1)
        for row, step in enumerate(ctx.store.content.nurse_steps):
            box = QCheckBox(f"&{step.label}")
            point_size(box, 12, bold=True)
            box.toggled.connect(lambda ticked, key=step.key: self._tick(key, ticked))
            phrase = _phrase_label("phrase")
            grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(phrase, row, 1, Qt.AlignmentFlag.AlignTop)
            self.boxes[step.key] = box
            self.phrase_labels[step.key] = phrase
        # "I wish ..." and "Tell me more": said with any step, so under all of them, the window's width, not ticked.
        self.wish = _phrase_label("hint")
        grid.addWidget(self.wish, len(self.boxes), 0, 1, 2)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.new_cue, 1)
        cue_row = QHBoxLayout()
        cue_row.addWidget(self.cue, 1)
        cue_row.addWidget(self.position, 0, Qt.AlignmentFlag.AlignTop)
        # The cue and its steps in one widget, shown or hidden as one: each widget shown relays the whole window
        # out at once (Qt activates every parent layout), a cost a switch would otherwise pay a dozen times.
        self.cue_area = QWidget()
        area = QVBoxLayout(self.cue_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.setSpacing(2)
        area.addLayout(cue_row)
        area.addLayout(grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.cue_area)
        self._render()

    def reshape(self, width: int) -> None:
        """Break the cue and each phrase into lines at the width the checklist is about to have (its own is still
        the old one), so the glance measures them as they will be shown."""
        beside = self.position.sizeHint().width() + COLUMN_GAP if not self.position.isHidden() else 0
        self.cue.reshape(width - beside)
        column = width - max(box.sizeHint().width() for box in self.boxes.values()) - COLUMN_GAP
        for label in self.phrase_labels.values():
            label.reshape(column)
        self.wish.reshape(width)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.reshape(event.size().width())

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

    def set_compact(self, compact: bool) -> None:
        """When the glance is short of room (a small window, large text): every step's box still, but only the
        phrase of the next step not yet ticked, and no "I wish" line; each phrase shown is shown whole."""
        if compact != self._compact:
            self._compact = compact
            self._show_phrases()

    def is_compact(self) -> bool:
        return self._compact

    def compact_saving(self) -> int:
        """How much less tall the checklist is compact than whole, for the current cue, from the heights reshape
        gave the phrases: the glance decides what fits without showing, measuring and hiding them in turn (each
        change of visibility relays the window out: the largest cost of a switch, benchmarks/)."""
        cue = self.current_cue()
        if cue is None:
            return 0
        upcoming = self._upcoming(cue)
        saving = self.wish.lines_height() + self._grid.verticalSpacing()
        for key, phrase in self.phrase_labels.items():
            if key != upcoming:  # a step's row is as tall as the taller of its box and its phrase
                saving += max(0, phrase.lines_height() - self.boxes[key].sizeHint().height())
        return saving

    @staticmethod
    def _upcoming(cue: CueView) -> str | None:
        return next((step.key for step in cue.steps if not step.ticked), None)

    def _show_phrases(self) -> None:
        cue = self.current_cue()
        if cue is None:
            return  # the whole cue area is hidden
        upcoming = self._upcoming(cue)
        wanted = [(phrase, not self._compact or key == upcoming) for key, phrase in self.phrase_labels.items()]
        show_together(self.cue_area, [*wanted, (self.wish, not self._compact)])

    def current_cue(self) -> CueView | None:
        return self._cues[self._index] if self._cues else None

    def step_cue(self, step: int) -> None:
        if self._cues:
            self._index = (self._index + step) % len(self._cues)
            self._render()
            self.reshaped.emit()  # another cue's phrases take other room: the glance fits again

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
        self.cue_area.setVisible(cue is not None)
        self.new_cue.setPlaceholderText(tr("Another cue · Ctrl+K") if cue else tr("No cue yet · Ctrl+K to note one"))
        self.position.setText(
            tr("%d of %d · Ctrl+PgDn") % (self._index + 1, len(self._cues)) if len(self._cues) > 1 else ""
        )
        self.position.setVisible(len(self._cues) > 1)
        for box in self.boxes.values():
            box.setEnabled(cue is not None)
        if cue is None:
            self.cue.set_full_text("")
            for box in self.boxes.values():
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            return
        self.cue.set_full_text(cue.text)
        example = (
            tr("An example for %s; say it in your own words.") % cue.family_label
            if cue.family
            else tr("An example for any emotion; say it in your own words.")
        )
        for step in cue.steps:
            box = self.boxes[step.key]
            box.blockSignals(True)
            box.setChecked(step.ticked)
            box.blockSignals(False)
            phrase = self.phrase_labels[step.key]
            phrase.set_full_text(f"“{step.phrase}”")
            phrase.setToolTip(example)  # over the whole phrase ElidedLabel would give it: it is never cut
        self._show_phrases()
        self.wish.set_full_text(f"“{cue.wish}”  ·  “{cue.more}”")
        self.wish.setToolTip(tr("VitalTalk: an “I wish …” statement, and “Tell me more”."))

    def _tick(self, key: str, ticked: bool) -> None:
        cue = self.current_cue()
        if cue is not None:
            self._ctx.attempt(emotions.set_step, cue.id, key, ticked)
