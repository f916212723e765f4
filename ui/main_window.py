"""The one place that wires the window together: views (built from ui.views.registry), navigation, shortcuts,
hiding, locking, always-on-top."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.errors import NotFound
from companion.services import audit_trail, encounter, rules_update, settings
from companion.services.preferences import Preferences
from companion.services.visits import visit_row
from ui.views.registry import BY_KEY, VIEWS, built_ahead
from ui.window.appearance import Appearance
from ui.window.context import AppContext
from ui.window.damaged_database import RestoreOffer
from ui.window.first_paint import after_first_paint
from ui.window.idle_lock import IdleLock
from ui.window.labels import tr
from ui.window.live_updates import LiveUpdates
from ui.window.patient_mode import PatientMode
from ui.window.rules_recheck import RulesRecheck
from ui.window.screen_lock import ScreenLock
from ui.window.sign_in import SignInPanel
from ui.window.view_pages import ViewPages
from ui.window.widgets import plain_label

if TYPE_CHECKING:
    from ui.window.import_dialog import ImportDialog

WINDOW_TITLE = QT_TR_NOOP("Encounter Companion")  # never a patient's name: others see the screen
DEFAULT_SIZE = (420, 640)
MIN_SIZE = (380, 560)  # the smallest window every view is built to show whole (a corner of an exam-room screen)
HIDDEN_HINT = QT_TR_NOOP("Hidden. Esc shows the window again.")
LOCK_WARNING = QT_TR_NOOP("The window locks in 30 s. Press a key or move the mouse to stay.")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, preferences: Preferences, opening: tuple[int, str] | None = None) -> None:
        """`opening`: the visit to show first, and in which view (--visit); the window paints with it, and
        builds the other views of the clinician's day right after its first paint (ui.views.registry)."""
        super().__init__()
        try:
            self._build(ctx, preferences, opening)
        except BaseException:
            self._let_go_unbuilt()
            raise

    def _let_go_unbuilt(self) -> None:
        """A window whose building failed part-way (a damaged page read while the PIN was typed, the window readied
        ahead of its Enter): what it had started stops, and it goes unseen. Left, it stayed a hidden top-level window
        that kept watching the database and could raise its own restore offer."""
        for started in ("live_updates", "idle"):
            if hasattr(self, started):
                getattr(self, started).stop()
        self.ctx.operations.shut_down()
        self.deleteLater()

    def _build(self, ctx: AppContext, preferences: Preferences, opening: tuple[int, str] | None) -> None:
        self.ctx = ctx
        self._preferences = preferences
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(*MIN_SIZE)
        self.visit_id: int | None = None
        self.stack = QStackedWidget()
        self.views = ViewPages(self.stack, lambda spec: spec.make(ctx, preferences))  # each built when needed
        self.curtain = plain_label(tr("Hidden"), role="curtain")
        self.curtain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_page = SignInPanel(ctx.store, ctx.clinician.id)
        self.lock_page.signed_in.connect(self.unlock)
        self.screen_lock = ScreenLock(self, self.lock_page)  # while locked, nothing else is reached or seen
        self.patient_mode = PatientMode(self)  # check-in: the screen handed to the patient (H on Today)
        for page in (self.curtain, self.lock_page):
            self.stack.addWidget(page)
        self.nav = {}
        self._clinicians_keys: list[QShortcut] = []  # off while the patient holds the screen (_turn_to_patient)
        nav_row = QHBoxLayout()
        nav_row.setSpacing(2)
        for spec in VIEWS:
            if spec.title:
                button = QPushButton(tr(spec.title))
                button.setObjectName("navButton")
                button.setCheckable(True)
                button.setToolTip(spec.shortcut)
                button.clicked.connect(lambda _checked, n=spec.key: self.show_view(n))
                nav_row.addWidget(button)
                self.nav[spec.key] = button
            if spec.shortcut:
                key = QShortcut(QKeySequence(spec.shortcut), self, lambda n=spec.key: self.show_view(n))
                self._clinicians_keys.append(key)
        self.notice = plain_label(role="notice")
        self.notice.hide()
        self.hint = plain_label(role="hint")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(nav_row)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.hint)
        self.setCentralWidget(central)

        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.toggle_hidden)
        self._clinicians_keys += [
            QShortcut(QKeySequence("Ctrl+T"), self, lambda: self.set_always_on_top(not self.always_on_top())),
            QShortcut(QKeySequence("Ctrl+I"), self, self.open_import),
        ]
        QShortcut(QKeySequence("Ctrl+Shift+U"), self, self.lock)  # the lock screen also switches user
        self.appearance = Appearance(self, MIN_SIZE, preferences, self.show_notice)
        for keys, action in (
            (("Ctrl+=", "Ctrl++"), lambda: self.zoom(1)),
            (("Ctrl+-",), lambda: self.zoom(-1)),
            (("Ctrl+0",), lambda: self.zoom(0)),
            (("Ctrl+Alt+H",), self.toggle_contrast),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self, action)
        self.import_dialog: ImportDialog | None = None  # made on first Ctrl+I
        self.idle = IdleLock(settings.idle_lock_ms(ctx.store), parent=self)
        # The privacy rules (thousands of phrases: a twelfth of a second, about 7 MB resident) judge what is saved, a
        # draft put back and an item's history. Built on the save thread at the first key typed in the window, ahead
        # of the words that key begins (a save asked for meanwhile runs after them), or by whatever needs them first:
        # a physician who only glances at the visit never pays for them. Not while the PIN is typed, where they made
        # the sign-in's peak of memory beside the PIN's hash.
        self.idle.key_pressed.connect(
            lambda: ctx.operations.prepare(lambda: ctx.store.content.privacy), Qt.ConnectionType.SingleShotConnection
        )
        self.idle.warn.connect(lambda: self.show_notice(tr(LOCK_WARNING)))
        self.idle.lock.connect(self.lock)
        after_first_paint(self, self._start_idle_clock)
        self.live_updates = LiveUpdates(ctx, self)
        self.restore_offer = RestoreOffer(self)  # damage found while open: the latest backup is offered
        ctx.open_visit.connect(self.open_visit)
        ctx.changed.connect(self._check_still_theirs)
        ctx.changed.connect(self._settings_changed)
        ctx.message.connect(self.show_notice)
        self._current = "today"
        self._before_patient = None  # the window's state and place before it filled the screen for the patient
        self._leaving_patient: str | None = None  # the view a clinician's PIN opens after the patient's screen
        self._hidden = False
        self._locked = False
        self._set_on_top_flag(bool(preferences.get("always_on_top", False)))
        self.appearance.apply_for(ctx.clinician.id)
        self._show_nav(True)
        # Stored facts the rules of today have not judged yet (after an update): judged as read until the window has
        # judged them in its background (below), so nothing the new rules hide is painted meanwhile.
        judging = rules_update.judge_as_read_until_done(ctx.store)
        if opening is not None:
            self.open_visit(*opening)
        if self.visit_id is None:  # nothing asked for, or not this clinician's visit (the notice says so)
            refused = self.notice.text()
            self.show_view(self.home())
            self.show_notice(refused)
        # The first view paints first; the others of this clinician's day follow.
        after_first_paint(self, lambda: self.views.build_ahead(built_ahead(ctx.clinician.role)))
        # Once after the rules changed (an update, the clinic's own words): what was stored before is judged with them.
        self.rules_recheck: RulesRecheck | None = None
        if judging:
            after_first_paint(
                self, lambda: setattr(self, "rules_recheck", RulesRecheck(ctx.store, self.show_notice, self))
            )

    def _start_idle_clock(self) -> None:
        self.idle.watch(self.windowHandle())  # it has the keys before it has the focus
        self.idle.start()

    def home(self) -> str:
        """An admin works on clinicians and settings only; everyone else starts on Today."""
        return "admin" if self.ctx.clinician.role == "admin" else "today"

    def current_view(self) -> str:
        if self._locked:
            return "checkin" if self.patient_mode.active else "locked"
        return "hidden" if self._hidden else self._current

    def open_visit(self, visit_id: int, view: str) -> None:
        if view == "checkin":
            self.patient_mode.enter(visit_id)
            return
        if view == "recentre":
            self.after_visit(visit_id)
            return
        self.show_view(view, visit_id if BY_KEY[view].needs_visit else None)

    def after_visit(self, finished_visit_id: int) -> None:
        """A visit is done: the re-centring pause (unless turned off), then the next visit's prep card. A finish
        answered late (it waited for another desk or the database to come back) opens nothing behind the lock, nor
        for whoever signed in since: the pause shows the finishing clinician's next visit. Nor does it open over the
        screen turned to the patient (F9 pressed while the finish saved): that takes the clinician's PIN."""
        if self._locked or self._current == "patient" or not self._finished_by_me(finished_visit_id):
            return
        recentre = self.views["recentre"]
        if recentre.enabled():
            recentre.show_visit(finished_visit_id)
            self._show_page("recentre")
            return
        following = encounter.next_visit_id(self.ctx.store, finished_visit_id)
        self.open_visit(following, "prepare") if following else self.show_view("today")

    def show_view(self, name: str, visit_id: int | None = None) -> None:
        """Show a view. A visit view shows the visit asked for; else, coming from Today, the visit selected
        there; else the visit already open. Nothing opens behind the lock (a timer, a saved write's answer)."""
        if self._locked or (self.home() == "admin" and name != "admin"):
            return  # an admin sees no patient information
        if self._current == "patient" and name != "patient":
            self._take_back_from_patient(name)
            return
        spec = BY_KEY[name]
        if spec.only_for and self.ctx.clinician.role not in spec.only_for:
            self.show_notice(tr("Prepare and the glance are for the visit's clinician; Rooming (Ctrl+2) is yours."))
            return
        if spec.needs_visit:
            if visit_id is None:  # Today is asked only then (at start it is built after the first paint)
                chosen = self.views["today"].selected_visit() if self.current_view() == "today" else None
                visit_id = chosen or self.visit_id or self.views["today"].selected_visit()
            if visit_id is None:
                self.show_notice(tr("Choose a visit on Today first."))
                return
            self.flush_drafts()
            # One session for the check and every panel: the visit is read once (the switch's 8 ms budget).
            with self.ctx.store.reading():
                if not self._may_open(visit_id):
                    return
                self.visit_id = visit_id
                self.views[name].show_visit(visit_id)
            if spec.audit:
                # Written as soon as the view has painted: the person sees the patient a write (and now and then
                # a WAL checkpoint) sooner; a window not shown yet (at start) paints first. Through `attempt`: on a
                # full or read-only disk it waits, and is written later; the view opens all the same.
                write = partial(self.ctx.attempt, audit_trail.record_view, spec.audit, visit_id)
                if self.isVisible():
                    QTimer.singleShot(0, write)
                else:
                    after_first_paint(self, write)
        self._show_page(name)

    def _take_back_from_patient(self, name: str) -> None:
        """Leaving the screen turned to the patient takes a clinician (DESIGN.md: it is tested like the lock): F9,
        or anything else that would open a view, brings the lock up over it, the patient's wrong PINs counted there;
        the clinician's PIN opens `name` with the window as it was, another clinician's opens their own Today."""
        self.lock()
        self._leaving_patient = name
        self.hint.setText(tr("The patient's screen: your PIN takes it back."))

    def _show_page(self, name: str) -> None:
        """Switch pages; while hidden the curtain stays until Esc, whatever opens behind it."""
        if self._locked:
            return
        if name != "recentre" and self.views.built("recentre"):
            self.views["recentre"].stop()
        self._turn_to_patient(name == "patient")
        self._current = name
        self._show_nav(not self._hidden)
        self.stack.setCurrentWidget(self.curtain if self._hidden else self.views[name])
        for key, button in self.nav.items():
            button.setChecked(key == name)
        self.hint.setText(self._hint())
        self.notice.hide()

    def _turn_to_patient(self, toward: bool) -> None:
        """Showing the patient fills the screen (large type for them to read), and the patient holds it: no way to
        another view (the navigation is gone and its keys are off; Esc still hides and Ctrl+Shift+U still locks), and
        F9 back to the glance takes a clinician's PIN (_take_back_from_patient), with nothing copied before to paste.
        Leaving it, the window is as before."""
        turned = self._current == "patient"
        if toward and not turned:
            self.ctx.empty_clipboard()
            self.fill_screen()
        elif turned and not toward:
            self.restore_screen()
        for key in self._clinicians_keys:
            key.setEnabled(not toward)

    def fill_screen(self) -> None:
        """The whole screen, for the patient: full screen, and the screen's size even where no window manager
        makes it so (a kiosk, a bare X server)."""
        self._before_patient = (self.windowState(), self.geometry())
        self.setGeometry(self.screen().availableGeometry())
        self.showFullScreen()

    def restore_screen(self) -> None:
        if self._before_patient is not None:
            state, geometry = self._before_patient
            self._before_patient = None
            self.setWindowState(state)
            self.setGeometry(geometry)
            self.show()

    def _hint(self) -> str:
        return tr(HIDDEN_HINT) if self._hidden else tr(BY_KEY[self._current].hint_for(self.ctx.clinician.role))

    def toggle_hidden(self) -> None:
        """One key hides every patient fact at once; the same key brings the view back."""
        if self._locked:
            return
        self._hidden = not self._hidden
        self.stack.setCurrentWidget(self.curtain if self._hidden else self.views[self._current])
        self._show_nav(not self._hidden)
        self.notice.hide()
        self.hint.setText(self._hint())

    def always_on_top(self) -> bool:
        return bool(self.windowFlags() & Qt.WindowType.WindowStaysOnTopHint)

    def set_always_on_top(self, on: bool) -> None:
        self._set_on_top_flag(on)
        self._preferences.set("always_on_top", on)
        self.show()
        self.show_notice(tr("Always on top: on.") if on else tr("Always on top: off."))

    def zoom(self, steps: int) -> None:
        if not self._locked:  # the lock screen changes no one's settings
            self.appearance.step_zoom(steps)

    def toggle_contrast(self) -> None:
        if not self._locked:
            self.appearance.toggle_contrast()
            if self.views.built("today") and self.home() == "today":  # an admin's window reads no patient list
                self.views["today"].reload()  # its rows paint their own colours (a Today built later paints anew)

    def open_import(self) -> None:
        """Ctrl+I: import FHIR records in the background; a running import is shown again, not restarted."""
        if self._locked or self._hidden:
            return
        if self.home() == "admin":  # records are patient information, and its report can name them
            self.show_notice(tr("Importing records is for clinicians; an admin sees no patient information."))
            return
        if self.import_dialog is None or not self.import_dialog.running():
            from ui.window.import_dialog import ImportDialog  # the FHIR models load on first use, not at every start

            self.import_dialog = ImportDialog(self.ctx, self)
        self.import_dialog.open()

    def lock(self) -> None:
        """Blank every patient fact and ask for the PIN (idle, or Ctrl+Shift+U to change user)."""
        if self._locked:
            return
        self.flush_drafts()
        self._locked = True
        self.ctx.forget_copied()
        self.idle.pause()
        # No pause or ritual ends behind the lock and opens a visit (a view never built has neither running).
        if self.views.built("recentre"):
            self.views["recentre"].hold()
        if self.views.built("prepare"):
            self.views["prepare"].ritual.reset()
        # Locked while the patient holds the screen (F9): their wrong PINs are counted here, as at check-in.
        self.lock_page.counts_here = self._current == "patient"
        self.lock_page.reload(self.ctx.clinician.id)
        self.stack.setCurrentWidget(self.lock_page)
        self._show_nav(False)
        self.notice.clear()
        self.notice.hide()
        self.hint.setText(tr("Locked. Sign in to go on; another clinician may sign in here too."))
        self.screen_lock.engage()  # every key but the sign-in's, every other window

    def unlock(self, clinician) -> None:
        """The same clinician picks up where they were; another one starts on their own Today, and nothing of
        the previous clinician's open windows comes back."""
        same = clinician.id == self.ctx.clinician.id
        if not same:
            self._switch_clinician(clinician)
        self._locked = False  # only now: a switch that failed leaves the lock up and the previous clinician's views
        leaving, self._leaving_patient = self._leaving_patient, None
        if same and leaving is not None and self._current == "patient":  # taken back from the patient
            self._turn_to_patient(False)
            self._current = leaving
        self.idle.restart()
        self._show_nav(not self._hidden)  # locked while hidden: the curtain is still up
        self.show_view(self._current)
        if self.stack.currentWidget() is self.lock_page:  # the visit open at the lock is no longer theirs
            self.visit_id = None
            self._show_page(self.home())
        if same and self.views.built("recentre"):
            self.views["recentre"].go_on()
        self.screen_lock.release(same)

    def _switch_clinician(self, clinician) -> None:
        """Another clinician at the lock: their own Today, appearance and views. Should any step fail, the window
        stays the previous clinician's behind the lock, so the next try switches again rather than opening the
        previous clinician's views to the new one."""
        previous, current, visit_id = self.ctx.clinician, self._current, self.visit_id
        for view in self._typing_views():  # saved at the lock as the previous clinician's drafts: off the lines
            view.let_go_of_typed()
        try:
            self.ctx.clinician = clinician
            audit_trail.act_as(clinician)
            self.appearance.apply_for(clinician.id)
            self.visit_id = None
            if self.views.built("prepare"):
                self.views["prepare"].ritual.reset()
            self._turn_to_patient(False)  # locked from F9: the next clinician gets the window as it was before
            self._current = self.home()
            if self.views.built("today") and self.home() == "today":  # an admin's window reads no patient list
                self.views["today"].reload()  # the new clinician's list
        except BaseException:
            self.ctx.clinician, self._current, self.visit_id = previous, current, visit_id
            audit_trail.act_as(previous)
            self.appearance.apply_for(previous.id)  # their zoom and contrast, saved under their own name
            raise
        self._preferences.remember_clinician(clinician)  # preselected, and shown at once, at the next start
        self.views.build_ahead(built_ahead(clinician.role))  # their day's views, one per turn of the loop

    def _show_nav(self, shown: bool) -> None:
        shown = shown and self.home() != "admin" and self._current != "patient"  # the patient holds the screen
        role = self.ctx.clinician.role
        for key, button in self.nav.items():
            button.setVisible(shown and (not BY_KEY[key].only_for or role in BY_KEY[key].only_for))

    def _settings_changed(self, changed) -> None:
        """An admin changed the idle lock's time, here or at another desk: every open window follows it."""
        if "setting" in changed.kinds:
            self.idle.lock_after(settings.idle_lock_ms(self.ctx.store))

    def _check_still_theirs(self, changed) -> None:
        """The open visit was given to another clinician (at another desk): this window lets go of it, as it would
        refuse to open it now, before anyone reveals its private items."""
        if self._locked or self.visit_id is None or "visit" not in changed.kinds:
            return
        if not (changed.everywhere or self.visit_id in changed.visit_ids) or not BY_KEY[self._current].needs_visit:
            return
        if self._may_open(self.visit_id):
            return
        if self._current == "patient":  # the patient holds the screen: no day's list for them, the lock instead
            self.lock()
            return
        why = self.notice.text()  # what _may_open said: another clinician's list, or not assigned now
        self.visit_id = None
        self._show_page(self.home())
        self.show_notice(why)

    def _finished_by_me(self, visit_id: int) -> bool:
        try:
            return visit_row(self.ctx.store, visit_id).clinician_id == self.ctx.clinician.id
        except NotFound:  # purged meanwhile
            return False

    def may_open(self, visit_id: int) -> bool:
        """Whether this clinician may open the visit now (read afresh, nothing said)."""
        return self._why_not_open(visit_id) is None

    def _may_open(self, visit_id: int) -> bool:
        why_not = self._why_not_open(visit_id)
        if why_not is not None:
            self.show_notice(why_not)
        return why_not is None

    def _why_not_open(self, visit_id: int) -> str | None:
        """Nurses room every patient; a physician or other clinician opens only the visits on their list. A visit
        removed since it was shown (the retention purge, at this desk or another) opens for nobody."""
        try:
            row = visit_row(self.ctx.store, visit_id)  # read anyway by the view: the scope keeps it for them
        except NotFound:
            return tr("This visit is not in the records (the clinic's retention may have removed it).")
        if self.ctx.clinician.role == "nurse" or row.clinician_id == self.ctx.clinician.id:
            return None
        if row.assigned:
            return tr("This visit is on another clinician's list.")
        return tr("This visit is not assigned yet: a nurse assigns it on Today.")

    def show_notice(self, text: str) -> None:
        if self._locked:
            return  # the notice line may name what happened to a patient's record
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def flush_drafts(self) -> None:
        """Save whatever is typed but not yet entered, in every view."""
        for view in self._typing_views():
            view.flush_drafts()

    def _typing_views(self) -> list:
        return [self.views[name] for name in ("rooming", "glance") if self.views.built(name)]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Save every draft before the window goes; what still waits for the database is not dropped
        without asking. While the patient holds the screen at check-in the window stays (Alt+F4 is a key they
        can press): a nurse or physician takes the screen back with their PIN first, and the answers are saved."""
        if self.patient_mode.active:
            event.ignore()
            self.patient_mode.page.show_staff()
            return
        self.flush_drafts()
        if self.ctx.unsaved():
            if not self.close_anyway(self.ctx.unsaved()):
                event.ignore()
                return
            self.ctx.drop_waiting()  # the user chose: they are not replayed behind a closed window
        self.ctx.forget_copied()  # on X11 a clipboard manager would otherwise keep the summary after the app is gone
        self.live_updates.stop()
        if self.rules_recheck is not None:
            self.rules_recheck.stop()
        self.idle.stop()
        self.ctx.operations.shut_down()  # a save still running (a busy database) finishes before the window goes
        self.screen_lock.release(same_clinician=False)  # a locked window may close; its keys go with it
        self.patient_mode.release()
        super().closeEvent(event)

    def close_anyway(self, count: int) -> bool:
        """Ask before dropping what could not be saved yet; keeping the window open is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr(WINDOW_TITLE), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if count == 1:
            box.setText(tr("1 thing you typed or changed is not saved yet."))
        else:
            box.setText(tr("%d things you typed or changed are not saved yet.") % count)
        box.setInformativeText(
            tr(
                "The database cannot take it just now; with the window open it is saved as soon as it can be. "
                "Closing now loses it."
            )
        )
        close = box.addButton(tr("Close anyway"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep open"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is close

    def _set_on_top_flag(self, on: bool) -> None:
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
