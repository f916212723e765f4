"""What matters to the patient, in their own words: added, ranked, and followed to later visits."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, bindparam, or_
from sqlmodel import Session, select

from companion.errors import CompanionError
from companion.read.models import Changed, PriorityView
from companion.services.drafts import DraftKey, clear_draft
from companion.services.lookup import get_or_fail, get_visit
from companion.services.revisions import revise_words, take_off
from companion.services.visits import taking_place, visit_record
from companion.storage.changes import changed
from companion.storage.models import Priority, PriorityRevision, PriorityState, Scope, Source, Visit
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text, parse_choice


def _view(row: Priority) -> PriorityView:
    return PriorityView(
        id=row.id,
        text=row.text,
        rank=row.rank,
        scope=row.scope.value,
        source=row.source.value,
        state=row.state.value,
        visit_id=row.visit_id,
        sensitive=row.sensitive,
        category=row.private_category,
    )


def _agenda_of(*columns):
    """This visit's priorities plus lasting ones raised at or before it that are not yet addressed. Built once,
    with the visit bound at each call: every glance switch reads it (benchmarks/: switch p95 under 8 ms)."""
    priority, visit = Priority.__table__.c, Visit.__table__.c
    return (
        select(*columns)
        .join(Visit.__table__, priority.visit_id == visit.id)
        .where(priority.patient_id == bindparam("patient_id"), priority.retracted_at.is_(None))
        .where(
            or_(
                priority.visit_id == bindparam("visit_id"),
                and_(
                    priority.scope == Scope.lasting,
                    priority.state != PriorityState.addressed,
                    visit.scheduled_at <= bindparam("scheduled_at"),
                ),
            )
        )
        .order_by(priority.rank, priority.id)
    )


_AGENDA_ROWS = _agenda_of(Priority)  # ORM rows, to change them
# The table's own columns, to show them: the session runs it without the ORM's work.
_AGENDA = _agenda_of(*Priority.__table__.columns)


def _agenda_params(visit) -> dict:
    return {"patient_id": visit.patient_id, "visit_id": visit.id, "scheduled_at": visit.scheduled_at}


def _agenda_rows(session: Session, visit: Visit) -> list[Priority]:
    return list(session.exec(_AGENDA_ROWS, params=_agenda_params(visit)).all())


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def agenda(store: Store, visit_id: int) -> list[PriorityView]:
    """The priorities to talk about in this visit, in the agreed order."""
    visit = visit_record(store, visit_id)  # the glance's own read of the visit
    with store.session() as session:
        return [_view(row) for row in session.exec(_AGENDA, params=_agenda_params(visit)).all()]


def priorities_of_visit(store: Store, visit_id: int) -> list[PriorityView]:
    """Only the priorities raised in this visit (for "open items from last time")."""
    with store.session() as session:
        get_visit(session, visit_id)
        query = (
            select(Priority)
            .where(Priority.visit_id == visit_id, Priority.retracted_at.is_(None))
            .order_by(Priority.rank, Priority.id)
        )
        return [_view(row) for row in session.exec(query).all()]


def add_priority(
    store: Store,
    visit_id: int,
    text: str,
    *,
    lasting: bool = False,
    source: str = "patient",
    sensitive: bool = False,
    draft: DraftKey | None = None,
) -> Changed[PriorityView]:
    """Add a priority at the end of the agenda (and clear the draft it was typed in, in the same commit)."""
    text = clean_text(text, "the priority")
    source_value = parse_choice(Source, source, "source")
    verdict = store.content.privacy.judge(text, marked=sensitive)
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        if not lasting:  # what lasts is the patient's, shown at their later visits whichever it was said at
            taking_place(visit)
        ranks = [row.rank for row in _agenda_rows(session, visit)]
        row = Priority(
            patient_id=visit.patient_id,
            visit_id=visit.id,
            text=text,
            rank=max(ranks, default=-1) + 1,
            scope=Scope.lasting if lasting else Scope.today,
            source=source_value,
            **verdict.columns(),
        )
        session.add(row)
        clear_draft(session, draft)
        session.commit()
        session.refresh(row)
        return changed(session, _view(row))


def reorder(store: Store, visit_id: int, priority_ids: list[int]) -> Changed:
    """Store a new order for the agenda. `priority_ids` are the ones the user ordered (the glance shows no private
    one): any others on the agenda keep their order after them."""
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        rows = {row.id: row for row in _agenda_rows(session, visit)}
        if len(set(priority_ids)) != len(priority_ids) or not set(priority_ids) <= set(rows):
            raise CompanionError("the new order does not match this visit's priorities; reload and retry")
        rest = [priority_id for priority_id in rows if priority_id not in set(priority_ids)]
        for rank, priority_id in enumerate([*priority_ids, *rest]):
            if rows[priority_id].rank != rank:
                rows[priority_id].rank = rank
                session.add(rows[priority_id])
        session.commit()
        return changed(session)


def set_state(store: Store, priority_id: int, state: str) -> Changed:
    state_value = parse_choice(PriorityState, state, "priority state")
    with store.writing() as session:
        row = get_or_fail(session, Priority, priority_id, "priority")
        row.state = state_value
        session.add(row)
        session.commit()
        return changed(session)


def edit_priority(
    store: Store, priority_id: int, text: str, draft: DraftKey | None = None, expected_text: str | None = None
) -> Changed[PriorityView]:
    """Correct a priority's words; the earlier words are kept as history. `expected_text`: the words the correction
    started from; if someone saved others meanwhile (the patient, on the screen turned to them), this save still goes
    through (nothing typed is lost), theirs stay in the history, and the result says so, as a note's edit does."""
    text = clean_text(text, "the priority")
    with store.writing() as session:
        row = get_or_fail(session, Priority, priority_id, "priority")
        if row.retracted_at is not None:
            raise CompanionError(f"priority {priority_id} was retracted and can no longer be edited")
        conflict = expected_text is not None and row.text != expected_text and row.text != text
        revise_words(session, store, row, text, PriorityRevision(priority_id=row.id, text=row.text))
        clear_draft(session, draft)
        session.commit()
        return changed(session, replace(_view(row), conflict=conflict))


def retract_priority(store: Store, priority_id: int, reason: str, draft: DraftKey | None = None) -> Changed:
    """Take a priority off the agenda (entered by mistake), keeping it and the reason in the database."""
    reason = clean_text(reason, "the reason for retracting", MAX_SHORT)
    with store.writing() as session:
        row = get_or_fail(session, Priority, priority_id, "priority")
        take_off(row, reason, "priority")
        session.add(row)
        clear_draft(session, draft)
        session.commit()
        return changed(session)


def priority_history(store: Store, priority_id: int) -> list[str]:
    """Earlier words of a priority, oldest first."""
    with store.session() as session:
        get_or_fail(session, Priority, priority_id, "priority")
        query = select(PriorityRevision).where(PriorityRevision.priority_id == priority_id)
        return [rev.text for rev in session.exec(query.order_by(PriorityRevision.id)).all()]
