"""Telling a damaged or truncated SQLite file from someone else's file, cheaply enough for every start.

A full integrity check reads the whole file (seconds on a large clinic); at start SQLite itself refuses what a
damaged file gives away at once (a header that is not SQLite's, a file shorter than its header says, a
malformed schema), and only then are the file's first bytes read here, to say which it is.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from companion.errors import DatabaseUnusable
from companion.storage.backups import HEADER, latest_backup

HEADER_SIZE = 100


class DamagedDatabase(DatabaseUnusable):
    """The database file is damaged; the message names the latest backup and how to put it back."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        self.why = why
        # A listing only: checking backups reads them whole (seconds on a large clinic, maybe on the window's
        # thread); `db restore` checks them, and passes over, by name, any it cannot put back.
        self.backup = latest_backup(path)
        if self.backup is not None:
            advice = (
                f"the latest backup is {self.backup}; run `companion db restore` to put back the newest backup "
                "that is whole (the damaged file is kept aside)"
            )
        else:
            advice = "there is no backup of it yet; the file is left untouched"
        super().__init__(f"the database file {path} is damaged ({why}); {advice}")


class MissingDatabase(DamagedDatabase):
    """The database file is gone where backups of it are kept: made anew, the clinic would open on an empty day,
    and its daily backups would push the good ones out. `companion db restore` puts the newest whole one back."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "it is missing")
        self.args = (
            f"the database file {path} is missing, and backups of it are kept in {self.backup.parent}: run "
            f"`companion db restore` to put the newest whole one back (to start an empty database there instead, "
            f"move its backups, {path.name}.*.bak, out of that folder first); nothing was created",
        )


def why_unreadable(path: Path) -> str | None:
    """Why a file SQLite refused cannot be whole, or None. A file that is not SQLite at all and was never backed
    up is not judged damaged (it is someone else's: the app refuses it and leaves it untouched). Called only
    once SQLite has refused the file (storage.sqlite_file): reading it here then drops no lock worth keeping."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if not (header.startswith(HEADER) or HEADER.startswith(header)):
        # Zeros where the header belongs are what a crash or a failing disk leaves, never a document; other
        # content is damage only where the app backed this file up (so it was our database).
        if not header.strip(b"\0"):
            return "it holds only zeros where its header belongs"
        return "it no longer starts like a SQLite file" if latest_backup(path) is not None else None
    if len(header) < HEADER_SIZE:
        return "its header is cut short"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # SQLite trusts the page count in the header only when the two change counters agree.
    if header[24:28] == header[92:96] and size < pages * page_size:
        return f"it is {size:,} bytes long where its header says {pages * page_size:,}"
    return None


def is_damage(exc: BaseException) -> bool:
    """SQLite's own words for a damaged file."""
    error = getattr(exc, "orig", exc)
    return isinstance(error, sqlite3.DatabaseError) and any(
        words in str(error) for words in ("malformed", "file is not a database", "disk image")
    )
