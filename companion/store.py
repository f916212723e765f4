"""The handle every service takes: one engine and the loaded content. Sessions are made per action."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from companion.content import Content, load_content
from companion.database import open_engine
from companion.paths import data_dir


@dataclass(frozen=True)
class Store:
    engine: Engine
    content: Content

    def session(self) -> Session:
        """A new session for one unit of work; never shared across threads."""
        return Session(self.engine, expire_on_commit=False)


def open_store(location: str | None = None) -> Store:
    """Open the database the user chose and the content, with any clinic overrides applied."""
    return Store(engine=open_engine(location), content=load_content(data_dir() / "content"))
