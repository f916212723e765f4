"""Context notes: added as the nurse learns them, edited with history, retracted (never deleted)."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, or_
from sqlmodel import select

from companion.errors import CompanionError
from companion.read.models import Changed, NoteView
from companion.read.note_kinds import TOPICS, can_last
from companion.services.drafts import DraftKey, clear_draft
from companion.services.lookup import get_note, get_or_fail, get_visit
from companion.services.revisions import take_off
from companion.services.visits import visit_record
from companion.storage.changes import changed
from companion.storage.models import ContextNote, NoteKind, NoteRevision, Patient, utcnow
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text, parse_choice

# What a NoteView is made of: an ORM row or a row of these columns serves alike.
NOTE_COLUMNS = (
    "id",
    "kind",
    "topic",
    "text",
    "visit_id",
    "sensitive",
    "private_category",
    "author",
    "created_at",
    "updated_at",
)


def note_view(row: ContextNote, edited: bool = False, conflict: bool = False) -> NoteView:
    return NoteView(
        id=row.id,
        kind=row.kind.value,
        topic=row.topic,
        text=row.text,
        lasting=row.visit_id is None,
        sensitive=row.sensitive,
        author=row.author,
        created_at=row.created_at,
        updated_at=row.updated_at,
        edited=edited,
        conflict=conflict,
        category=row.private_category,
    )


def parse_kind(kind: str) -> NoteKind:
    return parse_choice(NoteKind, kind, "note kind")


# The table's own columns (no ORM rows or attributes) and "edited" in the same query; built once, with the ids
# bound at each call. This runs on every glance switch, where building a statement or ORM objects costs more
# than running the query itself (benchmarks/: switch p95 under 8 ms).
_note = ContextNote.__table__.c
# Still standing: not retracted, and not an alert whose period in the record has ended since it was imported.
_CURRENT = (_note.retracted_at.is_(None), or_(_note.ends_at.is_(None), _note.ends_at > bindparam("now")))
_NOTES_OF_VISIT = (
    select(
        *(_note[name] for name in NOTE_COLUMNS),
        exists().where(NoteRevision.__table__.c.note_id == _note.id).label("edited"),
    )
    .where(_note.patient_id == bindparam("patient_id"), *_CURRENT)
    .where(or_(_note.visit_id == bindparam("visit_id"), _note.visit_id.is_(None)))
    .order_by(_note.created_at, _note.id)
)


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def notes_for_visit(store: Store, visit_id: int, kind: str | None = None) -> list[NoteView]:
    """The patient's lasting notes and this visit's notes, oldest first, retracted and ended ones left out."""
    query = _NOTES_OF_VISIT
    if kind is not None:
        query = query.where(_note.kind == parse_kind(kind))
    patient_id = visit_record(store, visit_id).patient_id  # the glance's own read of the visit
    with store.session() as session:
        rows = session.exec(query, params={"patient_id": patient_id, "visit_id": visit_id, "now": utcnow()})
        return [note_view(row, row.edited) for row in rows.all()]


def withdrawn_notes_for_visit(store: Store, visit_id: int) -> list[NoteView]:
    """The notes notes_for_visit would list had they not been retracted (this visit's and the patient's lasting
    ones), oldest first: an export names them withdrawn, so a record that took an earlier export takes them off."""
    patient_id = visit_record(store, visit_id).patient_id
    query = (
        select(*(_note[name] for name in NOTE_COLUMNS))
        .where(_note.patient_id == patient_id, _note.retracted_at.is_not(None))
        .where(or_(_note.visit_id == visit_id, _note.visit_id.is_(None)))
        .order_by(_note.created_at, _note.id)
    )
    with store.session() as session:
        return [note_view(row) for row in session.exec(query).all()]


def lasting_notes(store: Store, patient_id: int) -> list[NoteView]:
    """The patient's lasting notes (about them, not one visit), oldest first, retracted and ended ones left out."""
    query = (
        select(*(_note[name] for name in NOTE_COLUMNS), exists().where(NoteRevision.__table__.c.note_id == _note.id))
        .where(_note.patient_id == patient_id, _note.visit_id.is_(None), *_CURRENT)
        .order_by(_note.created_at, _note.id)
    )
    with store.session() as session:
        get_or_fail(session, Patient, patient_id, "patient")
        return [note_view(row, row[-1]) for row in session.exec(query, params={"now": utcnow()}).all()]


