"""Text typed into the window but not yet entered, saved as it is typed so nothing is lost."""

from __future__ import annotations

from sqlalchemy import bindparam, delete
from sqlmodel import Session, select

from companion.read.models import Changed
from companion.services.lookup import get_visit
from companion.storage.changes import changed
from companion.storage.models import Draft, utcnow
from companion.storage.read_scope import shared_read
from companion.storage.store import Store
from companion.text import MAX_TEXT

# Which input a draft belongs to: the visit on screen and the field's name, with its writer ("glance:cue:by:3").
DraftKey = tuple[int, str]
BY = ":by:"


def owned(field: str, clinician_id: int) -> str:
    """A draft is its writer's alone: the next clinician at the workstation (after the lock) never sees words typed
    and not entered, which the privacy rule has not judged yet, nor enters them under their own name."""
    return f"{field}{BY}{clinician_id}"


def _unowned(field: str) -> str:
    """The same input's draft as kept before drafts had a writer (offered to whoever opens the visit, once). Its
    handling can go once no database from before writers (this version) is in use."""
    return field.rpartition(BY)[0] if BY in field else field


def save_draft(store: Store, visit_id: int, field: str, text: str) -> Changed:
    """Keep the latest text of one input; an empty input removes its draft. A draft is nothing anyone else sees:
    the change it returns (and logs) is empty, and no open view reads again for it."""
    text = text[: MAX_TEXT * 2]
    with store.writing() as session:
        get_visit(session, visit_id)
        row = session.exec(select(Draft).where(Draft.visit_id == visit_id, Draft.field == field)).first()
        if _unowned(field) != field:  # a draft from before drafts had a writer now becomes this writer's
            session.execute(delete(Draft).where(Draft.visit_id == visit_id, Draft.field == _unowned(field)))
        if not text.strip():
            if row is not None:
                session.delete(row)
                session.commit()
            return changed(session)
        row = row or Draft(visit_id=visit_id, field=field, text=text)
        row.text, row.updated_at = text, utcnow()
        session.add(row)
        session.commit()
        return changed(session)


def clear_draft(session: Session, draft: DraftKey | None) -> None:
    """Remove the draft of an input whose text is being saved, in the saving transaction: one commit."""
    if draft is not None:
        visit_id, field = draft
        session.execute(delete(Draft).where(Draft.visit_id == visit_id, Draft.field.in_({field, _unowned(field)})))


# Built once: every glance switch reads it (benchmarks/: switch p95 under 8 ms).
_draft = Draft.__table__.c
_DRAFTS_OF_VISIT = select(_draft.field, _draft.text).where(_draft.visit_id == bindparam("visit_id"))


@shared_read  # answered once per screen refresh (companion.storage.read_scope)
def drafts_for_visit(store: Store, visit_id: int, clinician_id: int) -> dict[str, str]:
    """This clinician's drafts for the visit, by field (their own over one from before drafts had a writer)."""
    with store.session() as session:
        rows = dict(session.exec(_DRAFTS_OF_VISIT, params={"visit_id": visit_id}).all())
    mine = owned("", clinician_id)
    older = {field: text for field, text in rows.items() if BY not in field}
    return older | {field.removesuffix(mine): text for field, text in rows.items() if field.endswith(mine)}
