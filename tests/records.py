"""What tests read or write behind the app's back: rows no screen shows, values only an older version or a
hand-edit could have stored."""

from __future__ import annotations

from sqlmodel import select

from companion.services.settings import put_setting
from companion.storage.models import RitualRun
from companion.storage.store import Store


def ritual_runs(store: Store, visit_id: int) -> int:
    """How many focus rituals were recorded on the visit."""
    with store.session() as session:
        return len(session.exec(select(RitualRun.id).where(RitualRun.visit_id == visit_id)).all())


def write_setting(store: Store, key: str, value: str) -> None:
    """A clinic setting stored as is, unchecked (a hand-edit, an older version, a test's short lock)."""
    with store.writing() as session:
        put_setting(session, key, value)
        session.commit()
