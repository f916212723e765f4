"""The plain-text summary pasted into the record: what mattered, what became of it, what was agreed."""

from __future__ import annotations

import pytest

from companion.errors import CompanionError
from companion.read.summary import build_summary
from companion.services import emotions, encounter, notes, priorities, reflection, rituals

AUTHOR = "Dr. Amara Osei"
NURSE = "Jonas Lindqvist"


def lines_under(summary: str, heading: str) -> list[str]:
    """The "- " lines that follow a heading, up to the next blank line."""
    block = summary.split(heading + "\n", 1)[1].split("\n\n", 1)[0]
    return [line for line in block.splitlines() if line.startswith("- ")]


@pytest.fixture
def closed_visit(store, visit_id) -> int:
    """A visit as a clinician closes it: one item addressed, one left open, a cue explored, checks done."""
    knee = priorities.add_priority(store, visit_id, "My knee hurts on the stairs").result
    priorities.add_priority(store, visit_id, "Talk about my sleep")
    priorities.set_state(store, knee.id, "addressed")
    encounter.add_next_step(store, visit_id, "Physiotherapy referral", AUTHOR)
    encounter.add_next_step(store, visit_id, "Blood test next week", AUTHOR)
    cue = emotions.add_cue(store, visit_id, "Tearful talking about her husband", NURSE).result
    emotions.set_step(store, cue.id, "name", True)
    emotions.set_step(store, cue.id, "explore", True)
    encounter.agree_agenda(store, visit_id)
    encounter.set_close_check(store, visit_id, "teach_back", True)
    encounter.set_close_check(store, visit_id, "ask_tell_ask", True)
    encounter.finish_visit(store, visit_id)
    return visit_id


def test_the_summary_names_the_visit_and_the_clinician(store, closed_visit):
    summary = build_summary(store, closed_visit)

    assert summary.splitlines()[:2] == ["Visit 2025-03-14 09:00: Check-up", "Clinician: Dr. Test"]


def test_priorities_are_listed_with_what_became_of_each(store, closed_visit):
    summary = build_summary(store, closed_visit)

    assert lines_under(summary, "Priorities, in the patient's words:") == [
        "- My knee hurts on the stairs: addressed",
        "- Talk about my sleep: deferred to next visit",
    ]
    assert "Agenda agreed with the patient." in summary


def test_a_lasting_priority_is_marked_lasting(store, visit_id):
    priorities.add_priority(store, visit_id, "Garden again", lasting=True)
    encounter.finish_visit(store, visit_id)

    assert lines_under(build_summary(store, visit_id), "Priorities, in the patient's words:") == [
        "- Garden again (lasting): still open"
    ]


def test_the_clinicians_own_agenda_item_is_listed_as_the_clinicians_not_in_the_patients_words(store, visit_id):
    priorities.add_priority(store, visit_id, "Wants to sleep through the night")
    priorities.add_priority(store, visit_id, "Review the statin dose", source="clinician")  # added on the glance
    priorities.add_priority(store, visit_id, "Flu shot is due", source="nurse")
    encounter.agree_agenda(store, visit_id)

    summary = build_summary(store, visit_id)

    assert lines_under(summary, "Priorities, in the patient's words:") == [
        "- Wants to sleep through the night: still open"
    ]
    assert lines_under(summary, "Also on the clinician's agenda:") == ["- Review the statin dose: still open"]
    assert lines_under(summary, "Raised by the nurse:") == ["- Flu shot is due: still open"]
    assert "Agenda agreed with the patient." in summary


def test_an_agenda_of_only_the_clinicians_items_says_the_patient_raised_none(store, visit_id):
    priorities.add_priority(store, visit_id, "Check the blood pressure", source="clinician")

    summary = build_summary(store, visit_id)

    assert lines_under(summary, "Priorities, in the patient's words:") == ["- none recorded"]
    assert lines_under(summary, "Also on the clinician's agenda:") == ["- Check the blood pressure: still open"]
    assert "Raised by the nurse:" not in summary


def test_a_private_item_of_the_clinicians_is_left_out_and_counted(store, visit_id):
    priorities.add_priority(store, visit_id, "Ask about his drinking", source="clinician")

    summary = build_summary(store, visit_id)

    assert "drinking" not in summary and "Also on the clinician's agenda:" not in summary
    assert "(sensitive items left out: 1)" in summary
    assert "- Ask about his drinking: still open" in build_summary(store, visit_id, include_sensitive=True)


def test_agreed_next_steps_are_listed_in_order(store, closed_visit):
    assert lines_under(build_summary(store, closed_visit), "Agreed next steps:") == [
        "- Physiotherapy referral",
        "- Blood test next week",
    ]


