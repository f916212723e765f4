"""Importing FHIR files from the window (Ctrl+I). The import runs on the saving thread (ui.window.operations), so
the window stays responsive; a progress bar shows how far it is; Cancel rolls the whole import back."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.errors import describe, sentence
from companion.fhir.files import NotFhirFile
from companion.fhir.importer import ImportReport, import_paths
from companion.read.models import Changed
from ui.window.context import AppContext
from ui.window.labels import tr
from ui.window.screen_lock import keep_behind_lock
from ui.window.widgets import plain_label, section_title

STEPS = 1000  # the bar's resolution
FILE_FILTER = "FHIR JSON (*.json *.ndjson *.jsonl);;All files (*)"


class _Progress(QObject):
    """Progress told on the saving thread, carried to the window's thread (a queued signal)."""

    moved = Signal(float, str)


class ImportDialog(QDialog):
    """Choose FHIR files or a folder; watch the bar; Cancel (or Esc) while it runs undoes everything."""

    import_done = Signal(object)  # the ImportReport, or None after a problem

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._running = False
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.moved.connect(self._progressed)
        self.setWindowTitle(tr("Import health records"))
        keep_behind_lock(self)  # it names no patient: a running import's progress is there again after the PIN
        self.intro = plain_label(
            tr(
                "FHIR R4 JSON from the clinic's record: Bundles, single resources or NDJSON. Nothing is saved "
                "until the import is finished; Cancel leaves everything as it was."
            )
        )
        self.files_button = QPushButton(tr("Choose files…  (Ctrl+O)"))
        self.folder_button = QPushButton(tr("Choose a folder…"))
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        QShortcut(QKeySequence("Ctrl+O"), self, self.choose_files)
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.progress.setValue(0)
        self.status = plain_label(tr("No import running."), role="hint")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)  # plain text: a file name or reason is never rendered as markup
        self.details.setObjectName("importDetails")
        self.details.hide()
        self.close_button = QPushButton(tr("Close"))
        self.close_button.clicked.connect(self.cancel)
        choose = QHBoxLayout()
        choose.addWidget(self.files_button)
        choose.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(tr("Import health records")))
        layout.addWidget(self.intro)
        layout.addLayout(choose)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.close_button)
        self.setMinimumSize(420, 360)

    def running(self) -> bool:
        return self._running

    def choose_files(self) -> None:
        if not self.running():
            paths, _ = QFileDialog.getOpenFileNames(self, tr("Import FHIR files"), "", FILE_FILTER)
            if paths:
                self.start(paths)

    def choose_folder(self) -> None:
        if not self.running():
            folder = QFileDialog.getExistingDirectory(self, tr("Import a folder of FHIR files"))
            if folder:
                self.start([folder])

    def start(self, paths: list[str | Path]) -> None:
        """Import these files and folders in the background."""
        if self.running():
            return
        self._cancel = threading.Event()
        self._running = True
        for button in (self.files_button, self.folder_button):
            button.setEnabled(False)
        self.progress.setValue(0)
        self.details.clear()
        self.details.hide()
        self.status.setText(tr("Starting…"))
        self.close_button.setText(tr("Cancel  (Esc)"))
        # On the saving thread, like every write: other saves wait their turn behind it (an import holds the
        # database's write lock until it commits), never fail for it.
        importing = partial(
            import_paths,
            self._ctx.store,
            [str(p) for p in paths],
            progress=lambda p: self._progress.moved.emit(p.fraction, p.message()),
            cancel=self._cancel.is_set,
            atomic=True,  # one transaction for all the files: Cancel leaves the database as it was
        )
        self._ctx.operations.run(importing, self._done)

    def _done(self, future: Future) -> None:
        """The import's outcome, on the window's thread; the dialog always hears back, or it could never close."""
        error = future.exception()
        if error is None:
            self._finished(future.result())
            return
        if isinstance(error, NotFhirFile):  # by number: a file's name may be the patient's (Synthea's are)
            words = tr("file %d of %d %s") % (error.number, error.count, error.problem)
        else:
            words = describe(error) or tr("an unexpected problem stopped the import (%s)") % type(error).__name__
        self._failed(words)

    def cancel(self) -> None:
        """While importing: stop and roll back. Otherwise: close."""
        if self.running():
            self._cancel.set()
            self.status.setText(tr("Cancelling… nothing will be saved."))
        else:
            super().reject()

    def reject(self) -> None:  # Esc and the window's close button
        self.cancel()

    def _progressed(self, fraction: float, message: str) -> None:
        if self.running() and not self._cancel.is_set():
            self.progress.setValue(round(fraction * STEPS))
            self.status.setText(tr(message) + "…")

    def _finished(self, changed: Changed[ImportReport]) -> None:
        self._idle()
        report = changed.result
        if report.cancelled:
            self.progress.setValue(0)
            self.status.setText(tr("Cancelled. Nothing was imported."))
        else:
            self.progress.setValue(STEPS)
            self.status.setText(sentence(report.headline()))
            # What to do first: below the skipped lines it would be out of sight in a long report
            lines = [sentence(advice) for advice in report.advice(lambda f: tr("file %d") % report.file_number(f))]
            lines += [sentence(line) for line in report.changes()]
            # By the file's number, its entry, the resource's id and the reason: never a name (Synthea names its files
            # after the patient, and others see the screen).
            lines += [tr("Skipped %s") % s.line(tr("file %d") % report.file_number(s.file)) for s in report.skipped]
            self.details.setPlainText("\n".join(lines))
            self.details.setVisible(bool(lines))
            self._ctx.changed.emit(changed)
        self.import_done.emit(report)

    def _failed(self, message: str) -> None:
        self._idle()
        self.progress.setValue(0)
        self.status.setText(sentence(message) + " " + tr("Nothing was imported."))
        self.import_done.emit(None)

    def _idle(self) -> None:
        self._running = False
        for button in (self.files_button, self.folder_button):
            button.setEnabled(True)
        self.close_button.setText(tr("Close"))
