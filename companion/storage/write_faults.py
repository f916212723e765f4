"""Why a write could not be saved, in words a clinician can act on: the disk is full, the database is
read-only, damaged, or cannot be reached. Driver messages differ by database; the kind is what the window
needs."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from companion.errors import DAMAGED
from companion.storage.damage import is_damage

FULL, READ_ONLY, UNREACHABLE = "full", "read_only", "unreachable"

_FULL_WORDS = ("database or disk is full", "no space left", "disk full", "diskfull", "could not extend file")
_READ_ONLY_WORDS = ("readonly database", "read-only", "read only", "readonly file system")
_REFUSED = {errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY, errno.EPERM: READ_ONLY, errno.ENOSPC: FULL}


def kind_of(exc: BaseException, database: Path | None = None) -> str:
    """FULL, READ_ONLY, DAMAGED or UNREACHABLE for a failed write (a SQLAlchemy error or the driver's own).
    `database` is the SQLite file, when there is one: SQLite says only "disk I/O error" when a disk turns
    read-only under an open file (the kernel does that after a disk error), so its folder is asked."""
    error = getattr(exc, "orig", None) or exc
    if getattr(error, "errno", None) == errno.ENOSPC:
        return FULL
    if getattr(error, "errno", None) == errno.EROFS:
        return READ_ONLY
    if is_damage(error):
        return DAMAGED
    words = str(error).lower()
    if any(w in words for w in _FULL_WORDS) or getattr(error, "sqlstate", None) == "53100":
        return FULL
    if any(w in words for w in _READ_ONLY_WORDS) or getattr(error, "sqlstate", None) == "25006":
        return READ_ONLY
    if database is not None and "disk i/o error" in words:
        return refused_by(database.parent) or UNREACHABLE
    return UNREACHABLE


def refused_by(folder: Path) -> str | None:
    """READ_ONLY or FULL when the folder takes no new file, else None. A real try, not os.access: a disk
    the kernel turned read-only after an error, and a read-only mount for root, pass os.access."""
    try:
        handle, name = tempfile.mkstemp(prefix=".companion-write-check-", dir=folder)  # owner-only
    except OSError as exc:
        return _REFUSED.get(exc.errno)
    os.close(handle)
    os.unlink(name)
    return None


MESSAGES = {
    FULL: "The disk holding the database is full. What you type stays here and is saved once there is room.",
    READ_ONLY: "The database is read-only just now. What you type stays here and is saved once it can be written.",
    UNREACHABLE: "The database cannot be reached just now. What you type stays here and is saved when it is back.",
    DAMAGED: "The database file is damaged. What you type stays here; it is saved once the latest backup is restored.",
}
