"""Only what matters to the person: which imported answers become their story (resources/content/story_codes.toml),
numbers as a person says them, and a long text shortened at a word on the glance and whole on the prep card.
Hand-written records, one rule at a time; service level, on SQLite and PostgreSQL (the pure rules once)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from companion.errors import CompanionError
from companion.fhir.values import number, words
from companion.read.briefing import build_glance, build_patient_glance, build_prep_card
from companion.storage.store import open_store
from companion.text import shorten_at_word, shorten_keeping_answer
from tests.companion.fhir_samples import (
    LOINC,
    SDOH,
    clinic_clock,  # noqa: F401  (fixture)
    encounter,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    screening,
    visits_of,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
PRAPARE = "http://hl7.org/fhir/us/core/Questionnaire/prapare-example"
HOMELESS = (
    "I do not have housing (staying with others, in a hotel, in a shelter, living outside on the street, in a car)"
)


def ana(store) -> int:
    return patient_by_key(store, "Patient/p1").id


def story_of(store) -> dict[str, str]:
    """What the patient's story holds now: each item's words by its question's code."""
    return {n.code.rpartition("|")[2]: n.text for n in notes_of(store, ana(store)) if n.retracted_at is None}


def coded_answer(code: str, display: str = "") -> dict:
    return {"system": LOINC, "code": code} | ({"display": display} if display else {})


def with_value(resource: dict, **value) -> dict:
    """An observation with another value[x]."""
    resource.pop("valueCodeableConcept")
    return resource | value


# The rules themselves ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (2.0000000000000004, "2"),
        (Decimal("2.0"), "2"),
        (7.5, "7.5"),
        (Decimal("7.50"), "7.5"),
        (0.30000000000000004, "0.3"),
        (1234.5678, "1234.57"),
        (0.004, "0.004"),
        (25000, "25000"),
    ],
)
def test_a_number_reads_as_a_person_says_it(value, said):
    assert number(value) == said


@pytest.mark.parametrize(
    ("display", "said"),
    [
        ("Farm worker (occupation)", "Farm worker"),
        ("Alcohol (substance)", "Alcohol"),
        ("Hearing aid (physical object)", "Hearing aid"),
        ("Catholic (religion/philosophy)", "Catholic"),
        ("Never smoked tobacco (finding)", "Never smoked tobacco"),
        ("Lives with (partner) and kids", "Lives with (partner) and kids"),  # words in brackets are the record's
    ],
)
def test_a_snomed_display_reads_without_its_classification_mark(display, said):
    assert words(display) == said


def test_a_long_text_is_shortened_after_a_whole_word():
    text = "Housing status: " + HOMELESS
    short = shorten_at_word(text, 80)
    assert short == "Housing status: I do not have housing…"  # an unfinished bracket goes whole
    assert shorten_at_word("Walks the dog every morning before work", 20) == "Walks the dog every…"
    assert shorten_at_word("Short enough", 80) == "Short enough"


def test_a_long_question_is_shortened_and_its_answer_kept_whole():
    fact = "Within the past 12 months the food we bought just didn't last and we didn't have money: Often true"
    assert shorten_keeping_answer(fact, 60) == "Within the past 12 months the food we bought…: Often true"
    assert shorten_keeping_answer("How stressed have you been with the move this year? Very", 30) == (
        "How stressed have you…? Very"
    )
    several = "History of Occupation: Certified Nursing Assistant (CNA); History of Occupation Industry: Home nursing"
    assert shorten_keeping_answer(several, 80) == "History of Occupation: Certified Nursing Assistant (CNA)…"


# Which answers are the story -----------------------------------------------------------------------------------


def test_administrative_and_screening_answers_are_left_out_and_said_so(store, tmp_path):
    prapare = screening(
        "qr",
        PRAPARE,
        [
            ("/93041-2/76437-3", "Primary insurance", coded_answer("LA17849-3", "Medicaid")),
            ("/93043-8/93034-7", "Discharged from the U.S. Armed Forces", coded_answer("LA32-8", "No")),
            ("/93041-2/67875-5", "Employment status current", coded_answer("LA17956-6", "Unemployed")),
            ("/93040-4/93038-8", "How stressed are you?", coded_answer("LA13909-9", "Somewhat")),
        ],
    )
    phq = observation("phq", "44261-6", "", "2025-01-01T00:00:00Z", display="PHQ-9 total score")
    pregnancy = observation("preg", "82810-3", "Not pregnant", "2025-01-01T00:00:00Z", display="Pregnancy status")
    report = load(store, tmp_path, patient("p1"), prapare, with_value(phq, valueInteger=12), pregnancy)

    assert story_of(store) == {"67875-5": "Employment status current: Unemployed"}
    assert report.unused["QuestionnaireResponse (administrative, not the patient's story)"] == 2
    assert report.unused["QuestionnaireResponse (a screening score or item, not the patient's story)"] == 1
    assert report.unused["Observation (a screening score or item, not the patient's story)"] == 2


