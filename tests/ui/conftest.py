"""Fixtures for the window tests: a real SQLite file with the demo day, and real widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from companion.demo import seed_demo
from companion.services.clinicians import get_clinician
from companion.services.preferences import Preferences
from companion.storage.models import Clinician, Patient, Visit
from companion.storage.store import Store, open_store
from ui.app import apply_style
from ui.main_window import MainWindow
from ui.window import operations
from ui.window.context import AppContext

# The window waits 150 ms for a save (ui.window.operations) and lets a slower one finish in the background, its
# outcome shown a moment later. A loaded test machine can take that long for an ordinary save, and a test that
# reads the database right after the key press would then fail by chance. So window tests wait for a save as long as
# one could take here; the tests of the background path (another program holds the database) are marked
# `saves_in_background` and keep the window's own wait.
SAVE_WAIT_IN_TESTS_SECONDS = 30.0


@pytest.fixture(autouse=True)
def saves_waited_for(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("saves_in_background") is None:
        monkeypatch.setattr(operations, "QUICK_SAVE_SECONDS", SAVE_WAIT_IN_TESTS_SECONDS)


@pytest.fixture(autouse=True)
def companion_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COMPANION_HOME", str(home))
    monkeypatch.delenv("COMPANION_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(str(db_path))
    seed_demo(opened, date.today())
    yield opened
    opened.engine.dispose()


def clinician_id(store: Store, name: str) -> int:
    with store.session() as session:
        return session.exec(select(Clinician.id).where(Clinician.name == name)).one()


def clinician_of(store: Store, visit_id: int) -> str:
    """The name of the clinician a visit is assigned to: the one who opens its prep card and glance."""
    with store.session() as session:
        return session.exec(select(Clinician.name).join(Visit).where(Visit.id == visit_id)).one()


def visit_of(store: Store, preferred_name: str) -> int:
    """Today's visit of a demo patient, found by the name they like to be called."""
    with store.session() as session:
        query = (
            select(Visit.id)
            .join(Patient)
            .where(Patient.preferred_name == preferred_name)
            .order_by(Visit.scheduled_at.desc())
        )
        return session.exec(query).first()


@pytest.fixture
def make_window(qtbot, qapp, store: Store, tmp_path: Path) -> Callable[..., MainWindow]:
    """Open the real main window as a clinician, shown and exposed like on a desk."""
    apply_style(qapp)

    def make(name: str = "Dr. Amara Okafor", db: Store | None = None) -> MainWindow:
        db = db or store
        ctx = AppContext(db, get_clinician(db, clinician_id(db, name)))
        window = MainWindow(ctx, Preferences("test", tmp_path / "prefs"))
        qtbot.addWidget(window, before_close_func=let_close)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts only reach the active window, as on a desk
        # The views of the clinician's day, as a moment after the window opened (the first one paints first).
        qtbot.waitUntil(window.views.ahead_built)
        return window

    (tmp_path / "prefs").mkdir(exist_ok=True)
    return make


def let_close(window: MainWindow) -> None:
    """At a test's end: a window the patient still holds at check-in is let go (it would refuse to close), and one
    whose writes still wait must not hang on its close question."""
    window.patient_mode.release()
    answer_close_question("Close anyway")


def answer_close_question(button: str, seen: list[str] | None = None) -> None:
    """When the window asks before closing (within a few seconds), read the question and press a button,
    as a person would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    tries = iter(range(60))

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not any(b.text() == button for b in box.buttons()):
            if next(tries, None) is not None:
                QTimer.singleShot(50, look)
            return
        if seen is not None:
            seen.append(f"{box.text()}\n{box.informativeText()}\n{box.defaultButton().text()}")
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, look)


def visible_texts(widget) -> str:
    """Every text a person could read in the widget right now (labels, list rows, buttons, inputs)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QListWidget

    from ui.window.widgets import ElidedLabel

    texts = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisible():
            # An elided line shows the start of its text and the rest on hover: count the whole text.
            texts.append(child.full_text() if isinstance(child, ElidedLabel) else child.text())
    for child in widget.findChildren(QLineEdit):
        if child.isVisible():
            texts.append(child.text())
    for child in widget.findChildren(QListWidget):
        if child.isVisible():
            texts.extend(child.item(i).text() for i in range(child.count()))
    # Direction isolates around user text are invisible; leave them out of what a person "reads".
    return "\n".join(texts).replace("\u2068", "").replace("\u2069", "")


def open_dialog(qtbot, kind: type):
    """The dialog of this kind that is on screen now (waiting a little for it to open), as a person sees it."""
    from PySide6.QtWidgets import QApplication

    def shown():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=15000)
    return shown()[0]


def type_into(qtbot, line, text: str) -> None:
    """Replace what a line holds by typing, as a person would (ASCII: see DESIGN.md on keyClicks)."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


def gone(window) -> bool:
    """Closed: hidden, or already deleted (a dialog that deletes itself on close)."""
    import shiboken6

    return not shiboken6.isValid(window) or not window.isVisible()
