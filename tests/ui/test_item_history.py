"""History you can see: each Rooming item says who wrote it and when; Ctrl+H opens its history, every version with
who and when, in a dialog that leaves the window free, keeps private words covered and goes with the lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget
from sqlmodel import select

from companion.services import audit_trail, notes, priorities
from companion.storage.models import ContextNote
from tests.ui.conftest import clinician_id, gone, open_dialog, type_into, visible_texts, visit_of
from ui.main_window import DEFAULT_SIZE
from ui.window.edit_dialog import EditDialog
from ui.window.history_dialog import HistoryDialog, when_text

NURSE, DOCTOR = "Jonas Lindqvist", "Dr. Amara Okafor"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def began() -> datetime:
    """When the test began, before its clinic was written (the demo's notes carry that minute)."""
    return datetime.now()


@pytest.fixture(autouse=True)
def signed_in_nurse(began, store):
    """The window names the signed-in clinician in the audit trail (ui.app does it at sign-in)."""
    with audit_trail.acting_as(NURSE, clinician_id(store, NURSE)):
        yield


def open_rooming(make_window, store, name):
    window = make_window(NURSE)
    window.open_visit(visit_of(store, name), "rooming")
    return window, window.views["rooming"]


def rows(items) -> list[str]:
    """The rows as a person reads them: direction isolates are invisible, a no-break space is a space."""
    texts = [items.item(i).text() for i in range(items.count())]
    return [text.replace("\u2068", "").replace("\u2069", "").replace("\u00a0", " ") for text in texts]


def minutes_since(began: datetime) -> set[str]:
    """The minutes shown for something written since the test began (a loaded machine may take minutes)."""
    shown, moment = set(), began.replace(second=0, microsecond=0)
    while moment <= datetime.now():
        shown.add(f"{moment:%H:%M}")
        moment += timedelta(minutes=1)
    return shown


def press_history(qtbot, items, row: int) -> HistoryDialog:
    items.setFocus()
    items.setCurrentRow(row)
    qtbot.keyClick(items, Qt.Key.Key_H, CTRL)
    return open_dialog(qtbot, HistoryDialog)


def backdate_note(store, note_id: int, when: datetime) -> None:
    """A note written on an earlier day (what the app itself cannot do: it writes the time of saving)."""
    with store.writing() as session:
        row = session.exec(select(ContextNote).where(ContextNote.id == note_id)).one()
        row.created_at = row.updated_at = when
        session.add(row)
        session.commit()


def test_each_item_shows_the_nurse_who_wrote_it_and_when(make_window, store, qtbot, began):
    window, rooming = open_rooming(make_window, store, "Lan")
    section = rooming.notes["social"]
    type_into(qtbot, section.input, "Sings in a karaoke club on Fridays")
    qtbot.keyClick(section.input, Qt.Key.Key_Return)
    type_into(qtbot, rooming.priorities.input, "My knee hurts on stairs")
    qtbot.keyClick(rooming.priorities.input, Qt.Key.Key_Return)

    [note] = rows(section.items)
    words, who, when = note.split("  · ")[0], *note.split("  · ")[1].split(" · ")
    assert (words, who) == ("Sings in a karaoke club on Fridays", NURSE) and when in minutes_since(began)
    [priority] = rows(rooming.priorities.items)
    assert priority.startswith("1. My knee hurts on stairs  · Jonas Lindqvist · ")
    assert priority.rsplit(" · ", 1)[1] in minutes_since(began)


def test_an_older_item_shows_its_day_instead_of_its_time(make_window, store, qtbot):
    visit = visit_of(store, "Lan")
    hearing = next(n for n in notes.notes_for_visit(store, visit, "practical") if n.topic == "hearing")
    backdate_note(store, hearing.id, datetime.now(UTC) - timedelta(days=1))
    window, rooming = open_rooming(make_window, store, "Lan")

    shown = [row for row in rows(rooming.notes["practical"].items) if "Hard of hearing" in row]
    assert shown == ["Hearing: Hard of hearing on the left; sit on her right  · Jonas Lindqvist · yesterday"]


def test_times_read_as_a_person_says_them():
    now = datetime(2025, 3, 14, 15, 0).astimezone()
    at = datetime(2025, 3, 14, 9, 12).astimezone()
    assert when_text(at, now) == "09:12"
    assert when_text(at - timedelta(days=1), now) == "yesterday"
    assert when_text(at - timedelta(days=1), now, clock=True) == "yesterday 09:12"
    assert when_text(at - timedelta(days=2), now) == "12 Mar"
    assert when_text(at - timedelta(days=365), now) == "14 Mar 2024"
    assert when_text(None, now) == ""


def test_ctrl_h_lists_both_versions_of_a_corrected_priority_with_their_authors(make_window, store, qtbot):
    visit = visit_of(store, "Majo")
    feet = priorities.agenda(store, visit)[1]
    with audit_trail.acting_as(DOCTOR, clinician_id(store, DOCTOR)):
        priorities.edit_priority(store, feet.id, "My feet tingle and burn at night")
    window, rooming = open_rooming(make_window, store, "Majo")
    assert rows(rooming.priorities.items)[1].startswith(
        "2. My feet tingle and burn at night   (edited)  · Dr. Amara Okafor · "
    )

    dialog = press_history(qtbot, rooming.priorities.items, 1)

    first, second = dialog.texts()
    assert first.startswith("Written by Jonas Lindqvist · today ") and first.endswith("\n“My feet tingle at night”")
    assert second.startswith("Corrected by Dr. Amara Okafor · today ")
    assert second.endswith("\n“My feet tingle and burn at night”")
    assert dialog.windowTitle() == "History of a priority"  # never the patient's name
    assert "Majo" not in dialog.windowTitle() and "Hernández" not in dialog.windowTitle()
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel))
    assert not window.isHidden()  # the window goes on: nothing waits on the dialog
    qtbot.keyClick(dialog.entries, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: gone(dialog))


