"""FHIR import, one rule at a time, on hand-written resources: what matters to the patient (questionnaire answers,
goals they expressed), the care team's goals apart from their words, and their story (social history, screening
answers, flags, messages), sensitive facts kept off the glance. Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from companion.read.briefing import build_glance, build_patient_glance, build_prep_card
from companion.read.summary import build_summary
from companion.services.notes import note_history
from companion.storage.models import NoteKind, Priority, PriorityState, Scope, Source, VisitStatus
from companion.text import MAX_TEXT
from tests.companion.fhir_samples import (
    LOINC,
    SDOH,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    goal,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    priorities_of,
    screening,
    visits_of,
    what_matters,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")


def ana(store):
    return patient_by_key(store, "Patient/p1").id


def test_what_matters_today_answers_become_todays_priorities_in_the_patients_words(store, tmp_path):
    answers = ["Quiero entender por qué cambiaron mi pastilla", "My feet tingle at night"]
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        what_matters("q1", answers, encounter={"reference": "Encounter/e1"}),
    )

    items = priorities_of(store, ana(store))
    assert [(p.text, p.scope, p.source) for p in items] == [(a, Scope.today, Source.patient) for a in answers]
    glance = build_glance(store, items[0].visit_id).to_json()
    assert [p["text"] for p in glance["priorities"]] == answers


def test_a_pre_visit_answer_without_an_encounter_goes_to_the_next_visit(store, tmp_path):
    earlier = encounter("e0", start="2025-03-01T09:00:00+00:00", status="finished")
    load(
        store,
        tmp_path,
        patient("p1"),
        earlier,
        encounter("e1"),
        what_matters("q1", ["Sleep"], authored="2025-03-10T08:00:00Z"),
    )

    [item] = priorities_of(store, ana(store))
    assert item.visit_id == visits_of(store, ana(store))[1].id  # 14 March, the visit it was asked before


def test_an_undated_answer_goes_to_todays_visit_not_the_furthest_one_booked(store, tmp_path, monkeypatch):
    """A portal form without `authored`: the patient said it now, so it is for today's visit, not one in March."""
    today = datetime.now(UTC).date()
    visits = [
        encounter("e0", start=f"{today - timedelta(days=365)}T10:00:00Z", status="finished"),
        encounter("e1", start=f"{today}T23:00:00Z"),
        encounter("e2", start=f"{today + timedelta(days=120)}T09:00:00Z"),
    ]
    undated = what_matters("q1", ["My dizziness when I stand up"])
    del undated["authored"]

    load(store, tmp_path, patient("p1"), *visits, undated)

    [item] = priorities_of(store, ana(store))
    assert item.visit_id == visits_of(store, ana(store))[1].id


