"""Private reflection: the signed-in clinician's own practice this week. Opt-in; nobody else sees it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QListWidget, QVBoxLayout, QWidget

from companion.services import reflection
from ui.panels.practice_chart import PracticeChart
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import fill_list, plain_label, section_title, shown_reason

MARK = {True: "✓", False: "·", None: "–"}


class ReflectionView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.day = date.today()
        self.keep = QCheckBox(tr("&Keep a private reflection"))
        self.keep.toggled.connect(self._set_enabled)
        self.explain = plain_label(
            tr("Only you see this, on your own sign-in. It is never in a summary or an export."), role="hint"
        )
        self.heading = section_title("")
        self.chart = PracticeChart()
        self.visits = QListWidget()
        self.visits.setObjectName("reflectionVisits")
        self.legend = plain_label(
            tr("Per visit: agenda elicited, ritual, cues explored, teach-back (✓ done, · not, – no cue)"), role="hint"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.keep)
        layout.addWidget(self.explain)
        layout.addWidget(self.heading)
        layout.addWidget(self.chart)
        layout.addWidget(self.legend)
        layout.addWidget(self.visits, 1)

    def reload(self) -> None:
        enabled = reflection.reflection_enabled(self._ctx.store, self._ctx.clinician.id)
        self.keep.blockSignals(True)
        self.keep.setChecked(enabled)
        self.keep.blockSignals(False)
        week = reflection.week_practice(self._ctx.store, self._ctx.clinician.id, self.day) if enabled else None
        for widget in (self.heading, self.chart, self.legend, self.visits):
            widget.setVisible(enabled)
        self.chart.set_week(week)
        if week is None:
            self.visits.clear()
            return
        self.heading.setText(tr("Week of %s · visits done: %d") % (f"{week.week_start:%d %b}", len(week.visits)))
        fill_list(
            self.visits,
            [
                (
                    f"{v.scheduled_at:%a %H:%M}  {shown_reason(v)}   "
                    + " ".join(MARK[getattr(v, key)] for key, _label in reflection.PRACTICES),
                    v.visit_id,
                )
                for v in week.visits
            ],
        )

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.reload()  # the clinician's own week, read each time it is shown: it changes with every visit

    def _set_enabled(self, on: bool) -> None:
        self._ctx.attempt(reflection.set_reflection, self._ctx.clinician.id, on, then=lambda _changed: self.reload())
