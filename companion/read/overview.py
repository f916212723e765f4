"""Patients as a list (`companion patients`), for records that arrive by import rather than by booking a visit in
the app; `show --patient` prints companion.read.briefing.build_patient_glance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from companion.services.patients import name_to_use
from companion.services.visits import current_visit_id
from companion.storage.models import Patient, Visit
from companion.storage.store import Store


@dataclass(frozen=True)
class PatientRow:
    id: int
    preferred_name: str
    recorded_name: str
    pronouns: str
    language: str
    interpreter_needed: bool
    visits: int
    current_visit_id: int | None


def list_patients(store: Store) -> list[PatientRow]:
    """Every patient with how many visits they have and the visit `show --patient` opens."""
    with store.session() as session:
        patients = session.exec(select(Patient).order_by(Patient.id)).all()
        counts = dict(session.exec(select(Visit.patient_id, func.count(Visit.id)).group_by(Visit.patient_id)).all())
    return [
        PatientRow(
            id=row.id,
            preferred_name=name_to_use(row),
            recorded_name=row.recorded_name,
            pronouns=row.pronouns,
            language=row.preferred_language,
            interpreter_needed=row.interpreter_needed,
            visits=counts.get(row.id, 0),
            current_visit_id=current_visit_id(store, row.id) if counts.get(row.id) else None,
        )
        for row in patients
    ]