def test_an_answer_dated_without_a_time_is_that_day_in_the_clinic_not_the_evening_before(store, tmp_path, monkeypatch):
    """A portal sends "authored": "2025-03-14" for this morning's visit; the clinic is in Chicago, where that date
    read as midnight UTC falls on the 13th, the day of the last visit."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yesterday = encounter("e0", start="2025-03-13T10:00:00-05:00", status="finished")
    today = encounter("e1", start="2025-03-14T09:00:00-05:00")

    load(store, tmp_path, patient("p1"), yesterday, today, what_matters("q1", ["Back pain"], authored="2025-03-14"))

    [item] = priorities_of(store, ana(store))
    assert item.visit_id == visits_of(store, ana(store))[1].id
    assert [p["text"] for p in build_glance(store, item.visit_id).to_json()["priorities"]] == ["Back pain"]


def test_the_same_answers_sent_again_under_another_id_are_on_the_agenda_once(store, tmp_path):
    visit = {"encounter": {"reference": "Encounter/e1"}}
    first = what_matters("q1", ["Talk about my dizziness", "Refill my inhaler"], **visit)
    again = what_matters("q2", ["talk about my dizziness", "Flu shot"], **visit)  # the portal resent the form

    load(store, tmp_path, patient("p1"), encounter("e1"), first, again)

    said = [p.text for p in priorities_of(store, ana(store))]
    assert said == ["Talk about my dizziness", "Refill my inhaler", "Flu shot"]


def test_an_amended_response_takes_off_the_agenda_what_it_no_longer_says(store, tmp_path):
    visit = {"encounter": {"reference": "Encounter/e1"}}
    load(
        store, tmp_path, patient("p1"), encounter("e1"), what_matters("q1", ["Back pain", "Forms", "Flu shot"], **visit)
    )

    amended = what_matters("q1", ["Forms", "Flu shot"], authored="2025-03-13T19:00:00+00:00", status="amended", **visit)
    load(store, tmp_path, amended, name="amended.json")
    items = priorities_of(store, ana(store))
    glance = build_glance(store, items[0].visit_id).to_json()
    assert [p["text"] for p in glance["priorities"]] == ["Forms", "Flu shot"]
    assert [p.retraction_reason for p in items if p.retracted_at] == ["no longer in the answers in the health record"]

    # A later version that says it again brings it back; one sent in error takes every answer off.
    again = what_matters("q1", ["Forms", "Flu shot", "Knee"], authored="2025-03-13T20:00:00+00:00", **visit)
    load(store, tmp_path, again, name="again.json")
    assert [p["text"] for p in build_glance(store, items[0].visit_id).to_json()["priorities"]] == [
        "Forms",
        "Flu shot",
        "Knee",
    ]
    withdrawn = what_matters("q1", ["Forms"], status="entered-in-error", **visit)
    load(store, tmp_path, withdrawn, name="withdrawn.json")
    assert build_glance(store, items[0].visit_id).to_json()["priorities"] == []


def test_two_versions_of_a_response_in_one_file_leave_the_newest_answers(store, tmp_path):
    visit = {"encounter": {"reference": "Encounter/e1"}}
    older = what_matters("q1", ["Back pain"], authored="2025-03-13T18:00:00+00:00", **visit)
    newer = what_matters("q1", ["Back pain", "Forms", "Knee"], authored="2025-03-13T19:00:00+00:00", **visit)

    load(store, tmp_path, patient("p1"), encounter("e1"), newer, older)

    items = priorities_of(store, ana(store))
    assert [p.text for p in items if p.retracted_at is None] == ["Back pain", "Forms", "Knee"]


@pytest.mark.parametrize(
    "asked",
    [
        "What are the top concerns you would like to discuss with your provider today?",
        "¿Qué es lo más importante para usted en la visita de hoy?",
        "¿De qué le gustaría hablar hoy?",
    ],
)
def test_a_portals_own_wording_of_what_matters_in_english_or_spanish_brings_their_words(store, tmp_path, asked):
    said = what_matters("q1", ["Mi espalda"], encounter={"reference": "Encounter/e1"})
    said["item"][0]["text"] = asked

    load(store, tmp_path, patient("p1"), encounter("e1"), said)

    assert [p.text for p in priorities_of(store, ana(store))] == ["Mi espalda"]


def test_screening_answers_become_story_and_the_latest_answer_per_question_wins(store, tmp_path):
    food = "We worried whether our food would run out [U.S. FSS]"
    hunger = screening(
        "hvs",
        "http://hl7.org/fhir/us/core/Questionnaire/hunger-vital-sign-example",
        [
            ("/88122-7", food, {"system": LOINC, "code": "LA28397-0", "display": "Often true"}),
            ("/93042-0/71802-3", "Housing status", {"system": LOINC, "code": "LA30190-5", "display": "Homeless"}),
            ("/32624-9", "Race", {"display": "White"}),
        ],
    )
    later = observation("o1", "88122-7", "Sometimes true", "2025-02-01T10:00:00Z", display="Worried food would run out")
    load(store, tmp_path, patient("p1"), later, hunger)

    notes = {n.code: n for n in notes_of(store, ana(store))}
    assert set(notes) == {f"{LOINC}|88122-7", f"{LOINC}|71802-3"}  # race is not the patient's story
    assert notes[f"{LOINC}|88122-7"].text == "Worried food would run out: Sometimes true"
    assert (notes[f"{LOINC}|71802-3"].text, notes[f"{LOINC}|71802-3"].topic) == ("Housing status: Homeless", "home")
    assert all(n.kind is NoteKind.social and n.visit_id is None for n in notes.values())


def test_a_coded_answer_with_no_display_shows_its_known_words_and_never_its_bare_code(store, tmp_path):
    """Some systems send an answer as a code alone. LOINC's answer codes of the screeners the app reads have words
    ("LA30190-5" is "I do not have housing..."); a code the app has no words for is no answer to show: "LA99999-9"
    and "Z-HOUSING-3" never reach the glance as if the patient had said them."""
    answers = [
        ("/71802-3", "Housing status", {"system": LOINC, "code": "LA30190-5"}),
        ("/88122-7", "Worried food would run out", {"system": LOINC, "code": "LA6729-3"}),
        (
            "/93030-5",
            "Has lack of transportation kept you from medical appointments?",
            {"system": LOINC, "code": "LA99999-9"},
        ),
        ("/96778-6", "Problems with your place", {"system": "urn:oid:1.2.3.4.5", "code": "Z-HOUSING-3"}),
    ]
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        screening("hrsn", "https://clinic.example.org/ahc-hrsn", answers),
    )

    notes = {n.code: n.text for n in notes_of(store, ana(store))}
    assert notes == {
        f"{LOINC}|71802-3": "Housing status: I do not have housing (staying with others, in a hotel, in a shelter, "
        "living outside on the street, on a beach, in a car, or in a park)",
        f"{LOINC}|88122-7": "Worried food would run out: Sometimes true",
    }
    assert not any(code in text for text in notes.values() for code in ("LA", "Z-HOUSING"))


def _contained_form(fid: str, title: str, questions: list[tuple[str, str, str]], system: str = LOINC) -> dict:
    """A Questionnaire a response carries inside: (linkId, text, LOINC code) for each question."""
    return {
        "resourceType": "Questionnaire",
        "id": fid,
        "status": "active",
        "title": title,
        "item": [
            {"linkId": link, "text": text, "type": "choice", "code": [{"system": system, "code": code}]}
            for link, text, code in questions
        ],
    }


def test_a_response_to_a_questionnaire_it_carries_inside_is_read_by_that_questionnaires_codes_and_words(
    store, tmp_path
):
    """Epic sends PRAPARE with its own numeric linkIds, the LOINC codes on the contained Questionnaire's items, and
    at times no question text in the response: the answers are the patient's story all the same."""
    questions = [
        ("1473050", "What is your housing situation today?", "71802-3"),
        ("1473060", "Were you unable to get any of the following when it was really needed?", "93031-3"),
        ("1473099", "What is your race?", "32624-9"),
    ]
    contained = _contained_form("q1", "PRAPARE", questions)
    homeless = {"system": LOINC, "code": "LA30190-7", "display": "I do not have housing"}
    response = screening(
        "prapare",
        "#q1",
        [("1473050", "", homeless), ("1473060", "", {"display": "Food"}), ("1473099", "", {"display": "White"})],
    )
    for item in response["item"]:
        del item["text"]
    response["contained"] = [contained]

    load(store, tmp_path, patient("p1"), response)

    notes = {n.code: n.text for n in notes_of(store, ana(store))}
    assert notes == {
        f"{LOINC}|71802-3": "What is your housing situation today? I do not have housing",
        f"{LOINC}|93031-3": "Were you unable to get any of the following when it was really needed? Food",
    }


