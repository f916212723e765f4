"""Today: the day's visits with their status; a nurse runs the clinic's day from here (book, assign, cancel)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QT_TR_NOOP, QDate, QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QListWidget, QMessageBox, QVBoxLayout, QWidget

from companion.errors import CompanionError, sentence
from companion.read.models import VisitRow
from companion.services import booking, patients
from companion.services.clinicians import list_clinicians
from companion.services.visits import list_visits
from ui.views.base import ChangeAwareView
from ui.window import theme
from ui.window.context import AppContext
from ui.window.labels import status_label, tr
from ui.window.when_fields import day_field
from ui.window.widgets import fill_list, isolate, list_shortcut, plain_label, section_title, shown_reason

NURSES_ONLY = QT_TR_NOOP(
    "Running the clinic's day (booking, moving, assigning, cancelling, patient details, check-in) is for nurses."
)


def day_words(day: date) -> str:
    """ "Tue 1 Dec": the day as people say it."""
    return f"{day:%a} {day.day} {day:%b}"


class TodayView(ChangeAwareView):
    """Enter opens the selected visit where its user needs it: rooming for a nurse, prepare otherwise.
    Alt+Left/Right shows another day, Alt+Home today again; until then the list follows the calendar."""

    kinds = frozenset(("visit", "patient", "clinician"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._day: date | None = None  # None: today, read again at each reload (a window left open overnight)
        self._viewer: int | None = None  # whose list it shows: another clinician signing in starts on today
        self.rows: list[VisitRow] = []
        self.last_clinician: int | None = None  # the new-visit form offers the one chosen last
        self.visit_list = QListWidget()  # made first: the keyboard starts on the list, not on the date
        self.visit_list.setObjectName("visitList")
        self.visit_list.setAccessibleName(tr("Visits of the day"))
        self.visit_list.setWordWrap(True)
        self.visit_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.visit_list.itemActivated.connect(lambda _item: self.open_selected())
        self.heading = section_title("")
        self.whose = plain_label(role="hint")  # whose visits: the signed-in clinician's, or the whole clinic's
        self.date_field = day_field(date.today(), "d MMM yyyy")
        self.date_field.setObjectName("dayField")
        self.date_field.setAccessibleName(tr("Day shown"))
        self.date_field.setKeyboardTracking(False)  # the list follows a typed date once it is whole (Enter)
        self.date_field.setToolTip(tr("Alt+← and Alt+→ step a day, Alt+Home comes back to today"))
        self.date_field.dateChanged.connect(lambda chosen: self.show_day(chosen.toPython()))
        self.empty_note = plain_label(tr("No visits today."), role="hint")
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.date_field)
        layout = QVBoxLayout(self)
        layout.addLayout(heading_row)
        layout.addWidget(self.whose)
        layout.addWidget(self.visit_list, 1)
        layout.addWidget(self.empty_note)
        # The keypad's Enter too. Only a press: an Enter held down since the sign-in (its PIN's Enter) repeats into
        # this list once the window shows, and opened the first patient's prep card, logged as opened.
        for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(enter), self.visit_list, self.enter).setAutoRepeat(False)
        self.visit_list.installEventFilter(self)
        for keys, action in (
            ("Alt+Left", lambda: self.step_day(-1)),
            ("Alt+Right", lambda: self.step_day(1)),
            ("Alt+Home", lambda: self.show_day(date.today())),
            ("Ctrl+N", self.new_visit),
        ):
            QShortcut(QKeySequence(keys), self, action)
        for keys, action in (
            ("A", self.assign_selected),
            ("M", self.move_selected),
            ("P", self.patient_of_selected),
            ("H", self.hand_to_patient),
            ("N", self.no_show_selected),
            ("Del", self.cancel_selected),
        ):
            list_shortcut(self.visit_list, keys, action)  # on the list's selected visit (in the date field, Del edits)
        self._midnight = QTimer(self, singleShot=True)  # once a day: the list turns to the new day by itself
        self._midnight.timeout.connect(self._new_day)
        self.reload()

    def concerns(self, changed) -> bool:
        return changed.touches(self.kinds)  # any visit may be on the day's list, whoever's patient

    def refresh(self) -> None:
        self.reload()

    def everyone(self) -> bool:
        """Nurses room for every clinician, so they see (and run) the whole clinic's day."""
        return self._ctx.clinician.role == "nurse"

    def day(self) -> date:
        return self._day or date.today()

    def show_day(self, day: date) -> None:
        self._day = None if day == date.today() else day
        self.reload()

    def step_day(self, days: int) -> None:
        self.show_day(self.day() + timedelta(days=days))

    def reload(self) -> None:
        if self._viewer != self._ctx.clinician.id:
            self._viewer, self._day = self._ctx.clinician.id, None
        day, today = self.day(), date.today()
        self.rows = list_visits(self._ctx.store, day, None if self.everyone() else self._ctx.clinician.id)
        self.heading.setText(f"{tr('Today')} · {day_words(day)}" if day == today else day_words(day))
        self.whose.setText(tr("All clinicians") if self.everyone() else self._ctx.clinician.name)
        self.date_field.blockSignals(True)  # shown, not chosen
        self.date_field.setDate(QDate(day.year, day.month, day.day))
        self.date_field.blockSignals(False)
        fill_list(self.visit_list, [(self._row_text(r), r.id) for r in self.rows])
        for index, row in enumerate(self.rows):
            item = self.visit_list.item(index)
            if row.status in ("cancelled", "no_show"):
                item.setForeground(theme.colour("closed"))  # still there, no longer calling for attention
            elif not row.assigned:
                item.setBackground(theme.colour("unassigned_paper"))  # waiting for a nurse to assign it
        if self.visit_list.currentRow() < 0 and self.rows:
            self.visit_list.setCurrentRow(self._first_open(self.rows))
        self.empty_note.setText(tr("No visits today.") if day == today else tr("No visits on this day."))
        self.empty_note.setVisible(not self.rows)
        tomorrow = datetime.combine(today + timedelta(days=1), time.min)
        self._midnight.start(int((tomorrow - datetime.now()).total_seconds() * 1000) + 1000)

    def selected_visit(self) -> int | None:
        item = self.visit_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        """A repeated Enter (held down) opens nothing: the list's own Enter would activate the row (see above)."""
        return (
            watched is self.visit_list
            and event.type() == QEvent.Type.KeyPress
            and event.isAutoRepeat()
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )

    def selected_row(self) -> VisitRow | None:
        return next((row for row in self.rows if row.id == self.selected_visit()), None)

    def enter(self) -> None:
        """Enter in the date field shows the day typed there (the view's Enter would take the key from it and open
        the selected patient's record, logged as opened); anywhere else it opens the selected visit."""
        if self.date_field.hasFocus():
            self.date_field.interpretText()
            self.show_day(self.date_field.date().toPython())
            return
        self.open_selected()

    def open_selected(self) -> None:
        visit_id = self.selected_visit()
        if visit_id is not None:
            self._ctx.open_visit.emit(visit_id, "rooming" if self.everyone() else "prepare")

    def new_visit(self) -> None:
        """Ctrl+N: book a visit on the day shown; once saved, Today shows its day with the new visit selected."""
        if self._nurse():
            from ui.window.new_visit_dialog import NewVisitDialog  # loaded on first use, not at every start

            NewVisitDialog(
                self._ctx, self.day(), self._clinicians(), self.last_clinician, self.show_booked, self
            ).open()

    def show_booked(self, row: VisitRow) -> None:
        self.last_clinician = row.clinician_id
        self.show_day(row.scheduled_at.date())
        self.select(row.id)
        self._ctx.message.emit(
            tr("Booked for %s at %s.") % (day_words(row.scheduled_at.date()), f"{row.scheduled_at:%H:%M}")
        )

    def select(self, visit_id: int) -> None:
        for index in range(self.visit_list.count()):
            if self.visit_list.item(index).data(Qt.ItemDataRole.UserRole) == visit_id:
                self.visit_list.setCurrentRow(index)

    def assign_selected(self) -> None:
        """A: choose who sees the selected visit (Enter assigns)."""
        row = self._open_row()
        if row is not None:
            from ui.window.assign_dialog import AssignDialog  # loaded on first use, not at every start

            AssignDialog(
                self._summary(row), self._clinicians(), row.clinician_id, lambda c: self._assign(row, c), self
            ).open()

    def move_selected(self) -> None:
        """M: another day or time for the selected visit (Enter moves it)."""
        if (row := self._open_row()) is not None:
            from ui.window.move_dialog import MoveDialog  # loaded on first use, not at every start

            MoveDialog(self._ctx, row, self._summary(row), self._show_moved, self).open()

    def _show_moved(self, row: VisitRow) -> None:
        self.show_day(row.scheduled_at.date())
        self.select(row.id)
        self._ctx.message.emit(
            tr("Moved to %s at %s.") % (day_words(row.scheduled_at.date()), f"{row.scheduled_at:%H:%M}")
        )

    def patient_of_selected(self) -> None:
        """P: the details of the selected visit's patient (a closed visit's patient too: details outlive visits)."""
        row = self.selected_row() if self._nurse() else None
        if row is not None:
            from ui.window.patient_dialog import PatientDialog  # loaded on first use, not at every start

            try:
                details = patients.patient_details(self._ctx.store, row.patient_id)
            except CompanionError as exc:  # gone meanwhile (a retention purge at another desk)
                self._ctx.message.emit(sentence(str(exc)))
                return
            PatientDialog(self._ctx, details, lambda _p: self._ctx.message.emit(tr("Details saved.")), self).open()

    def hand_to_patient(self) -> None:
        """H: the patient checks in on this screen, full screen, and hands it back (ui.window.patient_mode)."""
        if (row := self._open_row()) is not None:
            self._ctx.open_visit.emit(row.id, "checkin")

    def cancel_selected(self) -> None:
        if (row := self._open_row()) is not None:
            self._confirm(row, "cancelled", tr("Cancel the %s?"), tr("Cancel visit"))

    def no_show_selected(self) -> None:
        if (row := self._open_row()) is not None:
            if row.scheduled_at.date() > date.today():  # said before asking (companion.services.booking refuses it)
                self._ctx.message.emit(
                    tr("A visit is marked no-show on its day or later; cancel it if they will not come.")
                )
                return
            if row.status in booking.ARRIVED:  # the patient came (refused there too)
                self._ctx.message.emit(
                    tr("The patient has come, so this is not a no-show; cancel the visit if need be.")
                )
                return
            self._confirm(row, "no_show", tr("Mark the %s as a no-show?"), tr("Mark no-show"))

    def _assign(self, row: VisitRow, clinician_id: int | None) -> None:
        def assigned(changed) -> None:
            name = changed.result.clinician_name
            self._ctx.message.emit(tr("Assigned to %s.") % name if name else tr("The visit is unassigned."))

        self._ctx.attempt(booking.assign_visit, row.id, clinician_id, then=assigned)

    def _confirm(self, row: VisitRow, status: str, question: str, yes_words: str) -> None:
        """Asked without blocking the window (the lock closes the question, which then keeps the visit)."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Encounter Companion"), "", parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(question % self._summary(row))
        box.setInformativeText(tr("Everything written for it is kept."))
        yes = box.addButton(yes_words, QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setEscapeButton(keep)

        def answered(_result: int) -> None:
            if box.clickedButton() is yes:
                self._ctx.attempt(booking.close_visit, row.id, status, then=lambda _changed: self.select(row.id))

        box.finished.connect(answered)
        box.open()

    def _nurse(self) -> bool:
        if not self.everyone():
            self._ctx.message.emit(tr(NURSES_ONLY))
        return self.everyone()

    def _open_row(self) -> VisitRow | None:
        """The selected visit, for a nurse's action on it; a closed one is said to be closed."""
        row = self.selected_row() if self._nurse() else None
        if row is not None and not row.open:
            self._ctx.message.emit(tr("This visit is closed (%s).") % status_label(row.status))
            return None
        return row

    def _clinicians(self):
        return [c for c in list_clinicians(self._ctx.store) if c.role != "admin"]  # admins see no patients

    def _summary(self, row: VisitRow) -> str:
        return tr("%s visit of %s") % (f"{row.scheduled_at:%H:%M}", isolate(row.patient_name))

    def _row_text(self, row: VisitRow) -> str:
        """Two lines that never wrap mid-fact at the window's width: who and why, then where the visit stands."""
        reason = shown_reason(row)
        about = f" · {reason}" if row.reason or row.reason_private else ""
        standing = [status_label(row.status)]
        if row.video:
            standing.append(tr("Video"))
        if self.everyone():
            standing.append(isolate(row.clinician_name) if row.assigned else tr("Unassigned"))
        return f"{row.scheduled_at:%H:%M}   {isolate(row.patient_name)}{about}\n{' · '.join(standing)}"

    @staticmethod
    def _first_open(rows: list[VisitRow]) -> int:
        return next((i for i, r in enumerate(rows) if r.open), 0)

    def _new_day(self) -> None:
        if self._day is None:  # following today: the new day's list
            self.reload() if self.isVisible() else setattr(self, "_stale", True)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.visit_list.setFocus()  # the keys of the list (Enter, A, N, Del) work at once
