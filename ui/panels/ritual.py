"""The clinician's focus ritual at the door: their own steps and a calm, visible countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.errors import CompanionError, sentence
from companion.services import rituals
from companion.text import MAX_PAUSE_SECONDS
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.screen_lock import keep_behind_lock
from ui.window.widgets import plain_label, point_size, section_title


class RitualPanel(QWidget):
    """Start with Space; when the pause ends (or on Ctrl+Enter) `finished` carries the seconds paused
    and whether the whole pause was taken."""

    finished = Signal(int, bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._remaining = 0
        self._pause = 0
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self.title = section_title(tr("Your focus ritual"))
        self.steps = plain_label(role="ritualSteps")
        self.countdown = plain_label(role="countdown", wrap=False)
        point_size(self.countdown, 22, bold=True)
        self.start_button = QPushButton(tr("Start  (Space)"))
        self.start_button.clicked.connect(self.start)
        self.enter_button = QPushButton(tr("Go in now  (Ctrl+Enter)"))
        self.enter_button.clicked.connect(self.finish_now)
        self.edit_button = QPushButton(tr("Edit my ritual  (Ctrl+E)"))
        self.edit_button.clicked.connect(self.edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.enter_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.steps)
        layout.addWidget(self.countdown)
        layout.addLayout(buttons)
        layout.addWidget(self.edit_button)
        ctx.changed.connect(self._changed)
        self.reset()

    def reset(self) -> None:
        self._timer.stop()
        ritual = rituals.get_ritual(self._ctx.store, self._ctx.clinician.id)
        self._pause = ritual.pause_seconds
        self._remaining = ritual.pause_seconds
        self.steps.setText("\n".join(f"{i}. {step}" for i, step in enumerate(ritual.steps, 1)))
        self._show_remaining()
        self.start_button.setEnabled(True)

    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        if self.running():
            return
        self.start_button.setEnabled(False)
        if self._remaining <= 0:
            self.finished.emit(0, True)
            return
        self._timer.start()

    def finish_now(self) -> None:
        """Go in before the pause ends; the run is recorded as shortened."""
        paused = self._pause - self._remaining if self.running() else 0
        self._timer.stop()
        self.finished.emit(paused, False)

    def edit(self) -> None:
        """In a dialog that leaves the window free: the lock can hide it, and give it back to the same clinician."""
        dialog = RitualEditor(self._ctx, rituals.get_ritual(self._ctx.store, self._ctx.clinician.id), self)
        dialog.open()

    def _changed(self, changed) -> None:
        """A ritual saved (here, or by the same clinician at another desk) shows at once, but never mid-pause."""
        if "ritual" in changed.kinds and not self.running():
            self.reset()

    def _tick(self) -> None:
        self._remaining -= 1
        self._show_remaining()
        if self._remaining <= 0:
            self._timer.stop()
            self.finished.emit(self._pause, True)

    def _show_remaining(self) -> None:
        minutes, seconds = divmod(max(self._remaining, 0), 60)
        self.countdown.setText(f"{minutes}:{seconds:02d}")


class RitualEditor(QDialog):
    """A clinician writes their own steps, one per line, and chooses the pause. It saves on Save and
    stays open with a message if something is wrong, so nothing typed is lost."""

    def __init__(self, ctx: AppContext, ritual: rituals.RitualView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._clinician_id = ctx.clinician.id  # whose ritual this is, whoever signs in later
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        keep_behind_lock(self)  # the clinician's own steps, no patient: theirs again after the PIN
        self.setWindowTitle(tr("My focus ritual"))
        self.steps = QPlainTextEdit("\n".join(ritual.steps))
        self.steps.setTabChangesFocus(True)
        self.pause = QSpinBox()
        self.pause.setRange(0, MAX_PAUSE_SECONDS)
        self.pause.setSuffix(tr(" s"))
        self.pause.setValue(ritual.pause_seconds)
        form = QFormLayout(self)
        form.addRow(tr("Steps (one per line, at most %d)") % rituals.MAX_RITUAL_STEPS, self.steps)
        form.addRow(tr("Pause"), self.pause)
        self.error = plain_label(role="error")
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[list[str], int]:
        return self.steps.toPlainText().splitlines(), self.pause.value()

    def accept(self) -> None:
        """What needs changing is said here, and the dialog stays; a valid ritual is saved and the dialog goes."""
        steps, pause = self.values()
        try:
            rituals.check_ritual(steps, pause)
        except CompanionError as exc:
            self.error.setText(sentence(str(exc)))
            self.error.show()
            return
        ctx = self._ctx

        def saved(_changed) -> None:
            ctx.message.emit(tr("Your ritual is saved."))

        if ctx.attempt(rituals.save_ritual, self._clinician_id, steps, pause, then=saved) is not None:
            super().accept()
