"""Booking a visit from Today in a few keys (Ctrl+N): part of a name, Down and Enter to choose the patient (or
"New patient: <name>"), the time, Enter to save.

Everything is checked here before anything is written, and a problem is said in the form, which keeps what was
typed. The writes go through the window's one write path (AppContext.attempt); a patient new to the clinic is
added in the same action, just before their visit. The lock closes the form like any other dialog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QWidget,
)

from companion.errors import CompanionError, sentence
from companion.read.models import ClinicianView, PatientView, VisitRow
from companion.services import booking, patients
from companion.text import MAX_SHORT, clean_text
from ui.window.context import AppContext
from ui.window.form_dialog import FormDialog
from ui.window.labels import role_label, tr
from ui.window.when_fields import TIME_PROBLEM, TimeField, day_field, next_quarter_hour
from ui.window.widgets import dialog_buttons, isolate, plain_label

SEARCH_DELAY_MS = 150  # one look-up per pause in typing, not per key
SUGGESTIONS = 6
LIST_PADDING = 8  # the list's own padding in companion.qss (3 px) top and bottom, and a little air
NEW = "new"  # the suggestion that adds the typed name as a new patient
UNSET = object()


@dataclass(frozen=True)
class Booking:
    """What the form asks for, checked; `patient_id` None means `new_patient` is added first."""

    patient_id: int | None
    new_patient: str
    clinician_id: int | None
    when: datetime
    reason: str
    video: bool


def patient_words(patient: PatientView, apart: int = 0) -> str:
    """How a patient is told apart in the list: the name they like, pronouns, language. Only when another patient
    found reads the same (`apart` 1) the name as recorded is added (it may be one they no longer use), and when
    that is the same too (`apart` 2), their record number."""
    name = isolate(patient.preferred_name)
    recorded = getattr(patient, "recorded_name", "")
    if apart and recorded and recorded != patient.preferred_name:
        name += f" ({isolate(recorded)})"
    extra = [isolate(patient.pronouns)] if patient.pronouns else []
    extra += [isolate(patient.language)] if patient.language else []
    extra += [tr("record %d") % patient.id] if apart > 1 else []
    return " · ".join([name, *extra])


def told_apart(found: list[PatientView]) -> list[str]:
    """Each patient's words in the list, no two alike (two namesakes never look like one record)."""
    words = [patient_words(patient) for patient in found]
    for apart in (1, 2):
        alike = Counter(words)
        words = [patient_words(p, apart) if alike[w] > 1 else w for p, w in zip(found, words, strict=True)]
    return words


