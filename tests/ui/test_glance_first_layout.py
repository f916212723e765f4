"""A switch is laid out once: the glance the window paints first is the one it keeps. A frame with the old
visit's room (its story rows still counted, the NURSE steps squeezed under them) would flash for a moment, and
the window would be laid out and painted twice (benchmarks/: the switches that did were among the slowest)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from companion.services import emotions, notes, patients, priorities
from companion.services.visits import visit_row
from tests.ui.conftest import visit_of
from ui.main_window import DEFAULT_SIZE, MIN_SIZE

NAMES = ("Søren", "Majo", "Frank", "Aïcha")


def first_layout(window, visit_id: int) -> dict[str, tuple]:
    """Switch, then let Qt lay the window out and paint it once, as it does first after a key press."""
    window.open_visit(visit_id, "glance")
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)
    return geometries(window.views["glance"])


def geometries(glance) -> dict[str, tuple]:
    """Where each widget of the glance a person can see is, and its size."""
    widgets = [glance, *glance.findChildren(QWidget)]
    return {
        f"{w.metaObject().className()} {w.objectName()} {i}": w.geometry().getRect()
        for i, w in enumerate(widgets)
        if w.isVisible()
    }


def test_what_a_switch_paints_first_is_where_it_stays(qapp, make_window, store):
    """Visits with more and fewer rows, one cue and two, and one the smallest window cannot show whole even with
    the fewest items (its lines that can wait give up lines), in windows from the smallest to one taller than the
    default: every switch, both ways, is in place at its first layout."""
    long = "I want to understand why my tablets changed colour and whether the new ones are as strong as before"
    for text in (long, "Sleep", "Whether the new inhaler is covered"):
        priorities.add_priority(store, visit_of(store, "Søren"), text)
    for text in ("Her brother moved in last month after losing his job", "Walks the dog every morning"):
        notes.add_note(store, visit_of(store, "Majo"), "social", text, "Jonas Lindqvist")
    for text in ("Frustrated that the pharmacy keeps running out of his inhaler", "Worried about the cost"):
        emotions.add_cue(store, visit_of(store, "Frank"), text, "Jonas Lindqvist")
    visits = {name: visit_of(store, name) for name in NAMES}
    majo = visit_row(store, visits["Majo"]).patient_id
    patients.edit_patient(
        store,
        majo,
        recorded_name="María del Carmen Hernández-Villalobos de la Fuente",
        preferred_name="Maricarmen Hernández-Villalobos",
        pronouns="she/her",
        language="Spanish",
        interpreter_needed=True,
        needs="Needs a wheelchair-accessible room",
    )
    priorities.add_priority(
        store,
        visits["Majo"],
        "Wants to understand why her ankles keep swelling even though she takes the water pill every morning",
    )
    emotions.add_cue(
        store,
        visits["Majo"],
        "Frustrated and angry that the pharmacy keeps running out of her water pill and that nobody calls her back",
        "Jonas Lindqvist",
    )
    window = make_window()
    moved = []
    for size in (MIN_SIZE, (380, 600), (420, 580), (420, 620), DEFAULT_SIZE, (420, 700)):
        window.resize(*size)
        for name in NAMES + NAMES[::-1] + NAMES:
            first = first_layout(window, visits[name])
            for _ in range(3):  # what the event loop does after the first paint
                qapp.processEvents()
            after = geometries(window.views["glance"])
            moved += [(size, name, widget) for widget in first if first[widget] != after.get(widget)]
    assert moved == []
