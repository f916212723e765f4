"""The emotion checklist: cues observed in a visit, the NURSE steps the clinician ticked, and phrases that fit the
emotion each cue names."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import bindparam
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed, CueView, StepView
from companion.services.drafts import DraftKey
from companion.services.lookup import get_note
from companion.services.notes import add_note, notes_for_visit
from companion.storage.changes import changed
from companion.storage.models import NoteKind, NurseStep, NurseTick
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import parse_choice


def add_cue(store: Store, visit_id: int, text: str, author: str, draft: DraftKey | None = None) -> Changed[CueView]:
    """A cue is an emotion note on this visit; it starts with no step ticked."""
    saved = add_note(store, visit_id, "emotion", text, author, draft=draft)
    note = saved.result
    return replace(saved, result=_cue(store, note.id, note.text, set(), note.sensitive))


# Built once with the ids bound at each call: every glance switch with a cue reads the ticks (benchmarks/: switch
# p95 under 8 ms).
_tick = NurseTick.__table__.c
_TICKS = select(_tick.note_id, _tick.step).where(_tick.note_id.in_(bindparam("note_ids", expanding=True)))


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def cues_for_visit(store: Store, visit_id: int) -> list[CueView]:
    """The visit's cues, oldest first, private ones included (companion.read.briefing decides). They are its
    emotion notes, read with its other notes (the glance reads those anyway), so on a switch only their ticks
    cost a query, and only when there is a cue."""
    cues = [n for n in notes_for_visit(store, visit_id) if n.kind == NoteKind.emotion.value and not n.lasting]
    ticked: dict[int, set[str]] = {}
    if cues:  # most visits have no cue yet: no query
        with store.session() as session:
            for note_id, step in session.exec(_TICKS, params={"note_ids": [n.id for n in cues]}).all():
                ticked.setdefault(note_id, set()).add(step.value)
    return [_cue(store, n.id, n.text, ticked.get(n.id, set()), n.sensitive) for n in cues]


def set_step(store: Store, cue_id: int, step: str, ticked: bool) -> Changed:
    """Tick or untick one NURSE step for a cue; ticking twice keeps the first time."""
    step_value = parse_choice(NurseStep, step, "NURSE step")
    with store.writing() as session:
        note = get_note(session, cue_id)
        if note.kind is not NoteKind.emotion:
            raise CompanionError(f"note {cue_id} is not an emotional cue")
        existing = session.exec(
            select(NurseTick).where(NurseTick.note_id == cue_id, NurseTick.step == step_value)
        ).first()
        if ticked and existing is None:
            session.add(NurseTick(note_id=cue_id, step=step_value))
        elif not ticked and existing is not None:
            session.delete(existing)
        session.commit()
        return changed(session)


def _cue(store: Store, note_id: int, text: str, ticked: set[str], sensitive: bool) -> CueView:
    """The cue with the phrases of the emotion it names, in its language (companion.read.emotion_family); the
    neutral ones when it names none the lexicon knows."""
    reading = store.content.emotions.read(text)
    steps = tuple(
        StepView(key=s.key, label=s.label, phrase=reading.phrases.steps[s.key], ticked=s.key in ticked)
        for s in store.content.nurse_steps
    )
    return CueView(
        id=note_id,
        text=text,
        steps=steps,
        sensitive=sensitive,
        family=reading.family,
        family_label=reading.label,
        language=reading.language,
        wish=reading.phrases.wish,
        more=reading.phrases.more,
    )