@pytest.mark.parametrize("loinc", ["urn:oid:2.16.840.1.113883.6.1", "https://loinc.org", "http://loinc.org"])
def test_a_contained_screener_naming_loinc_by_its_oid_is_read_by_its_codes(store, tmp_path, loinc):
    """Epic's contained forms name LOINC by its OID and give opaque linkIds: the safety questions are still known
    by their codes, so a "Fairly often" to being hurt and an illegal drug "Once or twice" stay off the glance, and a
    "No" to feeling safe at home is a need, not an answer that says there is none."""
    questions = [
        ("Q0", "How often does your family make you feel unwelcome?", "95618-5"),  # AHC HRSN: physically hurt
        ("Q1", "Any use in the past year?", "95530-2"),  # PRAPARE: illegal drug or medicine misuse
        ("Q2", "Do you feel at ease where you live now?", "93026-3"),  # PRAPARE: safe where you live (reversed)
    ]
    contained = _contained_form("form", "AHC HRSN Screening", questions, loinc)
    answers = [("Q0", "", {"display": "Fairly often"}), ("Q1", "", {"display": "Once or twice"}),
               ("Q2", "", {"system": LOINC, "code": "LA32-8", "display": "No"})]  # fmt: skip
    response = screening("hrsn", "#form", answers) | {"contained": [contained]}

    for item in response["item"]:
        del item["text"]  # the words are the form's

    load(store, tmp_path, patient("p1"), encounter("e1"), response)

    notes = notes_of(store, ana(store))
    assert len(notes) == 3 and all(n.sensitive for n in notes)


