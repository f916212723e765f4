"""Patients as a list, and the glance of one patient: `companion patients` and `companion show --patient`,
for records that arrive by import rather than by booking a visit in the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import select

from companion.read.briefing import GLANCE_LIMIT, build_glance, patient_line
from companion.services.lookup import get_or_fail
from companion.services.notes import note_view
from companion.services.patients import get_patient, name_to_use
from companion.storage.models import ContextNote, NoteKind, Patient, Visit
from companion.storage.store import Store


@dataclass(frozen=True)
class PatientRow:
    id: int
    preferred_name: str
    recorded_name: str
    pronouns: str
    language: str
    interpreter_needed: bool
    visits: int
    current_visit_id: int | None


def list_patients(store: Store) -> list[PatientRow]:
    """Every patient with how many visits they have and the visit `show --patient` opens."""
    with store.session() as session:
        patients = session.exec(select(Patient).order_by(Patient.id)).all()
        counts = dict(session.exec(select(Visit.patient_id, func.count(Visit.id)).group_by(Visit.patient_id)).all())
    return [
        PatientRow(
            id=row.id,
            preferred_name=name_to_use(row),
            recorded_name=row.recorded_name,
            pronouns=row.pronouns,
            language=row.preferred_language,
            interpreter_needed=row.interpreter_needed,
            visits=counts.get(row.id, 0),
            current_visit_id=current_visit_id(store, row.id) if counts.get(row.id) else None,
        )
        for row in patients
    ]


def current_visit_id(store: Store, patient_id: int, today: date | None = None) -> int | None:
    """Today's visit (the first not yet done), else the latest one scheduled; None when there is none."""
    start = datetime.combine(today or date.today(), time.min)
    with store.session() as session:
        get_or_fail(session, Patient, patient_id, "patient")
        todays = session.exec(
            select(Visit.id, Visit.status)
            .where(Visit.patient_id == patient_id, Visit.scheduled_at >= start)
            .where(Visit.scheduled_at < start + timedelta(days=1))
            .order_by(Visit.scheduled_at, Visit.id)
        ).all()
        if todays:
            return next((visit_id for visit_id, status in todays if status != "done"), todays[-1][0])
        latest = select(Visit.id).where(Visit.patient_id == patient_id)
        return session.exec(latest.order_by(Visit.scheduled_at.desc(), Visit.id.desc())).first()


def patient_glance_json(store: Store, patient_id: int) -> dict:
    """The glance of the patient's current or latest visit; with no visit, the patient alone (their lasting
    story and needs, never a sensitive fact), with the same keys."""
    visit_id = current_visit_id(store, patient_id)
    if visit_id is not None:
        return build_glance(store, visit_id).to_json()
    patient = get_patient(store, patient_id)
    with store.session() as session:
        every = session.exec(
            select(ContextNote)
            .where(ContextNote.patient_id == patient_id, ContextNote.visit_id.is_(None))
            .where(ContextNote.retracted_at.is_(None))
            .order_by(ContextNote.created_at.desc(), ContextNote.id.desc())
        ).all()
    rows = [n for n in every if not n.sensitive]
    story = [note_view(n) for n in rows if n.kind is NoteKind.social]
    needs = [note_view(n) for n in rows if n.kind is NoteKind.practical]
    prepare = store.content.practice("prepare")
    return {
        "visit_id": None,
        "patient": {
            "text": patient_line(patient),
            "preferred_name": patient.preferred_name,
            "pronouns": patient.pronouns,
            "language": patient.language,
            "interpreter_needed": patient.interpreter_needed,
            "needs": [{"text": n.text, "topic": n.topic} for n in reversed(needs)],
        },
        "stage": "arrive",
        "prep_cue": {"text": prepare.cue, "practice": prepare.title},
        "priorities": [],
        "social_context": [{"text": n.text, "topic": n.topic, "lasting": True} for n in story[:GLANCE_LIMIT]],
        "emotion_checklist": [],
        "more": {"priorities": 0, "social_context": max(0, len(story) - GLANCE_LIMIT)},
        "private_count": len(every) - len(rows),
    }
