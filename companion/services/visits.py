"""The day's visits and their status, from scheduled to done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Row, bindparam
from sqlmodel import select

from companion.errors import CompanionError, NotFound
from companion.read.models import Changed, PatientView, VisitRow
from companion.services.lookup import get_or_fail, get_visit
from companion.services.patients import name_to_use, patient_view
from companion.storage.changes import changed
from companion.storage.models import (
    CLOSED_STATUSES,
    NOT_TAKING_PLACE,
    Clinician,
    Patient,
    Visit,
    VisitMode,
    VisitStatus,
)
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import parse_choice

# A visit as the screens read it: every column of the visit, what the screens show of its patient, and its
# clinician's name. The tables' own columns, not ORM rows or attributes: the session runs it without the ORM's
# work, and every glance switch starts here (benchmarks/: switch p95 under 8 ms).
_visit, _patient, _clinician = Visit.__table__.c, Patient.__table__.c, Clinician.__table__.c
_VISITS = select(
    *_visit,
    _patient.recorded_name,
    _patient.preferred_name,
    _patient.pronouns,
    _patient.preferred_language,
    _patient.interpreter_needed,
    _clinician.name.label("clinician_name"),
).select_from(
    # An outer join: an unassigned visit (no clinician yet) is listed too.
    Visit.__table__.join(Patient.__table__, _visit.patient_id == _patient.id).outerjoin(
        Clinician.__table__, _visit.clinician_id == _clinician.id
    )
)
_ONE_VISIT = _VISITS.where(_visit.id == bindparam("visit_id"))  # built once, the visit bound at each call


def list_visits(store: Store, day: date | None, clinician_id: int | None = None) -> list[VisitRow]:
    """Visits scheduled on a day (every day: None), in time order; only one clinician's when clinician_id is
    given (then unassigned visits are not theirs either)."""
    query = _VISITS.order_by(_visit.scheduled_at, _visit.id)
    if day is not None:
        start = datetime.combine(day, time.min)
        query = query.where(_visit.scheduled_at >= start, _visit.scheduled_at < start + timedelta(days=1))
    if clinician_id is not None:
        query = query.where(_visit.clinician_id == clinician_id)
    with store.session() as session:
        return [_row(record) for record in session.exec(query).all()]


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def visit_record(store: Store, visit_id: int) -> Row:
    """The visit's columns with its patient's and its clinician's name, as one row. The glance, the visit
    row, the patient and the conversation are all read from it: one query for them all."""
    with store.session() as session:
        found = session.exec(_ONE_VISIT, params={"visit_id": visit_id}).first()
        if found is None:
            raise NotFound(f"no visit with id {visit_id}")
        return found


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def visit_row(store: Store, visit_id: int) -> VisitRow:
    return _row(visit_record(store, visit_id))


def patient_of_visit(store: Store, visit_id: int) -> PatientView:
    """The visit's patient, from the visit's record (no query of its own)."""
    record = visit_record(store, visit_id)
    return patient_view(record.patient_id, record)


def set_status(store: Store, visit_id: int, status: str) -> Changed:
    """Move a visit to a new status (any order: a visit may be re-roomed or reopened)."""
    new_status = parse_choice(VisitStatus, status, "visit status")
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        visit.status = new_status
        session.add(visit)
        session.commit()
        return changed(session)


def status_words(status: VisitStatus) -> str:
    return status.value.replace("_", "-")


def taking_place(visit: Visit) -> None:
    """Refuses what only a visit that takes place holds: a cancelled or missed visit did not take place, so nothing
    in it starts, is agreed or finishes, and no words are put on its agenda, where no glance shows them (a patient
    who comes after all is booked a new visit)."""
    if visit.status in NOT_TAKING_PLACE:
        status = status_words(visit.status)
        raise CompanionError(f"visit {visit.id} is {status}; book a new visit if the patient is here")


def mark_roomed(store: Store, visit_id: int) -> Changed[VisitStatus]:
    """The nurse has roomed the patient; the result is the visit's status after. A visit already further along (the
    clinician prepared or in the room) stays where it is, and a closed one (done, cancelled, missed) is refused:
    rooming never reopens a visit that took place or was called off."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status in CLOSED_STATUSES:
            raise CompanionError(
                f"visit {visit_id} is {status_words(visit.status)}; rooming does not reopen it "
                "(book a new visit if the patient is here)"
            )
        if visit.status is VisitStatus.scheduled:
            visit.status = VisitStatus.roomed
            session.add(visit)
            session.commit()
        return changed(session, visit.status)


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


def _row(record) -> VisitRow:
    """A visit record (see _VISITS) as the visit lists show it."""
    return VisitRow(
        id=record.id,
        scheduled_at=record.scheduled_at,
        patient_id=record.patient_id,
        patient_name=name_to_use(record),
        clinician_id=record.clinician_id,
        clinician_name=record.clinician_name or "",
        reason=record.reason,
        status=record.status.value,
        reason_private=record.reason_private,
        video=record.mode is VisitMode.video,
    )


def current_visit_id(store: Store, patient_id: int, today: date | None = None) -> int | None:
    """Today's visit still to happen (the first), else the one done today, else the next one booked, else today's
    cancelled or missed one, else the latest one scheduled; None when there is none. A visit cancelled today is not
    the one to open when another is booked."""
    start = datetime.combine(today or date.today(), time.min)
    with store.session() as session:
        get_or_fail(session, Patient, patient_id, "patient")
        todays = session.exec(
            select(Visit.id, Visit.status)
            .where(Visit.patient_id == patient_id, Visit.scheduled_at >= start)
            .where(Visit.scheduled_at < start + timedelta(days=1))
            .order_by(Visit.scheduled_at, Visit.id)
        ).all()
        if still := next((visit_id for visit_id, status in todays if status not in CLOSED_STATUSES), None):
            return still
        if done := [visit_id for visit_id, status in todays if status == VisitStatus.done]:
            return done[-1]
        coming = select(Visit.id).where(
            Visit.patient_id == patient_id,
            Visit.scheduled_at >= start + timedelta(days=1),
            Visit.status.not_in(CLOSED_STATUSES),
        )
        if (booked := session.exec(coming.order_by(Visit.scheduled_at, Visit.id)).first()) is not None:
            return booked
        if todays:
            return todays[-1][0]
        latest = select(Visit.id).where(Visit.patient_id == patient_id)
        return session.exec(latest.order_by(Visit.scheduled_at.desc(), Visit.id.desc())).first()
