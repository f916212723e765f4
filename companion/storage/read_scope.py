"""One session, one snapshot and one answer per question for everything a screen reads at once.

Switching the glance to another visit asks a dozen services for data, several of them the same (the agenda
for the glance, the agenda panel and the closing checks; the visit itself for each of them). Inside
`Store.reading()` they share one session, so every panel shows the same moment of the database, and a
service marked `@shared_read` answers a repeated question from memory: the visit, for one, is read once
(`visits.visit_record`). Any write in the scope forgets those answers. Outside a scope each service call
opens the sessions it needs (one per shared read it asks).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

READ_ONLY = "companion_read_only"  # in a session's info: it reads, and refuses to write (Store.writing)
P = ParamSpec("P")
R = TypeVar("R")


class Scope:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.answers: dict[Hashable, Any] = {}


# The scope open in this thread (a ContextVar: other threads, like a background import, never see it).
_current: ContextVar[Scope | None] = ContextVar("companion_read_scope", default=None)


class Lent:
    """The scope's session lent to one service: the service's `with` block does not close it."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __enter__(self) -> Session:
        return self._session

    def __exit__(self, *_exc) -> None:
        return None


def lent_session(engine: Engine) -> Lent | None:
    """The open scope's session for this engine, if there is one."""
    scope = _current.get()
    if scope is not None and scope.session.bind is engine:
        return Lent(scope.session)
    return None


@contextmanager
def reading(engine: Engine) -> Iterator[None]:
    if _current.get() is not None:  # nested: the outer scope serves
        yield
        return
    with Session(engine, expire_on_commit=False, info={READ_ONLY: True}) as session:
        token = _current.set(Scope(session))
        try:
            yield
        finally:
            _current.reset(token)


# Listened to once for every session, not per scope: adding a listener to each new session cost a tenth of a
# glance switch.
@event.listens_for(Session, "after_commit")
def _forget_answers(session: Session) -> None:
    """A write saved in this thread while a scope is open (through its own session, Store.writing): the scope
    forgets its answers and its snapshot, so what it reads next includes the write."""
    scope = _current.get()
    if scope is not None and scope.session is not session and _same_database(scope.session, session):
        scope.answers.clear()
        scope.session.rollback()  # ends the read transaction: the next read sees the database as it is now


def _same_database(reading: Session, writing: Session) -> bool:
    return reading.bind is not None and writing.bind is not None and reading.bind.pool is writing.bind.pool


def shared_read(fn: Callable[P, R]) -> Callable[P, R]:
    """A read-only service whose answer, inside a scope, is kept for the rest of the scope. Its arguments
    must be hashable (ids, flags); a list or dict it returns is copied, so no caller changes another's."""

    @functools.wraps(fn)
    def wrapper(store, *args: P.args, **kwargs: P.kwargs) -> R:
        scope = _current.get()
        if scope is None or scope.session.bind is not store.engine:
            return fn(store, *args, **kwargs)
        key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in scope.answers:
            scope.answers[key] = fn(store, *args, **kwargs)
        answer = scope.answers[key]
        if isinstance(answer, list | dict):
            return type(answer)(answer)  # type: ignore[return-value]
        return answer

    return wrapper


def in_one_scope(fn: Callable[P, R]) -> Callable[P, R]:
    """Everything the function reads shares one scope, also where no screen opened one (the command line): one
    snapshot, and each thing read once. Inside a screen's scope it simply joins that one."""

    @functools.wraps(fn)
    def wrapper(store, *args: P.args, **kwargs: P.kwargs) -> R:
        with reading(store.engine):
            return fn(store, *args, **kwargs)

    return wrapper
