"""Opening a SQLite file the user pointed at: ours, new, someone else's, newer or damaged, told apart before the
app's engine touches it (its first connection switches the file to WAL, which already changes it).

The file is examined through SQLite itself, on a read-only connection: never with plain file I/O while this
process may hold SQLite connections to it, since closing any descriptor of a file drops every POSIX lock the
process holds on it ("How To Corrupt An SQLite Database File", section 2.2). Only once SQLite has said the
file is not a database at all are its first bytes read, to say why.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError, DatabaseBusy
from companion.storage import busy, write_faults
from companion.storage.backups import SIDE_FILES, is_kept_copy, latest_backup
from companion.storage.damage import DamagedDatabase, MissingDatabase, why_unreadable
from companion.storage.paths import ensure_private_dir, missing_folders, sqlite_uri
from companion.storage.schema import CORE_TABLES, check_ours


class NoDatabaseAt(CompanionError):
    """No file at a path the user named, where the caller may not make one unasked: a command that only reads
    refuses it; the window asks before it starts an empty clinic there (a mistyped COMPANION_DB, a share not
    mounted yet, would otherwise open on an empty day that asks for a first admin)."""

    def __init__(self, path: Path, named_by: str = "") -> None:
        self.path = path
        where = f" (in the folder {named_by} names)" if named_by else ""
        super().__init__(
            f"there is no database at {path}{where}; check the path (nothing was created). A command that adds to "
            "a clinic, such as `companion import` or `companion clinician add`, makes a new one"
        )


@dataclass(frozen=True)
class Examined:
    """What the file holds, as SQLite sees it; `created` when the app made it (so the app protects it)."""

    tables: frozenset[str]
    revisions: tuple[str, ...]
    created: bool = False
    made_folders: tuple[Path, ...] = ()  # the folders made for a created file, outermost first

    @property
    def empty(self) -> bool:
        return not self.tables


def is_database_or_side_file(path: Path, database: Path) -> bool:
    """Whether `path` is the database or its log, shared memory or journal, by identity (another name or a link to
    it counts). Such a file must not be read with plain file I/O by a process that has the database open (see
    above): an import or a schedule given one by mistake refuses it before opening it."""
    try:
        info = path.stat()
    except OSError:
        return False
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(OSError):
            other = os.stat(f"{database}{suffix}")
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                return True
    return False


def examine(path: Path, *, may_create_folder: bool, may_create: bool = True, named_by: str = "") -> Examined:
    """Create a missing file owner-only (unless backups of it are kept: then it was lost, and MissingDatabase says
    so; or the caller only reads, and it was mistyped: NoDatabaseAt, saying what named the folder, `named_by`), or
    examine an existing one; refuse, untouched, what is not ours."""
    if path.is_dir():
        raise CompanionError(f"the database path is a folder, not a file: {path}")
    for suffix in SIDE_FILES:
        # SQLite makes its log and lock files beside the database; a folder (or a pipe) there under that name makes
        # every open fail with "unable to open database file", after the new file was made: refused first.
        side = Path(f"{path}{suffix}")
        if side.exists() and not side.is_file():
            raise CompanionError(
                f"{side.name} beside the database is not a file (SQLite keeps its log under that name): "
                "move it away; nothing was created or changed"
            )
    if is_kept_copy(path) and path.exists():
        # Opened, a backup is changed (its log, the audit of every read, any save): no longer what the day held,
        # and `db restore` would put the changed one back.
        raise CompanionError(
            f"{path.name} is a copy the app keeps of a database (a backup, or a file set aside), left as it is: "
            "`companion db restore` puts a backup back; to look inside one, copy it under another name first"
        )
    if not path.exists():
        if latest_backup(path) is not None:
            raise MissingDatabase(path)
        for suffix in ("-wal", "-journal"):  # SQLite would play a lost file's log into the new one
            if Path(f"{path}{suffix}").is_file() and Path(f"{path}{suffix}").stat().st_size > 0:
                raise CompanionError(
                    f"the database file {path} is missing, but its log ({path.name}{suffix}) is still beside it: "
                    "put the database back, or move that file away to start an empty one; nothing was created"
                )
        if not path.parent.exists() and not may_create_folder:
            # A mistyped --db must not silently make folders (a drive not mapped yet: nothing to offer to make).
            raise CompanionError(f"the folder for the database does not exist: {path.parent}")
        if not may_create:
            # A mistyped --db would otherwise read as an empty clinic ("no visits today") and leave a stray file.
            raise NoDatabaseAt(path, named_by)
        made_folders: tuple[Path, ...] = ()
        if not path.parent.is_dir():  # a file there (COMPANION_HOME set to one) is named in words
            made_folders = missing_folders(path.parent)
            ensure_private_dir(path.parent)  # the default location is ours to create
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return Examined(frozenset(), (), created=True, made_folders=made_folders)
        except FileExistsError:
            pass  # made this very moment by another program opening it too: examined as found
    if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device reads as empty: never a new database
        raise CompanionError(f"the database path is not a regular file: {path}")
    if path.stat().st_size == 0:
        # New and empty is normal; empty where backups were made means it was cut to nothing.
        if latest_backup(path) is not None:
            raise DamagedDatabase(path, "it is empty")
        return Examined(frozenset(), ())
    _refuse_foreign_untouched(path)
    examined = _read_schema(path)
    check_ours(set(examined.tables), list(examined.revisions))
    return examined


def _refuse_foreign_untouched(path: Path) -> None:
    """Refuse another program's database before a read-only connection leaves `-wal` and `-shm` files beside it
    (SQLite makes them to read a WAL-mode file). Its main file is read as it stands, with no locks and no side
    files; what that cannot settle (our own file, an empty one, one being written) goes on to the real read."""
    try:
        connection = sqlite3.connect(sqlite_uri(path, "ro") + "&immutable=1", uri=True)
        try:
            names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            _refuse_marked_by_another_program(connection)
        finally:
            connection.close()
    except sqlite3.Error:
        return
    tables = {name for (name,) in names if not name.startswith("sqlite_")}
    if tables and "alembic_version" not in tables and not tables & CORE_TABLES:
        check_ours(tables, [])  # refuses: it holds only other tables


def _refuse_marked_by_another_program(connection: sqlite3.Connection) -> None:
    """A file with no table yet is ours to fill only if nothing else claims it: another program's id or version
    in its header, or a view or trigger of its own, says the file is theirs (this app sets neither)."""
    objects = [(kind, name) for kind, name in connection.execute("SELECT type, name FROM sqlite_master")]
    objects = [(kind, name) for kind, name in objects if not name.startswith("sqlite_")]  # SQLite's own (ANALYZE)
    if any(kind == "table" for kind, _name in objects):
        return  # tables: check_ours decides by them
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    user_version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application_id or user_version or objects:
        raise CompanionError("not an Encounter Companion database: another program's file (left untouched)")


def _read_schema(path: Path) -> Examined:
    """The tables and the recorded revision, read on a read-only connection of SQLite's own. A file another
    program holds locked (a rollback-journal database mid-write) is waited for as a busy write is: said after a
    moment, given up after the documented limit, never SQLite's "database is locked"."""
    try:
        return _read_schema_waiting(path, busy.NOTICE_AFTER_SECONDS)
    except _Busy:
        busy.say_waiting()
    try:
        return _read_schema_waiting(path, busy.WAIT_LIMIT_SECONDS - busy.NOTICE_AFTER_SECONDS)
    except _Busy:
        raise DatabaseBusy(
            f"the database stayed locked by another program for {busy.WAIT_LIMIT_SECONDS} s; nothing was "
            "changed, try again"
        ) from None