def test_questions_the_lists_do_not_know_are_judged_by_their_words(store, tmp_path):
    """A clinic's own codes: an insurance or hospital-stay question stays out, a caregiving one is family, and a
    hospital count written by a computer reads as a person says it."""
    local = "http://clinic.example.org/codes"

    def local_obs(oid: str, text: str, **value) -> dict:
        made = observation(oid, oid, "", "2025-01-01T00:00:00Z", category=[SDOH], display=text)
        return with_value(made, **value) | {"code": {"coding": [{"system": local, "code": oid}], "text": text}}

    report = load(
        store,
        tmp_path,
        patient("p1"),
        local_obs("ins", "Insurance plan type", valueString="Medicaid managed care"),
        local_obs("er", "Times hospitalized in the past year", valueQuantity={"value": 2.0000000000000004}),
        local_obs("care", "Hours a week caring for her mother", valueQuantity={"value": 12.5, "unit": "h"}),
        local_obs("home", "People in the household", valueQuantity={"value": 2.0000000000000004, "unit": "{#}"}),
    )

    assert report.unused["Observation (administrative, not the patient's story)"] == 2
    notes = {n.code.rpartition("|")[2]: n for n in notes_of(store, ana(store))}
    assert set(notes) == {"care", "home"}
    assert (notes["care"].text, notes["care"].topic) == ("Hours a week caring for her mother: 12.5 hours", "family")
    assert notes["home"].text == "People in the household: 2"


def test_values_of_every_shape_read_as_words_and_a_bare_yes_is_left_out(store, tmp_path):
    """An EHR's export: units in UCUM, a date with its offset, a period, a range, a ratio; and a coded "yes" whose
    code has no words, which would read "yes" alone on the glance."""
    local = "http://clinic.example.org/codes"

    def local_obs(oid: str, text: str, **value) -> dict:
        made = observation(oid, oid, "", "2025-01-01T00:00:00Z", category=[SDOH], display=text)
        return with_value(made, **value) | {"code": {"coding": [{"system": local, "code": oid}], "text": text}}

    quit_day = "2015-07-04T00:00:00-05:00"
    report = load(
        store,
        tmp_path,
        patient("p1"),
        local_obs("walk", "Exercise days per week", valueQuantity={"value": 3, "unit": "d/wk"}),
        local_obs("packs", "Tobacco pack years", valueQuantity={"value": 22.5, "unit": "[pk_y]"}),
        local_obs("quit", "Tobacco quit date", valueDateTime=quit_day),
        local_obs("sleep", "Sleep", valueRange={"low": {"value": 5, "unit": "h"}, "high": {"value": 6, "unit": "h"}}),
        local_obs(
            "cups",
            "Coffee",
            valueRatio={"numerator": {"value": 3, "unit": "{cups}"}, "denominator": {"value": 1, "unit": "d"}},
        ),
        local_obs("job", "Night shifts", valuePeriod={"start": "2019-05-01"}),
        local_obs("army", "Served in the army", valuePeriod={"start": "1998", "end": "2004"}),  # years alone
        local_obs("drinks", "Drinks on a night out", valueRange={"low": {"value": 2, "unit": "{drinks}"}}),
        local_obs("naps", "Naps", valueRatio={"numerator": {"value": 3}, "denominator": {"value": 1}}),
        local_obs("grief", "Widowed since", valueDateTime="2019"),
        with_value(observation("z", "Z63.0", "", "2025-01-01T00:00:00Z", category=[SDOH]), valueBoolean=True)
        | {"code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Z63.0"}]}},
    )

    texts = {n.code.rpartition("|")[2]: n.text for n in notes_of(store, ana(store))}
    assert texts == {
        "walk": "Exercise days per week: 3 days a week",
        "packs": "Tobacco pack years: 22.5 pack-years",
        "quit": "Tobacco quit date: 2015-07-04",
        "sleep": "Sleep: 5 to 6 hours",
        "cups": "Coffee: 3 cups a day",
        "job": "Night shifts: since 2019-05-01",
        "army": "Served in the army: 1998 to 2004",
        "drinks": "Drinks on a night out: at least 2 drinks",
        "naps": "Naps: 3",
        "grief": "Widowed since: 2019",
    }
    assert not any(text == "yes" for text in texts.values()) and not report.skipped


