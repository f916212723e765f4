"""What a write changed, read from the rows it saved, so no service can forget to say it and none can say it
wrong (the audit log is made the same way: companion.storage.audit).

Each flush adds its rows' kinds, visits and patients to the session's tally; when the transaction commits, one
ChangeLog row records the tally in the same transaction (another workstation reads it, or on PostgreSQL is sent
it by the trigger of migration 0006), and `changed(session)` hands it to the service to return. Drafts and audit
entries are not changes anyone sees: they wake nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from companion.read.models import KINDS, Changed
from companion.storage.models import ChangeLog, ContextNote, Patient, Priority, Visit

T = TypeVar("T")

KIND_OF_TABLE = {
    "patient": "patient",
    "clinician": "clinician",
    "visit": "visit",
    "priority": "priority",
    "priorityrevision": "priority",
    "contextnote": "note",
    "noterevision": "note",
    "nursetick": "tick",
    "nextstep": "next_step",
    "focusritual": "ritual",
    "ritualrun": "ritual_run",
    "setting": "setting",
    "caregoal": "care_goal",
    "nextsteprevision": "next_step",
}
UNSEEN = frozenset(
    ("auditevent", "draft", "changelog", "alembic_version", "patientidentifier", "recordversion", "recordsaid")
)  # changes no view shows (an import's record numbers, record versions and what a record said are for later imports)

# Beyond this many ids the tally says "everywhere" instead (an import of thousands of records): a NOTIFY payload
# must stay under 8000 bytes, and every view would read again anyway.
MAX_IDS = 200
KEEP_ENTRIES = 5000  # in the change log; a workstation further behind than this reads everything again


@dataclass
class Tally:
    kinds: set[str] = field(default_factory=set)
    visit_ids: set[int] = field(default_factory=set)
    patient_ids: set[int] = field(default_factory=set)
    everywhere: bool = False

    def add(self, kind: str, visit_id: int | None, patient_id: int | None) -> None:
        self.kinds.add(kind)
        if visit_id is not None:
            self.visit_ids.add(visit_id)
        if patient_id is not None:
            self.patient_ids.add(patient_id)
        self._cap()

    def merge(self, other: Changed) -> None:
        """Add what another transaction changed (a many-file import commits once per file)."""
        self.kinds |= other.kinds
        self.visit_ids |= other.visit_ids
        self.patient_ids |= other.patient_ids
        self.everywhere |= other.everywhere
        self._cap()

    def _cap(self) -> None:
        if self.everywhere or len(self.visit_ids) + len(self.patient_ids) > MAX_IDS:
            self.everywhere = True
            self.visit_ids.clear()
            self.patient_ids.clear()

    def changed(self, result: T | None = None) -> Changed[T]:
        return Changed(
            kinds=frozenset(self.kinds),
            visit_ids=frozenset(self.visit_ids),
            patient_ids=frozenset(self.patient_ids),
            everywhere=self.everywhere,
            result=result,
        )


def changed(session: Session, result: T | None = None) -> Changed[T]:
    """What the session's committed transactions changed, with the service's result."""
    return session.info.get("committed", Tally()).changed(result)


def encode(tally: Tally) -> str:
    entry: dict = {"k": sorted(tally.kinds)}
    if tally.everywhere:
        entry["all"] = True
    else:
        entry["v"], entry["p"] = sorted(tally.visit_ids), sorted(tally.patient_ids)
    return json.dumps(entry, separators=(",", ":"))


def decode(payload: str) -> Changed:
    """A change log entry as the Changed it was; an entry this version cannot read concerns every view."""
    try:
        entry = json.loads(payload)
        return Changed(
            kinds=frozenset(str(k) for k in entry["k"]),
            visit_ids=frozenset(int(v) for v in entry.get("v", ())),
            patient_ids=frozenset(int(p) for p in entry.get("p", ())),
            everywhere=bool(entry.get("all", False)),
        )
    except (ValueError, KeyError, TypeError):
        return Changed(kinds=KINDS, everywhere=True)


def _pending(session: Session) -> Tally:
    return session.info.setdefault("pending", Tally())


def _found(session: Session, model, key) -> object | None:
    """A row the session already holds, else None (no query: this runs inside a flush)."""
    return session.identity_map.get(session.identity_key(model, key)) if key is not None else None


def _visit_and_patient(session: Session, row) -> tuple[int | None, int | None]:
    """Where a row belongs. Rows that only point at a note, priority or visit are placed through it: from the
    session's own rows when it holds them, else by one small query."""
    if isinstance(row, Patient):
        return None, row.id
    if isinstance(row, Visit):
        return row.id, row.patient_id
    visit_id, patient_id = getattr(row, "visit_id", None), getattr(row, "patient_id", None)
    if patient_id is not None:
        return visit_id, patient_id
    for attribute, model in (("note_id", ContextNote), ("priority_id", Priority)):
        key = getattr(row, attribute, None)
        if key is not None:
            parent = _found(session, model, key)
            if parent is not None:
                return parent.visit_id, parent.patient_id
            found = session.connection().execute(select(model.visit_id, model.patient_id).where(model.id == key))
            return tuple(found.first() or (None, None))
    if visit_id is not None:
        visit = _found(session, Visit, visit_id)
        if visit is not None:
            return visit_id, visit.patient_id
        found = session.connection().execute(select(Visit.patient_id).where(Visit.id == visit_id)).scalar()
        return visit_id, found
    return None, None


@event.listens_for(Session, "after_flush")
def _tally_rows(session: Session, _context) -> None:
    tally = None
    for rows, modified_only in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for row in rows:
            table = getattr(row, "__tablename__", "")
            if table in UNSEEN or (modified_only and not session.is_modified(row)):
                continue
            tally = tally or _pending(session)
            tally.add(KIND_OF_TABLE.get(table, table), *_visit_and_patient(session, row))


@event.listens_for(Session, "do_orm_execute")
def _tally_statements(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE by statement (a purge) names no rows one by one: it concerns every view of its kind."""
    if not (state.is_update or state.is_delete):
        return
    table = state.statement.table.name
    if table not in UNSEEN:
        tally = _pending(state.session)
        tally.add(KIND_OF_TABLE.get(table, table), None, None)
        tally.everywhere = True


def log_entry(connection, tally: Tally, origin: str = "") -> int:
    """Record one transaction's changes in it; returns the entry's number."""
    entry = connection.execute(
        insert(ChangeLog).values(origin=origin, payload=encode(tally)).returning(ChangeLog.id)
    ).scalar_one()
    if entry % 500 == 0:  # now and then, forget the oldest entries (in the same transaction)
        connection.execute(delete(ChangeLog).where(ChangeLog.id <= entry - KEEP_ENTRIES))
    return entry


@event.listens_for(Session, "before_commit")
def _log(session: Session) -> None:
    # before_commit comes before the commit's own flush: flush first, so the tally holds every row.
    if session.new or session.dirty or session.deleted:
        session.flush()
    tally = session.info.get("pending")
    if tally is None or not tally.kinds:
        return
    log_entry(session.connection(), tally, session.info.get("origin", ""))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop("pending", None)
    if pending is not None:
        session.info.setdefault("committed", Tally()).merge(pending.changed())


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous) -> None:
    session.info.pop("pending", None)
