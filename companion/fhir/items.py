"""Priorities and context notes from imported facts: new ones added; changed ones updated with their earlier
words kept as history, as an edit in the window would; ones the record withdrew retracted, never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from companion.fhir.answer_map import PriorityFacts
from companion.fhir.fact_map import NoteFacts
from companion.fhir.values import stored_utc
from companion.fhir.writer import NotUsed, Writer
from companion.read.note_kinds import can_last
from companion.storage.models import (
    ContextNote,
    NoteKind,
    NoteRevision,
    NurseStep,
    NurseTick,
    Priority,
    PriorityRevision,
    PriorityState,
    Scope,
    utcnow,
)


def write_priority(writer: Writer, facts: PriorityFacts, aliases: list[str]) -> None:
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    row = writer.find(Priority, [facts.key, *aliases])
    verdict = writer.judge(facts.text, facts.signals)
    if row is None:
        if facts.only_update or facts.retract:
            raise NotUsed("closed in the record before it was ever imported")
        visit_id = writer.visit_id(facts.visit, patient_id) or writer.anchor(
            patient_id, facts.when, upcoming=facts.scope is Scope.today
        )
        values = {
            "source_key": facts.key,
            "patient_id": patient_id,
            "visit_id": visit_id,
            "text": facts.text,
            "rank": facts.rank if facts.rank is not None else _next_rank(writer, visit_id),
            "scope": facts.scope,
            "source": facts.source,
            "state": facts.state or PriorityState.open,
            **verdict.columns(),
        }
        writer.save("priorities", Priority(**values), values, new=True)
        return
    if row.retracted_at is not None:  # someone took it off the agenda here; the record does not put it back
        writer.count("priorities", "unchanged")
        return
    values: dict = {"source_key": facts.key, "source": facts.source}
    if facts.retract:
        values.update(retracted_at=utcnow(), retraction_reason=facts.retract)
    if facts.state is not None:
        values["state"] = facts.state
    if facts.rank is not None:
        values["rank"] = facts.rank
    values |= verdict.keep(row.sensitive, row.private_category, row.private_reason).columns()  # never made public
    if row.text != facts.text:
        writer.session.add(PriorityRevision(priority_id=row.id, text=row.text))
        values["text"] = facts.text
    writer.save("priorities", row, values, new=False)


def write_note(writer: Writer, facts: NoteFacts, aliases: list[str]) -> None:
    patient_id = writer.patient_id(facts.patient, facts.patient_display)
    key = facts.key or f"fact:{patient_id}:{facts.code}"  # one note per patient and code: the latest value
    row = writer.find(ContextNote, [key, *aliases])
    verdict = writer.judge(facts.text, facts.signals)
    if row is None:
        if facts.retract:
            raise NotUsed("withdrawn in the record before it was ever imported")
        visit_id = writer.visit_id(facts.visit, patient_id)
        kind = facts.kind if visit_id is not None or can_last(facts.kind) else NoteKind.social
        at = facts.observed_at or utcnow()
        values = {
            "source_key": key,
            "patient_id": patient_id,
            "visit_id": visit_id,
            "kind": kind,
            "topic": facts.topic if kind is facts.kind else "",
            "code": facts.code,
            "observed_at": facts.observed_at,
            "text": facts.text,
            **verdict.columns(),
            "author": facts.author,
            "created_at": at,  # when it was true in the record: the story lists the newest first
            "updated_at": at,
        }
        row = ContextNote(**values)
        writer.save("notes", row, values, new=True)
        _tick(writer, row.id, facts.ticks)
        return
    if row.retracted_at is not None or (facts.code and _older(facts.observed_at, row.observed_at)):
        writer.count("notes", "unchanged")
        return
    values: dict = {"source_key": key, "observed_at": facts.observed_at}
    if row.kind is facts.kind:
        values["topic"] = facts.topic
    if facts.retract:
        values.update(retracted_at=utcnow(), retraction_reason=facts.retract)
    values |= verdict.keep(row.sensitive, row.private_category, row.private_reason).columns()
    if row.text != facts.text:
        writer.session.add(NoteRevision(note_id=row.id, text=row.text, author=row.author, saved_at=row.updated_at))
        values.update(text=facts.text, author=facts.author, updated_at=utcnow())
    ticked = _tick(writer, row.id, facts.ticks)
    if not writer.save("notes", row, values, new=False) and ticked:
        writer.counts[("notes", "unchanged")] -= 1
        writer.count("notes", "updated")


def _older(new: datetime | None, stored: datetime | None) -> bool:
    """Whether a value is older than the one kept (an undated value never replaces a dated one)."""
    if stored is None:
        return False
    return new is None or stored_utc(new) < stored_utc(stored)


def _next_rank(writer: Writer, visit_id: int) -> int:
    highest = writer.session.exec(select(func.max(Priority.rank)).where(Priority.visit_id == visit_id)).first()
    return (highest if highest is not None else -1) + 1


def _tick(writer: Writer, note_id: int, steps: tuple[str, ...]) -> bool:
    """Add the NURSE steps an export says were ticked (never untick: ticks are made here, in the visit)."""
    wanted = {step for step in steps if step in {s.value for s in NurseStep}}
    if not wanted:
        return False
    have = set(writer.session.exec(select(NurseTick.step).where(NurseTick.note_id == note_id)).all())
    missing = wanted - {s.value if isinstance(s, NurseStep) else s for s in have}
    for step in sorted(missing):
        writer.session.add(NurseTick(note_id=note_id, step=NurseStep(step)))
    return bool(missing)