def test_a_domain_category_gives_the_topic_of_an_unknown_code(store, tmp_path):
    food = {
        "coding": [
            {
                "system": "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes",
                "code": "food-insecurity",
            }
        ]
    }
    made = observation("f", "local-9", "Skips meals at the end of the month", "2025-01-01T00:00:00Z", display="Meals")
    load(store, tmp_path, patient("p1"), made | {"category": [food]})

    [note] = notes_of(store, ana(store))
    assert (note.text, note.topic) == ("Meals: Skips meals at the end of the month", "needs")


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ({"code": "LA28398-8"}, False),  # Never true, by its code alone
        ({"code": "LA28398-8", "display": "Nunca"}, True),  # words the lists do not know: shown, never dropped
        ({"display": "never true"}, False),
        ({"display": "I choose not to answer this question"}, False),
        ({"code": "LA28397-0", "display": "Often true"}, True),
    ],
)
def test_an_answer_that_says_there_is_no_need_is_left_out(store, tmp_path, answer, kept):
    hunger = screening(
        "hvs",
        "http://hl7.org/fhir/us/core/Questionnaire/hunger-vital-sign-example",
        [("/88122-7", "We worried whether our food would run out", {"system": LOINC} | answer)],
    )
    load(store, tmp_path, patient("p1"), hunger)

    assert ("88122-7" in story_of(store)) is kept


def test_feeling_unsafe_at_home_is_kept_private_and_feeling_safe_is_not_kept(store, tmp_path):
    """Asked the other way round: "No" is the need (a safety item, read first behind the reveal), "Yes" tells
    nothing at the door."""
    safe = "Do you feel physically and emotionally safe where you currently live?"

    def asked(qid: str, pid: str, code: str, display: str) -> dict:
        return screening(qid, PRAPARE, [("/93026-3", safe, coded_answer(code, display))], pid=pid)

    load(
        store,
        tmp_path,
        patient("p1"),
        patient("p2", given="Bo"),
        encounter("e1"),
        asked("q1", "p1", "LA32-8", "No"),
        asked("q2", "p2", "LA33-6", "Yes"),
    )

    [unsafe] = notes_of(store, ana(store))
    assert unsafe.sensitive and unsafe.private_category == "abuse_violence"
    assert build_prep_card(store, visits_of(store, ana(store))[0].id).sensitive[0].text == unsafe.text
    assert notes_of(store, patient_by_key(store, "Patient/p2").id) == []


def test_a_need_ruled_out_by_a_clinician_is_left_out(store, tmp_path):
    ruled_out = {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "NEG"}]
    }
    made = observation("o1", "71802-3", "Staying with her sister", "2025-01-01T00:00:00Z", display="Housing status")
    load(store, tmp_path, patient("p1"), made | {"interpretation": [ruled_out]})

    assert story_of(store) == {}


def test_the_newest_answer_decides_a_need_that_passed_leaves_the_story_and_may_come_back(store, tmp_path):
    def housing(oid: str, display: str, code: str, when: str) -> dict:
        made = observation(oid, "71802-3", display, when, display="Housing status")
        return made | {"valueCodeableConcept": {"coding": [coded_answer(code, display)]}}

    load(store, tmp_path, patient("p1"), encounter("e1"), housing("h1", "Homeless", "LA30190-5", "2024-01-01"))
    visit_id = visits_of(store, ana(store))[0].id
    assert [s["text"] for s in build_glance(store, visit_id).to_json()["social_context"]] == [
        "Housing status: Homeless"
    ]

    load(store, tmp_path, housing("h2", "I have housing", "LA30189-7", "2025-01-01"), name="housed.json")
    assert build_glance(store, visit_id).to_json()["social_context"] == []
    load(store, tmp_path, housing("h0", "In a shelter", "LA30190-5", "2023-01-01"), name="older.json")
    assert build_glance(store, visit_id).to_json()["social_context"] == []  # an older answer changes nothing

    load(store, tmp_path, housing("h3", "In a car", "LA30190-5", "2025-06-01"), name="again.json")
    assert [s["text"] for s in build_glance(store, visit_id).to_json()["social_context"]] == [
        "Housing status: In a car"
    ]


