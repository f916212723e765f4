"""Check-in: a nurse hands the screen to the patient (H on Today). The window goes full screen and shows only the
questions and what the patient types now, in the language they choose. Every other key and window is shut out the
way the lock shuts them out (ui.window.screen_lock); leaving takes a nurse's or physician's PIN, and an idle
screen goes back to a neutral welcome, keeping the answers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.read.patient_facing import languages
from companion.read.patient_language import SOURCE_LANGUAGE, PatientLanguage
from companion.services import checkin
from companion.services.database import Store
from companion.text import BIDI_CONTROLS, DIRECTION_MARKS, LINE_BREAKS
from ui.window.labels import tr
from ui.window.screen_lock import ScreenLock
from ui.window.sign_in import SignInPanel
from ui.window.widgets import plain_label, point_size

IDLE_MS = 120_000  # two minutes without a touch or a key: back to the welcome, answers kept
TEXT_POINTS = 22  # large type: at least 20 pt everywhere the patient looks
QUESTION_POINTS = 28
TARGET_HEIGHT = 72  # large targets, for a finger as well as a mouse
MAX_ANSWER = 200
TAKES_BACK = ("nurse", "physician")
ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel}
STEPS = ("language", "matters", "something_else", "needs", "interpreter", "thanks")
# Dropped, or made spaces, as they are typed or pasted (_keep_one_line).
_ONE_LINE = dict.fromkeys(map(ord, BIDI_CONTROLS + DIRECTION_MARKS)) | {ord(ch): " " for ch in LINE_BREAKS + "\t"}


def _big_button(text: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TARGET_HEIGHT)
    point_size(button, TEXT_POINTS)
    return button


def _answer_line() -> QLineEdit:
    line = QLineEdit()
    line.setMaxLength(MAX_ANSWER)
    line.setMinimumHeight(TARGET_HEIGHT)
    point_size(line, TEXT_POINTS)
    line.textEdited.connect(lambda text: _keep_one_line(line, text))
    return line


def _keep_one_line(line: QLineEdit, text: str) -> None:
    """A right-to-left keyboard or an input method types invisible direction marks, and a paste brings its line
    breaks; saved, either would be refused (companion.text: marks reorder numbers, an answer is one line) and
    nobody could see which answer holds one. Marks are dropped and breaks made spaces as typed, so what the patient
    sees is what is kept."""
    kept = text.translate(_ONE_LINE)
    if kept != text:
        cursor = line.cursorPosition()
        line.setText(kept)
        line.setCursorPosition(len(text[:cursor].translate(_ONE_LINE)))


class CheckInPage(QWidget):
    """The patient's screen: one question at a time, Next and Back, and the staff's way out."""

    handed_back = Signal(object)  # the ClinicianView whose PIN took the screen back

    def __init__(self, store: Store, chosen_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkIn")
        self.languages = languages()
        self.language: PatientLanguage = self.languages[SOURCE_LANGUAGE]
        self._words: list[tuple[object, str]] = []  # (widget, key): said again in the chosen language
        self._resume = "language"
        self.steps = QStackedWidget()
        self.pages: dict[str, QWidget] = {}

        welcome_start = self._say(_big_button(), "checkin.start")
        welcome_start.clicked.connect(self.resume)
        self._page("welcome", "checkin.welcome", "checkin.welcome_help", welcome_start)

        self.language_buttons = QButtonGroup(self)
        choices = []
        for code, language in self.languages.items():
            button = _big_button(language.name)  # each language in its own words
            button.setCheckable(True)
            button.setProperty("code", code)
            button.clicked.connect(lambda _checked, c=code: self.choose_language(c))
            self.language_buttons.addButton(button)
            choices.append(button)
        self._page("language", "checkin.choose_language", "", *choices)

        self.matters = [_answer_line() for _ in range(3)]
        for line, key in zip(self.matters, ("checkin.first", "checkin.second", "checkin.third"), strict=True):
            self._say(line, key, placeholder=True)
        self._page("matters", "checkin.what_matters", "checkin.what_matters_help", *self.matters)
        self.something_else = _answer_line()
        self._page("something_else", "checkin.something_else", "checkin.something_else_help", self.something_else)
        self.needs = _answer_line()
        self._page("needs", "checkin.hard_to_care", "checkin.hard_to_care_help", self.needs)
        self.interpreter_yes = self._say(_big_button(), "checkin.yes")
        self.interpreter_no = self._say(_big_button(), "checkin.no")
        self.interpreter = QButtonGroup(self)
        for button in (self.interpreter_yes, self.interpreter_no):
            button.setCheckable(True)
            self.interpreter.addButton(button)
        self._page("interpreter", "checkin.interpreter", "", self.interpreter_yes, self.interpreter_no)
        self._page("thanks", "checkin.thanks", "checkin.thanks_help")

        # The staff's way out: their own words (English), their PIN; the patient's answers stay as they are.
        self.sign_in = SignInPanel(store, chosen_id, counts_here=True)  # a patient's guesses lock no one out
        self.sign_in.signed_in.connect(self._took_back)
        self.staff_message = plain_label(role="error")
        self.staff_message.hide()
        to_patient = QPushButton(tr("Back to the patient"))
        to_patient.clicked.connect(self.resume)
        # Offered once a save of the answers was refused (their visit removed at another desk, say), so the screen is
        # never held by answers nobody can save; the PIN is typed again with it ticked, so it opens nothing alone.
        self.without_saving = QCheckBox(tr("Take the screen back without the answers (then your PIN again)"))
        self.without_saving.hide()
        staff = QWidget()
        staff_layout = QVBoxLayout(staff)
        staff_layout.addWidget(plain_label(tr("A nurse or physician takes the screen back with their PIN.")))
        staff_layout.addWidget(self.sign_in)
        staff_layout.addWidget(self.staff_message)
        staff_layout.addWidget(to_patient)
        staff_layout.addWidget(self.without_saving)
        staff_layout.addStretch(1)
        self.pages["staff"] = staff
        self.steps.addWidget(staff)

        self.back = self._say(_big_button(), "checkin.back")
        self.back.clicked.connect(lambda: self.step(-1))
        self.next = self._say(_big_button(), "checkin.next")
        self.next.clicked.connect(lambda: self.step(1))
        self.staff = self._say(QPushButton(), "checkin.staff")
        self.staff.setMinimumHeight(48)
        self.staff.clicked.connect(self.show_staff)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.staff)
        moves = QHBoxLayout()
        moves.addWidget(self.back)
        moves.addStretch(1)
        moves.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 48)
        layout.addLayout(top)
        layout.addWidget(self.steps, 1)
        layout.addLayout(moves)

        self.idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self.idle.timeout.connect(self.rest)
        self._retranslate()

    def _say(self, widget, key: str, placeholder: bool = False):
        self._words.append((widget, ("placeholder:" if placeholder else "") + key))
        return widget

    def _page(self, name: str, question: str, help_key: str, *fields: QWidget) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        title = self._say(plain_label(role="patientQuestion"), question)
        point_size(title, QUESTION_POINTS, bold=True)
        column.addWidget(title)
        if help_key:
            column.addWidget(self._point(self._say(plain_label(role="patientHelp"), help_key)))
        for field in fields:
            column.addWidget(field)
            if isinstance(field, QLineEdit):
                column.addWidget(self._full_notice(field))
        column.addStretch(1)
        self.pages[name] = page
        self.steps.addWidget(page)

    def _full_notice(self, line: QLineEdit) -> QWidget:
        """A box holds MAX_ANSWER characters: past that, keys do nothing and a paste is cut. Said under the box, in
        the patient's language, as soon as it is full, so nobody thinks the screen is broken or all was kept."""
        notice = self._point(self._say(plain_label(role="patientHelp"), "checkin.box_full"))
        notice.hide()
        # Qt counts UTF-16 units: an emoji takes two of the box's places
        line.textChanged.connect(lambda text: notice.setVisible(len(text.encode("utf-16-le")) // 2 >= line.maxLength()))
        return notice

    @staticmethod
    def _point(widget: QWidget) -> QWidget:
        point_size(widget, TEXT_POINTS)
        return widget

    def _retranslate(self) -> None:
        for widget, key in self._words:
            if key.startswith("placeholder:"):
                widget.setPlaceholderText(self.language[key.removeprefix("placeholder:")])
            else:
                widget.setText(self.language[key])

    # --- the patient's moves

    def start(self, chosen_id: int | None) -> None:
        """A new check-in: nothing of the last one, English until they choose."""
        self._forget_answers()
        for group in (self.language_buttons, self.interpreter):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.language = self.languages[SOURCE_LANGUAGE]
        self._retranslate()
        self.sign_in.reload(chosen_id)
        self.go("language")
        self._forget_refusal()
        QApplication.instance().installEventFilter(self)
        self.idle.start()

    def stop(self) -> None:
        self._forget_refusal()
        self.idle.stop()
        QApplication.instance().removeEventFilter(self)
        self._forget_answers()  # saved (or let go): the hidden page holds none of their words

    def _forget_answers(self) -> None:
        """Every box empty and its undo history with it: the page is reused for the next patient, and clear()
        would leave the last one's words a Ctrl+Z away (setText empties the history)."""
        for line in (*self.matters, self.something_else, self.needs):
            line.setText("")

    def choose_language(self, code: str) -> None:
        self.language = self.languages[code]
        self._retranslate()
        self.go("matters")

    def current(self) -> str:
        return next(name for name, page in self.pages.items() if page is self.steps.currentWidget())

    def go(self, name: str) -> None:
        self.steps.setCurrentWidget(self.pages[name])
        inside = name in STEPS
        self.back.setVisible(inside and name != "language")
        self.next.setVisible(inside and name not in ("language", "thanks"))
        self.staff.setVisible(name != "staff")
        first = {
            "welcome": self.pages["welcome"].findChild(QPushButton),
            "language": self.language_buttons.buttons()[0],
            "matters": self.matters[0],
            "something_else": self.something_else,
            "needs": self.needs,
            "interpreter": self.interpreter_yes,
            "staff": self.sign_in,
        }.get(name)
        self.setFocusProxy(first)  # where the lock sends a stray key: the question's own field
        (first or self).setFocus()

    def step(self, by: int) -> None:
        name = self.current()
        if name in STEPS:
            self.go(STEPS[max(0, min(len(STEPS) - 1, STEPS.index(name) + by))])

    def rest(self) -> None:
        """Idle: a neutral welcome; the next touch or key goes back to where they were."""
        name = self.current()
        if name != "welcome":
            self._resume = name if name in STEPS else self._resume
            self.sign_in.pin.clear()
            self._forget_refusal()
            self.go("welcome")

    def resume(self) -> None:
        self._forget_refusal()
        self.go(self._resume if self._resume in STEPS else "language")

    def _forget_refusal(self) -> None:
        self.staff_message.hide()
        self.without_saving.setChecked(False)
        self.without_saving.hide()

    def without_answers(self) -> bool:
        """The staff chose, with their PIN typed after it, to take the screen back without the refused answers."""
        return self.without_saving.isVisible() and self.without_saving.isChecked()

    def show_staff(self) -> None:
        name = self.current()
        self._resume = name if name in STEPS else self._resume
        self.go("staff")

    def answers(self) -> dict:
        checked = self.interpreter.checkedButton()
        return {
            "language": self.language.code,
            "matters": [line.text() for line in self.matters if line.text().strip()],
            "something_else": self.something_else.text(),
            "needs": self.needs.text(),
            "interpreter": None if checked is None else checked is self.interpreter_yes,
        }

    def has_answers(self) -> bool:
        given = self.answers()
        return bool(given["matters"] or given["something_else"].strip() or given["needs"].strip()) or (
            given["interpreter"] is not None
        )

    def refuse(self, words: str, unsaved: bool = False) -> None:
        """Say why the screen stays; `unsaved`: a right PIN's save of the answers was refused, so the staff may take
        the screen back without them (ticked, then the PIN again)."""
        self.staff_message.setText(words)
        self.staff_message.show()
        self.without_saving.setVisible(unsaved)

    def _took_back(self, clinician) -> None:
        if clinician.role not in TAKES_BACK:
            self.refuse(tr("Only a nurse or physician can take the screen back."))
            self.sign_in.reload(clinician.id)
            return
        self.handed_back.emit(clinician)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        name = self.current()
        if name == "welcome":
            self.resume()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and name in STEPS:
            focus = QApplication.focusWidget()
            if isinstance(focus, QPushButton) and self.isAncestorOf(focus):
                focus.click()
            elif name not in ("language", "thanks"):
                self.step(1)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.current() == "welcome":
            self.resume()
            return
        super().mousePressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in ACTIVITY:
            self.idle.start()  # any touch or key keeps the questions up
        return False


class PatientMode(QObject):
    """Hands the window to the patient and takes it back; the page is made at the first check-in."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self.page: CheckInPage | None = None
        self._lock: ScreenLock | None = None
        self.active = False
        self.visit_id: int | None = None
        self._handed_by: int | None = None  # the clinician who handed the screen over

    def enter(self, visit_id: int) -> None:
        window = self._window
        if self.active or window.current_view() == "locked" or window.ctx.clinician.role != "nurse":
            return
        if self.page is None:
            self.page = CheckInPage(window.ctx.store, window.ctx.clinician.id)
            self.page.handed_back.connect(self.leave)
            window.stack.addWidget(self.page)
            self._lock = ScreenLock(window, self.page)
        window.flush_drafts()
        window.ctx.empty_clipboard()
        self.active, self.visit_id, self._handed_by = True, visit_id, window.ctx.clinician.id
        window._locked = True  # noqa: SLF001 (the window's own guard: no view, notice or key opens behind)
        window.idle.pause()
        if window.views.built("recentre"):
            window.views["recentre"].hold()
        window._show_nav(False)  # noqa: SLF001
        window.notice.clear()
        window.notice.hide()
        window.hint.hide()
        self.page.start(window.ctx.clinician.id)
        window.stack.setCurrentWidget(self.page)
        window.fill_screen()
        self._lock.engage()

    def leave(self, clinician) -> None:
        """A nurse or physician typed their PIN: the answers are saved, and the window is theirs again."""
        window = self._window
        if self.page.without_answers():
            self._give_back(clinician, saved=False)
            return
        if self.page.has_answers():
            with window.ctx.words_said() as heard:
                saved = window.ctx.attempt(checkin.save_checkin, self.visit_id, **self.page.answers())
            if saved is None:  # refused: the answers stay on the page, the staff read why and choose
                self.page.refuse(" ".join(heard) or tr("The answers could not be saved."), unsaved=True)
                return
        self._give_back(clinician, saved=True)

    def _give_back(self, clinician, saved: bool) -> None:
        window = self._window
        window.unlock(clinician)  # first: should it fail, the check-in's own lock is still up
        self.release(same_clinician=clinician.id == self._handed_by)
        window.restore_screen()
        window.hint.show()
        if saved:
            window.show_notice(tr("Check-in saved: the patient's answers are on Rooming."))
        else:
            window.show_notice(tr("Check-in not saved: ask the patient again what they wanted to say."))

    def release(self, same_clinician: bool = False) -> None:
        """Windows kept behind the check-in (an import's progress) come back only to whoever handed it over."""
        if not self.active:
            return
        self.active = False
        self.page.stop()
        self._lock.release(same_clinician)
