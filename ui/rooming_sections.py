"""The lists the nurse fills while rooming: priorities in the patient's words, and context notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QVBoxLayout,
    QWidget,
)

from companion.services import drafts, notes, priorities
from ui.context import AppContext
from ui.labels import source_label, topic_label, tr
from ui.widgets import DraftLineEdit, FittingList, fill_list, list_shortcut, section_title


class PrioritySection(QWidget):
    """Today's priorities: add in their words (Enter), reorder with Alt+Up / Alt+Down."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.visit_id: int | None = None
        self.items = FittingList("priorityList")
        self.input = DraftLineEdit(tr("Add in their words, then Enter"), self._save_draft)
        self.lasting = QCheckBox(tr("&Lasting"))
        self.lasting.setToolTip(tr("Carry this priority to later visits (Alt+L)"))
        self.source = QComboBox()
        for source in ("patient", "nurse", "clinician"):
            self.source.addItem(tr("From the %s") % source_label(source).lower(), source)
        self.source.setToolTip(tr("Whose priority this is"))
        self.input.submitted.connect(self.add)
        add_row = QHBoxLayout()
        add_row.addWidget(self.lasting)
        add_row.addWidget(self.source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_title(tr("What matters today, in their words")))
        layout.addWidget(self.items)
        layout.addWidget(self.input)
        layout.addLayout(add_row)
        list_shortcut(self.items, "Alt+Up", lambda: self.move(-1))
        list_shortcut(self.items, "Alt+Down", lambda: self.move(1))

    def show_visit(self, visit_id: int, draft: str) -> None:
        self.visit_id = visit_id
        self.input.restore(draft)
        self.reload()

    def reload(self) -> None:
        rows = priorities.agenda(self._ctx.store, self.visit_id)
        fill_list(
            self.items,
            [
                (f"{i}. {p.text}" + (f"   ({tr('lasting')})" if p.scope == "lasting" else ""), p.id)
                for i, p in enumerate(rows, 1)
            ],
        )
        self.items.refit()

    def add(self, text: str) -> None:
        source = self.source.currentData()
        added = self._ctx.attempt(
            priorities.add_priority, self.visit_id, text, lasting=self.lasting.isChecked(), source=source
        )
        if added is not None:
            self.input.accept_submission()
            self.lasting.setChecked(False)
            self._ctx.announce(self.visit_id, "priorities")

    def move(self, step: int) -> None:
        """Move the selected priority up or down and store the new order at once."""
        row = self.items.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.items.count():
            return
        ids = [self.items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.items.count())]
        ids.insert(target, ids.pop(row))
        if self._ctx.attempt(priorities.reorder, self.visit_id, ids) is not None:
            self.items.setCurrentRow(target)

    def _save_draft(self, text: str) -> None:
        if self.visit_id is not None:
            self._ctx.attempt(drafts.save_draft, self.visit_id, "priority", text)


class NoteSection(QWidget):
    """One kind of context note: add (Enter), edit (F2, history kept), retract with a reason (Delete)."""

    def __init__(self, ctx: AppContext, kind: str, title: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self.visit_id: int | None = None
        self.items = FittingList(f"{kind}Notes")
        self.input = DraftLineEdit(placeholder, self._save_draft)
        self.input.submitted.connect(self.add)
        self.topic = QComboBox()
        self.topic.addItem(tr("Topic…"), "")
        for topic in notes.TOPICS[kind]:
            self.topic.addItem(topic_label(topic), topic)
        self.lasting = QCheckBox(tr("Lasting"))
        self.lasting.setToolTip(tr("About the patient, shown at later visits too"))
        self.lasting.setChecked(kind != "emotion")
        add_row = QHBoxLayout()
        if notes.TOPICS[kind]:
            add_row.addWidget(self.topic)
        if kind != "emotion":
            add_row.addWidget(self.lasting)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(section_title(title))
        layout.addWidget(self.items)
        layout.addWidget(self.input)
        layout.addLayout(add_row)
        list_shortcut(self.items, "F2", self.edit_selected)
        list_shortcut(self.items, "Delete", self.retract_selected)

    @property
    def draft_field(self) -> str:
        return f"note:{self.kind}"

    def show_visit(self, visit_id: int, draft: str) -> None:
        self.visit_id = visit_id
        self.input.restore(draft)
        self.reload()

    def reload(self) -> None:
        rows = notes.notes_for_visit(self._ctx.store, self.visit_id, self.kind)
        fill_list(self.items, [(self._line(n), n.id) for n in rows])
        self.items.refit()

    def add(self, text: str) -> None:
        added = self._ctx.attempt(
            notes.add_note,
            self.visit_id,
            self.kind,
            text,
            self._ctx.clinician.name,
            lasting=self.kind != "emotion" and self.lasting.isChecked(),
            topic=self.topic.currentData(),
        )
        if added is not None:
            self.input.accept_submission()
            self._ctx.announce(self.visit_id, "notes")

    def edit_selected(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        note_id = item.data(Qt.ItemDataRole.UserRole)
        current = next(n for n in notes.notes_for_visit(self._ctx.store, self.visit_id) if n.id == note_id)
        text, ok = QInputDialog.getText(
            self, tr("Edit note"), tr("The earlier text is kept in its history."), text=current.text
        )
        if ok and self._ctx.attempt(notes.edit_note, note_id, text, self._ctx.clinician.name) is not None:
            self._ctx.announce(self.visit_id, "notes")

    def retract_selected(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        reason, ok = QInputDialog.getText(self, tr("Retract note"), tr("Why is this note retracted?"))
        if ok:
            self._ctx.attempt(notes.retract_note, item.data(Qt.ItemDataRole.UserRole), reason)

    def _line(self, note) -> str:
        prefix = f"{topic_label(note.topic)}: " if note.topic else ""
        marks = [tr("sensitive")] if note.sensitive else []
        if note.edited:
            marks.append(tr("edited"))
        return prefix + note.text + (f"   ({', '.join(marks)})" if marks else "")

    def _save_draft(self, text: str) -> None:
        if self.visit_id is not None:
            self._ctx.attempt(drafts.save_draft, self.visit_id, self.draft_field, text)
