"""The handle every service takes: one engine and the loaded content. Sessions are made per action, except
inside `Store.reading()`, where everything a screen reads at once shares one session."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from companion.content import Content, load_content
from companion.storage import read_scope
from companion.storage.database import open_engine
from companion.storage.paths import data_dir


@dataclass(frozen=True)
class Store:
    engine: Engine
    content: Content

    def session(self) -> Session:
        """A new session for one unit of work; never shared across threads. Inside `reading()`, the
        scope's session (use it with `with`, as every service does)."""
        lent = read_scope.lent_session(self.engine)
        if lent is not None:
            return lent  # type: ignore[return-value]  (used only as a context manager)
        return Session(self.engine, expire_on_commit=False)

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file behind the engine, or None for a server database."""
        url = self.engine.url
        return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None

    def reading(self) -> AbstractContextManager[None]:
        """Everything read inside shares one session and one snapshot (companion.storage.read_scope)."""
        return read_scope.reading(self.engine)


def open_store(location: str | None = None) -> Store:
    """Open the database the user chose and the content, with any clinic overrides applied."""
    return Store(engine=open_engine(location), content=load_content(data_dir() / "content"))
