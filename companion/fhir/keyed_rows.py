"""Rows found by where they came from (their unique `source_key`) within one write transaction: each key is asked
of the database once, the keys of a file's patients and visits in a few queries rather than one or two per row,
and the answers are kept true as the writer adds rows and re-keys them. Ids are kept, not rows, so an import of
any size holds a few bytes per key; the last thousand rows used are held, so the session's identity map gives
them back without a query."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from sqlmodel import Session, SQLModel, select

IN_ONE_QUERY = 500  # keys per lookup: well under the bound parameters any SQLite or PostgreSQL takes
HELD = 1000  # rows last found or written, held so the session gives them back without a query


class KeyedRows:
    def __init__(self, session: Session) -> None:
        self.session = session
        # (model, source key) -> the row's id, or None: no row has that key. Only the writer of this transaction
        # adds or re-keys rows with a source key (the database's write lock is held), so an answer stays true once
        # saved() has been told of each row written.
        self._ids: dict[tuple[type[SQLModel], str], int | None] = {}
        # The session's identity map holds a row only while something else does: an export's 50,000 answers to the
        # same few questions would otherwise read the same few notes back 50,000 times.
        self._held: deque[SQLModel] = deque(maxlen=HELD)

    def expect(self, model: type[SQLModel], keys: Iterable[str | None]) -> None:
        """Look up at once the rows these keys may name, so that finding each later asks nothing more."""
        wanted = [key for key in dict.fromkeys(keys) if _is_key(key) and (model, key) not in self._ids]
        found = values_by_key(self.session, model.source_key, model.id, wanted)
        self._ids.update({(model, key): found.get(key) for key in wanted})

    def find(self, model: type[SQLModel], key: str | None):
        """The row with this source key, or None."""
        if not _is_key(key):  # not a key at all: asked as ever, never remembered
            return self.session.exec(select(model).where(model.source_key == key)).first()
        if (model, key) in self._ids:
            known = self._ids[(model, key)]
            row = None if known is None else self.session.get(model, known)
        else:
            row = self.session.exec(select(model).where(model.source_key == key)).first()
            self._ids[(model, key)] = None if row is None else row.id
        if row is not None:
            self._held.append(row)
        return row

    def saved(self, row: SQLModel, earlier_key: str | None) -> None:
        """A row was saved (a new one is flushed, so it has its id); `earlier_key` is the key it had before."""
        key = getattr(row, "source_key", None)
        if _is_key(earlier_key) and earlier_key != key:
            self._ids[(type(row), earlier_key)] = None
        if _is_key(key):
            self._ids[(type(row), key)] = row.id
            self._held.append(row)


def values_by_key(session: Session, key_column, value_column, keys: Sequence[str]) -> dict:
    """{key: value} of the rows with these keys, asked IN_ONE_QUERY keys at a time; a key with no row is absent."""
    found = {}
    for start in range(0, len(keys), IN_ONE_QUERY):
        chunk = keys[start : start + IN_ONE_QUERY]
        found.update(session.exec(select(key_column, value_column).where(key_column.in_(chunk))).all())
    return found


def _is_key(key: object) -> bool:
    return isinstance(key, str) and bool(key)