def test_a_screeners_safety_questions_known_by_no_code_are_private_by_their_words(store, tmp_path):
    """A clinic's own form asks the AHC HRSN and PRAPARE safety questions under its own linkIds and no codes: their
    words say what they ask, in English and Spanish, so a "Sometimes" to being threatened is read behind the
    reveal."""
    asked = [
        ("1", "How often does anyone, including family and friends, threaten you with harm?", "Sometimes"),
        ("2", "¿Con qué frecuencia alguien, incluyendo familiares y amigos, le hace daño físico?", "A veces"),
        ("3", "Do you feel physically and emotionally safe where you currently live?", "No"),
        ("4", "Have you been afraid of your partner or ex-partner?", "Yes"),
    ]
    answers = [(link, text, {"display": said}) for link, text, said in asked]
    response = screening("hrsn", "https://clinic.example.org/ahc-hrsn", answers)

    load(store, tmp_path, patient("p1"), encounter("e1"), response)

    notes = notes_of(store, ana(store))
    assert len(notes) == 4 and all(n.sensitive for n in notes)


def test_a_question_about_not_feeling_safe_keeps_its_yes_and_a_code_under_loincs_oid_has_its_words(store, tmp_path):
    """Asked the plain way, "Do you feel safe where you live?" has "no" for its need; asked about not feeling
    safe, "yes" is the need and is kept (behind the reveal). A code-only answer under LOINC's OID has its words."""
    answers = [
        ("1", "In the past year, was there a time you did not feel safe at home?", {"display": "Yes"}),
        ("2", "Do you feel safe where you live?", {"display": "Yes"}),  # no need: left out
        ("3", "Worried food would run out", {"system": "urn:oid:2.16.840.1.113883.6.1", "code": "LA6729-3"}),
    ]
    load(
        store, tmp_path, patient("p1"), encounter("e1"), screening("s1", "https://clinic.example.org/ahc-hrsn", answers)
    )

    notes = {n.text: n.sensitive for n in notes_of(store, ana(store))}
    assert notes == {
        "In the past year, was there a time you did not feel safe at home? Yes": True,
        "Worried food would run out: Sometimes true": False,
    }


def test_only_a_goal_the_patient_expressed_is_a_priority_in_their_words(store, tmp_path):
    """A clinician's target (or a goal whose record names nobody) is a care goal: on the prep card under its own
    heading, with who set it, never among the priorities, on the glance or in the visit's summary."""
    dr = {"resourceType": "Practitioner", "id": "dr1", "name": [{"given": ["Ronald"], "family": "Bone"}]}
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        dr,
        goal("g1", "Walk to my granddaughter's school", expressed_by="Patient/p1"),
        goal("g2", "Hemoglobin A1c total in Blood < 7.0", expressed_by="Practitioner/dr1"),
        goal("g3", "Maybe swim", status="proposed"),
        goal("g4", "Blood pressure under 130/80"),
    )

    items = priorities_of(store, ana(store))
    assert [(p.text, p.scope, p.source) for p in items] == [
        ("Walk to my granddaughter's school", Scope.lasting, Source.patient),
    ]
    visit_id = visits_of(store, ana(store))[0].id
    glance = json.dumps(build_glance(store, visit_id).to_json())
    assert "A1c" not in glance and "130/80" not in glance
    card = build_prep_card(store, visit_id)
    assert [p.text for p in card.priorities] == ["Walk to my granddaughter's school"]
    assert [(g.text, g.set_by) for g in card.care_goals] == [
        ("Hemoglobin A1c total in Blood < 7.0", "Ronald Bone"),
        ("Blood pressure under 130/80", ""),
    ]
    assert "A1c" not in build_summary(store, visit_id)


