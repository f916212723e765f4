"""The audit log's keeping: every write through any session is recorded (a flush hook, so no service can
forget), in the name of whoever acts in this process. Entries name ids and actions, never what was written. The
database refuses to change or delete them. Reads are recorded, and the log read, by companion.services.audit_trail."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DDL, event, insert
from sqlmodel import Session

from companion.storage.models import AuditEvent, Draft, Patient, Visit, utcnow

UNTRACKED = (AuditEvent, Draft)  # drafts are keystrokes in progress; the entry that follows is recorded


@dataclass(frozen=True)
class Actor:
    name: str
    clinician_id: int | None = None


_actor = Actor(name="")
# Who a piece of work is done for, where that is not the process's actor: a write asked for by one clinician and
# saved later (it waited for the database, or ran on the window's save thread while another signed in).
_acting_for: ContextVar[Actor | None] = ContextVar("companion_acting_for", default=None)


def set_actor(name: str, clinician_id: int | None = None) -> None:
    """Who is acting in this process: the signed-in clinician, or the command line's user."""
    global _actor
    _actor = Actor(name, clinician_id)


def current_actor() -> Actor:
    return _acting_for.get() or _actor


@contextmanager
def acting(actor: Actor) -> Iterator[None]:
    """Entries written in this thread name `actor` for a while, whoever the process's actor is meanwhile."""
    token = _acting_for.set(actor)
    try:
        yield
    finally:
        _acting_for.reset(token)


def command_line_actor() -> None:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    set_actor(f"command line ({user})")


def entry(action: str, patient_id: int | None, visit_id: int | None, detail: str) -> AuditEvent:
    return AuditEvent(**_fields(action, patient_id, visit_id, detail, utcnow()))


def log_on(connection, action: str, detail: str) -> None:
    """An entry naming no patient, written in a transaction of work done without a session (stored facts judged
    again by new privacy rules are updated in batches of plain statements, which no flush hook sees)."""
    connection.execute(insert(AuditEvent), [_fields(action, None, None, detail, utcnow())])


def log_added(connection, table: str, rows: list[tuple[int, int | None]]) -> None:
    """The entries the flush hook would write for rows added by one plain statement, given (id, visit id) of
    each: rows of bookkeeping an import adds by the thousand, naming no patient."""
    at = utcnow()
    entries = [_row_fields("add", table, row_id, None, visit_id, at) for row_id, visit_id in rows]
    if entries:
        connection.execute(insert(AuditEvent), entries)


def _row_fields(verb: str, table: str, key: object, patient_id: int | None, visit_id: int | None, at) -> dict:
    """The entry of one row written: what was done to which table's row (ids only, never what was written)."""
    return _fields(f"{verb} {table}", patient_id, visit_id, f"{table} {key}", at)


def _fields(action: str, patient_id: int | None, visit_id: int | None, detail: str, at: datetime) -> dict:
    actor = current_actor()
    return {
        "at": at,
        "clinician_id": actor.clinician_id,
        "clinician_name": actor.name,
        "action": action,
        "patient_id": patient_id,
        "visit_id": visit_id,
        "detail": detail,
    }


@event.listens_for(Session, "after_flush")
def _record_writes(session: Session, _context) -> None:
    """After the flush every new row has its id; the entries go in on the same transaction."""
    entries = []
    at = utcnow()  # one write, one time
    for verb, rows in (("add", session.new), ("change", session.dirty), ("delete", session.deleted)):
        for row in list(rows):
            if isinstance(row, UNTRACKED) or (verb == "change" and not session.is_modified(row)):
                continue
            table = row.__tablename__
            patient_id = row.id if isinstance(row, Patient) else getattr(row, "patient_id", None)
            visit_id = row.id if isinstance(row, Visit) else getattr(row, "visit_id", None)
            key = getattr(row, "id", None) or getattr(row, "key", "")
            # Plain values, not a model: a large import flushes thousands of rows, and validating a model per
            # entry only to turn it back into values took 40 % of each flush (benchmarks/).
            entries.append(_row_fields(verb, table, key, patient_id, visit_id, at))
    if entries:
        session.connection().execute(insert(AuditEvent), entries)


# Append-only, enforced by the database itself (also against other programs writing to it).
_APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS auditevent_no_update BEFORE UPDATE ON auditevent "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS auditevent_no_delete BEFORE DELETE ON auditevent "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION companion_audit_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent "
        "FOR EACH ROW EXECUTE FUNCTION companion_audit_append_only()",
    ],
}


for _dialect, _statements in _APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
