"""The clinic's clinician a record's practitioner is, inside the import's transaction.

Found by identifier (Clinician.identifier: the NPI first, then the record's other identifiers, then the FHIR
reference a file named them by), else by the same name (exactly, or the same words however the record orders and
titles them: "Okafor, Amara, MD" is Dr. Amara Okafor, unless two clinicians share those words), else added: a
physician with no PIN (an admin sets one before they can sign in). A clinician found by name who has no identifier
yet gets the record's. An admin account is never a visit's clinician: a practitioner who matches only an admin is
added as a clinician of their own. An import never renames a clinician, except one it added without a name ("Name
not recorded (...)"), which the first record to name them completes. Names stay unique, as the sign-in list needs: a
second practitioner of the same name is told apart by their identifier ("Dr. Ann Lee (NPI 1234567893)").

A Practitioner resource completes the clinician it names but never adds one: a health system's export lists
every practitioner it has, and only those the clinic's visits name belong on the sign-in list."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from sqlmodel import Session, select

from companion.fhir.practitioner_map import NPI_SYSTEM, PractitionerFacts
from companion.services.clinicians import look_alike
from companion.storage.models import Clinician, Role
from companion.text import MAX_SHORT

NO_NAME = "Name not recorded"  # "Name not recorded (NPI 1234567893)": named by the record, name still to come
IMPORTED = "imported"


class Clinicians:
    """One per transaction; remembers what each practitioner was matched to, so a file of 600 visits with the
    same doctor asks the database once."""

    def __init__(self, session: Session, count: Callable[[str, str], None]) -> None:
        self.session = session
        self._count = count
        self._ids: dict[PractitionerFacts, int] = {}
        self._touched: set[int] = set()  # found or added for a visit of this transaction
        self._by_words: dict[tuple[str, ...], list[int]] | None = None  # clinicians by their names' words

    def for_visit(self, facts: PractitionerFacts | None) -> int | None:
        """The clinician a visit is with; None (unassigned) only when the record names nobody."""
        if facts is None or not (facts.name or facts.keys):
            return None
        if facts not in self._ids:
            row = self._find(facts)
            if row is None:
                row = self._add(facts)
                self._count("clinicians", "new")
            elif self._complete(row, facts):
                self._count("clinicians", "updated")
            self._ids[facts] = row.id
            self._touched.add(row.id)
        return self._ids[facts]

    def from_resource(self, facts: PractitionerFacts) -> bool:
        """A Practitioner resource: the clinician it names completed; False when the clinic has no such clinician."""
        row = self._find(facts) if facts.name or facts.keys else None
        if row is None:
            return False
        changed = self._complete(row, facts)
        if changed or row.id not in self._touched:  # the visits of this file already counted their clinician
            self._count("clinicians", "updated" if changed else "unchanged")
        return True

    def _find(self, facts: PractitionerFacts) -> Clinician | None:
        for key in facts.keys:
            row = self.session.exec(select(Clinician).where(Clinician.identifier == key)).first()
            if row is not None and row.role != Role.admin:
                return row
        if not facts.name:
            return None
        for name in (facts.name, f"{facts.name} ({IMPORTED})"):
            query = select(Clinician).where(Clinician.name == name, Clinician.role != Role.admin)
            for row in self.session.exec(query.order_by(Clinician.id)):
                if not _contradicts(row.identifier, facts.identifiers):
                    return row
        return self._written_otherwise(facts)

    def _written_otherwise(self, facts: PractitionerFacts) -> Clinician | None:
        """The one clinician whose name has the same words, however the record writes it: "Okafor, Amara, MD" is
        Dr. Amara Okafor. Two such clinicians (namesakes): neither, as a name cannot tell them apart."""
        wanted = name_words(facts.name)
        if not wanted:
            return None
        if self._by_words is None:  # read once per import: a health system's export names thousands
            self._by_words = {}
            query = select(Clinician.id, Clinician.name).where(Clinician.role != Role.admin).order_by(Clinician.id)
            for clinician_id, name in self.session.exec(query):
                self._by_words.setdefault(name_words(name), []).append(clinician_id)
        rows = [self.session.get(Clinician, clinician_id) for clinician_id in self._by_words.get(wanted, [])]
        found = [row for row in rows if not _contradicts(row.identifier, facts.identifiers)]
        return found[0] if len(found) == 1 else None

    def _add(self, facts: PractitionerFacts) -> Clinician:
        identifier = self._free_key(facts)
        name = facts.name or f"{NO_NAME} ({_label(facts.keys[0])})"
        row = Clinician(name=self._unique(name, identifier), role=Role.physician, identifier=identifier)
        self.session.add(row)
        self.session.flush()
        if self._by_words is not None:
            self._by_words.setdefault(name_words(row.name), []).append(row.id)
        return row

    def _complete(self, row: Clinician, facts: PractitionerFacts) -> bool:
        """Record the identifier of a clinician who has none, and the name of one added without it."""
        changed = False
        if row.identifier is None and (key := self._free_key(facts)):
            row.identifier, changed = key, True
        if facts.name and is_unnamed(row.name):
            row.name, changed = self._unique(facts.name, row.identifier), True
        if changed:
            self.session.add(row)
            self.session.flush()
        return changed

    def _free_key(self, facts: PractitionerFacts) -> str | None:
        """The strongest of the record's keys no other clinician (an admin) holds: identifiers are unique."""
        for key in facts.keys:
            if self.session.exec(select(Clinician.id).where(Clinician.identifier == key)).first() is None:
                return key
        return None

    def _unique(self, name: str, identifier: str | None) -> str:
        """The name, or told apart from a clinician who has it already: by identifier ("NPI 1234567893"), else
        "(imported)"."""
        suffixes = [""] + ([f" ({_label(identifier)})"] if identifier and "|" in identifier else [])
        suffixes += [f" ({IMPORTED})"]
        suffixes += [f" ({IMPORTED} {n})" for n in range(2, 100)]
        # A name that only looks like one taken (another case, an accent) reads as the same person on the sign-in
        # list (services.clinicians.look_alike).
        taken = {look_alike(other) for other in self.session.exec(select(Clinician.name)).all()}
        for suffix in suffixes:
            candidate = name[: MAX_SHORT - len(suffix)].rstrip() + suffix
            if look_alike(candidate) not in taken:
                return candidate
        return name  # a hundred namesakes: let the clinic tell them apart


