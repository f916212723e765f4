"""Private reflection: a clinician's own practice, week by week. Opt-in, and only for that clinician:
it never reaches a summary, an export or another user's view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.services.lookup import get_or_fail
from companion.storage.changes import changed
from companion.storage.models import Clinician, ContextNote, NoteKind, NurseTick, RitualRun, Visit, VisitStatus
from companion.storage.store import Store

PRACTICES = (
    ("agenda_elicited", "Full agenda elicited"),
    ("ritual_done", "Focus ritual done"),
    ("cues_explored", "Cues explored"),
    ("teach_back", "Teach-back done"),
)


@dataclass(frozen=True)
class VisitPractice:
    visit_id: int
    scheduled_at: datetime
    reason: str
    reason_private: bool  # shown as "Reason private" (ui.window.widgets.shown_reason)
    agenda_elicited: bool
    ritual_done: bool
    cues_explored: bool | None  # None: no emotional cue in this visit
    teach_back: bool


@dataclass(frozen=True)
class WeekPractice:
    week_start: date
    visits: tuple[VisitPractice, ...]

    def share(self, practice: str) -> tuple[int, int]:
        """How many visits had the practice, out of the visits where it applied."""
        values = [getattr(v, practice) for v in self.visits if getattr(v, practice) is not None]
        return sum(1 for v in values if v), len(values)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def reflection_enabled(store: Store, clinician_id: int) -> bool:
    with store.session() as session:
        return get_or_fail(session, Clinician, clinician_id, "clinician").reflection_enabled


def set_reflection(store: Store, clinician_id: int, enabled: bool) -> Changed:
    with store.writing() as session:
        row = get_or_fail(session, Clinician, clinician_id, "clinician")
        row.reflection_enabled = enabled
        session.add(row)
        session.commit()
        return changed(session)


def week_practice(store: Store, clinician_id: int, day: date) -> WeekPractice:
    """The clinician's finished visits in the week of `day`, with what they practised in each."""
    if not reflection_enabled(store, clinician_id):
        raise CompanionError("private reflection is off for this clinician")
    start = week_start(day)
    begin = datetime.combine(start, time.min)
    with store.session() as session:
        visits = session.exec(
            select(Visit)
            .where(Visit.clinician_id == clinician_id, Visit.status == VisitStatus.done)
            .where(Visit.scheduled_at >= begin, Visit.scheduled_at < begin + timedelta(days=7))
            .order_by(Visit.scheduled_at)
        ).all()
        ids = [v.id for v in visits]
        ritual_visits = set(
            session.exec(
                select(RitualRun.visit_id)
                .where(RitualRun.visit_id.in_(ids), RitualRun.clinician_id == clinician_id)
                .where(RitualRun.completed.is_(True))  # a ritual skipped or cut short at the door is not done
            ).all()
        )
        cues = session.exec(
            select(ContextNote.id, ContextNote.visit_id).where(
                ContextNote.visit_id.in_(ids), ContextNote.kind == NoteKind.emotion, ContextNote.retracted_at.is_(None)
            )
        ).all()
        explored = set(session.exec(select(NurseTick.note_id).where(NurseTick.note_id.in_([c[0] for c in cues]))))
    cues_by_visit: dict[int, list[int]] = {}
    for note_id, visit_id in cues:
        cues_by_visit.setdefault(visit_id, []).append(note_id)
    return WeekPractice(
        week_start=start,
        visits=tuple(
            VisitPractice(
                visit_id=v.id,
                scheduled_at=v.scheduled_at,
                reason=v.reason,
                reason_private=v.reason_private,
                agenda_elicited=v.something_else_asked_at is not None,
                ritual_done=v.id in ritual_visits,
                cues_explored=all(n in explored for n in cues_by_visit[v.id]) if v.id in cues_by_visit else None,
                teach_back=v.teach_back_at is not None,
            )
            for v in visits
        ),
    )