class NewVisitDialog(FormDialog):
    """`booked(row)` runs once the visit is saved (at once, or later when the database was busy)."""

    def __init__(
        self,
        ctx: AppContext,
        day: date,
        clinicians: list[ClinicianView],
        clinician_id: int | None,
        booked: Callable[[VisitRow], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("New visit"), parent)
        self._ctx = ctx
        self._booked = booked
        self.patient_id: int | None = None
        self.new_patient = ""  # the name to add, once "New patient" is chosen
        self.patient = QLineEdit()
        self.patient.setPlaceholderText(tr("Part of the name"))
        self.patient.textEdited.connect(self._typed)
        self.patient.installEventFilter(self)
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("patientSuggestions")
        self.suggestions.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay on the name: Down, Enter
        self.suggestions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Every word that tells two patients apart shows (a record number last): long rows wrap, never scroll away.
        self.suggestions.setWordWrap(True)
        self.suggestions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.suggestions.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.suggestions.itemClicked.connect(lambda _item: self.choose())
        self.suggestions.hide()
        self.chosen = plain_label(tr("Type part of the name; Down and Enter choose."), role="hint")
        self.day = day_field(day)
        self.time = TimeField(next_quarter_hour(datetime.now()))
        self.clinician = QComboBox()
        self.clinician.addItem(tr("Unassigned"), None)
        for person in clinicians:
            self.clinician.addItem(f"{person.name} · {role_label(person.role)}", person.id)
        self.clinician.setCurrentIndex(max(self.clinician.findData(clinician_id), 0))
        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_SHORT * 2)  # longer is refused with a clear message, not cut
        self.video = QCheckBox(tr("&Video visit"))
        self._search = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search.timeout.connect(self._find)
        # Enter anywhere in the form saves (but on the name, it chooses first)
        buttons, self.save_button = dialog_buttons(self, tr("Save  (Enter)"))
        form = QFormLayout(self)
        form.addRow(tr("&Patient"), self.patient)
        form.addRow("", self.suggestions)
        form.addRow("", self.chosen)
        form.addRow(tr("&Day"), self.day)
        form.addRow(tr("&Time"), self.time)
        form.addRow(tr("&With"), self.clinician)
        form.addRow(tr("&Reason"), self.reason)
        form.addRow("", self.video)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(380)
        self.patient.setFocus()

    # Choosing the patient.

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """On the name: Up/Down move through the suggestions, Enter chooses one (then Enter saves)."""
        if watched is self.patient and event.type() == QEvent.Type.KeyPress and self.suggestions.isVisible():
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                self.suggestions.setCurrentRow(
                    max(0, min(self.suggestions.currentRow() + step, self.suggestions.count() - 1))
                )
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.suggestions.currentItem() is not None:
                self.choose()
                return True
        return super().eventFilter(watched, event)

    def _typed(self, _text: str) -> None:
        """A changed name is a new search: what was chosen before no longer holds."""
        self.patient_id, self.new_patient = None, ""
        self.chosen.setText(tr("Type part of the name; Down and Enter choose."))
        self._search.start()

    def _find(self) -> None:
        typed = self.patient.text().strip()
        self.suggestions.clear()
        if not typed:
            self.suggestions.hide()
            self.adjustSize()
            return
        found = patients.find_patients(self._ctx.store, typed, limit=SUGGESTIONS)
        for patient, words in zip(found, told_apart(found), strict=True):
            self._suggest(words, patient)
        self._suggest(tr("New patient: %s") % isolate(typed), NEW)
        self.suggestions.setCurrentRow(0)
        self.suggestions.show()
        rows = sum(self._row_height(i) for i in range(self.suggestions.count()))
        self.suggestions.setFixedHeight(rows + 2 * self.suggestions.frameWidth() + LIST_PADDING)
        self.adjustSize()  # the form grows by the list, and shrinks again once a patient is chosen

    def _row_height(self, row: int) -> int:
        """A row's height at the list's width: a long one (two namesakes told apart) wraps onto a second line."""
        one_line = self.suggestions.sizeHintForRow(row)
        width = self.suggestions.viewport().width() - 2 * self.suggestions.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin
        )
        metrics = self.suggestions.fontMetrics()
        text = self.suggestions.item(row).text()
        wrapped = metrics.boundingRect(QRect(0, 0, max(width, 1), 10_000), Qt.TextFlag.TextWordWrap, text).height()
        return max(one_line, one_line - metrics.height() + wrapped)

    def _suggest(self, text: str, data: object) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        self.suggestions.addItem(item)

    def choose(self) -> None:
        """The highlighted suggestion becomes the patient; the time is next (selected, to type over)."""
        item = self.suggestions.currentItem()
        if item is None:
            return
        found = item.data(Qt.ItemDataRole.UserRole)
        if found == NEW:
            self.new_patient = self.patient.text().strip()
            self.chosen.setText(tr("New patient: %s (added when you save)") % isolate(self.new_patient))
        else:
            self.patient_id = found.id
            self.patient.setText(found.preferred_name)
            self.chosen.setText(item.text())  # as the list told them apart
        self.suggestions.hide()
        self.error.hide()
        self.adjustSize()
        self.time.setFocus()
        self.time.selectAll()

    # Saving.

    def request(self) -> Booking | None:
        """What was asked for, or None after saying in the form what needs changing."""
        if not self.patient.text().strip():
            return self.problem(tr("Type the patient's name, then choose them (Down, Enter)."), self.patient)
        if self.patient_id is None and not self.new_patient:
            return self.problem(tr('Choose the patient under the name (Down, Enter), or "New patient".'), self.patient)
        at = self.time.clock()
        if at is None:
            return self.problem(tr(TIME_PROBLEM), self.time)
        try:
            reason = clean_text(self.reason.text(), "the reason", MAX_SHORT) if self.reason.text().strip() else ""
            name = clean_text(self.new_patient, "the patient's name", MAX_SHORT) if self.patient_id is None else ""
        except CompanionError as exc:
            return self.problem(sentence(str(exc)), self.reason)
        when = datetime.combine(self.day.date().toPython(), at)
        return Booking(self.patient_id, name, self.clinician.currentData(), when, reason, self.video.isChecked())

    def accept(self) -> None:
        """Save; on a problem the form says it and keeps everything typed. A patient added before their visit
        was refused stays chosen, so saving again does not add them twice."""
        request = self.request()
        if request is None:
            return
        with self._ctx.words_said() as heard:
            outcome, added = book(self._ctx, request, self._booked)
        if added.patient is not None:
            self.patient_id, self.new_patient = added.patient.id, ""
            self.chosen.setText(patient_words(added.patient))
        if outcome is None or added.visit is None:
            self.problem(heard[-1] if heard else tr("The visit was not saved."), self.time)
            return
        super().accept()

    def put_away(self) -> None:
        """The window locks: nothing is saved, and the form goes."""
        self._search.stop()
        super().put_away()


class _Outcome:
    """What the two writes of one booking came to (filled in as they are saved)."""

    def __init__(self) -> None:
        self.patient: PatientView | None = None
        self.visit: object = UNSET  # None: refused; UNSET: not saved yet (a busy database)


def book(ctx: AppContext, request: Booking, booked: Callable[[VisitRow], None]) -> tuple[object, _Outcome]:
    """Add the patient if new, then the visit. Only plain values are held here: the writes may finish after
    the form has gone."""
    added = _Outcome()

    def visit_for(patient_id: int) -> object:
        added.visit = ctx.attempt(
            booking.add_visit,
            patient_id,
            request.clinician_id,
            request.when,
            request.reason,
            video=request.video,
            then=lambda changed: booked(changed.result),
        )
        return added.visit

    if request.patient_id is not None:
        return visit_for(request.patient_id), added

    def patient_added(changed) -> None:
        added.patient = changed.result
        visit_for(changed.result.id)

    return ctx.attempt(patients.add_patient, request.new_patient, then=patient_added), added
