"""The patient as they like to be addressed."""

from __future__ import annotations

from companion.read.models import Changed, PatientView
from companion.services.lookup import get_or_fail
from companion.storage.changes import changed
from companion.storage.models import Patient
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text


def name_to_use(row) -> str:
    """The name they like to be called, else the name as recorded (a Patient row, or a row of its columns)."""
    return row.preferred_name or row.recorded_name


def patient_view(patient_id: int, row) -> PatientView:
    """From a Patient row, or from any row with the patient's columns (a visit record holds the patient's id
    as `patient_id`, its own as `id`: the id is always given apart)."""
    return PatientView(
        id=patient_id,
        preferred_name=name_to_use(row),
        pronouns=row.pronouns,
        language=row.preferred_language,
        interpreter_needed=row.interpreter_needed,
    )


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def get_patient(store: Store, patient_id: int) -> PatientView:
    with store.session() as session:
        return patient_view(patient_id, get_or_fail(session, Patient, patient_id, "patient"))


def add_patient(
    store: Store,
    recorded_name: str,
    *,
    preferred_name: str = "",
    pronouns: str = "",
    language: str = "",
    interpreter_needed: bool = False,
) -> Changed[PatientView]:
    """Register a patient with the name as recorded and the name they like to be called."""
    row = Patient(
        recorded_name=clean_text(recorded_name, "the recorded name", MAX_SHORT),
        preferred_name=clean_text(preferred_name, "the preferred name", MAX_SHORT) if preferred_name else "",
        pronouns=clean_text(pronouns, "the pronouns", MAX_SHORT) if pronouns else "",
        preferred_language=clean_text(language, "the language", MAX_SHORT) if language else "",
        interpreter_needed=interpreter_needed,
    )
    with store.writing() as session:
        session.add(row)
        session.commit()
        return changed(session, patient_view(row.id, row))
