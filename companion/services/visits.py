"""The day's visits and their status, from scheduled to done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam
from sqlmodel import select

from companion.errors import CompanionError
from companion.models import Clinician, Patient, Visit, VisitStatus
from companion.read_scope import shared_read
from companion.readmodels import Changed, VisitRow
from companion.services.lookup import get_or_fail, get_visit
from companion.store import Store
from companion.text import MAX_SHORT, clean_text, parse_choice


def list_visits(store: Store, day: date, clinician_id: int | None = None) -> list[VisitRow]:
    """Visits scheduled on a day, in time order; only one clinician's when clinician_id is given."""
    start = datetime.combine(day, time.min)
    query = (
        select(Visit, Patient, Clinician)
        .join(Patient, Visit.patient_id == Patient.id)
        .join(Clinician, Visit.clinician_id == Clinician.id)
        .where(Visit.scheduled_at >= start, Visit.scheduled_at < start + timedelta(days=1))
        .order_by(Visit.scheduled_at, Visit.id)
    )
    if clinician_id is not None:
        query = query.where(Visit.clinician_id == clinician_id)
    with store.session() as session:
        return [_row(v, p, c) for v, p, c in session.exec(query).all()]


# One query for the three rows, built once: this opens every glance switch, and the rows stay in the scope's
# session for the panels that read the visit or the patient next (companion.read_scope).
_VISIT_ROW = (
    select(Visit, Patient, Clinician)
    .join(Patient, Visit.patient_id == Patient.id)
    .join(Clinician, Visit.clinician_id == Clinician.id)
    .where(Visit.id == bindparam("visit_id"))
)


@shared_read  # answered once per screen refresh (companion.read_scope)
def visit_row(store: Store, visit_id: int) -> VisitRow:
    with store.session() as session:
        found = session.exec(_VISIT_ROW, params={"visit_id": visit_id}).first()
        if found is None:
            raise CompanionError(f"no visit with id {visit_id}")
        return _row(*found)


def set_status(store: Store, visit_id: int, status: str) -> Changed:
    """Move a visit to a new status (any order: a visit may be re-roomed or reopened)."""
    new_status = parse_choice(VisitStatus, status, "visit status")
    with store.session() as session:
        visit = get_visit(session, visit_id)
        visit.status = new_status
        session.add(visit)
        session.commit()
        return Changed(visit_id=visit_id, patient_id=visit.patient_id, what=("visit",))


def previous_visit_id(store: Store, visit_id: int) -> int | None:
    """The same patient's visit scheduled just before this one, if any."""
    with store.session() as session:
        visit = get_visit(session, visit_id)
        query = (
            select(Visit.id)
            .where(Visit.patient_id == visit.patient_id, Visit.scheduled_at < visit.scheduled_at)
            .order_by(Visit.scheduled_at.desc())
            .limit(1)
        )
        return session.exec(query).first()


def _row(visit: Visit, patient: Patient, clinician: Clinician) -> VisitRow:
    return VisitRow(
        id=visit.id,
        scheduled_at=visit.scheduled_at,
        patient_id=patient.id,
        patient_name=patient.preferred_name or patient.recorded_name,
        clinician_id=clinician.id,
        clinician_name=clinician.name,
        reason=visit.reason,
        status=visit.status.value,
    )


def add_visit(
    store: Store,
    patient_id: int,
    clinician_id: int,
    scheduled_at: datetime,
    reason: str = "",
    status: str = "scheduled",
) -> VisitRow:
    """Book a visit; the time is the clinic's wall-clock time."""
    visit_status = parse_choice(VisitStatus, status, "visit status")
    reason = clean_text(reason, "the reason", MAX_SHORT) if reason.strip() else ""
    with store.session() as session:
        patient = get_or_fail(session, Patient, patient_id, "patient")
        clinician = get_or_fail(session, Clinician, clinician_id, "clinician")
        row = Visit(
            patient_id=patient_id,
            clinician_id=clinician_id,
            scheduled_at=scheduled_at,
            reason=reason,
            status=visit_status,
        )
        session.add(row)
        session.commit()
        return _row(row, patient, clinician)
