"""What another workstation (or process) saved, so open windows refresh the views it concerns and no other.

Every saved transaction writes one change log entry (companion.storage.changes): its kinds, visits and patients.
SQLite: `PRAGMA data_version` on a connection of our own moves whenever another connection commits; reading it
costs microseconds, and only when it moved are the new entries read (a draft or an audit entry moves it too, but
writes no entry: nobody is woken). When to read it is the window's business: every commit writes to the
write-ahead log, so a watch on that file (`wake_file()`) says when, and a timer where there is none.
PostgreSQL: LISTEN on the channel the trigger of migration 0006 notifies with each entry; the socket becomes
readable when one arrives, so nothing runs while nothing changes. Entries written by this window's own store are
skipped: it refreshed when it saved.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from companion.read.models import EVERYTHING, Changed
from companion.storage.changes import Tally, decode
from companion.storage.paths import sqlite_uri
from companion.storage.store import Store

CHANNEL = "companion_changes"


class ChangesUnavailable(Exception):
    """The database cannot be watched just now (server restarting, file gone); try again later."""


class ChangeWatcher:
    """`poll()` returns what was saved elsewhere since the last poll, as one Changed, or None."""

    def __init__(self, origin: str) -> None:
        self._origin = origin

    def fileno(self) -> int | None:
        """A socket to wait on, where the database offers one (PostgreSQL); None means: poll on a timer."""
        return None

    def wake_file(self) -> Path | None:
        """A file that every commit writes to, so that a change to it means: poll now (SQLite's write-ahead log);
        None where there is none (a server database, SQLite with a rollback journal)."""
        return None

    def poll(self) -> Changed | None:
        raise NotImplementedError

    def _gather(self, entries) -> Changed | None:
        """One Changed for the (origin, Changed) entries not saved by this window's own store."""
        tally = Tally()
        for origin, changed in entries:
            if origin != self._origin:
                tally.merge(changed)
        return tally.changed() if tally.kinds else None

    def probe(self) -> None:
        """Raise ChangesUnavailable if the watcher can no longer hear changes (a silently dropped link)."""
        self.poll()

    def close(self) -> None:
        raise NotImplementedError


class SqliteWatcher(ChangeWatcher):
    def __init__(self, path: str, origin: str) -> None:
        super().__init__(origin)
        self._path = path
        try:
            # mode=rw: a database that went missing is waited for, never made anew (empty) by the watcher.
            self._connection = sqlite3.connect(
                sqlite_uri(path, "rw"), uri=True, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise ChangesUnavailable(str(exc)) from exc
        try:
            self._version = self._ask("PRAGMA data_version")[0][0]
            self._seen = self._ask("SELECT coalesce(max(id), 0) FROM changelog")[0][0]
        except ChangesUnavailable:
            self._connection.close()
            raise

    def _ask(self, query: str, *parameters) -> list[tuple]:
        try:
            return self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as exc:
            raise ChangesUnavailable(str(exc)) from exc

    def poll(self) -> Changed | None:
        version = self._ask("PRAGMA data_version")[0][0]
        if version == self._version:
            return None
        self._version = version
        rows = self._ask("SELECT id, origin, payload FROM changelog WHERE id > ? ORDER BY id", self._seen)
        if not rows:
            return None  # a draft, an audit entry: nothing any view shows
        missed = rows[0][0] > self._seen + 1  # the oldest entries were let go while this window slept
        self._seen = rows[-1][0]
        return EVERYTHING if missed else self._gather((origin, decode(payload)) for _id, origin, payload in rows)

    def wake_file(self) -> Path | None:
        """The write-ahead log (`<database>-wal`, whether or not it exists yet). A database kept in rollback-journal
        mode has none: SQLite there was refused WAL, as on some network file systems, where file events are not to
        be trusted either."""
        if self._ask("PRAGMA journal_mode")[0][0].lower() != "wal":
            return None
        return Path(f"{self._path}-wal")

    def close(self) -> None:
        self._connection.close()


class PostgresWatcher(ChangeWatcher):
    def __init__(self, url: str, origin: str) -> None:
        import psycopg

        super().__init__(origin)
        self._errors = (psycopg.Error, OSError)
        parsed = make_url(url)
        try:
            self._connection = self._connect(psycopg, parsed)
        except self._errors as exc:
            raise ChangesUnavailable(str(exc).splitlines()[0] if str(exc) else "") from exc

    @staticmethod
    def _connect(psycopg, parsed):
        connection = psycopg.connect(
            host=parsed.host,
            port=parsed.port,
            user=parsed.username,
            password=parsed.password,
            dbname=parsed.database,
            autocommit=True,
            connect_timeout=5,
            **{k: v for k, v in parsed.query.items() if isinstance(v, str)},
        )
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def fileno(self) -> int:
        return self._connection.fileno()

    def poll(self) -> Changed | None:
        try:
            arrived = [_entry(notice.payload) for notice in self._connection.notifies(timeout=0)]
            if not arrived:
                # The socket spoke but brought no notification: perhaps the server closed it. Ask.
                self._connection.execute("SELECT 1")
        except self._errors as exc:
            raise ChangesUnavailable("the connection to the database server was lost") from exc
        if self._connection.closed or self._connection.broken:
            raise ChangesUnavailable("the connection to the database server was lost")
        return self._gather(arrived)

    def probe(self) -> None:
        try:
            self._connection.execute("SELECT 1")
        except self._errors as exc:
            raise ChangesUnavailable("the connection to the database server was lost") from exc

    def close(self) -> None:
        with contextlib.suppress(*self._errors):
            self._connection.close()


def _entry(payload: str) -> tuple[str, Changed]:
    """A notification's "origin entry" (migration 0006)."""
    origin, _space, entry = payload.partition(" ")
    return origin, decode(entry)


def watch(store: Store) -> ChangeWatcher:
    """A watcher for the database behind this store, deaf to what the store itself saves."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return SqliteWatcher(url.database, store.origin)
    return PostgresWatcher(url.render_as_string(hide_password=False), store.origin)
