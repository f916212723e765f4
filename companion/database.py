"""One engine per process, made from a path or URL; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import create_engine

from companion import audit, models, write_faults  # noqa: F401  (registers the tables and the audit hooks)
from companion.damage import DamagedDatabase, is_damage, looks_truncated
from companion.errors import CompanionError
from companion.paths import data_dir, ensure_private_dir
from companion.schema import prepare_schema

DEFAULT_FILE_NAME = "companion.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_SECONDS = 30


def resolve_location(db: str | None) -> str:
    """--db wins, then COMPANION_DB, then a file in the user data directory."""
    if db is not None and not db.strip():
        raise CompanionError("--db is empty; give a file path or a database URL")
    return db or os.environ.get("COMPANION_DB") or str(data_dir() / DEFAULT_FILE_NAME)


def url_for(location: str) -> str:
    """A URL passes through; anything else is a path to a SQLite file."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (any driver spelling), or None for a server database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CompanionError("the database URL is not valid") from None
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise CompanionError("an in-memory database would lose everything; give a file path")
    return Path(parsed.database)


def open_engine(location: str | None = None, *, create: bool = True) -> Engine:
    """Open the database the user pointed at, checking it first, and bring its schema up to date."""
    explicit = location is not None or "COMPANION_DB" in os.environ
    url = url_for(resolve_location(location))
    path = sqlite_path(url)
    if path is not None:
        _prepare_sqlite_file(path, may_create_folder=not explicit)
        # hide_parameters: an error message must never carry a patient's words into a log.
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    else:
        try:
            # A server that does not answer must not freeze the window for long.
            connect_args = {"connect_timeout": 5} if make_url(url).get_backend_name() == "postgresql" else {}
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)
        except ImportError as exc:
            raise CompanionError(f"the database driver is not installed ({exc.name})") from None
    if create:
        try:
            prepare_schema(engine)
        except DatabaseError as exc:
            if path is None:
                raise
            engine.dispose()
            if is_damage(exc):
                raise DamagedDatabase(path, "SQLite reports it malformed") from None
            # WAL needs to make files beside the database: on a read-only disk or folder SQLite says only
            # "unable to open database file", which tells the user nothing.
            if write_faults.refused_by(path.parent) == write_faults.READ_ONLY:
                raise CompanionError(
                    f"the folder holding the database, or its disk, is read-only, so the database cannot be "
                    f"opened: {path.parent}"
                ) from None
            raise
        if path is not None:
            _restrict_sqlite_files(path)
    return engine


def _prepare_sqlite_file(path: Path, may_create_folder: bool) -> None:
    """Refuse a file that is not SQLite (leaving it untouched); create a new one owner-only."""
    if path.is_dir():
        raise CompanionError(f"the database path is a folder, not a file: {path}")
    if path.exists():
        if why := looks_truncated(path):
            raise DamagedDatabase(path, why)
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise CompanionError(f"not a SQLite database (left untouched): {path}")
        return
    if not path.parent.exists():
        # A mistyped --db must not silently make folders; the default location is ours to create.
        if not may_create_folder:
            raise CompanionError(f"the folder for the database does not exist: {path.parent}")
        ensure_private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _restrict_sqlite_files(path: Path) -> None:
    """WAL and shared-memory files are created by SQLite itself: take away group and other access
    (and nothing else: a read-only file stays read-only)."""
    for suffix in ("", *SQLITE_SIDE_FILES):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                os.chmod(candidate, mode & 0o700)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets a reader and a writer work at once; foreign keys keep notes tied to real visits."""
    dbapi_connection.isolation_level = None  # transactions are begun by _begin_immediate, not by pysqlite
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection) -> None:
    """Take the write lock when a transaction starts: a writer then waits its turn (busy timeout)
    instead of failing with "database is locked" when two workstations save at once."""
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if write_faults.kind_of(exc) != write_faults.READ_ONLY:
            raise
        # A read-only database (read-only disk or file) cannot take the write lock, but must still be read:
        # the window keeps showing everything, and a write then fails as "read-only" and waits (ui.context).
        connection.exec_driver_sql("BEGIN")
