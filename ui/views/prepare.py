"""Prepare, at the door: the prep card, then the clinician's own focus ritual.

The card holds what the glance has no room for: their story whole (the glance shortens a long item), the care
team's goals under their own heading (never in the patient's words), and the private items behind the reveal,
whose button stays in sight below the card however long the card grows."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from companion.read.briefing import build_prep_card, language_line, name_line
from companion.read.models import Changed
from companion.services import encounter, rituals
from ui.panels.ritual import RitualPanel
from ui.views.base import ChangeAwareView
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.widgets import isolate, plain_label, point_size, scroll_area, section_title, shown_reason, space_key


class PrepareView(ChangeAwareView):
    """Finishing the ritual marks the visit prepared and opens the glance."""

    kinds = frozenset(("visit", "patient", "priority", "note", "next_step", "care_goal"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.name = plain_label(role="patientLine")
        point_size(self.name, 18, bold=True)
        self.needs = plain_label(role="needs")
        self.reason = plain_label(role="hint")
        self.priorities = plain_label(role="prepPriorities")
        point_size(self.priorities, 14)
        self.story_title = section_title(tr("Their story"))
        self.story = plain_label(role="story")
        self.open_items = plain_label(role="openItems")
        self.earlier = plain_label(role="earlier")
        self.goals_title = section_title(tr("Care goals, from the health record"))
        self.goals = plain_label(role="careGoals")
        self.sensitive_button = QPushButton()
        self.sensitive_button.setCheckable(True)
        self.sensitive_button.toggled.connect(self._reveal)
        self.sensitive = plain_label(role="sensitive")
        self.ritual = RitualPanel(ctx)
        self.ritual.finished.connect(self._ritual_finished)

        card = QWidget()
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.name,
            self.needs,
            self.reason,
            section_title(tr("What matters today")),
            self.priorities,
            self.earlier,
            self.open_items,
            self.story_title,
            self.story,
            self.goals_title,
            self.goals,
            self.sensitive,
        ):
            card_layout.addWidget(widget)
        card_layout.addStretch(1)
        # A long card scrolls; the reveal button and the ritual below always keep their place at the door.
        self.scroll = scroll_area(card)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.sensitive_button)
        layout.addWidget(self.ritual)
        space_key(self, self.ritual.start)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.ritual.finish_now)
        QShortcut(QKeySequence("Ctrl+E"), self, self.ritual.edit)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.sensitive_button.toggle)

    def show_visit(self, visit_id: int) -> None:
        self.visit_id = visit_id
        self.sensitive_button.setChecked(False)
        self.ritual.reset()
        self._load()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.sensitive_button.setChecked(False)  # never leave sensitive facts revealed behind the user
        if not event.spontaneous() and self.ritual.running():
            # Leaving the card (another view, another visit, the lock) ends the pause unrecorded: finished behind
            # the clinician's back, it would open this patient's glance over whatever is on screen by then. A
            # window minimized mid-pause (spontaneous) keeps counting.
            self.ritual.reset()
        super().hideEvent(event)

    def _load(self) -> None:
        card = build_prep_card(self._ctx.store, self.visit_id)
        self.patient_id = card.visit.patient_id
        self.name.setText(name_line(card.patient))
        access = [language_line(card.patient), *(isolate(n.text) for n in card.needs)]
        self.needs.setText(" · ".join(part for part in access if part))
        self.needs.setVisible(bool(self.needs.text()))
        mode = tr("Video visit") if card.visit.video else ""
        line = (f"{card.visit.scheduled_at:%H:%M}", mode, shown_reason(card.visit) if card.visit.reason else "")
        self.reason.setText(" · ".join(part for part in line if part))
        lines = [f"{i}. {isolate(p.text)}" for i, p in enumerate(card.priorities, 1)] or [
            tr("Nothing recorded yet: ask.")
        ]
        if card.more_priorities:
            lines.append(tr("+%d more") % card.more_priorities)
        self.priorities.setText("\n".join(lines))
        self.story.setText("\n".join(f"•  {isolate(n.text)}" for n in card.story))  # each item whole
        for widget in (self.story_title, self.story):
            widget.setVisible(bool(card.story))
        self.open_items.setText(
            "\n".join(f"{tr('Last time we did not get to')}: {isolate(p.text)}" for p in card.open_from_last_visit)
        )
        self.open_items.setVisible(bool(card.open_from_last_visit))
        self.earlier.setText(
            "\n".join(f"{tr('Last time')}: {isolate(p.text)}" for p in card.from_earlier)
            + ("\n" + tr("Ask how it is going; notice their efforts, celebrate progress.") if card.from_earlier else "")
        )
        self.earlier.setVisible(bool(card.from_earlier))
        self.goals.setText("\n".join(self._goal_line(goal) for goal in card.care_goals))
        for widget in (self.goals_title, self.goals):
            widget.setVisible(bool(card.care_goals))
        content = self._ctx.store.content
        private = [f"{self._kind(content, item.category)}{isolate(item.text)}" for item in card.sensitive]
        if card.visit.reason_private and card.visit.reason:  # the visit's own reason first, behind the same reveal
            private.insert(0, f"{tr('Reason for the visit')} · {isolate(card.visit.reason)}")
        self.sensitive_button.setText(tr("Private items (%d): reveal  Ctrl+Shift+S") % len(private))
        self.sensitive_button.setVisible(bool(private))
        self.sensitive.setText("\n".join(private))
        self._show_sensitive(self.sensitive_button.isChecked())

    @staticmethod
    def _goal_line(goal) -> str:
        """ "•  HbA1c under 7 (Dr Bone)": the goal, and who set it when the record says."""
        who = f"  ({isolate(goal.set_by)})" if goal.set_by else ""
        return f"•  {isolate(goal.text)}{who}"

    @staticmethod
    def _kind(content, category: str) -> str:
        """ "Safety · " for suicide, self-harm and abuse (listed first); the category's words for the rest."""
        if category in content.safety_categories:
            return tr("Safety") + " · "
        label = content.category_label(category)
        return f"{label} · " if label else ""

    def _show_sensitive(self, shown: bool) -> None:
        self.sensitive.setVisible(shown and bool(self.sensitive.text()))

    def _reveal(self, shown: bool) -> None:
        self._show_sensitive(shown)
        if shown and self.sensitive.text():  # the items are at the card's end: bring them into view once laid out
            QTimer.singleShot(0, self.scroll, lambda: self.scroll.ensureWidgetVisible(self.sensitive, 0, 0))
        if shown and self.visit_id is not None and self.sensitive.text():
            # Reading private items is recorded, and the visit remembers it (finishing then asks nothing).
            self._ctx.attempt(encounter.reveal_private, self.visit_id)

    def _ritual_finished(self, paused_seconds: int, completed: bool) -> None:
        if self.visit_id is None:
            return
        visit_id = self.visit_id
        self._ctx.attempt(
            rituals.record_run,
            visit_id,
            self._ctx.clinician.id,
            paused_seconds,
            completed,
            then=lambda _changed: self._go_in(visit_id),
        )

    def _go_in(self, visit_id: int) -> None:
        """The glance of the visit whose ritual was recorded, if its card is still what the clinician looks at: a
        save that waited (another desk held the database) does not open it over another view or visit later."""
        if self.isVisible() and self.visit_id == visit_id:
            self._ctx.open_visit.emit(visit_id, "glance")

    def concerns(self, changed: Changed) -> bool:
        return super().concerns(changed) and not self.ritual.running()  # the card holds still during the pause

    def refresh(self) -> None:
        self._load()
