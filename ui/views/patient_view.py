"""Show the patient (F9 on the glance; F9 again, with a clinician's PIN, returns): the screen turned toward them, in
their language, with only what is theirs: what they said matters today, the agreed agenda, the next steps. "That's
not what I meant" lets the clinician correct an item in place, recorded as the patient's correction."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.read.patient_facing import PatientFacing, build_patient_facing
from companion.services import checkin
from companion.text import MAX_TEXT
from ui.views.base import ChangeAwareView
from ui.window.context import AppContext
from ui.window.widgets import plain_label, point_size

PRIORITY, STEP = "priority", "next step"  # what a row is, for "That's not what I meant"
TEXT_POINTS = 20
TITLE_POINTS = 24


def _list() -> QListWidget:
    items = QListWidget()
    items.setWordWrap(True)
    items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    point_size(items, TEXT_POINTS)
    return items


class PatientFacingView(ChangeAwareView):
    kinds = frozenset(("visit", "patient", "priority", "next_step"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.facing: PatientFacing | None = None
        self.title = plain_label(role="patientTitle")
        point_size(self.title, TITLE_POINTS, bold=True)
        self.said_title, self.agenda_title, self.steps_title = (plain_label() for _ in range(3))
        for label in (self.said_title, self.agenda_title, self.steps_title):
            point_size(label, TEXT_POINTS, bold=True)
        self.said, self.agenda, self.steps = _list(), _list(), _list()
        self.not_meant = QPushButton()
        self.not_meant.setMinimumHeight(56)
        point_size(self.not_meant, TEXT_POINTS)
        self.not_meant.clicked.connect(self.start_correction)
        self.correction = QLineEdit()
        self.correction.setMaxLength(MAX_TEXT)
        point_size(self.correction, TEXT_POINTS)
        self.correction.returnPressed.connect(self.save_correction)
        self.correction.hide()
        self._correcting: tuple[str, int] | None = None  # (PRIORITY or STEP, id)
        self._chosen_list = self.said
        QApplication.instance().focusChanged.connect(self._focus_moved)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        for title, items in ((self.said_title, self.said), (self.agenda_title, self.agenda)):
            layout.addWidget(title)
            layout.addWidget(items, 1)
        layout.addWidget(self.correction)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.not_meant)
        layout.addLayout(row)
        layout.addWidget(self.steps_title)
        layout.addWidget(self.steps, 1)
        QShortcut(QKeySequence("F9"), self, self.back_to_glance)
        # Esc typed in the correction cancels it, and only there: a shortcut of its own beside the window's Esc (hide
        # everything) made the key ambiguous, so neither fired on the screen turned to the room.
        self.correction.installEventFilter(self)

    def show_visit(self, visit_id: int) -> None:
        self.visit_id = visit_id
        self.refresh()
        self.said.setFocus()

    def refresh(self) -> None:
        if self.visit_id is None:
            return
        self.facing = facing = build_patient_facing(self._ctx.store, self.visit_id)
        self.patient_id = facing.patient_id
        say = facing.language.say
        self.title.setText(say("show.title"))
        self.said_title.setText(say("show.you_said"))
        self.agenda_title.setText(say("show.agenda"))
        self.steps_title.setText(say("show.next_steps"))
        self.not_meant.setText(say("show.not_what_i_meant"))
        self.correction.setPlaceholderText(say("show.correct_help"))
        self._fill(self.said, [(p.text, (PRIORITY, p.id)) for p in facing.said], say("show.none_yet"))
        # Only their own words are theirs to correct; the care team's items on the agenda are shown, not offered.
        agenda = (
            [(p.text, (PRIORITY, p.id) if p.source == "patient" else None) for p in facing.agenda]
            if facing.agenda_agreed
            else []
        )
        self._fill(self.agenda, agenda, say("show.agenda_not_yet"))
        self._fill(self.steps, [(s.text, (STEP, s.id)) for s in facing.next_steps], say("show.none_yet"))
        if self._correcting is not None and not self._shown(self._correcting):
            self.cancel_correction()  # the item went (retracted elsewhere); a correction being typed otherwise stays

    @staticmethod
    def _fill(items: QListWidget, rows: list[tuple[str, tuple[str, int] | None]], empty: str) -> None:
        items.clear()
        for text, item_id in rows or [(empty, None)]:
            item = QListWidgetItem(text)  # a list row is plain text: typed words are never rendered
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            items.addItem(item)
        if rows:
            items.setCurrentRow(0)

    def _shown(self, key: tuple[str, int]) -> bool:
        return any(
            items.item(i).data(Qt.ItemDataRole.UserRole) == key
            for items in (self.said, self.agenda, self.steps)
            for i in range(items.count())
        )

    def _focus_moved(self, _old, now) -> None:
        if now in (self.said, self.agenda, self.steps):
            self._chosen_list = now  # pressing the button takes the keyboard; the list last used stays chosen

    def selected(self) -> tuple[tuple[str, int], str] | None:
        """The item to correct: the one chosen in the list last used (none when it is the care team's: never another
        item in its place), else the first of their words."""
        chosen = self._chosen_list.currentItem()
        if chosen is not None:
            key = chosen.data(Qt.ItemDataRole.UserRole)
            return (key, chosen.text()) if key is not None else None
        for items in (self.said, self.agenda):
            item = items.currentItem()
            if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
                return item.data(Qt.ItemDataRole.UserRole), item.text()
        return None

    def start_correction(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self._correcting = chosen[0]
        self.correction.setText(chosen[1])
        self.correction.show()
        self.correction.setFocus()
        self.correction.selectAll()

    def save_correction(self) -> None:
        if self._correcting is not None and self.correction.text().strip():
            kind, item_id = self._correcting
            correct = checkin.correct_as_patient if kind == PRIORITY else checkin.correct_next_step_as_patient
            self._ctx.attempt(
                correct,
                item_id,
                self.correction.text(),
                language=self.facing.language.code,  # typed on the screen in their language
                then=lambda _changed: self.cancel_correction(),
            )

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        typed = event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if watched is self.correction and typed and event.keyCombination() == QKeyCombination(Qt.Key.Key_Escape):
            if event.type() == QEvent.Type.KeyPress:
                self.cancel_correction()
                self._chosen_list.setFocus()
            event.accept()  # the line takes Esc: the window's own Esc does not fire
            return True
        return super().eventFilter(watched, event)

    def cancel_correction(self) -> None:
        self._correcting = None
        self.correction.setText("")  # and its undo history: the box is the next patient's too
        self.correction.hide()

    def back_to_glance(self) -> None:
        if self.visit_id is not None:
            self._ctx.open_visit.emit(self.visit_id, "glance")
