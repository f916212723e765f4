"""Today's words that came before their visit, given to it when it comes.

A portal's "what matters today" often reaches the clinic before the visit it is for: the answers arrive before the
EHR's Encounter file, or before the front desk books the patient at all. The import then files them where it can:
under the patient's other visit nearest the day (noting the Encounter they named, `filed_under`), or, for a patient
with no visit, on one clearly named record visit that holds them. Left there, the real visit would open with
"Nothing recorded yet: ask" and show the patient's words for today as last time's leftovers, and the day's list
would show a visit that never took place. So whichever way a visit is made (imported, booked, or read from a
schedule), it takes the priorities that named it, and the record visit's priorities for that day or before; a
record visit left holding nothing is removed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from companion.storage.models import Priority, Scope, Visit

RECORD_VISIT_KEY = "companion:record-visit/"  # + the patient's id: the record visit of a patient with no visit


def record_visit_key(patient_id: int) -> str:
    return f"{RECORD_VISIT_KEY}{patient_id}"


def take_what_waited(session: Session, visit: Visit, keys: Sequence[str] = ()) -> list[Priority]:
    """Give `visit` (flushed: it has its id) the priorities filed under the record's `keys` for it, and the
    today's priorities the patient's record visit holds from its day or before; in their order, after any the visit
    has. Returns the priorities moved."""
    waiting: list[Priority] = []
    if keys:
        named = select(Priority).where(
            Priority.patient_id == visit.patient_id, Priority.filed_under.in_(list(keys)), Priority.visit_id != visit.id
        )
        waiting += session.exec(named).all()
    holder = _record_visit(session, visit)
    if holder is not None:
        held = select(Priority).where(Priority.visit_id == holder.id, Priority.scope == Scope.today)
        waiting += [row for row in session.exec(held).all() if row not in waiting]
    if waiting:
        highest = session.exec(select(func.max(Priority.rank)).where(Priority.visit_id == visit.id)).one()
        first = 0 if highest is None else highest + 1
        for rank, row in enumerate(sorted(waiting, key=lambda row: (row.rank, row.id)), start=first):
            row.visit_id, row.rank = visit.id, rank
            if row.filed_under in keys:  # it is on the visit it named now
                row.filed_under = None
            session.add(row)
        session.flush()
    if holder is not None and _holds_nothing(session, holder.id):
        session.delete(holder)
        session.flush()
    return waiting


def words_wait_for(session: Session, patient_id: int) -> bool:
    """Whether take_what_waited may find something for this patient's visits: a record visit, or a priority filed
    under a visit not here yet. Asked once per patient by an import of many visits, not twice per visit."""
    holder = select(Visit.id).where(Visit.source_key == record_visit_key(patient_id))
    filed = select(Priority.id).where(Priority.patient_id == patient_id, Priority.filed_under.is_not(None))
    return session.exec(holder).first() is not None or session.exec(filed.limit(1)).first() is not None


def _record_visit(session: Session, visit: Visit) -> Visit | None:
    """The patient's record visit, when `visit` is a real one on its day or after."""
    if visit.source_key == record_visit_key(visit.patient_id):
        return None
    holder = session.exec(select(Visit).where(Visit.source_key == record_visit_key(visit.patient_id))).first()
    if holder is None or holder.scheduled_at.date() > visit.scheduled_at.date():
        return None
    return holder


def _holds_nothing(session: Session, visit_id: int) -> bool:
    """No row of any table refers to the visit (its priorities, notes, drafts, ritual runs, next steps...)."""
    references = [
        key.parent
        for table in SQLModel.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name == Visit.__tablename__
    ]
    return all(session.exec(select(column).where(column == visit_id).limit(1)).first() is None for column in references)
