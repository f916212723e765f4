"""Where the database is, worked out without the database layer: the window's sign-in reads this workstation's
preferences (kept per database) and paints before SQLAlchemy loads (DESIGN.md, performance budgets).
companion.storage.database opens what these name."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from companion.errors import CompanionError
from companion.storage.paths import data_dir_path, expanded, followed

DEFAULT_FILE_NAME = "companion.sqlite3"


def resolve_location(db: str | None) -> str:
    """--db wins, then COMPANION_DB, then a file in the user data directory."""
    if db is not None and not db.strip():
        raise CompanionError("--db is empty; give a file path or a database URL")
    # The data folder is made with the database (sqlite_file.examine), not here: a command that only reads must
    # not leave a folder where COMPANION_HOME was mistyped.
    return db or os.environ.get("COMPANION_DB") or str(data_dir_path() / DEFAULT_FILE_NAME)


def url_for(location: str) -> str:
    """A URL passes through; anything else is a path to a SQLite file. In a URL a "?" starts the driver's options
    and "%" an escape, so a folder named "Clinic ?" or "100%" would name another file: the two are escaped, as
    SQLAlchemy reads them back. Other characters stay as typed, so the per-database key of every other path is
    what it was (one with "%" or "?" named another file before, and starts afresh)."""
    if "://" in location:
        _check_address(location)
        return location
    if location.endswith(("/", os.sep)):  # "clinic/" would become a file named "clinic"
        raise CompanionError(f"the database path ends in a slash, so it names a folder: {location}; give a file")
    given = expanded(location)
    _refuse_a_planted_link(given)
    path = str(followed(given))
    return "sqlite:///" + path.replace("%", "%25").replace("?", "%3F")


def _refuse_a_planted_link(path: Path) -> None:
    """A link at the database's name made by another user (in a folder others can write to) would put the clinic's
    database, and its backups beside it, wherever that user chose, and let them take it away. A link of the user's
    own, or root's (IT pointing a desk at a share), is followed."""
    try:
        info = path.lstat()
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode) and info.st_uid not in (os.getuid(), 0):
        raise CompanionError(
            f"the database path {path} is a link another user made (user id {info.st_uid}), not followed; "
            "give the database file itself"
        )


def database_key(location: str | None) -> str:
    """One name per database, whichever way it was pointed at (per-database choices are kept under it), and never
    its password: the key is written to this workstation's preferences file."""
    return without_password(url_for(resolve_location(location)))


# A database URL as SQLAlchemy reads one (sqlalchemy.engine.url): the user name ends at ":" or "@", the password at
# the first "@" (an "@" in it is written %40; "/", "#" or "?" may stand there as they are). Read here without
# SQLAlchemy, which the sign-in paints before loading.
_URL = re.compile(r"(?P<scheme>[\w+]+://)(?:(?P<user>[^:/]*)(?::(?P<password>[^@]*))?@)?(?P<rest>.*)", re.DOTALL)


def without_password(url: str) -> str:
    """A database URL without the password in it ("postgresql://clinic@server/db"); a file path as it is."""
    found = _URL.fullmatch(url) if "://" in url else None
    if found is None or found["password"] is None:
        return url
    return f"{found['scheme']}{found['user']}@{found['rest']}"


def _check_address(url: str) -> None:
    """An "@" left in a password would make the server's name start inside the password, and the driver say that
    part back in its error: refused, with how to write it. (Anything else wrong with an address is SQLAlchemy's
    to say, in one line that never quotes the password: companion.storage.database.)"""
    found = _URL.fullmatch(url)
    server = found["rest"].split("/", 1)[0].split("?", 1)[0] if found else ""
    if "@" in server:
        raise CompanionError("the database address has an @ in its user name or password: write it as %40")
