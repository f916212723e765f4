"""Every file under ../shared/fhir (Synthea patients, US Core and SDOH examples, odd edge cases) imported, and
what a clinician would see for several of them. The files are read where they are, never copied here.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from companion.fhir.importer import import_paths
from companion.read.briefing import build_patient_glance, build_prep_card
from companion.read.overview import list_patients
from companion.services.retention import PurgeResult, forget_purges, purge, set_retention
from companion.services.visits import current_visit_id
from companion.storage.models import Clinician, ContextNote, Priority
from tests.companion.fhir_samples import (
    LOINC,
    REAL_DATA,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    notes_of,
    patient_by_key,
    visits_of,
)

pytestmark = [
    pytest.mark.usefixtures("clinic_clock"),
    pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"the shared FHIR examples are not at {REAL_DATA}"),
]
MODIFIER_FILE = "edge-cases/fhirresources-Patient-with-ext.json"


@pytest.fixture
def imported(store):
    return import_paths(store, [REAL_DATA]).result


def clinician_names(store, visits) -> set[str]:
    with store.session() as session:
        return {session.get(Clinician, v.clinician_id).name for v in visits}


def test_every_file_imports_and_only_a_resource_with_an_unknown_modifier_is_skipped(store, imported):
    assert imported.files == len(list(REAL_DATA.rglob("*.json"))) == 30
    [skipped] = imported.skipped
    assert skipped.line() == (
        f"{REAL_DATA / MODIFIER_FILE} (Patient (no id)): it carries a modifier extension this app does not "
        "understand (http://example.org/fhir/StructureDefinition/pi)"
    )
    assert len(list_patients(store)) == 6


def test_reimporting_every_file_changes_nothing(store, imported):
    before = dump(store)

    again = import_paths(store, [REAL_DATA]).result

    assert dump(store) == before
    assert again.changes() == []


def test_reimporting_after_a_purge_brings_back_nothing_the_purge_removed(store, imported):
    """A clinic keeps a year of visits and imports the whole record every night: Synthea's patients hold decades
    of Encounters. What the purge removed stays removed, the report says why it was not used, and the next purge
    has nothing to remove."""
    set_retention(store, 365)
    removed = purge(store, 365)
    assert removed.visits > 100  # real data, decades old
    before = dump(store)

    again = import_paths(store, [REAL_DATA]).result

    assert dump(store) == before
    assert again.changes() == []
    assert again.unused["Encounter (older than the clinic keeps visits)"] >= removed.visits
    assert purge(store, 365, rehearse=True) == PurgeResult(0, 0, 0, rehearsed=True)


def test_a_purge_by_hand_stays_done_without_retention_until_an_admin_lets_history_back(store, imported):
    """No retention is set; IT purged the old visits once by hand, and the record comes again every night with its
    decades: what the purge removed stays removed. Letting the history back (`retention --forget-purges`) is a
    choice, and the next import then brings every visit again."""
    removed = purge(store, 365, by_hand=True)
    assert removed.visits > 100
    before = dump(store)

    again = import_paths(store, [REAL_DATA]).result

    assert dump(store) == before and again.changes() == []
    assert again.unused["Encounter (older than the clinic keeps visits)"] >= removed.visits
    assert purge(store, 365, rehearse=True).visits == 0

    forget_purges(store)
    import_paths(store, [REAL_DATA])
    assert purge(store, 365, rehearse=True).visits == removed.visits


def test_without_retention_an_import_keeps_every_visit_of_the_record(store):
    """No retention set: a record's decades are the clinic's to keep."""
    report = import_paths(store, [REAL_DATA]).result

    assert not [what for what in report.unused if "older than the clinic keeps" in what]
    assert purge(store, 365, rehearse=True).visits > 100


def test_amy_us_core_names_language_interpreter_goals_and_screening(store, imported):
    amy = patient_by_key(store, "Patient/example")
    assert (amy.recorded_name, amy.preferred_name) == ("Amy V. Baxter", "Amy")  # "Shaw" is her old name
    assert (amy.preferred_language, amy.interpreter_needed, amy.pronouns) == ("Spanish", True, "")

    [visit] = visits_of(store, amy.id)  # the Da Vinci appointment; the two encounters carry no time
    assert (visit.scheduled_at, visit.reason) == (
        datetime(2013, 12, 10, 9, 0),
        "Discussion on the results of your recent MRI",
    )
    assert clinician_names(store, [visit]) == {"Dr Adam Careful"}
    glance = build_patient_glance(store, amy.id).to_json()
    assert glance["patient"]["text"] == "Amy · Spanish, interpreter"
    # Her own goal is in her words; Dr Bone's target for her is a care goal, on the prep card only.
    assert [(p["text"], p["scope"], p["source"]) for p in glance["priorities"]] == [
        ("In paid employment", "lasting", "patient"),
    ]
    card = build_prep_card(store, visit.id)
    assert [(g.text, g.set_by) for g in card.care_goals] == [
        ("Patient is targeting a pulse oximetry of 92% and a weight of 195 lbs", "Dr Ronald Bone")
    ]
    assert "pulse oximetry" not in json.dumps(glance)
    story = [n.text for n in notes_of(store, amy.id) if n.kind == "social" and not n.sensitive]
    assert any(text.startswith("Housing status: I do not have housing (staying with others") for text in story)


def test_amys_sensitive_answers_are_kept_off_the_glance_and_behind_the_reveal(store, imported):
    """She does not feel safe where she lives: a safety answer, read first behind the reveal. Her "No" to being a
    refugee, to jail and to fearing her partner tell nothing at the door: they are not kept at all."""
    amy = patient_by_key(store, "Patient/example")
    private = {n.text: n.private_category for n in notes_of(store, amy.id) if n.sensitive}
    assert private == {"Do you feel physically and emotionally safe where you currently live? No": "abuse_violence"}
    stored = " ".join(n.text for n in notes_of(store, amy.id))
    for question in ("refugee", "jail", "afraid of your partner", "total income", "insurance", "Armed Forces"):
        assert question not in stored
    sensitive = list(private)

    glance = json.dumps(build_patient_glance(store, amy.id).to_json(), ensure_ascii=False)
    assert not any(text in glance for text in sensitive)
    revealed = {item.text for item in build_prep_card(store, current_visit_id(store, amy.id)).sensitive}
    assert set(sensitive) <= revealed


def test_no_patients_glance_ever_shows_a_sensitive_fact(store, imported):
    with store.session() as session:
        hidden = [n.text for n in session.exec(select(ContextNote).where(ContextNote.sensitive))]
        hidden += [p.text for p in session.exec(select(Priority).where(Priority.sensitive))]
    assert hidden
    for row in list_patients(store):
        glance = json.dumps(build_patient_glance(store, row.id).to_json(), ensure_ascii=False)
        assert not any(text in glance for text in hidden)


def test_synthea_names_with_apostrophes_and_accents_and_their_visits(store, imported):
    bethanie = patient_by_key(store, "Patient/519be2d8-138c-c3d4-293b-afe9743b6865")
    gustavo = patient_by_key(store, "Patient/cdf500b9-7cc4-424d-a86c-a18e6620d6e7")
    assert (bethanie.recorded_name, bethanie.preferred_name) == ("Bethanie176 D'Amore443", "Bethanie176")
    assert (gustavo.recorded_name, gustavo.preferred_language) == ("Gustavo Mejía", "Spanish")

    visits = visits_of(store, bethanie.id)
    assert len(visits) == 59
    # Clinicians from conditional references (Practitioner?identifier=...) by their display names.
    assert clinician_names(store, visits) == {"Dr. Marion502 Gutkowski940", "Dr. Demetrice140 Crooks415"}
    glance = build_patient_glance(store, bethanie.id).to_json()
    assert glance["visit_id"] == visits[-1].id and glance["stage"] == "done"
    assert "HIV" not in json.dumps(glance) and not any("HIV" in v.reason for v in visits)
    # Gustavo's encounters name their practitioner only by urn:uuid: the name is read from the Bundle.
    assert clinician_names(store, visits_of(store, gustavo.id)) == {"Dr. Aubrey Corkery"}


def test_thirty_seven_smoking_status_observations_make_one_item_with_the_latest_value(store, imported):
    lucien = patient_by_key(store, "Patient/85")
    smoking = [n for n in notes_of(store, lucien.id) if n.code == f"{LOINC}|72166-2"]

    [latest] = smoking
    assert latest.text == "Tobacco smoking status: Smokes tobacco daily"
    assert latest.observed_at.replace(tzinfo=UTC) == datetime(1977, 5, 13, 5, 11, 45, tzinfo=UTC)
    assert not any("Sexual orientation" in n.text for n in notes_of(store, lucien.id))  # "unknown": nothing to show
    assert lucien.preferred_language == "English (United States)"


def test_names_without_use_and_a_patient_with_no_visit_shows_alone(store, imported):
    colin = patient_by_key(store, "Patient/pat-53234")
    assert (colin.recorded_name, colin.preferred_name) == ("COLIN V. BAXTER", "COLIN")  # exactly as written

    glance = build_patient_glance(store, colin.id).to_json()
    assert glance["visit_id"] is None and glance["priorities"] == []  # the completed goal adds nothing
    # Two answers he gave; the screen's computed risk is not something he said. Each is shortened in its question,
    # at a word, so the glance reads his answer whole.
    assert [s["text"] for s in glance["social_context"]] == [
        "(I/We) worried whether (my/our) food would run out before (I/we)…: Often true",
        "Within the past 12 months the food we bought just didn't last…: Sometimes true",
    ]
    hunger = next(n for n in notes_of(store, colin.id) if n.code == f"{LOINC}|88122-7")
    assert hunger.observed_at.replace(tzinfo=UTC).date().isoformat() == "2020-09-10"  # the Observation, not the QR


def test_the_pronouns_example_with_unknown_pronouns_shows_none(store):
    import_paths(store, [REAL_DATA / "edge-cases" / "us-core-8.0.0-ballot-patient-example-pronouns.json"])

    amy = patient_by_key(store, "Patient/example")
    assert (amy.pronouns, amy.preferred_language, amy.interpreter_needed) == ("", "Spanish", True)
    assert build_patient_glance(store, amy.id).to_json()["patient"]["text"] == "Amy · Spanish, interpreter"


# What a clinician at the door must never read as the patient's story, on any record: administrative questions,
# screening scores and items, pregnancy, and answers that say there is no need.
NOT_STORY_WORDS = re.compile(
    r"insurance|armed forces|refugee|jail|total income|educ|hospitali|PHQ|little interest|feeling down|"
    r"depressed|pregnan|AUDIT|total score|risk",
    re.IGNORECASE,
)
NO_NEED = re.compile(r"(: |\? )(No|Never|Never true|Not at all|I have housing|I choose not to answer.*)$")


def story_notes(store) -> list[ContextNote]:
    with store.session() as session:
        query = select(ContextNote).where(ContextNote.kind == "social", ContextNote.retracted_at.is_(None))
        return list(session.exec(query))


def test_no_story_item_is_administrative_a_screening_answer_or_a_no(store, imported):
    story = story_notes(store)
    assert len(story) >= 15
    for note in story:
        assert not NOT_STORY_WORDS.search(note.text), note.text
    saying_no = [n for n in story if NO_NEED.search(n.text)]
    # The one "No" kept is the need itself (she does not feel safe at home): private, behind the reveal.
    assert [(n.text, n.sensitive) for n in saying_no] == [
        ("Do you feel physically and emotionally safe where you currently live? No", True)
    ]
    codes = {n.code.rpartition("|")[2] for n in story}
    left_out = {"76437-3", "93034-7", "93027-1", "93028-9", "63586-2", "82589-3", "88124-3", "93038-8"}
    left_out |= {"44250-9", "44255-8", "55758-7", "44261-6", "75626-2", "82810-3", "86645-9"}
    assert not codes & left_out


def test_numbers_in_the_story_read_as_a_person_says_them(store, imported):
    numbers = [number for note in story_notes(store) for number in re.findall(r"\d+(?:\.\d+)?", note.text)]
    assert "6" in numbers  # Amy's household
    assert not [n for n in numbers if re.fullmatch(r"\d+\.\d{3,}", n)]


def test_every_glance_shows_whole_words_and_the_prep_card_the_whole_story(store, imported):
    shortened = 0
    for row in list_patients(store):
        glance = build_patient_glance(store, row.id)
        whole = {n.id: n.text for n in notes_of(store, row.id)}
        for item in glance.story:
            full = whole[item.id]
            words_shown = re.findall(r"\w+", item.text.replace("…", " "))
            assert set(words_shown) <= set(re.findall(r"\w+", full)), (item.text, full)
            assert len(item.text) <= 80
            shortened += item.text != full
        if glance.visit is not None:
            card = build_prep_card(store, glance.visit.id)
            assert [n.text for n in card.story[: len(glance.story)]] == [whole[n.id] for n in glance.story]
    assert shortened >= 2


def test_the_care_experience_in_lucien_s_own_words_is_his_story_whole_on_the_prep_card(store, imported):
    """US Core's care experience preference is what would keep him happy; his PHQ answers and pregnancy questions
    are screening, never his story."""
    lucien = patient_by_key(store, "Patient/85")
    texts = [n.text for n in notes_of(store, lucien.id) if n.retracted_at is None]
    [joy] = [t for t in texts if "Bach" in t]
    assert joy.endswith("St. Martin in the Fields")
    assert not any(re.search(r"Little interest|Pregnan|PHQ", t) for t in texts)
    card = build_prep_card(store, current_visit_id(store, lucien.id))
    assert joy in [n.text for n in card.story]


def test_a_goal_a_practitioner_expressed_is_never_among_the_priorities(store, imported):
    goals = []
    for path in REAL_DATA.rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        resources = [e["resource"] for e in data.get("entry", [])] if data.get("resourceType") == "Bundle" else [data]
        goals += [r for r in resources if r.get("resourceType") == "Goal"]
    not_theirs = [
        g["description"].get("text", "")
        for g in goals
        if not g.get("expressedBy", {}).get("reference", "").startswith("Patient/")
    ]
    assert "Patient is targeting a pulse oximetry of 92% and a weight of 195 lbs" in not_theirs
    with store.session() as session:
        priorities = [p.text for p in session.exec(select(Priority).where(Priority.retracted_at.is_(None)))]
    assert not set(not_theirs) & set(priorities)
