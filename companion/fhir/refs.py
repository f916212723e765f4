"""Where each resource came from, as a key that survives a re-import ("Patient/123", or by identifier), and
references inside a file resolved to those keys.

A resource a server names by an absolute address (a Bundle entry's fullUrl "https://ehr.example.org/fhir/Patient/1001")
is keyed by that address: two servers each have a Patient/1001, and they are two people. A relative reference is
read against the address of the entry it is in, as FHIR reads it."""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import parse_qsl

from companion.privacy.rules import canonical_system

# A literal reference ends in Type/id (relative, or a full URL), perhaps with a version after it.
LITERAL = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
CONDITIONAL = re.compile(r"^([A-Z][A-Za-z]+)\?identifier=(.+)$")  # a key by identifier
SEARCH = re.compile(r"^([A-Z][A-Za-z]+)\?(.+)$")  # a conditional reference: any search, identifier among its terms
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")  # what str.isalnum() is not
# A server's address for a resource: its base, then Type/id (a version after it is not part of the address).
ABSOLUTE = re.compile(r"^((?i:https?)://[^?#]+?)/([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
DEFAULT_PORTS = (":443", ":80")


# What an identifier that several resources of one file carry names: no one (a FHIR server answers such a
# conditional reference with 412). Two facilities' MRNs may share a value under different systems.
SEVERAL = "matches=several"
# Values registration systems put in an identifier for "not known": they name many people, so nobody.
PLACEHOLDER_VALUES = frozenset({"unknown", "unk", "none", "na", "n/a", "pending", "temp", "tbd", "123456789"})


def identifier_keys(kind: str, identifiers: object) -> list[str]:
    """`Patient?identifier=system|value` for each identifier that can name one record (FHIR's conditional reference
    form): one with its system (a bare "12345" is a different person in every system) and a real value, not a
    placeholder such as "unknown", and a record number, never a national one (an SSN names thousands of people in
    error: a baby registered under her mother's, a number shared on purpose)."""
    keys = []
    if not isinstance(identifiers, list):  # invalid: the validator skips and reports the resource
        return []
    for identifier in identifiers:
        value, system = _field(identifier, "value"), _field(identifier, "system")
        if not (isinstance(value, str) and value and isinstance(system, str) and system):
            continue
        if not _placeholder(value) and not _national(identifier):
            keys.append(f"{kind}?identifier={system}|{value}")
    return keys


# National numbers (v2-0203: social security, driver's licence, passport, social beneficiary, national person and
# tax numbers; NN... is a country's national person number) and the US SSN system: never kept to find anyone by.
# With them insurance numbers (member, subscriber, Medicaid, Medicare): a family shares a policy's number, and a
# record converted from a document may carry the policy holder's on a child.
NATIONAL_TYPES = frozenset({"SS", "DL", "PPN", "SB", "NI", "TAX", "CZ", "MB", "SN", "MA", "MC"})
NATIONAL_SYSTEMS = frozenset(
    {
        "http://hl7.org/fhir/sid/us-ssn",
        "urn:oid:2.16.840.1.113883.4.1",  # the SSN's OID, however written (canonical_system)
        "http://hl7.org/fhir/sid/us-mbi",  # Medicare's beneficiary identifier
        "http://hl7.org/fhir/sid/passport-USA",
    }
)


def _field(element: object, name: str):
    """A member of a FHIR element, read as a model or as parsed JSON (None for anything else)."""
    if isinstance(element, dict):
        return element.get(name)
    scalar = element is None or isinstance(element, (str, int, float, list))
    return None if scalar else getattr(element, name, None)


def _national(identifier: object) -> bool:
    """A national number, by its system (as any spelling of it: a bare OID, https, a trailing slash) or its type.
    Odd JSON (a system that is a list, a coding that is a number) is nobody's national number, never a crash: the
    validator skips the resource later."""
    system = _field(identifier, "system")
    if isinstance(system, str) and canonical_system(system) in NATIONAL_SYSTEMS:
        return True
    codings = _field(_field(identifier, "type"), "coding")
    found = (_field(coding, "code") for coding in (codings if isinstance(codings, list) else []))
    codes = {code for code in found if isinstance(code, str)}
    return bool(codes & NATIONAL_TYPES) or any(c.startswith("NN") for c in codes)


def _in_file(kind: str, data: dict) -> list[str]:
    """Within one file, a conditional reference may name a resource by its identifier's value alone
    ("Patient?identifier=12345"): found here, never looked up in the database by it (identifier_keys)."""
    identifiers = data.get("identifier")
    if not isinstance(identifiers, list):
        return []
    values = [i.get("value") for i in identifiers if isinstance(i, dict) and not _national(i)]
    return [f"{kind}?identifier={v}" for v in values if isinstance(v, str) and v and not _placeholder(v)]


def _placeholder(value: str) -> bool:
    """ "999-99-9999", "000000000", "unknown": a value that stands for no one in particular."""
    bare = NOT_LETTER_OR_DIGIT.sub("", value.casefold())
    return value.strip().casefold() in PLACEHOLDER_VALUES or bare in PLACEHOLDER_VALUES or len(set(bare)) <= 1


def resource_key(data: dict, full_url: str | None = None) -> str:
    """Matched by the server's address for it (its fullUrl), else by FHIR id, else by the first identifier; a
    resource with none of them is matched by its content, so importing the same file twice still changes nothing."""
    kind = data["resourceType"]
    if isinstance(data.get("id"), str) and data["id"]:
        address = server_address(full_url)
        if address is not None and address.endswith(f"/{kind}/{data['id']}"):
            return address
        return f"{kind}/{data['id']}"
    by_identifier = identifier_keys(kind, data.get("identifier"))
    if by_identifier:
        return by_identifier[0]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
    return f"{kind}#content-{digest}"


def server_address(url: str | None) -> str | None:
    """ "https://ehr.example.org/fhir/Patient/1001" for that address (a version after it left out); None for
    anything else (a relative reference, a urn:uuid). One server is one address however it is written: a server
    behind a proxy names itself http:// in its fullUrls while its references say https://, a host in capitals,
    a default port written out."""
    written = address_as_written(url)
    if written is None:
        return None
    host, slash, path = written.split("://", 1)[1].partition("/")
    host = host.lower()
    for port in DEFAULT_PORTS:
        host = host.removesuffix(port)
    return f"https://{host}{slash}{path}"


def address_as_written(url: str | None) -> str | None:
    """The address without its version, spelled as the file spells it (as rows imported before server_address
    gave one spelling were keyed)."""
    found = ABSOLUTE.match(url) if isinstance(url, str) else None
    return None if found is None else f"{found.group(1)}/{found.group(2)}/{found.group(3)}"


class References:
    """The resources of one file by fullUrl, Type/id and identifier, to turn a reference into a key."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}
        self._base: str | None = None  # the server address of the entry being read: relative references are on it
        # Patient.link, as read: (the record's key, its fullUrl, the link's type, the other record's reference)
        self._links: list[tuple[str, str | None, str, str]] = []
        self._replaced: dict[str, str] = {}  # a merged-away patient's key: the key of the record that replaces it

    def reading(self, full_url: str | None) -> None:
        """The entry whose references are resolved next (its fullUrl): a relative reference in it is read
        against its server's address."""
        address = server_address(full_url)
        self._base = None if address is None else ABSOLUTE.match(address).group(1)

    def add(self, key: str, data: dict, full_url: str | None) -> None:
        kind = data["resourceType"]
        self._aliases.setdefault(key, key)
        # A fullUrl two different resources were written at (FHIR forbids it) names neither
        if full_url and self._aliases.setdefault(full_url, key) not in (key, ambiguous(kind)):
            self._aliases[full_url] = ambiguous(kind)
        # Type/id names one resource only while one server's resource of that id is in the file: a Bundle gathered
        # from two servers may hold both servers' Patient/1, two people, and a reference to "Patient/1" from an
        # entry of neither server could be either.
        by_id = [f"{kind}/{data['id']}"] if isinstance(data.get("id"), str) else []
        for alias in (*by_id, *identifier_keys(kind, data.get("identifier")), *_in_file(kind, data)):
            if self._aliases.setdefault(alias, key) not in (key, ambiguous(kind)):  # another resource has it too
                self._aliases[alias] = ambiguous(kind)
        if kind == "Patient" and isinstance(data.get("link"), list):
            for link in data["link"]:
                other = link.get("other") if isinstance(link, dict) else None
                reference = other.get("reference") if isinstance(other, dict) else None
                if link.get("type") in ("replaced-by", "replaces") and isinstance(reference, str):
                    self._links.append((key, full_url, link["type"], reference))

    def make_ambiguous(self, key: str) -> None:
        """Two different resources were written at this key (one address, one version): every name of it now
        names one of several, so nothing is filed under either."""
        for alias, target in self._aliases.items():
            if target == key:
                self._aliases[alias] = ambiguous(key_type(key))

    def shared_id(self, kind: str, resource_id: str) -> bool:
        """Whether resources of two servers in this file have this type and id."""
        return is_ambiguous(self._aliases.get(f"{kind}/{resource_id}"))

    def settle_links(self) -> None:
        """Once the whole file is read: a patient record merged into another (Patient.link replaced-by, or the
        survivor's `replaces`) is that other person, so references to it land on the record that replaces it.
        A master-patient-index merge leaves older resources filed under the old id."""
        for key, full_url, kind, reference in self._links:
            self.reading(full_url)
            other = self._resolve(reference)
            old, new = (key, other) if kind == "replaced-by" else (other, key)
            if old and new and old != new and key_type(old) == key_type(new) == "Patient":
                self._replaced.setdefault(old, new)
        self.reading(None)

    def surviving(self, key: str | None) -> str | None:
        """The key of the record that replaces this one (after a merge), else the key itself."""
        seen = set()
        while key in self._replaced and key not in seen:  # a loop of links (a merge undone and redone) stops
            seen.add(key)
            key = self._replaced[key]
        return key

    def replaced_by(self, key: str) -> list[str]:
        """The keys of the records merged into this one."""
        return [old for old in self._replaced if self.surviving(old) == key]

    def alias(self, alias: str, key: str) -> None:
        """Make references to one resource land on another (an Encounter for a visit booked as an Appointment)."""
        self._aliases[alias] = key

    def resolve(self, reference: str | None) -> str | None:
        """The key a reference points to: in this file if it is here, else a key the database may hold;
        None for references that cannot last (a contained `#x`, a urn:uuid not in this file). A patient merged
        into another record is that record."""
        return self.surviving(self._resolve(reference))

    def _resolve(self, reference: str | None) -> str | None:
        if not reference or reference.startswith("#"):
            return None
        search = SEARCH.match(reference)
        if search:
            return self._by_identifier(search.group(1), search.group(2))
        address = server_address(reference)
        relative = LITERAL.fullmatch(reference) if address is None and self._base is not None else None
        on_base = relative is not None and not reference.startswith(("urn:", "http:", "https:"))
        if on_base:  # relative: on the server of the entry it is written in
            address = f"{self._base}/{relative.group(1)}/{relative.group(2)}"
        if address is not None and address in self._aliases:
            return self._aliases[address]
        bare = LITERAL.search(reference) if address is not None else None
        if bare is not None:  # this file names the resource without an address (an id, a urn:uuid fullUrl)...
            found = self._aliases.get(f"{bare.group(1)}/{bare.group(2)}")
            if found is not None and server_address(found) is None and not is_ambiguous(found):
                return found  # ...never another server's of that id, nor one of several
        if reference in self._aliases and not on_base:  # a urn:uuid, or a resource this file names without an address
            return self._aliases[reference]
        if address is not None:
            return address
        literal = LITERAL.search(reference)
        if literal and not reference.startswith("urn:"):
            key = f"{literal.group(1)}/{literal.group(2)}"
            return self._aliases.get(key, key)
        return None

    def follow(self, reference, kind: str = "") -> str | None:
        """The key a Reference points to: its literal reference, else its logical one, an identifier (some systems
        send `{"identifier": {...}, "type": "Patient"}` and no reference at all), of the type it names or, when it
        names none, the `kind` its field can only point to."""
        if reference is None:
            return None
        if reference.reference:
            return self.resolve(reference.reference)
        named = (reference.type or "").rstrip("/").rsplit("/", 1)[-1] or kind
        keys = identifier_keys(named, [reference.identifier]) if reference.identifier and named else []
        return self.surviving(self._aliases.get(keys[0], keys[0])) if keys else None

    def _by_identifier(self, kind: str, query: str) -> str | None:
        """A conditional reference ("Patient?identifier=system|value&birthdate=1990") by its identifier alone;
        None when it names none (a search by name or birth date alone could find anyone)."""
        for name, value in parse_qsl(query, keep_blank_values=False):
            if name == "identifier" and value:
                system, bar, _number = value.rpartition("|")
                if bar and _national({"system": system}):  # an SSN names no one (identifier_keys)
                    return None
                key = f"{kind}?identifier={value}"
                return self._aliases.get(key, key)
        return None


def ambiguous(kind: str) -> str:
    """The key of a reference by an identifier that several resources of the file carry."""
    return f"{kind}?{SEVERAL}"


def is_ambiguous(key: str | None) -> bool:
    return key is not None and key.endswith(f"?{SEVERAL}")


def key_type(key: str) -> str:
    """The resource type a key names ("Patient/1", "Patient?identifier=...", or a server's address for one)."""
    address = ABSOLUTE.match(key)
    return address.group(2) if address else re.split(r"[/?#]", key, maxsplit=1)[0]
