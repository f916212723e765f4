"""An item's history, without blocking the window: every version of a priority or a note with who wrote it and
when, its retraction and the other changes the audit trail records, oldest first (Ctrl+H in Rooming).

What it shows was built by companion.services.audit_trail.item_history, which holds back a private item's words
unless they were revealed. It shows a patient's words, so the lock closes it like any dialog; its title never
names the patient.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from companion.read.models import HistoryEntry, ItemHistory, Stamp
from ui.window.labels import tr
from ui.window.widgets import dialog_buttons, isolate, plain_label

NBSP = "\u00a0"
HIDDEN = QT_TR_NOOP("Private: its words are hidden (Ctrl+Shift+S in Rooming shows them)")
PRIVATE_WHY = {
    "marked": QT_TR_NOOP("Private: marked so by the person who wrote it"),
    "wording": QT_TR_NOOP("Private: its wording falls under the clinic's rules"),
    "topic": QT_TR_NOOP("Private: the clinic keeps its topic private"),
    "label": QT_TR_NOOP("Private: its record's security label says so"),
    "code": QT_TR_NOOP("Private: its record's code says so"),
    "language": QT_TR_NOOP("Private: written in a language the clinic's rules do not read"),
}


def when_text(at: datetime | None, now: datetime | None = None, *, clock: bool = False) -> str:
    """A time as a person says it: "09:12" today, "yesterday", "12 Mar" (with the year when not this one);
    with `clock`, older days keep their time too ("yesterday 16:40"). Stored times are UTC; shown, local."""
    if at is None:
        return ""
    local, today = at.astimezone(), (now or datetime.now().astimezone()).date()
    hour = f"{local:%H:%M}"
    if local.date() == today:
        return hour if not clock else tr("today %s") % hour
    day = tr("yesterday") if local.date() == today - timedelta(days=1) else _day(local.date(), today)
    return f"{day} {hour}" if clock else day


def _day(day: date, today: date) -> str:
    month = day.strftime("%b")
    return f"{day.day} {month}" if day.year == today.year else f"{day.day} {month} {day.year}"


def stamp_text(stamp: Stamp | None, now: datetime | None = None) -> str:
    """Who wrote an item's words and when, to follow it on its row: "  · Jonas Lindqvist · 09:12". Its spaces
    do not break (NBSP): a row that wraps moves the whole stamp to the next line, never half of it."""
    if stamp is None:
        return ""
    who = isolate(stamp.who.replace(" ", NBSP)) if stamp.who else ""
    parts = [part for part in (who, when_text(stamp.at, now).replace(" ", NBSP)) if part]
    return f"  ·{NBSP}" + f"{NBSP}·{NBSP}".join(parts) if parts else ""


class HistoryDialog(QDialog):
    """Read only: Enter or Esc closes it. Each row says what happened, by whom and when, then the words."""

    def __init__(self, history: ItemHistory, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("History of a %s") % what)  # never the patient's name: others see the screen
        self.history = history
        self.heading = plain_label(tr("Every version, oldest first"), role="sectionTitle")
        self.private = plain_label(self._private_line(), role="hint")
        self.private.setVisible(history.private)
        self.entries = QListWidget()
        self.entries.setObjectName("historyList")
        self.entries.setWordWrap(True)
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        now = datetime.now().astimezone()
        for entry in history.entries:
            self.entries.addItem(QListWidgetItem(self.entry_text(entry, now)))
        self.entries.setCurrentRow(self.entries.count() - 1)  # the words as they stand
        buttons, self.close_button = dialog_buttons(self, tr("Close  (Enter)"))
        for index in range(buttons.count()):
            button = buttons.itemAt(index).widget()
            if isinstance(button, QPushButton) and button is not self.close_button:
                button.hide()  # nothing to cancel here: Esc closes it as well
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.private)
        layout.addWidget(self.entries, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(380)
        self.resize(420, 360)
        self.entries.setFocus()

    def texts(self) -> list[str]:
        """The rows as a person reads them (direction isolates are invisible)."""
        rows = [self.entries.item(i).text() for i in range(self.entries.count())]
        return [row.replace("\u2068", "").replace("\u2069", "") for row in rows]

    def entry_text(self, entry: HistoryEntry, now: datetime) -> str:
        by = tr(" by %s") % isolate(entry.who) if entry.who else ""
        first = f"{self._action(entry.action)}{by} · {when_text(entry.at, now, clock=True)}"
        if entry.hidden:
            return f"{first}\n{tr('(private: hidden)')}"
        if entry.action == "retracted":
            return f"{first}\n{tr('Reason:')} {isolate(entry.text)}" if entry.text else first
        return f"{first}\n“{isolate(entry.text)}”" if entry.text else first

    def _action(self, action: str) -> str:
        changed = tr("Moved, or marked addressed or deferred") if self.history.kind == "priority" else tr("Changed")
        return {
            "added": tr("Written"),
            "edited": tr("Corrected"),
            "retracted": tr("Retracted"),
            "changed": changed,
        }.get(action, action)

    def _private_line(self) -> str:
        if any(entry.hidden for entry in self.history.entries):
            return tr(HIDDEN)
        return tr(PRIVATE_WHY.get(self.history.private_reason, "Private: kept off the glance"))