def test_a_care_goal_completed_or_cancelled_in_the_record_leaves_the_prep_card(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1"), goal("g1", "LDL under 100"), goal("g2", "Weight 80 kg"))
    load(
        store,
        tmp_path,
        goal("g1", "LDL under 100", status="completed"),
        goal("g2", "Weight 80 kg", status="cancelled"),
        goal("g3", "Never seen", status="completed"),
        name="later.json",
    )

    visit_id = visits_of(store, ana(store))[0].id
    assert build_prep_card(store, visit_id).care_goals == ()
    load(store, tmp_path, goal("g1", "LDL under 100"), name="again.json")  # the record made it active again
    assert [g.text for g in build_prep_card(store, visit_id).care_goals] == ["LDL under 100"]


def test_a_clinician_goal_an_earlier_import_made_a_priority_leaves_their_words(store, tmp_path):
    """Before care goals, an import made a clinician's Goal a lasting priority; importing it again moves it."""
    load(store, tmp_path, patient("p1"), encounter("e1"))
    visit_id = visits_of(store, ana(store))[0].id
    with store.writing() as session:
        session.add(
            Priority(
                source_key="Goal/g2",
                patient_id=ana(store),
                visit_id=visit_id,
                text="HbA1c under 7%",
                scope=Scope.lasting,
                source=Source.clinician,
            )
        )
        session.commit()

    load(store, tmp_path, goal("g2", "HbA1c under 7%", expressed_by="Practitioner/dr1"), name="again.json")

    assert build_prep_card(store, visit_id).priorities == ()
    assert [g.text for g in build_prep_card(store, visit_id).care_goals] == ["HbA1c under 7%"]
    [moved] = priorities_of(store, ana(store))
    assert moved.retraction_reason == "a care goal from the health record, not the patient's words"


def test_a_goal_completed_in_the_record_closes_the_priority_and_leaves_the_glance(store, tmp_path):
    mine = "Patient/p1"
    load(store, tmp_path, patient("p1"), encounter("e1"), goal("g1", "Run with my kids", expressed_by=mine))
    load(store, tmp_path, goal("g1", "Run with my kids", status="completed", expressed_by=mine), name="later.json")

    [item] = priorities_of(store, ana(store))
    assert item.state is PriorityState.addressed
    assert build_glance(store, item.visit_id).to_json()["priorities"] == []


def test_a_goal_of_a_patient_without_visits_is_held_by_one_clearly_named_record_visit(store, tmp_path):
    load(store, tmp_path, patient("p1"), goal("g1", "Keep my garden", expressed_by="Patient/p1"))
    load(store, tmp_path, goal("g2", "Sleep through the night", expressed_by="Patient/p1"), name="more.json")

    [visit] = visits_of(store, ana(store))
    assert (visit.reason, visit.status) == ("Imported from the health record", VisitStatus.done)
    glance = build_patient_glance(store, ana(store)).to_json()
    assert [p["text"] for p in glance["priorities"]] == ["Keep my garden", "Sleep through the night"]


def test_eight_yearly_housing_observations_make_one_item_with_the_latest_value_and_its_date(store, tmp_path):
    years = [2019, 2017, 2024, 2020, 2018, 2023, 2021, 2022]  # the record's order is not the order of time
    yearly = [
        observation(f"h{y}", "71802-3", f"Housing in {y}", f"{y}-06-01T10:00:00Z", display="Housing status")
        for y in years
    ]
    load(store, tmp_path, patient("p1"), *yearly)

    [note] = notes_of(store, ana(store))
    assert note.text == "Housing status: Housing in 2024"
    assert note.observed_at.replace(tzinfo=None) == datetime(2024, 6, 1, 10, 0)
    assert note.topic == "home"

    load(store, tmp_path, observation("h2016", "71802-3", "Housing in 2016", "2016-06-01T10:00:00Z"), name="old.json")
    assert [n.text for n in notes_of(store, ana(store))] == ["Housing status: Housing in 2024"]  # older: ignored


def test_a_newer_value_in_a_later_file_updates_the_item_and_keeps_its_earlier_words(store, tmp_path):
    load(
        store,
        tmp_path,
        patient("p1"),
        observation("o1", "67875-5", "Unemployed", "2024-01-01T00:00:00Z", display="Employment status"),
    )
    load(
        store,
        tmp_path,
        observation("o2", "67875-5", "Works part time", "2025-01-01T00:00:00Z", display="Employment status"),
        name="new.json",
    )

    [note] = notes_of(store, ana(store))
    assert (note.text, note.topic) == ("Employment status: Works part time", "work")
    assert note_history(store, note.id) == [("Employment status: Unemployed", "Health record (imported)")]


def test_an_observation_voided_in_the_record_leaves_the_story_and_a_later_value_brings_it_back(store, tmp_path):
    """Charted on the wrong patient, then marked entered-in-error: the item leaves her story (retracted, not
    deleted); a voided older reading takes nothing off, and a later real one brings the item back."""
    living = ("71802-3", "2025-02-01T10:00:00Z")
    charted = observation("o1", living[0], "Lives with her partner Jim and his two kids", living[1])
    load(store, tmp_path, patient("p1"), charted)
    assert [n.text for n in notes_of(store, ana(store)) if n.retracted_at is None]

    voided_older = observation("o0", living[0], "Lives alone", "2024-01-01T10:00:00Z", status="entered-in-error")
    load(store, tmp_path, voided_older, name="older.json")
    assert [n.retracted_at for n in notes_of(store, ana(store))] == [None]

    load(store, tmp_path, charted | {"status": "entered-in-error"}, name="voided.json")
    [note] = notes_of(store, ana(store))
    assert note.retracted_at is not None and note.retraction_reason == "entered in error in the health record"
    assert load(store, tmp_path, charted | {"status": "entered-in-error"}, name="again.json").changes() == []

    later = observation("o2", living[0], "Lives with her sister", "2025-03-01T10:00:00Z")
    load(store, tmp_path, later, name="later.json")
    [note] = notes_of(store, ana(store))
    assert (note.retracted_at, note.text) == (None, "71802-3: Lives with her sister")


def test_observations_outside_social_history_and_sdoh_are_not_used(store, tmp_path):
    vital = observation("bp", "8867-4", "72", "2025-01-01T00:00:00Z", category=[{"coding": [{"code": "vital-signs"}]}])
    sdoh = observation("t", "160695008", "", "2025-01-01T00:00:00Z", category=[SDOH], display="Transport too expensive")
    sdoh.pop("valueCodeableConcept")
    sdoh["valueBoolean"] = True
    report = load(store, tmp_path, patient("p1"), vital, sdoh)

    assert [n.text for n in notes_of(store, ana(store))] == ["Transport too expensive"]
    assert report.unused["Observation (not social history)"] == 1


def test_flags_and_communications_become_context_notes_and_withdrawn_ones_are_retracted(store, tmp_path):
    flag = {
        "resourceType": "Flag",
        "id": "f1",
        "status": "active",
        "code": {"text": "Hard of hearing, left ear"},
        "subject": {"reference": "Patient/p1"},
    }
    message = {
        "resourceType": "Communication",
        "id": "c1",
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "encounter": {"reference": "Encounter/e1"},
        "payload": [{"contentString": "Her daughter drives her; they leave at 11"}],
    }
    load(store, tmp_path, patient("p1"), encounter("e1"), flag, message)

    notes = notes_of(store, ana(store))
    visit_id = visits_of(store, ana(store))[0].id
    assert [(n.kind, n.topic, n.visit_id) for n in notes] == [
        (NoteKind.practical, "hearing", None),
        (NoteKind.social, "family", visit_id),
    ]
    glance = build_glance(store, visit_id).to_json()
    assert glance["patient"]["needs"] == [{"text": "Hard of hearing, left ear", "topic": "hearing"}]
    assert [s["text"] for s in glance["social_context"]] == ["Her daughter drives her; they leave at 11"]

    load(store, tmp_path, flag | {"status": "inactive"}, name="later.json")
    assert notes_of(store, ana(store))[0].retraction_reason == "no longer active in the health record"
    assert build_glance(store, visit_id).to_json()["patient"]["needs"] == []


def test_sensitive_facts_are_marked_and_never_reach_the_glance(store, tmp_path):
    restricted = {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]}
    message = {
        "resourceType": "Communication",
        "id": "c1",
        "status": "completed",
        "meta": restricted,
        "subject": {"reference": "Patient/p1"},
        "payload": [{"contentString": "Has a court date next week"}],
    }
    drinking = observation("o1", "11331-6", "Drinks most nights", "2025-01-01T00:00:00Z", display="Alcohol use")
    screening = what_matters("q1", ["Help me stop drinking", "My knee"], encounter={"reference": "Encounter/e1"})
    load(store, tmp_path, patient("p1"), encounter("e1"), message, drinking, screening, goal("g1", "Stop drinking"))

    visit_id = visits_of(store, ana(store))[0].id
    glance = json.dumps(build_glance(store, visit_id).to_json())
    for secret in ("court", "Drinks", "drinking", "Alcohol"):
        assert secret not in glance
    assert "My knee" in glance
    hidden = {item.text for item in build_prep_card(store, visit_id).sensitive}
    assert hidden == {
        "Has a court date next week",
        "Alcohol use: Drinks most nights",
        "Help me stop drinking",
        "Stop drinking",
    }


