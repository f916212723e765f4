"""Fetching rows by id with a clear error that names the id, never the patient."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, SQLModel

from companion.errors import NotFound
from companion.storage.models import ContextNote, Visit

Row = TypeVar("Row", bound=SQLModel)


def get_or_fail(session: Session, model: type[Row], row_id: int, what: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {what} with id {row_id}")
    return row


def get_visit(session: Session, visit_id: int) -> Visit:
    return get_or_fail(session, Visit, visit_id, "visit")


def get_note(session: Session, note_id: int) -> ContextNote:
    return get_or_fail(session, ContextNote, note_id, "note")
