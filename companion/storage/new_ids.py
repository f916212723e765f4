"""Ids given to new rows before they are written, so that many rows of one table go in at a single flush: an
import of a Synthea record flushed each of its hundreds of visits alone to learn its id, and those flushes were
half of its writing.

On SQLite the id is the one SQLite itself would give (the largest + 1), which holds because a write transaction
has the database's write lock from its BEGIN IMMEDIATE (companion.storage.busy): nobody else adds rows meanwhile.
Every row of the table added in that transaction must then take its id from here (an import gives every visit
its id here: companion.fhir.writer). On PostgreSQL it is the next value of the column's own sequence, as an
INSERT would take it; other desks' inserts take the values after it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel


class NewIds:
    """One per write transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._last: dict[str, int] = {}  # SQLite: the last id given, by table

    def give(self, row: SQLModel) -> None:
        """Set a new row's id (before it is added to the session)."""
        table = type(row).__table__
        # On the connection, not the session: a session's query would first flush the rows waiting for one.
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            sequence = func.pg_get_serial_sequence(table.name, "id")
            row.id = connection.execute(select(func.nextval(sequence))).scalar_one()
            return
        if table.name not in self._last:  # asked before this transaction gives the table any id
            self._last[table.name] = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
        self._last[table.name] += 1
        row.id = self._last[table.name]
