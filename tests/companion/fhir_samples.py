"""Small FHIR R4 resources written by hand for the import tests, one rule at a time, and helpers to put them in
files and to read back what a clinician would see."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from companion.fhir.importer import ImportReport, import_paths
from companion.storage.models import ContextNote, Patient, Priority, Visit
from companion.storage.store import Store

REAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "fhir"  # ../shared/fhir from the repo root
LOINC = "http://loinc.org"
SOCIAL = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "social-history"}]
}
SDOH = {"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-category", "code": "sdoh"}]}
PRONOUNS = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
INTERPRETER = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed"


@pytest.fixture
def clinic_clock(monkeypatch: pytest.MonkeyPatch):
    """The clinic's clock for the test: UTC, unless a test moves it (set TZ, then call time.tzset())."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def patient(pid: str = "p1", given: str = "Ana", family: str = "Lima", **extra) -> dict:
    return {
        "resourceType": "Patient",
        "id": pid,
        "name": [{"use": "official", "given": [given], "family": family}],
    } | extra


def encounter(eid: str = "e1", pid: str = "p1", start: str = "2025-03-14T09:00:00+00:00", **extra) -> dict:
    return {
        "resourceType": "Encounter",
        "id": eid,
        "status": "planned",
        "class": {"code": "AMB"},
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": start},
    } | extra


def observation(oid: str, code: str, value: str, when: str, pid: str = "p1", display: str = "", **extra) -> dict:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "category": [SOCIAL],
        "code": {"coding": [{"system": LOINC, "code": code, "display": display or code}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"text": value},
    } | extra


def appointment(aid: str = "a1", pid: str = "p1", status: str = "booked", **extra) -> dict:
    """An Appointment whose patient has accepted; `participant` in extra replaces that one."""
    return {
        "resourceType": "Appointment",
        "id": aid,
        "status": status,
        "start": "2025-03-14T09:00:00Z",
        "participant": [{"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"}],
    } | extra


def goal(gid: str, text: str, pid: str = "p1", expressed_by: str | None = None, status: str = "active") -> dict:
    resource = {
        "resourceType": "Goal",
        "id": gid,
        "lifecycleStatus": status,
        "description": {"text": text},
        "subject": {"reference": f"Patient/{pid}"},
    }
    return resource | ({"expressedBy": {"reference": expressed_by}} if expressed_by else {})


def what_matters(
    qid: str, answers: list[str], pid: str = "p1", authored: str = "2025-03-13T18:00:00+00:00", **extra
) -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": qid,
        "status": "completed",
        "subject": {"reference": f"Patient/{pid}"},
        "authored": authored,
        "item": [
            {"linkId": "1", "text": "What matters most to you today?", "answer": [{"valueString": a} for a in answers]}
        ],
    } | extra


def screening(qid: str, questionnaire: str, answers: list[tuple[str, str, dict]], pid: str = "p1") -> dict:
    """A screening questionnaire answered with codes: (linkId, question, valueCoding) for each answer."""
    return {
        "resourceType": "QuestionnaireResponse",
        "id": qid,
        "questionnaire": questionnaire,
        "status": "completed",
        "subject": {"reference": f"Patient/{pid}"},
        "authored": "2025-01-01T10:00:00Z",
        "item": [{"linkId": link, "text": text, "answer": [{"valueCoding": coding}]} for link, text, coding in answers],
    }


def bundle(*resources: dict, kind: str = "collection") -> dict:
    return {"resourceType": "Bundle", "type": kind, "entry": [{"resource": r} for r in resources]}


def write(folder: Path, name: str, data: dict | list | str) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def load(store: Store, folder: Path, *resources: dict, name: str = "bundle.json") -> ImportReport:
    """Import the resources as one Bundle file."""
    return import_paths(store, [write(folder, name, bundle(*resources))]).result


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to prove an import changed nothing at all."""
    with store.engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(sa_select(table).order_by(*table.primary_key))]
            for table in SQLModel.metadata.sorted_tables
        }


def patient_by_key(store: Store, key: str) -> Patient:
    with store.session() as session:
        return session.exec(select(Patient).where(Patient.source_key == key)).one()


def visits_of(store: Store, patient_id: int) -> list[Visit]:
    with store.session() as session:
        return list(session.exec(select(Visit).where(Visit.patient_id == patient_id).order_by(Visit.scheduled_at)))


def notes_of(store: Store, patient_id: int) -> list[ContextNote]:
    with store.session() as session:
        query = select(ContextNote).where(ContextNote.patient_id == patient_id).order_by(ContextNote.id)
        return list(session.exec(query))


def priorities_of(store: Store, patient_id: int) -> list[Priority]:
    with store.session() as session:
        query = select(Priority).where(Priority.patient_id == patient_id).order_by(Priority.rank, Priority.id)
        return list(session.exec(query))
