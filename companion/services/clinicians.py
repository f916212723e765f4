"""Who uses the app: nurses, physicians and other clinicians."""

from __future__ import annotations

import unicodedata

from sqlmodel import Session, select

from companion.errors import CompanionError
from companion.read.models import Changed, ClinicianView
from companion.services.names import shown_name
from companion.storage.changes import changed
from companion.storage.models import Clinician, Role
from companion.storage.store import Store
from companion.text import parse_choice


def clinician_view(row: Clinician) -> ClinicianView:
    return ClinicianView(id=row.id, name=row.name, role=row.role.value)


def list_clinicians(store: Store) -> list[ClinicianView]:
    with store.session() as session:
        rows = session.exec(select(Clinician).order_by(Clinician.name)).all()
        return [clinician_view(row) for row in rows]


def get_clinician(store: Store, clinician_id: int) -> ClinicianView | None:
    with store.session() as session:
        row = session.get(Clinician, clinician_id)
        return clinician_view(row) if row else None


def add_clinician(store: Store, name: str, role: str) -> Changed[ClinicianView]:
    name = shown_name(store, name, "the clinician's name")
    with store.writing() as session:
        row = new_clinician(session, name, role)
        session.commit()
        return changed(session, clinician_view(row))


def new_clinician(session: Session, name: str, role: str) -> Clinician:
    """A clinician added in the caller's write, their name checked by shown_name; names are unique, so the sign-in
    list is unambiguous."""
    role_value = parse_choice(Role, role, "role")
    # Names that read alike on the sign-in list (in another case, with an accent, a doubled space, a character that
    # shows nothing or a full-width letter) are one person to whoever picks from it, and a schedule naming them
    # another way could not tell which is meant.
    taken = {look_alike(other): other for other in session.exec(select(Clinician.name)).all()}
    if look_alike(name) in taken:
        raise CompanionError(
            f"a clinician named {taken[look_alike(name)]!r} already exists and would look the same on the sign-in "
            "list; choose them from the list, or tell the two apart (a middle initial)"
        )
    row = Clinician(name=name, role=role_value)
    session.add(row)
    session.flush()
    return row


def look_alike(name: str) -> str:
    """A name as it reads on a list: compatibility forms (full-width letters) as their letters, without what shows
    nothing, Latin, Greek and Cyrillic letters without the accents read past at a glance (José is Jose; the horn of
    Vietnamese Hưng is not read past, nor the voicing marks of kana), one space between words, case folded."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", name):
        if unicodedata.category(char) == "Cf" or (char in READ_PAST and kept and _alphabetic(kept[-1])):
            continue
        kept.append(char)
    return " ".join("".join(kept).split()).casefold()


# Grave, acute, circumflex, tilde, macron, breve, diaeresis, ring, caron, cedilla, ogonek (as NFKD writes them).
READ_PAST = frozenset("\u0300\u0301\u0302\u0303\u0304\u0306\u0308\u030a\u030c\u0327\u0328")


def _alphabetic(letter: str) -> bool:
    """A letter of the Latin, Greek or Cyrillic alphabets."""
    return unicodedata.name(letter, "").startswith(("LATIN ", "GREEK ", "CYRILLIC "))


def find_clinician(store: Store, name: str) -> ClinicianView:
    with store.session() as session:
        row = session.exec(select(Clinician).where(Clinician.name == name)).first()
        if row is None:
            # Not echoed: a patient's name typed into the wrong field would reach the terminal and a script's log.
            raise CompanionError("no clinician has that name; give it as it was added (`companion clinician add`)")
        return clinician_view(row)
