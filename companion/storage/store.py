"""The handle every service takes: one engine and the loaded content. Sessions are made per action, except
inside `Store.reading()`, where everything a screen reads at once shares one session. A write asks for
`Store.writing()`: its transaction takes the write lock as it begins, and what it changed is tallied
(companion.storage.changes); `session()` is for reading and refuses to write."""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from companion.content import Content, load_content
from companion.storage import busy, read_scope
from companion.storage.database import open_engine
from companion.storage.paths import data_dir_path


@dataclass(frozen=True)
class Store:
    engine: Engine
    content: Content
    # Who saved a change, in the change log: the window that saved it has refreshed already and skips it.
    origin: str = field(default_factory=lambda: secrets.token_hex(8))

    def session(self) -> Session:
        """A new session for reading; never shared across threads. Inside `reading()`, the scope's session
        (use it with `with`, as every service does)."""
        lent = read_scope.lent_session(self.engine)
        if lent is not None:
            return lent  # type: ignore[return-value]  (used only as a context manager)
        return Session(self.engine, expire_on_commit=False, info={read_scope.READ_ONLY: True})

    def writing(self) -> Session:
        """A new session for one write (one transaction, one commit); never shared across threads."""
        return Session(self._write_engine, expire_on_commit=False, info={"origin": self.origin})

    @cached_property
    def _write_engine(self) -> Engine:
        return busy.for_writing(self.engine)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file behind the engine, or None for a server database."""
        url = self.engine.url
        return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None

    def reading(self) -> AbstractContextManager[None]:
        """Everything read inside shares one session and one snapshot (companion.storage.read_scope)."""
        return read_scope.reading(self.engine)


def open_store(location: str | None = None, *, new_file: bool = True) -> Store:
    """Open the database the user chose and the content, with any clinic overrides applied. A database made now
    is marked as judged by today's privacy rules (it holds nothing to judge again). `new_file`: see open_engine."""
    from companion.privacy.stored import fresh_settings

    content = load_content(data_dir_path() / "content")  # a folder that is not there holds no overrides
    engine = open_engine(location, fresh_settings=lambda: fresh_settings(content), new_file=new_file)
    return Store(engine=engine, content=content)


@event.listens_for(Session, "before_flush")
def _refuse_writes_while_reading(session: Session, _context, _instances) -> None:
    """A write through a reading session would not take the write lock first (and could fail on a busy database
    where it should have waited): every write goes through `Store.writing()`."""
    if session.info.get(read_scope.READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a write through a reading session; use Store.writing()")
