"""Noticing that another workstation (or process) saved something, so open windows can refresh.

SQLite: `PRAGMA data_version` on a connection of our own changes whenever another connection commits; reading
it costs microseconds, so a slow timer is enough. PostgreSQL: LISTEN on the channel the triggers of migration
0003 notify; the socket becomes readable when a notification arrives, so nothing runs while nothing changes.
"""

from __future__ import annotations

import contextlib
import sqlite3

from sqlalchemy.engine import Engine, make_url

CHANNEL = "companion_changes"


class ChangesUnavailable(Exception):
    """The database cannot be watched just now (server restarting, file gone); try again later."""


class ChangeWatcher:
    """`poll()` returns True once for every batch of changes made elsewhere since the last poll."""

    def fileno(self) -> int | None:
        """A socket to wait on, where the database offers one (PostgreSQL); None means: poll on a timer."""
        return None

    def poll(self) -> bool:
        raise NotImplementedError

    def probe(self) -> None:
        """Raise ChangesUnavailable if the watcher can no longer hear changes (a silently dropped link)."""
        self.poll()

    def close(self) -> None:
        raise NotImplementedError


class SqliteWatcher(ChangeWatcher):
    def __init__(self, path: str) -> None:
        try:
            self._connection = sqlite3.connect(path, check_same_thread=False)
        except sqlite3.Error as exc:
            raise ChangesUnavailable(str(exc)) from exc
        self._version = self._read()

    def _read(self) -> int:
        try:
            return self._connection.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise ChangesUnavailable(str(exc)) from exc

    def poll(self) -> bool:
        version = self._read()
        changed, self._version = version != self._version, version
        return changed

    def close(self) -> None:
        self._connection.close()


class PostgresWatcher(ChangeWatcher):
    def __init__(self, url: str) -> None:
        import psycopg

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

    def poll(self) -> bool:
        try:
            arrived = any(True for _ in self._connection.notifies(timeout=0))
            if not arrived:
                # The socket spoke but brought no notification: perhaps the server closed it. Ask.
                self._connection.execute("SELECT 1")
        except self._errors as exc:
            raise ChangesUnavailable("the connection to the database server was lost") from exc
        if self._connection.closed or self._connection.broken:
            raise ChangesUnavailable("the connection to the database server was lost")
        return arrived

    def probe(self) -> None:
        try:
            self._connection.execute("SELECT 1")
        except self._errors as exc:
            raise ChangesUnavailable("the connection to the database server was lost") from exc

    def close(self) -> None:
        with contextlib.suppress(*self._errors):
            self._connection.close()


def watch(engine: Engine) -> ChangeWatcher:
    """A watcher for the database behind this engine."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return SqliteWatcher(url.database)
    return PostgresWatcher(url.render_as_string(hide_password=False))