def test_cues_are_listed_with_the_nurse_steps_used(store, closed_visit):
    quiet = emotions.add_cue(store, closed_visit, "Went quiet about work", NURSE).result
    emotions.set_step(store, quiet.id, "support", True)
    emotions.add_cue(store, closed_visit, "Laughed it off", NURSE)

    assert lines_under(build_summary(store, closed_visit), "Emotional cues explored:") == [
        "- Tearful talking about her husband (NURSE steps used: Name, Explore)",
        "- Went quiet about work (NURSE steps used: Support)",
        "- Laughed it off (NURSE steps used: none)",
    ]


def test_the_closing_checks_are_stated(store, closed_visit):
    summary = build_summary(store, closed_visit)

    assert "Teach-back done: the patient explained the plan in their own words." in summary
    assert "Ask-Tell-Ask used." in summary


def test_an_empty_visit_says_so_plainly(store, visit_id):
    summary = build_summary(store, visit_id)

    assert lines_under(summary, "Priorities, in the patient's words:") == ["- none recorded"]
    assert lines_under(summary, "Agreed next steps:") == ["- none recorded"]
    for absent in ("Emotional cues", "Agenda agreed", "Teach-back", "Ask-Tell-Ask", "sensitive items left out"):
        assert absent not in summary
    assert summary.endswith("\n")


def test_only_the_checks_done_are_stated(store, visit_id):
    encounter.set_close_check(store, visit_id, "ask_tell_ask", True)

    summary = build_summary(store, visit_id)

    assert "Ask-Tell-Ask used." in summary
    assert "Teach-back" not in summary


def test_markup_typed_by_a_user_appears_literally(store, visit_id):
    bold, script = "<b>x</b>", "<script>alert(1)</script> &amp;"
    priorities.add_priority(store, visit_id, bold)
    encounter.add_next_step(store, visit_id, script, AUTHOR)
    emotions.add_cue(store, visit_id, "<i>sighed</i>", NURSE)

    summary = build_summary(store, visit_id)

    assert f"- {bold}: still open" in summary
    assert f"- {script}\n" in summary
    assert "- <i>sighed</i> (NURSE steps used: none)" in summary
    assert "&lt;" not in summary


def test_a_sensitive_priority_is_left_out_and_counted(store, closed_visit):
    priorities.add_priority(store, closed_visit, "Cut down my drinking")

    summary = build_summary(store, closed_visit)

    assert "drinking" not in summary
    assert summary.rstrip("\n").splitlines()[-1] == ("(sensitive items left out: 1)")


def test_sensitive_priority_step_and_cue_are_all_counted(store, closed_visit):
    priorities.add_priority(store, closed_visit, "Worried about my HIV viral load")
    encounter.add_next_step(store, closed_visit, "Referral to the alcohol clinic", AUTHOR)
    emotions.add_cue(store, closed_visit, "Afraid of her partner", NURSE)

    summary = build_summary(store, closed_visit)

    for private in ("HIV", "alcohol", "partner"):
        assert private not in summary
    assert "(sensitive items left out: 3)" in summary
    assert lines_under(summary, "Agreed next steps:") == ["- Physiotherapy referral", "- Blood test next week"]


def test_sensitive_items_are_included_when_asked(store, closed_visit):
    priorities.add_priority(store, closed_visit, "Worried about my HIV viral load")
    encounter.add_next_step(store, closed_visit, "Referral to the alcohol clinic", AUTHOR)
    emotions.add_cue(store, closed_visit, "Afraid of her partner", NURSE)

    summary = build_summary(store, closed_visit, include_sensitive=True)

    assert "- Worried about my HIV viral load: still open" in summary
    assert "- Referral to the alcohol clinic\n" in summary
    assert "- Afraid of her partner (NURSE steps used: none)" in summary
    assert "sensitive items left out" not in summary


def test_a_sensitive_story_note_never_reaches_the_summary(store, visit_id):
    notes.add_note(store, visit_id, "social", "Lost his job, can't afford the rent", NURSE, topic="work")
    notes.add_note(store, visit_id, "social", "Sings in a choir", NURSE, topic="joy")

    for include in (False, True):
        summary = build_summary(store, visit_id, include_sensitive=include)
        assert "afford" not in summary
        assert "choir" not in summary


def test_private_reflection_never_reaches_the_summary(store, closed_visit, clinician_id, today):
    before = [build_summary(store, closed_visit, include_sensitive=include) for include in (False, True)]

    reflection.set_reflection(store, clinician_id, True)
    rituals.record_run(store, closed_visit, clinician_id, paused_seconds=20, completed=True)
    encounter.ask_something_else(store, closed_visit)
    assert [v.visit_id for v in reflection.week_practice(store, clinician_id, today).visits] == [closed_visit]

    after = [build_summary(store, closed_visit, include_sensitive=include) for include in (False, True)]
    assert after == before
    for summary in after:
        for private in ("reflection", "ritual", "full agenda elicited", "something else", "practice"):
            assert private not in summary.lower()


def test_an_unknown_visit_is_a_clear_error(store):
    with pytest.raises(CompanionError, match="^no visit with id 4242$"):
        build_summary(store, 4242)