def test_a_long_answer_is_shortened_on_the_glance_and_whole_on_the_prep_card(store, tmp_path):
    long_answer = (
        "Music helps: I would like Bach near me, especially the cantatas, and my granddaughter reading to me "
        "in the afternoons when she comes by after school"
    )
    made = observation("o1", "95541-9", "", "2025-01-01T00:00:00Z", display="Care experience preference")
    load(store, tmp_path, patient("p1"), encounter("e1"), with_value(made, valueString=long_answer))

    visit_id = visits_of(store, ana(store))[0].id
    [item] = build_glance(store, visit_id).story
    whole = f"Care experience preference: {long_answer}"
    assert item.text.endswith("…") and len(item.text) <= 80
    shown = item.text.removesuffix("…")
    assert whole.startswith(shown) and whole[len(shown)] in " ,"  # it stops after a whole word
    assert build_prep_card(store, visit_id).story[0].text == whole
    assert long_answer in [n.text.partition(": ")[2] for n in notes_of(store, ana(store))]  # stored whole


# A clinic's own lists ------------------------------------------------------------------------------------------


@pytest.fixture
def clinic_lists(companion_home, db_path):
    """A store opened after the clinic wrote its story_codes.toml (content is read when the store opens)."""
    opened = []

    def open_with(text: str):
        (companion_home / "content").mkdir(parents=True, exist_ok=True)
        (companion_home / "content" / "story_codes.toml").write_text(text, encoding="utf-8")
        opened.append(open_store(db_path))
        return opened[-1]

    yield open_with
    for store in opened:
        store.engine.dispose()


def test_a_clinic_adds_to_the_lists_and_takes_a_shipped_entry_out(store, clinic_lists, tmp_path):
    clinic = clinic_lists(
        """
[leave_out.administrative]
codes = ["11341-5"]
remove = ["93034-7"]

[topics.work]
codes = ["93034-7"]
"""
    )
    prapare = screening(
        "qr",
        PRAPARE,
        [
            ("/93043-8/93034-7", "Discharged from the U.S. Armed Forces", coded_answer("LA33-6", "Yes")),
            ("/x/11341-5", "Occupation", {"display": "Ferry engineer"}),
        ],
    )
    load(clinic, tmp_path, patient("p1"), prapare)

    [served] = notes_of(clinic, ana(clinic))
    assert (served.text, served.topic) == ("Discharged from the U.S. Armed Forces", "work")
    assert clinic.content.story_spec["topics"]["home"] == store.content.story_spec["topics"]["home"]


def test_a_clinic_file_naming_an_unknown_topic_is_refused_clearly_when_the_app_starts(clinic_lists):
    with pytest.raises(CompanionError, match="unknown topic \\(hobbies\\)"):
        clinic_lists('[topics.hobbies]\ncodes = ["12345-6"]\n')


@pytest.mark.parametrize(
    "text",
    ['leave_out.x = ["12345-6"]\n', "topics = 3\n", '[negative]\nwords = "No"\nanswers = 7\n'],
    ids=["a list where a table belongs", "a number for the topics", "a number for the answers"],
)
def test_a_clinic_file_of_the_wrong_shape_is_named_when_the_app_starts(clinic_lists, text):
    with pytest.raises(CompanionError, match="story_codes.toml"):
        clinic_lists(text)


def test_a_patient_alone_shows_the_same_shortened_story(store, tmp_path):
    made = observation("o1", "71802-3", HOMELESS, "2025-01-01T00:00:00Z", display="Housing status")
    load(store, tmp_path, patient("p1"), made)

    glance = build_patient_glance(store, ana(store)).to_json()
    assert [s["text"] for s in glance["social_context"]] == ["Housing status: I do not have housing…"]
    assert HOMELESS in json.dumps([n.text for n in notes_of(store, ana(store))])
