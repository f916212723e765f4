"""The conversation in the visit: listen completely, agree on what matters, close well.

Each function records one moment on the visit; the glance shows the stage that follows from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.services import audit_trail
from companion.services.drafts import DraftKey, clear_draft
from companion.services.lookup import get_visit
from companion.services.visits import taking_place, visit_record
from companion.storage.changes import changed
from companion.storage.models import (
    CLOSED_STATUSES,
    NextStep,
    NextStepRevision,
    Priority,
    PriorityState,
    Scope,
    Visit,
    VisitStatus,
    utcnow,
)
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text

CLOSE_CHECKS = {"teach_back": "teach_back_at", "ask_tell_ask": "ask_tell_ask_at"}


def seconds_since(moment: datetime) -> float:
    if moment.tzinfo is None:  # SQLite returns what it stored; the values are UTC
        moment = moment.replace(tzinfo=utcnow().tzinfo)
    return (utcnow() - moment).total_seconds()


@dataclass(frozen=True)
class Conversation:
    """Where the visit's conversation stands; `stage` is what the glance prompts for next."""

    status: str
    listen_started_at: datetime | None
    listen_seconds: float | None
    something_else_asked: bool
    agenda_agreed: bool
    teach_back: bool
    ask_tell_ask: bool

    def listening_for(self) -> float:
        """Seconds since the patient began to speak (the glance's listening cue counts them)."""
        return seconds_since(self.listen_started_at) if self.listen_started_at is not None else 0.0

    @property
    def stage(self) -> str:
        if self.status == "done":
            return "done"
        if self.status != "in_visit":
            return "arrive"
        if self.listen_started_at is not None and self.listen_seconds is None:
            return "listening"
        if not self.agenda_agreed:
            return "agenda"
        return "visit"


@dataclass(frozen=True)
class NextStepView:
    id: int
    text: str
    sensitive: bool
    category: str = ""
    agreed: str = ""  # the care team's words, when the patient's screen changed them ("That's not what I meant")


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def conversation(store: Store, visit_id: int) -> Conversation:
    visit = visit_record(store, visit_id)  # the glance's own read of the visit: no query of its own
    return Conversation(
        status=visit.status.value,
        listen_started_at=visit.listen_started_at,
        listen_seconds=visit.listen_seconds,
        something_else_asked=visit.something_else_asked_at is not None,
        agenda_agreed=visit.agenda_agreed_at is not None,
        teach_back=visit.teach_back_at is not None,
        ask_tell_ask=visit.ask_tell_ask_at is not None,
    )


def start_listening(store: Store, visit_id: int) -> Changed:
    """The clinician sits down and lets the patient speak: the visit is now in progress. Started again before the
    agenda is agreed (a stop pressed too soon), the time is taken again; after it, the time recorded stays."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status is VisitStatus.done:
            raise CompanionError(f"visit {visit_id} is already done")
        taking_place(visit)
        if visit.agenda_agreed_at is not None and visit.listen_seconds is not None:
            raise CompanionError(
                f"the agenda is agreed: the patient's {visit.listen_seconds:.0f} s of speaking stay as recorded"
            )
        visit.status = VisitStatus.in_visit
        visit.listen_started_at, visit.listen_seconds = utcnow(), None
        return _save(session, visit)


def stop_listening(store: Store, visit_id: int) -> Changed:
    """Record how long the patient spoke before the clinician spoke."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.listen_started_at is None:
            raise CompanionError("listening was not started for this visit")
        if visit.listen_seconds is not None:  # already recorded: the first stop is the true one
            return changed(session)
        visit.listen_seconds = round(seconds_since(visit.listen_started_at), 1)
        return _save(session, visit)


def ask_something_else(store: Store, visit_id: int) -> Changed:
    """The clinician asked "Is there something else you want to address today?"."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        visit.something_else_asked_at = visit.something_else_asked_at or utcnow()
        return _save(session, visit)


def agree_agenda(store: Store, visit_id: int) -> Changed:
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        taking_place(visit)
        visit.agenda_agreed_at = utcnow()
        if visit.status is not VisitStatus.done:
            visit.status = VisitStatus.in_visit
        return _save(session, visit)


def set_close_check(store: Store, visit_id: int, check: str, done: bool) -> Changed:
    """Teach-back (the patient explained the plan in their own words) or Ask-Tell-Ask."""
    if check not in CLOSE_CHECKS:
        raise CompanionError("unknown closing check; use teach_back or ask_tell_ask")
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        setattr(visit, CLOSE_CHECKS[check], utcnow() if done else None)
        return _save(session, visit)


def add_next_step(
    store: Store, visit_id: int, text: str, author: str, draft: DraftKey | None = None
) -> Changed[NextStepView]:
    text = clean_text(text, "the next step")
    author = clean_text(author, "the author", MAX_SHORT)
    verdict = store.content.privacy.judge(text)
    with store.writing() as session:
        get_visit(session, visit_id)
        row = NextStep(
            visit_id=visit_id,
            text=text,
            author=author,
            **verdict.columns(),
        )
        session.add(row)
        clear_draft(session, draft)
        session.commit()
        return changed(session, NextStepView(row.id, row.text, row.sensitive, row.private_category))


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def next_steps(store: Store, visit_id: int) -> list[NextStepView]:
    """The visit's agreed next steps, oldest first, private ones included (companion.read.briefing decides)."""
    visit_record(store, visit_id)  # an unknown visit is an error; inside a screen's scope, no query of its own
    with store.session() as session:
        rows = session.exec(_NEXT_STEPS, params={"visit_id": visit_id}).all()
        return [NextStepView(*row) for row in rows]