# Titles before a name and credentials after it: how a record writes a clinician, not who they are.
TITLES = frozenset(
    {"dr", "dra", "doctor", "doctora", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sr", "sra"}
)
CREDENTIALS = frozenset(
    {"md", "do", "mbbs", "mbchb", "phd", "np", "fnp", "fnp-c", "fnp-bc", "aprn", "dnp", "pa", "pa-c", "rn", "bsn",
     "msn", "lpn", "cnm", "lcsw", "facp", "faafp", "mph", "ms"}
)  # fmt: skip


def name_words(name: str) -> tuple[str, ...]:
    """The words of a clinician's name in the order one says it, without titles, credentials or what the app added
    to tell namesakes apart: "Okafor, Amara, MD", "Dr. Amara Okafor" and "Dr. Amara Okafor (imported)" are one
    person; "Robert Smith Jr" and "Robert Smith Sr" are two, and so are "Ann Lee" and "Lee Ann"."""
    base = re.sub(r"\s*\([^)]*\)\s*$", "", unicodedata.normalize("NFKD", name))
    base = "".join(c for c in base if not unicodedata.combining(c))
    parts = [part.split() for part in base.split(",")]  # "Family, Given, MD", or "Given Family, MD"
    if len(parts) >= 2 and parts[1] and not all(_plain(w) in CREDENTIALS for w in parts[1]):
        suffixes = [w for part in parts[2:] for w in part if _plain(w) not in CREDENTIALS]  # "Smith, Robert, Jr"
        ordered = [*parts[1], *parts[0], *suffixes]  # "Okafor, Amara" is Amara Okafor
    else:
        ordered = [w for part in parts for w in part]
    words = [_plain(w) for w in ordered if _plain(w)]
    while words and words[0] in TITLES:
        words.pop(0)
    while len(words) > 2 and words[-1] in CREDENTIALS:  # "Thanh Do" keeps his name; "Thanh Do, DO" is him too
        words.pop()
    return tuple(words) if len(words) >= 2 else ()  # one word alone ("Okafor") names no one for sure


def _plain(word: str) -> str:
    return word.strip(".").casefold()


def is_unnamed(name: str) -> bool:
    """A clinician the import added before any record gave their name."""
    return name.startswith(f"{NO_NAME} (")


def _contradicts(held: str | None, identifiers: tuple[str, ...]) -> bool:
    """Whether the record's identifiers say this is someone else: another value in the same system (two NPIs)."""
    if not held or "|" not in held:
        return False
    system, _, value = held.rpartition("|")
    return any(key.rpartition("|")[0] == system and key.rpartition("|")[2] != value for key in identifiers)


def _label(key: str) -> str:
    """How a name tells its owner apart: "NPI 1234567893", else the identifier's value or the reference."""
    system, _, value = key.rpartition("|")
    if not system:
        return key
    return f"NPI {value}" if system == NPI_SYSTEM else value
