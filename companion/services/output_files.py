"""Files the app writes on request (a FHIR export, a screenshot): never over something that exists unless asked,
never over the database, its side files, a backup or a file kept aside, never over anything that is not a plain
file, and never half-written. Written to a temporary file beside the target, owner-only, then renamed."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from companion.errors import CompanionError
from companion.storage.backups import backup_folder

# Files beside the database that are part of it or keep earlier states of it (storage.backups, storage.schema).
_DATABASE_SUFFIXES = ("-wal", "-shm", "-journal")
_KEPT_BESIDE = (".before-", ".damaged-", ".restoring")


def check_target(target: Path, *, force: bool, database: Path | None) -> Path:
    """The path to write, or a one-line refusal. `database` is the SQLite file in use, if any."""
    target = target.expanduser()
    if target.is_dir():
        raise CompanionError(f"the path is a folder, not a file: {target}")
    if not target.parent.is_dir():
        raise CompanionError(f"the folder does not exist: {target.parent}")
    if database is not None and _belongs_to_database(target, database):
        raise CompanionError(f"that path is the database or one of its own files, never overwritten: {target}")
    try:
        existing = target.lstat()
    except FileNotFoundError:
        return target
    if stat.S_ISLNK(existing.st_mode) and not target.exists():
        raise CompanionError(f"the path is a link to nothing; give another name: {target}")
    if not stat.S_ISREG(target.stat().st_mode):
        raise CompanionError(
            f"the path is not a plain file (a device, a pipe or a socket), never overwritten: {target}"
        )
    if not force:
        raise CompanionError(f"the file exists, left as it is: {target} (--force replaces it)")
    return target


def write_file(target: Path, data: bytes, *, force: bool, database: Path | None) -> Path:
    """Check the target, write `data` beside it owner-only, then rename it into place."""
    target = check_target(target, force=force, database=database)
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)  # 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(partial, target)
        else:
            _link_without_replacing(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return target


def _link_without_replacing(partial: str, target: Path) -> None:
    """Put the file in place only if nothing has appeared there since the check (a link never replaces)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise CompanionError(f"the file exists, left as it is: {target} (--force replaces it)") from None
    except OSError:  # a filesystem without hard links: the check above is the best that can be done
        os.replace(partial, target)


def _belongs_to_database(target: Path, database: Path) -> bool:
    """The database itself (by name or, through a link, by identity), its side files, its backups and the
    copies the app keeps beside it."""
    resolved, database = target.resolve(), database.resolve()
    if resolved.parent == database.parent:
        name = resolved.name
        if name == database.name or name in {database.name + s for s in _DATABASE_SUFFIXES}:
            return True
        if name.startswith(database.name) and any(mark in name for mark in _KEPT_BESIDE):
            return True
    if resolved.parent == backup_folder(database).resolve():
        return True
    with contextlib.suppress(OSError):
        return database.exists() and resolved.exists() and os.path.samefile(resolved, database)
    return False
