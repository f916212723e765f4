"""The audit trail as the app uses it: who reads a patient's record is recorded beside what the storage hook
records of every write (companion.storage.audit), and the log is read back: for admins, and as an item's history
(who wrote a priority or a note, each version, and when)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

from companion.errors import CompanionError
from companion.read.models import Changed, ClinicianView, HistoryEntry, ItemHistory, Stamp
from companion.services.lookup import get_note, get_or_fail
from companion.storage import audit
from companion.storage.changes import changed
from companion.storage.models import (
    AuditEvent,
    ContextNote,
    NoteRevision,
    Priority,
    PriorityRevision,
    Visit,
    stored_utc,
)
from companion.storage.store import Store

R = TypeVar("R")
# A row's time and the audit entry of the same write are taken in one transaction, moments apart.
SAME_WRITE = timedelta(seconds=5)
TABLES = {"priority": "priority", "note": "contextnote"}  # an item's kind: the table the audit entries name


def act_as(clinician: ClinicianView) -> None:
    """Every entry from now on names this signed-in clinician."""
    audit.set_actor(clinician.name, clinician.id)


def act_as_command_line() -> None:
    """Every entry from now on names the command line and the system user running it."""
    audit.command_line_actor()


@contextmanager
def acting_as(name: str, clinician_id: int | None = None) -> Iterator[None]:
    """Entries name this person for a while (the demo's nurse typing the day in), then whoever acted before."""
    with audit.acting(audit.Actor(name, clinician_id)):
        yield


def in_the_name_of_now() -> Callable[[Callable[[], R]], Callable[[], R]]:
    """What makes a call, run later or on another thread (the window's save thread, a write that waits for the
    database), be recorded in the name of whoever acts now: its asker, whoever has signed in since."""
    asker = audit.current_actor()

    def wrap(call: Callable[[], R]) -> Callable[[], R]:
        def in_their_name() -> R:
            with audit.acting(asker):
                return call()

        return in_their_name

    return wrap


def record_view(store: Store, action: str, visit_id: int) -> Changed:
    """Opening a patient's prep card or glance is recorded too, as is every read from the command line."""
    with store.writing() as session:
        visit = session.get(Visit, visit_id)
        session.add(audit.entry(action, visit.patient_id if visit else None, visit_id, f"visit {visit_id}"))
        session.commit()
        return changed(session)  # nothing any view shows: it wakes nobody


def add_view_entry(session: Session, action: str, visit: Visit) -> None:
    """A read recorded in the transaction of the write that goes with it (revealing private items)."""
    session.add(audit.entry(action, visit.patient_id, visit.id, f"visit {visit.id}"))


def record_patient_view(store: Store, action: str, patient_id: int) -> Changed:
    """A read of one patient's record without a visit (`show --patient` for someone with none yet)."""
    with store.writing() as session:
        session.add(audit.entry(action, patient_id, None, f"patient {patient_id}"))
        session.commit()
        return changed(session)  # nothing any view shows: it wakes nobody


def record(store: Store, action: str, detail: str = "") -> Changed:
    """An action that names no patient (a purge, an export of many records)."""
    with store.writing() as session:
        session.add(audit.entry(action, None, None, detail))
        session.commit()
        return changed(session)  # nothing any view shows: it wakes nobody


def audit_log(store: Store, patient_id: int | None = None) -> list[dict]:
    with store.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if patient_id is not None:
            query = query.where(AuditEvent.patient_id == patient_id)
        return [
            {
                "at": row.at.isoformat(timespec="seconds"),
                "who": row.clinician_name,
                "clinician_id": row.clinician_id,
                "action": row.action,
                "patient_id": row.patient_id,
                "visit_id": row.visit_id,
                "detail": row.detail,
            }
            for row in session.scalars(query)
        ]


# An item's history: its versions (revision rows) and who wrote each (the note's own author, or for a priority the
# audit entry of the write that made it), its retraction, and any other change the audit trail records.


def stamps(store: Store, kind: str, item_ids: Iterable[int]) -> dict[int, Stamp]:
    """Who wrote each item's words as they stand, and when: Rooming shows it beside every item."""
    ids = list(item_ids)
    _table(kind)
    if not ids:
        return {}
    with store.session() as session:
        if kind == "note":
            query = select(ContextNote.id, ContextNote.author, ContextNote.updated_at).where(ContextNote.id.in_(ids))
            edited = set(session.exec(select(NoteRevision.note_id).where(NoteRevision.note_id.in_(ids))).all())
            return {
                note_id: Stamp(author, stored_utc(at), note_id in edited)
                for note_id, author, at in session.exec(query).all()
            }
        query = select(Priority.id, Priority.patient_id, Priority.created_at).where(Priority.id.in_(ids))
        rows = session.exec(query).all()
        last_edit = select(PriorityRevision.priority_id, func.max(PriorityRevision.saved_at))
        last_edit = last_edit.where(PriorityRevision.priority_id.in_(ids)).group_by(PriorityRevision.priority_id)
        latest = dict(session.exec(last_edit).all())
        trail = _trail(session, "priority", {patient_id for _, patient_id, _ in rows}, ids)
        found = {}
        for priority_id, _patient_id, created_at in rows:
            entries = trail.get(priority_id, [])
            if priority_id in latest:  # the last edit's words: its audit entry names who saved them
                at = stored_utc(latest[priority_id])
                found[priority_id] = Stamp(_who_near(entries, at), at, edited=True)
            else:
                found[priority_id] = Stamp(_who_added(entries), stored_utc(created_at))
        return found


def item_history(store: Store, kind: str, item_id: int, *, reveal: bool = False) -> ItemHistory:
    """Every version of a priority or a note with who wrote it and when, its retraction and other recorded
    changes, oldest first. A private item's words (and any words the clinic's rules call private) are held back
    unless the reader has revealed private items, as the item itself is."""
    table = _table(kind)
    with store.session() as session:
        if kind == "note":
            row = get_note(session, item_id)
            revisions = session.exec(
                select(NoteRevision).where(NoteRevision.note_id == item_id).order_by(NoteRevision.id)
            )
            versions = [(r.text, r.author, stored_utc(r.saved_at)) for r in revisions.all()]
            versions.append((row.text, row.author, stored_utc(row.updated_at)))
            trail = _trail(session, table, {row.patient_id}, [item_id]).get(item_id, [])
        else:
            row = get_or_fail(session, Priority, item_id, "priority")
            revisions = session.exec(
                select(PriorityRevision).where(PriorityRevision.priority_id == item_id).order_by(PriorityRevision.id)
            ).all()
            trail = _trail(session, table, {row.patient_id}, [item_id]).get(item_id, [])
            texts = [r.text for r in revisions] + [row.text]
            times = [stored_utc(row.created_at)] + [
                stored_utc(r.saved_at) for r in revisions
            ]  # an edit saves the words before
            whos = [_who_added(trail)] + [_who_near(trail, at) for at in times[1:]]
            versions = list(zip(texts, whos, times, strict=True))
        private = row.sensitive

        def held(text: str) -> bool:
            return not reveal and (private or store.content.privacy.judge(text).private)

        entries = [
            HistoryEntry(at, who, "edited" if index else "added", "" if held(text) else text, held(text))
            for index, (text, who, at) in enumerate(versions)
        ]
        explained = [at for _text, _who, at in versions[1:]]
        if row.retracted_at is not None:
            at, reason = stored_utc(row.retracted_at), row.retraction_reason
            entries.append(
                HistoryEntry(at, _who_near(trail, at), "retracted", "" if held(reason) else reason, held(reason))
            )
            explained.append(at)
        for at, who, verb in trail:
            if verb == "change" and not any(_near(at, moment) for moment in explained):
                entries.append(HistoryEntry(at, who, "changed"))
        entries.sort(key=lambda entry: entry.at or datetime.min.replace(tzinfo=UTC))
        return ItemHistory(kind, item_id, tuple(entries), private, row.private_reason, row.retracted_at is not None)


def _table(kind: str) -> str:
    if kind not in TABLES:
        raise CompanionError(f"unknown kind of item; use {' or '.join(TABLES)}")
    return TABLES[kind]


def _trail(session: Session, table: str, patient_ids: set[int], ids: list[int]) -> dict[int, list[tuple]]:
    """The audit entries of these rows' writes, as (at, who, "add" or "change") by row id, oldest first. The
    patient narrows the search to an index; the entry's detail names the row."""
    details = {f"{table} {row_id}": row_id for row_id in ids}
    query = (
        select(AuditEvent.at, AuditEvent.clinician_name, AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.patient_id.in_(patient_ids), AuditEvent.detail.in_(list(details)))
        .where(AuditEvent.action.in_((f"add {table}", f"change {table}")))
        .order_by(AuditEvent.id)
    )
    found: dict[int, list[tuple]] = {}
    for at, who, action, detail in session.exec(query).all():
        found.setdefault(details[detail], []).append((stored_utc(at), who, action.split(" ", 1)[0]))
    return found


def _who_added(entries: list[tuple]) -> str:
    return next((who for _at, who, verb in entries if verb == "add"), "")


def _who_near(entries: list[tuple], moment: datetime | None) -> str:
    """Who made the change recorded closest to this moment (the same write), if any was."""
    near = [(abs(at - moment), who) for at, who, verb in entries if verb == "change" and _near(at, moment)]
    return min(near)[1] if near else ""


def _near(at: datetime | None, moment: datetime | None) -> bool:
    return at is not None and moment is not None and abs(at - moment) <= SAME_WRITE
