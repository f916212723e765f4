"""Drafts: text typed but not yet entered survives a crash; clearing the input removes it."""

from __future__ import annotations

import pytest

from companion.errors import CompanionError
from companion.services import drafts
from companion.storage.store import open_store


def test_a_saved_draft_is_returned_for_its_visit(store, visit_id):
    drafts.save_draft(store, visit_id, "priority", "She wants to talk about")

    assert drafts.drafts_for_visit(store, visit_id, clinician_id=1) == {"priority": "She wants to talk about"}


def test_the_latest_text_wins(store, visit_id):
    drafts.save_draft(store, visit_id, "note", "Lives w")
    drafts.save_draft(store, visit_id, "note", "Lives with her son")

    assert drafts.drafts_for_visit(store, visit_id, clinician_id=1) == {"note": "Lives with her son"}


def test_a_draft_keeps_its_surrounding_spaces_while_typing(store, visit_id):
    drafts.save_draft(store, visit_id, "note", "Lives with ")

    assert drafts.drafts_for_visit(store, visit_id, clinician_id=1) == {"note": "Lives with "}


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
def test_clearing_the_input_removes_the_draft(store, visit_id, empty):
    drafts.save_draft(store, visit_id, "note", "Something")
    drafts.save_draft(store, visit_id, "priority", "Other field")

    drafts.save_draft(store, visit_id, "note", empty)

    assert drafts.drafts_for_visit(store, visit_id, clinician_id=1) == {"priority": "Other field"}


def test_drafts_of_one_visit_do_not_show_on_another(store, patient_id, clinician_id, make_visit, visit_id):
    other = make_visit(patient_id, clinician_id, at="10:00")
    drafts.save_draft(store, visit_id, "note", "Mine")

    assert drafts.drafts_for_visit(store, other, clinician_id=1) == {}


def test_a_draft_survives_reopening_the_database(store, visit_id, db_path):
    drafts.save_draft(store, visit_id, "note", "Typed before the crash")
    store.engine.dispose()

    reopened = open_store(str(db_path))
    try:
        assert drafts.drafts_for_visit(reopened, visit_id, clinician_id=1) == {"note": "Typed before the crash"}
    finally:
        reopened.engine.dispose()


def test_a_draft_for_an_unknown_visit_is_refused(store):
    with pytest.raises(CompanionError, match="no visit"):
        drafts.save_draft(store, 404, "note", "text")


def test_a_draft_is_its_writers_alone_and_one_from_before_writers_goes_to_the_first_who_saves(store, visit_id):
    nurse, doctor = 1, 2
    drafts.save_draft(store, visit_id, drafts.owned("note:social", nurse), "Says partner hits her when drunk")
    assert drafts.drafts_for_visit(store, visit_id, nurse) == {"note:social": "Says partner hits her when drunk"}
    assert drafts.drafts_for_visit(store, visit_id, doctor) == {}  # the next clinician at the desk sees nothing

    drafts.save_draft(store, visit_id, "glance:cue", "Typed before this version")  # kept without a writer
    assert drafts.drafts_for_visit(store, visit_id, doctor) == {"glance:cue": "Typed before this version"}
    drafts.save_draft(store, visit_id, drafts.owned("glance:cue", doctor), "Typed before this version, and more")
    assert drafts.drafts_for_visit(store, visit_id, nurse) == {"note:social": "Says partner hits her when drunk"}
    assert drafts.drafts_for_visit(store, visit_id, doctor) == {"glance:cue": "Typed before this version, and more"}