class _Busy(Exception):
    """Another connection held the file locked for the whole wait."""


def _read_schema_waiting(path: Path, seconds: float) -> Examined:
    wal, index = Path(f"{path}-wal"), Path(f"{path}-shm")
    read_makes_them = not wal.exists() and not index.exists()
    try:
        connection = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, timeout=seconds)
    except sqlite3.Error as exc:
        raise _refusal(path, exc) from None
    try:
        names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        _refuse_marked_by_another_program(connection)
        tables = frozenset(name for (name,) in names if not name.startswith("sqlite_"))
        revisions = ()
        if "alembic_version" in tables:
            revisions = tuple(r for (r,) in connection.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.Error as exc:
        if busy.held_by_another(exc):
            raise _Busy from None
        connection.close()
        if read_makes_them and wal.exists() and wal.stat().st_size == 0:
            # A refused WAL-mode file (a truncated copy): the empty side files this read made would only look like
            # a database in use, beside a file the message says was left untouched. SQLite removes them only when
            # a connection that may write closes, and none will.
            for side_file in (wal, index):
                side_file.unlink(missing_ok=True)
        raise _refusal(path, exc) from None
    finally:
        connection.close()
    return Examined(tables, revisions)


def _refusal(path: Path, exc: sqlite3.Error) -> CompanionError:
    """SQLite's refusal in words a user can act on."""
    error = getattr(exc, "sqlite_errorname", "")
    if error in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        # SQLite says it is no database, or a broken one: no connection of this process can hold locks on it
        # worth keeping, so its first bytes may be read to say why.
        why = why_unreadable(path) or ("SQLite reports it malformed" if error == "SQLITE_CORRUPT" else None)
        if why:
            return DamagedDatabase(path, why)
        return CompanionError(f"not a SQLite database (left untouched): {path}")
    # WAL needs to make files beside the database: on a read-only disk or folder SQLite says only "unable to open
    # database file", which tells the user nothing.
    if write_faults.refused_by(path.parent) == write_faults.READ_ONLY:
        return CompanionError(
            f"the folder holding the database, or its disk, is read-only, so the database cannot be opened: "
            f"{path.parent}"
        )
    first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
    return CompanionError(f"the database could not be opened: {first_line}")
