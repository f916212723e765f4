"""What the clinician sees: the prep card at the door and the glance in the room."""

from __future__ import annotations

import json
from datetime import timedelta

from companion.read.briefing import build_glance, build_prep_card
from companion.services import emotions, notes, priorities

AUTHOR = "Jonas Lindqvist"


def texts(items) -> list[str]:
    return [item.text for item in items]


def add_priorities(store, visit_id, *words) -> list:
    return [priorities.add_priority(store, visit_id, w).result for w in words]


def test_glance_shows_at_most_three_priorities_and_counts_the_rest(store, visit_id):
    add_priorities(store, visit_id, "one", "two", "three", "four", "five")

    glance = build_glance(store, visit_id)

    assert texts(glance.priorities) == ["one", "two", "three"]
    assert glance.more_priorities == 2
    data = glance.to_json()
    assert [p["text"] for p in data["priorities"]] == ["one", "two", "three"]
    assert data["more"]["priorities"] == 2


def test_glance_with_exactly_three_priorities_shows_no_more(store, visit_id):
    add_priorities(store, visit_id, "one", "two", "three")

    glance = build_glance(store, visit_id)

    assert len(glance.priorities) == 3
    assert glance.more_priorities == 0


def test_glance_shows_the_top_three_in_the_agreed_order(store, visit_id):
    a, b, c, d = add_priorities(store, visit_id, "a", "b", "c", "d")
    priorities.reorder(store, visit_id, [d.id, c.id, a.id, b.id])

    assert texts(build_glance(store, visit_id).priorities) == ["d", "c", "a"]


def test_addressed_priorities_leave_the_glance_and_the_count(store, visit_id):
    first, *_ = add_priorities(store, visit_id, "one", "two", "three", "four")

    priorities.set_state(store, first.id, "addressed")

    glance = build_glance(store, visit_id)
    assert texts(glance.priorities) == ["two", "three", "four"]
    assert glance.more_priorities == 0


def test_glance_shows_at_most_three_story_items_and_counts_the_rest(store, visit_id):
    for text in ("Grandmother of five", "Retired teacher", "Sings in a choir", "Grows tomatoes", "Walks daily"):
        notes.add_note(store, visit_id, "social", text, AUTHOR)

    glance = build_glance(store, visit_id)

    assert texts(glance.story) == ["Walks daily", "Grows tomatoes", "Sings in a choir"]  # newest first
    assert glance.more_story == 2
    assert glance.to_json()["more"]["social_context"] == 2


def test_this_visits_story_comes_before_what_was_known_before(store, visit_id):
    notes.add_note(store, visit_id, "social", "Widowed last year", AUTHOR, lasting=True)
    notes.add_note(store, visit_id, "social", "Moved in with her son this week", AUTHOR)
    notes.add_note(store, visit_id, "social", "Loves crosswords", AUTHOR, lasting=True)

    assert texts(build_glance(store, visit_id).story) == [
        "Moved in with her son this week",
        "Loves crosswords",
        "Widowed last year",
    ]


def test_sensitive_story_items_are_not_counted_in_more(store, visit_id):
    for text in ("Retired teacher", "Sings in a choir", "Grows tomatoes", "Drinking most nights"):
        notes.add_note(store, visit_id, "social", text, AUTHOR)

    glance = build_glance(store, visit_id)

    assert sorted(texts(glance.story)) == ["Grows tomatoes", "Retired teacher", "Sings in a choir"]
    assert glance.more_story == 0


def test_glance_json_carries_no_timestamps(demo_store, demo_visits):
    for visit_id in demo_visits.values():
        json.dumps(build_glance(demo_store, visit_id).to_json())  # a datetime would make this raise


def test_glance_greets_the_patient_by_the_name_they_like(store, make_patient, make_visit, clinician_id):
    patient = make_patient(
        "Robert Smith", preferred_name="Bobby", pronouns="he/him", preferred_language="Spanish", interpreter_needed=True
    )
    visit_id = make_visit(patient, clinician_id)

    line = build_glance(store, visit_id).to_json()["patient"]["text"]

    assert line == "Bobby (he/him) · Spanish, interpreter"
    assert "Robert" not in line


