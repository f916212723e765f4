"""The emotion checklist: each cue with its NURSE steps, ticked as the clinician responds."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from companion.errors import CompanionError
from companion.services import emotions, notes

AUTHOR = "Jonas Lindqvist"


def ticked(store, visit_id, cue_id) -> list[str]:
    cue = next(c for c in emotions.cues_for_visit(store, visit_id) if c.id == cue_id)
    return [step.key for step in cue.steps if step.ticked]


def test_a_new_cue_shows_all_five_nurse_steps_unticked(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Tearful talking about her husband", AUTHOR).result

    listed = emotions.cues_for_visit(store, visit_id)
    assert [c.text for c in listed] == ["Tearful talking about her husband"]
    assert [s.key for s in listed[0].steps] == ["name", "understand", "respect", "support", "explore"]
    assert all(s.phrase for s in listed[0].steps)
    assert ticked(store, visit_id, cue.id) == []


def test_ticking_a_step_is_remembered(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Angry about the wait", AUTHOR).result

    changed = emotions.set_step(store, cue.id, "name", True)
    emotions.set_step(store, cue.id, "explore", True)

    assert changed.visit_ids == {visit_id}
    assert ticked(store, visit_id, cue.id) == ["name", "explore"]


def test_unticking_a_step_clears_it(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Worried about the scan", AUTHOR).result
    emotions.set_step(store, cue.id, "support", True)

    emotions.set_step(store, cue.id, "support", False)

    assert ticked(store, visit_id, cue.id) == []


def test_unticking_a_step_that_was_never_ticked_changes_nothing(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Quiet, looking down", AUTHOR).result
    emotions.set_step(store, cue.id, "name", True)

    emotions.set_step(store, cue.id, "respect", False)

    assert ticked(store, visit_id, cue.id) == ["name"]


def test_ticking_twice_keeps_one_tick_and_its_first_time(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Laughing nervously", AUTHOR).result
    emotions.set_step(store, cue.id, "understand", True)
    query = text("SELECT ticked_at FROM nursetick WHERE note_id = :id")
    with store.engine.connect() as con:
        first = con.execute(query, {"id": cue.id}).fetchall()

    emotions.set_step(store, cue.id, "understand", True)

    with store.engine.connect() as con:
        after = con.execute(query, {"id": cue.id}).fetchall()
    assert len(first) == 1
    assert after == first
    assert ticked(store, visit_id, cue.id) == ["understand"]


def test_ticks_belong_to_one_cue_only(store, visit_id):
    sad = emotions.add_cue(store, visit_id, "Sad about moving", AUTHOR).result
    angry = emotions.add_cue(store, visit_id, "Angry at the insurer", AUTHOR).result

    emotions.set_step(store, sad.id, "name", True)

    assert ticked(store, visit_id, sad.id) == ["name"]
    assert ticked(store, visit_id, angry.id) == []


def test_an_unknown_step_is_refused(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Frustrated", AUTHOR).result

    with pytest.raises(CompanionError, match="unknown NURSE step"):
        emotions.set_step(store, cue.id, "nod", True)

    assert ticked(store, visit_id, cue.id) == []


def test_only_an_emotional_cue_can_be_ticked(store, visit_id):
    fact = notes.add_note(store, visit_id, "social", "Has a dog", AUTHOR, topic="home").result

    with pytest.raises(CompanionError, match="not an emotional cue"):
        emotions.set_step(store, fact.id, "name", True)


def test_a_retracted_cue_leaves_the_checklist(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Tearful", AUTHOR).result

    notes.retract_note(store, cue.id, "misread the moment")

    assert emotions.cues_for_visit(store, visit_id) == []


def test_a_grief_cue_shows_phrases_about_sadness_not_frustration(store, visit_id):
    emotions.add_cue(store, visit_id, "Tearful talking about her late husband", AUTHOR)

    [cue] = emotions.cues_for_visit(store, visit_id)
    phrases = {s.key: s.phrase for s in cue.steps}
    assert (cue.family, cue.family_label, cue.language) == ("sadness", "sadness and grief", "en")
    assert "sad" in phrases["name"] and "frustrated" not in phrases["name"]
    assert cue.wish == "I wish things were different."
    assert cue.more.startswith("Tell me more")


def test_each_cue_on_a_visit_has_the_phrases_of_its_own_emotion(store, visit_id):
    emotions.add_cue(store, visit_id, "Worried about the biopsy", AUTHOR)
    emotions.add_cue(store, visit_id, "Angry about the wait", AUTHOR)

    worried, angry = emotions.cues_for_visit(store, visit_id)
    assert (worried.family, angry.family) == ("worry", "anger")
    assert worried.steps[0].phrase != angry.steps[0].phrase
    assert [s.label for s in worried.steps] == [s.label for s in angry.steps]  # the five steps stay the same


def test_a_cue_the_lexicon_does_not_know_gets_the_neutral_nurse_phrases(store, visit_id):
    added = emotions.add_cue(store, visit_id, "Quiet, looking down", AUTHOR).result

    assert added.family == ""
    assert [s.phrase for s in added.steps] == [s.phrase for s in store.content.nurse_steps]
    assert emotions.cues_for_visit(store, visit_id)[0].steps == added.steps


def test_a_denied_emotion_gets_the_neutral_phrases(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Not worried about the scan", AUTHOR).result

    assert cue.family == ""
    assert "worr" not in " ".join(s.phrase for s in cue.steps)


def test_a_spanish_cue_gets_spanish_phrases(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "Avergonzado por su peso", AUTHOR).result

    assert (cue.family, cue.language) == ("shame", "es")
    assert cue.steps[0].phrase == "Cuesta hablar de esto."
    assert cue.wish.startswith("Ojalá") and cue.more.startswith("Cuénteme")


def test_ticks_stay_with_the_cue_whatever_its_phrases(store, visit_id):
    cue = emotions.add_cue(store, visit_id, "llora al hablar de su madre", AUTHOR).result
    emotions.set_step(store, cue.id, "respect", True)

    [listed] = emotions.cues_for_visit(store, visit_id)
    assert listed.family == "sadness"
    assert [(s.key, s.ticked) for s in listed.steps if s.ticked] == [("respect", True)]
