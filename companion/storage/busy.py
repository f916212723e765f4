"""Waiting for another workstation's write to a shared SQLite file: say so after a moment, give up only after a
documented limit, and never show SQLite's "database is locked".

A write's transaction begins with BEGIN IMMEDIATE (companion.storage.store: `Store.writing()`), which is where a
writer waits its turn; a read begins a plain BEGIN and never waits for a writer (WAL). A writer first waits
NOTICE_AFTER_SECONDS; if the lock is still held, whoever listens (the command line prints a line, the
window shows a notice) is told, and it waits on until WAIT_LIMIT_SECONDS in all.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from companion.errors import DatabaseBusy
from companion.storage import write_faults

NOTICE_AFTER_SECONDS = 2
WAIT_LIMIT_SECONDS = 60
WAITING = "waiting for another workstation to finish saving…"


_notice: Callable[[], None] | None = None


def on_waiting(notice: Callable[[], None] | None) -> None:
    """Call `notice` (from the waiting thread) each time a write has waited NOTICE_AFTER_SECONDS; one per
    process (the command line prints a line, the window shows a notice)."""
    global _notice
    _notice = notice


def say_waiting() -> None:
    """Tell whoever listens that the database is being waited for (also opening a file another program holds)."""
    if _notice is not None:
        _notice()


WRITES = "companion_writes"  # the execution option that marks a write's connection (database.for_writing)


def for_writing(engine: Engine) -> Engine:
    """The same engine (and pool), its transactions marked as writes: on SQLite they take the write lock when they
    begin. Every write goes through one of these (Store.writing); reads never wait for a writer."""
    return engine.execution_options(**{WRITES: True})


def begin(connection) -> None:
    """Begin a transaction (the engine's "begin" event). A write takes the write lock at once: it then waits its
    turn instead of failing when two workstations save at once, and it says so when the wait is long."""
    if not connection.get_execution_options().get(WRITES):
        connection.exec_driver_sql("BEGIN")
        return
    raw = connection.connection.dbapi_connection
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    told = False  # the first wait is short; once it is over the user is told, and the rest of the limit follows
    try:
        while True:
            wait = max(deadline - time.monotonic(), 0.001) if told else NOTICE_AFTER_SECONDS
            raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                _begin(connection)
                return
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if told:
                    raise DatabaseBusy(
                        f"the database stayed busy for {WAIT_LIMIT_SECONDS} s (another workstation is still "
                        "saving); nothing was changed, try again"
                    ) from None
            told = True
            say_waiting()
    finally:
        raw.execute(f"PRAGMA busy_timeout = {WAIT_LIMIT_SECONDS * 1000}")


def _begin(connection) -> None:
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if write_faults.kind_of(exc) != write_faults.READ_ONLY:
            raise
        # A read-only database (read-only disk or file) cannot take the write lock, but must still be read:
        # the window keeps showing everything, and a write then fails as "read-only" and waits (ui.window.context).
        connection.exec_driver_sql("BEGIN")


def _is_busy(exc: OperationalError) -> bool:
    return held_by_another(exc.orig)


def held_by_another(error: BaseException | None) -> bool:
    """Whether SQLite refused because another connection holds the file (its lock, not a fault of the file)."""
    return isinstance(error, sqlite3.OperationalError) and error.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED")