def add_note(
    store: Store,
    visit_id: int,
    kind: str,
    text: str,
    author: str,
    *,
    lasting: bool = False,
    topic: str = "",
    sensitive: bool = False,
    draft: DraftKey | None = None,
) -> Changed[NoteView]:
    """Save a new note; it is private when its writer marks it or the clinic's rules say so (companion.privacy).
    The draft it was typed in, if named, goes in the same commit."""
    note_kind = parse_kind(kind)
    text = clean_text(text, "the note")
    author = clean_text(author, "the author", MAX_SHORT)
    if lasting and not can_last(note_kind):
        raise CompanionError(f"{note_kind.value} notes belong to one visit; --lasting does not apply")
    if topic and topic not in TOPICS[note_kind.value]:
        choices = ", ".join(TOPICS[note_kind.value]) or "none"
        raise CompanionError(f"unknown topic for a {note_kind.value} note; use {choices}")  # not echoed (parse_choice)
    verdict = store.content.privacy.judge(text, marked=sensitive, topic=topic)
    with store.writing() as session:
        visit = get_visit(session, visit_id)
        row = ContextNote(
            patient_id=visit.patient_id,
            visit_id=None if lasting else visit.id,
            kind=note_kind,
            topic=topic,
            text=text,
            author=author,
            **verdict.columns(),
        )
        session.add(row)
        clear_draft(session, draft)
        session.commit()
        session.refresh(row)
        return changed(session, note_view(row))


def edit_note(
    store: Store,
    note_id: int,
    text: str,
    author: str,
    expected_text: str | None = None,
    draft: DraftKey | None = None,
) -> Changed[NoteView]:
    """Replace a note's text, keeping the earlier text, its author and time as history.

    `expected_text` is the text the editor started from: if someone saved another text meanwhile, this save
    still goes through (nothing typed is lost), theirs stays in the history, and the result says so."""
    text = clean_text(text, "the note")
    author = clean_text(author, "the author", MAX_SHORT)
    with store.writing() as session:
        row = get_note(session, note_id)
        if row.retracted_at is not None:
            raise CompanionError(f"note {note_id} was retracted and can no longer be edited")
        if _original_author(session, row) != author:
            raise CompanionError("only the note's author can edit it; add a note of your own instead")
        conflict = expected_text is not None and row.text != expected_text
        clear_draft(session, draft)
        if row.text == text:
            session.commit()
            return changed(session, note_view(row))
        session.add(NoteRevision(note_id=row.id, text=row.text, author=row.author, saved_at=row.updated_at))
        row.text, row.author, row.updated_at = text, author, utcnow()
        verdict = store.content.privacy.judge(text, topic=row.topic)
        verdict = verdict.keep(row.sensitive, row.private_category, row.private_reason)
        row.sqlmodel_update(verdict.columns())
        session.add(row)
        session.commit()
        session.refresh(row)
        return changed(session, note_view(row, edited=True, conflict=conflict))


def retract_note(store: Store, note_id: int, reason: str, draft: DraftKey | None = None) -> Changed:
    """Hide a note from every view while keeping it, and why, in the database."""
    reason = clean_text(reason, "the reason for retracting", MAX_SHORT)
    with store.writing() as session:
        row = get_note(session, note_id)
        take_off(row, reason, "note")
        session.add(row)
        clear_draft(session, draft)
        session.commit()
        return changed(session)


def note_history(store: Store, note_id: int) -> list[tuple[str, str]]:
    """Earlier texts of a note with their authors, oldest first."""
    with store.session() as session:
        get_note(session, note_id)
        query = select(NoteRevision).where(NoteRevision.note_id == note_id).order_by(NoteRevision.id)
        return [(rev.text, rev.author) for rev in session.exec(query).all()]


def _original_author(session, row: ContextNote) -> str:
    """Who first wrote the note (an edit records the editor, who is the same person)."""
    first = session.exec(
        select(NoteRevision.author).where(NoteRevision.note_id == row.id).order_by(NoteRevision.id)
    ).first()
    return first or row.author
