"""Clinic-wide settings an admin chooses: how long visit data is kept (companion.services.retention) and when an idle
window locks. A value written by hand or by an older version that makes no sense counts as unset: a setting must
never keep the app from starting, nor leave a window unlocked."""

from __future__ import annotations

from sqlmodel import Session

from companion.errors import CompanionError
from companion.read.models import Changed
from companion.storage.changes import changed
from companion.storage.models import Setting
from companion.storage.store import Store

LOCK_KEY = "auto_lock_minutes"
DEFAULT_LOCK_MINUTES = 5
MAX_LOCK_MINUTES = 60


def get_setting(store: Store, key: str) -> str:
    with store.session() as session:
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


def save_clinic_settings(store: Store, keep_days: int | None, purge_at_start: bool, lock_minutes: int) -> Changed:
    """The admin view's settings, all in one commit."""
    from companion.services.retention import put_retention  # retention reads its settings from here

    if not 1 <= lock_minutes <= MAX_LOCK_MINUTES:
        raise CompanionError(f"the lock is 1 to {MAX_LOCK_MINUTES} minutes")
    with store.writing() as session:
        put_retention(session, keep_days, purge_at_start)
        put_setting(session, LOCK_KEY, str(lock_minutes))
        session.commit()
        return changed(session)
