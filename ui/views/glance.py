"""Glance, in the visit: what matters today, their story, and the emotion checklist, readable in two
seconds. Fits its default size without scrolling and never shows a sensitive fact.

The conversation moves through stages (companion.services.encounter): arrive, listening, agenda, visit,
done. A one-line strip under the name says what the moment asks for; the body below shows the glance, or the
agenda while it is being agreed, or the closing checks.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLayout, QMessageBox, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from companion.read.briefing import GLANCE_LIMIT, Glance, build_glance, language_line, name_line, private_marker
from companion.read.summary import build_summary
from companion.services import audit_trail, encounter
from ui.panels import agenda, closing, emotion_checklist
from ui.panels.agenda import AgendaPanel
from ui.panels.closing import ClosingPanel
from ui.panels.emotion_checklist import CUE_LINES, EmotionChecklist
from ui.views.base import ChangeAwareView
from ui.window.context import AppContext
from ui.window.handout_print import print_handout
from ui.window.labels import tr
from ui.window.widgets import (
    ElidedLabel,
    isolate,
    plain_label,
    plain_tooltip,
    point_size,
    section_title,
    show_together,
)

STAGE_PROMPTS = {
    "arrive": QT_TR_NOOP("F5 when you sit down, then let them finish."),
    "arrive_video": QT_TR_NOOP("F5 when connected; look at the camera."),
    "agenda": QT_TR_NOOP("Ctrl+N something else · Ctrl+G agreed"),
    "done": QT_TR_NOOP("Visit done · Ctrl+Shift+C copies the summary"),
}


# How many lines a key fact may take before the glance shows fewer items instead: the patient's words whole.
ITEM_LINES = 4
PATIENT_LINES = 2
ACCESS_LINES = 5  # video, language, interpreter and practical needs (all of them are on the prep card)
MOMENT_LINES = 3
SPACING = 2  # between the glance's lines; a row hidden gives back its height and this


def _elided(points: float, role: str, bold: bool = False, lines: int = ITEM_LINES) -> ElidedLabel:
    label = ElidedLabel(max_lines=lines)
    label.setObjectName(role)
    point_size(label, points, bold)
    return label


def _section(title: str, more: QWidget, rows: list[ElidedLabel]) -> QWidget:
    section = QWidget()
    layout = QVBoxLayout(section)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(SPACING)
    layout.addLayout(_titled(title, more))
    for row in rows:
        layout.addWidget(row)
    return section


def _titled(title: str, more: QWidget) -> QHBoxLayout:
    """A section title with its "+N more" on the same line, to keep the glance within one screen. The line is
    as tall with the count as without it: showing the count never takes the room it was counted for."""
    policy = more.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    more.setSizePolicy(policy)
    row = QHBoxLayout()
    row.addWidget(section_title(title))
    row.addStretch(1)
    row.addWidget(more)
    return row


class GlanceView(ChangeAwareView):
    """One read (companion.read.briefing.build_glance) feeds the view and its panels, which only display it."""

    kinds = frozenset(("visit", "patient", "priority", "note", "tick", "next_step"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.glance: Glance | None = None
        self.talk: encounter.Conversation | None = None
        self._drafts: dict[str, str] = {}
        self._finishing: int | None = None  # the visit whose finish is saving
        self._access: list[str] = []  # video, language and interpreter: always shown
        self._needs: list[str] = []  # practical needs: as many as fit whole (fit)
        self._layouts: list[QLayout] = []
        self.patient = _elided(18, "patientLine", bold=True, lines=PATIENT_LINES)
        self.needs = _elided(16, "needs", lines=ACCESS_LINES)  # language, interpreter and practical needs
        self.moment = _elided(12, "prepCue", lines=MOMENT_LINES)
        # What the glance holds back, counted and never named (others see the screen): read at the door.
        self.held_back = plain_label(role="heldBack", wrap=False)
        self.held_back.hide()
        self._listen_timer = QTimer(self, interval=1000)
        self._listen_timer.timeout.connect(self._show_moment)

        self.priority_rows = [_elided(16, "priority") for _ in range(GLANCE_LIMIT)]
        self.more_priorities = plain_label(role="more", wrap=False)
        self.story_rows = [_elided(16, "story") for _ in range(GLANCE_LIMIT)]
        self.more_story = plain_label(role="more", wrap=False)
        self.checklist = EmotionChecklist(ctx)
        self.checklist.reshaped.connect(lambda: self.glance is not None and self.fit())
        self.agenda = AgendaPanel(ctx)
        self.agenda.agreed_button.clicked.connect(lambda: self._show_page(self.main))
        self.closing = ClosingPanel(ctx)
        self.closing.done_button.clicked.connect(self.finish_visit)

        # Each list in a widget of its own, whose rows fit() shows and hides together (show_together).
        self.priority_area = _section(tr("What matters today"), self.more_priorities, self.priority_rows)
        self.story_area = _section(tr("Their story"), self.more_story, self.story_rows)
        self.main = QWidget()
        main = QVBoxLayout(self.main)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(SPACING)
        main.addWidget(self.priority_area)
        main.addWidget(self.story_area)
        main.addWidget(self.checklist)
        main.addStretch(1)
        self.body = QStackedWidget()
        for page in (self.main, self.agenda, self.closing):
            self.body.addWidget(page)
        for page in (self.agenda, self.closing):  # a page not shown must not make the glance's page short of room
            page.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)

        # The window's size decides what the glance shows (fit), never the other way round.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.patient)
        layout.addWidget(self.needs)
        layout.addWidget(self.moment)
        layout.addWidget(self.held_back)
        layout.addSpacing(4)
        layout.addWidget(self.body, 1)
        for keys, action in (
            ("Ctrl+K", self.focus_new_cue),
            ("Ctrl+PgDown", lambda: self.checklist.step_cue(1)),
            ("Ctrl+PgUp", lambda: self.checklist.step_cue(-1)),
            ("F5", self.toggle_listening),
            ("Ctrl+N", self.something_else),
            ("Ctrl+G", self.agree),
            ("Ctrl+D", self.close_or_finish),
            ("Ctrl+J", self.focus_next_step),
            ("Ctrl+Shift+C", self.copy_summary),
            ("F9", lambda: self._ctx.open_visit.emit(self.visit_id, "patient")),  # show the patient (patient_view)
            ("Ctrl+P", lambda: print_handout(self, self._ctx, self.visit_id)),
        ):
            QShortcut(QKeySequence(keys), self, action)

    def show_visit(self, visit_id: int) -> None:
        self.visit_id = visit_id
        with self._ctx.store.reading():  # one snapshot for the glance and the drafts: the switch stays within 8 ms
            self._drafts = self._ctx.my_drafts(visit_id)
            self.reload()
        self._show_page(self.agenda if self.talk.stage == "agenda" else self.main)

    def _show_page(self, page: QWidget) -> None:
        """The agenda and the closing checks are filled when they are shown, not on every switch."""
        if page in (self.agenda, self.closing):
            self._fill_panel(page)
        coming_back = page is self.main and self.body.currentWidget() is not self.main
        self.body.setCurrentWidget(page)
        if coming_back and self.glance is not None:
            self.fit()  # filled while another page was up: fitted again now it shows

    def _fill_panel(self, panel) -> None:
        field = agenda.DRAFT_FIELD if panel is self.agenda else closing.DRAFT_FIELD
        panel.show_glance(self.glance, self._drafts.get(field, ""))

    def stage(self) -> str:
        return self.talk.stage if self.talk else "arrive"

    def reload(self) -> None:
        glance = self.glance = build_glance(self._ctx.store, self.visit_id)
        self.talk, self.patient_id = glance.talk, glance.visit.patient_id
        self.checklist.show_glance(glance, self._drafts.get(emotion_checklist.DRAFT_FIELD, ""))
        if self.body.currentWidget() in (self.agenda, self.closing):
            self._fill_panel(self.body.currentWidget())
        self.patient.set_full_text(name_line(glance.patient))
        video = tr("Video visit") if glance.visit.video else ""
        self._access = [part for part in (video, language_line(glance.patient)) if part]
        self._needs = [isolate(n.text) for n in glance.needs]
        self.needs.setVisible(bool(self._access or self._needs))
        self._fill(
            self.priority_rows,
            [f"{i}  {isolate(p.text)}{self._whose(p)}" for i, p in enumerate(glance.priorities, 1)],
            tr("Nothing yet. Ask: what matters most today?"),
        )
        self._fill(self.story_rows, [f"•  {isolate(n.text)}" for n in glance.story], tr("Nothing noted yet."))
        self.held_back.setText(private_marker(glance.private_count))
        self.held_back.setVisible(bool(glance.private_count))
        if self.talk.stage == "listening":
            self._listen_timer.start()
        else:
            self._listen_timer.stop()
        self._show_moment()
        self.fit()

    def fit(self) -> None:
        """Every fact whole: when the window (or the text size) leaves too little room for them all, the glance
        shows fewer: their story's older items first, then only the next NURSE step's phrase, then the newest
        story item, then priorities down to the first, each counted in "+N more" and never cut short. Only when
        even that leaves too little room (the smallest window) do the lines that can wait give up lines (_tighten).

        The layout is measured once, as it stands; what each step would save is known from the rows' own
        heights (a hidden row takes no room and no spacing in a box layout), and only then is anything shown or
        hidden, each widget at most once: every change of visibility relays the window out, and showing rows to
        hide them again was most of a switch's time (benchmarks/)."""
        rows = [*self.priority_rows, *self.story_rows]
        margins = self.layout().contentsMargins()  # every key fact spans the view's width inside its margins
        width = self.width() - margins.left() - margins.right()
        for label, lines in self._tightened_last():
            label.set_max_lines(lines)  # their usual room back: _tighten took some on a smaller window
        for label in (self.patient, self.moment, *rows):
            label.reshape(width)
        self._fit_access(width)
        self.checklist.reshape(width)

        def room(row: ElidedLabel) -> int:
            return row.lines_height() + SPACING

        # The height with every row that has words, and the checklist whole, from the layout as it stands.
        overflow = self._relayout() - self.height()
        for row in rows:
            if bool(row.full_text()) == row.isHidden():  # isHidden: the rows may be on a page not shown now
                overflow += room(row) if row.isHidden() else -room(row)
        if self.checklist.is_compact():
            overflow += self.checklist.compact_saving()
        shown = {id(row) for row in rows if row.full_text()}
        compact = False
        for step in (*reversed(self.story_rows[1:]), self.checklist, self.story_rows[0], *self.priority_rows[:0:-1]):
            if overflow <= 0:
                break
            if step is self.checklist:
                compact = True
                overflow -= self.checklist.compact_saving()
            elif id(step) in shown:
                shown.discard(id(step))
                overflow -= room(step)
        for area, area_rows in ((self.priority_area, self.priority_rows), (self.story_area, self.story_rows)):
            show_together(area, [(row, id(row) in shown) for row in area_rows])
        self.checklist.set_compact(compact)
        if overflow > 0:
            self._tighten(width)
        hidden = [row for row in rows if row.full_text() and id(row) not in shown]
        self._more(self.more_priorities, self.glance.more_priorities + sum(r in hidden for r in self.priority_rows))
        self._more(self.more_story, self.glance.more_story + sum(r in hidden for r in self.story_rows))

    def _tightened_last(self) -> list[tuple[ElidedLabel, int]]:
        """The lines _tighten may shorten, in its order, each with the room it has otherwise."""
        first = self.priority_rows[0]
        cue = self.checklist.cue
        return [(self.needs, ACCESS_LINES), (first, ITEM_LINES), (self.moment, MOMENT_LINES),
                (self.patient, PATIENT_LINES), (cue, CUE_LINES)]  # fmt: skip

    def _tighten(self, width: int) -> None:
        """Last, when even the fewest items leave too little room (the smallest window with a long name, a long
        first priority and a long cue): lines that can wait give up lines, each then ending in "…" with its whole
        text in the tooltip, rather than the layout squeezing the cue and the NURSE steps until they overlap.
        Practical needs first (all of them are on the prep card), then the first priority down to two lines, the
        moment's prompt, the name, the cue down to two lines, and the first priority down to one. Measured again
        after each line given up: this happens on the smallest windows only, and a line too many cut is a fact
        read short."""
        first = self.priority_rows[0]
        steps = [(self.needs, 1), (first, 2), (self.moment, 1), (self.patient, 1), (self.checklist.cue, 2), (first, 1)]
        for label, least in steps:
            while label.full_text() and label.shown_lines() > least and self._relayout() > self.height():
                label.set_max_lines(label.shown_lines() - 1)
                if label is self.needs:
                    self._fit_access(width)  # fewer needs whole in fewer lines, the rest counted
                else:
                    label.reshape(width)

    def _fit_access(self, width: int) -> None:
        """Video, language and interpreter always; then as many practical needs as fit whole in the line's
        room, the rest counted (all of them are on the prep card). Fewer needs make a shorter line (but for the
        count gaining a digit, as from +9 to +10, which can cost a line only with ten needs or more hidden), so the
        most that fit are found by halving, each try measured without touching the label."""

        def line(kept: int) -> str:
            hidden = len(self._needs) - kept
            more = [tr("+%d more on the prep card") % hidden] if hidden else []
            return " · ".join([*self._access, *self._needs[:kept], *more])

        kept = len(self._needs)
        if not self.needs.fits(line(kept), width):
            low, high = 0, kept - 1  # with the count beside them
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if self.needs.fits(line(middle), width) else (low, middle - 1)
            kept = low
        self.needs.set_full_text(line(kept))
        self.needs.reshape(width)

    def _relayout(self) -> int:
        """The height the view needs now. Layouts cache their sizes and nest (a grid inside the checklist
        inside the body), so every one of them is invalidated first; and a parent layout also remembers the
        size of each container widget in it, which only that widget's updateGeometry() forgets."""
        containers = (
            self.body,
            self.main,
            self.priority_area,
            self.story_area,
            self.checklist,
            self.checklist.cue_area,
            self.agenda,
            self.closing,
        )
        if not self._layouts:  # the layouts this view made, found once rather than on every switch
            for widget in (self, *containers):
                self._layouts += [*widget.layout().findChildren(QLayout), widget.layout()]
        for layout in self._layouts:
            layout.invalidate()
        for widget in containers:
            widget.updateGeometry()
        return self.layout().minimumSize().height()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.glance is not None:
            self.fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.glance is not None:  # text zoom: fit the new sizes
            QTimer.singleShot(0, self.fit)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.glance is not None:
            self.fit()

    # The conversation, one key per moment.

    def toggle_listening(self) -> None:
        """F5 as they sit down starts the listening cue; F5 when the patient has finished records it."""
        if self.visit_id is None:
            return
        if self.stage() == "listening":
            self._ctx.attempt(encounter.stop_listening, self.visit_id, then=self._agenda_unless_agreed)
        else:
            self._ctx.attempt(encounter.start_listening, self.visit_id)

    def _agenda_unless_agreed(self, _changed) -> None:
        if not self.talk.agenda_agreed:
            self._show_page(self.agenda)

    def something_else(self) -> None:
        if self.visit_id is not None:
            self._show_page(self.agenda)
            self.agenda.ask()

    def agree(self) -> None:
        if self.visit_id is not None:
            if self.agenda.visit_id != self.visit_id:  # filled when shown: Ctrl+G from the main page agrees this one
                self._fill_panel(self.agenda)
            self.agenda.agree()
            self._show_page(self.main)

    def close_or_finish(self) -> None:
        """Ctrl+D opens the closing checks; Ctrl+D again there finishes the visit."""
        if self.visit_id is None or self.stage() == "done" or self._finishing == self.visit_id:
            return  # a finish still saving (another desk holds the database) is not asked for again
        if self.body.currentWidget() is self.closing:
            self.finish_visit()
        else:
            self._show_page(self.closing)
            self.closing.items.setCurrentRow(0)  # walk the agenda from the top
            self.closing.items.setFocus()

    def finish_visit(self) -> None:
        """Finish; private priorities nobody has read are not deferred without asking (they are off the glance)."""
        self.closing.flush()
        unread = encounter.unread_private(self._ctx.store, self.visit_id)
        if unread:
            self.ask_about_private(unread)
            return
        self._finish(defer_unread_private=False)

    def ask_about_private(self, count: int) -> None:
        """Read them on the prep card (the default), or finish and leave them for the next visit."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Encounter Companion"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(private_marker(count).replace(": read", ", not read yet: read", 1))
        box.setInformativeText(tr("They are kept off the glance. Finishing now leaves them for the next visit."))
        read = box.addButton(tr("Read on the prep card"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Finish anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(read)
        box.setEscapeButton(read)
        box.finished.connect(lambda _result: self._answered(box, read))
        self.private_question = box
        box.open()

    def _answered(self, box: QMessageBox, read) -> None:
        if box.clickedButton() is read or box.clickedButton() is None:
            self._ctx.open_visit.emit(self.visit_id, "prepare")
        else:
            self._finish(defer_unread_private=True)

    def _finish(self, defer_unread_private: bool) -> None:
        visit_id = self._finishing = self.visit_id

        def finished(_changed) -> None:
            self._finishing = None
            self._ctx.open_visit.emit(visit_id, "recentre")

        def refused() -> None:
            self._finishing = None

        self._ctx.attempt(
            encounter.finish_visit,
            visit_id,
            defer_unread_private=defer_unread_private,
            then=finished,
            refused=refused,
        )

    def focus_new_cue(self) -> None:
        self._show_page(self.main)
        self.checklist.new_cue.uncover()  # the clinician's own key: a private draft on the line shows
        self.checklist.new_cue.setFocus()

    def focus_next_step(self) -> None:
        if self.body.currentWidget() is not self.closing:
            self.close_or_finish()
        self.closing.step_input.uncover()
        self.closing.step_input.setFocus()

    def copy_summary(self) -> None:
        """The same text as `companion summary`: plain, and without sensitive facts."""
        if self.visit_id is None:
            return
        self._ctx.copy(build_summary(self._ctx.store, self.visit_id))
        self._ctx.attempt(audit_trail.record_view, "copy summary", self.visit_id)  # it left the app, as a print does
        self._ctx.message.emit(tr("Summary copied, without private facts. Paste it into the record."))

    def flush_drafts(self) -> None:
        for line in self._typing_lines():
            line.flush()

    def let_go_of_typed(self) -> None:
        for line in self._typing_lines():
            line.let_go()

    def _typing_lines(self) -> tuple:
        return (self.checklist.new_cue, self.agenda.input, self.closing.step_input)

    def _show_moment(self) -> None:
        stage = self.stage()
        if stage == "listening":
            seconds = int(self.talk.listening_for())
            text = tr("Listening · %d s · F5 when they finish") % seconds
        elif stage in STAGE_PROMPTS:
            video_form = f"{stage}_video" if self.glance.visit.video else stage
            text = tr(STAGE_PROMPTS.get(video_form, STAGE_PROMPTS[stage]))
        else:
            text = self.glance.prep_cue.cue
        self.moment.set_full_text(text)
        self.moment.setToolTip(plain_tooltip(f"{self.glance.prep_cue.title}: {self.glance.prep_cue.cue}"))

    @staticmethod
    def _fill(rows: list[ElidedLabel], texts: list[str], empty: str) -> None:
        texts = texts or [empty]
        for row, text in zip(rows, texts + [""] * len(rows), strict=False):
            row.set_full_text(text)  # fit() then decides which rows the window has room for

    @staticmethod
    def _whose(priority) -> str:
        """The patient's words stand alone; an item someone else raised says whose it is."""
        return {"clinician": f"  ({tr('clinician')})", "nurse": f"  ({tr('nurse')})"}.get(priority.source, "")

    @staticmethod
    def _more(label, count: int) -> None:
        label.setText(tr("+%d more") % count if count else "")
        label.setVisible(bool(count))

    def refresh(self) -> None:
        self.reload()
