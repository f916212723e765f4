"""The privacy rules (thousands of phrases, about 7 MB) are built when someone first types in the window, or when a
save or a draft put back needs them: a physician who only glances at the visit never pays for them (ui.main_window).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from companion import content
from companion.services import priorities
from companion.services.database import Store
from companion.storage.store import open_store
from tests.ui.conftest import visible_texts, visit_of


def rules_built(store: Store) -> bool:
    return "privacy" in store.content.__dict__  # Content.privacy, kept once built


@pytest.fixture
def fresh_store(store: Store, db_path: Path) -> Iterator[Store]:
    """The demo clinic as a window opens it at a fresh start: its content read again, no rules built in the process
    yet (seeding the demo built them, and the process keeps rules built from the same files)."""
    with content._BUILT_RULES_LOCK:
        content._BUILT_RULES.clear()
    opened = open_store(str(db_path))
    yield opened
    opened.engine.dispose()


def test_the_rules_wait_for_the_first_key_then_build_behind_the_window(make_window, fresh_store, qtbot):
    window = make_window(db=fresh_store)
    window.open_visit(visit_of(fresh_store, "Søren"), "glance")
    qtbot.wait(400)  # the window painted, the views of the day built ahead: nothing has been typed
    assert not rules_built(fresh_store)
    assert "Karin" in visible_texts(window)  # the glance reads stored verdicts: it needs no rules
    qtbot.waitUntil(lambda: window.windowHandle() is not None)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Shift)  # as a real key reaches the window first
    qtbot.waitUntil(lambda: rules_built(fresh_store), timeout=10000)
    assert window.current_view() == "glance"


def test_a_save_before_any_key_still_judges_its_words(make_window, fresh_store, qtbot):
    """Nothing typed through the window's keys yet (a pasted priority, a test's direct call): the save builds the
    rules itself, and the private words stay off the glance."""
    visit = visit_of(fresh_store, "Søren")
    window = make_window(db=fresh_store)
    window.open_visit(visit, "glance")
    glance = window.views["glance"]
    qtbot.keyClick(window, Qt.Key.Key_F5)  # keys sent to the widgets, not through the window: no rules yet
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not rules_built(fresh_store)
    glance.agenda.input.setText("my HIV results")
    qtbot.keyClick(glance.agenda.input, Qt.Key.Key_Return)
    said = lambda: [p for p in priorities.agenda(fresh_store, visit) if p.text == "my HIV results"]  # noqa: E731
    qtbot.waitUntil(lambda: bool(said()), timeout=10000)
    assert rules_built(fresh_store)
    saved = said()[0]
    assert saved.sensitive
    assert "HIV" not in visible_texts(window)
