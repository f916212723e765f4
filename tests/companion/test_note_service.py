"""Context notes: saved as typed, edited with history, retracted but never deleted, sensitive facts kept apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from companion.errors import CompanionError
from companion.read.briefing import build_glance, build_prep_card
from companion.read.note_kinds import NOTE_KINDS
from companion.services import emotions, notes
from companion.storage.models import NoteKind

AUTHOR = "Jonas Lindqvist"


def texts(items) -> list[str]:
    return [item.text for item in items]


def test_added_note_is_listed_for_its_visit(store, visit_id):
    added = notes.add_note(store, visit_id, "social", "Cares for her mother at home", AUTHOR, topic="family").result

    listed = notes.notes_for_visit(store, visit_id)
    assert texts(listed) == ["Cares for her mother at home"]
    assert listed[0].id == added.id
    assert listed[0].topic == "family"
    assert listed[0].author == AUTHOR
    assert not listed[0].lasting
    assert not listed[0].edited


def test_note_text_of_exactly_the_limit_is_kept_whole(store, visit_id):
    text = "a" * 2000

    notes.add_note(store, visit_id, "social", text, AUTHOR)

    assert texts(notes.notes_for_visit(store, visit_id)) == [text]


def test_lasting_note_follows_the_patient_but_a_visit_note_does_not(store, patient_id, clinician_id, make_visit, today):
    first = make_visit(patient_id, clinician_id, day=today - timedelta(days=60))
    nxt = make_visit(patient_id, clinician_id, day=today)
    notes.add_note(store, first, "practical", "Uses a wheelchair", AUTHOR, lasting=True, topic="mobility")
    notes.add_note(store, first, "social", "Daughter came along today", AUTHOR)

    later = notes.notes_for_visit(store, nxt)

    assert texts(later) == ["Uses a wheelchair"]
    assert later[0].lasting


def test_notes_can_be_filtered_by_kind(store, visit_id):
    notes.add_note(store, visit_id, "social", "Loves jazz", AUTHOR, topic="joy")
    notes.add_note(store, visit_id, "practical", "Reading glasses", AUTHOR, topic="vision")

    assert texts(notes.notes_for_visit(store, visit_id, kind="practical")) == ["Reading glasses"]


def test_edit_replaces_the_text_and_keeps_the_earlier_text_in_history(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Works nights at the bakery", "Nurse A", topic="work").result

    edited = notes.edit_note(store, note.id, "Works days at the bakery now", "Nurse A").result

    assert edited.text == "Works days at the bakery now"
    assert edited.edited
    listed = notes.notes_for_visit(store, visit_id)
    assert texts(listed) == ["Works days at the bakery now"]
    assert listed[0].edited
    assert notes.note_history(store, note.id) == [("Works nights at the bakery", "Nurse A")]


def test_only_the_notes_author_may_edit_it(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Works nights at the bakery", "Nurse A", topic="work").result

    with pytest.raises(CompanionError, match="only the note's author can edit it"):
        notes.edit_note(store, note.id, "Works days now", "Nurse B")
    assert texts(notes.notes_for_visit(store, visit_id)) == ["Works nights at the bakery"]


def test_every_edit_adds_to_history_oldest_first(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "v1", "A").result
    notes.edit_note(store, note.id, "v2", "A")
    notes.edit_note(store, note.id, "v3", "A")

    assert notes.note_history(store, note.id) == [("v1", "A"), ("v2", "A")]


def test_saving_the_same_text_again_adds_no_history(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Same words", AUTHOR).result

    notes.edit_note(store, note.id, "Same words", AUTHOR)

    assert notes.note_history(store, note.id) == []


def test_retracted_note_is_hidden_but_its_row_and_reason_stay(store, visit_id):
    kept = notes.add_note(store, visit_id, "social", "Has two cats", AUTHOR, topic="home").result
    wrong = notes.add_note(store, visit_id, "social", "Wrong patient's fact", AUTHOR, topic="home").result

    notes.retract_note(store, wrong.id, "entered on the wrong chart")

    assert [n.id for n in notes.notes_for_visit(store, visit_id)] == [kept.id]
    with store.engine.connect() as con:
        row = con.execute(
            text("SELECT text, retracted_at IS NOT NULL, retraction_reason FROM contextnote WHERE id = :id"),
            {"id": wrong.id},
        ).one()
    assert tuple(row) == ("Wrong patient's fact", True, "entered on the wrong chart")


def test_a_second_desk_taking_off_the_same_item_keeps_the_first_reason(store, visit_id):
    """Desk B's Delete dialog was open while desk A took the note (or the priority) off: B's Enter is refused with
    why, and A's reason and time stay the record's."""
    from companion.services import priorities

    note = notes.add_note(store, visit_id, "social", "Told us in confidence", AUTHOR).result
    item = priorities.add_priority(store, visit_id, "Knee pain").result
    notes.retract_note(store, note.id, "patient asked us to remove it")
    priorities.retract_priority(store, item.id, "said twice")
    query = "SELECT retracted_at, retraction_reason FROM {} WHERE id = :id"
    with store.engine.connect() as con:
        first = [
            con.execute(text(query.format(t)), {"id": i}).one()
            for t, i in (("contextnote", note.id), ("priority", item.id))
        ]

    for retract, row_id, what in (
        (notes.retract_note, note.id, "note"),
        (priorities.retract_priority, item.id, "priority"),
    ):
        with pytest.raises(CompanionError, match=f"this {what} was taken off already"):
            retract(store, row_id, "duplicate")

    with store.engine.connect() as con:
        after = [
            con.execute(text(query.format(t)), {"id": i}).one()
            for t, i in (("contextnote", note.id), ("priority", item.id))
        ]
    assert after == first


def test_retracted_note_can_no_longer_be_edited(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Old fact", AUTHOR).result
    notes.retract_note(store, note.id, "outdated")

    with pytest.raises(CompanionError, match="retracted"):
        notes.edit_note(store, note.id, "New fact", AUTHOR)

    assert notes.note_history(store, note.id) == []


def test_retracting_needs_a_reason(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "A fact", AUTHOR).result

    with pytest.raises(CompanionError, match="empty"):
        notes.retract_note(store, note.id, "   ")

    assert texts(notes.notes_for_visit(store, visit_id)) == ["A fact"]


def test_an_emotional_cue_cannot_be_lasting(store, visit_id):
    with pytest.raises(CompanionError, match="emotion notes belong to one visit"):
        notes.add_note(store, visit_id, "emotion", "Tearful", AUTHOR, lasting=True)

    assert notes.notes_for_visit(store, visit_id) == []


@pytest.mark.parametrize("spec", NOTE_KINDS, ids=lambda spec: spec.kind.value)
def test_every_declared_kind_is_stored_with_its_topics_and_lasting_rule(store, visit_id, spec):
    """The declaration (companion.read.note_kinds) is what the service enforces, kind by kind."""
    topic = spec.topics[0] if spec.topics else ""
    saved = notes.add_note(store, visit_id, spec.kind.value, "A fact", AUTHOR, lasting=spec.can_last, topic=topic)
    assert (saved.result.kind, saved.result.topic, saved.result.lasting) == (spec.kind.value, topic, spec.can_last)
    assert {s.kind for s in NOTE_KINDS} == set(NoteKind)  # every kind the database holds is declared


@pytest.mark.parametrize(
    ("kind", "topic"), [("social", "hearing"), ("practical", "family"), ("emotion", "joy"), ("social", "nonsense")]
)
def test_a_topic_that_does_not_fit_the_kind_is_refused(store, visit_id, kind, topic):
    with pytest.raises(CompanionError, match="unknown topic"):
        notes.add_note(store, visit_id, kind, "Some fact", AUTHOR, topic=topic)

    assert notes.notes_for_visit(store, visit_id) == []


def test_an_unknown_kind_is_refused(store, visit_id):
    with pytest.raises(CompanionError, match="unknown note kind"):
        notes.add_note(store, visit_id, "gossip", "Some fact", AUTHOR)


@pytest.mark.parametrize("text", ["", "  \n ", "x" * 2001, "bell\x07"])
def test_empty_overlong_or_control_character_text_is_refused(store, visit_id, text):
    with pytest.raises(CompanionError):
        notes.add_note(store, visit_id, "social", text, AUTHOR)

    assert notes.notes_for_visit(store, visit_id) == []


@pytest.mark.parametrize(
    "text",
    [
        "Drinks 4-5 beers most nights",
        "HIV-positive, on treatment",
        "Says she feels unsafe at home",
        "Was arrested last year",
        "Came out as gay to his family",
        "Ya no quiere vivir, dice que es una carga",
        "Started PrEP last month",
    ],
)
def test_sensitive_facts_are_marked_and_kept_off_the_glance(store, visit_id, text):
    notes.add_note(store, visit_id, "social", "Plays chess on Sundays", AUTHOR, topic="joy")

    note = notes.add_note(store, visit_id, "social", text, AUTHOR).result

    assert note.sensitive
    glance = build_glance(store, visit_id)
    shown = texts(glance.story) + texts(glance.needs)
    assert text not in shown
    assert "Plays chess on Sundays" in shown
    assert text not in str(glance.to_json())
    assert text in texts(build_prep_card(store, visit_id).sensitive)


@pytest.mark.parametrize(
    "text",
    [
        "Wears hearing aids in both ears",
        "Hearing aids",
        "Method of getting here: bus",
        "Cannot afford the new inhaler",  # a social need to act on, not an HL7 sensitivity category
    ],
)
def test_ordinary_facts_are_not_marked_sensitive(store, visit_id, text):
    note = notes.add_note(store, visit_id, "practical", text, AUTHOR).result

    assert not note.sensitive
    assert text in texts(build_glance(store, visit_id).needs)
    assert build_prep_card(store, visit_id).sensitive == ()


def test_a_note_marked_sensitive_by_hand_stays_off_the_glance(store, visit_id):
    notes.add_note(store, visit_id, "social", "Going through a divorce", AUTHOR, sensitive=True)

    assert build_glance(store, visit_id).story == ()
    assert texts(build_prep_card(store, visit_id).sensitive) == ["Going through a divorce"]


def test_editing_a_note_into_a_sensitive_fact_takes_it_off_the_glance(store, visit_id):
    note = notes.add_note(store, visit_id, "social", "Works at the plant", AUTHOR, topic="work").result

    edited = notes.edit_note(store, note.id, "Lost the job at the plant; drinking every night since", AUTHOR).result

    assert edited.sensitive
    assert build_glance(store, visit_id).story == ()


def test_a_sensitive_emotional_cue_is_kept_off_the_glance_checklist(store, visit_id):
    emotions.add_cue(store, visit_id, "Tearful about her mother", AUTHOR)
    emotions.add_cue(store, visit_id, "Afraid of her partner", AUTHOR)

    glance = build_glance(store, visit_id)

    assert [cue.text for cue in glance.cues] == ["Tearful about her mother"]
    assert "Afraid of her partner" in texts(build_prep_card(store, visit_id).sensitive)
