"""The patient's own answers, typed at check-in or corrected on the screen turned toward them.

Each priority keeps the language it was typed in; the audit entry of the same commit names the ids and the
language ("patient check-in", "typed in es; priorities 4, 5"), never the words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import or_
from sqlmodel import select

from companion.errors import CompanionError
from companion.fhir.patient_map import language_code
from companion.read.models import Changed
from companion.services.lookup import get_or_fail, get_visit
from companion.services.priorities import _agenda_rows
from companion.services.revisions import revise_words
from companion.storage import audit
from companion.storage.changes import changed
from companion.storage.models import (
    CLOSED_STATUSES,
    ContextNote,
    NextStep,
    NextStepRevision,
    NoteKind,
    Patient,
    Priority,
    PriorityRevision,
    Scope,
    Source,
    utcnow,
)
from companion.storage.store import Store
from companion.text import clean_text, shows_nothing

AUTHOR = "the patient, at check-in"
CORRECTED_BY = "the patient"  # on the screen turned to them (F9)


def save_checkin(
    store: Store,
    visit_id: int,
    *,
    language: str,
    matters: list[str],
    something_else: str = "",
    needs: str = "",
    interpreter: bool | None = None,
) -> Changed[list[int]]:
    """In one commit: what matters (in order) and "something else" as the patient's priorities, what makes it hard
    to look after their health as a lasting practical note, and whether they want an interpreter. A "yes" records
    the need; a "no" leaves what the record says (a relative answering for the patient cannot take an interpreter
    away). Words the patient already gave for this visit (a second check-in) are not added twice. A box that
    shows nothing is left out (it looks empty to the patient), never the reason the others are refused. A visit
    closed meanwhile (cancelled at another desk) takes no answers: nobody would read them there."""
    said = [clean_text(text, "the priority") for text in [*matters, something_else] if not shows_nothing(text)]
    needs = "" if shows_nothing(needs) else clean_text(needs, "the practical needs")
    language = clean_text(language, "the language")
    with written_by_the_patient(AUTHOR), store.writing() as session:
        visit = get_visit(session, visit_id)
        if visit.status in CLOSED_STATUSES:
            status = visit.status.value.replace("_", " ")
            raise CompanionError(f"this visit was marked {status} at another desk meanwhile; nothing was saved to it")
        patient = get_or_fail(session, Patient, visit.patient_id, "patient")
        judged_in = _language_to_judge_in(store, language, patient, bool(interpreter))
        agenda = _agenda_rows(session, visit)
        rank = max((row.rank for row in agenda), default=-1) + 1
        already = {row.text for row in agenda if row.source == Source.patient}
        said = [text for text in dict.fromkeys(said) if text not in already]
        rows = []
        for offset, text in enumerate(said):
            row = Priority(
                patient_id=visit.patient_id,
                visit_id=visit.id,
                text=text,
                rank=rank + offset,
                scope=Scope.today,
                source=Source.patient,
                language=language,
                # words in a language the rules are not written in are read by the clinician behind the reveal
                **store.content.privacy.judge(text, language=judged_in).columns(),
            )
            session.add(row)
            rows.append(row)
        if needs and needs not in _lasting_practical(session, visit.patient_id):  # a second check-in: once
            session.add(
                ContextNote(
                    patient_id=visit.patient_id,
                    kind=NoteKind.practical,
                    text=needs,
                    author=AUTHOR,
                    **store.content.privacy.judge(needs, language=judged_in).columns(),
                )
            )
        if interpreter:
            patient.interpreter_needed = True
            session.add(patient)
        session.flush()
        ids = [row.id for row in rows]
        detail = f"typed in {language}; priorities {', '.join(map(str, ids)) or 'none'}"
        session.add(audit.entry("patient check-in", visit.patient_id, visit.id, detail))
        session.commit()
        return changed(session, ids)


def correct_next_step_as_patient(store: Store, step_id: int, text: str, language: str = "") -> Changed:
    """ "That's not what I meant" said of an agreed next step: corrected in place, the earlier words kept.
    `language`: the one the screen turned toward the patient speaks, which they typed in."""
    text = clean_text(text, "the next step")
    with written_by_the_patient(CORRECTED_BY), store.writing() as session:
        row = get_or_fail(session, NextStep, step_id, "next step")
        earlier = NextStepRevision(next_step_id=row.id, text=row.text)
        if revise_words(session, store, row, text, earlier, language=language):
            visit = get_visit(session, row.visit_id)
            session.add(audit.entry("corrected by the patient", visit.patient_id, row.visit_id, f"next step {step_id}"))
        session.commit()
        return changed(session)


def correct_as_patient(store: Store, priority_id: int, text: str, language: str = "") -> Changed:
    """ "That's not what I meant": the patient's own correction of an item; the earlier words are kept. `language`:
    the one they typed in (the screen's), else the one the item was first given in."""
    text = clean_text(text, "the priority")
    with written_by_the_patient(CORRECTED_BY), store.writing() as session:
        row = get_or_fail(session, Priority, priority_id, "priority")
        if row.retracted_at is not None:
            raise CompanionError(f"priority {priority_id} was retracted and can no longer be corrected")
        if row.source != Source.patient:  # recorded as the patient's words, under the care team's name: never
            raise CompanionError("only the patient's own words are corrected here; the care team edits theirs")
        earlier = PriorityRevision(priority_id=row.id, text=row.text)
        if revise_words(session, store, row, text, earlier, language=_typed_in(store, language, row.language)):
            detail = f"priority {priority_id}"
            session.add(audit.entry("corrected by the patient", row.patient_id, row.visit_id, detail))
        session.commit()
        return changed(session)


@contextmanager
def written_by_the_patient(label: str) -> Iterator[None]:
    """The patient's own words are saved in the session of the clinician who handed them the screen: the audit
    trail, and so Rooming's stamp and the item's history, name the patient, never that clinician (whose id stays on
    each entry: it was their screen)."""
    handed_by = audit.current_actor()
    with audit.acting(audit.Actor(label, handed_by.clinician_id)):
        yield


def _typed_in(store: Store, screen: str, item: str) -> str:
    """The language a patient's correction is judged in: the screen's, unless the item came in one the rules
    cannot read (the screen falls back to English for a language it has no words in; the patient still writes
    theirs)."""
    if item and not store.content.privacy.lexicon.reads(item):
        return item
    return screen or item


def _lasting_practical(session, patient_id: int) -> set[str]:
    """The patient's practical notes still standing, by their words (an alert whose period has ended is not)."""
    query = select(ContextNote.text).where(
        ContextNote.patient_id == patient_id, ContextNote.kind == NoteKind.practical, ContextNote.retracted_at.is_(None)
    )
    query = query.where(or_(ContextNote.ends_at.is_(None), ContextNote.ends_at > utcnow()))
    return set(session.exec(query).all())


def _language_to_judge_in(store: Store, screen: str, patient: Patient, wants_interpreter: bool) -> str:
    """The screen's language, unless the patient needs an interpreter for a language the privacy rules are not
    written in: only English and Spanish screens ship, so a Portuguese speaker picks English and types "tenho
    pensado em me matar", which no English phrase reads. Their words are then judged in their own language (held
    behind the reveal, as a portal's answers of theirs are when imported). A patient who needs no interpreter
    types in the screen's language, or in letters the rules tell apart (Lexicon.written_unread)."""
    spoken = language_code(patient.preferred_language)
    unread = spoken and not store.content.privacy.lexicon.reads(spoken)
    return spoken if unread and (patient.interpreter_needed or wants_interpreter) else screen