def test_a_note_corrected_in_rooming_shows_both_versions(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Søren")
    section = rooming.notes["social"]
    section.items.setFocus()
    section.items.setCurrentRow(0)
    qtbot.keyClick(section.items, Qt.Key.Key_F2)
    edit = open_dialog(qtbot, EditDialog)
    type_into(qtbot, edit.line, "Widowed in March; daughter Mette lives nearby")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: gone(edit))

    dialog = press_history(qtbot, section.items, 0)

    texts = dialog.texts()
    assert [text.split(" by ")[0] for text in texts] == ["Written", "Corrected"]
    assert texts[0].endswith("“Widowed in the spring; daughter lives nearby”")
    assert texts[1].endswith("“Widowed in March; daughter Mette lives nearby”")
    assert all(" by Jonas Lindqvist · today " in text for text in texts)


def test_markup_in_an_items_history_is_shown_literally(make_window, store, qtbot):
    visit = visit_of(store, "Lan")
    markup = "<b>Loud</b> <img src=x> &amp; 🎤 أحب الغناء"
    notes.add_note(store, visit, "social", markup, NURSE)
    window, rooming = open_rooming(make_window, store, "Lan")
    assert rows(rooming.notes["social"].items)[0].startswith(markup + "  · Jonas Lindqvist · ")

    dialog = press_history(qtbot, rooming.notes["social"].items, 0)

    assert dialog.texts()[0].endswith(f"\n“{markup}”")


def test_a_private_items_history_keeps_its_words_covered_until_revealed(make_window, store, qtbot, began):
    window, rooming = open_rooming(make_window, store, "Frank")  # "Drinks 4-5 beers most nights" is private
    items = rooming.notes["social"].items
    private_row = next(i for i, row in enumerate(rows(items)) if row.startswith("Private: hidden"))
    assert rows(items)[private_row].endswith(tuple(f"· Jonas Lindqvist · {t}" for t in minutes_since(began)))

    dialog = press_history(qtbot, items, private_row)
    assert "beers" not in "\n".join(dialog.texts()) and "beers" not in visible_texts(dialog)
    assert dialog.texts()[0].startswith("Written by Jonas Lindqvist · today ")
    assert dialog.texts()[0].endswith("\n(private: hidden)")
    assert "Ctrl+Shift+S" in dialog.private.text()
    qtbot.keyClick(dialog.entries, Qt.Key.Key_Return)  # Enter closes it too
    qtbot.waitUntil(lambda: gone(dialog))

    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)  # reveal
    dialog = press_history(qtbot, items, private_row)
    assert dialog.texts()[0].endswith("\n“Drinks 4-5 beers most nights”")
    assert dialog.private.text() == "Private: its wording falls under the clinic's rules"

    rooming.reveal_button.setChecked(False)  # covered again (the idle timer or the view can do it)
    qtbot.waitUntil(lambda: gone(dialog))  # the history goes with the reveal


def test_leaving_rooming_or_locking_closes_the_history(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Søren")
    dialog = press_history(qtbot, rooming.priorities.items, 0)
    window.show_view("today")
    qtbot.waitUntil(lambda: gone(dialog))

    window.show_view("rooming")
    dialog = press_history(qtbot, rooming.priorities.items, 0)
    window.lock()
    qtbot.waitUntil(lambda: gone(dialog))


def test_ctrl_h_with_nothing_selected_opens_nothing(make_window, store, qtbot):
    window, rooming = open_rooming(make_window, store, "Lan")
    rooming.notes["emotion"].items.setFocus()
    qtbot.keyClick(rooming.notes["emotion"].items, Qt.Key.Key_H, CTRL)
    qtbot.wait(50)
    assert not [w for w in window.findChildren(HistoryDialog) if w.isVisible()]


def test_rooming_fits_its_default_width_without_clipping_on_the_right(make_window, store, qtbot):
    """Stamps make rows longer: they wrap; choices and buttons give way before anything passes the edge."""
    window, rooming = open_rooming(make_window, store, "Majo")
    assert window.size().toTuple() == DEFAULT_SIZE
    assert rooming.minimumSizeHint().width() <= rooming.width()
    scroll = rooming.findChild(QScrollArea)
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    body = scroll.widget()
    for child in body.findChildren(QWidget):
        if child.isVisibleTo(body) and not child.isWindow():
            right = child.mapTo(body, child.rect().topRight()).x()
            assert right < scroll.viewport().width(), child.objectName() or type(child).__name__
