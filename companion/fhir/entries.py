"""What the readers of Bundles, single resources and NDJSON hand on: one entry at a time, each either a resource
or the reason it cannot be one (never its content: it may name the patient)."""

from __future__ import annotations

from dataclasses import dataclass

from companion.fhir.limits import problem
from companion.fhir.parse import REFERENCED, unused_type

NO_RESOURCE = "no resource"  # how a report names an entry that is not a resource at all
NOT_READ = "not read"  # ...one that broke a limit before it could be read
REST = "rest of the file"  # ...and where a file breaks off


class NotFhir(Exception):
    """The file is not FHIR JSON at all; the message ends the sentence "<file> is not FHIR JSON: ..."."""


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as found in a file; `index` is the Bundle entry or NDJSON line (None for a one-resource file)."""

    index: int | None
    data: dict | None  # the resource; also when refused for a limit, if it could be read (the report names it)
    full_url: str | None = None
    problem: str = ""  # why it is not imported: not JSON, not a resource, nested too deep...
    what: str = NO_RESOURCE  # how the report names it when there is no resource to name it by
    unused: str = ""  # counted as not used from its JSON alone, its resource let go (companion.fhir.triage)
    newest_first: bool = False  # in a `history` Bundle, which lists a resource's versions newest first
    deleted: str = ""  # a DELETE request's url ("Flag/f9"): the record no longer holds that resource


def checked(index: int | None, data: dict, brackets: int, size: int, full_url: str | None = None) -> RawEntry:
    """The resource as an entry, refused if it breaks a limit on nesting or text length; `brackets` and `size`
    are those of the text it was read from. A type the import neither validates nor indexes (a Claim) is not
    checked: it is counted as not used whatever it holds, as a malformed one is (companion.fhir.triage). Claims
    and ExplanationOfBenefits, a third of a Synthea record, each open more brackets than the depth allowed, and
    walking them for their depth cost a twentieth of the import."""
    read = not counted_only(data["resourceType"])
    return RawEntry(index, data, full_url, problem(data, brackets, size) if read else "")


def counted_only(kind: str) -> bool:
    """A type the import counts as not used without reading anything it holds: one it neither validates nor
    follows a reference to (a Claim, an Immunization)."""
    return unused_type(kind) and kind not in REFERENCED
