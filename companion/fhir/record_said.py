"""What the health record said of each patient and visit an import wrote, so a nightly feed of the same records
does not undo the clinic's corrections: a preferred name or pronouns a nurse fixed, an interpreter she recorded, a
visit moved to the evening. Only when the record says something else since (it is newer news) is it imported over
them. Kept as a digest of the values, by the resource's key (RecordSaid)."""

from __future__ import annotations

import hashlib

from sqlalchemy import update
from sqlmodel import Session, select

from companion.storage.models import RecordSaid


class WhatTheRecordSaid:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._digests: dict[str, str | None] = {}  # key: the digest stored, None when nothing is

    def expect(self, keys: list[str]) -> None:
        """Read the digests of the resources a file holds in a few queries rather than one a resource."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._digests]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(RecordSaid.key, RecordSaid.digest).where(RecordSaid.key.in_(chunk))
            found = {key: digest for key, digest in self.session.exec(query).all()}
            self._digests.update({key: found.get(key) for key in chunk})

    def says_again(self, key: str, *values) -> bool:
        """Whether the record says of this resource what it said when it was last written here; what it says
        now is remembered either way."""
        if key not in self._digests:
            self.expect([key])
        before = self._digests[key]
        digest = hashlib.sha256(repr(values).encode()).hexdigest()
        if before is None:
            self.session.add(RecordSaid(key=key, digest=digest))
        elif before != digest:
            self.session.execute(update(RecordSaid).where(RecordSaid.key == key).values(digest=digest))
        self._digests[key] = digest
        return before == digest
