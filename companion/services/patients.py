"""The patient as they like to be addressed."""

from __future__ import annotations

from companion.models import Patient
from companion.readmodels import PatientView
from companion.services.lookup import get_or_fail
from companion.store import Store


def patient_view(row: Patient) -> PatientView:
    return PatientView(
        id=row.id,
        preferred_name=row.preferred_name or row.recorded_name,
        pronouns=row.pronouns,
        language=row.preferred_language,
        interpreter_needed=row.interpreter_needed,
    )


def get_patient(store: Store, patient_id: int) -> PatientView:
    with store.session() as session:
        return patient_view(get_or_fail(session, Patient, patient_id, "patient"))
