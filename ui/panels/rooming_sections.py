"""The lists the nurse fills while rooming: priorities in the patient's words, and context notes.

Both work the same way: Enter adds what is typed (saved as a draft while typing), F2 corrects the selected
row (the earlier words are kept), Delete retracts it with a reason, Ctrl+H shows its history (every version, who
wrote it and when). Each row ends with who wrote its words and when. Correcting, retracting and the history happen
in dialogs that leave the window free (the lock can close them; words typed wait as a draft for the same
clinician). Sensitive rows, and their history's words, are masked until the view's reveal is on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from companion.errors import CompanionError
from companion.read.note_kinds import NoteKindSpec
from companion.services import audit_trail, notes, priorities
from companion.services.drafts import DraftKey
from ui.window.context import AppContext
from ui.window.edit_dialog import EditDialog
from ui.window.history_dialog import HistoryDialog, stamp_text
from ui.window.labels import source_label, topic_label, tr
from ui.window.widgets import DraftLineEdit, FittingList, fill_list, isolate, list_shortcut, moved_order, section_title

MASKED = QT_TR_NOOP("Private: hidden (Ctrl+Shift+S shows)")
REVEAL_FIRST = QT_TR_NOOP("Show the private items first (Ctrl+Shift+S) to correct one.")
HISTORY_KEY = "Ctrl+H"


def shrinking_combo() -> QComboBox:
    """A choice that gives up width before the view would clip on the right (its text shortens, never the row)."""
    combo = QComboBox()
    combo.setMinimumWidth(90)  # below its full width (what it asks for when there is room)
    return combo


def move_priority(ctx: AppContext, items: FittingList, visit_id: int, step: int) -> None:
    """Move the selected priority up or down and store the new order at once (Rooming and the glance's agenda);
    private items the list does not show keep their places after it (the service's rule)."""
    if (moved := moved_order(items, step)) is None:
        return
    ids, target = moved
    ctx.attempt(priorities.reorder, visit_id, ids, then=lambda _changed: items.setCurrentRow(target))


class RoomingSection(QWidget):
    """A titled list with its input line; subclasses say what a row is and how it is saved."""

    row_kind = ""  # names the row in an edit's draft and its history: "priority" or "note"

    def __init__(self, ctx: AppContext, title: str, placeholder: str, list_name: str, draft_field: str) -> None:
        super().__init__()
        self._ctx = ctx
        self.visit_id: int | None = None
        self.reveal = False
        self.history: HistoryDialog | None = None  # the history open from this list, if any
        self.items = FittingList(list_name, title)
        self.input = DraftLineEdit(placeholder, draft_field, ctx.save_draft, is_private=ctx.is_private)
        self.input.submitted.connect(self.add)
        self.sensitive = QCheckBox(tr("Private"))
        self.sensitive.setToolTip(
            tr("Keep it off the glance (facts the clinic's rules call private are kept off anyway)")
        )
        self.options = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = section_title(title)
        heading.setWordWrap(True)  # a long title (or a translation) wraps: the view never clips on the right
        layout.addWidget(heading)
        layout.addWidget(self.items)
        layout.addWidget(self.input)
        layout.addLayout(self.options)
        list_shortcut(self.items, "F2", self.edit_selected)
        list_shortcut(self.items, "Delete", self.retract_selected)
        list_shortcut(self.items, HISTORY_KEY, self.show_history)
        self.items.setToolTip(tr("F2 correct · Delete retract · %s history") % HISTORY_KEY)

    def show_visit(self, visit_id: int, draft: str) -> None:
        if visit_id != self.visit_id:
            self.close_history()  # another patient's history never stays open over this one
        self.input.show_visit(visit_id, draft)
        self.visit_id = visit_id
        self.reload()

    def reload(self) -> None:
        rows = self.rows()
        stamps = audit_trail.stamps(self._ctx.store, self.row_kind, [row.id for row in rows])
        fill_list(self.items, [(self.row_text(i, row, stamps.get(row.id)), row.id) for i, row in enumerate(rows, 1)])
        self.items.refit()

    def row_text(self, index: int, row, stamp) -> str:
        """The row's words (masked when private), "(edited)" when corrected, then who wrote them and when."""
        edited = f"   ({tr('edited')})" if stamp is not None and stamp.edited else ""
        return self.masked(row, self.words(index, row) + edited) + stamp_text(stamp)

    def selected_id(self) -> int | None:
        item = self.items.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def masked(self, row, text: str) -> str:
        return tr(MASKED) if row.sensitive and not self.reveal else text

    def show_history(self) -> None:
        """The selected row's history, in a dialog that leaves the window free; a private row's words show
        only while the view's reveal is on, as on the row itself."""
        row_id = self.selected_id()
        if row_id is None:
            return
        try:
            history = audit_trail.item_history(self._ctx.store, self.row_kind, row_id, reveal=self.reveal)
        except CompanionError as problem:
            self._ctx.message.emit(str(problem))
            return
        self.close_history()
        what = tr("priority") if self.row_kind == "priority" else tr("note")
        self.history = HistoryDialog(history, what, self)
        self.history.finished.connect(self._history_closed)
        self.history.open()

    def close_history(self) -> None:
        if self.history is not None:
            self.history.close()  # it deletes itself
            self.history = None

    def _history_closed(self) -> None:
        self.history = None

    def edit_selected(self) -> None:
        row = next((r for r in self.rows() if r.id == self.selected_id()), None)
        if row is not None and row.sensitive and not self.reveal:
            # Correcting shows the words: a covered row's only after the reveal, which is recorded.
            self._ctx.message.emit(tr(REVEAL_FIRST))
        elif row is not None:
            self._ask(
                f"edit:{self.row_kind}:{row.id}",
                tr("Correct"),
                tr("The earlier words are kept in its history."),
                row.text,
                lambda text, draft: self.save_edit(row, text, draft),
            )

    def retract_selected(self) -> None:
        row_id = self.selected_id()
        if row_id is not None:
            self._ask(
                f"retract:{self.row_kind}:{row_id}",
                tr("Retract"),
                tr("Why is this retracted? (It is kept, not deleted.)"),
                "",
                lambda reason, draft: self.save_retraction(row_id, reason, draft),
            )

    def submit(self, action, *args, **kwargs) -> None:
        self._ctx.submit(self.input, action, *args, then=self.after_add, **kwargs)

    def after_add(self, changed) -> None:
        """Ready for the next one; say so if the fact was kept off the glance."""
        self.sensitive.setChecked(False)
        self.lasting.setChecked(self.lasting_by_default)
        self._ctx.say_if_kept_private(changed)

    def _ask(self, what: str, title: str, label: str, text: str, save: Callable[[str, DraftKey], object]) -> None:
        """Ask for text without blocking the window. What this clinician typed here before and did not save (the
        window locked) is offered again; on a problem the message shows and the dialog keeps what was typed."""
        if self.visit_id is None:
            return
        text = self._ctx.my_drafts(self.visit_id).get(what, text)  # another clinician never sees it
        EditDialog(title, label, text, save, (self.visit_id, what), self._ctx.save_draft, self).open()

    # What subclasses provide.
    def rows(self) -> list:
        raise NotImplementedError

    def words(self, index: int, row) -> str:
        """What the row says, before its stamp."""
        raise NotImplementedError

    def add(self, text: str) -> None:
        raise NotImplementedError

    def save_edit(self, row, text: str, draft: DraftKey):
        raise NotImplementedError

    def _edited(self, changed) -> None:
        """A correction saved over someone else's newer words (both kept): said, never silent."""
        if changed.result.conflict:
            self._ctx.message.emit(tr("Someone else changed this meanwhile; their words are kept in its history."))

    def save_retraction(self, row_id: int, reason: str, draft: DraftKey):
        raise NotImplementedError


class PrioritySection(RoomingSection):
    """Today's priorities in their words; Alt+Up / Alt+Down reorder them."""

    row_kind = "priority"
    lasting_by_default = False

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            ctx,
            tr("What matters today, in their words"),
            tr("Add in their words, then Enter"),
            "priorityList",
            draft_field="priority",
        )
        self.lasting = QCheckBox(tr("&Lasting"))
        self.lasting.setToolTip(tr("Carry this priority to later visits (Alt+L)"))
        self.source = shrinking_combo()
        for source in ("patient", "nurse", "clinician"):
            self.source.addItem(tr("From the %s") % source_label(source).lower(), source)
        self.source.setToolTip(tr("Whose priority this is"))
        for widget in (self.lasting, self.sensitive, self.source):
            self.options.addWidget(widget)
        list_shortcut(self.items, "Alt+Up", lambda: self.move(-1))
        list_shortcut(self.items, "Alt+Down", lambda: self.move(1))

    def rows(self) -> list:
        return priorities.agenda(self._ctx.store, self.visit_id)

    def row_text(self, index: int, row, stamp) -> str:
        return f"{index}. " + super().row_text(index, row, stamp)

    def words(self, _index: int, row) -> str:
        return isolate(row.text) + (f"   ({tr('lasting')})" if row.scope == "lasting" else "")

    def add(self, text: str) -> None:
        self.submit(
            priorities.add_priority,
            self.visit_id,
            text,
            lasting=self.lasting.isChecked(),
            source=self.source.currentData(),
            sensitive=self.sensitive.isChecked(),
        )

    def save_edit(self, row, text: str, draft: DraftKey):
        return self._ctx.save_typed(
            priorities.edit_priority,
            row.id,
            text,
            expected_text=row.text,
            typed=text,
            draft=draft,
            then=self._edited,
        )

    def save_retraction(self, row_id: int, reason: str, draft: DraftKey):
        return self._ctx.save_typed(priorities.retract_priority, row_id, reason, typed=reason, draft=draft)

    def move(self, step: int) -> None:
        move_priority(self._ctx, self.items, self.visit_id, step)


class NoteSection(RoomingSection):
    """One kind of context note, as note_kinds declares it: social, practical or emotion."""

    row_kind = "note"

    def __init__(self, ctx: AppContext, spec: NoteKindSpec) -> None:
        kind = spec.kind.value
        super().__init__(ctx, tr(spec.title), tr(spec.placeholder), f"{kind}Notes", draft_field=f"note:{kind}")
        self.kind = kind
        self.topic = shrinking_combo()
        self.topic.addItem(tr("Topic…"), "")
        for topic in spec.topics:
            self.topic.addItem(topic_label(topic), topic)
        # A topic the clinic keeps private by default shows so: the writer sees it will be kept off the glance.
        self.topic.currentIndexChanged.connect(
            lambda: self.sensitive.setChecked(self.topic.currentData() in ctx.store.content.private_topics)
        )
        self.lasting = QCheckBox(tr("Lasting"))
        self.lasting.setToolTip(tr("About the patient, shown at later visits too"))
        self.can_last = self.lasting_by_default = spec.can_last
        self.lasting.setChecked(self.can_last)
        if spec.topics:
            self.options.addWidget(self.topic)
        if self.can_last:
            self.options.addWidget(self.lasting)
        self.options.addWidget(self.sensitive)

    def rows(self) -> list:
        return notes.notes_for_visit(self._ctx.store, self.visit_id, self.kind)

    def row_text(self, index: int, row, stamp) -> str:
        # A covered row names no topic either: a clinic may keep a topic private ("culture"), and the label says it
        covered = row.sensitive and not self.reveal
        prefix = f"{topic_label(row.topic)}: " if row.topic and not covered else ""
        return prefix + super().row_text(index, row, stamp)

    def words(self, _index: int, row) -> str:
        return isolate(row.text)

    def add(self, text: str) -> None:
        self.submit(
            notes.add_note,
            self.visit_id,
            self.kind,
            text,
            self._ctx.clinician.name,
            lasting=self.can_last and self.lasting.isChecked(),
            topic=self.topic.currentData(),
            sensitive=self.sensitive.isChecked(),
        )

    def save_edit(self, row, text: str, draft: DraftKey):
        return self._ctx.save_typed(
            notes.edit_note,
            row.id,
            text,
            self._ctx.clinician.name,
            expected_text=row.text,
            typed=text,
            draft=draft,
            then=self._edited,
        )

    def save_retraction(self, row_id: int, reason: str, draft: DraftKey):
        return self._ctx.save_typed(notes.retract_note, row_id, reason, typed=reason, draft=draft)
