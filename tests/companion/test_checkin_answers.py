"""The answers a patient gives at check-in, saved with the nurse's PIN (companion.services.checkin)."""

from __future__ import annotations

import pytest

from companion.errors import CompanionError
from companion.read.briefing import build_glance
from companion.services import notes, priorities, visits
from companion.services.checkin import correct_as_patient, save_checkin


def test_a_second_check_in_with_the_same_answers_adds_nothing_twice(demo_store, demo_visits):
    """The screen handed over again (the patient wanted to add something): the words already given, the agenda's
    and the practical need alike, are not listed a second time; new words are."""
    visit_id = demo_visits["Lan"]
    patient_id = visits.visit_row(demo_store, visit_id).patient_id
    answers = {"language": "en", "matters": ["My knee"], "needs": "No car on Tuesdays"}
    save_checkin(demo_store, visit_id, **answers)
    save_checkin(demo_store, visit_id, **answers | {"matters": ["My knee", "Sleep"]})

    said = [p.text for p in priorities.priorities_of_visit(demo_store, visit_id) if p.source == "patient"]
    assert said.count("My knee") == 1 and "Sleep" in said
    assert [n.text for n in notes.lasting_notes(demo_store, patient_id)].count("No car on Tuesdays") == 1


def test_answers_typed_in_a_language_the_privacy_rules_do_not_read_stay_off_the_glance(demo_store, demo_visits):
    """A clinic adds Portuguese for its patients; the rules' phrases are English and Spanish. What a patient types in
    Portuguese cannot be judged, so the clinician reads it behind the reveal, as an import in that language is."""
    visit_id = demo_visits["Lan"]
    answers = {"matters": ["Tenho pensado em me matar"], "needs": "Sou soropositivo, preciso de ajuda"}
    save_checkin(demo_store, visit_id, language="pt-BR", **answers)

    glance = build_glance(demo_store, visit_id)
    shown = [p.text for p in glance.priorities] + [n.text for n in (*glance.story, *glance.needs)]
    assert not any("matar" in text or "soropositivo" in text for text in shown)
    said = [p for p in priorities.priorities_of_visit(demo_store, visit_id) if p.text == "Tenho pensado em me matar"]
    assert said and said[0].sensitive


def test_a_patients_correction_is_judged_in_the_language_they_typed_it_in(demo_store, demo_visits):
    visit_id = demo_visits["Lan"]
    save_checkin(demo_store, visit_id, language="pt", matters=["Minha dor no joelho"])
    [item] = [p for p in priorities.priorities_of_visit(demo_store, visit_id) if p.text == "Minha dor no joelho"]
    assert item.sensitive  # read behind the reveal, as every answer in Portuguese

    english = demo_visits["Søren"]  # his English words are read by the rules
    save_checkin(demo_store, english, language="en", matters=["My knee"])
    [knee] = [p for p in priorities.priorities_of_visit(demo_store, english) if p.text == "My knee"]
    assert not knee.sensitive
    correct_as_patient(demo_store, knee.id, "Quero morrer", language="pt")

    [corrected] = [p for p in priorities.priorities_of_visit(demo_store, english) if p.id == knee.id]
    assert corrected.text == "Quero morrer" and corrected.sensitive


@pytest.mark.parametrize("blank", ["\u3164", "\u0301", "\u200b\u00ad", " \u2003 ", "\u115f\u1160"])
def test_a_box_that_shows_nothing_is_left_out_and_the_other_answers_saved(demo_store, demo_visits, blank):
    """A Hangul filler (a Korean keyboard's blank), an accent typed alone, invisible characters: the box looks empty
    to the patient, so it is left out; it never makes the whole check-in refused."""
    visit_id = demo_visits["Lan"]
    patient_id = visits.visit_row(demo_store, visit_id).patient_id

    save_checkin(demo_store, visit_id, language="en", matters=["My knee", blank], something_else=blank, needs=blank)

    said = [p.text for p in priorities.priorities_of_visit(demo_store, visit_id) if p.source == "patient"]
    assert "My knee" in said and not any(not text.strip(blank + " ") for text in said)
    assert not [n for n in notes.lasting_notes(demo_store, patient_id) if n.author == "the patient, at check-in"]


@pytest.mark.parametrize("status", ["cancelled", "no_show", "done"])
def test_a_visit_closed_at_another_desk_takes_no_answers(demo_store, demo_visits, status):
    """Cancelled (or marked missed) while the patient typed: the answers would sit on a visit nobody prepares
    from, under a notice saying all is well. The save is refused and nothing is written."""
    visit_id = demo_visits["Lan"]
    before = priorities.priorities_of_visit(demo_store, visit_id)
    visits.set_status(demo_store, visit_id, status)

    with pytest.raises(CompanionError, match=f"marked {status.replace('_', ' ')} at another desk"):
        save_checkin(demo_store, visit_id, language="en", matters=["My knee"], needs="No car on Tuesdays")

    assert priorities.priorities_of_visit(demo_store, visit_id) == before


