"""Why a write could not be saved, in words a clinician can act on: the disk is full, the database is
read-only, or it cannot be reached. Driver messages differ by database; the kind is what the window needs."""

from __future__ import annotations

import errno

FULL, READ_ONLY, UNREACHABLE = "full", "read_only", "unreachable"

_FULL_WORDS = ("database or disk is full", "no space left", "disk full", "diskfull", "could not extend file")
_READ_ONLY_WORDS = ("readonly database", "read-only", "read only", "readonly file system")


def kind_of(exc: BaseException) -> str:
    """FULL, READ_ONLY or UNREACHABLE for a failed write (a SQLAlchemy error or the driver's own)."""
    error = getattr(exc, "orig", None) or exc
    if getattr(error, "errno", None) == errno.ENOSPC:
        return FULL
    if getattr(error, "errno", None) == errno.EROFS:
        return READ_ONLY
    words = str(error).lower()
    if any(w in words for w in _FULL_WORDS) or getattr(error, "sqlstate", None) == "53100":
        return FULL
    if any(w in words for w in _READ_ONLY_WORDS) or getattr(error, "sqlstate", None) == "25006":
        return READ_ONLY
    return UNREACHABLE


MESSAGES = {
    FULL: "The disk holding the database is full. What you type stays here and is saved once there is room.",
    READ_ONLY: "The database is read-only just now. What you type stays here and is saved once it can be written.",
    UNREACHABLE: "The database cannot be reached just now. What you type stays here and is saved when it is back.",
}
