"""Glance, in the visit: what matters today, their story, and the emotion checklist, readable in two
seconds. Fits its default size without scrolling, never shows a sensitive fact."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from companion.briefing import GLANCE_LIMIT, Glance, build_glance, patient_line
from companion.readmodels import Changed
from companion.services import visits
from ui.context import AppContext
from ui.emotion_checklist import EmotionChecklist
from ui.labels import tr
from ui.widgets import ElidedLabel, plain_label, point_size, section_title


def _elided_rows(count: int, points: float, role: str) -> list[ElidedLabel]:
    rows = []
    for _ in range(count):
        label = ElidedLabel()
        label.setObjectName(role)
        point_size(label, points)
        rows.append(label)
    return rows


def _titled(title: str, more: QWidget) -> QHBoxLayout:
    """A section title with its "+N more" on the same line, to keep the glance within one screen."""
    row = QHBoxLayout()
    row.addWidget(section_title(title))
    row.addStretch(1)
    row.addWidget(more)
    return row


class GlanceView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self.glance: Glance | None = None
        self.patient = ElidedLabel()
        self.patient.setObjectName("patientLine")
        point_size(self.patient, 18, bold=True)
        self.needs = ElidedLabel()
        self.needs.setObjectName("needs")
        point_size(self.needs, 12)
        self.prep_cue = ElidedLabel()
        self.prep_cue.setObjectName("prepCue")
        point_size(self.prep_cue, 12)
        self.priority_rows = _elided_rows(GLANCE_LIMIT, 16, "priority")
        self.more_priorities = plain_label(role="more", wrap=False)
        self.story_rows = _elided_rows(GLANCE_LIMIT, 14, "story")
        self.more_story = plain_label(role="more", wrap=False)
        self.checklist = EmotionChecklist(ctx)

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(self.patient)
        layout.addWidget(self.needs)
        layout.addWidget(self.prep_cue)
        layout.addSpacing(4)
        layout.addLayout(_titled(tr("What matters today"), self.more_priorities))
        for row in self.priority_rows:
            layout.addWidget(row)
        layout.addSpacing(4)
        layout.addLayout(_titled(tr("Their story"), self.more_story))
        for row in self.story_rows:
            layout.addWidget(row)
        layout.addSpacing(4)
        layout.addWidget(self.checklist)
        layout.addStretch(1)
        QShortcut(QKeySequence("Ctrl+K"), self, self.checklist.new_cue.setFocus)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self.checklist.step_cue(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self.checklist.step_cue(-1))
        QShortcut(QKeySequence("F5"), self, self.start_visit)
        QShortcut(QKeySequence("Ctrl+D"), self, self.finish_visit)
        ctx.changed.connect(self._on_changed)

    def show_visit(self, visit_id: int) -> None:
        self.visit_id = visit_id
        self.reload()
        self.checklist.show_visit(visit_id)

    def reload(self) -> None:
        glance = self.glance = build_glance(self._ctx.store, self.visit_id)
        self.patient.set_full_text(patient_line(glance.patient))
        self.needs.set_full_text(" · ".join(n.text for n in glance.needs))
        self.needs.setVisible(bool(glance.needs))
        self.prep_cue.set_full_text(glance.prep_cue.cue)
        self.prep_cue.setToolTip(f"{glance.prep_cue.title}: {glance.prep_cue.cue}")
        self._fill(
            self.priority_rows,
            [f"{i}  {p.text}" for i, p in enumerate(glance.priorities, 1)],
            tr("Nothing yet. Ask: what matters most today?"),
        )
        self._fill(self.story_rows, [f"•  {n.text}" for n in glance.story], tr("Nothing noted yet."))
        self._more(self.more_priorities, glance.more_priorities)
        self._more(self.more_story, glance.more_story)

    def start_visit(self) -> None:
        if self.visit_id is not None and self._ctx.attempt(visits.set_status, self.visit_id, "in_visit"):
            self._ctx.message.emit(tr("Visit started."))

    def finish_visit(self) -> None:
        if self.visit_id is not None and self._ctx.attempt(visits.set_status, self.visit_id, "done"):
            self._ctx.open_visit.emit(self.visit_id, "today")

    @staticmethod
    def _fill(rows: list[ElidedLabel], texts: list[str], empty: str) -> None:
        texts = texts or [empty]
        for row, text in zip(rows, texts + [""] * len(rows), strict=False):
            row.set_full_text(text)
            row.setVisible(bool(text))

    @staticmethod
    def _more(label, count: int) -> None:
        label.setText(tr("+%d more") % count if count else "")
        label.setVisible(bool(count))

    def _on_changed(self, changed: Changed) -> None:
        if self.visit_id is not None and changed.visit_id in (None, self.visit_id):
            self.reload()
            self.checklist.reload()