@pytest.mark.parametrize(
    "said",
    [
        "Tôi muốn tự tử",  # Vietnamese: I want to kill myself
        "Chồng tôi đánh tôi mỗi ngày",  # my husband beats me every day
        "أريد أن أموت",  # Arabic: I want to die
        "我丈夫打我",  # Chinese: my husband hits me
        "Я больше не хочу жить",  # Russian: I do not want to live any more
    ],
)
def test_words_in_letters_english_and_spanish_do_not_use_stay_off_the_glance_whatever_the_screens_language(
    demo_store, demo_visits, said
):
    """The check-in screen offers English and Spanish; a patient types in their own language all the same, and at
    the desk a nurse types what the patient said. The rules cannot read it, so the clinician reads it behind the
    reveal, wherever it was typed and whatever language the screen was in."""
    visit_id = demo_visits["Lan"]
    save_checkin(demo_store, visit_id, language="en", matters=[said], needs=said)
    notes.add_note(demo_store, visit_id, "social", said, "Nurse")

    glance = build_glance(demo_store, visit_id)
    shown = [p.text for p in glance.priorities] + [n.text for n in (*glance.story, *glance.needs)]
    assert said not in shown
    assert [p.sensitive for p in priorities.priorities_of_visit(demo_store, visit_id) if p.text == said] == [True]


def test_a_name_in_those_letters_among_english_words_stays_on_the_glance(demo_store, demo_visits):
    visit_id = demo_visits["Lan"]
    for text in ("Daughter Nguyễn Thị Mai drives her on Tuesdays", "Łukasz brings her", "B12 500 μg daily"):
        notes.add_note(demo_store, visit_id, "social", text, "Nurse")

    story = [n.text for n in build_glance(demo_store, visit_id).story]

    assert {"Daughter Nguyễn Thị Mai drives her on Tuesdays", "Łukasz brings her", "B12 500 μg daily"} <= set(story)


PLAIN_LETTERS = [  # what a patient's own language says in letters English and Spanish use too
    ("Portuguese", "Tenho pensado em me matar"),  # I have been thinking of killing myself
    ("Tagalog", "Sinasaktan ako ng asawa ko"),  # my husband hurts me
    ("Somali", "Waxaan rabaa inaan is dilo"),  # I want to kill myself
    ("Haitian Creole", "Mwen vle mouri"),  # I want to die
]


@pytest.mark.parametrize(("spoken", "said"), PLAIN_LETTERS)
def test_a_patient_needing_an_interpreter_is_read_in_their_own_language_whatever_the_screen(
    store, make_patient, make_visit, clinician_id, spoken, said
):
    """Only English and Spanish screens ship: a patient who needs an interpreter picks one and types in their own
    language, which no English phrase reads. Their words go behind the reveal, as their portal answers do."""
    visit_id = make_visit(
        make_patient("Test Patient", preferred_language=spoken, interpreter_needed=True), clinician_id
    )

    save_checkin(store, visit_id, language="en", matters=[said], needs=said)

    glance = build_glance(store, visit_id)
    assert said not in [p.text for p in glance.priorities] + [n.text for n in (*glance.story, *glance.needs)]
    assert glance.to_json()["private_count"] == 2


def test_the_interpreter_asked_for_at_check_in_counts_and_english_speakers_words_stay_on_the_glance(
    store, make_patient, make_visit, clinician_id
):
    portuguese = make_visit(make_patient("Test Patient", preferred_language="Portuguese"), clinician_id)
    english = make_visit(
        make_patient("Other Patient", preferred_language="English", interpreter_needed=True), clinician_id
    )

    save_checkin(store, portuguese, language="en", matters=["Tenho pensado em me matar"], interpreter=True)
    save_checkin(store, english, language="en", matters=["My knee"])

    assert build_glance(store, portuguese).priorities == ()
    assert [p.text for p in build_glance(store, english).priorities] == ["My knee"]


def test_the_patients_own_words_are_credited_to_the_patient_not_the_clinician_whose_session_saved_them(
    demo_store, demo_visits
):
    """The check-in and the patient's correction are saved in a clinician's session (their PIN took the screen
    back): Rooming's stamp and the history say the patient wrote the words; a nurse's later correction is hers."""
    from companion.services import audit_trail

    visit_id = demo_visits["Lan"]
    with audit_trail.acting_as("Jonas Lindqvist"):
        (priority_id,) = save_checkin(demo_store, visit_id, language="en", matters=["My grandson moved in"]).result
    assert audit_trail.stamps(demo_store, "priority", [priority_id])[priority_id].who == "the patient, at check-in"
    with audit_trail.acting_as("Dr. Amara Okafor"):
        correct_as_patient(demo_store, priority_id, "My grandson moved in, I cannot sleep", language="en")
    assert audit_trail.stamps(demo_store, "priority", [priority_id])[priority_id].who == "the patient"
    with audit_trail.acting_as("Jonas Lindqvist"):
        priorities.edit_priority(demo_store, priority_id, "Cannot sleep since the grandson moved in")
    history = audit_trail.item_history(demo_store, "priority", priority_id)
    assert [(e.action, e.who) for e in history.entries] == [
        ("added", "the patient, at check-in"),
        ("edited", "the patient"),
        ("edited", "Jonas Lindqvist"),
    ]
