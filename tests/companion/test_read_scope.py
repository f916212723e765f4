"""One screen's reads share one session and one answer per question (companion.storage.read_scope), and a save made
in the middle is never hidden behind an answer kept from before it."""

from __future__ import annotations

from sqlalchemy import event

from companion.read.briefing import build_glance
from companion.services import emotions, notes, visits

AUTHOR = "Jonas Lindqvist"


def statements_during(store, action) -> list[str]:
    seen: list[str] = []

    def remember(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        action()
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)
    return seen


def test_a_screen_reads_each_thing_once(store, visit_id):
    notes.add_note(store, visit_id, "social", "Walks the dog every morning", AUTHOR)
    emotions.add_cue(store, visit_id, "Tearful", AUTHOR)

    def glance_twice() -> None:
        with store.reading():
            visits.visit_row(store, visit_id)
            build_glance(store, visit_id)
            build_glance(store, visit_id)

    selects = [s for s in statements_during(store, glance_twice) if s.lstrip().upper().startswith("SELECT")]

    # the visit (with its patient and clinician), its notes (the cues among them), the agenda, the next steps, the ticks
    assert len(selects) == 5
    assert sum("FROM visit" in s.split("WHERE")[0] and "JOIN" in s for s in selects) == 1


def test_a_note_saved_inside_a_scope_shows_at_once(store, visit_id):
    with store.reading():
        before = notes.notes_for_visit(store, visit_id)
        notes.add_note(store, visit_id, "social", "Daughter lives nearby", AUTHOR)
        after = notes.notes_for_visit(store, visit_id)

    assert before == []
    assert [n.text for n in after] == ["Daughter lives nearby"]


def test_a_tick_saved_inside_a_scope_shows_at_once(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Worried about the scan", AUTHOR).result
    with store.reading():
        emotions.cues_for_visit(store, visit_id)
        emotions.set_step(store, cue.id, "name", True)
        (shown,) = emotions.cues_for_visit(store, visit_id)

    assert [s.key for s in shown.steps if s.ticked] == ["name"]


def test_outside_a_scope_every_call_reads_the_database_again(store, visit_id):
    first = notes.notes_for_visit(store, visit_id)
    notes.add_note(store, visit_id, "social", "Retired ferry engineer", AUTHOR)

    assert first == []
    assert [n.text for n in notes.notes_for_visit(store, visit_id)] == ["Retired ferry engineer"]


def test_an_answer_handed_out_is_a_copy(store, visit_id):
    notes.add_note(store, visit_id, "social", "Sings in a choir", AUTHOR)
    with store.reading():
        notes.notes_for_visit(store, visit_id).clear()  # one panel changing its list...
        again = notes.notes_for_visit(store, visit_id)

    assert [n.text for n in again] == ["Sings in a choir"]  # ...changes no other panel's
