"""Today's words that came before their visit, given to it when it comes.

A portal's "what matters today" often reaches the clinic before the visit it is for: the answers arrive before the
EHR's Encounter file, or before the front desk books the patient at all. The import then files them where it can:
under the patient's other visit nearest the day (noting the Encounter they named, `filed_under`), or, for a patient
with no visit, on one clearly named record visit that holds them. Left there, the real visit would open with
"Nothing recorded yet: ask" and show the patient's words for today as last time's leftovers, and the day's list
would show a visit that never took place. So whichever way visits are made (imported, booked, or read from a
schedule), they take what waited for them:

- the priorities that named a visit's Encounter, unless it was cancelled or missed;
- the record visit's priorities for today, taken by the patient's earliest new visit on the record visit's day or
  after that is still to take place (a finished visit of the past is history; a cancelled one is nobody's agenda).

Words are only ever taken from the record visit or from a visit not begun (no agenda agreed): what a clinician has
worked through with the patient stays where it was. A record visit left holding nothing is removed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func, or_
from sqlmodel import Session, SQLModel, select

from companion.storage.models import CLOSED_STATUSES, NOT_TAKING_PLACE, Priority, Scope, Visit, VisitStatus

RECORD_VISIT_KEY = "companion:record-visit/"  # + the patient's id: the record visit of a patient with no visit
NOT_BEGUN = (VisitStatus.scheduled, VisitStatus.roomed, VisitStatus.prepared)


def record_visit_key(patient_id: int) -> str:
    return f"{RECORD_VISIT_KEY}{patient_id}"


def take_what_waited(session: Session, arrived: Iterable[tuple[Visit, Sequence[str]]]) -> list[Priority]:
    """Give the visits just made or imported (flushed: they have ids), each with the record's keys for it, what
    waited for them; in the order the words were given, after any the visit has. Returns the priorities moved."""
    by_patient: dict[int, list[tuple[Visit, Sequence[str]]]] = defaultdict(list)
    for visit, keys in arrived:
        by_patient[visit.patient_id].append((visit, keys))
    moved: list[Priority] = []
    for patient_id, visits in by_patient.items():
        given = _take_named(session, patient_id, visits) + _take_held(session, patient_id, [v for v, _keys in visits])
        if given:
            _remove_empty_record_visit(session, patient_id)
        moved += given
    return moved


def words_wait_for(session: Session, patient_id: int) -> bool:
    """Whether take_what_waited may find something for this patient's visits: a record visit, or a priority filed
    under a visit not here yet. Asked once per patient by an import of many visits, not for each visit."""
    holder = select(Visit.id).where(Visit.source_key == record_visit_key(patient_id))
    filed = select(Priority.id).where(Priority.patient_id == patient_id, Priority.filed_under.is_not(None))
    return session.exec(holder).first() is not None or session.exec(filed.limit(1)).first() is not None


def _take_named(session: Session, patient_id: int, visits: list[tuple[Visit, Sequence[str]]]) -> list[Priority]:
    """The priorities filed under the Encounter each of these visits is, moved onto it."""
    visit_by_key = {key: visit for visit, keys in visits if visit.status not in NOT_TAKING_PLACE for key in keys}
    if not visit_by_key:
        return []
    where_they_wait = or_(
        Visit.source_key == record_visit_key(patient_id),
        and_(Visit.status.in_(NOT_BEGUN), Visit.agenda_agreed_at.is_(None)),
    )
    named = (
        select(Priority)
        .join(Visit, Priority.visit_id == Visit.id)
        .where(Priority.patient_id == patient_id, Priority.filed_under.in_(list(visit_by_key)), where_they_wait)
    )
    given: dict[int, list[Priority]] = defaultdict(list)
    for row in session.exec(named).all():
        visit = visit_by_key[row.filed_under]
        if row.visit_id != visit.id:
            given[visit.id].append(row)
        row.filed_under = None  # on the visit it named now
        session.add(row)
    visits_by_id = {visit.id: visit for visit, _keys in visits}
    return [row for visit_id, rows in given.items() for row in _give(session, visits_by_id[visit_id], rows)]


def _take_held(session: Session, patient_id: int, visits: list[Visit]) -> list[Priority]:
    """The record visit's priorities for today, moved onto the earliest of these visits on its day or after that is
    still to take place."""
    holder = session.exec(select(Visit).where(Visit.source_key == record_visit_key(patient_id))).first()
    if holder is None:
        return []
    coming = sorted(
        (
            visit
            for visit in visits
            if visit.id != holder.id
            and visit.status not in CLOSED_STATUSES
            and visit.scheduled_at.date() >= holder.scheduled_at.date()
        ),
        key=lambda visit: (visit.scheduled_at, visit.id),
    )
    if not coming:
        return []
    held = select(Priority).where(Priority.visit_id == holder.id, Priority.scope == Scope.today)
    return _give(session, coming[0], list(session.exec(held).all()))


def _remove_empty_record_visit(session: Session, patient_id: int) -> None:
    holder = session.exec(select(Visit).where(Visit.source_key == record_visit_key(patient_id))).first()
    if holder is not None and _holds_nothing(session, holder.id):
        session.delete(holder)
        session.flush()


def _give(session: Session, visit: Visit, rows: list[Priority]) -> list[Priority]:
    if not rows:
        return []
    highest = session.exec(select(func.max(Priority.rank)).where(Priority.visit_id == visit.id)).one()
    first = 0 if highest is None else highest + 1
    for rank, row in enumerate(sorted(rows, key=lambda row: (row.rank, row.id)), start=first):
        row.visit_id, row.rank = visit.id, rank
        session.add(row)
    session.flush()
    return rows


def _holds_nothing(session: Session, visit_id: int) -> bool:
    """No row of any table refers to the visit (its priorities, notes, drafts, ritual runs, next steps...)."""
    references = [
        key.parent
        for table in SQLModel.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name == Visit.__tablename__
    ]
    return all(session.exec(select(column).where(column == visit_id).limit(1)).first() is None for column in references)
