"""Every file under ../shared/fhir (Synthea patients, US Core and SDOH examples, odd edge cases) imported, and
what a clinician would see for several of them. The files are read where they are, never copied here.
Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from companion.fhir.importer import import_paths
from companion.read.briefing import build_patient_glance, build_prep_card
from companion.read.overview import list_patients
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
    assert [(p["text"], p["scope"], p["source"]) for p in glance["priorities"]] == [
        ("Patient is targeting a pulse oximetry of 92% and a weight of 195 lbs", "lasting", "clinician"),
        ("In paid employment", "lasting", "patient"),
    ]
    story = [n.text for n in notes_of(store, amy.id) if n.kind == "social" and not n.sensitive]
    assert any(text.startswith("Housing status: I do not have housing (staying with others") for text in story)


def test_amys_sensitive_answers_are_kept_off_the_glance_and_behind_the_reveal(store, imported):
    amy = patient_by_key(store, "Patient/example")
    private = {n.text: n.private_category for n in notes_of(store, amy.id) if n.sensitive}
    assert len(private) == 4
    jail = next(text for text in private if text.startswith("Have you spent more than 2 nights in a row in a jail"))
    assert private[jail] == "legal_immigration"
    assert private["Do you feel physically and emotionally safe where you currently live: No"] == "abuse_violence"
    # Income is not a sensitivity category of HL7's (a clinic may add one): the answer is not private by default.
    assert not any(text.startswith("What was your best estimate of the total income") for text in private)
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
    assert [s["text"] for s in glance["social_context"]] == [
        "(I/We) worried whether (my/our) food would run out before (I/we) got money to buy more: Often true",
        "Within the past 12 months the food we bought just didn't last and we didn't have money to get more: "
        "Sometimes true",
        "Food insecurity risk: At risk",
    ]
    hunger = next(n for n in notes_of(store, colin.id) if n.code == f"{LOINC}|88122-7")
    assert hunger.observed_at.replace(tzinfo=UTC).date().isoformat() == "2020-09-10"  # the Observation, not the QR


def test_the_pronouns_example_with_unknown_pronouns_shows_none(store):
    import_paths(store, [REAL_DATA / "edge-cases" / "us-core-8.0.0-ballot-patient-example-pronouns.json"])

    amy = patient_by_key(store, "Patient/example")
    assert (amy.pronouns, amy.preferred_language, amy.interpreter_needed) == ("", "Spanish", True)
    assert build_patient_glance(store, amy.id).to_json()["patient"]["text"] == "Amy · Spanish, interpreter"
