"""Where the database is, worked out without the database layer: the window's sign-in reads this workstation's
preferences (kept per database) and paints before SQLAlchemy loads (DESIGN.md, performance budgets).
companion.storage.database opens what these name."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from companion.errors import CompanionError
from companion.storage.paths import data_dir

DEFAULT_FILE_NAME = "companion.sqlite3"


def resolve_location(db: str | None) -> str:
    """--db wins, then COMPANION_DB, then a file in the user data directory."""
    if db is not None and not db.strip():
        raise CompanionError("--db is empty; give a file path or a database URL")
    return db or os.environ.get("COMPANION_DB") or str(data_dir() / DEFAULT_FILE_NAME)


def url_for(location: str) -> str:
    """A URL passes through; anything else is a path to a SQLite file. In a URL a "?" starts the driver's options
    and "%" an escape, so a folder named "Clinic ?" or "100%" would name another file: the two are escaped, as
    SQLAlchemy reads them back. Other characters stay as typed, so the per-database key of every other path is
    what it was (one with "%" or "?" named another file before, and starts afresh)."""
    if "://" in location:
        _check_address(location)
        return location
    path = str(Path(location).expanduser().resolve())
    return "sqlite:///" + path.replace("%", "%25").replace("?", "%3F")


def database_key(location: str | None) -> str:
    """One name per database, whichever way it was pointed at (per-database choices are kept under it), and never
    its password: the key is written to this workstation's preferences file."""
    return without_password(url_for(resolve_location(location)))


def without_password(url: str) -> str:
    """A database URL without the password in it ("postgresql://clinic@server/db"); a file path as it is."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def _check_address(url: str) -> None:
    """A database URL that cannot be read is one clear line, not a fault; an "@" left in a password would make
    the driver read its end as the server's name, and say it back in its error."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it: a port that is not a number raises)
    except ValueError as exc:
        raise CompanionError(f"the database address is not valid ({exc})") from None
    if parts.netloc.count("@") > 1:
        raise CompanionError("the database address has an @ in its user name or password: write it as %40")