# Built once: every glance switch reads it (benchmarks/: switch p95 under 8 ms).
_step = NextStep.__table__.c
_revision = NextStepRevision.__table__.c
_AGREED = (  # the step's first words: those before any correction on the patient's screen
    select(_revision.text).where(_revision.next_step_id == _step.id).order_by(_revision.id).limit(1).scalar_subquery()
)
_NEXT_STEPS = (
    select(_step.id, _step.text, _step.sensitive, _step.private_category, func.coalesce(_AGREED, ""))
    .where(_step.visit_id == bindparam("visit_id"))
    .order_by(_step.id)
)


class PrivateUnread(CompanionError):
    """Finishing would defer private priorities nobody has read (they are kept off the glance): ask first."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} private item{'s' if count != 1 else ''} not read yet; read it at the door first")
        self.count = count


def reveal_private(store: Store, visit_id: int) -> Changed:
    """A clinician reads the visit's private items behind the prep card's reveal: recorded, and the first time is
    kept on the visit (finishing then needs no question)."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.private_read_at is None:
            visit.private_read_at = utcnow()
            session.add(visit)
            session.flush()  # the log reads: the visit remembered it, then the reveal
        audit_trail.add_view_entry(session, "reveal private items", visit)
        session.commit()
        return changed(session)


def unread_private(store: Store, visit_id: int) -> int:
    """Private priorities of this visit still open that nobody has read behind the reveal."""
    with store.session() as session:
        visit = get_visit(session, visit_id)
        if visit.private_read_at is not None:
            return 0
        return len(_unread_private(session, visit_id))


def _unread_private(session, visit_id: int) -> list[Priority]:
    return list(
        session.exec(
            select(Priority).where(
                Priority.visit_id == visit_id,
                Priority.scope == Scope.today,
                Priority.state == PriorityState.open,
                Priority.sensitive.is_(True),
                Priority.retracted_at.is_(None),
            )
        ).all()
    )


def finish_visit(store: Store, visit_id: int, *, defer_unread_private: bool = False) -> Changed:
    """Close the visit: today's items still open are deferred, so they reach the next prep card. Private ones nobody
    has read are not deferred quietly: unless the clinician chose to, PrivateUnread asks first."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        taking_place(visit)
        if visit.status is VisitStatus.done:  # finished already (another desk, a second Ctrl+D): its time stays
            return changed(session)
        still_open = session.exec(
            select(Priority).where(
                Priority.visit_id == visit_id, Priority.scope == Scope.today, Priority.state == PriorityState.open
            )
        ).all()
        unread = [] if visit.private_read_at or defer_unread_private else _unread_private(session, visit_id)
        if unread:
            raise PrivateUnread(len(unread))
        for row in still_open:
            row.state = PriorityState.deferred
            session.add(row)
        visit.status, visit.done_at = VisitStatus.done, utcnow()
        return _save(session, visit)


def next_visit_id(store: Store, visit_id: int) -> int | None:
    """The same clinician's next visit that day that is not done yet: the first after this one, else the earliest
    still open before it (a late patient, seen out of order, leaves the day's first ones waiting)."""
    with store.session() as session:
        visit = get_visit(session, visit_id)
        day_start = visit.scheduled_at.replace(hour=0, minute=0, second=0, microsecond=0)
        query = (
            select(Visit.id, Visit.scheduled_at)
            .where(Visit.clinician_id == visit.clinician_id, Visit.id != visit.id)
            .where(Visit.scheduled_at >= day_start, Visit.scheduled_at < day_start + timedelta(days=1))
            .where(Visit.status.not_in(CLOSED_STATUSES))
            .order_by(Visit.scheduled_at, Visit.id)
        )
        still_open = session.exec(query).all()
    after = [i for i, at in still_open if (at, i) > (visit.scheduled_at, visit.id)]
    return next(iter(after or [i for i, _at in still_open]), None)


def _save(session, visit: Visit) -> Changed:
    session.add(visit)
    session.commit()
    return changed(session)
