"""The database as the window opens, watches and mends it: open it (or learn that its file is damaged), back it
up each day, ask whether it answers, hear when a save waits for another workstation, and put the latest backup
back while the window stays open. The window reaches storage only through the services (pyproject.toml: the
import contracts); this module is its door to the file itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from companion.errors import CompanionError
from companion.storage import backups, busy
from companion.storage.damage import DamagedDatabase, MissingDatabase
from companion.storage.schema import prepare_schema
from companion.storage.sqlite_file import NoDatabaseAt
from companion.storage.store import Store, open_store

# What a caller catches and holds.
__all__ = ["DamagedDatabase", "MissingDatabase", "NoDatabaseAt", "Store", "open_store"]

WAITING = busy.WAITING  # the words for a save waiting its turn


def on_waiting(notice: Callable[[], None] | None) -> None:
    """`notice` is called (from the saving thread) when a save has waited a while for another workstation."""
    busy.on_waiting(notice)


def answers(store: Store) -> bool:
    """Whether the database takes a question just now (after an outage: before replaying what waited)."""
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError):
        return False
    return True


def back_up_today(store: Store) -> Path | None:
    """Today's backup of a SQLite file, unless made already; a server database is backed up by its own tools."""
    return backups.daily_backup(store.sqlite_file) if store.sqlite_file is not None else None


def restore_latest_of(database: Path) -> backups.Restored:
    """Put the latest backup in place of a damaged file that could not be opened (the damaged file is kept)."""
    return backups.restore_latest(database)


def restore_latest_in_use(store: Store) -> backups.Restored:
    """Put the latest backup in place of the file an open window uses. The engine's pooled connections hold the
    damaged file: they are closed before and after, so every new connection opens the restored file and the
    window goes on without a restart; a backup from before an update of the app is brought up to date."""
    if store.sqlite_file is None:
        raise CompanionError("only a SQLite file is restored from the app's backups")
    store.engine.dispose()
    try:
        restored = backups.restore_latest(store.sqlite_file)
    finally:
        store.engine.dispose()
    prepare_schema(store.engine)
    return restored
