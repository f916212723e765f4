"""An item's history from its rows and the audit trail: every version with who wrote it and when, its retraction
and the other changes recorded, with a private item's words held back unless revealed. SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import AbstractContextManager

import pytest

from companion.errors import CompanionError
from companion.services import audit_trail, notes, priorities

NURSE, DOCTOR = "Jonas Lindqvist", "Dr. Amara Osei"


def as_(name: str) -> AbstractContextManager:
    return audit_trail.acting_as(name)


def test_a_priority_corrected_by_someone_else_lists_both_versions_with_who_and_when(store, visit_id):
    with as_(NURSE):
        added = priorities.add_priority(store, visit_id, "My knee hurts").result
    with as_(DOCTOR):
        priorities.edit_priority(store, added.id, "My knee hurts on the stairs")

    history = audit_trail.item_history(store, "priority", added.id)

    assert [(e.action, e.who, e.text) for e in history.entries] == [
        ("added", NURSE, "My knee hurts"),
        ("edited", DOCTOR, "My knee hurts on the stairs"),
    ]
    first, second = history.entries
    assert first.at is not None and second.at is not None and first.at <= second.at
    assert first.at.utcoffset().total_seconds() == 0  # UTC, whatever the database gave back
    stamp = audit_trail.stamps(store, "priority", [added.id])[added.id]
    assert (stamp.who, stamp.at, stamp.edited) == (DOCTOR, second.at, True)


def test_a_note_keeps_each_authors_words_and_its_retraction(store, visit_id):
    with as_(NURSE):
        note = notes.add_note(store, visit_id, "social", "Daughter visits on Sundays", NURSE).result
        notes.edit_note(store, note.id, "Daughter and grandson visit on Sundays", NURSE)
        notes.retract_note(store, note.id, "Wrong patient")

    history = audit_trail.item_history(store, "note", note.id)

    assert [(e.action, e.who, e.text) for e in history.entries] == [
        ("added", NURSE, "Daughter visits on Sundays"),
        ("edited", NURSE, "Daughter and grandson visit on Sundays"),
        ("retracted", NURSE, "Wrong patient"),
    ]
    assert history.retracted and not history.private


def test_other_recorded_changes_are_listed_by_whom(store, visit_id):
    with as_(NURSE):
        first = priorities.add_priority(store, visit_id, "Sleep").result
        second = priorities.add_priority(store, visit_id, "Refill").result
    with as_(DOCTOR):
        priorities.set_state(store, first.id, "addressed")
        priorities.reorder(store, visit_id, [second.id, first.id])

    entries = audit_trail.item_history(store, "priority", first.id).entries

    assert [(e.action, e.who) for e in entries] == [("added", NURSE), ("changed", DOCTOR), ("changed", DOCTOR)]
    assert all(e.text == "" for e in entries[1:])  # the audit trail names the change, never the words


def test_a_private_items_words_are_held_back_unless_revealed(store, visit_id):
    with as_(NURSE):
        note = notes.add_note(store, visit_id, "social", "Drinks most nights", NURSE).result
        notes.edit_note(store, note.id, "Drinks 4-5 beers most nights", NURSE)
        notes.retract_note(store, note.id, "He asked us not to keep it: drinking")
    assert note.sensitive

    covered = audit_trail.item_history(store, "note", note.id)
    shown = audit_trail.item_history(store, "note", note.id, reveal=True)

    assert covered.private and covered.private_reason == "wording"
    assert [(e.action, e.who, e.text, e.hidden) for e in covered.entries] == [
        ("added", NURSE, "", True),
        ("edited", NURSE, "", True),
        ("retracted", NURSE, "", True),
    ]
    assert [e.text for e in shown.entries] == [
        "Drinks most nights",
        "Drinks 4-5 beers most nights",
        "He asked us not to keep it: drinking",
    ]
    assert not any(e.hidden for e in shown.entries)


def test_an_earlier_version_the_rules_call_private_is_held_back_too(store, visit_id):
    """An item marked private by hand stays private; one the rules caught stays so as well. An older version's
    words the rules would call private are covered whatever the item is now."""
    with as_(NURSE):
        added = priorities.add_priority(store, visit_id, "Talk about my sleep").result
    history = audit_trail.item_history(store, "priority", added.id)
    assert not history.private and [e.hidden for e in history.entries] == [False]

    with as_(NURSE):
        marked = priorities.add_priority(store, visit_id, "Money worries", sensitive=True).result
    covered = audit_trail.item_history(store, "priority", marked.id)
    assert covered.private_reason == "marked" and covered.entries[0].text == ""


def test_an_item_written_with_no_one_named_still_has_its_time(store, visit_id):
    with as_(""):
        added = priorities.add_priority(store, visit_id, "Walk to the shops").result

    stamp = audit_trail.stamps(store, "priority", [added.id])[added.id]

    assert stamp.who == "" and stamp.at is not None and not stamp.edited


def test_acting_as_gives_back_the_person_before(store, visit_id):
    with as_(DOCTOR):
        with as_(NURSE):
            inner = priorities.add_priority(store, visit_id, "One").result
        outer = priorities.add_priority(store, visit_id, "Two").result

    found = audit_trail.stamps(store, "priority", [inner.id, outer.id])
    assert (found[inner.id].who, found[outer.id].who) == (NURSE, DOCTOR)


def test_unknown_items_and_kinds_are_clear_errors(store, visit_id):
    with pytest.raises(CompanionError, match="^no priority with id 4242$"):
        audit_trail.item_history(store, "priority", 4242)
    with pytest.raises(CompanionError, match="^no note with id 4242$"):
        audit_trail.item_history(store, "note", 4242)
    with pytest.raises(CompanionError, match="unknown kind of item; use"):
        audit_trail.item_history(store, "visit", 1)
    assert audit_trail.stamps(store, "note", []) == {}
