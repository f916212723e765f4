"""How an item changes while keeping what it was: new words beside its earlier ones (the one way a priority or a
next step is corrected, by a nurse in Rooming or by the patient on the screen turned toward them), or taken off
with the reason why."""

from __future__ import annotations

from sqlmodel import SQLModel

from companion.errors import CompanionError
from companion.storage.models import utcnow
from companion.storage.store import Store


def revise_words(session, store: Store, row, text: str, earlier: SQLModel, language: str = "") -> bool:
    """Give `row` the words `text`, keeping its earlier words in `earlier` (a revision row made from them), and
    judge the new words as every text is (a private item stays private), in the language they were typed in when
    known. False when the words are the same."""
    if row.text == text:
        return False
    session.add(earlier)
    row.text = text
    verdict = store.content.privacy.judge(text, language=language).keep(
        row.sensitive, row.private_category, row.private_reason
    )
    row.sqlmodel_update(verdict.columns())
    session.add(row)
    return True


def take_off(row, reason: str, what: str) -> None:
    """Take an item off every view, keeping it with the reason. Once: when two desks take the same item off, the
    first's reason and time are the record's, and the second is told instead of writing over them."""
    if row.retracted_at is not None:
        raise CompanionError(f"this {what} was taken off already (on another desk); the first reason stays")
    row.retracted_at, row.retraction_reason = utcnow(), reason
