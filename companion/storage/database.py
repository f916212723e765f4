"""One engine per process, made from a path or URL; SQLite gets WAL, foreign keys and writers that wait their turn."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import weakref
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlmodel import create_engine

from companion.errors import CompanionError, database_words

# Where the database is: one module, read also before this layer loads (the window's sign-in).
from companion.location import DEFAULT_FILE_NAME, resolve_location, url_for  # noqa: F401 (re-exported)
from companion.storage import (
    audit,  # noqa: F401  (registers the tables and the audit hooks)
    busy,
    changes,  # noqa: F401  (registers the hooks that tally what each write changed)
    write_faults,
)
from companion.storage.backups import SIDE_FILES
from companion.storage.damage import DamagedDatabase, is_damage
from companion.storage.paths import remove_if_empty
from companion.storage.schema import prepare_schema
from companion.storage.sqlite_file import examine

# The rows every new database holds from the start (prepare_schema): its revision and its first settings.
FILLED_WHEN_MADE = frozenset({"alembic_version", "setting"})
NEARLY_FULL = 1_000_000  # bytes: less free than this, and a new database's schema and log may not fit
SQLITE_PAGE = 4096  # the page size SQLite gives a new file (its default)
# The engines that made their file as they opened (and its identity then): the only files remove_if_still_new
# may remove.
_MADE_BY: weakref.WeakKeyDictionary[Engine, tuple[int, int] | None] = weakref.WeakKeyDictionary()
# And the folders each made for it (a first use of the data folder), removed with the file when left empty.
_FOLDERS_MADE_FOR: weakref.WeakKeyDictionary[Engine, tuple[Path, ...]] = weakref.WeakKeyDictionary()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (any driver spelling), or None for a server database."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number; its words may quote the password
        raise CompanionError("the database URL is not valid") from None
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise CompanionError("an in-memory database would lose everything; give a file path")
    if parsed.query:
        # "?mode=ro" is not read by the driver without "uri=true", and with it every write (the audit of a read
        # included) would fail later, one by one: the app opens a file it can write to, or nothing.
        raise CompanionError("options in a SQLite address are not read (mode, immutable...); give the file's path")
    return Path(parsed.database)


def open_engine(
    location: str | None = None,
    *,
    create: bool = True,
    fresh_settings: Callable[[], dict[str, str]] | None = None,
    new_file: bool = True,
) -> Engine:
    """Open the database the user pointed at, checking it first, and bring its schema up to date (a new one
    starts with `fresh_settings()`, companion.storage.schema.prepare_schema). Without `new_file`, a SQLite file the
    user named (--db, COMPANION_DB) that does not exist is refused, not made: a command that only reads."""
    explicit = location is not None or bool(os.environ.get("COMPANION_DB"))  # empty: the default, as resolved
    # A data folder the user set (COMPANION_HOME) names the clinic as surely as a path does: a command that only
    # reads refuses a missing database there too (the folder typed wrong, a share not mounted yet), where the
    # user's own data folder starts an empty clinic on first use.
    home_set = not explicit and bool(os.environ.get("COMPANION_HOME"))
    url = url_for(resolve_location(location))
    path = sqlite_path(url)
    if path is not None:
        # Someone else's file, a newer app's or a damaged one is refused before the engine's first connection
        # (which switches the file to WAL).
        examined = examine(
            path,
            may_create_folder=not explicit,
            may_create=new_file or not (explicit or home_set),
            named_by="COMPANION_HOME" if home_set else "",
        )
        # hide_parameters: an error message must never carry a patient's words into a log.
        engine = create_engine(url, connect_args={"timeout": busy.WAIT_LIMIT_SECONDS}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _write_ahead_log)
        event.listen(engine, "begin", busy.begin)
        if examined.created:
            _MADE_BY[engine] = _identity(path)
            _FOLDERS_MADE_FOR[engine] = examined.made_folders
    else:
        try:
            # A server that does not answer must not freeze the window for long.
            connect_args = {"connect_timeout": 5} if make_url(url).get_backend_name() == "postgresql" else {}
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)
        except ImportError as exc:
            raise CompanionError(f"the database driver is not installed ({exc.name})") from None
    if create:
        try:
            prepare_schema(engine, fresh_settings=fresh_settings)
        except DatabaseError as exc:
            if path is None:
                raise
            engine.dispose()
            if examined.created:  # begun and not finished (a full disk): no empty clinic left for the next open
                _remove_unfinished(engine, path)
                raise CompanionError(f"no database could be made at {path}: {_why_not_made(exc, path)}") from None
            if is_damage(exc):
                raise DamagedDatabase(path, "SQLite reports it malformed") from None
            raise
        if path is not None and (examined.created or examined.empty):
            _protect_new_database(path)
    return engine


def _protect_new_database(path: Path) -> None:
    """A database the app has just made holds health information: owner-only, like the WAL and shared-memory
    files SQLite makes beside it. An existing database of ours keeps the mode its owner gave it."""
    for suffix in ("", *SIDE_FILES):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                os.chmod(candidate, mode & 0o700)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys keep notes tied to real visits."""
    dbapi_connection.isolation_level = None  # transactions are begun by companion.storage.busy, not by pysqlite
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _write_ahead_log(dbapi_connection, _record) -> None:
    """WAL lets a reader and a writer work at once, and its log, written by every commit, is what an open window
    watches to hear of other workstations' saves at once (companion.services.live). Where SQLite refuses WAL the
    file keeps its rollback journal, and the window polls instead."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _remove_unfinished(engine: Engine, path: Path) -> None:
    """Remove the file this open made when its schema could not be written. SQLite may not even read it then (a
    full disk refuses its shared memory too), so what it holds is told by its size: a file of one page and an empty
    log hold no table (a table's first page is the second), whoever else has opened it since."""
    if remove_if_still_new(engine) or _identity(path) != _MADE_BY.get(engine):
        return
    with contextlib.suppress(OSError):
        if path.stat().st_size <= SQLITE_PAGE and _size(Path(f"{path}-wal")) == 0:
            for suffix in ("", *SIDE_FILES):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            remove_if_empty(_FOLDERS_MADE_FOR.pop(engine, ()))


def _why_not_made(exc: DatabaseError, path: Path) -> str:
    """SQLite says "disk I/O error" when a nearly full disk refuses its shared memory: the free space says why."""
    free = shutil.disk_usage(path.parent).free if path.parent.exists() else None
    if write_faults.kind_of(exc, path) == write_faults.FULL or (free is not None and free < NEARLY_FULL):
        return "the disk holding it is full (make room, or choose another folder)"
    return database_words(exc)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _holds_anything(connection: sqlite3.Connection) -> bool:
    names = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    tables = [name for name in names if name not in FILLED_WHEN_MADE and not name.startswith("sqlite_")]
    return any(connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables)


def remove_if_still_new(engine: Engine) -> bool:
    """Remove the database file behind `engine` if it made the file as it opened (open_engine) and nothing was put in it
    since, with its log and shared memory: a command that failed on its own input (a file to import that is not
    FHIR, a PIN refused) leaves no stray database, which the next command or the window would take for an empty
    clinic. Kept: anything added (a patient an import wrote before it stopped), a file another program made in
    its place, and a file anyone else has open (a window at its first-admin form, another command): leaving WAL
    mode needs every other connection closed, and the exclusive lock keeps anyone from opening it meanwhile."""
    path = Path(engine.url.database) if engine.url.get_backend_name() == "sqlite" and engine.url.database else None
    engine.dispose()  # this process's connections: the file is looked at, and removed, on one of SQLite's own
    if path is None or engine not in _MADE_BY or _identity(path) != _MADE_BY[engine]:
        return False
    try:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            if _holds_anything(connection):
                return False
            if connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete":
                return False
            connection.execute("BEGIN EXCLUSIVE")
            if _holds_anything(connection):  # written between the two looks
                return False
            for suffix in ("", *SIDE_FILES):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        finally:
            connection.close()
    except (sqlite3.Error, OSError):  # in use, or unsure what it holds: it stays, and the command's own error is said
        return False
    del _MADE_BY[engine]
    remove_if_empty(_FOLDERS_MADE_FOR.pop(engine, ()))  # nor the data folder made for it (left empty)
    return True