def test_a_screening_answer_about_safety_at_home_is_sensitive(store, tmp_path):
    safe = "Do you feel physically and emotionally safe where you currently live?"
    prapare = screening(
        "prapare",
        "http://example.org/Questionnaire/prapare",
        [("/93026-3", safe, {"system": LOINC, "code": "LA32-8", "display": "No"})],
    )
    load(store, tmp_path, patient("p1"), prapare)

    [note] = notes_of(store, ana(store))
    assert note.sensitive
    assert build_patient_glance(store, ana(store)).to_json()["social_context"] == []


def test_a_dated_fact_is_kept_with_the_date_it_was_true(store, tmp_path):
    load(
        store,
        tmp_path,
        patient("p1"),
        observation("o1", "11341-5", "Ferry engineer", "2015-04-24", display="Occupation"),
    )

    [note] = notes_of(store, ana(store))
    assert note.observed_at.replace(tzinfo=UTC) == datetime(2015, 4, 24, tzinfo=UTC)
    assert note.created_at.replace(tzinfo=UTC) == datetime(2015, 4, 24, tzinfo=UTC)  # the story lists newest first


def test_a_screening_score_is_not_the_story_even_when_its_code_is_unknown(store, tmp_path):
    """The display "Total score [AUDIT-C]" loses its bracketed mark on screen ("Total score: 7"); the story lists
    read the whole wording, so a screen's score stays out under any code, and so does an answer that says nothing."""
    audit_c = observation("o1", "local-77", "", "2025-01-01T00:00:00Z", display="Total score [AUDIT-C]")
    audit_c.pop("valueCodeableConcept")
    audit_c["valueInteger"] = 7
    uncoded = observation("o2", "93035-4", "", "2025-01-01T00:00:00Z", display="Transportation")
    uncoded.pop("valueCodeableConcept")
    uncoded["valueCoding"] = {"system": "http://example.org/local"}  # neither code nor display: nothing to say
    report = load(store, tmp_path, patient("p1"), encounter("e1"), audit_c, uncoded)

    visit_id = visits_of(store, ana(store))[0].id
    assert notes_of(store, ana(store)) == []
    assert build_prep_card(store, visit_id).sensitive == ()
    assert report.unused["Observation (a screening score or item, not the patient's story)"] == 1


