"""What the readers of Bundles, single resources and NDJSON hand on: one entry at a time, each either a resource
or the reason it cannot be one (never its content: it may name the patient)."""

from __future__ import annotations

from dataclasses import dataclass

from companion.fhir.limits import problem


class NotFhir(Exception):
    """The file is not FHIR JSON at all; the message ends the sentence "<file> is not FHIR JSON: ..."."""


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as found in a file; `index` is the Bundle entry or NDJSON line (None for a one-resource file)."""

    index: int | None
    data: dict | None  # the resource; also when refused for a limit, if it could be read (the report names it)
    full_url: str | None = None
    problem: str = ""  # why it is not imported: not JSON, not a resource, nested too deep...
    rest: bool = False  # the file breaks off here: nothing from this entry on could be read


def checked(index: int | None, data: dict, full_url: str | None = None) -> RawEntry:
    """The resource as an entry, refused if it breaks a limit on nesting or text length."""
    return RawEntry(index, data, full_url, problem(data))
