"""Today: the signed-in clinician's visits for the day, with their status."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidget, QVBoxLayout, QWidget

from companion.services.visits import list_visits
from ui.views.base import ChangeAwareView
from ui.window.context import AppContext
from ui.window.labels import status_label, tr
from ui.window.widgets import fill_list, isolate, plain_label, section_title


class TodayView(ChangeAwareView):
    """Enter opens the selected visit where its user needs it: rooming for a nurse, prepare otherwise."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = section_title("")
        self.visit_list = QListWidget()
        self.visit_list.setObjectName("visitList")
        self.visit_list.setWordWrap(True)
        self.visit_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.visit_list.itemActivated.connect(lambda _item: self.open_selected())
        self.empty_note = plain_label(tr("No visits today."), role="hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.visit_list, 1)
        layout.addWidget(self.empty_note)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.visit_list, self.open_selected)
        self.reload()

    kinds = frozenset(("visit", "patient", "clinician"))

    def concerns(self, changed) -> bool:
        return changed.touches(self.kinds)  # any visit may be on the day's list, whoever's patient

    def refresh(self) -> None:
        self.reload()

    def everyone(self) -> bool:
        """Nurses room for every clinician, so they see the whole clinic's day."""
        return self._ctx.clinician.role == "nurse"

    def reload(self) -> None:
        day = date.today()  # read each time: a window left open overnight shows the new day
        clinician_id = None if self.everyone() else self._ctx.clinician.id
        rows = list_visits(self._ctx.store, day, clinician_id)
        who = tr("All clinicians") if self.everyone() else self._ctx.clinician.name
        self.heading.setText(f"{tr('Today')} · {day:%a %d %b} · {who}")
        fill_list(self.visit_list, [(self._row_text(r), r.id) for r in rows])
        if self.visit_list.currentRow() < 0 and rows:
            self.visit_list.setCurrentRow(self._first_open(rows))
        self.empty_note.setVisible(not rows)

    def selected_visit(self) -> int | None:
        item = self.visit_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def open_selected(self) -> None:
        visit_id = self.selected_visit()
        if visit_id is not None:
            self._ctx.open_visit.emit(visit_id, "rooming" if self.everyone() else "prepare")

    def _row_text(self, row) -> str:
        with_whom = f" · {row.clinician_name}" if self.everyone() else ""
        reason = tr("Reason private") if row.reason_private else isolate(row.reason)  # others see this list
        name = isolate(row.patient_name)
        return f"{row.scheduled_at:%H:%M}   {name} · {reason}   [{status_label(row.status)}]{with_whom}"

    @staticmethod
    def _first_open(rows) -> int:
        return next((i for i, r in enumerate(rows) if r.status != "done"), 0)
