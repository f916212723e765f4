"""FHIR JSON files (a Bundle, a single resource, or NDJSON): found, sniffed, and read an entry at a time.

Every file is sniffed before anything is written (its start, or its first non-empty line), so a file that is not
FHIR JSON at all (not UTF-8, not JSON, no resourceType) stops the import with one clear line. What passes is
read in pieces: an NDJSON file a line at a time, a Bundle an entry at a time, never the whole file at once.
An entry that is not JSON, not a resource or breaks a limit of companion.fhir.limits is reported and the rest
goes on; a Bundle that breaks off half-way keeps the entries before the break (companion.fhir.bundle)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError
from companion.fhir.bundle import BundleReader, refuse_packed, sniff_json
from companion.fhir.entries import NotFhir, RawEntry
from companion.fhir.ndjson import ndjson_entries, sniff_ndjson

SUFFIXES = (".json", ".ndjson", ".jsonl")
NDJSON_SUFFIXES = (".ndjson", ".jsonl")


@dataclass(frozen=True)
class FhirFile:
    """A file that looks like FHIR JSON: `kind` is "ndjson", "Bundle" or the resourceType of its one resource."""

    path: Path
    size: int
    kind: str

    @property
    def ndjson(self) -> bool:
        """Then an entry's index is a line number, not a Bundle entry."""
        return self.kind == "ndjson"

    def entries(self, read: Callable[[int], None] = lambda done: None) -> Iterator[RawEntry]:
        """Each entry in turn; `read` hears now and then how many bytes of the file are behind."""
        if self.ndjson:
            return ndjson_entries(self.path, read)
        return BundleReader(self.path, self.kind).entries(read)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched for FHIR files (sorted, so every run reads them in the same order)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not inside:
                raise CompanionError(f"no FHIR files (*.json, *.ndjson) in the folder {path}")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise CompanionError(f"no such file or folder: {path}")
    if not found:
        raise CompanionError("no files to import")
    return list(dict.fromkeys(found))  # a file named twice is read once


def sniff(path: Path) -> FhirFile:
    """The file's kind, from its start; a file that is not FHIR JSON is an error (its content is never quoted)."""
    size = path.stat().st_size
    try:
        refuse_packed(path)
        kind = "ndjson" if path.suffix.lower() in NDJSON_SUFFIXES else sniff_json(path)
        if kind == "ndjson":
            sniff_ndjson(path)
    except NotFhir as exc:
        what = "a valid FHIR Bundle" if str(exc) == "its entry is not a list" else "FHIR JSON"
        raise CompanionError(f"{path} is not {what}: {exc}") from None
    return FhirFile(path, size, kind)
