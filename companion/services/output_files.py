"""Files the app writes on request (a FHIR export, a screenshot): never over something that exists unless asked, never
over the database, its side files, a backup or a file kept aside, never into the app's own folder, never over
anything that is not a plain file, and never half-written. Written to a temporary file beside the target,
owner-only, then renamed."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from companion.errors import CompanionError
from companion.location import DEFAULT_FILE_NAME
from companion.services.preferences import FILE_NAME as PREFERENCES_FILE
from companion.storage.backups import (
    SIDE_FILES,
    an_earlier_copy,
    backup_folder,
    is_kept_copy,
    is_set_aside,
    kept_beside,
)
from companion.storage.damage import HEADER
from companion.storage.paths import data_dir_path, expanded, followed

# The first bytes of a SQLite rollback journal and of a write-ahead log (sqlite.org/fileformat; the database's own
# are storage.damage.HEADER).
_JOURNAL_HEADER = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
_WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def check_target(target: Path, *, force: bool, database: Path | None, backup: bool = False) -> Path:
    """The path to write, or a one-line refusal. `database` is the SQLite file in use, if any. A `backup` of it
    replaces (with `force`) a copy of the database made before, and no other database: a nightly
    `db backup --to FILE --force` replaces last night's copy."""
    target = expanded(target)
    if target.is_dir():
        raise CompanionError(f"the path is a folder, not a file: {target}")
    if not target.parent.is_dir():
        raise CompanionError(f"the folder does not exist: {target.parent}")
    if database is not None and _belongs_to_database(target, database):
        raise CompanionError(f"that path is the database or one of its own files, never overwritten: {target}")
    if _side_file_of_a_database(target):
        raise CompanionError(f"that path is another database's own file (its log), never overwritten: {target}")
    if _app_file(target, data_dir_path()):
        raise CompanionError(
            f"that path is in the app's own folder (its database, preferences and the clinic's content), "
            f"never written by an export; choose a place outside it: {target}"
        )
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
    if is_set_aside(target):  # whatever its bytes: damage often leaves no SQLite header
        raise CompanionError(
            f"the file is a database kept aside by a restore (what was saved after its backup), never overwritten: "
            f"{target}"
        )
    if (_holds_a_database(target) or is_kept_copy(target)) and not (
        backup and database and an_earlier_copy(target, database)
    ):
        raise CompanionError(f"the file is a database, or part of one, never overwritten: {target}")
    if not force:
        raise CompanionError(f"the file exists, left as it is: {target} (--force replaces it)")
    return target


def write_file(
    target: Path, data: bytes, *, force: bool, database: Path | None, recorded: Callable[[], None] | None = None
) -> Path:
    """Check the target, write `data` beside it owner-only, then rename it into place (write_files)."""
    return write_files({target: data}, force=force, database=database, recorded=recorded)[0]


def write_files(
    contents: dict[Path, bytes], *, force: bool, database: Path | None, recorded: Callable[[], None] | None = None
) -> list[Path]:
    """Check every target and write each file beside its target, owner-only; then call `recorded` (the audit entry
    of a patient's facts that leave the app) and only then rename them into place. If the entry cannot be written
    (a read-only database, a full disk), or anything else fails first, no target is touched: nothing leaves
    unrecorded, and a file `force` would have replaced keeps what it held."""
    with contextlib.ExitStack() as placed:  # each file's rename into place, once the block ends without an error
        for target, data in contents.items():
            handle, _partial = placed.enter_context(written_beside(target, force=force, database=database))
            with os.fdopen(handle, "wb") as out:
                out.write(data)  # through the descriptor the file was made with: never reopened by its name
                out.flush()
                os.fsync(out.fileno())
        if recorded is not None:
            recorded()
    return [expanded(target) for target in contents]


@contextlib.contextmanager
def written_beside(
    target: Path, *, force: bool, database: Path | None, suffix: str = ".partial", backup: bool = False
) -> Iterator[tuple[int, Path]]:
    """Check the target, then give a new owner-only file beside it (its open descriptor and its name) for a writer
    to fill: this app through the descriptor, Qt's printing by the name. Once filled it is renamed into place (a
    link there is replaced, never followed), and removed if not. The caller owns the descriptor."""
    target = check_target(target, force=force, database=database, backup=backup)
    # The name's start only: a target's name may use all 255 bytes a name can have, leaving none for ours
    handle, partial = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=suffix, dir=target.parent)  # 0600
    try:
        yield handle, Path(partial)
        if force:
            os.replace(partial, target)
        else:
            _link_without_replacing(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def _link_without_replacing(partial: str, target: Path) -> None:
    """Put the file in place only if nothing has appeared there since the check (a link never replaces)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise CompanionError(f"the file exists, left as it is: {target} (--force replaces it)") from None
    except OSError:  # a filesystem without hard links: the check above is the best that can be done
        os.replace(partial, target)


def _holds_a_database(target: Path) -> bool:
    """Another database than the one in use (this workstation's default one, another clinic's, a backup moved
    elsewhere), or its write-ahead log or journal, told by the first bytes SQLite writes in each: `--force` is
    for a file the person wrote before, never for a database. (The database in use is refused before this, by
    identity: this never opens it, since closing any descriptor of it would drop this process's SQLite locks.)"""
    try:
        with open(target, "rb") as stream:
            head = stream.read(len(HEADER))
    except OSError:
        return False
    return head.startswith((HEADER, _JOURNAL_HEADER, *_WAL_HEADERS))


# The app's own files in its folder: never an export's target.
APP_FILES = (PREFERENCES_FILE, DEFAULT_FILE_NAME)


def _app_file(target: Path, home: Path) -> bool:
    """One of the app's own files (its preferences, the default database: a prefix, so their side files too), or
    any file of the clinic's content in it (through any link). The folder may be shared or a home folder: other
    files in it are the clinic's."""
    resolved, home = followed(target), followed(home)
    if resolved.is_relative_to(home / "content"):
        return True
    return resolved.parent == home and resolved.name.startswith(APP_FILES)


def _side_file_of_a_database(target: Path) -> bool:
    """The -wal, -shm or -journal of a file beside it, there yet or not: told by that file, not by its own bytes (a
    WAL database opened and not yet written to has an empty -wal, and a -shm holds no mark at all). Written over
    while another program has the database open, it would make that database unreadable to every desk."""
    name = target.name
    return any(  # in any case: on a file system that ignores it (macOS's), "-WAL" is the log
        name.casefold().endswith(side) and len(name) > len(side) and target.with_name(name[: -len(side)]).is_file()
        for side in SIDE_FILES
    )


def _belongs_to_database(target: Path, database: Path) -> bool:
    """The database itself (by name or, through a link, by identity), its side files, its backups and the
    copies the app keeps beside it."""
    resolved, database = followed(target), followed(database)
    if resolved.parent == database.parent:
        name = resolved.name
        if name == database.name or name in {database.name + s for s in SIDE_FILES}:
            return True
        if kept_beside(resolved, database):
            return True
    if resolved.parent == followed(backup_folder(database)):
        return True
    with contextlib.suppress(OSError):
        return database.exists() and resolved.exists() and os.path.samefile(resolved, database)
    return False
