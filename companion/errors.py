"""What can go wrong, in words: one exception type for problems a user can fix, and the one place that turns any
other failure into a sentence (the command line prints it, the window shows it; neither words one of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CompanionError(Exception):
    """A clear, one-line problem with the user's input or environment. Never carries patient names."""


class NotFound(CompanionError):
    """The record asked for is not in the database (never was, or removed since: the retention purge, another
    desk): a window showing it lets go of it rather than failing."""


class DatabaseUnusable(CompanionError):
    """The database, not what was asked of it, stopped the command (busy past the limit, damaged): a script retries
    or calls someone, as for a database the driver could not use (the command line exits 1, not 2)."""


class DatabaseBusy(DatabaseUnusable):
    """Another program held the database's write lock past the limit (companion.storage.busy); nothing was
    changed."""


@dataclass(frozen=True)
class Problem:
    """Why an action did not happen. `waits`: the database is away (unreachable, full, read-only or damaged);
    the action is kept and done once it is back. Otherwise the action was refused and `words` say why."""

    kind: str  # "refused", or one of companion.storage.write_faults' kinds
    words: str
    waits: bool = False


DAMAGED = "damaged"  # the kind of a damaged SQLite file (companion.storage.write_faults)


def damaged_file() -> Problem:
    """A damaged database file, found by a read that raised nothing the caller still holds."""
    from companion.storage import write_faults

    return Problem(DAMAGED, write_faults.MESSAGES[DAMAGED], waits=True)


def sentence(words: str) -> str:
    """A one-line message as a sentence: capital first, full stop last."""
    words = words.strip()
    return words[:1].upper() + words[1:] + ("" if words.endswith((".", "?", "!")) else ".")


def database_words(exc: BaseException) -> str:
    """The driver's own first line ("attempt to write a readonly database", "connection refused"); the details
    below it can quote stored values, so they are left out."""
    cause = getattr(exc, "orig", None) or exc  # only DBAPI errors carry .orig (not e.g. a bad URL)
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return first_line[:200] or type(cause).__name__


def describe(exc: BaseException) -> str | None:
    """One line for a problem met outside the app's own code (input, database, file system), or None for a
    fault in the app itself. Never a stored value: a driver's details below its first line are left out."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, CompanionError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        return f"the database could not be used: {database_words(exc)}"
    if isinstance(exc, sqlite3.Error):  # SQLite used directly: a backup's copy and check ("database or disk is full")
        return f"the database file could not be copied or checked: {database_words(exc)}"
    if isinstance(exc, OSError):
        return (exc.strerror or type(exc).__name__) + (f": {exc.filename}" if exc.filename else "")
    return None


def problem_of(exc: BaseException, database: Path | None = None) -> Problem | None:
    """The problem an exception stands for, or None for a fault in the app itself (let it be reported as one).
    `database` is the SQLite file, when there is one (a disk turned read-only is found by asking its folder)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from companion.storage import write_faults
    from companion.storage.damage import is_damage

    if isinstance(exc, CompanionError):
        return Problem("refused", sentence(str(exc)))
    if isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and (exc.connection_invalidated or is_damage(exc))
    ):
        kind = write_faults.kind_of(exc, database)
        return Problem(kind, write_faults.MESSAGES[kind], waits=True)
    if is_damage(exc):  # a read that met a damaged page, raised by the driver itself
        return damaged_file()
    return None
