"""Rescheduling a visit from Today (M): the day and the time, Enter moves it; everything written for it moves with
it. A refusal (a visit closed meanwhile at another desk) is said in the form, which keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QFormLayout, QWidget

from companion.read.models import VisitRow
from companion.services import booking
from ui.window.context import AppContext
from ui.window.form_dialog import FormDialog
from ui.window.labels import tr
from ui.window.when_fields import TIME_PROBLEM, TimeField, day_field
from ui.window.widgets import dialog_buttons, plain_label


class MoveDialog(FormDialog):
    """`moved(row)` runs once the visit is saved at its new time."""

    def __init__(
        self,
        ctx: AppContext,
        row: VisitRow,
        summary: str,
        moved: Callable[[VisitRow], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Move visit"), parent)
        self._ctx = ctx
        self._moved = moved
        self.visit_id = row.id
        self.visit = plain_label(summary)
        self.day = day_field(row.scheduled_at.date())
        self.time = TimeField(row.scheduled_at.time())
        buttons, self.move_button = dialog_buttons(self, tr("Move  (Enter)"))
        form = QFormLayout(self)
        form.addRow(self.visit)
        form.addRow(tr("&Day"), self.day)
        form.addRow(tr("&Time"), self.time)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(340)
        self.time.setFocus()
        self.time.selectAll()  # most moves are later the same day: type over the time

    def accept(self) -> None:
        at = self.time.clock()
        if at is None:
            self.problem(tr(TIME_PROBLEM), self.time)
            return
        when = datetime.combine(self.day.date().toPython(), at)
        with self._ctx.words_said() as heard:
            outcome = self._ctx.attempt(
                booking.move_visit, self.visit_id, when, then=lambda changed: self._moved(changed.result)
            )
        if outcome is None:
            self.problem(heard[-1] if heard else tr("The visit was not moved."), self.time)
            return
        super().accept()