def test_prep_cue_points_to_the_moment(store, visit_id):
    assert build_glance(store, visit_id).prep_cue.key == "agree"

    priorities.add_priority(store, visit_id, "My knee")
    assert build_glance(store, visit_id).prep_cue.key == "listen"

    cue = emotions.add_cue(store, visit_id, "Tearful about the knee", AUTHOR).result
    assert build_glance(store, visit_id).prep_cue.key == "explore"

    emotions.set_step(store, cue.id, "name", True)
    assert build_glance(store, visit_id).prep_cue.key == "listen"


def test_prep_card_shows_a_deferred_priority_from_the_last_visit(store, patient_id, clinician_id, make_visit, today):
    last = make_visit(patient_id, clinician_id, day=today - timedelta(days=28))
    this = make_visit(patient_id, clinician_id, day=today)
    deferred, addressed = add_priorities(store, last, "Talk about my sleep", "Flu shot")
    priorities.add_priority(store, last, "Run with my kids again", lasting=True)
    priorities.set_state(store, deferred.id, "deferred")
    priorities.set_state(store, addressed.id, "addressed")

    card = build_prep_card(store, this)

    assert texts(card.open_from_last_visit) == ["Talk about my sleep"]
    assert texts(card.priorities) == ["Run with my kids again"]


def test_prep_card_looks_only_at_the_visit_just_before(store, patient_id, clinician_id, make_visit, today):
    two_ago = make_visit(patient_id, clinician_id, day=today - timedelta(days=60))
    last = make_visit(patient_id, clinician_id, day=today - timedelta(days=30))
    this = make_visit(patient_id, clinician_id, day=today)
    old = priorities.add_priority(store, two_ago, "Very old topic").result
    priorities.set_state(store, old.id, "deferred")
    recent = priorities.add_priority(store, last, "Recent topic").result
    priorities.set_state(store, recent.id, "deferred")

    assert texts(build_prep_card(store, this).open_from_last_visit) == ["Recent topic"]


def test_a_first_visit_has_nothing_open_from_before(store, visit_id):
    assert build_prep_card(store, visit_id).open_from_last_visit == ()


def test_demo_prep_card_shows_zoes_deferred_sleep_talk(demo_store, demo_visits):
    card = build_prep_card(demo_store, demo_visits["Zoë"])

    assert texts(card.open_from_last_visit) == ["Talk about my sleep"]
    assert card.story[0].text == "Started physio twice a week"  # this visit's story first


def test_markup_is_stored_and_returned_as_typed(store, visit_id):
    markup = "<b>x</b> <img src=x onerror=alert(1)> &amp;"
    priorities.add_priority(store, visit_id, markup)
    notes.add_note(store, visit_id, "social", markup, AUTHOR)
    emotions.add_cue(store, visit_id, markup, AUTHOR)

    data = build_glance(store, visit_id).to_json()

    assert data["priorities"][0]["text"] == markup
    assert data["social_context"][0]["text"] == markup
    assert data["emotion_checklist"][0]["text"] == markup


def test_right_to_left_text_is_stored_and_returned_as_typed(store, visit_id):
    arabic = "أريد أن أفهم نتائج التحاليل (HbA1c 7.2%)"
    priorities.add_priority(store, visit_id, "\u200f" + arabic)  # the keyboard's direction mark is not kept
    notes.add_note(store, visit_id, "social", "تعمل معلمة في مدرسة ابتدائية", AUTHOR, topic="work")

    glance = build_glance(store, visit_id)
    card = build_prep_card(store, visit_id)

    # The privacy rules cannot read Arabic: both wait behind the prep card's reveal, exactly as typed.
    assert arabic not in texts(glance.priorities) and "تعمل معلمة في مدرسة ابتدائية" not in texts(glance.story)
    assert {arabic, "تعمل معلمة في مدرسة ابتدائية"} <= set(texts(card.sensitive))
