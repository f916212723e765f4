"""Who a visit is with: the practitioner an Appointment or Encounter names, and Practitioner resources, as small
facts the writer matches to the clinic's clinicians (companion.fhir.clinicians).

A record names a practitioner by a reference: its display, identifiers on the reference (or in a conditional
reference, `Practitioner?identifier=system|value`), and the Practitioner it points to, read from this file when it
is here (a PractitionerRole stands for its practitioner). Files may come in any order, so a practitioner named
only by a bare reference ("Practitioner/123") is still named: by that reference."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.fhir.patient_map import practitioner_name
from companion.fhir.refs import CONDITIONAL, References, key_type
from companion.fhir.values import plain
from companion.text import MAX_SHORT

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
CLINICIAN_TYPES = frozenset({"Practitioner", "PractitionerRole"})
MAX_IDENTIFIER = 300


@dataclass(frozen=True, slots=True)
class PractitionerFacts:
    """A practitioner as a record names them. `identifiers` are "system|value", the NPI first; `reference` is the
    FHIR resource they were named by ("Practitioner/123"), the way a file names them when it gives nothing else."""

    name: str  # "" when the record gives no name
    identifiers: tuple[str, ...] = ()
    reference: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """How the clinic's clinician may already be known, the strongest first."""
        return self.identifiers + ((self.reference,) if self.reference else ())


@dataclass(frozen=True, slots=True)
class RoleLink:
    """What a PractitionerRole in the file says of its practitioner."""

    practitioner: str | None
    display: str
    identifiers: tuple[str, ...]


@dataclass
class PractitionerIndex:
    """The Practitioners and PractitionerRoles of one file, by key (kept by the first pass)."""

    people: dict[str, PractitionerFacts] = field(default_factory=dict)
    roles: dict[str, RoleLink] = field(default_factory=dict)

    def add(self, key: str, model) -> None:
        kind = model.get_resource_type()
        if kind == "Practitioner":
            self.people[key] = practitioner_facts(model, key)
        elif kind == "PractitionerRole" and model.practitioner is not None:
            ref = model.practitioner
            self.roles[key] = RoleLink(ref.reference, plain(ref.display, MAX_SHORT), _of_reference(ref))

    def named_by(self, reference, refs: References) -> PractitionerFacts | None:
        """The practitioner a participant's reference names, or None when it names nobody this app can tell."""
        key = refs.resolve(reference.reference)
        display = plain(reference.display, MAX_SHORT)
        role_named = (key_type(key) if key else reference.type) == "PractitionerRole"
        identifiers = [] if role_named else list(_of_reference(reference))  # a role's identifier is not theirs
        if role_named and key in self.roles:
            role = self.roles[key]
            key = refs.resolve(role.practitioner)
            display = role.display or display
            identifiers += role.identifiers
        conditional = CONDITIONAL.match(key) if key else None
        if conditional and conditional.group(1) == "Practitioner":
            identifiers.append(_checked(conditional.group(2)))
        known = self.people.get(key) if key else None
        if known is not None:
            display = known.name or display
            identifiers = [*known.identifiers, *identifiers]
        facts = PractitionerFacts(display, ordered(identifiers), own_reference(key))
        return facts if facts.name or facts.keys else None


def practitioner_facts(practitioner, key: str) -> PractitionerFacts:
    """A Practitioner resource: its name as the schedule shows it ("Dr. Aubrey Corkery"), its identifiers."""
    identifiers = ordered(identifier_key(i) for i in practitioner.identifier or [])
    return PractitionerFacts(practitioner_name(practitioner), identifiers, own_reference(key))


def identifier_key(identifier) -> str | None:
    """ "system|value"; None for an identifier without a system (it could be anyone's) or that is not one line."""
    if identifier is None or not identifier.system or not identifier.value:
        return None
    return _checked(f"{identifier.system}|{identifier.value}")


def ordered(keys) -> tuple[str, ...]:
    """Each identifier once, the NPI first, the others in the record's order."""
    unique = list(dict.fromkeys(key for key in keys if key))
    return tuple(sorted(unique, key=lambda key: not key.startswith(f"{NPI_SYSTEM}|")))


def own_reference(key: str | None) -> str | None:
    """A key that names a practitioner by FHIR id ("Practitioner/123", or a server's address for one), not by
    identifier or content."""
    if not key or key_type(key) not in CLINICIAN_TYPES or "?" in key or "#" in key:
        return None
    return key


def _of_reference(reference) -> tuple[str, ...]:
    found = identifier_key(reference.identifier)
    return (found,) if found else ()


def _checked(key: str) -> str | None:
    system, _, value = key.rpartition("|")
    if not system or not value or len(key) > MAX_IDENTIFIER or plain(key, MAX_IDENTIFIER) != key:
        return None
    return key
