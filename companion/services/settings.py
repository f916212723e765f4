"""Clinic-wide settings an admin chooses: how long visit data is kept (companion.services.retention) and when an idle
window locks. A value written by hand or by an older version that makes no sense counts as unset: a setting must
never keep the app from starting, nor leave a window unlocked."""

from __future__ import annotations

from typing import Final

from sqlmodel import Session

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.storage.changes import changed
from companion.storage.models import Setting
from companion.storage.store import Store

LOCK_KEY = "auto_lock_minutes"
DEFAULT_LOCK_MINUTES = 5
MAX_LOCK_MINUTES = 60


# A setting a save leaves as the database holds it when written: an admin at another desk may have changed it
# since this one read it, and a save of the settings someone did not touch must not put their old values back.
AS_STORED: Final = object()


def get_setting(store: Store, key: str) -> str:
    with store.session() as session:
        return stored_setting(session, key)


def stored_setting(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else ""


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key) or Setting(key=key, value=value)
    row.value = value
    session.add(row)


def idle_lock_ms(store: Store) -> int:
    """After how long without a key or a click the window locks: the clinic's setting (up to an hour), else five
    minutes (also for a value that is not a number, out of range, NaN or infinite)."""
    try:
        minutes = float(get_setting(store, LOCK_KEY) or DEFAULT_LOCK_MINUTES)
    except ValueError:
        minutes = DEFAULT_LOCK_MINUTES
    if not 0 < minutes <= MAX_LOCK_MINUTES:  # also NaN and infinity
        minutes = DEFAULT_LOCK_MINUTES
    return max(int(minutes * 60_000), 1000)


def save_clinic_settings(
    store: Store, keep_days: object = AS_STORED, purge_at_start: object = AS_STORED, lock_minutes: object = AS_STORED
) -> Changed:
    """The admin view's settings, all in one commit: those it changed; the others stay as stored (AS_STORED)."""
    from companion.services.retention import put_retention  # retention reads its settings from here

    if lock_minutes is not AS_STORED and not 1 <= lock_minutes <= MAX_LOCK_MINUTES:
        raise CompanionError(f"the lock is 1 to {MAX_LOCK_MINUTES} minutes")
    with store.writing() as session:
        put_retention(session, keep_days, purge_at_start)
        if lock_minutes is not AS_STORED:
            put_setting(session, LOCK_KEY, str(lock_minutes))
        session.commit()
        return changed(session)
