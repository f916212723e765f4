"""The audit trail as the app uses it: who reads a patient's record is recorded beside what the storage hook
records of every write (companion.storage.audit), and the log is read back for admins."""

from __future__ import annotations

from sqlmodel import Session, select

from companion.read.models import Changed, ClinicianView
from companion.storage import audit
from companion.storage.changes import changed
from companion.storage.models import AuditEvent, Visit
from companion.storage.store import Store


def act_as(clinician: ClinicianView) -> None:
    """Every entry from now on names this signed-in clinician."""
    audit.set_actor(clinician.name, clinician.id)


def act_as_command_line() -> None:
    """Every entry from now on names the command line and the system user running it."""
    audit.command_line_actor()


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
