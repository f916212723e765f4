"""Where each resource came from, as a key that survives a re-import ("Patient/123", or by identifier), and
references inside a file resolved to those keys."""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import unquote

# A literal reference ends in Type/id (relative, or a full URL), perhaps with a version after it.
LITERAL = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
CONDITIONAL = re.compile(r"^([A-Z][A-Za-z]+)\?identifier=(.+)$")


def identifier_keys(kind: str, identifiers: object) -> list[str]:
    """`Patient?identifier=system|value` for each identifier with a value (FHIR's conditional reference form)."""
    keys = []
    if not isinstance(identifiers, list):  # invalid: the validator skips and reports the resource
        return []
    for identifier in identifiers:
        value = getattr(identifier, "value", None) if not isinstance(identifier, dict) else identifier.get("value")
        system = getattr(identifier, "system", None) if not isinstance(identifier, dict) else identifier.get("system")
        if value:
            keys.append(f"{kind}?identifier={system}|{value}" if system else f"{kind}?identifier={value}")
    return keys


def resource_key(data: dict) -> str:
    """Matched by FHIR id, else by the first identifier; a resource with neither is matched by its content,
    so importing the same file twice still changes nothing."""
    kind = data["resourceType"]
    if isinstance(data.get("id"), str) and data["id"]:
        return f"{kind}/{data['id']}"
    by_identifier = identifier_keys(kind, data.get("identifier"))
    if by_identifier:
        return by_identifier[0]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]
    return f"{kind}#content-{digest}"


class References:
    """The resources of one file by fullUrl, Type/id and identifier, to turn a reference into a key."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}

    def add(self, key: str, data: dict, full_url: str | None) -> None:
        kind = data["resourceType"]
        for alias in (key, full_url, *identifier_keys(kind, data.get("identifier"))):
            if alias:
                self._aliases.setdefault(alias, key)
        if isinstance(data.get("id"), str):
            self._aliases.setdefault(f"{kind}/{data['id']}", key)

    def alias(self, alias: str, key: str) -> None:
        """Make references to one resource land on another (an Encounter for a visit booked as an Appointment)."""
        self._aliases[alias] = key

    def resolve(self, reference: str | None) -> str | None:
        """The key a reference points to: in this file if it is here, else a key the database may hold;
        None for references that cannot last (a contained `#x`, a urn:uuid not in this file)."""
        if not reference or reference.startswith("#"):
            return None
        if reference in self._aliases:
            return self._aliases[reference]
        conditional = CONDITIONAL.match(reference)
        if conditional:
            key = f"{conditional.group(1)}?identifier={unquote(conditional.group(2))}"
            return self._aliases.get(key, key)
        literal = LITERAL.search(reference)
        if literal and not reference.startswith("urn:"):
            key = f"{literal.group(1)}/{literal.group(2)}"
            return self._aliases.get(key, key)
        return None


def key_type(key: str) -> str:
    """The resource type a key names."""
    return re.split(r"[/?#]", key, maxsplit=1)[0]
