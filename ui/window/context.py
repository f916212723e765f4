"""What every view shares: the store, who is signed in, and the signals that tie views together.

Every write goes through `attempt`, which runs it off the window's thread (ui.window.operations) and applies its
outcome here: the `Changed` it returns goes to every view (each reads again only what concerns it), and a problem
becomes a calm message (companion.errors says it). When the database cannot be reached (a server restarting, a
network cable out, a file locked for too long), the write is kept in order and replayed when the database answers
again; what the user typed stays on screen until then. A damaged SQLite file is told apart: nothing more is
written into it, and the writes wait for the latest backup to be restored (ui.window.damaged_database.RestoreOffer),
then go into the restored file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from companion.errors import DAMAGED, DatabaseBusy, Problem, damaged_file, problem_of, sentence
from companion.read.models import EVERYTHING, Changed, ClinicianView
from companion.services import audit_trail, database, drafts
from ui.window.labels import tr
from ui.window.operations import Operations

if TYPE_CHECKING:
    from companion.services.database import Store
    from ui.window.widgets import DraftLineEdit

RETRY_MS = 2000
QUEUED = object()  # what `attempt` returns for a write kept until the database is back
PENDING = object()  # what `attempt` returns for a write still saving in the background


@dataclass(frozen=True)
class Write:
    action: Callable[..., Any]
    args: tuple
    kwargs: dict
    then: Callable[[Any], None] | None
    refused: Callable[[], None] | None = None  # told when it is refused after it was asked for (not at once)
    # Whoever asked for it: a write that waits (for the database, or behind another desk's) is recorded as theirs,
    # whoever has signed in since.
    in_their_name: Callable[[Callable[[], Any]], Callable[[], Any]] = field(
        default_factory=audit_trail.in_the_name_of_now
    )

    def call(self, store: Store) -> Callable[[], Any]:
        return self.in_their_name(partial(self.action, store, *self.args, **self.kwargs))


class AppContext(QObject):
    """One per window. Writes report what they changed through `changed`; each view decides whether to reload."""

    changed = Signal(object)  # companion.read.models.Changed
    open_visit = Signal(int, str)  # visit id, view name
    message = Signal(str)  # a calm one-line notice for the status line
    connection = Signal(bool)  # False while the database cannot be reached
    damaged = Signal()  # SQLite found the database file damaged
    _save_waits = Signal()  # from the saving thread: another workstation holds the write lock

    def __init__(self, store: Store, clinician: ClinicianView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.clinician = clinician
        self.offline = False
        self.damage_found = False  # writes wait for a restore rather than go into a damaged file
        self.operations = Operations(self)
        self._copied = ""  # what the app last put on the clipboard (forget_copied)
        self._waiting: list[Write] = []
        self._replaying = False
        self._retry = QTimer(self, interval=RETRY_MS)
        self._retry.timeout.connect(self.retry)
        self._save_waits.connect(lambda: self.message.emit(sentence(database.WAITING)))
        database.on_waiting(self._save_waits.emit)

    def attempt(
        self,
        action: Callable[..., Any],
        *args,
        then: Callable | None = None,
        refused: Callable[[], None] | None = None,
        **kwargs,
    ) -> Any:
        """Run a service write. Returns its Changed when it was saved at once, None when it was refused (a
        message says why), PENDING while it saves in the background, QUEUED while the database is away; in
        the last two cases `then(changed)` runs once it is saved. `then` always receives the Changed; `refused()`
        runs whenever it is refused, at once or later (another desk held the database past the limit)."""
        write = Write(action, args, kwargs, then, refused)
        if self.offline:
            self._waiting.append(write)
            return QUEUED
        settled: list = []
        done_now = self.operations.run(
            write.call(self.store), lambda future: settled.append(self._settle(future, write))
        )
        return settled[0] if done_now else PENDING

    def is_private(self, text: str) -> bool:
        """Whether the clinic's privacy rules keep these words off screens others can see."""
        return self.store.content.privacy.judge(text).private

    def say_if_kept_private(self, changed: Changed) -> None:
        """An entry saved as private (its writer marked it, or the privacy rules read it so) has left the list it
        was typed into, which shows only what others may see: say where it went, wherever it was typed."""
        if getattr(changed.result, "sensitive", False):
            self.message.emit(tr("Saved as private: kept off the glance, behind the reveal."))

    def copy(self, text: str) -> None:
        """Put a patient's text on the clipboard, remembered so the lock can take it off, and marked as a secret for
        the clipboard managers that honour KDE's hint (Klipper and those like it keep no history of it)."""
        data = QMimeData()
        data.setText(text)
        data.setData("x-kde-passwordManagerHint", QByteArray(b"secret"))
        QGuiApplication.clipboard().setMimeData(data)
        self._copied = text

    def empty_clipboard(self) -> None:
        """The patient takes the screen (check-in, F9): nothing copied before (from the health record, a summary) is
        left to paste, nor in X11's middle-click selection."""
        clipboard = QGuiApplication.clipboard()
        for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
            clipboard.clear(mode)
        self._copied = ""

    def forget_copied(self) -> None:
        """The window locks or closes: nothing this app put on the clipboard or in X11's middle-click selection is
        left to paste (a summary, a row copied from a list with Ctrl+C, words selected in a field); what another
        program copied since stays."""
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard() or (self._copied and clipboard.text() == self._copied):
            clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection() and clipboard.ownsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self._copied = ""

    @contextmanager
    def words_said(self) -> Iterator[list[str]]:
        """The notices said while inside: a form repeats a refusal beside what was typed, which it keeps."""
        heard: list[str] = []

        def hear(words: str) -> None:
            heard.append(words)

        self.message.connect(hear)
        try:
            yield heard
        finally:
            self.message.disconnect(hear)

    def submit(self, line: DraftLineEdit, action: Callable[..., Any], *args, then: Callable | None = None, **kwargs):
        """Save what was entered on a line (a DraftLineEdit) together with the clearing of its draft, in one
        commit: the line's draft key, as this clinician's, is passed to the service. Once saved the line lets go of
        the text; while it waits the line keeps the text and ignores a second Enter."""
        if line.pending:
            return
        text, key, draft = line.text(), line.draft_key, self.own(line.draft_key)
        line.pending = True
        line.forget_draft_timer()  # the saving transaction clears the draft: no later draft save may bring it back

        def saved(changed: Changed) -> None:
            line.pending = False
            line.accept_submission(text)
            if then is not None:
                then(changed)

        def refused() -> None:
            """Refused, at once or after waiting: nothing typed is lost. On the line still showing the visit the
            words stay, to be corrected and entered again, and are its draft; a line that has moved on (another
            visit, another clinician) has let go of them, so they wait as their writer's draft of that visit."""
            line.pending = False
            if line.draft_key == key:
                line.keep_as_draft()
            elif draft is not None:
                self.attempt(drafts.save_draft, *draft, text)

        self.attempt(action, *args, then=saved, refused=refused, draft=draft, **kwargs)

    def save_typed(self, action: Callable[..., Any], *args, typed: str, draft: drafts.DraftKey, **kwargs) -> Any:
        """Save words typed in a dialog (an edit, a retraction) together with the clearing of their draft. The
        dialog closes once the save is under way; should it be refused later, the words wait as their writer's
        draft, and the dialog offers them again."""
        owned = self.own(draft)
        return self.attempt(
            action, *args, draft=owned, refused=lambda: self.attempt(drafts.save_draft, *owned, typed), **kwargs
        )

    def save_draft(self, key: drafts.DraftKey, text: str) -> None:
        """Keep a line's words as the signed-in clinician's draft (a DraftLineEdit's save_draft)."""
        self.attempt(drafts.save_draft, *self.own(key), text)

    def own(self, key: drafts.DraftKey | None) -> drafts.DraftKey | None:
        """An input's draft key as the signed-in clinician's (companion.services.drafts.owned)."""
        return None if key is None else (key[0], drafts.owned(key[1], self.clinician.id))

    def my_drafts(self, visit_id: int) -> dict[str, str]:
        return drafts.drafts_for_visit(self.store, visit_id, self.clinician.id)

    def report_damage(self) -> None:
        """SQLite found the file damaged, on a write or on a read anywhere in the window (ui.app's hook)."""
        self.damage_found = True
        self._go_offline(damaged_file())
        self.damaged.emit()

    def restored(self) -> None:
        """The latest backup is in place of the damaged file: what waited is written into it now."""
        self.damage_found = False
        if self.offline:
            self.retry()

    def unsaved(self) -> int:
        """How many things typed wait to be saved. A line's draft counts once (each save replaces the one
        before), and not again when that text was also entered; audit entries are nothing typed."""
        lines: dict[tuple, str] = {}
        others = []
        for write in self._waiting:
            if write.action is drafts.save_draft:
                lines[write.args[:2]] = write.args[2]
            elif write.action is not audit_trail.record_view:
                others.append({a for a in (*write.args, *write.kwargs.values()) if isinstance(a, str)})
        typed = {text for text in lines.values() if text}
        return len(typed) + sum(1 for texts in others if not texts & typed)

    def drop_waiting(self) -> None:
        self._waiting.clear()
        self._retry.stop()

    def retry(self) -> None:
        """Replay waiting writes in order, once the database answers; stop at the first that still cannot."""
        if self.damage_found or self._replaying:
            return
        self._replaying = True
        self.operations.run(partial(database.answers, self.store), self._answered)

    def _answered(self, future: Future) -> None:
        if future.exception() is not None or not future.result():
            self._replaying = False
            return
        self._replay_next()

    def _replay_next(self) -> None:
        if not self._waiting:
            self._replaying = False
            self._back_online()
            return
        write = self._waiting[0]
        self.operations.run(write.call(self.store), partial(self._replayed, write))

    def _replayed(self, write: Write, future: Future) -> None:
        error = future.exception()
        problem = None if error is None else problem_of(error, self.store.sqlite_file)
        if error is not None and problem is None:
            self._replaying = False
            raise error  # a fault in the app: reported as one (ui.app.report_unexpected)
        if problem is not None and self._waits(problem, error, write):  # still away: the timer tries again
            self._replaying = False
            if problem.kind == DAMAGED:
                self.report_damage()
            return
        self._waiting.pop(0)
        if problem is not None:
            self.message.emit(problem.words)
            if write.refused is not None:
                write.refused()
        else:
            self._done(future.result(), write.then)
        self._replay_next()

    def _back_online(self) -> None:
        self.offline = False
        self._retry.stop()
        self.connection.emit(True)
        self.message.emit(self.tr("Connected again. Everything you typed is saved."))
        self.changed.emit(EVERYTHING)  # nobody knows what changed elsewhere meanwhile

    def _settle(self, future: Future, write: Write) -> Any:
        error = future.exception()
        if error is None:
            result = future.result()
            self._done(result, write.then)
            return result
        problem = problem_of(error, self.store.sqlite_file)
        if problem is None:
            raise error  # a fault in the app: reported as one (ui.app.report_unexpected)
        if not self._waits(problem, error, write):
            self.message.emit(problem.words)
            if write.refused is not None:
                write.refused()
            return None
        self._waiting.append(write)
        if problem.kind == DAMAGED:
            self.report_damage()
        else:
            self._go_offline(problem)
        return QUEUED

    @staticmethod
    def _waits(problem: Problem, error: BaseException, write: Write) -> bool:
        """Whether the write waits to be tried again. A record of a read waits out a busy desk too: the glance was
        opened, the summary copied, the handout printed; the access review needs the entry however long it waits."""
        return problem.waits or (isinstance(error, DatabaseBusy) and write.action is audit_trail.record_view)

    def _go_offline(self, problem: Problem) -> None:
        if not self.offline:
            self.offline = True
            self._retry.start()
            self.connection.emit(False)
        # A full disk and a read-only or damaged database wait like an unreachable server, but the user is
        # told which.
        self.message.emit(self.tr(problem.words))

    def _done(self, result: Any, then: Callable | None) -> None:
        if isinstance(result, Changed) and result.kinds:
            self.changed.emit(result)
        if then is not None:
            then(result)
