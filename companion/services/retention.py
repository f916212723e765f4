"""Retention: keep nothing longer than the clinic wants. Visit-level data older than the cut-off is
removed for good; lasting facts about the patient stay unless asked. The audit log is never purged."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, text, update
from sqlmodel import Session

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.services import audit_trail
from companion.services.settings import AS_STORED, get_setting, put_setting, stored_setting
from companion.storage import busy
from companion.storage.changes import changed
from companion.storage.models import (
    ContextNote,
    Draft,
    NextStep,
    NextStepRevision,
    NoteRevision,
    NurseTick,
    Priority,
    PriorityRevision,
    RecordSaid,
    RitualRun,
    Scope,
    Setting,
    Visit,
)
from companion.storage.store import Store
from companion.text import MAX_DAYS

RETENTION_KEY = "retention_days"
PURGE_AT_START_KEY = "purge_at_start"
# The latest cut-off of a purge by hand: an import leaves out visits before it, so a record sending its whole history
# every night does not bring back what a purge by hand removed (cleared only by `retention --forget-purges`).
PURGED_BEFORE_KEY = "purged_before"
BATCH = 500


@dataclass(frozen=True)
class PurgeResult:
    visits: int
    priorities: int
    notes: int
    rehearsed: bool = False  # counted in a transaction rolled back: nothing was removed
    older_than_days: int = field(default=0, compare=False)  # what it was asked to remove
    changes: Changed = field(default_factory=Changed, compare=False, repr=False)  # for the views to read again

    def __str__(self) -> str:
        what = f"{self.visits} visits, {self.priorities} priorities and {self.notes} notes"
        return f"would remove {what}; nothing was removed" if self.rehearsed else f"removed {what}"


def purge(
    store: Store,
    older_than_days: int,
    include_lasting: bool = False,
    now: datetime | None = None,
    rehearse: bool = False,
    reclaim: bool = True,
    by_hand: bool = False,
) -> PurgeResult:
    """Remove visits scheduled before the cut-off and what belongs to them, then reclaim the space (unless the
    caller does that itself, having said what was removed). `rehearse`: the very same removal, rolled back, so
    what it says it would remove is what a real purge removes. `by_hand`: IT's purge, remembered so imports do
    not bring back what it removed (the retention's own purges need not be: imports follow the retention)."""
    if not 1 <= older_than_days <= MAX_DAYS:
        raise CompanionError(f"--older-than is 1 to {MAX_DAYS:,} days")
    before = cutoff(older_than_days, now)
    gone = priorities = notes = 0
    with store.writing() as session:  # one transaction: a purge is whole or not at all
        old_visits = list(session.scalars(select(Visit.id).where(Visit.scheduled_at < before)))
        for visits in _batches(old_visits):
            kept = _visits_holding_lasting(session, visits) if not include_lasting else set()
            leaving = [v for v in visits if v not in kept]
            priority_ids = _priorities(session, visits, include_lasting)
            note_ids = list(session.scalars(select(ContextNote.id).where(ContextNote.visit_id.in_(visits))))
            step_ids = list(session.scalars(select(NextStep.id).where(NextStep.visit_id.in_(visits))))
            # What the records said of a visit that goes (its reason among it) goes with it, whichever resource said
            # it (an Appointment and the Encounter that took it over): companion.fhir.record_said
            session.execute(delete(RecordSaid).where(RecordSaid.visit_id.in_(visits)))
            # Children before their rows: every table that refers to what goes (tests: test_retention, a visit
            # holding one row of each).
            for column, ids in (
                (PriorityRevision.priority_id, priority_ids),
                (Priority.id, priority_ids),
                (NurseTick.note_id, note_ids),
                (NoteRevision.note_id, note_ids),
                (ContextNote.id, note_ids),
                (NextStepRevision.next_step_id, step_ids),
                (NextStep.visit_id, visits),
                (RitualRun.visit_id, visits),
                (Draft.visit_id, visits),
                (Visit.id, leaving),
            ):
                for part in _batches(ids):
                    session.execute(delete(column.class_).where(column.in_(part)))
            session.execute(update(Visit).where(Visit.id.in_(kept)).values(reason=""))  # kept only as an anchor
            gone, priorities, notes = gone + len(leaving), priorities + len(priority_ids), notes + len(note_ids)
        if rehearse:
            session.rollback()
            return PurgeResult(gone, priorities, notes, rehearsed=True, older_than_days=older_than_days)
        if by_hand:
            stored = session.get(Setting, PURGED_BEFORE_KEY)
            earlier = _moment(stored.value if stored else "")
            put_setting(session, PURGED_BEFORE_KEY, max(before, earlier or before).isoformat(timespec="seconds"))
        session.commit()
        result = PurgeResult(gone, priorities, notes, older_than_days=older_than_days, changes=changed(session))
    audit_trail.record(store, "purge", f"older than {older_than_days} days: {result}")
    if reclaim:
        reclaim_space(store)
    return result


def purge_kept(store: Store, older_than_days: int | None = None, rehearse: bool = False) -> Changed[PurgeResult]:
    """The admin window's purge, as a purge by hand (remembered: imports leave it out): by default what the clinic's
    retention keeps no longer; `older_than_days` as counted and agreed to, whatever the retention says by then.
    `rehearse` counts it first, removing nothing."""
    days = older_than_days or retention_days(store)
    if not days:
        raise CompanionError("visit data is kept until purged by hand: set how many days to keep first")
    result = purge(store, days, rehearse=rehearse, by_hand=True)
    return replace(result.changes, result=result)


def cutoff(days: int, now: datetime | None = None) -> datetime:
    """Visits scheduled before this moment are older than `days` keeps (the clinic's wall-clock time, as they are
    stored): what a purge removes, and what an import leaves out while retention is set."""
    return (now or datetime.now()) - timedelta(days=days)


def kept_since(store: Store) -> datetime | None:
    """Visits before this moment are not kept: the clinic's retention, or the cut-off of the latest purge by hand
    when that is later (what it removed stays removed); None when everything is."""
    days = retention_days(store)
    moments = [moment for moment in (cutoff(days) if days else None, purged_before(store)) if moment is not None]
    return max(moments, default=None)


def purged_before(store: Store) -> datetime | None:
    """The latest purge by hand's cut-off, unless an admin let imports bring older visits back since."""
    return _moment(get_setting(store, PURGED_BEFORE_KEY))


def forget_purges(store: Store) -> Changed:
    """Let imports bring back visits older than the purges' cut-off (a clinic restoring its history)."""
    with store.writing() as session:
        put_setting(session, PURGED_BEFORE_KEY, "")
        session.commit()
        done = changed(session)
    audit_trail.record(store, "retention", "imports may bring back visits older than the last purge")
    return done


def _moment(value: str) -> datetime | None:
    """A stored cut-off. One that is not a moment, names a time zone (not written here) or lies in the future (a
    purge run while the clock was wrong) counts as none: a setting never leaves a whole import out."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is not None or moment > datetime.now():
        return None
    return moment


def reclaim_space(store: Store) -> bool:
    """Give the freed pages back (and overwrite them): VACUUM runs outside any transaction. False when another
    program held the SQLite file past the writers' wait limit: the removal stands, and the next purge does this."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if store.engine.dialect.name != "sqlite":
            connection.execute(text("VACUUM"))
            return True
        raw = connection.connection.dbapi_connection
        raw.execute(f"PRAGMA busy_timeout = {int(busy.WAIT_LIMIT_SECONDS * 1000)}")
        try:
            raw.execute("VACUUM")
        except sqlite3.OperationalError as exc:
            if busy.held_by_another(exc):
                return False
            raise
        return True


def retention_days(store: Store) -> int | None:
    """The clinic's retention, or None. A value out of range (written by hand or by an older version) counts as
    none: a setting must never keep the app from starting, nor purge what it should not."""
    return _days(get_setting(store, RETENTION_KEY))


def _days(value: str) -> int | None:
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DAYS:
        return int(value)
    return None


def set_retention(store: Store, days: int | None, purge_at_start: bool = False) -> Changed:
    """An admin's choice: keep visit data this many days (None: keep), and purge when the app starts."""
    with store.writing() as session:
        put_retention(session, days, purge_at_start)
        session.commit()
        return changed(session)


def put_retention(session: Session, days: object = AS_STORED, purge_at_start: object = AS_STORED) -> None:
    """The retention settings, in a write of the caller's (companion.services.settings saves them with others); one
    left AS_STORED is read in that write, so purging at start still follows the number of days stored with it."""
    if days is AS_STORED:
        days = _days(stored_setting(session, RETENTION_KEY))
    if purge_at_start is AS_STORED:
        purge_at_start = stored_setting(session, PURGE_AT_START_KEY) == "yes"
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise CompanionError(f"retention is 1 to {MAX_DAYS:,} days")
    put_setting(session, RETENTION_KEY, str(days) if days else "")
    put_setting(session, PURGE_AT_START_KEY, "yes" if purge_at_start and days else "")


def purges_at_start(store: Store) -> bool:
    """An admin turned purging at start on (with a number of days: put_retention keeps it off without one)."""
    return get_setting(store, PURGE_AT_START_KEY) == "yes"


def purge_at_start(store: Store) -> PurgeResult | None:
    """Run the clinic's retention when the app starts, if an admin turned it on."""
    return purge(store, retention_days(store)) if purge_at_start_due(store) else None


def purge_at_start_due(store: Store) -> bool:
    """Whether the window's start purges (an admin turned it on, with a number of days)."""
    return bool(retention_days(store)) and purges_at_start(store)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    """Ids a few hundred at a time: SQLite binds at most 32,766 values in one statement (999 before 3.32), and a
    year of a large clinic's visits holds more."""
    for first in range(0, len(ids), BATCH):
        yield ids[first : first + BATCH]


def _priorities(session: Session, visits: list[int], include_lasting: bool) -> list[int]:
    query = select(Priority.id).where(Priority.visit_id.in_(visits))
    if not include_lasting:
        query = query.where(Priority.scope == Scope.today)
    return list(session.scalars(query))


def _visits_holding_lasting(session: Session, visits: list[int]) -> set[int]:
    """A lasting priority still points to the visit it was raised in; that visit row stays (emptied)."""
    query = select(Priority.visit_id).where(
        Priority.visit_id.in_(visits), or_(Priority.scope == Scope.lasting, Priority.scope.is_(None))
    )
    return set(session.scalars(query))