def test_an_accepted_goal_is_a_lasting_priority_too(store, tmp_path):
    goal_of_hers = goal("g1", "Sleep through the night", status="accepted", expressed_by="Patient/p1")
    load(store, tmp_path, patient("p1"), encounter("e1"), goal_of_hers)

    assert [(p.text, p.scope) for p in priorities_of(store, ana(store))] == [("Sleep through the night", Scope.lasting)]


def test_hostile_answers_arrive_as_plain_words_cut_to_the_apps_limit(store, tmp_path):
    """Right-to-left words and emoji are kept exactly; a direction override, markup and line breaks cannot
    change what the glance shows; an answer longer than the app takes is cut, never refused whole."""
    answers = [
        "أريد أن أفهم دوائي 💊",
        "<b>Sleep</b>\u202e gnol oot\nsince the move 😴",
        "pain " * 1000,
    ]
    load(
        store,
        tmp_path,
        patient("p1"),
        encounter("e1"),
        what_matters("q1", answers, encounter={"reference": "Encounter/e1"}),
    )

    texts = [p.text for p in priorities_of(store, ana(store))]
    assert texts[0] == "أريد أن أفهم دوائي 💊"
    assert texts[1] == "<b>Sleep</b> gnol oot since the move 😴"
    assert len(texts[2]) == MAX_TEXT and texts[2].endswith("…")
