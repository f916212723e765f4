"""What the health record said of each patient and visit an import wrote, so a nightly feed of the same records
does not undo the clinic's corrections: a preferred name or pronouns a nurse fixed, an interpreter she recorded, a
visit moved to the evening or assigned. Each value is kept as a digest of its own, by the resource's key
(RecordSaid): only a value the record has changed since is imported over what is here; the others stay."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import bindparam, event, insert, update
from sqlmodel import Session

from companion.fhir.keyed_rows import values_by_key
from companion.storage.audit import log_added
from companion.storage.models import RecordSaid

ALL = None  # changed(): nothing is known of what the record said before, so every value is new news


class WhatTheRecordSaid:
    """Read in a few queries, written at the session's commit in two statements: one a resource was a third of
    an import's writing, and a nightly schedule of 20,000 rows held the write lock for over a minute."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._digests: dict[str, dict[str, str] | None] = {}  # key: each value's digest, None when none is stored
        self._stored: set[str] = set()  # the keys with a row in the database
        self._unwritten: dict[str, tuple[str, int | None]] = {}  # key: (digests as JSON, visit id), until commit
        event.listen(session, "before_commit", self._write)

    def expect(self, keys: list[str]) -> None:
        """Read the digests of the resources a file holds in a few queries rather than one a resource."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._digests]
        found = values_by_key(self.session, RecordSaid.key, RecordSaid.digest, wanted)
        self._digests.update({key: json.loads(found[key]) if key in found else None for key in wanted})
        self._stored.update(found)

    def changed(self, key: str, values: dict[str, object]) -> set[str] | None:
        """The names of the values the record says otherwise than when it was last imported; ALL when nothing
        of it was kept (its first import, or one before this was kept)."""
        if key not in self._digests:
            self.expect([key])
        before = self._digests[key]
        if before is None:
            return ALL
        return {name for name, digest in _digests(values).items() if before.get(name) != digest}

    def remember(
        self, key: str, values: dict[str, object], visit_id: int | None = None, *, adding: bool = False
    ) -> None:
        """What the record says now, kept for the next import (with the visit it is of, which a purge removes).
        `adding`: beside what was kept of the values not named (a row that leaves a cell blank says nothing)."""
        digests = {**(self._digests.get(key) or {}), **_digests(values)} if adding else _digests(values)
        if self._digests.get(key) == digests:
            return
        self._unwritten[key] = (json.dumps(digests, sort_keys=True), visit_id)
        self._digests[key] = digests

    def _write(self, session: Session) -> None:
        """What was remembered since the last commit: the rows kept before updated, the others added (each
        audited as the flush hook audits a row, companion.storage.audit)."""
        unwritten, self._unwritten = self._unwritten, {}
        connection, table = session.connection(), RecordSaid.__table__
        rows = [{"key": key, "digest": digest, "visit_id": visit} for key, (digest, visit) in unwritten.items()]
        if kept := [row for row in rows if row["key"] in self._stored]:
            where = table.c.key == bindparam("said_key")  # a bound name of its own: "key" would be set, not matched
            changes = [{"said_key": row["key"], "digest": row["digest"], "visit_id": row["visit_id"]} for row in kept]
            connection.execute(update(table).where(where), changes)
        if new := [row for row in rows if row["key"] not in self._stored]:
            added = connection.execute(insert(table).returning(table.c.id, table.c.visit_id), new).all()
            log_added(connection, table.name, added)
            self._stored.update(row["key"] for row in new)


def _digests(values: dict[str, object]) -> dict[str, str]:
    # A digest, not the words: what the record said stays where it is, in the rows (a reason may be private).
    return {name: hashlib.sha256(repr(value).encode()).hexdigest()[:32] for name, value in values.items()}
