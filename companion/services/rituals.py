"""Each clinician's own focus ritual before entering the room, and the record of each run."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.services.lookup import get_or_fail, get_visit
from companion.storage.changes import changed
from companion.storage.models import Clinician, FocusRitual, RitualRun, VisitStatus
from companion.storage.store import Store
from companion.text import MAX_PAUSE_SECONDS, MAX_RITUAL_STEPS, MAX_SHORT, clean_text


@dataclass(frozen=True)
class RitualView:
    steps: tuple[str, ...]
    pause_seconds: int
    is_default: bool


def get_ritual(store: Store, clinician_id: int) -> RitualView:
    """The clinician's ritual, or the clinic's default until they write their own."""
    with store.session() as session:
        row = session.exec(select(FocusRitual).where(FocusRitual.clinician_id == clinician_id)).first()
        if row is None:
            content = store.content
            return RitualView(content.ritual_steps, content.ritual_pause_seconds, is_default=True)
        return RitualView(tuple(row.steps), row.pause_seconds, is_default=False)


def check_ritual(steps: list[str], pause_seconds: int) -> list[str]:
    """The steps as they will be kept (blank lines dropped), or a CompanionError saying what to change."""
    cleaned = [clean_text(step, "a ritual step", MAX_SHORT) for step in steps if step.strip()]
    if not cleaned:
        raise CompanionError("a ritual needs at least one step")
    if len(cleaned) > MAX_RITUAL_STEPS:
        raise CompanionError(f"a ritual has at most {MAX_RITUAL_STEPS} steps; keep it short enough for the door")
    if not 0 <= pause_seconds <= MAX_PAUSE_SECONDS:
        raise CompanionError(f"the pause must be between 0 and {MAX_PAUSE_SECONDS} seconds")
    return cleaned


def save_ritual(store: Store, clinician_id: int, steps: list[str], pause_seconds: int) -> Changed[RitualView]:
    """Store the clinician's own steps (blank lines dropped) and pause length."""
    cleaned = check_ritual(steps, pause_seconds)
    with store.writing() as session:
        get_or_fail(session, Clinician, clinician_id, "clinician")
        row = session.exec(select(FocusRitual).where(FocusRitual.clinician_id == clinician_id)).first()
        row = row or FocusRitual(clinician_id=clinician_id)
        row.steps, row.pause_seconds = cleaned, pause_seconds
        session.add(row)
        session.commit()
        return changed(session, RitualView(tuple(cleaned), pause_seconds, is_default=False))


def record_run(store: Store, visit_id: int, clinician_id: int, paused_seconds: int, completed: bool) -> Changed:
    """Record a ritual run on its visit and mark the visit prepared."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        get_or_fail(session, Clinician, clinician_id, "clinician")
        session.add(
            RitualRun(visit_id=visit_id, clinician_id=clinician_id, pause_seconds=paused_seconds, completed=completed)
        )
        if visit.status in (VisitStatus.scheduled, VisitStatus.roomed):
            visit.status = VisitStatus.prepared
            session.add(visit)
        session.commit()
        return changed(session)
